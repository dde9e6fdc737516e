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
        let marks: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
        let marks = marks.join(", ");
        let updates: Vec<String> = names.iter().skip(1).map(|n| format!("{n} = excluded.{n}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({marks}) ON CONFLICT (sourced_id) DO UPDATE SET {}",
            table(file),
            names.join(", "),
            updates.join(", ")
        );
        let mut tx = self.begin_write().await?;
        for r in records {
            let mut args: Vec<Option<String>> = vec![
                Some(r.sourced_id.clone()),
                Some(if r.status == Some(Status::ToBeDeleted) { "tobedeleted" } else { "active" }.into()),
                Some(timestamp(r.date_last_modified.unwrap_or_else(chrono::Utc::now))),
            ];
            args.extend(
                all.iter()
                    .enumerate()
                    .filter(|(_, c)| cols.contains(c))
                    .map(|(i, _)| r.values.get(i).cloned().flatten()),
            );
            args.push(if r.extensions.is_empty() {
                None
            } else {
                Some(
                    serde_json::to_string(&r.extensions)
                        .map_err(|e| StoreError::invalid("extensions", e.to_string()))?,
                )
            });
            let mut q = sqlx::query(&sql);
            for a in args {
                q = q.bind(a);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
