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
use steward_interop::oneroster::{Mode, Record};
use steward_interop::{Problem, Severity};

use crate::sql::MAX_PARAMS;
use crate::{now, Actor, Result, Store, StoreError};

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
        let mut writer = self.begin_roster_import().await?;
        for t in ordered(&import.tables) {
            let mut done = 0;
            for batch in t.records.chunks(5_000) {
                writer.write(t.file, t.mode, batch.to_vec()).await?;
                done += batch.len() as u64;
                progress(t.file, done);
            }
            writer.finish_file(t.file, t.mode).await?;
        }
        writer.commit(actor, import).await
    }

    /// Records an import that was refused for its errors: nothing in the roster changes.
    pub async fn record_rejected_roster_import(&self, actor: &Actor, import: &RosterImport<'_>) -> Result<i64> {
        let started = now();
        let outcomes: Vec<FileOutcome> = ordered(&import.tables)
            .map(|t| FileOutcome {
                file: t.file.to_owned(),
                mode: mode_name(t.mode).to_owned(),
                rows: t.rows,
                problems_not_listed: not_listed(import, t.file),
                ..FileOutcome::default()
            })
            .collect();
        let mut tx = self.begin_write().await?;
        let id = record_import(&mut tx, self.backend, actor, import, &started, "rejected", &outcomes).await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// Problems of `file` counted beyond those listed.
pub(super) fn not_listed(import: &RosterImport<'_>, file: &str) -> u64 {
    import.suppressed.get(&format!("{file}.csv")).copied().unwrap_or(0)
}

/// The tables in the order referenced files come first, so progress reads naturally.
fn ordered<'a, 'b>(tables: &'b [RosterTable<'a>]) -> impl Iterator<Item = &'b RosterTable<'a>> {
    super::files().into_iter().filter_map(move |f| tables.iter().find(|t| t.file == f))
}

pub(super) fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Bulk => "bulk",
        Mode::Delta => "delta",
        Mode::Absent => "absent",
    }
}

/// Writes the history row and the listed problems on the caller's transaction.
pub(super) async fn record_import(
    conn: &mut AnyConnection,
    backend: crate::Backend,
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
        let sql = format!(
            "INSERT INTO roster_import_problems (import_id, seq, file, line, column_name, value, rule, severity) VALUES {}",
            backend.value_rows(chunk.len(), WIDTH)
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
