//! Test helpers for other crates (feature `test-util`): a fresh PostgreSQL schema per test,
//! so tests running in parallel on one database never see each other's cases.

use sqlx::Connection;
use std::sync::atomic::{AtomicU32, Ordering};

/// The environment variable that names the PostgreSQL database tests may use.
pub const POSTGRES_URL_VAR: &str = "REDFLAG_TEST_POSTGRES_URL";

/// A schema made for one test. Open the store with [`TestSchema::url`]; call
/// [`TestSchema::drop_schema`] at the end (a failed test leaves it behind, to look at).
#[derive(Debug)]
pub struct TestSchema {
    base: String,
    name: String,
    /// The database address with the schema as its search path.
    pub url: String,
}

impl TestSchema {
    /// Creates a schema with a unique name in the database at `base_url`.
    pub async fn create(base_url: &str) -> Result<TestSchema, sqlx::Error> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "redflag_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            nanos
        );
        let mut conn = sqlx::PgConnection::connect(base_url).await?;
        // The name is made of digits, letters and underscores only.
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {name}")))
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        let sep = if base_url.contains('?') { '&' } else { '?' };
        let url = format!("{base_url}{sep}options[search_path]={name}");
        Ok(TestSchema {
            base: base_url.to_string(),
            name,
            url,
        })
    }

    /// Drops the schema and everything in it.
    pub async fn drop_schema(self) -> Result<(), sqlx::Error> {
        let mut conn = sqlx::PgConnection::connect(&self.base).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA {} CASCADE",
            self.name
        )))
        .execute(&mut conn)
        .await?;
        conn.close().await
    }
}

/// The PostgreSQL test database, or `None` (after saying so on standard error) when
/// `REDFLAG_TEST_POSTGRES_URL` is not set.
pub fn postgres_url(test: &str) -> Option<String> {
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            eprintln!("{test}: skipped on PostgreSQL ({POSTGRES_URL_VAR} is not set)");
            None
        }
    }
}
