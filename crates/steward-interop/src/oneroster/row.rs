//! Reading one CSV row by header name: typed values, each defect reported with file, line and column.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use csv::StringRecord;

use super::spec::{Mode, STATUS};
use crate::problem::{Problem, Problems, Severity, Strictness};

/// Fields every OneRoster record carries, plus the columns the spec does not define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Common {
    pub sourced_id: String,
    /// `None` in bulk files (and for bulk rows whose filled-in status was ignored).
    pub status: Option<Status>,
    pub date_last_modified: Option<DateTime<Utc>>,
    /// Physical line of the row in its file.
    pub line: u64,
    /// `metadata.*` and vendor columns, by header name; blank values are left out.
    pub extensions: BTreeMap<String, String>,
}

/// Delta record state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    ToBeDeleted,
}

/// One data row being read; everything it finds goes to `sink`.
pub(crate) struct Row<'a> {
    pub file: &'a str,
    pub line: u64,
    pub record: &'a StringRecord,
    pub index: &'a HashMap<String, usize>,
    pub extension_columns: &'a [(String, usize)],
    pub sink: &'a mut Problems,
    pub strictness: Strictness,
    pub mode: Mode,
}

impl Row<'_> {
    pub fn report(&mut self, column: &str, value: Option<&str>, rule: impl Into<String>, severity: Severity) {
        self.sink.push(Problem {
            file: self.file.to_owned(),
            line: Some(self.line),
            column: Some(column.to_owned()),
            value: value.map(str::to_owned),
            rule: rule.into(),
            severity,
        });
    }

    /// A deviation Lenient accepts: a warning there, an error under Strict. True if accepted.
    /// `reading` says how Lenient reads the value and is appended only there.
    fn tolerate(&mut self, column: &str, value: &str, rule: &str, reading: &str) -> bool {
        if self.strictness == Strictness::Lenient {
            self.report(column, Some(value), format!("{rule}; {reading}"), Severity::Warning);
            true
        } else {
            self.report(column, Some(value), rule, Severity::Error);
            false
        }
    }

    /// The raw value, `None` when the column is missing or the value blank.
    pub fn raw(&self, column: &str) -> Option<&str> {
        let value = self.record.get(*self.index.get(column)?)?;
        (!value.is_empty()).then_some(value)
    }

    fn missing(&mut self, column: &str, required: bool) {
        if required {
            self.report(column, None, "is required but blank", Severity::Error);
        }
    }

    pub fn text(&mut self, column: &str, required: bool) -> Option<String> {
        let value = self.raw(column).map(str::to_owned);
        if value.is_none() {
            self.missing(column, required);
        }
        value
    }

    pub fn guid(&mut self, column: &str, required: bool) -> Option<String> {
        let value = self.text(column, required)?;
        self.check_guid(column, &value).then_some(value)
    }

    fn check_guid(&mut self, column: &str, value: &str) -> bool {
        let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | '@');
        if value.len() >= 256 {
            self.report(column, Some(value), "is not a GUID: 256 characters or longer", Severity::Error);
            false
        } else if !value.chars().all(ok_char) {
            self.report(column, Some(value), "is not a GUID: only 0-9 a-z A-Z . - _ / @ are allowed", Severity::Error);
            false
        } else {
            true
        }
    }

    /// A comma-separated list; items are trimmed and blank items dropped.
    pub fn list(&mut self, column: &str, required: bool) -> Vec<String> {
        let items: Vec<String> = match self.raw(column) {
            Some(v) => v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            None => Vec::new(),
        };
        if items.is_empty() {
            self.missing(column, required);
        }
        items
    }

    pub fn guid_list(&mut self, column: &str, required: bool) -> Vec<String> {
        let items = self.list(column, required);
        items.into_iter().filter(|item| self.check_guid(column, item)).collect()
    }

    /// A value from `allowed`; `ext:`-prefixed values pass when the vocabulary is extensible.
    pub fn vocab(&mut self, column: &str, allowed: &[&str], extensible: bool, required: bool) -> Option<String> {
        let value = self.text(column, required)?;
        self.check_vocab(column, value, allowed, extensible)
    }

    /// A list whose every item is from `allowed`, as [`Row::vocab`] reads one.
    pub fn vocab_list(&mut self, column: &str, allowed: &[&str], extensible: bool, required: bool) -> Vec<String> {
        let items = self.list(column, required);
        items.into_iter().filter_map(|item| self.check_vocab(column, item, allowed, extensible)).collect()
    }

    fn check_vocab(&mut self, column: &str, value: String, allowed: &[&str], extensible: bool) -> Option<String> {
        if allowed.contains(&value.as_str()) || (extensible && value.starts_with("ext:") && value.len() > 4) {
            return Some(value);
        }
        if let Some(canonical) = allowed.iter().find(|a| a.eq_ignore_ascii_case(&value)) {
            let reading = format!("read as '{canonical}'");
            let rule = "has the wrong case (values are case-sensitive)";
            return self.tolerate(column, &value, rule, &reading).then(|| (*canonical).to_owned());
        }
        let ext = if extensible { " or an 'ext:' value" } else { "" };
        self.report(column, Some(&value), format!("is not one of {}{ext}", allowed.join("|")), Severity::Error);
        None
    }

    pub fn boolean(&mut self, column: &str, required: bool) -> Option<bool> {
        let value = self.vocab(column, &["true", "false"], false, required)?;
        Some(value == "true")
    }

    pub fn date(&mut self, column: &str, required: bool) -> Option<NaiveDate> {
        let value = self.text(column, required)?;
        match NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
            Ok(date) if value.len() == 10 => Some(date),
            _ => {
                self.report(column, Some(&value), "is not a date YYYY-MM-DD", Severity::Error);
                None
            }
        }
    }

    /// A finite decimal number; `None` after reporting anything else (`NaN`, `inf`, `85%`).
    pub fn float(&mut self, column: &str, required: bool) -> Option<f64> {
        let value = self.text(column, required)?;
        match value.parse::<f64>() {
            Ok(number) if number.is_finite() => Some(number),
            _ => {
                self.report(column, Some(&value), "is not a decimal number", Severity::Error);
                None
            }
        }
    }

    pub fn integer(&mut self, column: &str, required: bool) -> Option<i64> {
        let value = self.text(column, required)?;
        match value.parse::<i64>() {
            Ok(number) => Some(number),
            Err(_) => {
                self.report(column, Some(&value), "is not a whole number", Severity::Error);
                None
            }
        }
    }

    pub fn year(&mut self, column: &str, required: bool) -> Option<i32> {
        let value = self.text(column, required)?;
        match value.parse::<i32>() {
            Ok(year) if value.len() == 4 && value.bytes().all(|b| b.is_ascii_digit()) => Some(year),
            _ => {
                self.report(column, Some(&value), "is not a year YYYY", Severity::Error);
                None
            }
        }
    }

    /// An ISO 8601 UTC datetime; Lenient also reads a bare date or `YYYY-MM-DD HH:MM:SS` as UTC.
    pub fn datetime(&mut self, column: &str, required: bool) -> Option<DateTime<Utc>> {
        let value = self.text(column, required)?;
        if value.ends_with('Z') {
            if let Ok(dt) = DateTime::parse_from_rfc3339(&value) {
                return Some(dt.with_timezone(&Utc));
            }
        }
        let lenient = [
            ("%Y-%m-%dT%H:%M:%S%.f", "has no time zone"),
            ("%Y-%m-%d %H:%M:%S%.f", "is not ISO 8601 (space, no zone)"),
        ];
        for (format, rule) in lenient {
            if let Ok(naive) = NaiveDateTime::parse_from_str(&value, format) {
                return self.tolerate(column, &value, rule, "read as UTC").then(|| naive.and_utc());
            }
        }
        if let Ok(date) = NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
            if value.len() == 10 {
                let rule = "is a date, not a UTC datetime";
                let accepted = self.tolerate(column, &value, rule, "read as midnight UTC");
                return accepted.then(|| date.and_hms_opt(0, 0, 0)).flatten().map(|n| n.and_utc());
            }
        }
        self.report(
            column,
            Some(&value),
            "is not an ISO 8601 UTC datetime like 2012-04-23T18:25:43.511Z",
            Severity::Error,
        );
        None
    }

    /// sourcedId, status and dateLastModified as the file's bulk/delta mode requires.
    pub fn common(&mut self) -> Option<Common> {
        let sourced_id = self.guid("sourcedId", true);
        let status = self.vocab("status", STATUS, false, self.mode == Mode::Delta).map(|s| match s.as_str() {
            "active" => Status::Active,
            _ => Status::ToBeDeleted,
        });
        let date_last_modified = self.datetime("dateLastModified", self.mode == Mode::Delta);
        let filled_in_bulk =
            self.mode == Mode::Bulk && (self.raw("status").is_some() || self.raw("dateLastModified").is_some());
        let extensions = self
            .extension_columns
            .iter()
            .filter_map(|(name, i)| Some((name.clone(), self.record.get(*i).filter(|v| !v.is_empty())?.to_owned())))
            .collect();
        let (status, date_last_modified) = if filled_in_bulk { (None, None) } else { (status, date_last_modified) };
        Some(Common { sourced_id: sourced_id?, status, date_last_modified, line: self.line, extensions })
    }
}
