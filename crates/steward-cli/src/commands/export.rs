//! `steward export oneroster DIR`: write the live roster as a OneRoster 1.2 bulk set.

use std::path::PathBuf;

use anyhow::Context;
use steward_interop::oneroster::BulkSet;
use steward_server::rostering;

use super::{open, Global};

#[derive(clap::Subcommand)]
pub enum ExportCommand {
    /// Write the roster as a OneRoster 1.2 bulk CSV set into a folder (created if missing).
    Oneroster {
        /// The folder to write manifest.csv and the data files into.
        dir: PathBuf,
    },
}

pub async fn run(global: &Global, cmd: ExportCommand) -> anyhow::Result<()> {
    let ExportCommand::Oneroster { dir } = cmd;
    let settings = global.settings()?;
    let store = open(&settings).await?;
    let set = BulkSet::<std::fs::File>::dir(&dir).with_context(|| format!("writing {}", dir.display()))?;
    let runtime = tokio::runtime::Handle::current();
    let (done, _) = tokio::task::spawn_blocking(move || rostering::export(&store, &runtime, set))
        .await?
        .with_context(|| format!("writing {}", dir.display()))?;
    println!("Wrote {} records in {} files to {}.", done.records, done.files, dir.display());
    Ok(())
}
