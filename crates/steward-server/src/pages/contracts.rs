//! Contracts: list, detail, create, edit and delete, the renewal calendar, and spend totals.

use super::extract::{Path, Query};
use super::NoticeQuery;
use super::{err, options, render, saved, submit, Chrome, Opt, Outcome};
use crate::auth::{CsrfForm, Viewer};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use steward_core::access::{Action, ContractScope};
use steward_core::contract::ContractDraft;
use steward_core::enums::{FundingSource, LicenseModel, Vocabulary};
use steward_core::money::CURRENCIES;
use steward_core::renewal::{parse_window, RenewalOutlook, WINDOWS};
use steward_core::spend::{annual_cost, annual_spend_by, grand_total, Totals};
use steward_core::FieldErrors;
use steward_store::{Contract, ContractFilter, Org, ProductSummary};

pub fn scope(viewer: &Viewer) -> Result<ContractScope, AppError> {
    viewer.user.access().contract_scope().ok_or(AppError::Forbidden)
}

/// The contract list's filters, shared with its CSV download.
#[derive(Debug, Default, Deserialize)]
pub struct ContractQuery {
    notice: Option<String>,
    school: Option<String>,
    funding: Option<String>,
    model: Option<String>,
    in_force: Option<String>,
}

impl ContractQuery {
    /// The store filter within `scope`; `school=district` means the district's own purchases.
    pub fn filter(&self, scope: ContractScope) -> ContractFilter {
        let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        ContractFilter {
            scope: Some(scope),
            school_id: super::opt_id(&self.school),
            district_only: given(&self.school).as_deref() == Some("district"),
            funding_source: given(&self.funding).and_then(|f| FundingSource::parse(&f).ok()),
            license_model: given(&self.model).and_then(|m| LicenseModel::parse(&m).ok()),
            active_on: (self.in_force.as_deref() == Some("1")).then(|| chrono::Local::now().date_naive()),
            ..Default::default()
        }
    }

    /// The same filters as a query string, for the CSV link.
    fn query_string(&self) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in
            [("school", &self.school), ("funding", &self.funding), ("model", &self.model), ("in_force", &self.in_force)]
        {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                s.append_pair(k, v);
            }
        }
        s.finish()
    }

    fn val(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "contracts/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<(Contract, String)>,
    total: Totals,
    q: ContractQuery,
    schools: Vec<Org>,
    district_visible: bool,
    models: Vec<Opt>,
    funding: Vec<Opt>,
}

pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ContractQuery>,
) -> Result<Response, AppError> {
    let scope = scope(&viewer)?;
    let today = chrono::Local::now().date_naive();
    let contracts = state.store.contracts(&q.filter(scope)).await?;
    let total = grand_total(annual_spend_by(contracts.iter().map(|c| ((), &c.contract)), today).iter().map(|r| &r.1));
    let rows = contracts
        .into_iter()
        .map(|c| {
            let a = annual_cost(&c.contract).to_string();
            (c, a)
        })
        .collect();
    let mut schools = state.store.schools().await?;
    schools.retain(|s| viewer.may(Action::ReadContracts { school: Some(s.id) }));
    let page = ListPage {
        chrome: Chrome::new(&viewer, "/contracts").with_notice(q.notice.as_deref()),
        rows,
        total,
        schools,
        district_visible: viewer.may(Action::ReadContracts { school: None }),
        models: options::<LicenseModel>(),
        funding: options::<FundingSource>(),
        q,
    };
    Ok(render(page)?.into_response())
}

#[derive(Template)]
#[template(path = "contracts/show.html")]
struct ShowPage {
    chrome: Chrome,
    c: Contract,
    annual: String,
    outlook: RenewalOutlook,
    /// Whether the viewer may open its renewal packet (usage and every contract).
    may_packet: bool,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    scope(&viewer)?;
    let c = state.store.contract(id).await?;
    viewer.require(Action::ReadContracts { school: c.contract.school_id })?;
    let outlook = RenewalOutlook::of(chrono::Local::now().date_naive(), c.contract.end_date, c.contract.notice_days);
    let annual = annual_cost(&c.contract).to_string();
    let chrome = Chrome::new(&viewer, "/contracts").with_notice(q.notice.as_deref());
    let may_packet = viewer.may(Action::ReadUsage) && viewer.may(Action::ReadDistrictSpend);
    Ok(render(ShowPage { chrome, c, annual, outlook, may_packet })?.into_response())
}

#[derive(Template)]
#[template(path = "contracts/form.html")]
struct FormPage {
    chrome: Chrome,
    id: Option<i64>,
    d: ContractDraft,
    errors: FieldErrors,
    products: Vec<ProductSummary>,
    schools: Vec<Org>,
    district_allowed: bool,
    models: Vec<Opt>,
    funding: Vec<Opt>,
    currencies: &'static [&'static str],
}

impl FormPage {
    fn err(&self, f: &str) -> Option<&str> {
        err(&self.errors, f)
    }
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    id: Option<i64>,
    d: ContractDraft,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut schools = state.store.schools().await?;
    let district_allowed = viewer.may(Action::EditContract { school: None });
    schools.retain(|s| viewer.may(Action::EditContract { school: Some(s.id) }));
    let page = FormPage {
        chrome: Chrome::new(viewer, "/contracts"),
        id,
        d,
        errors,
        products: state.store.product_names().await?,
        schools,
        district_allowed,
        models: options::<LicenseModel>(),
        funding: options::<FundingSource>(),
        currencies: CURRENCIES,
    };
    Ok((status, render(page)?).into_response())
}

#[derive(Deserialize)]
pub struct NewQuery {
    product: Option<i64>,
}

pub async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let scope = scope(&viewer)?;
    let mut d = ContractDraft { currency: "USD".into(), funding_source: "general_fund".into(), ..Default::default() };
    d.product_id = q.product.map(|p| p.to_string()).unwrap_or_default();
    if let ContractScope::School(s) = scope {
        d.school_id = s.to_string();
    }
    form_page(&state, &viewer, None, d, FieldErrors::new()).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    scope(&viewer)?;
    let c = state.store.contract(id).await?;
    viewer.require(Action::EditContract { school: c.contract.school_id })?;
    form_page(&state, &viewer, Some(id), c.contract.to_draft(), FieldErrors::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    CsrfForm(viewer, d): CsrfForm<ContractDraft>,
) -> Result<Response, AppError> {
    save(state, viewer, None, d).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, d): CsrfForm<ContractDraft>,
) -> Result<Response, AppError> {
    scope(&viewer)?;
    let existing = state.store.contract(id).await?;
    viewer.require(Action::EditContract { school: existing.contract.school_id })?;
    save(state, viewer, Some(id), d).await
}

async fn save(state: AppState, viewer: Viewer, id: Option<i64>, d: ContractDraft) -> Result<Response, AppError> {
    scope(&viewer)?;
    let validated = d.validate();
    if let Ok(input) = &validated {
        // Checked against the school the contract would belong to after the change.
        viewer.require(Action::EditContract { school: input.school_id })?;
    }
    let (store, actor) = (&state.store, viewer.actor());
    let outcome = submit(validated, |input| async move {
        let cid = store.save_contract(&actor, id, &input).await?;
        Ok(format!("/contracts/{cid}?notice={}", saved(id)))
    })
    .await?;
    match outcome {
        Outcome::Saved(to) => Ok(Redirect::to(&to).into_response()),
        Outcome::Invalid(errors) => form_page(&state, &viewer, id, d, errors).await,
    }
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, _): CsrfForm<super::account::Empty>,
) -> Result<Redirect, AppError> {
    scope(&viewer)?;
    let c = state.store.contract(id).await?;
    viewer.require(Action::EditContract { school: c.contract.school_id })?;
    state.store.delete_contract(&viewer.actor(), id).await?;
    Ok(Redirect::to("/contracts?notice=deleted"))
}

#[derive(Deserialize)]
pub struct WindowQuery {
    window: Option<String>,
}

#[derive(Template)]
#[template(path = "contracts/renewals.html")]
struct RenewalsPage {
    chrome: Chrome,
    window: i64,
    windows: [i64; 4],
    rows: Vec<(Contract, RenewalOutlook)>,
    total: Totals,
    error: Option<String>,
}

pub async fn renewals(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<WindowQuery>,
) -> Result<Response, AppError> {
    let scope = scope(&viewer)?;
    let (window, error) = match q.window.as_deref() {
        None | Some("") => (90, None),
        Some(w) => match parse_window(w) {
            Ok(w) => (w, None),
            Err(e) => (90, Some(e)),
        },
    };
    let today = chrono::Local::now().date_naive();
    let filter = ContractFilter {
        scope: Some(scope),
        ends_from: Some(today),
        ends_until: Some(today + chrono::Duration::days(window)),
        ..Default::default()
    };
    let contracts = state.store.contracts(&filter).await?;
    let mut total = Totals::default();
    for c in &contracts {
        total.add(&c.contract.cost);
    }
    let rows = contracts
        .into_iter()
        .map(|c| {
            let o = RenewalOutlook::of(today, c.contract.end_date, c.contract.notice_days);
            (c, o)
        })
        .collect();
    let page = RenewalsPage { chrome: Chrome::new(&viewer, "/renewals"), window, windows: WINDOWS, rows, total, error };
    Ok(render(page)?.into_response())
}

#[derive(Template)]
#[template(path = "contracts/spend.html")]
struct SpendPage {
    chrome: Chrome,
    total: Totals,
    sections: Vec<(&'static str, Vec<(String, Totals)>)>,
    chart_svg: String,
}

pub async fn spend(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    let scope = scope(&viewer)?;
    let today = chrono::Local::now().date_naive();
    let cs = state.store.contracts(&ContractFilter { scope: Some(scope), ..Default::default() }).await?;
    let school = |c: &Contract| c.school_name.clone().unwrap_or_else(|| "District purchase".into());
    let by_product = annual_spend_by(cs.iter().map(|c| (c.product_name.clone(), &c.contract)), today);
    let by_school = annual_spend_by(cs.iter().map(|c| (school(c), &c.contract)), today);
    let by_category = annual_spend_by(cs.iter().map(|c| (c.category_name.clone(), &c.contract)), today);
    let by_funding =
        annual_spend_by(cs.iter().map(|c| (c.contract.funding_source.label().to_owned(), &c.contract)), today);
    let total = grand_total(by_product.iter().map(|r| &r.1));
    let chart_rows: Vec<(String, i64)> = by_category.iter().map(|(k, t)| (k.clone(), t.primary_minor())).collect();
    let chart_svg = crate::charts::bars(&chart_rows, 720).map_err(AppError::internal)?;
    let sections =
        vec![("Category", by_category), ("School", by_school), ("Funding source", by_funding), ("Product", by_product)];
    Ok(render(SpendPage { chrome: Chrome::new(&viewer, "/spend"), total, sections, chart_svg })?.into_response())
}
