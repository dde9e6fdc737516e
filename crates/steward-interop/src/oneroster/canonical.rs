//! The one shape every OneRoster record is kept in once read: the 1.2 spec columns in order, then extensions.
//!
//! Whatever version a package declares, its rows become [`Record`]s of the 1.2 table of their file
//! ([`spec::columns`] with [`Version::V1_2`]); 1.1 users' `role`/`orgSourcedIds` become `roles` records, and 1.1
//! lineItems' `gradingPeriodSourcedId` becomes `academicSessionSourcedId`. Values are normalised as Lenient reads
//! them (`TRUE` → `true`, a zone-less `dateLastModified` → UTC), so storing, exporting and serving need no rules of
//! their own.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::row::Status;
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
