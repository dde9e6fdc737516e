//! The fields of a record made from other files: a user's roles (1.2 `roles[]`, 1.1 `role` and `orgs[]`), and a
//! line item's or result's `scoreScale` and `learningObjectiveSet`.

use serde_json::{json, Map, Value};

use super::entity::{Entity, Field, Kind};
use super::shape::{value, Bases, Extras};
use crate::oneroster::spec::Version;
use crate::oneroster::Record;

/// 1.2: `roles[]`; 1.1: `role` (the primary role, else the first) and `orgs[]`.
pub(super) fn user_roles(out: &mut Map<String, Value>, version: Version, roles: &[Record], bases: &Bases) {
    let get = |r: &Record, c: &str| r.get("roles", c).map(str::to_owned);
    match version {
        Version::V1_2 => {
            let list: Vec<Value> = roles
                .iter()
                .map(|r| {
                    let mut m = Map::new();
                    for (key, col) in
                        [("roleType", "roleType"), ("role", "role"), ("beginDate", "beginDate"), ("endDate", "endDate")]
                    {
                        if let Some(v) = get(r, col) {
                            m.insert(key.into(), v.into());
                        }
                    }
                    if let Some(org) = get(r, "orgSourcedId") {
                        m.insert("org".into(), bases.guid_ref(Entity::Org, &org));
                    }
                    if let Some(p) = get(r, "userProfileSourcedId") {
                        m.insert("userProfile".into(), p.into());
                    }
                    Value::Object(m)
                })
                .collect();
            out.insert("roles".into(), list.into());
        }
        Version::V1_1 => {
            let primary = roles.iter().find(|r| get(r, "roleType").as_deref() == Some("primary")).or(roles.first());
            if let Some(role) = primary.and_then(|r| get(r, "role")) {
                out.insert("role".into(), role_1_1(&role).into());
            }
            let mut orgs: Vec<String> = roles.iter().filter_map(|r| get(r, "orgSourcedId")).collect();
            orgs.dedup();
            out.insert("orgs".into(), orgs.iter().map(|o| bases.guid_ref(Entity::Org, o)).collect::<Vec<_>>().into());
        }
    }
}

/// A line item's or result's `scoreScale` and `learningObjectiveSet` (CASE alignments and per-standard results).
pub(super) fn gradebook_links(out: &mut Map<String, Value>, entity: Entity, extras: &Extras, bases: &Bases) {
    let (objectives, scales) = match entity {
        Entity::LineItem => ("lineItemLearningObjectiveIds", "lineItemScoreScales"),
        _ => ("resultLearningObjectiveIds", "resultScoreScales"),
    };
    if let Some(scale) = extras.score_scales.iter().find_map(|r| r.get(scales, "scoreScaleSourcedId")) {
        out.insert("scoreScale".into(), bases.guid_ref(Entity::ScoreScale, scale));
    }
    let mut sets: Vec<(String, Vec<Value>)> = Vec::new();
    for r in extras.objectives {
        let (Some(source), Some(id)) = (r.get(objectives, "source"), r.get(objectives, "learningObjectiveId")) else {
            continue;
        };
        let item = if entity == Entity::LineItem {
            Value::from(id)
        } else {
            let mut m = Map::new();
            m.insert("learningObjectiveId".into(), id.into());
            if let Some(score) = r.get(objectives, "score") {
                m.insert(
                    "score".into(),
                    value(Field { name: "score", column: "score", kind: Kind::Number }, score, bases),
                );
            }
            if let Some(text) = r.get(objectives, "textScore") {
                m.insert("textScore".into(), text.into());
            }
            Value::Object(m)
        };
        match sets.iter_mut().find(|(s, _)| s == source) {
            Some((_, items)) => items.push(item),
            None => sets.push((source.to_owned(), vec![item])),
        }
    }
    if !sets.is_empty() {
        let key = if entity == Entity::LineItem { "learningObjectiveIds" } else { "learningObjectiveResults" };
        let list: Vec<Value> =
            sets.into_iter().map(|(source, items)| json!({ "source": source, key: items })).collect();
        out.insert("learningObjectiveSet".into(), list.into());
    }
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
