//! `steward generate`: the sets it writes are strict OneRoster 1.2, deterministic, realistic in shape,
//! and a delta against one touches the share of students asked for.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{Datelike, NaiveDate};
use steward_interop::oneroster::{read_dir, Mode, Package, Status};
use steward_interop::Strictness;

/// A fresh directory path for one test (not created: the generator makes it).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("steward-generate-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn steward(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_steward")).args(args).output().expect("run steward");
    let (out, err) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "{args:?}: {err}");
    out.into_owned()
}

fn district(dir: &Path, students: usize, seed: u64) -> String {
    let (n, s) = (students.to_string(), seed.to_string());
    steward(&["generate", "district", "--students", &n, "--seed", &s, "--out", dir.to_str().unwrap()])
}

/// Reads the set strictly and insists on zero problems, errors or warnings.
fn read_clean(dir: &Path) -> Package {
    let p = read_dir(dir, Strictness::Strict).expect("read the set");
    let first: Vec<String> = p.problems.iter().take(5).map(|p| format!("{p:?}")).collect();
    assert_eq!((p.error_count, p.warning_count), (0, 0), "problems: {first:#?}");
    assert!(p.problems.is_empty());
    p
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn a_district_is_strict_oneroster_of_realistic_shape() {
    let dir = scratch("shape");
    let summary = district(&dir, 2000, 7);
    let p = read_clean(&dir);
    assert!(summary.contains("enrollments") && summary.contains(" s"), "{summary}");

    // One district with a 7-digit id; elementary, middle and high schools with 12-digit ids under it.
    let districts: Vec<_> = p.orgs.iter().filter(|o| o.org_type == "district").collect();
    assert_eq!(districts.len(), 1);
    let district_id = districts[0].identifier.as_deref().unwrap();
    assert_eq!(district_id.len(), 7);
    let schools: Vec<_> = p.orgs.iter().filter(|o| o.org_type == "school").collect();
    for level in ["Elementary School", "Middle School", "High School"] {
        assert!(schools.iter().any(|s| s.name.ends_with(level)), "a {level}");
    }
    for s in &schools {
        let id = s.identifier.as_deref().unwrap();
        assert!(id.len() == 12 && id.starts_with(district_id) && id.bytes().all(|b| b.is_ascii_digit()), "{id}");
        assert_eq!(s.parent_sourced_id.as_deref(), Some(districts[0].common.sourced_id.as_str()));
    }

    // The 2026–2027 year, two semesters under it and two grading periods under each.
    let sessions = &p.academic_sessions;
    assert!(sessions.iter().all(|s| s.school_year == 2027 && s.start_date < s.end_date));
    let year = sessions.iter().find(|s| s.session_type == "schoolYear").unwrap();
    let semesters: Vec<_> = sessions.iter().filter(|s| s.session_type == "semester").collect();
    assert_eq!(semesters.len(), 2);
    assert!(semesters.iter().all(|s| s.parent_sourced_id.as_ref() == Some(&year.common.sourced_id)));
    for semester in &semesters {
        let periods = sessions
            .iter()
            .filter(|s| s.session_type == "gradingPeriod")
            .filter(|s| s.parent_sourced_id.as_ref() == Some(&semester.common.sourced_id));
        assert_eq!(periods.count(), 2);
    }

    // Roles: one primary role for every user.
    let role_of: HashMap<&str, &str> = p.roles.iter().map(|r| (r.user_sourced_id.as_str(), r.role.as_str())).collect();
    assert_eq!(p.roles.len(), p.users.len());
    assert!(p.roles.iter().all(|r| r.role_type == "primary"));
    assert!(p.users.iter().all(|u| role_of.contains_key(u.common.sourced_id.as_str())));
    let students: Vec<_> = p.users.iter().filter(|u| role_of[u.common.sourced_id.as_str()] == "student").collect();
    assert_eq!(students.len(), 2000);
    let count = |role: &str| role_of.values().filter(|r| **r == role).count();
    assert!((3..=5).contains(&count("districtAdministrator")));
    assert!(count("principal") == schools.len());
    let per_teacher = 2000.0 / count("teacher") as f64;
    assert!((13.0..17.0).contains(&per_teacher), "{per_teacher} students per teacher");

    // Every grade KG–12 has students, who are in their school by primaryOrg and role.
    let grades: HashSet<&str> = students.iter().flat_map(|u| u.grades.iter().map(String::as_str)).collect();
    let expected = ["KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"];
    assert_eq!(grades, expected.into_iter().collect());
    let role_org: HashMap<&str, &str> =
        p.roles.iter().map(|r| (r.user_sourced_id.as_str(), r.org_sourced_id.as_str())).collect();
    assert!(students
        .iter()
        .all(|u| u.primary_org_sourced_id.as_deref() == Some(role_org[u.common.sourced_id.as_str()])));

    // Enrollments name existing classes and users; classes hold 20–30 students on average.
    let classes: HashMap<&str, _> = p.classes.iter().map(|c| (c.common.sourced_id.as_str(), c)).collect();
    let users: HashSet<&str> = p.users.iter().map(|u| u.common.sourced_id.as_str()).collect();
    assert!(p.enrollments.iter().all(|e| classes.contains_key(e.class_sourced_id.as_str())));
    assert!(p.enrollments.iter().all(|e| users.contains(e.user_sourced_id.as_str())));
    let mut classes_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for e in p.enrollments.iter().filter(|e| e.role == "student") {
        classes_of.entry(e.user_sourced_id.as_str()).or_default().push(e.class_sourced_id.as_str());
    }
    let mean = classes_of.values().map(Vec::len).sum::<usize>() as f64 / p.classes.len() as f64;
    assert!((20.0..30.0).contains(&mean), "mean class size {mean}");

    // Elementary students have one homeroom; secondary students 6–8 scheduled classes, at most one per period.
    let mut sizes = HashMap::new();
    for u in &students {
        let grade = u.grades[0].as_str();
        let mine = &classes_of[u.common.sourced_id.as_str()];
        if ["KG", "01", "02", "03", "04", "05"].contains(&grade) {
            assert_eq!(mine.len(), 1);
            assert_eq!(classes[mine[0]].class_type, "homeroom");
        } else {
            assert!((6..=8).contains(&mine.len()), "{} has {} classes", u.common.sourced_id, mine.len());
            let periods: HashSet<&String> = mine.iter().flat_map(|c| &classes[c].periods).collect();
            assert_eq!(periods.len(), mine.len(), "one class per period");
            assert!(mine.iter().all(|c| classes[c].class_type == "scheduled"));
        }
        *sizes.entry(mine.len()).or_insert(0) += 1;
    }
    assert!(sizes[&7] > sizes.get(&6).copied().unwrap_or(0) + sizes.get(&8).copied().unwrap_or(0));

    // Secondary teachers teach up to six classes, each class has one primary teacher.
    let mut taught: HashMap<&str, usize> = HashMap::new();
    let mut primaries: HashMap<&str, usize> = HashMap::new();
    for e in p.enrollments.iter().filter(|e| e.role == "teacher" && e.primary == Some(true)) {
        *taught.entry(e.user_sourced_id.as_str()).or_default() += 1;
        *primaries.entry(e.class_sourced_id.as_str()).or_default() += 1;
    }
    assert!(taught.values().all(|n| (1..=6).contains(n)));
    assert!(taught.values().filter(|n| **n >= 5).count() * 2 > taught.values().filter(|n| **n > 1).count());
    assert_eq!(primaries.len(), p.classes.len());
    assert!(primaries.values().all(|n| *n == 1));
    // A teacher teaches in one room (the zero-period ensemble meets in the band room).
    let mut rooms_of: HashMap<&str, HashSet<&str>> = HashMap::new();
    for e in p.enrollments.iter().filter(|e| e.role == "teacher" && e.primary == Some(true)) {
        let room = classes[e.class_sourced_id.as_str()].location.as_deref().unwrap();
        if room != "Band Room" {
            rooms_of.entry(e.user_sourced_id.as_str()).or_default().insert(room);
        }
    }
    assert!(rooms_of.values().all(|rooms| rooms.len() == 1), "one room a teacher");
    // Co-teachers staff up to about one teacher per 15 students; no teacher is in two places at once.
    assert!(p.enrollments.iter().any(|e| e.role == "teacher" && e.primary == Some(false)));
    let mut periods_of: HashMap<&str, Vec<&String>> = HashMap::new();
    for e in p.enrollments.iter().filter(|e| e.role == "teacher") {
        periods_of.entry(e.user_sourced_id.as_str()).or_default().extend(&classes[e.class_sourced_id.as_str()].periods);
    }
    for periods in periods_of.values() {
        assert_eq!(periods.iter().collect::<HashSet<_>>().len(), periods.len(), "a teacher's periods {periods:?}");
    }

    // Every student has demographics, a birth date fitting the grade, and a guardian who lists them back.
    let demographics: HashMap<&str, _> = p.demographics.iter().map(|d| (d.common.sourced_id.as_str(), d)).collect();
    let by_id: HashMap<&str, _> = p.users.iter().map(|u| (u.common.sourced_id.as_str(), u)).collect();
    let first_day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    for u in &students {
        let d = demographics[u.common.sourced_id.as_str()];
        let grade = expected.iter().position(|g| *g == u.grades[0]).unwrap() as i32;
        let birth = d.birth_date.unwrap();
        let age = first_day.year()
            - birth.year()
            - i32::from((first_day.month(), first_day.day()) < (birth.month(), birth.day()));
        assert!(age == 5 + grade || age == 6 + grade, "grade {grade} aged {age}");
        assert!(d.sex.is_some() && d.hispanic_or_latino_ethnicity.is_some() && d.white.is_some());
        assert_eq!(u.agent_sourced_ids.len(), 1);
        let guardian = by_id[u.agent_sourced_ids[0].as_str()];
        assert_eq!(role_of[guardian.common.sourced_id.as_str()], "guardian");
        assert!(guardian.agent_sourced_ids.contains(&u.common.sourced_id));
        assert!(u.email.as_deref().unwrap().ends_with(".k12.example.org") && u.identifier.is_some());
    }
    let share = |f: fn(&steward_interop::oneroster::Demographic) -> bool| {
        p.demographics.iter().filter(|d| f(d)).count() as f64 / p.demographics.len() as f64
    };
    assert!((0.22..0.34).contains(&share(|d| d.hispanic_or_latino_ethnicity == Some(true))));
    // White includes most Hispanic students, who report a race.
    assert!((0.50..0.72).contains(&share(|d| d.white == Some(true))));
    assert!((0.10..0.20).contains(&share(|d| d.black_or_african_american == Some(true))));
    let guardians = count("guardian");
    assert!((1200..1700).contains(&guardians), "{guardians} guardians");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_other_people() {
    let (a, b, c) = (scratch("seed-a"), scratch("seed-b"), scratch("seed-c"));
    district(&a, 700, 42);
    district(&b, 700, 42);
    district(&c, 700, 43);
    let (fa, fb, fc) = (files(&a), files(&b), files(&c));
    assert_eq!(fa.len(), 9);
    assert!(fa == fb, "same seed, same bytes");
    let users = |f: &[(String, Vec<u8>)]| f.iter().find(|(n, _)| n == "users.csv").unwrap().1.clone();
    assert_ne!(users(&fa), users(&fc));
    let names = |dir: &Path| -> Vec<(String, String)> {
        let p = read_clean(dir);
        p.users.iter().map(|u| (u.given_name.clone(), u.family_name.clone())).collect()
    };
    let (na, nc) = (names(&a), names(&c));
    let same = na.iter().zip(&nc).filter(|(x, y)| x == y).count();
    assert!(same * 20 < na.len(), "{same} of {} people kept their name", na.len());
    for d in [a, b, c] {
        std::fs::remove_dir_all(d).unwrap();
    }
}

#[test]
fn a_delta_is_strict_oneroster_and_touches_about_the_share_asked() {
    let (bulk, out) = (scratch("delta-bulk"), scratch("delta-out"));
    district(&bulk, 4000, 3);
    let said = steward(&[
        "generate",
        "delta",
        "--roster",
        bulk.to_str().unwrap(),
        "--percent",
        "5",
        "--seed",
        "9",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(said.contains("of 4000 students"), "{said}");
    let before = read_clean(&bulk);
    let d = read_clean(&out);
    let manifest = d.manifest.as_ref().unwrap();
    for (file, mode) in &manifest.files {
        let expected = if ["users", "roles", "enrollments", "demographics"].contains(&file.as_str()) {
            Mode::Delta
        } else {
            Mode::Absent
        };
        assert_eq!(*mode, expected, "{file}");
    }
    assert!(d.users.iter().all(|u| u.common.status.is_some() && u.common.date_last_modified.is_some()));

    let old: HashMap<&str, _> = before.users.iter().map(|u| (u.common.sourced_id.as_str(), u)).collect();
    let students: Vec<_> = d.users.iter().filter(|u| !u.grades.is_empty()).collect();
    let touched = students.len() as f64 / 4000.0;
    assert!((0.035..0.065).contains(&touched), "touched {touched}");
    let (mut changed, mut withdrawn, mut added) = (0, HashSet::new(), HashSet::new());
    for u in &students {
        match (u.common.status, old.get(u.common.sourced_id.as_str())) {
            (Some(Status::ToBeDeleted), Some(was)) => {
                assert_eq!(*was, &{
                    let mut same = (*u).clone();
                    same.common = was.common.clone();
                    same
                });
                withdrawn.insert(u.common.sourced_id.as_str());
            }
            (Some(Status::Active), Some(was)) => {
                changed += 1;
                let renamed = (&u.family_name, &u.email, &u.preferred_given_name)
                    != (&was.family_name, &was.email, &was.preferred_given_name);
                assert!(renamed, "{} changed something", u.common.sourced_id);
                assert_eq!(u.given_name, was.given_name);
            }
            (Some(Status::Active), None) => {
                assert!(u.identifier.is_some() && u.email.is_some() && u.primary_org_sourced_id.is_some());
                added.insert(u.common.sourced_id.as_str());
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(changed > withdrawn.len() && !withdrawn.is_empty() && !added.is_empty());

    // Withdrawn students leave every class; new students join classes that exist.
    let classes: HashSet<&str> = before.classes.iter().map(|c| c.common.sourced_id.as_str()).collect();
    let was_in = before.enrollments.iter().filter(|e| withdrawn.contains(e.user_sourced_id.as_str())).count();
    let ended: Vec<_> = d.enrollments.iter().filter(|e| e.common.status == Some(Status::ToBeDeleted)).collect();
    assert_eq!(ended.len(), was_in);
    assert!(ended.iter().all(|e| withdrawn.contains(e.user_sourced_id.as_str())));
    let joined: Vec<_> = d.enrollments.iter().filter(|e| e.common.status == Some(Status::Active)).collect();
    assert!(joined
        .iter()
        .all(|e| added.contains(e.user_sourced_id.as_str()) && classes.contains(e.class_sourced_id.as_str())));
    assert!(added.iter().all(|s| joined.iter().any(|e| e.user_sourced_id == *s)));
    // Their roles and demographics follow.
    let role_users: HashSet<&str> = d.roles.iter().map(|r| r.user_sourced_id.as_str()).collect();
    let demo_users: HashSet<&str> = d.demographics.iter().map(|r| r.common.sourced_id.as_str()).collect();
    for id in withdrawn.iter().chain(&added) {
        assert!(role_users.contains(id) && demo_users.contains(id), "{id}");
    }
    // Guardians no longer list withdrawn students.
    let guardians: Vec<_> = d.users.iter().filter(|u| u.grades.is_empty()).collect();
    assert!(!guardians.is_empty());
    assert!(guardians.iter().all(|g| g.agent_sourced_ids.iter().all(|s| !withdrawn.contains(s.as_str()))));
    for dir in [bulk, out] {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[test]
fn a_delta_that_touches_nobody_is_a_manifest_alone() {
    let (bulk, out) = (scratch("tiny-bulk"), scratch("tiny-out"));
    district(&bulk, 30, 1);
    let (roster, to) = (bulk.to_str().unwrap(), out.to_str().unwrap());
    let said = steward(&["generate", "delta", "--roster", roster, "--percent", "0.1", "--out", to]);
    assert!(said.contains("of 30 students, 0 changed, 0 withdrawn, 0 added"), "{said}");
    let d = read_clean(&out);
    assert!(d.manifest.unwrap().files.values().all(|m| *m == Mode::Absent));
    assert_eq!(files(&out).len(), 1);
    for dir in [bulk, out] {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[test]
fn both_commands_have_help() {
    assert!(steward(&["generate", "--help"]).contains("delta"));
    assert!(steward(&["generate", "district", "--help"]).contains("--students"));
    assert!(steward(&["generate", "delta", "--help"]).contains("--percent"));
}

#[test]
fn it_will_not_write_into_a_directory_that_has_files() {
    let dir = scratch("busy");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "keep me").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(["generate", "district", "--students", "10", "--out", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not empty"));
    assert_eq!(std::fs::read_to_string(dir.join("notes.txt")).unwrap(), "keep me");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A bigger district (STEWARD_GENERATE_STUDENTS, default 100,000) is still read with zero problems.
/// Slow in a debug build: `cargo test -p steward-cli --test generate -- --ignored`.
#[test]
#[ignore]
fn a_large_district_reads_clean() {
    let students: usize =
        std::env::var("STEWARD_GENERATE_STUDENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let dir = scratch("large");
    district(&dir, students, 11);
    let p = read_clean(&dir);
    assert_eq!(p.demographics.len(), students);
    assert_eq!(p.roles.len(), p.users.len());
    std::fs::remove_dir_all(&dir).unwrap();
}
