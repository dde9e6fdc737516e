//! The heart of the provider: each product's clients see exactly their slice of the roster and only the fields
//! their product declares; scopes are enforced per endpoint; every request is in the client's access log.

use super::*;

const NARROW: Product = Product {
    name: "Narrow",
    status: "approved_with_conditions",
    scope: "some_schools",
    scope_schools: &[0],
    scope_grades: "",
    elements: &["name"],
    contracts: &[(None, 200)],
};

/// Grade 3 only, licensed by schools A and B (C's contract has ended).
const GRADES: Product = Product {
    name: "Grades",
    status: "approved",
    scope: "some_grades",
    scope_schools: &[],
    scope_grades: "3-3",
    elements: &["grade_level"],
    contracts: &[(Some(0), 200), (Some(1), 200), (Some(2), -10)],
};

async fn ids(env: &Env, t: &str, path: &str, key: &str) -> Vec<String> {
    let a = env.get(t, path).await;
    assert_eq!(a.status, 200, "{path}: {}", a.body);
    a.ids(key)
}

#[tokio::test]
async fn some_schools_and_declared_fields_only() {
    let env = Env::new().await;
    let c = env.client(NARROW).await;
    let t = env.token(&c, &all_scopes()).await;
    assert_eq!(ids(&env, &t, &format!("{V12}/orgs"), "orgs").await, v(&["sch-a"]));
    assert_eq!(ids(&env, &t, &format!("{V12}/classes"), "classes").await, v(&["cls-a3", "cls-a7"]));
    assert_eq!(ids(&env, &t, &format!("{V12}/courses"), "courses").await, v(&["crs-m3", "crs-m7"]));
    assert_eq!(ids(&env, &t, &format!("{V12}/users"), "users").await, v(&["stu-a3", "stu-a7", "tch-a"]));
    assert_eq!(ids(&env, &t, &format!("{V12}/enrollments"), "enrollments").await.len(), 4);
    assert_eq!(ids(&env, &t, &format!("{GB12}/lineItems"), "lineItems").await, v(&["li-a3"]));
    // Resources of its classes (rsc-1) and courses (rsc-2), not of a school out of scope's student (rsc-3).
    let resources = "/ims/oneroster/resources/v1p2/resources";
    assert_eq!(ids(&env, &t, resources, "resources").await, v(&["rsc-1", "rsc-2"]));
    // Nothing declared covers demographics or scores: the collections are empty.
    assert!(ids(&env, &t, &format!("{V12}/demographics"), "demographics").await.is_empty());
    assert!(ids(&env, &t, &format!("{GB12}/results"), "results").await.is_empty());
    let u = env.get(&t, &format!("{V12}/users/stu-a3")).await.body["user"].clone();
    assert_eq!(fields(&u), NAME_ONLY_USER);
    // Withheld fields can't be filtered on (no oracle), nor sorted by.
    let a = env.get(&t, &format!("{V12}/users?filter=email~%27stu%27")).await;
    assert_eq!((a.status, a.minor()), (400, "invalid_filter_field"));
    let a = env.get(&t, &format!("{V12}/users?sort=email&orderBy=desc")).await;
    assert_eq!(a.ids("users"), v(&["tch-a", "stu-a7", "stu-a3"]));
    for path in ["/users/stu-b3", "/schools/sch-b", "/schools/sch-b/classes", "/classes/cls-b3/students"] {
        let a = env.get(&t, &format!("{V12}{path}")).await;
        assert_eq!((a.status, a.minor()), (404, "unknownobject"), "{path}");
    }
    let receipt = env.store.roster_receipt(c.product, chrono::Local::now().date_naive()).await.unwrap();
    assert_eq!(receipt.schools.iter().map(|s| s.org.name.as_str()).collect::<Vec<_>>(), vec!["Alder Elementary"]);
    assert_eq!((receipt.users, receipt.classes, receipt.enrollments), (3, 2, 4));
    assert_eq!(receipt.scope.schools, v(&["sch-a"]));
    assert!(
        receipt.scope.view.user_columns.contains(&"givenName") && !receipt.scope.view.user_columns.contains(&"email")
    );
}

#[tokio::test]
async fn some_grades_sees_only_classes_and_students_of_those_grades_at_licensed_schools() {
    let env = Env::new().await;
    let c = env.client(GRADES).await;
    let t = env.token(&c, &all_scopes()).await;
    assert_eq!(ids(&env, &t, &format!("{V12}/schools"), "orgs").await, v(&["sch-a", "sch-b"]));
    assert_eq!(ids(&env, &t, &format!("{V12}/classes"), "classes").await, v(&["cls-a3", "cls-b3"]));
    assert_eq!(ids(&env, &t, &format!("{V12}/courses"), "courses").await, v(&["crs-m3"]));
    assert_eq!(ids(&env, &t, &format!("{V12}/users"), "users").await, v(&["stu-a3", "stu-b3", "tch-a", "tch-b"]));
    assert_eq!(
        ids(&env, &t, &format!("{V12}/enrollments"), "enrollments").await,
        v(&["e-stu-a3-cls-a3", "e-stu-b3-cls-b3", "e-tch-a-cls-a3", "e-tch-b-cls-b3"])
    );
    assert_eq!(ids(&env, &t, &format!("{V12}/teachers/tch-a/classes"), "classes").await, v(&["cls-a3"]));
    let u = env.get(&t, &format!("{V12}/users/stu-b3")).await.body["user"].clone();
    assert_eq!(u["grades"], serde_json::json!(["03"]));
    assert!(u.get("givenName").is_none() && u.get("email").is_none() && u.get("identifier").is_none());
    assert_eq!(env.get(&t, &format!("{V12}/users/stu-a7")).await.status, 404);
}

#[tokio::test]
async fn unapproved_or_unlicensed_products_see_nothing() {
    let env = Env::new().await;
    let unapproved = env.client(Product { name: "Pending", status: "in_review", ..WIDE }).await;
    let unlicensed = env.client(Product { name: "Lapsed", contracts: &[(None, -1)], ..WIDE }).await;
    for c in [unapproved, unlicensed] {
        let t = env.token(&c, &all_scopes()).await;
        for (path, key) in [
            (format!("{V12}/orgs"), "orgs"),
            (format!("{V12}/academicSessions"), "academicSessions"),
            (format!("{V12}/users"), "users"),
            (format!("{V12}/classes"), "classes"),
            (format!("{V12}/enrollments"), "enrollments"),
            (format!("{GB12}/lineItems"), "lineItems"),
            (format!("{V11}/users"), "users"),
        ] {
            let a = env.get(&t, &path).await;
            assert_eq!((a.status, a.ids(key).len()), (200, 0), "{} {path}", c.client_id);
            assert_eq!(a.header("x-total-count").as_deref(), Some("0"));
            assert_eq!(a.header("link"), None);
        }
        let a = env.get(&t, &format!("{V12}/users/stu-a3")).await;
        assert_eq!((a.status, a.minor()), (404, "unknownobject"));
    }
}

#[tokio::test]
async fn scopes_are_enforced_per_endpoint() {
    let env = Env::new().await;
    let c = env.client(WIDE).await;
    let core = env.token(&c, &v(&[&format!("{SCOPE}roster-core.readonly")])).await;
    for path in [
        format!("{V12}/demographics"),
        format!("{V12}/demographics/stu-a3"),
        format!("{GB12}/results"),
        format!("{V11}/users"),
    ] {
        let a = env.get(&core, &path).await;
        assert_eq!((a.status, a.minor()), (403, "forbidden"), "{path}");
    }
    assert_eq!(env.get(&core, &format!("{V12}/users")).await.status, 200);
    let demo = env.token(&c, &v(&[&format!("{SCOPE}roster-demographics.readonly")])).await;
    assert_eq!(ids(&env, &demo, &format!("{V12}/demographics"), "demographics").await, v(&["stu-a3", "stu-b3"]));
    assert_eq!(env.get(&demo, &format!("{V12}/users")).await.status, 403);
    let v11 = env.token(&c, &v(&[&format!("{SCOPE11}roster.readonly")])).await;
    assert_eq!(ids(&env, &v11, &format!("{V11}/demographics"), "demographics").await.len(), 2);
    assert_eq!(env.get(&v11, &format!("{V12}/users")).await.status, 403);
}

#[tokio::test]
async fn demographic_fields_follow_their_elements() {
    let env = Env::new().await;
    let born = env.client(Product { name: "Born", elements: &["date_of_birth"], ..WIDE }).await;
    let t = env.token(&born, &all_scopes()).await;
    let d = env.get(&t, &format!("{V12}/demographics/stu-a3")).await.body["demographics"].clone();
    assert_eq!(d["birthDate"], "2018-04-05");
    assert!(d.get("sex").is_none() && d.get("asian").is_none() && d.get("metadata").is_none());
    let demo = env.client(Product { name: "Demo", elements: &["demographics"], ..WIDE }).await;
    let t = env.token(&demo, &all_scopes()).await;
    let d = env.get(&t, &format!("{V12}/demographics/stu-a3")).await.body["demographics"].clone();
    assert_eq!((d["sex"].as_str(), d.get("birthDate")), (Some("female"), None));
}

#[tokio::test]
async fn every_request_is_in_the_clients_access_log() {
    let env = Env::new().await;
    let c = env.client(WIDE).await;
    let other = env.client(NARROW).await;
    let t = env.token(&c, &v(&[&format!("{SCOPE}roster-core.readonly")])).await;
    env.get(&t, &format!("{V12}/users?limit=2&filter=status%3D%27active%27")).await;
    env.get(&t, &format!("{V12}/users/nope")).await;
    env.get(&t, &format!("{V12}/demographics")).await;
    env.get(&t, &format!("{V12}/classes/cls-a3")).await;
    // Lines are written behind the answers; whatever shows the log flushes them first.
    env.server.state.access_log.flush().await;
    let log = env.store.api_access_log(c.client, 1).await.unwrap();
    assert_eq!(log.total, 4);
    let seen: Vec<(&str, &str, i64, i64)> =
        log.items.iter().map(|e| (e.method.as_str(), e.path.as_str(), e.status, e.rows_returned)).collect();
    assert_eq!(
        seen,
        vec![
            ("GET", "/ims/oneroster/rostering/v1p2/classes/cls-a3", 200, 1),
            ("GET", "/ims/oneroster/rostering/v1p2/demographics", 403, 0),
            ("GET", "/ims/oneroster/rostering/v1p2/users/nope", 404, 0),
            ("GET", "/ims/oneroster/rostering/v1p2/users", 200, 2),
        ]
    );
    assert_eq!(env.store.api_access_log(other.client, 1).await.unwrap().total, 0);
}
