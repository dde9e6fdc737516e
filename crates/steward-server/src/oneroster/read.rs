//! Answering one OneRoster GET: scope check, the product's minimization scope, the nesting's parents, the page
//! (a slice of the collection's snapshot), JSON with `X-Total-Count` and `Link`, and a line in the client's access
//! log.

use super::caller::{rest_error, Caller};
use super::snapshots::{self, Snapshot};
use super::{Ep, Nest};
use crate::state::AppState;
use axum::http::{header, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use std::collections::{BTreeMap, HashMap};
use steward_interop::oneroster::rest::{
    allows, parse_fields, Bases, CodeMinor, Entity, Extras, Layout, ListQuery, RawQuery, RecordJson, RestError,
};
use steward_store::{ApiAccess, RosterPage, RosterQuery, RosterScope, StoreError, Within};

/// Serves `ep` and logs the request for the client: method, path, status and rows returned.
pub async fn serve(
    state: AppState,
    caller: Caller,
    ep: Ep,
    params: Vec<(String, String)>,
    raw: RawQuery,
    uri: Uri,
) -> Response {
    let (res, rows) = match answer(&state, &caller, ep, &params, &raw, &uri).await {
        Ok(ok) => ok,
        Err(e) => (rest_error(&e), 0),
    };
    let path = uri.path();
    state.access_log.record(ApiAccess::now(caller.0.client, "GET", path, res.status().as_u16(), rows));
    res
}

fn store_error(e: StoreError) -> RestError {
    match e {
        StoreError::Invalid { field: "filter", message } => {
            RestError::bad_request(CodeMinor::InvalidFilterField, message)
        }
        other => {
            tracing::error!(error = %other, "OneRoster read failed");
            RestError::internal()
        }
    }
}

async fn answer(
    state: &AppState,
    caller: &Caller,
    ep: Ep,
    params: &[(String, String)],
    raw: &RawQuery,
    uri: &Uri,
) -> Result<(Response, i64), RestError> {
    if !allows(&caller.0.scopes, ep.entity, ep.version) {
        return Err(RestError::forbidden(format!(
            "the access token's scopes do not cover {} ({})",
            ep.entity.plural(),
            ep.version.as_str()
        )));
    }
    let today = chrono::Local::now().date_naive();
    let scope = state.scopes.get(&state.store, caller.0.product_id, today).await.map_err(store_error)?;
    let ids: Vec<&str> = params.iter().map(|(_, v)| v.as_str()).collect();
    let (parents, mut within) = ep.nest.resolve(&ids);
    for (entity, restrict) in parents {
        let q = RosterQuery { within: restrict, limit: 1, ..RosterQuery::new(entity, ep.version) };
        if state.store.roster_list(&scope, &q).await.map_err(store_error)?.records.is_empty() {
            let id = q.within.iter().find_map(|w| if let Within::Id(id) = w { Some(id.clone()) } else { None });
            return Err(RestError::unknown_object(entity.singular(), &id.unwrap_or_default()));
        }
    }
    let bases = Bases::new(&state.settings.public_url, ep.version);
    if ep.single {
        let id = ids.last().copied().unwrap_or_default();
        within.push(Within::Id(id.to_owned()));
        let q = RosterQuery { within, limit: 1, ..RosterQuery::new(ep.entity, ep.version) };
        let page = state.store.roster_list(&scope, &q).await.map_err(store_error)?;
        let fields = raw.fields.as_deref().map(parse_fields).transpose()?;
        let layout = Layout::new(ep.entity, ep.version, &scope.hidden(ep.entity));
        let Some(one) = json_records(&layout, &page, &bases, fields.as_deref()).into_iter().next() else {
            return Err(RestError::unknown_object(ep.entity.singular(), id));
        };
        return Ok((axum::Json(BTreeMap::from([(ep.entity.singular(), one)])).into_response(), 1));
    }
    let lq = ListQuery::parse(raw)?;
    let q = RosterQuery {
        within,
        filter: lq.filter.as_ref(),
        sort: lq.sort.as_deref(),
        descending: lq.descending,
        limit: lq.limit,
        offset: lq.offset,
        ..RosterQuery::new(ep.entity, ep.version)
    };
    let page = list_page(state, &scope, &q).await.map_err(store_error)?;
    let layout = Layout::new(ep.entity, ep.version, &scope.hidden(ep.entity));
    let list = json_records(&layout, &page, &bases, lq.fields.as_deref());
    let rows = list.len() as i64;
    let mut res = axum::Json(BTreeMap::from([(ep.entity.plural(), list)])).into_response();
    let h = res.headers_mut();
    h.insert("x-total-count", HeaderValue::from(page.total));
    if let Some(link) = link_header(&state.settings.public_url, uri, lq.limit, lq.offset, page.total) {
        if let Ok(v) = HeaderValue::from_str(&link) {
            h.insert(header::LINK, v);
        }
    }
    Ok((res, rows))
}

/// One page of a collection: a slice of its snapshot, read by id; or, for a collection too large to keep as one,
/// paged and counted in SQL.
async fn list_page(state: &AppState, scope: &RosterScope, q: &RosterQuery<'_>) -> Result<RosterPage, StoreError> {
    let generation = state.store.roster_generation().await?;
    let key = snapshots::key(&state.settings.database_url, generation, scope, q);
    let most = state.snapshots.most(&key);
    match state.snapshots.get_or_take(&key, || state.store.roster_ids(scope, q, most)).await? {
        Snapshot::Ids(ids) => {
            let at = |n: i64| usize::try_from(n).unwrap_or(0);
            let mut page = state.store.roster_by_ids(scope, q.entity, &ids.page(at(q.offset), at(q.limit))).await?;
            page.total = ids.len() as i64;
            Ok(page)
        }
        Snapshot::TooLarge => state.store.roster_list(scope, q).await,
    }
}

fn of<'a, T>(by_id: &'a HashMap<String, Vec<T>>, id: &str) -> &'a [T] {
    by_id.get(id).map(Vec::as_slice).unwrap_or_default()
}

/// The page's records as JSON, each with the records its fields are made from.
fn json_records<'a>(
    layout: &'a Layout,
    page: &'a RosterPage,
    bases: &'a Bases,
    fields: Option<&'a [String]>,
) -> Vec<RecordJson<'a>> {
    page.records
        .iter()
        .map(|r| {
            let id = r.sourced_id.as_str();
            let extras = Extras {
                roles: of(&page.roles, id),
                children: of(&page.children, id),
                objectives: of(&page.objectives, id),
                score_scales: of(&page.score_scales, id),
            };
            RecordJson { layout, record: r, bases, extras, fields }
        })
        .collect()
}

/// `first`, `prev`, `next` and `last` links: the request's own query with `limit` and `offset` set.
pub fn link_header(origin: &str, uri: &Uri, limit: i64, offset: i64, total: i64) -> Option<String> {
    if total == 0 {
        return None;
    }
    let kept: Vec<(String, String)> = url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .into_owned()
        .filter(|(k, _)| k != "limit" && k != "offset")
        .collect();
    let at = |off: i64| {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.extend_pairs(&kept);
        q.append_pair("limit", &limit.to_string()).append_pair("offset", &off.to_string());
        format!("<{}{}?{}>", origin.trim_end_matches('/'), uri.path(), q.finish())
    };
    let last = (total - 1) / limit * limit;
    let mut links = vec![format!("{}; rel=\"first\"", at(0))];
    if offset > 0 {
        links.push(format!("{}; rel=\"prev\"", at((offset - limit).max(0))));
    }
    if offset + limit < total {
        links.push(format!("{}; rel=\"next\"", at(offset + limit)));
    }
    links.push(format!("{}; rel=\"last\"", at(last)));
    Some(links.join(", "))
}

impl Nest {
    /// The parents a nested path names (each must be visible, else 404) and the restriction on its members.
    fn resolve(self, ids: &[&str]) -> (Vec<(Entity, Vec<Within>)>, Vec<Within>) {
        let id = |i: usize| ids.get(i).map(|s| (*s).to_owned()).unwrap_or_default();
        let school = |i: usize| (Entity::Org, vec![Within::Id(id(i)), Within::Type("school")]);
        let class = |i: usize| (Entity::Class, vec![Within::Id(id(i))]);
        let user = |i: usize, role: Option<&'static str>| {
            let mut w = vec![Within::Id(id(i))];
            w.extend(role.map(Within::Role));
            (Entity::User, w)
        };
        let term = |i: usize| (Entity::AcademicSession, vec![Within::Id(id(i)), Within::Type("term")]);
        use Nest::*;
        match self {
            All => (vec![], vec![]),
            Type(t) => (vec![], vec![Within::Type(t)]),
            Role(r) => (vec![], vec![Within::Role(r)]),
            SchoolClasses => (vec![school(0)], vec![Within::Column("schoolSourcedId", id(0))]),
            SchoolPeople(role) => (vec![school(0)], vec![Within::RoleAt(role, id(0))]),
            SchoolCourses => (vec![school(0)], vec![Within::CoursesAt(id(0))]),
            SchoolEnrollments => (vec![school(0)], vec![Within::Column("schoolSourcedId", id(0))]),
            SchoolTerms => (vec![school(0)], vec![Within::Type("term"), Within::TermsAt(id(0))]),
            SchoolClassPeople(role) => {
                let (e, mut w) = class(1);
                w.push(Within::Column("schoolSourcedId", id(0)));
                (vec![school(0), (e, w)], vec![Within::EnrolledIn(id(1), role)])
            }
            SchoolClassEnrollments => (
                vec![school(0), class(1)],
                vec![Within::Column("classSourcedId", id(1)), Within::Column("schoolSourcedId", id(0))],
            ),
            ClassPeople(role) => (vec![class(0)], vec![Within::EnrolledIn(id(0), role)]),
            CourseClasses => {
                (vec![(Entity::Course, vec![Within::Id(id(0))])], vec![Within::Column("courseSourcedId", id(0))])
            }
            UserClasses(role) => (vec![user(0, role)], vec![Within::ClassesOf(id(0))]),
            TermClasses => (vec![term(0)], vec![Within::ListHas("termSourcedIds", id(0))]),
            TermGradingPeriods => {
                (vec![term(0)], vec![Within::Type("gradingPeriod"), Within::Column("parentSourcedId", id(0))])
            }
            ClassColumn(col) => (vec![class(0)], vec![Within::Column(col, id(0))]),
            ClassResults => (vec![class(0)], vec![Within::ResultsOfClass(id(0))]),
            ClassCategories => (vec![class(0)], vec![Within::CategoriesOf(id(0))]),
            ClassLineItemResults => (
                vec![class(0), (Entity::LineItem, vec![Within::Id(id(1)), Within::Column("classSourcedId", id(0))])],
                vec![Within::Column("lineItemSourcedId", id(1))],
            ),
            ClassStudentResults => (
                vec![class(0), user(1, None)],
                vec![Within::ResultsOfClass(id(0)), Within::Column("studentSourcedId", id(1))],
            ),
            SchoolColumn(col) => (vec![school(0)], vec![Within::Column(col, id(0))]),
            ResourcesOf(parent, file, col) => {
                (vec![(parent, vec![Within::Id(id(0))])], vec![Within::ResourcesOf(file, col, id(0))])
            }
        }
    }
}
