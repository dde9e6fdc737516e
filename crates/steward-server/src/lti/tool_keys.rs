//! The tools' public keys, which Steward verifies their messages with: fetched from a tool's JWKS URL (or its one
//! registered key), kept five minutes, and fetched again at once when a message names a `kid` not yet seen (a tool
//! rotated its key), at most every ten seconds.

use jsonwebtoken::DecodingKey;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use steward_core::lti::ToolInput;

const KEEP: Duration = Duration::from_secs(300);
const REFETCH_AFTER: Duration = Duration::from_secs(10);

struct Kept {
    at: Instant,
    /// The registration they were read for: a changed registration reads them again.
    from: ToolInput,
    keys: Arc<Vec<(Option<String>, DecodingKey)>>,
}

/// The kept keys, by tool id.
#[derive(Clone, Default)]
pub struct ToolKeys {
    kept: Arc<Mutex<HashMap<i64, Kept>>>,
}

impl ToolKeys {
    /// The tool's key with `kid` (or its only key, when the message names none).
    pub async fn key(&self, tool_id: i64, tool: &ToolInput, kid: Option<&str>) -> Result<DecodingKey, String> {
        let find = |keys: &[(Option<String>, DecodingKey)]| match kid {
            Some(kid) => keys.iter().find(|(k, _)| k.as_deref() == Some(kid)).map(|(_, key)| key.clone()),
            None if keys.len() == 1 => Some(keys[0].1.clone()),
            None => None,
        };
        let kept = {
            let map = self.lock();
            map.get(&tool_id).filter(|k| &k.from == tool).map(|k| (k.at, Arc::clone(&k.keys)))
        };
        if let Some((at, keys)) = &kept {
            if let Some(key) = find(keys) {
                if at.elapsed() < KEEP {
                    return Ok(key);
                }
            } else if at.elapsed() < REFETCH_AFTER {
                return Err(missing(kid));
            }
        }
        let keys = Arc::new(decoding_keys(&fetch(tool).await?)?);
        self.lock().insert(tool_id, Kept { at: Instant::now(), from: tool.clone(), keys: Arc::clone(&keys) });
        find(&keys).ok_or_else(|| missing(kid))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Kept>> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn missing(kid: Option<&str>) -> String {
    match kid {
        Some(kid) => format!("the tool has no key with kid {kid}"),
        None => "the token names no kid and the tool has several keys".into(),
    }
}

/// The tool's key set as JSON: from its JWKS URL, or its one key.
pub async fn fetch(tool: &ToolInput) -> Result<serde_json::Value, String> {
    match (&tool.jwks_url, &tool.public_jwk) {
        (Some(url), _) => {
            let client = openidconnect::reqwest::ClientBuilder::new()
                .redirect(openidconnect::reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(5))
                .build()
                .map_err(|e| e.to_string())?;
            let res = client.get(url).send().await.map_err(|e| format!("{url} could not be reached: {e}"))?;
            if !res.status().is_success() {
                return Err(format!("{url} answered {}", res.status()));
            }
            let body = res.bytes().await.map_err(|e| format!("{url} could not be read: {e}"))?;
            serde_json::from_slice(&body).map_err(|e| format!("{url} did not answer with a JWKS: {e}"))
        }
        (None, Some(jwk)) => Ok(
            serde_json::json!({ "keys": [serde_json::from_str::<serde_json::Value>(jwk).map_err(|e| e.to_string())?] }),
        ),
        (None, None) => Err("the tool has no keys".into()),
    }
}

/// The RSA keys of a key set that RS256 signatures can be verified with.
fn decoding_keys(set: &serde_json::Value) -> Result<Vec<(Option<String>, DecodingKey)>, String> {
    let keys = set["keys"].as_array().ok_or("the JWKS has no \"keys\" list")?;
    let usable: Vec<_> = keys
        .iter()
        .filter(|k| k["kty"] == "RSA" && k["use"].as_str().is_none_or(|u| u == "sig"))
        .filter_map(|k| {
            let key = DecodingKey::from_rsa_components(k["n"].as_str()?, k["e"].as_str()?).ok()?;
            Some((k["kid"].as_str().map(str::to_owned), key))
        })
        .collect();
    if usable.is_empty() {
        return Err(format!("none of its {} keys is an RSA key Steward can verify RS256 signatures with", keys.len()));
    }
    Ok(usable)
}

/// Reads the tool's keys as Steward will when it verifies the tool's messages, and says what it found or what is
/// wrong, for the administrator to fix.
pub async fn check(tool: &ToolInput) -> Result<String, String> {
    let n = decoding_keys(&fetch(tool).await?)?.len();
    Ok(format!("{n} RSA key{} to verify its messages with", if n == 1 { "" } else { "s" }))
}
