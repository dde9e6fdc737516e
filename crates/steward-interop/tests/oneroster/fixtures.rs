//! Small inline OneRoster packages: a valid 1.2 bulk set that each rule test changes one file of.

use steward_interop::oneroster::{self, Package};
use steward_interop::Strictness;

pub const ORGS: &str = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n\
d1,,,District,district,,\n\
s1,,,School,school,NCES1,d1\n";
pub const SESSIONS: &str =
    "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\n\
y1,,,2024,schoolYear,2023-09-01,2024-07-01,,2024\n\
t1,,,Fall,term,2023-09-01,2024-01-01,y1,2024\n";
pub const COURSES: &str =
    "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes\n\
c1,,,y1,Maths,M1,\"09,10\",s1,,\n";
pub const CLASSES: &str =
    "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,\
schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n\
k1,,,Maths A,,c1,,scheduled,,s1,t1,,,\n";
pub const USERS_HEADER: &str = "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,\
middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,\
preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns";
pub const ROLES: &str = "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,\
userProfileSourcedId\n\
r1,,,u1,primary,teacher,,,s1,\n\
r2,,,u2,primary,student,2023-09-01,,s1,\n";
pub const ENROLLMENTS: &str =
    "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,\
beginDate,endDate\n\
e1,,,k1,s1,u1,teacher,true,,\n\
e2,,,k1,s1,u2,student,,,\n";
pub const DEMOGRAPHICS_HEADER: &str =
    "sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,\
blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,\
hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus";

pub fn users() -> String {
    let row = |id: &str, name: &str| format!("{id},,,true,{name},,{name},Smith{}s1,\n", ",".repeat(14));
    format!("{USERS_HEADER}\n{}{}", row("u1", "ada"), row("u2", "bob"))
}

pub fn demographics() -> String {
    format!("{DEMOGRAPHICS_HEADER}\nu2,,,2010-04-17,female,false{}\n", ",".repeat(10))
}

pub const FILES_1_2: &[&str] = &[
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItemLearningObjectiveIds",
    "lineItems",
    "lineItemScoreScales",
    "orgs",
    "resources",
    "resultLearningObjectiveIds",
    "results",
    "resultScoreScales",
    "roles",
    "scoreScales",
    "userProfiles",
    "userResources",
    "users",
];

/// A manifest listing every 1.2 file, `mode` for those supplied and absent for the rest.
pub fn manifest(version: &str, supplied: &[&str], mode: &str) -> String {
    let mut m = format!("propertyName,value\nmanifest.version,1.0\noneroster.version,{version}\n");
    for f in FILES_1_2 {
        let value = if supplied.contains(f) { mode } else { "absent" };
        m.push_str(&format!("file.{f},{value}\n"));
    }
    m
}

/// The valid bulk set, with `changes` replacing (or, when empty, removing) files.
pub fn package(changes: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, String)> = vec![
        ("orgs.csv".into(), ORGS.into()),
        ("academicSessions.csv".into(), SESSIONS.into()),
        ("courses.csv".into(), COURSES.into()),
        ("classes.csv".into(), CLASSES.into()),
        ("users.csv".into(), users()),
        ("roles.csv".into(), ROLES.into()),
        ("enrollments.csv".into(), ENROLLMENTS.into()),
        ("demographics.csv".into(), demographics()),
    ];
    let stems: Vec<String> = files.iter().map(|(n, _)| n.trim_end_matches(".csv").to_owned()).collect();
    let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
    files.push(("manifest.csv".into(), manifest("1.2", &stems, "bulk")));
    for (name, text) in changes {
        files.retain(|(n, _)| n != name);
        if !text.is_empty() {
            files.push(((*name).to_owned(), (*text).to_owned()));
        }
    }
    files.into_iter().map(|(n, t)| (n, t.into_bytes())).collect()
}

pub fn read(changes: &[(&str, &str)], strictness: Strictness) -> Package {
    oneroster::read_files(package(changes), strictness)
}

pub fn shown(p: &Package) -> Vec<String> {
    p.problems.iter().map(ToString::to_string).collect()
}

/// Lenient and Strict problems for the same package.
pub fn both(changes: &[(&str, &str)]) -> (Vec<String>, Vec<String>) {
    (shown(&read(changes, Strictness::Lenient)), shown(&read(changes, Strictness::Strict)))
}
