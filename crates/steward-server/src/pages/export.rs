//! CSV downloads of the inventory and of contracts, with the filters of the page they come from.

use super::contracts::{scope, ContractQuery};
use super::extract::Query;
use super::products::ListQuery;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use steward_core::access::Action;
use steward_core::enums::Vocabulary;
use steward_core::money::Money;
use steward_core::spend::annual_cost;

/// Cells that a spreadsheet would run as a formula are prefixed with a quote.
fn csv_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

pub(super) fn csv_response(filename: &str, header: &[&str], rows: Vec<Vec<String>>) -> Result<Response, AppError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(AppError::internal)?;
    for row in rows {
        w.write_record(row.iter().map(|c| csv_safe(c))).map_err(AppError::internal)?;
    }
    let body = w.into_inner().map_err(AppError::internal)?;
    let disposition = format!("attachment; filename=\"{filename}\"");
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}

fn codes<V: Vocabulary>(vs: &[V]) -> String {
    vs.iter().map(|v| v.code()).collect::<Vec<_>>().join(";")
}

pub async fn products_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadInventory)?;
    let mut filter = q.filter(10_000);
    filter.page = 1;
    let page = state.store.products(&filter).await?;
    let header = [
        "id",
        "name",
        "vendor",
        "category",
        "status",
        "scope",
        "scope_grades",
        "scope_school_ids",
        "grades",
        "subjects",
        "platforms",
        "sign_on",
        "interop",
        "wcag",
        "data_elements",
        "dpa_status",
        "dpa_expires",
        "essa_tier",
        "website",
        "has_manager",
    ];
    let rows = page
        .items
        .iter()
        .map(|p| {
            let i = &p.product;
            vec![
                p.id.to_string(),
                i.name.clone(),
                p.vendor_name.clone(),
                p.category_name.clone(),
                i.status.code().into(),
                i.scope.code().into(),
                i.scope_grades.map(|g| g.to_string()).unwrap_or_default(),
                i.scope_schools.iter().map(ToString::to_string).collect::<Vec<_>>().join(";"),
                i.grades.to_string(),
                codes(&i.subjects),
                codes(&i.platforms),
                codes(&i.sign_on),
                codes(&i.interop),
                i.wcag.code().into(),
                codes(&i.data_elements),
                i.dpa_status.code().into(),
                i.dpa_expires.map(|d| d.to_string()).unwrap_or_default(),
                i.essa_tier.code().into(),
                i.website.clone().unwrap_or_default(),
                p.has_manager.to_string(),
            ]
        })
        .collect();
    csv_response("steward-products.csv", &header, rows)
}

pub async fn contracts_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ContractQuery>,
) -> Result<Response, AppError> {
    let scope = scope(&viewer)?;
    let contracts = state.store.contracts(&q.filter(scope)).await?;
    let header = [
        "id",
        "product_id",
        "product",
        "category",
        "school",
        "license_model",
        "seats",
        "cost",
        "annual_cost",
        "currency",
        "start_date",
        "end_date",
        "funding_source",
        "purchase_order",
        "auto_renew",
        "notice_days",
    ];
    let rows = contracts
        .iter()
        .map(|c| {
            let k = &c.contract;
            vec![
                c.id.to_string(),
                k.product_id.to_string(),
                c.product_name.clone(),
                c.category_name.clone(),
                c.school_name.clone().unwrap_or_else(|| "District".into()),
                k.license_model.code().into(),
                k.seats.map(|s| s.to_string()).unwrap_or_default(),
                Money::plain(k.cost.minor),
                Money::plain(annual_cost(k).minor),
                k.cost.currency.as_str().into(),
                k.start_date.to_string(),
                k.end_date.to_string(),
                k.funding_source.code().into(),
                k.purchase_order.clone().unwrap_or_default(),
                k.auto_renew.to_string(),
                k.notice_days.to_string(),
            ]
        })
        .collect();
    csv_response("steward-contracts.csv", &header, rows)
}
