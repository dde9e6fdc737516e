//! Value-level rules: required values, vocabularies, dates, GUIDs, duplicates, bulk/delta, references, 1.1 users.

use steward_interop::oneroster::{self, Status, Version};
use steward_interop::Strictness;

use super::fixtures::*;

/// ENROLLMENTS with its second row replaced.
fn enrollment_row(row: &str) -> String {
    let header = ENROLLMENTS.lines().next().unwrap_or_default();
    format!("{header}\ne1,,,k1,s1,u1,teacher,true,,\n{row}\n")
}

#[test]
fn required_values_must_not_be_blank() {
    let (l, s) = both(&[("enrollments.csv", &enrollment_row("e2,,,k1,s1,,student,,,"))]);
    assert_eq!(l, ["enrollments.csv line 3, column userSourcedId: is required but blank"]);
    assert_eq!(l, s);
    let p = read(&[("enrollments.csv", &enrollment_row("e2,,,k1,s1,,student,,,"))], Strictness::Lenient);
    assert_eq!(p.enrollments.len(), 1, "rows with errors are not kept");
}

#[test]
fn vocabulary_case_is_tolerated_only_leniently() {
    let (l, s) = both(&[("enrollments.csv", &enrollment_row("e2,,,k1,s1,u2,Student,FALSE,,"))]);
    assert_eq!(
        l,
        [
            "warning: enrollments.csv line 3, column role: 'Student' has the wrong case (values are case-sensitive); read as 'student'",
            "warning: enrollments.csv line 3, column primary: 'FALSE' has the wrong case (values are case-sensitive); read as 'false'",
        ]
    );
    assert_eq!(
        s,
        [
            "enrollments.csv line 3, column role: 'Student' has the wrong case (values are case-sensitive)",
            "enrollments.csv line 3, column primary: 'FALSE' has the wrong case (values are case-sensitive)",
        ]
    );
    let p = read(&[("enrollments.csv", &enrollment_row("e2,,,k1,s1,u2,Student,FALSE,,"))], Strictness::Lenient);
    assert_eq!((p.enrollments[1].role.as_str(), p.enrollments[1].primary), ("student", Some(false)));
}

#[test]
fn unknown_vocabulary_values_are_errors_and_ext_values_pass_where_extensible() {
    let (l, _) = both(&[("enrollments.csv", &enrollment_row("e2,,,k1,s1,u2,Teacher Aide,yes,,"))]);
    assert_eq!(
        l,
        [
            "enrollments.csv line 3, column role: 'Teacher Aide' is not one of administrator|proctor|student|teacher or an 'ext:' value",
            "enrollments.csv line 3, column primary: 'yes' is not one of true|false",
        ]
    );
    let (l, s) = both(&[("enrollments.csv", &enrollment_row("e2,,,k1,s1,u2,ext:mentor,,,"))]);
    assert_eq!((l.len(), s.len()), (0, 0));
    let roles = ROLES.replace("r2,,,u2,primary,", "r2,,,u2,ext:other,");
    let (l, _) = both(&[("roles.csv", &roles)]);
    assert_eq!(l, ["roles.csv line 3, column roleType: 'ext:other' is not one of primary|secondary"]);
}

#[test]
fn dates_and_years_must_be_iso() {
    let sessions = SESSIONS.replace("2023-09-01,2024-01-01,y1,2024", "2023-9-1,2024-02-30,y1,24");
    let (l, _) = both(&[("academicSessions.csv", &sessions)]);
    assert_eq!(
        l,
        [
            "academicSessions.csv line 3, column startDate: '2023-9-1' is not a date YYYY-MM-DD",
            "academicSessions.csv line 3, column endDate: '2024-02-30' is not a date YYYY-MM-DD",
            "academicSessions.csv line 3, column schoolYear: '24' is not a year YYYY",
        ]
    );
}

#[test]
fn guid_characters_and_duplicate_sourced_ids() {
    let orgs = format!("{ORGS}s 2,,,Spaced,school,,\ns1,,,Again,school,,\n");
    let (l, s) = both(&[("orgs.csv", &orgs)]);
    assert_eq!(
        l,
        [
            "orgs.csv line 4, column sourcedId: 's 2' is not a GUID: only 0-9 a-z A-Z . - _ / @ are allowed",
            "orgs.csv line 5, column sourcedId: 's1' duplicate sourcedId (first at line 3)",
        ]
    );
    assert_eq!(l, s);
}

/// The valid set as a delta: every row `active` with a UTC datetime.
fn delta(changes: &[(&str, &str)], strictness: Strictness) -> Vec<String> {
    let supplied = ["orgs"];
    let mut files = vec![("manifest.csv".to_owned(), manifest("1.2", &supplied, "delta"))];
    for (name, text) in changes {
        files.push(((*name).to_owned(), (*text).to_owned()));
    }
    let files = files.into_iter().map(|(n, t)| (n, t.into_bytes()));
    oneroster::read_files(files, strictness).problems.iter().map(ToString::to_string).collect()
}

#[test]
fn delta_rows_need_status_and_a_utc_datetime() {
    let header = ORGS.lines().next().unwrap_or_default();
    let orgs = format!(
        "{header}\na,active,2024-01-02T03:04:05Z,A,school,,\nb,tobedeleted,2024-01-02T03:04:05.5+00:00,B,school,,\n\
c,,,C,school,,\nd,inactive,2024-01-02T03:04:05Z,D,school,,\ne,Active,2024-01-02,E,school,,\n\
f,active,2024-01-02 03:04:05,F,school,,\ng,active,1/05/2023,G,school,,\n"
    );
    let orgs = [("orgs.csv", orgs.as_str())];
    assert_eq!(
        delta(&orgs, Strictness::Lenient),
        [
            "orgs.csv line 3, column dateLastModified: '2024-01-02T03:04:05.5+00:00' is not an ISO 8601 UTC datetime like 2012-04-23T18:25:43.511Z",
            "orgs.csv line 4, column status: is required but blank",
            "orgs.csv line 4, column dateLastModified: is required but blank",
            "orgs.csv line 5, column status: 'inactive' is not one of active|tobedeleted",
            "warning: orgs.csv line 6, column status: 'Active' has the wrong case (values are case-sensitive); read as 'active'",
            "warning: orgs.csv line 6, column dateLastModified: '2024-01-02' is a date, not a UTC datetime; read as midnight UTC",
            "warning: orgs.csv line 7, column dateLastModified: '2024-01-02 03:04:05' is not ISO 8601 (space, no zone); read as UTC",
            "orgs.csv line 8, column dateLastModified: '1/05/2023' is not an ISO 8601 UTC datetime like 2012-04-23T18:25:43.511Z",
        ]
    );
    assert_eq!(delta(&orgs, Strictness::Strict).len(), 8);
    let ok = format!("{header}\na,tobedeleted,2024-01-02T03:04:05.678Z,A,school,,\n");
    let files = [
        ("manifest.csv".to_owned(), manifest("1.2", &["orgs"], "delta").into_bytes()),
        ("orgs.csv".into(), ok.into_bytes()),
    ];
    let p = oneroster::read_files(files, Strictness::Strict);
    assert_eq!(p.orgs[0].common.status, Some(Status::ToBeDeleted));
    assert_eq!(
        p.orgs[0].common.date_last_modified.map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-01-02T03:04:05.678+00:00")
    );
}

#[test]
fn bulk_rows_with_status_filled_warn_once_and_are_ignored() {
    let orgs = ORGS.replace("d1,,,", "d1,active,2024-01-02T03:04:05Z,").replace("s1,,,", "s1,active,,");
    let (l, s) = both(&[("orgs.csv", &orgs)]);
    let rule =
        "orgs.csv: 2 row(s) fill status/dateLastModified, which bulk files must leave blank (first at line 2); ignored";
    assert_eq!(l, [format!("warning: {rule}")]);
    assert_eq!(s, [rule]);
    let p = read(&[("orgs.csv", &orgs)], Strictness::Lenient);
    assert!(p.orgs.iter().all(|o| o.common.status.is_none() && o.common.date_last_modified.is_none()));
}

#[test]
fn bulk_references_must_resolve_within_the_set() {
    let (l, s) = both(&[("enrollments.csv", &enrollment_row("e2,,,k9,s1,u9,student,,,"))]);
    assert_eq!(
        l,
        [
            "enrollments.csv line 3, column classSourcedId: 'k9' refers to a sourcedId missing from classes.csv in this bulk set",
            "enrollments.csv line 3, column userSourcedId: 'u9' refers to a sourcedId missing from users.csv in this bulk set",
        ]
    );
    assert_eq!(l, s);
    let classes = CLASSES.replace("c1,,scheduled,,s1,t1", "c2,,scheduled,,s1,\"t1,t7\"");
    let orgs = ORGS.replace(",d1\n", ",d0\n");
    let (l, _) = both(&[("classes.csv", &classes), ("orgs.csv", &orgs)]);
    assert_eq!(
        l,
        [
            "orgs.csv line 3, column parentSourcedId: 'd0' refers to a sourcedId missing from orgs.csv in this bulk set",
            "classes.csv line 2, column courseSourcedId: 'c2' refers to a sourcedId missing from courses.csv in this bulk set",
            "classes.csv line 2, column termSourcedIds: 't7' refers to a sourcedId missing from academicSessions.csv in this bulk set",
        ]
    );
}

#[test]
fn bulk_references_into_an_absent_file_are_errors() {
    let supplied = ["orgs", "academicSessions", "classes", "users", "roles", "enrollments", "demographics"];
    let m = manifest("1.2", &supplied, "bulk");
    let (l, _) = both(&[("manifest.csv", &m), ("courses.csv", "")]);
    assert_eq!(
        l,
        ["classes.csv line 2, column courseSourcedId: 'c1' refers to courses.csv, which this bulk set does not supply"]
    );
}

#[test]
fn demographics_sourced_id_is_a_user() {
    let demo = demographics().replace("\nu2,", "\nu7,");
    let (l, _) = both(&[("demographics.csv", &demo)]);
    assert_eq!(l, ["demographics.csv line 2, column sourcedId: 'u7' refers to a sourcedId missing from users.csv in this bulk set"]);
}

const USERS_1_1_BAD_ROLE: &str =
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,\
familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n\
u1,,,true,\"s1,d1\",teacher,ada,{LDAP:1},Ada,Smith,,,,,,,,\n\
u2,,,true,s1,siteAdministrator,bob,,Bob,Smith,,,,,,,,\n";

#[test]
fn users_1_1_keep_role_and_org_sourced_ids() {
    let supplied = ["orgs", "users"];
    let files = [
        ("manifest.csv".to_owned(), manifest("1.1", &supplied, "bulk")),
        ("orgs.csv".to_owned(), ORGS.to_owned()),
        ("users.csv".to_owned(), USERS_1_1_BAD_ROLE.to_owned()),
    ];
    let files = files.map(|(n, t)| {
        // A 1.1 manifest lists only the 13 1.1 files.
        let t = if n == "manifest.csv" { strip_1_2_rows(&t) } else { t };
        (n, t.into_bytes())
    });
    let p = oneroster::read_files(files, Strictness::Strict);
    assert_eq!(p.manifest.as_ref().map(|m| m.version), Some(Version::V1_1));
    assert_eq!(
        p.problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["users.csv line 3, column role: 'siteAdministrator' is not one of administrator|aide|guardian|parent|proctor|relative|student|teacher"]
    );
    assert_eq!(p.users.len(), 1);
    assert_eq!(p.users[0].role_1_1.as_deref(), Some("teacher"));
    assert_eq!(p.users[0].org_sourced_ids_1_1, ["s1", "d1"]);
    assert_eq!(p.users[0].user_ids, ["{LDAP:1}"]);
}
