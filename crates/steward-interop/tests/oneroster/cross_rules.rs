//! Rules that tie fields or rows together: one primary role per user and org, subjects and their codes, session
//! dates, and `primary` enrollments.

use steward_interop::Strictness;

use super::fixtures::*;

#[test]
fn a_user_has_at_most_one_primary_role_per_org() {
    let roles =
        format!("{ROLES}r3,,,u1,secondary,aide,,,s1,\nr4,,,u1,primary,aide,,,s1,\nr5,,,u1,primary,aide,,,d1,\n");
    let (l, s) = both(&[("roles.csv", &roles)]);
    let rule = "roles.csv line 5, column roleType: 'primary' user u1 already has a primary role in org s1 (line 2); at most one per org";
    assert_eq!(l, [rule]);
    assert_eq!(l, s);
    let p = read(&[("roles.csv", &roles)], Strictness::Lenient);
    let kept: Vec<_> = p.records["roles"].iter().map(|r| r.sourced_id.as_str()).collect();
    assert_eq!(kept, ["r1", "r2", "r3", "r5"]);
    assert_eq!(p.roles.len(), 4);
}

#[test]
fn a_primary_role_being_deleted_does_not_count() {
    let roles = "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId\n\
r1,tobedeleted,2024-01-02T03:04:05Z,u1,primary,teacher,,,s1,\nr9,active,2024-01-02T03:04:05Z,u1,primary,aide,,,s1,\n";
    let files = [
        ("manifest.csv".to_owned(), manifest("1.2", &["roles"], "delta").into_bytes()),
        ("roles.csv".to_owned(), roles.as_bytes().to_vec()),
    ];
    let p = steward_interop::oneroster::read_files(files, Strictness::Strict);
    assert_eq!(shown(&p), Vec::<String>::new());
}

#[test]
fn subjects_and_subject_codes_pair_up_by_position() {
    let courses = COURSES.replace("s1,,\n", "s1,\"Maths,Art\",\"MA1\"\n");
    let classes = CLASSES.replace("t1,,,", "t1,Maths,,");
    let (l, s) = both(&[("courses.csv", &courses), ("classes.csv", &classes)]);
    assert_eq!(
        l,
        ["courses.csv line 2, column subjectCodes: 'MA1' has 1 value(s) but subjects has 2; the two lists pair up by position"]
    );
    assert_eq!(l, s);
    let courses = COURSES.replace("s1,,\n", "s1,\"Maths, Art\",\"MA1,AR1\"\n");
    let p = read(&[("courses.csv", &courses)], Strictness::Strict);
    assert_eq!(shown(&p), Vec::<String>::new());
    assert_eq!(p.records["courses"][0].get("courses", "subjects"), Some("Maths,Art"));
}

#[test]
fn a_session_ends_after_it_starts() {
    let sessions = SESSIONS.replace("Fall,term,2023-09-01,2024-01-01", "Fall,term,2023-09-01,2023-09-01");
    let (l, s) = both(&[("academicSessions.csv", &sessions)]);
    assert_eq!(l, ["academicSessions.csv line 3, column endDate: '2023-09-01' must be after startDate 2023-09-01"]);
    assert_eq!(l, s);
}

#[test]
fn primary_enrollment_of_a_non_teacher_is_a_warning() {
    let enrollments = ENROLLMENTS.replace("e2,,,k1,s1,u2,student,,,", "e2,,,k1,s1,u2,student,true,,");
    let (l, s) = both(&[("enrollments.csv", &enrollments)]);
    let rule = "enrollments.csv line 3, column primary: 'true' is only meaningful for teachers; ignored by consumers for other roles";
    assert_eq!(l, [format!("warning: {rule}")]);
    assert_eq!(s, [format!("warning: {rule}")]);
    let p = read(&[("enrollments.csv", &enrollments)], Strictness::Strict);
    assert!(p.is_accepted());
    assert_eq!(p.records["enrollments"][1].get("enrollments", "primary"), Some("true"));
}
