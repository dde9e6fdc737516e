//! The rule that spans rows of roles.csv: a user has at most one primary role in each org.

use super::canonical::Record;
use super::fingerprint::{FingerprintMap, Fingerprinter};
use super::row::Status;
use crate::problem::{Problem, Problems, Severity};

/// The first primary role seen per (user, org), by fingerprint of the pair, with its line.
#[derive(Default)]
pub(crate) struct PrimaryRoles {
    first: FingerprintMap<u64>,
}

impl PrimaryRoles {
    /// Reports a primary role after the first for the same user and org, and returns true for it. The spec allows
    /// one primary role per org; with two, which one holds is undefined, so it is an error in both strictnesses.
    /// Rows being deleted (`tobedeleted`) do not count; rows with other errors do.
    pub fn check(&mut self, fingerprints: &Fingerprinter, role: &Record, line: u64, problems: &mut Problems) -> bool {
        let primary = role.get("roles", "roleType") == Some("primary");
        if !primary || role.status == Some(Status::ToBeDeleted) {
            return false;
        }
        let (Some(user), Some(org)) = (role.get("roles", "userSourcedId"), role.get("roles", "orgSourcedId")) else {
            return false;
        };
        let key = fingerprints.of_pair(user, org);
        let Some(earlier) = self.first.get(&key) else {
            self.first.insert(key, line);
            return false;
        };
        problems.push(Problem {
            file: "roles.csv".into(),
            line: Some(line),
            column: Some("roleType".into()),
            value: Some("primary".into()),
            rule: format!("user {user} already has a primary role in org {org} (line {earlier}); at most one per org"),
            severity: Severity::Error,
        });
        true
    }
}
