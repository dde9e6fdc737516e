//! `generate district`: a whole bulk set, one school at a time, each school from its own RNG stream.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::plan::{self, District};
use super::table::{self, Table};
use super::{school, staff, students, Summary, SCHOOL_YEAR, YEAR_END, YEAR_ID, YEAR_START};

pub struct DistrictOptions {
    pub students: usize,
    pub seed: u64,
    pub out: PathBuf,
}

/// The files of a generated bulk set, all open while schools are written.
pub struct Tables {
    pub orgs: Table,
    pub academic_sessions: Table,
    pub courses: Table,
    pub classes: Table,
    pub users: Table,
    pub roles: Table,
    pub enrollments: Table,
    pub demographics: Table,
}

/// Running numbers behind the sourcedIds, global so ids do not depend on the school.
#[derive(Default)]
pub struct Counters {
    pub classes: u64,
    pub students: u64,
    pub teachers: u64,
    pub admins: u64,
    pub guardians: u64,
    pub enrollments: u64,
}

pub const BULK_FILES: [&str; 8] =
    ["orgs", "academicSessions", "courses", "classes", "users", "roles", "enrollments", "demographics"];

impl Tables {
    fn create(dir: &Path) -> anyhow::Result<Tables> {
        Ok(Tables {
            orgs: Table::create(dir, "orgs")?,
            academic_sessions: Table::create(dir, "academicSessions")?,
            courses: Table::create(dir, "courses")?,
            classes: Table::create(dir, "classes")?,
            users: Table::create(dir, "users")?,
            roles: Table::create(dir, "roles")?,
            enrollments: Table::create(dir, "enrollments")?,
            demographics: Table::create(dir, "demographics")?,
        })
    }

    fn finish(self) -> anyhow::Result<Vec<(&'static str, u64)>> {
        [
            self.orgs,
            self.academic_sessions,
            self.courses,
            self.classes,
            self.users,
            self.roles,
            self.enrollments,
            self.demographics,
        ]
        .into_iter()
        .map(Table::finish)
        .collect()
    }
}

/// Writes the bulk set for `options`; `progress` hears about each school written (done, total).
pub fn district(options: &DistrictOptions, progress: &mut dyn FnMut(usize, usize)) -> anyhow::Result<Summary> {
    anyhow::ensure!(options.students > 0, "--students must be at least 1");
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let district = plan::plan(options.students, &mut rng);
    write_plan(&district, options, rng, progress)
}

/// Writes the bulk set of a district whose schools are given (see [`plan::with_schools`]); `options.students` is
/// ignored (the schools say how many).
pub fn district_of(
    district: &District,
    options: &DistrictOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<Summary> {
    write_plan(district, options, ChaCha8Rng::seed_from_u64(options.seed), progress)
}

fn write_plan(
    district: &District,
    options: &DistrictOptions,
    mut rng: ChaCha8Rng,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<Summary> {
    let started = Instant::now();
    super::prepare_out(&options.out)?;
    let students: usize = district.schools.iter().map(|s| s.students()).sum();
    let state_id_base: u64 = rng.gen_range(1_000_000_000..2_000_000_000);
    let mut t = Tables::create(&options.out)?;
    let mut c = Counters::default();
    write_orgs(district, &mut t.orgs)?;
    write_sessions(&mut t.academic_sessions)?;
    staff::write_district_admins(district, students, &mut rng, &mut t, &mut c)?;
    for school in &district.schools {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        rng.set_stream(school.number as u64);
        let schedule = school::build(school, &mut rng, &mut t, &mut c)?;
        staff::write(school, district, &schedule, &mut rng, &mut t, &mut c)?;
        students::write(school, district, &schedule, state_id_base, &mut rng, &mut t, &mut c)?;
        progress(school.number, district.schools.len());
    }
    let files = t.finish()?;
    table::write_manifest(&options.out, &BULK_FILES, "bulk")?;
    Ok(Summary { files, seconds: started.elapsed().as_secs_f64() })
}

fn write_orgs(district: &District, t: &mut Table) -> anyhow::Result<()> {
    t.row(&[&district.sourced_id, "", "", &district.name, "district", &district.nces_id, ""])?;
    for s in &district.schools {
        t.row(&[&s.sourced_id, "", "", &s.name, "school", &s.nces_id, &district.sourced_id])?;
    }
    Ok(())
}

/// The school year, its two semesters and two grading periods in each.
fn write_sessions(t: &mut Table) -> anyhow::Result<()> {
    let year = "2026-2027";
    t.row(&[YEAR_ID, "", "", year, "schoolYear", YEAR_START, YEAR_END, "", SCHOOL_YEAR])?;
    let semesters = [
        ("s1", "Fall Semester", YEAR_START, "2027-01-09", [("q1", "2026-10-17"), ("q2", "2027-01-09")]),
        ("s2", "Spring Semester", "2027-01-11", YEAR_END, [("q3", "2027-03-20"), ("q4", YEAR_END)]),
    ];
    for (key, title, start, end, quarters) in semesters {
        let id = format!("{YEAR_ID}-{key}");
        t.row(&[&id, "", "", &format!("{title} {year}"), "semester", start, end, YEAR_ID, SCHOOL_YEAR])?;
        let mut from = start.to_owned();
        for (q, until) in quarters {
            let title = format!("Quarter {} {year}", &q[1..]);
            t.row(&[&format!("{id}-{q}"), "", "", &title, "gradingPeriod", &from, until, &id, SCHOOL_YEAR])?;
            // The next quarter starts on the Monday after (two days on).
            let next = chrono::NaiveDate::parse_from_str(until, "%Y-%m-%d")? + chrono::Duration::days(2);
            from = next.format("%Y-%m-%d").to_string();
        }
    }
    Ok(())
}
