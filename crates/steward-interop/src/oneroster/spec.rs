//! The OneRoster 1.2 and 1.1 CSV spec tables: files, header columns, required-ness, vocabularies.

/// The OneRoster version a manifest declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V1_1,
    V1_2,
}

impl Version {
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1_1 => "1.1",
            Version::V1_2 => "1.2",
        }
    }
}

/// How a manifest says a file is supplied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Absent,
    Bulk,
    Delta,
}

const FILES_1_1: &[&str] = &[
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItems",
    "orgs",
    "resources",
    "results",
    "users",
];

const FILES_NEW_IN_1_2: &[&str] = &[
    "lineItemLearningObjectiveIds",
    "lineItemScoreScales",
    "resultLearningObjectiveIds",
    "resultScoreScales",
    "roles",
    "scoreScales",
    "userProfiles",
    "userResources",
];

/// The data files (without `.csv`) a manifest of this version must list as `file.<name>`.
pub fn files(version: Version) -> Vec<&'static str> {
    let mut all = FILES_1_1.to_vec();
    if version == Version::V1_2 {
        all.extend_from_slice(FILES_NEW_IN_1_2);
    }
    all
}

const COMMON: &str = "sourcedId*,status,dateLastModified";

/// Header columns after the common three; `*` marks required values.
fn table(file: &str, version: Version) -> Option<&'static str> {
    let v11 = version == Version::V1_1;
    Some(match file {
        "academicSessions" => "title*,type*,startDate*,endDate*,parentSourcedId,schoolYear*",
        "categories" if v11 => "title*",
        "categories" => "title*,weight",
        "classes" => "title*,grades,courseSourcedId*,classCode,classType*,location,schoolSourcedId*,termSourcedIds*,subjects,subjectCodes,periods",
        "classResources" => "title,classSourcedId*,resourceSourcedId*",
        "courseResources" => "title,courseSourcedId*,resourceSourcedId*",
        "courses" => "schoolYearSourcedId,title*,courseCode,grades,orgSourcedId*,subjects,subjectCodes",
        "demographics" => "birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus",
        "enrollments" => "classSourcedId*,schoolSourcedId*,userSourcedId*,role*,primary,beginDate,endDate",
        "lineItems" if v11 => "title*,description,assignDate*,dueDate*,classSourcedId*,categorySourcedId*,gradingPeriodSourcedId*,resultValueMin*,resultValueMax*",
        "lineItems" => "title*,description,assignDate*,dueDate*,classSourcedId*,categorySourcedId*,academicSessionSourcedId*,resultValueMin,resultValueMax,schoolSourcedId*",
        "orgs" => "name*,type*,identifier,parentSourcedId",
        "resources" => "vendorResourceId*,title,roles,importance,vendorId,applicationId",
        "results" if v11 => "lineItemSourcedId*,studentSourcedId*,scoreStatus*,score*,scoreDate*,comment",
        "results" => "lineItemSourcedId*,studentSourcedId*,scoreStatus*,score,scoreDate*,comment,textScore,classSourcedId,inProgress,incomplete,late,missing",
        "users" if v11 => "enabledUser*,orgSourcedIds*,role*,username*,userIds,givenName*,familyName*,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password",
        "users" => "enabledUser*,username*,userIds,givenName*,familyName*,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns",
        _ if v11 => return None,
        "lineItemLearningObjectiveIds" => "lineItemSourcedId*,source*,learningObjectiveId*",
        "lineItemScoreScales" => "title,lineItemSourcedId*,scoreScaleSourcedId*",
        "resultLearningObjectiveIds" => "resultSourcedId*,source*,learningObjectiveId*,score,textScore",
        "resultScoreScales" => "title,resultSourcedId*,scoreScaleSourcedId*",
        "roles" => "userSourcedId*,roleType*,role*,beginDate,endDate,orgSourcedId*,userProfileSourcedId",
        "scoreScales" => "title*,type*,orgSourcedId*,courseSourcedId*,classSourcedId*,scoreScaleValue*",
        "userProfiles" => "userSourcedId*,profileType*,vendorId*,applicationId,description,credentialType*,username*,password",
        "userResources" => "userSourcedId*,orgSourcedId,classSourcedId,resourceSourcedId*",
        _ => return None,
    })
}

/// One spec column of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

/// The spec header of `file` (without `.csv`) in order, or `None` if the version has no such file.
pub fn columns(file: &str, version: Version) -> Option<Vec<Column>> {
    let rest = table(file, version)?;
    Some(
        COMMON
            .split(',')
            .chain(rest.split(','))
            .map(|c| match c.strip_suffix('*') {
                Some(name) => Column { name, required: true },
                None => Column { name: c, required: false },
            })
            .collect(),
    )
}

/// Spec columns real 1.2 producers leave out; their absence is not a problem (STANDARDS §1.4).
pub fn may_be_omitted(file: &str, column: &str) -> bool {
    file == "users" && column == "resourceSourcedIds"
}

pub const STATUS: &[&str] = &["active", "tobedeleted"];
pub const ORG_TYPE: &[&str] = &["department", "school", "district", "local", "state", "national"];
pub const SESSION_TYPE: &[&str] = &["gradingPeriod", "semester", "schoolYear", "term"];
pub const CLASS_TYPE: &[&str] = &["homeroom", "scheduled"];
pub const ENROLLMENT_ROLE: &[&str] = &["administrator", "proctor", "student", "teacher"];
pub const ROLE_TYPE: &[&str] = &["primary", "secondary"];
pub const ROLE_1_2: &[&str] = &[
    "aide",
    "counselor",
    "districtAdministrator",
    "guardian",
    "parent",
    "principal",
    "proctor",
    "relative",
    "siteAdministrator",
    "student",
    "systemAdministrator",
    "teacher",
];
pub const ROLE_1_1: &[&str] =
    &["administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher"];
pub const SEX_1_1: &[&str] = &["male", "female"];
pub const SEX_1_2: &[&str] = &["male", "female", "unspecified", "other"];
pub const SCORE_STATUS: &[&str] = &["exempt", "fully graded", "not submitted", "partially graded", "submitted"];
pub const LEARNING_OBJECTIVE_SOURCE: &[&str] = &["case", "unknown"];
pub const IMPORTANCE: &[&str] = &["primary", "secondary"];
/// The roles a resource is meant for: the 1.1 user roles (STANDARDS §1.4).
pub const RESOURCE_ROLE: &[&str] = ROLE_1_1;
