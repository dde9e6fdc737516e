//! An LTI launch in Chromium: a student clicks an LTI app on the launchpad and arrives in the ltijs tool, which
//! names her and her class — the auto-posted id_token form went from Steward to the tool under Steward's policy.

use super::*;
use common::ltijs::Ltijs;
use common::roster::{CLASS_A, STUDENT_A};
use steward_server::Settings;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_clicks_an_lti_app_and_arrives_in_the_tool() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app =
        TestApp::with_listener(listener, |db, base| Settings { public_url: base.to_owned(), ..test_settings(db) })
            .await;
    let Some(tool) = Ltijs::start(&app.base).await else { return };
    tool.register(&app.store, app.seed.approved).await;
    let email = roster_account(&app, STUDENT_A, "student").await;
    let launch = tool.launch.clone();
    in_browser(move |b| async move {
        b.goto(&app.url("/sign-in")).await;
        b.fill("#f-email", &email).await;
        b.fill("#f-password", PASSWORD).await;
        b.submit_main_form().await;
        b.css("main h1").await;
        b.goto(&app.url("/launchpad")).await;
        let link = format!("a[href^=\"/launch/{}?class={CLASS_A}\"]", app.seed.approved);
        b.css(&link).await.click().await.unwrap();
        // The tool answers its launch with what it saw, as JSON.
        b.wait_for(Locator::XPath("//*[contains(., '\"user\"')]")).await;
        let url = b.0.current_url().await.unwrap();
        assert!(url.as_str().starts_with(&launch), "the browser is at the tool: {url}");
        let body = b.body_text().await;
        let seen: Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("the tool's answer: {body}"));
        assert_eq!(seen["user"], STUDENT_A);
        assert_eq!(seen["context"]["id"], CLASS_A);
        assert!(seen.get("error").is_none(), "{seen:#}");
        drop(tool);
    })
    .await;
}
