//! The streaming package reader: every file read through a buffer and validated row by row, its clean records handed
//! to a [`Sink`] in batches, so memory does not grow with the size of the files.
//!
//! Validation is the one the whole-package readers ([`super::read_dir`] and friends, built on this) give: the same
//! problems with file, line, column and rule, Strict and Lenient, the 1.1 → 1.2 upgrade and the per-file cap. What
//! is kept while reading is only what later checks need: per file, 128-bit fingerprints of its sourcedIds with their
//! first line (see `fingerprint.rs`), dropped when no later file refers to the file; the references within a file
//! that point forward, until it ends; the (user, org) pairs holding a primary role, while roles.csv is read; and for a
//! 1.1 package the type of each org and the school of each class.
//!
//! **Records may reach the sink before an error is found** later in the same file or in a later file (a reference
//! within a file is only known to dangle at its end; a file may be missing). That is intended: apply everything
//! inside one database transaction and roll it back when [`Report::error_count`] is not zero. Only a package without
//! errors should be kept — a bulk file whose rows were all dropped would otherwise read as "delete everything".

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::Path;

use super::canonical::Record;
use super::manifest::Manifest;
use super::reader::read_package;
use super::source::{DirSource, MemorySource, ZipSource};
use super::spec::Mode;
use crate::problem::{Problem, Problems, Strictness};

/// Records per [`Sink::records`] call, at most.
pub const BATCH_SIZE: usize = 5_000;

/// Where the streaming reader puts what it reads. Files come in an order where each follows every file it refers to
/// (orgs, academicSessions, courses, classes, resources, users, userProfiles, roles, demographics, enrollments,
/// classResources, courseResources, userResources, categories, scoreScales, lineItems, lineItemLearningObjectiveIds,
/// lineItemScoreScales, results, resultLearningObjectiveIds, resultScoreScales), one at a time: all of a file's
/// batches, its withdrawals, then [`Sink::file_done`]. A 1.1 `users` file is followed batch by batch by the `roles`
/// records made from it (each after its user), and both end together.
pub trait Sink {
    type Error;

    /// Records of `file` without errors so far, in file order. `mode` is how the manifest supplies the file.
    fn records(&mut self, file: &str, mode: Mode, batch: Vec<Record>) -> Result<(), Self::Error>;

    /// Records of `file` already handed over that the check at the end of the file found wrong: they refer to a
    /// sourcedId the file does not define (an org's parent, a session's parent, a user's agents). `indices` count the
    /// file's records from 0 across its batches, ascending. The package then has errors, so a sink that rolls back
    /// on errors may ignore this; the whole-package readers drop them.
    fn withdrawn(&mut self, file: &str, indices: &[u64]) -> Result<(), Self::Error> {
        let _ = (file, indices);
        Ok(())
    }

    /// All batches of `file` are given: it may be finished (e.g. by marking what a bulk file no longer lists).
    fn file_done(&mut self, file: &str, mode: Mode) -> Result<(), Self::Error> {
        let _ = (file, mode);
        Ok(())
    }

    /// Progress within the file being read: bytes read of its `total`.
    fn progress(&mut self, file: &str, read: u64, total: u64) {
        let _ = (file, read, total);
    }
}

/// What was read and found, without the records (they went to the sink).
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// `None` when the manifest is missing or declares no readable version.
    pub manifest: Option<Manifest>,
    /// Per file read (and `roles` after a 1.1 users file), whether it came as bulk or delta.
    pub modes: BTreeMap<String, Mode>,
    /// Per file read, its data rows (for 1.1 `roles`, the records made from users).
    pub rows: BTreeMap<String, u64>,
    /// Per file read, the records handed to the sink and not withdrawn.
    pub records: BTreeMap<String, u64>,
    /// The first problems of each file: the package's own (layout, manifest, which files), then each file's in the
    /// order read, by line.
    pub problems: Vec<Problem>,
    pub error_count: u64,
    pub warning_count: u64,
    /// Per file, problems found beyond the per-file cap and therefore not in `problems`.
    pub suppressed: BTreeMap<String, u64>,
}

impl Report {
    /// True when no error was found (warnings may remain): only then should what the sink got be kept.
    pub fn is_accepted(&self) -> bool {
        self.error_count == 0
    }
}

/// The read stopped: a file could not be read, or the sink failed.
#[derive(Debug, thiserror::Error)]
pub enum StreamError<E> {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{0}")]
    Sink(E),
}

/// Streams an unzipped package: every regular file directly inside `dir`.
pub fn stream_dir<S: Sink>(dir: &Path, strictness: Strictness, sink: &mut S) -> Result<Report, StreamError<S::Error>> {
    let mut source = DirSource::new(dir)?;
    read_package(&mut source, strictness, Problems::default(), sink)
}

/// Streams a zipped package from a file; entries are decompressed as they are read.
pub fn stream_zip<S: Sink>(path: &Path, strictness: Strictness, sink: &mut S) -> Result<Report, StreamError<S::Error>> {
    let shown = path.display().to_string();
    let file = File::open(path).map_err(|source| StreamError::Read { path: shown.clone(), source })?;
    stream_zip_reader(io::BufReader::new(file), strictness, sink).map_err(|e| match e {
        StreamError::Read { path: entry, source } => StreamError::Read { path: format!("{shown} ({entry})"), source },
        other => other,
    })
}

/// Streams a zipped package from any seekable reader (a file, an upload held in memory). Fails when it is not a
/// readable zip; everything wrong inside it is reported as problems.
pub fn stream_zip_reader<R: Read + Seek, S: Sink>(
    reader: R,
    strictness: Strictness,
    sink: &mut S,
) -> Result<Report, StreamError<S::Error>> {
    let mut problems = Problems::default();
    let mut source = ZipSource::new(reader, &mut problems)?;
    read_package(&mut source, strictness, problems, sink)
}

/// Streams a package given as (file name, bytes) pairs, e.g. uploaded files; a later pair of the same name wins.
pub fn stream_files<S: Sink>(
    files: impl IntoIterator<Item = (String, Vec<u8>)>,
    strictness: Strictness,
    sink: &mut S,
) -> Result<Report, StreamError<S::Error>> {
    let mut source = MemorySource::new(files);
    read_package(&mut source, strictness, Problems::default(), sink)
}
