//! The technical checklist: a product's declared needs and support compared with the district's infrastructure
//! profile, item by item, each with pass, warn or fail and the reason.

use super::infra::{Browser, InfraProfile, ProductNeeds, RosterMethod, DEVICE_PLATFORMS};
use crate::enums::{DataElement, Interop, Platform, SignOn, Vocabulary, WcagLevel};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Warn,
    Fail,
}

impl Vocabulary for Outcome {
    const NAME: &'static str = "check outcome";
    const ALL: &'static [(Self, &'static str, &'static str)] =
        &[(Self::Pass, "pass", "Pass"), (Self::Warn, "warn", "Warn"), (Self::Fail, "fail", "Fail")];
}

/// One item of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// A stable key: `devices`, `sign_on`, `rostering`, `lti`, `bandwidth`, `accessibility`.
    pub item: String,
    pub outcome: Outcome,
    pub reason: String,
}

/// The product facts the checklist reads.
#[derive(Debug, Clone, Default)]
pub struct ProductTech<'a> {
    pub platforms: &'a [Platform],
    pub sign_on: &'a [SignOn],
    pub interop: &'a [Interop],
    pub wcag: Option<WcagLevel>,
    pub data_elements: &'a [DataElement],
    pub needs: ProductNeeds,
}

/// Where and by how many it would be used.
#[derive(Debug, Clone, Default)]
pub struct Reach {
    /// Steward school ids; empty for every school of the district.
    pub schools: Vec<i64>,
    pub expected_users: u32,
}

/// The checklist's item keys with their labels, in order.
pub const ITEMS: &[(&str, &str)] = &[
    ("devices", "Device support"),
    ("sign_on", "Sign-on fit"),
    ("rostering", "Rostering method"),
    ("lti", "LTI version against the LMS"),
    ("bandwidth", "Bandwidth"),
    ("accessibility", "Accessibility level"),
];

pub fn item_label(item: &str) -> &'static str {
    ITEMS.iter().find(|(k, _)| *k == item).map_or("Check", |(_, l)| l)
}

/// Every item evaluated, in [`ITEMS`] order.
pub fn evaluate(profile: &InfraProfile, p: &ProductTech, reach: &Reach) -> Vec<Check> {
    let check = |item: &str, (outcome, reason): (Outcome, String)| Check { item: item.into(), outcome, reason };
    vec![
        check("devices", devices(profile, p)),
        check("sign_on", sign_on(profile, p)),
        check("rostering", rostering(profile, p)),
        check("lti", lti(profile, p)),
        check("bandwidth", bandwidth(profile, p, reach)),
        check("accessibility", accessibility(p.wcag)),
    ]
}

/// Whether the product runs on a platform: natively, or in a supported browser there.
fn runs_on(p: &ProductTech, profile: &InfraProfile, platform: Platform) -> bool {
    if p.platforms.contains(&platform) {
        return true;
    }
    if !p.platforms.contains(&Platform::Web) {
        return false;
    }
    let browsers_there: &[Browser] = match platform {
        Platform::Chromeos => &[Browser::Chrome],
        Platform::Windows => &[Browser::Chrome, Browser::Edge, Browser::Firefox],
        Platform::Macos => &[Browser::Chrome, Browser::Safari, Browser::Firefox, Browser::Edge],
        Platform::Ipados | Platform::Ios => &[Browser::Safari, Browser::Chrome],
        Platform::Android => &[Browser::Chrome, Browser::Firefox],
        Platform::Web => return true,
    };
    let district = if profile.browsers.is_empty() { browsers_there.to_vec() } else { profile.browsers.clone() };
    browsers_there.iter().any(|b| district.contains(b) && (p.needs.browsers.is_empty() || p.needs.browsers.contains(b)))
}

fn devices(profile: &InfraProfile, p: &ProductTech) -> (Outcome, String) {
    let total: u32 = DEVICE_PLATFORMS.iter().map(|d| profile.devices_on(*d)).sum();
    if total == 0 {
        return (Outcome::Warn, "the infrastructure profile counts no devices yet".into());
    }
    if p.platforms.is_empty() {
        return (Outcome::Warn, "the product declares no platforms".into());
    }
    let missing: Vec<(Platform, u32)> = DEVICE_PLATFORMS
        .iter()
        .map(|d| (*d, profile.devices_on(*d)))
        .filter(|(d, n)| *n > 0 && !runs_on(p, profile, *d))
        .collect();
    let uncovered: u32 = missing.iter().map(|(_, n)| n).sum();
    let covered = total - uncovered;
    let share = f64::from(covered) / f64::from(total);
    let gaps: Vec<String> = missing.iter().map(|(d, n)| format!("{} ({n})", d.label())).collect();
    let reason = if missing.is_empty() {
        format!("runs on all {total} of the district's devices")
    } else {
        format!("runs on {covered} of {total} devices; not on {}", gaps.join(", "))
    };
    let outcome = match share {
        s if s >= 1.0 => Outcome::Pass,
        s if s >= 0.8 => Outcome::Warn,
        _ => Outcome::Fail,
    };
    (outcome, reason)
}

fn sign_on(profile: &InfraProfile, p: &ProductTech) -> (Outcome, String) {
    let mut fits: Vec<&str> = p.sign_on.iter().filter(|s| profile.identity.contains(s)).map(|s| s.label()).collect();
    if p.sign_on.contains(&SignOn::Lti) && !profile.lms.is_empty() {
        fits.push("LTI launch from the LMS");
    }
    if !fits.is_empty() {
        return (Outcome::Pass, format!("signs in with {}", fits.join(", ")));
    }
    if p.sign_on.is_empty() {
        return (Outcome::Warn, "the product declares no sign-on method".into());
    }
    if p.sign_on == [SignOn::LocalAccount] {
        return (Outcome::Fail, "only its own usernames and passwords: one more sign-in for every student".into());
    }
    let offered: Vec<&str> = p.sign_on.iter().map(|s| s.label()).collect();
    (Outcome::Warn, format!("offers {}, which the district does not run", offered.join(", ")))
}

fn rostering(profile: &InfraProfile, p: &ProductTech) -> (Outcome, String) {
    if p.data_elements.is_empty() {
        return (Outcome::Pass, "collects no student data, so needs no roster".into());
    }
    let Some(method) = profile.rostering else {
        return (Outcome::Warn, "the infrastructure profile names no rostering method".into());
    };
    let has = |i: &[Interop]| i.iter().any(|x| p.interop.contains(x));
    let fits = match method {
        RosterMethod::OneRosterCsv => has(&[Interop::OneRoster11Csv, Interop::OneRoster12Csv]),
        RosterMethod::OneRosterRest => has(&[Interop::OneRoster11Rest, Interop::OneRoster12Rest]),
        RosterMethod::Clever => p.sign_on.contains(&SignOn::Clever),
        RosterMethod::Classlink => p.sign_on.contains(&SignOn::Classlink),
        RosterMethod::Manual => true,
    };
    let any_oneroster =
        has(&[Interop::OneRoster11Csv, Interop::OneRoster12Csv, Interop::OneRoster11Rest, Interop::OneRoster12Rest]);
    match (fits, any_oneroster) {
        (true, _) => (Outcome::Pass, format!("rosters by {}", method.label())),
        (false, true) => {
            (Outcome::Warn, format!("supports OneRoster, but not by {}, the district's method", method.label()))
        }
        (false, false) => (Outcome::Fail, "no rostering standard: accounts would be made by hand".into()),
    }
}

fn lti(profile: &InfraProfile, p: &ProductTech) -> (Outcome, String) {
    if profile.lms.is_empty() {
        return (Outcome::Pass, "the district runs no LMS".into());
    }
    let lms: Vec<&str> = profile.lms.iter().map(|l| l.label()).collect();
    let lms = lms.join(", ");
    match (p.interop.contains(&Interop::Lti13), p.interop.contains(&Interop::Lti11), profile.lms_lti13) {
        (true, _, true) => (Outcome::Pass, format!("LTI 1.3, which {lms} launches")),
        (true, true, false) | (false, true, false) => {
            (Outcome::Warn, format!("LTI 1.1 only fits while {lms} still launches 1.1, which 1EdTech has retired"))
        }
        (true, false, false) => (Outcome::Fail, format!("LTI 1.3 only, and {lms} is set to launch LTI 1.1")),
        (false, true, true) => (Outcome::Warn, "LTI 1.1 only, which 1EdTech has retired; ask for 1.3".into()),
        (false, false, _) => (Outcome::Warn, format!("no LTI: it cannot be launched from {lms}")),
    }
}

fn bandwidth(profile: &InfraProfile, p: &ProductTech, reach: &Reach) -> (Outcome, String) {
    let Some(kbps) = p.needs.kbps_per_user else {
        return (Outcome::Warn, "the product declares no bandwidth per user".into());
    };
    let schools: Vec<i64> = if reach.schools.is_empty() {
        profile.bandwidth.iter().map(|(s, _)| *s).collect()
    } else {
        reach.schools.clone()
    };
    if schools.is_empty() || reach.expected_users == 0 {
        return (Outcome::Warn, "no schools' bandwidth or expected users to compare with".into());
    }
    // The expected users spread over the schools, all active at once: the peak a school must carry.
    let per_school = reach.expected_users.div_ceil(schools.len() as u32);
    let need_mbps = f64::from(per_school) * f64::from(kbps) / 1000.0;
    let mut worst = (Outcome::Pass, String::new());
    for s in &schools {
        let (outcome, reason) = match profile.bandwidth_of(*s) {
            None => (Outcome::Warn, format!("school {s} has no bandwidth in the profile")),
            Some(have) => {
                let share = need_mbps / f64::from(have);
                let reason = format!("{need_mbps:.0} Mbit/s of {have} Mbit/s at school {s} ({:.0}%)", share * 100.0);
                match share {
                    s if s <= 0.5 => (Outcome::Pass, reason),
                    s if s <= 1.0 => (Outcome::Warn, reason),
                    _ => (Outcome::Fail, reason),
                }
            }
        };
        if worst.1.is_empty() || rank(outcome) > rank(worst.0) {
            worst = (outcome, reason);
        }
    }
    worst.1 = format!("{per_school} users at once need {}", worst.1);
    worst
}

fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::Pass => 0,
        Outcome::Warn => 1,
        Outcome::Fail => 2,
    }
}

fn accessibility(wcag: Option<WcagLevel>) -> (Outcome, String) {
    match wcag.unwrap_or(WcagLevel::Unknown) {
        w @ (WcagLevel::Aa | WcagLevel::Aaa) => (Outcome::Pass, format!("conforms to {}", w.label())),
        WcagLevel::A => (Outcome::Warn, "WCAG 2.1 A only; the ADA Title II rule asks for AA".into()),
        WcagLevel::NotConformant => (Outcome::Fail, "not conformant to WCAG 2.1".into()),
        WcagLevel::Unknown => (Outcome::Warn, "unknown: ask the vendor for its VPAT".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::governance::infra::Lms;

    fn profile() -> InfraProfile {
        InfraProfile {
            devices: vec![(Platform::Chromeos, 900), (Platform::Ipados, 100)],
            browsers: vec![Browser::Chrome, Browser::Safari],
            identity: vec![SignOn::Google],
            lms: vec![Lms::Canvas],
            lms_lti13: true,
            rostering: Some(RosterMethod::OneRosterCsv),
            bandwidth: vec![(1, 100), (2, 1000)],
            ..InfraProfile::default()
        }
    }

    fn outcome(checks: &[Check], item: &str) -> (Outcome, String) {
        let c = checks.iter().find(|c| c.item == item).unwrap();
        (c.outcome, c.reason.clone())
    }

    #[test]
    fn a_product_that_fits_passes_every_item() {
        let p = ProductTech {
            platforms: &[Platform::Web],
            sign_on: &[SignOn::Google, SignOn::Lti],
            interop: &[Interop::Lti13, Interop::OneRoster12Csv],
            wcag: Some(WcagLevel::Aa),
            data_elements: &[DataElement::Name],
            needs: ProductNeeds { browsers: vec![], kbps_per_user: Some(100) },
        };
        let checks = evaluate(&profile(), &p, &Reach { schools: vec![1, 2], expected_users: 200 });
        assert_eq!(checks.len(), ITEMS.len());
        for c in &checks {
            assert_eq!(c.outcome, Outcome::Pass, "{c:?}");
        }
        assert_eq!(outcome(&checks, "devices").1, "runs on all 1000 of the district's devices");
    }

    #[test]
    fn gaps_warn_or_fail_with_their_reason() {
        let p = ProductTech {
            platforms: &[Platform::Windows, Platform::Chromeos],
            sign_on: &[SignOn::LocalAccount],
            interop: &[Interop::Lti11, Interop::OneRoster11Rest],
            wcag: Some(WcagLevel::NotConformant),
            data_elements: &[DataElement::Name],
            needs: ProductNeeds { browsers: vec![], kbps_per_user: Some(1500) },
        };
        let checks = evaluate(&profile(), &p, &Reach { schools: vec![1], expected_users: 60 });
        assert_eq!(
            outcome(&checks, "devices"),
            (Outcome::Warn, "runs on 900 of 1000 devices; not on iPadOS (100)".into())
        );
        assert_eq!(outcome(&checks, "sign_on").0, Outcome::Fail);
        assert_eq!(outcome(&checks, "rostering").0, Outcome::Warn);
        assert!(outcome(&checks, "lti").1.contains("retired"));
        assert_eq!(
            outcome(&checks, "bandwidth"),
            (Outcome::Warn, "60 users at once need 90 Mbit/s of 100 Mbit/s at school 1 (90%)".into())
        );
        assert_eq!(outcome(&checks, "accessibility").0, Outcome::Fail);
        let web_on_firefox_only = ProductTech {
            platforms: &[Platform::Web],
            needs: ProductNeeds { browsers: vec![Browser::Firefox], kbps_per_user: None },
            ..ProductTech::default()
        };
        let checks = evaluate(&profile(), &web_on_firefox_only, &Reach::default());
        assert_eq!(outcome(&checks, "devices").0, Outcome::Fail, "no district browser it supports");
        assert_eq!(outcome(&checks, "rostering").0, Outcome::Pass, "no student data, no roster");
    }
}
