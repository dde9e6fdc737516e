//! The token endpoint: client credentials by HTTP Basic, and each RFC 6749 error; bearer tokens on the API.

use super::*;
use serde_json::Value;

async fn post(
    env: &Env,
    auth: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut req = reqwest::Client::new().post(env.url("/oauth/token")).form(form);
    if let Some((id, secret)) = auth {
        req = req.basic_auth(id, Some(secret));
    }
    let res = req.send().await.unwrap();
    let (status, headers) = (res.status().as_u16(), res.headers().clone());
    (status, headers, res.json().await.unwrap())
}

#[tokio::test]
async fn client_credentials_grant_a_token_with_the_asked_scopes() {
    let env = Env::new().await;
    let c = env.client(WIDE).await;
    let scope = format!("{SCOPE}roster-core.readonly {SCOPE}gradebook.readonly");
    let (status, headers, body) =
        post(&env, Some((&c.client_id, &c.secret)), &[("grant_type", "client_credentials"), ("scope", &scope)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], scope);
    assert_eq!(headers["cache-control"], "no-store");
    let token = body["access_token"].as_str().unwrap();
    assert!(token.len() >= 40);
    // The token works, and only its digest is kept.
    assert_eq!(env.get(token, &format!("{V12}/classes")).await.status, 200);
    assert!(env.store.api_caller(token).await.unwrap().is_none());
    // Without a scope parameter, every scope the client may have is granted.
    let (status, _, body) = post(&env, Some((&c.client_id, &c.secret)), &[("grant_type", "client_credentials")]).await;
    assert_eq!(status, 200);
    assert_eq!(body["scope"].as_str().unwrap().split(' ').count(), 10);
}

#[tokio::test]
async fn each_token_error() {
    let env = Env::new().await;
    let c = env.client(WIDE).await;
    let grant = [("grant_type", "client_credentials")];
    for auth in [None, Some((c.client_id.as_str(), "wrong secret")), Some(("no-such-client", "x"))] {
        let (status, headers, body) = post(&env, auth, &grant).await;
        assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")), "{auth:?}");
        assert_eq!(headers["www-authenticate"], "Basic realm=\"oneroster\"");
    }
    let ok = Some((c.client_id.as_str(), c.secret.as_str()));
    let (status, _, body) = post(&env, ok, &[("grant_type", "password")]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("unsupported_grant_type")));
    let (status, _, body) = post(&env, ok, &[]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_request")));
    for scope in [format!("{SCOPE}gradebook.createput"), "roster.readonly".to_owned()] {
        let (status, _, body) = post(&env, ok, &[("grant_type", "client_credentials"), ("scope", &scope)]).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("invalid_scope")), "{scope}");
    }
}

#[tokio::test]
async fn a_client_is_granted_only_its_own_scopes() {
    let env = Env::new().await;
    let c = env.client(WIDE).await;
    let hash = steward_server::auth::password::hash("s2").unwrap();
    let scopes = v(&[&format!("{SCOPE}roster-core.readonly")]);
    let new = steward_store::NewApiClient {
        product_id: c.product,
        name: "core only",
        client_id: "core-only",
        secret_hash: &hash,
        scopes: &scopes,
    };
    env.store.create_api_client(&steward_store::Actor::system("t"), &new).await.unwrap();
    let ok = Some(("core-only", "s2"));
    let (status, _, body) =
        post(&env, ok, &[("grant_type", "client_credentials"), ("scope", &format!("{SCOPE}roster.readonly"))]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_scope")));
    let listed = env.store.api_clients_for_product(c.product).await.unwrap();
    assert_eq!(listed.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), vec!["Wide", "core only"]);
}

#[tokio::test]
async fn the_api_refuses_missing_and_unknown_tokens_with_imsx_status() {
    let env = Env::new().await;
    let res = reqwest::Client::new().get(env.url(&format!("{V12}/users"))).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["www-authenticate"], "Bearer realm=\"oneroster\"");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["imsx_codeMajor"], "failure");
    assert_eq!(body["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"], "unauthorisedrequest");
    let a = env.get("made-up-token", &format!("{V12}/users")).await;
    assert_eq!((a.status, a.minor()), (401, "unauthorisedrequest"));
}
