//! Reading the roster back as canonical records, file by file, streamed: the exporter never holds a whole table.

use std::collections::BTreeSet;

use futures_util::TryStreamExt;
use sqlx::any::AnyRow;
use sqlx::Row;
use steward_interop::oneroster::{data_columns, Record, Status};

use super::{columns, table};
use crate::{Result, Store, StoreError};

impl Store {
    /// Calls `each` with every record of `file` (active and `tobedeleted`), in sourcedId order; stops at the first
    /// error `each` returns.
    pub async fn each_roster_record<E>(
        &self,
        file: &str,
        mut each: impl FnMut(Record) -> std::result::Result<(), E>,
    ) -> Result<std::result::Result<(), E>> {
        let name = table(file).ok_or_else(|| StoreError::invalid("file", format!("{file} is not a OneRoster file")))?;
        let cols = columns(file);
        let select: Vec<&str> = cols.iter().map(|c| c.sql.as_str()).collect();
        let sql = format!(
            "SELECT sourced_id, status, date_last_modified, {}, extensions FROM {name} ORDER BY sourced_id",
            select.join(", ")
        );
        let width = data_columns(file).len();
        let mut rows = sqlx::query(&sql).fetch(&self.pool);
        while let Some(row) = rows.try_next().await? {
            let record = record(&row, &cols, width)?;
            if let Err(e) = each(record) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }

    /// The extension column names (`metadata.*`, vendor columns) the live records of `file` carry, for an export's
    /// header.
    pub async fn roster_extension_names(&self, file: &str) -> Result<BTreeSet<String>> {
        let name = table(file).ok_or_else(|| StoreError::invalid("file", format!("{file} is not a OneRoster file")))?;
        let sql = self.backend.json_keys("extensions", &name, "status = 'active' AND extensions IS NOT NULL");
        Ok(sqlx::query_scalar::<_, String>(&sql).fetch_all(&self.pool).await?.into_iter().collect())
    }

    /// Refreshes the planner's statistics of the roster tables of `files` after an import changed them a lot, so
    /// that the first queries after a large load are planned for its size (PostgreSQL plans blind until it has them).
    pub async fn analyze_roster(&self, files: &[&str]) -> Result<()> {
        for file in files {
            let Some(name) = table(file) else { continue };
            sqlx::query(&format!("ANALYZE {name}")).execute(&self.pool).await?;
        }
        Ok(())
    }

    /// How many records each file holds, by status: (file, active, tobedeleted).
    pub async fn roster_counts(&self) -> Result<Vec<(&'static str, i64, i64)>> {
        let mut out = Vec::new();
        for file in super::files() {
            let name = table(file).unwrap_or_default();
            let sql = format!(
                "SELECT COALESCE(SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END), 0), \
                 COALESCE(SUM(CASE WHEN status = 'tobedeleted' THEN 1 ELSE 0 END), 0) FROM {name}"
            );
            let (active, gone): (i64, i64) = sqlx::query_as(&sql).fetch_one(&self.pool).await?;
            out.push((file, active, gone));
        }
        Ok(out)
    }
}

fn record(row: &AnyRow, cols: &[super::Column], width: usize) -> Result<Record> {
    let mut values = vec![None; width];
    for (i, c) in cols.iter().enumerate() {
        values[c.at] = row.try_get::<Option<String>, _>(i + 3)?;
    }
    let status: String = row.try_get(1)?;
    let dlm: String = row.try_get(2)?;
    let extensions: Option<String> = row.try_get(cols.len() + 3)?;
    Ok(Record {
        sourced_id: row.try_get(0)?,
        status: Some(if status == "tobedeleted" { Status::ToBeDeleted } else { Status::Active }),
        date_last_modified: chrono::DateTime::parse_from_rfc3339(&dlm).ok().map(|d| d.with_timezone(&chrono::Utc)),
        values,
        extensions: extensions.and_then(|e| serde_json::from_str(&e).ok()).unwrap_or_default(),
    })
}
