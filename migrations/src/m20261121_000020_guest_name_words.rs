//! Guests are found by the beginning of any word of their name (a surname typed
//! at the till), not only by the name's beginning. `guest_name_words` holds the
//! words after a name's first, lower-cased, each once per guest; a prefix index
//! serves the search (`text_pattern_ops` on PostgreSQL, where a range of the
//! pattern operators is what row-level security lets an index answer). The
//! adapter rewrites a guest's words with every change of its name; existing
//! names are split here (on PostgreSQL only when a superuser migrates: forced
//! row-level security hid the guests from their owner; `022` splits them
//! again as the owner).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, uuid};
use sea_orm_migration::sea_orm::DbBackend;

use crate::common::{a, exec};
use crate::rls;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000020_guest_name_words"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("guest_name_words"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("guest_id")))
                .col(string_len(a("word"), 200))
                .primary_key(
                    Index::create()
                        .col(a("tenant_id"))
                        .col(a("guest_id"))
                        .col(a("word")),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(a("guest_name_words"), (a("tenant_id"), a("guest_id")))
                        .to(a("guests"), (a("tenant_id"), a("id")))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            let mut sql = vec![
                "CREATE INDEX guest_name_words_prefix ON guest_name_words \
                 (tenant_id, word text_pattern_ops)"
                    .to_owned(),
                "INSERT INTO guest_name_words (tenant_id, guest_id, word) \
                 SELECT DISTINCT g.tenant_id, g.id, w.word \
                 FROM guests g, unnest(string_to_array(g.name_lower, ' ')) WITH ORDINALITY AS w(word, n) \
                 WHERE g.name_lower IS NOT NULL AND NOT g.forgotten AND w.n > 1 AND w.word <> ''"
                    .to_owned(),
            ];
            sql.extend(rls::tenant_policy("guest_name_words", "tenant_id"));
            sql.push(rls::grant("guest_name_words", "SELECT, INSERT, DELETE"));
            rls::exec_all(m, &sql).await?;
        } else {
            exec(
                m,
                &[
                    "CREATE INDEX guest_name_words_prefix ON guest_name_words (tenant_id, word)",
                    "WITH RECURSIVE split(tenant_id, guest_id, rest, word, n) AS ( \
                       SELECT tenant_id, id, name_lower || ' ', '', 0 FROM guests \
                       WHERE name_lower IS NOT NULL AND forgotten = 0 \
                       UNION ALL \
                       SELECT tenant_id, guest_id, substr(rest, instr(rest, ' ') + 1), \
                              substr(rest, 1, instr(rest, ' ') - 1), n + 1 \
                       FROM split WHERE rest <> '' \
                     ) \
                     INSERT OR IGNORE INTO guest_name_words (tenant_id, guest_id, word) \
                     SELECT tenant_id, guest_id, word FROM split WHERE n > 1 AND word <> ''",
                ],
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("guest_name_words")).to_owned())
            .await
    }
}
