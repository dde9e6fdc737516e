//! The roles a person holds in Steward, each at the district or at one school.

use crate::enums::Vocabulary;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    DistrictAdmin,
    TechnologyReviewer,
    PrivacyReviewer,
    CurriculumReviewer,
    Finance,
    SchoolAdmin,
    Teacher,
    Student,
}

impl Vocabulary for Role {
    const NAME: &'static str = "role";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::DistrictAdmin, "district_admin", "District administrator"),
        (Self::TechnologyReviewer, "technology_reviewer", "Technology reviewer"),
        (Self::PrivacyReviewer, "privacy_reviewer", "Privacy reviewer"),
        (Self::CurriculumReviewer, "curriculum_reviewer", "Curriculum reviewer"),
        (Self::Finance, "finance", "Finance"),
        (Self::SchoolAdmin, "school_admin", "School administrator"),
        (Self::Teacher, "teacher", "Teacher"),
        (Self::Student, "student", "Student"),
    ];
}

impl Role {
    /// Whether the role must be held at one school rather than the district.
    pub fn requires_school(self) -> bool {
        matches!(self, Self::SchoolAdmin | Self::Teacher | Self::Student)
    }

    /// Whether the role may only be held at the district.
    pub fn district_only(self) -> bool {
        matches!(
            self,
            Self::DistrictAdmin
                | Self::TechnologyReviewer
                | Self::PrivacyReviewer
                | Self::CurriculumReviewer
                | Self::Finance
        )
    }

    /// Checks that the role is held at the right level: `school` is the school id, if any.
    pub fn check_placement(self, school: Option<i64>) -> Result<(), String> {
        match (self.requires_school(), school) {
            (true, None) => Err(format!("a {} must belong to a school", self.label().to_lowercase())),
            (false, Some(_)) if self.district_only() => {
                Err(format!("a {} is held at the district, not at a school", self.label().to_lowercase()))
            }
            _ => Ok(()),
        }
    }
}
