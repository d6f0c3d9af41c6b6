-- wrk: the signed POS deliveries of pos_webhook.lua, paced: each connection waits
-- BENCH_PACED_DELAY_MS between requests, so 32 connections send about
-- 32 000 / delay requests per second (the end-to-end time at a rate the worker sustains).
-- args: DATA_DIR
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "pos_webhook.lua")

local pause = tonumber(os.getenv("BENCH_PACED_DELAY_MS") or "320")

function delay()
  return pause
end
