//! The backfills of `020` and `021`, made so that they also work where the
//! README says migrations run: as the tables' owner, a role that is not a
//! superuser.
//!
//! Row-level security is forced on tenant tables, so policies bind their owner
//! too, and a migration sets no tenant: on PostgreSQL, `020`'s split of the
//! existing names into `guest_name_words` saw no guest there (it worked only
//! when a superuser migrated), and `021` gave existing guests no last visit.
//! Here, in one statement (so atomically: nobody ever sees the tables without
//! forced security), the owner lifts the force on the three tables it reads and
//! writes, fills what is missing, and forces it again:
//! - the later words of every name that has none stored (as the adapter writes
//!   them: lower case, split at spaces, each once, not for forgotten guests);
//! - every guest's last visit that is still unknown: the time of its latest
//!   check (reversed ones too: a reversal does not undo a visit).
//!
//! On SQLite (no row-level security) `020`'s words were made; the last visits
//! are filled here, written as a check writes them (whole microseconds, the
//! text the driver stores).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000022_backfills_as_owner"
    }
}

/// Tables whose forced row-level security is lifted for the backfill.
const TABLES: [&str; 3] = ["guests", "checks", "guest_name_words"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if m.get_database_backend() == DbBackend::Postgres {
            let lift: String = TABLES
                .iter()
                .map(|t| format!("ALTER TABLE {t} NO FORCE ROW LEVEL SECURITY; "))
                .collect();
            let force: String = TABLES
                .iter()
                .map(|t| format!("ALTER TABLE {t} FORCE ROW LEVEL SECURITY; "))
                .collect();
            let sql = format!(
                "DO $$ BEGIN {lift}\
                 INSERT INTO guest_name_words (tenant_id, guest_id, word) \
                 SELECT DISTINCT g.tenant_id, g.id, w.word \
                 FROM guests g, unnest(string_to_array(g.name_lower, ' ')) WITH ORDINALITY AS w(word, n) \
                 WHERE g.name_lower IS NOT NULL AND NOT g.forgotten AND w.n > 1 AND w.word <> '' \
                 ON CONFLICT DO NOTHING; \
                 UPDATE guests g SET last_visit_at = c.last \
                 FROM (SELECT tenant_id, guest_id, max(created_at) AS last FROM checks \
                       GROUP BY tenant_id, guest_id) c \
                 WHERE g.tenant_id = c.tenant_id AND g.id = c.guest_id AND g.last_visit_at IS NULL; \
                 {force}END $$"
            );
            db.execute_raw(Statement::from_string(DbBackend::Postgres, sql))
                .await?;
            return Ok(());
        }
        let rows = db
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT g.rowid AS rid, max(c.created_at) AS last FROM guests g \
                 JOIN checks c ON c.tenant_id = g.tenant_id AND c.guest_id = g.id \
                 WHERE g.last_visit_at IS NULL GROUP BY g.rowid",
            ))
            .await?;
        for row in rows {
            let rid: i64 = row.try_get("", "rid")?;
            let last: String = row.try_get("", "last")?;
            db.execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "UPDATE guests SET last_visit_at = ? WHERE rowid = ?",
                [whole_micros(&last).into(), rid.into()],
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        // Filled data stays: it is what the code writes anyway.
        Ok(())
    }
}

/// A check's time (RFC 3339 text) as a check writes its visit: cut to whole
/// microseconds, in the text the SQLite driver writes for a UTC time. Text
/// that is not a time is kept as it is.
fn whole_micros(text: &str) -> String {
    use chrono::{SecondsFormat, SubsecRound};
    chrono::DateTime::parse_from_rfc3339(text).map_or_else(
        |_| text.to_owned(),
        |t| {
            t.to_utc()
                .trunc_subsecs(6)
                .to_rfc3339_opts(SecondsFormat::AutoSi, false)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::whole_micros;

    #[test]
    fn times_are_cut_to_whole_microseconds_as_the_driver_writes_them() {
        let cases = [
            (
                "2026-11-22T05:00:01.123456789+00:00",
                "2026-11-22T05:00:01.123456+00:00",
            ),
            (
                "2026-11-22T05:00:01.123456+00:00",
                "2026-11-22T05:00:01.123456+00:00",
            ),
            (
                "2026-11-22T05:00:01.120000789+00:00",
                "2026-11-22T05:00:01.120+00:00",
            ),
            (
                "2026-11-22T05:00:01.000000789+00:00",
                "2026-11-22T05:00:01+00:00",
            ),
            (
                "2026-11-22T05:00:01.5+00:00",
                "2026-11-22T05:00:01.500+00:00",
            ),
            ("2026-11-22T05:00:01+00:00", "2026-11-22T05:00:01+00:00"),
            (
                "2026-11-22T05:00:01.123456789Z",
                "2026-11-22T05:00:01.123456+00:00",
            ),
            ("not a time", "not a time"),
        ];
        for (given, want) in cases {
            assert_eq!(whole_micros(given), want, "{given}");
        }
    }
}
