//! Signing in with the district's OpenID Connect provider: the authorization code flow with PKCE and a nonce, the
//! id_token checked by openidconnect (signature against the provider's keys, issuer, audience, expiry, nonce), and
//! the account found by the claim the provider is configured to match — an e-mail, or a OneRoster sourcedId whose
//! roster e-mail names the account.

use crate::error::AppError;
use crate::pages::account::{cookie, start_session};
use crate::settings::OidcProvider;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SignedCookieJar};
use base64::Engine;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use steward_core::enums::Vocabulary;
use steward_core::people::UserInput;
use steward_core::role::Role;

/// Carries one sign-in's state, nonce and PKCE verifier from the redirect to the callback, signed.
const FLOW_COOKIE: &str = "steward_oidc";

#[derive(Serialize, Deserialize)]
struct Flow {
    provider: String,
    state: String,
    nonce: String,
    verifier: String,
    next: String,
    /// Unix seconds after which the flow is refused.
    until: i64,
}

/// Why a sign-in failed: the code the sign-in page explains, and the reason for the log.
struct Failed(&'static str, String);

fn back_to_sign_in(next: &str, code: &str) -> Response {
    let next = url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>();
    Redirect::to(&format!("/sign-in?failed={code}&next={next}")).into_response()
}

fn provider<'a>(state: &'a AppState, name: &str) -> Result<&'a OidcProvider, Failed> {
    state.settings.oidc.iter().find(|p| p.name == name).ok_or(Failed("unknown", format!("no provider named {name}")))
}

fn http() -> Result<openidconnect::reqwest::Client, Failed> {
    openidconnect::reqwest::ClientBuilder::new()
        // Following redirects would let a provider point Steward's requests anywhere.
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| Failed("unavailable", format!("HTTP client: {e}")))
}

async fn metadata(p: &OidcProvider, http: &openidconnect::reqwest::Client) -> Result<CoreProviderMetadata, Failed> {
    let issuer = IssuerUrl::new(p.issuer.clone()).map_err(|e| Failed("unavailable", format!("issuer: {e}")))?;
    CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|e| Failed("unavailable", format!("discovery of {}: {e}", p.issuer)))
}

fn redirect_uri(state: &AppState, p: &OidcProvider) -> Result<RedirectUrl, Failed> {
    let base = state.settings.public_url.trim_end_matches('/');
    RedirectUrl::new(format!("{base}/sign-in/oidc/{}/callback", p.name))
        .map_err(|e| Failed("unknown", format!("redirect URI: {e}")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StartQuery {
    next: Option<String>,
}

/// Sends the browser to the provider, with a fresh state, nonce and PKCE challenge kept in a signed cookie.
pub async fn start(
    State(state): State<AppState>,
    jar: SignedCookieJar,
    Path(name): Path<String>,
    Query(q): Query<StartQuery>,
) -> Response {
    let next = crate::pages::account::safe_next(q.next.as_deref());
    let begun = async {
        let p = provider(&state, &name)?;
        let http = http()?;
        let client = CoreClient::from_provider_metadata(
            metadata(p, &http).await?,
            ClientId::new(p.client_id.clone()),
            Some(ClientSecret::new(p.client_secret.0.clone())),
        )
        .set_redirect_uri(redirect_uri(&state, p)?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, csrf, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let flow = Flow {
            provider: p.name.clone(),
            state: csrf.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
            next: next.clone(),
            until: chrono::Utc::now().timestamp() + 600,
        };
        let value = serde_json::to_string(&flow).map_err(|e| Failed("unavailable", e.to_string()))?;
        Ok::<_, Failed>((jar.add(cookie(&state, FLOW_COOKIE, value)), Redirect::to(url.as_str())).into_response())
    };
    match begun.await {
        Ok(r) => r,
        Err(Failed(code, why)) => {
            tracing::warn!(provider = %name, reason = %why, "could not start an OpenID Connect sign-in");
            back_to_sign_in(&next, code)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// The provider's answer: the state matched, the code exchanged with the PKCE verifier, the id_token verified with
/// the nonce, the account found by the configured claim, and a session started.
pub async fn callback(
    State(state): State<AppState>,
    jar: SignedCookieJar,
    Path(name): Path<String>,
    Query(q): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    let flow: Option<Flow> = jar.get(FLOW_COOKIE).and_then(|c| serde_json::from_str(c.value()).ok());
    let jar = jar.remove(Cookie::build(FLOW_COOKIE).path("/").build());
    let next = flow.as_ref().map(|f| f.next.clone()).unwrap_or_else(|| "/".into());
    match finish(&state, &name, flow, q).await {
        Ok(user) => start_session(&state, jar, &user, Some(&next)).await,
        Err(Failed(code, why)) => {
            tracing::warn!(provider = %name, reason = %why, "OpenID Connect sign-in refused");
            Ok((jar, back_to_sign_in(&next, code)).into_response())
        }
    }
}

async fn finish(
    state: &AppState,
    name: &str,
    flow: Option<Flow>,
    q: CallbackQuery,
) -> Result<steward_store::User, Failed> {
    let p = provider(state, name)?;
    let flow = flow.ok_or(Failed("expired", "no sign-in in progress in this browser".into()))?;
    if flow.provider != p.name || flow.until < chrono::Utc::now().timestamp() {
        return Err(Failed("expired", "the sign-in in progress is for another provider, or too old".into()));
    }
    if let Some(e) = q.error {
        return Err(Failed("refused", format!("the provider answered {e}")));
    }
    let sent = q.state.unwrap_or_default();
    if !crate::auth::constant_time_eq(&sent, &flow.state) {
        return Err(Failed("expired", "the state does not match the sign-in in progress".into()));
    }
    let code = q.code.ok_or(Failed("refused", "no authorization code".into()))?;
    let http = http()?;
    let client = CoreClient::from_provider_metadata(
        metadata(p, &http).await?,
        ClientId::new(p.client_id.clone()),
        Some(ClientSecret::new(p.client_secret.0.clone())),
    )
    .set_redirect_uri(redirect_uri(state, p)?);
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| Failed("invalid", format!("no token endpoint: {e}")))?
        .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier))
        .request_async(&http)
        .await
        .map_err(|e| Failed("refused", format!("token request: {e}")))?;
    let id_token = tokens.id_token().ok_or(Failed("invalid", "no id_token in the token response".into()))?;
    let claims = id_token
        .claims(&client.id_token_verifier(), &Nonce::new(flow.nonce))
        .map_err(|e| Failed("invalid", format!("id_token: {e}")))?;
    let value = if p.claim == "email" {
        claims.email().map(|e| e.as_str().to_owned())
    } else if p.claim == "sub" {
        Some(claims.subject().as_str().to_owned())
    } else {
        // The signature and every check above have passed; the configured claim is read from the same payload.
        claim_of(&id_token.to_string(), &p.claim)
    };
    // Providers that keep the id_token small put the e-mail only in UserInfo, read with the access token; the
    // subject it answers for must be the id_token's.
    let value = match value {
        Some(v) => Some(v),
        None if p.claim == "email" => {
            let subject = claims.subject().clone();
            let info: openidconnect::core::CoreUserInfoClaims = client
                .user_info(tokens.access_token().clone(), Some(subject))
                .map_err(|e| Failed("invalid", format!("no UserInfo endpoint: {e}")))?
                .request_async(&http)
                .await
                .map_err(|e| Failed("invalid", format!("UserInfo: {e}")))?;
            info.email().map(|e| e.as_str().to_owned())
        }
        None => None,
    };
    let value = value.ok_or_else(|| Failed("no_account", format!("the id_token has no {} claim", p.claim)))?;
    let email = if p.claim == "email" {
        value
    } else {
        let person = state.store.roster_person(&value).await.map_err(|e| Failed("no_account", e.to_string()))?;
        person.0.email.ok_or_else(|| Failed("no_account", format!("roster person {value} has no e-mail")))?
    };
    let found = state.store.active_user_by_email(&email).await.map_err(|e| Failed("unavailable", e.to_string()))?;
    match found {
        Some(user) => Ok(user),
        None => provision(state, &email).await,
    }
}

/// The account of a rostered student or teacher signing in for the first time: made from the roster (their name,
/// role and school), without a password. Staff accounts are never made this way; an administrator makes them.
async fn provision(state: &AppState, email: &str) -> Result<steward_store::User, Failed> {
    let none =
        || Failed("no_account", format!("no active account for {email}, and no student or teacher on the roster"));
    let store = &state.store;
    let sid = store
        .roster_person_by_email(email)
        .await
        .map_err(|e| Failed("unavailable", e.to_string()))?
        .ok_or_else(none)?;
    let (person, _, _) = store.roster_person(&sid).await.map_err(|e| Failed("unavailable", e.to_string()))?;
    let role = match person.role.as_deref() {
        Some("student") => Role::Student,
        Some("teacher") => Role::Teacher,
        _ => return Err(none()),
    };
    let schools = store.schools().await.map_err(|e| Failed("unavailable", e.to_string()))?;
    let school = schools
        .iter()
        .find(|s| s.org.sourced_id.is_some() && s.org.sourced_id == person.school_sourced_id)
        .ok_or_else(none)?;
    let input = UserInput { email: email.trim().to_lowercase(), name: person.name(), role, school_id: Some(school.id) };
    let id = store
        .create_user_without_password(&steward_store::Actor::system("sign-in"), &input)
        .await
        .map_err(|e| Failed("no_account", format!("making the account of {email}: {e}")))?;
    tracing::info!(user = id, %email, role = role.code(), "made the account of a rostered person at first sign-in");
    store.user(id).await.map_err(|e| Failed("unavailable", e.to_string()))
}

/// A claim of a (verified) JWT's payload, as text.
fn claim_of(jwt: &str, name: &str) -> Option<String> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    match claims.get(name)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
