//! References between the files of a bulk set, which must be semantically complete.

use std::collections::HashMap;

use super::canonical::data_columns;
use super::manifest::Manifest;
use super::package::Package;
use super::spec::{Mode, Version};
use crate::problem::{Problem, Problems, Severity};

/// (file, column, file it refers to), in the order problems are reported: rostering first, as files depend.
/// List columns hold several references. demographics' own sourcedId must be a user's.
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

/// One reference from a record to another file's sourcedId.
struct Ref<'a> {
    file: &'static str,
    line: u64,
    column: &'static str,
    target: &'static str,
    id: &'a str,
}

/// Visits every reference the records make, file by file in the order of [`REFERENCES`], then row by row. A
/// visitor rather than a list: a large set makes tens of millions of references.
fn references<'a>(p: &'a Package, version: Version, lines: &HashMap<String, Vec<u64>>, mut visit: impl FnMut(Ref<'a>)) {
    let mut files: Vec<&'static str> = REFERENCES.iter().map(|r| r.0).collect();
    files.dedup();
    for file in files {
        let (Some(records), Some(lines)) = (p.records.get(file), lines.get(file)) else { continue };
        // Column positions found once per file, not once per row.
        let columns: Vec<_> = REFERENCES
            .iter()
            .filter(|r| r.0 == file)
            .map(|&(_, column, target)| (column, target, data_columns(file).iter().position(|c| *c == column)))
            .collect();
        for (i, (record, &line)) in records.iter().zip(lines).enumerate() {
            if file == "users" {
                // 1.1 users name their orgs in a column 1.2 moved to roles.csv; the typed user keeps them.
                let orgs = p.users.get(i).filter(|u| u.common.line == line).map(|u| u.org_sourced_ids_1_1.as_slice());
                let ids = orgs.unwrap_or_default().iter().map(String::as_str);
                ids.for_each(|id| visit(Ref { file, line, column: "orgSourcedIds", target: "orgs", id }));
            }
            for &(column, target, at) in &columns {
                let value = match at {
                    Some(at) => record.values.get(at).and_then(Option::as_deref),
                    None => Some(record.sourced_id.as_str()),
                };
                let column = shown_column(file, column, version);
                for id in value.into_iter().flat_map(|v| v.split(',')) {
                    visit(Ref { file, line, column, target, id });
                }
            }
        }
    }
}

/// The column as the file names it: 1.1 line items call their session `gradingPeriodSourcedId`.
fn shown_column(file: &str, column: &'static str, version: Version) -> &'static str {
    match (file, column, version) {
        ("lineItems", "academicSessionSourcedId", Version::V1_1) => "gradingPeriodSourcedId",
        _ => column,
    }
}

/// Reports every reference from a bulk file that the bulk set does not define, and returns the
/// (file stem, line) of the rows making them. References from delta files, and into delta files,
/// may point at records imported earlier and are not checked.
pub(crate) fn check(
    package: &Package,
    manifest: &Manifest,
    ids: &HashMap<String, HashMap<String, u64>>,
    lines: &HashMap<String, Vec<u64>>,
    sink: &mut Problems,
) -> Vec<(String, u64)> {
    let mut dangling = Vec::new();
    references(package, manifest.version, lines, |r| {
        if manifest.mode(r.file) != Mode::Bulk || manifest.mode(r.target) == Mode::Delta {
            return;
        }
        let rule = match ids.get(r.target) {
            Some(known) if known.contains_key(r.id) => return,
            Some(_) => format!("refers to a sourcedId missing from {}.csv in this bulk set", r.target),
            None => format!("refers to {}.csv, which this bulk set does not supply", r.target),
        };
        sink.push(Problem {
            file: format!("{}.csv", r.file),
            line: Some(r.line),
            column: Some(r.column.to_owned()),
            value: Some(r.id.to_owned()),
            rule,
            severity: Severity::Error,
        });
        dangling.push((r.file.to_owned(), r.line));
    });
    dangling
}
