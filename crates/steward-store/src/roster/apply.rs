//! Applying a read package to the roster: whole or not at all, idempotent, bulk and delta as OneRoster says.
//!
//! One write transaction holds the whole import, so a failure or a killed process leaves the previous roster as it
//! was. A bulk file is the full set: its records become `active` (re-activating any marked `tobedeleted`) and
//! records it no longer lists are marked `tobedeleted` at the import's time. A delta row applies only when its
//! `dateLastModified` is not older than the stored one. A row whose values equal the stored ones is left alone, so
//! importing the same files twice changes nothing, not even `dateLastModified`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use steward_interop::oneroster::{Mode, Record, Status};
use steward_interop::{Problem, Severity};

use super::{columns, table, Column};
use crate::audit::{self, Change};
use crate::{now, timestamp, Actor, Result, Store, StoreError};

/// Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMS: usize = 30_000;

/// One file of an import: its mode, how many data rows it had, and the records read from it.
#[derive(Debug, Clone, Copy)]
pub struct RosterTable<'a> {
    pub file: &'a str,
    pub mode: Mode,
    pub rows: u64,
    pub records: &'a [Record],
}

/// What an import brings: where it came from, what was read, and every problem found.
#[derive(Debug, Clone)]
pub struct RosterImport<'a> {
    /// A path or an uploaded file's name.
    pub source: &'a str,
    /// `1.1` or `1.2`; `None` when the manifest could not be read.
    pub version: Option<&'a str>,
    pub strict: bool,
    pub tables: Vec<RosterTable<'a>>,
    pub problems: &'a [Problem],
    pub error_count: u64,
    pub warning_count: u64,
    /// Per file, problems found beyond the reader's cap (counted, not listed).
    pub suppressed: &'a BTreeMap<String, u64>,
}

/// What an import did to one file's records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileOutcome {
    pub file: String,
    /// `bulk` or `delta`.
    pub mode: String,
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Records marked `tobedeleted`: missing from a bulk file, or so marked by a delta.
    pub deleted: u64,
    /// Problems in this file beyond those listed.
    #[serde(default)]
    pub problems_not_listed: u64,
}

impl Store {
    /// Applies an import without errors, records it in the history and the audit log, and returns its history id
    /// and what it did per file. `progress` hears (file, records applied so far) as the import goes.
    pub async fn apply_roster(
        &self,
        actor: &Actor,
        import: &RosterImport<'_>,
        progress: &mut (dyn FnMut(&str, u64) + Send),
    ) -> Result<(i64, Vec<FileOutcome>)> {
        if import.error_count > 0 {
            return Err(StoreError::invalid("import", "an import with errors cannot be applied"));
        }
        let started = now();
        let mut tx = self.begin_write().await?;
        let mut outcomes = Vec::new();
        for t in ordered(&import.tables) {
            let mut outcome = apply_table(&mut tx, t, &started, progress).await?;
            outcome.problems_not_listed = import.suppressed.get(&format!("{}.csv", t.file)).copied().unwrap_or(0);
            outcomes.push(outcome);
        }
        let id = record_import(&mut tx, actor, import, &started, "applied", &outcomes).await?;
        let summary = summary(import.source, &outcomes);
        let after = serde_json::to_value(&outcomes).ok();
        audit::record(
            &mut tx,
            actor,
            Change { action: "import", entity: "roster", entity_id: id, summary, before: None, after },
        )
        .await?;
        tx.commit().await?;
        Ok((id, outcomes))
    }

    /// Records an import that was refused for its errors: nothing in the roster changes.
    pub async fn record_rejected_roster_import(&self, actor: &Actor, import: &RosterImport<'_>) -> Result<i64> {
        let started = now();
        let outcomes: Vec<FileOutcome> = ordered(&import.tables)
            .map(|t| FileOutcome {
                file: t.file.to_owned(),
                mode: mode_name(t.mode).to_owned(),
                rows: t.rows,
                problems_not_listed: import.suppressed.get(&format!("{}.csv", t.file)).copied().unwrap_or(0),
                ..FileOutcome::default()
            })
            .collect();
        let mut tx = self.begin_write().await?;
        let id = record_import(&mut tx, actor, import, &started, "rejected", &outcomes).await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// The tables in the order referenced files come first, so progress reads naturally.
fn ordered<'a, 'b>(tables: &'b [RosterTable<'a>]) -> impl Iterator<Item = &'b RosterTable<'a>> {
    super::files().into_iter().filter_map(move |f| tables.iter().find(|t| t.file == f))
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Bulk => "bulk",
        Mode::Delta => "delta",
        Mode::Absent => "absent",
    }
}

fn summary(source: &str, outcomes: &[FileOutcome]) -> String {
    let sum = |f: fn(&FileOutcome) -> u64| outcomes.iter().map(f).sum::<u64>();
    format!(
        "OneRoster import from {source}: {} inserted, {} updated, {} marked tobedeleted",
        sum(|o| o.inserted),
        sum(|o| o.updated),
        sum(|o| o.deleted)
    )
}

async fn count(conn: &mut AnyConnection, table: &str) -> Result<u64> {
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(conn).await?;
    Ok(n as u64)
}

async fn apply_table(
    conn: &mut AnyConnection,
    t: &RosterTable<'_>,
    started: &str,
    progress: &mut (dyn FnMut(&str, u64) + Send),
) -> Result<FileOutcome> {
    let name =
        table(t.file).ok_or_else(|| StoreError::invalid("file", format!("{} is not a OneRoster file", t.file)))?;
    let cols = columns(t.file);
    let before = count(&mut *conn, &name).await?;
    let (mut affected, mut deleted, mut done, mut inserted) = (0u64, 0u64, 0u64, 0u64);
    let per_row = cols.len() + 4;
    let batch = (MAX_PARAMS / per_row).max(1);
    // Active rows carry their values; a delta's tobedeleted rows only change the state of what is stored.
    let (live, gone): (Vec<&Record>, Vec<&Record>) =
        t.records.iter().partition(|r| r.status != Some(Status::ToBeDeleted));
    for (rows, deleting) in [(live, false), (gone, true)] {
        let mut sql_cache: Option<(usize, String)> = None;
        for chunk in rows.chunks(batch) {
            let sql = match &sql_cache {
                Some((n, sql)) if *n == chunk.len() => sql.clone(),
                _ => {
                    let sql = upsert_sql(&name, &cols, chunk.len(), t.mode, deleting);
                    sql_cache = Some((chunk.len(), sql.clone()));
                    sql
                }
            };
            let mut q = sqlx::query(&sql);
            for r in chunk {
                let (status, dlm) = match t.mode {
                    Mode::Delta => (
                        if deleting { "tobedeleted" } else { "active" },
                        r.date_last_modified.map(timestamp).unwrap_or_else(|| started.to_owned()),
                    ),
                    _ => ("active", started.to_owned()),
                };
                q = q.bind(r.sourced_id.clone()).bind(status).bind(dlm);
                for c in &cols {
                    q = q.bind(r.values.get(c.at).cloned().flatten());
                }
                let ext = (!r.extensions.is_empty()).then(|| serde_json::to_string(&r.extensions).unwrap_or_default());
                q = q.bind(ext);
            }
            let n = q.execute(&mut *conn).await?.rows_affected();
            if deleting {
                deleted += n;
            } else {
                affected += n;
            }
            done += chunk.len() as u64;
            progress(t.file, done);
        }
        if !deleting {
            inserted = count(&mut *conn, &name).await? - before;
        }
    }
    let deleted_by_rows = deleted;
    if t.mode == Mode::Bulk {
        deleted += mark_missing(conn, &name, t.records, started).await?;
    }
    let changed_by_rows = affected + deleted_by_rows;
    Ok(FileOutcome {
        file: t.file.to_owned(),
        mode: mode_name(t.mode).to_owned(),
        rows: t.rows,
        inserted,
        updated: affected - inserted,
        unchanged: (t.records.len() as u64).saturating_sub(changed_by_rows),
        deleted,
        problems_not_listed: 0,
    })
}

/// `INSERT … ON CONFLICT DO UPDATE` for `rows` records, updating only what differs.
fn upsert_sql(table: &str, cols: &[Column], rows: usize, mode: Mode, deleting: bool) -> String {
    let names: Vec<&str> = ["sourced_id", "status", "date_last_modified"]
        .into_iter()
        .chain(cols.iter().map(|c| c.sql.as_str()))
        .chain(["extensions"])
        .collect();
    let width = names.len();
    let values: Vec<String> = (0..rows)
        .map(|r| {
            let params: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", params.join(", "))
        })
        .collect();
    let newer = if mode == Mode::Delta {
        format!(" AND {table}.date_last_modified <= excluded.date_last_modified")
    } else {
        String::new()
    };
    let (set, changed) = if deleting {
        (
            "status = excluded.status, date_last_modified = excluded.date_last_modified".to_owned(),
            format!("{table}.status <> 'tobedeleted'"),
        )
    } else {
        let set: Vec<String> = names[1..].iter().map(|c| format!("{c} = excluded.{c}")).collect();
        let differs: Vec<String> = names[1..]
            .iter()
            .filter(|c| **c != "date_last_modified")
            .map(|c| format!("{table}.{c} IS DISTINCT FROM excluded.{c}"))
            .collect();
        (set.join(", "), format!("({})", differs.join(" OR ")))
    };
    format!(
        "INSERT INTO {table} ({}) VALUES {} ON CONFLICT (sourced_id) DO UPDATE SET {set} WHERE {changed}{newer}",
        names.join(", "),
        values.join(", ")
    )
}

/// Marks `tobedeleted` the active records a bulk file no longer lists; returns how many.
async fn mark_missing(conn: &mut AnyConnection, table: &str, records: &[Record], at: &str) -> Result<u64> {
    let mut listed: Vec<&str> = records.iter().map(|r| r.sourced_id.as_str()).collect();
    listed.sort_unstable();
    let active: Vec<String> = sqlx::query_scalar(&format!("SELECT sourced_id FROM {table} WHERE status = 'active'"))
        .fetch_all(&mut *conn)
        .await?;
    let missing: Vec<String> = active.into_iter().filter(|id| listed.binary_search(&id.as_str()).is_err()).collect();
    let mut marked = 0;
    for chunk in missing.chunks(1_000) {
        let params: Vec<String> = (2..chunk.len() + 2).map(|n| format!("${n}")).collect();
        let sql = format!(
            "UPDATE {table} SET status = 'tobedeleted', date_last_modified = $1 WHERE sourced_id IN ({})",
            params.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(at.to_owned());
        for id in chunk {
            q = q.bind(id.clone());
        }
        marked += q.execute(&mut *conn).await?.rows_affected();
    }
    Ok(marked)
}

/// Writes the history row and the listed problems on the caller's transaction.
async fn record_import(
    conn: &mut AnyConnection,
    actor: &Actor,
    import: &RosterImport<'_>,
    started: &str,
    outcome: &str,
    files: &[FileOutcome],
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO roster_imports (started_at, finished_at, user_id, actor, source, oneroster_version, strictness, \
         outcome, error_count, warning_count, files) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(started.to_owned())
    .bind(now())
    .bind(actor.user_id)
    .bind(actor.label.clone())
    .bind(import.source.to_owned())
    .bind(import.version.map(str::to_owned))
    .bind(if import.strict { "strict" } else { "lenient" })
    .bind(outcome.to_owned())
    .bind(import.error_count as i64)
    .bind(import.warning_count as i64)
    .bind(serde_json::to_string(files).unwrap_or_else(|_| "[]".into()))
    .fetch_one(&mut *conn)
    .await?;
    const WIDTH: usize = 8;
    for (chunk_no, chunk) in import.problems.chunks(MAX_PARAMS / WIDTH).enumerate() {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| format!("({})", (1..=WIDTH).map(|c| format!("${}", r * WIDTH + c)).collect::<Vec<_>>().join(", ")))
            .collect();
        let sql = format!(
            "INSERT INTO roster_import_problems (import_id, seq, file, line, column_name, value, rule, severity) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (i, p) in chunk.iter().enumerate() {
            let seq = (chunk_no * (MAX_PARAMS / WIDTH) + i) as i64;
            q = q
                .bind(id)
                .bind(seq)
                .bind(p.file.clone())
                .bind(p.line.map(|l| l as i64))
                .bind(p.column.clone())
                .bind(p.value.clone())
                .bind(p.rule.clone())
                .bind(if p.severity == Severity::Error { "error" } else { "warning" });
        }
        q.execute(&mut *conn).await?;
    }
    Ok(id)
}
