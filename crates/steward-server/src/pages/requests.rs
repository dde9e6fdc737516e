//! Requests: the list (one's own, a school's, or every one), the intake form that shows what the district already
//! has before a request is submitted, and the review metrics.

use super::extract::Query;
use super::{options, render, Chrome, Opt};
use crate::auth::{CsrfForm, Viewer};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::HashMap;
use steward_core::access::Action;
use steward_core::enums::{DataElement, Vocabulary};
use steward_core::governance::request::{RequestDraft, RequestStatus};
use steward_core::grade::GradeBand;
use steward_core::usage::ANY_PRODUCT;
use steward_core::FieldErrors;
use steward_store::{ProductFilter, RequestFilter, RequestRow, ReviewMetrics, SchoolCut, UsageFilter};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    /// `mine`, `queue` (waiting on my role) or `all`.
    show: Option<String>,
    status: Option<String>,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "requests/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<RequestRow>,
    total: i64,
    show: String,
    status: String,
    statuses: Vec<Opt>,
    may_request: bool,
    may_see_all: bool,
}

pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::RequestProducts)?;
    let me = viewer.user.access();
    let may_see_all = viewer.may(Action::ReadRequest { requester: None, school: None });
    let school_admin = me.role == steward_core::role::Role::SchoolAdmin;
    let show = q.show.clone().unwrap_or_else(|| if may_see_all { "queue".into() } else { "mine".into() });
    let mut f = RequestFilter { page: q.page.unwrap_or(1), per_page: 100, ..Default::default() };
    f.status = q.status.as_deref().filter(|s| !s.is_empty()).and_then(|s| RequestStatus::parse(s).ok());
    match show.as_str() {
        "queue" => {
            f.open_only = true;
            f.reviewer = Some((me.role, me.school_id.filter(|_| me.role.requires_school())));
        }
        "all" if may_see_all => {}
        "school" if school_admin => f.school_id = me.school_id,
        _ => f.requester_id = Some(me.user_id),
    }
    let page = state.store.requests(&f).await?;
    let policy = state.store.policy_in_force().await?;
    Ok(render(ListPage {
        chrome: Chrome::new(&viewer, "/requests"),
        rows: page.items,
        total: page.total,
        show,
        status: f.status.map(|s| s.code().to_owned()).unwrap_or_default(),
        statuses: options::<RequestStatus>(),
        may_request: me.may_request(&policy.policy),
        may_see_all,
    })?
    .into_response())
}

/// Something the district already has that a request overlaps.
pub struct Overlap {
    pub product_id: i64,
    pub name: String,
    pub why: String,
    pub status: &'static str,
    /// Distinct people active in the last 30 days, where usage is known.
    pub active_30: Option<u64>,
}

#[derive(Template)]
#[template(path = "requests/form.html")]
struct FormPage {
    chrome: Chrome,
    d: RequestDraft,
    errors: FieldErrors,
    products: Vec<Opt>,
    categories: Vec<Opt>,
    schools: Vec<Opt>,
    data_elements: Vec<Opt>,
    overlaps: Vec<Overlap>,
    /// Whether the overlaps were worked out (the check was made).
    checked: bool,
}

impl FormPage {
    fn err(&self, f: &str) -> Option<&str> {
        self.errors.get(f)
    }
}

/// What the district owns that a request for this product, or for this category and grades, overlaps.
pub async fn overlaps(state: &AppState, d: &RequestDraft) -> Result<Vec<Overlap>, AppError> {
    let product_id: Option<i64> = d.product_id.trim().parse().ok();
    let mut category: Option<i64> = d.category_id.trim().parse().ok();
    let grades = GradeBand::parse(&d.grades).ok();
    let all = state.store.products(&ProductFilter { per_page: 10_000, ..Default::default() }).await?.items;
    if let Some(p) = product_id.and_then(|id| all.iter().find(|p| p.id == id)) {
        category = Some(p.product.category_id);
    }
    let today = chrono::Utc::now().date_naive();
    let f =
        UsageFilter { product: None, schools: SchoolCut::Every, from: today - chrono::Duration::days(29), to: today };
    let active: HashMap<i64, u64> = state
        .store
        .usage_totals(&f)
        .await?
        .into_iter()
        .filter(|t| t.product_id != ANY_PRODUCT)
        .map(|t| (t.product_id, t.active))
        .collect();
    let mut out = Vec::new();
    for p in &all {
        let same = Some(p.id) == product_id;
        let similar = !same
            && p.product.status.is_approved()
            && Some(p.product.category_id) == category
            && grades.is_none_or(|g| g.overlaps(p.product.grades));
        if !same && !similar {
            continue;
        }
        let why = if same {
            format!(
                "The district already has this product in its inventory ({}).",
                p.product.status.label().to_lowercase()
            )
        } else {
            format!("Approved in the same category ({}), for grades {}.", p.category_name, p.product.grades)
        };
        out.push(Overlap {
            product_id: p.id,
            name: p.product.name.clone(),
            why,
            status: p.product.status.label(),
            active_30: active.get(&p.id).copied(),
        });
    }
    out.sort_by_key(|o| (o.product_id != product_id.unwrap_or(0), std::cmp::Reverse(o.active_30)));
    Ok(out)
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    d: RequestDraft,
    errors: FieldErrors,
    checked: bool,
) -> Result<FormPage, AppError> {
    let overlaps = if checked { overlaps(state, &d).await? } else { vec![] };
    let opt = |value: i64, label: String| Opt { value: value.to_string(), label };
    Ok(FormPage {
        chrome: Chrome::new(viewer, "/requests"),
        products: state.store.product_names().await?.into_iter().map(|p| opt(p.id, p.name)).collect(),
        categories: state.store.categories().await?.into_iter().map(|c| opt(c.id, c.category.name)).collect(),
        schools: state.store.schools().await?.into_iter().map(|s| opt(s.id, s.org.name)).collect(),
        data_elements: options::<DataElement>(),
        d,
        errors,
        overlaps,
        checked,
    })
}

async fn may_request(state: &AppState, viewer: &Viewer) -> Result<(), AppError> {
    viewer.require(Action::RequestProducts)?;
    let policy = state.store.policy_in_force().await?;
    if viewer.user.access().may_request(&policy.policy) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    may_request(&state, &viewer).await?;
    let mut d = RequestDraft::from_pairs(&pairs);
    if d.schools.is_empty() {
        d.schools.extend(viewer.user.school_id.map(|s| s.to_string()));
    }
    let checked = !d.product_id.is_empty() || !d.category_id.is_empty();
    Ok(render(form_page(&state, &viewer, d, FieldErrors::new(), checked).await?)?.into_response())
}

/// Submits a request. Its overlaps are shown first: a request that overlaps what the district has is submitted only
/// once the requester has seen them. The form's `action` is `check` to only show them; `seen_overlaps` is set once
/// they were shown.
pub async fn create(
    State(state): State<AppState>,
    CsrfForm(viewer, pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    may_request(&state, &viewer).await?;
    let p = steward_core::fields::Pairs(&pairs);
    let d = RequestDraft::from_pairs(&pairs);
    let unseen = !p.on("seen_overlaps") && !overlaps(&state, &d).await?.is_empty();
    if p.one("action") == "check" || unseen {
        return Ok(render(form_page(&state, &viewer, d, FieldErrors::new(), true).await?)?.into_response());
    }
    let invalid = |errors| async {
        let page = form_page(&state, &viewer, d.clone(), errors, true).await?;
        Ok::<_, AppError>((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
    };
    let input = match d.validate() {
        Ok(i) => i,
        Err(e) => return invalid(e).await,
    };
    match state.store.create_request(&viewer.user, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/requests/{id}?notice=created")).into_response()),
        Err(e) => invalid(super::form_errors(e.into())?).await,
    }
}

#[derive(Template)]
#[template(path = "requests/metrics.html")]
struct MetricsPage {
    chrome: Chrome,
    m: ReviewMetrics,
}

pub async fn metrics(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Action::ReadReviewMetrics)?;
    let m = state.store.review_metrics().await?;
    Ok(render(MetricsPage { chrome: Chrome::new(&viewer, "/requests"), m })?.into_response())
}

/// Days as people read them: `2.5 days`, or a dash for none.
pub fn days(d: &Option<f64>) -> String {
    d.map_or("—".into(), |d| format!("{d:.1} days"))
}
