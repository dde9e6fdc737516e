//! What differs between SQLite and PostgreSQL: migrations, connection setup and full-text search.

use crate::{Result, StoreError};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use std::borrow::Cow;

/// The database behind a [`crate::Store`], picked once from the URL scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Each backend's migrations, append-only: add a file, never edit one that has landed.
const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/sqlite/0001_foundation.sql")),
    (2, "roster", include_str!("../migrations/sqlite/0002_roster.sql")),
    (3, "api_clients", include_str!("../migrations/sqlite/0003_api_clients.sql")),
    (4, "roster_indexes", include_str!("../migrations/sqlite/0004_roster_indexes.sql")),
    (5, "usage", include_str!("../migrations/sqlite/0005_usage.sql")),
    (6, "governance", include_str!("../migrations/sqlite/0006_governance.sql")),
    (7, "lti", include_str!("../migrations/sqlite/0007_lti.sql")),
    (8, "lti_services", include_str!("../migrations/sqlite/0008_lti_services.sql")),
];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/postgres/0001_foundation.sql")),
    (2, "roster", include_str!("../migrations/postgres/0002_roster.sql")),
    (3, "api_clients", include_str!("../migrations/postgres/0003_api_clients.sql")),
    (4, "roster_indexes", include_str!("../migrations/postgres/0004_roster_indexes.sql")),
    (5, "usage", include_str!("../migrations/postgres/0005_usage.sql")),
    (6, "governance", include_str!("../migrations/postgres/0006_governance.sql")),
    (7, "lti", include_str!("../migrations/postgres/0007_lti.sql")),
    (8, "lti_services", include_str!("../migrations/postgres/0008_lti_services.sql")),
];

impl Backend {
    pub fn from_url(url: &str) -> Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::Unavailable(format!(
                "database URL must start with sqlite: or postgres:// (got '{}')",
                url.split(':').next().unwrap_or_default()
            )))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }

    /// SQLite files are created when missing, so that `steward demo` needs nothing else.
    pub(crate) fn connect_url(self, url: &str) -> String {
        match self {
            Self::Sqlite if !url.contains("mode=") && !url.contains(":memory:") => {
                format!("{url}{}mode=rwc", if url.contains('?') { "&" } else { "?" })
            }
            _ => url.to_owned(),
        }
    }

    pub(crate) fn max_connections(self) -> u32 {
        match self {
            Self::Sqlite => 4,
            Self::Postgres => 10,
        }
    }

    /// Run on every new connection. Foreign keys are off by default in SQLite; a writer waits for another.
    pub(crate) fn session_setup(self) -> &'static [&'static str] {
        match self {
            Self::Sqlite => &["PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 10000"],
            Self::Postgres => &[],
        }
    }

    /// Run once, on the first connection: WAL lets readers go on during a write. It is kept in the file, and
    /// switching to it needs a lock that can't be waited for, so it is not repeated on every connection.
    pub(crate) fn database_setup(self) -> &'static [&'static str] {
        match self {
            Self::Sqlite => &["PRAGMA busy_timeout = 10000", "PRAGMA journal_mode = WAL"],
            Self::Postgres => &[],
        }
    }

    /// How a transaction that writes begins. SQLite's default (deferred) takes the write lock only at the first
    /// write, and a deferred transaction that must wait for it can fail at once instead of waiting; `IMMEDIATE`
    /// takes it at the start, where the busy timeout applies.
    pub(crate) fn begin_write(self) -> &'static str {
        match self {
            Self::Sqlite => "BEGIN IMMEDIATE",
            Self::Postgres => "BEGIN",
        }
    }

    /// Taken first by a transaction that merges usage rollups, so that writers in several processes take turns
    /// (SQLite's write lock already does this).
    pub(crate) fn usage_lock(self) -> Option<&'static str> {
        match self {
            Self::Sqlite => None,
            // 0x5573616765 is "Usage": one lock, held until the transaction ends.
            Self::Postgres => Some("SELECT 1 FROM (SELECT pg_advisory_xact_lock(366089102181)) AS l"),
        }
    }

    pub(crate) fn migrator(self) -> Migrator {
        let files = match self {
            Self::Sqlite => SQLITE_MIGRATIONS,
            Self::Postgres => POSTGRES_MIGRATIONS,
        };
        let migrations: Vec<Migration> = files
            .iter()
            .map(|(v, desc, sql)| {
                Migration::new(*v, Cow::Borrowed(*desc), MigrationType::Simple, Cow::Borrowed(*sql), false)
            })
            .collect();
        Migrator { migrations: Cow::Owned(migrations), ignore_missing: false, locking: true, no_tx: false }
    }

    /// Bound parameter number `n` in a statement with very many of them (a bulk insert), whose parameters must
    /// then be bound in the order they appear. SQLite keeps the names of named parameters (`$n`, and `?n` too) in
    /// a list that is scanned for every parameter bound, which makes binding thousands of them quadratic; plain
    /// `?` parameters have no name and bind in order. Elsewhere `$n` serves both backends.
    pub(crate) fn param(self, n: usize) -> String {
        match self {
            Self::Sqlite => "?".to_owned(),
            Self::Postgres => format!("${n}"),
        }
    }

    /// `rows` groups of `width` parameters for a multi-row `VALUES` list, numbered in the order they are bound:
    /// `(?, ?), (?, ?)` on SQLite, `($1, $2), ($3, $4)` on PostgreSQL.
    pub(crate) fn value_rows(self, rows: usize, width: usize) -> String {
        (0..rows)
            .map(|r| format!("({})", (1..=width).map(|c| self.param(r * width + c)).collect::<Vec<_>>().join(", ")))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A query for the secondary indexes of table `$1` as (name, the statement that creates it): those an import
    /// may drop while it loads an empty table and create again after, which is faster than keeping them up to date
    /// row by row. Primary keys and unique indexes are never among them.
    pub(crate) fn secondary_indexes(self) -> &'static str {
        match self {
            Self::Sqlite => {
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL \
                 AND sql NOT LIKE 'CREATE UNIQUE%'"
            }
            Self::Postgres => {
                "SELECT CAST(indexname AS TEXT), indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 \
                 AND indexdef NOT LIKE 'CREATE UNIQUE%'"
            }
        }
    }

    /// The columns named by the secondary indexes of table `$1` (expression parts are left out).
    pub(crate) fn indexed_columns(self) -> &'static str {
        match self {
            Self::Sqlite => {
                "SELECT DISTINCT ii.name FROM sqlite_master m, pragma_index_info(m.name) ii \
                 WHERE m.type = 'index' AND m.tbl_name = $1 AND m.sql IS NOT NULL AND ii.name IS NOT NULL"
            }
            Self::Postgres => {
                "SELECT DISTINCT CAST(a.attname AS TEXT) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) \
                 WHERE n.nspname = current_schema() AND c.relname = $1 AND NOT i.indisprimary"
            }
        }
    }

    /// Statements that make a long import faster on its own connection, and those that undo them before the
    /// connection goes back to the pool: SQLite's page cache grows from 2 MB to 128 MB while indexes are built.
    pub(crate) fn bulk_session(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Self::Sqlite => (&["PRAGMA cache_size = -131072"], &["PRAGMA cache_size = -2000"]),
            Self::Postgres => (&["SET LOCAL maintenance_work_mem = '256MB'"], &[]),
        }
    }

    /// The distinct keys of the JSON objects in `column` of `table`'s rows matching `condition`.
    pub(crate) fn json_keys(self, column: &str, table: &str, condition: &str) -> String {
        match self {
            Self::Sqlite => format!("SELECT DISTINCT j.key FROM {table} t, json_each(t.{column}) j WHERE {condition}"),
            Self::Postgres => {
                format!("SELECT DISTINCT jsonb_object_keys(CAST({column} AS jsonb)) FROM {table} WHERE {condition}")
            }
        }
    }

    /// An aggregate making the rows of a query one text value: a JSON array holding, per row, the array of
    /// `columns` (text or NULL); `[]` for no rows. SQLite hands a row's every value from its thread to the caller's
    /// with an allocation and a lock each, so a page of a thousand records of twenty-five columns goes much faster
    /// as one value.
    pub(crate) fn json_rows(self, columns: &str) -> String {
        match self {
            Self::Sqlite => format!("json_group_array(json_array({columns}))"),
            Self::Postgres => format!("CAST(COALESCE(json_agg(json_build_array({columns})), '[]') AS TEXT)"),
        }
    }

    /// An aggregate making one column of a query's rows one text value: a JSON array of `expr` in `order`, `[]` for
    /// no rows.
    pub(crate) fn json_list(self, expr: &str, order: &str) -> String {
        match self {
            Self::Sqlite => format!("json_group_array({expr} ORDER BY {order})"),
            Self::Postgres => format!("CAST(COALESCE(json_agg({expr} ORDER BY {order}), '[]') AS TEXT)"),
        }
    }

    /// `expr` is one of the strings of a JSON array bound as the next `?`: a list of any length as one parameter
    /// (SQLite would parse a statement of hundreds of parameters again for each new set of values).
    pub(crate) fn in_json_list(self, expr: &str) -> String {
        match self {
            Self::Sqlite => format!("{expr} IN (SELECT value FROM json_each(?))"),
            Self::Postgres => format!("{expr} IN (SELECT json_array_elements_text(CAST(? AS json)))"),
        }
    }

    /// The text of one key of the JSON object in `column`, the key bound as the next `?`, and that key's argument.
    pub(crate) fn json_key(self, column: &str, key: &str) -> (String, String) {
        match self {
            Self::Sqlite => (format!("json_extract({column}, ?)"), format!("$.\"{key}\"")),
            Self::Postgres => (format!("(CAST({column} AS jsonb) ->> CAST(? AS TEXT))"), key.to_owned()),
        }
    }

    /// The SQL condition matching products against search parameter `$n`.
    pub(crate) fn product_search(self, n: usize) -> String {
        match self {
            Self::Sqlite => format!("p.id IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ${n})"),
            Self::Postgres => format!("to_tsvector('simple', p.search_text) @@ to_tsquery('simple', ${n})"),
        }
    }

    /// Turns what a person typed into a prefix query every word of which must match.
    pub(crate) fn search_terms(self, text: &str) -> Option<String> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(8)
            .map(|w| w.to_lowercase())
            .collect();
        if words.is_empty() {
            return None;
        }
        Some(match self {
            Self::Sqlite => words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" "),
            Self::Postgres => words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & "),
        })
    }
}

/// The URL with any password replaced by `***`, fit to print or log.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend() {
        assert_eq!(Backend::from_url("sqlite:steward.db").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::from_url("postgres://u@h/db").unwrap(), Backend::Postgres);
        assert!(Backend::from_url("mysql://x").is_err());
        assert_eq!(Backend::Sqlite.connect_url("sqlite:a.db"), "sqlite:a.db?mode=rwc");
        assert_eq!((Backend::Sqlite.param(7), Backend::Postgres.param(7)), ("?".to_owned(), "$7".to_owned()));
        assert_eq!(Backend::Postgres.value_rows(2, 2), "($1, $2), ($3, $4)");
        assert_eq!(Backend::Sqlite.value_rows(1, 3), "(?, ?, ?)");
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact_url("postgres://app:s3cret@db:5432/steward"), "postgres://app:***@db:5432/steward");
        assert_eq!(redact_url("postgres://app@db/steward"), "postgres://app@db/steward");
        assert_eq!(redact_url("sqlite:steward.db"), "sqlite:steward.db");
    }

    #[test]
    fn search_terms_are_sanitized() {
        assert_eq!(Backend::Sqlite.search_terms("Math \"OR\" -x").unwrap(), "\"math\"* \"or\"* \"x\"*");
        assert_eq!(Backend::Postgres.search_terms("read it!").unwrap(), "read:* & it:*");
        assert_eq!(Backend::Postgres.search_terms("!!"), None);
    }
}
