//! `steward generate`: deterministic OneRoster 1.2 CSV sets and usage events for benchmarks and tests.

use std::io::Write;
use std::path::PathBuf;

use crate::generate::{self, DeltaOptions, DistrictOptions, UsageOptions};

#[derive(clap::Subcommand)]
pub enum GenerateCommand {
    /// Write a bulk OneRoster 1.2 set of a whole district (manifest.csv and eight files).
    District {
        /// How many students the district has.
        #[arg(long)]
        students: usize,
        /// The same seed and size give byte-identical files; another seed, other people.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A new or empty directory to write the set into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Write a delta set against a bulk set, touching a share of its students.
    Delta {
        /// The bulk set (a directory) the delta applies to.
        #[arg(long, value_name = "DIR")]
        roster: PathBuf,
        /// Share of students changed, withdrawn or added, in percent.
        #[arg(long, default_value_t = 1.0)]
        percent: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A new or empty directory to write the delta into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Write usage events (NDJSON, the schema of POST /api/v1/events) for the people of a generated roster and the
    /// demo catalog's products, day by day up to `--until`.
    Usage {
        /// The bulk set (a directory) whose students and teachers use the products.
        #[arg(long, value_name = "DIR")]
        roster: PathBuf,
        /// How many days of usage, ending the day before `--until`.
        #[arg(long, default_value_t = 180)]
        days: u32,
        /// The day after the last one written (YYYY-MM-DD); today when not given.
        #[arg(long)]
        until: Option<chrono::NaiveDate>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The NDJSON file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

pub fn run(command: GenerateCommand) -> anyhow::Result<()> {
    match command {
        GenerateCommand::District { students, seed, out } => {
            let options = DistrictOptions { students, seed, out };
            let mut last = 0;
            let summary = generate::district(&options, &mut |done, total| {
                // About one progress line per tenth of the schools.
                if done * 10 / total > last || done == total {
                    last = done * 10 / total;
                    eprint!("\rschools {done}/{total}");
                    let _ = std::io::stderr().flush();
                }
            })?;
            eprintln!();
            println!("Wrote {}: {}", options.out.display(), summary.line());
        }
        GenerateCommand::Delta { roster, percent, seed, out } => {
            let d = generate::delta(&DeltaOptions { roster, percent, seed, out: out.clone() })?;
            println!(
                "Wrote {}: of {} students, {} changed, {} withdrawn, {} added; {}",
                out.display(),
                d.students,
                d.changed,
                d.withdrawn,
                d.added,
                d.summary.line()
            );
        }
        GenerateCommand::Usage { roster, days, until, seed, out } => {
            let until = until.unwrap_or_else(|| chrono::Local::now().date_naive());
            let options = UsageOptions { roster, days, until, seed, out };
            let summary = generate::usage(&options, &mut |done, total| {
                if done % 10 == 0 || done == total {
                    eprint!("\rdays {done}/{total}");
                    let _ = std::io::stderr().flush();
                }
            })?;
            eprintln!();
            println!(
                "Wrote {}: {} events over {days} days by {} people at {} schools, {} products.",
                options.out.display(),
                summary.events,
                summary.people,
                summary.schools,
                summary.products
            );
        }
    }
    Ok(())
}
