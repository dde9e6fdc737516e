//! Records as OneRoster REST JSON, 1.2 or 1.1: GUIDRefs with `href`, lists as arrays, booleans, `metadata`, a
//! user's `roles` (1.2) or `role` and `orgs` (1.1), and the `fields` selection. A record is serialized straight to
//! the response ([`RecordJson`]); [`record_json`] gives the same as a `serde_json::Value`.

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::entity::{Entity, Field, Service};
use super::related::{gradebook_links, user_roles};
use super::values::{FieldValue, Ids, Refs};
use crate::oneroster::canonical::position;
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

    /// The base of the service serving `entity`.
    pub fn base(&self, entity: Entity) -> &str {
        match entity.service() {
            Service::Rostering => &self.rostering,
            Service::Gradebook => &self.gradebook,
            Service::Resources => &self.resources,
        }
    }
}

/// What a record is served with beyond its own row.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras<'a> {
    /// A user's `roles.csv` records.
    pub roles: &'a [Record],
    /// The sourcedIds of the records whose parent this one is (academic sessions' `children`).
    pub children: &'a [String],
    /// 1.2 line items and results: their `*LearningObjectiveIds.csv` and `*ScoreScales.csv` records.
    pub objectives: &'a [Record],
    pub score_scales: &'a [Record],
}

/// How one record type's fields are read from its records, for a version and a client's withheld columns: worked
/// out once for a page rather than per record.
#[derive(Debug, Clone)]
pub struct Layout {
    entity: Entity,
    version: Version,
    /// The fields served, each with its column's place in [`Record::values`].
    fields: Vec<(Field, usize)>,
    metadata: bool,
}

impl Layout {
    /// `hidden`: the CSV columns withheld from the client; their fields are left out (and `extensions` hides
    /// `metadata`).
    pub fn new(entity: Entity, version: Version, hidden: &[&str]) -> Self {
        let file = entity.file();
        let fields = entity
            .own_fields(version)
            .into_iter()
            .filter(|f| !hidden.contains(&f.column))
            .filter_map(|f| Some((f, position(file, f.column)?)))
            .collect();
        Self { entity, version, fields, metadata: !hidden.contains(&"extensions") }
    }
}

/// One record as JSON, optionally only the `fields` asked for: a name the record type does not have (or that is
/// withheld from this client) makes the whole record be sent, as the spec says for unknown fields.
#[derive(Clone, Copy)]
pub struct RecordJson<'a> {
    pub layout: &'a Layout,
    pub record: &'a Record,
    pub bases: &'a Bases,
    pub extras: Extras<'a>,
    pub fields: Option<&'a [String]>,
}

/// Where a record's fields go: a JSON object being written, or the list of their names.
pub(super) trait Emit {
    type Error;
    fn entry<V: Serialize + ?Sized>(&mut self, key: &'static str, value: &V) -> Result<(), Self::Error>;
}

/// Writes the entries `only` names (all of them when `None`) to a JSON object.
struct Entries<'f, M> {
    map: M,
    only: Option<&'f [String]>,
}

impl<M: SerializeMap> Emit for Entries<'_, M> {
    type Error = M::Error;
    fn entry<V: Serialize + ?Sized>(&mut self, key: &'static str, value: &V) -> Result<(), M::Error> {
        match self.only {
            Some(only) if !only.iter().any(|f| f == key) => Ok(()),
            _ => self.map.serialize_entry(key, value),
        }
    }
}

/// Notes the names of the entries.
struct Keys(Vec<&'static str>);

impl Emit for Keys {
    type Error = std::convert::Infallible;
    fn entry<V: Serialize + ?Sized>(&mut self, key: &'static str, _: &V) -> Result<(), Self::Error> {
        self.0.push(key);
        Ok(())
    }
}

impl RecordJson<'_> {
    fn emit<E: Emit>(&self, out: &mut E) -> Result<(), E::Error> {
        let (r, layout, bases) = (self.record, self.layout, self.bases);
        out.entry("sourcedId", &r.sourced_id)?;
        let status = match r.status {
            Some(Status::ToBeDeleted) => "tobedeleted",
            _ => "active",
        };
        out.entry("status", status)?;
        if let Some(at) = r.date_last_modified {
            out.entry("dateLastModified", &Display(at.format("%Y-%m-%dT%H:%M:%S%.3fZ")))?;
        }
        if layout.metadata && !r.extensions.is_empty() {
            out.entry("metadata", &Metadata(&r.extensions))?;
        }
        for &(field, at) in &layout.fields {
            if let Some(Some(text)) = r.values.get(at) {
                out.entry(field.name, &FieldValue { kind: field.kind, text, bases })?;
            }
        }
        if layout.entity == Entity::User {
            user_roles(out, layout.version, self.extras.roles, bases)?;
        }
        if layout.version == Version::V1_2 && matches!(layout.entity, Entity::LineItem | Entity::Result) {
            gradebook_links(out, layout.entity, &self.extras, bases)?;
        }
        if !self.extras.children.is_empty() {
            out.entry("children", &Refs { bases, entity: layout.entity, ids: Ids::Owned(self.extras.children) })?;
        }
        Ok(())
    }

    /// The `fields` to keep, when every one is a field of this record; `None` to send it whole.
    fn selection(&self) -> Option<&[String]> {
        let fields = self.fields?;
        let mut keys = Keys(Vec::new());
        let Ok(()) = self.emit(&mut keys);
        fields.iter().all(|f| keys.0.contains(&f.as_str()) || is_known_absent(f)).then_some(fields)
    }
}

impl Serialize for RecordJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = Entries { map: s.serialize_map(None)?, only: self.selection() };
        self.emit(&mut out)?;
        out.map.end()
    }
}

/// Fields every record has a place for even when this one's value is blank.
fn is_known_absent(f: &str) -> bool {
    matches!(f, "metadata" | "dateLastModified")
}

/// Anything printable, as a JSON string.
struct Display<T>(T);

impl<T: std::fmt::Display> Serialize for Display<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// The extension columns as `metadata`: `metadata.color` is served as `color`.
struct Metadata<'a>(&'a BTreeMap<String, String>);

impl Serialize for Metadata<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // `metadata.color` wins over a vendor column named `color`, as both would be served as `color`.
        let shadowed = |k: &str| !k.starts_with("metadata.") && self.0.contains_key(&format!("metadata.{k}"));
        s.collect_map(
            self.0.iter().filter(|(k, _)| !shadowed(k)).map(|(k, v)| (k.strip_prefix("metadata.").unwrap_or(k), v)),
        )
    }
}

/// The JSON object of one record, as a value.
pub fn record_json(layout: &Layout, r: &Record, bases: &Bases, extras: &Extras) -> Value {
    let json = RecordJson { layout, record: r, bases, extras: *extras, fields: None };
    serde_json::to_value(json).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oneroster::data_columns;
    use serde_json::json;
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
        let j =
            record_json(&Layout::new(Entity::Class, Version::V1_2, &[]), &c, &bases(Version::V1_2), &Extras::default());
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
        let extras = Extras { roles: &roles, ..Default::default() };
        let hidden = ["email", "extensions"];
        let j = record_json(&Layout::new(Entity::User, Version::V1_2, &hidden), &u, &bases(Version::V1_2), &extras);
        assert_eq!(j["enabledUser"], true);
        assert_eq!(j["preferredFirstName"], "Annie");
        assert_eq!(j["userIds"], json!([{"type": "SIS", "identifier": "12"}, {"type": "LDAP", "identifier": "ab"}]));
        assert!(j.get("email").is_none() && j.get("metadata").is_none());
        assert_eq!(j["roles"][1]["role"], "student");
        assert_eq!(j["roles"][1]["org"]["href"], "https://s.example/ims/oneroster/rostering/v1p2/orgs/s1");
        let j = record_json(&Layout::new(Entity::User, Version::V1_1, &hidden), &u, &bases(Version::V1_1), &extras);
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
        let j = record_json(&Layout::new(Entity::Result, Version::V1_2, &[]), &r, &bases(Version::V1_2), &extras);
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
        let j = record_json(&Layout::new(Entity::LineItem, Version::V1_2, &[]), &li, &bases(Version::V1_2), &extras);
        assert_eq!(j["learningObjectiveSet"], json!([{"source": "case", "learningObjectiveIds": ["u-9"]}]));
        assert!(record_json(&Layout::new(Entity::LineItem, Version::V1_1, &[]), &li, &bases(Version::V1_1), &extras)
            .get("learningObjectiveSet")
            .is_none());
    }

    #[test]
    fn sessions_list_their_children() {
        let s = record("academicSessions", "term1", &[("title", "Fall"), ("parentSourcedId", "y1")]);
        let children = ["gp1".to_owned(), "gp2".to_owned()];
        let extras = Extras { children: &children, ..Default::default() };
        let j =
            record_json(&Layout::new(Entity::AcademicSession, Version::V1_2, &[]), &s, &bases(Version::V1_2), &extras);
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
        let j = record_json(
            &Layout::new(Entity::LineItem, Version::V1_1, &[]),
            &li,
            &bases(Version::V1_1),
            &Extras::default(),
        );
        assert_eq!(j["gradingPeriod"]["sourcedId"], "gp1");
        assert_eq!(j["resultValueMax"], 100);
        assert_eq!(j["class"]["href"], "https://s.example/ims/oneroster/v1p1/classes/c1");
        let j = record_json(
            &Layout::new(Entity::LineItem, Version::V1_2, &[]),
            &li,
            &bases(Version::V1_2),
            &Extras::default(),
        );
        assert_eq!(j["academicSession"]["sourcedId"], "gp1");
        assert_eq!(j["class"]["href"], "https://s.example/ims/oneroster/rostering/v1p2/classes/c1");
    }

    #[test]
    fn selection_keeps_named_fields_or_all_for_unknown_names() {
        let c = record("courses", "a", &[("title", "t"), ("grades", "01")]);
        let layout = Layout::new(Entity::Course, Version::V1_2, &[]);
        let b = bases(Version::V1_2);
        let with = |fields: Option<&[String]>| {
            let json = RecordJson { layout: &layout, record: &c, bases: &b, extras: Extras::default(), fields };
            serde_json::to_value(json).unwrap()
        };
        let some = vec!["sourcedId".to_owned(), "title".to_owned(), "metadata".to_owned()];
        assert_eq!(with(Some(&some)), json!({"sourcedId": "a", "title": "t", "metadata": {"color": "blue"}}));
        let whole = with(None);
        assert_eq!(whole["grades"], json!(["01"]));
        let unknown = vec!["sourcedId".to_owned(), "nope".to_owned()];
        assert_eq!(with(Some(&unknown)), whole);
        let hidden = Layout::new(Entity::Course, Version::V1_2, &["title"]);
        let json =
            RecordJson { layout: &hidden, record: &c, bases: &b, extras: Extras::default(), fields: Some(&some) };
        assert!(serde_json::to_value(json).unwrap().get("grades").is_some(), "a withheld field selects nothing");
    }

    #[test]
    fn metadata_strips_its_prefix_and_wins_over_a_same_named_vendor_column() {
        let mut c = record("courses", "a", &[]);
        c.extensions.insert("color".to_owned(), "red".to_owned());
        c.extensions.insert("ext_vendor".to_owned(), "v".to_owned());
        let j = record_json(
            &Layout::new(Entity::Course, Version::V1_2, &[]),
            &c,
            &bases(Version::V1_2),
            &Extras::default(),
        );
        assert_eq!(j["metadata"], json!({"color": "blue", "ext_vendor": "v"}));
    }
}
