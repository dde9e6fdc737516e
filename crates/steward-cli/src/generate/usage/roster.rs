//! What the usage generator needs of a roster: each school's students (with their grade) and teachers, read by
//! header name from a OneRoster 1.2 bulk set's users.csv and roles.csv.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{bail, Context};

/// A person who uses products: how events name them.
#[derive(Debug, Clone)]
pub struct Person {
    pub sourced_id: String,
    pub email: String,
    pub username: String,
    /// Grade as a number, KG = 0; `None` for teachers.
    pub grade: Option<u8>,
}

/// A school's people, in file order.
#[derive(Debug, Default)]
pub struct SchoolPeople {
    pub sourced_id: String,
    pub students: Vec<Person>,
    pub teachers: Vec<Person>,
}

impl SchoolPeople {
    /// The lowest and highest grade of the school's students (KG = 0).
    pub fn grade_span(&self) -> Option<(u8, u8)> {
        let grades = self.students.iter().filter_map(|p| p.grade);
        let (lo, hi) = grades.fold((u8::MAX, 0), |(lo, hi), g| (lo.min(g), hi.max(g)));
        (lo <= hi).then_some((lo, hi))
    }
}

fn columns(path: &Path, names: &[&str]) -> anyhow::Result<(csv::Reader<std::fs::File>, Vec<usize>)> {
    let mut reader = csv::Reader::from_path(path).with_context(|| format!("opening {}", path.display()))?;
    let header = reader.headers().with_context(|| format!("reading {}", path.display()))?.clone();
    let at = names
        .iter()
        .map(|n| {
            header
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}') == *n)
                .with_context(|| format!("{} has no {n} column", path.display()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok((reader, at))
}

fn grade_number(grades: &str) -> Option<u8> {
    let first = grades.split(',').next()?.trim();
    match first {
        "KG" | "K" => Some(0),
        g => g.parse().ok().filter(|n| *n <= 12),
    }
}

/// Every school's students and teachers, schools in sourcedId order.
pub fn read(dir: &Path) -> anyhow::Result<Vec<SchoolPeople>> {
    let (mut roles, at) = columns(&dir.join("roles.csv"), &["userSourcedId", "role"])?;
    let mut role_of: HashMap<String, bool> = HashMap::new();
    for row in roles.records() {
        let row = row.context("reading roles.csv")?;
        match &row[at[1]] {
            "student" => role_of.insert(row[at[0]].to_owned(), true),
            "teacher" => role_of.insert(row[at[0]].to_owned(), false),
            _ => None,
        };
    }
    let names = ["sourcedId", "username", "email", "grades", "primaryOrgSourcedId"];
    let (mut users, at) = columns(&dir.join("users.csv"), &names)?;
    let mut schools: BTreeMap<String, SchoolPeople> = BTreeMap::new();
    for row in users.records() {
        let row = row.context("reading users.csv")?;
        let Some(student) = role_of.get(&row[at[0]]) else { continue };
        let school = row[at[4]].to_owned();
        let person = Person {
            sourced_id: row[at[0]].to_owned(),
            username: row[at[1]].to_owned(),
            email: row[at[2]].to_owned(),
            grade: if *student { grade_number(&row[at[3]]) } else { None },
        };
        let s =
            schools.entry(school.clone()).or_insert_with(|| SchoolPeople { sourced_id: school, ..Default::default() });
        if *student {
            s.students.push(person);
        } else {
            s.teachers.push(person);
        }
    }
    if schools.is_empty() {
        bail!("{} holds no students or teachers", dir.display());
    }
    Ok(schools.into_values().collect())
}
