//! The rule that spans rows of roles.csv: a user has at most one primary role in each org.

use std::collections::HashMap;

use super::records::Role;
use super::row::Status;
use crate::problem::{Problem, Problems, Severity};

/// Reports every primary role after the first for the same user and org, and returns the (file stem, line) of
/// those rows. The spec allows one primary role per org; with two, which one holds is undefined, so it is an
/// error in both strictnesses. Rows being deleted (`tobedeleted`) do not count.
pub(crate) fn one_primary_per_org(roles: &[Role], sink: &mut Problems) -> Vec<(String, u64)> {
    let mut first: HashMap<(&str, &str), u64> = HashMap::new();
    let mut bad = Vec::new();
    for role in roles.iter().filter(|r| r.role_type == "primary" && r.common.status != Some(Status::ToBeDeleted)) {
        let key = (role.user_sourced_id.as_str(), role.org_sourced_id.as_str());
        let Some(earlier) = first.get(&key) else {
            first.insert(key, role.common.line);
            continue;
        };
        sink.push(Problem {
            file: "roles.csv".into(),
            line: Some(role.common.line),
            column: Some("roleType".into()),
            value: Some("primary".into()),
            rule: format!(
                "user {} already has a primary role in org {} (line {earlier}); at most one per org",
                key.0, key.1
            ),
            severity: Severity::Error,
        });
        bad.push(("roles".to_owned(), role.common.line));
    }
    bad
}
