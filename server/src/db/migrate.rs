//! Ordered schema migrations, embedded in the binary and applied at start.
//!
//! Each applied version is recorded in the `migration` table; a start applies only the
//! versions it has not seen, so a second start applies nothing. Each runs in one transaction
//! with its record: one that fails leaves the database as it was, and the server does not
//! start (nor does one whose database is newer than it knows).

use serde::Deserialize;
use serde_json::json;

use super::{Db, DbError, DbResult};

/// (version, SurrealQL). Append only: an applied migration is never edited.
pub const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("migrations/0001_init.surql")),
    (2, include_str!("migrations/0002_sync.surql")),
    (3, include_str!("migrations/0003_translations.surql")),
    (4, include_str!("migrations/0004_consultations.surql")),
    (5, include_str!("migrations/0005_experience.surql")),
    (6, include_str!("migrations/0006_change_keys.surql")),
    (7, include_str!("migrations/0007_sessions.surql")),
    (8, include_str!("migrations/0008_login_throttle.surql")),
];

#[derive(Deserialize)]
struct Applied {
    version: u32,
}

/// Applies the migrations not yet applied, each in one transaction; returns their versions.
pub async fn migrate(db: &Db) -> DbResult<Vec<u32>> {
    apply(db, MIGRATIONS).await
}

/// Applies those of `migrations` (in order) not yet applied.
pub async fn apply(db: &Db, migrations: &[(u32, &str)]) -> DbResult<Vec<u32>> {
    db.run(
        "DEFINE TABLE IF NOT EXISTS migration SCHEMAFULL;
         DEFINE FIELD IF NOT EXISTS version ON migration TYPE int;
         DEFINE FIELD IF NOT EXISTS applied_at ON migration TYPE int;",
        json!({}),
    )
    .await?;
    let applied: Vec<Applied> = db.rows("SELECT version FROM migration", json!({})).await?;
    let known = migrations.last().map_or(0, |(v, _)| *v);
    if let Some(found) = applied.iter().map(|a| a.version).max().filter(|found| *found > known) {
        return Err(DbError::SchemaTooNew { found, known });
    }
    let mut done = Vec::new();
    for (version, sql) in migrations {
        if applied.iter().any(|a| a.version == *version) {
            continue;
        }
        let script = format!(
            "BEGIN TRANSACTION;\n{sql}\nCREATE type::record('migration', $version) SET version = $version, applied_at = $now;\nCOMMIT TRANSACTION;"
        );
        db.run(&script, json!({"version": version, "now": db.now()}))
            .await
            .map_err(|e| DbError::Migration { version: *version, detail: e.to_string() })?;
        tracing::info!(version, "applied migration");
        done.push(*version);
    }
    Ok(done)
}

/// The highest version this binary knows.
pub fn latest_version() -> u32 {
    MIGRATIONS.last().map(|(v, _)| *v).unwrap_or(0)
}
