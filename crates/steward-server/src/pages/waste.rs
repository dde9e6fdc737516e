//! The waste finder's page: every finding with its evidence, yearly saving and recommended action, the total found,
//! and dismissing one with a reason (audited); the findings as CSV.

use super::extract::Query;
use super::utilization::{require, rows};
use super::{render, Chrome};
use crate::auth::{CsrfForm, Viewer};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::HashMap;
use steward_core::enums::Vocabulary;
use steward_core::spend::annual_cost;
use steward_core::spend::Totals;
use steward_core::waste::{find, ContractUse, Finding};
use steward_store::Dismissal;

/// Every finding today, each with its dismissal when it was set aside.
pub async fn findings(state: &AppState, today: NaiveDate) -> Result<Vec<(Finding, Option<Dismissal>)>, AppError> {
    let rows = rows(state, today).await?;
    let all = steward_store::ProductFilter { per_page: 10_000, ..Default::default() };
    let products: HashMap<i64, steward_store::Product> =
        state.store.products(&all).await?.items.into_iter().map(|p| (p.id, p)).collect();
    let uses: Vec<ContractUse> = rows
        .into_iter()
        .map(|r| {
            let p = products.get(&r.contract.contract.product_id).map(|p| &p.product);
            ContractUse {
                id: r.contract.id,
                product_id: r.contract.contract.product_id,
                product: r.contract.product_name.clone(),
                school: r.contract.contract.school_id,
                school_name: r.contract.school_name.clone().unwrap_or_else(|| "The district".into()),
                model: r.contract.contract.license_model,
                annual: annual_cost(&r.contract.contract),
                seats: r.u.seats,
                active_90: r.u.active_90,
                days_in: (today - r.contract.contract.start_date).num_days(),
                category: r.contract.category_id,
                subjects: p.map(|p| p.subjects.iter().map(|s| s.code().to_owned()).collect()).unwrap_or_default(),
                grades: p.map_or((0, 12), |p| (p.grades.low.number(), p.grades.high.number())),
            }
        })
        .collect();
    let mut dismissed = state.store.waste_dismissals().await?;
    Ok(find(&uses)
        .into_iter()
        .map(|f| {
            let d = dismissed.remove(&f.key);
            (f, d)
        })
        .collect())
}

/// What the open findings would save in a year.
pub fn total(findings: &[(Finding, Option<Dismissal>)]) -> Totals {
    let mut t = Totals::default();
    for (f, _) in findings.iter().filter(|(_, d)| d.is_none()) {
        t.add(&f.savings);
    }
    t
}

#[derive(Template)]
#[template(path = "usage/waste.html")]
struct WastePage {
    chrome: Chrome,
    today: NaiveDate,
    total: Totals,
    open: Vec<Finding>,
    dismissed: Vec<(Finding, Dismissal)>,
    error: Option<(String, String)>,
    /// The open findings' savings, largest first.
    chart_svg: String,
}

impl WastePage {
    fn error_for(&self, key: &str) -> Option<&str> {
        self.error.as_ref().filter(|(k, _)| k == key).map(|(_, m)| m.as_str())
    }
}

async fn page(state: &AppState, viewer: &Viewer, error: Option<(String, String)>) -> Result<Response, AppError> {
    require(viewer)?;
    let today = chrono::Local::now().date_naive();
    let all = findings(state, today).await?;
    let total = total(&all);
    let (mut open, mut dismissed) = (Vec::new(), Vec::new());
    for (f, d) in all {
        match d {
            Some(d) => dismissed.push((f, d)),
            None => open.push(f),
        }
    }
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let bars: Vec<(String, i64)> =
        open.iter().map(|f| (format!("{}: {}", f.product, f.kind.label()), f.savings.minor)).collect();
    let chart_svg = crate::charts::bars(&bars, 720).map_err(AppError::internal)?;
    let page = WastePage { chrome: Chrome::new(viewer, "/usage"), today, total, open, dismissed, error, chart_svg };
    Ok((status, render(page)?).into_response())
}

pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    page(&state, &viewer, None).await
}

#[derive(Deserialize, Default)]
pub struct NoQuery {}

pub async fn csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(_): Query<NoQuery>,
) -> Result<Response, AppError> {
    require(&viewer)?;
    let today = chrono::Local::now().date_naive();
    let header = ["key", "kind", "product", "evidence", "yearly_saving", "action", "dismissed_for"];
    let rows = findings(&state, today)
        .await?
        .into_iter()
        .map(|(f, d)| {
            vec![
                f.key,
                f.kind.label().to_owned(),
                f.product,
                f.evidence,
                f.savings.to_string(),
                f.action,
                d.map(|d| d.reason).unwrap_or_default(),
            ]
        })
        .collect();
    super::export::csv_response(&format!("waste-{today}.csv"), &header, rows)
}

#[derive(Deserialize)]
pub struct DismissForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    reason: String,
}

pub async fn dismiss(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<DismissForm>,
) -> Result<Response, AppError> {
    require(&viewer)?;
    let today = chrono::Local::now().date_naive();
    let Some((finding, None)) = findings(&state, today).await?.into_iter().find(|(f, _)| f.key == form.key) else {
        return Err(AppError::NotFound);
    };
    let summary = format!("{}: {}", finding.product, finding.kind.label());
    match state.store.dismiss_finding(&viewer.actor(), &finding.key, &summary, &form.reason).await {
        Ok(()) => Ok(Redirect::to("/usage/waste").into_response()),
        Err(steward_store::StoreError::Invalid { message, .. }) => {
            page(&state, &viewer, Some((finding.key, message))).await
        }
        Err(e) => Err(e.into()),
    }
}
