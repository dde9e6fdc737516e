//! Writing one import's records, batch by batch, inside one transaction that commits only when the import is whole.
//!
//! A bulk file is the full set: its records become `active` (re-activating any marked `tobedeleted`) and records
//! it no longer lists are marked `tobedeleted` at the import's time when the file is finished. A delta row applies
//! only when its `dateLastModified` is not older than the stored one. A row whose values equal the stored ones is
//! left alone, so importing the same files twice changes nothing, not even `dateLastModified`. Dropping the writer
//! without [`RosterWriter::commit`] rolls everything back, as does a killed process.

use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};

use sqlx::{Any, AnyConnection, Transaction};
use steward_interop::oneroster::{Mode, Record, Status};

use super::apply::{mode_name, not_listed, record_import, FileOutcome, RosterImport};
use super::upsert::{self, upsert_sql, Set, Stored};
use super::{columns, table, Column};
use crate::audit::{self, Change};
use crate::{now, timestamp, Actor, Backend, Result, Store, StoreError};

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
    /// The table was empty when the file started: no record of it can be stored already.
    fresh: bool,
    /// The data columns its secondary indexes name.
    indexed: Vec<String>,
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
    pub async fn write(&mut self, file: &str, mode: Mode, records: Vec<Record>) -> Result<()> {
        let name = table_of(file)?;
        if !self.files.contains_key(file) {
            let state = self.open_file(&name, mode).await?;
            self.files.insert(file.to_owned(), state);
        }
        let state = self.files.get_mut(file).unwrap_or_else(|| unreachable!("inserted above"));
        if state.outcome.is_some() {
            return Err(StoreError::invalid("file", format!("{file} was already finished in this import")));
        }
        // Into an empty table, a bulk file's records are all there is: none can be missing from it.
        if mode == Mode::Bulk && !state.fresh {
            state.listed.extend(records.iter().map(|r| fingerprint(&r.sourced_id)));
        }
        state.records += records.len() as u64;
        let cols = columns(file);
        let batch = (crate::sql::MAX_PARAMS / (cols.len() + 5)).max(1);
        // Active rows carry their values; a delta's tobedeleted rows change only the state of what is stored.
        let (live, gone): (Vec<Record>, Vec<Record>) =
            records.into_iter().partition(|r| r.status != Some(Status::ToBeDeleted));
        for (mut rows, deleting) in [(live, false), (gone, true)] {
            while !rows.is_empty() {
                let rest = rows.split_off(batch.min(rows.len()));
                let chunk = std::mem::replace(&mut rows, rest);
                let stored = if state.fresh {
                    Stored::none()
                } else {
                    upsert::stored(&mut self.tx, self.backend, &name, &cols, &state.indexed, &chunk).await?
                };
                state.inserted += chunk.iter().filter(|r| !stored.contains(&r.sourced_id)).count() as u64;
                // Rows whose indexed values are unchanged leave those columns (and so the indexes) alone.
                let (narrow, full): (Vec<Record>, Vec<Record>) =
                    chunk.into_iter().partition(|r| !deleting && stored.same_keys(&r.sourced_id));
                let parts = if deleting {
                    [(full, Set::State), (Vec::new(), Set::All)]
                } else {
                    [(full, Set::All), (narrow, Set::AllBut(&state.indexed))]
                };
                for (part, set) in parts {
                    if part.is_empty() {
                        continue;
                    }
                    let at = Upsert { table: &name, cols: &cols, mode, set, deleting, started: &self.started };
                    let n = at.run(&mut self.tx, self.backend, part).await?;
                    if deleting {
                        state.deleted += n;
                    } else {
                        state.affected += n;
                    }
                }
            }
        }
        Ok(())
    }

    /// Starts writing `table` in this import: notes whether it is empty (then nothing can conflict) and, for a bulk
    /// file into an empty table, drops its secondary indexes until the file is written.
    async fn open_file(&mut self, table: &str, mode: Mode) -> Result<FileState> {
        let any: Option<String> = sqlx::query_scalar(&format!("SELECT sourced_id FROM {table} LIMIT 1"))
            .fetch_optional(&mut *self.tx)
            .await?;
        let fresh = any.is_none();
        let indexed = upsert::indexed_columns(&mut self.tx, self.backend, table).await?;
        let dropped = if fresh && mode == Mode::Bulk { self.drop_indexes(table).await? } else { Vec::new() };
        Ok(FileState { fresh, indexed, dropped, ..FileState::default() })
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
        if mode == Mode::Bulk && !state.fresh {
            deleted += upsert::mark_missing(&mut self.tx, &name, &state.listed, fingerprint, &self.started).await?;
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

    /// Drops the secondary indexes of `table`, returning them to be created again once it is loaded (in the same
    /// transaction, so a failed import leaves them as they were).
    async fn drop_indexes(&mut self, table: &str) -> Result<Vec<(String, String)>> {
        let indexes: Vec<(String, String)> =
            sqlx::query_as(self.backend.secondary_indexes()).bind(table).fetch_all(&mut *self.tx).await?;
        for (name, _) in &indexes {
            sqlx::query(&format!("DROP INDEX {name}")).execute(&mut *self.tx).await?;
        }
        Ok(indexes)
    }
}

/// One upsert statement's shape; see [`upsert_sql`].
struct Upsert<'a> {
    table: &'a str,
    cols: &'a [Column],
    mode: Mode,
    set: Set<'a>,
    deleting: bool,
    /// The import's time: `dateLastModified` of bulk rows.
    started: &'a str,
}

impl Upsert<'_> {
    /// Runs the upsert for `rows`, moving their values into the statement; returns the rows it changed.
    async fn run(&self, conn: &mut AnyConnection, backend: Backend, rows: Vec<Record>) -> Result<u64> {
        let sql = upsert_sql(backend, self.table, self.cols, rows.len(), self.mode, self.set);
        let mut q = sqlx::query(&sql);
        for mut r in rows {
            let (status, source) = match self.mode {
                Mode::Delta => {
                    (if self.deleting { "tobedeleted" } else { "active" }, r.date_last_modified.map(timestamp))
                }
                _ => ("active", None),
            };
            let dlm = source.clone().unwrap_or_else(|| self.started.to_owned());
            let ext = (!r.extensions.is_empty()).then(|| serde_json::to_string(&r.extensions).unwrap_or_default());
            q = q.bind(std::mem::take(&mut r.sourced_id)).bind(status).bind(dlm).bind(source);
            for c in self.cols {
                q = q.bind(r.values.get_mut(c.at).and_then(Option::take));
            }
            q = q.bind(ext);
        }
        Ok(q.execute(conn).await?.rows_affected())
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
