//! A Caliper event: its required properties (`id` as a `urn:uuid:` UUID, a known `type`, an `actor`, an `action`
//! the type allows, an `object`, an `eventTime`), the 1.2 types refused in a 1.1 envelope, and what usage needs of
//! it: who, when, what kind, how long.

use super::{join, text, time, DataVersion, EnvelopeError};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// Each event type with the actions the spec allows it; `None` for the generic `Event`, which takes any action.
const TYPES: &[(&str, Option<&[&str]>, bool)] = &[
    ("Event", None, false),
    ("AnnotationEvent", Some(&["Bookmarked", "Highlighted", "Shared", "Tagged"]), false),
    ("AssessmentEvent", Some(&["Started", "Paused", "Resumed", "Restarted", "Reset", "Submitted"]), false),
    ("AssessmentItemEvent", Some(&["Started", "Skipped", "Completed"]), false),
    ("AssignableEvent", Some(&["Activated", "Deactivated", "Started", "Completed", "Submitted", "Reviewed"]), false),
    ("FeedbackEvent", Some(&["Commented", "Ranked"]), true),
    ("ForumEvent", Some(&["Subscribed", "Unsubscribed"]), false),
    ("GradeEvent", Some(&["Graded"]), false),
    (
        "MediaEvent",
        Some(&[
            "Started",
            "Ended",
            "Paused",
            "Resumed",
            "Restarted",
            "ForwardedTo",
            "JumpedTo",
            "ChangedResolution",
            "ChangedSize",
            "ChangedSpeed",
            "ChangedVolume",
            "EnabledClosedCaptioning",
            "DisabledClosedCaptioning",
            "EnteredFullScreen",
            "ExitedFullScreen",
            "Muted",
            "Unmuted",
            "OpenedPopout",
            "ClosedPopout",
        ]),
        false,
    ),
    ("MessageEvent", Some(&["Posted", "MarkedAsRead", "MarkedAsUnread"]), false),
    ("NavigationEvent", Some(&["NavigatedTo"]), false),
    ("QuestionnaireEvent", Some(&["Started", "Submitted"]), true),
    ("QuestionnaireItemEvent", Some(&["Started", "Skipped", "Completed"]), true),
    (
        "ResourceManagementEvent",
        Some(&[
            "Archived",
            "Copied",
            "Created",
            "Deleted",
            "Described",
            "Downloaded",
            "Modified",
            "Printed",
            "Published",
            "Restored",
            "Retrieved",
            "Saved",
            "Unpublished",
            "Uploaded",
        ]),
        true,
    ),
    ("SearchEvent", Some(&["Searched"]), true),
    ("SessionEvent", Some(&["LoggedIn", "LoggedOut", "TimedOut"]), false),
    ("SurveyEvent", Some(&["OptedIn", "OptedOut"]), true),
    ("SurveyInvitationEvent", Some(&["Accepted", "Declined", "Sent"]), true),
    ("ThreadEvent", Some(&["MarkedAsRead", "MarkedAsUnread"]), false),
    ("ToolLaunchEvent", Some(&["Launched", "Returned"]), true),
    ("ToolUseEvent", Some(&["Used"]), false),
    ("ViewEvent", Some(&["Viewed"]), false),
];

/// Who did it, as the event names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The actor's IRI.
    pub id: String,
    /// A OneRoster sourcedId from `otherIdentifiers` (1.2: `LisSourcedId` or `SisSourcedId`), when given.
    pub sourced_id: Option<String>,
    /// An e-mail address, from `otherIdentifiers` (`EmailAddress`) or a `mailto:` id.
    pub email: Option<String>,
}

/// A checked event.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub event_type: String,
    pub action: String,
    pub event_time: DateTime<Utc>,
    pub actor: Person,
    /// The session's length in seconds, when the event gives one (`session.duration` on a log-out).
    pub duration_seconds: Option<u32>,
    pub json: Value,
}

fn entity_id(o: &Map<String, Value>, key: &str, path: &str) -> Result<String, EnvelopeError> {
    match o.get(key) {
        Some(Value::String(iri)) if !iri.trim().is_empty() => Ok(iri.clone()),
        Some(Value::Object(e)) => Ok(text(e, "id", &join(path, key))?.to_owned()),
        Some(_) => Err(EnvelopeError::at(join(path, key), "must be an entity or its IRI")),
        None => Err(EnvelopeError::at(join(path, key), "is required")),
    }
}

fn uuid_urn(id: &str) -> bool {
    let Some(u) = id.strip_prefix("urn:uuid:") else { return false };
    let parts: Vec<&str> = u.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12]) && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Seconds in an ISO 8601 duration such as `PT3000S` or `PT1H5M`.
fn duration_seconds(d: &str) -> Option<u32> {
    let rest = d.strip_prefix("PT")?;
    let (mut total, mut number) = (0f64, String::new());
    for c in rest.chars() {
        match c {
            '0'..='9' | '.' => number.push(c),
            'H' | 'M' | 'S' => {
                let n: f64 = number.parse().ok()?;
                total += n * match c {
                    'H' => 3600.0,
                    'M' => 60.0,
                    _ => 1.0,
                };
                number.clear();
            }
            _ => return None,
        }
    }
    (number.is_empty() && total >= 0.0).then_some(total.round() as u32)
}

fn person(o: &Map<String, Value>, path: &str) -> Result<Person, EnvelopeError> {
    let id = entity_id(o, "actor", path)?;
    let mut p = Person { email: id.strip_prefix("mailto:").map(str::to_lowercase), id, sourced_id: None };
    let others = o.get("actor").and_then(|a| a.get("otherIdentifiers")).and_then(Value::as_array);
    for other in others.into_iter().flatten() {
        let (Some(kind), Some(value)) = (other["identifierType"].as_str(), other["identifier"].as_str()) else {
            continue;
        };
        match kind {
            "LisSourcedId" | "SisSourcedId" | "OneRosterSourcedId" => p.sourced_id = Some(value.to_owned()),
            "EmailAddress" => p.email = Some(value.to_lowercase()),
            _ => {}
        }
    }
    Ok(p)
}

impl Event {
    pub(super) fn check(o: &Map<String, Value>, version: DataVersion, path: &str) -> Result<Event, EnvelopeError> {
        let id = text(o, "id", path)?;
        if !uuid_urn(id) {
            return Err(EnvelopeError::at(join(path, "id"), format!("'{id}' is not a urn:uuid: UUID")));
        }
        let kind = text(o, "type", path)?;
        let Some((_, actions, since_1_2)) = TYPES.iter().find(|(t, _, _)| *t == kind) else {
            return Err(EnvelopeError::at(join(path, "type"), format!("'{kind}' is not a Caliper event type")));
        };
        if *since_1_2 && version == DataVersion::V1p1 {
            return Err(EnvelopeError::at(join(path, "type"), format!("{kind} is Caliper 1.2; the envelope is 1.1")));
        }
        let action = text(o, "action", path)?;
        if let Some(allowed) = actions {
            if !allowed.contains(&action) {
                return Err(EnvelopeError::at(
                    join(path, "action"),
                    format!("{kind} does not take '{action}'; it takes {}", allowed.join(", ")),
                ));
            }
        }
        let actor = person(o, path)?;
        entity_id(o, "object", path)?;
        let event_time = time(o, "eventTime", path)?;
        if kind == "ToolLaunchEvent" && action == "Launched" && o.get("federatedSession").is_none() {
            return Err(EnvelopeError::at(join(path, "federatedSession"), "is required when a tool is Launched"));
        }
        let duration = o
            .get("session")
            .and_then(|s| s.get("duration"))
            .or_else(|| o.get("object").and_then(|s| s.get("duration")).filter(|_| kind == "SessionEvent"))
            .and_then(Value::as_str)
            .and_then(duration_seconds);
        Ok(Event {
            id: id.to_owned(),
            event_type: kind.to_owned(),
            action: action.to_owned(),
            event_time,
            actor,
            duration_seconds: duration,
            json: Value::Object(o.clone()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_uuids() {
        assert_eq!(duration_seconds("PT3000S"), Some(3000));
        assert_eq!(duration_seconds("PT1H5M"), Some(3900));
        assert_eq!(duration_seconds("P1D"), None);
        assert!(uuid_urn("urn:uuid:c51570e4-f8ed-4c18-bb3a-dfe51b2cc594"));
        assert!(!uuid_urn("c51570e4-f8ed-4c18-bb3a-dfe51b2cc594"));
        assert!(!uuid_urn("urn:uuid:c51570e4-f8ed-4c18-bb3a"));
    }
}
