//! OneRoster 1.1 records in their 1.2 form: users' `role` and `orgSourcedIds` become roles records, and line
//! items take their class's school.

use std::collections::HashMap;

use super::canonical::Record;
use super::package::Package;
use super::records::User;
use super::spec::{Mode, Version};

/// Completes the canonical records of a 1.1 package; a 1.2 package is left as read. Runs after rows with
/// errors are dropped, so it sees only clean records.
pub(crate) fn to_1_2(package: &mut Package, version: Version) {
    if version != Version::V1_1 {
        return;
    }
    if let Some(mode) = package.modes.get("users").copied() {
        roles_from_users(package, mode);
    }
    line_item_schools(package);
}

/// One roles record per org of each user, the first org primary and the user's primaryOrg; the roles take the
/// users file's mode.
fn roles_from_users(package: &mut Package, mode: Mode) {
    let org_types: HashMap<&str, &str> =
        package.orgs.iter().map(|o| (o.common.sourced_id.as_str(), o.org_type.as_str())).collect();
    let users: HashMap<&str, &User> = package.users.iter().map(|u| (u.common.sourced_id.as_str(), u)).collect();
    let mut roles = Vec::new();
    for record in package.records.get_mut("users").into_iter().flatten() {
        let Some(user) = users.get(record.sourced_id.as_str()) else { continue };
        let role = user.role_1_1.as_deref().unwrap_or_default();
        for (i, org) in user.org_sourced_ids_1_1.iter().enumerate() {
            let mut r = Record::blank("roles", &role_sourced_id(&record.sourced_id, org));
            r.status = record.status;
            r.date_last_modified = record.date_last_modified;
            r.set("roles", "userSourcedId", Some(record.sourced_id.clone()));
            r.set("roles", "roleType", Some(if i == 0 { "primary" } else { "secondary" }.to_owned()));
            r.set("roles", "role", Some(role_1_2(role, org_types.get(org.as_str()).copied()).to_owned()));
            r.set("roles", "orgSourcedId", Some(org.clone()));
            roles.push(r);
        }
        record.set("users", "primaryOrgSourcedId", user.org_sourced_ids_1_1.first().cloned());
    }
    package.records.insert("roles".to_owned(), roles);
    package.modes.insert("roles".to_owned(), mode);
}

/// The 1.2 role of a 1.1 role in an org of type `org_type` (`None` when the org is not in the package). 1.1 has one
/// `administrator`; 1.2 splits it by level, and a school's administrator is its site administrator. An org of
/// unknown type is taken for a school, the more common and the narrower grant.
pub(crate) fn role_1_2<'a>(role: &'a str, org_type: Option<&str>) -> &'a str {
    match (role, org_type) {
        ("administrator", Some("school") | None) => "siteAdministrator",
        ("administrator", Some(_)) => "districtAdministrator",
        _ => role,
    }
}

/// A roles sourcedId that is the same on every import of the same user and org: `{user}.{org}.role`. Both parts
/// are GUIDs, so this is one too, unless it would reach 256 characters; then the user part is shortened and a
/// hash of both keeps it unique.
pub(crate) fn role_sourced_id(user: &str, org: &str) -> String {
    let id = format!("{user}.{org}.role");
    if id.len() < 256 {
        return id;
    }
    // FNV-1a: stable across runs and platforms, unlike std's hasher.
    let hash = format!("{user}\n{org}")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3));
    // GUIDs are ASCII, so any byte index is a character boundary.
    format!("{}.{hash:016x}.role", &user[..user.len().min(200)])
}

/// A 1.1 line item has no school; 1.2 requires one, and it is its class's. A class outside the package (a delta
/// pointing at an earlier import) leaves it blank for the store to fill.
fn line_item_schools(package: &mut Package) {
    let schools: HashMap<&str, &str> =
        package.classes.iter().map(|c| (c.common.sourced_id.as_str(), c.school_sourced_id.as_str())).collect();
    for item in package.records.get_mut("lineItems").into_iter().flatten() {
        let school = item.get("lineItems", "classSourcedId").and_then(|c| schools.get(c)).map(|s| (*s).to_owned());
        item.set("lineItems", "schoolSourcedId", school);
    }
}

#[cfg(test)]
mod tests {
    use super::{role_1_2, role_sourced_id};

    #[test]
    fn administrators_split_by_org_type_and_other_roles_keep_their_name() {
        assert_eq!(role_1_2("administrator", Some("school")), "siteAdministrator");
        assert_eq!(role_1_2("administrator", Some("district")), "districtAdministrator");
        assert_eq!(role_1_2("administrator", None), "siteAdministrator");
        for role in ["teacher", "student", "aide", "guardian", "parent", "proctor", "relative"] {
            assert_eq!(role_1_2(role, Some("district")), role);
        }
    }

    #[test]
    fn role_sourced_ids_are_stable_guids_under_256_characters() {
        assert_eq!(role_sourced_id("u1", "s1"), "u1.s1.role");
        let (user, org) = ("u".repeat(200), "o".repeat(100));
        let long = role_sourced_id(&user, &org);
        assert!(long.len() < 256, "{}", long.len());
        assert_eq!(long, role_sourced_id(&user, &org));
        assert_ne!(long, role_sourced_id(&user, &"p".repeat(100)));
        assert!(long.chars().all(|c| c.is_ascii_alphanumeric() || c == '.'));
    }
}
