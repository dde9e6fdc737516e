//! The statements an import writes with: what a batch's sourcedIds hold already, the upsert, and the marking of
//! records a bulk file no longer lists.
//!
//! An update rewrites every index whose columns its `SET` names, whether or not a value changed, and on a large
//! roster those are random pages each. So a row whose indexed values are unchanged is written with a `SET` of the
//! other columns only: a 1% delta then touches the table's pages, not every index's.

use std::collections::{HashMap, HashSet};

use futures_util::TryStreamExt;
use sqlx::AnyConnection;
use steward_interop::oneroster::{Mode, Record};

use super::Column;
use crate::{Backend, Result};

/// What a table holds of a batch's sourcedIds: for each one present, whether its indexed values equal the record's.
pub(super) struct Stored(HashMap<String, bool>);

impl Stored {
    /// Nothing stored: the table was empty when its file started.
    pub fn none() -> Self {
        Stored(HashMap::new())
    }

    pub fn contains(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    /// Present, with every indexed value as the record has it.
    pub fn same_keys(&self, id: &str) -> bool {
        self.0.get(id).copied().unwrap_or(false)
    }
}

/// The data columns of `table` that a secondary index names (as SQL names, matching [`Column::sql`]).
pub(super) async fn indexed_columns(conn: &mut AnyConnection, backend: Backend, table: &str) -> Result<Vec<String>> {
    let names: Vec<String> = sqlx::query_scalar(backend.indexed_columns()).bind(table).fetch_all(conn).await?;
    Ok(names.into_iter().map(|n| if n == "primary" { "\"primary\"".to_owned() } else { n }).collect())
}

/// What `table` holds of `records`, comparing the `indexed` columns.
pub(super) async fn stored(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
    cols: &[Column],
    indexed: &[String],
    records: &[Record],
) -> Result<Stored> {
    let keyed: Vec<&Column> = cols.iter().filter(|c| indexed.contains(&c.sql)).collect();
    let select: Vec<String> =
        keyed.iter().enumerate().map(|(i, c)| format!("{} AS k{i}", c.sql)).chain(["sourced_id".into()]).collect();
    let params: Vec<String> = (1..=records.len()).map(|n| backend.param(n)).collect();
    let sql = format!("SELECT {} FROM {table} WHERE sourced_id IN ({})", select.join(", "), params.join(", "));
    let mut q = sqlx::query(&sql);
    for r in records {
        q = q.bind(r.sourced_id.clone());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let by_id: HashMap<&str, &Record> = records.iter().map(|r| (r.sourced_id.as_str(), r)).collect();
    let mut out = HashMap::with_capacity(rows.len());
    for row in rows {
        let id: String = sqlx::Row::try_get(&row, "sourced_id")?;
        let same = match by_id.get(id.as_str()) {
            Some(r) => keyed.iter().enumerate().try_fold(true, |same, (i, c)| {
                let stored: Option<String> = sqlx::Row::try_get(&row, format!("k{i}").as_str())?;
                Ok::<_, sqlx::Error>(same && stored == r.values.get(c.at).cloned().flatten())
            })?,
            None => false,
        };
        out.insert(id, same);
    }
    Ok(Stored(out))
}

/// Which columns an upsert sets on a record already stored.
#[derive(Clone, Copy)]
pub(super) enum Set<'a> {
    /// A delta's `tobedeleted` row: the state only.
    State,
    /// Every column.
    All,
    /// Every column but these (indexed columns whose values are unchanged).
    AllBut(&'a [String]),
}

/// `INSERT … ON CONFLICT (sourced_id) DO UPDATE` for `rows` records of `cols`: a stored row is changed only when a
/// value it sets differs and, in a delta, only by a row not older than the last delta row applied to it.
pub(super) fn upsert_sql(backend: Backend, table: &str, cols: &[Column], rows: usize, mode: Mode, set: Set) -> String {
    let names: Vec<&str> = ["sourced_id", "status", "date_last_modified", "source_modified"]
        .into_iter()
        .chain(cols.iter().map(|c| c.sql.as_str()))
        .chain(["extensions"])
        .collect();
    let width = names.len();
    let values = backend.value_rows(rows, width);
    // A delta row is measured against the last delta row applied (the SIS's clock), not against a bulk import's time.
    let newer = if mode == Mode::Delta {
        format!(" AND ({table}.source_modified IS NULL OR {table}.source_modified <= excluded.source_modified)")
    } else {
        String::new()
    };
    let (set, changed) = match set {
        Set::State => (
            "status = excluded.status, date_last_modified = excluded.date_last_modified, \
             source_modified = excluded.source_modified"
                .to_owned(),
            format!("{table}.status <> 'tobedeleted'"),
        ),
        Set::All | Set::AllBut(_) => {
            let kept: &[String] = if let Set::AllBut(kept) = set { kept } else { &[] };
            let sets: Vec<&str> = names[1..].iter().copied().filter(|c| !kept.iter().any(|k| k == c)).collect();
            let assign: Vec<String> = sets.iter().map(|c| format!("{c} = excluded.{c}")).collect();
            let differs: Vec<String> = sets
                .iter()
                .filter(|c| !matches!(**c, "date_last_modified" | "source_modified"))
                .map(|c| format!("{table}.{c} IS DISTINCT FROM excluded.{c}"))
                .collect();
            (assign.join(", "), format!("({})", differs.join(" OR ")))
        }
    };
    format!(
        "INSERT INTO {table} ({}) VALUES {} ON CONFLICT (sourced_id) DO UPDATE SET {set} WHERE {changed}{newer}",
        names.join(", "),
        values
    )
}

/// Marks `tobedeleted` the active records a bulk file no longer lists (by the fingerprints of those it listed);
/// returns how many.
pub(super) async fn mark_missing(
    conn: &mut AnyConnection,
    table: &str,
    listed: &HashSet<u128>,
    fingerprint: fn(&str) -> u128,
    at: &str,
) -> Result<u64> {
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
