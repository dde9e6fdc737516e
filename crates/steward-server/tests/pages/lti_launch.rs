//! The LTI 1.3 launch and Advantage services over HTTP, with the tool played by the test (its own RSA key, so that
//! every refusal can be provoked): login initiation, the checked authentication request, the signed id_token,
//! single-use nonces, deep linking, the token endpoint, Names and Roles, and Assignment and Grade Services.

use super::launchpad::on_roster;
use super::*;
use common::roster::{CLASS_A, STUDENT_A, STUDENT_B, TEACHER_A};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::pkcs1::EncodeRsaPrivateKey;
use serde_json::{json, Value};

const CLIENT: &str = "played-tool";
const REDIRECT: &str = "https://tool.example/launch";
const CLAIM: &str = "https://purl.imsglobal.org/spec/lti/claim/";

/// The tool the test plays: registered for the approved product with its public key.
pub struct PlayedTool {
    key: EncodingKey,
    kid: String,
}

fn rsa_key() -> (EncodingKey, rsa::RsaPublicKey) {
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

    fn sign(&self, claims: &Value) -> String {
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

fn now() -> i64 {
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
    assert_eq!(app.store.usage_event_count().await.unwrap(), before + 1, "the launch is a usage event");

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
    assert_eq!(app.store.usage_event_count().await.unwrap(), before + 1, "refused launches are not usage");
}

/// A client assertion as a tool signs it for the token endpoint.
fn assertion(tool: &PlayedTool, client: &str, jti: &str, iat: i64, aud: &str) -> String {
    tool.sign(&json!({ "iss": client, "sub": client, "aud": aud, "jti": jti, "iat": iat, "exp": iat + 60 }))
}

async fn token(app: &TestApp, assertion: &str, scope: &str) -> (u16, Value) {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", assertion),
        ("scope", scope),
    ];
    let res = reqwest::Client::new().post(app.url("/lti/token")).form(&form).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

const NRPS: &str = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";
const LINEITEM: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
const SCORE: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
const RESULTS: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";

#[tokio::test]
async fn the_token_endpoint_refuses_every_bad_assertion_and_the_services_keep_to_the_class() {
    let app = lti_app().await;
    let tool = PlayedTool::register(&app, app.seed.approved, CLIENT).await;
    let aud = app.url("/lti/token");
    let good = assertion(&tool, CLIENT, "jti-1", now(), &aud);
    let (status, body) =
        token(&app, &good, &format!("{NRPS} {LINEITEM} {SCORE} {RESULTS} https://x.example/other")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(!body["scope"].as_str().unwrap().contains("other"), "only the services' scopes are granted");
    let access = body["access_token"].as_str().unwrap().to_owned();

    let (stranger, _) = rsa_key();
    let forged = jsonwebtoken::encode(
        &Header { kid: Some(tool.kid.clone()), ..Header::new(Algorithm::RS256) },
        &json!({ "iss": CLIENT, "sub": CLIENT, "aud": aud, "jti": "jti-f", "iat": now(), "exp": now() + 60 }),
        &stranger,
    )
    .unwrap();
    for (assertion, why) in [
        (good.clone(), "was already used"),
        (forged, "signature does not verify"),
        (assertion(&tool, CLIENT, "jti-old", now() - 600, &aud), "expired"),
        (assertion(&tool, CLIENT, "jti-future", now() + 600, &aud), "in the future"),
        (assertion(&tool, CLIENT, "jti-aud", now(), "https://elsewhere.example/token"), "audience"),
    ] {
        let (status, body) = token(&app, &assertion, NRPS).await;
        assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")), "{why}: {body}");
        assert!(body["error_description"].as_str().unwrap().contains(why), "{why}: {body}");
    }
    let (status, body) = token(&app, &assertion(&tool, CLIENT, "jti-s", now(), &aud), "https://x.example/other").await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_scope")));

    let api = reqwest::Client::new();
    let get = |path: String, bearer: &str| api.get(app.url(&path)).bearer_auth(bearer).send();
    // Names and Roles: the class's members only, and nothing the product does not declare.
    let res = get(format!("/lti/contexts/{CLASS_A}/memberships"), &access).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/vnd.ims.lti-nrps.v2.membershipcontainer+json");
    let members: Value = res.json().await.unwrap();
    let ids: Vec<&str> =
        members["members"].as_array().unwrap().iter().map(|m| m["user_id"].as_str().unwrap()).collect();
    assert!(ids.contains(&STUDENT_A) && ids.contains(&TEACHER_A) && !ids.contains(&STUDENT_B), "{ids:?}");
    assert!(members["members"][0].get("name").is_none() && members["members"][0].get("email").is_none());
    let learners: Value =
        get(format!("/lti/contexts/{CLASS_A}/memberships?role=Learner"), &access).await.unwrap().json().await.unwrap();
    assert_eq!(learners["members"].as_array().unwrap().len(), 1);
    let paged = get(format!("/lti/contexts/{CLASS_A}/memberships?limit=1"), &access).await.unwrap();
    assert!(paged.headers()["link"].to_str().unwrap().contains("rel=\"next\""));
    assert_eq!(get(format!("/lti/contexts/{CLASS_A}/memberships"), "forged").await.unwrap().status(), 401);
    assert_eq!(get("/lti/contexts/no-such-class/memberships".into(), &access).await.unwrap().status(), 404);

    // A product in review reaches no class.
    let other = PlayedTool::register(&app, app.seed.in_review, "review-tool").await;
    let (_, body) = token(&app, &assertion(&other, "review-tool", "jti-r", now(), &aud), NRPS).await;
    let other_access = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(get(format!("/lti/contexts/{CLASS_A}/memberships"), &other_access).await.unwrap().status(), 404);

    // Assignment and Grade Services: a line item, a score kept as the student's result.
    let items = app.url(&format!("/lti/contexts/{CLASS_A}/lineitems"));
    let res = api
        .post(&items)
        .bearer_auth(&access)
        .header("content-type", "application/vnd.ims.lis.v2.lineitem+json")
        .body(json!({ "label": "Fractions quiz", "scoreMaximum": 10, "tag": "quiz" }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let item: Value = res.json().await.unwrap();
    let item_url = item["id"].as_str().unwrap().to_owned();
    assert!(item_url.starts_with(&items));
    let score = |user: &str, given: f64, at: &str| {
        json!({ "userId": user, "scoreGiven": given, "scoreMaximum": 20, "timestamp": at,
            "activityProgress": "Completed", "gradingProgress": "FullyGraded" })
        .to_string()
    };
    let post_score = |body: String, bearer: String| {
        api.post(format!("{item_url}/scores"))
            .bearer_auth(bearer)
            .header("content-type", "application/vnd.ims.lis.v1.score+json")
            .body(body)
            .send()
    };
    let res = post_score(score(STUDENT_A, 14.0, "2026-12-08T10:00:00Z"), access.clone()).await.unwrap();
    assert_eq!(res.status(), 204);
    // An older score changes nothing; a student outside the class, or a malformed score, is refused.
    post_score(score(STUDENT_A, 2.0, "2026-12-08T09:00:00Z"), access.clone()).await.unwrap();
    assert_eq!(post_score(score(STUDENT_B, 1.0, "2026-12-08T10:00:00Z"), access.clone()).await.unwrap().status(), 422);
    let bad = post_score(json!({ "userId": STUDENT_A }).to_string(), access.clone()).await.unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("activityProgress is required"));
    let results: Value = get(format!("{}/results", item_url.trim_start_matches(&app.base)), &access)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(results[0]["userId"], STUDENT_A);
    assert_eq!(results[0]["resultScore"], 7.0, "14 of 20, on the line item's scale of 10");
    // Another tool does not see this tool's line items.
    let (_, body) = token(&app, &assertion(&other, "review-tool", "jti-r2", now(), &aud), LINEITEM).await;
    let other_access = body["access_token"].as_str().unwrap().to_owned();
    let res = get(format!("/lti/contexts/{CLASS_A}/lineitems"), &other_access).await.unwrap();
    assert_eq!(res.status(), 404, "another tool's product does not reach the class");
    // A token granted only the score scope may not make line items.
    let (_, body) = token(&app, &assertion(&tool, CLIENT, "jti-2", now(), &aud), SCORE).await;
    let score_only = body["access_token"].as_str().unwrap().to_owned();
    let res = api.post(&items).bearer_auth(&score_only).body("{}").send().await.unwrap();
    assert_eq!(res.status(), 403);
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
