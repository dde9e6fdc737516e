//! Reading a package through a [`Source`]: the manifest, the files present against it, then each data file in
//! dependency order (`file.rs`), with the state the checks across files share.

use std::io::Read;

use super::file::read_file;
use super::fingerprint::Fingerprinter;
use super::manifest::{self, Manifest, MANIFEST};
use super::package::file_problem;
use super::refs::{Refs, READ_ORDER};
use super::roles::PrimaryRoles;
use super::source::{Source, MAX_ENTRY_BYTES};
use super::spec::{self, Mode, Version};
use super::stream::{Report, Sink, StreamError};
use super::upgrade::Upgrade;
use crate::problem::{Problems, Severity, Strictness};

/// What the files of one package share while they are read.
pub(crate) struct Context<'s, S> {
    pub sink: &'s mut S,
    pub problems: Problems,
    pub strictness: Strictness,
    pub version: Version,
    pub fingerprints: Fingerprinter,
    pub refs: Refs,
    pub primary_roles: PrimaryRoles,
    pub upgrade: Upgrade,
    pub report: Report,
}

/// Reads the package `source` holds, after the `problems` the caller already found (e.g. in the zip's layout).
pub(crate) fn read_package<S: Sink>(
    source: &mut dyn Source,
    strictness: Strictness,
    mut problems: Problems,
    sink: &mut S,
) -> Result<Report, StreamError<S::Error>> {
    let Some(manifest) = read_manifest(source, strictness, &mut problems)? else {
        return Ok(finish(Report::default(), problems));
    };
    let to_read = check_names(source, &manifest, &mut problems);
    let fingerprints = Fingerprinter::default();
    let mut cx = Context {
        sink,
        problems,
        strictness,
        version: manifest.version,
        refs: Refs::new(fingerprints.clone(), manifest.version, manifest.files.clone()),
        fingerprints,
        primary_roles: PrimaryRoles::default(),
        upgrade: Upgrade::new(manifest.version),
        report: Report::default(),
    };
    for stem in READ_ORDER.iter().filter(|stem| to_read.contains(stem)) {
        let name = format!("{stem}.csv");
        let total = source.files().get(&name).copied().unwrap_or_default();
        let path = source.path(&name);
        let input = source.open(&name).map_err(|e| StreamError::Read { path: path.clone(), source: e })?;
        read_file(&mut cx, stem, manifest.mode(stem), input, total)
            .map_err(|e| e.map_read(|source| StreamError::Read { path, source }))?;
    }
    let mut report = cx.report;
    report.manifest = Some(manifest);
    Ok(finish(report, cx.problems))
}

fn finish(mut report: Report, problems: Problems) -> Report {
    let (problems, errors, warnings, suppressed) = problems.finish();
    report.problems = problems;
    report.error_count = errors;
    report.warning_count = warnings;
    report.suppressed = suppressed;
    report
}

/// The manifest, read whole (it is a few lines); `None` when missing or declaring no readable version.
fn read_manifest<E>(
    source: &mut dyn Source,
    strictness: Strictness,
    problems: &mut Problems,
) -> Result<Option<Manifest>, StreamError<E>> {
    let missing = "is missing (OneRoster 1.0 sets without a manifest are not supported)";
    if !source.files().contains_key(MANIFEST) {
        problems.push(file_problem(MANIFEST, missing, Severity::Error));
        return Ok(None);
    }
    let path = source.path(MANIFEST);
    let read = |source| StreamError::Read { path: path.clone(), source };
    let mut bytes = Vec::new();
    source.open(MANIFEST).map_err(read)?.take(MAX_ENTRY_BYTES).read_to_end(&mut bytes).map_err(read)?;
    let Ok(text) = String::from_utf8(bytes) else {
        problems.push(file_problem(MANIFEST, "is not UTF-8", Severity::Error));
        problems.push(file_problem(MANIFEST, missing, Severity::Error));
        return Ok(None);
    };
    Ok(manifest::parse(text.strip_prefix('\u{feff}').unwrap_or(&text), strictness, problems))
}

/// Reports files the manifest does not allow and files it lists that are missing; returns the data files to read.
fn check_names(source: &dyn Source, manifest: &Manifest, problems: &mut Problems) -> Vec<&'static str> {
    let known = spec::files(manifest.version);
    let mut to_read = Vec::new();
    for name in source.files().keys().filter(|name| *name != MANIFEST) {
        let Some(stem) = known.iter().copied().find(|k| name.strip_suffix(".csv") == Some(*k)) else {
            let rule = match known.iter().find(|k| format!("{k}.csv").eq_ignore_ascii_case(name)) {
                Some(k) => format!("has the wrong case: the file name is {k}.csv; not read"),
                None => format!("is not a OneRoster {} file; not read", manifest.version.as_str()),
            };
            problems.push(file_problem(name, &rule, Severity::Error));
            continue;
        };
        if manifest.mode(stem) == Mode::Absent {
            let rule = format!("is present but the manifest marks file.{stem} absent; not read");
            problems.push(file_problem(name, &rule, Severity::Error));
        } else {
            to_read.push(stem);
        }
    }
    for (file, mode) in &manifest.files {
        if *mode != Mode::Absent && !source.files().contains_key(&format!("{file}.csv")) {
            let rule = format!("is missing but the manifest marks file.{file} {mode:?}").to_lowercase();
            problems.push(file_problem(&format!("{file}.csv"), &rule, Severity::Error));
        }
    }
    to_read
}

impl<E> StreamError<E> {
    /// A read error, said again with the path of the file it happened in.
    pub(crate) fn map_read(self, f: impl FnOnce(std::io::Error) -> StreamError<E>) -> StreamError<E> {
        match self {
            StreamError::Read { source, .. } => f(source),
            other => other,
        }
    }
}
