//! Pins how each real OneRoster sample set in `shared/interop-samples/` reads: clean, with warnings
//! or rejected, and with exactly which problems (as each folder's SOURCE.md describes them).

use std::path::{Path, PathBuf};

use steward_interop::oneroster::{self, Mode, Package, Version};
use steward_interop::Strictness;

/// The sample folder, or `None` (with a message) when the samples are not checked out. Under
/// `CI=true` a missing samples directory fails the test instead.
pub fn sample(dir: &str) -> Option<PathBuf> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/interop-samples");
    let path = base.join(dir);
    if path.is_dir() {
        return Some(path);
    }
    assert!(std::env::var("CI").as_deref() != Ok("true"), "interop samples missing at {}", path.display());
    eprintln!("skipping: interop samples missing at {}", path.display());
    None
}

fn read(dir: &str, strictness: Strictness) -> Option<Package> {
    Some(oneroster::read_dir(&sample(dir)?, strictness).expect("sample directory is readable"))
}

fn shown(package: &Package) -> Vec<String> {
    package.problems.iter().map(ToString::to_string).collect()
}

/// Lenient problems exactly as pinned; Strict rejects with `strict_errors` errors and no warnings.
fn check(dir: &str, lenient_accepted: bool, lenient: &[&str], strict_errors: u64) -> Option<(Package, Package)> {
    let l = read(dir, Strictness::Lenient)?;
    assert_eq!(shown(&l), lenient, "{dir} lenient problems");
    assert_eq!(l.is_accepted(), lenient_accepted, "{dir} lenient verdict");
    assert!(l.suppressed.is_empty());
    let s = read(dir, Strictness::Strict)?;
    assert!(!s.is_accepted(), "{dir} strict verdict");
    assert_eq!((s.error_count, s.warning_count), (strict_errors, 0), "{dir} strict counts: {:#?}", shown(&s));
    Some((l, s))
}

#[test]
fn moodle_oneroster_test_data_1_2_reads_with_one_warning() {
    let dir = "oneroster-moodle-enrol_oneroster/oneroster_test_data";
    let Some((p, _)) = check(dir, true, MOODLE_ONEROSTER_TEST_DATA_1_2_LENIENT, 1) else { return };
    let manifest = p.manifest.as_ref().expect("manifest");
    assert_eq!(manifest.version, Version::V1_2);
    assert_eq!(manifest.mode("users"), Mode::Delta);
    assert_eq!(manifest.source_system_name.as_deref(), Some("DataGen"));
    let counts = [p.orgs.len(), p.academic_sessions.len(), p.courses.len(), p.classes.len()];
    assert_eq!(counts, [1, 1, 1, 1]);
    assert_eq!([p.users.len(), p.roles.len(), p.enrollments.len(), p.demographics.len()], [1, 1, 1, 1]);
    let user = &p.users[0];
    assert!(user.enabled_user);
    assert_eq!((user.username.as_str(), user.resource_sourced_ids.len()), ("brucewayne", 0));
    assert_eq!(p.roles[0].role, "student");
    assert_eq!(p.demographics[0].birth_date.map(|d| d.to_string()).as_deref(), Some("2010-04-17"));
    assert_eq!(p.records.get("userProfiles").map(Vec::len), Some(1));
    // Every file read has canonical records and its mode; the user's password never leaves the reader.
    assert_eq!(p.records.len(), 9);
    assert!(p.modes.values().all(|m| *m == Mode::Delta));
    let user = &p.records["users"][0];
    assert_eq!((user.get("users", "enabledUser"), user.get("users", "password")), (Some("true"), None));
    assert!(!format!("{:?}", p.records).contains("Batman.Ru1ez"));
    assert!(!format!("{:?}", p.users).contains("Batman.Ru1ez"));
}

#[test]
fn moodle_test_minimal_data_set_1_1_is_rejected_for_absent_courses() {
    let dir = "oneroster-moodle-enrol_oneroster/Test_minimal_data_set";
    let Some((p, _)) = check(dir, false, MOODLE_TEST_MINIMAL_DATA_SET_1_1_LENIENT, 8) else { return };
    assert_eq!(p.manifest.as_ref().map(|m| m.version), Some(Version::V1_1));
    // The classes that point at absent courses are dropped; everything else is read.
    assert_eq!((p.users.len(), p.classes.len(), p.enrollments.len()), (6, 0, 6));
    assert_eq!(p.users[2].role_1_1.as_deref(), Some("parent"));
    assert_eq!(p.users[0].org_sourced_ids_1_1, ["org-sch-222-456"]);
}

#[test]
fn moodle_test_full_data_set_1_1_is_rejected() {
    let dir = "oneroster-moodle-enrol_oneroster/Test_full_data_set";
    let Some((p, _)) = check(dir, false, MOODLE_TEST_FULL_DATA_SET_1_1_LENIENT, 25) else { return };
    // Bulk rows' status/dateLastModified are ignored, and quoted lists are split.
    assert!(p.users.iter().all(|u| u.common.status.is_none() && u.common.date_last_modified.is_none()));
    assert_eq!(p.users[2].user_ids, ["{LDAP:12}", "{LTI:15}", "{Fed:23}"]);
}

#[test]
fn moodle_v1p2_full_dataset_is_rejected() {
    let dir = "oneroster-moodle-enrol_oneroster/v1p2_full_dataset";
    let Some((p, _)) = check(dir, false, MOODLE_V1P2_FULL_DATASET_LENIENT, 41) else { return };
    // The misspelled columns are kept as extensions rather than lost.
    let tom = p.users.iter().find(|u| u.username == "mary.jones").expect("mary.jones reads");
    assert_eq!(tom.common.extensions.get("prefferedGivenName").map(String::as_str), Some("MJ"));
    assert_eq!(p.roles.iter().filter(|r| r.role == "siteAdministrator" || r.role == "guardian").count(), 2);
}

#[test]
fn oat_sa_v1p1_base_csv_is_rejected() {
    let dir = "oneroster-oat-sa-import/OneRosterv1p1BaseCSV";
    let Some((p, _)) = check(dir, false, OAT_SA_V1P1_BASE_CSV_LENIENT, 41) else { return };
    let org = &p.orgs[0];
    assert_eq!(org.common.extensions.get("metadata.classification").map(String::as_str), Some("Classification 1"));
    assert_eq!(p.users[0].common.extensions.get("ext_tao_userMotherName").map(String::as_str), Some("metadata.value1"));
}

const MOODLE_TEST_MINIMAL_DATA_SET_1_1_LENIENT: &[&str] = &[
        "warning: classes.csv line 2, column classType: 'Scheduled' has the wrong case (values are case-sensitive); read as 'scheduled'",
        "warning: users.csv line 2, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "warning: users.csv line 3, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "warning: users.csv line 4, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "warning: users.csv line 5, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "warning: users.csv line 6, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "warning: users.csv line 7, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "classes.csv line 2, column courseSourcedId: 'crs-222-2023-456-12345' refers to courses.csv, which this bulk set does not supply",
        "classes.csv line 3, column courseSourcedId: 'crs-222-2023-456-23456' refers to courses.csv, which this bulk set does not supply",
];

const MOODLE_TEST_FULL_DATA_SET_1_1_LENIENT: &[&str] = &[
        "academicSessions.csv line 4, column status: 'inactive' is not one of active|tobedeleted",
        "warning: academicSessions.csv line 4, column dateLastModified: '2023-05-01' is a date, not a UTC datetime; read as midnight UTC",
        "warning: academicSessions.csv line 5, column dateLastModified: '2023-05-01' is a date, not a UTC datetime; read as midnight UTC",
        "warning: academicSessions.csv: 5 row(s) fill status/dateLastModified, which bulk files must leave blank (first at line 2); ignored",
        "warning: classes.csv line 2, column classType: 'Scheduled' has the wrong case (values are case-sensitive); read as 'scheduled'",
        "classes.csv line 2, column subjectCodes: 'PHY123,ASV120' has 2 value(s) but subjects has 3; the two lists pair up by position",
        "warning: classes.csv: 2 row(s) fill status/dateLastModified, which bulk files must leave blank (first at line 2); ignored",
        "warning: enrollments.csv: 6 row(s) fill status/dateLastModified, which bulk files must leave blank (first at line 2); ignored",
        "warning: orgs.csv: 1 row(s) fill status/dateLastModified, which bulk files must leave blank (first at line 2); ignored",
        "warning: users.csv line 2, column dateLastModified: '2023-05-01' is a date, not a UTC datetime; read as midnight UTC",
        "warning: users.csv line 2, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "warning: users.csv line 3, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "warning: users.csv line 4, column dateLastModified: '2023-05-01' is a date, not a UTC datetime; read as midnight UTC",
        "warning: users.csv line 4, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "warning: users.csv line 5, column dateLastModified: '2023-05-01' is a date, not a UTC datetime; read as midnight UTC",
        "warning: users.csv line 5, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "warning: users.csv line 6, column dateLastModified: '2023-05-01' is a date, not a UTC datetime; read as midnight UTC",
        "warning: users.csv line 6, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "warning: users.csv line 7, column dateLastModified: '2023-06-15' is a date, not a UTC datetime; read as midnight UTC",
        "warning: users.csv line 7, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "warning: users.csv: 5 row(s) fill status/dateLastModified, which bulk files must leave blank (first at line 2); ignored",
        "orgs.csv line 2, column parentSourcedId: 'org-sch-222-3456' refers to a sourcedId missing from orgs.csv in this bulk set",
        "academicSessions.csv line 3, column parentSourcedId: 'as-syr-222-2023' refers to a sourcedId missing from academicSessions.csv in this bulk set",
        "academicSessions.csv line 6, column parentSourcedId: 'as-syr-222-2023' refers to a sourcedId missing from academicSessions.csv in this bulk set",
        "classes.csv line 2, column courseSourcedId: 'crs-222-2023-456-12345' refers to courses.csv, which this bulk set does not supply",
        "classes.csv line 3, column courseSourcedId: 'crs-222-2023-456-23456' refers to courses.csv, which this bulk set does not supply",
];

const MOODLE_ONEROSTER_TEST_DATA_1_2_LENIENT: &[&str] = &[
        "warning: users.csv line 2, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
];

const MOODLE_V1P2_FULL_DATASET_LENIENT: &[&str] = &[
        "warning: manifest.csv line 21, column value: '' file.scoreScales is blank; read as absent",
        "warning: manifest.csv line 22, column value: '' file.userProfiles is blank; read as absent",
        "warning: manifest.csv line 23, column value: '' file.userResources is blank; read as absent",
        "academicSessions.csv line 4, column status: 'inactive' is not one of active|tobedeleted",
        "warning: academicSessions.csv line 4, column dateLastModified: '2023-05-01' is a date, not a UTC datetime; read as midnight UTC",
        "warning: academicSessions.csv line 5, column dateLastModified: '2023-05-01' is a date, not a UTC datetime; read as midnight UTC",
        "warning: academicSessions.csv: 5 row(s) fill status/dateLastModified, which bulk files must leave blank (first at line 2); ignored",
        "warning: classes.csv line 2, column classType: 'Scheduled' has the wrong case (values are case-sensitive); read as 'scheduled'",
        "classes.csv line 2, column subjectCodes: 'PHY123,ASV120' has 2 value(s) but subjects has 3; the two lists pair up by position",
        "warning: classes.csv: 2 row(s) fill status/dateLastModified, which bulk files must leave blank (first at line 2); ignored",
        "warning: enrollments.csv: 6 row(s) fill status/dateLastModified, which bulk files must leave blank (first at line 2); ignored",
        "warning: orgs.csv: 1 row(s) fill status/dateLastModified, which bulk files must leave blank (first at line 2); ignored",
        "warning: roles.csv line 1: header has 2 blank column name(s); ignored",
        "warning: roles.csv line 1, column dateLastModified: spec column is missing (is 'dataLastModified' a misspelling?)",
        "warning: roles.csv line 1, column userProfileSourcedId: spec column is missing",
        "warning: roles.csv line 1, column dataLastModified: extension column stands before spec columns; extensions may only be appended to the right",
        "warning: roles.csv: 7 row(s) lack the fields of the blank trailing header columns (first at line 2)",
        "warning: roles.csv: 7 row(s) fill status/dateLastModified, which bulk files must leave blank (first at line 2); ignored",
        "userprofiles.csv: has the wrong case: the file name is userProfiles.csv; not read",
        "warning: users.csv line 1, column preferredGivenName: spec column is missing (is 'prefferedGivenName' a misspelling?)",
        "warning: users.csv line 1, column preferredMiddleName: spec column is missing (is 'prefferedMiddleName' a misspelling?)",
        "warning: users.csv line 1, column preferredFamilyName: spec column is missing (is 'prefferedFamilyName' a misspelling?)",
        "warning: users.csv line 1, column prefferedGivenName: extension column stands before spec columns; extensions may only be appended to the right",
        "warning: users.csv line 1, column prefferedMiddleName: extension column stands before spec columns; extensions may only be appended to the right",
        "warning: users.csv line 1, column prefferedFamilyName: extension column stands before spec columns; extensions may only be appended to the right",
        "users.csv line 2, column dateLastModified: '1/05/2023' is not an ISO 8601 UTC datetime like 2012-04-23T18:25:43.511Z",
        "warning: users.csv line 2, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "warning: users.csv line 3, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "users.csv line 4, column dateLastModified: '1/05/2023' is not an ISO 8601 UTC datetime like 2012-04-23T18:25:43.511Z",
        "warning: users.csv line 4, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "users.csv line 5, column dateLastModified: '1/05/2023' is not an ISO 8601 UTC datetime like 2012-04-23T18:25:43.511Z",
        "warning: users.csv line 5, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "users.csv line 6, column dateLastModified: '1/05/2023' is not an ISO 8601 UTC datetime like 2012-04-23T18:25:43.511Z",
        "warning: users.csv line 6, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "users.csv line 7, column dateLastModified: '15/06/2023' is not an ISO 8601 UTC datetime like 2012-04-23T18:25:43.511Z",
        "warning: users.csv line 7, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "warning: users.csv: 5 row(s) fill status/dateLastModified, which bulk files must leave blank (first at line 2); ignored",
        "orgs.csv line 2, column parentSourcedId: 'org-sch-222-3456' refers to a sourcedId missing from orgs.csv in this bulk set",
        "academicSessions.csv line 3, column parentSourcedId: 'as-syr-222-2023' refers to a sourcedId missing from academicSessions.csv in this bulk set",
        "academicSessions.csv line 6, column parentSourcedId: 'as-syr-222-2023' refers to a sourcedId missing from academicSessions.csv in this bulk set",
        "classes.csv line 2, column courseSourcedId: 'crs-222-2023-456-12345' refers to courses.csv, which this bulk set does not supply",
        "classes.csv line 3, column courseSourcedId: 'crs-222-2023-456-23456' refers to courses.csv, which this bulk set does not supply",
];

const OAT_SA_V1P1_BASE_CSV_LENIENT: &[&str] = &[
        "academicSessions.csv line 1, column schoolYear: required column is missing",
        "academicSessions.csv: has a header but no data rows (empty files are not permitted)",
        "warning: classes.csv line 1, column grades: spec column is missing (is 'grade' a misspelling?)",
        "warning: classes.csv line 1, column subjectCodes: spec column is missing",
        "warning: classes.csv line 1, column periods: spec column is missing",
        "warning: classes.csv line 1, column grade: extension column stands before spec columns; extensions may only be appended to the right",
        "warning: classes.csv line 2, column dateLastModified: '2017-04-05' is a date, not a UTC datetime; read as midnight UTC",
        "classes.csv line 2, column courseSourcedId: is required but blank",
        "classes.csv line 3, column courseSourcedId: is required but blank",
        "classes.csv line 4, column courseSourcedId: is required but blank",
        "warning: classes.csv: 1 row(s) fill status/dateLastModified, which bulk files must leave blank (first at line 2); ignored",
        "warning: courses.csv line 1, column schoolYearSourcedId: spec column is missing",
        "warning: courses.csv line 1, column grades: spec column is missing (is 'grade' a misspelling?)",
        "warning: courses.csv line 1, column subjectCodes: spec column is missing",
        "warning: courses.csv line 1, column schoolYearId: extension column stands before spec columns; extensions may only be appended to the right",
        "warning: courses.csv line 1, column metadata.duration: extension column stands before spec columns; extensions may only be appended to the right",
        "warning: courses.csv line 1, column grade: extension column stands before spec columns; extensions may only be appended to the right",
        "courses.csv: has a header but no data rows (empty files are not permitted)",
        "demographics.csv line 1, column sourcedId: required column is missing",
        "warning: demographics.csv line 1, column birthDate: spec column is missing (is 'birthdate' a misspelling?)",
        "warning: demographics.csv line 1, column userSourcedId: extension column stands before spec columns; extensions may only be appended to the right",
        "warning: demographics.csv line 1, column birthdate: extension column stands before spec columns; extensions may only be appended to the right",
        "demographics.csv: has a header but no data rows (empty files are not permitted)",
        "warning: enrollments.csv line 1, column beginDate: spec column is missing",
        "warning: enrollments.csv line 1, column endDate: spec column is missing",
        "warning: enrollments.csv line 1: columns are not in the order of the spec table",
        "warning: enrollments.csv: 2 row(s) fill status/dateLastModified, which bulk files must leave blank (first at line 2); ignored",
        "warning: orgs.csv line 1, column metadata.classification: extension column stands before spec columns; extensions may only be appended to the right",
        "warning: orgs.csv line 1, column metadata.gender: extension column stands before spec columns; extensions may only be appended to the right",
        "warning: orgs.csv line 1, column metadata.boarding: extension column stands before spec columns; extensions may only be appended to the right",
        "warning: orgs.csv line 2, column dateLastModified: '2017-05-06 08:01:05' is not ISO 8601 (space, no zone); read as UTC",
        "warning: orgs.csv: 1 row(s) fill status/dateLastModified, which bulk files must leave blank (first at line 2); ignored",
        "warning: users.csv line 1, column userIds: spec column is missing (is 'userId' a misspelling?)",
        "warning: users.csv line 1, column middleName: spec column is missing",
        "warning: users.csv line 1, column agentSourcedIds: spec column is missing",
        "warning: users.csv line 1, column grades: spec column is missing",
        "warning: users.csv line 1, column password: spec column is missing",
        "warning: users.csv line 1: columns are not in the order of the spec table",
        "warning: users.csv line 1, column userId: extension column stands before spec columns; extensions may only be appended to the right",
        "warning: users.csv line 2, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
        "warning: users.csv line 3, column enabledUser: 'TRUE' has the wrong case (values are case-sensitive); read as 'true'",
];

#[test]
fn moodle_zips_read_exactly_like_their_unzipped_folders() {
    for name in ["Test_minimal_data_set", "Test_full_data_set", "oneroster_test_data", "v1p2_full_dataset"] {
        let Some(dir) = sample(&format!("oneroster-moodle-enrol_oneroster/{name}")) else { return };
        let zip = dir.join(format!("../zips/{name}.zip"));
        for strictness in [Strictness::Lenient, Strictness::Strict] {
            let zipped = oneroster::read_zip(&zip, strictness).expect("sample zip is readable");
            let unzipped = oneroster::read_dir(&dir, strictness).expect("sample directory is readable");
            assert_eq!(shown(&zipped), shown(&unzipped), "{name} {strictness:?}");
            assert_eq!(zipped.users, unzipped.users, "{name} {strictness:?}");
            assert_eq!(zipped.records, unzipped.records, "{name} {strictness:?}");
        }
    }
}
