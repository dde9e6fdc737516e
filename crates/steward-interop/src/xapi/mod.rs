//! xAPI 1.0.3 and 2.0.0 statements as an LRS receives them: the version header, every statement checked as the
//! specification requires (`check.rs`: what an LRS must refuse, it refuses, naming the JSON path), statement
//! comparison for ids sent twice, and what usage needs of a statement.

mod check;

use check::{actor, context, err, object, only, result, timestamp, uuid, verb};
use chrono::{DateTime, FixedOffset};
use serde_json::Value;
use std::fmt;

/// The xAPI version a request speaks (`X-Experience-API-Version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V1_0_3,
    V2_0_0,
}

impl Version {
    /// `1.0.x` is read as 1.0.3 (an LRS accepts every 1.0 patch version), `2.0.0` as 2.0.
    pub fn from_header(value: &str) -> Result<Version, String> {
        match value.trim() {
            "2.0.0" => Ok(Version::V2_0_0),
            v if v.starts_with("1.0.") && v[4..].chars().all(|c| c.is_ascii_digit()) && v.len() > 4 => {
                Ok(Version::V1_0_3)
            }
            "1.0" => Ok(Version::V1_0_3),
            v => Err(format!("X-Experience-API-Version '{v}' is not supported; send 1.0.3 or 2.0.0")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1_0_3 => "1.0.3",
            Version::V2_0_0 => "2.0.0",
        }
    }
}

/// Why a statement was refused: which one (its index in an array), where in it, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XapiError {
    pub index: Option<usize>,
    pub path: String,
    pub reason: String,
}

impl fmt::Display for XapiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(i) = self.index {
            write!(f, "statement {i}, ")?;
        }
        if self.path.is_empty() {
            f.write_str(&self.reason)
        } else {
            write!(f, "{}: {}", self.path, self.reason)
        }
    }
}

/// A statement that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    json: Value,
}

/// Who a statement is about, as usage matches people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Email(String),
    /// An account's name (with its home page) or an OpenID: what a district's systems call a username.
    Account(String),
    /// Only a hashed address, or a group: no roster match is possible.
    Other(String),
}

const TOP: [&str; 11] = [
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
];

fn statement(v: &Value, version: Version, sub: bool, path: &str) -> Result<(), XapiError> {
    let o = object(v, path)?;
    let at = |k: &str| if path.is_empty() { k.to_owned() } else { format!("{path}.{k}") };
    if sub {
        only(o, &["objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"], path)?;
    } else {
        only(o, &TOP, path)?;
    }
    if let Some(id) = o.get("id") {
        uuid(id.as_str().ok_or_else(|| err(&at("id"), "must be a string"))?, &at("id"))?;
    }
    actor(o.get("actor").ok_or_else(|| err(&at("actor"), "is required"))?, &at("actor"))?;
    verb(o.get("verb").ok_or_else(|| err(&at("verb"), "is required"))?, &at("verb"))?;
    let obj = object(o.get("object").ok_or_else(|| err(&at("object"), "is required"))?, &at("object"))?;
    let op = at("object");
    let kind = obj.get("objectType").and_then(Value::as_str).unwrap_or("Activity");
    match kind {
        "Activity" => check::activity(obj, &op)?,
        "Agent" | "Group" => actor(&Value::Object(obj.clone()), &op)?,
        "StatementRef" => {
            only(obj, &["objectType", "id"], &op)?;
            let id = obj.get("id").and_then(Value::as_str).ok_or_else(|| err(&format!("{op}.id"), "is required"))?;
            uuid(id, &format!("{op}.id"))?;
        }
        "SubStatement" if sub => return Err(err(&op, "a SubStatement cannot hold another")),
        "SubStatement" => statement(&Value::Object(obj.clone()), version, true, &op)?,
        other => return Err(err(&format!("{op}.objectType"), format!("'{other}' is not an object type"))),
    }
    if let Some(r) = o.get("result") {
        result(r, &at("result"))?;
    }
    if let Some(c) = o.get("context") {
        context(c, kind == "Activity", version, &at("context"))?;
    }
    for key in ["timestamp", "stored"] {
        if let Some(t) = o.get(key) {
            timestamp(t.as_str().ok_or_else(|| err(&at(key), "must be a string"))?, version, &at(key))?;
        }
    }
    if let Some(a) = o.get("authority") {
        actor(a, &at("authority"))?;
    }
    if let Some(v) = o.get("version") {
        let v = v.as_str().ok_or_else(|| err(&at("version"), "must be a string"))?;
        let fits = match version {
            Version::V1_0_3 => v.starts_with("1.0"),
            Version::V2_0_0 => v.starts_with("2.0"),
        };
        if !fits {
            return Err(err(&at("version"), format!("'{v}' is not this request's version {}", version.as_str())));
        }
    }
    if let Some(a) = o.get("attachments") {
        let list = a.as_array().ok_or_else(|| err(&at("attachments"), "must be an array"))?;
        for (i, item) in list.iter().enumerate() {
            let p = format!("{}[{i}]", at("attachments"));
            let item = object(item, &p)?;
            only(item, &["usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"], &p)?;
            for key in ["usageType", "display", "contentType", "length", "sha2"] {
                item.get(key).ok_or_else(|| err(&format!("{p}.{key}"), "is required"))?;
            }
            check::iri(item["usageType"].as_str().unwrap_or_default(), &format!("{p}.usageType"))?;
            check::language_map(&item["display"], &format!("{p}.display"))?;
            if !item["length"].is_u64() {
                return Err(err(&format!("{p}.length"), "must be a whole number"));
            }
        }
    }
    Ok(())
}

impl Statement {
    /// Checks one statement (a JSON value) as an LRS must.
    pub fn parse(value: &Value, version: Version) -> Result<Statement, XapiError> {
        statement(value, version, false, "")?;
        Ok(Statement { json: value.clone() })
    }

    pub fn id(&self) -> Option<&str> {
        self.json.get("id").and_then(Value::as_str)
    }

    /// The statement with the id the LRS gives it.
    pub fn with_id(mut self, id: String) -> Statement {
        self.json["id"] = Value::String(id);
        self
    }

    pub fn verb_id(&self) -> &str {
        self.json["verb"]["id"].as_str().unwrap_or_default()
    }

    pub fn who(&self) -> Who {
        let a = &self.json["actor"];
        if let Some(m) = a["mbox"].as_str() {
            Who::Email(m.trim_start_matches("mailto:").to_lowercase())
        } else if let Some(name) = a["account"]["name"].as_str() {
            Who::Account(name.to_owned())
        } else if let Some(openid) = a["openid"].as_str() {
            Who::Account(openid.to_owned())
        } else {
            Who::Other(a["mbox_sha1sum"].as_str().map_or_else(|| "group".to_owned(), |s| format!("sha1:{s}")))
        }
    }

    pub fn timestamp(&self) -> Option<DateTime<FixedOffset>> {
        self.json["timestamp"].as_str().and_then(|t| DateTime::parse_from_rfc3339(t).ok())
    }

    /// `result.duration` in seconds.
    pub fn duration_seconds(&self) -> Option<f64> {
        self.json["result"]["duration"].as_str().and_then(check::duration)
    }

    pub fn has_result(&self) -> bool {
        self.json.get("result").is_some()
    }

    pub fn json(&self) -> &Value {
        &self.json
    }
}

/// Whether `s` is a UUID (as statement ids are).
pub fn is_uuid(s: &str) -> bool {
    uuid(s, "").is_ok()
}

/// A request body: one statement or an array of them; the whole request fails on the first bad one.
pub fn parse_statements(body: &[u8], version: Version) -> Result<Vec<Statement>, XapiError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| err("", format!("not JSON: {e}")))?;
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| Statement::parse(v, version).map_err(|e| XapiError { index: Some(i), ..e }))
            .collect(),
        single => Ok(vec![Statement::parse(&single, version)?]),
    }
}

/// Whether two statements with one id say the same (the spec's statement comparison): what the LRS or the sender
/// may set on its own — `stored`, `authority`, `version` — is left out, and `timestamp`s compare as instants.
pub fn same_statement(a: &Value, b: &Value) -> bool {
    fn core(v: &Value) -> Value {
        let mut v = v.clone();
        if let Some(o) = v.as_object_mut() {
            for key in ["stored", "authority", "version"] {
                o.remove(key);
            }
            if let Some(t) =
                o.get("timestamp").and_then(Value::as_str).and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            {
                o.insert("timestamp".into(), Value::String(t.to_utc().to_rfc3339()));
            }
        }
        v
    }
    core(a) == core(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_durations() {
        assert_eq!(Version::from_header("1.0.3"), Ok(Version::V1_0_3));
        assert_eq!(Version::from_header("1.0.1"), Ok(Version::V1_0_3));
        assert_eq!(Version::from_header("2.0.0"), Ok(Version::V2_0_0));
        assert!(Version::from_header("0.95").is_err());
        assert!(Version::from_header("1.0.x").is_err());
        assert_eq!(check::duration("PT1H30M"), Some(5400.0));
        assert_eq!(check::duration("P1DT2H"), Some(93_600.0));
        assert_eq!(check::duration("PT45.5S"), Some(45.5));
        assert_eq!(check::duration("PT"), None);
        assert_eq!(check::duration("1H"), None);
    }

    #[test]
    fn comparison_ignores_what_the_lrs_sets() {
        let a = serde_json::json!({"id": "x", "timestamp": "2026-10-05T08:00:00-05:00", "verb": {"id": "v:1"}});
        let mut b = a.clone();
        b["stored"] = "2026-10-05T13:00:01Z".into();
        b["timestamp"] = "2026-10-05T13:00:00Z".into();
        assert!(same_statement(&a, &b));
        b["verb"]["id"] = "v:2".into();
        assert!(!same_statement(&a, &b));
    }
}
