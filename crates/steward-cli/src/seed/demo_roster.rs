//! The demo district's roster: a generated OneRoster 1.2 bulk set of its twenty schools (about 14,000 students,
//! their teachers, classes and enrollments), imported as a district's SIS export would be.

use super::demo_data::{DISTRICT, DISTRICT_NCES, DISTRICT_SOURCED_ID, SCHOOLS, STAFF_DOMAIN};
use crate::generate::{self, District, DistrictOptions, Level};
use anyhow::{ensure, Context};
use steward_interop::Strictness;
use steward_server::rostering::{self, Source};
use steward_store::{Actor, Store};

/// The demo school at `n` in `SCHOOLS` order: its roster sourcedId and NCES id.
pub fn school_ids(n: usize) -> (String, String) {
    let (_, slug, ..) = SCHOOLS[n];
    (format!("{DISTRICT_SOURCED_ID}-{slug}"), format!("{DISTRICT_NCES}{:05}", 101 + 7 * n))
}

/// Generates the demo's roster into a temporary folder and imports it; the roster's district and schools are the
/// demo's own organizations (matched by sourcedId), so its people land at the demo's schools.
pub async fn seed_roster(store: &Store) -> anyhow::Result<()> {
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
    let imported = match written {
        Ok(_) => {
            let source = Source::Dir(out.clone());
            let actor = Actor::system("demo");
            rostering::import(store, &actor, "the demo district's roster", source, Strictness::Strict, |_| {}).await
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&out);
            return Err(e);
        }
    };
    let _ = std::fs::remove_dir_all(&out);
    let outcome = imported.map_err(|e| anyhow::anyhow!("importing the demo roster: {e}"))?;
    ensure!(outcome.applied, "the demo roster was refused: {:?}", outcome.problems.first());
    Ok(())
}
