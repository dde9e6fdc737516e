//! A request for a product as a teacher or school administrator submits it, and the decisions made on it: each
//! stage's, and the final one with its conditions and scope.

use super::checklist::Outcome;
use crate::enums::*;
use crate::fields::{optional_text, optional_url, required_text};
use crate::grade::GradeBand;
use crate::money::Money;
use crate::product::{one, parse_id, parse_ids};
use crate::FieldErrors;
use serde::{Deserialize, Serialize};

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    InReview,
    NeedsInfo,
    AwaitingDecision,
    Approved,
    ApprovedWithConditions,
    Denied,
}

impl Vocabulary for RequestStatus {
    const NAME: &'static str = "request status";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::InReview, "in_review", "In review"),
        (Self::NeedsInfo, "needs_info", "Needs information"),
        (Self::AwaitingDecision, "awaiting_decision", "Awaiting decision"),
        (Self::Approved, "approved", "Approved"),
        (Self::ApprovedWithConditions, "approved_with_conditions", "Approved with conditions"),
        (Self::Denied, "denied", "Denied"),
    ];
}

impl RequestStatus {
    pub fn is_open(self) -> bool {
        matches!(self, Self::InReview | Self::NeedsInfo | Self::AwaitingDecision)
    }
}

/// Where one stage of a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageStatus {
    Waiting,
    Active,
    NeedsInfo,
    Passed,
    Failed,
}

impl Vocabulary for StageStatus {
    const NAME: &'static str = "stage status";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::Waiting, "waiting", "Waiting"),
        (Self::Active, "active", "Under review"),
        (Self::NeedsInfo, "needs_info", "Needs information"),
        (Self::Passed, "passed", "Passed"),
        (Self::Failed, "failed", "Failed"),
    ];
}

/// A request as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RequestDraft {
    /// A product already in the inventory, or blank to describe a new one.
    pub product_id: String,
    pub name: String,
    pub vendor_name: String,
    pub website: String,
    pub category_id: String,
    pub purpose: String,
    pub grades: String,
    pub schools: Vec<String>,
    pub expected_users: String,
    /// The yearly cost.
    pub cost: String,
    /// For a new product: the student data the requester knows it collects.
    pub data_elements: Vec<String>,
}

/// The product a request is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Requested {
    Existing(i64),
    New { name: String, vendor_name: String, website: Option<String>, category_id: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestInput {
    pub product: Requested,
    pub purpose: String,
    pub grades: GradeBand,
    /// Steward school ids; never empty.
    pub schools: Vec<i64>,
    pub expected_users: u32,
    pub cost_minor: i64,
    pub data_elements: Vec<DataElement>,
}

impl RequestDraft {
    /// The draft from a form's pairs (its schools and data elements repeat).
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let p = crate::fields::Pairs(pairs);
        RequestDraft {
            product_id: p.one("product_id"),
            name: p.one("name"),
            vendor_name: p.one("vendor_name"),
            website: p.one("website"),
            category_id: p.one("category_id"),
            purpose: p.one("purpose"),
            grades: p.one("grades"),
            schools: p.many("schools"),
            expected_users: p.one("expected_users"),
            cost: p.one("cost"),
            data_elements: p.many("data_elements"),
        }
    }

    pub fn validate(&self) -> Result<RequestInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let product = if self.product_id.trim().is_empty() {
            let name = e.check(
                "name",
                required_text(&self.name, 200).map_err(|m| format!("{m}: name the product, or choose one")),
            );
            let vendor_name = e.check("vendor_name", required_text(&self.vendor_name, 200));
            let website = e.check("website", optional_url(&self.website));
            let category_id = e.check("category_id", parse_id(&self.category_id, "category"));
            match (name, vendor_name, website, category_id) {
                (Some(name), Some(vendor_name), Some(website), Some(category_id)) => {
                    Some(Requested::New { name, vendor_name, website, category_id })
                }
                _ => None,
            }
        } else {
            e.check("product_id", parse_id(&self.product_id, "product")).map(Requested::Existing)
        };
        let purpose = e.check("purpose", required_text(&self.purpose, 2000));
        let grades = e.check(
            "grades",
            if self.grades.trim().is_empty() {
                Err("is required, such as K-5".into())
            } else {
                GradeBand::parse(&self.grades)
            },
        );
        let schools = e.check("schools", parse_ids(&self.schools, "school"));
        if schools.as_ref().is_some_and(Vec::is_empty) {
            e.add("schools", "choose the schools it would be used in");
        }
        let users = self.expected_users.trim().replace(',', "");
        let expected_users = e.check(
            "expected_users",
            users
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=5_000_000).contains(n))
                .ok_or(format!("'{users}' is not a number of users")),
        );
        let cost_minor =
            e.check("cost", if self.cost.trim().is_empty() { Ok(0) } else { Money::parse_amount(&self.cost) });
        let data_elements = e.check("data_elements", DataElement::parse_list(&self.data_elements));
        e.into_result(())?;
        Ok(RequestInput {
            product: product.expect("checked"),
            purpose: purpose.expect("checked"),
            grades: grades.expect("checked"),
            schools: schools.expect("checked"),
            expected_users: expected_users.expect("checked"),
            cost_minor: cost_minor.expect("checked"),
            data_elements: data_elements.expect("checked"),
        })
    }
}

/// A stage reviewer's decision as submitted: `pass`, `fail` (with the reason) or `needs_info` (with the question).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StageDecisionDraft {
    pub decision: String,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageDecision {
    Pass,
    Fail,
    NeedsInfo,
}

impl StageDecisionDraft {
    pub fn validate(&self) -> Result<(StageDecision, Option<String>), FieldErrors> {
        let mut e = FieldErrors::new();
        let decision = match self.decision.trim() {
            "pass" => Some(StageDecision::Pass),
            "fail" => Some(StageDecision::Fail),
            "needs_info" => Some(StageDecision::NeedsInfo),
            "" => {
                e.add("decision", "choose pass, fail or needs information");
                None
            }
            other => {
                e.add("decision", format!("'{other}' is not a decision; expected pass, fail or needs_info"));
                None
            }
        };
        let note = e.check("note", optional_text(&self.note, 4000)).flatten();
        match decision {
            Some(StageDecision::Fail) if note.is_none() => e.add("note", "give the reason it fails"),
            Some(StageDecision::NeedsInfo) if note.is_none() => {
                e.add("note", "ask the requester what you need to know")
            }
            _ => {}
        }
        e.into_result(())?;
        Ok((decision.expect("checked"), note))
    }
}

/// A reviewer's override of one checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckOverride {
    pub item: String,
    pub outcome: Outcome,
    pub note: String,
}

/// Conditions an approval may carry, besides its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalCondition {
    TeacherAccountsOnly,
    NoStudentPersonalData,
    SignedDpaBeforeUse,
    ParentalConsent,
    PilotOnly,
}

impl Vocabulary for ApprovalCondition {
    const NAME: &'static str = "approval condition";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::TeacherAccountsOnly, "teacher_accounts_only", "Teacher accounts only"),
        (Self::NoStudentPersonalData, "no_student_personal_data", "No student personal data may be entered"),
        (Self::SignedDpaBeforeUse, "signed_dpa_before_use", "Not used before the DPA is signed"),
        (Self::ParentalConsent, "parental_consent", "Parental consent first"),
        (Self::PilotOnly, "pilot_only", "A pilot only, reviewed again at its end"),
    ];
}

/// The final decision as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FinalDecisionDraft {
    pub decision: String,
    pub reason: String,
    pub conditions: Vec<String>,
    pub conditions_text: String,
    pub scope: String,
    pub scope_schools: Vec<String>,
    pub scope_grades: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinalDecision {
    /// Approved, approved with conditions, or denied.
    pub status: ProductStatus,
    pub reason: Option<String>,
    pub conditions: Vec<ApprovalCondition>,
    pub conditions_text: Option<String>,
    pub scope: Scope,
    pub scope_schools: Vec<i64>,
    pub scope_grades: Option<GradeBand>,
}

impl FinalDecisionDraft {
    pub fn validate(&self) -> Result<FinalDecision, FieldErrors> {
        let mut e = FieldErrors::new();
        let status = match self.decision.trim() {
            "" => {
                e.add("decision", "choose approve, approve with conditions or deny");
                None
            }
            d => e.check("decision", ProductStatus::parse(d)).filter(|s| {
                let ok = s.is_approved() || *s == ProductStatus::Denied;
                if !ok {
                    e.add("decision", "a decision approves, approves with conditions or denies");
                }
                ok
            }),
        };
        let reason = e.check("reason", optional_text(&self.reason, 4000)).flatten();
        let conditions = e.check("conditions", ApprovalCondition::parse_list(&self.conditions)).unwrap_or_default();
        let conditions_text = e.check("conditions_text", optional_text(&self.conditions_text, 4000)).flatten();
        let scope = e.check("scope", one(&self.scope, Some(Scope::DistrictWide)));
        let scope_schools = e.check("scope_schools", parse_ids(&self.scope_schools, "school")).unwrap_or_default();
        let scope_grades = e.check(
            "scope_grades",
            if self.scope_grades.trim().is_empty() { Ok(None) } else { GradeBand::parse(&self.scope_grades).map(Some) },
        );
        match status {
            Some(ProductStatus::Denied) if reason.is_none() => e.add("reason", "give the reason it is denied"),
            Some(ProductStatus::ApprovedWithConditions) if conditions.is_empty() && conditions_text.is_none() => {
                e.add("conditions_text", "state the conditions")
            }
            Some(ProductStatus::Approved) if !conditions.is_empty() || conditions_text.is_some() => {
                e.add("decision", "an approval with conditions is 'approve with conditions'")
            }
            _ => {}
        }
        match scope {
            Some(Scope::SomeSchools) if scope_schools.is_empty() => e.add("scope_schools", "choose the schools"),
            Some(Scope::SomeGrades) if scope_grades.flatten().is_none() => e.add("scope_grades", "give the grades"),
            _ => {}
        }
        e.into_result(())?;
        let scope = scope.expect("checked");
        Ok(FinalDecision {
            status: status.expect("checked"),
            reason,
            conditions,
            conditions_text,
            scope,
            scope_schools: if scope == Scope::SomeSchools { scope_schools } else { vec![] },
            scope_grades: if scope == Scope::SomeGrades { scope_grades.flatten() } else { None },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_for_a_new_product_names_every_missing_field() {
        let e = RequestDraft { expected_users: "lots".into(), cost: "12.345".into(), ..Default::default() }
            .validate()
            .unwrap_err();
        for f in ["name", "vendor_name", "category_id", "purpose", "grades", "schools", "expected_users", "cost"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
        let ok = RequestDraft {
            product_id: "4".into(),
            purpose: "Fractions practice".into(),
            grades: "3-5".into(),
            schools: vec!["2".into()],
            expected_users: "1,200".into(),
            cost: "$4,500".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!((ok.product, ok.expected_users, ok.cost_minor), (Requested::Existing(4), 1200, 450_000));
    }

    #[test]
    fn stage_decisions_need_a_reason_to_fail_or_a_question() {
        let d =
            |decision: &str, note: &str| StageDecisionDraft { decision: decision.into(), note: note.into() }.validate();
        assert_eq!(d("pass", ""), Ok((StageDecision::Pass, None)));
        assert!(d("fail", "").unwrap_err().get("note").is_some());
        assert!(d("needs_info", " ").unwrap_err().get("note").is_some());
        assert!(d("maybe", "").unwrap_err().get("decision").is_some());
    }

    #[test]
    fn final_decisions_carry_their_reason_conditions_and_scope() {
        let deny = FinalDecisionDraft { decision: "denied".into(), ..Default::default() };
        assert!(deny.validate().unwrap_err().get("reason").is_some());
        let cond = FinalDecisionDraft {
            decision: "approved_with_conditions".into(),
            conditions: vec!["teacher_accounts_only".into()],
            scope: "some_grades".into(),
            scope_grades: "6-8".into(),
            ..Default::default()
        };
        let d = cond.validate().unwrap();
        assert_eq!(d.conditions, vec![ApprovalCondition::TeacherAccountsOnly]);
        assert_eq!(d.scope_grades, Some(GradeBand::parse("6-8").unwrap()));
        let bad = FinalDecisionDraft { decision: "retired".into(), scope: "some_schools".into(), ..Default::default() };
        let e = bad.validate().unwrap_err();
        assert!(e.get("decision").is_some() && e.get("scope_schools").is_some(), "{e}");
    }
}
