//! Standards formats only: parse, validate and (later) serialize; no database, no HTTP server.
//!
//! Covered today: the OneRoster 1.2 and 1.1 CSV package *reader* ([`oneroster::read_dir`],
//! [`oneroster::read_zip`], [`oneroster::read_zip_bytes`], [`oneroster::read_files`]). It parses
//! `manifest.csv`, matches the files present against it (missing, unlisted, `absent`, miscased
//! and header-only files are problems), binds columns by header name, checks the header against
//! the spec table of the declared version (required columns, order, blank and duplicate names)
//! and keeps unknown columns (`metadata.*`, vendor columns) as extensions. The rostering files
//! (orgs, academicSessions, courses, classes, users, roles, enrollments, demographics) are parsed
//! into typed records with required values, vocabularies (`ext:` accepted where the spec makes
//! them extensible), dates, datetimes, years, booleans, GUID characters, duplicate sourcedIds and
//! bulk/delta status rules checked, and references from bulk files are resolved within the set
//! (a reference into a delta file is not checked: it may point at an earlier import). Problems
//! are all collected, the first 1,000 per file kept and the rest counted. The typed lists hold
//! only rows without errors.
//!
//! BOM and CRLF are accepted silently (the spec allows both). [`Strictness::Lenient`], the
//! default, turns these real-world deviations into warnings, and Strict into errors: wrong case
//! in a vocabulary or boolean (`TRUE`, `Scheduled`); a date-only, zone-less or space-separated
//! `dateLastModified` (read as UTC); status/dateLastModified filled in a bulk file (one warning
//! per file; the values are still checked, then ignored); blank or missing `file.X` manifest
//! rows (read as absent); missing optional spec columns, columns out of spec order, extension
//! columns before spec columns, and blank trailing header columns. Everything else is an error.
//!
//! Not covered yet: typed records for the gradebook and resource files (categories, lineItems,
//! results, scoreScales, lineItemScoreScales, resultScoreScales, *LearningObjectiveIds, resources,
//! classResources, courseResources, userResources, userProfiles: only their header, sourcedId,
//! status and dateLastModified are checked, and their references are not); OneRoster 1.0 sets
//! without a manifest; the 1.1 → 1.2 role mapping (1.1 `role`/`orgSourcedIds` are kept on the
//! user for it); cross-field rules (one primary role per org, subjects/subjectCodes lengths,
//! endDate after startDate, `primary` only for teachers); writing CSV; and the REST, LTI,
//! CASE, Caliper and xAPI formats.

pub mod oneroster;
mod problem;

pub use problem::{Problem, Severity, Strictness, PROBLEM_CAP_PER_FILE};
