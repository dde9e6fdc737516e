//! The governance contract, on SQLite and on PostgreSQL: policy versions and their checks, a request routed,
//! reviewed stage by stage and decided with the product following, notifications, metrics and overdue notices.

use steward_core::enums::{ProductStatus, Scope, Vocabulary};
use steward_core::governance::policy::Policy;
use steward_core::governance::request::*;
use steward_core::governance::{Model, StageKind};
use steward_core::grade::GradeBand;
use steward_core::org::OrgDraft;
use steward_core::people::{CategoryDraft, UserDraft};
use steward_core::role::Role;
use steward_store::on_both_backends;
use steward_store::*;

on_both_backends!(
    the_policy_in_force_is_versioned_and_checked,
    a_request_passes_its_stages_and_the_product_follows,
    a_failed_stage_denies_the_request,
    metrics_and_overdue_notices,
    an_approved_product_is_re_reviewed_and_stays_approved,
);

fn actor() -> Actor {
    Actor::system("test")
}

struct District {
    school: i64,
    category: i64,
    people: Vec<(Role, User)>,
}

impl District {
    fn who(&self, role: Role) -> &User {
        &self.people.iter().find(|(r, _)| *r == role).unwrap().1
    }
}

async fn district(s: &Store, roles: &[Role]) -> District {
    let d = OrgDraft { kind: "district".into(), name: "Cedar SD".into(), ..Default::default() };
    let d = s.create_org(&actor(), &d.validate().unwrap()).await.unwrap();
    let school =
        OrgDraft { kind: "school".into(), name: "Alder".into(), parent_id: d.to_string(), ..Default::default() };
    let school = s.create_org(&actor(), &school.validate().unwrap()).await.unwrap();
    let category = CategoryDraft { name: "Math practice".into(), ..Default::default() };
    let category = s.save_category(&actor(), None, &category.validate().unwrap()).await.unwrap();
    let mut people = Vec::new();
    for role in roles {
        let draft = UserDraft {
            email: format!("{}@cedar.example", role.code()),
            name: role.label().into(),
            role: role.code().into(),
            school_id: if role.requires_school() { school.to_string() } else { String::new() },
            password: String::new(),
        };
        let id = s.create_user(&actor(), &draft.validate_profile().unwrap(), "x").await.unwrap();
        people.push((*role, s.user(id).await.unwrap()));
    }
    District { school, category, people }
}

const EVERYONE: &[Role] = steward_core::access::ALL_STAFF;

fn new_product(d: &District, cost: &str) -> RequestInput {
    RequestDraft {
        name: "Fraction Forest".into(),
        vendor_name: "Sprout Learning".into(),
        category_id: d.category.to_string(),
        purpose: "Fractions practice for grades 3 to 5".into(),
        grades: "3-5".into(),
        schools: vec![d.school.to_string()],
        expected_users: "120".into(),
        cost: cost.into(),
        data_elements: vec!["name".into()],
        ..Default::default()
    }
    .validate()
    .unwrap()
}

fn pass() -> StageAction {
    StageAction { decision: StageDecision::Pass, note: None, details: None, facts: None }
}

async fn the_policy_in_force_is_versioned_and_checked(s: &Store) {
    let d = district(s, &[Role::DistrictAdmin, Role::Teacher]).await;
    let first = s.policy_in_force().await.unwrap();
    assert_eq!((first.version, first.policy.clone()), (1, Policy::preset(Model::Hybrid)));
    let refused = s.save_policy(&actor(), &Policy::preset(Model::Centralized)).await;
    match refused {
        Err(StoreError::Rejected(e)) => assert!(e.get("stages.technical.reviewer").is_some(), "{e}"),
        other => panic!("a policy routing to roles no one holds is refused, got {other:?}"),
    }
    assert_eq!(s.policy_in_force().await.unwrap().version, 1, "nothing saved");
    let mut own = Policy::preset(Model::Custom);
    own.stages.retain(|st| st.kind == StageKind::Technical);
    own.stages[0].reviewer = Role::DistrictAdmin;
    let v = s.save_policy(&d.who(Role::DistrictAdmin).actor(), &own).await.unwrap();
    assert_eq!(v, 2);
    assert_eq!(s.policy_in_force().await.unwrap().policy, own);
    assert_eq!(s.policy_versions(10).await.unwrap().len(), 2);
    let audit = s
        .audit_entries(&AuditFilter { entity: Some("policy".into()), per_page: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(audit.total, 1, "the saved version is audited");
}

async fn a_request_passes_its_stages_and_the_product_follows(s: &Store) {
    let d = district(s, EVERYONE).await;
    let teacher = d.who(Role::Teacher);
    let id = s.create_request(teacher, &new_product(&d, "6,000")).await.unwrap();
    // The policy changes after submission; the request keeps the version it started under.
    let mut later = Policy::preset(Model::Hybrid);
    later.stages.truncate(1);
    s.save_policy(&actor(), &later).await.unwrap();

    let r = s.request(id).await.unwrap();
    assert_eq!(r.row.policy_version, 1);
    let kinds: Vec<StageKind> = r.stages.iter().map(|st| st.kind).collect();
    assert_eq!(
        kinds,
        [StageKind::Technical, StageKind::Privacy, StageKind::Curricular, StageKind::Accessibility, StageKind::Budget],
        "new vendor, student data, under 13 and over $5,000: every stage"
    );
    assert!(r.facts.new_vendor && r.facts.student_data && r.facts.under_13());
    let product = s.product(r.row.product_id).await.unwrap();
    assert_eq!(product.product.status, ProductStatus::InReview);
    assert_eq!(r.stages[0].status, StageStatus::Active);
    assert_eq!(r.stages[0].assignee_id, Some(d.who(Role::TechnologyReviewer).id));
    let tech_queue =
        RequestFilter { reviewer: Some((Role::TechnologyReviewer, None)), per_page: 10, ..Default::default() };
    assert_eq!(s.requests(&tech_queue).await.unwrap().items[0].current_stage, Some(StageKind::Technical));
    let inbox = s.inbox(d.who(Role::TechnologyReviewer).id, 10).await.unwrap();
    assert!(inbox[0].subject.starts_with("Technical review assigned"), "{inbox:?}");

    // Technical passes; privacy asks a question, which the teacher answers; then the rest pass.
    let tech = d.who(Role::TechnologyReviewer);
    s.decide_stage(tech, id, 1, &pass()).await.unwrap();
    assert!(matches!(s.decide_stage(tech, id, 1, &pass()).await, Err(StoreError::Invalid { field: "decision", .. })));
    let privacy = d.who(Role::PrivacyReviewer);
    let ask = StageAction {
        decision: StageDecision::NeedsInfo,
        note: Some("Which data does it keep?".into()),
        details: None,
        facts: None,
    };
    s.decide_stage(privacy, id, 2, &ask).await.unwrap();
    assert_eq!(s.request(id).await.unwrap().row.status, RequestStatus::NeedsInfo);
    assert!(s.inbox(teacher.id, 10).await.unwrap()[0].body.contains("Which data does it keep?"));
    s.answer_request(teacher, id, "Names only").await.unwrap();
    assert_eq!(s.request(id).await.unwrap().row.status, RequestStatus::InReview);
    assert!(s.inbox(privacy.id, 10).await.unwrap()[0].body.contains("Names only"));
    let pairs: Vec<(String, String)> = [
        ("data_elements", "name"),
        ("data_elements", "assessment_results"),
        ("dpa_status", "signed"),
        ("dpa_signed", "2026-11-30"),
        ("dpa_expires", "2028-06-30"),
        ("deletion", "Deleted within 60 days of the contract's end"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let facts = steward_core::governance::stage_facts::StageFacts::from_pairs(StageKind::Privacy, &pairs).unwrap();
    let reviewed = StageAction { facts, ..pass() };
    s.decide_stage(privacy, id, 2, &reviewed).await.unwrap();
    let found = s.product(r.row.product_id).await.unwrap().product;
    assert_eq!(found.data_elements.len(), 2);
    assert_eq!(
        (found.dpa_status, found.dpa_expires.map(|d| d.to_string())),
        (steward_core::enums::DpaStatus::Signed, Some("2028-06-30".into()))
    );
    let (privacy_facts, _) = s.product_privacy(r.row.product_id).await.unwrap();
    assert_eq!(privacy_facts.deletion.as_deref(), Some("Deleted within 60 days of the contract's end"));
    s.decide_stage(d.who(Role::CurriculumReviewer), id, 3, &pass()).await.unwrap();
    s.decide_stage(tech, id, 4, &pass()).await.unwrap();
    s.decide_stage(d.who(Role::Finance), id, 5, &pass()).await.unwrap();
    let r = s.request(id).await.unwrap();
    assert_eq!(r.row.status, RequestStatus::AwaitingDecision);
    let admin = d.who(Role::DistrictAdmin);
    assert!(s.inbox(admin.id, 10).await.unwrap()[0].subject.starts_with("Decision needed"));
    let queue =
        |role| RequestFilter { open_only: true, reviewer: Some((role, None)), per_page: 10, ..Default::default() };
    assert_eq!(s.requests(&queue(Role::DistrictAdmin)).await.unwrap().total, 1, "the decision waits on the approver");
    assert_eq!(s.requests(&queue(Role::Finance)).await.unwrap().total, 0);

    let decision = FinalDecisionDraft {
        decision: "approved_with_conditions".into(),
        conditions: vec!["teacher_accounts_only".into()],
        scope: "some_schools".into(),
        scope_schools: vec![d.school.to_string()],
        ..Default::default()
    }
    .validate()
    .unwrap();
    s.decide_request(admin, id, &decision).await.unwrap();
    let r = s.request(id).await.unwrap();
    assert_eq!(r.row.status, RequestStatus::ApprovedWithConditions);
    assert_eq!(r.decision.as_ref(), Some(&decision));
    let product = s.product(r.row.product_id).await.unwrap().product;
    assert_eq!(
        (product.status, product.scope, product.scope_schools),
        (ProductStatus::ApprovedWithConditions, Scope::SomeSchools, vec![d.school])
    );
    let inbox = s.inbox(teacher.id, 10).await.unwrap();
    assert!(inbox[0].subject.starts_with("Request approved with conditions"), "{inbox:?}");
    assert_eq!(s.unread_count(teacher.id).await.unwrap(), inbox.len() as i64);
    s.mark_read(teacher.id, None).await.unwrap();
    assert_eq!(s.unread_count(teacher.id).await.unwrap(), 0);
    let audit = s
        .audit_entries(&AuditFilter { entity: Some("request".into()), per_page: 50, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(audit.total, 1 + 6 + 1 + 1, "created, six stage decisions, the answer and the decision");
    let product_changes = s
        .audit_entries(&AuditFilter {
            entity: Some("product".into()),
            entity_id: Some(r.row.product_id),
            per_page: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        product_changes.items.iter().any(|e| e.summary.contains("by its privacy review")),
        "the product follows the review"
    );
    assert_eq!(r.comments.len(), 8);
    assert_eq!(r.input.grades, GradeBand::parse("3-5").unwrap());
}

async fn a_failed_stage_denies_the_request(s: &Store) {
    let d = district(s, EVERYONE).await;
    let id = s.create_request(d.who(Role::Teacher), &new_product(&d, "0")).await.unwrap();
    let fail =
        StageAction { decision: StageDecision::Fail, note: Some("No iPad app".into()), details: None, facts: None };
    s.decide_stage(d.who(Role::TechnologyReviewer), id, 1, &fail).await.unwrap();
    let r = s.request(id).await.unwrap();
    assert_eq!(r.row.status, RequestStatus::Denied);
    assert!(r.decision.unwrap().reason.unwrap().contains("No iPad app"));
    assert_eq!(s.product(r.row.product_id).await.unwrap().product.status, ProductStatus::Denied);
    assert!(matches!(
        s.decide_stage(d.who(Role::PrivacyReviewer), id, 2, &pass()).await,
        Err(StoreError::Invalid { field: "decision", .. })
    ));
    let open = s.requests(&RequestFilter { open_only: true, per_page: 10, ..Default::default() }).await.unwrap();
    assert_eq!(open.total, 0);
}

async fn metrics_and_overdue_notices(s: &Store) {
    let d = district(s, EVERYONE).await;
    let teacher = d.who(Role::Teacher);
    let decided = s.create_request(teacher, &new_product(&d, "0")).await.unwrap();
    s.decide_stage(d.who(Role::TechnologyReviewer), decided, 1, &pass()).await.unwrap();
    s.decide_stage(d.who(Role::PrivacyReviewer), decided, 2, &pass()).await.unwrap();
    s.decide_stage(d.who(Role::CurriculumReviewer), decided, 3, &pass()).await.unwrap();
    s.decide_stage(d.who(Role::TechnologyReviewer), decided, 4, &pass()).await.unwrap();
    let approve = FinalDecisionDraft { decision: "approved".into(), ..Default::default() }.validate().unwrap();
    s.decide_request(d.who(Role::DistrictAdmin), decided, &approve).await.unwrap();
    s.backdate_request(decided, 4).await.unwrap();

    let mut second = new_product(&d, "0");
    second.product = Requested::New {
        name: "Story Lab".into(),
        vendor_name: "Sprout Learning".into(),
        website: None,
        category_id: d.category,
    };
    let open = s.create_request(teacher, &second).await.unwrap();
    assert!(!s.request(open).await.unwrap().facts.new_vendor, "the vendor came with the first request");
    s.backdate_request(open, 30).await.unwrap();
    let m = s.review_metrics().await.unwrap();
    assert_eq!(m.decided, 1);
    let median = m.median_days.unwrap();
    assert!((4.0..4.1).contains(&median), "{median}");
    let tech = m.per_stage.iter().find(|x| x.kind == Some(StageKind::Technical)).unwrap();
    assert_eq!((tech.finished, tech.open, tech.overdue), (1, 1, 1));
    assert_eq!(m.overdue.len(), 1);
    assert_eq!(m.overdue[0].0, open);

    assert_eq!(s.notify_overdue().await.unwrap(), 1);
    assert_eq!(s.notify_overdue().await.unwrap(), 0, "once per stage");
    let inbox = s.inbox(d.who(Role::TechnologyReviewer).id, 1).await.unwrap();
    assert!(inbox[0].subject.starts_with("Overdue: Technical review of Story Lab"), "{inbox:?}");
    assert!(s.inbox(teacher.id, 1).await.unwrap()[0].subject.starts_with("Overdue"));
    let outbox = s.outbox(100).await.unwrap();
    assert!(outbox.iter().any(|(n, to)| to == "teacher@cedar.example" && n.subject.starts_with("Overdue")));
    let first = outbox[0].0.id;
    s.mark_emailed(first, true).await.unwrap();
    assert!(!s.outbox(100).await.unwrap().iter().any(|(n, _)| n.id == first));
}

async fn an_approved_product_is_re_reviewed_and_stays_approved(s: &Store) {
    let d = district(s, EVERYONE).await;
    let id = s.create_request(d.who(Role::Teacher), &new_product(&d, "0")).await.unwrap();
    for (position, role) in [
        (1, Role::TechnologyReviewer),
        (2, Role::PrivacyReviewer),
        (3, Role::CurriculumReviewer),
        (4, Role::TechnologyReviewer),
    ] {
        s.decide_stage(d.who(role), id, position, &pass()).await.unwrap();
    }
    let approve = FinalDecisionDraft { decision: "approved".into(), ..Default::default() }.validate().unwrap();
    s.decide_request(d.who(Role::DistrictAdmin), id, &approve).await.unwrap();
    let product = s.request(id).await.unwrap().row.product_id;
    let today = chrono::Utc::now().date_naive();
    let candidates = s.re_review_candidates(today).await.unwrap();
    assert_eq!(candidates.len(), 1);
    assert_eq!((candidates[0].product_id, candidates[0].last_reviewed), (product, today));

    let again = s.create_re_review(product, "Re-review: its DPA expires soon.").await.unwrap();
    let r = s.request(again).await.unwrap();
    assert_eq!((r.row.kind.as_str(), r.row.requester_id), ("re_review", None));
    assert_eq!(r.stages[0].status, StageStatus::Active);
    assert_eq!(s.product(product).await.unwrap().product.status, ProductStatus::Approved, "in use while re-reviewed");
    assert!(s.re_review_candidates(today).await.unwrap().is_empty(), "an open request is not started twice");
    let inbox = s.inbox(d.who(Role::TechnologyReviewer).id, 1).await.unwrap();
    assert!(inbox[0].subject.starts_with("Technical review assigned: Fraction Forest"), "{inbox:?}");
}
