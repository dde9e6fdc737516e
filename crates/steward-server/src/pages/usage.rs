//! Usage across the district: people active, launches and hours by product over a range and day by day, as a
//! page and as CSV; the discovery queue of products the inventory does not hold, adopted into a product or
//! dismissed with a reason; and the users no roster record matched.

use super::extract::{Path, Query};
use super::{render, Chrome};
use crate::auth::{CsrfForm, Viewer};
use crate::charts;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use std::collections::HashMap;
use steward_core::access::Action;
use steward_core::usage::ANY_PRODUCT;
use steward_store::{Discovery, ProductSummary, SchoolCut, StrangerRow, UsageFilter};

/// The longest range one page reads.
const MAX_DAYS: i64 = 800;

#[derive(Deserialize, Default)]
pub struct RangeQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

impl RangeQuery {
    /// The days asked for: `from..=to`, by default the thirty days ending today.
    pub fn days(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), AppError> {
        let parse = |name: &str, v: &str, default: NaiveDate| match v.trim() {
            "" => Ok(default),
            s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| AppError::BadRequest(format!("`{name}` must be a date such as 2026-10-05, not '{s}'"))),
        };
        let to = parse("to", &self.to, today)?;
        let from = parse("from", &self.from, to - Duration::days(29))?;
        if from > to {
            return Err(AppError::BadRequest("`from` must not be after `to`".into()));
        }
        if (to - from).num_days() >= MAX_DAYS {
            return Err(AppError::BadRequest(format!("a range of at most {MAX_DAYS} days, please")));
        }
        Ok((from, to))
    }
}

/// One product's use over the range.
#[derive(Clone)]
pub struct ProductRow {
    pub id: i64,
    pub name: String,
    pub active: u64,
    pub launches: i64,
    pub events: i64,
    pub hours: String,
    pub schools: i64,
}

#[derive(Template)]
#[template(path = "usage/dashboard.html")]
struct UsagePage {
    chrome: Chrome,
    from: NaiveDate,
    to: NaiveDate,
    active: u64,
    daily: u64,
    weekly: u64,
    monthly: u64,
    events: i64,
    hours: String,
    rows: std::sync::Arc<Vec<ProductRow>>,
    chart_svg: String,
    open_discoveries: usize,
    unmatched: i64,
    may_see_contracts: bool,
    /// The waste finder's total, for those who see contracts.
    waste: Option<steward_core::spend::Totals>,
}

fn hours(seconds: i64) -> String {
    format!("{:.1}", seconds as f64 / 3600.0)
}

/// Distinct people active on any product over `from..=to`, across the district.
async fn people_active(state: &AppState, from: NaiveDate, to: NaiveDate) -> Result<u64, AppError> {
    let filter = UsageFilter { product: Some(ANY_PRODUCT), schools: SchoolCut::Every, from, to };
    Ok(state.store.usage_counts(&filter).await?.values().map(|c| c.users.len()).sum())
}

/// Each product's use over the range, most people first.
async fn product_rows(state: &AppState, from: NaiveDate, to: NaiveDate) -> Result<Vec<ProductRow>, AppError> {
    let names: HashMap<i64, String> =
        state.store.product_names().await?.into_iter().map(|p: ProductSummary| (p.id, p.name)).collect();
    let whole = state.store.usage_totals(&UsageFilter { product: None, schools: SchoolCut::Every, from, to }).await?;
    let schools = state.store.usage_school_counts(from, to).await?;
    Ok(whole
        .into_iter()
        .map(|t| ProductRow {
            id: t.product_id,
            name: names.get(&t.product_id).cloned().unwrap_or_else(|| format!("Product {}", t.product_id)),
            active: t.active,
            launches: t.launches,
            events: t.events,
            hours: hours(t.seconds),
            schools: schools.get(&t.product_id).copied().unwrap_or(0),
        })
        .collect())
}

/// A range's figures, the same for everyone who may read usage.
#[derive(Clone)]
pub struct Figures {
    active: u64,
    daily: u64,
    weekly: u64,
    monthly: u64,
    events: i64,
    hours: String,
    rows: std::sync::Arc<Vec<ProductRow>>,
    chart_svg: String,
}

/// The dashboard's figures per (from, to, roster generation, change generation), reused for a minute: usage that
/// arrived since shows within it.
pub type DashboardCache = crate::fresh::Fresh<(NaiveDate, NaiveDate, i64, i64), Figures>;

async fn figures(state: &AppState, from: NaiveDate, to: NaiveDate) -> Result<Figures, AppError> {
    let rows = product_rows(state, from, to).await?;
    let days = state.store.usage_days(ANY_PRODUCT, None, from, to).await?;
    let points: Vec<(NaiveDate, u64)> = days.iter().map(|(d, c)| (*d, c.users.len())).collect();
    Ok(Figures {
        active: people_active(state, from, to).await?,
        daily: people_active(state, to, to).await?,
        weekly: people_active(state, to - Duration::days(6), to).await?,
        monthly: people_active(state, to - Duration::days(29), to).await?,
        events: rows.iter().map(|r| r.events).sum(),
        hours: hours(days.iter().map(|(_, c)| c.seconds).sum()),
        chart_svg: charts::daily(&points, from, to, 720).map_err(AppError::internal)?,
        rows: std::sync::Arc::new(rows),
    })
}

pub async fn dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadUsage)?;
    let (from, to) = q.days(chrono::Local::now().date_naive())?;
    let key = (from, to, state.store.roster_generation().await?, state.store.change_generation().await?);
    let f = state.dashboards.get_or(key, figures(&state, from, to)).await?;
    let page = UsagePage {
        chrome: Chrome::new(&viewer, "/usage"),
        from,
        to,
        active: f.active,
        daily: f.daily,
        weekly: f.weekly,
        monthly: f.monthly,
        events: f.events,
        hours: f.hours,
        chart_svg: f.chart_svg,
        rows: f.rows,
        open_discoveries: state.store.usage_discoveries("open").await?.len(),
        unmatched: state.store.usage_strangers(0).await?.1,
        may_see_contracts: viewer.may(Action::ReadDistrictSpend),
        waste: if viewer.may(Action::ReadDistrictSpend) {
            Some(super::waste::total(&super::waste::findings(&state, chrono::Local::now().date_naive()).await?))
        } else {
            None
        },
    };
    Ok(render(page)?.into_response())
}

pub async fn dashboard_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadUsage)?;
    let (from, to) = q.days(chrono::Local::now().date_naive())?;
    let rows = product_rows(&state, from, to).await?;
    let header = ["product_id", "product", "from", "to", "people_active", "launches", "events", "hours", "schools"];
    let rows = rows
        .into_iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.name,
                from.to_string(),
                to.to_string(),
                r.active.to_string(),
                r.launches.to_string(),
                r.events.to_string(),
                r.hours,
                r.schools.to_string(),
            ]
        })
        .collect();
    super::export::csv_response(&format!("usage-{from}-{to}.csv"), &header, rows)
}

#[derive(Deserialize, Default)]
pub struct MonthsQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// Distinct people active per product, school and month (`YYYY-MM`), by default the twelve months to this one:
/// the exact counts kept as events arrive, read without recounting.
pub async fn monthly_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<MonthsQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadUsage)?;
    let today = chrono::Local::now().date_naive();
    let month = |name: &str, v: &str, default: String| match v.trim() {
        "" => Ok(default),
        s if NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").is_ok() && s.len() == 7 => Ok(s.to_owned()),
        s => Err(AppError::BadRequest(format!("`{name}` must be a month such as 2026-10, not '{s}'"))),
    };
    let to = month("to", &q.to, today.format("%Y-%m").to_string())?;
    let from = month("from", &q.from, (today - Duration::days(334)).format("%Y-%m").to_string())?;
    let names: HashMap<i64, String> = state.store.product_names().await?.into_iter().map(|p| (p.id, p.name)).collect();
    let domains = state.store.launch_domains().await?;
    let schools: HashMap<i64, (String, String)> = state
        .store
        .schools()
        .await?
        .into_iter()
        .map(|s| (s.id, (s.org.name, s.org.sourced_id.unwrap_or_default())))
        .collect();
    let rows = state
        .store
        .usage_months(&from, &to)
        .await?
        .into_iter()
        .map(|(product, school, month, active)| {
            let (school_name, sourced_id) = schools.get(&school).cloned().unwrap_or_default();
            vec![
                product.to_string(),
                names.get(&product).cloned().unwrap_or_default(),
                domains.get(&product).cloned().unwrap_or_default(),
                school.to_string(),
                school_name,
                sourced_id,
                month,
                active.to_string(),
            ]
        })
        .collect();
    let header = [
        "product_id",
        "product",
        "launch_domain",
        "school_id",
        "school",
        "school_sourced_id",
        "month",
        "people_active",
    ];
    super::export::csv_response(&format!("usage-monthly-{from}-{to}.csv"), &header, rows)
}

#[derive(Template)]
#[template(path = "usage/discoveries.html")]
struct DiscoveriesPage {
    chrome: Chrome,
    open: Vec<(Discovery, Vec<String>)>,
    closed: Vec<Discovery>,
    products: Vec<ProductSummary>,
    may_act: bool,
    /// The entry a refused form was about, and why.
    error: Option<(i64, String)>,
}

impl DiscoveriesPage {
    fn error_for(&self, id: &i64) -> Option<&str> {
        self.error.as_ref().filter(|(e, _)| e == id).map(|(_, m)| m.as_str())
    }
}

/// `domain:host` → (what it is, the value).
pub fn describe(key: &str) -> (&'static str, &str) {
    match key.split_once(':') {
        Some(("domain", v)) => ("Web address", v),
        Some(("lti", v)) => ("LTI client", v),
        Some(("product", v)) => ("Product id not in the inventory", v),
        _ => ("Other", key),
    }
}

async fn discoveries_page(
    state: &AppState,
    viewer: &Viewer,
    error: Option<(i64, String)>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadUsage)?;
    let schools: HashMap<i64, String> = state.store.schools().await?.into_iter().map(|s| (s.id, s.org.name)).collect();
    let open = state
        .store
        .usage_discoveries("open")
        .await?
        .into_iter()
        .map(|d| {
            let names =
                d.schools.iter().map(|s| schools.get(s).cloned().unwrap_or_else(|| format!("School {s}"))).collect();
            (d, names)
        })
        .collect();
    let mut closed = state.store.usage_discoveries("added").await?;
    closed.extend(state.store.usage_discoveries("dismissed").await?);
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = DiscoveriesPage {
        chrome: Chrome::new(viewer, "/usage"),
        open,
        closed,
        products: state.store.product_names().await?,
        may_act: viewer.may(Action::ManageDiscoveries),
        error,
    };
    Ok((status, render(page)?).into_response())
}

pub async fn discoveries(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    discoveries_page(&state, &viewer, None).await
}

#[derive(Deserialize)]
pub struct AdoptForm {
    #[serde(default)]
    product_id: String,
}

pub async fn adopt(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, form): CsrfForm<AdoptForm>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageDiscoveries)?;
    state.store.usage_discovery(id).await?;
    let Ok(product) = form.product_id.trim().parse::<i64>() else {
        return discoveries_page(&state, &viewer, Some((id, "Choose the product these events are use of.".into())))
            .await;
    };
    let done = state.store.adopt_discovery(&viewer.actor(), id, product).await.map(|_| ());
    after(&state, &viewer, id, done).await
}

/// Back to the queue after an action, or the queue with the entry's error when the store refused it.
async fn after(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    done: Result<(), steward_store::StoreError>,
) -> Result<Response, AppError> {
    match done {
        Ok(()) => Ok(Redirect::to("/usage/discoveries").into_response()),
        Err(steward_store::StoreError::Invalid { message, .. }) => {
            discoveries_page(state, viewer, Some((id, message))).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct DismissForm {
    #[serde(default)]
    reason: String,
}

pub async fn dismiss(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, form): CsrfForm<DismissForm>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageDiscoveries)?;
    state.store.usage_discovery(id).await?;
    let done = state.store.dismiss_discovery(&viewer.actor(), id, &form.reason).await;
    after(&state, &viewer, id, done).await
}

#[derive(Template)]
#[template(path = "usage/unmatched.html")]
struct UnmatchedPage {
    chrome: Chrome,
    rows: Vec<(StrangerRow, Vec<String>)>,
    total: i64,
}

pub async fn unmatched(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Action::ReadUsage)?;
    let names: HashMap<i64, String> = state.store.product_names().await?.into_iter().map(|p| (p.id, p.name)).collect();
    let (rows, total) = state.store.usage_strangers(500).await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let products =
                r.products.iter().map(|p| names.get(p).cloned().unwrap_or_else(|| format!("Product {p}"))).collect();
            (r, products)
        })
        .collect();
    Ok(render(UnmatchedPage { chrome: Chrome::new(&viewer, "/usage"), rows, total })?.into_response())
}
