//! Return on investment: the year's cost of the contracts in force against the use they bought over the last
//! twelve months — cost per person active, per hour of use and per student reached — per product, per buyer (a
//! school or the district) and per category; as a page and as CSV.

use super::utilization::require;
use super::{render, Chrome};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate};
use roaring::RoaringBitmap;
use std::collections::BTreeMap;
use steward_core::money::Money;
use steward_core::spend::annual_cost;
use steward_core::usage::Counted;
use steward_store::{ContractFilter, SchoolCut, UsageFilter};

/// What a group of contracts cost in a year and the use it bought.
pub struct Line {
    pub label: String,
    pub cost: Money,
    pub active: u64,
    pub hours: f64,
    pub students: u64,
}

impl Line {
    fn per(&self, n: f64) -> String {
        if n > 0.0 {
            Money::new((self.cost.minor as f64 / n).round() as i64, self.cost.currency.clone()).to_string()
        } else {
            "–".to_owned()
        }
    }

    pub fn per_active(&self) -> String {
        self.per(self.active as f64)
    }

    pub fn per_hour(&self) -> String {
        self.per(self.hours)
    }

    pub fn per_student(&self) -> String {
        self.per(self.students as f64)
    }

    pub fn hours_text(&self) -> String {
        format!("{:.0}", self.hours)
    }
}

#[derive(Default)]
struct Acc {
    cost: i64,
    currency: Option<steward_core::money::Currency>,
    users: RoaringBitmap,
    /// Seconds of use per (product, school; 0 for every school): a product bought by the district and by a school
    /// counts the district's seconds once.
    seconds: BTreeMap<(i64, i64), i64>,
}

impl Acc {
    fn hours(&self) -> f64 {
        let every: std::collections::BTreeSet<i64> =
            self.seconds.keys().filter(|(_, s)| *s == 0).map(|(p, _)| *p).collect();
        let seconds: i64 =
            self.seconds.iter().filter(|((p, s), _)| *s == 0 || !every.contains(p)).map(|(_, v)| *v).sum();
        seconds as f64 / 3600.0
    }

    fn line(self, label: String, students: &RoaringBitmap) -> Line {
        let hours = self.hours();
        Line {
            label,
            cost: Money::new(self.cost, self.currency.unwrap_or_else(steward_core::money::Currency::usd)),
            active: self.users.len(),
            hours,
            students: self.users.intersection_len(students),
        }
    }
}

/// (by product, by buyer, by category), each most costly first.
pub async fn lines(state: &AppState, today: NaiveDate) -> Result<[Vec<Line>; 3], AppError> {
    let directory = state.directories.get(&state.store).await?;
    let students = directory.population(None, Counted::Students);
    let contracts = state.store.contracts(&ContractFilter { active_on: Some(today), ..Default::default() }).await?;
    let from = today - Duration::days(364);
    let mut groups: [BTreeMap<String, Acc>; 3] = Default::default();
    for k in &contracts {
        let c = &k.contract;
        let schools = c.school_id.map_or(SchoolCut::Every, SchoolCut::One);
        let used =
            state.store.usage_counts(&UsageFilter { product: Some(c.product_id), schools, from, to: today }).await?;
        let cost = annual_cost(c);
        let buyer = k.school_name.clone().unwrap_or_else(|| "The district".into());
        for (group, key) in groups.iter_mut().zip([k.product_name.clone(), buyer, k.category_name.clone()]) {
            let acc = group.entry(key).or_default();
            acc.cost += cost.minor;
            acc.currency.get_or_insert_with(|| cost.currency.clone());
            for u in used.values() {
                acc.users |= &u.users;
                acc.seconds.insert((c.product_id, c.school_id.unwrap_or(0)), u.seconds);
            }
        }
    }
    Ok(groups.map(|g| {
        let mut lines: Vec<Line> = g.into_iter().map(|(label, acc)| acc.line(label, &students)).collect();
        lines.sort_by(|a, b| b.cost.minor.cmp(&a.cost.minor).then(a.label.cmp(&b.label)));
        lines
    }))
}

#[derive(Template)]
#[template(path = "usage/roi.html")]
struct RoiPage {
    chrome: Chrome,
    today: NaiveDate,
    sections: Vec<(&'static str, Vec<Line>)>,
    /// Spend against use: the cost per person active of each product used, dearest first.
    chart_svg: String,
}

pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    require(&viewer)?;
    let today = chrono::Local::now().date_naive();
    let [products, buyers, categories] = lines(&state, today).await?;
    let mut per_person: Vec<(String, i64)> =
        products.iter().filter(|l| l.active > 0).map(|l| (l.label.clone(), l.cost.minor / l.active as i64)).collect();
    per_person.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let chart_svg = crate::charts::bars(&per_person, 720).map_err(AppError::internal)?;
    let sections = vec![("By product", products), ("By buyer", buyers), ("By category", categories)];
    Ok(render(RoiPage { chrome: Chrome::new(&viewer, "/usage"), today, sections, chart_svg })?.into_response())
}

pub async fn csv(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    require(&viewer)?;
    let today = chrono::Local::now().date_naive();
    let header = [
        "group",
        "name",
        "annual_cost",
        "people_active_12_months",
        "hours_12_months",
        "students_reached",
        "cost_per_person_active",
        "cost_per_hour",
        "cost_per_student_reached",
    ];
    let mut rows = Vec::new();
    for (group, lines) in ["product", "buyer", "category"].into_iter().zip(lines(&state, today).await?) {
        for l in lines {
            rows.push(vec![
                group.to_owned(),
                l.label.clone(),
                l.cost.to_string(),
                l.active.to_string(),
                l.hours_text(),
                l.students.to_string(),
                l.per_active(),
                l.per_hour(),
                l.per_student(),
            ]);
        }
    }
    super::export::csv_response(&format!("roi-{today}.csv"), &header, rows)
}
