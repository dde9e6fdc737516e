//! The claims of the id_token Steward signs for a launch, as LTI 1.3 core and Deep Linking 2.0 require them:
//! message type and version, deployment, target, resource link or deep-linking settings, roles in the LIS
//! vocabulary from the person's roster role, the class as context, the OneRoster sourcedIds in `lis`, the
//! platform, custom parameters and the service endpoints. A person's name and e-mail go only to a product whose
//! privacy profile declares them.

use serde_json::{json, Map, Value};

pub const CLAIM: &str = "https://purl.imsglobal.org/spec/lti/claim/";
pub const DL_SETTINGS: &str = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings";
pub const DL_CONTENT_ITEMS: &str = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items";
pub const DL_DATA: &str = "https://purl.imsglobal.org/spec/lti-dl/claim/data";
pub const NRPS_CLAIM: &str = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
pub const AGS_CLAIM: &str = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
pub const NRPS_SCOPE: &str = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";
pub const AGS_LINEITEM: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
pub const AGS_LINEITEM_READONLY: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly";
pub const AGS_RESULT_READONLY: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";
pub const AGS_SCORE: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
/// Every scope a tool may be granted at the token endpoint.
pub const SERVICE_SCOPES: &[&str] = &[NRPS_SCOPE, AGS_LINEITEM, AGS_LINEITEM_READONLY, AGS_RESULT_READONLY, AGS_SCORE];

const MEMBERSHIP: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
const INSTITUTION: &str = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#";

/// How long a signed id_token is good for, in seconds.
pub const ID_TOKEN_SECONDS: i64 = 300;

/// The LIS roles of a OneRoster role (an enrollment's, or the person's): context roles, then institution roles.
pub fn lis_roles(oneroster_role: &str) -> Vec<String> {
    let (membership, institution): (&[&str], &[&str]) = match oneroster_role {
        "student" => (&["Learner"], &["Student"]),
        "teacher" => (&["Instructor"], &["Faculty"]),
        "aide" => (&["Instructor#TeachingAssistant"], &["Staff"]),
        "proctor" => (&["Member"], &["Staff"]),
        "administrator" | "siteAdministrator" | "districtAdministrator" | "principal" => {
            (&["Administrator"], &["Administrator"])
        }
        "guardian" | "parent" | "relative" => (&["Mentor"], &["Mentor"]),
        _ => (&["Member"], &["Other"]),
    };
    membership
        .iter()
        .map(|r| format!("{MEMBERSHIP}{r}"))
        .chain(institution.iter().map(|r| format!("{INSTITUTION}{r}")))
        .collect()
}

/// The person launching, by roster.
#[derive(Debug, Clone)]
pub struct Person {
    pub sourced_id: String,
    /// Their role in the class (OneRoster vocabulary).
    pub role: String,
    /// Given and family name, only when the product declares names.
    pub name: Option<(String, String)>,
    /// Only when the product declares e-mail.
    pub email: Option<String>,
}

/// The class launched from: the LTI context.
#[derive(Debug, Clone)]
pub struct Context {
    pub sourced_id: String,
    pub label: Option<String>,
    pub title: String,
    pub course_sourced_id: Option<String>,
}

/// What is launched.
#[derive(Debug, Clone)]
pub enum Message {
    /// A resource link: the tool itself from the launchpad (`id` stable per class), or an item a teacher chose.
    ResourceLink { id: String, title: String, target: String, custom: Map<String, Value>, line_item: Option<String> },
    /// A teacher choosing content; `data` comes back in the response and ties it to this request.
    DeepLinking { target: String, return_url: String, data: String },
}

/// Where the tool's services are, for this class.
#[derive(Debug, Clone)]
pub struct Services {
    pub memberships_url: String,
    pub line_items_url: String,
}

/// Everything one launch's id_token says.
#[derive(Debug, Clone)]
pub struct Launch {
    pub issuer: String,
    pub client_id: String,
    pub deployment_id: String,
    pub nonce: String,
    /// Seconds since the epoch.
    pub now: i64,
    pub person: Person,
    pub context: Context,
    pub message: Message,
    pub services: Services,
    /// Where the tool sends people back to.
    pub return_url: String,
}

/// The id_token's claims.
pub fn id_token(l: &Launch) -> Value {
    let c = |name: &str| format!("{CLAIM}{name}");
    let mut claims = json!({
        "iss": l.issuer,
        "aud": l.client_id,
        "sub": l.person.sourced_id,
        "iat": l.now,
        "exp": l.now + ID_TOKEN_SECONDS,
        "nonce": l.nonce,
        c("version"): "1.3.0",
        c("deployment_id"): l.deployment_id,
        c("roles"): lis_roles(&l.person.role),
        c("context"): {
            "id": l.context.sourced_id,
            "label": l.context.label.as_deref().unwrap_or(&l.context.title),
            "title": l.context.title,
            "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseSection"],
        },
        c("lis"): {
            "person_sourcedid": l.person.sourced_id,
            "course_section_sourcedid": l.context.sourced_id,
            "course_offering_sourcedid": l.context.course_sourced_id,
        },
        c("tool_platform"): {
            "guid": l.issuer,
            "name": "Steward",
            "product_family_code": "steward",
            "version": env!("CARGO_PKG_VERSION"),
        },
        c("launch_presentation"): { "document_target": "window", "return_url": l.return_url },
        NRPS_CLAIM: { "context_memberships_url": l.services.memberships_url, "service_versions": ["2.0"] },
    });
    let obj = claims.as_object_mut().expect("an object");
    if let Some((given, family)) = &l.person.name {
        obj.insert("given_name".into(), json!(given));
        obj.insert("family_name".into(), json!(family));
        obj.insert("name".into(), json!(format!("{given} {family}")));
    }
    if let Some(email) = &l.person.email {
        obj.insert("email".into(), json!(email));
    }
    let ags = |line_item: Option<&String>| {
        let mut e = json!({
            "scope": [AGS_LINEITEM, AGS_LINEITEM_READONLY, AGS_RESULT_READONLY, AGS_SCORE],
            "lineitems": l.services.line_items_url,
        });
        if let Some(item) = line_item {
            e["lineitem"] = json!(item);
        }
        e
    };
    match &l.message {
        Message::ResourceLink { id, title, target, custom, line_item } => {
            obj.insert(c("message_type"), json!("LtiResourceLinkRequest"));
            obj.insert(c("target_link_uri"), json!(target));
            obj.insert(c("resource_link"), json!({ "id": id, "title": title }));
            obj.insert(c("custom"), Value::Object(custom.clone()));
            obj.insert(AGS_CLAIM.into(), ags(line_item.as_ref()));
        }
        Message::DeepLinking { target, return_url, data } => {
            obj.insert(c("message_type"), json!("LtiDeepLinkingRequest"));
            obj.insert(c("target_link_uri"), json!(target));
            obj.insert(
                DL_SETTINGS.into(),
                json!({
                    "deep_link_return_url": return_url,
                    "accept_types": ["ltiResourceLink", "link"],
                    "accept_presentation_document_targets": ["iframe", "window"],
                    "accept_multiple": true,
                    "auto_create": true,
                    "title": "Add to the class",
                    "data": data,
                }),
            );
            obj.insert(AGS_CLAIM.into(), ags(None));
        }
    }
    claims
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launch(message: Message, name: Option<(String, String)>) -> Launch {
        Launch {
            issuer: "https://steward.example".into(),
            client_id: "kelp".into(),
            deployment_id: "d1".into(),
            nonce: "n-1".into(),
            now: 1_800_000_000,
            person: Person { sourced_id: "stu-1".into(), role: "student".into(), name, email: None },
            context: Context {
                sourced_id: "cls-1".into(),
                label: Some("MATH4".into()),
                title: "Math 4".into(),
                course_sourced_id: Some("crs-1".into()),
            },
            message,
            services: Services {
                memberships_url: "https://steward.example/lti/contexts/cls-1/memberships".into(),
                line_items_url: "https://steward.example/lti/contexts/cls-1/lineitems".into(),
            },
            return_url: "https://steward.example/launchpad".into(),
        }
    }

    #[test]
    fn a_resource_link_launch_carries_what_lti_core_requires() {
        let link = Message::ResourceLink {
            id: "7-cls-1".into(),
            title: "Kelp Lab".into(),
            target: "https://kelp.example/launch".into(),
            custom: Map::new(),
            line_item: None,
        };
        let t = id_token(&launch(link, None));
        let c = |n: &str| t[format!("{CLAIM}{n}")].clone();
        assert_eq!(t["aud"], "kelp");
        assert_eq!(t["sub"], "stu-1");
        assert_eq!(t["exp"].as_i64().unwrap() - t["iat"].as_i64().unwrap(), ID_TOKEN_SECONDS);
        assert_eq!(c("message_type"), "LtiResourceLinkRequest");
        assert_eq!(c("version"), "1.3.0");
        assert_eq!(c("deployment_id"), "d1");
        assert_eq!(c("resource_link")["id"], "7-cls-1");
        assert_eq!(
            c("roles"),
            json!([
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
                "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student"
            ])
        );
        assert_eq!(c("context")["id"], "cls-1");
        assert_eq!(c("lis")["course_offering_sourcedid"], "crs-1");
        assert_eq!(t[AGS_CLAIM]["lineitems"], "https://steward.example/lti/contexts/cls-1/lineitems");
        assert!(t.get("name").is_none() && t.get("email").is_none(), "no name unless the product declares it");
        assert!(t.get(DL_SETTINGS).is_none());
    }

    #[test]
    fn a_deep_linking_request_has_settings_and_no_resource_link() {
        let dl = Message::DeepLinking {
            target: "https://kelp.example/launch".into(),
            return_url: "https://steward.example/lti/deep-linking/return".into(),
            data: "signed".into(),
        };
        let t = id_token(&launch(dl, Some(("Ana".into(), "Ruiz".into()))));
        assert_eq!(t[format!("{CLAIM}message_type")], "LtiDeepLinkingRequest");
        assert!(t.get(format!("{CLAIM}resource_link")).is_none());
        assert_eq!(t[DL_SETTINGS]["data"], "signed");
        assert_eq!(t["name"], "Ana Ruiz");
    }

    #[test]
    fn roster_roles_map_to_the_lis_vocabulary() {
        assert!(lis_roles("teacher")[0].ends_with("membership#Instructor"));
        assert!(lis_roles("aide")[0].ends_with("membership#Instructor#TeachingAssistant"));
        assert!(lis_roles("guardian")[0].ends_with("membership#Mentor"));
        assert!(lis_roles("districtAdministrator")[1].ends_with("person#Administrator"));
    }
}
