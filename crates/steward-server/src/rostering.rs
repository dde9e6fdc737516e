//! Importing and exporting OneRoster packages, for the command line and the pages alike.
//!
//! An import is read, checked and written at once, file by file in batches, inside one transaction: one with errors
//! is rolled back and recorded in the history as rejected with every problem, so it changes nothing; one without is
//! committed whole. The export writes the live roster as a 1.2 bulk set, which imports back to the same roster.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use steward_interop::oneroster::{self, BulkSet, Mode, Record, Sink, Status, StreamError};
use steward_interop::{Problem, Strictness};
use steward_store::{Actor, FileOutcome, RosterImport, RosterTable, Store, StoreError};

/// What became of an import.
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    /// Its entry in the import history.
    pub id: i64,
    pub applied: bool,
    pub files: Vec<FileOutcome>,
    pub error_count: u64,
    pub warning_count: u64,
    /// The listed problems (the reader keeps the first of each file and counts the rest).
    pub problems: Vec<Problem>,
}

/// Where a package comes from.
pub enum Source {
    /// A folder holding manifest.csv and the data files.
    Dir(PathBuf),
    /// A .zip file on disk.
    ZipFile(PathBuf),
    /// An uploaded .zip.
    ZipBytes(Vec<u8>),
    /// Uploaded CSV files: (name, contents).
    Files(Vec<(String, Vec<u8>)>),
}

impl Source {
    /// A folder or a `.zip` file; anything else is refused with the reason.
    pub fn path(path: &Path) -> Result<Source, String> {
        if path.is_dir() {
            Ok(Source::Dir(path.to_owned()))
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) && path.is_file() {
            Ok(Source::ZipFile(path.to_owned()))
        } else if path.exists() {
            Err(format!("{} is neither a folder nor a .zip file", path.display()))
        } else {
            Err(format!("{} does not exist", path.display()))
        }
    }
}

/// How far an import has got: reading `file`, `read` of its `total` bytes checked, `records` of it written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub file: String,
    pub read: u64,
    pub total: u64,
    pub records: u64,
}

/// What the reading thread hands the writer.
enum Message {
    Records(String, Mode, Vec<Record>),
    FileDone(String, Mode),
    /// A record already handed over turned out to break a reference: the package has errors.
    Withdrawn,
    Progress(Progress),
}

/// The reader's side of the channel; a closed channel (the writer failed) stops the reading.
struct Channel(tokio::sync::mpsc::Sender<Message>);

#[derive(Debug)]
struct WriterGone;

impl Channel {
    fn send(&self, m: Message) -> Result<(), WriterGone> {
        self.0.blocking_send(m).map_err(|_| WriterGone)
    }
}

impl Sink for Channel {
    type Error = WriterGone;

    fn records(&mut self, file: &str, mode: Mode, batch: Vec<Record>) -> Result<(), WriterGone> {
        self.send(Message::Records(file.to_owned(), mode, batch))
    }

    fn withdrawn(&mut self, _: &str, _: &[u64]) -> Result<(), WriterGone> {
        self.send(Message::Withdrawn)
    }

    fn file_done(&mut self, file: &str, mode: Mode) -> Result<(), WriterGone> {
        self.send(Message::FileDone(file.to_owned(), mode))
    }

    fn progress(&mut self, file: &str, read: u64, total: u64) {
        let _ = self.0.try_send(Message::Progress(Progress { file: file.to_owned(), read, total, records: 0 }));
    }
}

/// An import that could not be carried out at all (as opposed to one refused for its problems).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The package could not be read (a missing folder, a file that is not a zip); fit to show.
    #[error("{0}")]
    Unreadable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads `source` and writes its records as they come, in one transaction: committed when the package has no
/// errors, rolled back (and recorded as rejected, with every problem) when it has. Memory stays bounded whatever the
/// package's size: the reader keeps only what validation needs, and hands records over in batches.
pub async fn import(
    store: &Store,
    actor: &Actor,
    label: &str,
    source: Source,
    strictness: Strictness,
    mut progress: impl FnMut(&Progress) + Send,
) -> Result<ImportOutcome, ImportError> {
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let reader = tokio::task::spawn_blocking(move || {
        let mut sink = Channel(tx);
        match source {
            Source::Dir(dir) => oneroster::stream_dir(&dir, strictness, &mut sink),
            Source::ZipFile(path) => oneroster::stream_zip(&path, strictness, &mut sink),
            Source::ZipBytes(bytes) => oneroster::stream_zip_reader(std::io::Cursor::new(bytes), strictness, &mut sink),
            Source::Files(files) => oneroster::stream_files(files, strictness, &mut sink),
        }
    });
    let mut writer = store.begin_roster_import().await?;
    let mut withdrawn = false;
    let mut failure = None;
    let mut written: BTreeMap<String, u64> = BTreeMap::new();
    while let Some(message) = rx.recv().await {
        let step = match message {
            Message::Records(file, mode, batch) => {
                *written.entry(file.clone()).or_default() += batch.len() as u64;
                writer.write(&file, mode, batch).await
            }
            Message::FileDone(file, mode) => writer.finish_file(&file, mode).await,
            Message::Withdrawn => {
                withdrawn = true;
                Ok(())
            }
            Message::Progress(mut p) => {
                p.records = written.get(&p.file).copied().unwrap_or(0);
                progress(&p);
                Ok(())
            }
        };
        if let Err(e) = step {
            // Dropping the receiver stops the reader at its next batch.
            failure = Some(e);
            break;
        }
    }
    drop(rx);
    let read = reader.await.map_err(|e| StoreError::Unavailable(format!("the reader stopped: {e}")))?;
    if let Some(e) = failure {
        writer.roll_back().await?;
        return Err(e.into());
    }
    let report = match read {
        Ok(report) => report,
        Err(StreamError::Read { path, source }) => {
            writer.roll_back().await?;
            return Err(ImportError::Unreadable(format!("cannot read {path}: {source}")));
        }
        Err(StreamError::Sink(WriterGone)) => {
            writer.roll_back().await?;
            return Err(StoreError::Unavailable("the import's writer stopped".into()).into());
        }
    };
    let tables: Vec<RosterTable<'_>> = report
        .rows
        .iter()
        .map(|(file, rows)| RosterTable {
            file,
            mode: report.modes.get(file).copied().unwrap_or(Mode::Bulk),
            rows: *rows,
            records: &[],
        })
        .collect();
    let import = RosterImport {
        source: label,
        version: report.manifest.as_ref().map(|m| m.version.as_str()),
        strict: strictness == Strictness::Strict,
        tables,
        problems: &report.problems,
        error_count: report.error_count,
        warning_count: report.warning_count,
        suppressed: &report.suppressed,
    };
    let (id, applied, files) = if report.is_accepted() {
        if withdrawn {
            writer.roll_back().await?;
            return Err(StoreError::Unavailable("a withdrawn record in a package without errors".into()).into());
        }
        let (id, files) = writer.commit(actor, &import).await?;
        // Statistics matter after large loads; re-reading millions of rows after a small delta would cost more than
        // it brings.
        let grown: Vec<&str> = files.iter().filter(|f| f.inserted >= 10_000).map(|f| f.file.as_str()).collect();
        if let Err(e) = store.analyze_roster(&grown).await {
            tracing::warn!(error = %e, "refreshing the roster's statistics failed; queries may be slow until it runs");
        }
        (id, true, files)
    } else {
        writer.roll_back().await?;
        (store.record_rejected_roster_import(actor, &import).await?, false, Vec::new())
    };
    Ok(ImportOutcome {
        id,
        applied,
        files,
        error_count: report.error_count,
        warning_count: report.warning_count,
        problems: report.problems.clone(),
    })
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exported {
    pub records: u64,
    pub files: usize,
}

/// An export that could not be finished.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the export failed: {0}")]
    Write(#[from] std::io::Error),
}

/// Writes the live roster into `set` as a OneRoster 1.2 bulk set, file by file and record by record, so that a
/// roster of any size is exported without being held; returns what was written and, for a zip, its output.
///
/// Blocking: run it on a blocking thread; it waits on the store's reads through `runtime`.
pub fn export<W: Write + Seek>(
    store: &Store,
    runtime: &tokio::runtime::Handle,
    mut set: BulkSet<W>,
) -> Result<(Exported, Option<W>), ExportError> {
    let counts = runtime.block_on(store.roster_counts())?;
    let live: BTreeSet<&str> = counts.iter().filter(|(_, active, _)| *active > 0).map(|(file, ..)| *file).collect();
    set.manifest(&live, None)?;
    let mut records = 0;
    for file in &live {
        let extensions = runtime.block_on(store.roster_extension_names(file))?;
        let mut out = set.file(file, extensions)?;
        runtime.block_on(store.each_roster_record(file, |r| {
            records += u64::from(r.status != Some(Status::ToBeDeleted));
            out.write(&r)
        }))??;
        out.finish()?;
    }
    Ok((Exported { records, files: live.len() }, set.finish()?))
}

/// Problems as CSV: file, line, column, value, rule, severity — for downloads.
pub fn problems_csv<'a>(problems: impl IntoIterator<Item = ProblemRow<'a>>) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["file", "line", "column", "value", "rule", "severity"])?;
    for p in problems {
        let line = p.line.map(|l| l.to_string()).unwrap_or_default();
        w.write_record([p.file, &line, p.column.unwrap_or(""), p.value.unwrap_or(""), p.rule, p.severity])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// One problem, as both the reader and the history hold it.
pub struct ProblemRow<'a> {
    pub file: &'a str,
    pub line: Option<i64>,
    pub column: Option<&'a str>,
    pub value: Option<&'a str>,
    pub rule: &'a str,
    pub severity: &'a str,
}

impl<'a> From<&'a Problem> for ProblemRow<'a> {
    fn from(p: &'a Problem) -> Self {
        ProblemRow {
            file: &p.file,
            line: p.line.map(|l| l as i64),
            column: p.column.as_deref(),
            value: p.value.as_deref(),
            rule: &p.rule,
            severity: if p.is_error() { "error" } else { "warning" },
        }
    }
}

impl<'a> From<&'a steward_store::ImportProblem> for ProblemRow<'a> {
    fn from(p: &'a steward_store::ImportProblem) -> Self {
        ProblemRow {
            file: &p.file,
            line: p.line,
            column: p.column.as_deref(),
            value: p.value.as_deref(),
            rule: &p.rule,
            severity: &p.severity,
        }
    }
}
