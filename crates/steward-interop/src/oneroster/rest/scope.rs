//! The OAuth 2.0 scopes of OneRoster 1.2 and 1.1 (read-only ones) and which record types each one opens.

use super::entity::{Entity, Service};
use crate::oneroster::spec::Version;

/// A read-only OneRoster scope, without its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// All rostering except demographics.
    RosterCore,
    /// All rostering, demographics included.
    Roster,
    RosterDemographics,
    Gradebook,
    Resource,
}

const GRANTS: &[(Grant, &str)] = &[
    (Grant::RosterCore, "roster-core.readonly"),
    (Grant::Roster, "roster.readonly"),
    (Grant::RosterDemographics, "roster-demographics.readonly"),
    (Grant::Gradebook, "gradebook.readonly"),
    (Grant::Resource, "resource.readonly"),
];

fn prefix(version: Version) -> &'static str {
    match version {
        Version::V1_1 => "https://purl.imsglobal.org/spec/or/v1p1/scope/",
        Version::V1_2 => "https://purl.imsglobal.org/spec/or/v1p2/scope/",
    }
}

/// Every scope Steward grants, 1.2 then 1.1.
pub fn all_scopes() -> Vec<String> {
    [Version::V1_2, Version::V1_1]
        .into_iter()
        .flat_map(|v| GRANTS.iter().map(move |(_, name)| format!("{}{name}", prefix(v))))
        .collect()
}

/// A scope URL Steward knows, as its grant and version.
pub fn parse_scope(s: &str) -> Option<(Grant, Version)> {
    [Version::V1_2, Version::V1_1].into_iter().find_map(|v| {
        let name = s.strip_prefix(prefix(v))?;
        GRANTS.iter().find(|(_, n)| *n == name).map(|(g, _)| (*g, v))
    })
}

/// Whether tokens with `granted` scopes may read `entity` records over the `version` API.
pub fn allows(granted: &[String], entity: Entity, version: Version) -> bool {
    let ok = |g: Grant| granted.iter().any(|s| parse_scope(s) == Some((g, version)));
    match (entity, entity.service()) {
        (Entity::Demographic, _) => ok(Grant::Roster) || ok(Grant::RosterDemographics),
        (_, Service::Rostering) => ok(Grant::Roster) || ok(Grant::RosterCore),
        (_, Service::Gradebook) => ok(Grant::Gradebook),
        (_, Service::Resources) => ok(Grant::Resource),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str, name: &str) -> String {
        format!("https://purl.imsglobal.org/spec/or/{v}/scope/{name}")
    }

    #[test]
    fn scopes_open_their_record_types_in_their_version_only() {
        let core = vec![s("v1p2", "roster-core.readonly")];
        assert!(allows(&core, Entity::User, Version::V1_2));
        assert!(!allows(&core, Entity::Demographic, Version::V1_2));
        assert!(!allows(&core, Entity::User, Version::V1_1));
        assert!(!allows(&core, Entity::Result, Version::V1_2));
        let demo = vec![s("v1p2", "roster-demographics.readonly")];
        assert!(allows(&demo, Entity::Demographic, Version::V1_2) && !allows(&demo, Entity::Class, Version::V1_2));
        let all = vec![s("v1p1", "roster.readonly"), s("v1p1", "gradebook.readonly"), s("v1p1", "resource.readonly")];
        for e in [Entity::Demographic, Entity::Org, Entity::LineItem, Entity::Resource] {
            assert!(allows(&all, e, Version::V1_1), "{e:?}");
        }
        assert_eq!(all_scopes().len(), 10);
        assert_eq!(parse_scope(&s("v1p2", "gradebook.readonly")), Some((Grant::Gradebook, Version::V1_2)));
        assert_eq!(parse_scope(&s("v1p2", "gradebook.createput")), None);
    }
}
