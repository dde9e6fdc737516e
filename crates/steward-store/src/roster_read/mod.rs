//! Reading the roster for the OneRoster REST provider: what a product's clients may see (the minimization rule of
//! `steward_core::access::roster_view` applied in SQL), filtered and sorted in the database, and either paged there
//! ([`Store::roster_list`]) or listed as ordered ids ([`Store::roster_ids`]) whose pages are then read by id
//! ([`Store::roster_by_ids`]).

mod filter;
mod ids;
mod page;
mod put;
mod visible;

use crate::row::{decode_error, int};
use crate::sql::{Arg, Conditions};
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};
use steward_core::access::{oneroster_grade_codes, roster_view, License, ProductReach, RosterView};
use steward_interop::oneroster::rest::{Entity, Filter};
use steward_interop::oneroster::{data_columns, Record, Status, Version};
use visible::Sql;

pub use ids::RosterIds;

/// What one product's clients may see, ready for SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterScope {
    pub product_id: i64,
    /// The rule's answer, in Steward's terms.
    pub view: RosterView,
    /// The roster `sourcedId`s of the visible schools (schools without one have no roster to show).
    pub schools: Vec<String>,
    /// With a grade scope: the OneRoster grade codes it covers.
    pub grade_codes: Option<Vec<String>>,
}

impl RosterScope {
    /// The CSV columns of `entity` withheld from these clients; `extensions` stands for `metadata`.
    pub fn hidden(&self, entity: Entity) -> Vec<&'static str> {
        let (file, shown) = match entity {
            Entity::User => ("users", &self.view.user_columns),
            Entity::Demographic => ("demographics", &self.view.demographic_columns),
            _ => return Vec::new(),
        };
        let mut out: Vec<&'static str> = data_columns(file).into_iter().filter(|c| !shown.contains(c)).collect();
        out.push("extensions");
        out
    }
}

/// A nesting restriction of a collection, on top of what the scope allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Within {
    Id(String),
    /// A CSV column (camelCase) equals the value: `schoolSourcedId`, `courseSourcedId`, `parentSourcedId`, ….
    Column(&'static str, String),
    /// A list column holds the value: `termSourcedIds`.
    ListHas(&'static str, String),
    /// Orgs or academic sessions of a type: `school`, `term`, `gradingPeriod`.
    Type(&'static str),
    /// Users with a role of this kind anywhere.
    Role(&'static str),
    /// Users with a role of this kind at an org.
    RoleAt(&'static str, String),
    /// Users enrolled in a class with a role.
    EnrolledIn(String, &'static str),
    /// Classes a user is enrolled in.
    ClassesOf(String),
    /// Courses taught at a school.
    CoursesAt(String),
    /// Terms of a school's classes.
    TermsAt(String),
    /// Categories of a class's line items.
    CategoriesOf(String),
    /// Results of a class (directly or through their line item).
    ResultsOfClass(String),
    /// Resources linked to a class, course or user: `classResources`/`classSourcedId`,
    /// `courseResources`/`courseSourcedId` or `userResources`/`userSourcedId`, and the id.
    ResourcesOf(&'static str, &'static str, String),
}

/// One collection request.
#[derive(Debug, Clone)]
pub struct RosterQuery<'a> {
    pub entity: Entity,
    pub version: Version,
    pub within: Vec<Within>,
    pub filter: Option<&'a Filter>,
    pub sort: Option<&'a str>,
    pub descending: bool,
    pub limit: i64,
    pub offset: i64,
}

impl RosterQuery<'_> {
    /// The first page (of the REST default size) of every record of `entity` the scope shows, in sourcedId order.
    pub fn new(entity: Entity, version: Version) -> Self {
        RosterQuery {
            entity,
            version,
            within: Vec::new(),
            filter: None,
            sort: None,
            descending: false,
            limit: steward_interop::oneroster::rest::DEFAULT_LIMIT,
            offset: 0,
        }
    }
}

/// One page of records, with their total over all pages and, for users, their roles at visible schools.
#[derive(Debug, Clone, Default)]
pub struct RosterPage {
    pub records: Vec<Record>,
    pub roles: HashMap<String, Vec<Record>>,
    /// For academic sessions: the sourcedIds of each one's children.
    pub children: HashMap<String, Vec<String>>,
    /// For line items and results: their learning objective and score scale link records, by owner.
    pub objectives: HashMap<String, Vec<Record>>,
    pub score_scales: HashMap<String, Vec<Record>>,
    pub total: i64,
}

/// The table of a CSV file: `roster_<file in snake case>`.
fn table(file: &str) -> String {
    format!("roster_{}", snake(file))
}

fn snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for ch in camel.chars() {
        if ch.is_ascii_uppercase() {
            out.push('_');
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

/// A CSV column as SQL: snake case, quoted where the name is reserved.
pub(crate) fn column_sql(camel: &str) -> String {
    match camel {
        "primary" => "\"primary\"".to_owned(),
        other => snake(other),
    }
}

/// `cond` as a WHERE clause, its `?`s numbered `$1…` by the store's one numbering ([`Conditions`]).
fn where_clause(cond: Sql) -> (String, Vec<Arg>) {
    let mut c = Conditions::default();
    c.push(&cond.text, cond.args);
    (c.where_sql(), c.args().to_vec())
}

fn bind<'q>(sql: &'q str, args: &'q [Arg]) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    crate::sql::bind_all(sqlx::query(sql), args)
}

/// Passwords (users.csv, userProfiles.csv) have no column: the roster tables never keep them.
const NEVER_STORED: &str = "password";

/// The spec columns of a file that its table has.
pub(crate) fn stored_columns(file: &str) -> Vec<&'static str> {
    data_columns(file).into_iter().filter(|c| *c != NEVER_STORED).collect()
}

/// What is read of a file's table, in order: sourcedId, status, dateLastModified, the stored spec columns and the
/// extensions; withheld columns as NULL, so that they never leave the database.
fn select_exprs(file: &str, hidden: &[&str]) -> Vec<String> {
    let mut cols = vec!["t.sourced_id".to_owned(), "t.status".to_owned(), "t.date_last_modified".to_owned()];
    for c in stored_columns(file).into_iter().chain(["extensions"]) {
        cols.push(if hidden.contains(&c) { "CAST(NULL AS TEXT)".to_owned() } else { format!("t.{}", column_sql(c)) });
    }
    cols
}

fn select_list(file: &str, hidden: &[&str]) -> String {
    select_exprs(file, hidden).join(", ")
}

/// The values of a row, all text or NULL, in the order selected.
fn row_values(r: &AnyRow) -> Result<Vec<Option<String>>> {
    (0..r.len()).map(|i| Ok(r.try_get::<Option<String>, _>(i)?)).collect()
}

/// A record from the values of [`select_exprs`], in its order.
fn record(file: &str, values: Vec<Option<String>>) -> Result<Record> {
    let mut it = values.into_iter();
    let sourced_id = it.next().flatten().ok_or_else(|| decode_error("sourced_id", "NULL".into()))?;
    let status = match it.next().flatten().as_deref() {
        Some("tobedeleted") => Status::ToBeDeleted,
        _ => Status::Active,
    };
    let at = it.next().flatten().unwrap_or_default();
    let date_last_modified = Some(at.parse().map_err(|_| decode_error("date_last_modified", at.clone()))?);
    let values =
        data_columns(file).into_iter().map(|c| if c == NEVER_STORED { None } else { it.next().flatten() }).collect();
    let extensions = match it.next().flatten() {
        None => BTreeMap::new(),
        Some(json) => serde_json::from_str::<BTreeMap<String, serde_json::Value>>(&json)
            .map_err(|e| decode_error("extensions", e.to_string()))?
            .into_iter()
            .map(|(k, v)| (k, v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string())))
            .collect(),
    };
    Ok(Record { sourced_id, status: Some(status), date_last_modified, values, extensions })
}

impl Store {
    /// What `product_id`'s clients may see `today`.
    pub async fn roster_scope(&self, product_id: i64, today: NaiveDate) -> Result<RosterScope> {
        let p = self.product(product_id).await?.product;
        let contracts =
            self.contracts(&crate::ContractFilter { product_id: Some(product_id), ..Default::default() }).await?;
        let licenses: Vec<License> = contracts
            .iter()
            .map(|k| License { school: k.contract.school_id, start: k.contract.start_date, end: k.contract.end_date })
            .collect();
        // Every OneRoster request asks this of a district's hundreds of schools: only their ids, packed.
        let mut schools: Vec<(i64, Option<String>)> = self
            .packed(&self.backend.json_rows("t.id, t.sourced_id"), "FROM orgs t WHERE t.kind = 'school'", &[])
            .await?;
        schools.sort_unstable();
        let ids: Vec<i64> = schools.iter().map(|s| s.0).collect();
        let reach = ProductReach {
            status: p.status,
            scope: p.scope,
            scope_schools: &p.scope_schools,
            scope_grades: p.scope_grades,
            data_elements: &p.data_elements,
        };
        let view = roster_view(&reach, &licenses, &ids, today);
        // `view.schools` is sorted.
        let sourced =
            schools.into_iter().filter(|s| view.schools.binary_search(&s.0).is_ok()).filter_map(|s| s.1).collect();
        let grade_codes = view.grades.map(oneroster_grade_codes);
        Ok(RosterScope { product_id, view, schools: sourced, grade_codes })
    }

    /// Whether the scope covers most of the roster: at least half of its schools.
    async fn dense(&self, scope: &RosterScope) -> Result<bool> {
        let schools: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM roster_orgs WHERE type = 'school'").fetch_one(&self.pool).await?;
        Ok(scope.schools.len() as i64 * 2 >= schools)
    }

    /// The WHERE clause of a request: the scope, the nesting, the filter.
    async fn roster_where(&self, scope: &RosterScope, q: &RosterQuery<'_>) -> Result<Sql> {
        let mut cond = visible::visible(q.entity, scope, self.dense(scope).await?);
        for w in &q.within {
            cond = cond.and(visible::within(w));
        }
        if let Some(f) = q.filter {
            cond = cond.and(filter::filter_sql(q.entity, q.version, f, scope, self.backend)?);
        }
        Ok(cond)
    }

    /// One page of a collection as `scope` may see it. A filter on a field the record type lacks (or that is
    /// withheld) is `StoreError::Invalid { field: "filter" }`.
    pub async fn roster_list(&self, scope: &RosterScope, q: &RosterQuery<'_>) -> Result<RosterPage> {
        let file = q.entity.file();
        let (clause, mut args) = where_clause(self.roster_where(scope, q).await?);
        let from = format!("FROM {} t{clause}", table(file));
        let count_sql = format!("SELECT COUNT(*) AS n {from}");
        let total = int(&bind(&count_sql, &args).fetch_one(&self.pool).await?, "n")?;
        let hidden = scope.hidden(q.entity);
        let order = filter::order_sql(q.entity, q.version, q.sort, q.descending, scope);
        let n = args.len();
        let list_sql =
            format!("SELECT {} {from}{order} LIMIT ${} OFFSET ${}", select_list(file, &hidden), n + 1, n + 2);
        args.extend([Arg::Int(q.limit), Arg::Int(q.offset)]);
        let rows = bind(&list_sql, &args).fetch_all(&self.pool).await?;
        let records = rows.iter().map(|r| record(file, row_values(r)?)).collect::<Result<Vec<_>>>()?;
        self.page_of(scope, q.entity, records, None, total).await
    }

    /// One record as `scope` may see it; `NotFound` when it does not exist or is not visible.
    pub async fn roster_record(
        &self,
        scope: &RosterScope,
        entity: Entity,
        version: Version,
        id: &str,
    ) -> Result<RosterPage> {
        let q = RosterQuery { within: vec![Within::Id(id.to_owned())], limit: 1, ..RosterQuery::new(entity, version) };
        let page = self.roster_list(scope, &q).await?;
        if page.records.is_empty() {
            return Err(StoreError::NotFound);
        }
        Ok(page)
    }

    /// How many records of `entity` the scope sees.
    pub async fn roster_count(&self, scope: &RosterScope, entity: Entity) -> Result<i64> {
        let (clause, args) = where_clause(visible::visible(entity, scope, self.dense(scope).await?));
        let sql = format!("SELECT COUNT(*) AS n FROM {} t{clause}", table(entity.file()));
        int(&bind(&sql, &args).fetch_one(&self.pool).await?, "n")
    }

    /// Exactly what a product's clients receive today, for a page to show: the schools, the grade limit, the user
    /// and demographic fields, and how many users, classes and enrollments that comes to.
    pub async fn roster_receipt(&self, product_id: i64, today: NaiveDate) -> Result<RosterReceipt> {
        let scope = self.roster_scope(product_id, today).await?;
        let schools = self.schools().await?.into_iter().filter(|s| scope.view.schools.contains(&s.id)).collect();
        Ok(RosterReceipt {
            users: self.roster_count(&scope, Entity::User).await?,
            classes: self.roster_count(&scope, Entity::Class).await?,
            enrollments: self.roster_count(&scope, Entity::Enrollment).await?,
            schools,
            scope,
        })
    }
}

/// What a product's clients receive, for people to read.
#[derive(Debug, Clone)]
pub struct RosterReceipt {
    pub scope: RosterScope,
    /// The visible schools; one without a roster `sourcedId` shows no roster data.
    pub schools: Vec<crate::Org>,
    pub users: i64,
    pub classes: i64,
    pub enrollments: i64,
}
