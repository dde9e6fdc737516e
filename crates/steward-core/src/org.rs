//! Organizations: a state, its districts, and their schools, with their OneRoster and NCES ids.

use crate::enums::Vocabulary;
use crate::fields::{optional_text, required_text, FieldErrors};
use crate::grade::GradeBand;
use crate::product::parse_id;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    State,
    District,
    School,
}

impl Vocabulary for OrgKind {
    const NAME: &'static str = "organization kind";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::State, "state", "State"),
        (Self::District, "district", "District"),
        (Self::School, "school", "School"),
    ];
}

impl OrgKind {
    /// The kind a parent must be, if a parent is required.
    pub fn parent_kind(self) -> Option<OrgKind> {
        match self {
            Self::State => None,
            Self::District => Some(Self::State),
            Self::School => Some(Self::District),
        }
    }

    /// NCES ids: 7 digits for a district (LEA), 12 for a school.
    fn nces_len(self) -> Option<usize> {
        match self {
            Self::State => None,
            Self::District => Some(7),
            Self::School => Some(12),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SchoolLevel {
    Elementary,
    Middle,
    High,
    K8,
    K12,
    Other,
}

impl Vocabulary for SchoolLevel {
    const NAME: &'static str = "school level";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::Elementary, "elementary", "Elementary"),
        (Self::Middle, "middle", "Middle"),
        (Self::High, "high", "High"),
        (Self::K8, "k8", "K–8"),
        (Self::K12, "k12", "K–12"),
        (Self::Other, "other", "Other"),
    ];
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OrgDraft {
    pub kind: String,
    pub parent_id: String,
    pub name: String,
    pub sourced_id: String,
    pub nces_id: String,
    pub school_level: String,
    pub grades: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgInput {
    pub kind: OrgKind,
    pub parent_id: Option<i64>,
    pub name: String,
    pub sourced_id: Option<String>,
    pub nces_id: Option<String>,
    pub school_level: Option<SchoolLevel>,
    pub grades: Option<GradeBand>,
}

impl OrgDraft {
    /// Validates the fields; that the parent exists and is of the right kind is the store's check.
    pub fn validate(&self) -> Result<OrgInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.check(
            "kind",
            if self.kind.trim().is_empty() { Err("is required".into()) } else { OrgKind::parse(&self.kind) },
        );
        let parent_id = e.check(
            "parent_id",
            if self.parent_id.trim().is_empty() {
                Ok(None)
            } else {
                parse_id(&self.parent_id, "parent organization").map(Some)
            },
        );
        let name = e.check("name", required_text(&self.name, 200));
        let sourced_id = e.check("sourced_id", optional_text(&self.sourced_id, 255));
        if sourced_id.as_ref().is_some_and(|s| s.as_deref().is_some_and(|s| s.chars().any(char::is_whitespace))) {
            e.add("sourced_id", "must not contain spaces");
        }
        let nces_id = e.check("nces_id", optional_text(&self.nces_id, 12));
        let school_level = e.check(
            "school_level",
            if self.school_level.trim().is_empty() {
                Ok(None)
            } else {
                SchoolLevel::parse(&self.school_level).map(Some)
            },
        );
        let grades = e.check(
            "grades",
            if self.grades.trim().is_empty() { Ok(None) } else { GradeBand::parse(&self.grades).map(Some) },
        );
        if let Some(kind) = kind {
            if let Some(Some(nces)) = &nces_id {
                match kind.nces_len() {
                    None => e.add("nces_id", "a state has no NCES id"),
                    Some(n) if nces.len() != n || !nces.bytes().all(|b| b.is_ascii_digit()) => {
                        e.add("nces_id", format!("an NCES {} id is {n} digits", kind.label().to_lowercase()))
                    }
                    _ => {}
                }
            }
            if kind.parent_kind().is_some() && matches!(parent_id, Some(None)) && kind == OrgKind::School {
                e.add("parent_id", "a school belongs to a district");
            }
            if kind == OrgKind::State && matches!(parent_id, Some(Some(_))) {
                e.add("parent_id", "a state has no parent organization");
            }
            if kind != OrgKind::School && matches!(school_level, Some(Some(_))) {
                e.add("school_level", "only a school has a level");
            }
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(OrgInput {
            kind: kind.expect("checked"),
            parent_id: parent_id.flatten(),
            name: name.unwrap_or_default(),
            sourced_id: sourced_id.flatten(),
            nces_id: nces_id.flatten(),
            school_level: school_level.flatten(),
            grades: grades.flatten(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schools_need_a_district_and_a_twelve_digit_nces_id() {
        let mut d = OrgDraft {
            kind: "school".into(),
            name: "Lincoln Elementary".into(),
            nces_id: "12345".into(),
            ..Default::default()
        };
        let e = d.validate().unwrap_err();
        assert!(e.get("parent_id").is_some());
        assert!(e.get("nces_id").unwrap().contains("12 digits"));
        d.parent_id = "2".into();
        d.nces_id = "063441005678".into();
        d.school_level = "elementary".into();
        d.grades = "K-5".into();
        let o = d.validate().unwrap();
        assert_eq!(o.parent_id, Some(2));
        assert_eq!(o.grades.unwrap().to_string(), "K–5");
    }

    #[test]
    fn sourced_ids_have_no_spaces() {
        let d = OrgDraft { kind: "district".into(), name: "D".into(), sourced_id: "a b".into(), ..Default::default() };
        assert!(d.validate().unwrap_err().get("sourced_id").is_some());
    }
}
