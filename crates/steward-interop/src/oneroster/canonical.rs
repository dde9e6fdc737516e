//! The one shape every OneRoster record is kept in once read: the 1.2 spec columns in order, then extensions.
//!
//! Whatever version a package declares, its rows become [`Record`]s of the 1.2 table of their file
//! ([`spec::columns`] with [`Version::V1_2`]); 1.1 users' `role`/`orgSourcedIds` become `roles` records, and 1.1
//! lineItems' `gradingPeriodSourcedId` becomes `academicSessionSourcedId`. Values are normalised as Lenient reads
//! them (`TRUE` → `true`, a zone-less `dateLastModified` → UTC, dates `YYYY-MM-DD`, numbers in their shortest form,
//! lists trimmed and joined with `,`, a CASE learning objective id as its bare lowercase UUID), so storing, exporting
//! and serving need no rules of their own. `password` (users, userProfiles) is always `None`: Steward never keeps
//! OneRoster passwords.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::records::{AcademicSession, Class, Course, Demographic, Enrollment, Org, Role, User};
use super::row::{Common, Status};
use super::spec::{self, Version};

/// One record of one file in canonical 1.2 form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub sourced_id: String,
    /// `None` for bulk rows (Record[-] in the spec's state diagram).
    pub status: Option<Status>,
    pub date_last_modified: Option<DateTime<Utc>>,
    /// The values of the file's 1.2 spec columns after the common three, in spec order ([`data_columns`]); `None`
    /// when blank. Lists keep the CSV form (`a,b`).
    pub values: Vec<Option<String>>,
    /// `metadata.*` and vendor columns by header name; blank values are left out.
    pub extensions: BTreeMap<String, String>,
}

impl Record {
    /// A record of `file` with every value blank.
    pub fn blank(file: &str, sourced_id: &str) -> Record {
        Record {
            sourced_id: sourced_id.to_owned(),
            status: None,
            date_last_modified: None,
            values: vec![None; data_columns(file).len()],
            extensions: BTreeMap::new(),
        }
    }

    /// Sets the 1.2 column `name` of `file`; a name the file does not have is ignored.
    pub fn set(&mut self, file: &str, name: &str, value: Option<String>) {
        if let Some(slot) = data_columns(file).iter().position(|c| *c == name).and_then(|at| self.values.get_mut(at)) {
            *slot = value;
        }
    }

    /// The value of the 1.2 column `name` of `file`, if the column exists and the value is not blank.
    pub fn get(&self, file: &str, name: &str) -> Option<&str> {
        let at = data_columns(file).iter().position(|c| *c == name)?;
        self.values.get(at)?.as_deref()
    }
}

/// The 1.2 spec columns of `file` after `sourcedId,status,dateLastModified`, in order; empty for unknown files.
pub fn data_columns(file: &str) -> Vec<&'static str> {
    spec::columns(file, Version::V1_2)
        .map(|cols| cols.into_iter().skip(3).map(|c| c.name).collect())
        .unwrap_or_default()
}

/// The common fields read from a row, with the file's values.
pub(crate) fn from_row(common: Common, values: Vec<Option<String>>) -> Record {
    let Common { sourced_id, status, date_last_modified, extensions, .. } = common;
    Record { sourced_id, status, date_last_modified, values, extensions }
}

/// A typed rostering record as its common fields and its values in the order of its file's 1.2 columns.
pub(crate) trait Canonical {
    fn parts(&self) -> (&Common, Vec<Option<String>>);

    fn to_record(&self) -> Record {
        let (common, values) = self.parts();
        from_row(common.clone(), values)
    }
}

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

fn opt<T: ToString>(value: &Option<T>) -> Option<String> {
    value.as_ref().map(ToString::to_string)
}

/// A list in its CSV form; `None` when empty.
pub(crate) fn joined(items: &[String]) -> Option<String> {
    (!items.is_empty()).then(|| items.join(","))
}

impl Canonical for Org {
    fn parts(&self) -> (&Common, Vec<Option<String>>) {
        let values = vec![text(&self.name), text(&self.org_type), opt(&self.identifier), opt(&self.parent_sourced_id)];
        (&self.common, values)
    }
}

impl Canonical for AcademicSession {
    fn parts(&self) -> (&Common, Vec<Option<String>>) {
        let values = vec![
            text(&self.title),
            text(&self.session_type),
            Some(self.start_date.to_string()),
            Some(self.end_date.to_string()),
            opt(&self.parent_sourced_id),
            Some(format!("{:04}", self.school_year)),
        ];
        (&self.common, values)
    }
}

impl Canonical for Course {
    fn parts(&self) -> (&Common, Vec<Option<String>>) {
        let values = vec![
            opt(&self.school_year_sourced_id),
            text(&self.title),
            opt(&self.course_code),
            joined(&self.grades),
            text(&self.org_sourced_id),
            joined(&self.subjects),
            joined(&self.subject_codes),
        ];
        (&self.common, values)
    }
}

impl Canonical for Class {
    fn parts(&self) -> (&Common, Vec<Option<String>>) {
        let values = vec![
            text(&self.title),
            joined(&self.grades),
            text(&self.course_sourced_id),
            opt(&self.class_code),
            text(&self.class_type),
            opt(&self.location),
            text(&self.school_sourced_id),
            joined(&self.term_sourced_ids),
            joined(&self.subjects),
            joined(&self.subject_codes),
            joined(&self.periods),
        ];
        (&self.common, values)
    }
}

impl Canonical for User {
    /// A 1.1 user's primaryOrgSourcedId is filled in later, with its roles (`upgrade.rs`).
    fn parts(&self) -> (&Common, Vec<Option<String>>) {
        let values = vec![
            Some(self.enabled_user.to_string()),
            text(&self.username),
            joined(&self.user_ids),
            text(&self.given_name),
            text(&self.family_name),
            opt(&self.middle_name),
            opt(&self.identifier),
            opt(&self.email),
            opt(&self.sms),
            opt(&self.phone),
            joined(&self.agent_sourced_ids),
            joined(&self.grades),
            None, // password: never kept
            opt(&self.user_master_identifier),
            joined(&self.resource_sourced_ids),
            opt(&self.preferred_given_name),
            opt(&self.preferred_middle_name),
            opt(&self.preferred_family_name),
            opt(&self.primary_org_sourced_id),
            opt(&self.pronouns),
        ];
        (&self.common, values)
    }
}

impl Canonical for Role {
    fn parts(&self) -> (&Common, Vec<Option<String>>) {
        let values = vec![
            text(&self.user_sourced_id),
            text(&self.role_type),
            text(&self.role),
            opt(&self.begin_date),
            opt(&self.end_date),
            text(&self.org_sourced_id),
            opt(&self.user_profile_sourced_id),
        ];
        (&self.common, values)
    }
}

impl Canonical for Enrollment {
    fn parts(&self) -> (&Common, Vec<Option<String>>) {
        let values = vec![
            text(&self.class_sourced_id),
            text(&self.school_sourced_id),
            text(&self.user_sourced_id),
            text(&self.role),
            opt(&self.primary),
            opt(&self.begin_date),
            opt(&self.end_date),
        ];
        (&self.common, values)
    }
}

impl Canonical for Demographic {
    fn parts(&self) -> (&Common, Vec<Option<String>>) {
        let values = vec![
            opt(&self.birth_date),
            opt(&self.sex),
            opt(&self.american_indian_or_alaska_native),
            opt(&self.asian),
            opt(&self.black_or_african_american),
            opt(&self.native_hawaiian_or_other_pacific_islander),
            opt(&self.white),
            opt(&self.demographic_race_two_or_more_races),
            opt(&self.hispanic_or_latino_ethnicity),
            opt(&self.country_of_birth_code),
            opt(&self.state_of_birth_abbreviation),
            opt(&self.city_of_birth),
            opt(&self.public_school_residence_status),
        ];
        (&self.common, values)
    }
}
