//! The fraud hotline's case store: checks a person agreed to keep, and the phone numbers,
//! domains and senders that come back across cases.
//!
//! One [`Store`] talks to SQLite (a file, created on first use, in WAL mode) or PostgreSQL,
//! chosen by the address given to [`Store::open`]. The schema is created and upgraded by the
//! migrations embedded from `migrations/sqlite` and `migrations/postgres` when the store
//! opens.
//!
//! **Invariant:** this is the only crate that does database IO. It never analyses a message:
//! it keeps the [`Report`](redflag_engine::Report) it is given, as is.
//!
//! **Invariant:** saving a case is one transaction: the case and its indicators are stored
//! together or not at all.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod csv_export;
mod model;
#[cfg(feature = "test-util")]
pub mod testing;

pub use model::{
    Case, CaseId, CaseImage, CaseSummary, Indicator, IndicatorCount, IndicatorKind, NewCase,
};

use chrono::{DateTime, SecondsFormat, Utc};
use redflag_engine::Channel;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// Most cases one [`Store::list_cases`] call returns.
pub const MAX_LIST_LIMIT: u32 = 500;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database address is not a SQLite path, `sqlite:` URL or `postgres://` URL. The
    /// address itself is left out: it may hold a password.
    #[error("invalid database address: {0}")]
    InvalidAddress(String),
    /// The database could not be opened or reached.
    #[error("cannot open the database")]
    Open(#[source] sqlx::Error),
    /// The schema could not be created or upgraded.
    #[error("cannot create or upgrade the database schema")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// A stored row could not be read back (edited by hand, or written by a newer version).
    #[error("a stored case could not be read: {0}")]
    Corrupt(String),
    /// The CSV export could not be written.
    #[error("cannot write the CSV export")]
    Csv(#[from] csv::Error),
}

impl StoreError {
    /// Whether the database is out of reach or out of room for now, rather than the request
    /// or the data being wrong: it cannot be reached (refused, reset, shut down, the pool
    /// timed out), its disk is full or failing, or it is locked or read-only. Not a closed
    /// store ([`Store::close`]): that one does not come back. Such a failure
    /// passes once the database is back, without restarting anything: the pool opens new
    /// connections and drops the broken ones.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Open(e) | StoreError::Database(e) => sqlx_unavailable(e),
            StoreError::Migrate(
                sqlx::migrate::MigrateError::Execute(e)
                | sqlx::migrate::MigrateError::ExecuteMigration(e, _),
            ) => sqlx_unavailable(e),
            _ => false,
        }
    }
}

/// See [`StoreError::is_unavailable`].
fn sqlx_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::BeginFailed => true,
        sqlx::Error::Database(db) => {
            if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                let code = pg.code();
                // 08: connection exception; 53: insufficient resources (disk full, out of
                // memory, too many connections); 57P0x: the server is shutting down or
                // starting; 58: system (I/O) error; 3D000: no such database; 55000: the
                // database does not take connections; 25006: read-only (a standby);
                // 40001, 40P01: serialisation failure and deadlock, which a retry clears.
                code.starts_with("08")
                    || code.starts_with("53")
                    || code.starts_with("57P0")
                    || code.starts_with("58")
                    || matches!(code, "3D000" | "55000" | "25006" | "40001" | "40P01")
            } else if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // The primary result code is the low byte of the extended one: 5 BUSY,
                // 6 LOCKED, 8 READONLY, 10 IOERR, 13 FULL, 14 CANTOPEN, 15 PROTOCOL.
                db.code()
                    .and_then(|c| c.parse::<i32>().ok())
                    .is_some_and(|c| matches!(c & 0xff, 5 | 6 | 8 | 10 | 13 | 14 | 15))
            } else {
                false
            }
        }
        _ => false,
    }
}

/// How the store is opened, beyond its address.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct StoreOptions {
    /// SQLite only: the largest the database file may grow, in bytes (rounded down to whole
    /// pages; `PRAGMA max_page_count`). A save that needs more fails as a full disk does
    /// ([`StoreError::is_unavailable`]). A quota for a shared disk, and how the tests make a
    /// full disk without filling one. Ignored for PostgreSQL.
    pub sqlite_max_bytes: Option<u64>,
}

impl StoreOptions {
    /// With a SQLite size cap ([`StoreOptions::sqlite_max_bytes`]).
    pub fn sqlite_max_bytes(mut self, bytes: Option<u64>) -> Self {
        self.sqlite_max_bytes = bytes;
        self
    }
}

/// SQLite's page size for new databases (its default), used to turn a byte cap into pages.
const SQLITE_PAGE_SIZE: u64 = 4096;

/// The case store. Cloning is cheap: clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    db: Db,
}

#[derive(Debug, Clone)]
enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The PostgreSQL expression that formats a `timestamptz` like the SQLite text column.
macro_rules! pg_time {
    ($col:literal) => {
        concat!(
            "to_char(",
            $col,
            " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        )
    };
}

/// Runs the same code on either pool: `$pool` is a `SqlitePool` in one arm and a `PgPool`
/// in the other.
macro_rules! on_db {
    ($self:expr, $pool:ident => $body:expr) => {
        match &$self.db {
            Db::Sqlite($pool) => $body,
            Db::Postgres($pool) => $body,
        }
    };
}

/// The statement text for the backend in use.
macro_rules! sql {
    ($self:expr, sqlite: $s:expr, postgres: $p:expr $(,)?) => {
        match &$self.db {
            Db::Sqlite(_) => $s,
            Db::Postgres(_) => $p,
        }
    };
}

/// The columns of a case summary, per backend.
/// Whether a screenshot is kept with the case (a boolean column `has_image`; SQLite's
/// integer 0 or 1 decodes as one too).
macro_rules! has_image {
    () => {
        "EXISTS (SELECT 1 FROM case_images WHERE case_images.case_id = cases.id) AS has_image"
    };
}

macro_rules! case_columns {
    (sqlite) => {
        "id, created_at, channel, verdict, score, sender, subject, consent, note"
    };
    (postgres) => {
        concat!(
            "id, ",
            pg_time!("created_at"),
            " AS created_at, channel, verdict, score, sender, subject, consent, note"
        )
    };
}

impl Store {
    /// Opens the store and brings its schema up to date.
    ///
    /// `address` is `postgres://user:password@host/db` (or `postgresql://`), a `sqlite:` URL,
    /// or a path to a SQLite file, which is created if missing. `sqlite::memory:` gives a
    /// private in-memory database (for tests).
    pub async fn open(address: &str) -> Result<Store, StoreError> {
        Store::open_with(address, &StoreOptions::default()).await
    }

    /// [`Store::open`] with options.
    pub async fn open_with(address: &str, options: &StoreOptions) -> Result<Store, StoreError> {
        let address = address.trim();
        if address.is_empty() {
            return Err(StoreError::InvalidAddress("the address is empty".into()));
        }
        let db = if address.starts_with("postgres://") || address.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(address)
                .map_err(|_| StoreError::InvalidAddress("not a valid postgres:// URL".into()))?;
            let pool = PgPoolOptions::new()
                .max_connections(8)
                // While the database is away, a request waits this long for a connection,
                // then answers 503: well inside the request timeout.
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(opts)
                .await
                .map_err(StoreError::Open)?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            Db::Postgres(pool)
        } else {
            let opts = if address.starts_with("sqlite:") {
                SqliteConnectOptions::from_str(address)
                    .map_err(|_| StoreError::InvalidAddress("not a valid sqlite: URL".into()))?
            } else {
                SqliteConnectOptions::new().filename(address)
            };
            let memory = address.contains(":memory:") || address.contains("mode=memory");
            let opts = opts
                .create_if_missing(true)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // A saved case must survive a power cut, not only a crash: in WAL mode,
                // FULL syncs the log at every commit, before the save is acknowledged.
                .synchronous(SqliteSynchronous::Full);
            let opts = match options.sqlite_max_bytes {
                // Every connection sets it: the pragma is per connection, not stored.
                Some(bytes) => opts.page_size(SQLITE_PAGE_SIZE as u32).pragma(
                    "max_page_count",
                    (bytes / SQLITE_PAGE_SIZE).max(1).to_string(),
                ),
                None => opts,
            };
            let opts = if memory {
                opts
            } else {
                opts.journal_mode(SqliteJournalMode::Wal)
            };
            // Every connection to `:memory:` is its own database: keep exactly one.
            let pool = SqlitePoolOptions::new()
                .max_connections(if memory { 1 } else { 4 })
                .min_connections(if memory { 1 } else { 0 })
                .idle_timeout(if memory {
                    None
                } else {
                    Some(Duration::from_secs(600))
                })
                .max_lifetime(if memory {
                    None
                } else {
                    Some(Duration::from_secs(3600))
                })
                .connect_with(opts)
                .await
                .map_err(StoreError::Open)?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
            Db::Sqlite(pool)
        };
        Ok(Store { db })
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self.db {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Waits for queries in flight, then closes every connection. Later calls fail.
    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }

    /// Saves a case and its indicators in one transaction.
    pub async fn save_case(&self, case: &NewCase) -> Result<CaseId, StoreError> {
        let created_at = format_time(Utc::now());
        let report = serde_json::to_string(&case.report)
            .map_err(|e| StoreError::Corrupt(format!("the report is not JSON: {e}")))?;
        let indicators = case.all_indicators();
        let insert_case = sql!(self,
            sqlite: "INSERT INTO cases (created_at, channel, verdict, score, sender, subject, consent, note, report, message_text) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            postgres: "INSERT INTO cases (created_at, channel, verdict, score, sender, subject, consent, note, report, message_text) \
                       VALUES ($1::timestamptz, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10) RETURNING id",
        );
        let insert_indicator = "INSERT INTO case_indicators (case_id, kind, value) VALUES ($1, $2, $3) \
                                ON CONFLICT DO NOTHING";
        let insert_image = "INSERT INTO case_images (case_id, media_type, width, height, bytes) \
                            VALUES ($1, $2, $3, $4, $5)";
        let id: i64 = on_db!(self, pool => {
            let mut conn = pool.acquire().await?;
            let saved: Result<i64, sqlx::Error> = async {
                let mut tx = sqlx::Connection::begin(&mut *conn).await?;
                let (id,): (i64,) = sqlx::query_as(insert_case)
                    .bind(&created_at)
                    .bind(case.channel.as_str())
                    .bind(case.verdict.as_str())
                    .bind(i64::from(case.score))
                    .bind(case.sender.as_deref())
                    .bind(case.subject.as_deref())
                    .bind(case.consent)
                    .bind(case.note.as_deref())
                    .bind(&report)
                    .bind(&case.message_text)
                    .fetch_one(&mut *tx)
                    .await?;
                for ind in &indicators {
                    sqlx::query(insert_indicator)
                        .bind(id)
                        .bind(ind.kind.as_str())
                        .bind(&ind.value)
                        .execute(&mut *tx)
                        .await?;
                }
                if let Some(img) = &case.image {
                    sqlx::query(insert_image)
                        .bind(id)
                        .bind(&img.media_type)
                        .bind(i64::from(img.width))
                        .bind(i64::from(img.height))
                        .bind(&img.bytes)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(id)
            }
            .await;
            match saved {
                Ok(id) => id,
                Err(e) => {
                    // After a failed statement or COMMIT (a full disk, a lost server) the
                    // connection's transaction state is unknown: SQLite may have rolled
                    // back on its own, or kept the transaction open, while sqlx still counts
                    // it. Reused, such a connection acknowledged a later save that was only
                    // a savepoint inside a transaction nobody committed. Close it instead.
                    drop(conn.detach());
                    return Err(e.into());
                }
            }
        });
        Ok(CaseId(id))
    }

    /// The most recent cases first, without their reports and texts. `limit` is capped at
    /// [`MAX_LIST_LIMIT`].
    pub async fn list_cases(
        &self,
        limit: u32,
        offset: u64,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        let limit = i64::from(limit.min(MAX_LIST_LIMIT));
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let query = sql!(self,
            sqlite: concat!("SELECT ", case_columns!(sqlite), " FROM cases ORDER BY id DESC LIMIT $1 OFFSET $2"),
            postgres: concat!("SELECT ", case_columns!(postgres), " FROM cases ORDER BY id DESC LIMIT $1 OFFSET $2"),
        );
        let rows: Vec<model::CaseRow> = on_db!(self, pool => {
            sqlx::query_as(query)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(model::CaseRow::into_summary).collect()
    }

    /// One case with its report, text and indicators.
    pub async fn get_case(&self, id: CaseId) -> Result<Option<Case>, StoreError> {
        let query = sql!(self,
            sqlite: concat!("SELECT ", case_columns!(sqlite), ", report, message_text, ", has_image!(), " FROM cases WHERE id = $1"),
            postgres: concat!("SELECT ", case_columns!(postgres), ", report::text AS report, message_text, ", has_image!(), " FROM cases WHERE id = $1"),
        );
        let ind_query =
            "SELECT kind, value FROM case_indicators WHERE case_id = $1 ORDER BY kind, value";
        let found: Option<(model::FullCaseRow, Vec<model::IndicatorRow>)> = on_db!(self, pool => {
            let row: Option<model::FullCaseRow> = sqlx::query_as(query)
                .bind(id.0)
                .fetch_optional(pool)
                .await?;
            match row {
                None => None,
                Some(row) => {
                    let inds: Vec<model::IndicatorRow> = sqlx::query_as(ind_query)
                        .bind(id.0)
                        .fetch_all(pool)
                        .await?;
                    Some((row, inds))
                }
            }
        });
        found.map(|(row, inds)| row.into_case(inds)).transpose()
    }

    /// The screenshot kept with a case, if any.
    pub async fn case_image(&self, id: CaseId) -> Result<Option<CaseImage>, StoreError> {
        let query = "SELECT media_type, width, height, bytes FROM case_images WHERE case_id = $1";
        let row: Option<model::CaseImageRow> = on_db!(self, pool => {
            sqlx::query_as(query).bind(id.0).fetch_optional(pool).await?
        });
        row.map(model::CaseImageRow::into_image).transpose()
    }

    /// Every indicator with the number of distinct cases it appears in and when it was
    /// first and last seen; most frequent first (then most recent).
    pub async fn indicators(&self) -> Result<Vec<IndicatorCount>, StoreError> {
        let query = sql!(self,
            sqlite: "SELECT i.kind, i.value, COUNT(DISTINCT i.case_id) AS case_count, \
                     MIN(c.created_at) AS first_seen, MAX(c.created_at) AS last_seen \
                     FROM case_indicators i JOIN cases c ON c.id = i.case_id \
                     GROUP BY i.kind, i.value \
                     ORDER BY case_count DESC, last_seen DESC, i.kind, i.value",
            postgres: concat!(
                "SELECT i.kind, i.value, COUNT(DISTINCT i.case_id) AS case_count, ",
                pg_time!("MIN(c.created_at)"), " AS first_seen, ",
                pg_time!("MAX(c.created_at)"), " AS last_seen \
                 FROM case_indicators i JOIN cases c ON c.id = i.case_id \
                 GROUP BY i.kind, i.value \
                 ORDER BY case_count DESC, last_seen DESC, i.kind, i.value"
            ),
        );
        let rows: Vec<model::IndicatorCountRow> =
            on_db!(self, pool => sqlx::query_as(query).fetch_all(pool).await?);
        rows.into_iter()
            .map(model::IndicatorCountRow::into_count)
            .collect()
    }

    /// Every case as CSV, oldest first: one row per case, with its indicators, the rule IDs
    /// that fired and the message text. Cells that a spreadsheet would read as a formula
    /// (starting with `=`, `+`, `-`, `@`, tab or carriage return) get a leading `'`.
    pub async fn export_csv(&self) -> Result<String, StoreError> {
        let query = sql!(self,
            sqlite: concat!("SELECT ", case_columns!(sqlite), ", report, message_text, ", has_image!(), " FROM cases ORDER BY id"),
            postgres: concat!("SELECT ", case_columns!(postgres), ", report::text AS report, message_text, ", has_image!(), " FROM cases ORDER BY id"),
        );
        let ind_query =
            "SELECT case_id, kind, value FROM case_indicators ORDER BY case_id, kind, value";
        let (rows, inds): (Vec<model::FullCaseRow>, Vec<model::CaseIndicatorRow>) = on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let rows = sqlx::query_as(query).fetch_all(&mut *tx).await?;
            let inds = sqlx::query_as(ind_query).fetch_all(&mut *tx).await?;
            tx.commit().await?;
            (rows, inds)
        });
        let mut by_case: std::collections::HashMap<i64, Vec<model::IndicatorRow>> =
            std::collections::HashMap::new();
        for i in inds {
            by_case
                .entry(i.case_id)
                .or_default()
                .push(model::IndicatorRow {
                    kind: i.kind,
                    value: i.value,
                });
        }
        let cases = rows
            .into_iter()
            .map(|row| {
                let inds = by_case.remove(&row.id()).unwrap_or_default();
                row.into_case(inds)
            })
            .collect::<Result<Vec<Case>, StoreError>>()?;
        csv_export::write(&cases)
    }
}

/// UTC, RFC 3339 with milliseconds: the stored form, whose text order is time order.
fn format_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn parse_time(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("bad time `{s}`")))
}

fn parse_channel(s: &str) -> Result<Channel, StoreError> {
    Channel::ALL
        .into_iter()
        .find(|c| c.as_str() == s)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown channel `{s}`")))
}
