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

pub const CATEGORIES: &str = "sourcedId,status,dateLastModified,title,weight\ncat1,,,Homework,40\n";
pub const LINE_ITEMS: &str = "sourcedId,status,dateLastModified,title,description,assignDate,dueDate,classSourcedId,\
categorySourcedId,academicSessionSourcedId,resultValueMin,resultValueMax,schoolSourcedId\n\
li1,,,Quiz 1,\"Fractions, decimals\",2023-09-10,2023-09-17,k1,cat1,t1,0,100,s1\n";
pub const RESULTS: &str = "sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,\
scoreDate,comment,textScore,classSourcedId,inProgress,incomplete,late,missing\n\
res1,,,li1,u2,fully graded,85.50,2023-09-18,\"Good, \"\"clear\"\" work\",B,k1,false,false,true,false\n";
pub const SCORE_SCALES: &str = "sourcedId,status,dateLastModified,title,type,orgSourcedId,courseSourcedId,\
classSourcedId,scoreScaleValue\nsc1,,,Letter,letter,s1,c1,k1,\"{A:90},{B:80}\"\n";
pub const LINE_ITEM_SCORE_SCALES: &str =
    "sourcedId,status,dateLastModified,title,lineItemSourcedId,scoreScaleSourcedId\nlss1,,,,li1,sc1\n";
pub const RESULT_SCORE_SCALES: &str =
    "sourcedId,status,dateLastModified,title,resultSourcedId,scoreScaleSourcedId\nrss1,,,,res1,sc1\n";
pub const LINE_ITEM_LOS: &str = "sourcedId,status,dateLastModified,lineItemSourcedId,source,learningObjectiveId\n\
lo1,,,li1,case,urn:uuid:9A5E1E22-3F0C-11E8-B467-0ED5F89F718B\nlo2,,,li1,unknown,NY-5.NF.1\n";
pub const RESULT_LOS: &str =
    "sourcedId,status,dateLastModified,resultSourcedId,source,learningObjectiveId,score,textScore\n\
rlo1,,,res1,case,9a5e1e22-3f0c-11e8-b467-0ed5f89f718b,3,Proficient\n";
pub const RESOURCES: &str =
    "sourcedId,status,dateLastModified,vendorResourceId,title,roles,importance,vendorId,applicationId\n\
rs1,,,vr-1,Fractions app,\"student,teacher\",primary,v1,app1\n";
pub const CLASS_RESOURCES: &str =
    "sourcedId,status,dateLastModified,title,classSourcedId,resourceSourcedId\ncr1,,,,k1,rs1\n";
pub const COURSE_RESOURCES: &str =
    "sourcedId,status,dateLastModified,title,courseSourcedId,resourceSourcedId\ncor1,,,Course kit,c1,rs1\n";
pub const USER_RESOURCES: &str =
    "sourcedId,status,dateLastModified,userSourcedId,orgSourcedId,classSourcedId,resourceSourcedId\nur1,,,u2,s1,k1,rs1\n";
pub const USER_PROFILES: &str = "sourcedId,status,dateLastModified,userSourcedId,profileType,vendorId,applicationId,\
description,credentialType,username,password\nup1,,,u2,app,v1,app1,,password,bob2,s3cret\n";

/// The valid bulk set with all 21 files, `changes` applied as in [`package`].
pub fn full_package(changes: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    let manifest = manifest("1.2", FILES_1_2, "bulk");
    let mut all = vec![
        ("manifest.csv", manifest.as_str()),
        ("categories.csv", CATEGORIES),
        ("lineItems.csv", LINE_ITEMS),
        ("results.csv", RESULTS),
        ("scoreScales.csv", SCORE_SCALES),
        ("lineItemScoreScales.csv", LINE_ITEM_SCORE_SCALES),
        ("resultScoreScales.csv", RESULT_SCORE_SCALES),
        ("lineItemLearningObjectiveIds.csv", LINE_ITEM_LOS),
        ("resultLearningObjectiveIds.csv", RESULT_LOS),
        ("resources.csv", RESOURCES),
        ("classResources.csv", CLASS_RESOURCES),
        ("courseResources.csv", COURSE_RESOURCES),
        ("userResources.csv", USER_RESOURCES),
        ("userProfiles.csv", USER_PROFILES),
    ];
    all.extend_from_slice(changes);
    package(&all)
}

pub fn read_full(changes: &[(&str, &str)], strictness: Strictness) -> Package {
    oneroster::read_files(full_package(changes), strictness)
}

/// Lenient and Strict problems for the full set with `changes`.
pub fn both_full(changes: &[(&str, &str)]) -> (Vec<String>, Vec<String>) {
    (shown(&read_full(changes, Strictness::Lenient)), shown(&read_full(changes, Strictness::Strict)))
}

/// A file's header line and the rows given, as a file text.
pub fn with_rows(file: &str, rows: &[&str]) -> String {
    let header = file.lines().next().unwrap_or_default();
    rows.iter().fold(format!("{header}\n"), |text, row| format!("{text}{row}\n"))
}

/// A 1.1 manifest: `manifest("1.1", …)` without the rows of files new in 1.2.
pub fn strip_1_2_rows(manifest: &str) -> String {
    let new = ["roles", "userProfiles", "userResources", "scoreScales", "LearningObjectiveIds", "ScoreScales"];
    manifest.lines().filter(|l| !new.iter().any(|n| l.contains(n))).map(|l| format!("{l}\n")).collect()
}

pub const USERS_1_1: &str = "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,\
givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n\
u1,,,true,\"s1,d1\",teacher,ada,{LDAP:1},Ada,Smith,,,,,,,,pw1\n\
u2,,,TRUE,s1,student,bob,,Bob,Smith,,,,,,,09,\n\
u3,,,true,\"d1,s1\",administrator,cy,,Cy,Jones,,,,,,,,\n\
u4,,,true,s1,administrator,di,,Di,Jones,,,,,,,,\n";
pub const CATEGORIES_1_1: &str = "sourcedId,status,dateLastModified,title\ncat1,,,Homework\n";
pub const LINE_ITEMS_1_1: &str = "sourcedId,status,dateLastModified,title,description,assignDate,dueDate,\
classSourcedId,categorySourcedId,gradingPeriodSourcedId,resultValueMin,resultValueMax\n\
li1,,,Quiz 1,,2023-09-10,2023-09-17,k1,cat1,t1,0,100\n";
pub const RESULTS_1_1: &str = "sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,\
score,scoreDate,comment\nres1,,,li1,u2,fully graded,9.0,2023-09-18,Well done\n";

/// A valid 1.1 bulk set: the rostering fixtures with 1.1 users, and 1.1 categories, lineItems and results.
pub fn package_1_1(changes: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    let supplied = [
        "orgs",
        "academicSessions",
        "courses",
        "classes",
        "users",
        "enrollments",
        "demographics",
        "categories",
        "lineItems",
        "results",
    ];
    let manifest = strip_1_2_rows(&manifest("1.1", &supplied, "bulk"));
    let mut all = vec![
        ("manifest.csv", manifest.as_str()),
        ("roles.csv", ""),
        ("users.csv", USERS_1_1),
        ("categories.csv", CATEGORIES_1_1),
        ("lineItems.csv", LINE_ITEMS_1_1),
        ("results.csv", RESULTS_1_1),
    ];
    all.extend_from_slice(changes);
    package(&all)
}
