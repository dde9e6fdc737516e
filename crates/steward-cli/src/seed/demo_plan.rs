//! How each demo product's facts, contracts and owners follow from the tables: deterministic, no randomness.
//!
//! Variety comes from [`vary`], a fixed mix of a row's index and a salt, so every run builds the same district.

use super::demo_data::{Kind, SCHOOLS};
use chrono::{Datelike, Months, NaiveDate};
use steward_core::contract::ContractDraft;
use steward_core::enums::ProductStatus;
use steward_core::grade::GradeBand;

/// A number in `0..n` that looks arbitrary but depends only on `i` and `salt` (two steps of a 64-bit LCG).
pub fn vary(i: usize, salt: u64, n: usize) -> usize {
    const A: u64 = 6_364_136_223_846_793_005;
    const C: u64 = 1_442_695_040_888_963_407;
    let seed = (i as u64).wrapping_add(salt.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let x = seed.wrapping_mul(A).wrapping_add(C).wrapping_mul(A).wrapping_add(C);
    ((x >> 33) % n.max(1) as u64) as usize
}

/// The July–June school year that contains `today`.
pub fn school_year(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = if today.month() >= 7 { today.year() } else { today.year() - 1 };
    let start = NaiveDate::from_ymd_opt(first, 7, 1).expect("July 1 exists");
    (start, NaiveDate::from_ymd_opt(first + 1, 6, 30).expect("June 30 exists"))
}

fn months(d: NaiveDate, n: i32) -> NaiveDate {
    let m = Months::new(n.unsigned_abs());
    if n >= 0 { d.checked_add_months(m) } else { d.checked_sub_months(m) }.expect("a date in range")
}

/// Categories the district cannot run without, whose products are always approved.
const ESSENTIAL: &[&str] =
    &["Learning management systems", "Student information systems", "Rostering & identity", "Web filtering"];

/// Most products are approved; the rest are spread over the other five statuses.
pub fn status(i: usize, category: &str) -> ProductStatus {
    if ESSENTIAL.contains(&category) {
        return ProductStatus::Approved;
    }
    match i % 25 {
        3 | 21 => ProductStatus::Requested,
        8 | 23 => ProductStatus::InReview,
        13 => ProductStatus::Denied,
        18 => ProductStatus::Retired,
        5 | 16 => ProductStatus::ApprovedWithConditions,
        _ => ProductStatus::Approved,
    }
}

pub fn platforms(i: usize, kind: Kind, grades: GradeBand) -> Vec<&'static str> {
    match kind {
        Kind::Safety => vec!["web", "chromeos", "windows", "macos", "ipados"],
        Kind::Platform => vec!["web", "chromeos", "windows", "macos", "ipados", "ios", "android"],
        Kind::Communication | Kind::Records => vec!["web", "ios", "android"],
        Kind::Staff => vec!["web", "ios"],
        _ => {
            let mut p = vec!["web", "chromeos"];
            if grades.low.number() <= 2 || i.is_multiple_of(4) {
                p.push("ipados");
            }
            if i.is_multiple_of(3) {
                p.extend(["windows", "macos"]);
            }
            p
        }
    }
}

pub fn sign_on(i: usize, kind: Kind) -> Vec<&'static str> {
    match kind {
        Kind::Platform => vec!["google", "microsoft", "saml"],
        Kind::Records => vec!["saml", "oidc"],
        Kind::Safety => vec!["google", "microsoft"],
        Kind::Communication if i.is_multiple_of(2) => vec!["local_account", "google", "microsoft"],
        Kind::Communication => vec!["local_account", "clever"],
        Kind::Staff if i.is_multiple_of(2) => vec!["microsoft", "oidc"],
        Kind::Staff => vec!["local_account"],
        Kind::SpecialEducation => vec!["saml", "classlink"],
        Kind::Assessment if i.is_multiple_of(2) => vec!["clever", "classlink"],
        Kind::Assessment => vec!["clever", "google", "lti"],
        Kind::Content | Kind::Tool => match vary(i, 3, 6) {
            0 => vec!["clever", "google"],
            1 => vec!["classlink", "microsoft"],
            2 => vec!["clever", "classlink", "google", "microsoft"],
            3 => vec!["google", "lti"],
            4 => vec!["local_account"],
            _ => vec!["clever"],
        },
    }
}

pub fn interop(i: usize, kind: Kind, category: &str) -> Vec<&'static str> {
    match kind {
        Kind::Platform if category == "Office & productivity suites" => vec!["oneroster_1_2_rest"],
        Kind::Platform => vec!["lti_1_3", "oneroster_1_2_rest", "caliper"],
        Kind::Records if category == "Data dashboards & analytics" => vec!["oneroster_1_2_rest", "caliper", "xapi"],
        Kind::Records => vec!["oneroster_1_1_csv", "oneroster_1_2_rest"],
        Kind::Assessment => vec!["lti_1_3", "oneroster_1_2_rest", "case"],
        Kind::Communication | Kind::Safety => vec!["oneroster_1_1_csv"],
        Kind::SpecialEducation => vec!["oneroster_1_2_csv"],
        Kind::Staff => vec![],
        Kind::Content | Kind::Tool => match vary(i, 5, 5) {
            0 => vec!["lti_1_3", "oneroster_1_2_csv"],
            1 => vec!["lti_1_1", "oneroster_1_1_csv"],
            2 => vec!["oneroster_1_1_csv"],
            3 => vec![],
            _ => vec!["lti_1_3", "xapi"],
        },
    }
}

pub fn wcag(i: usize) -> &'static str {
    match vary(i, 7, 20) {
        0 | 1 => "unknown",
        2 => "not_conformant",
        3..=5 => "a",
        6..=17 => "aa",
        _ => "aaa",
    }
}

pub fn essa_tier(i: usize, kind: Kind) -> &'static str {
    if !matches!(kind, Kind::Content | Kind::Assessment | Kind::SpecialEducation) {
        return "none";
    }
    ["strong", "strong", "moderate", "moderate", "promising", "promising", "rationale", "rationale", "none", "none"]
        [vary(i, 17, 10)]
}

/// The data-privacy agreement that fits the product's data and status: a code and, where it has one, its expiry.
pub fn dpa(
    i: usize,
    collects_data: bool,
    status: ProductStatus,
    today: NaiveDate,
) -> (&'static str, Option<NaiveDate>) {
    let expired = || Some(today - chrono::Days::new(15 + vary(i, 13, 400) as u64));
    let signed = || {
        if i.is_multiple_of(19) {
            Some(today + chrono::Days::new(40))
        } else {
            Some(months(school_year(today).1, 12 * vary(i, 11, 3) as i32))
        }
    };
    if !collects_data {
        return ("not_required", None);
    }
    match status {
        ProductStatus::Approved if i % 17 == 4 => ("expired", expired()),
        ProductStatus::Approved => ("signed", signed()),
        ProductStatus::ApprovedWithConditions if i.is_multiple_of(2) => ("requested", None),
        ProductStatus::ApprovedWithConditions | ProductStatus::Retired => ("expired", expired()),
        ProductStatus::InReview => ("requested", None),
        ProductStatus::Denied if i % 2 == 1 => ("requested", None),
        ProductStatus::Requested | ProductStatus::Denied => ("none", None),
    }
}

pub fn third_parties(i: usize, collects_data: bool) -> &'static str {
    if !collects_data {
        return "";
    }
    match vary(i, 19, 4) {
        0 => "Cloud hosting (US region); transactional e-mail provider",
        1 => "Cloud hosting (US region); product analytics with student identifiers removed",
        2 => "Cloud hosting (US region)",
        _ => "",
    }
}

/// The schools (indices into `SCHOOLS`) that buy the product themselves; empty when the district buys it.
pub fn buyers(k: usize, kind: Kind, grades: GradeBand) -> Vec<usize> {
    if k % 4 != 1 || !matches!(kind, Kind::Content | Kind::Tool | Kind::SpecialEducation | Kind::Assessment) {
        return vec![];
    }
    let fits: Vec<usize> = (0..SCHOOLS.len()).filter(|&s| band(s).overlaps(grades)).collect();
    let n = (1 + (k / 4) % 4).min(fits.len());
    let start = vary(k, 23, fits.len());
    (0..n).map(|j| fits[(start + j * fits.len() / n.max(1)) % fits.len()]).collect()
}

fn band(school: usize) -> GradeBand {
    GradeBand::parse(SCHOOLS[school].3).expect("school grade bands are valid")
}

/// Students enrolled in the grades a product serves, across the district.
fn students(grades: GradeBand) -> i64 {
    (0..SCHOOLS.len()).filter(|&s| band(s).overlaps(grades)).map(|s| SCHOOLS[s].4).sum()
}

/// Contract end dates, in days after today, for the off-cycle terms: some due soon, some later.
const OFF_CYCLE_DAYS: &[u64] = &[8, 17, 26, 34, 41, 49, 57, 66, 73, 82, 88, 104, 127, 149, 172];

/// What one product is, as far as its contracts are concerned.
pub struct Facts<'a> {
    /// The product's position among those with contracts.
    pub k: usize,
    /// Whether this is the vendor's main product (the first it lists).
    pub flagship: bool,
    pub category: &'a str,
    pub kind: Kind,
    pub grades: GradeBand,
    pub status: ProductStatus,
}

/// A contract to save: the school (index into `SCHOOLS`) or `None` for the district, and the draft
/// without its product and school ids, which the caller fills in.
pub type Planned = (Option<usize>, ContractDraft);

/// The product's contracts; `po` numbers purchase orders in sequence across calls.
pub fn contracts(f: &Facts, buyers: &[usize], today: NaiveDate, po: &mut usize) -> Vec<Planned> {
    let (sy_start, sy_end) = school_year(today);
    let k = f.k;
    if f.status == ProductStatus::Retired {
        let (start, end) = (months(sy_start, -12), months(sy_end, -12));
        let (model, seats, cost) = district_terms(f, k * 8);
        let mut d = draft(model, seats, cost, start, end, "general_fund", po);
        d.notes = "Not renewed; teachers moved to an approved alternative.".into();
        return vec![(None, d)];
    }
    if !f.status.is_approved() {
        return vec![];
    }
    let free = matches!(f.category, "Graphing & calculators" | "Maps & primary sources")
        || (matches!(f.kind, Kind::Content | Kind::Tool | Kind::Communication) && k % 13 == 6);
    // The first contract may run off-cycle or for several years; the rest follow the school year.
    let (start, end, years, note) = if k % 7 == 3 && k / 7 < OFF_CYCLE_DAYS.len() {
        let end = today + chrono::Days::new(OFF_CYCLE_DAYS[k / 7]);
        (months(end, -12) + chrono::Days::new(1), end, 1, "Off-cycle term: began as a mid-year pilot.")
    } else if matches!(f.kind, Kind::Platform | Kind::Records) && k.is_multiple_of(3) {
        (months(sy_start, -12), months(sy_end, 12), 3, "Three-year agreement; price held for the full term.")
    } else if f.kind == Kind::Content && k.is_multiple_of(11) {
        (sy_start, months(sy_end, 12), 2, "Two-year agreement.")
    } else {
        (sy_start, sy_end, 1, "")
    };
    let mut out = Vec::new();
    let schools: Vec<Option<usize>> =
        if buyers.is_empty() { vec![None] } else { buyers.iter().copied().map(Some).collect() };
    for (j, school) in schools.into_iter().enumerate() {
        let (start, end, years, note) = if j == 0 { (start, end, years, note) } else { (sy_start, sy_end, 1, "") };
        let salt = k * 8 + j;
        let (model, seats, annual): (&str, Option<i64>, i64) = match school {
            _ if free => ("free", None, 0),
            Some(s) => {
                let enrolled = SCHOOLS[s].4;
                match (f.kind, (k + j) % 3) {
                    (Kind::SpecialEducation, _) | (_, 2) => {
                        let seats = 25 + 5 * vary(salt, 37, 26) as i64;
                        ("per_seat", Some(seats), seats * (800 + 100 * vary(salt, 41, 13) as i64))
                    }
                    (_, 0) => ("site", None, 150_000 + 25_000 * vary(salt, 29, 19) as i64),
                    _ => ("per_student", Some(enrolled), enrolled * (300 + 25 * vary(salt, 43, 37) as i64)),
                }
            }
            None => district_terms(f, salt),
        };
        let funding = if free { "general_fund" } else { funding(f, school, salt, years > 1) };
        let mut d = draft(model, seats, annual * years, start, end, funding, po);
        let renews = matches!(f.kind, Kind::Platform | Kind::Records | Kind::Safety | Kind::Communication);
        d.auto_renew = !free && if renews && school.is_none() { k.is_multiple_of(2) } else { k.is_multiple_of(5) };
        d.notice_days = match (free, d.auto_renew) {
            (true, _) => 0,
            (_, true) => [30, 60, 90][k % 3],
            _ => [0, 30, 60, 90][(k + j) % 4],
        }
        .to_string();
        d.notes = match (note, school) {
            ("", Some(_)) if j == 0 => "Bought by the school from its own budget.".into(),
            (n, _) => n.into(),
        };
        out.push((school, d));
    }
    out
}

/// The license model, seats and cost of one year of a district-wide purchase.
fn district_terms(f: &Facts, salt: usize) -> (&'static str, Option<i64>, i64) {
    let students = students(f.grades);
    // Students in the product's grades, not all of whom use it; rounded to 50 as quotes are.
    let per_student = |share: i64| {
        let seats = (students * share / 100 + 25) / 50 * 50;
        ("per_student", Some(seats), seats * (300 + 25 * vary(salt, 43, 37) as i64))
    };
    // In whole dollars, in steps of $2,500.
    let license = |low: i64, high: i64| {
        let steps = ((high - low) / 2_500) as usize;
        ("district", None, (low + 2_500 * vary(salt, 47, steps + 1) as i64) * 100)
    };
    let per_teacher = || {
        let teachers = students / 22;
        ("per_teacher", Some(teachers), teachers * (2_000 + 500 * vary(salt, 53, 9) as i64))
    };
    let per_seat = || {
        let seats = 20 + 10 * vary(salt, 59, 24) as i64;
        ("per_seat", Some(seats), seats * (1_500 + 500 * vary(salt, 61, 14) as i64))
    };
    match f.kind {
        Kind::Records if f.flagship && f.category == "Student information systems" => license(120_000, 180_000),
        Kind::Records => license(20_000, 70_000),
        Kind::Platform if f.flagship => license(60_000, 120_000),
        Kind::Platform => license(20_000, 45_000),
        Kind::Safety => license(25_000, 70_000),
        Kind::Communication => license(20_000, 45_000),
        Kind::Staff if f.k.is_multiple_of(2) => per_teacher(),
        Kind::Staff => license(20_000, 30_000),
        Kind::SpecialEducation => per_seat(),
        Kind::Assessment if f.k.is_multiple_of(3) => license(30_000, 90_000),
        Kind::Assessment => per_student(70 + 10 * vary(salt, 71, 4) as i64),
        Kind::Content | Kind::Tool => match f.k % 5 {
            0 | 3 => per_student(40 + 10 * vary(salt, 73, 7) as i64),
            1 => license(20_000, 60_000),
            2 => per_teacher(),
            _ => per_seat(),
        },
    }
}

fn funding(f: &Facts, school: Option<usize>, salt: usize, multi_year: bool) -> &'static str {
    let elementary = school.is_some_and(|s| SCHOOLS[s].2 == "elementary");
    match f.category {
        "Intervention & MTSS" => return "title_i",
        "IEP management" | "Assistive technology" => return "idea",
        "Coding" | "Robotics & engineering" | "Social-emotional learning" | "Student safety monitoring" => {
            return "title_iv_a"
        }
        "Reading practice" | "Phonics & early literacy" if school.is_some() => return "title_i",
        "Music" | "Visual arts & design" if elementary => return "pto",
        _ => {}
    }
    match (f.kind, multi_year, salt % 10) {
        (Kind::Staff, _, _) => "title_ii",
        (Kind::Content, true, _) | (_, _, 3) => "state_grant",
        (_, _, 7) => "private_grant",
        (_, _, 9) => "other",
        _ => "general_fund",
    }
}

fn draft(
    model: &str,
    seats: Option<i64>,
    cost_minor: i64,
    start: NaiveDate,
    end: NaiveDate,
    funding: &str,
    po: &mut usize,
) -> ContractDraft {
    let purchase_order = if cost_minor > 0 {
        *po += 1 + vary(*po, 67, 4);
        let fiscal = if start.month() >= 7 { start.year() + 1 } else { start.year() };
        format!("PO-{fiscal}-{:04}", *po)
    } else {
        String::new()
    };
    ContractDraft {
        license_model: model.into(),
        seats: seats.map(|s| s.to_string()).unwrap_or_default(),
        cost: steward_core::money::Money::plain(cost_minor),
        start_date: start.to_string(),
        end_date: end.to_string(),
        funding_source: funding.into(),
        purchase_order,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variety_is_stable_and_in_range() {
        for i in 0..500 {
            assert!(vary(i, 3, 7) < 7);
            assert_eq!(vary(i, 3, 7), vary(i, 3, 7));
        }
        let spread: std::collections::HashSet<usize> = (0..100).map(|i| vary(i, 1, 10)).collect();
        assert!(spread.len() >= 8, "{spread:?}");
    }

    #[test]
    fn school_years_run_july_to_june() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(school_year(d("2026-03-15")), (d("2025-07-01"), d("2026-06-30")));
        assert_eq!(school_year(d("2026-07-01")), (d("2026-07-01"), d("2027-06-30")));
    }
}
