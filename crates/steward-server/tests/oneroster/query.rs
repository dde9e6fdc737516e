//! The query grammar over HTTP: paging headers, each filter operator, AND and OR, sort, fields, and the errors.

use super::*;

const ORIGIN: &str = "http://127.0.0.1:8080";

#[tokio::test]
async fn paging_headers_are_exact() {
    let (env, _, t) = wide().await;
    let a = env.get(&t, &format!("{V12}/users?limit=2&offset=2")).await;
    assert_eq!(a.ids("users"), v(&["stu-b3", "stu-c3"]));
    assert_eq!(a.header("x-total-count").as_deref(), Some("6"));
    let at = |o: i64| format!("<{ORIGIN}{V12}/users?limit=2&offset={o}>");
    let want =
        format!("{}; rel=\"first\", {}; rel=\"prev\", {}; rel=\"next\", {}; rel=\"last\"", at(0), at(0), at(4), at(4));
    assert_eq!(a.header("link"), Some(want));
    // The first page has no prev; the last no next; other parameters are kept.
    let a = env.get(&t, &format!("{V12}/users?limit=4&sort=familyName")).await;
    assert_eq!(a.ids("users").len(), 4);
    let link = a.header("link").unwrap();
    assert!(!link.contains("rel=\"prev\""));
    assert!(link.contains(&format!("<{ORIGIN}{V12}/users?sort=familyName&limit=4&offset=4>; rel=\"next\"")), "{link}");
    let a = env.get(&t, &format!("{V12}/users?offset=4")).await;
    assert_eq!(a.ids("users"), v(&["tch-a", "tch-b"]));
    assert!(!a.header("link").unwrap().contains("rel=\"next\""));
    // The default limit is 100; a larger limit than the maximum is served as the maximum.
    assert_eq!(env.get(&t, &format!("{V12}/users?limit=20000")).await.ids("users").len(), 6);
    let a = env.get(&t, &format!("{V12}/users?offset=6")).await;
    assert_eq!((a.ids("users").len(), a.header("x-total-count").as_deref()), (0, Some("6")));
    for bad in ["limit=0", "limit=x", "offset=-1", "orderBy=sideways"] {
        let a = env.get(&t, &format!("{V12}/users?{bad}")).await;
        assert_eq!((a.status, a.minor()), (400, "invaliddata"), "{bad}");
    }
}

#[tokio::test]
async fn each_filter_operator_and_logic() {
    let (env, _, t) = wide().await;
    let users = |f: &'static str| {
        let env = &env;
        let t = &t;
        async move { env.get(t, &format!("{V12}/users?filter={}", enc(f))).await }
    };
    let cases: &[(&str, &[&str])] = &[
        ("givenName='GIVENSTUA3'", &["stu-a3"]),
        ("givenName!='givenstua3'", &["stu-a7", "stu-b3", "stu-c3", "tch-a", "tch-b"]),
        ("familyName>'Familystub3'", &["stu-c3", "tch-a", "tch-b"]),
        ("familyName>='Familystub3'", &["stu-b3", "stu-c3", "tch-a", "tch-b"]),
        ("familyName<'Familystua7'", &["stu-a3"]),
        ("familyName<='Familystua7'", &["stu-a3", "stu-a7"]),
        ("email~'TCH'", &["tch-a", "tch-b"]),
        ("email~'stu' AND grades='03'", &["stu-a3", "stu-b3", "stu-c3"]),
        ("sourcedId='tch-a' OR sourcedId='stu-b3'", &["stu-b3", "tch-a"]),
        ("dateLastModified>'2026-06-15T00:00:00Z'", &["stu-a3", "stu-a7", "stu-b3", "stu-c3"]),
        ("dateLastModified<='2026-06-01T00:00:00Z'", &["tch-a", "tch-b"]),
        ("status='active' AND enabledUser='TRUE'", &["stu-a3", "stu-a7", "stu-b3", "stu-c3", "tch-a", "tch-b"]),
        ("primaryOrg.sourcedId='x'", &[]),
        // Identifiers compare exactly, in the default order: a client may page by the last sourcedId it saw.
        ("sourcedId>'stu-b3'", &["stu-c3", "tch-a", "tch-b"]),
        ("sourcedId='TCH-A'", &[]),
        ("givenName~'%'", &[]),
    ];
    for (f, want) in cases {
        let a = users(f).await;
        assert_eq!(a.status, 200, "{f}: {}", a.body);
        assert_eq!(a.ids("users"), v(want), "{f}");
        assert_eq!(a.header("x-total-count"), Some(want.len().to_string()), "{f}");
    }
    let classes = |f: &str| format!("{V12}/classes?filter={}", enc(f));
    assert_eq!(env.get(&t, &classes("school.sourcedId='sch-b'")).await.ids("classes"), v(&["cls-b3"]));
    assert_eq!(env.get(&t, &classes("subjects='numeracy,math'")).await.ids("classes").len(), 4);
    assert_eq!(env.get(&t, &classes("subjects='math,art'")).await.ids("classes").len(), 0);
    assert_eq!(env.get(&t, &classes("subjects~'art,numer'")).await.ids("classes").len(), 4);
    assert_eq!(env.get(&t, &classes("grades!='03'")).await.ids("classes"), v(&["cls-a7"]));
    // Dot notation reaches metadata; a person's metadata is never served, so it cannot be filtered on.
    assert_eq!(env.get(&t, &classes("metadata.note='ABOUT cls-a3'")).await.ids("classes"), v(&["cls-a3"]));
    assert_eq!(
        env.get(&t, &classes("metadata.note~'b3' OR metadata.note~'c3'")).await.ids("classes"),
        v(&["cls-b3", "cls-c3"])
    );
    assert_eq!(env.get(&t, &classes("metadata.nope='x'")).await.ids("classes").len(), 0);
    for (f, minor) in [
        ("nope='x'", "invalid_filter_field"),
        ("phone='555-0101'", "invalid_filter_field"),
        ("password='x'", "invalid_filter_field"),
        ("metadata.note='about stu-a3'", "invalid_filter_field"),
        ("givenName=Ann", "invalid_filter_field"),
        ("a='1' AND b='2' AND c='3'", "invalid_filter_field"),
    ] {
        let a = users(f).await;
        assert_eq!((a.status, a.minor()), (400, minor), "{f}");
        assert!(a.body.get("users").is_none(), "an unknown filter field returns no data");
    }
}

#[tokio::test]
async fn sort_and_fields() {
    let (env, _, t) = wide().await;
    let a = env.get(&t, &format!("{V12}/classes?sort=title&orderBy=desc")).await;
    assert_eq!(a.ids("classes"), v(&["cls-c3", "cls-b3", "cls-a7", "cls-a3"]));
    let a = env.get(&t, &format!("{V12}/classes?sort=school.sourcedId&orderBy=desc&limit=1")).await;
    assert_eq!(a.ids("classes"), v(&["cls-c3"]));
    // An unknown sort field gives the default order.
    let a = env.get(&t, &format!("{V12}/classes?sort=nope&orderBy=desc")).await;
    assert_eq!(a.ids("classes"), v(&["cls-c3", "cls-b3", "cls-a7", "cls-a3"]));
    let a = env.get(&t, &format!("{V12}/classes?sort=nope")).await;
    assert_eq!(a.ids("classes"), v(&["cls-a3", "cls-a7", "cls-b3", "cls-c3"]));
    let a = env.get(&t, &format!("{V12}/users?fields=sourcedId,givenName&limit=1")).await;
    assert_eq!(a.body["users"][0], serde_json::json!({"sourcedId": "stu-a3", "givenName": "Givenstua3"}));
    let a = env.get(&t, &format!("{V12}/classes/cls-a3?fields=title")).await;
    assert_eq!(a.body, serde_json::json!({"class": {"title": "Alder Math 3"}}));
    // An unknown field returns the whole record.
    let a = env.get(&t, &format!("{V12}/classes/cls-a3?fields=title,nope")).await;
    assert_eq!(a.body["class"]["sourcedId"], "cls-a3");
    for bad in ["fields=", "fields=sourcedId,,title", "fields=title,"] {
        let a = env.get(&t, &format!("{V12}/classes?{bad}")).await;
        assert_eq!((a.status, a.minor()), (400, "invalid_selection_field"), "{bad}");
        let a = env.get(&t, &format!("{V12}/classes/cls-a3?{bad}")).await;
        assert_eq!((a.status, a.minor()), (400, "invalid_selection_field"), "{bad} on a record");
    }
}
