//! Records as OneRoster REST JSON, 1.2 or 1.1: GUIDRefs with `href`, lists as arrays, booleans, `metadata`, a
//! user's `roles` (1.2) or `role` and `orgs` (1.1), and the `fields` selection.

use serde_json::{json, Map, Value};

use super::entity::{Entity, Field, Kind, Service};
use super::related::{gradebook_links, user_roles};
use crate::oneroster::spec::Version;
use crate::oneroster::{Record, Status};

/// Where each service's records live, for `href`s: `https://host/ims/oneroster/rostering/v1p2` and friends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bases {
    pub rostering: String,
    pub gradebook: String,
    pub resources: String,
}

/// The path of each service under a server, by version.
pub fn service_path(service: Service, version: Version) -> &'static str {
    match (version, service) {
        (Version::V1_1, _) => "/ims/oneroster/v1p1",
        (Version::V1_2, Service::Rostering) => "/ims/oneroster/rostering/v1p2",
        (Version::V1_2, Service::Gradebook) => "/ims/oneroster/gradebook/v1p2",
        (Version::V1_2, Service::Resources) => "/ims/oneroster/resources/v1p2",
    }
}

impl Bases {
    /// The bases under `origin` (`https://steward.example.org`, no trailing slash) for a version.
    pub fn new(origin: &str, version: Version) -> Self {
        let origin = origin.trim_end_matches('/');
        let at = |s| format!("{origin}{}", service_path(s, version));
        Self { rostering: at(Service::Rostering), gradebook: at(Service::Gradebook), resources: at(Service::Resources) }
    }

    pub fn href(&self, entity: Entity, id: &str) -> String {
        let base = match entity.service() {
            Service::Rostering => &self.rostering,
            Service::Gradebook => &self.gradebook,
            Service::Resources => &self.resources,
        };
        format!("{base}/{}/{id}", entity.plural())
    }

    pub fn guid_ref(&self, entity: Entity, id: &str) -> Value {
        json!({ "href": self.href(entity, id), "sourcedId": id, "type": entity.singular() })
    }
}

/// What a record is served with beyond its own row.
#[derive(Debug, Clone, Default)]
pub struct Extras<'a> {
    /// A user's `roles.csv` records.
    pub roles: &'a [Record],
    /// CSV columns withheld from this client: their fields are left out (and `extensions` hides `metadata`).
    pub hidden: &'a [&'a str],
    /// The sourcedIds of the records whose parent this one is (academic sessions' `children`).
    pub children: &'a [String],
    /// 1.2 line items and results: their `*LearningObjectiveIds.csv` and `*ScoreScales.csv` records.
    pub objectives: &'a [Record],
    pub score_scales: &'a [Record],
}

/// The JSON object of one record.
pub fn record_json(entity: Entity, version: Version, r: &Record, bases: &Bases, extras: &Extras) -> Value {
    let file = entity.file();
    let mut out = Map::new();
    out.insert("sourcedId".into(), r.sourced_id.clone().into());
    let status = match r.status {
        Some(Status::ToBeDeleted) => "tobedeleted",
        _ => "active",
    };
    out.insert("status".into(), status.into());
    if let Some(at) = r.date_last_modified {
        out.insert("dateLastModified".into(), at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string().into());
    }
    if !extras.hidden.contains(&"extensions") && !r.extensions.is_empty() {
        let meta: Map<String, Value> = r
            .extensions
            .iter()
            .map(|(k, v)| (k.strip_prefix("metadata.").unwrap_or(k).to_owned(), Value::from(v.as_str())))
            .collect();
        out.insert("metadata".into(), Value::Object(meta));
    }
    for field in entity.own_fields(version) {
        if extras.hidden.contains(&field.column) {
            continue;
        }
        if let Some(v) = r.get(file, field.column) {
            out.insert(field.name.into(), value(field, v, bases));
        }
    }
    if entity == Entity::User {
        user_roles(&mut out, version, extras.roles, bases);
    }
    if version == Version::V1_2 && matches!(entity, Entity::LineItem | Entity::Result) {
        gradebook_links(&mut out, entity, extras, bases);
    }
    if !extras.children.is_empty() {
        let list: Vec<Value> = extras.children.iter().map(|id| bases.guid_ref(entity, id)).collect();
        out.insert("children".into(), list.into());
    }
    Value::Object(out)
}

pub(super) fn value(field: Field, v: &str, bases: &Bases) -> Value {
    let items = || v.split(',').map(str::trim).filter(|s| !s.is_empty());
    match field.kind {
        Kind::Text => v.into(),
        Kind::List => items().collect::<Vec<_>>().into(),
        Kind::Bool => match v.to_ascii_lowercase().as_str() {
            "true" => true.into(),
            "false" => false.into(),
            _ => v.into(),
        },
        Kind::Number => match (v.parse::<i64>(), v.parse::<f64>()) {
            (Ok(n), _) => n.into(),
            (_, Ok(x)) if x.is_finite() => x.into(),
            _ => v.into(),
        },
        Kind::Ref(e) => bases.guid_ref(e, v),
        Kind::RefList(e) => items().map(|id| bases.guid_ref(e, id)).collect::<Vec<_>>().into(),
        Kind::Pairs(a, b) => pairs(v).into_iter().map(|(x, y)| json!({ a: x, b: y })).collect::<Vec<_>>().into(),
    }
}

/// `{SIS:123},{LDAP:ab}` (or without braces) as pairs; an item without `:` is skipped.
fn pairs(v: &str) -> Vec<(String, String)> {
    let items: Vec<&str> = if v.contains('{') {
        v.split('}').map(|s| s.trim_start_matches([',', ' ']).trim_start_matches('{')).collect()
    } else {
        v.split(',').collect()
    };
    items
        .into_iter()
        .filter_map(|s| s.split_once(':'))
        .map(|(a, b)| (a.trim().to_owned(), b.trim().to_owned()))
        .collect()
}

/// Keeps only the `fields` asked for. A name the record type does not have (or that is withheld from this client)
/// makes the whole record be returned, as the spec says for unknown fields.
pub fn select(v: Value, fields: Option<&[String]>) -> Value {
    let (Some(fields), Value::Object(map)) = (fields, &v) else { return v };
    if !fields.iter().all(|f| map.contains_key(f) || is_known_absent(f)) {
        return v;
    }
    let kept: Map<String, Value> =
        map.iter().filter(|(k, _)| fields.contains(k)).map(|(k, v)| (k.clone(), v.clone())).collect();
    Value::Object(kept)
}

/// Fields every record has a place for even when this one's value is blank.
fn is_known_absent(f: &str) -> bool {
    matches!(f, "metadata" | "dateLastModified")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oneroster::data_columns;
    use std::collections::BTreeMap;

    fn record(file: &str, id: &str, values: &[(&str, &str)]) -> Record {
        let cols = data_columns(file);
        let mut vals = vec![None; cols.len()];
        for (c, v) in values {
            vals[cols.iter().position(|x| x == c).unwrap()] = Some((*v).to_owned());
        }
        Record {
            sourced_id: id.into(),
            status: Some(Status::Active),
            date_last_modified: Some("2026-01-02T03:04:05Z".parse().unwrap()),
            values: vals,
            extensions: BTreeMap::from([("metadata.color".to_owned(), "blue".to_owned())]),
        }
    }

    fn bases(v: Version) -> Bases {
        Bases::new("https://s.example/", v)
    }

    #[test]
    fn a_class_in_1_2() {
        let c = record(
            "classes",
            "c1",
            &[
                ("title", "Math 3"),
                ("grades", "03,04"),
                ("courseSourcedId", "k1"),
                ("schoolSourcedId", "s1"),
                ("termSourcedIds", "t1,t2"),
            ],
        );
        let j = record_json(Entity::Class, Version::V1_2, &c, &bases(Version::V1_2), &Extras::default());
        assert_eq!(j["sourcedId"], "c1");
        assert_eq!(j["status"], "active");
        assert_eq!(j["dateLastModified"], "2026-01-02T03:04:05.000Z");
        assert_eq!(j["metadata"], json!({"color": "blue"}));
        assert_eq!(j["grades"], json!(["03", "04"]));
        assert_eq!(
            j["course"],
            json!({"href": "https://s.example/ims/oneroster/rostering/v1p2/courses/k1", "sourcedId": "k1", "type": "course"})
        );
        assert_eq!(j["terms"][1]["sourcedId"], "t2");
        assert!(j.get("location").is_none());
    }

    #[test]
    fn users_in_both_versions_with_hidden_columns() {
        let u = record(
            "users",
            "u1",
            &[
                ("enabledUser", "true"),
                ("givenName", "Ann"),
                ("email", "a@x"),
                ("userIds", "{SIS:12},{LDAP:ab}"),
                ("preferredGivenName", "Annie"),
            ],
        );
        let roles = [
            record(
                "roles",
                "r1",
                &[("userSourcedId", "u1"), ("roleType", "secondary"), ("role", "aide"), ("orgSourcedId", "s2")],
            ),
            record(
                "roles",
                "r2",
                &[("userSourcedId", "u1"), ("roleType", "primary"), ("role", "student"), ("orgSourcedId", "s1")],
            ),
        ];
        let extras = Extras { roles: &roles, hidden: &["email", "extensions"], ..Default::default() };
        let j = record_json(Entity::User, Version::V1_2, &u, &bases(Version::V1_2), &extras);
        assert_eq!(j["enabledUser"], true);
        assert_eq!(j["preferredFirstName"], "Annie");
        assert_eq!(j["userIds"], json!([{"type": "SIS", "identifier": "12"}, {"type": "LDAP", "identifier": "ab"}]));
        assert!(j.get("email").is_none() && j.get("metadata").is_none());
        assert_eq!(j["roles"][1]["role"], "student");
        assert_eq!(j["roles"][1]["org"]["href"], "https://s.example/ims/oneroster/rostering/v1p2/orgs/s1");
        let j = record_json(Entity::User, Version::V1_1, &u, &bases(Version::V1_1), &extras);
        assert_eq!(j["role"], "student");
        assert_eq!(j["orgs"][0]["href"], "https://s.example/ims/oneroster/v1p1/orgs/s2");
        assert!(j.get("roles").is_none() && j.get("preferredFirstName").is_none());
    }

    #[test]
    fn gradebook_records_carry_their_standards_and_scale() {
        let r = record("results", "r1", &[("score", "3")]);
        let objectives = [
            record(
                "resultLearningObjectiveIds",
                "o1",
                &[("source", "case"), ("learningObjectiveId", "u-1"), ("score", "20"), ("textScore", "Proficient")],
            ),
            record("resultLearningObjectiveIds", "o2", &[("source", "case"), ("learningObjectiveId", "u-2")]),
        ];
        let scales = [record("resultScoreScales", "x1", &[("scoreScaleSourcedId", "ss1")])];
        let extras = Extras { objectives: &objectives, score_scales: &scales, ..Default::default() };
        let j = record_json(Entity::Result, Version::V1_2, &r, &bases(Version::V1_2), &extras);
        assert_eq!(
            j["learningObjectiveSet"],
            json!([{"source": "case", "learningObjectiveResults": [
                {"learningObjectiveId": "u-1", "score": 20, "textScore": "Proficient"},
                {"learningObjectiveId": "u-2"}
            ]}])
        );
        assert_eq!(j["scoreScale"]["href"], "https://s.example/ims/oneroster/gradebook/v1p2/scoreScales/ss1");
        let li = record("lineItems", "l1", &[]);
        let objectives =
            [record("lineItemLearningObjectiveIds", "o3", &[("source", "case"), ("learningObjectiveId", "u-9")])];
        let extras = Extras { objectives: &objectives, ..Default::default() };
        let j = record_json(Entity::LineItem, Version::V1_2, &li, &bases(Version::V1_2), &extras);
        assert_eq!(j["learningObjectiveSet"], json!([{"source": "case", "learningObjectiveIds": ["u-9"]}]));
        assert!(record_json(Entity::LineItem, Version::V1_1, &li, &bases(Version::V1_1), &extras)
            .get("learningObjectiveSet")
            .is_none());
    }

    #[test]
    fn sessions_list_their_children() {
        let s = record("academicSessions", "term1", &[("title", "Fall"), ("parentSourcedId", "y1")]);
        let children = ["gp1".to_owned(), "gp2".to_owned()];
        let extras = Extras { children: &children, ..Default::default() };
        let j = record_json(Entity::AcademicSession, Version::V1_2, &s, &bases(Version::V1_2), &extras);
        assert_eq!(j["parent"]["sourcedId"], "y1");
        assert_eq!(j["children"][1]["href"], "https://s.example/ims/oneroster/rostering/v1p2/academicSessions/gp2");
    }

    #[test]
    fn line_items_name_their_session_by_version() {
        let li = record(
            "lineItems",
            "l1",
            &[("academicSessionSourcedId", "gp1"), ("resultValueMax", "100"), ("classSourcedId", "c1")],
        );
        let j = record_json(Entity::LineItem, Version::V1_1, &li, &bases(Version::V1_1), &Extras::default());
        assert_eq!(j["gradingPeriod"]["sourcedId"], "gp1");
        assert_eq!(j["resultValueMax"], 100);
        assert_eq!(j["class"]["href"], "https://s.example/ims/oneroster/v1p1/classes/c1");
        let j = record_json(Entity::LineItem, Version::V1_2, &li, &bases(Version::V1_2), &Extras::default());
        assert_eq!(j["academicSession"]["sourcedId"], "gp1");
        assert_eq!(j["class"]["href"], "https://s.example/ims/oneroster/rostering/v1p2/classes/c1");
    }

    #[test]
    fn selection_keeps_named_fields_or_all_for_unknown_names() {
        let v = json!({"sourcedId": "a", "title": "t", "grades": []});
        let some = vec!["sourcedId".to_owned(), "title".to_owned()];
        assert_eq!(select(v.clone(), Some(&some)), json!({"sourcedId": "a", "title": "t"}));
        let unknown = vec!["sourcedId".to_owned(), "nope".to_owned()];
        assert_eq!(select(v.clone(), Some(&unknown)), v);
        assert_eq!(select(v.clone(), None), v);
    }
}
