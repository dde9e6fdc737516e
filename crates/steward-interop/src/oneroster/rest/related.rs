//! The fields of a record made from other files: a user's roles (1.2 `roles[]`, 1.1 `role` and `orgs[]`), and a
//! line item's or result's `scoreScale` and `learningObjectiveSet`.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Value};

use super::entity::{Entity, Kind};
use super::shape::{Bases, Emit, Extras};
use super::values::{FieldValue, GuidRef, Ids, Refs};
use crate::oneroster::spec::Version;
use crate::oneroster::Record;

/// 1.2: `roles[]`; 1.1: `role` (the primary role, else the first) and `orgs[]`.
pub(super) fn user_roles<E: Emit>(
    out: &mut E,
    version: Version,
    roles: &[Record],
    bases: &Bases,
) -> Result<(), E::Error> {
    match version {
        Version::V1_2 => out.entry("roles", &Roles { roles, bases }),
        Version::V1_1 => {
            let primary = roles.iter().find(|r| r.get("roles", "roleType") == Some("primary")).or(roles.first());
            if let Some(role) = primary.and_then(|r| r.get("roles", "role")) {
                out.entry("role", role_1_1(role))?;
            }
            let mut orgs: Vec<&str> = roles.iter().filter_map(|r| r.get("roles", "orgSourcedId")).collect();
            orgs.dedup();
            out.entry("orgs", &Refs { bases, entity: Entity::Org, ids: Ids::Borrowed(&orgs) })
        }
    }
}

/// A user's 1.2 `roles`.
struct Roles<'a> {
    roles: &'a [Record],
    bases: &'a Bases,
}

impl Serialize for Roles<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.roles.iter().map(|r| Role { record: r, bases: self.bases }))
    }
}

struct Role<'a> {
    record: &'a Record,
    bases: &'a Bases,
}

impl Serialize for Role<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let get = |c| self.record.get("roles", c);
        let mut m = s.serialize_map(None)?;
        for key in ["roleType", "role", "beginDate", "endDate"] {
            if let Some(v) = get(key) {
                m.serialize_entry(key, v)?;
            }
        }
        if let Some(id) = get("orgSourcedId") {
            m.serialize_entry("org", &GuidRef { bases: self.bases, entity: Entity::Org, id })?;
        }
        if let Some(p) = get("userProfileSourcedId") {
            m.serialize_entry("userProfile", p)?;
        }
        m.end()
    }
}

/// A line item's or result's `scoreScale` and `learningObjectiveSet` (CASE alignments and per-standard results).
pub(super) fn gradebook_links<E: Emit>(
    out: &mut E,
    entity: Entity,
    extras: &Extras,
    bases: &Bases,
) -> Result<(), E::Error> {
    let (objectives, scales) = match entity {
        Entity::LineItem => ("lineItemLearningObjectiveIds", "lineItemScoreScales"),
        _ => ("resultLearningObjectiveIds", "resultScoreScales"),
    };
    if let Some(id) = extras.score_scales.iter().find_map(|r| r.get(scales, "scoreScaleSourcedId")) {
        out.entry("scoreScale", &GuidRef { bases, entity: Entity::ScoreScale, id })?;
    }
    let mut sets: Vec<(&str, Vec<Value>)> = Vec::new();
    for r in extras.objectives {
        let (Some(source), Some(id)) = (r.get(objectives, "source"), r.get(objectives, "learningObjectiveId")) else {
            continue;
        };
        let item = if entity == Entity::LineItem {
            Value::from(id)
        } else {
            let mut m = serde_json::Map::new();
            m.insert("learningObjectiveId".into(), id.into());
            if let Some(text) = r.get(objectives, "score") {
                let score = FieldValue { kind: Kind::Number, text, bases };
                m.insert("score".into(), serde_json::to_value(score).unwrap_or_default());
            }
            if let Some(text) = r.get(objectives, "textScore") {
                m.insert("textScore".into(), text.into());
            }
            Value::Object(m)
        };
        match sets.iter_mut().find(|(s, _)| *s == source) {
            Some((_, items)) => items.push(item),
            None => sets.push((source, vec![item])),
        }
    }
    if sets.is_empty() {
        return Ok(());
    }
    let key = if entity == Entity::LineItem { "learningObjectiveIds" } else { "learningObjectiveResults" };
    let list: Vec<Value> = sets.into_iter().map(|(source, items)| json!({ "source": source, key: items })).collect();
    out.entry("learningObjectiveSet", &list)
}

/// A 1.2 role in the 1.1 vocabulary: the administrators of 1.2 are 1.1's `administrator`.
fn role_1_1(role: &str) -> &str {
    match role {
        "districtAdministrator" | "siteAdministrator" | "systemAdministrator" | "principal" | "counselor" => {
            "administrator"
        }
        other => other,
    }
}
