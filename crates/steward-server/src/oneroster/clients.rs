//! Registering a OneRoster API client for a product, from a page or the command line: its secret is shown once and
//! kept only as an argon2id hash.

use steward_interop::oneroster::rest::{all_scopes, parse_scope};
use steward_store::{Actor, NewApiClient, Store, StoreError};

/// A client just registered: the only moment its secret is known.
pub struct Registered {
    pub id: i64,
    pub client_id: String,
    pub secret: String,
    pub scopes: Vec<String>,
}

/// Why a client could not be registered, fit to show next to the field named.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error(transparent)]
    Store(StoreError),
}

/// Registers a client of `product` named `name`, granted `scopes` (every read-only scope when empty).
pub async fn register(
    store: &Store,
    actor: &Actor,
    product: i64,
    name: &str,
    scopes: Vec<String>,
) -> Result<Registered, RegisterError> {
    let invalid = |field, message: String| RegisterError::Invalid { field, message };
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid("name", "give the client a name".into()));
    }
    if name.chars().count() > 200 {
        return Err(invalid("name", "at most 200 characters".into()));
    }
    let scopes = if scopes.is_empty() { all_scopes() } else { scopes };
    if let Some(bad) = scopes.iter().find(|s| parse_scope(s).is_none()) {
        return Err(invalid("scopes", format!("'{bad}' is not a read-only OneRoster scope")));
    }
    let client_id = crate::auth::random_token();
    let secret = crate::auth::random_token();
    let secret_hash =
        crate::auth::password::hash(&secret).map_err(|e| RegisterError::Store(StoreError::Unavailable(e)))?;
    let new =
        NewApiClient { product_id: product, name, client_id: &client_id, secret_hash: &secret_hash, scopes: &scopes };
    let id = store.create_api_client(actor, &new).await.map_err(|e| match e {
        StoreError::Invalid { field, message } => RegisterError::Invalid { field, message },
        other => RegisterError::Store(other),
    })?;
    Ok(Registered { id, client_id, secret, scopes })
}
