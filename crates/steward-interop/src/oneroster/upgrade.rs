//! OneRoster 1.1 records in their 1.2 form: users' `role` and `orgSourcedIds` become roles records, and line
//! items take their class's school. Done row by row as the files stream by, from what earlier files left.

use std::collections::HashMap;

use super::canonical::Record;
use super::fingerprint::{FingerprintMap, Fingerprinter};
use super::spec::Version;

/// What a 1.1 package's upgrade needs from earlier files: the org types (for administrators' roles) and the classes'
/// schools (for line items), of clean records only. Empty, and never filled, for a 1.2 package.
pub(crate) struct Upgrade {
    v11: bool,
    /// Per org: whether it is a school, and its index among the orgs records handed over (to forget withdrawn ones).
    orgs: FingerprintMap<(bool, u64)>,
    /// Per class, its school as an index into `schools`: a district has far fewer schools than classes.
    classes: FingerprintMap<u32>,
    schools: Vec<String>,
    school_index: HashMap<String, u32>,
}

impl Upgrade {
    pub fn new(version: Version) -> Upgrade {
        Upgrade {
            v11: version == Version::V1_1,
            orgs: FingerprintMap::default(),
            classes: FingerprintMap::default(),
            schools: Vec::new(),
            school_index: HashMap::new(),
        }
    }

    /// Notes a clean record of `file` (handed over as `index`) that a later file's upgrade needs.
    pub fn note(&mut self, f: &Fingerprinter, file: &str, record: &Record, index: u64) {
        if !self.v11 {
            return;
        }
        match file {
            "orgs" => {
                let school = record.get("orgs", "type") == Some("school");
                self.orgs.insert(f.of(&record.sourced_id), (school, index));
            }
            "classes" => {
                let Some(school) = record.get("classes", "schoolSourcedId") else { return };
                let next = self.schools.len() as u32;
                let at = *self.school_index.entry(school.to_owned()).or_insert(next);
                if at == next {
                    self.schools.push(school.to_owned());
                }
                self.classes.insert(f.of(&record.sourced_id), at);
            }
            _ => {}
        }
    }

    /// Forgets orgs withdrawn when their file ended.
    pub fn withdraw_orgs(&mut self, indices: &[u64]) {
        if !indices.is_empty() {
            self.orgs.retain(|_, (_, index)| indices.binary_search(index).is_err());
        }
    }

    /// The roles records of a clean 1.1 user (`role` in each of `orgs`), one per org, the first primary and the
    /// user's primaryOrg; they take the user's status and dateLastModified.
    pub fn roles(&self, f: &Fingerprinter, user: &mut Record, role: &str, orgs: &[String]) -> Vec<Record> {
        let mut roles = Vec::with_capacity(orgs.len());
        for (i, org) in orgs.iter().enumerate() {
            let org_type = self.orgs.get(&f.of(org)).map(|(school, _)| if *school { "school" } else { "other" });
            let mut r = Record::blank("roles", &role_sourced_id(&user.sourced_id, org));
            r.status = user.status;
            r.date_last_modified = user.date_last_modified;
            r.set("roles", "userSourcedId", Some(user.sourced_id.clone()));
            r.set("roles", "roleType", Some(if i == 0 { "primary" } else { "secondary" }.to_owned()));
            r.set("roles", "role", Some(role_1_2(role, org_type).to_owned()));
            r.set("roles", "orgSourcedId", Some(org.clone()));
            roles.push(r);
        }
        user.set("users", "primaryOrgSourcedId", orgs.first().cloned());
        roles
    }

    /// A 1.1 line item has no school; 1.2 requires one, and it is its class's. A class outside the package (a delta
    /// pointing at an earlier import) leaves it blank for the store to fill.
    pub fn line_item_school(&self, f: &Fingerprinter, item: &mut Record) {
        let class = item.get("lineItems", "classSourcedId").map(|c| f.of(c));
        let school = class.and_then(|c| self.classes.get(&c)).map(|at| self.schools[*at as usize].clone());
        item.set("lineItems", "schoolSourcedId", school);
    }
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
