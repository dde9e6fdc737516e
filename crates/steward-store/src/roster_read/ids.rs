//! The ordered sourcedIds a collection request matches, read in one query and held compactly, so that a server can
//! keep them and answer each page of the collection by primary key.

use super::visible::Sql;
use super::{bind, filter, table, where_clause, RosterQuery, RosterScope};
use crate::row::text;
use crate::sql::Arg;
use crate::{Result, Store};
use futures_util::TryStreamExt;

/// An ordered list of sourcedIds in two allocations: all of them end to end in one string, and where each ends.
/// A million ten-character ids take 14 MB this way, against about 40 MB as a `Vec<String>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterIds {
    text: String,
    ends: Vec<u32>,
}

impl RosterIds {
    /// Appends `id`; false, with nothing appended, when the ids would pass 4 GiB (their ends are 32-bit).
    pub fn push(&mut self, id: &str) -> bool {
        let Ok(end) = u32::try_from(self.text.len() + id.len()) else { return false };
        self.text.push_str(id);
        self.ends.push(end);
        true
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The `i`th id.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }

    /// The ids of one page: at most `limit` from `offset` (none past the end).
    pub fn page(&self, offset: usize, limit: usize) -> Vec<&str> {
        let end = offset.saturating_add(limit).min(self.len());
        (offset.min(end)..end).filter_map(|i| self.get(i)).collect()
    }

    /// The bytes the ids take (once the spare room of growing is given back, as [`Store::roster_ids`] does).
    pub fn bytes(&self) -> usize {
        self.text.len() + self.ends.len() * std::mem::size_of::<u32>()
    }
}

/// Ids per statement when a list is in sourcedId order: each statement's come packed as one value.
const BATCH: usize = 50_000;

impl Store {
    /// The sourcedIds of every record a collection request matches (the scope, the nesting and the filter of
    /// [`Store::roster_list`]), in its order; `None` as soon as they would take more than `most` bytes, so that a
    /// collection too large to keep is never held whole. `q.limit` and `q.offset` are ignored.
    pub async fn roster_ids(&self, scope: &RosterScope, q: &RosterQuery<'_>, most: usize) -> Result<Option<RosterIds>> {
        let cond = self.roster_where(scope, q).await?;
        if filter::sort_field(q.entity, q.version, q.sort, scope).is_none() {
            return self.ids_in_batches(q.entity.file(), cond, q.descending, most, BATCH).await;
        }
        let (clause, args) = where_clause(cond);
        let order = filter::order_sql(q.entity, q.version, q.sort, q.descending, scope);
        let sql = format!("SELECT t.sourced_id FROM {} t{clause}{order}", table(q.entity.file()));
        let mut rows = bind(&sql, &args).fetch(&self.pool);
        let mut ids = RosterIds::default();
        while let Some(row) = rows.try_next().await? {
            if !ids.push_within(&text(&row, "sourced_id")?, most) {
                return Ok(None);
            }
        }
        Ok(Some(ids.shrunk()))
    }

    /// The ids of `file`'s rows where `cond` holds, in sourcedId order: `batch` at a time, each batch packed in one
    /// value and starting after the last id of the one before. SQLite hands rows over one value at a time, with an
    /// allocation and a lock each, which made listing a million ids take seconds more than finding them.
    async fn ids_in_batches(
        &self,
        file: &str,
        cond: Sql,
        descending: bool,
        most: usize,
        batch: usize,
    ) -> Result<Option<RosterIds>> {
        let (dir, past) = if descending { ("DESC", "<") } else { ("ASC", ">") };
        let packing = self.backend.json_list("t.sourced_id", &format!("t.sourced_id {dir}"));
        let mut ids = RosterIds::default();
        let mut after: Option<String> = None;
        loop {
            let from_last = after.take().map(|id| Sql::new(format!("t.sourced_id {past} ?"), vec![Arg::Text(id)]));
            let (clause, args) = where_clause(from_last.into_iter().fold(cond.clone(), Sql::and));
            let from = format!(
                "FROM (SELECT t.sourced_id FROM {} t{clause} ORDER BY t.sourced_id {dir} LIMIT {batch}) t",
                table(file)
            );
            let some: Vec<String> = self.packed(&packing, &from, &args).await?;
            for id in &some {
                if !ids.push_within(id, most) {
                    return Ok(None);
                }
            }
            if some.len() < batch {
                return Ok(Some(ids.shrunk()));
            }
            after = some.into_iter().last();
        }
    }
}

impl RosterIds {
    /// Appends `id` if the ids then take at most `most` bytes; false, with nothing appended, otherwise.
    fn push_within(&mut self, id: &str, most: usize) -> bool {
        self.bytes() + id.len() + std::mem::size_of::<u32>() <= most && self.push(id)
    }

    /// The ids without the spare room of growing.
    fn shrunk(mut self) -> Self {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::RosterIds;

    fn of(ids: &[&str]) -> RosterIds {
        let mut out = RosterIds::default();
        for id in ids {
            assert!(out.push(id));
        }
        out
    }

    #[test]
    fn ids_come_back_in_order_and_pages_stop_at_the_end() {
        let ids = of(&["a", "", "bcd", "é-1"]);
        assert_eq!((ids.len(), ids.is_empty()), (4, false));
        assert_eq!(
            (ids.get(0), ids.get(1), ids.get(2), ids.get(3), ids.get(4)),
            (Some("a"), Some(""), Some("bcd"), Some("é-1"), None)
        );
        assert_eq!(ids.page(0, 2), vec!["a", ""]);
        assert_eq!(ids.page(2, 10), vec!["bcd", "é-1"]);
        assert!(ids.page(4, 10).is_empty());
        assert!(ids.page(usize::MAX, usize::MAX).is_empty());
        assert!(RosterIds::default().page(0, 100).is_empty());
    }

    #[tokio::test]
    async fn ids_in_batches_come_in_order_across_batches() {
        let db = crate::testing::TestDb::sqlite();
        batches(&db.store().await).await;
        if let Some(db) = crate::testing::TestDb::postgres().await {
            batches(&db.store().await).await;
        }
    }

    /// 25 academic sessions (visible to any scope with a school), listed 10 at a time and otherwise.
    async fn batches(s: &crate::Store) {
        use super::super::visible::visible;
        use steward_interop::oneroster::rest::Entity;
        use steward_interop::oneroster::{data_columns, Record, Status};
        let cols = data_columns("academicSessions");
        let session = |i: usize| {
            let mut values = vec![None; cols.len()];
            values[cols.iter().position(|c| *c == "title").unwrap()] = Some(format!("S{i}"));
            values[cols.iter().position(|c| *c == "type").unwrap()] = Some("term".to_owned());
            Record {
                sourced_id: format!("as-{i:02}"),
                status: Some(Status::Active),
                date_last_modified: Some(chrono::Utc::now()),
                values,
                extensions: Default::default(),
            }
        };
        s.put_roster_records("academicSessions", &(0..25).map(session).collect::<Vec<_>>()).await.unwrap();
        let scope = super::RosterScope {
            product_id: 0,
            view: Default::default(),
            schools: vec!["sch".into()],
            grade_codes: None,
        };
        let cond = || visible(Entity::AcademicSession, &scope, true);
        let all: Vec<String> = (0..25).map(|i| format!("as-{i:02}")).collect();
        let listed = |ids: RosterIds| (0..ids.len()).map(|i| ids.get(i).unwrap().to_owned()).collect::<Vec<_>>();
        for batch in [10, 25, 100] {
            let ids = s.ids_in_batches("academicSessions", cond(), false, 1000, batch).await.unwrap().unwrap();
            assert_eq!(listed(ids), all, "batches of {batch}");
        }
        let ids = s.ids_in_batches("academicSessions", cond(), true, 1000, 10).await.unwrap().unwrap();
        assert_eq!(listed(ids), all.iter().rev().cloned().collect::<Vec<_>>());
        let most = 24 * (5 + 4);
        assert!(s.ids_in_batches("academicSessions", cond(), false, most, 10).await.unwrap().is_none());
        assert_eq!(s.ids_in_batches("academicSessions", cond(), false, most + 9, 10).await.unwrap().unwrap().len(), 25);
    }

    #[test]
    fn ids_take_their_bytes_and_an_end_each() {
        let ids = of(&["s-0000001", "s-0000002"]);
        assert_eq!(ids.bytes(), 18 + 2 * 4);
    }
}
