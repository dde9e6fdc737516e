//! Writing roster records straight into their tables, replacing any with the same sourcedId: for fixtures and
//! tests of the provider (the importer is how a district's roster arrives).

use super::{column_sql, stored_columns, table};
use crate::{timestamp, Result, Store, StoreError};
use steward_interop::oneroster::{data_columns, Record, Status};

impl Store {
    /// Inserts or replaces `records` of a OneRoster file (`users`, `classes`, …) in one transaction.
    pub async fn put_roster_records(&self, file: &str, records: &[Record]) -> Result<()> {
        let all = data_columns(file);
        let cols = stored_columns(file);
        if cols.is_empty() {
            return Err(StoreError::invalid("file", format!("'{file}' is not a OneRoster file")));
        }
        let names: Vec<String> = ["sourcedId", "status", "dateLastModified"]
            .into_iter()
            .chain(cols.iter().copied())
            .chain(["extensions"])
            .map(column_sql)
            .collect();
        let updates: Vec<String> = names.iter().skip(1).map(|n| format!("{n} = excluded.{n}")).collect();
        // The last record of each sourcedId wins (one statement may not change a row twice).
        let mut last: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (i, r) in records.iter().enumerate() {
            last.insert(&r.sourced_id, i);
        }
        let kept: Vec<&Record> =
            records.iter().enumerate().filter(|(i, r)| last[r.sourced_id.as_str()] == *i).map(|(_, r)| r).collect();
        // Many rows per statement, but not many parameters: SQLite looks each `$n` up among those before it.
        let per_statement = (1_000 / names.len()).max(1);
        let mut tx = self.begin_write().await?;
        for chunk in kept.chunks(per_statement) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|row| {
                    let marks: Vec<String> = (1..=names.len()).map(|c| format!("${}", row * names.len() + c)).collect();
                    format!("({})", marks.join(", "))
                })
                .collect();
            let sql = format!(
                "INSERT INTO {} ({}) VALUES {} ON CONFLICT (sourced_id) DO UPDATE SET {}",
                table(file),
                names.join(", "),
                rows.join(", "),
                updates.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for r in chunk {
                q = q
                    .bind(Some(r.sourced_id.clone()))
                    .bind(Some(if r.status == Some(Status::ToBeDeleted) { "tobedeleted" } else { "active" }.to_owned()))
                    .bind(Some(timestamp(r.date_last_modified.unwrap_or_else(chrono::Utc::now))));
                for (i, c) in all.iter().enumerate() {
                    if cols.contains(c) {
                        q = q.bind(r.values.get(i).cloned().flatten());
                    }
                }
                let ext = if r.extensions.is_empty() {
                    None
                } else {
                    Some(
                        serde_json::to_string(&r.extensions)
                            .map_err(|e| StoreError::invalid("extensions", e.to_string()))?,
                    )
                };
                q = q.bind(ext);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
