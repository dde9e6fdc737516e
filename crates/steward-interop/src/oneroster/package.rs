//! Reading a whole package: files against the manifest, then each data file row by row.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::canonical::{Canonical, Record};
use super::header::{self, Binding};
use super::manifest::{self, Manifest, MANIFEST};
use super::records::{self, AcademicSession, Class, Course, Demographic, Enrollment, Org, Role, User};
use super::row::Row;
use super::spec::{self, Mode, Version};
use super::{refs, roles, upgrade};
use crate::problem::{Problem, Problems, Severity, Strictness};

/// Everything read from one package. Records hold only rows without errors.
///
/// `records` is what storing, exporting and serving consume: per file stem, the canonical 1.2 [`Record`] of every
/// row without errors, in file order, with `modes` saying whether that file came as bulk or delta. Both have a key
/// for every file read (even when no row survived) and for `roles` when a 1.1 `users.csv` was read (its roles are
/// made from the users' `role` and `orgSourcedIds` and take the users file's mode). Only an accepted package
/// ([`Package::is_accepted`]) should be stored: a bulk file whose rows were all dropped would otherwise read as
/// "delete everything". The typed rostering lists hold the same rows with typed fields.
#[derive(Debug, Default)]
pub struct Package {
    /// `None` when the manifest is missing or declares no readable version.
    pub manifest: Option<Manifest>,
    pub records: BTreeMap<String, Vec<Record>>,
    pub modes: BTreeMap<String, Mode>,
    pub orgs: Vec<Org>,
    pub academic_sessions: Vec<AcademicSession>,
    pub courses: Vec<Course>,
    pub classes: Vec<Class>,
    pub users: Vec<User>,
    pub roles: Vec<Role>,
    pub enrollments: Vec<Enrollment>,
    pub demographics: Vec<Demographic>,
    /// The first problems of each file, in the order found.
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
}

/// A package directory could not be listed or a file in it could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}: {source}")]
pub struct ReadError {
    pub path: String,
    #[source]
    pub source: std::io::Error,
}

/// Reads an unzipped OneRoster package: every regular file directly inside `dir`.
pub fn read_dir(dir: &Path, strictness: Strictness) -> Result<Package, ReadError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| ReadError { path, source }
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.is_file() {
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            files.push((name, std::fs::read(&path).map_err(io(&path))?));
        }
    }
    Ok(read_files(files, strictness))
}

/// Reads a package given as (file name, bytes) pairs, e.g. the entries at the root of a zip.
pub fn read_files(files: impl IntoIterator<Item = (String, Vec<u8>)>, strictness: Strictness) -> Package {
    read_with(files, strictness, Problems::default())
}

/// [`read_files`], after problems the caller already found (e.g. in the zip's layout).
pub(crate) fn read_with(
    files: impl IntoIterator<Item = (String, Vec<u8>)>,
    strictness: Strictness,
    mut sink: Problems,
) -> Package {
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    for (name, bytes) in files {
        match String::from_utf8(bytes) {
            Ok(text) => {
                texts.insert(name, text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text));
            }
            Err(_) => sink.push(file_problem(&name, "is not UTF-8", Severity::Error)),
        }
    }
    let mut package = Package::default();
    let manifest = match texts.remove(MANIFEST) {
        Some(text) => manifest::parse(&text, strictness, &mut sink),
        None => {
            let rule = "is missing (OneRoster 1.0 sets without a manifest are not supported)";
            sink.push(file_problem(MANIFEST, rule, Severity::Error));
            None
        }
    };
    if let Some(manifest) = &manifest {
        let mut reader = Reader {
            sink: &mut sink,
            strictness,
            version: manifest.version,
            ids: HashMap::new(),
            bad_rows: HashSet::new(),
            lines: HashMap::new(),
        };
        let known = spec::files(manifest.version);
        for (name, text) in &texts {
            let Some(stem) = name.strip_suffix(".csv").filter(|s| known.contains(s)) else {
                let rule = match known.iter().find(|k| format!("{k}.csv").eq_ignore_ascii_case(name)) {
                    Some(k) => format!("has the wrong case: the file name is {k}.csv; not read"),
                    None => format!("is not a OneRoster {} file; not read", manifest.version.as_str()),
                };
                reader.sink.push(file_problem(name, &rule, Severity::Error));
                continue;
            };
            match manifest.mode(stem) {
                Mode::Absent => {
                    let rule = format!("is present but the manifest marks file.{stem} absent; not read");
                    reader.sink.push(file_problem(name, &rule, Severity::Error));
                }
                mode => reader.read(&mut package, stem, text, mode),
            }
        }
        for (file, mode) in &manifest.files {
            if *mode != Mode::Absent && !texts.contains_key(&format!("{file}.csv")) {
                let rule = format!("is missing but the manifest marks file.{file} {mode:?}").to_lowercase();
                reader.sink.push(file_problem(&format!("{file}.csv"), &rule, Severity::Error));
            }
        }
        let (ids, mut bad_rows) = (std::mem::take(&mut reader.ids), std::mem::take(&mut reader.bad_rows));
        let lines = std::mem::take(&mut reader.lines);
        bad_rows.extend(roles::one_primary_per_org(&package.roles, &mut sink));
        bad_rows.extend(refs::check(&package, manifest, &ids, &lines, &mut sink));
        drop_rows_with_errors(&mut package, &lines, &bad_rows);
        upgrade::to_1_2(&mut package, manifest.version);
    }
    package.manifest = manifest;
    let (problems, errors, warnings, suppressed) = sink.finish();
    package.problems = problems;
    package.error_count = errors;
    package.warning_count = warnings;
    package.suppressed = suppressed;
    package
}

pub(crate) fn file_problem(file: &str, rule: &str, severity: Severity) -> Problem {
    Problem { file: file.to_owned(), line: None, column: None, value: None, rule: rule.to_owned(), severity }
}

/// State shared while reading the data files of one package.
struct Reader<'a> {
    sink: &'a mut Problems,
    strictness: Strictness,
    version: Version,
    /// Per file stem, every non-blank sourcedId seen and its line (also of rows with errors).
    ids: HashMap<String, HashMap<String, u64>>,
    /// (file stem, line) of rows that had errors.
    bad_rows: HashSet<(String, u64)>,
    /// Per file stem, the line of each record in `Package::records`.
    lines: HashMap<String, Vec<u64>>,
}

impl Reader<'_> {
    fn read(&mut self, package: &mut Package, stem: &str, text: &str, mode: Mode) {
        let name = format!("{stem}.csv");
        let tolerated = if self.strictness == Strictness::Lenient { Severity::Warning } else { Severity::Error };
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let header: Vec<String> = match csv.headers() {
            Ok(h) => h.iter().map(str::to_owned).collect(),
            Err(e) => return self.sink.push(file_problem(&name, &format!("is not valid CSV: {e}"), Severity::Error)),
        };
        let binding = header::bind(&name, stem, &header, self.version, self.strictness, self.sink);
        package.modes.insert(stem.to_owned(), mode);
        package.records.entry(stem.to_owned()).or_default();
        let ids = self.ids.entry(stem.to_owned()).or_default();
        let (mut rows, mut short_rows, mut bulk_filled) = (0u64, Vec::new(), Vec::new());
        let (mut line, mut counted) = (1u64, 0usize);
        for record in csv.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    self.sink.push(file_problem(&name, &format!("is not valid CSV: {e}"), Severity::Error));
                    break;
                }
            };
            rows += 1;
            // csv starts a record after the CR of a CRLF and counts lines oddly, so count LFs
            // up to the record's first byte that is not a line ending.
            let bytes = text.as_bytes();
            let mut start = record.position().map_or(0, |p| p.byte() as usize).min(bytes.len());
            while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
                start += 1;
            }
            line += bytes[counted..start].iter().filter(|b| **b == b'\n').count() as u64;
            counted = start;
            if !row_shape_ok(&record, &header, &binding, line, &name, &mut short_rows, self.sink) {
                continue;
            }
            let filled = |c: &str| binding.index.get(c).and_then(|i| record.get(*i)).is_some_and(|v| !v.is_empty());
            if mode == Mode::Bulk && (filled("status") || filled("dateLastModified")) {
                bulk_filled.push(line);
            }
            if let Some(id) = binding.index.get("sourcedId").and_then(|i| record.get(*i)).filter(|v| !v.is_empty()) {
                if let Some(first) = ids.get(id) {
                    let rule = format!("duplicate sourcedId (first at line {first})");
                    self.sink.push(Problem {
                        file: name.clone(),
                        line: Some(line),
                        column: Some("sourcedId".into()),
                        value: Some(id.to_owned()),
                        rule,
                        severity: Severity::Error,
                    });
                    continue;
                }
                ids.insert(id.to_owned(), line);
            }
            if !binding.readable {
                continue;
            }
            let errors_before = self.sink.errors();
            let mut row = Row {
                file: &name,
                line,
                record: &record,
                index: &binding.index,
                extension_columns: &binding.extensions,
                sink: self.sink,
                strictness: self.strictness,
                mode,
            };
            if let Some(record) = store(package, stem, &mut row, self.version) {
                package.records.entry(stem.to_owned()).or_default().push(record);
                self.lines.entry(stem.to_owned()).or_default().push(line);
            }
            if self.sink.errors() > errors_before {
                // Kept until the references are checked, then dropped by `drop_rows_with_errors`.
                self.bad_rows.insert((stem.to_owned(), line));
            }
        }
        if rows == 0 {
            self.sink.push(file_problem(
                &name,
                "has a header but no data rows (empty files are not permitted)",
                Severity::Error,
            ));
        }
        if !short_rows.is_empty() {
            let rule = format!(
                "{} row(s) lack the fields of the blank trailing header columns (first at line {})",
                short_rows.len(),
                short_rows[0]
            );
            self.sink.push(file_problem(&name, &rule, tolerated));
        }
        if let Some(first) = bulk_filled.first() {
            let rule = format!(
                "{} row(s) fill status/dateLastModified, which bulk files must leave blank (first at line {first}); ignored",
                bulk_filled.len()
            );
            self.sink.push(file_problem(&name, &rule, tolerated));
        }
    }
}

/// False (after reporting) when a row cannot be bound to the header.
fn row_shape_ok(
    record: &csv::StringRecord,
    header: &[String],
    binding: &Binding,
    line: u64,
    name: &str,
    short_rows: &mut Vec<u64>,
    sink: &mut Problems,
) -> bool {
    let mut report = |rule: String| {
        sink.push(Problem {
            file: name.to_owned(),
            line: Some(line),
            column: None,
            value: None,
            rule,
            severity: Severity::Error,
        })
    };
    if record.iter().any(|f| f.contains('\r')) {
        report("a field contains a carriage return".into());
        return false;
    }
    if record.len() == header.len() {
        return true;
    }
    let only_blank_missing =
        record.len() < header.len() && (record.len()..header.len()).all(|i| binding.blank.contains(&i));
    if only_blank_missing {
        short_rows.push(line);
        return true;
    }
    report(format!("row has {} fields but the header has {}", record.len(), header.len()));
    false
}

/// Reads the row into its typed list (rostering files) and returns its canonical record; `None` when the row
/// cannot make one (a required rostering value or the sourcedId could not be read).
fn store(package: &mut Package, stem: &str, row: &mut Row<'_>, version: Version) -> Option<Record> {
    fn keep<T: Canonical>(list: &mut Vec<T>, item: Option<T>) -> Option<Record> {
        let item = item?;
        let record = item.to_record();
        list.push(item);
        Some(record)
    }
    match stem {
        "orgs" => keep(&mut package.orgs, records::org(row)),
        "academicSessions" => keep(&mut package.academic_sessions, records::academic_session(row)),
        "courses" => keep(&mut package.courses, records::course(row)),
        "classes" => keep(&mut package.classes, records::class(row)),
        "users" => keep(&mut package.users, records::user(row, version)),
        "roles" => keep(&mut package.roles, records::role(row)),
        "enrollments" => keep(&mut package.enrollments, records::enrollment(row)),
        "demographics" => keep(&mut package.demographics, records::demographic(row, version)),
        _ => records::canonical(stem, row, version),
    }
}

/// Drops the records of rows that had errors, so the typed lists and `records` hold only clean rows.
fn drop_rows_with_errors(package: &mut Package, lines: &HashMap<String, Vec<u64>>, bad: &HashSet<(String, u64)>) {
    if bad.is_empty() {
        // The usual case for a package worth importing; spares a look-up per row of a large set.
        return;
    }
    let ok = |stem: &str, line: u64| !bad.contains(&(stem.to_owned(), line));
    package.orgs.retain(|r| ok("orgs", r.common.line));
    package.academic_sessions.retain(|r| ok("academicSessions", r.common.line));
    package.courses.retain(|r| ok("courses", r.common.line));
    package.classes.retain(|r| ok("classes", r.common.line));
    package.users.retain(|r| ok("users", r.common.line));
    package.roles.retain(|r| ok("roles", r.common.line));
    package.enrollments.retain(|r| ok("enrollments", r.common.line));
    package.demographics.retain(|r| ok("demographics", r.common.line));
    for (stem, records) in &mut package.records {
        let mut lines = lines.get(stem).into_iter().flatten();
        records.retain(|_| lines.next().is_some_and(|line| ok(stem, *line)));
    }
}
