-- wrk: signed POS check deliveries (POST /webhooks/pos/{id}), each a new check, pre-signed
-- by api.py sign (valid for 300 s). 202 (and 200 for a repeat) count as success.
-- args: DATA_DIR
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  reqs = {}
  for line in io.lines(args[1] .. "/signed.txt") do
    local id, sig, body = string.match(line, "^([^\t]+)\t([^\t]+)\t(.*)$")
    if id then
      reqs[#reqs + 1] = { path = "/webhooks/pos/" .. id, headers = {
        ["Content-Type"] = "application/json", ["X-Signature"] = sig }, body = body }
    end
  end
  assert(#reqs > 0, "no signed deliveries")
  nthreads = 2
  n = 0
end

function request()
  -- Threads take alternate lines, so no delivery is sent twice.
  local i = n * nthreads + tid
  n = n + 1
  if i > #reqs then i = ((i - 1) % #reqs) + 1 end
  local r = reqs[i]
  return wrk.format("POST", r.path, r.headers, r.body)
end

function response(status, headers, body)
  if status ~= 202 and status ~= 200 then
    non200 = non200 + 1
    if sample == "" then sample = "HTTP " .. status .. " " .. string.sub(body or "", 1, 300) end
  end
end
