//! Typed rostering records (orgs, academicSessions, courses, classes, users, roles, enrollments, demographics),
//! and reading each from one row with the rules that tie its fields together.

use chrono::NaiveDate;

use crate::oneroster::row::{Common, Row};
use crate::oneroster::spec::{self, Version};
use crate::problem::Severity;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    pub common: Common,
    pub name: String,
    pub org_type: String,
    pub identifier: Option<String>,
    pub parent_sourced_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcademicSession {
    pub common: Common,
    pub title: String,
    pub session_type: String,
    /// Inclusive.
    pub start_date: NaiveDate,
    /// Exclusive.
    pub end_date: NaiveDate,
    pub parent_sourced_id: Option<String>,
    /// The year in which the school year ends.
    pub school_year: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    pub common: Common,
    pub school_year_sourced_id: Option<String>,
    pub title: String,
    pub course_code: Option<String>,
    pub grades: Vec<String>,
    pub org_sourced_id: String,
    pub subjects: Vec<String>,
    pub subject_codes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    pub common: Common,
    pub title: String,
    pub grades: Vec<String>,
    pub course_sourced_id: String,
    pub class_code: Option<String>,
    pub class_type: String,
    pub location: Option<String>,
    pub school_sourced_id: String,
    pub term_sourced_ids: Vec<String>,
    pub subjects: Vec<String>,
    pub subject_codes: Vec<String>,
    pub periods: Vec<String>,
}

/// A user; 1.1 files fill `role_1_1` and `org_sourced_ids_1_1` (1.2 moved both to roles.csv). The `password`
/// column is never read: Steward does not keep OneRoster passwords.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub common: Common,
    pub enabled_user: bool,
    pub username: String,
    /// `{Type:Id}` entries, kept verbatim.
    pub user_ids: Vec<String>,
    pub given_name: String,
    pub family_name: String,
    pub middle_name: Option<String>,
    pub identifier: Option<String>,
    pub email: Option<String>,
    pub sms: Option<String>,
    pub phone: Option<String>,
    pub agent_sourced_ids: Vec<String>,
    pub grades: Vec<String>,
    pub user_master_identifier: Option<String>,
    pub resource_sourced_ids: Vec<String>,
    pub preferred_given_name: Option<String>,
    pub preferred_middle_name: Option<String>,
    pub preferred_family_name: Option<String>,
    pub primary_org_sourced_id: Option<String>,
    pub pronouns: Option<String>,
    pub role_1_1: Option<String>,
    pub org_sourced_ids_1_1: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub common: Common,
    pub user_sourced_id: String,
    pub role_type: String,
    pub role: String,
    pub begin_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub org_sourced_id: String,
    pub user_profile_sourced_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrollment {
    pub common: Common,
    pub class_sourced_id: String,
    pub school_sourced_id: String,
    pub user_sourced_id: String,
    pub role: String,
    pub primary: Option<bool>,
    pub begin_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
}

/// Demographics; `common.sourced_id` is the user's sourcedId.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demographic {
    pub common: Common,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<String>,
    pub american_indian_or_alaska_native: Option<bool>,
    pub asian: Option<bool>,
    pub black_or_african_american: Option<bool>,
    pub native_hawaiian_or_other_pacific_islander: Option<bool>,
    pub white: Option<bool>,
    pub demographic_race_two_or_more_races: Option<bool>,
    pub hispanic_or_latino_ethnicity: Option<bool>,
    pub country_of_birth_code: Option<String>,
    pub state_of_birth_abbreviation: Option<String>,
    pub city_of_birth: Option<String>,
    pub public_school_residence_status: Option<String>,
}

pub(crate) fn org(r: &mut Row<'_>) -> Option<Org> {
    let common = r.common();
    let name = r.text("name", true);
    let org_type = r.vocab("type", spec::ORG_TYPE, true, true);
    let identifier = r.text("identifier", false);
    let parent_sourced_id = r.guid("parentSourcedId", false);
    Some(Org { common: common?, name: name?, org_type: org_type?, identifier, parent_sourced_id })
}

pub(crate) fn academic_session(r: &mut Row<'_>) -> Option<AcademicSession> {
    let common = r.common();
    let title = r.text("title", true);
    let session_type = r.vocab("type", spec::SESSION_TYPE, true, true);
    let start_date = r.date("startDate", true);
    let end_date = r.date("endDate", true);
    let parent_sourced_id = r.guid("parentSourcedId", false);
    let school_year = r.year("schoolYear", true);
    if let (Some(start), Some(end)) = (start_date, end_date) {
        // endDate is exclusive, so a session ending on its first day has no days at all.
        if end <= start {
            r.report("endDate", Some(&end.to_string()), format!("must be after startDate {start}"), Severity::Error);
        }
    }
    Some(AcademicSession {
        common: common?,
        title: title?,
        session_type: session_type?,
        start_date: start_date?,
        end_date: end_date?,
        parent_sourced_id,
        school_year: school_year?,
    })
}

pub(crate) fn course(r: &mut Row<'_>) -> Option<Course> {
    let common = r.common();
    let school_year_sourced_id = r.guid("schoolYearSourcedId", false);
    let title = r.text("title", true);
    let course_code = r.text("courseCode", false);
    let grades = r.list("grades", false);
    let org_sourced_id = r.guid("orgSourcedId", true);
    let subjects = r.list("subjects", false);
    let subject_codes = r.list("subjectCodes", false);
    subjects_pair(r, &subjects, &subject_codes);
    Some(Course {
        common: common?,
        school_year_sourced_id,
        title: title?,
        course_code,
        grades,
        org_sourced_id: org_sourced_id?,
        subjects,
        subject_codes,
    })
}

pub(crate) fn class(r: &mut Row<'_>) -> Option<Class> {
    let common = r.common();
    let title = r.text("title", true);
    let grades = r.list("grades", false);
    let course_sourced_id = r.guid("courseSourcedId", true);
    let class_code = r.text("classCode", false);
    let class_type = r.vocab("classType", spec::CLASS_TYPE, true, true);
    let location = r.text("location", false);
    let school_sourced_id = r.guid("schoolSourcedId", true);
    let term_sourced_ids = r.guid_list("termSourcedIds", true);
    let subjects = r.list("subjects", false);
    let subject_codes = r.list("subjectCodes", false);
    let periods = r.list("periods", false);
    subjects_pair(r, &subjects, &subject_codes);
    let terms_ok = !term_sourced_ids.is_empty();
    Some(Class {
        common: common?,
        title: title?,
        grades,
        course_sourced_id: course_sourced_id?,
        class_code,
        class_type: class_type?,
        location,
        school_sourced_id: school_sourced_id?,
        term_sourced_ids: terms_ok.then_some(term_sourced_ids)?,
        subjects,
        subject_codes,
        periods,
    })
}

pub(crate) fn user(r: &mut Row<'_>, version: Version) -> Option<User> {
    let v11 = version == Version::V1_1;
    let common = r.common();
    let enabled_user = r.boolean("enabledUser", true);
    let org_sourced_ids_1_1 = if v11 { r.guid_list("orgSourcedIds", true) } else { Vec::new() };
    let role_1_1 = if v11 { r.vocab("role", spec::ROLE_1_1, false, true) } else { None };
    let username = r.text("username", true);
    let user_ids = r.list("userIds", false);
    let given_name = r.text("givenName", true);
    let family_name = r.text("familyName", true);
    let user = User {
        user_ids,
        middle_name: r.text("middleName", false),
        identifier: r.text("identifier", false),
        email: r.text("email", false),
        sms: r.text("sms", false),
        phone: r.text("phone", false),
        agent_sourced_ids: r.guid_list("agentSourcedIds", false),
        grades: r.list("grades", false),
        user_master_identifier: r.text("userMasterIdentifier", false),
        resource_sourced_ids: r.guid_list("resourceSourcedIds", false),
        preferred_given_name: r.text("preferredGivenName", false),
        preferred_middle_name: r.text("preferredMiddleName", false),
        preferred_family_name: r.text("preferredFamilyName", false),
        primary_org_sourced_id: r.guid("primaryOrgSourcedId", false),
        pronouns: r.text("pronouns", false),
        role_1_1,
        org_sourced_ids_1_1,
        // Fields that may end the row are taken last, so every column is checked first.
        common: common?,
        enabled_user: enabled_user?,
        username: username?,
        given_name: given_name?,
        family_name: family_name?,
    };
    if v11 && (user.role_1_1.is_none() || user.org_sourced_ids_1_1.is_empty()) {
        return None;
    }
    Some(user)
}

pub(crate) fn role(r: &mut Row<'_>) -> Option<Role> {
    let common = r.common();
    let user_sourced_id = r.guid("userSourcedId", true);
    let role_type = r.vocab("roleType", spec::ROLE_TYPE, false, true);
    let role = r.vocab("role", spec::ROLE_1_2, true, true);
    let begin_date = r.date("beginDate", false);
    let end_date = r.date("endDate", false);
    let org_sourced_id = r.guid("orgSourcedId", true);
    let user_profile_sourced_id = r.guid("userProfileSourcedId", false);
    Some(Role {
        common: common?,
        user_sourced_id: user_sourced_id?,
        role_type: role_type?,
        role: role?,
        begin_date,
        end_date,
        org_sourced_id: org_sourced_id?,
        user_profile_sourced_id,
    })
}

pub(crate) fn enrollment(r: &mut Row<'_>) -> Option<Enrollment> {
    let common = r.common();
    let class_sourced_id = r.guid("classSourcedId", true);
    let school_sourced_id = r.guid("schoolSourcedId", true);
    let user_sourced_id = r.guid("userSourcedId", true);
    let role = r.vocab("role", spec::ENROLLMENT_ROLE, true, true);
    let primary = r.boolean("primary", false);
    let begin_date = r.date("beginDate", false);
    let end_date = r.date("endDate", false);
    if primary == Some(true) && role.as_deref().is_some_and(|role| role != "teacher") {
        // The spec gives `primary` a meaning for teachers only; elsewhere it is harmless but says nothing.
        let rule = "is only meaningful for teachers; ignored by consumers for other roles";
        r.report("primary", Some("true"), rule, Severity::Warning);
    }
    Some(Enrollment {
        common: common?,
        class_sourced_id: class_sourced_id?,
        school_sourced_id: school_sourced_id?,
        user_sourced_id: user_sourced_id?,
        role: role?,
        primary,
        begin_date,
        end_date,
    })
}

pub(crate) fn demographic(r: &mut Row<'_>, version: Version) -> Option<Demographic> {
    let sexes = if version == Version::V1_1 { spec::SEX_1_1 } else { spec::SEX_1_2 };
    let extensible = version == Version::V1_2;
    let common = r.common();
    Some(Demographic {
        birth_date: r.date("birthDate", false),
        sex: r.vocab("sex", sexes, extensible, false),
        american_indian_or_alaska_native: r.boolean("americanIndianOrAlaskaNative", false),
        asian: r.boolean("asian", false),
        black_or_african_american: r.boolean("blackOrAfricanAmerican", false),
        native_hawaiian_or_other_pacific_islander: r.boolean("nativeHawaiianOrOtherPacificIslander", false),
        white: r.boolean("white", false),
        demographic_race_two_or_more_races: r.boolean("demographicRaceTwoOrMoreRaces", false),
        hispanic_or_latino_ethnicity: r.boolean("hispanicOrLatinoEthnicity", false),
        country_of_birth_code: r.text("countryOfBirthCode", false),
        state_of_birth_abbreviation: r.text("stateOfBirthAbbreviation", false),
        city_of_birth: r.text("cityOfBirth", false),
        public_school_residence_status: r.text("publicSchoolResidenceStatus", false),
        common: common?,
    })
}

/// subjects and subjectCodes pair up by position, so when both are given their lengths must match: otherwise no
/// code can be tied to its subject.
fn subjects_pair(r: &mut Row<'_>, subjects: &[String], codes: &[String]) {
    if !subjects.is_empty() && !codes.is_empty() && subjects.len() != codes.len() {
        let rule = format!(
            "has {} value(s) but subjects has {}; the two lists pair up by position",
            codes.len(),
            subjects.len()
        );
        r.report("subjectCodes", Some(&codes.join(",")), rule, Severity::Error);
    }
}
