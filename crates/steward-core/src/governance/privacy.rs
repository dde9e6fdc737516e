//! A product's privacy facts beyond the inventory's — what the privacy review records and what state laws ask a
//! district to publish — the DPA file's checks, and the fields the public product list may show.

use crate::fields::{optional_date, optional_text, optional_url};
use crate::FieldErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PrivacyFacts {
    /// The exclusive purposes the student data is used for (NY Ed Law 2-D).
    pub purposes: Option<String>,
    /// How the vendor binds its subcontractors to the same protections (2-D).
    pub subcontractors: Option<String>,
    /// Whether the product shows targeted advertising or sells data: the DPA forbids both; true is a finding.
    pub advertising: bool,
    /// How consent for users under 13 is obtained (COPPA): the school's consent, or parents'.
    pub coppa_consent: Option<String>,
    /// What happens to the data when the contract ends, and when (2-D, Ohio SB 29).
    pub deletion: Option<String>,
    /// Where the data is stored and how it is protected, including encryption (2-D).
    pub storage: Option<String>,
    /// How a parent or student may challenge the accuracy of the data (2-D).
    pub challenge: Option<String>,
    pub dpa_requested: Option<NaiveDate>,
    pub dpa_signed: Option<NaiveDate>,
    /// The National DPA's fields: its version, the vendor's and the district's signatories, and whether the vendor
    /// signed Exhibit E, its general offer to every district.
    pub ndpa_version: Option<String>,
    pub vendor_signatory: Option<String>,
    pub district_signatory: Option<String>,
    pub general_offer: bool,
    /// A public link to the signed DPA.
    pub dpa_url: Option<String>,
}

/// The privacy form as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PrivacyDraft {
    pub purposes: String,
    pub subcontractors: String,
    pub advertising: String,
    pub coppa_consent: String,
    pub deletion: String,
    pub storage: String,
    pub challenge: String,
    pub dpa_requested: String,
    pub dpa_signed: String,
    pub ndpa_version: String,
    pub vendor_signatory: String,
    pub district_signatory: String,
    pub general_offer: String,
    pub dpa_url: String,
}

impl PrivacyDraft {
    pub fn from_facts(f: &PrivacyFacts) -> Self {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let d = |v: &Option<NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
        let b = |v: bool| if v { "1".to_owned() } else { String::new() };
        PrivacyDraft {
            purposes: s(&f.purposes),
            subcontractors: s(&f.subcontractors),
            advertising: b(f.advertising),
            coppa_consent: s(&f.coppa_consent),
            deletion: s(&f.deletion),
            storage: s(&f.storage),
            challenge: s(&f.challenge),
            dpa_requested: d(&f.dpa_requested),
            dpa_signed: d(&f.dpa_signed),
            ndpa_version: s(&f.ndpa_version),
            vendor_signatory: s(&f.vendor_signatory),
            district_signatory: s(&f.district_signatory),
            general_offer: b(f.general_offer),
            dpa_url: s(&f.dpa_url),
        }
    }

    pub fn validate(&self) -> Result<PrivacyFacts, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut text = |field: &str, v: &str| e.check(field, optional_text(v, 2000)).flatten();
        let facts = PrivacyFacts {
            purposes: text("purposes", &self.purposes),
            subcontractors: text("subcontractors", &self.subcontractors),
            coppa_consent: text("coppa_consent", &self.coppa_consent),
            deletion: text("deletion", &self.deletion),
            storage: text("storage", &self.storage),
            challenge: text("challenge", &self.challenge),
            ndpa_version: text("ndpa_version", &self.ndpa_version),
            vendor_signatory: text("vendor_signatory", &self.vendor_signatory),
            district_signatory: text("district_signatory", &self.district_signatory),
            advertising: !self.advertising.is_empty(),
            general_offer: !self.general_offer.is_empty(),
            dpa_requested: e.check("dpa_requested", optional_date(&self.dpa_requested)).flatten(),
            dpa_signed: e.check("dpa_signed", optional_date(&self.dpa_signed)).flatten(),
            dpa_url: e.check("dpa_url", optional_url(&self.dpa_url)).flatten(),
        };
        if let (Some(r), Some(s)) = (facts.dpa_requested, facts.dpa_signed) {
            if s < r {
                e.add("dpa_signed", "the DPA is signed on or after the day it was requested");
            }
        }
        e.into_result(facts)
    }
}

/// The largest DPA file kept.
pub const MAX_DPA_BYTES: usize = 10 * 1024 * 1024;

/// Checks an uploaded DPA: a PDF (by its content, not its name) of at most [`MAX_DPA_BYTES`].
pub fn check_dpa_file(name: &str, bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Err("the file is empty".into());
    }
    if bytes.len() > MAX_DPA_BYTES {
        return Err(format!("the file is {:.1} MB; the largest kept is 10 MB", bytes.len() as f64 / 1_048_576.0));
    }
    if !bytes.starts_with(b"%PDF-") {
        return Err(format!("'{name}' is not a PDF; upload the signed DPA as a PDF"));
    }
    Ok(())
}

/// A field the public product list may show: its code, its heading and the law that asks for it, if one does.
pub const PUBLIC_FIELDS: &[(&str, &str, Option<&str>)] = &[
    ("vendor", "Vendor", Some("Ohio SB 29, NY Ed Law 2-D")),
    ("description", "Description", None),
    ("website", "Website", None),
    ("grades", "Grades", None),
    ("subjects", "Subjects", None),
    ("data_elements", "Student data collected", Some("Ohio SB 29, NY Ed Law 2-D")),
    ("purposes", "Purposes the data is used for", Some("NY Ed Law 2-D")),
    ("third_parties", "Third parties", Some("NY Ed Law 2-D")),
    ("subcontractors", "How subcontractors are bound", Some("NY Ed Law 2-D")),
    ("dpa_status", "DPA status", None),
    ("dpa_expires", "Contract or DPA end", Some("NY Ed Law 2-D")),
    ("dpa_url", "DPA link", Some("NY Ed Law 2-D")),
    ("deletion", "What happens to the data at the end", Some("Ohio SB 29, NY Ed Law 2-D")),
    ("storage", "Where the data is kept and how it is protected", Some("NY Ed Law 2-D")),
    ("challenge", "How to challenge the data's accuracy", Some("NY Ed Law 2-D")),
    ("conditions", "Conditions of use", None),
];

/// The fields shown when the district has not chosen: what the two laws ask for, and the basics.
pub fn default_public_fields() -> Vec<String> {
    PUBLIC_FIELDS
        .iter()
        .filter(|(c, _, law)| law.is_some() || ["grades", "dpa_status"].contains(c))
        .map(|(c, _, _)| (*c).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpa_files_are_pdfs_of_a_bounded_size() {
        assert!(check_dpa_file("dpa.pdf", b"%PDF-1.7\n...").is_ok());
        assert!(check_dpa_file("dpa.pdf", b"PK\x03\x04").unwrap_err().contains("not a PDF"));
        assert!(check_dpa_file("x.pdf", b"").unwrap_err().contains("empty"));
        let big = [b"%PDF-".as_slice(), &vec![0u8; MAX_DPA_BYTES]].concat();
        assert!(check_dpa_file("big.pdf", &big).unwrap_err().contains("10 MB"));
    }

    #[test]
    fn privacy_facts_round_trip_and_dates_are_checked() {
        let d = PrivacyDraft {
            purposes: "Practice only".into(),
            advertising: "1".into(),
            dpa_requested: "2026-09-01".into(),
            dpa_signed: "2026-08-01".into(),
            dpa_url: "ftp://x".into(),
            ..Default::default()
        };
        let e = d.validate().unwrap_err();
        assert!(e.get("dpa_signed").is_some() && e.get("dpa_url").is_some(), "{e}");
        let ok = PrivacyDraft { dpa_signed: "2026-09-02".into(), dpa_url: "https://cedar.example/dpa.pdf".into(), ..d };
        let facts = ok.validate().unwrap();
        assert!(facts.advertising);
        assert_eq!(PrivacyDraft::from_facts(&facts).validate().unwrap(), facts);
        assert!(default_public_fields().contains(&"data_elements".to_owned()));
        assert!(!default_public_fields().contains(&"website".to_owned()));
    }
}
