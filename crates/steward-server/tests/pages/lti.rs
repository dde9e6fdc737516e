//! Steward as an LTI 1.3 platform, the parts built so far: its signing keys published as a JWKS and rotated, and
//! tools registered on their page with every mistake named.

use super::*;
use base64::Engine;

async fn jwks(app: &TestApp) -> Vec<serde_json::Value> {
    let v: serde_json::Value = app.anonymous().get("/lti/jwks").await.json().await.unwrap();
    v["keys"].as_array().unwrap().clone()
}

#[tokio::test]
async fn the_platform_publishes_its_rsa_key_and_rotates_it() {
    let app = TestApp::new().await;
    let keys = jwks(&app).await;
    assert_eq!(keys.len(), 1, "a key is made when the server starts");
    let k = &keys[0];
    assert_eq!(
        (k["kty"].as_str(), k["alg"].as_str(), k["use"].as_str(), k["e"].as_str()),
        (Some("RSA"), Some("RS256"), Some("sig"), Some("AQAB"))
    );
    let n = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(k["n"].as_str().unwrap()).unwrap();
    assert_eq!(n.len(), 256, "a 2048-bit modulus");
    assert!(k.get("d").is_none() && k.get("p").is_none(), "no private part is published");

    let admin = app.session_for(TechnologyReviewer).await;
    let res = admin.submit("/lti/tools", "/lti/keys/rotate", &[]).await;
    assert_eq!(res.status(), 303);
    let after = jwks(&app).await;
    assert_eq!(after.len(), 2, "the retired key stays published for its grace period");
    let (_, page) = admin.get_text("/lti/tools").await;
    let newest = app.store.lti_keys().await.unwrap();
    assert!(newest[0].retired_at.is_none() && newest[1].retired_at.is_some());
    assert!(page.contains(&newest[0].kid) && page.contains("signs") && page.contains("retired"));
}

#[tokio::test]
async fn a_tool_is_registered_and_a_client_id_only_once() {
    let app = TestApp::new().await;
    let admin = app.session_for(DistrictAdmin).await;
    let product = app.seed.approved.to_string();
    let mut form = vec![
        ("product_id", product.as_str()),
        ("name", "Kelp Lab"),
        ("client_id", "kelp-123"),
        ("deployment_ids", "dep-1"),
        ("login_url", "https://kelp.example/lti/login"),
        ("redirect_uris", "https://kelp.example/lti/launch\nhttps://kelp.example/lti/deep"),
        ("target_link_uri", "https://kelp.example/lti/launch"),
    ];
    let res = admin.submit("/lti/tools/new", "/lti/tools", &form).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("JWKS URL, or its public key"));
    // A loopback port nothing listens on: the tool's keys cannot be read.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let jwks_url = format!("http://127.0.0.1:{closed}/jwks");
    form.push(("jwks_url", jwks_url.as_str()));
    let res = admin.submit("/lti/tools/new", "/lti/tools", &form).await;
    assert_eq!(location(&res).as_deref(), Some("/lti/tools?notice=created"));
    let tool = app.store.lti_tool_by_client("kelp-123").await.unwrap().unwrap();
    assert_eq!(tool.tool.redirect_uris.len(), 2);
    let res = admin.submit("/lti/tools/new", "/lti/tools", &form).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("a tool with this client id is already registered"));
    let (_, page) = admin.get_text("/lti/tools").await;
    assert!(page.contains("Kelp Lab") && page.contains("kelp-123") && page.contains(APPROVED_NAME));

    // Its JWKS URL does not answer: the tool's page says so.
    let (_, page) = admin.get_text(&format!("/lti/tools/{}/edit", tool.id)).await;
    assert!(page.contains("The tool's keys cannot be used") && page.contains("could not be reached"), "{page}");
    // Pointed at a JWKS that answers (Steward's own serves as one here), its keys are found.
    let mut fixed = tool.tool.clone();
    fixed.jwks_url = Some(app.url("/lti/jwks"));
    app.store.save_lti_tool(&seed_actor(), Some(tool.id), &fixed).await.unwrap();
    let (_, page) = admin.get_text(&format!("/lti/tools/{}/edit", tool.id)).await;
    assert!(page.contains("1 RSA key to verify its messages with"), "{page}");
}
