//! Who is calling the OneRoster API: the client behind a bearer token; and errors as `imsx_StatusInfo`.

use crate::auth::digest;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use steward_interop::oneroster::rest::RestError;
use steward_store::ApiCaller;

/// An error answered as `imsx_StatusInfo` JSON with its HTTP status.
pub fn rest_error(e: &RestError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = (status, axum::Json(e.body())).into_response();
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"oneroster\""));
    }
    res
}

/// The API client behind a valid `Authorization: Bearer` access token.
#[derive(Debug, Clone)]
pub struct Caller(pub ApiCaller);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(token) = crate::auth::bearer(&parts.headers) else {
            return Err(rest_error(&RestError::unauthorised("send an access token as Authorization: Bearer <token>")));
        };
        match state.store.api_caller(&digest(token)).await {
            Ok(Some(c)) => Ok(Caller(c)),
            Ok(None) => Err(rest_error(&RestError::unauthorised("the access token is unknown or has expired"))),
            Err(e) => {
                tracing::error!(error = %e, "OneRoster token lookup failed");
                Err(rest_error(&RestError::internal()))
            }
        }
    }
}
