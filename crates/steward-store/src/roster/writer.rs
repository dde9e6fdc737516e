//! Writing one import's records, batch by batch, inside one transaction that commits only when the import is whole.
//!
//! A bulk file is the full set: its records become `active` (re-activating any marked `tobedeleted`) and records
//! it no longer lists are marked `tobedeleted` at the import's time when the file is finished. A delta row applies
//! only when its `dateLastModified` is not older than the stored one. A row whose values equal the stored ones is
//! left alone, so importing the same files twice changes nothing, not even `dateLastModified`. Dropping the writer
//! without [`RosterWriter::commit`] rolls everything back, as does a killed process.

use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};

use futures_util::TryStreamExt;
use sqlx::{Any, AnyConnection, Transaction};
use steward_interop::oneroster::{Mode, Record, Status};

use super::apply::{mode_name, not_listed, record_import, FileOutcome, RosterImport};
use super::{columns, table, Column};
use crate::audit::{self, Change};
use crate::{now, timestamp, Actor, Backend, Result, Store, StoreError};

/// Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535.
pub(super) const MAX_PARAMS: usize = 30_000;

/// An import being written; see the module documentation.
pub struct RosterWriter {
    tx: Transaction<'static, Any>,
    backend: Backend,
    started: String,
    files: BTreeMap<String, FileState>,
}

/// What has been written of one file so far.
#[derive(Default)]
struct FileState {
    records: u64,
    /// Inserted (sourcedIds not in the table before their batch).
    inserted: u64,
    /// Secondary indexes dropped while an empty table loads, as (name, statement to create it again).
    dropped: Vec<(String, String)>,
    /// Inserted or updated by active rows.
    affected: u64,
    deleted: u64,
    /// Fingerprints of the sourcedIds a bulk file listed (16 bytes each, whatever the id's length).
    listed: HashSet<u128>,
    outcome: Option<FileOutcome>,
}

/// A 128-bit fingerprint of a sourcedId: two SipHash-1-3 digests with different fixed keys. The odds that two of
/// ten million distinct ids share one are about 10⁻²⁵.
fn fingerprint(id: &str) -> u128 {
    let digest = |salt: u8| {
        let mut h = std::hash::DefaultHasher::new();
        salt.hash(&mut h);
        id.hash(&mut h);
        h.finish()
    };
    (u128::from(digest(1)) << 64) | u128::from(digest(2))
}

impl Store {
    /// Starts writing an import; nothing is visible to others until [`RosterWriter::commit`].
    pub async fn begin_roster_import(&self) -> Result<RosterWriter> {
        let mut tx = self.begin_write().await?;
        for stmt in self.backend.bulk_session().0 {
            sqlx::query(stmt).execute(&mut *tx).await?;
        }
        Ok(RosterWriter { tx, backend: self.backend, started: now(), files: BTreeMap::new() })
    }
}

impl RosterWriter {
    /// Writes a batch of `file`'s records.
    pub async fn write(&mut self, file: &str, mode: Mode, records: &[Record]) -> Result<()> {
        let name = table_of(file)?;
        if !self.files.contains_key(file) {
            let dropped = if mode == Mode::Bulk { self.drop_indexes_if_empty(&name).await? } else { Vec::new() };
            self.files.insert(file.to_owned(), FileState { dropped, ..FileState::default() });
        }
        let state = self.files.get_mut(file).unwrap_or_else(|| unreachable!("inserted above"));
        if state.outcome.is_some() {
            return Err(StoreError::invalid("file", format!("{file} was already finished in this import")));
        }
        let cols = columns(file);
        let batch = (MAX_PARAMS / (cols.len() + 5)).max(1);
        // Active rows carry their values; a delta's tobedeleted rows change only the state of what is stored.
        let (live, gone): (Vec<&Record>, Vec<&Record>) =
            records.iter().partition(|r| r.status != Some(Status::ToBeDeleted));
        for (rows, deleting) in [(live, false), (gone, true)] {
            for chunk in rows.chunks(batch) {
                let present = present(&mut self.tx, self.backend, &name, chunk).await?;
                state.inserted += chunk.len() as u64 - present;
                let sql = upsert_sql(self.backend, &name, &cols, chunk.len(), mode, deleting);
                let mut q = sqlx::query(&sql);
                for r in chunk {
                    let (status, source) = match mode {
                        Mode::Delta => {
                            (if deleting { "tobedeleted" } else { "active" }, r.date_last_modified.map(timestamp))
                        }
                        _ => ("active", None),
                    };
                    let dlm = source.clone().unwrap_or_else(|| self.started.clone());
                    q = q.bind(r.sourced_id.clone()).bind(status).bind(dlm).bind(source);
                    for c in &cols {
                        q = q.bind(r.values.get(c.at).cloned().flatten());
                    }
                    let ext =
                        (!r.extensions.is_empty()).then(|| serde_json::to_string(&r.extensions).unwrap_or_default());
                    q = q.bind(ext);
                }
                let n = q.execute(&mut *self.tx).await?.rows_affected();
                if deleting {
                    state.deleted += n;
                } else {
                    state.affected += n;
                }
            }
        }
        if mode == Mode::Bulk {
            state.listed.extend(records.iter().map(|r| fingerprint(&r.sourced_id)));
        }
        state.records += records.len() as u64;
        Ok(())
    }

    /// Finishes `file`: a bulk file's missing records are marked `tobedeleted`, and its outcome is counted.
    pub async fn finish_file(&mut self, file: &str, mode: Mode) -> Result<()> {
        let name = table_of(file)?;
        // A file with no clean records (only possible in a delta) has written nothing.
        let state = self.files.entry(file.to_owned()).or_default();
        for (_, create) in std::mem::take(&mut state.dropped) {
            sqlx::query(&create).execute(&mut *self.tx).await?;
        }
        let inserted = state.inserted;
        let by_rows = state.affected + state.deleted;
        let mut deleted = state.deleted;
        if mode == Mode::Bulk {
            deleted += mark_missing(&mut self.tx, &name, &state.listed, &self.started).await?;
            state.listed = HashSet::new();
        }
        state.outcome = Some(FileOutcome {
            file: file.to_owned(),
            mode: mode_name(mode).to_owned(),
            rows: state.records,
            inserted,
            updated: state.affected.saturating_sub(inserted),
            unchanged: state.records.saturating_sub(by_rows),
            deleted,
            problems_not_listed: 0,
        });
        Ok(())
    }

    /// Records the import in the history and the audit log and commits it whole; returns its history id and what
    /// it did per file. `import` says where it came from and what problems (warnings only) it had.
    pub async fn commit(mut self, actor: &Actor, import: &RosterImport<'_>) -> Result<(i64, Vec<FileOutcome>)> {
        if import.error_count > 0 {
            return Err(StoreError::invalid("import", "an import with errors cannot be applied"));
        }
        let mut outcomes = Vec::new();
        for file in super::files() {
            if let Some(mut outcome) = self.files.get(file).and_then(|s| s.outcome.clone()) {
                outcome.problems_not_listed = not_listed(import, file);
                outcomes.push(outcome);
            } else if self.files.contains_key(file) {
                return Err(StoreError::invalid("file", format!("{file} was written but not finished")));
            }
        }
        if self.files.contains_key("orgs") {
            super::orgs_sync::sync(&mut self.tx, actor).await?;
        }
        let id = record_import(&mut self.tx, self.backend, actor, import, &self.started, "applied", &outcomes).await?;
        let summary = summary(import.source, &outcomes);
        let after = serde_json::to_value(&outcomes).ok();
        let change = Change { action: "import", entity: "roster", entity_id: id, summary, before: None, after };
        audit::record(&mut self.tx, actor, change).await?;
        for stmt in self.backend.bulk_session().1 {
            sqlx::query(stmt).execute(&mut *self.tx).await?;
        }
        self.tx.commit().await?;
        Ok((id, outcomes))
    }

    /// Abandons the import: everything written is rolled back.
    pub async fn roll_back(mut self) -> Result<()> {
        for stmt in self.backend.bulk_session().1 {
            sqlx::query(stmt).execute(&mut *self.tx).await?;
        }
        Ok(self.tx.rollback().await?)
    }

    /// Drops the secondary indexes of `table` when it is empty, returning them to be created again once it is
    /// loaded (in the same transaction, so a failed import leaves them as they were).
    async fn drop_indexes_if_empty(&mut self, table: &str) -> Result<Vec<(String, String)>> {
        let any: Option<String> = sqlx::query_scalar(&format!("SELECT sourced_id FROM {table} LIMIT 1"))
            .fetch_optional(&mut *self.tx)
            .await?;
        if any.is_some() {
            return Ok(Vec::new());
        }
        let indexes: Vec<(String, String)> =
            sqlx::query_as(self.backend.secondary_indexes()).bind(table).fetch_all(&mut *self.tx).await?;
        for (name, _) in &indexes {
            sqlx::query(&format!("DROP INDEX {name}")).execute(&mut *self.tx).await?;
        }
        Ok(indexes)
    }
}

fn table_of(file: &str) -> Result<String> {
    table(file).ok_or_else(|| StoreError::invalid("file", format!("{file} is not a OneRoster file")))
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

/// How many of the records' sourcedIds `table` holds already.
async fn present(conn: &mut AnyConnection, backend: Backend, table: &str, records: &[&Record]) -> Result<u64> {
    let params: Vec<String> = (1..=records.len()).map(|n| backend.param(n)).collect();
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE sourced_id IN ({})", params.join(", "));
    let mut q = sqlx::query_scalar::<_, i64>(&sql);
    for r in records {
        q = q.bind(r.sourced_id.clone());
    }
    Ok(q.fetch_one(conn).await? as u64)
}

fn upsert_sql(backend: Backend, table: &str, cols: &[Column], rows: usize, mode: Mode, deleting: bool) -> String {
    let names: Vec<&str> = ["sourced_id", "status", "date_last_modified", "source_modified"]
        .into_iter()
        .chain(cols.iter().map(|c| c.sql.as_str()))
        .chain(["extensions"])
        .collect();
    let width = names.len();
    let values: Vec<String> = (0..rows)
        .map(|r| {
            let params: Vec<String> = (1..=width).map(|c| backend.param(r * width + c)).collect();
            format!("({})", params.join(", "))
        })
        .collect();
    // A delta row is measured against the last delta row applied (the SIS's clock), not against a bulk import's time.
    let newer = if mode == Mode::Delta {
        format!(" AND ({table}.source_modified IS NULL OR {table}.source_modified <= excluded.source_modified)")
    } else {
        String::new()
    };
    let (set, changed) = if deleting {
        (
            "status = excluded.status, date_last_modified = excluded.date_last_modified, \
             source_modified = excluded.source_modified"
                .to_owned(),
            format!("{table}.status <> 'tobedeleted'"),
        )
    } else {
        let set: Vec<String> = names[1..].iter().map(|c| format!("{c} = excluded.{c}")).collect();
        let differs: Vec<String> = names[1..]
            .iter()
            .filter(|c| !matches!(**c, "date_last_modified" | "source_modified"))
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
async fn mark_missing(conn: &mut AnyConnection, table: &str, listed: &HashSet<u128>, at: &str) -> Result<u64> {
    let sql = format!("SELECT sourced_id FROM {table} WHERE status = 'active'");
    let mut missing = Vec::new();
    {
        let mut active = sqlx::query_scalar::<_, String>(&sql).fetch(&mut *conn);
        while let Some(id) = active.try_next().await? {
            if !listed.contains(&fingerprint(&id)) {
                missing.push(id);
            }
        }
    }
    let mut marked = 0;
    for chunk in missing.chunks(1_000) {
        let params: Vec<String> = (2..chunk.len() + 2).map(|n| format!("${n}")).collect();
        let sql = format!(
            "UPDATE {table} SET status = 'tobedeleted', date_last_modified = $1, source_modified = NULL \
             WHERE sourced_id IN ({})",
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
