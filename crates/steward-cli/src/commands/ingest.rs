//! `steward ingest events FILE`: a backfill of usage events from an NDJSON file, with a progress bar.

use std::io::BufReader;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use steward_server::usage::ndjson::{self, Window};

use super::{open, Global};

#[derive(clap::Subcommand)]
pub enum IngestCommand {
    /// Store usage events from an NDJSON file (one event per line, the schema of POST /api/v1/events). Events
    /// already stored are not counted again, so a backfill can be re-run.
    Events {
        /// The NDJSON file.
        file: PathBuf,
        /// How many refused lines to print.
        #[arg(long, default_value_t = 20)]
        show: usize,
    },
}

pub async fn run(global: &Global, cmd: IngestCommand) -> anyhow::Result<()> {
    let IngestCommand::Events { file, show } = cmd;
    let settings = global.settings()?;
    let store = open(&settings).await?;
    let input = std::fs::File::open(&file).with_context(|| format!("opening {}", file.display()))?;
    let size = input.metadata().map(|m| m.len()).unwrap_or(0);
    let started = Instant::now();
    eprintln!("Reading the roster and the inventory to match events against…");
    let directory = std::sync::Arc::new(store.usage_directory().await.map_err(anyhow::Error::msg)?);
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {bytes:>10}/{total_bytes:10} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let window = Window::new(chrono::Utc::now(), settings.usage_retention_days);
    let reading = Instant::now();
    let report =
        ndjson::ingest(&store, directory, window, "file", BufReader::with_capacity(1 << 20, input), |bytes, r| {
            bar.set_position(bytes);
            let rate = r.received as f64 / reading.elapsed().as_secs_f64().max(0.001);
            bar.set_message(format!("{:>11} events {:>10.0} events/s", r.received, rate));
        })
        .await
        .map_err(anyhow::Error::msg)?;
    bar.finish();
    for e in report.errors.iter().take(show) {
        match e.field {
            Some(field) => eprintln!("{}: line {}, {field}: {}", file.display(), e.line, e.reason),
            None => eprintln!("{}: line {}: {}", file.display(), e.line, e.reason),
        }
    }
    if report.rejected as usize > show {
        eprintln!("… and {} more refused lines.", report.rejected as usize - show);
    }
    println!(
        "{} events read in {:.1} s: {} stored, {} already stored, {} refused.",
        report.received,
        started.elapsed().as_secs_f64(),
        report.stored,
        report.duplicates,
        report.rejected
    );
    if report.rejected > 0 && report.stored + report.duplicates == 0 {
        anyhow::bail!("no line of {} held a usable event", file.display());
    }
    Ok(())
}
