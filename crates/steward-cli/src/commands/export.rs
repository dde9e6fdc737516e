//! `steward export oneroster DIR`: write the live roster as a OneRoster 1.2 bulk set.

use std::path::PathBuf;

use anyhow::Context;
use steward_interop::oneroster;
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
    let tables = rostering::live_tables(&store).await?;
    oneroster::write_bulk(&dir, &tables, None).with_context(|| format!("writing {}", dir.display()))?;
    let records: usize = tables.values().map(Vec::len).sum();
    println!("Wrote {records} records in {} files to {}.", tables.len(), dir.display());
    Ok(())
}
