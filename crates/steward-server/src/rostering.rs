//! Importing and exporting OneRoster packages, for the command line and the pages alike.
//!
//! An import is read and checked whole first (every problem of every file); one with errors is recorded in the
//! history as rejected and changes nothing, one without is applied in a single transaction. The export writes the
//! live roster as a 1.2 bulk set, which imports back to the same roster.

use std::collections::BTreeMap;
use std::path::Path;

use steward_interop::oneroster::{self, Mode, Package, Record, Status};
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

/// Reads a package from a directory or a `.zip` file.
pub fn read_path(path: &Path, strictness: Strictness) -> Result<Package, String> {
    let result = if path.is_dir() {
        oneroster::read_dir(path, strictness).map_err(|e| e.to_string())
    } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) {
        oneroster::read_zip(path, strictness).map_err(|e| e.to_string())
    } else if path.exists() {
        Err(format!("{} is neither a folder nor a .zip file", path.display()))
    } else {
        Err(format!("{} does not exist", path.display()))
    };
    result
}

/// Records `package` in the history and, when it has no errors, applies it. `progress` hears (file, records
/// applied so far) while it applies.
pub async fn import(
    store: &Store,
    actor: &Actor,
    source: &str,
    package: &Package,
    strictness: Strictness,
    progress: &mut (dyn FnMut(&str, u64) + Send),
) -> Result<ImportOutcome, StoreError> {
    let tables: Vec<RosterTable<'_>> = package
        .records
        .iter()
        .map(|(file, records)| RosterTable {
            file,
            mode: package.modes.get(file).copied().unwrap_or(Mode::Bulk),
            rows: records.len() as u64,
            records,
        })
        .collect();
    let version = package.manifest.as_ref().map(|m| m.version.as_str());
    let import = RosterImport {
        source,
        version,
        strict: strictness == Strictness::Strict,
        tables,
        problems: &package.problems,
        error_count: package.error_count,
        warning_count: package.warning_count,
        suppressed: &package.suppressed,
    };
    let (id, applied, files) = if package.is_accepted() {
        let (id, files) = store.apply_roster(actor, &import, progress).await?;
        (id, true, files)
    } else {
        (store.record_rejected_roster_import(actor, &import).await?, false, Vec::new())
    };
    Ok(ImportOutcome {
        id,
        applied,
        files,
        error_count: package.error_count,
        warning_count: package.warning_count,
        problems: package.problems.clone(),
    })
}

/// The live roster, file by file, as canonical records.
pub async fn live_tables(store: &Store) -> Result<BTreeMap<String, Vec<Record>>, StoreError> {
    let mut tables = BTreeMap::new();
    for file in steward_store::roster_files() {
        let mut records = Vec::new();
        store
            .each_roster_record(file, |r| {
                if r.status != Some(Status::ToBeDeleted) {
                    records.push(r);
                }
                Ok::<_, std::convert::Infallible>(())
            })
            .await?
            .unwrap_or_else(|never| match never {});
        if !records.is_empty() {
            tables.insert(file.to_owned(), records);
        }
    }
    Ok(tables)
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
