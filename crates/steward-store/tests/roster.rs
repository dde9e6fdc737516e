//! The roster import contract, on SQLite and on PostgreSQL: bulk and delta semantics, idempotence, history.

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use steward_interop::oneroster::{data_columns, Mode, Record, Status};
use steward_interop::{Problem, Severity};
use steward_store::on_both_backends;
use steward_store::*;

on_both_backends!(
    a_bulk_import_is_idempotent,
    bulk_marks_missing_records_and_reactivates_them,
    delta_applies_by_date_last_modified,
    indexed_and_other_columns_change_alike,
    an_export_names_the_extension_columns_of_live_records,
    rejected_imports_change_nothing_and_are_recorded,
    records_read_back_as_they_were_imported,
    schools_classes_and_people_are_found,
    an_abandoned_import_leaves_the_roster_as_it_was,
    the_rosters_schools_become_organizations,
);

fn actor() -> Actor {
    Actor::system("test")
}

fn rec(file: &str, id: &str, values: &[(&str, &str)]) -> Record {
    steward_store::testing::record(file, id, values)
}

fn org(id: &str, name: &str) -> Record {
    rec("orgs", id, &[("name", name), ("type", "school")])
}

fn user(id: &str, given: &str) -> Record {
    rec("users", id, &[("enabledUser", "true"), ("username", id), ("givenName", given), ("familyName", "Doe")])
}

async fn import(s: &Store, tables: Vec<RosterTable<'_>>) -> Vec<FileOutcome> {
    let none = BTreeMap::new();
    let import = RosterImport {
        source: "test",
        version: Some("1.2"),
        strict: false,
        tables,
        problems: &[],
        error_count: 0,
        warning_count: 0,
        suppressed: &none,
    };
    s.apply_roster(&actor(), &import, &mut |_, _| {}).await.unwrap().1
}

fn bulk<'a>(file: &'a str, records: &'a [Record]) -> RosterTable<'a> {
    RosterTable { file, mode: Mode::Bulk, rows: records.len() as u64, records }
}

async fn all(s: &Store, file: &str) -> Vec<Record> {
    let mut out = Vec::new();
    s.each_roster_record(file, |r| {
        out.push(r);
        Ok::<_, ()>(())
    })
    .await
    .unwrap()
    .unwrap();
    out
}

fn outcome(o: &FileOutcome) -> (u64, u64, u64, u64) {
    (o.inserted, o.updated, o.unchanged, o.deleted)
}

async fn a_bulk_import_is_idempotent(s: &Store) {
    let orgs = [org("sch-1", "North"), org("sch-2", "South")];
    let users = [user("u-1", "Ana"), user("u-2", "Ben"), user("u-3", "Cy")];
    let first = import(s, vec![bulk("orgs", &orgs), bulk("users", &users)]).await;
    assert_eq!(outcome(&first[0]), (2, 0, 0, 0));
    assert_eq!(outcome(&first[1]), (3, 0, 0, 0));
    let before = all(s, "users").await;
    let again = import(s, vec![bulk("orgs", &orgs), bulk("users", &users)]).await;
    assert_eq!(outcome(&again[0]), (0, 0, 2, 0));
    assert_eq!(outcome(&again[1]), (0, 0, 3, 0));
    assert_eq!(all(s, "users").await, before, "a second import of the same files changes nothing");

    let changed = [user("u-1", "Ana"), user("u-2", "Benjamin"), user("u-3", "Cy")];
    let third = import(s, vec![bulk("users", &changed)]).await;
    assert_eq!(outcome(&third[0]), (0, 1, 2, 0));
    let ben = all(s, "users").await.into_iter().find(|r| r.sourced_id == "u-2").unwrap();
    assert_eq!(ben.get("users", "givenName"), Some("Benjamin"));
    let history = s.roster_imports(1, 10).await.unwrap();
    assert_eq!(history.total, 3);
    assert!(history.items.iter().all(|h| h.applied()));
    assert_eq!(s.roster_generation().await.unwrap(), history.items[0].id, "the generation is the latest import");
}

async fn bulk_marks_missing_records_and_reactivates_them(s: &Store) {
    let three = [user("u-1", "Ana"), user("u-2", "Ben"), user("u-3", "Cy")];
    import(s, vec![bulk("users", &three)]).await;
    let two = [user("u-1", "Ana"), user("u-3", "Cy")];
    let o = import(s, vec![bulk("users", &two)]).await;
    assert_eq!(outcome(&o[0]), (0, 0, 2, 1));
    let status = |rs: &[Record], id: &str| rs.iter().find(|r| r.sourced_id == id).unwrap().status;
    let now = all(s, "users").await;
    assert_eq!(status(&now, "u-2"), Some(Status::ToBeDeleted));
    assert_eq!(status(&now, "u-1"), Some(Status::Active));
    // Marked once: a later bulk without it leaves it (and its time) alone.
    let o = import(s, vec![bulk("users", &two)]).await;
    assert_eq!(outcome(&o[0]), (0, 0, 2, 0));
    // Back in a bulk: active again.
    let o = import(s, vec![bulk("users", &three)]).await;
    assert_eq!(outcome(&o[0]), (0, 1, 2, 0));
    assert_eq!(status(&all(s, "users").await, "u-2"), Some(Status::Active));
    // Files a bulk import does not bring are left alone.
    let orgs = [org("sch-1", "North")];
    import(s, vec![bulk("orgs", &orgs)]).await;
    assert_eq!(all(s, "users").await.len(), 3);
    assert!(all(s, "users").await.iter().all(|r| r.status == Some(Status::Active)));
}

async fn delta_applies_by_date_last_modified(s: &Store) {
    let users = [user("u-1", "Ana"), user("u-2", "Ben")];
    import(s, vec![bulk("users", &users)]).await;
    let at = |d: u32| Some(Utc.with_ymd_and_hms(2030, 1, d, 8, 0, 0).unwrap());
    let mut renamed = user("u-1", "Anabel");
    (renamed.status, renamed.date_last_modified) = (Some(Status::Active), at(2));
    let mut gone = user("u-2", "Ben");
    (gone.status, gone.date_last_modified) = (Some(Status::ToBeDeleted), at(2));
    let mut new = user("u-9", "Zoe");
    (new.status, new.date_last_modified) = (Some(Status::Active), at(2));
    let delta = [renamed.clone(), gone, new];
    let table = RosterTable { file: "users", mode: Mode::Delta, rows: 3, records: &delta };
    let o = import(s, vec![table]).await;
    assert_eq!(outcome(&o[0]), (1, 1, 0, 1));
    let now = all(s, "users").await;
    let find = |id: &str| now.iter().find(|r| r.sourced_id == id).unwrap().clone();
    assert_eq!(find("u-1").get("users", "givenName"), Some("Anabel"));
    assert_eq!(find("u-1").date_last_modified, at(2));
    assert_eq!(find("u-2").status, Some(Status::ToBeDeleted));
    assert_eq!(find("u-9").status, Some(Status::Active));
    // An older change does not overwrite a newer one; the same delta again changes nothing.
    let mut stale = user("u-1", "Annie");
    (stale.status, stale.date_last_modified) = (Some(Status::Active), at(1));
    let stale = [stale];
    let o = import(s, vec![RosterTable { file: "users", mode: Mode::Delta, rows: 1, records: &stale }]).await;
    assert_eq!(outcome(&o[0]), (0, 0, 1, 0));
    let ana = all(s, "users").await.into_iter().find(|r| r.sourced_id == "u-1").unwrap();
    assert_eq!(ana.get("users", "givenName"), Some("Anabel"), "an older delta row does not overwrite a newer one");
    let o = import(s, vec![RosterTable { file: "users", mode: Mode::Delta, rows: 3, records: &delta }]).await;
    assert_eq!(outcome(&o[0]), (0, 0, 3, 0));
    // After a bulk, a delta the SIS made earlier than Steward imported that bulk still applies: it is measured
    // against the SIS's own dates, not the bulk's import time.
    import(s, vec![bulk("users", &users)]).await;
    let mut early = user("u-1", "Ana Maria");
    (early.status, early.date_last_modified) =
        (Some(Status::Active), Some(Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap()));
    let early = [early];
    let o = import(s, vec![RosterTable { file: "users", mode: Mode::Delta, rows: 1, records: &early }]).await;
    assert_eq!(outcome(&o[0]), (0, 1, 0, 0));
    assert_eq!(
        all(s, "users").await.iter().find(|r| r.sourced_id == "u-1").unwrap().get("users", "givenName"),
        Some("Ana Maria")
    );
}

/// A change to an indexed column (`username`, `email`) and a change to any other (`givenName`) are written by two
/// shapes of statement; both must land, in a bulk and in a delta.
async fn indexed_and_other_columns_change_alike(s: &Store) {
    let users = [user("u-1", "Ana"), user("u-2", "Ben"), user("u-3", "Cy")];
    import(s, vec![bulk("users", &users)]).await;
    let mut renamed = user("u-1", "Ana");
    renamed.set("users", "username", Some("ana.new".into()));
    let both = rec("users", "u-3", &[("enabledUser", "true"), ("username", "cy.new"), ("givenName", "Cyrus")]);
    let changed = [renamed, user("u-2", "Benjamin"), both];
    let o = import(s, vec![bulk("users", &changed)]).await;
    assert_eq!(outcome(&o[0]), (0, 3, 0, 0));
    let now = all(s, "users").await;
    let get =
        |id: &str, col: &str| now.iter().find(|r| r.sourced_id == id).unwrap().get("users", col).map(str::to_owned);
    assert_eq!(get("u-1", "username").as_deref(), Some("ana.new"));
    assert_eq!(get("u-2", "givenName").as_deref(), Some("Benjamin"));
    assert_eq!(get("u-2", "username").as_deref(), Some("u-2"));
    assert_eq!((get("u-3", "username").as_deref(), get("u-3", "familyName")), (Some("cy.new"), None));

    let at = Some(Utc.with_ymd_and_hms(2030, 2, 1, 8, 0, 0).unwrap());
    let mut email = user("u-1", "Ana");
    email.set("users", "username", Some("ana.new".into()));
    email.set("users", "email", Some("ana@example.org".into()));
    let mut given = user("u-2", "Benny");
    for r in [&mut email, &mut given] {
        (r.status, r.date_last_modified) = (Some(Status::Active), at);
    }
    let delta = [email, given];
    let o = import(s, vec![RosterTable { file: "users", mode: Mode::Delta, rows: 2, records: &delta }]).await;
    assert_eq!(outcome(&o[0]), (0, 2, 0, 0));
    let now = all(s, "users").await;
    let find = |id: &str| now.iter().find(|r| r.sourced_id == id).unwrap().clone();
    assert_eq!(find("u-1").get("users", "email"), Some("ana@example.org"));
    assert_eq!(find("u-1").date_last_modified, at);
    assert_eq!(find("u-2").get("users", "givenName"), Some("Benny"));
    assert_eq!(find("u-2").date_last_modified, at);
}

async fn an_export_names_the_extension_columns_of_live_records(s: &Store) {
    let mut ana = user("u-1", "Ana");
    ana.extensions.insert("metadata.district.house".into(), "Oak".into());
    let mut ben = user("u-2", "Ben");
    ben.extensions.insert("ext_vendor_id".into(), "V-2".into());
    let mut cy = user("u-3", "Cy");
    cy.extensions.insert("metadata.gone".into(), "x".into());
    import(s, vec![bulk("users", &[ana.clone(), ben.clone(), cy])]).await;
    let all3: Vec<String> = s.roster_extension_names("users").await.unwrap().into_iter().collect();
    assert_eq!(all3, ["ext_vendor_id", "metadata.district.house", "metadata.gone"]);
    // Cy is marked tobedeleted by the next bulk: an export leaves out Cy, and so Cy's column.
    import(s, vec![bulk("users", &[ana, ben])]).await;
    let live: Vec<String> = s.roster_extension_names("users").await.unwrap().into_iter().collect();
    assert_eq!(live, ["ext_vendor_id", "metadata.district.house"]);
    assert!(s.roster_extension_names("orgs").await.unwrap().is_empty());
}

async fn rejected_imports_change_nothing_and_are_recorded(s: &Store) {
    let users = [user("u-1", "Ana")];
    import(s, vec![bulk("users", &users)]).await;
    let problem = Problem {
        file: "users.csv".into(),
        line: Some(3),
        column: Some("givenName".into()),
        value: None,
        rule: "is required but blank".into(),
        severity: Severity::Error,
    };
    let other = [user("u-2", "Ben")];
    let suppressed = BTreeMap::from([("users.csv".to_owned(), 4u64)]);
    let import = RosterImport {
        source: "upload.zip",
        version: Some("1.2"),
        strict: true,
        tables: vec![bulk("users", &other)],
        problems: std::slice::from_ref(&problem),
        error_count: 5,
        warning_count: 0,
        suppressed: &suppressed,
    };
    assert!(s.apply_roster(&actor(), &import, &mut |_, _| {}).await.is_err(), "errors are never applied");
    let generation = s.roster_generation().await.unwrap();
    let id = s.record_rejected_roster_import(&actor(), &import).await.unwrap();
    assert_eq!(all(s, "users").await.iter().map(|r| r.sourced_id.as_str()).collect::<Vec<_>>(), ["u-1"]);
    assert_eq!(s.roster_generation().await.unwrap(), generation, "a rejected import is no new generation");
    let entry = s.roster_import(id).await.unwrap();
    assert_eq!((entry.outcome.as_str(), entry.error_count, entry.strictness.as_str()), ("rejected", 5, "strict"));
    assert_eq!(entry.files[0].problems_not_listed, 4);
    let problems = s.roster_import_problems(id, 100).await.unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!((problems[0].line, problems[0].column.as_deref()), (Some(3), Some("givenName")));
    assert_eq!(problems[0].severity, "error");
}

async fn records_read_back_as_they_were_imported(s: &Store) {
    let mut class = rec(
        "classes",
        "cls-1",
        &[
            ("title", "Algebra, period 2"),
            ("grades", "09,10"),
            ("courseSourcedId", "crs-1"),
            ("classType", "scheduled"),
            ("schoolSourcedId", "sch-1"),
            ("termSourcedIds", "t1,t2"),
        ],
    );
    class.extensions.insert("metadata.room".into(), "B12".into());
    let enrollment = rec(
        "enrollments",
        "e-1",
        &[
            ("classSourcedId", "cls-1"),
            ("schoolSourcedId", "sch-1"),
            ("userSourcedId", "u-1"),
            ("role", "teacher"),
            ("primary", "true"),
        ],
    );
    let mut with_password = user("u-1", "Ana");
    let at = data_columns("users").iter().position(|c| *c == "password").unwrap();
    with_password.values[at] = Some("hunter2".into());
    let (classes, enrollments, users) = ([class.clone()], [enrollment.clone()], [with_password]);
    import(s, vec![bulk("classes", &classes), bulk("enrollments", &enrollments), bulk("users", &users)]).await;
    let back = all(s, "classes").await.remove(0);
    assert_eq!((back.values, back.extensions), (class.values, class.extensions));
    assert_eq!(all(s, "enrollments").await.remove(0).values, enrollment.values);
    assert_eq!(all(s, "users").await.remove(0).values[at], None, "passwords are never kept");
    let counts = s.roster_counts().await.unwrap();
    assert!(counts.contains(&("classes", 1, 0)) && counts.contains(&("orgs", 0, 0)));
}

async fn schools_classes_and_people_are_found(s: &Store) {
    let orgs = [org("sch-1", "North Elementary"), org("sch-2", "South High")];
    let classes = [
        rec(
            "classes",
            "c-1",
            &[
                ("title", "Grade 3 Homeroom"),
                ("courseSourcedId", "k"),
                ("classType", "homeroom"),
                ("schoolSourcedId", "sch-1"),
                ("termSourcedIds", "t"),
            ],
        ),
        rec(
            "classes",
            "c-2",
            &[
                ("title", "Algebra I"),
                ("courseSourcedId", "k"),
                ("classType", "scheduled"),
                ("schoolSourcedId", "sch-2"),
                ("termSourcedIds", "t"),
            ],
        ),
    ];
    let users = [user("u-1", "Ana"), user("u-2", "Ben"), user("t-1", "Tess")];
    let role = |id: &str, user: &str, role: &str, org: &str| {
        rec("roles", id, &[("userSourcedId", user), ("roleType", "primary"), ("role", role), ("orgSourcedId", org)])
    };
    let roles = [
        role("r1", "u-1", "student", "sch-1"),
        role("r2", "u-2", "student", "sch-2"),
        role("r3", "t-1", "teacher", "sch-2"),
    ];
    let enrol = |id: &str, class: &str, user: &str, role: &str| {
        rec(
            "enrollments",
            id,
            &[("classSourcedId", class), ("schoolSourcedId", "sch-2"), ("userSourcedId", user), ("role", role)],
        )
    };
    let enrollments = [enrol("e1", "c-2", "u-2", "student"), enrol("e2", "c-2", "t-1", "teacher")];
    import(
        s,
        vec![
            bulk("orgs", &orgs),
            bulk("classes", &classes),
            bulk("users", &users),
            bulk("roles", &roles),
            bulk("enrollments", &enrollments),
        ],
    )
    .await;
    let schools = s.roster_schools(None).await.unwrap();
    let south = schools.iter().find(|x| x.sourced_id == "sch-2").unwrap();
    assert_eq!((south.name.as_str(), south.classes, south.students, south.teachers), ("South High", 1, 1, 1));
    let find = |q: &str, school: Option<&str>| RosterFilter {
        q: Some(q.into()),
        school: school.map(str::to_owned),
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    let algebra = s.roster_classes(&find("alg", None)).await.unwrap();
    assert_eq!(algebra.total, 1);
    assert_eq!((algebra.items[0].students, algebra.items[0].school_name.as_deref()), (1, Some("South High")));
    assert_eq!(s.roster_classes(&find("alg", Some("sch-1"))).await.unwrap().total, 0);
    let (_, members) = s.roster_class("c-2").await.unwrap();
    assert_eq!(
        members.iter().map(|m| (m.sourced_id.as_str(), m.role.as_str())).collect::<Vec<_>>(),
        [("t-1", "teacher"), ("u-2", "student")]
    );
    let students = s
        .roster_people(&RosterFilter { role: Some("student".into()), page: 1, per_page: 50, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(students.total, 2);
    let ben = s.roster_people(&find("BEN doe", None)).await.unwrap();
    assert_eq!(ben.items.iter().map(|p| p.sourced_id.as_str()).collect::<Vec<_>>(), ["u-2"]);
    assert_eq!(ben.items[0].school_name.as_deref(), Some("South High"));
    let (tess, roles, classes) = s.roster_person("t-1").await.unwrap();
    assert_eq!((tess.role.as_deref(), roles.len(), classes.len()), (Some("teacher"), 1, 1));
    assert!(matches!(s.roster_person("nobody").await, Err(StoreError::NotFound)));
}

async fn an_abandoned_import_leaves_the_roster_as_it_was(s: &Store) {
    let users = [user("u-1", "Ana"), user("u-2", "Ben")];
    import(s, vec![bulk("users", &users)]).await;
    let before = all(s, "users").await;
    let other = [user("u-1", "Changed"), user("u-7", "New")];
    let mut writer = s.begin_roster_import().await.unwrap();
    writer.write("users", Mode::Bulk, other.to_vec()).await.unwrap();
    writer.finish_file("users", Mode::Bulk).await.unwrap();
    writer.roll_back().await.unwrap();
    assert_eq!(all(s, "users").await, before);
    // Dropped without a commit (as when the process dies): the same.
    let mut writer = s.begin_roster_import().await.unwrap();
    writer.write("users", Mode::Bulk, other.to_vec()).await.unwrap();
    drop(writer);
    assert_eq!(all(s, "users").await, before);
    assert_eq!(s.roster_imports(1, 10).await.unwrap().total, 1, "only the first import is in the history");
    let first = s.roster_imports(1, 10).await.unwrap().items[0].id;
    assert_eq!(s.roster_generation().await.unwrap(), first, "an abandoned import is no new generation");
}

async fn the_rosters_schools_become_organizations(s: &Store) {
    use steward_core::org::OrgDraft;
    // A school entered by hand, with its NCES id but no sourcedId.
    let district =
        OrgDraft { kind: "district".into(), name: "Cedar SD".into(), nces_id: "4100001".into(), ..Default::default() };
    let district = s.create_org(&actor(), &district.validate().unwrap()).await.unwrap();
    let by_hand = OrgDraft {
        kind: "school".into(),
        name: "Alder (by hand)".into(),
        parent_id: district.to_string(),
        nces_id: "410000100001".into(),
        ..Default::default()
    };
    let by_hand = s.create_org(&actor(), &by_hand.validate().unwrap()).await.unwrap();
    let orgs = [
        rec("orgs", "d-1", &[("name", "Cedar SD"), ("type", "district"), ("identifier", "4100001")]),
        rec(
            "orgs",
            "s-1",
            &[("name", "Alder"), ("type", "school"), ("identifier", "410000100001"), ("parentSourcedId", "d-1")],
        ),
        rec(
            "orgs",
            "s-2",
            &[("name", "Birch"), ("type", "school"), ("identifier", "not-an-nces-id"), ("parentSourcedId", "d-1")],
        ),
        rec("orgs", "dept-1", &[("name", "Science"), ("type", "department"), ("parentSourcedId", "s-1")]),
    ];
    import(s, vec![bulk("orgs", &orgs)]).await;
    let all_orgs = s.orgs().await.unwrap();
    let find = |sid: &str| all_orgs.iter().find(|o| o.org.sourced_id.as_deref() == Some(sid)).cloned();
    assert_eq!(find("d-1").map(|o| o.id), Some(district), "the district is linked by its NCES id");
    assert_eq!(find("s-1").map(|o| (o.id, o.org.name.clone())), Some((by_hand, "Alder (by hand)".into())));
    let birch = find("s-2").expect("a new school is created");
    assert_eq!((birch.org.parent_id, birch.org.nces_id.clone()), (Some(district), None));
    assert!(find("dept-1").is_none(), "departments are not organizations in Steward");
    assert_eq!(all_orgs.len(), 3);
    // Importing again adds nothing.
    import(s, vec![bulk("orgs", &orgs)]).await;
    assert_eq!(s.orgs().await.unwrap().len(), 3);
}
