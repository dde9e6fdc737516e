//! Reading a whole package into memory: the streaming reader with a sink that keeps every record, for small packages
//! and tests.

use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::path::Path;

use super::canonical::Record;
use super::manifest::Manifest;
use super::spec::Mode;
use super::stream::{stream_dir, stream_files, Report, Sink, StreamError};
use crate::problem::{Problem, Severity, Strictness};

/// Everything read from one package. Records hold only rows without errors.
///
/// `records` is what storing, exporting and serving consume: per file stem, the canonical 1.2 [`Record`] of every
/// row without errors, in file order, with `modes` saying whether that file came as bulk or delta. Both have a key
/// for every file read (even when no row survived) and for `roles` when a 1.1 `users.csv` was read (its roles are
/// made from the users' `role` and `orgSourcedIds` and take the users file's mode). Only an accepted package
/// ([`Package::is_accepted`]) should be stored: a bulk file whose rows were all dropped would otherwise read as
/// "delete everything". A large package is better streamed ([`super::stream_dir`]): this holds all of it.
#[derive(Debug, Default)]
pub struct Package {
    /// `None` when the manifest is missing or declares no readable version.
    pub manifest: Option<Manifest>,
    pub records: BTreeMap<String, Vec<Record>>,
    pub modes: BTreeMap<String, Mode>,
    /// The first problems of each file: the package's own, then each file's in the order read, by line.
    pub problems: Vec<Problem>,
    pub error_count: u64,
    pub warning_count: u64,
    /// Per file, problems found beyond the per-file cap and therefore not in `problems`.
    pub suppressed: BTreeMap<String, u64>,
}

impl Package {
    /// True when no error was found (warnings may remain).
    pub fn is_accepted(&self) -> bool {
        self.error_count == 0
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| !p.is_error())
    }

    /// The package of a finished read whose records `collect` gathered.
    pub(crate) fn collected(report: Report, collect: Collect) -> Package {
        let mut records = collect.records;
        for file in report.modes.keys() {
            records.entry(file.clone()).or_default();
        }
        let Report { manifest, modes, problems, error_count, warning_count, suppressed, .. } = report;
        Package { manifest, records, modes, problems, error_count, warning_count, suppressed }
    }
}

/// A package directory could not be listed or a file in it could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}: {source}")]
pub struct ReadError {
    pub path: String,
    #[source]
    pub source: std::io::Error,
}

impl From<StreamError<Infallible>> for ReadError {
    fn from(e: StreamError<Infallible>) -> ReadError {
        match e {
            StreamError::Read { path, source } => ReadError { path, source },
            StreamError::Sink(never) => match never {},
        }
    }
}

/// The sink of the whole-package readers: keeps every record, and drops those withdrawn.
#[derive(Debug, Default)]
pub(crate) struct Collect {
    records: BTreeMap<String, Vec<Record>>,
}

impl Sink for Collect {
    type Error = Infallible;

    fn records(&mut self, file: &str, _mode: Mode, batch: Vec<Record>) -> Result<(), Infallible> {
        self.records.entry(file.to_owned()).or_default().extend(batch);
        Ok(())
    }

    fn withdrawn(&mut self, file: &str, indices: &[u64]) -> Result<(), Infallible> {
        let withdrawn: BTreeSet<u64> = indices.iter().copied().collect();
        if let Some(records) = self.records.get_mut(file) {
            let mut index = 0u64;
            records.retain(|_| {
                index += 1;
                !withdrawn.contains(&(index - 1))
            });
        }
        Ok(())
    }
}

/// Reads an unzipped OneRoster package: every regular file directly inside `dir`.
pub fn read_dir(dir: &Path, strictness: Strictness) -> Result<Package, ReadError> {
    let mut collect = Collect::default();
    let report = stream_dir(dir, strictness, &mut collect)?;
    Ok(Package::collected(report, collect))
}

/// Reads a package given as (file name, bytes) pairs, e.g. the entries at the root of a zip.
pub fn read_files(files: impl IntoIterator<Item = (String, Vec<u8>)>, strictness: Strictness) -> Package {
    let mut collect = Collect::default();
    match stream_files(files, strictness, &mut collect) {
        Ok(report) => Package::collected(report, collect),
        // Bytes in memory cannot fail to read, and this sink does not fail.
        Err(StreamError::Read { .. }) => unreachable!("in-memory files are always readable"),
        Err(StreamError::Sink(never)) => match never {},
    }
}

pub(crate) fn file_problem(file: &str, rule: &str, severity: Severity) -> Problem {
    Problem { file: file.to_owned(), line: None, column: None, value: None, rule: rule.to_owned(), severity }
}
