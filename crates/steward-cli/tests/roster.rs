//! `steward import oneroster` and `steward export oneroster` as an operator runs them: every real sample set
//! applied or refused, a re-import changing nothing, an export importing back unchanged, and a killed import
//! leaving the roster as it was.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use steward_store::testing::TestDb;
use steward_store::Store;

fn steward(db: &TestDb) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_steward"));
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("STEWARD_")) {
        c.env_remove(k);
    }
    c.env("STEWARD_LOG", "warn").env("STEWARD_DATABASE_URL", &db.url);
    c
}

fn run(db: &TestDb, args: &[&str]) -> Output {
    steward(db).args(args).output().expect("run steward")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A real sample set, or `None` when the samples are not checked out (a failure under `CI=true`).
fn sample(dir: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/interop-samples").join(dir);
    if path.exists() {
        return Some(path);
    }
    assert!(std::env::var("CI").as_deref() != Ok("true"), "interop samples missing at {}", path.display());
    eprintln!("skipping: interop samples missing at {}", path.display());
    None
}

async fn counts(db: &TestDb) -> Vec<(&'static str, i64, i64)> {
    let store: Store = db.store().await;
    let c = store.roster_counts().await.unwrap();
    store.close().await;
    c
}

/// The table row of `file` in the import's output: (inserted, updated, unchanged, deleted).
fn row(out: &str, file: &str) -> (u64, u64, u64, u64) {
    let line =
        out.lines().find(|l| l.starts_with(&format!("{file}.csv "))).unwrap_or_else(|| panic!("{file} in {out}"));
    let n: Vec<u64> = line.split_whitespace().skip(3).map(|v| v.parse().unwrap()).collect();
    (n[0], n[1], n[2], n[3])
}

#[tokio::test]
async fn a_valid_set_imports_once_and_its_export_imports_back_unchanged() {
    let Some(set) = sample("oneroster-moodle-enrol_oneroster/zips/oneroster_test_data.zip") else { return };
    let db = TestDb::sqlite();
    let o = run(&db, &["import", "oneroster", set.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert_eq!(row(&out, "users"), (1, 0, 0, 0));
    assert!(out.contains("Import #1 applied"), "{out}");
    assert!(text(&o.stderr).contains("enabledUser: 'TRUE' has the wrong case"), "the warning is shown");
    let after_first = counts(&db).await;
    assert!(after_first.contains(&("users", 1, 0)) && after_first.contains(&("enrollments", 1, 0)));

    let again = run(&db, &["import", "oneroster", set.to_str().unwrap()]);
    assert!(again.status.success());
    assert_eq!(row(&text(&again.stdout), "users"), (0, 0, 1, 0), "the same delta twice changes nothing");

    let dir = tempdir("export");
    let e = run(&db, &["export", "oneroster", dir.to_str().unwrap()]);
    assert!(e.status.success(), "{}", text(&e.stderr));
    assert!(text(&e.stdout).contains("Wrote 9 records in 9 files"), "{}", text(&e.stdout));
    let back = run(&db, &["import", "oneroster", "--strict", dir.to_str().unwrap()]);
    assert!(back.status.success(), "the export is a strict-valid bulk set: {}", text(&back.stderr));
    for file in ["orgs", "academicSessions", "courses", "classes", "users", "roles", "enrollments", "demographics"] {
        assert_eq!(row(&text(&back.stdout), file), (0, 0, 1, 0), "{file}");
    }
    assert_eq!(counts(&db).await, after_first);
    let _ = std::fs::remove_dir_all(dir);
}

/// Each rejected real set: refused with its errors, its problems written as CSV, and nothing changed.
#[tokio::test]
async fn every_rejected_sample_set_changes_nothing() {
    let db = TestDb::sqlite();
    let Some(good) = sample("oneroster-moodle-enrol_oneroster/oneroster_test_data") else { return };
    assert!(run(&db, &["import", "oneroster", good.to_str().unwrap()]).status.success());
    let before = counts(&db).await;
    // (set, errors when read leniently), as pinned by steward-interop's sample tests.
    for (dir, errors) in [
        ("oneroster-moodle-enrol_oneroster/Test_minimal_data_set", 2),
        ("oneroster-moodle-enrol_oneroster/zips/Test_minimal_data_set.zip", 2),
        ("oneroster-moodle-enrol_oneroster/Test_full_data_set", 0),
        ("oneroster-moodle-enrol_oneroster/v1p2_full_dataset", 0),
        ("oneroster-oat-sa-import/OneRosterv1p1BaseCSV", 0),
    ] {
        let Some(set) = sample(dir) else { return };
        let csv = tempdir("problems").join("problems.csv");
        let o = run(&db, &["import", "oneroster", set.to_str().unwrap(), "--problems-csv", csv.to_str().unwrap()]);
        assert!(!o.status.success(), "{dir} is refused");
        let err = text(&o.stderr);
        assert!(err.contains("rejected:") && err.contains("nothing was changed"), "{dir}: {err}");
        if errors > 0 {
            assert!(err.contains(&format!("rejected: {errors} errors")), "{dir}: {err}");
        }
        let written = std::fs::read_to_string(&csv).unwrap();
        assert!(written.starts_with("file,line,column,value,rule,severity"));
        assert!(written.lines().any(|l| l.ends_with(",error")), "{dir}: {written}");
        assert_eq!(counts(&db).await, before, "{dir} changed nothing");
        let _ = std::fs::remove_dir_all(csv.parent().unwrap());
    }
    let store = db.store().await;
    let history = store.roster_imports(1, 20).await.unwrap();
    assert_eq!(history.total, 6);
    assert_eq!(history.items.iter().filter(|h| h.outcome == "rejected").count(), 5);
}

fn tempdir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("steward-cli-{what}-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    h.finish()
}

/// A bulk set large enough that writing it takes a while: `n` users in one school, each in one class.
fn large_set(dir: &Path, n: usize) {
    use std::fmt::Write as _;
    let mut manifest = String::from("propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\n");
    let present = ["orgs", "academicSessions", "courses", "classes", "users", "enrollments"];
    for f in steward_interop::oneroster::spec::files(steward_interop::oneroster::Version::V1_2) {
        let _ = writeln!(manifest, "file.{f},{}", if present.contains(&f) { "bulk" } else { "absent" });
    }
    let put = |name: &str, body: String| std::fs::write(dir.join(name), body).unwrap();
    put("manifest.csv", manifest);
    put(
        "orgs.csv",
        "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\nsch,,,School,school,,\n".into(),
    );
    put(
        "academicSessions.csv",
        "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\n\
         y,,,2027,schoolYear,2026-08-01,2027-07-01,,2027\n"
            .into(),
    );
    put(
        "courses.csv",
        "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes\n\
         c,,,y,Course,,,sch,,\n"
            .into(),
    );
    put(
        "classes.csv",
        "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n\
         k,,,Class,,c,,scheduled,,sch,y,,,\n"
            .into(),
    );
    let mut users = String::from("sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n");
    let mut enrollments =
        String::from("sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n");
    for i in 0..n {
        let _ = writeln!(users, "u{i},,,true,user{i},,Given{i},Family{i},,,u{i}@x.example,,,,,,,,,,,sch,");
        let _ = writeln!(enrollments, "e{i},,,k,sch,u{i},student,,,");
    }
    put("users.csv", users);
    put("enrollments.csv", enrollments);
}

/// A killed import leaves the roster exactly as the last whole import left it, and the next import works.
#[tokio::test]
async fn a_killed_import_leaves_the_previous_roster_intact() {
    let db = TestDb::sqlite();
    let Some(good) = sample("oneroster-moodle-enrol_oneroster/oneroster_test_data") else { return };
    assert!(run(&db, &["import", "oneroster", good.to_str().unwrap()]).status.success());
    let before = counts(&db).await;
    let dir = tempdir("large");
    large_set(&dir, 40_000);
    let mut child = steward(&db)
        .args(["import", "oneroster", dir.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // "Read N records" is printed once reading is done, just before writing starts.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let read = lines.find_map(|l| l.ok().filter(|l| l.starts_with("Read "))).expect("the import reads the set");
    assert!(read.contains("80004 records"), "{read}");
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the import was still writing when it was killed");
    assert_eq!(counts(&db).await, before, "nothing of the killed import is visible");
    let store = db.store().await;
    assert_eq!(store.roster_imports(1, 10).await.unwrap().total, 1);
    store.close().await;
    // The database is whole: the same set imports now.
    let o = run(&db, &["import", "oneroster", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(row(&text(&o.stdout), "users"), (40_000, 0, 0, 1), "the earlier set's user is marked tobedeleted");
    let _ = std::fs::remove_dir_all(dir);
}
