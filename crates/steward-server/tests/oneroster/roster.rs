//! The fixture roster: a district, three schools, classes of grades 3 and 7, their people and gradebook.

use std::collections::BTreeMap;
use steward_interop::oneroster::{data_columns, Record, Status};
use steward_store::Store;

/// One record of `file` with the given spec column values.
pub fn rec(file: &str, id: &str, values: &[(&str, &str)]) -> Record {
    let cols = data_columns(file);
    let mut vals = vec![None; cols.len()];
    for (c, v) in values {
        let at = cols.iter().position(|x| x == c).unwrap_or_else(|| panic!("{file} has no column {c}"));
        vals[at] = Some((*v).to_owned());
    }
    Record {
        sourced_id: id.into(),
        status: Some(Status::Active),
        date_last_modified: Some(format!("2026-0{}-01T00:00:00Z", 1 + id.len() % 9).parse().unwrap()),
        values: vals,
        extensions: BTreeMap::from([("metadata.note".to_owned(), format!("about {id}"))]),
    }
}

fn user(id: &str, grade: &str) -> Record {
    let name = id.replace('-', "");
    rec(
        "users",
        id,
        &[
            ("enabledUser", "true"),
            ("username", &format!("{name}.login")),
            ("userIds", &format!("{{SIS:{name}}}")),
            ("givenName", &format!("Given{name}")),
            ("familyName", &format!("Family{name}")),
            ("identifier", &format!("ID-{name}")),
            ("email", &format!("{name}@cedar.example")),
            ("sms", "555-0100"),
            ("phone", "555-0101"),
            ("agentSourcedIds", "adm-a"),
            ("grades", grade),
            ("preferredGivenName", "Pref"),
        ],
    )
}

/// The roster: district `dist`, schools `sch-a`, `sch-b`, `sch-c`; grade 3 and grade 7 classes at A, grade 3 at B
/// and C; one student per class, teachers `tch-a` (both A classes) and `tch-b`; an administrator `adm-a` enrolled
/// nowhere; demographics, a line item, results, a score scale and a resource for the A and B grade 3 classes.
pub async fn put_roster(store: &Store) {
    for (file, records) in roster_tables().await {
        store.put_roster_records(&file, &records).await.unwrap();
    }
}

/// The fixture's records by file.
pub async fn roster_tables() -> BTreeMap<String, Vec<Record>> {
    let tables = std::cell::RefCell::new(BTreeMap::new());
    let put = |file: &'static str, records: Vec<Record>| {
        tables.borrow_mut().insert(file.to_owned(), records);
        std::future::ready(())
    };
    put(
        "orgs",
        vec![
            rec("orgs", "dist", &[("name", "Cedar Valley SD"), ("type", "district")]),
            rec(
                "orgs",
                "sch-a",
                &[("name", "Alder Elementary"), ("type", "school"), ("parentSourcedId", "dist"), ("identifier", "A1")],
            ),
            rec("orgs", "sch-b", &[("name", "Birch Elementary"), ("type", "school"), ("parentSourcedId", "dist")]),
            rec("orgs", "sch-c", &[("name", "Cypress Middle"), ("type", "school"), ("parentSourcedId", "dist")]),
        ],
    )
    .await;
    put(
        "academicSessions",
        vec![
            rec(
                "academicSessions",
                "y2026",
                &[
                    ("title", "2026-27"),
                    ("type", "schoolYear"),
                    ("startDate", "2026-07-01"),
                    ("endDate", "2027-06-30"),
                    ("schoolYear", "2027"),
                ],
            ),
            rec(
                "academicSessions",
                "term1",
                &[
                    ("title", "Fall"),
                    ("type", "term"),
                    ("startDate", "2026-07-01"),
                    ("endDate", "2026-12-31"),
                    ("parentSourcedId", "y2026"),
                    ("schoolYear", "2027"),
                ],
            ),
            rec(
                "academicSessions",
                "gp1",
                &[
                    ("title", "Q1"),
                    ("type", "gradingPeriod"),
                    ("startDate", "2026-07-01"),
                    ("endDate", "2026-09-30"),
                    ("parentSourcedId", "term1"),
                    ("schoolYear", "2027"),
                ],
            ),
        ],
    )
    .await;
    put(
        "courses",
        vec![
            rec("courses", "crs-m3", &[("title", "Math 3"), ("grades", "03"), ("orgSourcedId", "dist")]),
            rec("courses", "crs-m7", &[("title", "Math 7"), ("grades", "07"), ("orgSourcedId", "dist")]),
        ],
    )
    .await;
    let class = |id: &str, school: &str, course: &str, grade: &str, title: &str| {
        rec(
            "classes",
            id,
            &[
                ("title", title),
                ("grades", grade),
                ("courseSourcedId", course),
                ("classType", "scheduled"),
                ("schoolSourcedId", school),
                ("termSourcedIds", "term1"),
                ("subjects", "Math,Numeracy"),
            ],
        )
    };
    put(
        "classes",
        vec![
            class("cls-a3", "sch-a", "crs-m3", "03", "Alder Math 3"),
            class("cls-a7", "sch-a", "crs-m7", "07", "Alder Math 7"),
            class("cls-b3", "sch-b", "crs-m3", "03", "Birch Math 3"),
            class("cls-c3", "sch-c", "crs-m3", "03", "Cypress Math 3"),
        ],
    )
    .await;
    put(
        "users",
        vec![
            user("stu-a3", "03"),
            user("stu-a7", "07"),
            user("stu-b3", "03"),
            user("stu-c3", "03"),
            user("tch-a", ""),
            user("tch-b", ""),
            user("adm-a", ""),
        ],
    )
    .await;
    let role = |user: &str, role: &str, org: &str| {
        rec(
            "roles",
            &format!("r-{user}"),
            &[("userSourcedId", user), ("roleType", "primary"), ("role", role), ("orgSourcedId", org)],
        )
    };
    put(
        "roles",
        vec![
            role("stu-a3", "student", "sch-a"),
            role("stu-a7", "student", "sch-a"),
            role("stu-b3", "student", "sch-b"),
            role("stu-c3", "student", "sch-c"),
            role("tch-a", "teacher", "sch-a"),
            role("tch-b", "teacher", "sch-b"),
            role("adm-a", "principal", "sch-a"),
        ],
    )
    .await;
    let enr = |user: &str, class: &str, school: &str, role: &str| {
        rec(
            "enrollments",
            &format!("e-{user}-{class}"),
            &[
                ("classSourcedId", class),
                ("schoolSourcedId", school),
                ("userSourcedId", user),
                ("role", role),
                ("primary", "false"),
            ],
        )
    };
    put(
        "enrollments",
        vec![
            enr("stu-a3", "cls-a3", "sch-a", "student"),
            enr("stu-a7", "cls-a7", "sch-a", "student"),
            enr("tch-a", "cls-a3", "sch-a", "teacher"),
            enr("tch-a", "cls-a7", "sch-a", "teacher"),
            enr("stu-b3", "cls-b3", "sch-b", "student"),
            enr("tch-b", "cls-b3", "sch-b", "teacher"),
            enr("stu-c3", "cls-c3", "sch-c", "student"),
        ],
    )
    .await;
    put(
        "demographics",
        ["stu-a3", "stu-b3"]
            .iter()
            .map(|id| rec("demographics", id, &[("birthDate", "2018-04-05"), ("sex", "female"), ("asian", "true")]))
            .collect(),
    )
    .await;
    put("categories", vec![rec("categories", "cat-hw", &[("title", "Homework"), ("weight", "40")])]).await;
    let item = |id: &str, class: &str, school: &str| {
        rec(
            "lineItems",
            id,
            &[
                ("title", "Fractions quiz"),
                ("assignDate", "2026-09-01"),
                ("dueDate", "2026-09-08"),
                ("classSourcedId", class),
                ("categorySourcedId", "cat-hw"),
                ("academicSessionSourcedId", "gp1"),
                ("resultValueMax", "100"),
                ("schoolSourcedId", school),
            ],
        )
    };
    put("lineItems", vec![item("li-a3", "cls-a3", "sch-a"), item("li-b3", "cls-b3", "sch-b")]).await;
    let result = |id: &str, item: &str, student: &str, class: &str| {
        rec(
            "results",
            id,
            &[
                ("lineItemSourcedId", item),
                ("studentSourcedId", student),
                ("scoreStatus", "fully graded"),
                ("score", "90"),
                ("scoreDate", "2026-09-09"),
                ("classSourcedId", class),
            ],
        )
    };
    put("results", vec![result("res-a3", "li-a3", "stu-a3", "cls-a3"), result("res-b3", "li-b3", "stu-b3", "cls-b3")])
        .await;
    put(
        "scoreScales",
        vec![rec(
            "scoreScales",
            "ss-a3",
            &[
                ("title", "Percent"),
                ("type", "percent"),
                ("orgSourcedId", "sch-a"),
                ("courseSourcedId", "crs-m3"),
                ("classSourcedId", "cls-a3"),
                ("scoreScaleValue", "{A:90},{B:80}"),
            ],
        )],
    )
    .await;
    let resource = |id: &str, title: &str| {
        rec("resources", id, &[("vendorResourceId", "V-1"), ("title", title), ("roles", "student,teacher")])
    };
    put(
        "resources",
        vec![resource("rsc-1", "Fraction tiles"), resource("rsc-2", "Ratio tables"), resource("rsc-3", "Reader")],
    )
    .await;
    put(
        "classResources",
        vec![rec("classResources", "cr-1", &[("classSourcedId", "cls-a3"), ("resourceSourcedId", "rsc-1")])],
    )
    .await;
    let course_link = rec("courseResources", "kr-1", &[("courseSourcedId", "crs-m7"), ("resourceSourcedId", "rsc-2")]);
    put("courseResources", vec![course_link]).await;
    let user_link = rec("userResources", "ur-1", &[("userSourcedId", "stu-c3"), ("resourceSourcedId", "rsc-3")]);
    put("userResources", vec![user_link]).await;
    let standard = "6b9bd1ae-4b59-4c6c-9f2b-2f6e0d7a1c3e";
    let aligned = [("lineItemSourcedId", "li-a3"), ("source", "case"), ("learningObjectiveId", standard)];
    put("lineItemLearningObjectiveIds", vec![rec("lineItemLearningObjectiveIds", "lo-1", &aligned)]).await;
    let scale = [("lineItemSourcedId", "li-a3"), ("scoreScaleSourcedId", "ss-a3")];
    put("lineItemScoreScales", vec![rec("lineItemScoreScales", "ls-1", &scale)]).await;
    let mastery = [
        ("resultSourcedId", "res-a3"),
        ("source", "case"),
        ("learningObjectiveId", standard),
        ("score", "20"),
        ("textScore", "Proficient"),
    ];
    put("resultLearningObjectiveIds", vec![rec("resultLearningObjectiveIds", "ro-1", &mastery)]).await;
    tables.into_inner()
}
