//! `steward generate usage` and `steward ingest events`: events of realistic rhythm, the same for a seed, stored
//! once each however often a backfill is run, and bad lines reported by number.

#[path = "common/mod.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use steward_core::usage::{parse_line, ProductRef, UserRef};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("steward-usage-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steward")).args(args).output().expect("run steward")
}

fn steward(args: &[&str]) -> String {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn roster(dir: &Path, students: usize) -> PathBuf {
    let out = dir.join("roster");
    steward(&[
        "generate",
        "district",
        "--students",
        &students.to_string(),
        "--seed",
        "5",
        "--out",
        out.to_str().unwrap(),
    ]);
    out
}

fn usage(roster: &Path, out: &Path, days: u32, until: NaiveDate, seed: u64) -> String {
    let (days, until, seed) = (days.to_string(), until.to_string(), seed.to_string());
    steward(&[
        "generate",
        "usage",
        "--roster",
        roster.to_str().unwrap(),
        "--days",
        &days,
        "--until",
        &until,
        "--seed",
        &seed,
        "--out",
        out.to_str().unwrap(),
    ])
}

#[test]
fn usage_follows_the_school_week_and_is_the_same_for_a_seed() {
    let dir = scratch("shape");
    let roster = roster(&dir, 1500);
    let until = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let (a, b, c) = (dir.join("a.ndjson"), dir.join("b.ndjson"), dir.join("c.ndjson"));
    usage(&roster, &a, 28, until, 7);
    usage(&roster, &b, 28, until, 7);
    usage(&roster, &c, 28, until, 8);
    let text = std::fs::read_to_string(&a).unwrap();
    assert_eq!(text.as_bytes(), std::fs::read(&b).unwrap(), "the same seed gives the same bytes");
    assert_ne!(text.as_bytes(), std::fs::read(&c).unwrap(), "another seed other events");

    let mut per_day: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    let (mut hosts, mut strangers, mut by_email) = (HashSet::new(), 0, 0);
    for (n, line) in text.lines().enumerate() {
        let e = parse_line(line, n as u64 + 1).unwrap_or_else(|e| panic!("{e}"));
        assert!(e.day() >= until - Duration::days(28) && e.day() < until, "{line}");
        *per_day.entry(e.day()).or_default() += 1;
        match &e.user {
            UserRef::Email(m) if m.ends_with("@guest.example") => strangers += 1,
            UserRef::Email(_) => by_email += 1,
            _ => {}
        }
        let ProductRef::Domain(host) = e.product else { panic!("products are named by host: {line}") };
        hosts.insert(host);
    }
    let weekday = |d: &NaiveDate| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
    let school: Vec<usize> = per_day.iter().filter(|(d, _)| weekday(d)).map(|(_, n)| *n).collect();
    let weekend: Vec<usize> = per_day.iter().filter(|(d, _)| !weekday(d)).map(|(_, n)| *n).collect();
    let (min_school, max_weekend) = (school.iter().min().unwrap(), weekend.iter().max().unwrap_or(&0));
    assert!(*min_school > 10 * max_weekend, "school days {school:?} against weekends {weekend:?}");
    assert!(strangers > 0 && by_email > 0, "some events name people by e-mail, a few people no roster holds");
    assert!(hosts.iter().any(|h| h == "quizblitz.example" || h.ends_with(".example") && h.split('.').count() == 2));
    assert!(hosts.len() >= 8, "{hosts:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_backfill_is_stored_once_however_often_it_runs() {
    let dir = scratch("ingest");
    let roster = roster(&dir, 600);
    let db = format!("sqlite:{}", dir.join("steward.db").display());
    steward(&["--database-url", &db, "import", "oneroster", roster.to_str().unwrap()]);
    let events = dir.join("events.ndjson");
    let until = chrono::Local::now().date_naive();
    usage(&roster, &events, 14, until, 1);
    let lines = std::fs::read_to_string(&events).unwrap().lines().count();
    let first = steward(&["--database-url", &db, "ingest", "events", events.to_str().unwrap()]);
    assert!(first.contains(&format!("{lines} events read")) && first.contains(&format!("{lines} stored")), "{first}");
    let again = steward(&["--database-url", &db, "ingest", "events", events.to_str().unwrap()]);
    assert!(again.contains(&format!("0 stored, {lines} already stored, 0 refused")), "{again}");

    let bad = dir.join("bad.ndjson");
    std::fs::write(
        &bad,
        "{\"time\":\"yesterday\",\"username\":\"a\",\"productId\":1,\"kind\":\"launch\"}\n\n{\"kind\":1}\n",
    )
    .unwrap();
    let o = run(&["--database-url", &db, "ingest", "events", bad.to_str().unwrap()]);
    assert!(!o.status.success(), "a file of nothing usable fails");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.ndjson: line 1, time: 'yesterday' is not an RFC 3339"), "{err}");
    assert!(err.contains("bad.ndjson: line 3:"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_demo_district_has_a_school_year_of_usage() {
    let dir = scratch("demo");
    let db = format!("sqlite:{}", dir.join("demo.db").display());
    steward(&["--database-url", &db, "demo", "--build-only"]);
    let store = steward_store::Store::connect(&db).await.unwrap();
    let today = chrono::Local::now().date_naive();
    let year = if today.month() >= 8 { today.year() } else { today.year() - 1 };
    let start = NaiveDate::from_ymd_opt(year, 8, 17).unwrap();
    let filter =
        steward_store::UsageFilter { product: None, schools: steward_store::SchoolCut::Every, from: start, to: today };
    let used = store.usage_totals(&filter).await.unwrap();
    assert!(used.len() >= 20, "many of the catalog's products are used: {}", used.len());
    assert!(used[0].active > 1000, "the most used product reaches thousands of the demo's students: {:?}", used[0]);
    assert!(store.usage_discoveries("open").await.unwrap().len() >= 2, "schools use products no inventory holds");
    assert!(store.usage_strangers(1).await.unwrap().1 > 0, "and a few people no roster holds");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Products for every host the events name, created in the same order in each database.
async fn products_for(store: &steward_store::Store, hosts: &BTreeSet<String>) {
    use steward_core::people::{CategoryDraft, VendorDraft};
    let actor = steward_store::Actor::system("test");
    let vendor = VendorDraft { name: "Every Vendor".into(), ..Default::default() }.validate().unwrap();
    let vendor = store.save_vendor(&actor, None, &vendor).await.unwrap();
    let category = CategoryDraft { name: "Usage test".into(), ..Default::default() }.validate().unwrap();
    let category = store.save_category(&actor, None, &category).await.unwrap();
    for host in hosts {
        let draft = steward_core::product::ProductDraft {
            name: host.clone(),
            vendor_id: vendor.to_string(),
            category_id: category.to_string(),
            grades: "K-12".into(),
            status: "requested".into(),
            launch_url: format!("https://{host}/"),
            ..Default::default()
        };
        store.create_product(&actor, &draft.validate().unwrap()).await.unwrap();
    }
}

/// Per (host, school sourcedId, month): people active; and per host: events and seconds over the whole range.
async fn answer(
    store: &steward_store::Store,
    from: NaiveDate,
    to: NaiveDate,
) -> (BTreeSet<(String, String, String, i64)>, BTreeMap<String, (i64, i64)>) {
    let hosts = store.launch_domains().await.unwrap();
    let schools: BTreeMap<i64, String> =
        store.schools().await.unwrap().into_iter().map(|s| (s.id, s.org.sourced_id.unwrap_or_default())).collect();
    let months = store.usage_months(&from.format("%Y-%m").to_string(), &to.format("%Y-%m").to_string()).await.unwrap();
    let people = months.into_iter().map(|(p, s, m, n)| (hosts[&p].clone(), schools[&s].clone(), m, n)).collect();
    let filter = steward_store::UsageFilter { product: None, schools: steward_store::SchoolCut::Every, from, to };
    let totals = store
        .usage_totals(&filter)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (hosts[&t.product_id].clone(), (t.events, t.seconds)))
        .collect();
    (people, totals)
}

/// Two `steward serve` processes on one PostgreSQL database take overlapping halves of the same events at once, and
/// their rollups are exactly those of one process given all of them.
#[tokio::test]
async fn two_servers_ingesting_at_once_count_as_one_would() {
    let Some(pg) = steward_store::testing::TestDb::postgres().await else { return };
    let dir = scratch("two-servers");
    let roster = roster(&dir, 400);
    let events = dir.join("events.ndjson");
    let until = chrono::Local::now().date_naive();
    usage(&roster, &events, 10, until, 3);
    let text = std::fs::read_to_string(&events).unwrap();
    let hosts: BTreeSet<String> = text
        .lines()
        .filter_map(|l| match parse_line(l, 1).ok()?.product {
            ProductRef::Domain(h) => Some(h),
            _ => None,
        })
        .collect();
    let one_db = format!("sqlite:{}", dir.join("one.db").display());
    for url in [&one_db, &pg.url] {
        steward(&["--database-url", url, "import", "oneroster", roster.to_str().unwrap()]);
        products_for(&steward_store::Store::connect(url).await.unwrap(), &hosts).await;
    }
    steward(&["--database-url", &one_db, "ingest", "events", events.to_str().unwrap()]);

    let store = steward_store::Store::connect(&pg.url).await.unwrap();
    let user = steward_core::people::UserDraft {
        email: "tech@district.example".into(),
        name: "Tech".into(),
        role: "technology_reviewer".into(),
        school_id: String::new(),
        password: "a long enough password".into(),
    };
    let (input, _) = user.validate().unwrap();
    let id = store.create_user(&steward_store::Actor::system("test"), &input, "not-a-hash").await.unwrap();
    let user = store.users().await.unwrap().into_iter().find(|u| u.id == id).unwrap();
    store.create_api_token(&user, "t", &steward_server::auth::digest("usage-token")).await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let chunks: Vec<String> = lines.chunks(250).map(|c| c.join("\n")).collect();
    let (a, b) = (chunks[..chunks.len() * 2 / 3].to_vec(), chunks[chunks.len() / 3..].to_vec());
    let (one, two) = tokio::join!(common::start_server(&pg.url), common::start_server(&pg.url));
    let send = |base: String, batches: Vec<String>| async move {
        let http = reqwest::Client::new();
        for body in batches {
            let r = http
                .post(format!("{base}/api/v1/events"))
                .bearer_auth("usage-token")
                .header("Content-Type", "application/x-ndjson")
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        }
    };
    tokio::join!(send(one.base.clone(), a), send(two.base.clone(), b));
    let from = until - chrono::Duration::days(40);
    let single = answer(&steward_store::Store::connect(&one_db).await.unwrap(), from, until).await;
    let shared = answer(&store, from, until).await;
    assert!(!single.0.is_empty() && !single.1.is_empty());
    assert_eq!(shared, single, "two servers at once give the rollups one gives");
    let _ = std::fs::remove_dir_all(&dir);
}
