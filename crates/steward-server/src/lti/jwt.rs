//! JSON Web Tokens on the platform side: id_tokens signed RS256 with the current platform key (kept parsed in
//! memory, as parsing an RSA key costs more than signing with it), Steward's own short-lived opaque values signed
//! HS256 with the server's secret (the launch's `lti_message_hint`, the deep-linking `data`), and the checks every
//! tool-signed token passes (signature by the tool's key, audience, expiry, issue time, single-use nonce).

use crate::error::AppError;
use crate::state::AppState;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::{Arc, RwLock};

/// The audit generation it was current at, the key's `kid`, and the key, parsed.
type Parsed = Arc<(i64, String, EncodingKey)>;

/// The current signing key, parsed.
#[derive(Clone, Default)]
pub struct Signer {
    current: Arc<RwLock<Option<Parsed>>>,
}

impl Signer {
    /// Signs `claims` RS256 with the platform's current key; the header names the key's `kid`. A rotation is
    /// audited, so the key kept at the caller's audit `generation` is still the current one.
    pub async fn sign(&self, state: &AppState, claims: &impl Serialize, generation: i64) -> Result<String, AppError> {
        let kept = self.current.read().unwrap_or_else(|e| e.into_inner()).clone();
        let key = match kept {
            Some(k) if k.0 == generation => k,
            kept => {
                let kid = state.store.current_lti_kid().await?.ok_or(AppError::internal("no LTI signing key"))?;
                let key = match kept {
                    Some(k) if k.1 == kid => Arc::new((generation, kid, k.2.clone())),
                    _ => {
                        let stored = super::keys::current(&state.store).await?;
                        let private =
                            rsa::RsaPrivateKey::from_pkcs8_der(&stored.private_der).map_err(AppError::internal)?;
                        let der = private.to_pkcs1_der().map_err(AppError::internal)?;
                        Arc::new((generation, stored.kid, EncodingKey::from_rsa_der(der.as_bytes())))
                    }
                };
                *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&key));
                key
            }
        };
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(key.1.clone());
        header.typ = Some("JWT".into());
        jsonwebtoken::encode(&header, claims, &key.2).map_err(AppError::internal)
    }
}

/// Signs one of Steward's own values, good for `seconds`.
pub fn seal<T: Serialize>(state: &AppState, value: &T, seconds: i64) -> Result<String, AppError> {
    #[derive(Serialize)]
    struct Sealed<'a, T> {
        exp: i64,
        #[serde(flatten)]
        value: &'a T,
    }
    let exp = chrono::Utc::now().timestamp() + seconds;
    let key = EncodingKey::from_secret(state.key.signing());
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &Sealed { exp, value }, &key).map_err(AppError::internal)
}

/// One of Steward's own values, if its signature holds and it has not expired.
pub fn open<T: DeserializeOwned>(state: &AppState, sealed: &str) -> Option<T> {
    let mut v = Validation::new(Algorithm::HS256);
    v.leeway = 0;
    v.required_spec_claims = ["exp".to_owned()].into();
    jsonwebtoken::decode(sealed, &DecodingKey::from_secret(state.key.signing()), &v).ok().map(|d| d.claims)
}

/// Why a tool's token was refused: said in the error response and logged.
pub type Refusal = String;

/// A JWT's claims read before its signature is checked: only to know whose key checks it.
pub fn unverified_claims(jwt: &str) -> Option<serde_json::Value> {
    use base64::Engine;
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Checks a token the tool signed: RS256 with one of the tool's keys (by `kid`), `aud` one of `audiences`, not
/// expired, not issued in the future, and its `nonce` (or `jti`) never seen before. Returns its claims.
pub async fn verify_tool_token(
    state: &AppState,
    tool: &steward_store::Tool,
    token: &str,
    audiences: &[String],
    once: &str,
) -> Result<serde_json::Value, Refusal> {
    let header = jsonwebtoken::decode_header(token).map_err(|e| format!("not a JWT: {e}"))?;
    if header.alg != Algorithm::RS256 {
        return Err(format!("signed with {:?}; tools sign RS256", header.alg));
    }
    let key = state.lti_tool_keys.key(tool.id, &tool.tool, header.kid.as_deref()).await?;
    let mut v = Validation::new(Algorithm::RS256);
    v.leeway = 5;
    v.set_audience(audiences);
    v.set_required_spec_claims(&["exp", "iat", "aud", "iss"]);
    v.set_issuer(&[&tool.tool.client_id]);
    let claims: serde_json::Value = jsonwebtoken::decode(token, &key, &v)
        .map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::InvalidSignature => {
                "the signature does not verify with the tool's key".into()
            }
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => "the token has expired".into(),
            jsonwebtoken::errors::ErrorKind::ImmatureSignature => "the token is not valid yet (nbf)".into(),
            jsonwebtoken::errors::ErrorKind::InvalidAudience => {
                format!("the audience is not {}", audiences.join(" or "))
            }
            jsonwebtoken::errors::ErrorKind::InvalidIssuer => {
                format!("the issuer is not the tool's client id {}", tool.tool.client_id)
            }
            _ => format!("the token is not valid: {e}"),
        })?
        .claims;
    let now = chrono::Utc::now().timestamp();
    let iat = claims["iat"].as_i64().ok_or("iat is not a number")?;
    if iat > now + 5 {
        return Err("the token was issued in the future (iat)".into());
    }
    let exp = claims["exp"].as_i64().ok_or("exp is not a number")?;
    let value = claims[once].as_str().filter(|n| !n.is_empty() && n.len() <= 255);
    let value = value.ok_or_else(|| format!("the token has no {once}"))?;
    let expires = steward_store::timestamp(
        chrono::DateTime::from_timestamp(exp.max(now) + 5, 0).unwrap_or_else(chrono::Utc::now),
    );
    let kind = if once == "jti" { "jti" } else { "message" };
    let fresh =
        state.store.use_lti_value_once(kind, &format!("{} {value}", tool.tool.client_id), &expires).await.map_err(
            |e| {
                tracing::error!(error = %e, "recording a used LTI value failed");
                "the token could not be checked".to_owned()
            },
        )?;
    if !fresh {
        return Err(format!("the {once} was already used: a token is accepted once"));
    }
    Ok(claims)
}
