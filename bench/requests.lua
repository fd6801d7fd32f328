-- wrk script for both endpoints, so the load tool does the same work per request for each (it shares
-- the machine's cores with the server): `-- chat` cycles POST /api/chat through the questions in
-- $QUESTIONS_FILE (one JSON body a line); `-- health` sends GET /healthz. Requests are formatted once.
local requests = {}
local i = 0

init = function(args)
  if args[1] == "health" then
    requests[1] = wrk.format("GET", "/healthz")
  else
    for line in io.lines(os.getenv("QUESTIONS_FILE")) do
      requests[#requests + 1] = wrk.format("POST", "/api/chat", {["Content-Type"] = "application/json"}, line)
    end
  end
end

request = function()
  i = i % #requests + 1
  return requests[i]
end
