//! The token endpoint of LTI Advantage: the OAuth 2.0 client-credentials grant with a JWT-bearer client assertion
//! signed by the tool's key (RFC 7523, as the 1EdTech Security Framework has it), each refusal with the error
//! RFC 6749 names; and the caller of a service, by the access token it was granted.

use super::jwt::verify_tool_token;
use super::Urls;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Deserialize;
use std::sync::Arc;
use steward_core::lti::claims::SERVICE_SCOPES;
use steward_store::{ClassContext, RosterScope, StoreError, Tool};

/// How long an access token is good for, in seconds.
const TOKEN_SECONDS: i64 = 3600;
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenRequest {
    grant_type: String,
    client_assertion_type: String,
    client_assertion: String,
    scope: String,
}

/// An OAuth 2.0 error answer, logged with its reason.
pub fn oauth_error(status: StatusCode, code: &str, why: &str) -> Response {
    tracing::warn!(error = code, reason = %why, "an LTI service request was refused");
    let body = serde_json::json!({ "error": code, "error_description": why });
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

/// A refused service call: an OAuth-style error with its reason, or a failure of Steward's own.
#[derive(Debug)]
pub enum ServiceError {
    Refused { status: StatusCode, code: &'static str, why: String },
    App(AppError),
}

impl ServiceError {
    pub fn new(status: StatusCode, code: &'static str, why: impl Into<String>) -> Self {
        Self::Refused { status, code, why: why.into() }
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", format!("no such {what} for this tool"))
    }
}

impl IntoResponse for ServiceError {
    fn into_response(self) -> Response {
        match self {
            Self::Refused { status, code, why } => oauth_error(status, code, &why),
            Self::App(e) => e.into_response(),
        }
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::not_found("line item"),
            e => Self::App(e.into()),
        }
    }
}

/// `POST /lti/token`.
pub async fn issue(State(state): State<AppState>, Form(req): Form<TokenRequest>) -> Response {
    let bad = |code: &str, why: &str| oauth_error(StatusCode::BAD_REQUEST, code, why);
    let unauthorized = |why: &str| oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", why);
    if req.grant_type != "client_credentials" {
        return bad("unsupported_grant_type", "grant_type must be client_credentials");
    }
    if req.client_assertion_type != JWT_BEARER || req.client_assertion.is_empty() {
        return bad("invalid_request", "a JWT-bearer client_assertion is required");
    }
    let claims = super::jwt::unverified_claims(&req.client_assertion);
    let Some(client) = claims.as_ref().and_then(|c| c["sub"].as_str().or(c["iss"].as_str())).map(str::to_owned) else {
        return unauthorized("the client assertion cannot be read");
    };
    let tool = match state.store.lti_tool_by_client(&client).await {
        Ok(Some(t)) => t,
        Ok(None) => return unauthorized(&format!("no tool is registered as '{client}'")),
        Err(e) => return AppError::from(e).into_response(),
    };
    let urls = Urls::new(&state.settings.public_url);
    let audiences = [urls.token(), urls.issuer().to_owned()];
    let claims = match verify_tool_token(&state, &tool, &req.client_assertion, &audiences, "jti").await {
        Ok(c) => c,
        Err(why) => return unauthorized(&why),
    };
    if claims["sub"].as_str() != Some(tool.tool.client_id.as_str()) {
        return unauthorized("the assertion's sub is not the tool's client id");
    }
    let granted: Vec<&str> = req.scope.split(' ').filter(|s| SERVICE_SCOPES.contains(s)).collect();
    if granted.is_empty() {
        return bad("invalid_scope", "none of the scopes asked for is one Steward grants");
    }
    let token = crate::auth::random_token();
    let scopes = granted.join(" ");
    let expires = steward_store::timestamp(chrono::Utc::now() + chrono::Duration::seconds(TOKEN_SECONDS));
    if let Err(e) = state.store.create_lti_access_token(tool.id, &crate::auth::digest(&token), &scopes, &expires).await
    {
        return AppError::from(e).into_response();
    }
    let body = serde_json::json!({
        "access_token": token, "token_type": "Bearer", "expires_in": TOKEN_SECONDS, "scope": scopes,
    });
    ([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

/// A tool calling a service with an access token, and the scopes it was granted.
pub struct ServiceCaller {
    pub tool: Tool,
    scopes: Vec<String>,
}

impl ServiceCaller {
    /// Refuses a call the token's scopes do not cover: any one of `scopes` will do.
    pub fn require(&self, scopes: &[&str]) -> Result<(), ServiceError> {
        if scopes.iter().any(|s| self.scopes.iter().any(|g| g == s)) {
            Ok(())
        } else {
            Err(ServiceError::new(
                StatusCode::FORBIDDEN,
                "insufficient_scope",
                format!("needs the scope {}", scopes[0]),
            ))
        }
    }
}

impl ServiceCaller {
    /// The class a service is called for, when the tool's product reaches it: approved and licensed at its school,
    /// inside the product's scope. Any other class is not found, as if it did not exist.
    /// Returns the class with the product's scope, which says what of people it may see.
    pub async fn class(&self, state: &AppState, class: &str) -> Result<(ClassContext, Arc<RosterScope>), ServiceError> {
        let not_found = || ServiceError::not_found("class");
        let context = match state.store.class_context(class).await {
            Ok(c) => c,
            Err(StoreError::NotFound) => return Err(not_found()),
            Err(e) => return Err(e.into()),
        };
        let today = chrono::Utc::now().date_naive();
        let scope = state.scopes.get(&state.store, self.tool.tool.product_id, today).await?;
        let at_school = context.school_sourced_id.as_ref().is_some_and(|s| scope.schools.contains(s));
        let in_grades = match (&scope.grade_codes, &context.grades) {
            (None, _) => true,
            (Some(codes), Some(grades)) => grades.split(',').any(|g| codes.iter().any(|c| c == g.trim())),
            (Some(_), None) => false,
        };
        if at_school && in_grades {
            Ok((context, scope))
        } else {
            Err(not_found())
        }
    }
}

impl FromRequestParts<AppState> for ServiceCaller {
    type Rejection = ServiceError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ServiceError> {
        let refused = |why: &str| ServiceError::new(StatusCode::UNAUTHORIZED, "invalid_token", why);
        let token = crate::auth::bearer(&parts.headers).ok_or_else(|| refused("a bearer access token is required"))?;
        let found = state.store.lti_access_token(&crate::auth::digest(token)).await?;
        let (tool_id, scopes) = found.ok_or_else(|| refused("the access token is unknown or has expired"))?;
        let tool = state.store.lti_tool(tool_id).await.map_err(|e| ServiceError::App(e.into()))?;
        Ok(Self { tool, scopes: scopes.split(' ').map(str::to_owned).collect() })
    }
}
