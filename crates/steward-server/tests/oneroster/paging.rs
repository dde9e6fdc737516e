//! Paging through a collection's snapshot: every visible record once and in order with an exact `X-Total-Count`,
//! sort and filter kept across pages, records read fresh while membership waits for the next import, and withheld
//! fields withheld on every page.

use super::*;
use crate::imported::{import, imported_env};
use crate::roster::rec;
use steward_interop::oneroster::Record;
use steward_store::Store;

/// A student of Alder's grade 3 class: the user, a role at Alder and the enrollment.
fn student(id: &str) -> [(&'static str, Record); 3] {
    let name = id.replace('-', "");
    let user = [
        ("enabledUser", "true"),
        ("username", &format!("{name}.login")),
        ("givenName", &format!("Given{name}")),
        ("familyName", "Late"),
        ("grades", "03"),
    ];
    [
        ("users", rec("users", id, &user)),
        (
            "roles",
            rec(
                "roles",
                &format!("r-{id}"),
                &[("userSourcedId", id), ("roleType", "primary"), ("role", "student"), ("orgSourcedId", "sch-a")],
            ),
        ),
        (
            "enrollments",
            rec(
                "enrollments",
                &format!("e-{id}-cls-a3"),
                &[
                    ("classSourcedId", "cls-a3"),
                    ("schoolSourcedId", "sch-a"),
                    ("userSourcedId", id),
                    ("role", "student"),
                    ("primary", "false"),
                ],
            ),
        ),
    ]
}

async fn put_students(store: &Store, ids: &[String]) {
    for (i, file) in ["users", "roles", "enrollments"].into_iter().enumerate() {
        let records: Vec<Record> = ids.iter().map(|id| student(id)[i].1.clone()).collect();
        store.put_roster_records(file, &records).await.unwrap();
    }
}

/// Every page of `path` (which has a query string) at `limit`: the ids in order, each page's total checked.
async fn all_pages(env: &Env, t: &str, path: &str, limit: usize, total: usize) -> Vec<String> {
    let mut out = Vec::new();
    for offset in (0..total + limit).step_by(limit) {
        let a = env.get(t, &format!("{path}&limit={limit}&offset={offset}")).await;
        assert_eq!(a.status, 200, "{path} at {offset}: {}", a.body);
        assert_eq!(a.header("x-total-count"), Some(total.to_string()), "{path} at {offset}");
        let ids = a.ids("users");
        assert_eq!(ids.len(), limit.min(total.saturating_sub(offset)), "{path} at {offset}");
        out.extend(ids);
    }
    out
}

#[tokio::test]
async fn pages_hold_every_visible_record_once_in_order() {
    pages_in_order(wide().await).await;
}

#[tokio::test]
async fn pages_hold_every_visible_record_once_in_order_on_postgres() {
    let Some(db) = steward_store::testing::TestDb::postgres().await else { return };
    pages_in_order(wide_on(db).await).await;
}

async fn pages_in_order((env, _, t): (Env, Client, String)) {
    // 1,200 more students, so that a page of a thousand is read by id in more than one statement.
    let extra: Vec<String> = (0..1200).map(|i| format!("stu-x{i:04}")).collect();
    put_students(&env.store, &extra).await;
    let mut want = v(&["stu-a3", "stu-a7", "stu-b3", "stu-c3"]);
    want.extend(extra);
    want.extend(v(&["tch-a", "tch-b"]));
    let path = format!("{V12}/users?orderBy=asc");
    assert_eq!(all_pages(&env, &t, &path, 1000, want.len()).await, want);
    assert_eq!(all_pages(&env, &t, &path, 7, want.len()).await, want);
    let a = env.get(&t, &format!("{V12}/users?limit=1000&offset=1000")).await;
    let last = &a.body["users"][205];
    assert_eq!(
        (last["sourcedId"].as_str(), last["roles"][0]["org"]["sourcedId"].as_str()),
        (Some("tch-b"), Some("sch-b"))
    );
    assert_eq!(a.body["users"][0]["givenName"], "Givenstux0996");
}

#[tokio::test]
async fn sort_and_filter_are_kept_across_pages() {
    let (env, _, t) = wide().await;
    let by_name = format!("{V12}/users?sort=familyName&orderBy=desc");
    let want = v(&["tch-b", "tch-a", "stu-c3", "stu-b3", "stu-a7", "stu-a3"]);
    assert_eq!(all_pages(&env, &t, &by_name, 4, 6).await, want);
    assert_eq!(all_pages(&env, &t, &by_name, 1, 6).await, want);
    let students = format!("{V12}/users?filter={}&sort=sourcedId&orderBy=desc", enc("email~'stu' AND grades='03'"));
    assert_eq!(all_pages(&env, &t, &students, 2, 3).await, v(&["stu-c3", "stu-b3", "stu-a3"]));
    // The same collection in another order, or filtered otherwise, is another snapshot.
    let ascending = format!("{V12}/users?filter={}", enc("email~'stu' AND grades='03'"));
    assert_eq!(all_pages(&env, &t, &ascending, 2, 3).await, v(&["stu-a3", "stu-b3", "stu-c3"]));
    let teachers = format!("{V12}/users?filter={}", enc("email~'tch'"));
    assert_eq!(all_pages(&env, &t, &teachers, 5, 2).await, v(&["tch-a", "tch-b"]));
    // A filter on a field the client may not use is still refused.
    let a = env.get(&t, &format!("{V12}/users?filter={}&limit=2", enc("nope='x'"))).await;
    assert_eq!((a.status, a.minor()), (400, "invalid_filter_field"));
}

#[tokio::test]
async fn records_are_read_fresh_and_membership_changes_with_an_import() {
    let env = imported_env().await;
    let c = env.client(WIDE).await;
    let t = env.token(&c, &all_scopes()).await;
    let users = format!("{V12}/users?orderBy=asc");
    let before = v(&["stu-a3", "stu-a7", "stu-b3", "stu-c3", "tch-a", "tch-b"]);
    assert_eq!(all_pages(&env, &t, &users, 4, 6).await, before);
    // Written without an import: the record is read as it is now, but a new member waits for the next import.
    env.store.put_roster_records("users", &[rec("users", "stu-a3", &[("givenName", "Renamed")])]).await.unwrap();
    put_students(&env.store, &v(&["stu-late"])).await;
    let a = env.get(&t, &format!("{users}&limit=1")).await;
    assert_eq!(
        (a.body["users"][0]["givenName"].as_str(), a.header("x-total-count")),
        (Some("Renamed"), Some("6".into()))
    );
    assert_eq!(all_pages(&env, &t, &users, 4, 6).await, before);
    // An import is a new generation: the next request lists the collection again.
    let mut tables = crate::roster::roster_tables().await;
    for (file, record) in student("stu-late").into_iter().chain(student("stu-new")) {
        tables.get_mut(file).unwrap().push(record);
    }
    import(&env.store, &tables).await;
    let mut after = v(&["stu-a3", "stu-a7", "stu-b3", "stu-c3", "stu-late", "stu-new", "tch-a", "tch-b"]);
    assert_eq!(all_pages(&env, &t, &users, 4, 8).await, after);
    let a = env.get(&t, &format!("{users}&limit=1")).await;
    assert_eq!(a.body["users"][0]["givenName"], "Givenstua3", "the import put the name back");
    after.retain(|id| id.starts_with("stu-"));
    assert_eq!(env.get(&t, &format!("{V12}/students?limit=10")).await.ids("users"), after);
}

#[tokio::test]
async fn withheld_fields_stay_withheld_on_every_page() {
    let env = Env::new().await;
    let c = env.client(Product { name: "Names", elements: &["name"], ..WIDE }).await;
    let t = env.token(&c, &all_scopes()).await;
    let path = format!("{V12}/users?orderBy=asc");
    assert_eq!(all_pages(&env, &t, &path, 4, 6).await.len(), 6);
    for offset in [0, 4] {
        let a = env.get(&t, &format!("{path}&limit=4&offset={offset}")).await;
        for u in a.body["users"].as_array().unwrap() {
            assert_eq!(fields(u), NAME_ONLY_USER, "{}", u["sourcedId"]);
        }
    }
    // Nor may a withheld field order or filter a snapshot: sorted by it, the order is the default (by sourcedId).
    let a = env.get(&t, &format!("{V12}/users?sort=email&orderBy=desc&limit=2")).await;
    assert_eq!(a.ids("users"), v(&["tch-b", "tch-a"]));
    let a = env.get(&t, &format!("{V12}/users?filter={}", enc("email~'stu'"))).await;
    assert_eq!((a.status, a.minor()), (400, "invalid_filter_field"));
}
