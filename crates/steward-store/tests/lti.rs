//! The LTI Advantage storage contract (migration 0008), on SQLite and PostgreSQL: values used once, access tokens,
//! line items and scores, deep-linked resources, and a class as a launch sees it.

use chrono::{Duration, Utc};
use serde_json::json;
use steward_core::lti::ags::{LineItemInput, ScoreInput};
use steward_core::lti::ToolInput;
use steward_core::people::{CategoryDraft, VendorDraft};
use steward_core::product::ProductDraft;
use steward_interop::oneroster::Status;
use steward_store::on_both_backends;
use steward_store::testing::record;
use steward_store::*;

on_both_backends!(
    values_are_used_once_until_purged,
    access_tokens_carry_their_tool_and_scopes,
    line_items_keep_the_latest_score,
    deep_linked_resources_are_audited_and_listed,
    a_class_as_a_launch_sees_it,
);

fn actor() -> Actor {
    Actor::system("test")
}

/// A time `hours` from now, as the store writes times.
fn in_hours(hours: i64) -> String {
    timestamp(Utc::now() + Duration::hours(hours))
}

/// Three products of one vendor, in one category.
async fn products(s: &Store) -> [i64; 3] {
    let vendor = VendorDraft { name: "Numbersmith".into(), ..Default::default() };
    let v = s.save_vendor(&actor(), None, &vendor.validate().unwrap()).await.unwrap();
    let category = CategoryDraft { name: "Math practice".into(), ..Default::default() };
    let c = s.save_category(&actor(), None, &category.validate().unwrap()).await.unwrap();
    let mut ids = [0; 3];
    for (id, name) in ids.iter_mut().zip(["Fraction Forest", "Story Lab", "Map Quest"]) {
        let draft = ProductDraft {
            name: name.into(),
            vendor_id: v.to_string(),
            category_id: c.to_string(),
            grades: "3-5".into(),
            ..Default::default()
        };
        *id = s.create_product(&actor(), &draft.validate().unwrap()).await.unwrap();
    }
    ids
}

async fn tool(s: &Store, product_id: i64, client_id: &str) -> Tool {
    // Through the registration form, so that optional fields added later need nothing here.
    let site = format!("https://{client_id}.example");
    let pairs = [
        ("product_id", product_id.to_string()),
        ("name", format!("Tool {client_id}")),
        ("client_id", client_id.to_owned()),
        ("deployment_ids", "dep-1".to_owned()),
        ("login_url", format!("{site}/login")),
        ("redirect_uris", format!("{site}/launch")),
        ("target_link_uri", format!("{site}/launch")),
        ("jwks_url", format!("{site}/jwks")),
    ];
    let pairs: Vec<(String, String)> = pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    let id = s.save_lti_tool(&actor(), None, &ToolInput::from_pairs(&pairs).unwrap()).await.unwrap();
    s.lti_tool(id).await.unwrap()
}

/// Tools for the first two products; the third has none.
async fn two_tools(s: &Store) -> (Tool, Tool, i64) {
    let [pa, pb, pc] = products(s).await;
    (tool(s, pa, "alpha").await, tool(s, pb, "beta").await, pc)
}

async fn audit_total(s: &Store, entity: Option<&str>) -> i64 {
    let f = AuditFilter { entity: entity.map(str::to_owned), per_page: 1, ..Default::default() };
    s.audit_entries(&f).await.unwrap().total
}

async fn values_are_used_once_until_purged(s: &Store) {
    let (a, _, _) = two_tools(s).await;
    let (soon, past) = (in_hours(1), in_hours(-1));
    assert!(s.use_lti_value_once("nonce", "alpha:n-1", &soon).await.unwrap(), "first use");
    assert!(!s.use_lti_value_once("nonce", "alpha:n-1", &soon).await.unwrap(), "a replay");
    assert!(s.use_lti_value_once("jti", "alpha:n-1", &soon).await.unwrap(), "another kind is independent");
    assert!(!s.use_lti_value_once("jti", "alpha:n-1", &soon).await.unwrap());
    assert!(s.use_lti_value_once("message", "alpha:old", &past).await.unwrap());
    assert!(!s.use_lti_value_once("message", "alpha:old", &soon).await.unwrap(), "kept until purged");
    s.create_lti_access_token(a.id, "hash-expired", "scope-a", &past).await.unwrap();
    s.create_lti_access_token(a.id, "hash-live", "scope-a", &soon).await.unwrap();

    assert_eq!(s.purge_expired_lti_values().await.unwrap(), 2, "one value and one token were past their time");
    assert_eq!(s.purge_expired_lti_values().await.unwrap(), 0);
    assert!(s.use_lti_value_once("message", "alpha:old", &soon).await.unwrap(), "usable again once purged");
    assert!(!s.use_lti_value_once("nonce", "alpha:n-1", &soon).await.unwrap(), "unexpired values stay");
    assert!(!s.use_lti_value_once("jti", "alpha:n-1", &soon).await.unwrap());
    assert!(s.lti_access_token("hash-live").await.unwrap().is_some(), "unexpired tokens stay");
    // The expired token's row is gone: its hash can be kept again.
    s.create_lti_access_token(a.id, "hash-expired", "scope-b", &soon).await.unwrap();
    assert_eq!(s.lti_access_token("hash-expired").await.unwrap(), Some((a.id, "scope-b".to_owned())));
}

async fn access_tokens_carry_their_tool_and_scopes(s: &Store) {
    let (a, b, _) = two_tools(s).await;
    let scopes = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem \
                  https://purl.imsglobal.org/spec/lti-ags/scope/score";
    s.create_lti_access_token(a.id, "hash-a", scopes, &in_hours(1)).await.unwrap();
    s.create_lti_access_token(b.id, "hash-b", "nrps", &in_hours(1)).await.unwrap();
    s.create_lti_access_token(a.id, "hash-old", scopes, &in_hours(-1)).await.unwrap();
    assert_eq!(s.lti_access_token("hash-a").await.unwrap(), Some((a.id, scopes.to_owned())));
    assert_eq!(s.lti_access_token("hash-b").await.unwrap(), Some((b.id, "nrps".to_owned())));
    assert_eq!(s.lti_access_token("hash-old").await.unwrap(), None, "an expired token is not found");
    assert_eq!(s.lti_access_token("hash-unknown").await.unwrap(), None);
}

fn line_item(label: &str) -> LineItemInput {
    LineItemInput {
        label: label.into(),
        score_maximum: 10.0,
        resource_id: Some("quiz-1".into()),
        tag: Some("grade".into()),
        resource_link_id: Some("rl-1".into()),
        start: None,
        end: Some("2026-12-20T00:00:00Z".into()),
    }
}

fn score(user: &str, given: f64, at: &str) -> ScoreInput {
    ScoreInput {
        user_id: user.into(),
        score_given: Some(given),
        score_maximum: Some(10.0),
        comment: None,
        timestamp: at.into(),
        activity_progress: "Completed".into(),
        grading_progress: "FullyGraded".into(),
    }
}

async fn line_items_keep_the_latest_score(s: &Store) {
    let (a, b, _) = two_tools(s).await;
    let first = s.save_lti_line_item(a.id, "c-1", None, &line_item("Quiz 1")).await.unwrap();
    assert_eq!((first.tool_id, first.class_sourced_id.as_str()), (a.id, "c-1"));
    assert_eq!(first.item, line_item("Quiz 1"), "every field round-trips");
    let renamed = s.save_lti_line_item(a.id, "c-1", Some(first.id), &line_item("Quiz one")).await.unwrap();
    assert_eq!((renamed.id, renamed.item.label.as_str()), (first.id, "Quiz one"));
    let theirs = s.save_lti_line_item(b.id, "c-1", Some(first.id), &line_item("Taken")).await;
    assert!(matches!(theirs, Err(StoreError::NotFound)), "another tool cannot replace it: {theirs:?}");
    let elsewhere = s.save_lti_line_item(a.id, "c-2", Some(first.id), &line_item("Moved")).await;
    assert!(matches!(elsewhere, Err(StoreError::NotFound)), "nor can it move to another class: {elsewhere:?}");
    s.save_lti_line_item(a.id, "c-2", None, &line_item("Other class")).await.unwrap();
    let other_tool = s.save_lti_line_item(b.id, "c-1", None, &line_item("Other tool")).await.unwrap();
    let second = s.save_lti_line_item(a.id, "c-1", None, &line_item("Quiz 2")).await.unwrap();

    let listed = s.lti_line_items(a.id, "c-1").await.unwrap();
    assert_eq!(listed.iter().map(|l| l.id).collect::<Vec<_>>(), [first.id, second.id]);
    assert_eq!(listed[0], renamed);
    assert_eq!(s.lti_line_item(a.id, "c-1", first.id).await.unwrap(), renamed);
    assert!(matches!(s.lti_line_item(b.id, "c-1", first.id).await, Err(StoreError::NotFound)));
    assert!(matches!(s.lti_line_item(a.id, "c-2", first.id).await, Err(StoreError::NotFound)));

    let put = |item: i64, sc: ScoreInput| async move { s.put_lti_score(item, &sc).await.unwrap() };
    assert!(put(first.id, score("stu-1", 6.0, "2026-12-08T10:30:00Z")).await);
    assert!(!put(first.id, score("stu-1", 2.0, "2026-12-08T10:00:00Z")).await, "an earlier score changes nothing");
    // 10:00 UTC: earlier than the kept 10:30 although its text sorts after it.
    assert!(!put(first.id, score("stu-1", 3.0, "2026-12-08T11:00:00+01:00")).await);
    assert!(put(first.id, score("stu-1", 7.0, "2026-12-08T12:00:00+01:00")).await, "11:00 UTC is later");
    // 11:30 UTC: later than the kept 11:00 although its text sorts before it.
    assert!(put(first.id, score("stu-1", 8.0, "2026-12-08T10:30:00-01:00")).await);
    assert!(!put(first.id, score("stu-1", 4.0, "2026-12-08T11:29:59.5Z")).await);
    assert!(put(first.id, score("stu-2", 9.0, "2026-12-08T09:00:00Z")).await);
    let started = ScoreInput {
        score_given: None,
        score_maximum: None,
        comment: Some("Just started".into()),
        activity_progress: "Started".into(),
        grading_progress: "NotReady".into(),
        ..score("stu-3", 0.0, "2026-12-08T09:00:00Z")
    };
    assert!(put(first.id, started).await);
    assert!(put(other_tool.id, score("stu-1", 1.0, "2026-12-09T09:00:00Z")).await);

    let results = s.lti_results(first.id, None).await.unwrap();
    let seen: Vec<_> = results.iter().map(|r| (r.user_sourced_id.as_str(), r.score_given)).collect();
    assert_eq!(seen, [("stu-1", Some(8.0)), ("stu-2", Some(9.0)), ("stu-3", None)]);
    let kept = &results[0];
    assert_eq!(
        (kept.line_item_id, kept.score_maximum, kept.scored_at.as_str(), kept.activity_progress.as_str()),
        (first.id, Some(10.0), "2026-12-08T11:30:00.000000Z", "Completed"),
        "kept in UTC, as the store writes times"
    );
    assert_eq!((results[2].comment.as_deref(), results[2].score_maximum), (Some("Just started"), None));
    let one = s.lti_results(first.id, Some("stu-2")).await.unwrap();
    assert_eq!(one, [results[1].clone()]);
    assert!(s.lti_results(first.id, Some("stu-9")).await.unwrap().is_empty());

    let theirs = s.delete_lti_line_item(b.id, "c-1", first.id).await;
    assert!(matches!(theirs, Err(StoreError::NotFound)), "{theirs:?}");
    assert_eq!(s.lti_results(first.id, None).await.unwrap().len(), 3, "a refused delete keeps the results");
    s.delete_lti_line_item(a.id, "c-1", first.id).await.unwrap();
    assert!(matches!(s.lti_line_item(a.id, "c-1", first.id).await, Err(StoreError::NotFound)));
    assert!(s.lti_results(first.id, None).await.unwrap().is_empty(), "its results go with it");
    assert!(matches!(s.delete_lti_line_item(a.id, "c-1", first.id).await, Err(StoreError::NotFound)));
    assert_eq!(s.lti_line_items(a.id, "c-1").await.unwrap().len(), 1);
    assert_eq!(s.lti_results(other_tool.id, None).await.unwrap().len(), 1, "other items keep theirs");
}

async fn deep_linked_resources_are_audited_and_listed(s: &Store) {
    let (a, b, _) = two_tools(s).await;
    let link = json!({"type": "ltiResourceLink", "title": "Fractions 1", "custom": {"unit": "1"}});
    let page = json!({"type": "link", "title": "Reading", "url": "https://alpha.example/read"});
    let items = vec![
        ("ltiResourceLink".to_owned(), "Fractions 1".to_owned(), Some("https://alpha.example/u/1".to_owned()), link),
        ("link".to_owned(), "Reading".to_owned(), None, page.clone()),
    ];
    let before = audit_total(s, None).await;
    let ids = s.add_lti_resources(&actor(), &a, "c-1", &items).await.unwrap();
    assert_eq!(ids.len(), 2);
    assert_eq!(audit_total(s, None).await, before + 2, "an audit entry per item");
    assert_eq!(audit_total(s, Some("lti_resource")).await, 2);
    let other = ("link".to_owned(), "Atlas".to_owned(), None, json!({"type": "link"}));
    let theirs = s.add_lti_resources(&actor(), &b, "c-2", &[other]).await.unwrap();
    assert!(s.add_lti_resources(&actor(), &b, "c-2", &[]).await.unwrap().is_empty());
    assert_eq!(audit_total(s, Some("lti_resource")).await, 3);

    let listed = s.lti_resources(&["c-1".to_owned()]).await.unwrap();
    assert_eq!(listed.iter().map(|r| r.id).collect::<Vec<_>>(), ids);
    let r = &listed[0];
    assert_eq!(
        (r.tool_id, r.product_id, r.class_sourced_id.as_str(), r.item_type.as_str(), r.title.as_str()),
        (a.id, a.tool.product_id, "c-1", "ltiResourceLink", "Fractions 1")
    );
    assert_eq!((r.url.as_deref(), &r.item), (Some("https://alpha.example/u/1"), &items[0].3));
    let both = s.lti_resources(&["c-1".to_owned(), "c-2".to_owned()]).await.unwrap();
    assert_eq!(both.len(), 3);
    assert_eq!(both[2].product_id, b.tool.product_id);
    assert!(s.lti_resources(&["c-9".to_owned()]).await.unwrap().is_empty());
    assert!(s.lti_resources(&[]).await.unwrap().is_empty());
    let one = s.lti_resource(ids[1]).await.unwrap();
    assert_eq!((one.title.as_str(), one.url, one.item), ("Reading", None, page));
    assert_eq!(s.lti_resource(theirs[0]).await.unwrap().class_sourced_id, "c-2");
    assert!(matches!(s.lti_resource(theirs[0] + 100).await, Err(StoreError::NotFound)));
}

/// Class `c-1` (Math 3) with teacher `t-1` and student `s-1`, and `s-2` whose enrollment is to be deleted;
/// `t-1` also teaches `c-2`; class `c-3` is to be deleted.
async fn roster(s: &Store) {
    let gone = |mut r: steward_interop::oneroster::Record| {
        r.status = Some(Status::ToBeDeleted);
        r
    };
    let math = [
        ("title", "Math 3"),
        ("classCode", "M3-A"),
        ("courseSourcedId", "crs-1"),
        ("schoolSourcedId", "sch-1"),
        ("grades", "03,04"),
    ];
    let classes = [
        record("classes", "c-1", &math),
        record("classes", "c-2", &[("title", "Art")]),
        gone(record("classes", "c-3", &[("title", "Old")])),
    ];
    s.put_roster_records("classes", &classes).await.unwrap();
    let user = |id: &str, given: &str, family: &str| {
        let email = format!("{id}@cedar.example");
        record("users", id, &[("givenName", given), ("familyName", family), ("email", &email)])
    };
    let users = [user("t-1", "Tess", "Oak"), user("s-1", "Sam", "Birch"), user("s-2", "Sue", "Ash")];
    s.put_roster_records("users", &users).await.unwrap();
    let enr = |id: &str, class: &str, who: &str, role: &str| {
        record("enrollments", id, &[("classSourcedId", class), ("userSourcedId", who), ("role", role)])
    };
    let enrollments = [
        enr("e-1", "c-1", "t-1", "teacher"),
        enr("e-2", "c-1", "s-1", "student"),
        gone(enr("e-3", "c-1", "s-2", "student")),
        enr("e-4", "c-2", "t-1", "teacher"),
    ];
    s.put_roster_records("enrollments", &enrollments).await.unwrap();
}

async fn a_class_as_a_launch_sees_it(s: &Store) {
    roster(s).await;
    let c = s.class_context("c-1").await.unwrap();
    assert_eq!(
        (c.sourced_id.as_str(), c.title.as_str(), c.class_code.as_deref(), c.course_sourced_id.as_deref()),
        ("c-1", "Math 3", Some("M3-A"), Some("crs-1"))
    );
    assert_eq!((c.school_sourced_id.as_deref(), c.grades.as_deref()), (Some("sch-1"), Some("03,04")));
    let art = s.class_context("c-2").await.unwrap();
    assert_eq!((art.title.as_str(), art.class_code, art.grades), ("Art", None, None));
    assert!(matches!(s.class_context("c-3").await, Err(StoreError::NotFound)), "a class to be deleted");
    assert!(matches!(s.class_context("c-9").await, Err(StoreError::NotFound)));

    let members = s.class_members_detail("c-1").await.unwrap();
    let seen: Vec<_> = members.iter().map(|m| (m.sourced_id.as_str(), m.role.as_str())).collect();
    assert_eq!(seen, [("s-1", "student"), ("t-1", "teacher")], "the enrollment to be deleted does not show");
    let t = &members[1];
    assert_eq!(
        (t.given_name.as_deref(), t.family_name.as_deref(), t.email.as_deref()),
        (Some("Tess"), Some("Oak"), Some("t-1@cedar.example"))
    );
    assert!(s.class_members_detail("c-9").await.unwrap().is_empty());

    let roles = |person: &'static str| async move {
        let mut r: Vec<_> = s.class_roles(person).await.unwrap().into_iter().collect();
        r.sort();
        r
    };
    let pair = |c: &str, r: &str| (c.to_owned(), r.to_owned());
    assert_eq!(roles("t-1").await, [pair("c-1", "teacher"), pair("c-2", "teacher")]);
    assert_eq!(roles("s-1").await, [pair("c-1", "student")]);
    assert!(roles("s-2").await.is_empty(), "an enrollment to be deleted gives no role");
    assert!(roles("nobody").await.is_empty());
}
