//! A page of records with what their JSON needs from other tables (a user's roles, a session's children, a line
//! item's or result's objectives and score scales); and a page read by sourcedId, for a list of ids kept earlier.
//!
//! Records are read by a list of ids bound as one JSON parameter (`Backend::in_json_list`), and come back packed, a
//! statement's rows as one value (`Backend::json_rows`): on SQLite, a thousand users and their roles take a few
//! milliseconds this way, against tens as rows of values.

use super::visible::Sql;
use super::{bind, column_sql, record, select_exprs, table, where_clause, RosterPage, RosterScope};
use crate::row::{decode_error, text};
use crate::sql::Arg;
use crate::{Result, Store};
use serde::de::DeserializeOwned;
use std::collections::{HashMap, HashSet};
use steward_interop::oneroster::rest::Entity;
use steward_interop::oneroster::Record;

impl Store {
    /// The records of `entity` with these sourcedIds, in the order given, their withheld columns NULL as in
    /// [`Store::roster_list`] and with the same linked records. An id without a record is left out. Whether a record
    /// is visible is not asked again: the ids are those [`Store::roster_ids`] found for the same scope. The page's
    /// `total` is the number of ids asked for.
    pub async fn roster_by_ids(&self, scope: &RosterScope, entity: Entity, ids: &[&str]) -> Result<RosterPage> {
        let file = entity.file();
        let hidden = scope.hidden(entity);
        let read = self.records_of(file, &hidden, "t.sourced_id", ids);
        // A user's roles are read by the ids asked for, beside the users, on a second connection.
        let (read, roles) = if entity == Entity::User {
            let (read, roles) = tokio::join!(read, self.roster_roles(scope, ids));
            (read?, Some(roles?))
        } else {
            (read.await?, None)
        };
        let mut found: HashMap<String, Record> = read.into_iter().map(|r| (r.sourced_id.clone(), r)).collect();
        let records = ids.iter().filter_map(|id| found.remove(*id)).collect();
        self.page_of(scope, entity, records, roles, ids.len() as i64).await
    }

    /// `records` as a page, with the linked records their JSON shows; a user's `roles` when already read.
    pub(super) async fn page_of(
        &self,
        scope: &RosterScope,
        entity: Entity,
        records: Vec<Record>,
        roles: Option<HashMap<String, Vec<Record>>>,
        total: i64,
    ) -> Result<RosterPage> {
        let roles = match roles {
            Some(roles) => roles,
            None if entity == Entity::User => {
                let ids: Vec<&str> = records.iter().map(|u| u.sourced_id.as_str()).collect();
                self.roster_roles(scope, &ids).await?
            }
            None => HashMap::new(),
        };
        let children =
            if entity == Entity::AcademicSession { self.session_children(&records).await? } else { HashMap::new() };
        let (objectives, score_scales) = match entity {
            Entity::LineItem => (
                self.linked("lineItemLearningObjectiveIds", "lineItemSourcedId", &records).await?,
                self.linked("lineItemScoreScales", "lineItemSourcedId", &records).await?,
            ),
            Entity::Result => (
                self.linked("resultLearningObjectiveIds", "resultSourcedId", &records).await?,
                self.linked("resultScoreScales", "resultSourcedId", &records).await?,
            ),
            _ => (HashMap::new(), HashMap::new()),
        };
        Ok(RosterPage { records, roles, children, objectives, score_scales, total })
    }

    /// `column` (of rows aliased `t`) is one of `ids`, bound as one parameter.
    fn one_of(&self, column: &str, ids: &[&str]) -> Sql {
        let list = serde_json::Value::from(ids.to_vec()).to_string();
        Sql::new(self.backend.in_json_list(column), vec![Arg::Text(list)])
    }

    /// The records of `file` whose `column` is one of `ids`, in no order, read as one packed value.
    async fn records_of(&self, file: &str, hidden: &[&str], column: &str, ids: &[&str]) -> Result<Vec<Record>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let (clause, args) = where_clause(self.one_of(column, ids));
        let from = format!("FROM {} t{clause}", table(file));
        let rows = self.backend.json_rows(&select_exprs(file, hidden).join(", "));
        let rows: Vec<Vec<Option<String>>> = self.packed(&rows, &from, &args).await?;
        rows.into_iter().map(|values| record(file, values)).collect()
    }

    /// What `SELECT packing from` gives (`packing` one of the JSON aggregates of the backend, `from` the FROM and
    /// WHERE clauses): a JSON array, read as a list of `T`.
    pub(super) async fn packed<T: DeserializeOwned>(&self, packing: &str, from: &str, args: &[Arg]) -> Result<Vec<T>> {
        let sql = format!("SELECT {packing} AS page {from}");
        let page = text(&bind(&sql, args).fetch_one(&self.pool).await?, "page")?;
        serde_json::from_str(&page).map_err(|e| decode_error("page", e.to_string()))
    }

    /// The roles of these users at visible schools, by user, each user's in sourcedId order.
    async fn roster_roles(&self, scope: &RosterScope, users: &[&str]) -> Result<HashMap<String, Vec<Record>>> {
        // By user only: the org condition is checked here, so that the plan follows the user index.
        let mut roles = self.records_of("roles", &[], "t.user_sourced_id", users).await?;
        let visible: HashSet<&str> = scope.schools.iter().map(String::as_str).collect();
        roles.retain(|r| r.get("roles", "orgSourcedId").is_some_and(|o| visible.contains(o)));
        Ok(by_owner(roles, "roles", "userSourcedId"))
    }

    /// The records of a link file (`lineItemScoreScales`, …) naming these owners in `owner_column`, by owner.
    async fn linked(&self, file: &str, owner_column: &str, owners: &[Record]) -> Result<HashMap<String, Vec<Record>>> {
        let ids: Vec<&str> = owners.iter().map(|r| r.sourced_id.as_str()).collect();
        let links = self.records_of(file, &[], &format!("t.{}", column_sql(owner_column)), &ids).await?;
        Ok(by_owner(links, file, owner_column))
    }

    /// The children of these academic sessions (sessions are visible with any school, so all of them), by parent.
    async fn session_children(&self, sessions: &[Record]) -> Result<HashMap<String, Vec<String>>> {
        let ids: Vec<&str> = sessions.iter().map(|r| r.sourced_id.as_str()).collect();
        let children = self.records_of("academicSessions", &[], "t.parent_sourced_id", &ids).await?;
        Ok(by_owner(children, "academicSessions", "parentSourcedId")
            .into_iter()
            .map(|(parent, kids)| (parent, kids.into_iter().map(|k| k.sourced_id).collect()))
            .collect())
    }
}

/// `records` of `file` grouped by the id in their `column`, each group in sourcedId order.
fn by_owner(mut records: Vec<Record>, file: &str, column: &str) -> HashMap<String, Vec<Record>> {
    records.sort_by(|a, b| a.sourced_id.cmp(&b.sourced_id));
    let mut out: HashMap<String, Vec<Record>> = HashMap::new();
    for r in records {
        let owner = r.get(file, column).unwrap_or_default().to_owned();
        out.entry(owner).or_default().push(r);
    }
    out
}
