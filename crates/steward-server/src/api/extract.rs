//! The API's extractors: the bearer-token caller, and JSON/query/path readers whose rejections are JSON errors.

use crate::auth;
use crate::auth::bearer;
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use steward_core::access::Action;
use steward_store::User;

/// The caller, identified by `Authorization: Bearer <token>` (an API token created on the account page).
///
/// A missing, malformed, unknown or revoked token, or one whose account is inactive, is refused with
/// 401 and `WWW-Authenticate: Bearer`. Sessions (cookies) are deliberately not accepted here, so the API
/// needs no CSRF protection.
#[derive(Debug, Clone)]
pub struct ApiUser(pub User);

impl ApiUser {
    /// Asks the authorization module; a refusal is 403 `forbidden`.
    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        if self.may(action) {
            Ok(())
        } else {
            Err(ApiError(AppError::Forbidden))
        }
    }

    pub fn may(&self, action: Action) -> bool {
        self.0.access().may(action)
    }

    pub fn access(&self) -> steward_core::access::Actor {
        self.0.access()
    }

    /// Who the audit log records for the caller's changes.
    pub fn actor(&self) -> steward_store::Actor {
        self.0.actor()
    }
}

fn unauthenticated(invalid: bool) -> Response {
    let mut res = ApiError(AppError::SignInRequired { next: String::new() }).into_response();
    let challenge =
        if invalid { r#"Bearer realm="steward", error="invalid_token""# } else { r#"Bearer realm="steward""# };
    res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
    res
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(token) = bearer(&parts.headers) else { return Err(unauthenticated(false)) };
        match state.store.api_token_user(&auth::digest(token)).await {
            Ok(Some(user)) if user.active => Ok(ApiUser(user)),
            Ok(_) => Err(unauthenticated(true)),
            Err(e) => Err(ApiError::from(e).into_response()),
        }
    }
}

/// A JSON body; an unreadable one (bad syntax, wrong type, unknown field) is 400 with serde's message,
/// which names the offending field.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(ApiError(AppError::BadRequest(rejection.body_text()))),
        }
    }
}

/// Query parameters; unknown parameters are refused with 400 naming them.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(rejection) => Err(ApiError(AppError::BadRequest(rejection.body_text()))),
        }
    }
}

/// Path parameters (ids); one that does not parse is 404, since no such resource can exist.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        use axum::extract::rejection::PathRejection;
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(ApiError(AppError::NotFound)),
            Err(other) => Err(ApiError(AppError::Internal(other.body_text()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    #[test]
    fn reads_bearer_tokens() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer abc"));
        assert_eq!(bearer(&h), Some("abc"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("bearer  xyz "));
        assert_eq!(bearer(&h), Some("xyz"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer "));
        assert_eq!(bearer(&h), None);
    }
}
