//! A product in the inventory, validated from what a form or the API submitted.

use crate::enums::*;
use crate::fields::{optional_date, optional_text, optional_url, required_text, FieldErrors};
use crate::grade::GradeBand;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A product as submitted: every value still text, so that each can be checked and reported by field.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProductDraft {
    pub name: String,
    pub vendor_id: String,
    pub category_id: String,
    pub description: String,
    pub website: String,
    pub launch_url: String,
    pub grades: String,
    pub subjects: Vec<String>,
    pub platforms: Vec<String>,
    pub sign_on: Vec<String>,
    pub interop: Vec<String>,
    pub wcag: String,
    pub vpat_url: String,
    pub data_elements: Vec<String>,
    pub third_parties: String,
    pub dpa_status: String,
    pub dpa_expires: String,
    pub essa_tier: String,
    pub status: String,
    pub scope: String,
    /// With scope `some_schools`: the schools it is approved for.
    pub scope_schools: Vec<String>,
    /// With scope `some_grades`: the grades it is approved for, such as 6-8.
    pub scope_grades: String,
}

/// A valid product, ready to be stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductInput {
    pub name: String,
    pub vendor_id: i64,
    pub category_id: i64,
    pub description: Option<String>,
    pub website: Option<String>,
    pub launch_url: Option<String>,
    pub grades: GradeBand,
    pub subjects: Vec<Subject>,
    pub platforms: Vec<Platform>,
    pub sign_on: Vec<SignOn>,
    pub interop: Vec<Interop>,
    pub wcag: WcagLevel,
    pub vpat_url: Option<String>,
    pub data_elements: Vec<DataElement>,
    pub third_parties: Option<String>,
    pub dpa_status: DpaStatus,
    pub dpa_expires: Option<NaiveDate>,
    pub essa_tier: EssaTier,
    pub status: ProductStatus,
    pub scope: Scope,
    /// The schools a `some_schools` product is approved for; empty otherwise.
    pub scope_schools: Vec<i64>,
    /// The grades a `some_grades` product is approved for; `None` otherwise.
    pub scope_grades: Option<GradeBand>,
}

/// Parses a positive database id given as text.
pub fn parse_id(value: &str, what: &str) -> Result<i64, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!("choose a {what}"));
    }
    v.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| format!("'{v}' is not a {what} id"))
}

/// Parses a list of ids, rejecting duplicates.
pub(crate) fn parse_ids(values: &[String], what: &str) -> Result<Vec<i64>, String> {
    let mut out = Vec::new();
    for v in values.iter().filter(|v| !v.trim().is_empty()) {
        let id = parse_id(v, what)?;
        if out.contains(&id) {
            return Err(format!("{what} {id} is listed twice"));
        }
        out.push(id);
    }
    out.sort_unstable();
    Ok(out)
}

pub(crate) fn one<V: Vocabulary>(value: &str, default: Option<V>) -> Result<V, String> {
    match (value.trim().is_empty(), default) {
        (true, Some(d)) => Ok(d),
        (true, None) => Err("is required".into()),
        _ => V::parse(value),
    }
}

impl ProductDraft {
    /// Checks every field and the rules between them, reporting all problems at once.
    pub fn validate(&self) -> Result<ProductInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", required_text(&self.name, 200));
        let vendor_id = e.check("vendor_id", parse_id(&self.vendor_id, "vendor"));
        let category_id = e.check("category_id", parse_id(&self.category_id, "category"));
        let description = e.check("description", optional_text(&self.description, 4000));
        let website = e.check("website", optional_url(&self.website));
        let launch_url = e.check("launch_url", optional_url(&self.launch_url));
        let grades = e.check(
            "grades",
            if self.grades.trim().is_empty() {
                Err("is required, such as K-5 or 9-12".into())
            } else {
                GradeBand::parse(&self.grades)
            },
        );
        let subjects = e.check("subjects", Subject::parse_list(&self.subjects));
        let platforms = e.check("platforms", Platform::parse_list(&self.platforms));
        let sign_on = e.check("sign_on", SignOn::parse_list(&self.sign_on));
        let interop = e.check("interop", Interop::parse_list(&self.interop));
        let wcag = e.check("wcag", one(&self.wcag, Some(WcagLevel::Unknown)));
        let vpat_url = e.check("vpat_url", optional_url(&self.vpat_url));
        let data_elements = e.check("data_elements", DataElement::parse_list(&self.data_elements));
        let third_parties = e.check("third_parties", optional_text(&self.third_parties, 1000));
        let dpa_status = e.check("dpa_status", one(&self.dpa_status, Some(DpaStatus::None)));
        let dpa_expires = e.check("dpa_expires", optional_date(&self.dpa_expires));
        let essa_tier = e.check("essa_tier", one(&self.essa_tier, Some(EssaTier::None)));
        let status = e.check("status", one(&self.status, Some(ProductStatus::Requested)));
        let scope = e.check("scope", one(&self.scope, Some(Scope::DistrictWide)));
        let scope_schools = e.check("scope_schools", parse_ids(&self.scope_schools, "school"));
        let scope_grades = e.check(
            "scope_grades",
            if self.scope_grades.trim().is_empty() { Ok(None) } else { GradeBand::parse(&self.scope_grades).map(Some) },
        );
        match (scope, &scope_schools, scope_grades) {
            (Some(Scope::SomeSchools), Some(ids), _) if ids.is_empty() => {
                e.add("scope_schools", "choose the schools it is approved for")
            }
            (Some(s), Some(ids), _) if s != Scope::SomeSchools && !ids.is_empty() => {
                e.add("scope_schools", "schools are named only when the scope is some schools")
            }
            _ => {}
        }
        match (scope, scope_grades, grades) {
            (Some(Scope::SomeGrades), Some(None), _) => {
                e.add("scope_grades", "give the grades it is approved for, such as 6-8")
            }
            (Some(s), Some(Some(_)), _) if s != Scope::SomeGrades => {
                e.add("scope_grades", "grades are named only when the scope is some grades")
            }
            (Some(Scope::SomeGrades), Some(Some(approved)), Some(band))
                if approved.low < band.low || approved.high > band.high =>
            {
                e.add("scope_grades", format!("must lie within the product's grades, {band}"))
            }
            _ => {}
        }

        if let (Some(elements), Some(dpa)) = (&data_elements, dpa_status) {
            if !elements.is_empty() && dpa == DpaStatus::NotRequired {
                e.add("dpa_status", "a product that collects student data needs a data-privacy agreement");
            }
        }
        if let (Some(DpaStatus::Signed), Some(None)) = (dpa_status, dpa_expires) {
            e.add("dpa_expires", "a signed agreement needs its expiry date");
        }
        if let (Some(subjects), Some(status)) = (&subjects, status) {
            if subjects.is_empty() && status.is_approved() {
                e.add("subjects", "an approved product needs at least one subject");
            }
        }
        if !e.is_empty() {
            return Err(e);
        }
        // Every field parsed, so every Option above is Some.
        Ok(ProductInput {
            name: name.unwrap_or_default(),
            vendor_id: vendor_id.unwrap_or_default(),
            category_id: category_id.unwrap_or_default(),
            description: description.flatten(),
            website: website.flatten(),
            launch_url: launch_url.flatten(),
            grades: grades.expect("checked"),
            subjects: subjects.unwrap_or_default(),
            platforms: platforms.unwrap_or_default(),
            sign_on: sign_on.unwrap_or_default(),
            interop: interop.unwrap_or_default(),
            wcag: wcag.expect("checked"),
            vpat_url: vpat_url.flatten(),
            data_elements: data_elements.unwrap_or_default(),
            third_parties: third_parties.flatten(),
            dpa_status: dpa_status.expect("checked"),
            dpa_expires: dpa_expires.flatten(),
            essa_tier: essa_tier.expect("checked"),
            status: status.expect("checked"),
            scope: scope.expect("checked"),
            scope_schools: scope_schools.unwrap_or_default(),
            scope_grades: scope_grades.flatten(),
        })
    }
}

impl ProductInput {
    /// The draft that produces this product, for filling an edit form.
    pub fn to_draft(&self) -> ProductDraft {
        fn codes<V: Vocabulary>(vs: &[V]) -> Vec<String> {
            vs.iter().map(|v| v.code().to_owned()).collect()
        }
        ProductDraft {
            name: self.name.clone(),
            vendor_id: self.vendor_id.to_string(),
            category_id: self.category_id.to_string(),
            description: self.description.clone().unwrap_or_default(),
            website: self.website.clone().unwrap_or_default(),
            launch_url: self.launch_url.clone().unwrap_or_default(),
            grades: self.grades.to_string(),
            subjects: codes(&self.subjects),
            platforms: codes(&self.platforms),
            sign_on: codes(&self.sign_on),
            interop: codes(&self.interop),
            wcag: self.wcag.code().into(),
            vpat_url: self.vpat_url.clone().unwrap_or_default(),
            data_elements: codes(&self.data_elements),
            third_parties: self.third_parties.clone().unwrap_or_default(),
            dpa_status: self.dpa_status.code().into(),
            dpa_expires: self.dpa_expires.map(|d| d.to_string()).unwrap_or_default(),
            essa_tier: self.essa_tier.code().into(),
            status: self.status.code().into(),
            scope: self.scope.code().into(),
            scope_schools: self.scope_schools.iter().map(ToString::to_string).collect(),
            scope_grades: self.scope_grades.map(|g| g.to_string()).unwrap_or_default(),
        }
    }

    /// The host a launch URL or website points at, normalised as usage events' hosts are, to match them.
    pub fn launch_domain(&self) -> Option<String> {
        crate::usage::host_of(self.launch_url.as_deref().or(self.website.as_deref())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ProductDraft {
        ProductDraft {
            name: "Number Garden".into(),
            vendor_id: "3".into(),
            category_id: "2".into(),
            grades: "K-5".into(),
            subjects: vec!["math".into()],
            status: "approved".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_minimal_draft_is_valid_with_defaults() {
        let p = draft().validate().unwrap();
        assert_eq!(p.wcag, WcagLevel::Unknown);
        assert_eq!(p.scope, Scope::DistrictWide);
        assert_eq!(p.to_draft().validate().unwrap(), p);
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut d = draft();
        d.name = " ".into();
        d.website = "not a url".into();
        d.grades = "K-14".into();
        d.subjects = vec!["astrology".into()];
        d.dpa_expires = "31/12/2026".into();
        let e = d.validate().unwrap_err();
        for f in ["name", "website", "grades", "subjects", "dpa_expires"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
        assert!(e.get("subjects").unwrap().contains("astrology"));
    }

    #[test]
    fn cross_field_rules() {
        let mut d = draft();
        d.data_elements = vec!["name".into()];
        d.dpa_status = "not_required".into();
        assert!(d.validate().unwrap_err().get("dpa_status").is_some());
        d.dpa_status = "signed".into();
        assert!(d.validate().unwrap_err().get("dpa_expires").is_some());
        d.dpa_expires = "2027-06-30".into();
        assert!(d.validate().is_ok());
    }

    #[test]
    fn scope_names_its_schools_or_grades() {
        let mut d = draft();
        d.scope = "some_schools".into();
        assert!(d.validate().unwrap_err().get("scope_schools").is_some());
        d.scope_schools = vec!["4".into(), "9".into()];
        d.scope_schools = vec!["9".into(), "4".into()];
        assert_eq!(d.validate().unwrap().scope_schools, [4, 9], "kept in order");
        d.scope = "some_grades".into();
        let e = d.validate().unwrap_err();
        assert!(e.get("scope_schools").is_some() && e.get("scope_grades").is_some());
        d.scope_schools.clear();
        d.scope_grades = "4-8".into();
        assert!(d.validate().unwrap_err().get("scope_grades").unwrap().contains("K–5"));
        d.scope_grades = "4-5".into();
        let p = d.validate().unwrap();
        assert_eq!(p.scope_grades.unwrap().to_string(), "4–5");
        assert_eq!(p.to_draft().validate().unwrap(), p);
    }

    #[test]
    fn launch_domain_prefers_the_launch_url() {
        let mut d = draft();
        d.website = "https://www.numbergarden.com/about".into();
        assert_eq!(d.validate().unwrap().launch_domain().as_deref(), Some("numbergarden.com"));
        d.launch_url = "https://app.numbergarden.com/login".into();
        assert_eq!(d.validate().unwrap().launch_domain().as_deref(), Some("app.numbergarden.com"));
    }
}
