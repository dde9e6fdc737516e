//! `manifest.csv`: the OneRoster version and how each data file is supplied (bulk, delta, absent).

use std::collections::BTreeMap;

use super::spec::{self, Mode, Version};
use crate::problem::{Problem, Problems, Severity, Strictness};

pub const MANIFEST: &str = "manifest.csv";

/// What the manifest declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub version: Version,
    /// Every data file of the version (without `.csv`), with its declared mode.
    pub files: BTreeMap<String, Mode>,
    pub source_system_name: Option<String>,
    pub source_system_code: Option<String>,
}

impl Manifest {
    pub fn mode(&self, file: &str) -> Mode {
        self.files.get(file).copied().unwrap_or(Mode::Absent)
    }
}

/// Parses the manifest; `None` when no version can be established (the package cannot be read).
pub(crate) fn parse(text: &str, strictness: Strictness, sink: &mut Problems) -> Option<Manifest> {
    let mut report = |line: Option<u64>, column: Option<&str>, value: Option<&str>, rule: String, severity| {
        sink.push(Problem {
            file: MANIFEST.to_owned(),
            line,
            column: column.map(str::to_owned),
            value: value.map(str::to_owned),
            rule,
            severity,
        })
    };
    let tolerated = if strictness == Strictness::Lenient { Severity::Warning } else { Severity::Error };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header_ok = reader.headers().map(|h| h.iter().eq(["propertyName", "value"])).unwrap_or(false);
    if !header_ok {
        report(Some(1), None, None, "header must be exactly 'propertyName,value'".into(), Severity::Error);
    }
    let mut properties: BTreeMap<String, (String, u64)> = BTreeMap::new();
    let mut line = 1u64;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                report(None, None, None, format!("is not valid CSV: {e}"), Severity::Error);
                return None;
            }
        };
        line += 1;
        let name = record.get(0).unwrap_or_default().to_owned();
        let value = record.get(1).unwrap_or_default().to_owned();
        if properties.insert(name.clone(), (value, line)).is_some() {
            report(Some(line), Some("propertyName"), Some(&name), "is listed twice".into(), Severity::Error);
        }
    }
    match properties.get("manifest.version") {
        Some((v, _)) if v == "1.0" => {}
        Some((v, line)) => {
            report(Some(*line), Some("value"), Some(v), "manifest.version must be 1.0".into(), Severity::Error)
        }
        None => report(None, None, None, "manifest.version is missing".into(), Severity::Error),
    }
    let version = match properties.get("oneroster.version") {
        Some((v, _)) if v == "1.2" => Version::V1_2,
        Some((v, _)) if v == "1.1" => Version::V1_1,
        Some((v, line)) => {
            let rule = "oneroster.version must be 1.2 or 1.1; the package cannot be read".into();
            report(Some(*line), Some("value"), Some(v), rule, Severity::Error);
            return None;
        }
        None => {
            report(
                None,
                None,
                None,
                "oneroster.version is missing; the package cannot be read".into(),
                Severity::Error,
            );
            return None;
        }
    };
    let known = spec::files(version);
    let mut files = BTreeMap::new();
    for file in &known {
        let key = format!("file.{file}");
        let mode = match properties.get(&key).map(|(v, l)| (v.as_str(), *l)) {
            Some(("bulk", _)) => Mode::Bulk,
            Some(("delta", _)) => Mode::Delta,
            Some(("absent", _)) => Mode::Absent,
            Some(("", line)) => {
                report(Some(line), Some("value"), Some(""), format!("{key} is blank; read as absent"), tolerated);
                Mode::Absent
            }
            Some((other, line)) => {
                let rule = format!("{key} must be bulk, delta or absent");
                report(Some(line), Some("value"), Some(other), rule, Severity::Error);
                Mode::Absent
            }
            None => {
                report(None, None, None, format!("{key} is missing; read as absent"), tolerated);
                Mode::Absent
            }
        };
        files.insert((*file).to_owned(), mode);
    }
    for (name, (_, line)) in &properties {
        if let Some(file) = name.strip_prefix("file.") {
            if !known.contains(&file) {
                let rule = format!("is not a OneRoster {} file", version.as_str());
                report(Some(*line), Some("propertyName"), Some(name), rule, Severity::Error);
            }
        }
    }
    let source = |key: &str| properties.get(key).map(|(v, _)| v.clone()).filter(|v| !v.is_empty());
    Some(Manifest {
        version,
        files,
        source_system_name: source("source.systemName"),
        source_system_code: source("source.systemCode"),
    })
}
