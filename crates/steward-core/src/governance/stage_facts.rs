//! What a reviewer records in a stage besides the decision: the privacy review's facts, the curricular review's
//! subjects, evidence and alignment, the accessibility review's conformance, the budget review's funding. The
//! product's record follows what the review found.

use super::privacy::{PrivacyDraft, PrivacyFacts};
use super::StageKind;
use crate::enums::*;
use crate::fields::{optional_date, optional_text, optional_url, Pairs};
use crate::money::Money;
use crate::product::{one, ProductInput};
use crate::FieldErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum StageFacts {
    Privacy {
        data_elements: Vec<DataElement>,
        third_parties: Option<String>,
        dpa_status: DpaStatus,
        dpa_expires: Option<NaiveDate>,
        facts: Box<PrivacyFacts>,
    },
    Curricular {
        subjects: Vec<Subject>,
        essa_tier: EssaTier,
        alignment: Option<String>,
    },
    Accessibility {
        wcag: WcagLevel,
        vpat_url: Option<String>,
        notes: Option<String>,
    },
    Budget {
        funding: FundingSource,
        /// The yearly cost the budget reviewer confirmed, in minor units.
        cost_minor: i64,
        notes: Option<String>,
    },
}

impl StageFacts {
    /// The facts a stage of `kind` records, read from its form; the technical stage records its checklist instead.
    pub fn from_pairs(kind: StageKind, pairs: &[(String, String)]) -> Result<Option<Self>, FieldErrors> {
        let p = Pairs(pairs);
        let mut e = FieldErrors::new();
        let facts = match kind {
            StageKind::Technical => None,
            StageKind::Privacy => {
                let draft = PrivacyDraft {
                    purposes: p.one("purposes"),
                    subcontractors: p.one("subcontractors"),
                    advertising: p.one("advertising"),
                    coppa_consent: p.one("coppa_consent"),
                    deletion: p.one("deletion"),
                    storage: p.one("storage"),
                    challenge: p.one("challenge"),
                    dpa_requested: p.one("dpa_requested"),
                    dpa_signed: p.one("dpa_signed"),
                    ndpa_version: p.one("ndpa_version"),
                    vendor_signatory: p.one("vendor_signatory"),
                    district_signatory: p.one("district_signatory"),
                    general_offer: p.one("general_offer"),
                    dpa_url: p.one("dpa_url"),
                };
                let facts = match draft.validate() {
                    Ok(f) => Some(f),
                    Err(errors) => {
                        errors.iter().for_each(|x| e.add(&x.field, x.message.clone()));
                        None
                    }
                };
                let data_elements = e.check("data_elements", DataElement::parse_list(&p.many("data_elements")));
                let third_parties = e.check("third_parties", optional_text(&p.one("third_parties"), 1000));
                let dpa_status = e.check("dpa_status", one(&p.one("dpa_status"), Some(DpaStatus::None)));
                let dpa_expires = e.check("dpa_expires", optional_date(&p.one("dpa_expires")));
                if let (Some(DpaStatus::Signed), Some(f)) = (dpa_status, &facts) {
                    if f.dpa_signed.is_none() {
                        e.add("dpa_signed", "give the day a signed DPA was signed");
                    }
                }
                match (data_elements, third_parties, dpa_status, dpa_expires, facts) {
                    (Some(data_elements), Some(third_parties), Some(dpa_status), Some(dpa_expires), Some(facts)) => {
                        Some(StageFacts::Privacy {
                            data_elements,
                            third_parties,
                            dpa_status,
                            dpa_expires,
                            facts: Box::new(facts),
                        })
                    }
                    _ => None,
                }
            }
            StageKind::Curricular => {
                let subjects = e.check("subjects", Subject::parse_list(&p.many("subjects")));
                let essa_tier = e.check("essa_tier", one(&p.one("essa_tier"), Some(EssaTier::None)));
                let alignment = e.check("alignment", optional_text(&p.one("alignment"), 4000));
                match (subjects, essa_tier, alignment) {
                    (Some(subjects), Some(essa_tier), Some(alignment)) => {
                        Some(StageFacts::Curricular { subjects, essa_tier, alignment })
                    }
                    _ => None,
                }
            }
            StageKind::Accessibility => {
                let wcag = e.check("wcag", one(&p.one("wcag"), Some(WcagLevel::Unknown)));
                let vpat_url = e.check("vpat_url", optional_url(&p.one("vpat_url")));
                let notes = e.check("accessibility_notes", optional_text(&p.one("accessibility_notes"), 4000));
                match (wcag, vpat_url, notes) {
                    (Some(wcag), Some(vpat_url), Some(notes)) => {
                        Some(StageFacts::Accessibility { wcag, vpat_url, notes })
                    }
                    _ => None,
                }
            }
            StageKind::Budget => {
                let funding = e.check("funding", one(&p.one("funding"), Some(FundingSource::GeneralFund)));
                let cost = p.one("confirmed_cost");
                let cost_minor =
                    e.check("confirmed_cost", if cost.is_empty() { Ok(0) } else { Money::parse_amount(&cost) });
                let notes = e.check("budget_notes", optional_text(&p.one("budget_notes"), 4000));
                match (funding, cost_minor, notes) {
                    (Some(funding), Some(cost_minor), Some(notes)) => {
                        Some(StageFacts::Budget { funding, cost_minor, notes })
                    }
                    _ => None,
                }
            }
        };
        e.into_result(facts)
    }

    /// The product's record with what the review found.
    pub fn apply(&self, p: &mut ProductInput) {
        match self {
            StageFacts::Privacy { data_elements, third_parties, dpa_status, dpa_expires, .. } => {
                p.data_elements = data_elements.clone();
                p.third_parties = third_parties.clone();
                p.dpa_status = *dpa_status;
                p.dpa_expires = *dpa_expires;
            }
            StageFacts::Curricular { subjects, essa_tier, .. } => {
                p.subjects = subjects.clone();
                p.essa_tier = *essa_tier;
            }
            StageFacts::Accessibility { wcag, vpat_url, .. } => {
                p.wcag = *wcag;
                p.vpat_url = vpat_url.clone();
            }
            StageFacts::Budget { .. } => {}
        }
    }

    /// The privacy facts the review recorded, if it was the privacy review.
    pub fn privacy(&self) -> Option<&PrivacyFacts> {
        match self {
            StageFacts::Privacy { facts, .. } => Some(facts),
            _ => None,
        }
    }

    /// Whether the product's record changes with these facts.
    pub fn changes_product(&self) -> bool {
        !matches!(self, StageFacts::Budget { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    #[test]
    fn the_privacy_review_records_the_dpa_and_the_data_collected() {
        let form = [
            p("data_elements", "name"),
            p("data_elements", "email"),
            p("dpa_status", "signed"),
            p("dpa_expires", "2028-06-30"),
            p("purposes", "Practice"),
        ];
        let e = StageFacts::from_pairs(StageKind::Privacy, &form).unwrap_err();
        assert!(e.get("dpa_signed").is_some(), "a signed DPA has its date: {e}");
        let mut form = form.to_vec();
        form.push(p("dpa_signed", "2026-11-30"));
        let facts = StageFacts::from_pairs(StageKind::Privacy, &form).unwrap().unwrap();
        let mut product = crate::product::ProductDraft {
            name: "X".into(),
            vendor_id: "1".into(),
            category_id: "1".into(),
            grades: "K-5".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        facts.apply(&mut product);
        assert_eq!(product.data_elements, vec![DataElement::Name, DataElement::Email]);
        assert_eq!(product.dpa_status, DpaStatus::Signed);
        assert_eq!(facts.privacy().unwrap().purposes.as_deref(), Some("Practice"));
    }

    #[test]
    fn other_stages_record_their_own_facts() {
        assert_eq!(StageFacts::from_pairs(StageKind::Technical, &[]), Ok(None));
        let c = StageFacts::from_pairs(StageKind::Curricular, &[p("subjects", "math"), p("essa_tier", "moderate")]);
        assert!(matches!(c, Ok(Some(StageFacts::Curricular { essa_tier: EssaTier::Moderate, .. }))));
        let e =
            StageFacts::from_pairs(StageKind::Accessibility, &[p("wcag", "aaa+"), p("vpat_url", "nope")]).unwrap_err();
        assert!(e.get("wcag").is_some() && e.get("vpat_url").is_some());
        let b = StageFacts::from_pairs(StageKind::Budget, &[p("funding", "title_i"), p("confirmed_cost", "4,500")]);
        assert!(matches!(b, Ok(Some(StageFacts::Budget { cost_minor: 450_000, .. }))));
    }
}
