-- wrk: processCheck for a random guest (by id) of a random tenant, each request with a
-- new externalId and a random total. args: DATA_DIR RUN_ID
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local Q = json_str([[mutation($i: ProcessCheckInput!) {
  processCheck(input: $i) { checkId earned balance available levelAfter { name } }
}]])

function init(args)
  seed_random()
  load_tenants(args[1])
  gten, gid = load_guests(args[1] .. "/guests.txt")
  run = args[2] or tostring(os.time())
  n = 0
end

function request()
  local i = math.random(#gid)
  local t = gten[i]
  n = n + 1
  local body = string.format(
    '{"query":"%s","variables":{"i":{"locationId":"%s","guest":{"id":"%s"},"totalMinor":%d,"externalId":"load-%s-%d-%d"}}}',
    Q, t.loc, gid[i], math.random(1000, 500000), run, tid, n)
  return wrk.format("POST", nil, t.headers, body)
end
