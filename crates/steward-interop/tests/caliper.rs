//! Caliper envelopes against the IMS common fixtures (Caliper 1.1, `../shared/interop-samples/caliper-common-fixtures-v1p1`):
//! every envelope is read with its events and entities, every event fixture is accepted in an envelope, and one change
//! to a fixture at a time is refused with the path and the status the endpoint answers.

use serde_json::{json, Value};
use steward_interop::caliper::{configuration, parse_envelope, DataVersion, EnvelopeError, V1P1, V1P2};

const FIXTURES: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/interop-samples/caliper-common-fixtures-v1p1/fixtures");

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn names(prefix: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix) && n.ends_with(".json"))
        .collect();
    out.sort();
    out
}

fn envelope(data: Vec<Value>) -> Value {
    json!({ "sensor": "https://example.edu/sensors/1", "sendTime": "2016-11-15T11:05:01.000Z", "dataVersion": V1P1, "data": data })
}

fn parse(v: &Value) -> Result<steward_interop::caliper::Envelope, EnvelopeError> {
    parse_envelope(v.to_string().as_bytes())
}

#[test]
fn every_envelope_fixture_is_read_with_its_events_and_entities() {
    let expected: &[(&str, usize, usize)] = &[
        ("caliperEnvelopeEntityBatch.json", 0, 3),
        ("caliperEnvelopeEntitySingle.json", 0, 1),
        ("caliperEnvelopeEventBatch.json", 3, 0),
        ("caliperEnvelopeEventContextArray.json", 1, 0),
        ("caliperEnvelopeEventSingle.json", 1, 0),
        ("caliperEnvelopeEventThinned.json", 1, 0),
        ("caliperEnvelopeMixedBatch.json", 3, 4),
        ("caliperEnvelopeToolUseEvent.json", 1, 0),
    ];
    assert_eq!(names("caliperEnvelope"), expected.iter().map(|e| e.0).collect::<Vec<_>>(), "the fixture set changed");
    for (name, events, entities) in expected {
        let e = parse(&fixture(name)).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!((e.events.len(), e.entities, e.data_version), (*events, *entities, DataVersion::V1p1), "{name}");
    }
    let single = parse(&fixture("caliperEnvelopeEventSingle.json")).unwrap();
    let ev = &single.events[0];
    assert_eq!(
        (ev.id.as_str(), ev.event_type.as_str(), ev.action.as_str()),
        ("urn:uuid:c51570e4-f8ed-4c18-bb3a-dfe51b2cc594", "AssessmentEvent", "Started")
    );
    assert_eq!(ev.actor.id, "https://example.edu/users/554433");
    assert_eq!(ev.event_time.to_rfc3339(), "2016-11-15T10:15:00+00:00");
    let thinned = parse(&fixture("caliperEnvelopeEventThinned.json")).unwrap();
    assert_eq!(thinned.events[0].actor.id, "https://example.edu/users/554433", "an actor given as its IRI");
}

#[test]
fn every_event_fixture_is_accepted_in_an_envelope_and_every_entity_as_data() {
    let events = names("caliperEvent");
    assert_eq!(events.len(), 29, "the fixture set changed");
    for name in &events {
        let e = parse(&envelope(vec![fixture(name)])).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(e.events.len(), 1, "{name}");
    }
    let logged_out = parse(&envelope(vec![fixture("caliperEventSessionLoggedOut.json")])).unwrap();
    assert_eq!(logged_out.events[0].duration_seconds, Some(3000), "the session's PT3000S");
    let entities = names("caliperEntity");
    assert_eq!(entities.len(), 43, "the fixture set changed");
    let all: Vec<Value> = entities.iter().map(|n| fixture(n)).collect();
    let e = parse(&envelope(all)).unwrap();
    assert_eq!((e.events.len(), e.entities), (0, 43));
}

/// The single-event envelope with one change.
fn changed(f: impl FnOnce(&mut Value)) -> Result<steward_interop::caliper::Envelope, EnvelopeError> {
    let mut v = fixture("caliperEnvelopeEventSingle.json");
    f(&mut v);
    parse(&v)
}

fn malformed_at(r: Result<steward_interop::caliper::Envelope, EnvelopeError>) -> (u16, String) {
    match r {
        Err(e @ EnvelopeError::Malformed { .. }) => {
            let EnvelopeError::Malformed { ref path, .. } = e else { unreachable!() };
            (e.status(), path.clone())
        }
        Err(e) => (e.status(), e.to_string()),
        Ok(_) => panic!("accepted"),
    }
}

#[test]
fn one_change_at_a_time_is_refused_with_its_path_and_status() {
    type Change = Box<dyn FnOnce(&mut Value)>;
    let cases: Vec<(&str, Change, &str)> = vec![
        (
            "no id",
            Box::new(|v| {
                v["data"][0].as_object_mut().unwrap().remove("id");
            }),
            "data[0].id",
        ),
        ("an id that is not a urn:uuid", Box::new(|v| v["data"][0]["id"] = json!("event-1")), "data[0].id"),
        ("an unknown type", Box::new(|v| v["data"][0]["type"] = json!("DancedEvent")), "data[0].type"),
        ("an action the type does not take", Box::new(|v| v["data"][0]["action"] = json!("Graded")), "data[0].action"),
        (
            "no actor",
            Box::new(|v| {
                v["data"][0].as_object_mut().unwrap().remove("actor");
            }),
            "data[0].actor",
        ),
        (
            "no object",
            Box::new(|v| {
                v["data"][0].as_object_mut().unwrap().remove("object");
            }),
            "data[0].object",
        ),
        (
            "no eventTime",
            Box::new(|v| {
                v["data"][0].as_object_mut().unwrap().remove("eventTime");
            }),
            "data[0].eventTime",
        ),
        ("a time that is not one", Box::new(|v| v["data"][0]["eventTime"] = json!("15/11/2016")), "data[0].eventTime"),
        ("an envelope property of its own", Box::new(|v| v["extra"] = json!(1)), "extra"),
        (
            "no sensor",
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("sensor");
            }),
            "sensor",
        ),
        ("empty data", Box::new(|v| v["data"] = json!([])), "data"),
        (
            "a 1.2 type in a 1.1 envelope",
            Box::new(|v| {
                v["data"][0]["type"] = json!("ToolLaunchEvent");
                v["data"][0]["action"] = json!("Returned");
            }),
            "data[0].type",
        ),
    ];
    for (what, change, path) in cases {
        assert_eq!(malformed_at(changed(change)), (400, path.to_owned()), "{what}");
    }
    let v12 = changed(|v| v["dataVersion"] = json!(V1P2));
    assert!(v12.is_ok(), "the same events are valid 1.2");
    let launched = changed(|v| {
        v["dataVersion"] = json!(V1P2);
        v["data"][0]["type"] = json!("ToolLaunchEvent");
        v["data"][0]["action"] = json!("Launched");
    });
    assert_eq!(malformed_at(launched), (400, "data[0].federatedSession".to_owned()), "a launch names its LTI session");
    let other = changed(|v| v["dataVersion"] = json!("http://purl.imsglobal.org/ctx/caliper/v1p0"));
    assert_eq!(other.unwrap_err().status(), 422, "an unsupported dataVersion");
    assert_eq!(parse_envelope(b"not json").unwrap_err().status(), 400);
}

#[test]
fn the_configuration_lists_both_versions() {
    let c = configuration();
    assert_eq!(c["caliperSupportedVersions"], json!([V1P1, V1P2]));
    assert!(c["caliperMaximumPayloadSize"].as_u64().unwrap() > 0);
}
