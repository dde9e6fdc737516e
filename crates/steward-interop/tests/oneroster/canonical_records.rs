//! Canonical 1.2 records: every file's rows in spec column order, values normalised as Lenient reads them.

use steward_interop::oneroster::{data_columns, Mode, Package};
use steward_interop::Strictness;

use super::fixtures::*;

fn values<'a>(p: &'a Package, file: &str, sourced_id: &str) -> Vec<(&'static str, Option<&'a str>)> {
    let record = p.records[file].iter().find(|r| r.sourced_id == sourced_id).expect("record");
    data_columns(file).into_iter().zip(record.values.iter().map(Option::as_deref)).collect()
}

#[test]
fn every_file_of_the_full_set_reads_clean_into_records_of_its_1_2_columns() {
    let p = read_full(&[], Strictness::Strict);
    assert_eq!(shown(&p), Vec::<String>::new());
    assert_eq!(p.records.keys().map(String::as_str).collect::<Vec<_>>().len(), 21);
    for file in FILES_1_2 {
        let records = &p.records[*file];
        assert!(!records.is_empty(), "{file}");
        assert!(records.iter().all(|r| r.values.len() == data_columns(file).len()), "{file}");
        assert!(records.iter().all(|r| r.status.is_none() && r.date_last_modified.is_none()), "{file}");
        assert_eq!(p.modes[*file], Mode::Bulk, "{file}");
    }
    assert_eq!(p.records["lineItemLearningObjectiveIds"].len(), 2);
}

#[test]
fn gradebook_values_are_typed_and_normalised() {
    let p = read_full(&[], Strictness::Strict);
    assert_eq!(
        values(&p, "results", "res1"),
        [
            ("lineItemSourcedId", Some("li1")),
            ("studentSourcedId", Some("u2")),
            ("scoreStatus", Some("fully graded")),
            ("score", Some("85.5")),
            ("scoreDate", Some("2023-09-18")),
            ("comment", Some("Good, \"clear\" work")),
            ("textScore", Some("B")),
            ("classSourcedId", Some("k1")),
            ("inProgress", Some("false")),
            ("incomplete", Some("false")),
            ("late", Some("true")),
            ("missing", Some("false")),
        ]
    );
    let li = &values(&p, "lineItems", "li1");
    assert_eq!(li[1], ("description", Some("Fractions, decimals")));
    assert_eq!(
        &li[7..],
        [("resultValueMin", Some("0")), ("resultValueMax", Some("100")), ("schoolSourcedId", Some("s1"))]
    );
    assert_eq!(values(&p, "categories", "cat1"), [("title", Some("Homework")), ("weight", Some("40"))]);
    assert_eq!(values(&p, "scoreScales", "sc1")[5], ("scoreScaleValue", Some("{A:90},{B:80}")));
    assert_eq!(
        values(&p, "resources", "rs1")[2..4],
        [("roles", Some("student,teacher")), ("importance", Some("primary"))]
    );
    assert_eq!(values(&p, "userResources", "ur1")[1], ("orgSourcedId", Some("s1")));
}

#[test]
fn case_learning_objective_ids_become_bare_lowercase_uuids() {
    let p = read_full(&[], Strictness::Strict);
    let uuid = "9a5e1e22-3f0c-11e8-b467-0ed5f89f718b";
    assert_eq!(values(&p, "lineItemLearningObjectiveIds", "lo1")[2], ("learningObjectiveId", Some(uuid)));
    assert_eq!(values(&p, "lineItemLearningObjectiveIds", "lo2")[2], ("learningObjectiveId", Some("NY-5.NF.1")));
    let rlo = values(&p, "resultLearningObjectiveIds", "rlo1");
    assert_eq!(
        rlo[2..],
        [("learningObjectiveId", Some(uuid)), ("score", Some("3")), ("textScore", Some("Proficient"))]
    );
}

#[test]
fn passwords_are_never_kept() {
    let users = users().replacen("ada,Smith,,,,,,,,", "ada,Smith,,,,,,,,hunter2", 1);
    assert!(users.contains("hunter2"));
    let p = read_full(&[("users.csv", &users)], Strictness::Strict);
    assert_eq!(shown(&p), Vec::<String>::new());
    assert_eq!(values(&p, "users", "u1")[12], ("password", None));
    assert_eq!(values(&p, "userProfiles", "up1")[7], ("password", None));
    assert!(!format!("{:?}", p.records).contains("hunter2") && !format!("{:?}", p.records).contains("s3cret"));
    assert!(!format!("{:?}", p.users).contains("hunter2"));
}

#[test]
fn rostering_values_are_normalised_as_lenient_reads_them() {
    let classes = CLASSES.replace(",scheduled,", ",Scheduled,").replace("Maths A,,", "Maths A,\" 09 , 10 ,\",");
    let users = users().replace("u1,,,true,", "u1,,,TRUE,");
    let p = read(&[("classes.csv", &classes), ("users.csv", &users)], Strictness::Lenient);
    assert!(p.is_accepted());
    assert_eq!(p.warning_count, 2);
    let class = values(&p, "classes", "k1");
    assert_eq!((class[1], class[4]), (("grades", Some("09,10")), ("classType", Some("scheduled"))));
    assert_eq!(values(&p, "users", "u1")[0], ("enabledUser", Some("true")));
    assert_eq!(
        values(&p, "academicSessions", "y1")[2..],
        [
            ("startDate", Some("2023-09-01")),
            ("endDate", Some("2024-07-01")),
            ("parentSourcedId", None),
            ("schoolYear", Some("2024")),
        ]
    );
    assert_eq!(values(&p, "enrollments", "e1")[4], ("primary", Some("true")));
    assert_eq!(
        values(&p, "demographics", "u2")[..3],
        [("birthDate", Some("2010-04-17")), ("sex", Some("female")), ("americanIndianOrAlaskaNative", Some("false"))]
    );
}

#[test]
fn delta_records_keep_status_and_a_utc_date_last_modified() {
    let orgs = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,metadata.size\n\
s9,tobedeleted,2024-01-02 03:04:05,School,school,,,big\n";
    let files = [
        ("manifest.csv".to_owned(), manifest("1.2", &["orgs"], "delta").into_bytes()),
        ("orgs.csv".to_owned(), orgs.as_bytes().to_vec()),
    ];
    let p = steward_interop::oneroster::read_files(files, Strictness::Lenient);
    assert!(p.is_accepted());
    assert_eq!(p.modes["orgs"], Mode::Delta);
    let record = &p.records["orgs"][0];
    assert_eq!(record.status, Some(steward_interop::oneroster::Status::ToBeDeleted));
    assert_eq!(record.date_last_modified.map(|d| d.to_rfc3339()).as_deref(), Some("2024-01-02T03:04:05+00:00"));
    assert_eq!(record.extensions.get("metadata.size").map(String::as_str), Some("big"));
    assert_eq!(record.get("orgs", "type"), Some("school"));
}

#[test]
fn rows_with_errors_have_no_record() {
    let results =
        with_rows(RESULTS, &["res1,,,li1,u2,graded,85,2023-09-18,,,,,,,", "res2,,,li1,u2,exempt,,2023-09-18,,,,,,,"]);
    let p = read_full(&[("results.csv", &results)], Strictness::Lenient);
    assert_eq!(p.error_count, 1);
    assert_eq!(p.records["results"].iter().map(|r| r.sourced_id.as_str()).collect::<Vec<_>>(), ["res2"]);
}
