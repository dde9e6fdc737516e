//! Static assets, health, the not-found page and the security headers on every response.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

const STYLE: &str = include_str!("../../assets/style.css");
const LTI_POST: &str = include_str!("../../assets/lti-post.js");

pub async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], STYLE)
}

/// Sends an LTI message form to the tool: the only script Steward serves.
pub async fn lti_post() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        LTI_POST,
    )
}

/// For load balancers: 200 when this server and its database answer, 503 otherwise.
pub async fn health(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: the database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "the database does not answer")
        }
    }
}

/// One log line per request: method, path, status, time taken, and who asked (never the query string,
/// which can hold search terms, or any header).
pub async fn log_requests(req: Request, next: Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let user = req.extensions().get::<steward_store::SessionInfo>().map(|s| s.user.id);
    let started = std::time::Instant::now();
    let res = next.run(req).await;
    let ms = started.elapsed().as_millis() as u64;
    let status = res.status().as_u16();
    if status >= 500 {
        tracing::warn!(%method, %path, status, ms, ?user, "request");
    } else {
        tracing::info!(%method, %path, status, ms, ?user, "request");
    }
    res
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// The content security policy of every page, save one posting a form to a tool, which adds the tool's origin to
/// its last directive, `form-action`.
pub const POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
     frame-ancestors 'none'; form-action 'self'";

/// Every asset is Steward's own: the policy allows nothing from elsewhere. Served over https, browsers are told to
/// keep to https.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if state.settings.secure_cookies() {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    // A response that posts a form to a tool sets its own policy, naming where that form goes.
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(POLICY));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}
