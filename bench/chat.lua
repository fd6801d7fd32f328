-- wrk script: POST /api/chat, cycling through visitors' questions of every kind.
local questions = {
  "is dry needling acupuncture?", "does it hurt?", "will I be sore after?", "how much does it cost?",
  "do you accept OHIP?", "hi", "what is a trigger point", "is dry neeedling painfull",
  "can it help my headaches", "I have crushing chest pain", "thanks!", "how long does a session take",
}
local i = 0
request = function()
  i = i % #questions + 1
  local body = '{"message": "' .. questions[i] .. '"}'
  return wrk.format("POST", "/api/chat", {["Content-Type"] = "application/json"}, body)
end
