//! Reading one data file as a stream: its header, then row by row each row checked, its references resolved and its
//! record handed to the sink in batches; the checks that need the whole file run when it ends.

use std::io::Read;

use super::canonical::Record;
use super::header::{self, Binding};
use super::lines::{CsvLines, Fields, Next};
use super::package::file_problem;
use super::reader::Context;
use super::records::{self, Built};
use super::refs::Handed;
use super::row::Row;
use super::spec::{Mode, Version};
use super::stream::{Sink, StreamError, BATCH_SIZE};
use crate::problem::{Problem, Problems, Severity, Strictness};

/// The file being read: its batches and what its end-of-file checks count.
struct Batches {
    stem: &'static str,
    mode: Mode,
    records: Vec<Record>,
    handed: u64,
    /// A 1.1 users file's roles records, handed after each users batch.
    roles: Vec<Record>,
    roles_handed: u64,
}

impl Batches {
    fn flush<S: Sink>(&mut self, sink: &mut S) -> Result<(), StreamError<S::Error>> {
        if !self.records.is_empty() {
            let batch = std::mem::replace(&mut self.records, Vec::with_capacity(BATCH_SIZE));
            sink.records(self.stem, self.mode, batch).map_err(StreamError::Sink)?;
        }
        if !self.roles.is_empty() {
            sink.records("roles", self.mode, std::mem::take(&mut self.roles)).map_err(StreamError::Sink)?;
        }
        Ok(())
    }
}

/// Rows counted for one problem per file: how many, and the first line.
#[derive(Default)]
struct Tally(u64, u64);

impl Tally {
    fn note(&mut self, line: u64) {
        if self.0 == 0 {
            self.1 = line;
        }
        self.0 += 1;
    }
}

/// Reads data file `stem` from `input` (`total` bytes). An I/O error stops the read; everything wrong in the file is
/// a problem.
pub(crate) fn read_file<S: Sink>(
    cx: &mut Context<'_, S>,
    stem: &'static str,
    mode: Mode,
    input: impl Read,
    total: u64,
) -> Result<(), StreamError<S::Error>> {
    let io = |source| StreamError::Read { path: String::new(), source };
    let name = format!("{stem}.csv");
    let mark = cx.problems.mark();
    let tolerated = if cx.strictness == Strictness::Lenient { Severity::Warning } else { Severity::Error };
    let mut csv = CsvLines::new(input);
    let header: Vec<String> = match csv.next().map_err(io)? {
        Next::Record { fields, .. } => fields.iter().map(str::to_owned).collect(),
        Next::End => Vec::new(),
        Next::NotUtf8 { line } => {
            cx.problems.push(not_utf8(&name, line));
            return Ok(());
        }
    };
    let binding = header::bind(&name, stem, &header, cx.version, cx.strictness, &mut cx.problems);
    cx.report.modes.insert(stem.to_owned(), mode);
    let v11_users = stem == "users" && cx.version == Version::V1_1;
    if v11_users {
        cx.report.modes.insert("roles".to_owned(), mode);
    }
    cx.refs.start_file(stem);
    let mut batches =
        Batches { stem, mode, records: Vec::with_capacity(BATCH_SIZE), handed: 0, roles: Vec::new(), roles_handed: 0 };
    let (mut rows, mut short_rows, mut bulk_filled, mut stopped) = (0u64, Tally::default(), Tally::default(), false);
    loop {
        let (line, fields) = match csv.next().map_err(io)? {
            Next::Record { line, fields } => (line, fields),
            Next::End => break,
            Next::NotUtf8 { line } => {
                cx.problems.push(not_utf8(&name, line));
                stopped = true;
                break;
            }
        };
        rows += 1;
        if !row_shape_ok(fields, &header, &binding, line, &name, &mut short_rows, &mut cx.problems) {
            continue;
        }
        let filled = |c: &str| binding.index.get(c).and_then(|i| fields.get(i)).is_some_and(|v| !v.is_empty());
        if mode == Mode::Bulk && (filled("status") || filled("dateLastModified")) {
            bulk_filled.note(line);
        }
        if let Some(id) = binding.index.get("sourcedId").and_then(|i| fields.get(i)).filter(|v| !v.is_empty()) {
            if let Some(first) = cx.refs.duplicate(stem, id, line) {
                cx.problems.push(Problem {
                    file: name.clone(),
                    line: Some(line),
                    column: Some("sourcedId".into()),
                    value: Some(id.to_owned()),
                    rule: format!("duplicate sourcedId (first at line {first})"),
                    severity: Severity::Error,
                });
                continue;
            }
        }
        if binding.readable {
            read_row(cx, &mut batches, &binding, &name, line, fields);
        }
        if batches.records.len() >= BATCH_SIZE {
            if batches.handed == BATCH_SIZE as u64 {
                // The first batch tells the size of a row: room for the rest of the file's ids at once.
                let rows_left = (total.saturating_sub(csv.consumed()) / (csv.consumed() / rows).max(1)) as usize;
                cx.refs.reserve(stem, rows_left + rows_left / 64);
            }
            batches.flush(cx.sink)?;
            cx.sink.progress(stem, csv.consumed(), total);
        }
    }
    batches.flush(cx.sink)?;
    if rows == 0 && !stopped {
        let rule = "has a header but no data rows (empty files are not permitted)";
        cx.problems.push(file_problem(&name, rule, Severity::Error));
    }
    if short_rows.0 > 0 {
        let rule = format!(
            "{} row(s) lack the fields of the blank trailing header columns (first at line {})",
            short_rows.0, short_rows.1
        );
        cx.problems.push(file_problem(&name, &rule, tolerated));
    }
    if bulk_filled.0 > 0 {
        let rule = format!(
            "{} row(s) fill status/dateLastModified, which bulk files must leave blank (first at line {}); ignored",
            bulk_filled.0, bulk_filled.1
        );
        cx.problems.push(file_problem(&name, &rule, tolerated));
    }
    let withdrawn = cx.refs.finish_file(stem, &mut cx.problems);
    cx.problems.sort_by_line_from(mark);
    let indices: Vec<u64> = withdrawn.iter().map(|h| h.index).collect();
    if stem == "orgs" {
        cx.upgrade.withdraw_orgs(&indices);
    }
    if !indices.is_empty() {
        cx.sink.withdrawn(stem, &indices).map_err(StreamError::Sink)?;
    }
    cx.report.rows.insert(stem.to_owned(), rows);
    cx.report.records.insert(stem.to_owned(), batches.handed - indices.len() as u64);
    cx.sink.file_done(stem, mode).map_err(StreamError::Sink)?;
    if v11_users {
        let roles: Vec<u64> = withdrawn.iter().flat_map(|h| h.roles.0..h.roles.1).collect();
        if !roles.is_empty() {
            cx.sink.withdrawn("roles", &roles).map_err(StreamError::Sink)?;
        }
        cx.report.rows.insert("roles".to_owned(), batches.roles_handed);
        cx.report.records.insert("roles".to_owned(), batches.roles_handed - roles.len() as u64);
        cx.sink.file_done("roles", mode).map_err(StreamError::Sink)?;
    }
    cx.sink.progress(stem, csv.consumed(), total);
    Ok(())
}

/// Reads one row whose shape and sourcedId are fine: its values, its cross-row rules and its references. A row with
/// no error so far is handed over (with, for a 1.1 user, its roles).
fn read_row<S>(
    cx: &mut Context<'_, S>,
    batches: &mut Batches,
    binding: &Binding,
    name: &str,
    line: u64,
    fields: Fields<'_>,
) {
    let stem = batches.stem;
    let errors_before = cx.problems.errors();
    let mut row = Row {
        file: name,
        line,
        record: fields,
        index: &binding.index,
        extension_columns: &binding.extensions,
        sink: &mut cx.problems,
        strictness: cx.strictness,
        mode: batches.mode,
    };
    let Some(Built { mut record, user_1_1 }) = records::build(stem, &mut row, cx.version) else {
        return;
    };
    let mut bad = cx.problems.errors() > errors_before;
    if stem == "roles" {
        bad |= cx.primary_roles.check(&cx.fingerprints, &record, line, &mut cx.problems);
    }
    let orgs_1_1 = user_1_1.as_ref().map(|(_, orgs)| orgs.as_slice()).unwrap_or_default();
    let (dangling, from) = cx.refs.check(stem, line, &record, orgs_1_1, &mut cx.problems);
    if bad || dangling {
        return;
    }
    let index = batches.handed;
    cx.upgrade.note(&cx.fingerprints, stem, &record, index);
    let start = batches.roles_handed;
    if let Some((role, orgs)) = &user_1_1 {
        let roles = cx.upgrade.roles(&cx.fingerprints, &mut record, role, orgs);
        batches.roles_handed += roles.len() as u64;
        batches.roles.extend(roles);
    }
    if stem == "lineItems" && cx.version == Version::V1_1 {
        cx.upgrade.line_item_school(&cx.fingerprints, &mut record);
    }
    cx.refs.handed(from, Handed { index, roles: (start, batches.roles_handed) });
    batches.handed += 1;
    batches.records.push(record);
}

fn not_utf8(name: &str, line: u64) -> Problem {
    Problem {
        file: name.to_owned(),
        line: Some(line),
        column: None,
        value: None,
        rule: "is not UTF-8; the rest of the file is not read".into(),
        severity: Severity::Error,
    }
}

/// False (after reporting) when a row cannot be bound to the header.
fn row_shape_ok(
    fields: Fields<'_>,
    header: &[String],
    binding: &Binding,
    line: u64,
    name: &str,
    short_rows: &mut Tally,
    problems: &mut Problems,
) -> bool {
    let mut report = |rule: String| {
        problems.push(Problem {
            file: name.to_owned(),
            line: Some(line),
            column: None,
            value: None,
            rule,
            severity: Severity::Error,
        })
    };
    if fields.has_carriage_return() {
        report("a field contains a carriage return".into());
        return false;
    }
    if fields.len() == header.len() {
        return true;
    }
    let only_blank_missing =
        fields.len() < header.len() && (fields.len()..header.len()).all(|i| binding.blank.contains(&i));
    if only_blank_missing {
        short_rows.note(line);
        return true;
    }
    report(format!("row has {} fields but the header has {}", fields.len(), header.len()));
    false
}
