//! The provider at district scale (ignored by default; run with `--ignored --nocapture`): 1,000,000 students
//! (`STEWARD_SCALE_STUDENTS` to change) in 200 schools and 40,000 classes, on SQLite, timing a 1,000-user page.

use std::collections::BTreeMap;
use std::time::Instant;
use steward_core::access::RosterView;
use steward_interop::oneroster::rest::{parse_filter, Entity};
use steward_interop::oneroster::{data_columns, Record, Status, Version};
use steward_store::*;

fn rec(file: &str, id: String, values: &[(&str, String)]) -> Record {
    let cols = data_columns(file);
    let mut vals = vec![None; cols.len()];
    for (c, v) in values {
        vals[cols.iter().position(|x| x == c).unwrap()] = Some(v.clone());
    }
    let at = "2026-05-01T10:00:00Z".parse().unwrap();
    Record {
        sourced_id: id,
        status: Some(Status::Active),
        date_last_modified: Some(at),
        values: vals,
        extensions: BTreeMap::new(),
    }
}

const SCHOOLS: usize = 200;
const CLASSES: usize = 40_000;

async fn fill(s: &Store, students: usize) {
    let started = Instant::now();
    let school = |i: usize| format!("sch-{i:03}");
    let orgs: Vec<Record> =
        (0..SCHOOLS).map(|i| rec("orgs", school(i), &[("name", school(i)), ("type", "school".into())])).collect();
    s.put_roster_records("orgs", &orgs).await.unwrap();
    let classes: Vec<Record> = (0..CLASSES)
        .map(|i| {
            let grade = format!("{:02}", 1 + i % 12);
            rec(
                "classes",
                format!("c{i:06}"),
                &[("title", format!("Class {i}")), ("grades", grade), ("schoolSourcedId", school(i % SCHOOLS))],
            )
        })
        .collect();
    s.put_roster_records("classes", &classes).await.unwrap();
    let teachers = CLASSES / 5;
    for start in (0..students + teachers).step_by(50_000) {
        let end = (start + 50_000).min(students + teachers);
        let mut users = Vec::new();
        let mut roles = Vec::new();
        let mut enrollments = Vec::new();
        for n in start..end {
            let (id, role) = if n < students {
                (format!("s{n:07}"), "student")
            } else {
                (format!("t{:07}", n - students), "teacher")
            };
            let class = if n < students { n % CLASSES } else { (n - students) * 5 };
            let grade = format!("{:02}", 1 + class % 12);
            users.push(rec(
                "users",
                id.clone(),
                &[
                    ("givenName", format!("Given{n}")),
                    ("familyName", format!("Family{n}")),
                    ("grades", grade),
                    ("enabledUser", "true".into()),
                ],
            ));
            roles.push(rec(
                "roles",
                format!("r-{id}"),
                &[
                    ("userSourcedId", id.clone()),
                    ("roleType", "primary".into()),
                    ("role", role.into()),
                    ("orgSourcedId", school(class % SCHOOLS)),
                ],
            ));
            let taught = if n < students { 1 } else { 5 };
            for k in 0..taught {
                let c = class + k;
                enrollments.push(rec(
                    "enrollments",
                    format!("e-{id}-{k}"),
                    &[
                        ("classSourcedId", format!("c{c:06}")),
                        ("userSourcedId", id.clone()),
                        ("role", role.into()),
                        ("schoolSourcedId", school(c % SCHOOLS)),
                    ],
                ));
            }
        }
        s.put_roster_records("users", &users).await.unwrap();
        s.put_roster_records("roles", &roles).await.unwrap();
        s.put_roster_records("enrollments", &enrollments).await.unwrap();
    }
    eprintln!("filled {students} students in {:.1}s", started.elapsed().as_secs_f64());
}

fn scope(schools: usize, grade_codes: Option<Vec<String>>) -> RosterScope {
    RosterScope {
        product_id: 0,
        view: RosterView {
            schools: vec![1],
            user_columns: vec!["givenName", "familyName", "grades"],
            ..Default::default()
        },
        schools: (0..schools).map(|i| format!("sch-{i:03}")).collect(),
        grade_codes,
    }
}

async fn timed(label: &str, s: &Store, sc: &RosterScope, q: &RosterQuery<'_>) -> RosterPage {
    let mut best = f64::MAX;
    let mut page = RosterPage::default();
    for _ in 0..3 {
        let t = Instant::now();
        page = s.roster_list(sc, q).await.unwrap();
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    eprintln!("{label}: {} rows of {} in {best:.1} ms (best of 3)", page.records.len(), page.total);
    page
}

#[tokio::test]
#[ignore = "builds a district of a million students; run explicitly"]
async fn a_thousand_user_page_of_a_million_students() {
    let students: usize =
        std::env::var("STEWARD_SCALE_STUDENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    // STEWARD_SCALE_DB keeps the district in a file of one's choosing, filled once and reused.
    let db = steward_store::testing::TestDb::sqlite();
    let url = std::env::var("STEWARD_SCALE_DB").unwrap_or_else(|_| db.url.clone());
    let s = Store::connect(&url).await.unwrap();
    s.migrate().await.unwrap();
    if s.roster_count(&scope(SCHOOLS, None), Entity::Org).await.unwrap() == 0 {
        fill(&s, students).await;
    }
    let all = scope(SCHOOLS, None);
    let q = RosterQuery { limit: 1000, ..RosterQuery::new(Entity::User, Version::V1_2) };
    let total = students + CLASSES / 5;
    let page = timed("users, first page", &s, &all, &q).await;
    assert_eq!((page.records.len(), page.total as usize), (1000, total));
    assert_eq!(page.roles.len(), 1000);
    let deep = RosterQuery { offset: (students / 2) as i64, ..q.clone() };
    timed("users, page at the middle", &s, &all, &deep).await;
    // The paging snapshot of the REST provider: every visible id once, then a page of them by id.
    let t = Instant::now();
    let ids = s.roster_ids(&all, &q, usize::MAX).await.unwrap().unwrap();
    eprintln!("users, every visible id: {} in {:.1} ms", ids.len(), t.elapsed().as_secs_f64() * 1000.0);
    assert_eq!(ids.len(), total);
    let middle = ids.page(students / 2, 1000);
    let t = Instant::now();
    let page = s.roster_by_ids(&all, Entity::User, &middle).await.unwrap();
    eprintln!("users, page at the middle by id: {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    assert_eq!((page.records.len(), page.roles.len()), (1000, 1000));
    assert_eq!(page.records[0].sourced_id, middle[0]);
    let one_school = scope(1, None);
    let page = timed("users of one school", &s, &one_school, &q).await;
    assert!(page.records.iter().all(|u| page
        .roles
        .get(&u.sourced_id)
        .into_iter()
        .flatten()
        .all(|r| r.get("roles", "orgSourcedId") == Some("sch-000"))));
    // Each teacher has classes at five schools.
    assert_eq!(page.total as usize, students / SCHOOLS + CLASSES / SCHOOLS);
    let grade = scope(SCHOOLS, Some(vec!["03".into()]));
    timed("users of grade 3", &s, &grade, &q).await;
    let f = parse_filter(&format!("givenName='Given{}'", students / 2)).unwrap();
    let page = timed("users filtered by name", &s, &all, &RosterQuery { filter: Some(&f), ..q.clone() }).await;
    assert_eq!(page.records.len(), 1);
    let after = parse_filter(&format!("sourcedId>'s{:07}'", students / 2)).unwrap();
    let keyset = RosterQuery { filter: Some(&after), ..q.clone() };
    let page = timed("users after a sourcedId at the middle (keyset)", &s, &all, &keyset).await;
    assert_eq!(page.records[0].sourced_id, format!("s{:07}", students / 2 + 1));
    let classes = RosterQuery { entity: Entity::Class, ..q.clone() };
    timed("classes, first page", &s, &all, &classes).await;
}
