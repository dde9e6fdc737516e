//! The xAPI statements resource (`/xapi/statements`, `/xapi/about`): a product's API client authenticates with HTTP
//! Basic (its client id and secret); every request names its version (`X-Experience-API-Version` 1.0.3 or 2.0.0);
//! statements are checked as the spec requires (one bad statement fails the whole request with its reason), given an
//! id when they have none, refused with 409 when their id is taken by a different statement, kept to be read back,
//! and stored as usage of the product, each once.

use super::{ingest_events, Report};
use crate::auth::{digest, password};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use steward_core::usage::{EventKind, ProductRef, UsageEvent, UserRef, MAX_SECONDS};
use steward_interop::xapi::{parse_statements, same_statement, Statement, Version, Who};
use tokio::sync::Mutex;

/// How long a checked client id and secret are taken without checking the secret's hash again.
const REMEMBER: Duration = Duration::from_secs(300);

/// Credentials checked recently (by the digest of the header), so that every request does not pay for argon2.
#[derive(Clone, Default)]
pub struct Credentials(Arc<Mutex<HashMap<String, (i64, Instant)>>>);

fn answer(status: StatusCode, version: Option<Version>, body: Option<serde_json::Value>) -> Response {
    let mut res = match body {
        Some(b) => (status, axum::Json(b)).into_response(),
        None => status.into_response(),
    };
    let v = version.map_or("2.0.0", Version::as_str);
    res.headers_mut().insert("X-Experience-API-Version", HeaderValue::from_static(v));
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"xAPI\""));
    }
    res
}

fn refuse(status: StatusCode, version: Option<Version>, message: impl Into<String>) -> Response {
    answer(status, version, Some(serde_json::json!({ "error": message.into() })))
}

/// The request's version and its client's product, or the answer refusing it.
async fn caller(state: &AppState, headers: &HeaderMap) -> Result<(Version, i64), Response> {
    let version = match headers.get("X-Experience-API-Version").and_then(|v| v.to_str().ok()) {
        None => return Err(refuse(StatusCode::BAD_REQUEST, None, "the X-Experience-API-Version header is required")),
        Some(v) => Version::from_header(v).map_err(|e| refuse(StatusCode::BAD_REQUEST, None, e))?,
    };
    let unauthorized =
        || refuse(StatusCode::UNAUTHORIZED, Some(version), "send the product's API client id and secret as HTTP Basic");
    let header = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or_else(unauthorized)?;
    let key = digest(header);
    if let Some((product, at)) = state.xapi_credentials.0.lock().await.get(&key) {
        if at.elapsed() < REMEMBER {
            return Ok((version, *product));
        }
    }
    let (id, secret) = crate::oneroster::token::basic_credentials(headers).ok_or_else(unauthorized)?;
    let found = state.store.api_client_for_token(&id).await.map_err(|e| {
        tracing::error!(error = %e, "xAPI client lookup failed");
        refuse(StatusCode::INTERNAL_SERVER_ERROR, Some(version), "the LRS could not check the credentials")
    })?;
    match found {
        Some((client, hash)) if password::verify(&secret, &hash) => {
            state.xapi_credentials.0.lock().await.insert(key, (client.product_id, Instant::now()));
            Ok((version, client.product_id))
        }
        Some(_) => Err(unauthorized()),
        None => {
            password::dummy_verify(&secret);
            Err(unauthorized())
        }
    }
}

pub async fn about() -> Response {
    answer(StatusCode::OK, None, Some(serde_json::json!({ "version": ["1.0.3", "2.0.0"] })))
}

fn new_id() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// What usage keeps of a statement: its id, who, when, what kind by its verb, how long.
pub fn usage_event(s: &Statement, product: i64) -> UsageEvent {
    let verb = s.verb_id().rsplit('/').next().unwrap_or_default();
    let kind = match verb {
        "launched" => EventKind::Launch,
        "initialized" | "terminated" | "exited" | "suspended" | "resumed" => EventKind::Session,
        "answered" | "passed" | "failed" | "scored" | "mastered" => EventKind::Assessment,
        "completed" if s.has_result() => EventKind::Assessment,
        _ => EventKind::Activity,
    };
    let user = match s.who() {
        Who::Email(m) => UserRef::Email(m),
        Who::Account(name) => UserRef::Username(name),
        Who::Other(key) => UserRef::Username(key),
    };
    UsageEvent {
        id: s.id().map(str::to_owned),
        time: s.timestamp().unwrap_or_else(|| chrono::Utc::now().fixed_offset()),
        user,
        product: ProductRef::Id(product),
        school: None,
        kind,
        seconds: s.duration_seconds().map_or(0, |d| (d.round() as u32).min(MAX_SECONDS)),
    }
}

/// Stores checked statements (ids given): 409 when an id is taken by a different statement.
async fn keep(
    state: &AppState,
    version: Version,
    product: i64,
    statements: Vec<Statement>,
) -> Result<Report, Response> {
    let failed = |e: steward_store::StoreError| {
        tracing::error!(error = %e, "storing xAPI statements failed");
        refuse(StatusCode::INTERNAL_SERVER_ERROR, Some(version), "the statements could not be stored; send them again")
    };
    let ids: Vec<String> = statements.iter().filter_map(|s| s.id().map(str::to_owned)).collect();
    let mut seen: HashMap<&str, &Statement> = HashMap::new();
    for s in &statements {
        let id = s.id().unwrap_or_default();
        if let Some(other) = seen.insert(id, s) {
            if !same_statement(other.json(), s.json()) {
                return Err(refuse(
                    StatusCode::BAD_REQUEST,
                    Some(version),
                    format!("statement id {id} is used twice in the request"),
                ));
            }
        }
    }
    let stored = state.store.xapi_statements_by_id(&ids).await.map_err(failed)?;
    let mut new = Vec::new();
    for s in &statements {
        let id = s.id().unwrap_or_default();
        match stored.get(id).map(|t| serde_json::from_str::<serde_json::Value>(t)) {
            Some(Ok(old)) if same_statement(&old, s.json()) => {}
            Some(_) => {
                return Err(refuse(
                    StatusCode::CONFLICT,
                    Some(version),
                    format!("statement {id} exists with other content"),
                ))
            }
            None => new.push((id.to_owned(), s.json().to_string())),
        }
    }
    state.store.store_xapi_statements(product, &new).await.map_err(failed)?;
    let events = statements.iter().enumerate().map(|(i, s)| (i as u64 + 1, Ok(usage_event(s, product)))).collect();
    ingest_events(state, "xapi", events).await.map_err(failed)
}

pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (version, product) = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let statements = match parse_statements(&body, version) {
        Ok(s) => s,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, Some(version), e.to_string()),
    };
    let statements: Vec<Statement> =
        statements.into_iter().map(|s| if s.id().is_some() { s } else { s.with_id(new_id()) }).collect();
    let ids: Vec<String> = statements.iter().filter_map(|s| s.id().map(str::to_owned)).collect();
    match keep(&state, version, product, statements).await {
        Ok(_) => answer(StatusCode::OK, Some(version), Some(serde_json::json!(ids))),
        Err(res) => res,
    }
}

#[derive(Deserialize)]
pub struct StatementQuery {
    #[serde(rename = "statementId")]
    statement_id: Option<String>,
}

pub async fn put(
    State(state): State<AppState>,
    Query(q): Query<StatementQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (version, product) = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let Some(id) = q.statement_id.filter(|i| !i.is_empty()) else {
        return refuse(StatusCode::BAD_REQUEST, Some(version), "PUT needs the statementId parameter");
    };
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, Some(version), format!("not JSON: {e}")),
    };
    let statement = match Statement::parse(&value, version) {
        Ok(s) => s,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, Some(version), e.to_string()),
    };
    if statement.id().is_some_and(|own| !own.eq_ignore_ascii_case(&id)) {
        return refuse(StatusCode::BAD_REQUEST, Some(version), "the statement's id differs from statementId");
    }
    if !steward_interop::xapi::is_uuid(&id) {
        return refuse(StatusCode::BAD_REQUEST, Some(version), format!("statementId '{id}' is not a UUID"));
    }
    match keep(&state, version, product, vec![statement.with_id(id)]).await {
        Ok(_) => answer(StatusCode::NO_CONTENT, Some(version), None),
        Err(res) => res,
    }
}

pub async fn get(State(state): State<AppState>, Query(q): Query<StatementQuery>, headers: HeaderMap) -> Response {
    let (version, product) = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let read = match &q.statement_id {
        Some(id) => state.store.xapi_statement(product, id).await.map(|s| s.map(|one| vec![one])),
        None => state.store.xapi_recent(product, 100).await.map(Some),
    };
    match read {
        Ok(Some(list)) => {
            let parsed: Vec<serde_json::Value> = list.iter().filter_map(|t| serde_json::from_str(t).ok()).collect();
            let body = match q.statement_id {
                Some(_) => parsed.into_iter().next().unwrap_or_default(),
                None => serde_json::json!({ "statements": parsed, "more": "" }),
            };
            answer(StatusCode::OK, Some(version), Some(body))
        }
        Ok(None) => refuse(StatusCode::NOT_FOUND, Some(version), "no such statement"),
        Err(e) => {
            tracing::error!(error = %e, "reading xAPI statements failed");
            refuse(StatusCode::INTERNAL_SERVER_ERROR, Some(version), "the statements could not be read")
        }
    }
}
