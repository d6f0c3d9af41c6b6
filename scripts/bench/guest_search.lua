-- wrk: guest search by a random 4-digit phone ending in a random tenant.
-- args: DATA_DIR
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local Q = json_str([[query($q: String!) {
  guests(query: $q, first: 10) { totalCount nodes { id name } }
}]])

function init(args)
  seed_random()
  load_tenants(args[1])
end

function request()
  local t = tenant_list[math.random(#tenant_list)]
  local body = string.format('{"query":"%s","variables":{"q":"%04d"}}', Q, math.random(0, 9999))
  return wrk.format("POST", nil, t.headers, body)
end
