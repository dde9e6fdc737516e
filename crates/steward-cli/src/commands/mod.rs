//! One module per subcommand, and what they share: settings and opening the database.

pub mod api_client;
pub mod demo;
pub mod export;
pub mod generate;
pub mod import;
pub mod ingest;
pub mod lti_tool;
pub mod serve;
pub mod user;

use anyhow::Context;
use std::path::PathBuf;
use steward_server::Settings;
use steward_store::Store;

/// Options every subcommand honours.
pub struct Global {
    pub database_url: Option<String>,
    pub config: Option<PathBuf>,
}

impl Global {
    /// The layered settings, with `--database-url` on top.
    pub fn settings(&self) -> anyhow::Result<Settings> {
        let mut s = Settings::load(self.config.as_deref()).map_err(anyhow::Error::msg)?;
        if let Some(url) = &self.database_url {
            s.database_url = url.clone();
        }
        Ok(s)
    }
}

/// Connects, migrates and makes sure the category taxonomy exists.
pub async fn open(settings: &Settings) -> anyhow::Result<Store> {
    let store = Store::connect(&settings.database_url).await.map_err(anyhow::Error::msg)?;
    store.migrate().await.map_err(anyhow::Error::msg)?;
    crate::seed::taxonomy::seed_taxonomy(&store).await.context("seeding the category taxonomy")?;
    Ok(store)
}

pub async fn migrate(global: &Global) -> anyhow::Result<()> {
    let settings = global.settings()?;
    let store = Store::connect(&settings.database_url).await.map_err(anyhow::Error::msg)?;
    let applied = store.migrate().await.map_err(anyhow::Error::msg)?;
    println!("{} database is up to date ({applied} migrations applied now).", store.backend().name());
    Ok(())
}

pub fn init_logging(filter: &str) {
    let filter =
        tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_target(false).try_init();
}
