//! License utilization: for each contract in force, its seats under its license model against the distinct people
//! of its school (or district) who used the product over the trailing 30 and 90 days and its term to date, and
//! the seats never used; as a page and as CSV.

use super::{render, Chrome};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate};
use steward_core::access::Action;
use steward_core::enums::Vocabulary;
use steward_core::usage::{seats, Counted, Utilization};
use steward_store::{Contract, ContractFilter, SchoolCut, UsageFilter};

/// One contract's utilization.
#[derive(Clone)]
pub struct Row {
    pub contract: Contract,
    pub model: &'static str,
    pub u: Utilization,
}

impl Row {
    /// A share as a whole percentage, or a dash without seats.
    pub fn percent(&self, active: &u64) -> String {
        self.u.rate(*active).map_or_else(|| "–".to_owned(), |r| format!("{:.0}%", r * 100.0))
    }

    pub fn seats_text(&self) -> String {
        self.u.seats.map_or_else(|| "–".to_owned(), |s| s.to_string())
    }

    pub fn unused_text(&self) -> String {
        self.u.never_activated().map_or_else(|| "–".to_owned(), |s| s.to_string())
    }
}

/// Utilization as last computed for a (roster generation, change generation, day): the usage dashboard's headline,
/// this page, the waste finder, return on investment and renewal packets all read it. Usage that arrived since
/// shows within a minute.
pub type RowsCache = crate::fresh::Fresh<(i64, i64, NaiveDate), Vec<Row>>;

/// Each contract in force `today` with its utilization, least used first.
pub async fn rows(state: &AppState, today: NaiveDate) -> Result<Vec<Row>, AppError> {
    let key = (state.store.roster_generation().await?, state.store.change_generation().await?, today);
    state.utilization.get_or(key, compute(state, today)).await
}

async fn compute(state: &AppState, today: NaiveDate) -> Result<Vec<Row>, AppError> {
    let directory = state.directories.get(&state.store).await?;
    let contracts = state.store.contracts(&ContractFilter { active_on: Some(today), ..Default::default() }).await?;
    let mut out = Vec::with_capacity(contracts.len());
    for contract in contracts {
        let c = &contract.contract;
        let counted = Counted::of(c.license_model);
        let population = directory.population(c.school_id, counted);
        let schools = c.school_id.map_or(SchoolCut::Every, SchoolCut::One);
        let mut active = [0u64; 3];
        let starts = [today - Duration::days(29), today - Duration::days(89), c.start_date.min(today)];
        for (slot, from) in active.iter_mut().zip(starts) {
            let filter = UsageFilter { product: Some(c.product_id), schools, from, to: today };
            let used = state.store.usage_counts(&filter).await?;
            let mut people = used.into_values().fold(roaring::RoaringBitmap::new(), |mut all, c| {
                all |= c.users;
                all
            });
            if counted != Counted::Everyone || c.school_id.is_some() {
                people &= &population;
            }
            *slot = people.len();
        }
        let u = Utilization {
            seats: seats(c.license_model, c.seats, population.len()),
            active_30: active[0],
            active_90: active[1],
            active_term: active[2],
        };
        out.push(Row { model: c.license_model.label(), u, contract });
    }
    out.sort_by(|a, b| {
        let rate = |r: &Row| r.u.rate(r.u.active_90).unwrap_or(f64::INFINITY);
        rate(a).total_cmp(&rate(b)).then(a.contract.product_name.cmp(&b.contract.product_name))
    });
    Ok(out)
}

#[derive(Template)]
#[template(path = "usage/utilization.html")]
struct UtilizationPage {
    chrome: Chrome,
    today: NaiveDate,
    rows: Vec<Row>,
    /// Seats used over 90 days by buyer, and seats never used by contract.
    by_school_svg: String,
    unused_svg: String,
}

/// Contracts carry money: the page is for those who see every contract and read usage.
pub fn require(viewer: &Viewer) -> Result<(), AppError> {
    viewer.require(Action::ReadUsage)?;
    viewer.require(Action::ReadDistrictSpend)
}

pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    require(&viewer)?;
    let today = chrono::Local::now().date_naive();
    let rows = rows(&state, today).await?;
    let mut by_buyer: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    for r in rows.iter().filter(|r| r.u.seats.is_some_and(|s| s > 0)) {
        let buyer = r.contract.school_name.clone().unwrap_or_else(|| "The district".into());
        let e = by_buyer.entry(buyer).or_default();
        e.0 += r.u.active_90.min(r.u.seats.unwrap_or(0));
        e.1 += r.u.seats.unwrap_or(0);
    }
    let mut shares: Vec<(String, f64)> =
        by_buyer.into_iter().map(|(b, (used, seats))| (b, used as f64 / seats as f64)).collect();
    shares.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let mut unused: Vec<(String, u64)> = rows
        .iter()
        .filter_map(|r| {
            let buyer = r.contract.school_name.as_deref().unwrap_or("district");
            r.u.never_activated().filter(|n| *n > 0).map(|n| (format!("{} ({buyer})", r.contract.product_name), n))
        })
        .collect();
    unused.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let page = UtilizationPage {
        chrome: Chrome::new(&viewer, "/usage"),
        today,
        by_school_svg: crate::charts::shares(&shares, 720).map_err(AppError::internal)?,
        unused_svg: crate::charts::counts(&unused, 720).map_err(AppError::internal)?,
        rows,
    };
    Ok(render(page)?.into_response())
}

pub async fn csv(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    require(&viewer)?;
    let today = chrono::Local::now().date_naive();
    let header = [
        "contract_id",
        "product",
        "school",
        "license_model",
        "seats",
        "active_30_days",
        "active_90_days",
        "active_term_to_date",
        "utilization_30_days",
        "utilization_90_days",
        "utilization_term",
        "never_activated",
    ];
    let rows = rows(&state, today)
        .await?
        .into_iter()
        .map(|r| {
            let rate = |a: u64| r.u.rate(a).map(|x| format!("{x:.3}")).unwrap_or_default();
            vec![
                r.contract.id.to_string(),
                r.contract.product_name.clone(),
                r.contract.school_name.clone().unwrap_or_else(|| "District".into()),
                r.contract.contract.license_model.code().to_owned(),
                r.u.seats.map(|s| s.to_string()).unwrap_or_default(),
                r.u.active_30.to_string(),
                r.u.active_90.to_string(),
                r.u.active_term.to_string(),
                rate(r.u.active_30),
                rate(r.u.active_90),
                rate(r.u.active_term),
                r.u.never_activated().map(|s| s.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    super::export::csv_response(&format!("utilization-{today}.csv"), &header, rows)
}
