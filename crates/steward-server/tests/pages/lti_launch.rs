//! The LTI 1.3 launch over HTTP, with the tool played by the test (its own RSA key, so that every refusal can be
//! provoked): login initiation, the checked authentication request, the signed id_token, single-use nonces, key
//! rotation, and deep linking.

use super::launchpad::on_roster;
use super::*;
use common::roster::{CLASS_A, STUDENT_A, TEACHER_A};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::pkcs1::EncodeRsaPrivateKey;
use serde_json::{json, Value};

pub const CLIENT: &str = "played-tool";
const REDIRECT: &str = "https://tool.example/launch";
const CLAIM: &str = "https://purl.imsglobal.org/spec/lti/claim/";

/// The tool the test plays: registered for the approved product with its public key.
pub struct PlayedTool {
    key: EncodingKey,
    pub kid: String,
}

pub fn rsa_key() -> (EncodingKey, rsa::RsaPublicKey) {
    let private = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
    let der = private.to_pkcs1_der().unwrap();
    (EncodingKey::from_rsa_der(der.as_bytes()), rsa::RsaPublicKey::from(&private))
}

impl PlayedTool {
    pub async fn register(app: &TestApp, product: i64, client: &str) -> PlayedTool {
        let (key, public) = rsa_key();
        let kid = format!("{client}-key");
        let jwk = steward_server::lti::keys::public_jwk(&public, &kid);
        let input = steward_core::lti::ToolInput {
            product_id: product,
            name: "Played Tool".into(),
            client_id: client.into(),
            deployment_ids: vec!["dep-1".into()],
            login_url: "https://tool.example/login".into(),
            redirect_uris: vec![REDIRECT.into()],
            target_link_uri: REDIRECT.into(),
            deep_link_url: Some("https://tool.example/deep".into()),
            jwks_url: None,
            public_jwk: Some(jwk.to_string()),
        };
        app.store.save_lti_tool(&seed_actor(), None, &input).await.unwrap();
        PlayedTool { key, kid }
    }

    pub fn sign(&self, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.key).unwrap()
    }
}

/// A server whose public URL (the LTI issuer) is the address it listens on.
pub async fn lti_app() -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    TestApp::with_listener(listener, |db, base| Settings { public_url: base.to_owned(), ..test_settings(db) }).await
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The query of a redirect's location, as pairs.
fn query_of(res: &reqwest::Response) -> std::collections::HashMap<String, String> {
    let url = url::Url::parse(&location(res).expect("a redirect")).unwrap();
    url.query_pairs().into_owned().collect()
}

/// An attribute's value as HTML escapes it.
pub fn unescape(v: &str) -> String {
    v.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The hidden fields of the form Steward posts to the tool.
pub fn posted_fields(html: &str) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    for part in html.split("<input type=\"hidden\" name=\"").skip(1) {
        let (name, rest) = part.split_once('"').unwrap();
        let value = rest.split("value=\"").nth(1).unwrap().split('"').next().unwrap();
        out.insert(name.to_owned(), unescape(value));
    }
    out
}

/// The authentication request a tool sends, from the login initiation parameters.
fn auth_request(login: &std::collections::HashMap<String, String>, nonce: &str) -> Vec<(String, String)> {
    let mut q: Vec<(String, String)> = [
        ("scope", "openid"),
        ("response_type", "id_token"),
        ("response_mode", "form_post"),
        ("prompt", "none"),
        ("client_id", CLIENT),
        ("redirect_uri", REDIRECT),
        ("state", "state-1"),
        ("nonce", nonce),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    q.push(("login_hint".into(), login["login_hint"].clone()));
    q.push(("lti_message_hint".into(), login["lti_message_hint"].clone()));
    q
}

async fn authorize(s: &Session, q: &[(String, String)]) -> (u16, String, Option<String>) {
    let url = url::Url::parse_with_params(&s.url("/lti/authorize"), q).unwrap();
    let res = s.client.get(url).send().await.unwrap();
    let csp = res.headers().get("content-security-policy").map(|v| v.to_str().unwrap().to_owned());
    (res.status().as_u16(), res.text().await.unwrap(), csp)
}

/// Steward's id_token, verified with its published key.
async fn verify_platform(app: &TestApp, token: &str) -> Value {
    let kid = jsonwebtoken::decode_header(token).unwrap().kid.expect("the header names the key");
    let set: Value = app.anonymous().get("/lti/jwks").await.json().await.unwrap();
    let jwk = set["keys"].as_array().unwrap().iter().find(|k| k["kid"] == kid.as_str()).unwrap().clone();
    let key = DecodingKey::from_rsa_components(jwk["n"].as_str().unwrap(), jwk["e"].as_str().unwrap()).unwrap();
    let mut v = Validation::new(Algorithm::RS256);
    v.set_audience(&[CLIENT]);
    v.set_issuer(&[app.base.as_str()]);
    jsonwebtoken::decode::<Value>(token, &key, &v).expect("signed by Steward's key").claims
}

/// Launches from the launchpad through login initiation to the posted id_token.
async fn launch(app: &TestApp, s: &Session, path: &str, nonce: &str) -> Value {
    let res = s.get(path).await;
    assert_eq!(res.status(), 303, "{path}");
    let login = query_of(&res);
    assert!(location(&res).unwrap().starts_with("https://tool.example/login?"));
    assert_eq!(login["iss"], app.base);
    assert_eq!((login["client_id"].as_str(), login["lti_deployment_id"].as_str()), (CLIENT, "dep-1"));
    let (status, html, csp) = authorize(s, &auth_request(&login, nonce)).await;
    assert_eq!(status, 200, "{html}");
    assert!(csp.unwrap().contains("form-action 'self' https://tool.example"), "the form may go to the tool only");
    let fields = posted_fields(&html);
    assert!(html.contains(&format!("action=\"{}\"", REDIRECT.replace('/', "&#x2f;"))) || html.contains(REDIRECT));
    assert_eq!(fields["state"], "state-1");
    verify_platform(app, &fields["id_token"]).await
}

#[tokio::test]
async fn a_teacher_launches_a_tool_with_a_signed_id_token_and_each_refusal_is_named() {
    let app = lti_app().await;
    PlayedTool::register(&app, app.seed.approved, CLIENT).await;
    let teacher = on_roster(&app, TEACHER_A, "teacher").await;
    let (_, page) = teacher.get_text("/launchpad").await;
    assert!(page.contains("Add content from"), "a teacher may choose content from an LTI app");
    let before = app.store.usage_event_count().await.unwrap();
    let path = format!("/launch/{}?class={CLASS_A}", app.seed.approved);
    let t = launch(&app, &teacher, &path, "nonce-1").await;
    let c = |n: &str| t[format!("{CLAIM}{n}")].clone();
    assert_eq!(t["sub"], TEACHER_A);
    assert_eq!(t["nonce"], "nonce-1");
    assert_eq!(c("message_type"), "LtiResourceLinkRequest");
    assert_eq!(c("version"), "1.3.0");
    assert_eq!(c("deployment_id"), "dep-1");
    assert_eq!(c("target_link_uri"), REDIRECT);
    assert_eq!(c("context")["id"], CLASS_A);
    assert_eq!(c("lis")["person_sourcedid"], TEACHER_A);
    assert_eq!(c("lis")["course_offering_sourcedid"], "crs-3");
    assert!(c("roles")
        .as_array()
        .unwrap()
        .contains(&json!("http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor")));
    assert_eq!(c("tool_platform")["product_family_code"], "steward");
    assert!(t.get("name").is_none() && t.get("email").is_none(), "the product declares neither names nor e-mail");
    let nrps = &t["https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"];
    assert_eq!(nrps["context_memberships_url"], app.url(&format!("/lti/contexts/{CLASS_A}/memberships")));
    assert_eq!(usage_settles(&app, before + 1).await, before + 1, "the launch is a usage event");

    // The same authentication request again: the nonce was used, so it is refused back to the tool.
    let res = teacher.get(&path).await;
    let login = query_of(&res);
    let (status, html, _) = authorize(&teacher, &auth_request(&login, "nonce-1")).await;
    let fields = posted_fields(&html);
    assert_eq!((status, fields["error"].as_str()), (200, "invalid_request"), "{html}");
    assert!(fields["error_description"].contains("nonce was already used"));
    assert_eq!(fields["state"], "state-1");
    assert!(!fields.contains_key("id_token"));

    let refused = |name: &str, value: &str| {
        let mut q = auth_request(&login, &format!("n-{name}-{value}"));
        q.retain(|(k, _)| k != name);
        q.push((name.to_owned(), value.to_owned()));
        q
    };
    for (name, value, code) in [
        ("response_type", "code", "unsupported_response_type"),
        ("scope", "profile", "invalid_scope"),
        ("response_mode", "query", "invalid_request"),
        ("lti_message_hint", "forged", "invalid_request"),
        ("login_hint", "999", "access_denied"),
        ("nonce", "", "invalid_request"),
    ] {
        let (status, html, _) = authorize(&teacher, &refused(name, value)).await;
        assert_eq!((status, posted_fields(&html)["error"].as_str()), (200, code), "{name}={value}");
    }
    // Not signed in: the tool is told a sign-in is needed.
    let (_, html, _) = authorize(&app.anonymous(), &auth_request(&login, "n-anon")).await;
    assert_eq!(posted_fields(&html)["error"], "login_required");
    // A redirect URI not registered, or an unknown client: shown here, never sent anywhere.
    for (name, value) in [("redirect_uri", "https://evil.example/launch"), ("client_id", "nobody")] {
        let (status, html, _) = authorize(&teacher, &refused(name, value)).await;
        assert_eq!(status, 400, "{name}");
        assert!(!html.contains("evil.example/launch\"") && !html.contains("id_token"), "{html}");
        assert!(html.contains(if name == "client_id" { "unauthorized_client" } else { "invalid_request_uri" }));
    }
    assert_eq!(usage_settles(&app, before + 1).await, before + 1, "refused launches are not usage");

    // After a rotation, launches are signed with the new key, which the JWKS publishes.
    let admin = app.session_for(TechnologyReviewer).await;
    admin.submit("/lti/tools", "/lti/keys/rotate", &[]).await;
    let res = teacher.get(&path).await;
    let (_, html, _) = authorize(&teacher, &auth_request(&query_of(&res), "after-rotation")).await;
    let token = &posted_fields(&html)["id_token"];
    let kid = jsonwebtoken::decode_header(token).unwrap().kid.unwrap();
    assert_eq!(kid, app.store.lti_keys().await.unwrap()[0].kid, "signed with the newest key");
    verify_platform(&app, token).await;
}

#[tokio::test]
async fn deep_linking_stores_the_chosen_items_and_they_launch_with_their_line_item() {
    let app = lti_app().await;
    let tool = PlayedTool::register(&app, app.seed.approved, CLIENT).await;
    let teacher = on_roster(&app, TEACHER_A, "teacher").await;
    let student = on_roster(&app, STUDENT_A, "student").await;
    let deep = format!("/launch/{}?class={CLASS_A}&deep=1", app.seed.approved);
    assert_eq!(student.get(&deep).await.status(), 403, "students do not choose content");
    let t = launch(&app, &teacher, &deep, "dl-nonce").await;
    assert_eq!(t[format!("{CLAIM}message_type")], "LtiDeepLinkingRequest");
    assert_eq!(t[format!("{CLAIM}target_link_uri")], "https://tool.example/deep", "the tool's deep linking URL");
    assert!(t.get(format!("{CLAIM}resource_link")).is_none());
    let settings = &t["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"];
    assert_eq!(settings["deep_link_return_url"], app.url("/lti/deep-linking/return"));
    let data = settings["data"].as_str().unwrap();

    let response = |nonce: &str, deployment: &str, data: &str| {
        tool.sign(&json!({
            "iss": CLIENT, "aud": app.base, "iat": now(), "exp": now() + 60, "nonce": nonce,
            format!("{CLAIM}deployment_id"): deployment,
            format!("{CLAIM}message_type"): "LtiDeepLinkingResponse",
            format!("{CLAIM}version"): "1.3.0",
            "https://purl.imsglobal.org/spec/lti-dl/claim/data": data,
            "https://purl.imsglobal.org/spec/lti-dl/claim/content_items": [
                { "type": "ltiResourceLink", "title": "Fractions practice", "url": "https://tool.example/launch?activity=fractions",
                  "custom": { "activity": "fractions" }, "lineItem": { "scoreMaximum": 5, "label": "Fractions" } },
                { "type": "html", "html": "<b>not offered</b>" }
            ],
        }))
    };
    // Posted by the browser from the tool's page: no Steward session comes with it.
    let post = |jwt: String| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(app.url("/lti/deep-linking/return"))
            .form(&[("JWT", jwt)])
            .send()
    };
    for (jwt, why) in
        [(response("dl-1", "dep-unknown", data), "deployment"), (response("dl-2", "dep-1", "forged-data"), "data")]
    {
        let res = post(jwt).await.unwrap();
        assert_eq!(res.status(), 400, "{why}");
        assert!(res.text().await.unwrap().contains(why), "{why}");
    }
    let jwt = response("dl-3", "dep-1", data);
    let res = post(jwt.clone()).await.unwrap();
    assert_eq!(location(&res).as_deref(), Some("/launchpad?added=1"), "the html item is not offered, so skipped");
    assert!(post(jwt).await.unwrap().text().await.unwrap().contains("already used"), "a replay is refused");

    let (_, page) = student.get_text("/launchpad").await;
    assert!(page.contains("Fractions practice") && !page.contains("Add content from"));
    let resource = app.store.lti_resources(&[CLASS_A.to_owned()]).await.unwrap().pop().unwrap();
    let path = format!("/launch/{}?class={CLASS_A}&resource={}", app.seed.approved, resource.id);
    let t = launch(&app, &student, &path, "stu-nonce").await;
    assert_eq!(t[format!("{CLAIM}resource_link")]["title"], "Fractions practice");
    assert_eq!(t[format!("{CLAIM}custom")]["activity"], "fractions");
    assert_eq!(t[format!("{CLAIM}target_link_uri")], "https://tool.example/launch?activity=fractions");
    let ags = &t["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"];
    assert!(ags["lineitem"].as_str().unwrap().starts_with(&app.url(&format!("/lti/contexts/{CLASS_A}/lineitems/"))));
    assert!(t[format!("{CLAIM}roles")][0].as_str().unwrap().ends_with("membership#Learner"));
}
