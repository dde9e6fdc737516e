//! Streams a OneRoster package (a folder or a `.zip`) into a sink that only counts, and prints what it read and how
//! long it took: the reader's own cost, for timing and peak memory (`/usr/bin/time -v`).
//!
//! `cargo run --release -p steward-interop --example stream_count -- /tmp/g100k [strict]`

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::path::Path;
use std::time::Instant;

use steward_interop::oneroster::{self, Mode, Record, Sink};
use steward_interop::Strictness;

/// Counts records and batches per file, and the order files finish in.
#[derive(Default)]
struct Count {
    records: BTreeMap<String, (u64, u64)>,
    done: Vec<String>,
}

impl Sink for Count {
    type Error = Infallible;

    fn records(&mut self, file: &str, _mode: Mode, batch: Vec<Record>) -> Result<(), Infallible> {
        let entry = self.records.entry(file.to_owned()).or_default();
        entry.0 += batch.len() as u64;
        entry.1 += 1;
        Ok(())
    }

    fn file_done(&mut self, file: &str, _mode: Mode) -> Result<(), Infallible> {
        self.done.push(file.to_owned());
        Ok(())
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: stream_count <folder or zip> [strict]")?;
    let strictness = if args.next().as_deref() == Some("strict") { Strictness::Strict } else { Strictness::Lenient };
    let path = Path::new(&path);
    let mut count = Count::default();
    let started = Instant::now();
    let report = if path.is_dir() {
        oneroster::stream_dir(path, strictness, &mut count)?
    } else {
        oneroster::stream_zip(path, strictness, &mut count)?
    };
    let elapsed = started.elapsed();
    for file in &count.done {
        let (records, batches) = count.records.get(file).copied().unwrap_or_default();
        let rows = report.rows.get(file).copied().unwrap_or_default();
        println!("{file:<32} {rows:>10} rows {records:>10} records {batches:>6} batches");
    }
    let rows: u64 = report.rows.values().sum();
    println!(
        "{rows} rows in {:.2} s; {} errors, {} warnings",
        elapsed.as_secs_f64(),
        report.error_count,
        report.warning_count
    );
    for problem in report.problems.iter().take(5) {
        println!("  {problem}");
    }
    Ok(())
}
