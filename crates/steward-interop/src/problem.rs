//! One problem found in an interchange file, and the capped collector that gathers them all.

use std::collections::BTreeMap;
use std::fmt;

/// How bad a problem is: errors reject the package, warnings are reported and accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// How closely a reader holds the input to the letter of the specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strictness {
    /// Reject everything the specification forbids.
    Strict,
    /// Accept common, unambiguous real-world deviations as warnings; reject the rest.
    #[default]
    Lenient,
}

/// One problem, located as precisely as the reader knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 1-based physical line; the header is line 1.
    pub line: Option<u64>,
    pub column: Option<String>,
    pub value: Option<String>,
    pub rule: String,
    pub severity: Severity,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.severity == Severity::Warning {
            write!(f, "warning: ")?;
        }
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        write!(f, ": ")?;
        if let Some(value) = &self.value {
            write!(f, "'{value}' ")?;
        }
        write!(f, "{}", self.rule)
    }
}

/// Stored problems per file before further ones are only counted.
pub const PROBLEM_CAP_PER_FILE: u64 = 1000;

/// Collects problems in the order found, keeping the first [`PROBLEM_CAP_PER_FILE`] of each file.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    list: Vec<Problem>,
    per_file: BTreeMap<String, u64>,
    errors: u64,
    warnings: u64,
}

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        match problem.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
        }
        let seen = self.per_file.entry(problem.file.clone()).or_default();
        *seen += 1;
        if *seen <= PROBLEM_CAP_PER_FILE {
            self.list.push(problem);
        }
    }

    pub fn errors(&self) -> u64 {
        self.errors
    }

    /// Where the next stored problem will go, for [`Problems::sort_by_line_from`].
    pub fn mark(&self) -> usize {
        self.list.len()
    }

    /// Orders the problems stored since `mark` by line, keeping the order found within a line and putting problems
    /// without a line last: one file's problems read top to bottom, whatever order the checks found them in.
    pub fn sort_by_line_from(&mut self, mark: usize) {
        if let Some(tail) = self.list.get_mut(mark..) {
            tail.sort_by_key(|p| p.line.unwrap_or(u64::MAX));
        }
    }

    /// The stored problems, and per file the number found beyond the cap.
    pub fn finish(self) -> (Vec<Problem>, u64, u64, BTreeMap<String, u64>) {
        let dropped = self
            .per_file
            .into_iter()
            .filter(|(_, n)| *n > PROBLEM_CAP_PER_FILE)
            .map(|(f, n)| (f, n - PROBLEM_CAP_PER_FILE))
            .collect();
        (self.list, self.errors, self.warnings, dropped)
    }
}
