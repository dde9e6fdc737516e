//! The launchpad over HTTP: a student on the roster sees, in each class, the apps approved and licensed for it,
//! and a launch is stored as a usage event before the browser goes to the app.

use super::*;
use common::roster::{CLASS_A, CLASS_B};

/// An account for the roster's student at school A (`stu-ana@cedar.example`, in grade 3's homeroom).
async fn ana(app: &TestApp) -> Session {
    on_roster(app, "stu-ana", "student").await
}

/// A Steward account for the roster person `id` at school A, signed in.
pub async fn on_roster(app: &TestApp, id: &str, role: &str) -> Session {
    let email = roster_account(app, id, role).await;
    let s = app.anonymous();
    assert_eq!(s.sign_in(&email, PASSWORD, "/launchpad").await.status(), 303);
    s
}

#[tokio::test]
async fn a_student_launches_an_approved_licensed_app_from_a_class() {
    let app = TestApp::new().await;
    let student = ana(&app).await;
    let (status, page) = student.get_text("/launchpad").await;
    assert_eq!(status, 200);
    assert!(page.contains("Room 3 Homeroom") && page.contains(APPROVED_NAME), "{page}");
    assert!(!page.contains(IN_REVIEW_NAME), "a product in review is not launched");

    let before = app.store.usage_event_count().await.unwrap();
    let res = student.get(&format!("/launch/{}?class={CLASS_A}", app.seed.approved)).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res).as_deref(), Some("https://app.numbersmith.example/"));
    assert_eq!(usage_settles(&app, before + 1).await, before + 1, "the launch is a usage event");
    student.get(&format!("/launch/{}?class={CLASS_A}", app.seed.approved)).await;
    assert_eq!(usage_settles(&app, before + 2).await, before + 2, "each launch counts");

    // Not her class, or not an app for it: not found, and nothing recorded.
    for path in [
        format!("/launch/{}?class={CLASS_B}", app.seed.approved),
        format!("/launch/{}?class={CLASS_A}", app.seed.in_review),
        format!("/launch/{}", app.seed.approved),
    ] {
        assert_eq!(student.get(&path).await.status(), 404, "{path}");
    }
    assert_eq!(usage_settles(&app, before + 2).await, before + 2);
}

#[tokio::test]
async fn an_app_approved_for_teachers_only_is_not_on_a_students_launchpad() {
    let app = TestApp::new().await;
    let student = ana(&app).await;
    // The seeded request for Story Lab passes its stages and is approved for teachers' accounts only.
    let id = app.seed.request;
    for (position, role) in [(1, TechnologyReviewer), (2, PrivacyReviewer)] {
        let user = app.store.user(app.user(role)).await.unwrap();
        let pass = steward_store::StageAction {
            decision: steward_core::governance::request::StageDecision::Pass,
            note: None,
            details: None,
            facts: None,
        };
        app.store.decide_stage(&user, id, position, &pass).await.unwrap();
    }
    let decision = steward_core::governance::request::FinalDecisionDraft {
        decision: "approved_with_conditions".into(),
        conditions: vec!["teacher_accounts_only".into()],
        ..Default::default()
    }
    .validate()
    .unwrap();
    let admin = app.store.user(app.user(DistrictAdmin)).await.unwrap();
    app.store.decide_request(&admin, id, &decision).await.unwrap();
    // Story Lab is licensed at school B only; a district contract brings it to school A.
    app.make_contract(app.seed.in_review, None, 100).await;
    let (_, page) = student.get_text("/launchpad").await;
    assert!(page.contains(APPROVED_NAME) && !page.contains(IN_REVIEW_NAME), "{page}");
    // Her teacher, in the same class, has it.
    let teacher = on_roster(&app, common::roster::TEACHER_A, "teacher").await;
    let (_, page) = teacher.get_text("/launchpad").await;
    assert!(page.contains(APPROVED_NAME) && page.contains(IN_REVIEW_NAME), "{page}");
}
