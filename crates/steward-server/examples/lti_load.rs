//! The load generator of `bench/lti.py`: plays an LTI 1.3 tool against a running Steward and drives full
//! platform-side launches — `GET /launch/{product}?class=…` (login initiation: a 303 to the tool's login URL, whose
//! query is parsed here, no request going to the tool) then `GET /lti/authorize?…` with a nonce used once, answered
//! by the auto-posting form holding the signed id_token — as fast as it can with N launches in flight, on one
//! thread, for one signed-in session. Not a test: it measures and prints, it asserts no speed.
//!
//!     cargo run --release -p steward-server --example lti_load -- jwk
//!         prints a new RSA public key as a JWK (the tool's registration needs one; the launch never uses it)
//!     cargo run --release -p steward-server --example lti_load -- run --base URL --email E --password P \
//!         --product ID --class SOURCED_ID --client-id C --redirect-uri U --launches N --concurrency 1,8,32 \
//!         [--server-pid PID]
//!         signs in through the form, verifies one id_token against /lti/jwks, then for each concurrency runs N
//!         launches (after a short warm-up) and prints one JSON line: launches/s, errors, p50/p99 of the launch
//!         and of each of its two requests, and the CPU ticks this process and the server used meanwhile.

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use reqwest::redirect::Policy;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("jwk") => {
            let private = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)?;
            let kid = format!("bench-{}", &steward_server::auth::random_token()[..8]);
            println!("{}", steward_server::lti::keys::public_jwk(&rsa::RsaPublicKey::from(&private), &kid));
            Ok(())
        }
        Some("run") => {
            let opts = Opts::parse(&args[1..])?;
            // One thread: on a small machine the generator competes with the server for the cores.
            tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(run(opts))
        }
        _ => Err("usage: lti_load jwk | lti_load run --base URL --email E --password P --product ID --class C \
                  --client-id C --redirect-uri U --launches N --concurrency 1,8,32 [--server-pid PID]"
            .into()),
    }
}

struct Opts {
    base: String,
    email: String,
    password: String,
    product: i64,
    class: String,
    client_id: String,
    redirect_uri: String,
    launches: usize,
    concurrency: Vec<usize>,
    server_pid: Option<u32>,
}

impl Opts {
    fn parse(args: &[String]) -> Result<Opts, Error> {
        let mut m: HashMap<&str, &str> = HashMap::new();
        for pair in args.chunks(2) {
            let [k, v] = pair else { return Err(format!("{} has no value", pair[0]).into()) };
            let k = k.strip_prefix("--").ok_or_else(|| format!("not an option: {k}"))?;
            m.insert(k, v);
        }
        let get = |k: &str| m.get(k).map(|v| v.to_string()).ok_or_else(|| format!("--{k} is required"));
        Ok(Opts {
            base: get("base")?.trim_end_matches('/').to_owned(),
            email: get("email")?,
            password: get("password")?,
            product: get("product")?.parse()?,
            class: get("class")?,
            client_id: get("client-id")?,
            redirect_uri: get("redirect-uri")?,
            launches: get("launches")?.parse()?,
            concurrency: get("concurrency")?.split(',').map(str::parse).collect::<Result<_, _>>()?,
            server_pid: m.get("server-pid").map(|p| p.parse()).transpose()?,
        })
    }
}

/// The signed-in browser the launches share: its session cookie, and no redirect followed.
async fn signed_in(o: &Opts) -> Result<reqwest::Client, Error> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .pool_max_idle_per_host(1024)
        .timeout(Duration::from_secs(60))
        .build()?;
    let page = client.get(format!("{}/sign-in", o.base)).send().await?.text().await?;
    let csrf = page
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .ok_or("the sign-in page has no csrf_token")?
        .to_owned();
    let form = [("email", o.email.as_str()), ("password", o.password.as_str()), ("csrf_token", &csrf), ("next", "/")];
    let res = client.post(format!("{}/sign-in", o.base)).form(&form).send().await?;
    if res.status() != 303 {
        return Err(format!("signing in answered {}", res.status()).into());
    }
    Ok(client)
}

/// What one launch took: the whole, and each of its two requests.
struct Timing {
    total: Duration,
    login: Duration,
    authorize: Duration,
}

/// One launch as a tool drives it; returns its timings and the id_token.
async fn launch(client: &reqwest::Client, o: &Opts, nonce: &str) -> Result<(Timing, String), String> {
    let start = Instant::now();
    let res = client
        .get(format!("{}/launch/{}?class={}", o.base, o.product, o.class))
        .send()
        .await
        .map_err(|e| format!("launch: {e}"))?;
    if res.status() != 303 {
        return Err(format!("launch answered {}", res.status()));
    }
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).ok_or("launch: no Location")?.to_owned();
    drop(res.bytes().await);
    let login_done = Instant::now();
    let login: HashMap<String, String> =
        url::Url::parse(&location).map_err(|e| format!("Location: {e}"))?.query_pairs().into_owned().collect();
    let field = |k: &str| login.get(k).cloned().ok_or_else(|| format!("login initiation has no {k}"));
    if field("client_id")? != o.client_id {
        return Err("login initiation names another client".into());
    }
    let auth = url::Url::parse_with_params(
        &format!("{}/lti/authorize", o.base),
        [
            ("scope", "openid"),
            ("response_type", "id_token"),
            ("response_mode", "form_post"),
            ("prompt", "none"),
            ("client_id", &o.client_id),
            ("redirect_uri", &o.redirect_uri),
            ("login_hint", &field("login_hint")?),
            ("lti_message_hint", &field("lti_message_hint")?),
            ("state", "bench-state"),
            ("nonce", nonce),
        ],
    )
    .map_err(|e| e.to_string())?;
    let res = client.get(auth).send().await.map_err(|e| format!("authorize: {e}"))?;
    let status = res.status();
    let html = res.text().await.map_err(|e| format!("authorize: {e}"))?;
    let end = Instant::now();
    if status != 200 {
        return Err(format!("authorize answered {status}"));
    }
    let token = html
        .split("name=\"id_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .filter(|t| t.split('.').count() == 3)
        .ok_or_else(|| {
            let error = html.split("name=\"error_description\" value=\"").nth(1).and_then(|s| s.split('"').next());
            format!("no id_token in the answer ({})", error.unwrap_or("no error named"))
        })?;
    Ok((Timing { total: end - start, login: login_done - start, authorize: end - login_done }, token.to_owned()))
}

/// Steward's id_token checked with its published key: signature, issuer, audience, expiry and our nonce.
async fn verify(client: &reqwest::Client, o: &Opts, token: &str, nonce: &str) -> Result<Value, Error> {
    let kid = jsonwebtoken::decode_header(token)?.kid.ok_or("the id_token's header names no key")?;
    let set: Value = client.get(format!("{}/lti/jwks", o.base)).send().await?.json().await?;
    let jwk = set["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kid"] == kid.as_str()))
        .ok_or("the id_token's key is not in /lti/jwks")?;
    let key = DecodingKey::from_rsa_components(
        jwk["n"].as_str().ok_or("the key has no n")?,
        jwk["e"].as_str().ok_or("the key has no e")?,
    )?;
    let mut v = Validation::new(Algorithm::RS256);
    v.set_audience(&[&o.client_id]);
    v.set_issuer(&[&o.base]);
    let claims = jsonwebtoken::decode::<Value>(token, &key, &v)?.claims;
    if claims["nonce"] != nonce {
        return Err("the id_token carries another nonce".into());
    }
    let claim = |n: &str| claims[format!("https://purl.imsglobal.org/spec/lti/claim/{n}")].clone();
    Ok(json!({
        "verified": true, "kid": kid, "iss": claims["iss"], "sub": claims["sub"], "bytes": token.len(),
        "message_type": claim("message_type"), "context": claim("context")["id"], "roles": claim("roles"),
    }))
}

/// User plus system CPU ticks of a process, all its threads.
fn cpu_ticks(pid: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let rest: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(rest.get(11)?.parse::<u64>().ok()? + rest.get(12)?.parse::<u64>().ok()?)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// `launches` launches with `concurrency` in flight; returns the timings of the good ones, the errors and the
/// wall time.
async fn drive(
    client: &reqwest::Client,
    o: &Arc<Opts>,
    run: &str,
    concurrency: usize,
    launches: usize,
) -> (Vec<Timing>, Vec<String>, Duration) {
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, o, next, errors, run) =
            (client.clone(), Arc::clone(o), next.clone(), errors.clone(), run.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= launches {
                    return mine;
                }
                match launch(&client, &o, &format!("{run}-{i}")).await {
                    Ok((t, _)) => mine.push(t),
                    Err(e) => errors.lock().unwrap_or_else(|e| e.into_inner()).push(e),
                }
            }
        }));
    }
    let mut timings = Vec::with_capacity(launches);
    for t in tasks {
        timings.extend(t.await.unwrap_or_default());
    }
    let wall = start.elapsed();
    let errors = std::mem::take(&mut *errors.lock().unwrap_or_else(|e| e.into_inner()));
    (timings, errors, wall)
}

async fn run(o: Opts) -> Result<(), Error> {
    let o = Arc::new(o);
    let client = signed_in(&o).await?;
    let run = format!("bench-{}", &steward_server::auth::random_token()[..12]);

    let nonce = format!("{run}-verify");
    let (_, token) = launch(&client, &o, &nonce).await?;
    let mut checked = verify(&client, &o, &token, &nonce).await?;
    checked["event"] = "verified".into();
    println!("{checked}");

    let server = o.server_pid.map(|p| p.to_string());
    for &c in &o.concurrency {
        // A warm-up: connections opened, caches filled.
        let (_, errors, _) = drive(&client, &o, &format!("{run}-c{c}-warm"), c, (c * 20).min(o.launches)).await;
        if let Some(e) = errors.first() {
            return Err(format!("the warm-up failed: {e} ({} errors)", errors.len()).into());
        }
        let (me0, srv0) = (cpu_ticks("self"), server.as_deref().and_then(cpu_ticks));
        let (timings, errors, wall) = drive(&client, &o, &format!("{run}-c{c}"), c, o.launches).await;
        let (me1, srv1) = (cpu_ticks("self"), server.as_deref().and_then(cpu_ticks));
        let sorted = |f: fn(&Timing) -> Duration| {
            let mut v: Vec<Duration> = timings.iter().map(f).collect();
            v.sort();
            v
        };
        let (total, login, authorize) = (sorted(|t| t.total), sorted(|t| t.login), sorted(|t| t.authorize));
        let mut first_errors: Vec<&String> = errors.iter().take(3).collect();
        first_errors.dedup();
        println!(
            "{}",
            json!({
                "event": "level",
                "concurrency": c,
                "launches": o.launches,
                "ok": timings.len(),
                "errors": errors.len(),
                "first_errors": first_errors,
                "seconds": wall.as_secs_f64(),
                "per_second": timings.len() as f64 / wall.as_secs_f64(),
                "p50_ms": percentile(&total, 50.0),
                "p99_ms": percentile(&total, 99.0),
                "login_p50_ms": percentile(&login, 50.0),
                "login_p99_ms": percentile(&login, 99.0),
                "authorize_p50_ms": percentile(&authorize, 50.0),
                "authorize_p99_ms": percentile(&authorize, 99.0),
                "generator_ticks": me1.zip(me0).map(|(a, b)| a - b),
                "server_ticks": srv1.zip(srv0).map(|(a, b)| a - b),
            })
        );
    }
    Ok(())
}
