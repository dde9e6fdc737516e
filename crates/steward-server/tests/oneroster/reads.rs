//! Every endpoint answers an authorised client, nested endpoints return their members, records have the spec's
//! JSON shape in 1.2 and 1.1, and unknown ids are 404 `unknownobject`.

use super::*;

const ORIGIN: &str = "http://127.0.0.1:8080";

#[tokio::test]
async fn every_collection_answers_with_exactly_the_visible_records() {
    collections(wide().await).await;
}

#[tokio::test]
async fn nested_endpoints_return_their_members() {
    nested(wide().await).await;
}

/// The same reads on PostgreSQL: every endpoint's SQL on the other backend.
#[tokio::test]
async fn every_endpoint_on_postgres() {
    let Some(db) = steward_store::testing::TestDb::postgres().await else { return };
    let (env, c, t) = wide_on(db).await;
    collections((env, c, t.clone())).await;
    let Some(db) = steward_store::testing::TestDb::postgres().await else { return };
    nested(wide_on(db).await).await;
}

async fn collections((env, _, t): (Env, Client, String)) {
    let cases: &[(&str, &str, &[&str])] = &[
        ("/orgs", "orgs", &["sch-a", "sch-b", "sch-c"]),
        ("/schools", "orgs", &["sch-a", "sch-b", "sch-c"]),
        ("/academicSessions", "academicSessions", &["gp1", "term1", "y2026"]),
        ("/terms", "academicSessions", &["term1"]),
        ("/gradingPeriods", "academicSessions", &["gp1"]),
        ("/courses", "courses", &["crs-m3", "crs-m7"]),
        ("/classes", "classes", &["cls-a3", "cls-a7", "cls-b3", "cls-c3"]),
        ("/users", "users", &["stu-a3", "stu-a7", "stu-b3", "stu-c3", "tch-a", "tch-b"]),
        ("/students", "users", &["stu-a3", "stu-a7", "stu-b3", "stu-c3"]),
        ("/teachers", "users", &["tch-a", "tch-b"]),
        ("/demographics", "demographics", &["stu-a3", "stu-b3"]),
    ];
    for version in [V12, V11] {
        for (path, key, want) in cases {
            let a = env.get(&t, &format!("{version}{path}")).await;
            assert_eq!(a.status, 200, "{version}{path}: {}", a.body);
            assert_eq!(a.ids(key), v(want), "{version}{path}");
            assert_eq!(a.header("x-total-count"), Some(want.len().to_string()), "{version}{path}");
        }
        let a = env.get(&t, &format!("{version}/enrollments")).await;
        assert_eq!(a.ids("enrollments").len(), 7);
    }
    let gradebook: &[(&str, &str, &[&str])] = &[
        ("/categories", "categories", &["cat-hw"]),
        ("/lineItems", "lineItems", &["li-a3", "li-b3"]),
        ("/results", "results", &["res-a3", "res-b3"]),
        ("/scoreScales", "scoreScales", &["ss-a3"]),
    ];
    for (path, key, want) in gradebook {
        let a = env.get(&t, &format!("{GB12}{path}")).await;
        assert_eq!(a.ids(key), v(want), "{path}");
        if *path != "/scoreScales" {
            assert_eq!(env.get(&t, &format!("{V11}{path}")).await.ids(key), v(want), "1.1 {path}");
        }
    }
    assert_eq!(env.get(&t, &format!("{V11}/scoreScales")).await.status, 404, "1.1 has no score scales");
    let a = env.get(&t, "/ims/oneroster/resources/v1p2/resources").await;
    assert_eq!(a.ids("resources"), v(&["rsc-1", "rsc-2", "rsc-3"]));
    assert_eq!(a.body["resources"][0]["roles"], serde_json::json!(["student", "teacher"]));
}

async fn nested((env, _, t): (Env, Client, String)) {
    let cases: &[(&str, &str, &[&str])] = &[
        ("/schools/sch-a/classes", "classes", &["cls-a3", "cls-a7"]),
        ("/schools/sch-a/students", "users", &["stu-a3", "stu-a7"]),
        ("/schools/sch-a/teachers", "users", &["tch-a"]),
        ("/schools/sch-b/courses", "courses", &["crs-m3"]),
        (
            "/schools/sch-a/enrollments",
            "enrollments",
            &["e-stu-a3-cls-a3", "e-stu-a7-cls-a7", "e-tch-a-cls-a3", "e-tch-a-cls-a7"],
        ),
        ("/schools/sch-a/terms", "academicSessions", &["term1"]),
        ("/schools/sch-a/classes/cls-a3/students", "users", &["stu-a3"]),
        ("/schools/sch-a/classes/cls-a3/teachers", "users", &["tch-a"]),
        ("/schools/sch-a/classes/cls-a3/enrollments", "enrollments", &["e-stu-a3-cls-a3", "e-tch-a-cls-a3"]),
        ("/classes/cls-a7/students", "users", &["stu-a7"]),
        ("/classes/cls-a7/teachers", "users", &["tch-a"]),
        ("/courses/crs-m3/classes", "classes", &["cls-a3", "cls-b3", "cls-c3"]),
        ("/students/stu-a3/classes", "classes", &["cls-a3"]),
        ("/teachers/tch-a/classes", "classes", &["cls-a3", "cls-a7"]),
        ("/users/tch-b/classes", "classes", &["cls-b3"]),
        ("/terms/term1/classes", "classes", &["cls-a3", "cls-a7", "cls-b3", "cls-c3"]),
        ("/terms/term1/gradingPeriods", "academicSessions", &["gp1"]),
    ];
    for (path, key, want) in cases {
        let a = env.get(&t, &format!("{V12}{path}")).await;
        assert_eq!(a.status, 200, "{path}: {}", a.body);
        assert_eq!(a.ids(key), v(want), "{path}");
    }
    let gradebook: &[(&str, &str, &[&str])] = &[
        ("/classes/cls-a3/lineItems", "lineItems", &["li-a3"]),
        ("/classes/cls-a3/results", "results", &["res-a3"]),
        ("/classes/cls-a3/categories", "categories", &["cat-hw"]),
        ("/classes/cls-a3/scoreScales", "scoreScales", &["ss-a3"]),
        ("/classes/cls-a3/lineItems/li-a3/results", "results", &["res-a3"]),
        ("/classes/cls-b3/students/stu-b3/results", "results", &["res-b3"]),
        ("/schools/sch-b/lineItems", "lineItems", &["li-b3"]),
        ("/schools/sch-a/scoreScales", "scoreScales", &["ss-a3"]),
    ];
    for (path, key, want) in gradebook {
        let a = env.get(&t, &format!("{GB12}{path}")).await;
        assert_eq!(a.ids(key), v(want), "{path}");
    }
    // A parent that does not exist, is of another kind, or does not hold the child is unknown.
    for path in [
        "/schools/nope/classes",
        "/schools/dist/classes",
        "/schools/sch-b/classes/cls-a3/students",
        "/students/tch-a/classes",
        "/terms/gp1/classes",
        "/classes/nope/students",
    ] {
        let a = env.get(&t, &format!("{V12}{path}")).await;
        assert_eq!((a.status, a.minor()), (404, "unknownobject"), "{path}");
    }
    let resources: &[(&str, &[&str])] = &[
        ("/classes/cls-a3/resources", &["rsc-1"]),
        ("/classes/cls-b3/resources", &[]),
        ("/courses/crs-m7/resources", &["rsc-2"]),
        ("/users/stu-c3/resources", &["rsc-3"]),
    ];
    for (path, want) in resources {
        assert_eq!(
            env.get(&t, &format!("/ims/oneroster/resources/v1p2{path}")).await.ids("resources"),
            v(want),
            "{path}"
        );
        assert_eq!(env.get(&t, &format!("{V11}{path}")).await.ids("resources"), v(want), "1.1 {path}");
    }
    let a = env.get(&t, "/ims/oneroster/resources/v1p2/users/nope/resources").await;
    assert_eq!((a.status, a.minor()), (404, "unknownobject"));
    let a = env.get(&t, &format!("{GB12}/classes/cls-b3/lineItems/li-a3/results")).await;
    assert_eq!((a.status, a.minor()), (404, "unknownobject"));
}

#[tokio::test]
async fn single_records_have_the_spec_shape() {
    let (env, _, t) = wide().await;
    let a = env.get(&t, &format!("{V12}/classes/cls-a3")).await;
    let c = &a.body["class"];
    assert_eq!(c["sourcedId"], "cls-a3");
    assert_eq!(c["status"], "active");
    assert_eq!(c["dateLastModified"], "2026-07-01T00:00:00.000Z");
    assert_eq!(c["metadata"], serde_json::json!({"note": "about cls-a3"}));
    assert_eq!(c["subjects"], serde_json::json!(["Math", "Numeracy"]));
    let school = serde_json::json!({"href": format!("{ORIGIN}{V12}/orgs/sch-a"), "sourcedId": "sch-a", "type": "org"});
    assert_eq!(c["school"], school);
    assert_eq!(c["terms"][0]["href"], format!("{ORIGIN}{V12}/academicSessions/term1"));
    let u = env.get(&t, &format!("{V12}/users/stu-a3")).await.body["user"].clone();
    assert_eq!(u["enabledUser"], true);
    assert_eq!(u["givenName"], "Givenstua3");
    assert_eq!(u["preferredFirstName"], "Pref");
    assert_eq!(u["userIds"], serde_json::json!([{"type": "SIS", "identifier": "stua3"}]));
    assert_eq!(u["grades"], serde_json::json!(["03"]));
    assert_eq!(u["roles"], serde_json::json!([{"roleType": "primary", "role": "student", "org": school}]));
    for never in ["phone", "sms", "agents", "password", "metadata"] {
        assert!(u.get(never).is_none(), "{never} must never be served");
    }
    let s = env.get(&t, &format!("{V12}/schools/sch-a")).await;
    assert_eq!(s.body["org"]["identifier"], "A1");
    assert_eq!(env.get(&t, &format!("{V12}/students/stu-a7")).await.body["user"]["sourcedId"], "stu-a7");
    let r = env.get(&t, &format!("{GB12}/results/res-a3")).await.body["result"].clone();
    assert_eq!(r["score"], 90);
    assert_eq!(r["lineItem"]["href"], format!("{ORIGIN}{GB12}/lineItems/li-a3"));
    assert_eq!(r["student"]["href"], format!("{ORIGIN}{V12}/users/stu-a3"));
    let term = env.get(&t, &format!("{V12}/terms/term1")).await.body["academicSession"].clone();
    assert_eq!(term["parent"]["sourcedId"], "y2026");
    assert_eq!(
        term["children"],
        serde_json::json!([{"href": format!("{ORIGIN}{V12}/academicSessions/gp1"), "sourcedId": "gp1", "type": "academicSession"}])
    );
    let li = env.get(&t, &format!("{GB12}/lineItems/li-a3")).await.body["lineItem"].clone();
    assert_eq!(li["academicSession"]["sourcedId"], "gp1");
    let standard = "6b9bd1ae-4b59-4c6c-9f2b-2f6e0d7a1c3e";
    assert_eq!(li["learningObjectiveSet"], serde_json::json!([{"source": "case", "learningObjectiveIds": [standard]}]));
    assert_eq!(li["scoreScale"]["href"], format!("{ORIGIN}{GB12}/scoreScales/ss-a3"));
    let mastery = serde_json::json!([{"source": "case", "learningObjectiveResults": [
        {"learningObjectiveId": standard, "score": 20, "textScore": "Proficient"}
    ]}]);
    assert_eq!(r["learningObjectiveSet"], mastery);
    let d = env.get(&t, &format!("{V12}/demographics/stu-b3")).await.body["demographics"].clone();
    assert_eq!((d["birthDate"].as_str(), d["asian"].as_bool()), (Some("2018-04-05"), Some(true)));
    let ss = env.get(&t, &format!("{GB12}/scoreScales/ss-a3")).await.body["scoreScale"].clone();
    assert_eq!(ss["scoreScaleValue"][1], serde_json::json!({"itemValueLHS": "B", "itemValueRHS": "80"}));
}

#[tokio::test]
async fn version_1_1_shapes() {
    let (env, _, t) = wide().await;
    let u = env.get(&t, &format!("{V11}/users/tch-a")).await.body["user"].clone();
    assert_eq!(u["role"], "teacher");
    assert_eq!(
        u["orgs"],
        serde_json::json!([{"href": format!("{ORIGIN}{V11}/orgs/sch-a"), "sourcedId": "sch-a", "type": "org"}])
    );
    assert!(u.get("roles").is_none() && u.get("preferredFirstName").is_none());
    let li = env.get(&t, &format!("{V11}/lineItems/li-b3")).await.body["lineItem"].clone();
    assert_eq!(li["gradingPeriod"]["href"], format!("{ORIGIN}{V11}/academicSessions/gp1"));
    assert!(li.get("academicSession").is_none());
}

#[tokio::test]
async fn unknown_ids_are_unknownobject() {
    let (env, _, t) = wide().await;
    for path in [
        format!("{V12}/users/nope"),
        format!("{V12}/students/tch-a"),
        format!("{V12}/schools/dist"),
        format!("{V12}/users/adm-a"),
        format!("{GB12}/results/nope"),
        format!("{V11}/classes/nope"),
        "/ims/oneroster/rostering/v1p2/nothing".to_owned(),
    ] {
        let a = env.get(&t, &path).await;
        assert_eq!(a.status, 404, "{path}");
        assert_eq!((a.minor(), a.body["imsx_codeMajor"].as_str()), ("unknownobject", Some("failure")), "{path}");
    }
}
