//! The OneRoster provider's storage contract, on SQLite and PostgreSQL: API clients, tokens and the access log;
//! roster reads with the minimization scope, filters, sort and paging in SQL; a product's scope from its facts.

use chrono::{Duration, Local};
use std::collections::BTreeMap;
use steward_core::access::RosterView;
use steward_core::contract::ContractDraft;
use steward_core::org::OrgDraft;
use steward_core::people::{CategoryDraft, VendorDraft};
use steward_core::product::ProductDraft;
use steward_interop::oneroster::rest::{parse_filter, Entity};
use steward_interop::oneroster::{data_columns, Record, Status, Version};
use steward_store::on_both_backends;
use steward_store::*;

on_both_backends!(
    clients_tokens_and_the_access_log,
    roster_reads_scope_filter_sort_and_page,
    roster_ids_in_order_and_records_by_id,
    a_products_scope_comes_from_its_facts
);

fn actor() -> Actor {
    Actor::system("test")
}

fn rec(file: &str, id: &str, values: &[(&str, &str)]) -> Record {
    let cols = data_columns(file);
    let mut vals = vec![None; cols.len()];
    for (c, v) in values {
        vals[cols.iter().position(|x| x == c).unwrap()] = Some((*v).to_owned());
    }
    Record {
        sourced_id: id.into(),
        status: Some(Status::Active),
        date_last_modified: Some("2026-05-01T10:00:00Z".parse().unwrap()),
        values: vals,
        extensions: BTreeMap::from([("metadata.x".to_owned(), "1".to_owned())]),
    }
}

/// Schools `sch-a` and `sch-b` with a class each; users `u1` (Ann, grade 03, at A), `u2` (bob_%, grade 04, at A),
/// `u3` (at B) and `u4` enrolled nowhere.
async fn roster(s: &Store) {
    let orgs = ["sch-a", "sch-b"].map(|id| rec("orgs", id, &[("name", id), ("type", "school")]));
    s.put_roster_records("orgs", &orgs).await.unwrap();
    let class = |id: &str, school: &str, grades: &str| {
        rec("classes", id, &[("title", id), ("schoolSourcedId", school), ("grades", grades), ("termSourcedIds", "t1")])
    };
    s.put_roster_records("classes", &[class("c-a", "sch-a", "03,04"), class("c-b", "sch-b", "03")]).await.unwrap();
    let user = |id: &str, name: &str, grade: &str| {
        rec(
            "users",
            id,
            &[("givenName", name), ("email", &format!("{id}@x.example")), ("grades", grade), ("enabledUser", "true")],
        )
    };
    let users = [user("u1", "Ann", "03"), user("u2", "bob_%", "04"), user("u3", "Cy", "03"), user("u4", "Dee", "03")];
    s.put_roster_records("users", &users).await.unwrap();
    let enr = |user: &str, class: &str| {
        rec(
            "enrollments",
            &format!("e-{user}"),
            &[("classSourcedId", class), ("userSourcedId", user), ("role", "student"), ("primary", "false")],
        )
    };
    s.put_roster_records("enrollments", &[enr("u1", "c-a"), enr("u2", "c-a"), enr("u3", "c-b")]).await.unwrap();
    let role = |user: &str, org: &str| {
        rec(
            "roles",
            &format!("r-{user}-{org}"),
            &[("userSourcedId", user), ("roleType", "primary"), ("role", "student"), ("orgSourcedId", org)],
        )
    };
    s.put_roster_records("roles", &[role("u1", "sch-a"), role("u1", "sch-b"), role("u2", "sch-a")]).await.unwrap();
}

fn scope(schools: &[&str], grade_codes: Option<&[&str]>) -> RosterScope {
    RosterScope {
        product_id: 0,
        view: RosterView {
            schools: vec![1],
            grades: None,
            user_columns: vec!["givenName", "grades"],
            ..Default::default()
        },
        schools: schools.iter().map(|s| (*s).to_owned()).collect(),
        grade_codes: grade_codes.map(|g| g.iter().map(|c| (*c).to_owned()).collect()),
    }
}

fn users_query(filter: Option<&steward_interop::oneroster::rest::Filter>) -> RosterQuery<'_> {
    RosterQuery { filter, limit: 10, ..RosterQuery::new(Entity::User, Version::V1_2) }
}

fn ids(p: &RosterPage) -> Vec<&str> {
    p.records.iter().map(|r| r.sourced_id.as_str()).collect()
}

async fn roster_reads_scope_filter_sort_and_page(s: &Store) {
    roster(s).await;
    let both = scope(&["sch-a", "sch-b"], None);
    let page = s.roster_list(&both, &users_query(None)).await.unwrap();
    assert_eq!((ids(&page), page.total), (vec!["u1", "u2", "u3"], 3));
    // Withheld columns never leave the database; kept ones round-trip.
    let u1 = &page.records[0];
    assert_eq!((u1.get("users", "givenName"), u1.get("users", "email")), (Some("Ann"), None));
    assert!(u1.extensions.is_empty(), "a user's extensions are withheld");
    assert_eq!(u1.date_last_modified.unwrap().to_rfc3339(), "2026-05-01T10:00:00+00:00");
    assert_eq!(page.roles["u1"].len(), 2);
    let only_a = scope(&["sch-a"], None);
    let page = s.roster_list(&only_a, &users_query(None)).await.unwrap();
    assert_eq!(ids(&page), vec!["u1", "u2"]);
    assert_eq!(page.roles["u1"].len(), 1, "roles at schools out of scope are not shown");
    assert_eq!(
        ids(&s.roster_list(&scope(&["sch-a", "sch-b"], Some(&["04"])), &users_query(None)).await.unwrap()),
        vec!["u2"]
    );
    assert_eq!(ids(&s.roster_list(&scope(&[], None), &users_query(None)).await.unwrap()), Vec::<&str>::new());
    for (f, want) in [
        ("givenName='ANN'", vec!["u1"]),
        ("givenName~'_%'", vec!["u2"]),
        ("givenName>'b'", vec!["u2", "u3"]),
        ("grades='03' OR givenName='cy'", vec!["u1", "u3"]),
        ("dateLastModified>='2026-05-01T10:00:00Z' AND givenName!='Ann'", vec!["u2", "u3"]),
        ("dateLastModified>'2026-05-01T10:00:00Z'", vec![]),
    ] {
        let filter = parse_filter(f).unwrap();
        let page = s.roster_list(&both, &users_query(Some(&filter))).await.unwrap();
        assert_eq!(ids(&page), want, "{f}");
    }
    let meta = parse_filter("metadata.x='1'").unwrap();
    let q = RosterQuery { entity: Entity::Class, filter: Some(&meta), ..users_query(None) };
    assert_eq!(ids(&s.roster_list(&both, &q).await.unwrap()), vec!["c-a", "c-b"]);
    let meta = parse_filter("metadata.x!='1'").unwrap();
    let q = RosterQuery { entity: Entity::Class, filter: Some(&meta), ..users_query(None) };
    assert!(s.roster_list(&both, &q).await.unwrap().records.is_empty());
    let meta = parse_filter("metadata.x='1'").unwrap();
    assert!(matches!(
        s.roster_list(&both, &users_query(Some(&meta))).await,
        Err(StoreError::Invalid { field: "filter", .. })
    ));
    let hidden = parse_filter("email~'x'").unwrap();
    assert!(matches!(
        s.roster_list(&both, &users_query(Some(&hidden))).await,
        Err(StoreError::Invalid { field: "filter", .. })
    ));
    let q = RosterQuery { sort: Some("givenName"), descending: true, limit: 2, offset: 1, ..users_query(None) };
    let page = s.roster_list(&both, &q).await.unwrap();
    assert_eq!((ids(&page), page.total), (vec!["u2", "u1"], 3));
    let q = RosterQuery {
        entity: Entity::Class,
        within: vec![Within::ListHas("termSourcedIds", "t1".into())],
        ..users_query(None)
    };
    assert_eq!(ids(&s.roster_list(&only_a, &q).await.unwrap()), vec!["c-a"]);
    // A term's sourcedId with a LIKE wildcard in it matches only itself in a class's list of terms.
    let terms = ["t1", "t_"].map(|id| rec("academicSessions", id, &[("title", id), ("type", "term")]));
    s.put_roster_records("academicSessions", &terms).await.unwrap();
    let q = RosterQuery {
        entity: Entity::AcademicSession,
        within: vec![Within::TermsAt("sch-a".into())],
        ..users_query(None)
    };
    assert_eq!(ids(&s.roster_list(&only_a, &q).await.unwrap()), vec!["t1"]);
    let one = s.roster_record(&both, Entity::Enrollment, Version::V1_2, "e-u3").await.unwrap();
    assert_eq!(one.records[0].get("enrollments", "primary"), Some("false"));
    assert!(matches!(
        s.roster_record(&only_a, Entity::Enrollment, Version::V1_2, "e-u3").await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.roster_count(&both, Entity::Enrollment).await.unwrap(), 3);
    // Putting a record again replaces it.
    s.put_roster_records("users", &[rec("users", "u1", &[("givenName", "Anne")])]).await.unwrap();
    let page = s.roster_record(&both, Entity::User, Version::V1_2, "u1").await.unwrap();
    assert_eq!(page.records[0].get("users", "givenName"), Some("Anne"));
}

async fn roster_ids_in_order_and_records_by_id(s: &Store) {
    roster(s).await;
    assert_eq!(s.roster_generation().await.unwrap(), 0, "no import yet");
    let both = scope(&["sch-a", "sch-b"], None);
    let all = |ids: &RosterIds| (0..ids.len()).map(|i| ids.get(i).unwrap().to_owned()).collect::<Vec<_>>();
    // The WHERE and ORDER BY of a page, without the page: the limit and offset are not the list's.
    let q = RosterQuery { limit: 1, offset: 2, ..users_query(None) };
    let listed = s.roster_ids(&both, &q, 1000).await.unwrap().unwrap();
    assert_eq!(all(&listed), vec!["u1", "u2", "u3"]);
    let q = RosterQuery { sort: Some("givenName"), descending: true, ..users_query(None) };
    assert_eq!(all(&s.roster_ids(&both, &q, 1000).await.unwrap().unwrap()), vec!["u3", "u2", "u1"]);
    let filter = parse_filter("grades='03'").unwrap();
    assert_eq!(all(&s.roster_ids(&both, &users_query(Some(&filter)), 1000).await.unwrap().unwrap()), vec!["u1", "u3"]);
    let hidden = parse_filter("email~'x'").unwrap();
    assert!(matches!(
        s.roster_ids(&both, &users_query(Some(&hidden)), 1000).await,
        Err(StoreError::Invalid { field: "filter", .. })
    ));
    // Past `most` bytes (two ids and their ends here), the list is not read whole.
    assert!(s.roster_ids(&both, &users_query(None), 2 * (2 + 4)).await.unwrap().is_none());
    assert_eq!(s.roster_ids(&both, &users_query(None), 3 * (2 + 4)).await.unwrap().unwrap().len(), 3);
    // Records by id come in the order asked, with withheld columns NULL and roles at visible schools only; an id
    // with no record is left out.
    let only_a = scope(&["sch-a"], None);
    let page = s.roster_by_ids(&only_a, Entity::User, &["u2", "nobody", "u1"]).await.unwrap();
    assert_eq!((ids(&page), page.total), (vec!["u2", "u1"], 3));
    let u1 = &page.records[1];
    assert_eq!((u1.get("users", "givenName"), u1.get("users", "email")), (Some("Ann"), None));
    assert!(u1.extensions.is_empty());
    assert_eq!(page.roles["u1"].len(), 1, "roles at schools out of scope are not shown");
    let many: Vec<String> = (0..1200).map(|i| format!("x{i}")).chain(["u3".to_owned()]).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(ids(&s.roster_by_ids(&both, Entity::User, &many).await.unwrap()), vec!["u3"], "a long list");
    assert!(s.roster_by_ids(&both, Entity::User, &[]).await.unwrap().records.is_empty());
}

async fn product(s: &Store, elements: &[&str], school_contract: Option<i64>, scope_schools: &[i64]) -> i64 {
    let v = s
        .save_vendor(
            &actor(),
            None,
            &VendorDraft { name: format!("V{}", elements.len()), ..Default::default() }.validate().unwrap(),
        )
        .await
        .unwrap();
    let c = s
        .save_category(
            &actor(),
            None,
            &CategoryDraft { name: format!("C{}", elements.len()), ..Default::default() }.validate().unwrap(),
        )
        .await
        .unwrap();
    let draft = ProductDraft {
        name: format!("P{}", elements.len()),
        vendor_id: v.to_string(),
        category_id: c.to_string(),
        grades: "K-12".into(),
        subjects: vec!["math".into()],
        status: "approved".into(),
        scope: if scope_schools.is_empty() { "district_wide" } else { "some_schools" }.into(),
        scope_schools: scope_schools.iter().map(|s| s.to_string()).collect(),
        data_elements: elements.iter().map(|e| (*e).to_owned()).collect(),
        dpa_status: "signed".into(),
        dpa_expires: "2030-01-01".into(),
        ..Default::default()
    };
    let p = s.create_product(&actor(), &draft.validate().unwrap()).await.unwrap();
    let today = Local::now().date_naive();
    let k = ContractDraft {
        product_id: p.to_string(),
        school_id: school_contract.map(|s| s.to_string()).unwrap_or_default(),
        license_model: "site".into(),
        cost: "10.00".into(),
        start_date: (today - Duration::days(10)).to_string(),
        end_date: (today + Duration::days(10)).to_string(),
        ..Default::default()
    };
    s.save_contract(&actor(), None, &k.validate().unwrap()).await.unwrap();
    p
}

async fn schools(s: &Store) -> (i64, i64) {
    let org = |kind: &str, parent: Option<i64>, name: &str, sid: &str| OrgDraft {
        kind: kind.into(),
        parent_id: parent.map(|p| p.to_string()).unwrap_or_default(),
        name: name.into(),
        sourced_id: sid.into(),
        ..Default::default()
    };
    let d = s.create_org(&actor(), &org("district", None, "D", "").validate().unwrap()).await.unwrap();
    let a = s.create_org(&actor(), &org("school", Some(d), "A", "sch-a").validate().unwrap()).await.unwrap();
    let b = s.create_org(&actor(), &org("school", Some(d), "B", "sch-b").validate().unwrap()).await.unwrap();
    (a, b)
}

async fn a_products_scope_comes_from_its_facts(s: &Store) {
    roster(s).await;
    let (a, b) = schools(s).await;
    let today = Local::now().date_naive();
    let district = product(s, &["name"], None, &[]).await;
    let sc = s.roster_scope(district, today).await.unwrap();
    assert_eq!(
        (sc.schools.clone(), sc.view.schools.clone()),
        (vec!["sch-a".to_owned(), "sch-b".to_owned()], vec![a, b])
    );
    let by_b = product(s, &["name", "email"], Some(b), &[]).await;
    let receipt = s.roster_receipt(by_b, today).await.unwrap();
    assert_eq!(receipt.scope.schools, vec!["sch-b"]);
    assert_eq!((receipt.users, receipt.classes, receipt.enrollments), (1, 1, 1));
    assert!(receipt.scope.view.user_columns.contains(&"email"));
    let narrowed = product(s, &["name", "email", "grade_level"], None, &[a]).await;
    assert_eq!(s.roster_scope(narrowed, today).await.unwrap().schools, vec!["sch-a"]);
    assert!(matches!(s.roster_scope(9999, today).await, Err(StoreError::NotFound)));
}

async fn clients_tokens_and_the_access_log(s: &Store) {
    let p = product(s, &["name"], None, &[]).await;
    let scopes = vec!["https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly".to_owned()];
    let new = NewApiClient {
        product_id: p,
        name: "Vendor sync",
        client_id: "cid-1",
        secret_hash: "$argon2id$x",
        scopes: &scopes,
    };
    let id = s.create_api_client(&actor(), &new).await.unwrap();
    assert!(matches!(s.create_api_client(&actor(), &new).await, Err(StoreError::Invalid { field: "client_id", .. })));
    let missing = NewApiClient { product_id: 9999, client_id: "cid-2", ..new.clone() };
    assert!(matches!(
        s.create_api_client(&actor(), &missing).await,
        Err(StoreError::Invalid { field: "product_id", .. })
    ));
    let (client, hash) = s.api_client_for_token("cid-1").await.unwrap().unwrap();
    assert_eq!(
        (client.id, client.name.as_str(), client.scopes.clone(), hash.as_str()),
        (id, "Vendor sync", scopes.clone(), "$argon2id$x")
    );
    assert!(s.api_client_for_token("nope").await.unwrap().is_none());
    let later = timestamp(chrono::Utc::now() + Duration::hours(1));
    let earlier = timestamp(chrono::Utc::now() - Duration::seconds(1));
    s.create_api_client_token(id, "live-digest", &scopes, &later).await.unwrap();
    s.create_api_client_token(id, "old-digest", &scopes, &earlier).await.unwrap();
    assert_eq!(s.api_caller("live-digest").await.unwrap(), Some(ApiCaller { client: id, product_id: p, scopes }));
    assert_eq!(s.api_caller("old-digest").await.unwrap(), None);
    assert_eq!(s.purge_expired_api_client_tokens().await.unwrap(), 1);
    let lines: Vec<ApiAccess> =
        (0..=ACCESS_LOG_PAGE).map(|i| ApiAccess::now(id, "GET", &format!("/p/{i}"), 200, i)).collect();
    s.log_api_access(&lines[..1]).await.unwrap();
    s.log_api_access(&lines[1..]).await.unwrap();
    let first = s.api_access_log(id, 1).await.unwrap();
    assert_eq!((first.total, first.items.len(), first.items[0].path.as_str()), (ACCESS_LOG_PAGE + 1, 50, "/p/50"));
    let second = s.api_access_log(id, 2).await.unwrap();
    assert_eq!(second.items.iter().map(|e| (e.path.as_str(), e.rows_returned)).collect::<Vec<_>>(), vec![("/p/0", 0)]);
    assert_eq!(s.api_clients_for_product(p).await.unwrap().len(), 1);
}
