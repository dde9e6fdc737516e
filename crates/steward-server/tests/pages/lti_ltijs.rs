//! End to end with a real LTI tool library: an ltijs tool (npm, PostgreSQL through ltijs-sequelize) started by the
//! test with Steward as its platform. A teacher's and a student's launches reach the tool with the right user,
//! roles and class; the tool's Names and Roles call returns the class; its line item and score land in Steward;
//! deep linking returns an item that Steward stores and then launches.

use super::launchpad::on_roster;
use super::lti_launch::{lti_app, posted_fields, unescape};
use super::*;
use common::ltijs::Ltijs;
use common::roster::{CLASS_A, STUDENT_A, STUDENT_B, TEACHER_A};
use serde_json::Value;

const CLIENT: &str = common::ltijs::CLIENT;

/// Follows a launch as a browser would: Steward's launch redirect, the tool's login redirect, Steward's
/// auto-posted form, the tool's redirect to its app route. Returns the tool's last answer.
async fn browse(s: &Session, start: &str) -> String {
    let client = &s.client;
    let res = s.get(start).await;
    assert_eq!(res.status(), 303, "{start}");
    let to_tool = location(&res).unwrap();
    let res = client.get(&to_tool).send().await.unwrap();
    assert_eq!(res.status(), 302, "the tool's login initiation redirects to Steward");
    let authorize = location(&res).unwrap();
    assert!(authorize.starts_with(&s.url("/lti/authorize?")), "{authorize}");
    let html = client.get(&authorize).send().await.unwrap().text().await.unwrap();
    let fields = posted_fields(&html);
    assert!(fields.contains_key("id_token"), "Steward answered without an id_token: {html}");
    let action = unescape(html.split("action=\"").nth(1).unwrap().split('"').next().unwrap());
    let res = client.post(&action).form(&fields).send().await.unwrap();
    let status = res.status();
    let body_or_location = location(&res);
    let Some(next) = body_or_location else {
        panic!("the tool refused the launch ({status}): {}", res.text().await.unwrap());
    };
    let app = url::Url::parse(&action).unwrap().join(&next).unwrap();
    client.get(app).send().await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ltijs_tool_launches_reads_the_roster_posts_a_score_and_deep_links() {
    let app = lti_app().await;
    let Some(tool) = Ltijs::start(&app.base).await else { return };
    tool.register(&app.store, app.seed.approved).await;
    let teacher = on_roster(&app, TEACHER_A, "teacher").await;
    let student = on_roster(&app, STUDENT_A, "student").await;

    // The teacher's launch: the tool sees her, as an instructor, in her class, and reads the class's roster.
    let seen: Value =
        serde_json::from_str(&browse(&teacher, &format!("/launch/{}?class={CLASS_A}", app.seed.approved)).await)
            .expect("the tool answered with what it saw");
    assert!(seen.get("error").is_none(), "a service call failed in the tool: {seen:#}");
    assert_eq!(seen["user"], TEACHER_A);
    assert!(seen["roles"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().ends_with("membership#Instructor")));
    assert_eq!(seen["context"]["id"], CLASS_A);
    assert_eq!(seen["lis"]["person_sourcedid"], TEACHER_A);
    let members: Vec<&str> =
        seen["members"].as_array().unwrap().iter().map(|m| m["user_id"].as_str().unwrap()).collect();
    assert!(
        members.contains(&STUDENT_A) && members.contains(&TEACHER_A) && !members.contains(&STUDENT_B),
        "{members:?}"
    );
    assert!(seen["lineItem"]["id"].as_str().unwrap().starts_with(&app.url("/lti/contexts/")));

    // The student's launch: the tool's score for her is kept as her result.
    let seen: Value =
        serde_json::from_str(&browse(&student, &format!("/launch/{}?class={CLASS_A}", app.seed.approved)).await)
            .unwrap();
    assert!(seen.get("error").is_none(), "{seen:#}");
    assert_eq!(seen["user"], STUDENT_A);
    assert!(seen["roles"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().ends_with("membership#Learner")));
    let tool_id = app.store.lti_tool_by_client(CLIENT).await.unwrap().unwrap().id;
    let items = app.store.lti_line_items(tool_id, CLASS_A).await.unwrap();
    let mut results = Vec::new();
    for item in &items {
        results.extend(app.store.lti_results(item.id, Some(STUDENT_A)).await.unwrap());
    }
    assert_eq!(results.len(), 1, "{items:?}");
    assert_eq!((results[0].score_given, results[0].activity_progress.as_str()), (Some(7.0), "Completed"));

    // Deep linking: the tool's response form is posted back to Steward, which stores its item for the class.
    let form = browse(&teacher, &format!("/launch/{}?class={CLASS_A}&deep=1", app.seed.approved)).await;
    let action = form.split("action=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert_eq!(action, app.url("/lti/deep-linking/return"));
    let jwt = form.split("name=\"JWT\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let res = teacher.client.post(&action).form(&[("JWT", &jwt)]).send().await.unwrap();
    assert_eq!(location(&res).as_deref(), Some("/launchpad?added=1"));
    let res = teacher.client.post(&action).form(&[("JWT", &jwt)]).send().await.unwrap();
    assert_eq!(res.status(), 400, "the same response again is refused: its nonce was used");
    let (_, page) = student.get_text("/launchpad").await;
    assert!(page.contains("Fractions practice"), "the stored item is on the class's launchpad");
    let resource = app.store.lti_resources(&[CLASS_A.to_owned()]).await.unwrap().pop().unwrap();
    let path = format!("/launch/{}?class={CLASS_A}&resource={}", app.seed.approved, resource.id);
    let seen: Value = serde_json::from_str(&browse(&student, &path).await).unwrap();
    assert_eq!(seen["custom"]["activity"], "fractions");
    assert_eq!(seen["resource"]["title"], "Fractions practice");
    assert_eq!(seen["query"]["activity"], "fractions", "the item's own URL was launched");
}
