//! The waste finder: from each contract in force and the distinct people who used it, the findings a district acts
//! on, each with its evidence, an estimate in dollars and the recommended action. Contracts with no use at all,
//! seats bought but not used, one product bought several times, and seats to move between schools before buying
//! more. Each finding has a stable key, so a dismissal (with its reason) holds until the facts change.

use crate::enums::{LicenseModel, Vocabulary};
use crate::money::Money;
use serde::Serialize;
use std::collections::BTreeMap;

/// Below this share of its seats used over 90 days, a contract is under-used.
pub const UNDER_USED: f64 = 0.8;
/// Room left above the people who used a product when it is right-sized, in tenths (a tenth more).
pub const HEADROOM_TENTHS: u64 = 1;
/// A contract younger than this has not had time to be used.
pub const SETTLING_DAYS: i64 = 30;

/// What the finder knows of one contract in force.
#[derive(Debug, Clone)]
pub struct ContractUse {
    pub id: i64,
    pub product_id: i64,
    pub product: String,
    /// `None` for the district's own purchase.
    pub school: Option<i64>,
    pub school_name: String,
    pub model: LicenseModel,
    pub annual: Money,
    pub seats: Option<u64>,
    pub active_90: u64,
    /// Days since the contract started.
    pub days_in: i64,
    /// The product's category, subjects and grades: what makes two products overlap.
    pub category: i64,
    pub subjects: Vec<String>,
    pub grades: (i64, i64),
}

impl ContractUse {
    /// Whether its price follows its seat count, so that fewer seats cost less.
    fn priced_by_seat(&self) -> bool {
        matches!(self.model, LicenseModel::PerSeat | LicenseModel::PerStudent | LicenseModel::PerTeacher)
            && self.seats.is_some_and(|s| s > 0)
    }

    fn price_per_seat(&self) -> Option<f64> {
        self.seats.filter(|_| self.priced_by_seat()).map(|s| self.annual.minor as f64 / s as f64)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Kind {
    NoUse,
    UnusedSeats,
    Duplicate,
    SeatMove,
    Overlap,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::NoUse => "No use at all",
            Kind::UnusedSeats => "Unused seats",
            Kind::Duplicate => "Bought more than once",
            Kind::SeatMove => "Seats to move",
            Kind::Overlap => "Overlapping products",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable while the facts hold: what a dismissal names.
    pub key: String,
    pub kind: Kind,
    pub product_id: i64,
    pub product: String,
    pub evidence: String,
    /// The yearly saving of the recommended action.
    pub savings: Money,
    pub action: String,
    /// The contracts whose money the saving comes from: two findings never count the same contract's money.
    #[serde(skip)]
    pub saves_on: Vec<i64>,
}

fn scaled(m: &Money, share: f64) -> Money {
    Money::new((m.minor as f64 * share).round() as i64, m.currency.clone())
}

/// Every finding among `contracts`, largest saving first.
pub fn find(contracts: &[ContractUse]) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in contracts.iter().filter(|c| c.days_in >= SETTLING_DAYS && c.annual.minor > 0) {
        if c.active_90 == 0 {
            out.push(Finding {
                key: format!("no-use:{}", c.id),
                kind: Kind::NoUse,
                product_id: c.product_id,
                product: c.product.clone(),
                evidence: format!(
                    "{} ({}): nobody it covers used it in the last 90 days.",
                    c.school_name,
                    c.model.label().to_lowercase()
                ),
                savings: c.annual.clone(),
                action: "Retire it at renewal, or find out why nobody uses it before then.".into(),
                saves_on: vec![c.id],
            });
            continue;
        }
        let (Some(seats), true) = (c.seats, c.priced_by_seat()) else { continue };
        let used = c.active_90 as f64 / seats as f64;
        if used < UNDER_USED {
            let keep = ((c.active_90 * (10 + HEADROOM_TENTHS)).div_ceil(10)).min(seats);
            out.push(Finding {
                key: format!("unused-seats:{}", c.id),
                kind: Kind::UnusedSeats,
                product_id: c.product_id,
                product: c.product.clone(),
                evidence: format!(
                    "{}: {} of {seats} seats used in the last 90 days ({:.0}%).",
                    c.school_name,
                    c.active_90,
                    used * 100.0
                ),
                savings: scaled(&c.annual, (seats - keep) as f64 / seats as f64),
                action: format!("Right-size to {keep} seats at renewal."),
                saves_on: vec![c.id],
            });
        }
    }
    let mut by_product: BTreeMap<i64, Vec<&ContractUse>> = BTreeMap::new();
    for c in contracts {
        by_product.entry(c.product_id).or_default().push(c);
    }
    for (product, list) in by_product.iter().filter(|(_, l)| l.len() >= 2) {
        duplicates(*product, list, &mut out);
        seat_moves(*product, list, &mut out);
    }
    overlaps(contracts, &mut out);
    out.sort_by(|a, b| b.savings.minor.cmp(&a.savings.minor).then(a.key.cmp(&b.key)));
    // The largest saving on a contract stands; a smaller one on the same money would count it twice.
    let mut claimed = std::collections::HashSet::new();
    out.retain(|f| {
        let free = f.saves_on.iter().all(|c| !claimed.contains(c));
        if free {
            claimed.extend(f.saves_on.iter().copied());
        }
        free
    });
    out
}

/// One product under several contracts: a district-wide license makes the schools' own redundant; otherwise the
/// schools would pay the lowest price any of them got.
fn duplicates(product: i64, list: &[&ContractUse], out: &mut Vec<Finding>) {
    let name = list[0].product.clone();
    let ids: Vec<String> = list.iter().map(|c| c.id.to_string()).collect();
    let key = format!("duplicate:{product}:{}", ids.join(","));
    let whole =
        list.iter().find(|c| c.school.is_none() && matches!(c.model, LicenseModel::District | LicenseModel::Site));
    if let Some(d) = whole {
        let redundant: Vec<&&ContractUse> = list.iter().filter(|c| c.school.is_some()).collect();
        if redundant.is_empty() {
            return;
        }
        let minor: i64 = redundant.iter().map(|c| c.annual.minor).sum();
        let schools: Vec<&str> = redundant.iter().map(|c| c.school_name.as_str()).collect();
        out.push(Finding {
            key,
            kind: Kind::Duplicate,
            product_id: product,
            product: name,
            evidence: format!(
                "The district's {} license covers {}, which also buy it.",
                d.model.label().to_lowercase(),
                schools.join(", ")
            ),
            savings: Money::new(minor, d.annual.currency.clone()),
            action: "Let the schools' own contracts end; the district license covers them.".into(),
            saves_on: redundant.iter().map(|c| c.id).collect(),
        });
        return;
    }
    let priced: Vec<(&&ContractUse, f64)> = list.iter().filter_map(|c| c.price_per_seat().map(|p| (c, p))).collect();
    if priced.len() < 2 {
        return;
    }
    let best = priced.iter().map(|(_, p)| *p).fold(f64::INFINITY, f64::min);
    let paid: i64 = priced.iter().map(|(c, _)| c.annual.minor).sum();
    let at_best: f64 = priced.iter().map(|(c, _)| c.seats.unwrap_or(0) as f64 * best).sum();
    let saving = paid - at_best.round() as i64;
    if saving <= 0 {
        return;
    }
    let prices: Vec<String> = priced
        .iter()
        .map(|(c, p)| format!("{} {} a seat", c.school_name, Money::new(p.round() as i64, c.annual.currency.clone())))
        .collect();
    out.push(Finding {
        key,
        kind: Kind::Duplicate,
        product_id: product,
        product: name,
        evidence: format!("Bought separately by {} contracts: {}.", priced.len(), prices.join("; ")),
        savings: Money::new(saving, list[0].annual.currency.clone()),
        action: "Consolidate into one district contract at the best price any school got.".into(),
        saves_on: priced.iter().map(|(c, _)| c.id).collect(),
    });
}

/// Two products of one category, sharing a subject and grades, bought by the same buyer: the less used one could go,
/// and the students both license are licensed twice.
fn overlaps(contracts: &[ContractUse], out: &mut Vec<Finding>) {
    let settled: Vec<&ContractUse> =
        contracts.iter().filter(|c| c.days_in >= SETTLING_DAYS && c.annual.minor > 0).collect();
    for (i, a) in settled.iter().enumerate() {
        for b in &settled[i + 1..] {
            let same = a.school == b.school && a.category == b.category && a.product_id != b.product_id;
            let grades = a.grades.0 <= b.grades.1 && b.grades.0 <= a.grades.1;
            let subject = a.subjects.iter().find(|s| b.subjects.contains(s));
            let (true, true, Some(subject)) = (same, grades, subject) else { continue };
            let (keep, drop) =
                if (a.active_90, b.annual.minor) >= (b.active_90, a.annual.minor) { (a, b) } else { (b, a) };
            let used = (keep.active_90 + drop.active_90).max(1) as f64;
            let twice = match (keep.seats, drop.seats) {
                (Some(x), Some(y)) => format!(" {} people are licensed for both.", x.min(y)),
                _ => String::new(),
            };
            out.push(Finding {
                key: format!("overlap:{}:{}", keep.id.min(drop.id), keep.id.max(drop.id)),
                kind: Kind::Overlap,
                product_id: drop.product_id,
                product: drop.product.clone(),
                evidence: format!(
                    "{} buys both {} and {} for {subject}, grades overlapping: {} used by {} ({:.0}% of their use), {} by {}.{twice}",
                    keep.school_name,
                    keep.product,
                    drop.product,
                    keep.product,
                    keep.active_90,
                    keep.active_90 as f64 / used * 100.0,
                    drop.product,
                    drop.active_90,
                ),
                savings: drop.annual.clone(),
                action: format!("Consolidate on {}; let {} end at renewal.", keep.product, drop.product),
                saves_on: vec![drop.id],
            });
        }
    }
}

/// One product with more people than seats at one school and seats to spare at another.
fn seat_moves(product: i64, list: &[&ContractUse], out: &mut Vec<Finding>) {
    let per_seat: Vec<&&ContractUse> = list.iter().filter(|c| c.school.is_some() && c.priced_by_seat()).collect();
    for short in per_seat.iter().filter(|c| c.active_90 > c.seats.unwrap_or(0)) {
        let need = short.active_90 - short.seats.unwrap_or(0);
        for spare in per_seat.iter().filter(|c| c.seats.unwrap_or(0) > c.active_90 && c.id != short.id) {
            let give = need.min(spare.seats.unwrap_or(0) - spare.active_90);
            let price = short.price_per_seat().unwrap_or(0.0);
            out.push(Finding {
                key: format!("seat-move:{product}:{}:{}", spare.id, short.id),
                kind: Kind::SeatMove,
                product_id: product,
                product: short.product.clone(),
                evidence: format!(
                    "{} has {} people on {} seats; {} uses {} of {}.",
                    short.school_name,
                    short.active_90,
                    short.seats.unwrap_or(0),
                    spare.school_name,
                    spare.active_90,
                    spare.seats.unwrap_or(0)
                ),
                savings: Money::new((give as f64 * price).round() as i64, short.annual.currency.clone()),
                action: format!(
                    "Move {give} seats from {} to {} before buying more.",
                    spare.school_name, short.school_name
                ),
                // Seats moved are a purchase avoided, not money taken from a contract.
                saves_on: Vec::new(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(
        id: i64,
        school: Option<i64>,
        model: LicenseModel,
        dollars: i64,
        seats: Option<u64>,
        active: u64,
    ) -> ContractUse {
        ContractUse {
            id,
            product_id: 7,
            product: "Fraction Forest".into(),
            school,
            school_name: school.map_or("District".into(), |s| format!("School {s}")),
            model,
            annual: Money::new(dollars * 100, crate::money::Currency::usd()),
            seats,
            active_90: active,
            days_in: 120,
            category: 3,
            subjects: vec!["math".into()],
            grades: (3, 5),
        }
    }

    #[test]
    fn two_products_for_one_subject_at_one_school_overlap() {
        let mut other = contract(2, Some(1), LicenseModel::PerStudent, 4_000, Some(300), 40);
        other.product_id = 8;
        other.product = "Number Garden".into();
        let f = find(&[contract(1, Some(1), LicenseModel::PerStudent, 6_000, Some(300), 250), other.clone()]);
        let o = f.iter().find(|f| f.kind == Kind::Overlap).unwrap();
        assert_eq!((o.key.as_str(), o.product.as_str(), o.savings.minor), ("overlap:1:2", "Number Garden", 400_000));
        assert!(
            o.evidence.contains("86% of their use") && o.evidence.contains("300 people are licensed for both"),
            "{}",
            o.evidence
        );
        assert_eq!(o.action, "Consolidate on Fraction Forest; let Number Garden end at renewal.");
        other.subjects = vec!["ela".into()];
        let none = find(&[contract(1, Some(1), LicenseModel::PerStudent, 6_000, Some(300), 250), other.clone()]);
        assert!(none.iter().all(|f| f.kind != Kind::Overlap), "no subject in common");
        other.subjects = vec!["math".into()];
        other.school = Some(2);
        let none = find(&[contract(1, Some(1), LicenseModel::PerStudent, 6_000, Some(300), 250), other]);
        assert!(none.iter().all(|f| f.kind != Kind::Overlap), "bought by different schools");
    }

    #[test]
    fn a_contract_nobody_used_is_all_waste() {
        let f = find(&[contract(1, Some(1), LicenseModel::Site, 5_000, None, 0)]);
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].kind, f[0].savings.minor, f[0].key.as_str()), (Kind::NoUse, 500_000, "no-use:1"));
        let mut young = contract(2, Some(1), LicenseModel::Site, 5_000, None, 0);
        young.days_in = 10;
        assert!(find(&[young]).is_empty(), "a new contract has not had time to be used");
    }

    #[test]
    fn unused_seats_are_right_sized_with_headroom() {
        let f = find(&[contract(1, Some(1), LicenseModel::PerSeat, 10_000, Some(200), 50)]);
        assert_eq!(f[0].kind, Kind::UnusedSeats);
        assert_eq!(f[0].action, "Right-size to 55 seats at renewal.");
        assert_eq!(f[0].savings.minor, 725_000, "145 of 200 seats at $50 each");
        assert!(find(&[contract(1, Some(1), LicenseModel::PerSeat, 10_000, Some(200), 170)]).is_empty(), "85% is fine");
        assert!(
            find(&[contract(1, Some(1), LicenseModel::Site, 10_000, Some(200), 20)]).is_empty(),
            "a site price is not per seat"
        );
    }

    #[test]
    fn a_district_license_makes_the_schools_own_redundant() {
        let f = find(&[
            contract(1, None, LicenseModel::District, 20_000, None, 900),
            contract(2, Some(3), LicenseModel::PerSeat, 3_000, Some(100), 90),
        ]);
        assert_eq!(f.len(), 1);
        let d = f.iter().find(|f| f.kind == Kind::Duplicate).unwrap();
        assert_eq!((d.savings.minor, d.key.as_str()), (300_000, "duplicate:7:1,2"));
    }

    #[test]
    fn separate_purchases_would_pay_the_best_price_and_spare_seats_move() {
        let f = find(&[
            contract(1, Some(1), LicenseModel::PerSeat, 4_000, Some(100), 130),
            contract(2, Some(2), LicenseModel::PerSeat, 6_000, Some(200), 190),
        ]);
        let d = f.iter().find(|f| f.kind == Kind::Duplicate).unwrap();
        assert_eq!(d.savings.minor, 100_000, "$10,000 paid, 300 seats at $30 is $9,000");
        let m = f.iter().find(|f| f.kind == Kind::SeatMove).unwrap();
        assert_eq!(m.action, "Move 10 seats from School 2 to School 1 before buying more.");
        assert_eq!((m.savings.minor, m.key.as_str()), (40_000, "seat-move:7:2:1"), "10 seats at School 1's $40");
        assert!(f.windows(2).all(|w| w[0].savings.minor >= w[1].savings.minor), "largest saving first");
    }

    #[test]
    fn one_contracts_money_is_counted_once() {
        // School 2 would save $2,040 by right-sizing, more than consolidating both would ($2,000): only that stands.
        let f = find(&[
            contract(1, Some(1), LicenseModel::PerSeat, 4_000, Some(100), 130),
            contract(2, Some(2), LicenseModel::PerSeat, 6_000, Some(100), 60),
        ]);
        let kinds: Vec<(Kind, i64)> = f.iter().map(|f| (f.kind, f.savings.minor)).collect();
        assert_eq!(kinds, [(Kind::UnusedSeats, 204_000), (Kind::SeatMove, 120_000)]);
    }
}
