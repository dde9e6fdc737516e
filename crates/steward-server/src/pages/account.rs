//! Signing in and out, with throttling, and each person's own API tokens.

use super::extract::{Path, Query};
use super::NoticeQuery;
use super::{render, Chrome};
use crate::auth::{
    constant_time_eq, digest, password, random_token, ClientAddr, CsrfForm, Viewer, SESSION_COOKIE, SIGN_IN_CSRF_COOKIE,
};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, SameSite, SignedCookieJar};
use serde::Deserialize;
use steward_core::access::Action;
use steward_store::ApiToken;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    csrf_token: String,
    next: String,
    email: String,
    error: Option<String>,
    /// The identity providers one may sign in with: (name, label).
    providers: Vec<(String, String)>,
}

/// The configured identity providers, for the sign-in page.
fn providers(state: &AppState) -> Vec<(String, String)> {
    state.settings.oidc.iter().map(|p| (p.name.clone(), p.label.clone())).collect()
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    /// Why signing in with an identity provider failed, as a fixed code (never echoed).
    failed: Option<String>,
}

/// What a failed sign-in with an identity provider tells the person, by code.
fn provider_failure(code: &str) -> Option<String> {
    Some(
        match code {
            "unknown" => "That identity provider is not configured.",
            "unavailable" => "The identity provider did not answer. Try again in a moment.",
            "expired" => "The sign-in took too long or was started elsewhere. Try again.",
            "refused" => "The identity provider did not sign you in.",
            "invalid" => "The identity provider's answer could not be trusted, so it was refused.",
            "no_account" => {
                "No active Steward account matches the account you signed in with. Ask your district administrator."
            }
            _ => return None,
        }
        .to_owned(),
    )
}

/// Only paths on this site: never an absolute URL, a protocol-relative one, or one that a browser would turn
/// into either by dropping control characters or whitespace.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// A signed, HttpOnly, SameSite cookie, Secure when Steward is served over https. It lasts for the browser
/// session; the session's real expiry is kept in the database.
pub fn cookie(state: &AppState, name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies())
        .build()
}

pub async fn sign_in_page(
    State(state): State<AppState>,
    jar: SignedCookieJar,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    let token = random_token();
    let jar = jar.add(cookie(&state, SIGN_IN_CSRF_COOKIE, token.clone()));
    let page = SignInPage {
        csrf_token: token,
        next: safe_next(q.next.as_deref()),
        email: String::new(),
        error: q.failed.as_deref().and_then(provider_failure),
        providers: providers(&state),
    };
    Ok((jar, render(page)?).into_response())
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf_token: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    jar: SignedCookieJar,
    form: Result<Form<SignInForm>, FormRejection>,
) -> Result<Response, AppError> {
    let Form(f) = form.map_err(|_| {
        AppError::BadRequest("The sign-in form could not be read. Reload the page and try again.".into())
    })?;
    let expected = jar.get(SIGN_IN_CSRF_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(&expected, &f.csrf_token) {
        return Err(AppError::BadRequest("This sign-in form has expired. Reload the page and try again.".into()));
    }
    let email = f.email.trim().to_lowercase();
    let key = format!("email:{email}");
    let since = steward_store::timestamp(
        chrono::Utc::now() - chrono::Duration::minutes(i64::from(state.settings.throttle_minutes)),
    );
    let retry = |error: &str| {
        let page = SignInPage {
            csrf_token: expected.clone(),
            next: safe_next(Some(&f.next)),
            email: email.clone(),
            error: Some(error.into()),
            providers: providers(&state),
        };
        render(page).map(|html| (axum::http::StatusCode::UNAUTHORIZED, html).into_response())
    };
    // Throttled per account, and per client address whatever accounts it tries (password spraying).
    let addr_key = addr.map(|a| format!("addr:{a}"));
    let account_throttled =
        state.store.login_failures_since(&key, &since).await? >= i64::from(state.settings.max_failed_sign_ins);
    let address_throttled = match &addr_key {
        Some(k) => {
            state.store.login_failures_since(k, &since).await?
                >= i64::from(state.settings.max_failed_sign_ins_per_address)
        }
        None => false,
    };
    if account_throttled || address_throttled {
        tracing::warn!(%email, address = ?addr, account_throttled, "sign-in throttled");
        let page = SignInPage {
            csrf_token: expected.clone(),
            next: safe_next(Some(&f.next)),
            email: email.clone(),
            error: Some(AppError::TooManyAttempts.message()),
            providers: providers(&state),
        };
        return Ok((axum::http::StatusCode::TOO_MANY_REQUESTS, render(page)?).into_response());
    }
    let account = state.store.user_for_sign_in(&email).await?;
    let verified = match &account {
        Some((_, hash)) => password::verify(&f.password, hash),
        None => {
            password::dummy_verify(&f.password);
            false
        }
    };
    let Some((user, _)) = account.filter(|_| verified) else {
        state.store.record_login_failure(&key).await?;
        if let Some(k) = &addr_key {
            state.store.record_login_failure(k).await?;
        }
        return retry("That e-mail and password do not match an account.");
    };
    state.store.clear_login_failures(&key).await?;
    let jar = jar.remove(Cookie::build(SIGN_IN_CSRF_COOKIE).path("/").build());
    start_session(&state, jar, &user, Some(&f.next)).await
}

/// Signs `user` in: a new session, its cookie, and the way to `next` (or the page their role starts on).
pub async fn start_session(
    state: &AppState,
    jar: SignedCookieJar,
    user: &steward_store::User,
    next: Option<&str>,
) -> Result<Response, AppError> {
    let token = random_token();
    let hours = i64::from(state.settings.session_hours);
    let expires = steward_store::timestamp(chrono::Utc::now() + chrono::Duration::hours(hours));
    state.store.create_session(&digest(&token), user.id, &random_token(), &expires).await?;
    tracing::info!(user = user.id, "signed in");
    let jar = jar.add(cookie(state, SESSION_COOKIE, token));
    let landing = match safe_next(next) {
        home if home == "/" && !user.access().may(Action::ViewDashboard) => "/catalog".to_owned(),
        next => next,
    };
    Ok((jar, Redirect::to(&landing)).into_response())
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn sign_out(
    State(state): State<AppState>,
    jar: SignedCookieJar,
    CsrfForm(_, _): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        state.store.delete_session(&digest(c.value())).await?;
    }
    Ok((jar.remove(Cookie::build(SESSION_COOKIE).path("/").build()), Redirect::to("/sign-in")).into_response())
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    chrome: Chrome,
    tokens: Vec<ApiToken>,
    new_token: Option<String>,
    error: Option<String>,
}

pub async fn tokens(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageOwnTokens)?;
    let tokens = state.store.api_tokens(viewer.user.id).await?;
    let chrome = Chrome::new(&viewer, "/account/tokens").with_notice(q.notice.as_deref());
    Ok(render(TokensPage { chrome, tokens, new_token: None, error: None })?.into_response())
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    CsrfForm(viewer, f): CsrfForm<TokenForm>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageOwnTokens)?;
    let name = f.name.trim();
    let chrome = Chrome::new(&viewer, "/account/tokens");
    if name.is_empty() || name.chars().count() > 100 {
        let tokens = state.store.api_tokens(viewer.user.id).await?;
        let error = Some("Name the token (up to 100 characters), such as the system that will use it.".into());
        return Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            render(TokensPage { chrome, tokens, new_token: None, error })?,
        )
            .into_response());
    }
    let raw = format!("stw_{}", random_token());
    state.store.create_api_token(&viewer.user, name, &digest(&raw)).await?;
    let tokens = state.store.api_tokens(viewer.user.id).await?;
    Ok(render(TokensPage { chrome, tokens, new_token: Some(raw), error: None })?.into_response())
}

pub async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, _): CsrfForm<Empty>,
) -> Result<Redirect, AppError> {
    viewer.require(Action::ManageOwnTokens)?;
    state.store.revoke_api_token(&viewer.user, id).await?;
    Ok(Redirect::to("/account/tokens?notice=revoked"))
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    chrome: Chrome,
    errors: steward_core::FieldErrors,
}

impl PasswordPage {
    fn err(&self, f: &str) -> Option<&str> {
        self.errors.get(f)
    }
}

pub async fn password_page(viewer: Viewer, Query(q): Query<NoticeQuery>) -> Result<Response, AppError> {
    let chrome = Chrome::new(&viewer, "/account/password").with_notice(q.notice.as_deref());
    Ok(render(PasswordPage { chrome, errors: steward_core::FieldErrors::new() })?.into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

/// Changes one's own password: the current one must be given, and every other session of the account ends.
pub async fn change_password(
    State(state): State<AppState>,
    jar: SignedCookieJar,
    CsrfForm(viewer, f): CsrfForm<PasswordForm>,
) -> Result<Response, AppError> {
    let mut errors = steward_core::FieldErrors::new();
    let stored = state.store.user_for_sign_in(&viewer.user.email).await?.map(|(_, hash)| hash).unwrap_or_default();
    if !password::verify(&f.current, &stored) {
        errors.add("current", "is not your current password");
    }
    if let Err(m) = steward_core::people::check_password(&f.new) {
        errors.add("new", m);
    } else if f.new == f.current {
        errors.add("new", "must differ from the current password");
    }
    if f.confirm != f.new {
        errors.add("confirm", "does not match the new password");
    }
    if !errors.is_empty() {
        let page = PasswordPage { chrome: Chrome::new(&viewer, "/account/password"), errors };
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response());
    }
    let hash = password::hash(&f.new).map_err(AppError::internal)?;
    let keep = jar.get(SESSION_COOKIE).map(|c| digest(c.value())).unwrap_or_default();
    state.store.change_password(&viewer.user, &hash, &keep).await?;
    Ok(Redirect::to("/account/password?notice=password_changed").into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/products?q=a")), "/products?q=a");
        for bad in
            ["https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example/", "/\n/x", "/ x", "x"]
        {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
