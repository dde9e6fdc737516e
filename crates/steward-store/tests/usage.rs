//! The usage contract, on SQLite and on PostgreSQL: events matched and counted once, exact distinct users over any
//! range, the discovery queue and unmatched users, concurrent ingests, retention.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{DateTime, Duration, NaiveDate};
use steward_core::people::{CategoryDraft, VendorDraft};
use steward_core::product::ProductDraft;
use steward_core::usage::{Directory, EventKind, ProductRef, Resolved, UsageEvent, UserRef};
use steward_interop::oneroster::Record;
use steward_store::on_both_backends;
use steward_store::*;

on_both_backends!(
    people_get_dense_ids_and_events_resolve,
    events_are_stored_and_counted_once,
    any_range_counts_distinct_people_exactly,
    unknown_products_and_users_are_kept,
    concurrent_ingests_count_as_one_would,
    old_raw_events_are_pruned_and_counts_stay,
    a_discovery_is_adopted_or_dismissed,
);

fn actor() -> Actor {
    Actor::system("test")
}

fn rec(file: &str, id: &str, values: &[(&str, &str)]) -> Record {
    steward_store::testing::record(file, id, values)
}

/// A district of two schools and six people; a product launched from `play.numbersmith.example`. Returns the
/// product id and the Steward ids of the two schools.
async fn district(s: &Store) -> (i64, i64, i64) {
    let orgs = [
        rec("orgs", "d-1", &[("name", "Cedar SD"), ("type", "district")]),
        rec("orgs", "s-1", &[("name", "Alder Elementary"), ("type", "school"), ("parentSourcedId", "d-1")]),
        rec("orgs", "s-2", &[("name", "Birch Middle"), ("type", "school"), ("parentSourcedId", "d-1")]),
    ];
    let users: Vec<Record> = (1..=6)
        .map(|n| {
            let school = if n <= 4 { "s-1" } else { "s-2" };
            rec(
                "users",
                &format!("u-{n}"),
                &[
                    ("enabledUser", "true"),
                    ("username", &format!("user{n}")),
                    ("email", &format!("User{n}@cedar.example")),
                    ("givenName", "Pat"),
                    ("familyName", "Doe"),
                    ("primaryOrgSourcedId", school),
                ],
            )
        })
        .collect();
    let none = BTreeMap::new();

    let import = RosterImport {
        source: "test",
        version: Some("1.2"),
        strict: false,
        tables: vec![bulk("orgs", &orgs), bulk("users", &users)],
        problems: &[],
        error_count: 0,
        warning_count: 0,
        suppressed: &none,
    };
    s.apply_roster(&actor(), &import, &mut |_, _| {}).await.unwrap();
    let v = s
        .save_vendor(
            &actor(),
            None,
            &VendorDraft { name: "Numbersmith".into(), ..Default::default() }.validate().unwrap(),
        )
        .await
        .unwrap();
    let c = s
        .save_category(
            &actor(),
            None,
            &CategoryDraft { name: "Math practice".into(), ..Default::default() }.validate().unwrap(),
        )
        .await
        .unwrap();
    let draft = ProductDraft {
        name: "Fraction Forest".into(),
        vendor_id: v.to_string(),
        category_id: c.to_string(),
        grades: "3-5".into(),
        status: "approved".into(),
        subjects: vec!["math".into()],
        launch_url: "https://play.numbersmith.example/start".into(),
        ..Default::default()
    };
    let p = s.create_product(&actor(), &draft.validate().unwrap()).await.unwrap();
    let schools = s.schools().await.unwrap();
    let id_of = |name: &str| schools.iter().find(|o| o.org.name == name).unwrap().id;
    (p, id_of("Alder Elementary"), id_of("Birch Middle"))
}

fn bulk<'a>(file: &'a str, records: &'a [Record]) -> RosterTable<'a> {
    RosterTable { file, mode: steward_interop::oneroster::Mode::Bulk, rows: records.len() as u64, records }
}

fn event(user: &str, product: ProductRef, time: &str, kind: EventKind, seconds: u32) -> UsageEvent {
    UsageEvent {
        id: None,
        time: DateTime::parse_from_rfc3339(time).unwrap(),
        user: UserRef::SourcedId(user.into()),
        product,
        school: None,
        kind,
        seconds,
    }
}

fn domain() -> ProductRef {
    ProductRef::Domain("play.numbersmith.example".into())
}

fn resolve(d: &Directory, events: &[UsageEvent]) -> Vec<Resolved> {
    events.iter().map(|e| d.resolve(e)).collect()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn whole_district(product: Option<i64>, from: NaiveDate, to: NaiveDate) -> UsageFilter {
    UsageFilter { product, schools: SchoolCut::Every, from, to }
}

async fn people_get_dense_ids_and_events_resolve(s: &Store) {
    let (product, alder, birch) = district(s).await;
    let d = s.usage_directory().await.unwrap();
    assert_eq!(d.people(), 6);
    let again = s.usage_directory().await.unwrap();
    let ids: BTreeSet<u32> = (1..=6).map(|n| d.person(&UserRef::SourcedId(format!("u-{n}"))).unwrap()).collect();
    assert_eq!(ids.len(), 6, "one id each");
    for n in 1..=6 {
        let who = UserRef::SourcedId(format!("u-{n}"));
        assert_eq!(d.person(&who), again.person(&who), "ids are kept");
    }
    assert_eq!(d.person(&UserRef::Email("user2@cedar.example".into())), d.person(&UserRef::SourcedId("u-2".into())));
    assert_eq!(d.person(&UserRef::Username("user5".into())), d.person(&UserRef::SourcedId("u-5".into())));
    let r = d.resolve(&event("u-5", domain(), "2026-10-05T09:00:00-07:00", EventKind::Launch, 0));
    assert_eq!((r.product, r.school), (Ok(product), Some(birch)));
    let r = d.resolve(&event("u-1", ProductRef::Id(product), "2026-10-05T09:00:00Z", EventKind::Launch, 0));
    assert_eq!(r.school, Some(alder));
}

async fn events_are_stored_and_counted_once(s: &Store) {
    let (product, alder, birch) = district(s).await;
    let d = s.usage_directory().await.unwrap();
    let events = [
        event("u-1", domain(), "2026-10-05T08:00:00-07:00", EventKind::Launch, 0),
        event("u-1", domain(), "2026-10-05T08:01:00-07:00", EventKind::Session, 600),
        event("u-2", domain(), "2026-10-05T09:00:00-07:00", EventKind::Launch, 0),
        event("u-5", ProductRef::Id(product), "2026-10-06T10:00:00-07:00", EventKind::Activity, 300),
        // Late in the evening locally, the next day in UTC: it counts for the 6th.
        event("u-3", domain(), "2026-10-06T23:30:00-07:00", EventKind::Launch, 0),
    ];
    let mut batch = resolve(&d, &events);
    batch.push(batch[0].clone());
    let first = s.ingest_usage("file", &batch).await.unwrap();
    assert_eq!(first, IngestOutcome { stored: 5, duplicates: 1 });
    let month = whole_district(Some(product), day(10, 1), day(10, 31));
    let before = s.usage_totals(&month).await.unwrap();
    assert_eq!(before.len(), 1);
    let t = &before[0];
    assert_eq!((t.active, t.events, t.launches, t.seconds), (4, 5, 3, 900));

    let again = s.ingest_usage("api", &resolve(&d, &events)).await.unwrap();
    assert_eq!(again, IngestOutcome { stored: 0, duplicates: 5 }, "the same events sent again");
    assert_eq!(s.usage_totals(&month).await.unwrap(), before, "and nothing counted twice");
    assert_eq!(s.usage_event_count().await.unwrap(), 5);

    let by_school = s
        .usage_totals(&UsageFilter {
            product: Some(product),
            schools: SchoolCut::Each,
            from: day(10, 1),
            to: day(10, 31),
        })
        .await
        .unwrap();
    let active: BTreeMap<i64, u64> = by_school.iter().map(|t| (t.school_id, t.active)).collect();
    assert_eq!(active, BTreeMap::from([(alder, 3), (birch, 1)]));
    let days = s.usage_days(product, None, day(10, 1), day(10, 31)).await.unwrap();
    let per_day: Vec<(NaiveDate, u64, i64)> = days.iter().map(|(d, c)| (*d, c.users.len(), c.events)).collect();
    assert_eq!(per_day, vec![(day(10, 5), 2, 3), (day(10, 6), 2, 2)]);
}

async fn any_range_counts_distinct_people_exactly(s: &Store) {
    let (product, alder, birch) = district(s).await;
    let d = s.usage_directory().await.unwrap();
    // People 1–6 on a rhythm over four months: person n uses it every n-th day.
    let start = day(9, 1);
    let mut events = Vec::new();
    for offset in 0..120i64 {
        let date = start + Duration::days(offset);
        for n in 1..=6i64 {
            if offset % (n * 5) == 0 {
                let time = format!("{}T10:00:00-06:00", date.format("%Y-%m-%d"));
                events.push(event(&format!("u-{n}"), domain(), &time, EventKind::Launch, 60));
            }
        }
    }
    for chunk in resolve(&d, &events).chunks(7) {
        s.ingest_usage("file", chunk).await.unwrap();
    }
    let ranges =
        [(day(9, 1), day(12, 29)), (day(9, 15), day(11, 2)), (day(10, 1), day(10, 31)), (day(12, 3), day(12, 3))];
    for (from, to) in ranges {
        let expected: HashSet<&str> = events
            .iter()
            .filter(|e| (from..=to).contains(&e.day()))
            .map(|e| match &e.user {
                UserRef::SourcedId(u) => u.as_str(),
                _ => unreachable!(),
            })
            .collect();
        let count = events.iter().filter(|e| (from..=to).contains(&e.day())).count() as i64;
        let got = s.usage_totals(&whole_district(Some(product), from, to)).await.unwrap();
        let (active, events_counted) = got.first().map_or((0, 0), |t| (t.active, t.events));
        assert_eq!((active, events_counted), (expected.len() as u64, count), "{from}..={to}");
    }
    let mut expected: BTreeMap<(i64, String), BTreeSet<&str>> = BTreeMap::new();
    for e in &events {
        let UserRef::SourcedId(u) = &e.user else { unreachable!() };
        let school = if u.as_str() <= "u-4" { alder } else { birch };
        expected.entry((school, e.day().format("%Y-%m").to_string())).or_default().insert(u);
    }
    let months = s.usage_months("2026-09", "2026-12").await.unwrap();
    let got: BTreeMap<(i64, String), i64> = months
        .into_iter()
        .map(|(p, sc, m, a)| {
            assert_eq!(p, product);
            ((sc, m), a)
        })
        .collect();
    let expected: BTreeMap<(i64, String), i64> = expected.into_iter().map(|(k, v)| (k, v.len() as i64)).collect();
    assert_eq!(got, expected);
}

async fn unknown_products_and_users_are_kept(s: &Store) {
    let (product, alder, _) = district(s).await;
    let d = s.usage_directory().await.unwrap();
    let shadow = ProductRef::Domain("quizmaster.example".into());
    let mut stranger = event("u-1", ProductRef::Id(product), "2026-10-07T10:00:00Z", EventKind::Launch, 0);
    stranger.user = UserRef::Email("nobody@elsewhere.example".into());
    let events = [
        event("u-1", shadow.clone(), "2026-10-05T10:00:00Z", EventKind::Launch, 0),
        event("u-2", shadow.clone(), "2026-10-06T10:00:00Z", EventKind::Launch, 0),
        event("u-2", shadow, "2026-10-06T11:00:00Z", EventKind::Session, 60),
        stranger,
    ];
    s.ingest_usage("api", &resolve(&d, &events)).await.unwrap();
    s.ingest_usage("api", &resolve(&d, &events)).await.unwrap();
    let queue = s.usage_discoveries("open").await.unwrap();
    assert_eq!(queue.len(), 1);
    let q = &queue[0];
    assert_eq!(
        (q.key.as_str(), q.events, q.users, q.schools.clone()),
        ("domain:quizmaster.example", 3, 2, vec![alder])
    );
    assert!(q.first_seen.starts_with("2026-10-05T10:00:00") && q.last_seen.starts_with("2026-10-06T11:00:00"));
    let (strangers, total) = s.usage_strangers(10).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!((strangers[0].key.as_str(), strangers[0].events), ("email:nobody@elsewhere.example", 1));
    assert_eq!(strangers[0].products, vec![product]);
    let t = s.usage_totals(&whole_district(Some(product), day(10, 1), day(10, 31))).await.unwrap();
    assert_eq!((t[0].active, t[0].events), (0, 1), "an unmatched user's launch counts, not as a person");
}

async fn concurrent_ingests_count_as_one_would(s: &Store) {
    let (product, _, _) = district(s).await;
    let d = s.usage_directory().await.unwrap();
    let mut events = Vec::new();
    for offset in 0..40i64 {
        let date = day(10, 1) + Duration::days(offset % 20);
        let n = 1 + offset % 6;
        let time = format!("{}T{:02}:00:00Z", date.format("%Y-%m-%d"), 8 + offset % 9);
        events.push(event(&format!("u-{n}"), domain(), &time, EventKind::Session, 60));
    }
    let batch = resolve(&d, &events);
    // Two writers with overlapping halves, at once, several times over.
    let (a, b) = (batch[..30].to_vec(), batch[10..].to_vec());
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..3 {
        for part in [a.clone(), b.clone()] {
            let store = s.clone();
            set.spawn(async move { store.ingest_usage("api", &part).await.unwrap() });
        }
    }
    let mut stored = 0;
    while let Some(done) = set.join_next().await {
        stored += done.unwrap().stored;
    }
    assert_eq!(stored, 40, "every event stored once among all the writers");
    let t = s.usage_totals(&whole_district(Some(product), day(10, 1), day(10, 31))).await.unwrap();
    assert_eq!((t[0].active, t[0].events, t[0].seconds), (6, 40, 2400));
    let days = s.usage_days(product, None, day(10, 1), day(10, 31)).await.unwrap();
    assert_eq!(days.iter().map(|(_, c)| c.events).sum::<i64>(), 40);
}

async fn old_raw_events_are_pruned_and_counts_stay(s: &Store) {
    let (product, _, _) = district(s).await;
    let d = s.usage_directory().await.unwrap();
    let events = [
        event("u-1", domain(), "2026-09-05T10:00:00Z", EventKind::Launch, 0),
        event("u-2", domain(), "2026-10-05T10:00:00Z", EventKind::Launch, 0),
    ];
    s.ingest_usage("file", &resolve(&d, &events)).await.unwrap();
    assert_eq!(s.prune_usage_events(day(10, 1)).await.unwrap(), 1);
    assert_eq!(s.usage_event_count().await.unwrap(), 1);
    let t = s.usage_totals(&whole_district(Some(product), day(9, 1), day(10, 31))).await.unwrap();
    assert_eq!(t[0].active, 2, "rollups outlive the raw events");
}

async fn a_discovery_is_adopted_or_dismissed(s: &Store) {
    let (product, _, _) = district(s).await;
    let d = s.usage_directory().await.unwrap();
    let shadow = |host: &str| ProductRef::Domain(host.into());
    let events = [
        event("u-1", shadow("fractions.numbersmith.example"), "2026-10-05T10:00:00Z", EventKind::Launch, 60),
        event("u-2", shadow("fractions.numbersmith.example"), "2026-10-06T10:00:00Z", EventKind::Launch, 60),
        event("u-3", shadow("chatbot.example"), "2026-10-06T10:00:00Z", EventKind::Launch, 0),
    ];
    s.ingest_usage("api", &resolve(&d, &events)).await.unwrap();
    let queue = s.usage_discoveries("open").await.unwrap();
    let id_of = |key: &str| queue.iter().find(|q| q.key == key).unwrap().id;
    let (fractions, chatbot) = (id_of("domain:fractions.numbersmith.example"), id_of("domain:chatbot.example"));

    let moved = s.adopt_discovery(&actor(), fractions, product).await.unwrap();
    assert_eq!(moved, 2);
    let t = s.usage_totals(&whole_district(Some(product), day(10, 1), day(10, 31))).await.unwrap();
    assert_eq!((t[0].active, t[0].events, t[0].seconds), (2, 2, 120), "its kept events now count for the product");
    let later = s.usage_directory().await.unwrap();
    assert_eq!(later.product(&shadow("fractions.numbersmith.example")), Some(product), "and later ones match it");
    assert!(s.adopt_discovery(&actor(), fractions, product).await.is_err(), "an entry is adopted once");

    assert!(matches!(
        s.dismiss_discovery(&actor(), chatbot, "  ").await,
        Err(StoreError::Invalid { field: "reason", .. })
    ));
    s.dismiss_discovery(&actor(), chatbot, "A chatbot a teacher tried once; blocked by the filter.").await.unwrap();
    assert!(s.usage_discoveries("open").await.unwrap().is_empty());
    assert_eq!(s.usage_discoveries("dismissed").await.unwrap()[0].key, "domain:chatbot.example");
    let audit = s.audit_entries(&AuditFilter { per_page: 10, ..Default::default() }).await.unwrap();
    let actions: Vec<&str> = audit.items.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"adopt") && actions.contains(&"dismiss"), "{actions:?}");
}
