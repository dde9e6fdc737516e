//! References between the files of a bulk set, which must be semantically complete, checked as rows stream by.
//!
//! Files are read in [`READ_ORDER`], where every file comes after the files it refers to, so a reference to another
//! file is checked against that file's complete set of sourcedIds as soon as its row is read. A reference within the
//! file (an org's parent, a session's parent, a user's agents) is checked at once when it points back, and kept
//! until the file ends when it points forward. Only fingerprints of the sourcedIds are kept, with their first line;
//! a file nothing later refers to lets go of its set when it ends.

use std::collections::hash_map::Entry;
use std::collections::BTreeMap;

use super::canonical::{data_columns, Record};
use super::fingerprint::{FingerprintMap, Fingerprinter};
use super::spec::{Mode, Version};
use crate::problem::{Problem, Problems, Severity};

/// The order files are read in and handed to a sink: each after every file it refers to, rostering first.
pub const READ_ORDER: &[&str] = &[
    "orgs",
    "academicSessions",
    "courses",
    "classes",
    "resources",
    "users",
    "userProfiles",
    "roles",
    "demographics",
    "enrollments",
    "classResources",
    "courseResources",
    "userResources",
    "categories",
    "scoreScales",
    "lineItems",
    "lineItemLearningObjectiveIds",
    "lineItemScoreScales",
    "results",
    "resultLearningObjectiveIds",
    "resultScoreScales",
];

/// (file, column, file it refers to); a row's references are checked in this order. List columns hold several
/// references. demographics' own sourcedId must be a user's.
const REFERENCES: &[(&str, &str, &str)] = &[
    ("orgs", "parentSourcedId", "orgs"),
    ("academicSessions", "parentSourcedId", "academicSessions"),
    ("courses", "schoolYearSourcedId", "academicSessions"),
    ("courses", "orgSourcedId", "orgs"),
    ("classes", "courseSourcedId", "courses"),
    ("classes", "schoolSourcedId", "orgs"),
    ("classes", "termSourcedIds", "academicSessions"),
    ("users", "agentSourcedIds", "users"),
    ("users", "resourceSourcedIds", "resources"),
    ("users", "primaryOrgSourcedId", "orgs"),
    ("roles", "userSourcedId", "users"),
    ("roles", "orgSourcedId", "orgs"),
    ("roles", "userProfileSourcedId", "userProfiles"),
    ("enrollments", "classSourcedId", "classes"),
    ("enrollments", "schoolSourcedId", "orgs"),
    ("enrollments", "userSourcedId", "users"),
    ("demographics", "sourcedId", "users"),
    ("userProfiles", "userSourcedId", "users"),
    ("lineItems", "classSourcedId", "classes"),
    ("lineItems", "categorySourcedId", "categories"),
    ("lineItems", "academicSessionSourcedId", "academicSessions"),
    ("lineItems", "schoolSourcedId", "orgs"),
    ("results", "lineItemSourcedId", "lineItems"),
    ("results", "studentSourcedId", "users"),
    ("results", "classSourcedId", "classes"),
    ("lineItemLearningObjectiveIds", "lineItemSourcedId", "lineItems"),
    ("resultLearningObjectiveIds", "resultSourcedId", "results"),
    ("scoreScales", "orgSourcedId", "orgs"),
    ("scoreScales", "courseSourcedId", "courses"),
    ("scoreScales", "classSourcedId", "classes"),
    ("lineItemScoreScales", "lineItemSourcedId", "lineItems"),
    ("lineItemScoreScales", "scoreScaleSourcedId", "scoreScales"),
    ("resultScoreScales", "resultSourcedId", "results"),
    ("resultScoreScales", "scoreScaleSourcedId", "scoreScales"),
    ("classResources", "classSourcedId", "classes"),
    ("classResources", "resourceSourcedId", "resources"),
    ("courseResources", "courseSourcedId", "courses"),
    ("courseResources", "resourceSourcedId", "resources"),
    ("userResources", "userSourcedId", "users"),
    ("userResources", "orgSourcedId", "orgs"),
    ("userResources", "classSourcedId", "classes"),
    ("userResources", "resourceSourcedId", "resources"),
];

/// A record already handed to the sink: its index among its file's records, and for a 1.1 user the indices of the
/// roles records made from it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Handed {
    pub index: u64,
    pub roles: (u64, u64),
}

/// A reference to a sourcedId of its own file not seen yet, checked when the file ends.
struct Forward {
    line: u64,
    column: &'static str,
    id: String,
    handed: Option<Handed>,
}

/// One reference column of the file being read: where its value sits in a record, whether it is checked.
struct Column {
    shown: &'static str,
    target: &'static str,
    /// The target's place in [`READ_ORDER`].
    slot: Option<usize>,
    /// `None`: the record's own sourcedId.
    at: Option<usize>,
    checked: bool,
    /// The last id found in the target: consecutive rows often name the same class or school, and a string
    /// comparison is cheaper than a fingerprint and a look-up.
    last: String,
}

/// The sourcedIds seen per file, and the references waiting for the end of the file being read.
pub(crate) struct Refs {
    fingerprints: Fingerprinter,
    version: Version,
    modes: BTreeMap<String, Mode>,
    /// Per file read (by its place in [`READ_ORDER`]), each sourcedId's fingerprint and its first line.
    ids: Vec<Option<FingerprintMap<u64>>>,
    columns: Vec<Column>,
    forward: Vec<Forward>,
}

impl Refs {
    pub fn new(fingerprints: Fingerprinter, version: Version, modes: BTreeMap<String, Mode>) -> Refs {
        let ids = READ_ORDER.iter().map(|_| None).collect();
        Refs { fingerprints, version, modes, ids, columns: Vec::new(), forward: Vec::new() }
    }

    fn mode(&self, file: &str) -> Mode {
        self.modes.get(file).copied().unwrap_or(Mode::Absent)
    }

    /// References from bulk files are checked, except those into delta files: they may point at records imported
    /// earlier.
    fn checked(&self, file: &str, target: &str) -> bool {
        self.mode(file) == Mode::Bulk && self.mode(target) != Mode::Delta
    }

    fn ids(&self, file: &str) -> Option<&FingerprintMap<u64>> {
        self.ids.get(slot(file)?)?.as_ref()
    }

    fn ids_at(&self, slot: Option<usize>) -> Option<&FingerprintMap<u64>> {
        self.ids.get(slot?)?.as_ref()
    }

    pub fn start_file(&mut self, file: &'static str) {
        if let Some(slot) = slot(file) {
            self.ids[slot] = Some(FingerprintMap::default());
        }
        let data = data_columns(file);
        self.columns = REFERENCES
            .iter()
            .filter(|r| r.0 == file)
            .map(|&(_, name, target)| Column {
                shown: shown_column(file, name, self.version),
                target,
                slot: slot(target),
                at: data.iter().position(|c| *c == name),
                checked: self.checked(file, target),
                last: String::new(),
            })
            .collect();
    }

    /// Makes room for `more` sourcedIds of `file` at once: growing a map of millions step by step would briefly hold
    /// it twice and move every entry each time.
    pub fn reserve(&mut self, file: &str, more: usize) {
        if let Some(ids) = slot(file).and_then(|s| self.ids[s].as_mut()) {
            ids.reserve(more);
        }
    }

    /// Notes a sourcedId of `file` at `line`; returns the line it was first seen at if it is a duplicate.
    pub fn duplicate(&mut self, file: &str, id: &str, line: u64) -> Option<u64> {
        let fingerprint = self.fingerprints.of(id);
        match self.ids.get_mut(slot(file)?)?.as_mut()?.entry(fingerprint) {
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(slot) => {
                slot.insert(line);
                None
            }
        }
    }

    /// Checks every reference `record` makes (a 1.1 user's orgs first); forward ones within the file wait. Returns
    /// whether one was dangling, and where this row's waiting references start (for [`Refs::handed`]).
    pub fn check(
        &mut self,
        file: &str,
        line: u64,
        record: &Record,
        orgs_1_1: &[String],
        problems: &mut Problems,
    ) -> (bool, usize) {
        let from = self.forward.len();
        let mut bad = false;
        if !orgs_1_1.is_empty() && self.checked(file, "orgs") {
            for id in orgs_1_1 {
                bad |= self.one(file, line, "orgSourcedIds", ("orgs", slot("orgs")), id, problems) == Found::Dangling;
            }
        }
        for c in 0..self.columns.len() {
            let Column { shown, target, slot, at, checked, .. } = self.columns[c];
            if !checked {
                continue;
            }
            let value = match at {
                Some(at) => record.values.get(at).and_then(Option::as_deref),
                None => Some(record.sourced_id.as_str()),
            };
            for id in value.into_iter().flat_map(|v| v.split(',')) {
                if self.columns[c].last == id {
                    continue;
                }
                match self.one(file, line, shown, (target, slot), id, problems) {
                    Found::Known => id.clone_into(&mut self.columns[c].last),
                    Found::Waiting => {}
                    Found::Dangling => bad = true,
                }
            }
        }
        (bad, from)
    }

    /// One reference: known, waiting for the end of its own file, or dangling (and reported).
    fn one(
        &mut self,
        file: &str,
        line: u64,
        column: &'static str,
        (target, slot): (&str, Option<usize>),
        id: &str,
        p: &mut Problems,
    ) -> Found {
        let known = self.ids_at(slot).map(|ids| ids.contains_key(&self.fingerprints.of(id)));
        let rule = match known {
            Some(true) => return Found::Known,
            Some(false) if target == file => {
                self.forward.push(Forward { line, column, id: id.to_owned(), handed: None });
                return Found::Waiting;
            }
            Some(false) => format!("refers to a sourcedId missing from {target}.csv in this bulk set"),
            None => format!("refers to {target}.csv, which this bulk set does not supply"),
        };
        p.push(dangling(file, line, column, id, rule));
        Found::Dangling
    }

    /// The row whose forward references start at `from` was handed to the sink as `handed`.
    pub fn handed(&mut self, from: usize, handed: Handed) {
        for f in self.forward.iter_mut().skip(from) {
            f.handed = Some(handed);
        }
    }

    /// Checks the forward references of `file`, which has ended, and returns the records already handed over that
    /// made a dangling one. Lets go of the file's sourcedIds when no later file refers to it.
    pub fn finish_file(&mut self, file: &'static str, problems: &mut Problems) -> Vec<Handed> {
        let mut withdrawn: Vec<Handed> = Vec::new();
        let forward = std::mem::take(&mut self.forward);
        let ids = self.ids(file);
        for f in forward {
            if ids.is_some_and(|ids| ids.contains_key(&self.fingerprints.of(&f.id))) {
                continue;
            }
            let rule = format!("refers to a sourcedId missing from {file}.csv in this bulk set");
            problems.push(dangling(file, f.line, f.column, &f.id, rule));
            if let Some(h) = f.handed.filter(|h| withdrawn.last().is_none_or(|w| w.index != h.index)) {
                withdrawn.push(h);
            }
        }
        if let Some(ids) =
            slot(file).and_then(|s| self.ids[s].as_mut()).filter(|_| !REFERENCES.iter().any(|r| r.2 == file))
        {
            *ids = FingerprintMap::default();
        }
        withdrawn
    }
}

/// What became of one reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    Known,
    /// A sourcedId of its own file not seen yet.
    Waiting,
    Dangling,
}

/// The place of `file` in [`READ_ORDER`].
fn slot(file: &str) -> Option<usize> {
    READ_ORDER.iter().position(|f| *f == file)
}

fn dangling(file: &str, line: u64, column: &str, id: &str, rule: String) -> Problem {
    Problem {
        file: format!("{file}.csv"),
        line: Some(line),
        column: Some(column.to_owned()),
        value: Some(id.to_owned()),
        rule,
        severity: Severity::Error,
    }
}

/// The column as the file names it: 1.1 line items call their session `gradingPeriodSourcedId`.
fn shown_column(file: &str, column: &'static str, version: Version) -> &'static str {
    match (file, column, version) {
        ("lineItems", "academicSessionSourcedId", Version::V1_1) => "gradingPeriodSourcedId",
        _ => column,
    }
}

#[cfg(test)]
mod tests {
    use super::{READ_ORDER, REFERENCES};
    use crate::oneroster::spec::{self, Version};

    #[test]
    fn every_file_is_read_after_the_files_it_refers_to() {
        let rank = |f: &str| READ_ORDER.iter().position(|x| *x == f).unwrap_or(usize::MAX);
        for (file, column, target) in REFERENCES {
            assert!(rank(target) <= rank(file), "{file}.{column} refers to {target}, read later");
        }
        let mut all = spec::files(Version::V1_2);
        all.sort_unstable();
        let mut order = READ_ORDER.to_vec();
        order.sort_unstable();
        assert_eq!(order, all);
    }
}
