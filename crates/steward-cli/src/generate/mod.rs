//! Deterministic OneRoster 1.2 CSV sets of realistic shape at any scale: a bulk district
//! (`district`) and a delta against one (`delta`), streamed row by row for benchmarks and tests.

mod delta;
mod district;
mod names;
mod people;
mod plan;
mod rows;
mod school;
mod staff;
mod students;
mod table;
mod usage;

pub use delta::{delta, DeltaOptions};
pub use district::{district, district_of, DistrictOptions};
pub use plan::{with_schools, District, Level};
pub use usage::{usage, UsageOptions};

use std::path::Path;

use anyhow::{bail, Context};

/// The fixed school year every generated set describes: 2026–2027 (OneRoster `schoolYear` 2027).
pub const SCHOOL_YEAR: &str = "2027";
/// First day of school (inclusive) and the day after the last (exclusive), as OneRoster dates are.
pub const YEAR_START: &str = "2026-08-17";
pub const YEAR_END: &str = "2027-06-05";
pub const YEAR_ID: &str = "as-2027";
/// Both semesters: every class runs the whole year.
pub const TERMS: &str = "as-2027-s1,as-2027-s2";

/// Rows written per file and how long it took.
#[derive(Debug)]
pub struct Summary {
    pub files: Vec<(&'static str, u64)>,
    pub seconds: f64,
}

impl Summary {
    pub fn rows(&self) -> u64 {
        self.files.iter().map(|(_, n)| n).sum()
    }

    /// `orgs 5, academicSessions 7, …`
    pub fn line(&self) -> String {
        let files: Vec<String> = self.files.iter().map(|(f, n)| format!("{f} {n}")).collect();
        format!("{} rows ({}) in {:.1} s", self.rows(), files.join(", "), self.seconds)
    }
}

/// Makes `dir`, which must be new or empty, so no earlier set's files are mixed in.
fn prepare_out(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut entries = std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    if entries.next().is_some() {
        bail!("{} is not empty; give a new or empty directory", dir.display());
    }
    Ok(())
}
