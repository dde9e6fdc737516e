//! Writing canonical records as a OneRoster 1.2 bulk set: `manifest.csv`, then each file row by row.
//!
//! Records are written straight from the caller's slices, one CSV row at a time, so exporting millions of records
//! costs no second copy of them. A bulk set carries no record state: `status` and `dateLastModified` are written
//! blank and `tobedeleted` records are left out (a bulk file is the full set of live records). A file whose records
//! are all left out is marked `absent`, as the spec forbids empty files.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, BufWriter, Cursor, Seek, Write};
use std::path::Path;

use super::canonical::{data_columns, Record};
use super::records::case_uuid;
use super::row::Status;
use super::spec::{self, Version};

/// `source.systemName` when the caller names none.
pub const SYSTEM_NAME: &str = "Steward";

/// Writes a 1.2 bulk set into the directory `out`, which must be missing or empty (a file left from another set
/// would contradict the manifest): `manifest.csv` and one `<stem>.csv` per table with live records. `tables` is
/// file stem → records, as [`super::Package::records`] holds them.
pub fn write_bulk(out: &Path, tables: &BTreeMap<String, Vec<Record>>, system_name: Option<&str>) -> io::Result<()> {
    check_tables(tables)?;
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        let message = format!("{} is not empty", out.display());
        return Err(io::Error::new(io::ErrorKind::AlreadyExists, message));
    }
    std::fs::create_dir_all(out)?;
    let create = |name: &str| File::create(out.join(name)).map(BufWriter::new);
    write_manifest(create("manifest.csv")?, tables, system_name)?;
    for (stem, records) in exported(tables) {
        write_file(create(&format!("{stem}.csv"))?, stem, records)?;
    }
    Ok(())
}

/// The same bulk set as zip bytes (deflated, every file at the root), e.g. for a download.
pub fn write_bulk_zip(tables: &BTreeMap<String, Vec<Record>>, system_name: Option<&str>) -> io::Result<Vec<u8>> {
    Ok(write_bulk_zip_to(Cursor::new(Vec::new()), tables, system_name)?.into_inner())
}

/// The same bulk set as a zip written to `out` (e.g. a temporary file, so a large export is not held in memory).
pub fn write_bulk_zip_to<W: Write + Seek>(
    out: W,
    tables: &BTreeMap<String, Vec<Record>>,
    system_name: Option<&str>,
) -> io::Result<W> {
    check_tables(tables)?;
    let mut zip = zip::ZipWriter::new(out);
    // Large files get zip64 headers: a district's users.csv can pass 4 GiB.
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    zip.start_file("manifest.csv", options).map_err(io::Error::other)?;
    write_manifest(&mut zip, tables, system_name)?;
    for (stem, records) in exported(tables) {
        zip.start_file(format!("{stem}.csv"), options).map_err(io::Error::other)?;
        write_file(&mut zip, stem, records)?;
    }
    zip.finish().map_err(io::Error::other)
}

/// `manifest.csv` of a 1.2 bulk set: every 1.2 file listed, `bulk` when it has live records, else `absent`.
pub fn write_manifest<W: Write>(
    out: W,
    tables: &BTreeMap<String, Vec<Record>>,
    system_name: Option<&str>,
) -> io::Result<()> {
    let mut csv = writer(out);
    csv.write_record(["propertyName", "value"])?;
    csv.write_record(["manifest.version", "1.0"])?;
    csv.write_record(["oneroster.version", "1.2"])?;
    let mut files = spec::files(Version::V1_2);
    files.sort_by_key(|f| f.to_ascii_lowercase());
    for file in files {
        let live = tables.get(file).is_some_and(|records| records.iter().any(is_live));
        csv.write_record([format!("file.{file}").as_str(), if live { "bulk" } else { "absent" }])?;
    }
    csv.write_record(["source.systemName", system_name.unwrap_or(SYSTEM_NAME)])?;
    csv.flush()
}

/// One bulk file: the exact 1.2 header of `stem`, then the union of the records' extension columns, sorted.
/// Fails without writing anything for an unknown file or a record whose values do not fit its columns, and stops at
/// a value holding a carriage return, which the CSV binding forbids.
pub fn write_file<W: Write>(out: W, stem: &str, records: &[Record]) -> io::Result<()> {
    let names = check_table(stem, records)?;
    // An extension named like a spec column (a 1.2 column in a 1.1 file) would repeat a header name.
    let extensions: BTreeSet<&str> =
        records.iter().flat_map(|r| r.extensions.keys()).map(String::as_str).filter(|n| !names.contains(n)).collect();
    let mut csv = writer(out);
    csv.write_record(names.iter().chain(&extensions))?;
    let urn = Urn::of(stem);
    for record in records.iter().filter(|r| is_live(r)) {
        let values = record.values.iter().enumerate().map(|(at, v)| urn.field(record, at, v.as_deref()));
        let extensions = extensions.iter().map(|e| Cow::Borrowed(record.extensions.get(*e).map_or("", String::as_str)));
        let fields = [Cow::Borrowed(record.sourced_id.as_str()), Cow::Borrowed(""), Cow::Borrowed("")];
        for field in fields.into_iter().chain(values).chain(extensions) {
            if field.contains('\r') {
                return Err(invalid(format!("{stem} record {} has a carriage return in a value", record.sourced_id)));
            }
            csv.write_field(field.as_bytes())?;
        }
        csv.write_record(None::<&[u8]>)?;
    }
    csv.flush()
}

/// Where a file holds CASE learning objective ids: kept as bare UUIDs, but the CSV binding asks for UUID URNs.
struct Urn {
    /// Positions in `Record::values` of `source` and `learningObjectiveId`, in the two learning objective files.
    columns: Option<(usize, usize)>,
}

impl Urn {
    fn of(stem: &str) -> Urn {
        let data = data_columns(stem);
        let at = |name: &str| data.iter().position(|c| *c == name);
        let columns =
            stem.ends_with("LearningObjectiveIds").then(|| at("source").zip(at("learningObjectiveId"))).flatten();
        Urn { columns }
    }

    /// The value at `at` of `record` as written.
    fn field<'a>(&self, record: &Record, at: usize, value: Option<&'a str>) -> Cow<'a, str> {
        let value = value.unwrap_or_default();
        let case = self.columns.is_some_and(|(source, id)| {
            at == id && record.values[source].as_deref() == Some("case") && case_uuid(value).is_some()
        });
        if case {
            Cow::Owned(format!("urn:uuid:{value}"))
        } else {
            Cow::Borrowed(value)
        }
    }
}

fn writer<W: Write>(out: W) -> csv::Writer<W> {
    // RFC 4180: CRLF line ends, quotes only where needed.
    csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out)
}

fn is_live(record: &Record) -> bool {
    record.status != Some(Status::ToBeDeleted)
}

/// The tables that make files: those with live records.
fn exported(tables: &BTreeMap<String, Vec<Record>>) -> impl Iterator<Item = (&str, &[Record])> {
    tables
        .iter()
        .filter(|(_, records)| records.iter().any(is_live))
        .map(|(stem, records)| (stem.as_str(), records.as_slice()))
}

/// Checks every table before anything is written, so a refused set leaves no half-written output.
fn check_tables(tables: &BTreeMap<String, Vec<Record>>) -> io::Result<()> {
    tables.iter().try_for_each(|(stem, records)| check_table(stem, records).map(drop))
}

/// The 1.2 header of `stem`, if it is a 1.2 file and every record has a value per data column.
fn check_table(stem: &str, records: &[Record]) -> io::Result<Vec<&'static str>> {
    let spec =
        spec::columns(stem, Version::V1_2).ok_or_else(|| invalid(format!("{stem} is not a OneRoster 1.2 file")))?;
    let width = spec.len() - 3;
    match records.iter().find(|r| r.values.len() != width) {
        Some(r) => Err(invalid(format!("{stem} record {} has {} values, not {width}", r.sourced_id, r.values.len()))),
        None => Ok(spec.iter().map(|c| c.name).collect()),
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}
