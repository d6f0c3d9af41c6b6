-- Seeds guests for scripts/bench-load.sh: :per_tenant guests (and their accounts) for every
-- tenant in the database, written as the application writes them (see
-- infra/src/db/repos/guests.rs and migrations/src/m20261121_000002_loyalty.rs).
-- Run as the table owner / a superuser (row-level security does not apply), e.g.
--   psql -v per_tenant=10000 -f scripts/bench/seed.sql maxloyalty_bench
--
--   id           UUIDv7 from created_at (ids are time-ordered, like GuestId::new)
--   phone        +7900xxxxxxx, unique per tenant; the 4-digit endings of a tenant's phones are
--                all distinct for up to 10 000 guests (7919 is coprime to 10^7 and 10^4)
--   phone_rev    the phone's digits reversed (what the phone-ending search matches)
--   card_code    8 characters of 23456789ABCDEFGHJKMNPQRSTUVWXYZ, unique per tenant
--   qr           ML1: + 32 lower-case hex digits
--   tags '[]', level_id NULL (the level follows from lifetime spend), spend 0, not forgotten;
--   one account per guest with balance 0, held 0.
\set ON_ERROR_STOP on

BEGIN;

CREATE FUNCTION pg_temp.uuid7(ts timestamptz) RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
              PLACING substring(int8send(floor(extract(epoch FROM ts) * 1000)::bigint) FROM 3)
              FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;

CREATE TEMP TABLE bench_seed ON COMMIT DROP AS
SELECT t.id AS tenant_id,
       t.k,
       g.i,
       now() - ((:per_tenant - g.i) * interval '1 minute') AS created_at
FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS k FROM tenants) t
CROSS JOIN generate_series(0, :per_tenant - 1) AS g(i);

INSERT INTO guests (tenant_id, id, phone, phone_rev, name, name_lower, birthday, email,
                    telegram_id, marketing_consent, tags, card_code, qr, level_id,
                    lifetime_spend_minor, forgotten, created_at)
SELECT s.tenant_id,
       pg_temp.uuid7(s.created_at),
       p.phone,
       reverse(substr(p.phone, 2)),
       n.name,
       lower(n.name),
       NULL, NULL, NULL,
       s.i % 3 = 0,
       '[]',
       c.code,
       'ML1:' || md5(s.tenant_id::text || ':' || s.i || ':' || random()::text),
       NULL,
       0,
       false,
       s.created_at
FROM bench_seed s
CROSS JOIN LATERAL (
  SELECT '+7900' || lpad(((s.i::bigint * 7919 + s.k * 104729) % 10000000)::text, 7, '0') AS phone
) p
CROSS JOIN LATERAL (
  SELECT (ARRAY['Anna','Ivan','Olga','Pavel','Maria','Dmitry','Elena','Sergey'])[1 + s.i % 8]
         || ' ' ||
         (ARRAY['Smirnova','Ivanov','Kuznetsova','Popov','Sokolova','Lebedev','Kozlova','Novikov'])[1 + (s.i / 8) % 8]
         AS name
) n
CROSS JOIN LATERAL (
  -- base-31 digits of a per-tenant injective number (1000003 * i stays below 31^8)
  SELECT string_agg(
           substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ',
                  (((s.i::bigint * 1000003 + s.k * 7777777) % 852891037441)
                     / power(31, d)::bigint % 31)::int + 1, 1),
           '' ORDER BY d DESC) AS code
  FROM generate_series(0, 7) AS d
) c;

INSERT INTO accounts (tenant_id, guest_id, balance, held, updated_at)
SELECT g.tenant_id, g.id, 0, 0, g.created_at
FROM guests g
WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.tenant_id = g.tenant_id AND a.guest_id = g.id);

COMMIT;

ANALYZE guests;
ANALYZE accounts;

SELECT count(*) AS guests, count(DISTINCT tenant_id) AS tenants FROM guests;
