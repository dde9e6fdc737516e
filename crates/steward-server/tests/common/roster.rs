//! A small OneRoster 1.2 package for the seeded district: Alder and Birch, a class at each, a teacher, students.

use steward_interop::oneroster;
use steward_interop::Strictness;
use steward_store::{Actor, Store};

pub const ALDER: &str = "sch-alder";
pub const BIRCH: &str = "sch-birch";
/// A class at Alder (school A) and one at Birch (school B).
pub const CLASS_A: &str = "cls-alder-3";
pub const CLASS_B: &str = "cls-birch-4";
pub const STUDENT_A: &str = "stu-ana";
pub const STUDENT_B: &str = "stu-ben";
pub const TEACHER_A: &str = "tea-tess";

/// The package's files: (name, contents).
pub fn files() -> Vec<(String, Vec<u8>)> {
    let mut manifest = String::from("propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\n");
    let present = ["orgs", "academicSessions", "courses", "classes", "users", "roles", "enrollments", "demographics"];
    for f in oneroster::spec::files(oneroster::Version::V1_2) {
        manifest.push_str(&format!("file.{f},{}\n", if present.contains(&f) { "bulk" } else { "absent" }));
    }
    let users_header = oneroster::spec::columns("users", oneroster::Version::V1_2)
        .unwrap()
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(",");
    let user = |id: &str, given: &str, family: &str, grade: &str| {
        format!("{id},,,true,{id},,{given},{family},,ID-{id},{id}@cedar.example,,,,{grade},,,,,,,{ALDER},\n")
    };
    let users = format!(
        "{users_header}\n{}{}{}",
        user(STUDENT_A, "Ana", "Alvarez", "03"),
        user(STUDENT_B, "Ben", "Brooks", "04").replace(ALDER, BIRCH),
        user(TEACHER_A, "Tess", "Turner", "")
    );
    vec![
        ("manifest.csv".into(), manifest),
        (
            "orgs.csv".into(),
            format!(
                "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n\
                 dist-cedar,,,Cedar Valley SD,district,4100001,\n\
                 {ALDER},,,Alder Elementary,school,410000100001,dist-cedar\n\
                 {BIRCH},,,Birch Elementary,school,410000100002,dist-cedar\n"
            ),
        ),
        (
            "academicSessions.csv".into(),
            "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\n\
             term-2027,,,2026-27,schoolYear,2026-08-20,2027-06-15,,2027\n"
                .into(),
        ),
        (
            "courses.csv".into(),
            format!(
                "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes\n\
                 crs-3,,,term-2027,Grade 3,G3,03,{ALDER},,\n\
                 crs-4,,,term-2027,Grade 4,G4,04,{BIRCH},,\n"
            ),
        ),
        (
            "classes.csv".into(),
            format!(
                "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n\
                 {CLASS_A},,,Room 3 Homeroom,03,crs-3,H3,homeroom,Room 3,{ALDER},term-2027,,,1\n\
                 {CLASS_B},,,Room 4 Homeroom,04,crs-4,H4,homeroom,Room 4,{BIRCH},term-2027,,,1\n"
            ),
        ),
        ("users.csv".into(), users),
        (
            "roles.csv".into(),
            format!(
                "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId\n\
                 r-ana,,,{STUDENT_A},primary,student,,,{ALDER},\n\
                 r-ben,,,{STUDENT_B},primary,student,,,{BIRCH},\n\
                 r-tess,,,{TEACHER_A},primary,teacher,,,{ALDER},\n"
            ),
        ),
        (
            "enrollments.csv".into(),
            format!(
                "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n\
                 e-ana,,,{CLASS_A},{ALDER},{STUDENT_A},student,,,\n\
                 e-tess,,,{CLASS_A},{ALDER},{TEACHER_A},teacher,true,,\n\
                 e-ben,,,{CLASS_B},{BIRCH},{STUDENT_B},student,,,\n"
            ),
        ),
        (
            "demographics.csv".into(),
            format!(
                "sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus\n\
                 {STUDENT_A},,,2018-04-02,female,false,false,false,false,false,false,true,US,OR,Salem,\n\
                 {STUDENT_B},,,2017-01-15,male,false,false,true,false,false,false,false,US,OR,Eugene,\n"
            ),
        ),
    ]
    .into_iter()
    .map(|(name, text)| (name, text.into_bytes()))
    .collect()
}

/// Imports the package through the same path as the CLI and the upload page; returns its history id.
pub async fn import(store: &Store) -> i64 {
    let package = oneroster::read_files(files(), Strictness::Strict);
    assert!(package.is_accepted(), "the seed roster is valid: {:?}", package.problems);
    let outcome = steward_server::rostering::import(
        store,
        &Actor::system("test-seed"),
        "seed roster",
        &package,
        Strictness::Strict,
        &mut |_, _| {},
    )
    .await
    .expect("import the seed roster");
    assert!(outcome.applied);
    outcome.id
}
