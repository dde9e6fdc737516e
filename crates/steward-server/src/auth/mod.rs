//! Who is asking: sessions from signed cookies, the CSRF check on every form, and the access check.

pub mod oidc;
pub mod password;

use crate::error::AppError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::cookie::SignedCookieJar;
use base64::Engine;
use rand::RngCore;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use steward_core::access::Action;
use steward_store::{SessionInfo, User};

pub const SESSION_COOKIE: &str = "steward_session";
/// Carries the CSRF token of the sign-in form, before any session exists.
pub const SIGN_IN_CSRF_COOKIE: &str = "steward_signin";

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a token: its SHA-256, so a leaked table grants nothing.
/// The token in an `Authorization: Bearer …` header, if there is one.
pub fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    let value = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Looks up the session named by the signed cookie and leaves it in the request for the extractors.
pub async fn load_session(
    State(state): State<AppState>,
    jar: SignedCookieJar,
    mut req: Request,
    next: Next,
) -> Response {
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        match state.store.session(&digest(cookie.value())).await {
            Ok(Some(session)) => {
                req.extensions_mut().insert(session);
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "session lookup failed"),
        }
    }
    next.run(req).await
}

/// The signed-in person viewing a page.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    pub csrf_token: String,
}

impl Viewer {
    /// Asks the authorization module; a refusal becomes 403.
    pub fn require(&self, action: Action) -> Result<(), AppError> {
        if self.may(action) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn may(&self, action: Action) -> bool {
        self.user.access().may(action)
    }

    pub fn actor(&self) -> steward_store::Actor {
        self.user.actor()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        match parts.extensions.get::<SessionInfo>() {
            Some(s) => Ok(Viewer { user: s.user.clone(), csrf_token: s.csrf_token.clone() }),
            None => Err(AppError::SignInRequired {
                next: parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into()),
            }),
        }
    }
}

#[derive(Deserialize)]
struct TokenField {
    #[serde(default)]
    csrf_token: String,
}

/// A submitted form whose CSRF token matched the session's, with its signed-in sender.
pub struct CsrfForm<T>(pub Viewer, pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let (mut parts, body) = req.into_parts();
        let viewer = Viewer::from_request_parts(&mut parts, state).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| AppError::BadRequest("The form could not be read.".into()))?;
        let sent: TokenField = serde_html_form::from_bytes(&bytes).map_err(|_| csrf_refused())?;
        if !constant_time_eq(&sent.csrf_token, &viewer.csrf_token) {
            return Err(csrf_refused());
        }
        let value = serde_html_form::from_bytes(&bytes)
            .map_err(|e| AppError::BadRequest(format!("The form could not be read: {e}")))?;
        Ok(CsrfForm(viewer, value))
    }
}

fn csrf_refused() -> AppError {
    AppError::BadRequest(
        "This form has expired or did not come from Steward. Go back, reload the page and try again.".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_digests_stable() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(digest("x"), digest("x"));
        assert_ne!(digest(&a), a);
        assert!(constant_time_eq("abc", "abc") && !constant_time_eq("abc", "abd") && !constant_time_eq("a", "ab"));
    }
}

/// The client's address: the connecting peer, or, when the peer is a trusted proxy, the nearest address in
/// `X-Forwarded-For` that is not itself a trusted proxy. `None` when the server was not given peer addresses.
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(client_address(parts, &state.settings.trusted_proxies)))
    }
}

fn client_address(parts: &Parts, trusted: &[std::net::IpAddr]) -> Option<std::net::IpAddr> {
    let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()?.0.ip();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<std::net::IpAddr> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded.into_iter().rev().find(|ip| !trusted.contains(ip)).or(Some(peer))
}

#[cfg(test)]
mod address_tests {
    use super::client_address;
    use axum::extract::ConnectInfo;
    use axum::http::Request;
    use std::net::{IpAddr, SocketAddr};

    fn parts(peer: &str, forwarded: Option<&str>) -> axum::http::request::Parts {
        let mut b = Request::builder();
        if let Some(f) = forwarded {
            b = b.header("x-forwarded-for", f);
        }
        let (mut parts, _) = b.body(()).unwrap().into_parts();
        parts.extensions.insert(ConnectInfo(SocketAddr::new(peer.parse().unwrap(), 4000)));
        parts
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let lb: IpAddr = "10.0.0.5".parse().unwrap();
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        // A client that is not a trusted proxy cannot choose its address with the header.
        assert_eq!(client_address(&parts("203.0.113.9", Some("198.51.100.1")), &[lb]), ip("203.0.113.9"));
        // Behind the load balancer, the nearest untrusted hop is the client; what it prepended is ignored.
        assert_eq!(client_address(&parts("10.0.0.5", Some("1.2.3.4, 198.51.100.7")), &[lb]), ip("198.51.100.7"));
        assert_eq!(client_address(&parts("10.0.0.5", None), &[lb]), ip("10.0.0.5"));
    }
}
