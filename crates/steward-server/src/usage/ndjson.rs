//! Reading NDJSON events from a file or a request body: lines parsed and matched on a blocking thread, batches
//! stored as they come; good lines are kept, bad ones reported with their line and reason.

use std::io::BufRead;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use steward_core::usage::{is_blank, parse_line, Directory, LineError, Resolved, UsageEvent};
use steward_store::{Store, StoreError};

/// Events stored per transaction.
pub const BATCH: usize = 100_000;
/// Bad lines listed (all are counted).
pub const LISTED: usize = 1_000;

/// Which events may be taken: none older than the raw events kept (an event older than that could not be told
/// from one already counted and pruned) and none more than a day ahead of now.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub earliest: NaiveDate,
    pub latest: DateTime<Utc>,
    pub retention_days: u32,
}

impl Window {
    pub fn new(now: DateTime<Utc>, retention_days: u32) -> Self {
        Self {
            earliest: now.date_naive() - Duration::days(i64::from(retention_days)),
            latest: now + Duration::days(1),
            retention_days,
        }
    }

    pub(crate) fn check(&self, e: &UsageEvent, line: u64) -> Result<(), LineError> {
        let err = |reason: String| LineError { line, field: Some("time"), reason };
        if e.time.to_utc() > self.latest {
            return Err(err(format!("{} is in the future", e.time.to_rfc3339())));
        }
        if e.day() < self.earliest {
            return Err(err(format!(
                "{} is older than the {}-day retention of raw events, so it could not be told from one already counted",
                e.day(),
                self.retention_days
            )));
        }
        Ok(())
    }
}

/// What became of a stream of events.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Lines holding an event (blank lines aside).
    pub received: u64,
    /// New events, stored and counted.
    pub stored: u64,
    /// Events already stored: not counted again.
    pub duplicates: u64,
    /// Lines refused.
    pub rejected: u64,
    /// The first [`LISTED`] refused lines.
    pub errors: Vec<ErrorLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorLine {
    pub line: u64,
    pub field: Option<&'static str>,
    pub reason: String,
}

impl Report {
    pub(crate) fn refuse(&mut self, e: LineError) {
        self.rejected += 1;
        if self.errors.len() < LISTED {
            self.errors.push(ErrorLine { line: e.line, field: e.field, reason: e.reason });
        }
    }
}

/// One batch from the reading thread: matched events, refused lines, and the bytes read so far.
struct Batch {
    events: Vec<Resolved>,
    refused: Vec<LineError>,
    lines: u64,
    bytes: u64,
}

/// Reads every line of `input`, storing its events from `channel` batch by batch (each batch one transaction);
/// `progress` hears the bytes read and the report so far after each batch.
pub async fn ingest<R: BufRead + Send + 'static>(
    store: &Store,
    directory: Arc<Directory>,
    window: Window,
    channel: &'static str,
    input: R,
    mut progress: impl FnMut(u64, &Report),
) -> Result<Report, StoreError> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(2);
    let reader = tokio::task::spawn_blocking(move || read(input, &directory, window, &tx));
    let mut report = Report::default();
    while let Some(batch) = rx.recv().await {
        report.received += batch.lines;
        for e in batch.refused {
            report.refuse(e);
        }
        if !batch.events.is_empty() {
            let done = store.ingest_usage(channel, &batch.events).await?;
            report.stored += done.stored;
            report.duplicates += done.duplicates;
        }
        progress(batch.bytes, &report);
    }
    reader.await.map_err(|e| StoreError::Unavailable(format!("the event reader stopped: {e}")))?;
    Ok(report)
}

fn read<R: BufRead>(mut input: R, directory: &Directory, window: Window, tx: &tokio::sync::mpsc::Sender<Batch>) {
    let mut buf = Vec::with_capacity(512);
    let mut batch = Batch { events: Vec::with_capacity(BATCH), refused: Vec::new(), lines: 0, bytes: 0 };
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = match input.read_until(b'\n', &mut buf) {
            Ok(n) => n,
            Err(e) => {
                line += 1;
                batch.lines += 1;
                batch.refused.push(LineError { line, field: None, reason: format!("could not be read: {e}") });
                break;
            }
        };
        if n == 0 {
            break;
        }
        line += 1;
        batch.bytes += n as u64;
        let parsed = match std::str::from_utf8(&buf) {
            Err(e) => {
                Err(LineError { line, field: None, reason: format!("is not UTF-8 (byte {})", e.valid_up_to() + 1) })
            }
            Ok(text) if is_blank(text) => continue,
            Ok(text) => parse_line(text, line).and_then(|e| window.check(&e, line).map(|()| e)),
        };
        batch.lines += 1;
        match parsed {
            Ok(e) => batch.events.push(directory.resolve(&e)),
            Err(e) => batch.refused.push(e),
        }
        if batch.events.len() >= BATCH {
            let bytes = batch.bytes;
            let full = std::mem::replace(
                &mut batch,
                Batch { events: Vec::with_capacity(BATCH), refused: Vec::new(), lines: 0, bytes },
            );
            if tx.blocking_send(full).is_err() {
                return;
            }
        }
    }
    let _ = tx.blocking_send(batch);
}
