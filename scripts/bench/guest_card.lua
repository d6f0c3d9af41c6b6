-- wrk: one guest with balance, level and the last 20 ledger entries, for a random guest
-- among those given ledger history. args: DATA_DIR
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local Q = json_str([[query($id: ID!) {
  guest(id: $id) {
    account { balance }
    level { name }
    ledger(last: 20) { nodes { kind amount createdAt } }
  }
}]])

function init(args)
  seed_random()
  load_tenants(args[1])
  gten, gid = load_guests(args[1] .. "/history.txt")
end

function request()
  local i = math.random(#gid)
  local body = string.format('{"query":"%s","variables":{"id":"%s"}}', Q, gid[i])
  return wrk.format("POST", nil, gten[i].headers, body)
end
