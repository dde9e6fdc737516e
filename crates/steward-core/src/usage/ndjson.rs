//! Events as NDJSON: one JSON object per line, the documented schema of `POST /api/v1/events` and of backfills.
//!
//! ```text
//! {"id":"e-1","time":"2026-10-05T08:15:00-05:00","userSourcedId":"stu-1","productDomain":"math.example",
//!  "schoolSourcedId":"sch-1","kind":"session","durationSeconds":900}
//! ```
//! `time` (RFC 3339 with an offset) and `kind` (launch, session, activity, assessment) are required; the user is
//! named by `userSourcedId`, `userEmail` or `username` (the first given wins), the product by `productId`,
//! `ltiClientId` or `productDomain` (a host or a URL); `id`, `schoolSourcedId` and `durationSeconds` are optional.

use super::event::{host_of, EventKind, ProductRef, UsageEvent, UserRef, MAX_SECONDS};
use chrono::DateTime;
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// Why one line was refused: its number, the field at fault when there is one, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub field: Option<&'static str>,
    pub reason: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field {
            Some(field) => write!(f, "line {}, {field}: {}", self.line, self.reason),
            None => write!(f, "line {}: {}", self.line, self.reason),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Line<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    time: Option<Cow<'a, str>>,
    #[serde(borrow)]
    user_sourced_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    user_email: Option<Cow<'a, str>>,
    #[serde(borrow)]
    username: Option<Cow<'a, str>>,
    product_id: Option<i64>,
    #[serde(borrow)]
    lti_client_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    product_domain: Option<Cow<'a, str>>,
    #[serde(borrow)]
    school_sourced_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    kind: Option<Cow<'a, str>>,
    duration_seconds: Option<i64>,
}

/// A line of text that holds nothing to read: blank lines between events are allowed.
pub fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Reads line number `line` of an NDJSON stream into an event, or says exactly why not.
pub fn parse_line(text: &str, line: u64) -> Result<UsageEvent, LineError> {
    let err = |field: Option<&'static str>, reason: String| LineError { line, field, reason };
    let raw: Line = serde_json::from_str(text).map_err(|e| err(None, json_reason(&e)))?;
    let given = |v: Option<Cow<'_, str>>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());

    let time_text = given(raw.time).ok_or_else(|| err(Some("time"), "is required".into()))?;
    let time = DateTime::parse_from_rfc3339(&time_text).map_err(|_| {
        err(Some("time"), format!("'{time_text}' is not an RFC 3339 date-time with an offset (2026-10-05T08:15:00Z)"))
    })?;
    let kind_text = given(raw.kind).ok_or_else(|| err(Some("kind"), "is required".into()))?;
    let kind = EventKind::parse(&kind_text).ok_or_else(|| {
        err(Some("kind"), format!("'{kind_text}' is not one of launch, session, activity, assessment"))
    })?;
    let user = if let Some(v) = given(raw.user_sourced_id) {
        UserRef::SourcedId(v)
    } else if let Some(v) = given(raw.user_email) {
        UserRef::Email(v.to_lowercase())
    } else if let Some(v) = given(raw.username) {
        UserRef::Username(v)
    } else {
        return Err(err(Some("userSourcedId"), "one of userSourcedId, userEmail or username is required".into()));
    };
    let product = if let Some(id) = raw.product_id {
        ProductRef::Id(id)
    } else if let Some(v) = given(raw.lti_client_id) {
        ProductRef::LtiClient(v)
    } else if let Some(v) = given(raw.product_domain) {
        ProductRef::Domain(
            host_of(&v).ok_or_else(|| err(Some("productDomain"), format!("'{v}' is not a host name or URL")))?,
        )
    } else {
        return Err(err(Some("productId"), "one of productId, ltiClientId or productDomain is required".into()));
    };
    let seconds = match raw.duration_seconds {
        None => 0,
        Some(s) if (0..=i64::from(MAX_SECONDS)).contains(&s) => s as u32,
        Some(s) => return Err(err(Some("durationSeconds"), format!("{s} is not between 0 and {MAX_SECONDS} (a day)"))),
    };
    Ok(UsageEvent { id: given(raw.id), time, user, product, school: given(raw.school_sourced_id), kind, seconds })
}

/// serde's message without its own "at line 1 column N" (the line is ours to give), with the column kept.
fn json_reason(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let msg = msg.rsplit_once(" at line ").map_or(msg.as_str(), |(m, _)| m);
    format!("{msg} (column {})", e.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_line_is_read() {
        let e = parse_line(
            r#"{"id":"e-1","time":"2026-10-05T08:15:00-05:00","userSourcedId":"stu-1","productDomain":"https://www.Math.example/x","schoolSourcedId":"sch-1","kind":"session","durationSeconds":900}"#,
            7,
        )
        .unwrap();
        assert_eq!(e.id.as_deref(), Some("e-1"));
        assert_eq!(e.user, UserRef::SourcedId("stu-1".into()));
        assert_eq!(e.product, ProductRef::Domain("math.example".into()));
        assert_eq!(e.school.as_deref(), Some("sch-1"));
        assert_eq!((e.kind, e.seconds), (EventKind::Session, 900));
    }

    #[test]
    fn the_first_identifier_given_wins() {
        let e = parse_line(
            r#"{"time":"2026-10-05T08:15:00Z","userEmail":"A@B.org","username":"ab","productId":4,"ltiClientId":"c","kind":"launch"}"#,
            1,
        )
        .unwrap();
        assert_eq!(e.user, UserRef::Email("a@b.org".into()));
        assert_eq!(e.product, ProductRef::Id(4));
        assert_eq!(e.seconds, 0);
    }

    #[test]
    fn every_fault_names_its_line_field_and_reason() {
        let cases = [
            (r#"{"time":"2026-10-05T08:15:00Z","productId":4,"kind":"launch"}"#, Some("userSourcedId"), "one of"),
            (r#"{"time":"2026-10-05T08:15:00Z","username":"a","kind":"launch"}"#, Some("productId"), "one of"),
            (r#"{"time":"2026-10-05 08:15","username":"a","productId":1,"kind":"launch"}"#, Some("time"), "RFC 3339"),
            (r#"{"username":"a","productId":1,"kind":"launch"}"#, Some("time"), "required"),
            (r#"{"time":"2026-10-05T08:15:00Z","username":"a","productId":1,"kind":"play"}"#, Some("kind"), "'play'"),
            (
                r#"{"time":"2026-10-05T08:15:00Z","username":"a","productId":1,"kind":"launch","durationSeconds":-5}"#,
                Some("durationSeconds"),
                "-5",
            ),
            (
                r#"{"time":"2026-10-05T08:15:00Z","username":"a","productDomain":"a b","kind":"launch"}"#,
                Some("productDomain"),
                "host",
            ),
            (r#"{"time":"2026-10-05T08:15:00Z","user":"a"}"#, None, "unknown field `user`"),
            (r#"{"time": 5}"#, None, "column"),
            ("not json", None, "expected"),
        ];
        for (text, field, reason) in cases {
            let e = parse_line(text, 12).unwrap_err();
            assert_eq!((e.line, e.field), (12, field), "{text}: {e}");
            assert!(e.reason.contains(reason), "{text}: {e}");
        }
    }
}
