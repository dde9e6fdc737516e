//! Spend: contracts' cost per year, summed by any key, kept per currency so nothing is converted.

use crate::contract::{annualized_minor, ContractInput};
use crate::money::{Currency, Money};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Amounts per currency, exact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals(BTreeMap<Currency, i64>);

impl Totals {
    pub fn add(&mut self, m: &Money) {
        *self.0.entry(m.currency.clone()).or_insert(0) += m.minor;
    }

    /// The amount in the district's main currency (USD when present), for sorting and charts.
    pub fn primary_minor(&self) -> i64 {
        self.0.get(&Currency::usd()).copied().or_else(|| self.0.values().next().copied()).unwrap_or(0)
    }

    pub fn amounts(&self) -> Vec<Money> {
        self.0.iter().map(|(c, m)| Money::new(*m, c.clone())).collect()
    }
}

impl std::fmt::Display for Totals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            return write!(f, "{}", Money::new(0, Currency::usd()));
        }
        let parts: Vec<String> = self.amounts().iter().map(ToString::to_string).collect();
        f.write_str(&parts.join(" + "))
    }
}

/// Whether the contract is in force on `day`.
pub fn in_force(c: &ContractInput, day: NaiveDate) -> bool {
    c.start_date <= day && day <= c.end_date
}

/// The annual cost of one contract.
pub fn annual_cost(c: &ContractInput) -> Money {
    Money::new(annualized_minor(c.cost.minor, c.start_date, c.end_date), c.cost.currency.clone())
}

/// Annual spend of the contracts in force on `day`, summed by key, largest first.
pub fn annual_spend_by<'a, K: Ord + Clone>(
    items: impl IntoIterator<Item = (K, &'a ContractInput)>,
    day: NaiveDate,
) -> Vec<(K, Totals)> {
    let mut by: BTreeMap<K, Totals> = BTreeMap::new();
    for (k, c) in items.into_iter().filter(|(_, c)| in_force(c, day)) {
        by.entry(k).or_default().add(&annual_cost(c));
    }
    let mut out: Vec<(K, Totals)> = by.into_iter().collect();
    out.sort_by(|a, b| b.1.primary_minor().cmp(&a.1.primary_minor()).then_with(|| a.0.cmp(&b.0)));
    out
}

/// The sum of all the totals.
pub fn grand_total<'a>(rows: impl IntoIterator<Item = &'a Totals>) -> Totals {
    let mut t = Totals::default();
    for row in rows {
        for m in row.amounts() {
            t.add(&m);
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::ContractDraft;

    fn c(cost: &str, currency: &str, start: &str, end: &str) -> ContractInput {
        ContractDraft {
            product_id: "1".into(),
            license_model: "site".into(),
            cost: cost.into(),
            currency: currency.into(),
            start_date: start.into(),
            end_date: end.into(),
            ..Default::default()
        }
        .validate()
        .unwrap()
    }

    #[test]
    fn sums_annual_cost_of_contracts_in_force_by_key() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let a = c("3000", "USD", "2026-07-01", "2029-06-30");
        let b = c("500.50", "USD", "2026-07-01", "2027-06-30");
        let old = c("9999", "USD", "2024-07-01", "2025-06-30");
        let eur = c("100", "EUR", "2026-07-01", "2027-06-30");
        let rows = annual_spend_by([("math", &a), ("math", &b), ("ela", &old), ("ela", &eur)], day);
        assert_eq!(rows[0].0, "math");
        assert_eq!(rows[0].1.to_string(), "$1,500.50");
        assert_eq!(rows[1].1.to_string(), "€100.00 EUR");
        assert_eq!(grand_total(rows.iter().map(|r| &r.1)).to_string(), "€100.00 EUR + $1,500.50");
    }
}
