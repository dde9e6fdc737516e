//! What every request handler shares: the store, the settings and the cookie-signing key.

use crate::settings::Settings;
use axum_extra::extract::cookie::Key;
use sha2::{Digest, Sha512};
use std::sync::Arc;
use steward_store::Store;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub key: Key,
    /// Imports running in this process.
    pub jobs: crate::jobs::Jobs,
    /// The OneRoster collections being paged through, as ordered ids.
    pub snapshots: crate::oneroster::Snapshots,
    /// What each product's API clients may see, kept until something changes.
    pub scopes: crate::oneroster::Scopes,
    /// The OneRoster clients' requests, queued for the access log.
    pub access_log: crate::oneroster::AccessLog,
    /// Launches, queued to be stored as usage events.
    pub launches: crate::usage::Launches,
    /// What usage events are matched against, kept until the roster or the inventory changes.
    pub directories: crate::usage::Directories,
    /// xAPI clients' credentials checked recently.
    pub xapi_credentials: crate::usage::xapi::Credentials,
    /// Contracts' utilization as last computed, reused for a minute.
    pub utilization: crate::pages::utilization::RowsCache,
    /// The usage dashboard's figures per range, reused for a minute.
    pub dashboards: crate::pages::usage::DashboardCache,
    /// The district-wide inputs of the launchpad, kept until something changes.
    pub launchpad: crate::pages::launchpad::CatalogCache,
    /// People's launchpads, kept a minute for their launches.
    pub launch_groups: crate::pages::launchpad::GroupsCache,
    /// The LTI platform key that signs, parsed.
    pub lti_signer: crate::lti::jwt::Signer,
    /// The LTI tools' public keys, fetched recently.
    pub lti_tool_keys: crate::lti::tool_keys::ToolKeys,
}

impl axum::extract::FromRef<AppState> for Key {
    fn from_ref(s: &AppState) -> Key {
        s.key.clone()
    }
}

impl AppState {
    /// Builds the state; the signing key comes from the settings or, when unset, from the database.
    pub async fn new(store: Store, settings: Settings) -> Result<Self, steward_store::StoreError> {
        let secret = if settings.secret_key.0.is_empty() {
            store.instance_secret("cookie_key", &crate::auth::random_token()).await?
        } else {
            settings.secret_key.0.clone()
        };
        let key = Key::from(&Sha512::digest(secret.as_bytes()));
        crate::lti::keys::ensure(&store)
            .await
            .map_err(|e| steward_store::StoreError::Unavailable(format!("making the LTI signing key failed: {e:?}")))?;
        let access_log = crate::oneroster::start_access_log(store.clone());
        let directories = crate::usage::Directories::default();
        let launches = crate::usage::launches(store.clone(), directories.clone(), settings.usage_retention_days);
        Ok(Self {
            store,
            settings: Arc::new(settings),
            key,
            jobs: Default::default(),
            snapshots: Default::default(),
            scopes: Default::default(),
            access_log,
            launches,
            directories,
            xapi_credentials: Default::default(),
            utilization: crate::fresh::Fresh::new(std::time::Duration::from_secs(60)),
            dashboards: crate::fresh::Fresh::new(std::time::Duration::from_secs(60)),
            launchpad: crate::fresh::Fresh::new(std::time::Duration::from_secs(3600)),
            launch_groups: crate::fresh::Fresh::new(std::time::Duration::from_secs(60)),
            lti_signer: Default::default(),
            lti_tool_keys: Default::default(),
        })
    }
}
