//! `POST /api/v1/events`: usage events as NDJSON, one per line (the schema is in `steward_core::usage`'s
//! `ndjson` module and the OpenAPI document). Good lines are stored, bad ones reported by line with a count; an
//! event sent twice is counted once.

use super::ApiUser;
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use crate::usage::ndjson::{self, Report, Window};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use steward_core::access::Action;
use steward_core::FieldErrors;

/// The media types an events body may be sent as.
const NDJSON_TYPES: &[&str] = &["application/x-ndjson", "application/jsonl", "application/json", "text/plain"];

/// Stores a batch of events.
#[utoipa::path(post, path = "/api/v1/events", tag = "usage",
    request_body(content = String, content_type = "application/x-ndjson",
        description = "One event per line: {\"time\":\"2026-10-05T08:15:00-05:00\",\"userSourcedId\":\"stu-1\",\
\"productDomain\":\"math.example\",\"kind\":\"session\",\"durationSeconds\":900} — `time` (RFC 3339 with an offset) \
and `kind` (launch, session, activity, assessment) required; the user by userSourcedId, userEmail or username; the \
product by productId, ltiClientId or productDomain; optional id, schoolSourcedId, durationSeconds (0–86400)."),
    responses(
        (status = 200, description = "What was stored, what was already stored, and each refused line"),
        (status = 401, description = "No valid API token"),
        (status = 403, description = "The token's account may not send usage"),
        (status = 415, description = "Not NDJSON"),
        (status = 422, description = "No line held a usable event: each line's error"),
    ),
    security(("bearer" = [])))]
pub async fn ingest(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    user.require(Action::IngestUsage)?;
    if let Some(kind) = headers.get(header::CONTENT_TYPE) {
        let kind = kind.to_str().unwrap_or_default().split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        if !NDJSON_TYPES.contains(&kind.as_str()) {
            let body = serde_json::json!({ "error": {
                "code": "unsupported_media_type",
                "message": format!("Send events as application/x-ndjson, one JSON object per line (got {kind})."),
            }});
            return Ok((axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE, axum::Json(body)).into_response());
        }
    }
    let directory = state.directories.get(&state.store).await.map_err(|e| ApiError(e.into()))?;
    let window = Window::new(chrono::Utc::now(), state.settings.usage_retention_days);
    let report = ndjson::ingest(&state.store, directory, window, "api", std::io::Cursor::new(body), |_, _| {})
        .await
        .map_err(|e| ApiError(e.into()))?;
    if report.stored + report.duplicates == 0 && report.rejected > 0 {
        return Err(ApiError(AppError::Invalid(line_errors(&report))));
    }
    Ok(axum::Json(report).into_response())
}

/// Each refused line as a field error named `line N` (and the field at fault).
fn line_errors(report: &Report) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for e in report.errors.iter().take(100) {
        let field = match e.field {
            Some(f) => format!("line {}: {f}", e.line),
            None => format!("line {}", e.line),
        };
        errors.add(&field, e.reason.clone());
    }
    errors
}
