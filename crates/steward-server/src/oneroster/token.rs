//! `POST /oauth/token`: OAuth 2.0 client credentials (RFC 6749 §4.4) for OneRoster API clients, authenticated by
//! HTTP Basic. Tokens are opaque, random, kept as SHA-256 digests and live one hour.

use crate::auth::{digest, password, random_token};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::json;
use steward_interop::oneroster::rest::parse_scope;

/// How long an access token lives, in seconds.
pub const TOKEN_SECONDS: i64 = 3600;

/// An RFC 6749 §5.2 error; `invalid_client` is 401 with a `WWW-Authenticate` challenge.
fn error(code: &str, description: &str) -> Response {
    let status = if code == "invalid_client" { StatusCode::UNAUTHORIZED } else { StatusCode::BAD_REQUEST };
    let body = axum::Json(json!({ "error": code, "error_description": description }));
    let mut res = (status, [(header::CACHE_CONTROL, "no-store")], body).into_response();
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Basic realm=\"oneroster\""));
    }
    res
}

/// The client id and secret of an `Authorization: Basic` header, each form-urlencoded as RFC 6749 §2.3.1 says.
pub(crate) fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    let unescape =
        |s: &str| url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
    Some((unescape(id)?, unescape(secret)?))
}

pub async fn issue(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some((client_id, secret)) = basic_credentials(&headers) else {
        return error("invalid_client", "authenticate the client with HTTP Basic (client_id:client_secret)");
    };
    let found = match state.store.api_client_for_token(&client_id).await {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(error = %e, "token endpoint: client lookup failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(json!({ "error": "server_error" }))).into_response();
        }
    };
    let client = match found {
        Some((client, hash)) if password::verify(&secret, &hash) => client,
        Some(_) => return error("invalid_client", "the client id or secret is wrong"),
        None => {
            // As long as a real check, so that timing does not reveal which client ids exist.
            password::dummy_verify(&secret);
            return error("invalid_client", "the client id or secret is wrong");
        }
    };
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    match field("grant_type") {
        Some("client_credentials") => {}
        Some(_) => return error("unsupported_grant_type", "only grant_type=client_credentials is supported"),
        None => return error("invalid_request", "grant_type is required"),
    }
    let asked: Vec<String> = match field("scope").map(str::split_whitespace) {
        Some(words) => words.map(str::to_owned).collect(),
        None => client.scopes.clone(),
    };
    if let Some(bad) = asked.iter().find(|s| parse_scope(s).is_none() || !client.scopes.contains(s)) {
        return error("invalid_scope", &format!("this client may not be granted the scope '{bad}'"));
    }
    if asked.is_empty() {
        return error("invalid_scope", "no scope was asked for");
    }
    let token = random_token();
    let expires = steward_store::timestamp(chrono::Utc::now() + chrono::Duration::seconds(TOKEN_SECONDS));
    if let Err(e) = state.store.create_api_client_token(client.id, &digest(&token), &asked, &expires).await {
        tracing::error!(error = %e, "token endpoint: saving a token failed");
        return (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(json!({ "error": "server_error" }))).into_response();
    }
    let body = json!({
        "access_token": token,
        "token_type": "bearer",
        "expires_in": TOKEN_SECONDS,
        "scope": asked.join(" "),
    });
    ([(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")], axum::Json(body)).into_response()
}
