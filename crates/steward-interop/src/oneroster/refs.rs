//! References between the rostering files of a bulk set, which must be semantically complete.

use std::collections::HashMap;

use super::manifest::Manifest;
use super::package::Package;
use super::spec::Mode;
use crate::problem::{Problem, Problems, Severity};

/// One reference from a record to another file's sourcedId.
struct Ref<'a> {
    file: &'static str,
    line: u64,
    column: &'static str,
    target: &'static str,
    id: &'a str,
}

/// Every reference the typed records make, in file order.
fn references<'a>(p: &'a Package) -> Vec<Ref<'a>> {
    let mut out = Vec::new();
    let mut add = |file, line, column, target, ids: Vec<&'a str>| {
        out.extend(ids.into_iter().map(|id| Ref { file, line, column, target, id }));
    };
    for o in &p.orgs {
        add("orgs", o.common.line, "parentSourcedId", "orgs", o.parent_sourced_id.iter().map(String::as_str).collect());
    }
    for s in &p.academic_sessions {
        let parent = s.parent_sourced_id.iter().map(String::as_str).collect();
        add("academicSessions", s.common.line, "parentSourcedId", "academicSessions", parent);
    }
    for c in &p.courses {
        let year = c.school_year_sourced_id.iter().map(String::as_str).collect();
        add("courses", c.common.line, "schoolYearSourcedId", "academicSessions", year);
        add("courses", c.common.line, "orgSourcedId", "orgs", vec![&c.org_sourced_id]);
    }
    for c in &p.classes {
        add("classes", c.common.line, "courseSourcedId", "courses", vec![&c.course_sourced_id]);
        add("classes", c.common.line, "schoolSourcedId", "orgs", vec![&c.school_sourced_id]);
        add("classes", c.common.line, "termSourcedIds", "academicSessions", strs(&c.term_sourced_ids));
    }
    for u in &p.users {
        add("users", u.common.line, "orgSourcedIds", "orgs", strs(&u.org_sourced_ids_1_1));
        add("users", u.common.line, "agentSourcedIds", "users", strs(&u.agent_sourced_ids));
        let primary = u.primary_org_sourced_id.iter().map(String::as_str).collect();
        add("users", u.common.line, "primaryOrgSourcedId", "orgs", primary);
    }
    for r in &p.roles {
        add("roles", r.common.line, "userSourcedId", "users", vec![&r.user_sourced_id]);
        add("roles", r.common.line, "orgSourcedId", "orgs", vec![&r.org_sourced_id]);
    }
    for e in &p.enrollments {
        add("enrollments", e.common.line, "classSourcedId", "classes", vec![&e.class_sourced_id]);
        add("enrollments", e.common.line, "schoolSourcedId", "orgs", vec![&e.school_sourced_id]);
        add("enrollments", e.common.line, "userSourcedId", "users", vec![&e.user_sourced_id]);
    }
    for d in &p.demographics {
        add("demographics", d.common.line, "sourcedId", "users", vec![&d.common.sourced_id]);
    }
    out
}

fn strs(ids: &[String]) -> Vec<&str> {
    ids.iter().map(String::as_str).collect()
}

/// Reports every reference from a bulk file that the bulk set does not define, and returns the
/// (file stem, line) of the rows making them. References from delta files, and into delta files,
/// may point at records imported earlier and are not checked.
pub(crate) fn check(
    package: &Package,
    manifest: &Manifest,
    ids: &HashMap<String, HashMap<String, u64>>,
    sink: &mut Problems,
) -> Vec<(String, u64)> {
    let mut dangling = Vec::new();
    for r in references(package) {
        if manifest.mode(r.file) != Mode::Bulk || manifest.mode(r.target) == Mode::Delta {
            continue;
        }
        let rule = match ids.get(r.target) {
            Some(known) if known.contains_key(r.id) => continue,
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
    }
    dangling
}
