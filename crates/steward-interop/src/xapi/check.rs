//! The rules an LRS applies to a statement's parts: actors and their one inverse functional identifier, verbs,
//! activities and interaction types, statement references and sub-statements, results, contexts, language maps,
//! IRIs, UUIDs, date-times and durations. Each failure names the JSON path.

use super::{Version, XapiError};
use serde_json::{Map, Value};

pub(super) type Checked = Result<(), XapiError>;

pub(super) fn err(path: &str, reason: impl Into<String>) -> XapiError {
    XapiError { index: None, path: path.to_owned(), reason: reason.into() }
}

fn at(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

pub(super) fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, XapiError> {
    v.as_object().ok_or_else(|| err(path, "must be a JSON object"))
}

pub(super) fn only(o: &Map<String, Value>, allowed: &[&str], path: &str) -> Checked {
    match o.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(err(&at(path, k), "is not a property xAPI defines here")),
        None => Ok(()),
    }
}

fn string<'a>(o: &'a Map<String, Value>, key: &str, path: &str) -> Result<Option<&'a str>, XapiError> {
    match o.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(err(&at(path, key), "must be a string")),
    }
}

/// An absolute IRI: a scheme, then something.
pub(super) fn iri(s: &str, path: &str) -> Checked {
    let ok = s.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    }) && !s.chars().any(char::is_whitespace);
    if ok {
        Ok(())
    } else {
        Err(err(path, format!("'{s}' is not an absolute IRI")))
    }
}

pub(super) fn uuid(s: &str, path: &str) -> Checked {
    let parts: Vec<&str> = s.split('-').collect();
    let ok = parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_hexdigit()));
    if ok {
        Ok(())
    } else {
        Err(err(path, format!("'{s}' is not a UUID")))
    }
}

pub(super) fn timestamp(s: &str, version: Version, path: &str) -> Checked {
    let ok = chrono::DateTime::parse_from_rfc3339(s).is_ok()
        // 1.0.3 also allows a date-time without an offset (read as UTC); 2.0 requires the offset.
        || (version == Version::V1_0_3 && chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").is_ok());
    if ok {
        Ok(())
    } else {
        Err(err(path, format!("'{s}' is not an ISO 8601 date-time with its offset")))
    }
}

/// Seconds in an ISO 8601 duration (`PT1H30M`, `P1DT2H`, `PT45.5S`); `None` when it is not one.
pub(super) fn duration(s: &str) -> Option<f64> {
    let rest = s.strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    if (date.is_empty() && time.is_empty()) || (s.contains('T') && time.is_empty()) {
        return None;
    }
    let mut total = 0f64;
    for (part, units) in [
        (date, &[('Y', 31_536_000.0), ('M', 2_592_000.0), ('W', 604_800.0), ('D', 86_400.0)][..]),
        (time, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)][..]),
    ] {
        let mut number = String::new();
        let mut next = 0;
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
                continue;
            }
            let i = units[next..].iter().position(|(u, _)| *u == c)? + next;
            total += number.parse::<f64>().ok()? * units[i].1;
            number.clear();
            next = i + 1;
        }
        if !number.is_empty() {
            return None;
        }
    }
    Some(total)
}

/// An RFC 5646 tag, as far as its shape goes: a primary subtag of 2–8 letters (or `x`/`i`), then subtags of 1–8
/// letters or digits.
fn language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    let primary_ok = ((2..=8).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic()))
        || primary.eq_ignore_ascii_case("x")
        || primary.eq_ignore_ascii_case("i");
    primary_ok && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

pub(super) fn language_map(v: &Value, path: &str) -> Checked {
    let o = object(v, path)?;
    for (tag, text) in o {
        if !language_tag(tag) {
            return Err(err(&at(path, tag), format!("'{tag}' is not an RFC 5646 language tag")));
        }
        if !text.is_string() {
            return Err(err(&at(path, tag), "must be a string"));
        }
    }
    Ok(())
}

pub(super) fn extensions(v: &Value, path: &str) -> Checked {
    for key in object(v, path)?.keys() {
        iri(key, &at(path, key))?;
    }
    Ok(())
}

const IFIS: [&str; 4] = ["mbox", "mbox_sha1sum", "openid", "account"];

/// How many inverse functional identifiers an agent or group has, each checked.
fn ifis(o: &Map<String, Value>, path: &str) -> Result<usize, XapiError> {
    if let Some(m) = string(o, "mbox", path)? {
        let address = m.strip_prefix("mailto:").ok_or_else(|| err(&at(path, "mbox"), "must be a mailto: IRI"))?;
        if !address.contains('@') {
            return Err(err(&at(path, "mbox"), format!("'{m}' is not an e-mail address")));
        }
    }
    if let Some(s) = string(o, "mbox_sha1sum", path)? {
        if s.len() != 40 || !s.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(err(&at(path, "mbox_sha1sum"), "must be 40 hexadecimal digits"));
        }
    }
    if let Some(s) = string(o, "openid", path)? {
        iri(s, &at(path, "openid"))?;
    }
    if let Some(a) = o.get("account") {
        let p = at(path, "account");
        let a = object(a, &p)?;
        only(a, &["homePage", "name"], &p)?;
        let home = string(a, "homePage", &p)?.ok_or_else(|| err(&at(&p, "homePage"), "is required"))?;
        iri(home, &at(&p, "homePage"))?;
        string(a, "name", &p)?.ok_or_else(|| err(&at(&p, "name"), "is required"))?;
    }
    Ok(IFIS.iter().filter(|k| o.contains_key(**k)).count())
}

/// An Agent, or a Group (anonymous with members, or identified).
pub(super) fn actor(v: &Value, path: &str) -> Checked {
    let o = object(v, path)?;
    match o.get("objectType").and_then(Value::as_str) {
        None | Some("Agent") => agent(o, path),
        Some("Group") => group(o, path),
        Some(other) => Err(err(&at(path, "objectType"), format!("'{other}' is not Agent or Group"))),
    }
}

fn agent(o: &Map<String, Value>, path: &str) -> Checked {
    only(o, &["objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"], path)?;
    string(o, "name", path)?;
    match ifis(o, path)? {
        1 => Ok(()),
        0 => Err(err(path, "an Agent needs one of mbox, mbox_sha1sum, openid or account")),
        _ => Err(err(path, "an Agent has exactly one of mbox, mbox_sha1sum, openid or account")),
    }
}

fn group(o: &Map<String, Value>, path: &str) -> Checked {
    only(o, &["objectType", "name", "mbox", "mbox_sha1sum", "openid", "account", "member"], path)?;
    let n = ifis(o, path)?;
    if n > 1 {
        return Err(err(path, "a Group has at most one of mbox, mbox_sha1sum, openid or account"));
    }
    match o.get("member") {
        Some(Value::Array(members)) => {
            for (i, m) in members.iter().enumerate() {
                let p = format!("{}[{i}]", at(path, "member"));
                let m = object(m, &p)?;
                if m.get("objectType").and_then(Value::as_str).is_some_and(|t| t != "Agent") {
                    return Err(err(&at(&p, "objectType"), "a Group's members are Agents"));
                }
                agent(m, &p)?;
            }
            if members.is_empty() && n == 0 {
                return Err(err(&at(path, "member"), "an anonymous Group lists its members"));
            }
            Ok(())
        }
        Some(_) => Err(err(&at(path, "member"), "must be an array of Agents")),
        None if n == 0 => Err(err(&at(path, "member"), "an anonymous Group lists its members")),
        None => Ok(()),
    }
}

pub(super) fn verb(v: &Value, path: &str) -> Checked {
    let o = object(v, path)?;
    only(o, &["id", "display"], path)?;
    let id = string(o, "id", path)?.ok_or_else(|| err(&at(path, "id"), "is required"))?;
    iri(id, &at(path, "id"))?;
    if let Some(d) = o.get("display") {
        language_map(d, &at(path, "display"))?;
    }
    Ok(())
}

const INTERACTIONS: [&str; 10] = [
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
];
const COMPONENTS: [(&str, &[&str]); 5] = [
    ("choices", &["choice", "sequencing"]),
    ("scale", &["likert"]),
    ("source", &["matching"]),
    ("target", &["matching"]),
    ("steps", &["performance"]),
];

pub(super) fn activity(o: &Map<String, Value>, path: &str) -> Checked {
    only(o, &["objectType", "id", "definition"], path)?;
    let id = string(o, "id", path)?.ok_or_else(|| err(&at(path, "id"), "is required"))?;
    iri(id, &at(path, "id"))?;
    let Some(d) = o.get("definition") else { return Ok(()) };
    let p = at(path, "definition");
    let d = object(d, &p)?;
    let mut allowed =
        vec!["name", "description", "type", "moreInfo", "extensions", "interactionType", "correctResponsesPattern"];
    allowed.extend(COMPONENTS.iter().map(|(c, _)| *c));
    only(d, &allowed, &p)?;
    for key in ["name", "description"] {
        if let Some(m) = d.get(key) {
            language_map(m, &at(&p, key))?;
        }
    }
    for key in ["type", "moreInfo"] {
        if let Some(s) = string(d, key, &p)? {
            iri(s, &at(&p, key))?;
        }
    }
    if let Some(x) = d.get("extensions") {
        extensions(x, &at(&p, "extensions"))?;
    }
    let kind = match d.get("interactionType") {
        None => None,
        Some(Value::String(t)) if INTERACTIONS.contains(&t.as_str()) => Some(t.as_str()),
        Some(t) => {
            return Err(err(
                &at(&p, "interactionType"),
                format!("{t} is not an interaction type ({})", INTERACTIONS.join(", ")),
            ))
        }
    };
    for (component, types) in COMPONENTS {
        let Some(list) = d.get(component) else { continue };
        if !kind.is_some_and(|k| types.contains(&k)) {
            return Err(err(&at(&p, component), format!("belongs to interaction types {} only", types.join(", "))));
        }
        let list = list.as_array().ok_or_else(|| err(&at(&p, component), "must be an array"))?;
        for (i, c) in list.iter().enumerate() {
            let cp = format!("{}[{i}]", at(&p, component));
            let c = object(c, &cp)?;
            only(c, &["id", "description"], &cp)?;
            string(c, "id", &cp)?.ok_or_else(|| err(&at(&cp, "id"), "is required"))?;
            if let Some(m) = c.get("description") {
                language_map(m, &at(&cp, "description"))?;
            }
        }
    }
    if d.contains_key("correctResponsesPattern") && kind.is_none() {
        return Err(err(&at(&p, "correctResponsesPattern"), "needs an interactionType"));
    }
    Ok(())
}

pub(super) fn result(v: &Value, path: &str) -> Checked {
    let o = object(v, path)?;
    only(o, &["score", "success", "completion", "response", "duration", "extensions"], path)?;
    if let Some(s) = o.get("score") {
        let p = at(path, "score");
        let s = object(s, &p)?;
        only(s, &["scaled", "raw", "min", "max"], &p)?;
        let num = |k: &str| s.get(k).map(|v| v.as_f64().ok_or_else(|| err(&at(&p, k), "must be a number"))).transpose();
        let (scaled, raw, min, max) = (num("scaled")?, num("raw")?, num("min")?, num("max")?);
        if scaled.is_some_and(|x| !(-1.0..=1.0).contains(&x)) {
            return Err(err(&at(&p, "scaled"), "must be between -1 and 1"));
        }
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo >= hi {
                return Err(err(&at(&p, "min"), "must be less than max"));
            }
        }
        if let Some(r) = raw {
            if min.is_some_and(|lo| r < lo) || max.is_some_and(|hi| r > hi) {
                return Err(err(&at(&p, "raw"), "must lie between min and max"));
            }
        }
    }
    for key in ["success", "completion"] {
        if o.get(key).is_some_and(|v| !v.is_boolean()) {
            return Err(err(&at(path, key), "must be true or false"));
        }
    }
    string(o, "response", path)?;
    if let Some(d) = string(o, "duration", path)? {
        duration(d).ok_or_else(|| err(&at(path, "duration"), format!("'{d}' is not an ISO 8601 duration")))?;
    }
    if let Some(x) = o.get("extensions") {
        extensions(x, &at(path, "extensions"))?;
    }
    Ok(())
}

pub(super) fn context(v: &Value, object_is_activity: bool, version: Version, path: &str) -> Checked {
    let o = object(v, path)?;
    let mut allowed = vec![
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    ];
    if version == Version::V2_0_0 {
        allowed.extend(["contextAgents", "contextGroups"]);
    }
    only(o, &allowed, path)?;
    if let Some(r) = string(o, "registration", path)? {
        uuid(r, &at(path, "registration"))?;
    }
    if let Some(i) = o.get("instructor") {
        actor(i, &at(path, "instructor"))?;
    }
    if let Some(t) = o.get("team") {
        let p = at(path, "team");
        if object(t, &p)?.get("objectType").and_then(Value::as_str) != Some("Group") {
            return Err(err(&at(&p, "objectType"), "a team is a Group"));
        }
        actor(t, &p)?;
    }
    if let Some(c) = o.get("contextActivities") {
        let p = at(path, "contextActivities");
        let c = object(c, &p)?;
        only(c, &["parent", "grouping", "category", "other"], &p)?;
        for (key, list) in c {
            let list: Vec<&Value> = match list {
                Value::Array(items) => items.iter().collect(),
                single => vec![single],
            };
            for (i, a) in list.into_iter().enumerate() {
                let ap = format!("{}[{i}]", at(&p, key));
                activity(object(a, &ap)?, &ap)?;
            }
        }
    }
    for key in ["revision", "platform"] {
        if o.contains_key(key) && !object_is_activity {
            return Err(err(&at(path, key), "is only for statements about an Activity"));
        }
        string(o, key, path)?;
    }
    if let Some(tag) = string(o, "language", path)? {
        if !language_tag(tag) {
            return Err(err(&at(path, "language"), format!("'{tag}' is not an RFC 5646 language tag")));
        }
    }
    if let Some(s) = o.get("statement") {
        let p = at(path, "statement");
        let s = object(s, &p)?;
        only(s, &["objectType", "id"], &p)?;
        let id = string(s, "id", &p)?.ok_or_else(|| err(&at(&p, "id"), "is required"))?;
        uuid(id, &at(&p, "id"))?;
    }
    if let Some(x) = o.get("extensions") {
        extensions(x, &at(path, "extensions"))?;
    }
    Ok(())
}
