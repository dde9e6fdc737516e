//! The vocabularies of contracts and ownership: license models, funding sources and owner roles.

use super::Vocabulary;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LicenseModel {
    PerSeat,
    PerStudent,
    PerTeacher,
    Site,
    District,
    Free,
}

impl Vocabulary for LicenseModel {
    const NAME: &'static str = "license model";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::PerSeat, "per_seat", "Per seat"),
        (Self::PerStudent, "per_student", "Per student"),
        (Self::PerTeacher, "per_teacher", "Per teacher"),
        (Self::Site, "site", "Site license"),
        (Self::District, "district", "District license"),
        (Self::Free, "free", "Free"),
    ];
}

impl LicenseModel {
    /// Models priced by a count of seats, students or teachers need that count.
    pub fn counts_seats(self) -> bool {
        matches!(self, Self::PerSeat | Self::PerStudent | Self::PerTeacher)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FundingSource {
    GeneralFund,
    TitleI,
    TitleIi,
    TitleIvA,
    Idea,
    Esser,
    ERate,
    StateGrant,
    PrivateGrant,
    Pto,
    Other,
}

impl Vocabulary for FundingSource {
    const NAME: &'static str = "funding source";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::GeneralFund, "general_fund", "General fund"),
        (Self::TitleI, "title_i", "Title I"),
        (Self::TitleIi, "title_ii", "Title II"),
        (Self::TitleIvA, "title_iv_a", "Title IV-A"),
        (Self::Idea, "idea", "IDEA"),
        (Self::Esser, "esser", "ESSER"),
        (Self::ERate, "e_rate", "E-Rate"),
        (Self::StateGrant, "state_grant", "State grant"),
        (Self::PrivateGrant, "private_grant", "Private grant"),
        (Self::Pto, "pto", "PTO / PTA"),
        (Self::Other, "other", "Other"),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OwnerRole {
    Evaluator,
    Manager,
    Purchaser,
    Trainer,
    PrivacySteward,
    TechnicalContact,
}

impl Vocabulary for OwnerRole {
    const NAME: &'static str = "owner role";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::Evaluator, "evaluator", "Evaluator"),
        (Self::Manager, "manager", "Manager"),
        (Self::Purchaser, "purchaser", "Purchaser"),
        (Self::Trainer, "trainer", "Trainer"),
        (Self::PrivacySteward, "privacy_steward", "Privacy steward"),
        (Self::TechnicalContact, "technical_contact", "Technical contact"),
    ];
}
