//! The inventory's vocabularies: status, scope, subjects, platforms, sign-on, standards, privacy and evidence.

use super::Vocabulary;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    Requested,
    InReview,
    Approved,
    ApprovedWithConditions,
    Denied,
    Retired,
}

impl Vocabulary for ProductStatus {
    const NAME: &'static str = "product status";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::Requested, "requested", "Requested"),
        (Self::InReview, "in_review", "In review"),
        (Self::Approved, "approved", "Approved"),
        (Self::ApprovedWithConditions, "approved_with_conditions", "Approved with conditions"),
        (Self::Denied, "denied", "Denied"),
        (Self::Retired, "retired", "Retired"),
    ];
}

impl ProductStatus {
    /// Approved products, with or without conditions, are the ones teachers may use.
    pub fn is_approved(self) -> bool {
        matches!(self, Self::Approved | Self::ApprovedWithConditions)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    DistrictWide,
    SomeSchools,
    SomeGrades,
}

impl Vocabulary for Scope {
    const NAME: &'static str = "scope";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::DistrictWide, "district_wide", "District-wide"),
        (Self::SomeSchools, "some_schools", "Some schools"),
        (Self::SomeGrades, "some_grades", "Some grades"),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Math,
    Ela,
    Science,
    SocialStudies,
    WorldLanguages,
    Arts,
    HealthPe,
    ComputerScience,
    Cte,
    SpecialEducation,
    CrossCurricular,
}

impl Vocabulary for Subject {
    const NAME: &'static str = "subject";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::Math, "math", "Mathematics"),
        (Self::Ela, "ela", "English language arts"),
        (Self::Science, "science", "Science"),
        (Self::SocialStudies, "social_studies", "Social studies"),
        (Self::WorldLanguages, "world_languages", "World languages"),
        (Self::Arts, "arts", "Arts"),
        (Self::HealthPe, "health_pe", "Health and PE"),
        (Self::ComputerScience, "computer_science", "Computer science"),
        (Self::Cte, "cte", "Career and technical education"),
        (Self::SpecialEducation, "special_education", "Special education"),
        (Self::CrossCurricular, "cross_curricular", "Cross-curricular"),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Web,
    Chromeos,
    Windows,
    Macos,
    Ipados,
    Ios,
    Android,
}

impl Vocabulary for Platform {
    const NAME: &'static str = "platform";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::Web, "web", "Web browser"),
        (Self::Chromeos, "chromeos", "ChromeOS"),
        (Self::Windows, "windows", "Windows"),
        (Self::Macos, "macos", "macOS"),
        (Self::Ipados, "ipados", "iPadOS"),
        (Self::Ios, "ios", "iOS"),
        (Self::Android, "android", "Android"),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignOn {
    LocalAccount,
    Google,
    Microsoft,
    Clever,
    Classlink,
    Saml,
    Oidc,
    Lti,
}

impl Vocabulary for SignOn {
    const NAME: &'static str = "sign-on method";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::LocalAccount, "local_account", "Vendor account (username and password)"),
        (Self::Google, "google", "Google"),
        (Self::Microsoft, "microsoft", "Microsoft Entra ID"),
        (Self::Clever, "clever", "Clever"),
        (Self::Classlink, "classlink", "ClassLink"),
        (Self::Saml, "saml", "SAML 2.0"),
        (Self::Oidc, "oidc", "OpenID Connect"),
        (Self::Lti, "lti", "LTI launch"),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Interop {
    #[serde(rename = "lti_1_1")]
    Lti11,
    #[serde(rename = "lti_1_3")]
    Lti13,
    #[serde(rename = "oneroster_1_1_csv")]
    OneRoster11Csv,
    #[serde(rename = "oneroster_1_2_csv")]
    OneRoster12Csv,
    #[serde(rename = "oneroster_1_1_rest")]
    OneRoster11Rest,
    #[serde(rename = "oneroster_1_2_rest")]
    OneRoster12Rest,
    Case,
    Caliper,
    Xapi,
}

impl Vocabulary for Interop {
    const NAME: &'static str = "interoperability standard";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::Lti11, "lti_1_1", "LTI 1.1"),
        (Self::Lti13, "lti_1_3", "LTI 1.3"),
        (Self::OneRoster11Csv, "oneroster_1_1_csv", "OneRoster 1.1 CSV"),
        (Self::OneRoster12Csv, "oneroster_1_2_csv", "OneRoster 1.2 CSV"),
        (Self::OneRoster11Rest, "oneroster_1_1_rest", "OneRoster 1.1 REST"),
        (Self::OneRoster12Rest, "oneroster_1_2_rest", "OneRoster 1.2 REST"),
        (Self::Case, "case", "CASE"),
        (Self::Caliper, "caliper", "Caliper"),
        (Self::Xapi, "xapi", "xAPI"),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WcagLevel {
    Unknown,
    NotConformant,
    A,
    Aa,
    Aaa,
}

impl Vocabulary for WcagLevel {
    const NAME: &'static str = "WCAG level";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::Unknown, "unknown", "Unknown"),
        (Self::NotConformant, "not_conformant", "Not conformant"),
        (Self::A, "a", "WCAG 2.1 A"),
        (Self::Aa, "aa", "WCAG 2.1 AA"),
        (Self::Aaa, "aaa", "WCAG 2.1 AAA"),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DpaStatus {
    NotRequired,
    None,
    Requested,
    Signed,
    Expired,
}

impl Vocabulary for DpaStatus {
    const NAME: &'static str = "DPA status";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::NotRequired, "not_required", "Not required (no student data)"),
        (Self::None, "none", "None"),
        (Self::Requested, "requested", "Requested"),
        (Self::Signed, "signed", "Signed"),
        (Self::Expired, "expired", "Expired"),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EssaTier {
    None,
    Strong,
    Moderate,
    Promising,
    Rationale,
}

impl Vocabulary for EssaTier {
    const NAME: &'static str = "ESSA evidence tier";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::None, "none", "No evidence reported"),
        (Self::Strong, "strong", "Tier 1 — strong"),
        (Self::Moderate, "moderate", "Tier 2 — moderate"),
        (Self::Promising, "promising", "Tier 3 — promising"),
        (Self::Rationale, "rationale", "Tier 4 — demonstrates a rationale"),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataElement {
    Name,
    Email,
    StudentId,
    GradeLevel,
    DateOfBirth,
    Demographics,
    AssessmentResults,
    Behavior,
    Location,
    PhotosAudioVideo,
    Biometrics,
}

impl Vocabulary for DataElement {
    const NAME: &'static str = "student data element";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::Name, "name", "Name"),
        (Self::Email, "email", "E-mail address"),
        (Self::StudentId, "student_id", "Student ID"),
        (Self::GradeLevel, "grade_level", "Grade level"),
        (Self::DateOfBirth, "date_of_birth", "Date of birth"),
        (Self::Demographics, "demographics", "Demographics"),
        (Self::AssessmentResults, "assessment_results", "Assessment results"),
        (Self::Behavior, "behavior", "Behavior and discipline"),
        (Self::Location, "location", "Location"),
        (Self::PhotosAudioVideo, "photos_audio_video", "Photos, audio or video"),
        (Self::Biometrics, "biometrics", "Biometrics"),
    ];
}
