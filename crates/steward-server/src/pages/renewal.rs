//! A contract's renewal packet, from 90 days before it ends: cost, utilization overall and by school, cost per
//! person active, products overlapping it, owners, privacy status, and the recommendation (renew, right-size,
//! consolidate, move seats or retire) with its saving; printable, and as CSV.

use super::extract::Path;
use super::utilization::{require, rows, Row};
use super::waste::findings;
use super::{render, Chrome};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate};
use std::collections::HashMap;
use steward_core::enums::Vocabulary;
use steward_core::money::Money;
use steward_core::renewal::RenewalOutlook;
use steward_core::spend::annual_cost;
use steward_core::waste::{Finding, Kind};
use steward_store::{Contract, Owner, Product, SchoolCut, UsageFilter};

/// How far ahead of its end a contract's packet is made.
pub const PACKET_DAYS: i64 = 90;

#[derive(Template)]
#[template(path = "contracts/renewal.html")]
struct Packet {
    chrome: Chrome,
    today: NaiveDate,
    c: Contract,
    product: Product,
    owners: Vec<Owner>,
    annual: Money,
    outlook: RenewalOutlook,
    opens: NaiveDate,
    /// Its utilization, when it is in force.
    u: Option<Row>,
    cost_per_active: String,
    /// People active in the last 90 days at each school it covers.
    by_school: Vec<(String, u64)>,
    /// Other contracts in force for products of the same category and overlapping grades.
    overlaps: Vec<Row>,
    recommendation: String,
    saving: Money,
    evidence: String,
}

async fn packet(state: &AppState, viewer: &Viewer, id: i64) -> Result<Packet, AppError> {
    require(viewer)?;
    let today = chrono::Local::now().date_naive();
    let c = state.store.contract(id).await?;
    let product = state.store.product(c.contract.product_id).await?;
    let owners = state.store.owners(product.id).await?;
    let annual = annual_cost(&c.contract);
    let outlook = RenewalOutlook::of(today, c.contract.end_date, c.contract.notice_days);
    let in_force = rows(state, today).await?;
    let mut u = None;
    let mut overlaps = Vec::new();
    for r in in_force {
        if r.contract.id == id {
            u = Some(r);
        } else if r.contract.category_id == c.category_id && r.contract.contract.product_id != product.id {
            let other = state.store.product(r.contract.contract.product_id).await?;
            if other.product.grades.overlaps(product.product.grades) {
                overlaps.push(r);
            }
        }
    }
    let cost_per_active = match u.as_ref().map(|r| r.u.active_term) {
        Some(n) if n > 0 => Money::new(annual.minor / n as i64, annual.currency.clone()).to_string(),
        _ => "–".to_owned(),
    };
    let schools: HashMap<i64, String> = state.store.schools().await?.into_iter().map(|s| (s.id, s.org.name)).collect();
    let filter = UsageFilter {
        product: Some(product.id),
        schools: c.contract.school_id.map_or(SchoolCut::Each, SchoolCut::One),
        from: today - Duration::days(89),
        to: today,
    };
    let mut by_school: Vec<(String, u64)> = state
        .store
        .usage_totals(&filter)
        .await?
        .into_iter()
        .map(|t| (schools.get(&t.school_id).cloned().unwrap_or_else(|| format!("School {}", t.school_id)), t.active))
        .collect();
    by_school.sort();
    let mine = findings(state, today)
        .await?
        .into_iter()
        .filter(|(f, d)| d.is_none() && concerns(f, id, product.id))
        .map(|(f, _)| f)
        .max_by_key(|f| f.savings.minor);
    let (recommendation, saving, evidence) = match mine {
        Some(f) => {
            let what = match f.kind {
                Kind::NoUse => "Retire".to_owned(),
                Kind::Duplicate => "Consolidate".to_owned(),
                Kind::UnusedSeats | Kind::SeatMove | Kind::Overlap => f.action.trim_end_matches('.').to_owned(),
            };
            (what, f.savings, format!("{} {}", f.evidence, f.action))
        }
        None => ("Renew".to_owned(), Money::new(0, annual.currency.clone()), "Its use fits what it costs.".to_owned()),
    };
    Ok(Packet {
        chrome: Chrome::new(viewer, "/contracts"),
        today,
        opens: c.contract.end_date - Duration::days(PACKET_DAYS),
        c,
        product,
        owners,
        annual,
        outlook,
        u,
        cost_per_active,
        by_school,
        overlaps,
        recommendation,
        saving,
        evidence,
    })
}

/// Whether a finding is about contract `id` (of product `product`).
fn concerns(f: &Finding, id: i64, product: i64) -> bool {
    let id = id.to_string();
    let mut parts = f.key.split(':');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("no-use" | "unused-seats"), Some(c), None, None) => c == id,
        (Some("duplicate"), Some(_), Some(ids), None) => ids.split(',').any(|c| c == id),
        (Some("seat-move"), Some(_), Some(from), Some(to)) => from == id || to == id,
        // An overlap recommends letting the less used product go: it is about that one's contract.
        (Some("overlap"), Some(a), Some(b), None) => (a == id || b == id) && f.product_id == product,
        _ => false,
    }
}

pub async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Result<Response, AppError> {
    Ok(render(packet(&state, &viewer, id).await?)?.into_response())
}

pub async fn csv(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Result<Response, AppError> {
    let p = packet(&state, &viewer, id).await?;
    let mut rows = vec![
        vec!["product".into(), p.c.product_name.clone()],
        vec!["bought_by".into(), p.c.school_name.clone().unwrap_or_else(|| "The district".into())],
        vec!["license_model".into(), p.c.contract.license_model.code().into()],
        vec!["annual_cost".into(), p.annual.to_string()],
        vec!["ends".into(), p.c.contract.end_date.to_string()],
        vec!["notice_by".into(), p.outlook.notice_by.to_string()],
        vec!["dpa_status".into(), p.product.product.dpa_status.label().into()],
        vec!["cost_per_person_active_this_term".into(), p.cost_per_active.clone()],
    ];
    if let Some(r) = &p.u {
        rows.push(vec!["seats".into(), r.seats_text()]);
        rows.push(vec!["active_90_days".into(), r.u.active_90.to_string()]);
        rows.push(vec!["active_term_to_date".into(), r.u.active_term.to_string()]);
        rows.push(vec!["never_used".into(), r.unused_text()]);
    }
    for (school, n) in &p.by_school {
        rows.push(vec![format!("active_90_days_at {school}"), n.to_string()]);
    }
    for o in &p.overlaps {
        rows.push(vec![
            format!("overlaps {}", o.contract.product_name),
            format!("{} active in 90 days", o.u.active_90),
        ]);
    }
    for o in &p.owners {
        rows.push(vec![format!("owner {}", o.owner.role.label()), o.owner.name.clone()]);
    }
    rows.push(vec!["recommendation".into(), p.recommendation.clone()]);
    rows.push(vec!["saving_a_year".into(), p.saving.to_string()]);
    super::export::csv_response(&format!("renewal-{id}-{}.csv", p.today), &["item", "value"], rows)
}
