//! Usage by student group: for a range and one product (or any), each grade's and each demographic group's students,
//! how many of them were active, and the share reached — exact, from the rollups' bitmaps — with the groups reached
//! well below the students overall flagged.

use super::extract::Query;
use super::usage::RangeQuery;
use super::{render, Chrome};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use roaring::RoaringBitmap;
use serde::Deserialize;
use steward_core::access::Action;
use steward_core::usage::{Counted, ANY_PRODUCT};
use steward_store::{ProductSummary, SchoolCut, UsageFilter};

/// A group reached at under this share of the students' overall share is flagged.
const FLAG_BELOW: f64 = 0.8;

#[derive(Deserialize, Default)]
pub struct GroupsQuery {
    #[serde(flatten)]
    range: RangeQuery,
    #[serde(default)]
    product: String,
}

pub struct GroupRow {
    pub label: String,
    pub students: u64,
    pub active: u64,
    pub share: f64,
    pub flagged: bool,
}

impl GroupRow {
    pub fn percent(&self) -> String {
        format!("{:.0}%", self.share * 100.0)
    }
}

#[derive(Template)]
#[template(path = "usage/groups.html")]
struct GroupsPage {
    chrome: Chrome,
    from: NaiveDate,
    to: NaiveDate,
    product: Option<i64>,
    products: Vec<ProductSummary>,
    overall: GroupRow,
    rows: Vec<GroupRow>,
}

fn row(label: String, members: &RoaringBitmap, active: &RoaringBitmap, overall: f64) -> GroupRow {
    let students = members.len();
    let reached = members.intersection_len(active);
    let share = if students > 0 { reached as f64 / students as f64 } else { 0.0 };
    GroupRow { label, students, active: reached, share, flagged: students > 0 && share < overall * FLAG_BELOW }
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<GroupsQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadUsage)?;
    let (from, to) = q.range.days(chrono::Local::now().date_naive())?;
    let product = match q.product.trim() {
        "" => None,
        p => Some(
            p.parse::<i64>().map_err(|_| AppError::BadRequest(format!("`product` must be a product id, not '{p}'")))?,
        ),
    };
    let directory = state.directories.get(&state.store).await?;
    let students = directory.population(None, Counted::Students);
    let filter = UsageFilter { product: Some(product.unwrap_or(ANY_PRODUCT)), schools: SchoolCut::Every, from, to };
    let active = state.store.usage_counts(&filter).await?.into_values().fold(RoaringBitmap::new(), |mut all, c| {
        all |= c.users;
        all
    });
    let overall = row("All students".into(), &students, &active, 0.0);
    let rows = state
        .directories
        .groups(&state.store)
        .await?
        .iter()
        .map(|(label, members)| row(label.clone(), &(members & &students), &active, overall.share))
        .collect();
    let page = GroupsPage {
        chrome: Chrome::new(&viewer, "/usage"),
        from,
        to,
        product,
        products: state.store.product_names().await?,
        overall,
        rows,
    };
    Ok(render(page)?.into_response())
}
