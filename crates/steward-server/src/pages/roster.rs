//! The roster as people read it: schools, classes and people, searchable, each person's classes and products.
//!
//! District reviewers see every school; a school administrator sees their own school's records only (their
//! Steward school is matched to the roster by sourcedId).

use super::extract::{Path, Query};
use super::{render, Chrome};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use steward_core::access::{Action, RosterScope};
use steward_core::grade::GradeBand;
use steward_store::{
    ClassMember, Page, PersonRole, Product, ProductFilter, RosterClass, RosterFilter, RosterPerson, RosterSchool,
};

/// The roster school a viewer is limited to: `None` for every school, `Some(None)` for a school administrator
/// whose school has no sourcedId (the pages are theirs, and empty); roles without roster access are refused.
async fn limit(state: &AppState, viewer: &Viewer) -> Result<Option<Option<String>>, AppError> {
    match viewer.user.access().roster_scope() {
        Some(RosterScope::All) => Ok(None),
        Some(RosterScope::School(id)) => Ok(Some(state.store.org(id).await?.org.sourced_id)),
        None => Err(AppError::Forbidden),
    }
}

/// The school filter to apply: the viewer's own school, or what they asked for.
async fn school_filter(state: &AppState, viewer: &Viewer, asked: &Option<String>) -> Result<Option<String>, AppError> {
    let asked = asked.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    Ok(match limit(state, viewer).await? {
        None => asked,
        // A school with no sourcedId matches nothing in the roster.
        Some(mine) => Some(mine.unwrap_or_else(|| "\u{0}".into())),
    })
}

/// Whether a record of `school` may be shown to the viewer.
async fn may_see(state: &AppState, viewer: &Viewer, school: Option<&str>) -> Result<bool, AppError> {
    Ok(match limit(state, viewer).await? {
        None => true,
        Some(mine) => mine.is_some() && mine.as_deref() == school,
    })
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    school: Option<String>,
    role: Option<String>,
    page: Option<i64>,
}

impl ListQuery {
    fn filter(&self, school: Option<String>) -> RosterFilter {
        let role = self.role.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
        let q = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_owned);
        RosterFilter { q, school, role, page: self.page.unwrap_or(1), per_page: 50 }
    }

    /// The query string for another page of the same list.
    pub fn page_link(&self, page: i64) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("q", &self.q), ("school", &self.school), ("role", &self.role)] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                s.append_pair(k, v);
            }
        }
        s.append_pair("page", &page.to_string());
        format!("?{}", s.finish())
    }

    pub fn value(&self, field: &str) -> &str {
        match field {
            "q" => self.q.as_deref(),
            "school" => self.school.as_deref(),
            "role" => self.role.as_deref(),
            _ => None,
        }
        .unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "roster/schools.html")]
struct SchoolsPage {
    chrome: Chrome,
    schools: Vec<RosterSchool>,
    counts: Vec<(&'static str, i64, i64)>,
    may_manage: bool,
}

pub async fn schools(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    let only = limit(&state, &viewer).await?;
    let schools = match &only {
        None => state.store.roster_schools(None).await?,
        Some(Some(mine)) => state.store.roster_schools(Some(mine)).await?,
        Some(None) => Vec::new(),
    };
    let counts = if only.is_none() { state.store.roster_counts().await? } else { Vec::new() };
    let may_manage = viewer.may(Action::ManageRoster);
    Ok(render(SchoolsPage { chrome: Chrome::new(&viewer, "/roster"), schools, counts, may_manage })?.into_response())
}

#[derive(Template)]
#[template(path = "roster/classes.html")]
struct ClassesPage {
    chrome: Chrome,
    q: ListQuery,
    page: Page<RosterClass>,
    schools: Vec<RosterSchool>,
}

pub async fn classes(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let school = school_filter(&state, &viewer, &q.school).await?;
    let page = state.store.roster_classes(&q.filter(school)).await?;
    let schools =
        if limit(&state, &viewer).await?.is_none() { state.store.roster_schools(None).await? } else { Vec::new() };
    Ok(render(ClassesPage { chrome: Chrome::new(&viewer, "/roster"), q, page, schools })?.into_response())
}

#[derive(Template)]
#[template(path = "roster/class.html")]
struct ClassPage {
    chrome: Chrome,
    class: RosterClass,
    members: Vec<ClassMember>,
}

pub async fn class(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    limit(&state, &viewer).await?;
    let (class, members) = state.store.roster_class(&id).await?;
    if !may_see(&state, &viewer, Some(&class.school_sourced_id)).await? {
        return Err(AppError::Forbidden);
    }
    Ok(render(ClassPage { chrome: Chrome::new(&viewer, "/roster"), class, members })?.into_response())
}

#[derive(Template)]
#[template(path = "roster/people.html")]
struct PeoplePage {
    chrome: Chrome,
    q: ListQuery,
    page: Page<RosterPerson>,
    schools: Vec<RosterSchool>,
}

pub async fn people(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let school = school_filter(&state, &viewer, &q.school).await?;
    let page = state.store.roster_people(&q.filter(school)).await?;
    let schools =
        if limit(&state, &viewer).await?.is_none() { state.store.roster_schools(None).await? } else { Vec::new() };
    Ok(render(PeoplePage { chrome: Chrome::new(&viewer, "/roster"), q, page, schools })?.into_response())
}

#[derive(Template)]
#[template(path = "roster/person.html")]
struct PersonPage {
    chrome: Chrome,
    person: RosterPerson,
    roles: Vec<PersonRole>,
    classes: Vec<RosterClass>,
    products: Vec<Product>,
    steward_school: bool,
}

pub async fn person(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    limit(&state, &viewer).await?;
    let (person, roles, classes) = state.store.roster_person(&id).await?;
    let visible = match limit(&state, &viewer).await? {
        None => true,
        Some(mine) => mine.is_some() && roles.iter().any(|r| Some(&r.org_sourced_id) == mine.as_ref()),
    };
    if !visible {
        return Err(AppError::Forbidden);
    }
    // The products meant for them: approved, licensed at their school (by it or the district), for their grade.
    let school = match &person.school_sourced_id {
        Some(sid) => state.store.schools().await?.into_iter().find(|o| o.org.sourced_id.as_deref() == Some(sid)),
        None => None,
    };
    let products = match &school {
        Some(s) => {
            let grade = person.grades.as_deref().and_then(|g| g.split(',').find_map(|g| GradeBand::parse(g).ok()));
            let filter = ProductFilter {
                approved_only: true,
                school_id: Some(s.id),
                grades: grade,
                page: 1,
                per_page: 100,
                ..ProductFilter::default()
            };
            state.store.products(&filter).await?.items
        }
        None => Vec::new(),
    };
    let steward_school = school.is_some();
    let chrome = Chrome::new(&viewer, "/roster");
    Ok(render(PersonPage { chrome, person, roles, classes, products, steward_school })?.into_response())
}
