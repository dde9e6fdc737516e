//! Column text as the JSON values of OneRoster REST, written straight to the output without building a tree:
//! GUIDRefs with their `href`, comma-separated lists as arrays, booleans and numbers where the text is one.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::entity::{Entity, Kind};
use super::shape::Bases;

/// A GUIDRef: `{"href": …, "sourcedId": …, "type": …}`.
pub(super) struct GuidRef<'a> {
    pub bases: &'a Bases,
    pub entity: Entity,
    pub id: &'a str,
}

impl Serialize for GuidRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("href", &Href(self))?;
        m.serialize_entry("sourcedId", self.id)?;
        m.serialize_entry("type", self.entity.singular())?;
        m.end()
    }
}

struct Href<'a>(&'a GuidRef<'a>);

impl Serialize for Href<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let GuidRef { bases, entity, id } = self.0;
        s.collect_str(&format_args!("{}/{}/{id}", bases.base(*entity), entity.plural()))
    }
}

/// Where the ids of a list of GUIDRefs come from.
#[derive(Clone, Copy)]
pub(super) enum Ids<'a> {
    /// A CSV cell: `t1,t2`.
    Csv(&'a str),
    Owned(&'a [String]),
    Borrowed(&'a [&'a str]),
}

/// An array of GUIDRefs to records of one type.
pub(super) struct Refs<'a> {
    pub bases: &'a Bases,
    pub entity: Entity,
    pub ids: Ids<'a>,
}

impl Serialize for Refs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let one = |id| GuidRef { bases: self.bases, entity: self.entity, id };
        match self.ids {
            Ids::Csv(text) => s.collect_seq(items(text).map(one)),
            Ids::Owned(ids) => s.collect_seq(ids.iter().map(|id| one(id))),
            Ids::Borrowed(ids) => s.collect_seq(ids.iter().map(|id| one(id))),
        }
    }
}

/// One column's text as the JSON its field's kind gives.
pub(super) struct FieldValue<'a> {
    pub kind: Kind,
    pub text: &'a str,
    pub bases: &'a Bases,
}

impl Serialize for FieldValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = self.text;
        match self.kind {
            Kind::Text => s.serialize_str(text),
            Kind::List => s.collect_seq(items(text)),
            Kind::Bool if text.eq_ignore_ascii_case("true") => s.serialize_bool(true),
            Kind::Bool if text.eq_ignore_ascii_case("false") => s.serialize_bool(false),
            Kind::Bool => s.serialize_str(text),
            Kind::Number => match (text.parse::<i64>(), text.parse::<f64>()) {
                (Ok(n), _) => s.serialize_i64(n),
                (_, Ok(x)) if x.is_finite() => s.serialize_f64(x),
                _ => s.serialize_str(text),
            },
            Kind::Ref(entity) => GuidRef { bases: self.bases, entity, id: text }.serialize(s),
            Kind::RefList(entity) => Refs { bases: self.bases, entity, ids: Ids::Csv(text) }.serialize(s),
            Kind::Pairs(a, b) => s.collect_seq(pairs(text).map(|(x, y)| Pair { names: (a, b), values: (x, y) })),
        }
    }
}

/// `{"<first name>": x, "<second name>": y}`.
struct Pair<'a> {
    names: (&'static str, &'static str),
    values: (&'a str, &'a str),
}

impl Serialize for Pair<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry(self.names.0, self.values.0)?;
        m.serialize_entry(self.names.1, self.values.1)?;
        m.end()
    }
}

/// The items of a comma-separated CSV list, trimmed, blanks left out.
fn items(text: &str) -> impl Iterator<Item = &str> + Clone {
    text.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// `{SIS:123},{LDAP:ab}` (or without braces) as pairs; an item without `:` is skipped.
fn pairs(text: &str) -> impl Iterator<Item = (&str, &str)> {
    let braced = text.contains('{');
    let parts: Box<dyn Iterator<Item = &str>> = if braced {
        Box::new(text.split('}').map(|s| s.trim_start_matches([',', ' ']).trim_start_matches('{')))
    } else {
        Box::new(text.split(','))
    };
    parts.filter_map(|s| s.split_once(':')).map(|(a, b)| (a.trim(), b.trim()))
}
