//! xAPI statements against ADL's LRS conformance templates (`../shared/interop-samples/xapi-adl-lrs-conformance-templates`,
//! 1.0.3 and 2.0): each part put into its place in the default statement, and each whole statement, is accepted or
//! refused as the templates intend; the refused ones are pinned by name with the path named.

use serde_json::Value;
use steward_interop::xapi::{parse_statements, Statement, Version};

const ROOT: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/interop-samples/xapi-adl-lrs-conformance-templates");

fn template(version: &str, folder: &str, name: &str) -> Value {
    let path = format!("{ROOT}/{version}/templates/{folder}/{name}");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
}

fn names(version: &str, folder: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(format!("{ROOT}/{version}/templates/{folder}"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    out.sort();
    out
}

/// Where each folder's templates go in a statement (`None`: they are whole statements).
const PLACES: [(&str, Option<&str>); 8] = [
    ("statements", None),
    ("agents", Some("actor")),
    ("groups", Some("actor")),
    ("verbs", Some("verb")),
    ("activities", Some("object")),
    ("substatements", Some("object")),
    ("contexts", Some("context")),
    ("results", Some("result")),
];

/// The templates the suite writes to be refused, with the path the refusal names.
const REFUSED: &[(&str, &str)] = &[
    ("activities/description_invalid.json", "object.definition.description.something"),
    ("activities/interaction_type_invalid_iri.json", "object.definition.interactionType"),
    ("activities/interaction_type_invalid_numeric.json", "object.definition.interactionType"),
    ("activities/interaction_type_invalid_object.json", "object.definition.interactionType"),
    ("activities/interaction_type_invalid_string.json", "object.definition.interactionType"),
    ("activities/name_invalid.json", "object.definition.name.something"),
    ("activities/no_id.json", "object.id"),
    ("activities/numeric_description.json", "object.definition.description"),
    ("activities/numeric_name.json", "object.definition.name"),
    ("activities/string_description.json", "object.definition.description"),
    ("activities/string_name.json", "object.definition.name"),
    ("agents/account_no_homepage.json", "actor.account.homePage"),
    ("agents/account_no_name.json", "actor.account.name"),
    ("contexts/invalid_activity.json", "context.contextActivities.consequences"),
    ("groups/anonymous_no_member.json", "actor.member"),
    ("groups/identified_account_no_homepage.json", "actor.account.homePage"),
    ("groups/identified_account_no_name.json", "actor.account.name"),
    ("statements/no_actor.json", "actor"),
    ("statements/no_object.json", "object"),
    ("statements/no_verb.json", "verb"),
    ("statements/object_statementref_no_id.json", "object.id"),
    ("substatements/activity_definition_description_invalid.json", "object.object.definition.description"),
    ("substatements/activity_definition_name_invalid.json", "object.object.definition.name"),
    ("substatements/context_invalid_language_map.json", "object.context.language"),
    ("substatements/interaction_component_invalid_language_map.json", "object.object.definition"),
    ("substatements/no_actor.json", "object.actor"),
    ("substatements/no_object.json", "object.object"),
    ("substatements/no_verb.json", "object.verb"),
    ("substatements/statementref_no_id.json", "object.object.id"),
    ("substatements/verb_invalid.json", "object.verb.display"),
    ("verbs/no_id.json", "verb.id"),
    // Building blocks the suite completes with other templates before it sends them (an Agent or a Group with no
    // identifier or members, an activity or verb with no id, an authority without its identifier): refused alone,
    // as an LRS must refuse them.
    ("contexts/instructor.json", "context.instructor"),
    ("contexts/team.json", "context.team.member"),
    ("statements/actor.json", "actor"),
    ("statements/authority.json", "authority"),
    ("statements/object_activity.json", "object.id"),
    ("statements/object_actor.json", "object"),
    ("statements/object_substatement.json", "object.actor"),
    ("statements/verb.json", "verb.id"),
    ("substatements/activity.json", "object.object.id"),
    ("substatements/actor.json", "object.actor"),
    ("substatements/agent.json", "object.object"),
    ("substatements/group.json", "object.object.member"),
    ("substatements/verb.json", "object.verb.id"),
];

fn check_version(dir: &str, version: Version) {
    let mut refused = Vec::new();
    let mut seen = 0;
    for (folder, place) in PLACES {
        for name in names(dir, folder) {
            seen += 1;
            let part = template(dir, folder, &name);
            let statement = match place {
                None => part,
                Some(key) => {
                    let mut s = template(dir, "statements", "default.json");
                    s[key] = part;
                    s
                }
            };
            if let Err(e) = Statement::parse(&statement, version) {
                refused.push((format!("{folder}/{name}"), e.path));
            }
        }
    }
    assert!(seen >= 119, "{dir}: only {seen} templates");
    let got: Vec<(&str, &str)> = refused.iter().map(|(n, p)| (n.as_str(), p.as_str())).collect();
    let expected: Vec<(&str, &str)> = REFUSED.iter().map(|(n, p)| (*n, *p)).collect();
    let wrong: Vec<String> = got
        .iter()
        .filter(|(n, p)| !expected.iter().any(|(en, ep)| en == n && p.starts_with(ep)))
        .map(|(n, p)| format!("refused {n} at {p}"))
        .chain(
            expected.iter().filter(|(en, _)| !got.iter().any(|(n, _)| n == en)).map(|(n, _)| format!("accepted {n}")),
        )
        .collect();
    assert!(wrong.is_empty(), "{dir}:\n{}", wrong.join("\n"));
}

#[test]
fn the_1_0_3_templates_are_accepted_or_refused_as_the_suite_intends() {
    check_version("v1_0_3", Version::V1_0_3);
}

#[test]
fn the_2_0_templates_are_accepted_or_refused_as_the_suite_intends() {
    check_version("v2_0", Version::V2_0_0);
}

#[test]
fn an_array_fails_whole_at_its_first_bad_statement() {
    let good = template("v1_0_3", "statements", "default.json");
    let bad = template("v1_0_3", "statements", "no_verb.json");
    let body = serde_json::json!([good, good, bad]).to_string();
    let e = parse_statements(body.as_bytes(), Version::V1_0_3).unwrap_err();
    assert_eq!((e.index, e.path.as_str()), (Some(2), "verb"));
    assert_eq!(e.to_string(), "statement 2, verb: is required");
    let one = parse_statements(good.to_string().as_bytes(), Version::V1_0_3).unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].verb_id(), "http://adlnet.gov/expapi/verbs/attended");
}
