//! `steward import oneroster PATH`: import a OneRoster package from a folder or a .zip, with progress per file.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use steward_interop::Strictness;
use steward_server::rostering::{self, ProblemRow};
use steward_store::Actor;

use super::{open, Global};

#[derive(clap::Subcommand)]
pub enum ImportCommand {
    /// Import a OneRoster 1.2 or 1.1 CSV package (a folder or a .zip), bulk or delta as its manifest says.
    Oneroster(OneRosterArgs),
}

#[derive(clap::Args)]
pub struct OneRosterArgs {
    /// The package: a folder holding manifest.csv and the data files, or a .zip of them.
    path: PathBuf,
    /// Reject everything the specification forbids, instead of accepting common deviations as warnings.
    #[arg(long)]
    strict: bool,
    /// How many problems to print (all of them go to --problems-csv).
    #[arg(long, default_value_t = 50)]
    show: usize,
    /// Write every listed problem to this CSV file (file, line, column, value, rule, severity).
    #[arg(long, value_name = "FILE")]
    problems_csv: Option<PathBuf>,
}

pub async fn run(global: &Global, cmd: ImportCommand) -> anyhow::Result<()> {
    let ImportCommand::Oneroster(args) = cmd;
    let settings = global.settings()?;
    let store = open(&settings).await?;
    let strictness = if args.strict { Strictness::Strict } else { Strictness::Lenient };
    let started = Instant::now();
    let source = rostering::Source::path(&args.path).map_err(anyhow::Error::msg)?;
    let bars = MultiProgress::new();
    // Per file: how much of it is read and checked, and how many records are written, at how many rows a second.
    let style = ProgressStyle::with_template("{prefix:>24} {bar:30} {bytes:>10}/{total_bytes:10} {msg} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    let mut open_bars: HashMap<String, ProgressBar> = HashMap::new();
    let progress = |p: &rostering::Progress| {
        let bar = open_bars.entry(p.file.clone()).or_insert_with(|| {
            let bar = bars.add(ProgressBar::new(p.total));
            bar.set_style(style.clone());
            bar.set_prefix(format!("{}.csv", p.file));
            bar
        });
        bar.set_position(p.read);
        let seconds = bar.elapsed().as_secs_f64().max(0.001);
        bar.set_message(format!("{:>9} records {:>9.0} rows/s", p.records, p.records as f64 / seconds));
        if p.read >= p.total {
            bar.finish();
        }
    };
    let label = args.path.display().to_string();
    let outcome = rostering::import(&store, &Actor::system("cli"), &label, source, strictness, progress)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let rows: u64 = outcome.files.iter().map(|f| f.rows).sum();
    eprintln!("Checked and wrote {rows} records in {:.1} s.", started.elapsed().as_secs_f64());

    for p in outcome.problems.iter().take(args.show) {
        eprintln!("{p}");
    }
    let listed = outcome.problems.len();
    if listed > args.show {
        eprintln!("… and {} more listed problems (see --problems-csv or the import's page).", listed - args.show);
    }
    if let Some(file) = &args.problems_csv {
        let csv = rostering::problems_csv(outcome.problems.iter().map(ProblemRow::from))?;
        std::fs::write(file, csv).with_context(|| format!("writing {}", file.display()))?;
    }
    if !outcome.applied {
        bail!(
            "import #{} rejected: {} errors, {} warnings; nothing was changed",
            outcome.id,
            outcome.error_count,
            outcome.warning_count
        );
    }
    println!(
        "{:<30} {:>6} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "file", "mode", "rows", "inserted", "updated", "unchanged", "deleted"
    );
    for f in &outcome.files {
        println!(
            "{:<30} {:>6} {:>10} {:>10} {:>10} {:>10} {:>10}",
            format!("{}.csv", f.file),
            f.mode,
            f.rows,
            f.inserted,
            f.updated,
            f.unchanged,
            f.deleted
        );
    }
    println!(
        "Import #{} applied in {:.1} s ({} warnings).",
        outcome.id,
        started.elapsed().as_secs_f64(),
        outcome.warning_count
    );
    Ok(())
}
