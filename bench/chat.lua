-- wrk script: POST /api/chat, cycling through the questions in $QUESTIONS_FILE (one JSON body a line).
local bodies = {}
for line in io.lines(os.getenv("QUESTIONS_FILE")) do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "/api/chat", {["Content-Type"] = "application/json"}, bodies[i])
end
