//! Key facts of access: school admins, teachers and students, with what the pages show them.

use super::*;

// ---------------------------------------------------------------------------------------------------------------
// Key facts of the matrix, with the pages' contents.
// ---------------------------------------------------------------------------------------------------------------

pub(crate) fn contract_fields<'a>(
    product: &'a str,
    school: &'a str,
    end: &'a str,
    start: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("product_id", product),
        ("school_id", school),
        ("license_model", "site"),
        ("cost", "5000.00"),
        ("currency", "USD"),
        ("start_date", start),
        ("end_date", end),
        ("funding_source", "general_fund"),
        ("notice_days", "30"),
    ]
}

pub(crate) fn link(path: &str) -> String {
    format!("href=\"{path}\"")
}

#[tokio::test]
async fn a_school_admin_sees_and_edits_only_their_schools_contracts() {
    let app = TestApp::new().await;
    let s = app.seed.clone();
    let sa = app.session_for(SchoolAdmin).await;
    let (a, b, d) = (
        format!("/contracts/{}", s.contract_a),
        format!("/contracts/{}", s.contract_b),
        format!("/contracts/{}", s.contract_district),
    );

    let (status, list) = sa.get_text("/contracts").await;
    assert_eq!(status, 200);
    assert!(list.contains(&link(&a)), "school A's contract is listed");
    assert!(!list.contains(&link(&b)) && !list.contains(&link(&d)), "school B's and the district's are not");
    assert!(!list.contains(SCHOOL_B_NAME));
    assert_eq!(sa.get(&a).await.status(), 200);
    assert_eq!(sa.get(&format!("{a}/edit")).await.status(), 200);
    for path in [&b, &format!("{b}/edit"), &d, &format!("{d}/edit")] {
        assert_eq!(sa.get(path).await.status(), 403, "{path}");
    }
    let (_, spend) = sa.get_text("/spend").await;
    assert!(spend.contains(SCHOOL_A_NAME) && !spend.contains(SCHOOL_B_NAME) && !spend.contains("District purchase"));
    let (_, product) = sa.get_text(&format!("/products/{}", s.approved)).await;
    assert!(product.contains(&link(&a)) && !product.contains(&link(&d)), "the product page shows only their contract");

    // The new-contract form offers their school only, not school B nor the district.
    let (_, form) = sa.get_text("/contracts/new").await;
    assert!(form.contains(&format!("<option value=\"{}\" selected>", s.school_a)), "school A is chosen");
    assert!(!form.contains(&format!("<option value=\"{}\"", s.school_b)) && !form.contains("The district"));

    let (start, end) = ((today() - Duration::days(10)).to_string(), (today() + Duration::days(300)).to_string());
    let product_id = s.approved.to_string();
    let (sa_id, sb_id) = (s.school_a.to_string(), s.school_b.to_string());

    // Editing their own contract works and is stored.
    let mut fields = contract_fields(&product_id, &sa_id, &end, &start);
    fields.push(("notes", "renegotiated by the school"));
    let res = sa.submit(&format!("{a}/edit"), &a, &fields).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res).unwrap(), format!("{a}?notice=updated"));
    assert_eq!(
        app.store.contract(s.contract_a).await.unwrap().contract.notes.as_deref(),
        Some("renegotiated by the school")
    );

    // School B's contract can't be changed, moved to or deleted; nor can a contract be created at school B.
    let before = app.audit_count().await;
    let contracts_before = app.store.contracts(&Default::default()).await.unwrap().len();
    let csrf = sa.csrf_token("/contracts").await;
    let mut to_b = vec![("csrf_token", csrf.as_str())];
    to_b.extend(contract_fields(&product_id, &sb_id, &end, &start));
    assert_eq!(sa.post(&b, &to_b).await.status(), 403, "changing school B's contract");
    assert_eq!(sa.post("/contracts", &to_b).await.status(), 403, "creating a contract at school B");
    assert_eq!(sa.post(&a, &to_b).await.status(), 403, "moving their contract to school B");
    let mut to_district = vec![("csrf_token", csrf.as_str())];
    to_district.extend(contract_fields(&product_id, "", &end, &start));
    assert_eq!(sa.post("/contracts", &to_district).await.status(), 403, "creating a district contract");
    assert_eq!(sa.post(&format!("{b}/delete"), &[("csrf_token", &csrf)]).await.status(), 403);
    assert_eq!(sa.post(&format!("{d}/delete"), &[("csrf_token", &csrf)]).await.status(), 403);
    assert_eq!(app.audit_count().await, before, "nothing was changed");
    assert_eq!(app.store.contracts(&Default::default()).await.unwrap().len(), contracts_before);
    assert_eq!(app.store.contract(s.contract_a).await.unwrap().contract.school_id, Some(s.school_a));
    assert_eq!(app.store.contract(s.contract_b).await.unwrap().contract.school_id, Some(s.school_b));
}

#[tokio::test]
async fn a_teacher_reads_the_catalog_and_nothing_of_contracts_money() {
    let app = TestApp::new().await;
    let s = app.seed.clone();
    let teacher = Session::new(&app.base);
    let res = teacher.sign_in(&email_of(Teacher), PASSWORD, "/").await;
    assert_eq!(location(&res).as_deref(), Some("/catalog"), "teachers land on the catalog");

    let (status, catalog) = teacher.get_text("/catalog").await;
    assert_eq!(status, 200);
    assert!(catalog.contains(APPROVED_NAME) && !catalog.contains(IN_REVIEW_NAME), "only approved products");
    let (status, entry) = teacher.get_text(&format!("/catalog/{}", s.approved)).await;
    assert_eq!(status, 200);
    assert!(entry.contains(APPROVED_NAME));
    // Whether a contract id exists is not revealed either: a real one and a made-up one get the same answer.
    for id in [s.contract_a, 999_999] {
        assert_eq!(teacher.get(&format!("/contracts/{id}")).await.status(), 403, "contract {id}");
        assert_eq!(teacher.get(&format!("/contracts/{id}/edit")).await.status(), 403, "contract {id}");
    }
    for (page, html) in [("catalog", &catalog), ("catalog entry", &entry)] {
        assert!(!html.contains('$'), "the {page} shows money");
        assert!(!html.contains("12,000"), "the {page} shows a contract's cost");
    }
    for money in ["/contracts", "/spend", "/renewals", "/products", "/products.csv", "/contracts/new"] {
        assert_eq!(teacher.get(money).await.status(), 403, "{money}");
    }
    for contract in [s.contract_a, s.contract_b, s.contract_district] {
        assert_eq!(teacher.get(&format!("/contracts/{contract}")).await.status(), 403);
    }
    assert_eq!(location(&teacher.get("/").await).as_deref(), Some("/catalog"));
    for hidden in ["/contracts", "/spend", "/renewals", "/products", "/audit", "/users"] {
        assert!(!catalog.contains(&link(hidden)), "the navigation links to {hidden}");
    }
    assert!(catalog.contains(&link("/account/tokens")), "teachers manage their own API tokens");
}

/// The catalog shows "no money, no contracts" (steward_core::access::Action::ReadCatalog): its filters must not
/// reveal which schools hold a contract for a product.
#[tokio::test]

async fn the_catalog_reveals_no_schools_purchases() {
    let app = TestApp::new().await;
    let s = app.seed.clone();
    let draft = steward_core::product::ProductDraft {
        name: "Tide Pools".into(),
        vendor_id: s.vendor.to_string(),
        category_id: s.category.to_string(),
        grades: "3-5".into(),
        subjects: vec!["science".into()],
        status: "approved".into(),
        ..Default::default()
    };
    let only_b = app.store.create_product(&seed_actor(), &draft.validate().unwrap()).await.unwrap();
    app.make_contract(only_b, Some(s.school_b), 200).await;
    let student = app.session_for(Student).await;
    let (_, all) = student.get_text("/catalog").await;
    let (_, at_a) = student.get_text(&format!("/catalog?school={}", s.school_a)).await;
    let (_, at_b) = student.get_text(&format!("/catalog?school={}", s.school_b)).await;
    assert!(all.contains("Tide Pools"));
    assert_eq!(at_a.contains("Tide Pools"), at_b.contains("Tide Pools"), "the catalog tells which school bought it");
}

#[tokio::test]
async fn a_student_reaches_no_staff_page() {
    let app = TestApp::new().await;
    let s = app.seed.clone();
    let student = app.session_for(Student).await;
    let (status, catalog) = student.get_text("/catalog").await;
    assert_eq!(status, 200);
    assert!(!catalog.contains('$'));
    let nav: Vec<&str> = [
        "/products",
        "/contracts",
        "/renewals",
        "/spend",
        "/vendors",
        "/categories",
        "/organizations",
        "/users",
        "/audit",
        "/account/tokens",
    ]
    .into_iter()
    .filter(|p| catalog.contains(&link(p)))
    .collect();
    assert!(nav.is_empty(), "a student's navigation links to {nav:?}");
    let staff = [
        "/products".to_string(),
        "/products.csv".into(),
        "/products/new".into(),
        format!("/products/{}", s.approved),
        "/contracts".into(),
        format!("/contracts/{}", s.contract_a),
        "/renewals".into(),
        "/spend".into(),
        "/vendors".into(),
        "/categories".into(),
        "/organizations".into(),
        "/users".into(),
        "/audit".into(),
        "/account/tokens".into(),
    ];
    for page in &staff {
        assert_eq!(student.get(page).await.status(), 403, "{page}");
    }
    assert_eq!(location(&student.get("/").await).as_deref(), Some("/catalog"));
}

#[tokio::test]
async fn a_deactivated_account_is_signed_out_and_cannot_sign_in() {
    let app = TestApp::new().await;
    let admin = app.session_for(DistrictAdmin).await;
    let teacher = app.session_for(Teacher).await;
    assert_eq!(teacher.get("/catalog").await.status(), 200);
    let own = format!("/users/{}/active", app.user(DistrictAdmin));
    assert_eq!(admin.submit("/users", &own, &[("active", "false")]).await.status(), 400, "nobody locks themselves out");
    let theirs = format!("/users/{}/active", app.user(Teacher));
    assert_eq!(admin.submit("/users", &theirs, &[("active", "false")]).await.status(), 303);
    assert_eq!(teacher.get("/catalog").await.status(), 303, "the teacher's session ended");
    let again = Session::new(&app.url(""));
    assert_eq!(again.sign_in(&email_of(Teacher), PASSWORD, "/").await.status(), 401, "and they cannot sign in");
    let (_, users) = admin.get_text("/users").await;
    assert!(users.contains("Deactivated"));
    let (_, audit) = admin.get_text("/audit?action=deactivate").await;
    assert!(audit.contains("deactivated account"), "the change is audited");
}

#[tokio::test]
async fn a_changed_role_applies_at_once_and_admins_keep_their_own() {
    let app = TestApp::new().await;
    let admin = app.session_for(DistrictAdmin).await;
    let teacher = app.session_for(Teacher).await;
    assert_eq!(teacher.get("/contracts").await.status(), 403);
    let school_a = app.seed.school_a.to_string();
    let form = |role: &'static str| {
        [
            ("email", email_of(Teacher)),
            ("name", "Promoted Teacher".to_owned()),
            ("role", role.to_owned()),
            ("school_id", school_a.clone()),
        ]
    };
    let fields = form("school_admin");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let teacher_id = app.user(Teacher);
    let r = admin.submit(&format!("/users/{teacher_id}/edit"), &format!("/users/{teacher_id}"), &fields).await;
    assert_eq!(r.status(), 303);
    assert_eq!(teacher.get("/contracts").await.status(), 200, "the new role applies to the open session");
    let (_, audit) = admin.get_text("/audit?entity=user&action=update").await;
    assert!(audit.contains("teacher") && audit.contains("school_admin"), "before and after are audited");

    let own = app.user(DistrictAdmin);
    let mine = [
        ("email", email_of(DistrictAdmin)),
        ("name", "Me".to_owned()),
        ("role", "finance".to_owned()),
        ("school_id", String::new()),
    ];
    let mine: Vec<(&str, &str)> = mine.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = admin.submit(&format!("/users/{own}/edit"), &format!("/users/{own}"), &mine).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("you cannot change your own role"));
}
