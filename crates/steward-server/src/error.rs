//! The one HTTP error type: it logs the cause and shows people a plain message, as a page or as JSON.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use steward_core::FieldErrors;
use steward_store::StoreError;

#[derive(Debug)]
pub enum AppError {
    /// Not signed in: pages redirect to the sign-in page, the API answers 401.
    SignInRequired {
        next: String,
    },
    Forbidden,
    NotFound,
    /// A request that can't be understood, with a message fit to show.
    BadRequest(String),
    /// Field-level problems with submitted values.
    Invalid(FieldErrors),
    TooManyAttempts,
    /// Anything else; the cause goes to the log, never to the person.
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::SignInRequired { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            Self::SignInRequired { .. } => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::BadRequest(_) => "bad_request",
            Self::Invalid(_) => "invalid",
            Self::TooManyAttempts => "too_many_attempts",
            Self::Internal(_) => "internal",
        }
    }

    /// What people are told.
    pub fn message(&self) -> String {
        match self {
            Self::SignInRequired { .. } => "Sign in to continue.".into(),
            Self::Forbidden => "Your role does not give access to this.".into(),
            Self::NotFound => "Nothing is here. It may have been removed, or the address may be mistyped.".into(),
            Self::BadRequest(m) => m.clone(),
            Self::Invalid(e) => format!("Some values need correcting: {e}"),
            Self::TooManyAttempts => "Too many failed sign-ins. Wait a few minutes and try again.".into(),
            Self::Internal(_) => "Something went wrong on our side. It has been logged; please try again.".into(),
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::Internal(e.to_string())
    }

    fn log(&self) {
        if let Self::Internal(cause) = self {
            tracing::error!(%cause, "request failed");
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Invalid { field, message } => {
                let mut f = FieldErrors::new();
                f.add(field, message);
                Self::Invalid(f)
            }
            StoreError::Rejected(f) => Self::Invalid(f),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        Self::Internal(format!("template: {e}"))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    title: String,
    message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        if let Self::SignInRequired { next } = &self {
            let to =
                format!("/sign-in?next={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>());
            return Redirect::to(&to).into_response();
        }
        let status = self.status();
        let page = ErrorPage {
            status: status.as_u16(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            message: self.message(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                (status, page.message).into_response()
            }
        }
    }
}

/// The same error, answered as JSON: `{"error": {"code", "message", "fields"?}}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        Self(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let mut body = serde_json::json!({ "code": self.0.code(), "message": self.0.message() });
        match &self.0 {
            AppError::Invalid(fields) => {
                body["message"] = "Some values need correcting.".into();
                body["fields"] = serde_json::to_value(fields.iter().collect::<Vec<_>>()).unwrap_or_default();
            }
            AppError::SignInRequired { .. } => {
                body["message"] = "Send a valid API token as `Authorization: Bearer <token>`.".into();
            }
            _ => {}
        }
        (self.0.status(), axum::Json(serde_json::json!({ "error": body }))).into_response()
    }
}
