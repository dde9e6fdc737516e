//! Contracts and licenses: what was bought, by whom, for how many, for how much and how long.

use crate::enums::{FundingSource, LicenseModel, Vocabulary};
use crate::fields::{optional_date, optional_text, FieldErrors};
use crate::money::{Currency, Money};
use crate::product::parse_id;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A contract as submitted, every value still text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ContractDraft {
    pub product_id: String,
    /// Empty for a purchase by the district.
    pub school_id: String,
    pub license_model: String,
    pub seats: String,
    pub cost: String,
    pub currency: String,
    pub start_date: String,
    pub end_date: String,
    pub funding_source: String,
    pub purchase_order: String,
    pub auto_renew: bool,
    pub notice_days: String,
    pub notes: String,
}

/// A valid contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractInput {
    pub product_id: i64,
    pub school_id: Option<i64>,
    pub license_model: LicenseModel,
    pub seats: Option<i64>,
    pub cost: Money,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub funding_source: FundingSource,
    pub purchase_order: Option<String>,
    pub auto_renew: bool,
    pub notice_days: i64,
    pub notes: Option<String>,
}

impl ContractDraft {
    pub fn validate(&self) -> Result<ContractInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let product_id = e.check("product_id", parse_id(&self.product_id, "product"));
        let school_id = e.check(
            "school_id",
            if self.school_id.trim().is_empty() { Ok(None) } else { parse_id(&self.school_id, "school").map(Some) },
        );
        let license_model = e.check(
            "license_model",
            if self.license_model.trim().is_empty() {
                Err("is required".into())
            } else {
                LicenseModel::parse(&self.license_model)
            },
        );
        let seats = e.check("seats", parse_count(&self.seats, 10_000_000));
        let cost = e.check("cost", Money::parse_amount(&self.cost));
        let currency = e.check(
            "currency",
            if self.currency.trim().is_empty() { Ok(Currency::usd()) } else { Currency::parse(&self.currency) },
        );
        let start = e.check("start_date", required_date(&self.start_date));
        let end = e.check("end_date", required_date(&self.end_date));
        let funding_source = e.check(
            "funding_source",
            if self.funding_source.trim().is_empty() {
                Ok(FundingSource::GeneralFund)
            } else {
                FundingSource::parse(&self.funding_source)
            },
        );
        let purchase_order = e.check("purchase_order", optional_text(&self.purchase_order, 64));
        let notice_days = e.check(
            "notice_days",
            if self.notice_days.trim().is_empty() { Ok(Some(0)) } else { parse_count(&self.notice_days, 365) },
        );
        let notes = e.check("notes", optional_text(&self.notes, 4000));

        if let Some(model) = license_model {
            match (model.counts_seats(), seats.flatten()) {
                (true, None) => {
                    e.add("seats", format!("a {} license needs the number bought", model.label().to_lowercase()))
                }
                (true, Some(0)) => e.add("seats", "must be at least 1"),
                _ => {}
            }
            if model == LicenseModel::Free && cost.is_some_and(|c| c != 0) {
                e.add("cost", "a free license costs 0");
            }
        }
        if let (Some(s), Some(t)) = (start, end) {
            if t < s {
                e.add("end_date", "must not be before the start date");
            } else if (t - s).num_days() > 366 * 10 {
                e.add("end_date", "a term may be at most ten years");
            }
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ContractInput {
            product_id: product_id.unwrap_or_default(),
            school_id: school_id.flatten(),
            license_model: license_model.expect("checked"),
            seats: seats.flatten(),
            cost: Money::new(cost.unwrap_or_default(), currency.expect("checked")),
            start_date: start.expect("checked"),
            end_date: end.expect("checked"),
            funding_source: funding_source.expect("checked"),
            purchase_order: purchase_order.flatten(),
            auto_renew: self.auto_renew,
            notice_days: notice_days.flatten().unwrap_or(0),
            notes: notes.flatten(),
        })
    }
}

fn required_date(v: &str) -> Result<NaiveDate, String> {
    optional_date(v)?.ok_or_else(|| "is required (YYYY-MM-DD)".to_owned())
}

fn parse_count(v: &str, max: i64) -> Result<Option<i64>, String> {
    let t = v.trim().replace(',', "");
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(n) if (0..=max).contains(&n) => Ok(Some(n)),
        Ok(_) => Err(format!("'{}' must be between 0 and {max}", v.trim())),
        Err(_) => Err(format!("'{}' is not a whole number", v.trim())),
    }
}

impl ContractInput {
    pub fn to_draft(&self) -> ContractDraft {
        ContractDraft {
            product_id: self.product_id.to_string(),
            school_id: self.school_id.map(|s| s.to_string()).unwrap_or_default(),
            license_model: self.license_model.code().into(),
            seats: self.seats.map(|s| s.to_string()).unwrap_or_default(),
            cost: Money::plain(self.cost.minor),
            currency: self.cost.currency.as_str().into(),
            start_date: self.start_date.to_string(),
            end_date: self.end_date.to_string(),
            funding_source: self.funding_source.code().into(),
            purchase_order: self.purchase_order.clone().unwrap_or_default(),
            auto_renew: self.auto_renew,
            notice_days: self.notice_days.to_string(),
            notes: self.notes.clone().unwrap_or_default(),
        }
    }
}

/// Term length in whole months, rounded, at least one.
pub fn term_months(start: NaiveDate, end: NaiveDate) -> i64 {
    // Inclusive days; 365.25 / 12 days to the month, computed in quarter-days to stay in integers.
    let days = (end - start).num_days() + 1;
    ((days * 4 * 12 + 1461 / 2) / 1461).max(1)
}

/// The cost of one year of a contract, rounded half up to the cent.
pub fn annualized_minor(cost_minor: i64, start: NaiveDate, end: NaiveDate) -> i64 {
    let months = i128::from(term_months(start, end));
    let num = i128::from(cost_minor) * 12;
    ((num + months / 2) / months) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn draft() -> ContractDraft {
        ContractDraft {
            product_id: "1".into(),
            license_model: "per_student".into(),
            seats: "1,200".into(),
            cost: "14,400.00".into(),
            start_date: "2026-07-01".into(),
            end_date: "2027-06-30".into(),
            notice_days: "60".into(),
            ..Default::default()
        }
    }

    #[test]
    fn valid_contract() {
        let c = draft().validate().unwrap();
        assert_eq!(c.seats, Some(1200));
        assert_eq!(c.cost.minor, 1_440_000);
        assert_eq!(c.school_id, None);
        assert_eq!(c.to_draft().validate().unwrap(), c);
    }

    #[test]
    fn model_rules() {
        let mut c = draft();
        c.seats = String::new();
        assert!(c.validate().unwrap_err().get("seats").unwrap().contains("per student"));
        c.license_model = "site".into();
        assert!(c.validate().is_ok());
        c.license_model = "free".into();
        assert_eq!(c.validate().unwrap_err().get("cost"), Some("a free license costs 0"));
    }

    #[test]
    fn dates_and_numbers() {
        let mut c = draft();
        c.end_date = "2026-06-30".into();
        c.seats = "-4".into();
        c.notice_days = "400".into();
        let e = c.validate().unwrap_err();
        assert!(e.get("end_date").is_some() && e.get("seats").is_some() && e.get("notice_days").is_some());
    }

    #[test]
    fn annualizing() {
        assert_eq!(term_months(d("2026-07-01"), d("2027-06-30")), 12);
        assert_eq!(term_months(d("2024-07-01"), d("2025-06-30")), 12);
        assert_eq!(term_months(d("2026-07-01"), d("2029-06-30")), 36);
        assert_eq!(annualized_minor(300_000, d("2026-07-01"), d("2029-06-30")), 100_000);
        assert_eq!(annualized_minor(100_001, d("2026-07-01"), d("2027-06-30")), 100_001);
        assert_eq!(annualized_minor(50_000, d("2026-01-01"), d("2026-06-30")), 100_000);
    }
}
