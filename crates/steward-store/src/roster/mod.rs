//! Rostering: the OneRoster records of the district, their imports and the history of those imports.
//!
//! Each OneRoster file has its table, `roster_<file in snake case>`, holding the file's 1.2 spec columns as text in
//! the canonical form of [`steward_interop::oneroster::Record`] (see migration 0002). Table and column names come
//! from the spec tables, never from input; every value is a bound parameter.

mod apply;
mod browse;
mod export;
mod history;
mod orgs_sync;
mod upsert;
mod writer;

pub use apply::{FileOutcome, RosterImport, RosterTable};
pub use browse::{ClassMember, PersonRole, RosterClass, RosterFilter, RosterPerson, RosterSchool};
pub use history::{ImportProblem, RosterImportEntry};
pub use writer::RosterWriter;

use steward_interop::oneroster::{data_columns, spec, Version, READ_ORDER};

/// The files Steward keeps, in the order an import reads them (every file after those it references).
pub fn files() -> Vec<&'static str> {
    READ_ORDER.to_vec()
}

/// The table of a OneRoster file, or `None` for a name that is not a 1.2 file.
pub(crate) fn table(file: &str) -> Option<String> {
    spec::files(Version::V1_2).contains(&file).then(|| format!("roster_{}", snake(file)))
}

/// One kept data column of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    /// Its position in [`data_columns`] (and so in [`steward_interop::oneroster::Record::values`]).
    pub at: usize,
    /// The spec's name, e.g. `courseSourcedId`.
    pub name: &'static str,
    /// The SQL column, e.g. `course_sourced_id`.
    pub sql: String,
}

/// The kept data columns of a file, in spec order. Passwords are never kept.
pub(crate) fn columns(file: &str) -> Vec<Column> {
    data_columns(file)
        .into_iter()
        .enumerate()
        .filter(|(_, name)| *name != "password")
        .map(|(at, name)| Column { at, name, sql: sql_column(name) })
        .collect()
}

/// The SQL name of a spec column: snake case, quoted where the word is reserved.
fn sql_column(name: &str) -> String {
    match snake(name) {
        s if s == "primary" => "\"primary\"".to_owned(),
        s => s,
    }
}

fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_spec_tables() {
        assert_eq!(table("lineItemLearningObjectiveIds").unwrap(), "roster_line_item_learning_objective_ids");
        assert_eq!(table("users.csv"), None);
        let enrollment: Vec<String> = columns("enrollments").into_iter().map(|c| c.sql).collect();
        assert!(enrollment.contains(&"\"primary\"".to_owned()));
        assert!(columns("users").iter().all(|c| c.name != "password"));
        let users = columns("users");
        let email = users.iter().find(|c| c.name == "email").unwrap();
        assert_eq!(data_columns("users")[email.at], "email");
        assert_eq!(files().len(), 21);
    }
}
