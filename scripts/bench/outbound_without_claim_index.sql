-- What-if for scripts/bench-outbound.sh (BENCH_EXTRA_SQL): the job queue as it was before
-- m20261121_000016_jobs_claim_index. Without the partial index jobs_pending_run_at
-- (run_at, id) WHERE status IN ('queued', 'running'), PostgreSQL answers the claim's
--   WHERE (status = 'queued' AND run_at <= $1) OR (status = 'running' AND locked_until <= $1 …)
--   ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
-- with a bitmap scan of every due job and a sort of them all: a claim costs O(backlog).
DROP INDEX IF EXISTS jobs_pending_run_at;
ANALYZE jobs;
