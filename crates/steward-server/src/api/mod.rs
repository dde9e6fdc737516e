//! The JSON API under `/api/v1`: bearer-token sign-in, JSON errors, pagination, and the resource routes.
//!
//! Every handler asks [`steward_core::access`] (through [`ApiUser::require`]) before touching the store, and every
//! write goes through the store with the caller as the audit actor. Errors are always JSON:
//! `{"error": {"code", "message", "fields"?}}`. The machine-readable description is at `/api/v1/openapi.json`.

mod catalog;
mod contracts;
mod events;
mod extract;
mod openapi;
mod orgs;
mod owners;
mod paging;
mod products;

pub use extract::{ApiJson, ApiPath, ApiQuery, ApiUser};
pub use openapi::ApiDoc;
pub use paging::{Listed, Listing, Paging};

use crate::error::{ApiError, AppError};
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;

/// The largest batch of events one request may send: about 300,000 events.
const EVENTS_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// The API's routes, relative to `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/organizations", get(orgs::list).post(orgs::create))
        .route("/organizations/{id}", get(orgs::show).put(orgs::update))
        .route("/products", get(products::list).post(products::create))
        .route("/products/{id}", get(products::show).put(products::update))
        .route("/products/{id}/owners", get(owners::list).post(owners::create))
        .route("/products/{id}/owners/{owner_id}", delete(owners::remove))
        .route("/vendors", get(catalog::list_vendors).post(catalog::create_vendor))
        .route("/vendors/{id}", get(catalog::show_vendor).put(catalog::update_vendor))
        .route("/categories", get(catalog::list_categories).post(catalog::create_category))
        .route("/categories/{id}", get(catalog::show_category).put(catalog::update_category))
        .route("/contracts", get(contracts::list).post(contracts::create))
        .route("/contracts/{id}", get(contracts::show).put(contracts::update).delete(contracts::remove))
        .route("/events", post(events::ingest).layer(DefaultBodyLimit::max(EVENTS_BODY_LIMIT)))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// Unknown paths under `/api/v1` answer JSON, not the HTML error page.
async fn not_found() -> ApiError {
    ApiError(AppError::NotFound)
}

/// A known path with another method: 405 in the API's error shape (axum keeps the `Allow` header).
async fn method_not_allowed() -> Response {
    let body = serde_json::json!({ "error": {
        "code": "method_not_allowed",
        "message": "This address does not accept that method; the Allow header lists those it does.",
    }});
    (axum::http::StatusCode::METHOD_NOT_ALLOWED, axum::Json(body)).into_response()
}

/// `201 Created` with a `Location` header naming the new resource.
pub(crate) fn created<T: serde::Serialize>(location: String, body: T) -> Response {
    (axum::http::StatusCode::CREATED, [(header::LOCATION, location)], axum::Json(body)).into_response()
}

/// Turns an empty or blank optional text into `None`, trimmed otherwise.
pub(crate) fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A query parameter that could not be understood: 400, naming the parameter.
pub(crate) fn bad_param(name: &str, message: impl std::fmt::Display) -> ApiError {
    ApiError(AppError::BadRequest(format!("query parameter `{name}`: {message}")))
}

/// Parses an optional positive integer query parameter.
pub(crate) fn int_param(name: &str, v: &Option<String>) -> Result<Option<i64>, ApiError> {
    match given(v) {
        None => Ok(None),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or_else(|| bad_param(name, format!("'{s}' is not a positive whole number"))),
    }
}

/// Parses an optional vocabulary code query parameter (case-insensitive).
pub(crate) fn vocab_param<V: steward_core::enums::Vocabulary>(
    name: &str,
    v: &Option<String>,
) -> Result<Option<V>, ApiError> {
    given(v).map(V::parse).transpose().map_err(|m| bad_param(name, m))
}

/// Parses an optional `YYYY-MM-DD` query parameter.
pub(crate) fn date_param(name: &str, v: &Option<String>) -> Result<Option<chrono::NaiveDate>, ApiError> {
    steward_core::fields::optional_date(v.as_deref().unwrap_or_default()).map_err(|m| bad_param(name, m))
}

/// Parses an optional boolean query parameter: `true`/`false`/`1`/`0`.
pub(crate) fn bool_param(name: &str, v: &Option<String>) -> Result<Option<bool>, ApiError> {
    match given(v).map(str::to_ascii_lowercase).as_deref() {
        None => Ok(None),
        Some("true" | "1" | "yes") => Ok(Some(true)),
        Some("false" | "0" | "no") => Ok(Some(false)),
        Some(other) => Err(bad_param(name, format!("'{other}' is not true or false"))),
    }
}

/// An optional id in a body, as the text the core drafts validate.
pub(crate) fn id_text(v: Option<i64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}
