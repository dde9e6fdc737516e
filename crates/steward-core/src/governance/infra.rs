//! The district's infrastructure profile — devices, browsers, identity providers, LMSs, SIS, rostering, content
//! filter, bandwidth per school — and what a product declares it needs, which the technical checklist compares.

use crate::enums::{Platform, SignOn, Vocabulary};
use crate::fields::optional_text;
use crate::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Browser {
    Chrome,
    Edge,
    Safari,
    Firefox,
}

impl Vocabulary for Browser {
    const NAME: &'static str = "browser";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::Chrome, "chrome", "Chrome"),
        (Self::Edge, "edge", "Edge"),
        (Self::Safari, "safari", "Safari"),
        (Self::Firefox, "firefox", "Firefox"),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lms {
    Canvas,
    Schoology,
    GoogleClassroom,
    Brightspace,
    Moodle,
    Blackboard,
}

impl Vocabulary for Lms {
    const NAME: &'static str = "LMS";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::Canvas, "canvas", "Canvas"),
        (Self::Schoology, "schoology", "Schoology"),
        (Self::GoogleClassroom, "google_classroom", "Google Classroom"),
        (Self::Brightspace, "brightspace", "D2L Brightspace"),
        (Self::Moodle, "moodle", "Moodle"),
        (Self::Blackboard, "blackboard", "Blackboard"),
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RosterMethod {
    OneRosterCsv,
    OneRosterRest,
    Clever,
    Classlink,
    Manual,
}

impl Vocabulary for RosterMethod {
    const NAME: &'static str = "rostering method";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::OneRosterCsv, "oneroster_csv", "OneRoster CSV"),
        (Self::OneRosterRest, "oneroster_rest", "OneRoster REST (from Steward)"),
        (Self::Clever, "clever", "Clever"),
        (Self::Classlink, "classlink", "ClassLink"),
        (Self::Manual, "manual", "Manual accounts"),
    ];
}

/// The device platforms a district counts (the web is not a device).
pub const DEVICE_PLATFORMS: &[Platform] =
    &[Platform::Chromeos, Platform::Windows, Platform::Macos, Platform::Ipados, Platform::Android];

/// The identity providers a district may run.
pub const IDENTITY_PROVIDERS: &[SignOn] =
    &[SignOn::Google, SignOn::Microsoft, SignOn::Clever, SignOn::Classlink, SignOn::Saml, SignOn::Oidc];

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InfraProfile {
    /// Devices in use per platform.
    pub devices: Vec<(Platform, u32)>,
    pub browsers: Vec<Browser>,
    pub identity: Vec<SignOn>,
    pub lms: Vec<Lms>,
    /// Whether the LMSs launch LTI 1.3 tools (every current one does; an old install may only do 1.1).
    pub lms_lti13: bool,
    pub sis: Option<String>,
    pub rostering: Option<RosterMethod>,
    pub content_filter: Option<String>,
    /// Internet bandwidth per school, in Mbit/s, by Steward school id.
    pub bandwidth: Vec<(i64, u32)>,
}

impl InfraProfile {
    pub fn devices_on(&self, p: Platform) -> u32 {
        self.devices.iter().find(|(d, _)| *d == p).map_or(0, |(_, n)| *n)
    }

    pub fn bandwidth_of(&self, school: i64) -> Option<u32> {
        self.bandwidth.iter().find(|(s, _)| *s == school).map(|(_, m)| *m)
    }

    /// The profile as submitted: `devices.PLATFORM` counts, repeated `browsers`, `identity` and `lms`, `lms_lti13`,
    /// `sis`, `rostering`, `content_filter`, and `bandwidth.SCHOOL_ID` in Mbit/s for each of `schools`.
    pub fn from_pairs(pairs: &[(String, String)], schools: &[i64]) -> Result<Self, FieldErrors> {
        let p = crate::fields::Pairs(pairs);
        let (one, many) = (|k: &str| p.one(k), |k: &str| p.many(k));
        let mut e = FieldErrors::new();
        let count = |e: &mut FieldErrors, field: &str, what: &str| -> Option<u32> {
            let v = one(field);
            if v.is_empty() {
                return Some(0);
            }
            e.check(field, v.replace(',', "").parse::<u32>().map_err(|_| format!("'{v}' is not a number of {what}")))
        };
        let mut devices = Vec::new();
        for p in DEVICE_PLATFORMS {
            if let Some(n) = count(&mut e, &format!("devices.{}", p.code()), "devices").filter(|n| *n > 0) {
                devices.push((*p, n));
            }
        }
        let mut bandwidth = Vec::new();
        for s in schools {
            if let Some(n) = count(&mut e, &format!("bandwidth.{s}"), "Mbit/s").filter(|n| *n > 0) {
                bandwidth.push((*s, n));
            }
        }
        let identity = e.check("identity", SignOn::parse_list(&many("identity"))).unwrap_or_default();
        if identity.iter().any(|i| !IDENTITY_PROVIDERS.contains(i)) {
            e.add("identity", "choose identity providers the district runs");
        }
        let rostering = match one("rostering").as_str() {
            "" => None,
            code => e.check("rostering", RosterMethod::parse(code)),
        };
        let profile = InfraProfile {
            devices,
            browsers: e.check("browsers", Browser::parse_list(&many("browsers"))).unwrap_or_default(),
            identity,
            lms: e.check("lms", Lms::parse_list(&many("lms"))).unwrap_or_default(),
            lms_lti13: !one("lms_lti13").is_empty(),
            sis: e.check("sis", optional_text(&one("sis"), 200)).flatten(),
            rostering,
            content_filter: e.check("content_filter", optional_text(&one("content_filter"), 200)).flatten(),
            bandwidth,
        };
        e.into_result(profile)
    }
}

/// What a product declares it needs, beyond the inventory's platforms, sign-on, standards and accessibility.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProductNeeds {
    /// The browsers it supports; empty when any current browser works.
    pub browsers: Vec<Browser>,
    /// Bandwidth one active user needs, in kbit/s, when the vendor says.
    pub kbps_per_user: Option<u32>,
}

impl ProductNeeds {
    /// `browsers` (repeated) and `kbps_per_user`.
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let p = crate::fields::Pairs(pairs);
        let browsers = e.check("browsers", Browser::parse_list(&p.many("browsers"))).unwrap_or_default();
        let kbps = p.one("kbps_per_user");
        let kbps = kbps.as_str();
        let kbps_per_user = if kbps.is_empty() {
            None
        } else {
            e.check(
                "kbps_per_user",
                kbps.parse::<u32>().ok().filter(|n| *n > 0).ok_or(format!("'{kbps}' is not a number of kbit/s")),
            )
        };
        e.into_result(ProductNeeds { browsers, kbps_per_user })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    #[test]
    fn a_profile_is_read_with_every_mistake_named() {
        let ok = InfraProfile::from_pairs(
            &[
                p("devices.chromeos", "1,200"),
                p("devices.ipados", "300"),
                p("browsers", "chrome"),
                p("identity", "google"),
                p("lms", "canvas"),
                p("lms_lti13", "1"),
                p("rostering", "oneroster_csv"),
                p("bandwidth.7", "500"),
            ],
            &[7, 8],
        )
        .unwrap();
        assert_eq!(ok.devices, vec![(Platform::Chromeos, 1200), (Platform::Ipados, 300)]);
        assert_eq!((ok.bandwidth_of(7), ok.bandwidth_of(8)), (Some(500), None));
        assert!(ok.lms_lti13);
        let e = InfraProfile::from_pairs(
            &[
                p("devices.windows", "many"),
                p("identity", "local_account"),
                p("rostering", "fax"),
                p("bandwidth.8", "-1"),
            ],
            &[8],
        )
        .unwrap_err();
        for f in ["devices.windows", "identity", "rostering", "bandwidth.8"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
    }

    #[test]
    fn needs_are_read() {
        let n = ProductNeeds::from_pairs(&[p("browsers", "chrome"), p("browsers", "edge"), p("kbps_per_user", "256")]);
        assert_eq!(
            n.unwrap(),
            ProductNeeds { browsers: vec![Browser::Chrome, Browser::Edge], kbps_per_user: Some(256) }
        );
        assert!(ProductNeeds::from_pairs(&[p("kbps_per_user", "0")]).unwrap_err().get("kbps_per_user").is_some());
    }
}
