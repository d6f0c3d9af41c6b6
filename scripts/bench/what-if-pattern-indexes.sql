-- What-if for scripts/bench-load.sh (BENCH_EXTRA_SQL=scripts/bench/what-if-pattern-indexes.sql);
-- NOT part of the application's migrations.
-- Under a non-C collation (Debian's default C.UTF-8 on PostgreSQL 15, en_US.UTF-8, …) a plain
-- b-tree index cannot serve `LIKE 'prefix%'`, so the phone-ending and name searches read every
-- guest of the tenant (twice: the count and the page). The *_pattern_ops opclass can.
CREATE INDEX guests_tenant_phone_rev_pattern ON guests (tenant_id, phone_rev varchar_pattern_ops);
CREATE INDEX guests_tenant_name_pattern ON guests (tenant_id, name_lower varchar_pattern_ops);
