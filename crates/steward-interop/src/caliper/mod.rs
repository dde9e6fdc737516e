//! Caliper 1.1 and 1.2: the envelope a sensor sends (exactly `sensor`, `sendTime`, `dataVersion` and `data`), its
//! events checked against the spec (`event.rs`) and entities, and the endpoint's configuration document.
//!
//! A malformed envelope is a 400 for the endpoint, an unsupported `dataVersion` a 422; what is wrong is named by its
//! JSON path (`data[2].action`).

mod event;

pub use event::{Event, Person};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use std::fmt;

pub const V1P1: &str = "http://purl.imsglobal.org/ctx/caliper/v1p1";
pub const V1P2: &str = "http://purl.imsglobal.org/ctx/caliper/v1p2";

/// The Caliper version of an envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataVersion {
    V1p1,
    V1p2,
}

impl DataVersion {
    pub fn parse(iri: &str) -> Option<Self> {
        match iri {
            V1P1 => Some(Self::V1p1),
            V1P2 => Some(Self::V1p2),
            _ => None,
        }
    }
}

/// The largest envelope the endpoint takes, in kilobytes (announced in its configuration).
pub const MAX_PAYLOAD_KB: u64 = 4096;

/// The body of a `GET` on the endpoint: what it takes.
pub fn configuration() -> Value {
    serde_json::json!({
        "caliperMaximumPayloadSize": MAX_PAYLOAD_KB,
        "caliperSupportedVersions": [V1P1, V1P2],
        "caliperSupportedExtensions": {},
    })
}

/// Why an envelope was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvelopeError {
    /// Not an envelope, or one that breaks the spec: HTTP 400.
    Malformed { path: String, reason: String },
    /// A `dataVersion` this endpoint does not speak: HTTP 422.
    UnsupportedVersion(String),
}

impl EnvelopeError {
    pub fn status(&self) -> u16 {
        match self {
            Self::Malformed { .. } => 400,
            Self::UnsupportedVersion(_) => 422,
        }
    }

    pub(crate) fn at(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Malformed { path: path.into(), reason: reason.into() }
    }
}

impl fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed { path, reason } if path.is_empty() => f.write_str(reason),
            Self::Malformed { path, reason } => write!(f, "{path}: {reason}"),
            Self::UnsupportedVersion(v) => {
                write!(f, "dataVersion '{v}' is not supported; send {V1P1} or {V1P2}")
            }
        }
    }
}

/// A checked envelope: its events, and how many entities it described besides.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub sensor: String,
    pub send_time: DateTime<Utc>,
    pub data_version: DataVersion,
    pub events: Vec<Event>,
    pub entities: usize,
}

const ENVELOPE_KEYS: [&str; 4] = ["sensor", "sendTime", "dataVersion", "data"];

pub(crate) fn text<'a>(o: &'a Map<String, Value>, key: &str, path: &str) -> Result<&'a str, EnvelopeError> {
    match o.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        Some(_) => Err(EnvelopeError::at(join(path, key), "must be a non-empty string")),
        None => Err(EnvelopeError::at(join(path, key), "is required")),
    }
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A date-time as Caliper writes them (ISO 8601, UTC, milliseconds); any offset is accepted and made UTC.
pub(crate) fn time(o: &Map<String, Value>, key: &str, path: &str) -> Result<DateTime<Utc>, EnvelopeError> {
    let s = text(o, key, path)?;
    DateTime::parse_from_rfc3339(s).map(|t| t.to_utc()).map_err(|_| {
        EnvelopeError::at(
            join(path, key),
            format!("'{s}' is not an ISO 8601 date-time such as 2026-10-05T08:15:00.000Z"),
        )
    })
}

/// Reads and checks an envelope.
pub fn parse_envelope(body: &[u8]) -> Result<Envelope, EnvelopeError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| EnvelopeError::at("", format!("not JSON: {e}")))?;
    let Value::Object(o) = value else {
        return Err(EnvelopeError::at("", "the envelope must be a JSON object"));
    };
    if let Some(extra) = o.keys().find(|k| !ENVELOPE_KEYS.contains(&k.as_str())) {
        return Err(EnvelopeError::at(
            extra.as_str(),
            "is not an envelope property (sensor, sendTime, dataVersion, data)",
        ));
    }
    let sensor = text(&o, "sensor", "")?.to_owned();
    let send_time = time(&o, "sendTime", "")?;
    let version = text(&o, "dataVersion", "")?;
    let data_version =
        DataVersion::parse(version).ok_or_else(|| EnvelopeError::UnsupportedVersion(version.to_owned()))?;
    let data = match o.get("data") {
        Some(Value::Array(items)) if !items.is_empty() => items,
        Some(Value::Array(_)) => return Err(EnvelopeError::at("data", "must hold at least one event or entity")),
        Some(_) => return Err(EnvelopeError::at("data", "must be an array of events and entities")),
        None => return Err(EnvelopeError::at("data", "is required")),
    };
    let mut events = Vec::new();
    let mut entities = 0;
    for (i, item) in data.iter().enumerate() {
        let path = format!("data[{i}]");
        let Value::Object(item) = item else {
            return Err(EnvelopeError::at(path, "must be an event or an entity (a JSON object)"));
        };
        let kind = text(item, "type", &path)?;
        if kind.ends_with("Event") {
            events.push(Event::check(item, data_version, &path)?);
        } else {
            text(item, "id", &path)?;
            entities += 1;
        }
    }
    Ok(Envelope { sensor, send_time, data_version, events, entities })
}
