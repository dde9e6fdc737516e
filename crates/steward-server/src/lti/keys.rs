//! The platform's RSA signing keys: one signs (the newest), each with a `kid`; a rotation makes a new one and
//! retires the others, which stay in the published JWKS for a grace period so that tools holding a token signed
//! just before still verify it.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use rsa::pkcs8::EncodePrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use steward_store::{Actor, SigningKey, Store};

/// How long a retired key stays published.
pub const GRACE_DAYS: i64 = 7;
const BITS: usize = 2048;

/// Makes a new key and makes it the one that signs.
pub async fn rotate(store: &Store, actor: &Actor) -> Result<String, AppError> {
    let private = tokio::task::spawn_blocking(|| RsaPrivateKey::new(&mut rand::rngs::OsRng, BITS))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let der = private.to_pkcs8_der().map_err(AppError::internal)?;
    let kid = crate::auth::random_token()[..16].to_owned();
    let jwk = public_jwk(&RsaPublicKey::from(&private), &kid);
    store.add_lti_key(actor, &kid, der.as_bytes(), &jwk.to_string()).await?;
    tracing::info!(%kid, "made a new LTI signing key");
    Ok(kid)
}

/// A public key as a JWK for RS256 signatures.
pub fn public_jwk(key: &RsaPublicKey, kid: &str) -> serde_json::Value {
    let b64 = |bytes: Vec<u8>| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    serde_json::json!({
        "kty": "RSA",
        "kid": kid,
        "use": "sig",
        "alg": "RS256",
        "n": b64(key.n().to_bytes_be()),
        "e": b64(key.e().to_bytes_be()),
    })
}

/// Makes the first signing key when there is none: done when a server starts, so that no read makes one.
pub async fn ensure(store: &Store) -> Result<(), AppError> {
    if !store.lti_keys().await?.iter().any(|k| k.retired_at.is_none()) {
        rotate(store, &Actor::system("lti")).await?;
    }
    Ok(())
}

/// The key that signs.
pub async fn current(store: &Store) -> Result<SigningKey, AppError> {
    store.lti_keys().await?.into_iter().find(|k| k.retired_at.is_none()).ok_or(AppError::NotFound)
}

/// The keys tools verify Steward's messages with: the current one and those retired within the grace period.
pub async fn published(store: &Store) -> Result<Vec<serde_json::Value>, AppError> {
    let since = steward_store::timestamp(chrono::Utc::now() - chrono::Duration::days(GRACE_DAYS));
    store
        .lti_keys()
        .await?
        .into_iter()
        .filter(|k| k.retired_at.as_deref().is_none_or(|r| r >= since.as_str()))
        .map(|k| serde_json::from_str(&k.public_jwk).map_err(AppError::internal))
        .collect()
}

/// `GET /lti/jwks`: the platform's public keys, for every tool, without sign-in.
pub async fn jwks(State(state): State<AppState>) -> Result<Response, AppError> {
    let keys = published(&state.store).await?;
    Ok(([(header::CACHE_CONTROL, "public, max-age=300")], axum::Json(serde_json::json!({ "keys": keys })))
        .into_response())
}
