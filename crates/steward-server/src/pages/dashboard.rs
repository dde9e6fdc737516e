//! The staff dashboard: products by status, annual spend, spend by category, renewals due, ownership gaps.

use super::{render, Chrome};
use crate::auth::Viewer;
use crate::charts;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use steward_core::access::Action;
use steward_core::enums::Vocabulary;
use steward_core::renewal::RenewalOutlook;
use steward_core::spend::{annual_spend_by, grand_total, Totals};
use steward_store::{Contract, ContractFilter, Product, ProductFilter};

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    statuses: Vec<(&'static str, &'static str, i64)>,
    product_total: i64,
    show_money: bool,
    /// Whose spend the money figures are: the district's, or one school's.
    spend_of: String,
    annual_spend: Totals,
    chart_svg: String,
    renewals: Vec<(Contract, RenewalOutlook)>,
    unowned: Vec<Product>,
    unowned_total: i64,
}

pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    if !viewer.may(Action::ViewDashboard) {
        return Ok(Redirect::to("/catalog").into_response());
    }
    let today = chrono::Local::now().date_naive();
    let counts = state.store.product_status_counts().await?;
    let statuses = counts.iter().map(|(s, n)| (s.code(), s.label(), *n)).collect();
    let product_total = counts.iter().map(|(_, n)| n).sum();
    let scope = viewer.user.access().contract_scope();
    let (mut annual_spend, mut chart_svg, mut renewals) = (Totals::default(), String::new(), Vec::new());
    if let Some(scope) = scope {
        let contracts = state.store.contracts(&ContractFilter { scope: Some(scope), ..Default::default() }).await?;
        let by_category = annual_spend_by(contracts.iter().map(|c| (c.category_name.clone(), &c.contract)), today);
        annual_spend = grand_total(by_category.iter().map(|r| &r.1));
        let rows: Vec<(String, i64)> = by_category.iter().map(|(k, t)| (k.clone(), t.primary_minor())).collect();
        chart_svg = charts::bars(&rows, 720).map_err(AppError::internal)?;
        renewals = contracts
            .into_iter()
            .map(|c| {
                let o = RenewalOutlook::of(today, c.contract.end_date, c.contract.notice_days);
                (c, o)
            })
            .filter(|(_, o)| o.window.is_some_and(|w| w <= 90))
            .collect();
    }
    let unowned_page =
        state.store.products(&ProductFilter { without_manager: true, per_page: 10, ..Default::default() }).await?;
    let spend_of = match scope {
        Some(steward_core::access::ContractScope::School(id)) => state.store.org(id).await?.org.name,
        _ => "the district and its schools".to_owned(),
    };
    let page = DashboardPage {
        spend_of,
        chrome: Chrome::new(&viewer, "/"),
        statuses,
        product_total,
        show_money: scope.is_some(),
        annual_spend,
        chart_svg,
        renewals,
        unowned_total: unowned_page.total,
        unowned: unowned_page.items,
    };
    Ok(render(page)?.into_response())
}
