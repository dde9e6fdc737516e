//! Re-review by date: an approved product goes back into review a set number of days before its DPA expires or
//! a contract for it ends, or on a schedule per category.

use crate::fields::Pairs;
use crate::FieldErrors;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The district's re-review rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReReview {
    /// Days before a DPA expires; 0 turns the rule off.
    pub dpa_days: u32,
    /// Days before a contract ends; 0 turns the rule off.
    pub renewal_days: u32,
    /// Months between reviews, per category id.
    pub every_months: Vec<(i64, u32)>,
}

impl Default for ReReview {
    fn default() -> Self {
        ReReview { dpa_days: 60, renewal_days: 90, every_months: vec![] }
    }
}

/// What the rules read about one approved product with no open request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub product_id: i64,
    pub category_id: i64,
    pub dpa_expires: Option<NaiveDate>,
    /// The end dates of its contracts that have not ended.
    pub contract_ends: Vec<NaiveDate>,
    /// Its latest decision, or when it entered the inventory.
    pub last_reviewed: NaiveDate,
}

impl ReReview {
    /// Why the product is due for review `today`, or `None`.
    pub fn reason(&self, c: &Candidate, today: NaiveDate) -> Option<String> {
        let within =
            |end: NaiveDate, days: u32| days > 0 && end >= today && (end - today).num_days() <= i64::from(days);
        if let Some(d) = c.dpa_expires.filter(|d| within(*d, self.dpa_days)) {
            return Some(format!("Re-review: its DPA expires on {d}."));
        }
        if let Some(d) = c.contract_ends.iter().filter(|d| within(**d, self.renewal_days)).min() {
            return Some(format!("Re-review: a contract for it ends on {d}, before renewal."));
        }
        let (_, months) = self.every_months.iter().find(|(cat, m)| *cat == c.category_id && *m > 0)?;
        let due = c.last_reviewed.checked_add_months(Months::new(*months))?;
        (due <= today)
            .then(|| format!("Re-review: its category is reviewed every {months} months; last on {}.", c.last_reviewed))
    }

    /// `dpa_days`, `renewal_days`, and `every.CATEGORY_ID` months for each of `categories`.
    pub fn from_pairs(pairs: &[(String, String)], categories: &[i64]) -> Result<Self, FieldErrors> {
        let p = Pairs(pairs);
        let mut e = FieldErrors::new();
        let mut days = |field: &str, max: u32| -> u32 {
            let v = p.one(field);
            if v.is_empty() {
                return 0;
            }
            e.check(field, v.parse::<u32>().ok().filter(|n| *n <= max).ok_or(format!("give a number from 0 to {max}")))
                .unwrap_or(0)
        };
        let dpa_days = days("dpa_days", 365);
        let renewal_days = days("renewal_days", 365);
        let every_months =
            categories.iter().map(|c| (*c, days(&format!("every.{c}"), 120))).filter(|(_, m)| *m > 0).collect();
        e.into_result(ReReview { dpa_days, renewal_days, every_months })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn products_are_due_before_their_dpa_or_contract_ends_or_on_their_categorys_schedule() {
        let rules = ReReview { every_months: vec![(4, 12)], ..ReReview::default() };
        let today = day("2026-12-03");
        let mut c = Candidate {
            product_id: 1,
            category_id: 4,
            dpa_expires: Some(day("2027-01-31")),
            contract_ends: vec![],
            last_reviewed: day("2026-06-01"),
        };
        assert!(rules.reason(&c, today).unwrap().contains("DPA expires on 2027-01-31"));
        c.dpa_expires = Some(day("2027-03-01"));
        assert_eq!(rules.reason(&c, today), None, "89 days away");
        c.contract_ends = vec![day("2027-06-30"), day("2027-02-28")];
        assert!(rules.reason(&c, today).unwrap().contains("ends on 2027-02-28"));
        c.contract_ends.clear();
        c.last_reviewed = day("2025-12-03");
        assert!(rules.reason(&c, today).unwrap().contains("every 12 months"));
        c.category_id = 5;
        assert_eq!(rules.reason(&c, today), None);
        let off = ReReview { dpa_days: 0, renewal_days: 0, every_months: vec![] };
        c.dpa_expires = Some(today);
        assert_eq!(off.reason(&c, today), None);
    }

    #[test]
    fn rules_are_read_from_the_form() {
        let p = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        let r =
            ReReview::from_pairs(&[p("dpa_days", "30"), p("renewal_days", ""), p("every.4", "24")], &[4, 5]).unwrap();
        assert_eq!(r, ReReview { dpa_days: 30, renewal_days: 0, every_months: vec![(4, 24)] });
        let e = ReReview::from_pairs(&[p("dpa_days", "soon")], &[]).unwrap_err();
        assert!(e.get("dpa_days").is_some());
    }
}
