//! The Caliper endpoint, `/caliper`: a sensor sends envelopes with a bearer access token of its product's API client
//! (from `POST /oauth/token`); the events are checked (400 for a malformed envelope, 422 for an unsupported
//! `dataVersion`, 415 for a body that is not JSON, 401 without a valid token), then stored as usage of that product,
//! each once by its id. `GET` answers the endpoint's configuration.

use super::{ingest_events, Report};
use crate::auth::digest;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use steward_core::usage::{EventKind, ProductRef, UsageEvent, UserRef, MAX_SECONDS};
use steward_interop::caliper::{self, Event};

/// An RFC 7807 problem, as the Caliper spec allows for its errors.
fn problem(status: StatusCode, detail: impl Into<String>) -> Response {
    let body = serde_json::json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail.into(),
    });
    let mut res = (status, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response();
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    }
    res
}

/// The product whose API client holds the bearer token.
async fn sensor_product(state: &AppState, headers: &HeaderMap) -> Result<i64, Response> {
    let Some(token) = crate::auth::bearer(headers) else {
        return Err(problem(
            StatusCode::UNAUTHORIZED,
            "send an access token from /oauth/token as Authorization: Bearer",
        ));
    };
    match state.store.api_caller(&digest(token)).await {
        Ok(Some(c)) => Ok(c.product_id),
        Ok(None) => Err(problem(StatusCode::UNAUTHORIZED, "the access token is unknown or has expired")),
        Err(e) => {
            tracing::error!(error = %e, "Caliper token lookup failed");
            Err(problem(StatusCode::INTERNAL_SERVER_ERROR, "the endpoint could not check the token; try again"))
        }
    }
}

pub async fn configuration(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match sensor_product(&state, &headers).await {
        Ok(_) => axum::Json(caliper::configuration()).into_response(),
        Err(res) => res,
    }
}

/// What usage keeps of a Caliper event.
pub fn usage_event(e: &Event, product: i64) -> UsageEvent {
    let user = match (&e.actor.sourced_id, &e.actor.email) {
        (Some(id), _) => UserRef::SourcedId(id.clone()),
        (None, Some(email)) => UserRef::Email(email.clone()),
        // An IRI the roster does not hold: counted among unmatched users under it.
        (None, None) => UserRef::Username(e.actor.id.clone()),
    };
    let kind = match e.event_type.as_str() {
        "ToolLaunchEvent" if e.action == "Launched" => EventKind::Launch,
        "SessionEvent" => EventKind::Session,
        "AssessmentEvent" | "AssessmentItemEvent" | "GradeEvent" => EventKind::Assessment,
        _ => EventKind::Activity,
    };
    UsageEvent {
        id: Some(e.id.clone()),
        time: e.event_time.fixed_offset(),
        user,
        product: ProductRef::Id(product),
        school: None,
        kind,
        seconds: e.duration_seconds.unwrap_or(0).min(MAX_SECONDS),
    }
}

pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let product = match sensor_product(&state, &headers).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "send the envelope as application/json");
    }
    let envelope = match caliper::parse_envelope(&body) {
        Ok(e) => e,
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
            return problem(status, e.to_string());
        }
    };
    let events = envelope.events.iter().enumerate().map(|(i, e)| (i as u64 + 1, Ok(usage_event(e, product)))).collect();
    match ingest_events(&state, "caliper", events).await {
        Ok(report) => (StatusCode::OK, axum::Json::<Report>(report)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "storing Caliper events failed");
            problem(StatusCode::INTERNAL_SERVER_ERROR, "the events could not be stored; send the envelope again")
        }
    }
}
