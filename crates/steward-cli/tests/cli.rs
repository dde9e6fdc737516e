//! The `steward` binary as an operator uses it: help, configuration errors, accounts, and two servers on one database.

#[path = "common/mod.rs"]
mod common;

use common::{start_server, steward};
use std::io::Write;
use std::process::{Output, Stdio};
use steward_store::testing::TestDb;

fn run(args: &[&str]) -> Output {
    steward().args(args).output().expect("run steward")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn every_subcommand_has_help() {
    for (args, mentions) in [
        (vec!["--help"], "default-config"),
        (vec!["serve", "--help"], "--bind"),
        (vec!["demo", "--help"], "--fresh"),
        (vec!["migrate", "--help"], "--database-url"),
        (vec!["default-config", "--help"], "--config"),
        (vec!["user", "--help"], "add"),
        (vec!["user", "add", "--help"], "--password-stdin"),
    ] {
        let o = run(&args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).contains(mentions), "{args:?} mentions {mentions}: {}", stdout(&o));
    }
}

#[test]
fn default_config_is_commented_toml_with_every_setting() {
    let o = run(&["default-config"]);
    let text = stdout(&o);
    for key in [
        "database_url",
        "bind",
        "public_url",
        "secret_key",
        "session_hours",
        "max_failed_sign_ins",
        "throttle_minutes",
        "log",
    ] {
        assert!(text.lines().any(|l| l.starts_with(&format!("{key} = "))), "{key} in {text}");
    }
    assert!(text.lines().filter(|l| l.starts_with('#')).count() >= 8);
}

#[test]
fn bad_configuration_stops_with_the_setting_named() {
    let o = steward().env("STEWARD_BIND", "not-an-address").args(["migrate"]).output().unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains("`bind`"), "{}", stderr(&o));
    let o = run(&["--database-url", "mysql://x/y", "migrate"]);
    assert!(!o.status.success());
    assert_eq!(stderr(&o).trim().lines().count(), 1, "one line: {}", stderr(&o));
    assert!(stderr(&o).contains("sqlite: or postgres://"));
    let o = run(&["--config", "/nonexistent/steward.toml", "migrate"]);
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
}

#[test]
fn an_unreachable_database_is_said_in_one_line() {
    let o = run(&["--database-url", "postgres://postgres@127.0.0.1:1/none", "migrate"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("cannot reach the PostgreSQL database"), "{err}");
}

#[test]
fn migrate_then_add_users() {
    let db = TestDb::sqlite();
    let o = run(&["--database-url", &db.url, "migrate"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../steward-store/migrations/sqlite"))
        .expect("the SQLite migrations")
        .count();
    assert!(stdout(&o).contains(&format!("{migrations} migrations applied")), "{}", stdout(&o));
    let o = run(&["--database-url", &db.url, "migrate"]);
    assert!(stdout(&o).contains("0 migrations applied"), "{}", stdout(&o));

    let o = run(&[
        "--database-url",
        &db.url,
        "user",
        "add",
        "--email",
        "ADMIN@district.example",
        "--role",
        "district_admin",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("admin@district.example (district_admin)"));
    assert!(stdout(&o).contains("Password (shown once): "));

    let o = run(&["--database-url", &db.url, "user", "add", "--email", "t@district.example", "--role", "teacher"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--school: a teacher must belong to a school"), "{}", stderr(&o));
    let o = run(&[
        "--database-url",
        &db.url,
        "user",
        "add",
        "--email",
        "t@district.example",
        "--role",
        "teacher",
        "--school",
        "Nowhere",
    ]);
    assert!(stderr(&o).contains("no school has the id, NCES id or name 'Nowhere'"), "{}", stderr(&o));
    let o = run(&["--database-url", &db.url, "user", "add", "--email", "admin@district.example", "--role", "finance"]);
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
}

fn csrf(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let at = html.find(marker).expect("a csrf field") + marker.len();
    html[at..].split('"').next().unwrap().to_owned()
}

async fn sign_in(client: &reqwest::Client, base: &str, email: &str, password: &str) -> reqwest::StatusCode {
    let page = client.get(format!("{base}/sign-in")).send().await.unwrap().text().await.unwrap();
    let form = [("email", email), ("password", password), ("csrf_token", &csrf(&page)), ("next", "/")];
    client.post(format!("{base}/sign-in")).form(&form).send().await.unwrap().status()
}

/// Two `steward serve` processes share one PostgreSQL: a session made on one works on the other, and failed
/// sign-ins on one count toward throttling on the other.
#[tokio::test]
async fn two_servers_share_sessions_and_throttling() {
    let Some(db) = TestDb::postgres().await else { return };
    let mut add = steward()
        .args([
            "--database-url",
            &db.url,
            "user",
            "add",
            "--email",
            "fin@district.example",
            "--role",
            "finance",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin.take().unwrap().write_all(b"a long enough password\n").unwrap();
    assert!(add.wait().unwrap().success());

    let (one, two) = tokio::join!(start_server(&db.url), start_server(&db.url));
    let no_redirects =
        || reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();

    let first = no_redirects();
    assert_eq!(sign_in(&first, &one.base, "fin@district.example", "a long enough password").await, 303);
    // Cookies belong to a host, not a port: the same jar now goes to the other process.
    let dashboard = first.get(format!("{}/", two.base)).send().await.unwrap();
    assert_eq!(dashboard.status(), 200, "the session from server one is honoured by server two");
    assert!(dashboard.text().await.unwrap().contains("Annual spend"));

    let attacker = no_redirects();
    for _ in 0..5 {
        assert_eq!(sign_in(&attacker, &one.base, "fin@district.example", "wrong password guess").await, 401);
    }
    let on_two = no_redirects();
    assert_eq!(
        sign_in(&on_two, &two.base, "fin@district.example", "a long enough password").await,
        429,
        "failures on server one throttle server two"
    );
}

/// Settings come in layers: the TOML file over the defaults, `STEWARD_*` over the file, `--database-url` over all.
#[test]
fn settings_layer_file_then_environment_then_flag() {
    let dir = std::env::temp_dir().join(format!("steward-layers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = |name: &str| dir.join(name);
    let config = dir.join("steward.toml");
    std::fs::write(&config, format!("database_url = \"sqlite:{}\"\n", db("file.db").display())).unwrap();
    let config = config.to_str().unwrap();

    assert!(steward().args(["--config", config, "migrate"]).status().unwrap().success());
    assert!(db("file.db").exists(), "the file's setting is used");

    let env_url = format!("sqlite:{}", db("env.db").display());
    let o = steward().env("STEWARD_DATABASE_URL", &env_url).args(["--config", config, "migrate"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(db("env.db").exists(), "the environment wins over the file");

    let flag_url = format!("sqlite:{}", db("flag.db").display());
    let o = steward()
        .env("STEWARD_DATABASE_URL", &env_url)
        .args(["--config", config, "--database-url", &flag_url, "migrate"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(db("flag.db").exists(), "the flag wins over both");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn lti_tool_add_registers_a_tool_or_names_each_mistake() {
    let db = TestDb::sqlite();
    let store = db.store().await;
    let actor = steward_store::Actor::system("test");
    let vendor = steward_core::people::VendorDraft { name: "Kelp Co".into(), ..Default::default() };
    let vendor = store.save_vendor(&actor, None, &vendor.validate().unwrap()).await.unwrap();
    let category = steward_core::people::CategoryDraft { name: "Science".into(), ..Default::default() };
    let category = store.save_category(&actor, None, &category.validate().unwrap()).await.unwrap();
    let product = steward_core::product::ProductDraft {
        name: "Kelp Lab".into(),
        vendor_id: vendor.to_string(),
        category_id: category.to_string(),
        grades: "6-8".into(),
        ..Default::default()
    };
    let product = store.create_product(&actor, &product.validate().unwrap()).await.unwrap().to_string();
    let add = |product: &str, login: &str| {
        run(&[
            "--database-url",
            &db.url,
            "lti-tool",
            "add",
            "--product",
            product,
            "--name",
            "Kelp Lab",
            "--client-id",
            "kelp-1",
            "--deployment",
            "dep-1",
            "--login-url",
            login,
            "--redirect-uri",
            "https://kelp.example/launch",
            "--target-link-uri",
            "https://kelp.example/launch",
            "--jwks-url",
            "https://kelp.example/jwks",
        ])
    };
    let o = add(&product, "ftp://kelp.example/login");
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("--login-url: 'ftp://kelp.example/login' must be an http or https URL"),
        "{}",
        stderr(&o)
    );
    let o = add("99999", "https://kelp.example/login");
    assert!(stderr(&o).contains("--product: no product has id 99999"), "{}", stderr(&o));
    let o = add(&product, "https://kelp.example/login");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Registered LTI tool") && stdout(&o).contains("/lti/jwks"), "{}", stdout(&o));
    assert!(store.lti_tool_by_client("kelp-1").await.unwrap().is_some());
    let o = add(&product, "https://kelp.example/login");
    assert!(stderr(&o).contains("--client-id: a tool with this client id is already registered"), "{}", stderr(&o));
}
