//! The storage contract: the same tests on SQLite and on PostgreSQL, each on a fresh database.

use chrono::NaiveDate;
use steward_core::access::ContractScope;
use steward_core::contract::ContractDraft;
use steward_core::enums::{FundingSource, LicenseModel, ProductStatus, Scope, SignOn, Subject};
use steward_core::grade::GradeBand;
use steward_core::org::OrgDraft;
use steward_core::people::{CategoryDraft, OwnerDraft, UserDraft, VendorDraft};
use steward_core::product::ProductDraft;

use steward_store::on_both_backends;
use steward_store::*;

on_both_backends!(
    migrations_are_idempotent,
    organizations_nest_and_validate_parents,
    accounts_sessions_and_throttling,
    api_tokens_are_revocable,
    products_round_trip_with_their_facts,
    search_filters_sort_and_page,
    a_failed_write_changes_nothing,
    contracts_scope_and_windows,
    owners_and_the_manager_flag,
    audit_records_before_and_after,
    concurrent_writes_all_land_with_their_audit_entries,
);

fn admin() -> Actor {
    Actor { user_id: None, label: "test".into() }
}

async fn district_with_schools(s: &Store) -> (i64, i64, i64) {
    let state = s
        .create_org(
            &admin(),
            &OrgDraft { kind: "state".into(), name: "Oregon".into(), ..Default::default() }.validate().unwrap(),
        )
        .await
        .unwrap();
    let district = s
        .create_org(
            &admin(),
            &OrgDraft {
                kind: "district".into(),
                name: "Cedar Valley SD".into(),
                parent_id: state.to_string(),
                nces_id: "4100001".into(),
                ..Default::default()
            }
            .validate()
            .unwrap(),
        )
        .await
        .unwrap();
    let school = |name: &str, nces: &str| OrgDraft {
        kind: "school".into(),
        name: name.into(),
        parent_id: district.to_string(),
        nces_id: nces.into(),
        school_level: "elementary".into(),
        grades: "K-5".into(),
        ..Default::default()
    };
    let a = s.create_org(&admin(), &school("Alder Elementary", "410000100001").validate().unwrap()).await.unwrap();
    let b = s.create_org(&admin(), &school("Birch Elementary", "410000100002").validate().unwrap()).await.unwrap();
    (district, a, b)
}

async fn vendor_and_category(s: &Store) -> (i64, i64) {
    let v = s
        .save_vendor(
            &admin(),
            None,
            &VendorDraft { name: "Numbersmith".into(), ..Default::default() }.validate().unwrap(),
        )
        .await
        .unwrap();
    let c = s
        .save_category(
            &admin(),
            None,
            &CategoryDraft { name: "Math practice".into(), ..Default::default() }.validate().unwrap(),
        )
        .await
        .unwrap();
    (v, c)
}

fn product_draft(name: &str, v: i64, c: i64) -> ProductDraft {
    ProductDraft {
        name: name.into(),
        vendor_id: v.to_string(),
        category_id: c.to_string(),
        description: "Adaptive fraction practice".into(),
        grades: "3-5".into(),
        subjects: vec!["math".into()],
        sign_on: vec!["google".into(), "clever".into()],
        interop: vec!["lti_1_3".into()],
        data_elements: vec!["name".into(), "email".into()],
        dpa_status: "signed".into(),
        dpa_expires: "2027-06-30".into(),
        status: "approved".into(),
        website: "https://www.numbersmith.example/".into(),
        ..Default::default()
    }
}

async fn migrations_are_idempotent(s: &Store) {
    assert_eq!(s.migrate().await.unwrap(), 0, "a second migrate applies nothing");
    assert!(s.is_empty().await.unwrap());
}

async fn organizations_nest_and_validate_parents(s: &Store) {
    let (district, a, _) = district_with_schools(s).await;
    assert_eq!(s.schools().await.unwrap().len(), 2);
    assert_eq!(s.district().await.unwrap().unwrap().id, district);
    let bad =
        OrgDraft { kind: "school".into(), name: "Nowhere".into(), parent_id: a.to_string(), ..Default::default() }
            .validate()
            .unwrap();
    match s.create_org(&admin(), &bad).await {
        Err(StoreError::Invalid { field: "parent_id", message }) => assert!(message.contains("district"), "{message}"),
        other => panic!("expected a parent error, got {other:?}"),
    }
    let dup = OrgDraft {
        kind: "school".into(),
        name: "Copy".into(),
        parent_id: district.to_string(),
        nces_id: "410000100001".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    assert!(matches!(s.create_org(&admin(), &dup).await, Err(StoreError::Invalid { field: "nces_id", .. })));
    let mut renamed = s.org(a).await.unwrap().org;
    renamed.name = "Alder Creek Elementary".into();
    s.update_org(&admin(), a, &renamed).await.unwrap();
    assert_eq!(s.org(a).await.unwrap().org.name, "Alder Creek Elementary");
    assert!(matches!(s.org(99_999).await, Err(StoreError::NotFound)));
}

async fn accounts_sessions_and_throttling(s: &Store) {
    let (_, a, _) = district_with_schools(s).await;
    let draft = UserDraft {
        email: "T.Rivera@Cedar.example".into(),
        name: "Teri Rivera".into(),
        role: "teacher".into(),
        school_id: a.to_string(),
        password: "long enough password".into(),
    };
    let (input, _) = draft.validate().unwrap();
    let id = s.create_user(&admin(), &input, "$argon2id$fake").await.unwrap();
    assert!(matches!(s.create_user(&admin(), &input, "x").await, Err(StoreError::Invalid { field: "email", .. })));
    let (u, hash) = s.user_for_sign_in("t.rivera@cedar.example").await.unwrap().unwrap();
    assert_eq!((u.id, u.school_id, hash.as_str()), (id, Some(a), "$argon2id$fake"));

    s.create_session("h1", id, "csrf1", "2999-01-01T00:00:00.000000Z").await.unwrap();
    s.create_session("h2", id, "csrf2", "2000-01-01T00:00:00.000000Z").await.unwrap();
    assert_eq!(s.session("h1").await.unwrap().unwrap().csrf_token, "csrf1");
    assert!(s.session("h2").await.unwrap().is_none(), "expired sessions are not honoured");
    s.delete_session("h1").await.unwrap();
    assert!(s.session("h1").await.unwrap().is_none());

    s.create_session("h3", id, "csrf3", "2999-01-01T00:00:00.000000Z").await.unwrap();
    s.set_user_active(&admin(), id, false).await.unwrap();
    assert!(s.session("h3").await.unwrap().is_none(), "a deactivated account's sessions end");
    assert!(s.user_for_sign_in("t.rivera@cedar.example").await.unwrap().is_none(), "and it cannot sign in");
    s.set_user_active(&admin(), id, true).await.unwrap();
    assert!(s.user_for_sign_in("t.rivera@cedar.example").await.unwrap().is_some());
    let f = AuditFilter { entity: Some("user".into()), entity_id: Some(id), per_page: 10, ..Default::default() };
    let actions: Vec<String> = s.audit_entries(&f).await.unwrap().items.into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["activate", "deactivate", "create"]);

    s.create_session("keep", id, "c", "2999-01-01T00:00:00.000000Z").await.unwrap();
    s.create_session("other", id, "c", "2999-01-01T00:00:00.000000Z").await.unwrap();
    let me = s.session("keep").await.unwrap().unwrap().user;
    s.change_password(&me, "$argon2id$new", "keep").await.unwrap();
    assert_eq!(s.user_for_sign_in("t.rivera@cedar.example").await.unwrap().unwrap().1, "$argon2id$new");
    assert!(s.session("keep").await.unwrap().is_some(), "the session that changed it goes on");
    assert!(s.session("other").await.unwrap().is_none(), "every other session ends");

    for _ in 0..3 {
        s.record_login_failure("k").await.unwrap();
    }
    assert_eq!(s.login_failures_since("k", "2000-01-01T00:00:00Z").await.unwrap(), 3);
    assert_eq!(s.login_failures_since("k", "2999-01-01T00:00:00Z").await.unwrap(), 0);
    s.clear_login_failures("k").await.unwrap();
    assert_eq!(s.login_failures_since("k", "2000-01-01T00:00:00Z").await.unwrap(), 0);
}

async fn api_tokens_are_revocable(s: &Store) {
    let (input, _) = UserDraft {
        email: "f@cedar.example".into(),
        name: "F".into(),
        role: "finance".into(),
        password: "long enough password".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let id = s.create_user(&admin(), &input, "h").await.unwrap();
    let user = s.users().await.unwrap().into_iter().find(|u| u.id == id).unwrap();
    let t = s.create_api_token(&user, "reporting", "tokhash").await.unwrap();
    assert_eq!(s.api_token_user("tokhash").await.unwrap().unwrap().id, id);
    assert!(s.api_tokens(id).await.unwrap()[0].last_used_at.is_some());
    s.revoke_api_token(&user, t).await.unwrap();
    assert!(s.api_token_user("tokhash").await.unwrap().is_none());
    assert!(matches!(s.revoke_api_token(&user, t).await, Err(StoreError::NotFound)));
}

async fn products_round_trip_with_their_facts(s: &Store) {
    let (v, c) = vendor_and_category(s).await;
    let input = product_draft("Fraction Forest", v, c).validate().unwrap();
    let id = s.create_product(&admin(), &input).await.unwrap();
    let p = s.product(id).await.unwrap();
    assert_eq!(p.product, input);
    assert_eq!((p.vendor_name.as_str(), p.category_name.as_str()), ("Numbersmith", "Math practice"));
    assert_eq!(p.launch_domain.as_deref(), Some("numbersmith.example"));
    let mut changed = input.clone();
    changed.sign_on = vec![SignOn::Microsoft];
    changed.status = ProductStatus::Retired;
    s.update_product(&admin(), id, &changed).await.unwrap();
    assert_eq!(s.product(id).await.unwrap().product, changed);

    let (district, a, b) = district_with_schools(s).await;
    changed.scope = Scope::SomeSchools;
    changed.scope_schools = vec![b, a];
    s.update_product(&admin(), id, &changed).await.unwrap();
    assert_eq!(
        s.product(id).await.unwrap().product.scope_schools.iter().copied().collect::<std::collections::BTreeSet<_>>(),
        [a, b].into()
    );
    changed.scope_schools = vec![district];
    assert!(matches!(
        s.update_product(&admin(), id, &changed).await,
        Err(StoreError::Invalid { field: "scope_schools", .. })
    ));
    changed.scope = Scope::SomeGrades;
    changed.scope_schools = vec![];
    changed.scope_grades = Some(GradeBand::parse("4-5").unwrap());
    s.update_product(&admin(), id, &changed).await.unwrap();
    assert_eq!(s.product(id).await.unwrap().product, changed);
}

async fn search_filters_sort_and_page(s: &Store) {
    let (v, c) = vendor_and_category(s).await;
    let reading = s
        .save_category(
            &admin(),
            None,
            &CategoryDraft { name: "Reading".into(), ..Default::default() }.validate().unwrap(),
        )
        .await
        .unwrap();
    for (name, grades, subject, cat) in [
        ("Fraction Forest", "3-5", "math", c),
        ("Algebra Arcade", "6-8", "math", c),
        ("Story Harbor", "K-2", "ela", reading),
    ] {
        let mut d = product_draft(name, v, cat);
        d.grades = grades.into();
        d.subjects = vec![subject.into()];
        d.description = format!("{name} for grades {grades}");
        s.create_product(&admin(), &d.validate().unwrap()).await.unwrap();
    }
    let names = |p: Page<Product>| p.items.into_iter().map(|p| p.product.name).collect::<Vec<_>>();
    let all = ProductFilter { per_page: 50, ..Default::default() };
    assert_eq!(names(s.products(&all).await.unwrap()), ["Algebra Arcade", "Fraction Forest", "Story Harbor"]);
    let q = |t: &str| ProductFilter { q: Some(t.into()), ..all.clone() };
    assert_eq!(names(s.products(&q("fract")).await.unwrap()), ["Fraction Forest"], "prefix search");
    assert_eq!(names(s.products(&q("numbersmith harbor")).await.unwrap()), ["Story Harbor"], "vendor and name words");
    assert!(s.products(&q("\"; DROP TABLE products; --")).await.unwrap().items.is_empty());
    let f =
        ProductFilter { subject: Some(Subject::Math), grades: Some(GradeBand::parse("5-6").unwrap()), ..all.clone() };
    assert_eq!(names(s.products(&f).await.unwrap()), ["Algebra Arcade", "Fraction Forest"]);
    let f = ProductFilter { vendor_id: Some(v), ..all.clone() };
    assert_eq!(s.products(&f).await.unwrap().total, 3);
    let f = ProductFilter { vendor_id: Some(v + 1000), ..all.clone() };
    assert_eq!(s.products(&f).await.unwrap().total, 0);
    let f = ProductFilter { category_id: Some(reading), ..all.clone() };
    assert_eq!(names(s.products(&f).await.unwrap()), ["Story Harbor"]);
    let f = ProductFilter { sort: ProductSort::Grades, descending: true, ..all.clone() };
    assert_eq!(names(s.products(&f).await.unwrap())[0], "Algebra Arcade");
    let page2 = s.products(&ProductFilter { per_page: 2, page: 2, ..all.clone() }).await.unwrap();
    assert_eq!((page2.total, page2.pages(), page2.items.len()), (3, 2, 1));
}

async fn a_failed_write_changes_nothing(s: &Store) {
    let (v, c) = vendor_and_category(s).await;
    let before = s.audit_entries(&AuditFilter { per_page: 100, ..Default::default() }).await.unwrap().total;
    let mut input = product_draft("Ghost", v, c).validate().unwrap();
    input.vendor_id = 4242;
    assert!(matches!(s.create_product(&admin(), &input).await, Err(StoreError::Invalid { field: "vendor_id", .. })));
    assert_eq!(s.products(&ProductFilter { per_page: 10, ..Default::default() }).await.unwrap().total, 0);
    assert_eq!(s.audit_entries(&AuditFilter { per_page: 100, ..Default::default() }).await.unwrap().total, before);
}

async fn contracts_scope_and_windows(s: &Store) {
    let (_, a, b) = district_with_schools(s).await;
    let (v, c) = vendor_and_category(s).await;
    let p = s.create_product(&admin(), &product_draft("Fraction Forest", v, c).validate().unwrap()).await.unwrap();
    let draft = |school: Option<i64>, end: &str| ContractDraft {
        product_id: p.to_string(),
        school_id: school.map(|s| s.to_string()).unwrap_or_default(),
        license_model: "per_seat".into(),
        seats: "30".into(),
        cost: "1,250.75".into(),
        start_date: "2026-01-01".into(),
        end_date: end.into(),
        notice_days: "30".into(),
        ..Default::default()
    };
    let ka = s.save_contract(&admin(), None, &draft(Some(a), "2026-12-31").validate().unwrap()).await.unwrap();
    s.save_contract(&admin(), None, &draft(Some(b), "2027-03-31").validate().unwrap()).await.unwrap();
    s.save_contract(&admin(), None, &draft(None, "2027-06-30").validate().unwrap()).await.unwrap();
    let k = s.contract(ka).await.unwrap();
    assert_eq!((k.contract.cost.minor, k.school_name.as_deref()), (125_075, Some("Alder Elementary")));
    assert_eq!(s.contracts(&ContractFilter::default()).await.unwrap().len(), 3);
    let mine =
        s.contracts(&ContractFilter { scope: Some(ContractScope::School(a)), ..Default::default() }).await.unwrap();
    assert_eq!(mine.iter().map(|k| k.id).collect::<Vec<_>>(), [ka]);
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let soon =
        ContractFilter { ends_from: Some(d("2026-11-23")), ends_until: Some(d("2027-02-21")), ..Default::default() };
    assert_eq!(s.contracts(&soon).await.unwrap().len(), 1);
    assert_eq!(s.product(p).await.unwrap().buying_schools, 2);
    let by = |f: ContractFilter| async move { s.contracts(&f).await.unwrap().len() };
    assert_eq!(by(ContractFilter { license_model: Some(LicenseModel::PerSeat), ..Default::default() }).await, 3);
    assert_eq!(by(ContractFilter { license_model: Some(LicenseModel::Site), ..Default::default() }).await, 0);
    assert_eq!(by(ContractFilter { funding_source: Some(FundingSource::GeneralFund), ..Default::default() }).await, 3);
    assert_eq!(by(ContractFilter { funding_source: Some(FundingSource::TitleI), ..Default::default() }).await, 0);
    assert_eq!(by(ContractFilter { school_id: Some(b), ..Default::default() }).await, 1);
    let mut bad = draft(Some(a), "2026-12-31").validate().unwrap();
    bad.school_id = Some(p + 1000);
    assert!(matches!(s.save_contract(&admin(), None, &bad).await, Err(StoreError::Invalid { field: "school_id", .. })));
    s.delete_contract(&admin(), ka).await.unwrap();
    assert!(matches!(s.contract(ka).await, Err(StoreError::NotFound)));
}

async fn owners_and_the_manager_flag(s: &Store) {
    let (v, c) = vendor_and_category(s).await;
    let p = s.create_product(&admin(), &product_draft("Fraction Forest", v, c).validate().unwrap()).await.unwrap();
    let unowned = ProductFilter { without_manager: true, per_page: 10, ..Default::default() };
    assert_eq!(s.products(&unowned).await.unwrap().total, 1);
    let o = OwnerDraft { role: "manager".into(), name: "Dana Ortiz".into(), email: "dana@cedar.example".into() }
        .validate()
        .unwrap();
    let oid = s.add_owner(&admin(), p, &o).await.unwrap();
    assert!(matches!(s.add_owner(&admin(), p, &o).await, Err(StoreError::Invalid { .. })));
    assert_eq!(s.products(&unowned).await.unwrap().total, 0);
    assert!(s.product(p).await.unwrap().has_manager);
    s.remove_owner(&admin(), p, oid).await.unwrap();
    assert!(s.owners(p).await.unwrap().is_empty());
}

async fn audit_records_before_and_after(s: &Store) {
    let (v, c) = vendor_and_category(s).await;
    let input = product_draft("Fraction Forest", v, c).validate().unwrap();
    let id = s.create_product(&Actor { user_id: None, label: "ana@cedar.example".into() }, &input).await.unwrap();
    let mut changed = input.clone();
    changed.name = "Fraction Forest Plus".into();
    s.update_product(&Actor { user_id: None, label: "ana@cedar.example".into() }, id, &changed).await.unwrap();
    let f = AuditFilter { entity: Some("product".into()), entity_id: Some(id), per_page: 10, ..Default::default() };
    let entries = s.audit_entries(&f).await.unwrap();
    assert_eq!(entries.total, 2);
    let update = &entries.items[0];
    assert_eq!((update.action.as_str(), update.actor.as_str()), ("update", "ana@cedar.example"));
    let changes = update.changes();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!((changes[0].before.as_str(), changes[0].after.as_str()), ("Fraction Forest", "Fraction Forest Plus"));
    let by_actor = AuditFilter { actor: Some("ANA@".into()), per_page: 10, ..Default::default() };
    assert_eq!(s.audit_entries(&by_actor).await.unwrap().total, 2);
    assert!(s.audit_tamper_is_refused().await, "the audit log refuses updates and deletes");
}

async fn concurrent_writes_all_land_with_their_audit_entries(s: &Store) {
    let (v, c) = vendor_and_category(s).await;
    let before = s.audit_entries(&AuditFilter { per_page: 1, ..Default::default() }).await.unwrap().total;
    let mut writes = tokio::task::JoinSet::new();
    for n in 0..24 {
        let (store, input) = (s.clone(), product_draft(&format!("Parallel Product {n:02}"), v, c).validate().unwrap());
        writes.spawn(async move { store.create_product(&admin(), &input).await });
    }
    let results = writes.join_all().await;
    let failed: Vec<_> = results.iter().filter(|r| r.is_err()).collect();
    assert!(failed.is_empty(), "every concurrent write lands: {failed:?}");
    assert_eq!(s.products(&ProductFilter { per_page: 100, ..Default::default() }).await.unwrap().total, 24);
    let after = s.audit_entries(&AuditFilter { per_page: 1, ..Default::default() }).await.unwrap().total;
    assert_eq!(after - before, 24, "one audit entry per write");
}

/// `sqlite::memory:` is one database, not one per pooled connection.
#[tokio::test]
async fn an_in_memory_sqlite_database_is_one_database() {
    let s = Store::connect("sqlite::memory:").await.unwrap();
    s.migrate().await.unwrap();
    let (v, c) = vendor_and_category(&s).await;
    let mut writes = tokio::task::JoinSet::new();
    for n in 0..8 {
        let (store, input) = (s.clone(), product_draft(&format!("Memory {n}"), v, c).validate().unwrap());
        writes.spawn(async move { store.create_product(&admin(), &input).await.unwrap() });
    }
    writes.join_all().await;
    assert_eq!(s.products(&ProductFilter { per_page: 20, ..Default::default() }).await.unwrap().total, 8);
}
