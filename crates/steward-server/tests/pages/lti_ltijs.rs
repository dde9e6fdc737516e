//! End to end with a real LTI tool library: an ltijs tool (npm, PostgreSQL through ltijs-sequelize) started by the
//! test with Steward as its platform. A teacher's and a student's launches reach the tool with the right user,
//! roles and class; the tool's Names and Roles call returns the class; its line item and score land in Steward;
//! deep linking returns an item that Steward stores and then launches.

use super::launchpad::on_roster;
use super::lti_launch::{lti_app, posted_fields, unescape};
use super::*;
use common::roster::{CLASS_A, STUDENT_A, STUDENT_B, TEACHER_A};
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::io::AsyncBufReadExt;

const CLIENT: &str = "ltijs-tool";

/// The running tool, stopped (and its database dropped) when dropped.
struct Ltijs {
    child: Child,
    login: String,
    launch: String,
    keys: String,
}

impl Ltijs {
    async fn start(platform: &str) -> Option<Ltijs> {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/ltijs-tool.cjs");
        let module = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/node_modules/ltijs");
        if !Path::new(module).exists() {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{module} is required under CI=true (npm ci --prefix crates/steward-server/tests/peers)");
            }
            eprintln!("skipping the ltijs test: ltijs is not installed");
            return None;
        }
        let db = format!("ltijs_{}_{}", std::process::id(), rand::random::<u32>());
        let mut child = Command::new("node")
            .arg(script)
            .env("PLATFORM_URL", platform)
            .env("CLIENT_ID", CLIENT)
            .env("LTIJS_DB", db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs");
        let stdout = tokio::process::ChildStdout::from_std(child.stdout.take().unwrap()).unwrap();
        let mut line = String::new();
        let mut reader = tokio::io::BufReader::new(stdout);
        let read = reader.read_line(&mut line);
        tokio::time::timeout(Duration::from_secs(60), read).await.expect("ltijs started within 60 s").unwrap();
        let ready: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("ltijs did not start: {line:?}"));
        let s = |k: &str| ready[k].as_str().unwrap().to_owned();
        Some(Ltijs { login: s("login"), launch: s("launch"), keys: s("keys"), child })
    }
}

impl Drop for Ltijs {
    fn drop(&mut self) {
        // SIGTERM lets the tool drop its database; it is killed if it has not stopped in 10 s.
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        for _ in 0..100 {
            if self.child.try_wait().is_ok_and(|s| s.is_some()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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
    let input = steward_core::lti::ToolInput {
        product_id: app.seed.approved,
        name: "Fractions (ltijs)".into(),
        client_id: CLIENT.into(),
        deployment_ids: vec!["dep-ltijs".into()],
        login_url: tool.login.clone(),
        redirect_uris: vec![tool.launch.clone()],
        target_link_uri: tool.launch.clone(),
        jwks_url: Some(tool.keys.clone()),
        public_jwk: None,
    };
    app.store.save_lti_tool(&seed_actor(), None, &input).await.unwrap();
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
