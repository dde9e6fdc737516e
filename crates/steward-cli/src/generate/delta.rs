//! `generate delta`: a delta set against a bulk set, read as a stream, that touches a share of its
//! students: renamed or re-addressed, withdrawn (user, role, demographics and enrollments
//! `tobedeleted`, guardians updated), and new students placed in the classes of a classmate.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::names;
use super::people::{self, Demographics, Race};
use super::plan::GRADES;
use super::rows::{self, Enrollment, Stamp, User};
use super::staff::short;
use super::table::{self, Table};
use super::Summary;

pub struct DeltaOptions {
    pub roster: PathBuf,
    pub percent: f64,
    pub seed: u64,
    pub out: PathBuf,
}

/// When every delta row says it changed: fixed, so the output is deterministic.
pub const MODIFIED: &str = "2026-10-01T12:00:00.000Z";
const ACTIVE: Stamp<'static> = Stamp { status: "active", modified: MODIFIED };
const DELETED: Stamp<'static> = Stamp { status: "tobedeleted", modified: MODIFIED };
/// Of the students touched: changed, then withdrawn; the rest are the new students' templates.
const CHANGED: f64 = 0.70;
const WITHDRAWN: f64 = 0.15;
const NEW_STATE_IDS: u64 = 3_000_000_000;

/// What a delta did, beside the rows written.
#[derive(Debug)]
pub struct DeltaSummary {
    pub summary: Summary,
    pub students: u64,
    pub changed: u64,
    pub withdrawn: u64,
    pub added: u64,
}

/// A new student, modelled on an existing one of the same grade and school.
struct NewStudent {
    id: String,
    template: String,
    grade: String,
    org: String,
    sex: &'static str,
    race: Race,
    classes: Vec<(String, String)>,
}

/// One input file, with its columns mapped onto the 1.2 spec header of the output.
struct Source {
    reader: csv::Reader<BufReader<File>>,
    index: HashMap<String, usize>,
}

impl Source {
    fn open(dir: &Path, name: &str) -> anyhow::Result<Source> {
        let path = dir.join(format!("{name}.csv"));
        let file = File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(BufReader::with_capacity(1 << 18, file));
        let header = reader.headers().with_context(|| format!("reading {}", path.display()))?;
        let index = header.iter().enumerate().map(|(i, h)| (h.trim_start_matches('\u{feff}').to_owned(), i)).collect();
        Ok(Source { reader, index })
    }

    fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.index.get(column).and_then(|i| record.get(*i)).unwrap_or("")
    }

    /// The record's values in `out`'s header order, stamped.
    fn copy(&self, record: &csv::StringRecord, out: &Table, stamp: Stamp<'_>) -> Vec<String> {
        out.header
            .iter()
            .map(|c| match *c {
                "status" => stamp.status.to_owned(),
                "dateLastModified" => stamp.modified.to_owned(),
                c => self.get(record, c).to_owned(),
            })
            .collect()
    }
}

/// Writes the delta set for `options`.
pub fn delta(options: &DeltaOptions) -> anyhow::Result<DeltaSummary> {
    let started = Instant::now();
    anyhow::ensure!(options.percent > 0.0 && options.percent <= 100.0, "--percent must be above 0 and at most 100");
    super::prepare_out(&options.out)?;
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    rng.set_stream(u64::MAX);
    let share = options.percent / 100.0;
    let dir = &options.roster;
    let out = &options.out;

    // users.csv: change, withdraw, or pick as a template; guardians of the withdrawn in a second pass.
    let mut users = Table::create(out, "users")?;
    let mut withdrawn: HashSet<String> = HashSet::new();
    let mut guardians: HashMap<String, Vec<String>> = HashMap::new();
    let mut added: Vec<NewStudent> = Vec::new();
    let (mut students, mut changed) = (0u64, 0u64);
    let mut src = Source::open(dir, "users")?;
    let mut record = csv::StringRecord::new();
    while src.reader.read_record(&mut record)? {
        if src.get(&record, "grades").is_empty() {
            continue;
        }
        students += 1;
        let x: f64 = rng.gen();
        let id = src.get(&record, "sourcedId").to_owned();
        if x < share * CHANGED {
            changed += 1;
            let mut row = src.copy(&record, &users, ACTIVE);
            change(&mut row, &users, &mut rng)?;
            users.row(&row)?;
        } else if x < share * (CHANGED + WITHDRAWN) {
            users.row(&src.copy(&record, &users, DELETED))?;
            for g in src.get(&record, "agentSourcedIds").split(',').map(str::trim).filter(|g| !g.is_empty()) {
                guardians.entry(g.to_owned()).or_default().push(id.clone());
            }
            withdrawn.insert(id);
        } else if x < share {
            let sex = people::sex(&mut rng);
            let race = people::race(&mut rng);
            let (given, family) = (people::given_name(&mut rng, sex), people::family_name(&mut rng, &race));
            let new_id = format!("s-new-{:06}", added.len() + 1);
            let domain = src.get(&record, "email").split_once('@').map_or("example.org", |(_, d)| d).to_owned();
            let login = format!("{}.{}.{}", names::login_part(given), names::login_part(family), short(&new_id));
            let (email, grade) = (format!("{login}@{domain}"), src.get(&record, "grades").to_owned());
            let org = src.get(&record, "primaryOrgSourcedId").to_owned();
            // Above the bulk generator's state ids (which start below 2,000,000,000 + students).
            let state_id = (NEW_STATE_IDS + added.len() as u64).to_string();
            let user_ids = format!("{{StateID:{state_id}}}");
            let user = User {
                sourced_id: &new_id,
                username: &login,
                user_ids: &user_ids,
                identifier: &state_id,
                given_name: given,
                family_name: family,
                email: &email,
                grades: &grade,
                primary_org: &org,
                ..User::default()
            };
            user.write(&mut users, ACTIVE)?;
            added.push(NewStudent { id: new_id, template: id, grade, org, sex, race, classes: Vec::new() });
        }
    }
    // The guardians of withdrawn students no longer list them.
    let mut src = Source::open(dir, "users")?;
    while !guardians.is_empty() && src.reader.read_record(&mut record)? {
        if let Some(gone) = guardians.remove(src.get(&record, "sourcedId")) {
            let mut row = src.copy(&record, &users, ACTIVE);
            let agents = users.index("agentSourcedIds")?;
            let kept: Vec<&str> = row[agents].split(',').filter(|a| !gone.iter().any(|g| g == a)).collect();
            row[agents] = kept.join(",");
            users.row(&row)?;
        }
    }

    // enrollments.csv: the withdrawn students' end; the templates' classes are copied to the new students.
    let mut enrollments = Table::create(out, "enrollments")?;
    let templates: HashMap<String, usize> = added.iter().enumerate().map(|(i, n)| (n.template.clone(), i)).collect();
    let mut src = Source::open(dir, "enrollments")?;
    while src.reader.read_record(&mut record)? {
        let user = src.get(&record, "userSourcedId");
        if withdrawn.contains(user) {
            enrollments.row(&src.copy(&record, &enrollments, DELETED))?;
        } else if let Some(&i) = templates.get(user) {
            let class = src.get(&record, "classSourcedId").to_owned();
            added[i].classes.push((class, src.get(&record, "schoolSourcedId").to_owned()));
        }
    }
    let mut count = 0u64;
    for n in &added {
        for (class, school) in &n.classes {
            count += 1;
            let sourced_id = format!("en-new-{count:07}");
            let e = Enrollment { sourced_id: &sourced_id, class, school, user: &n.id, role: "student", primary: None };
            e.write(&mut enrollments, ACTIVE)?;
        }
    }

    // roles.csv and demographics.csv: the withdrawn students' rows end; the new students' begin.
    let mut roles = Table::create(out, "roles")?;
    let mut src = Source::open(dir, "roles")?;
    while src.reader.read_record(&mut record)? {
        if withdrawn.contains(src.get(&record, "userSourcedId")) {
            roles.row(&src.copy(&record, &roles, DELETED))?;
        }
    }
    for n in &added {
        rows::write_role(&mut roles, &n.id, "student", &n.org, ACTIVE)?;
    }
    let mut demographics = Table::create(out, "demographics")?;
    let mut src = Source::open(dir, "demographics")?;
    let mut home = names::STATES[0].0;
    while src.reader.read_record(&mut record)? {
        let id = src.get(&record, "sourcedId");
        if withdrawn.contains(id) {
            demographics.row(&src.copy(&record, &demographics, DELETED))?;
        } else if templates.contains_key(id) {
            let state = src.get(&record, "stateOfBirthAbbreviation");
            home = names::STATES.iter().map(|s| s.0).find(|s| *s == state).unwrap_or(home);
        }
    }
    for n in &added {
        let grade = GRADES.iter().position(|g| *g == n.grade).unwrap_or(0);
        let d = Demographics::draw(&mut rng, grade, n.sex, n.race, home);
        d.write(&mut demographics, &n.id, ACTIVE.status, ACTIVE.modified)?;
    }

    let files = vec![users.finish()?, roles.finish()?, enrollments.finish()?, demographics.finish()?];
    // Files without rows are not permitted: leave them out and mark them absent.
    for (name, _) in files.iter().filter(|(_, rows)| *rows == 0) {
        std::fs::remove_file(out.join(format!("{name}.csv")))?;
    }
    let supplied: Vec<&str> = files.iter().filter(|(_, rows)| *rows > 0).map(|(name, _)| *name).collect();
    table::write_manifest(out, &supplied, "delta")?;
    let summary = Summary { files, seconds: started.elapsed().as_secs_f64() };
    Ok(DeltaSummary { summary, students, changed, withdrawn: withdrawn.len() as u64, added: added.len() as u64 })
}

/// A change a student information system sends: a new family name (and so login), a preferred
/// name, or a new email address.
fn change(row: &mut [String], t: &Table, rng: &mut ChaCha8Rng) -> anyhow::Result<()> {
    let (given, family, email, username) =
        (t.index("givenName")?, t.index("familyName")?, t.index("email")?, t.index("username")?);
    let domain = row[email].split_once('@').map(|(_, d)| d.to_owned()).unwrap_or_else(|| "example.org".into());
    let id = short(&row[0]);
    let x: f64 = rng.gen();
    // Draws until the value differs from what the row has (the lists are long, so this ends quickly).
    let mut differing = |now: &str, draw: &mut dyn FnMut(&mut ChaCha8Rng) -> &'static str| loop {
        let value = draw(rng);
        if value != now {
            break value.to_owned();
        }
    };
    if x < 0.5 {
        row[family] = differing(&row[family], &mut |rng| {
            let race = people::race(rng);
            people::family_name(rng, &race)
        });
        row[username] = format!("{}.{}.{id}", names::login_part(&row[given]), names::login_part(&row[family]));
        row[email] = format!("{}@{domain}", row[username]);
    } else if x < 0.8 {
        let preferred = t.index("preferredGivenName")?;
        let now = if row[preferred].is_empty() { row[given].clone() } else { row[preferred].clone() };
        row[preferred] = differing(&now, &mut |rng| {
            let sex = if rng.gen_bool(0.5) { "female" } else { "male" };
            people::given_name(rng, sex)
        });
    } else {
        let family_first = format!("{}{}{id}", names::login_part(&row[family]), names::login_part(&row[given]));
        row[email] = format!("{family_first}@{domain}");
    }
    Ok(())
}
