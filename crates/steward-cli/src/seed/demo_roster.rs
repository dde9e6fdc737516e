//! The demo district's roster: a generated OneRoster 1.2 bulk set of its twenty schools (about 14,000 students,
//! their teachers, classes and enrollments), imported as a district's SIS export would be.

use super::demo_data::{DISTRICT, DISTRICT_NCES, DISTRICT_SOURCED_ID, SCHOOLS, STAFF_DOMAIN};
use crate::generate::{self, District, DistrictOptions, Level};
use anyhow::{ensure, Context};
use chrono::{Datelike, NaiveDate};
use std::path::Path;
use steward_interop::Strictness;
use steward_server::rostering::{self, Source};
use steward_server::usage::ndjson::{self, Window};
use steward_store::{Actor, Store};

/// The demo school at `n` in `SCHOOLS` order: its roster sourcedId and NCES id.
pub fn school_ids(n: usize) -> (String, String) {
    let (_, slug, ..) = SCHOOLS[n];
    (format!("{DISTRICT_SOURCED_ID}-{slug}"), format!("{DISTRICT_NCES}{:05}", 101 + 7 * n))
}

/// Generates the demo's roster into a temporary folder and imports it; the roster's district and schools are the
/// demo's own organizations (matched by sourcedId), so its people land at the demo's schools. With `usage_until`,
/// the roster's people then get usage from the start of the school year to the day before, stored as a backfill.
pub async fn seed_roster(store: &Store, usage_until: Option<NaiveDate>) -> anyhow::Result<()> {
    let base = District {
        sourced_id: DISTRICT_SOURCED_ID.into(),
        name: DISTRICT.into(),
        nces_id: DISTRICT_NCES.into(),
        state: "OR",
        domain: STAFF_DOMAIN.into(),
        schools: Vec::new(),
    };
    let schools = SCHOOLS.iter().enumerate().map(|(n, (name, _, level, _, students))| {
        let level = match *level {
            "elementary" => Level::Elementary,
            "middle" => Level::Middle,
            _ => Level::High,
        };
        let (sourced_id, nces_id) = school_ids(n);
        (sourced_id, (*name).to_owned(), nces_id, level, usize::try_from(*students).unwrap_or(0))
    });
    let district = generate::with_schools(base, schools);
    let out =
        std::env::temp_dir().join(format!("steward-demo-roster-{}-{:016x}", std::process::id(), rand::random::<u64>()));
    let options = DistrictOptions { students: 0, seed: 2026, out: out.clone() };
    let written = generate::district_of(&district, &options, &mut |_, _| {}).context("generating the demo roster");
    let seeded = match written {
        Ok(_) => import_and_use(store, &out, usage_until).await,
        Err(e) => Err(e),
    };
    let _ = std::fs::remove_dir_all(&out);
    seeded
}

async fn import_and_use(store: &Store, dir: &Path, usage_until: Option<NaiveDate>) -> anyhow::Result<()> {
    let source = Source::Dir(dir.to_owned());
    let actor = Actor::system("demo");
    let outcome = rostering::import(store, &actor, "the demo district's roster", source, Strictness::Strict, |_| {})
        .await
        .map_err(|e| anyhow::anyhow!("importing the demo roster: {e}"))?;
    ensure!(outcome.applied, "the demo roster was refused: {:?}", outcome.problems.first());
    let Some(until) = usage_until else { return Ok(()) };
    // The school year began on the third Monday of August or so: the generator's own calendar keeps summer quiet.
    let year = if until.month() >= 8 { until.year() } else { until.year() - 1 };
    let start = NaiveDate::from_ymd_opt(year, 8, 17).context("the school year's first day")?;
    let days = u32::try_from((until - start).num_days().max(1)).unwrap_or(1);
    let file = dir.join("usage.ndjson");
    let options = generate::UsageOptions { roster: dir.to_owned(), days, until, seed: 2026, out: file.clone() };
    generate::usage(&options, &mut |_, _| {}).context("generating the demo's usage")?;
    let directory = std::sync::Arc::new(store.usage_directory().await?);
    let window = Window::new(chrono::Utc::now(), days + 1);
    let input = std::io::BufReader::new(std::fs::File::open(&file)?);
    let report = ndjson::ingest(store, directory, window, "file", input, |_, _| {}).await?;
    ensure!(report.rejected == 0, "the demo's usage was refused: {:?}", report.errors.first());
    Ok(())
}
