-- Shared by the wrk scripts of scripts/bench-load.sh.
-- Each workload script loads this file, then defines init(args) and request().
-- args[1] is the data folder written by bench-load.sh:
--   tenants.txt  tenant_id access_token location_id   (one line per tenant)
--   guests.txt   tenant_id guest_id                    (every guest)
--   history.txt  tenant_id guest_id                    (guests given ledger history)
-- Counts non-200 responses and responses carrying GraphQL "errors", and prints
-- one RESULT line (and the first error body) for the script to parse.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

non200, gql_errors, sample = 0, 0, ""

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if sample == "" then sample = "HTTP " .. status .. " " .. string.sub(body or "", 1, 300) end
  elseif string.find(body, '"errors"', 1, true) then
    gql_errors = gql_errors + 1
    if sample == "" then sample = string.sub(body, 1, 300) end
  end
end

function done(summary, latency, requests)
  local n, e, s = 0, 0, ""
  for _, t in ipairs(threads) do
    n = n + t:get("non200")
    e = e + t:get("gql_errors")
    local ts = t:get("sample")
    if s == "" and ts then s = ts end
  end
  local se = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non200=%d gql_errors=%d socket_errors=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    n, e, se.connect + se.read + se.write + se.timeout))
  if s ~= "" then
    io.write("SAMPLE_ERROR " .. (string.gsub(s, "%s+", " ")) .. "\n")
  end
end

-- Data ---------------------------------------------------------------------

tenant_list = {}
tenant_by_id = {}

function load_tenants(dir)
  for line in io.lines(dir .. "/tenants.txt") do
    local id, token, loc = string.match(line, "^(%S+)%s+(%S+)%s+(%S+)")
    if id then
      local t = {
        id = id, loc = loc,
        headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token },
      }
      tenant_by_id[id] = t
      table.insert(tenant_list, t)
    end
  end
  assert(#tenant_list > 0, "no tenants in " .. dir .. "/tenants.txt")
end

-- Returns two parallel arrays: tenant records and guest ids.
function load_guests(path)
  local ts, ids = {}, {}
  for line in io.lines(path) do
    local tid_, gid = string.match(line, "^(%S+)%s+(%S+)")
    if tid_ then
      local t = tenant_by_id[tid_]
      assert(t, "guest of an unknown tenant: " .. line)
      ts[#ts + 1] = t
      ids[#ids + 1] = gid
    end
  end
  assert(#ids > 0, "no guests in " .. path)
  return ts, ids
end

function seed_random()
  math.randomseed(os.time() * 1000 + (tid or 0) * 7919 + math.floor(os.clock() * 1e6))
  for _ = 1, 10 do math.random() end
end

-- Minimal JSON string escaping for a GraphQL document.
function json_str(s)
  return (string.gsub(s, '[%c"\\]', function(c)
    if c == "\n" then return "\\n" end
    if c == '"' then return '\\"' end
    if c == "\\" then return "\\\\" end
    return " "
  end))
end
