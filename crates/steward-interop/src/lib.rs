//! Standards formats only: parse, validate and serialize; no database, no HTTP server.
//!
//! Covered today: OneRoster 1.2 and 1.1 CSV packages, streamed ([`oneroster::stream_dir`], [`oneroster::stream_zip`],
//! [`oneroster::stream_zip_reader`], [`oneroster::stream_files`] into a [`oneroster::Sink`]), read whole
//! ([`oneroster::read_dir`], [`oneroster::read_zip`], [`oneroster::read_zip_bytes`], [`oneroster::read_files`]: the
//! streaming reader with a sink that keeps every record, for small packages) and written as a 1.2 bulk set
//! ([`oneroster::write_bulk`] to a directory, [`oneroster::write_bulk_zip`] and [`oneroster::write_bulk_zip_to`] as a
//! zip, per file [`oneroster::write_file`] and [`oneroster::write_manifest`]).
//!
//! The streaming reader holds neither a file's text nor its records: each CSV is read through a buffer (a file on
//! disk, a zip entry as it is decompressed, or bytes), row by row, and the clean canonical records go to the sink in
//! batches of [`oneroster::BATCH_SIZE`], file by file in [`oneroster::READ_ORDER`] (each file after the files it
//! refers to), each file closed by `file_done`. It keeps only what the checks across rows and files need: per file
//! 128-bit fingerprints of the sourcedIds with their first line (dropped when no later file refers to the file), the
//! references within a file that point forward until it ends, the (user, org) pairs holding a primary role, and for
//! 1.1 the org types and class schools. A state's roster (1,000,000 students, 9.2 million rows) streams in about 400
//! MB. Records can reach the sink before a later error is found (a forward reference within a file that never
//! resolves withdraws its record through `Sink::withdrawn`; a later file may be missing): apply them in one
//! transaction and roll back when the [`oneroster::Report`] has errors.
//!
//! The reader parses `manifest.csv`, matches the files present against it (missing, unlisted, `absent`, miscased
//! and header-only files are problems), binds columns by header name, checks the header against the spec table of
//! the declared version (required columns, order, blank and duplicate names) and keeps unknown columns
//! (`metadata.*`, vendor columns) as extensions. Every row of all 21 files is validated by type: required values,
//! vocabularies (`ext:` accepted where the spec makes them extensible; scoreStatus with its spaces), dates,
//! datetimes, years, booleans, decimal numbers (score, resultValueMin/Max, which must not cross), whole numbers
//! (category weight), GUID characters, `{label:value}` score scale values, CASE learning objective ids (a UUID,
//! bare or `urn:uuid:`), duplicate sourcedIds and the bulk/delta status rules. References from bulk files are
//! resolved within the set for every file, rostering, gradebook and resources alike (a reference into a delta file
//! is not checked: it may point at an earlier import). Rules across fields and rows: at most one primary role per
//! user and org, subjects and subjectCodes of equal length, a session's endDate after its startDate (errors); a
//! `primary` enrollment of a non-teacher (a warning in both strictnesses: the spec gives it no meaning there, it
//! does no harm). Problems are all collected, the first 1,000 per file kept and the rest counted; they are listed
//! package first (zip layout, manifest, which files), then file by file in the order read, each file's by line.
//!
//! What a package holds: [`oneroster::Package::records`], per file the canonical 1.2 [`oneroster::Record`] of every
//! row without errors, with [`oneroster::Package::modes`] saying bulk or delta. Values are normalised as Lenient reads them (case of vocabularies and booleans, UTC datetimes,
//! `YYYY-MM-DD` dates, numbers in shortest form, trimmed lists joined with `,`, CASE ids as bare lowercase UUIDs).
//! A 1.1 package becomes 1.2 records: each user's `role` and `orgSourcedIds` become one roles record per org
//! (sourcedId `{user}.{org}.role`, the first org primary and the user's primaryOrg, `administrator` a
//! siteAdministrator of a school or an org of unknown type and a districtAdministrator of any other org), and line
//! items take `gradingPeriodSourcedId` as their academicSession and their class's school. `password` columns are
//! never kept: Steward does not store OneRoster passwords.
//!
//! A file that is not UTF-8 is reported at the first line that is not, and not read further. BOM and CRLF are
//! accepted silently (the spec allows both). [`Strictness::Lenient`], the default, turns these
//! real-world deviations into warnings, and Strict into errors: wrong case in a vocabulary or boolean (`TRUE`,
//! `Scheduled`); a date-only, zone-less or space-separated `dateLastModified` (read as UTC); status/dateLastModified
//! filled in a bulk file (one warning per file; the values are still checked, then ignored); blank or missing
//! `file.X` manifest rows (read as absent); missing optional spec columns, columns out of spec order, extension
//! columns before spec columns, and blank trailing header columns. Everything else is an error.
//!
//! The writer streams: each file is written row by row from the caller's records, the exact 1.2 header then the
//! union of the records' extension columns (sorted), status and dateLastModified blank, `tobedeleted` records left
//! out, CASE ids as `urn:uuid:` URNs, RFC 4180 quoting and CRLF line ends; the manifest lists all 21 files, `bulk`
//! or `absent`.
//!
//! Caliper 1.1 and 1.2 envelopes and events are checked by [`caliper::parse_envelope`]; xAPI 1.0.3 and 2.0.0
//! statements by [`xapi::parse_statements`].
//!
//! Not covered yet: OneRoster 1.0 sets without a manifest; writing delta sets; LTI and CASE. A 1.1 line item
//! whose class is not in the package keeps a blank schoolSourcedId (1.2 requires one) for the importer to fill from
//! the stored class.

pub mod caliper;
pub mod oneroster;
mod problem;
pub mod xapi;

pub use problem::{Problem, Severity, Strictness, PROBLEM_CAP_PER_FILE};
