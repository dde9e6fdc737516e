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
use std::path::{Path, PathBuf};

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
    write_tables(BulkSet::<File>::dir(out)?, tables, system_name).map(drop)
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
    let written = write_tables(BulkSet::zip(out), tables, system_name)?;
    written.ok_or_else(|| io::Error::other("a zip set gives its output back"))
}

fn write_tables<W: Write + Seek>(
    mut set: BulkSet<W>,
    tables: &BTreeMap<String, Vec<Record>>,
    system_name: Option<&str>,
) -> io::Result<Option<W>> {
    let live: BTreeSet<&str> = exported(tables).map(|(stem, _)| stem).collect();
    set.manifest(&live, system_name)?;
    for (stem, records) in exported(tables) {
        let mut file = set.file(stem, extension_names(stem, records)?)?;
        records.iter().try_for_each(|r| file.write(r))?;
        file.finish()?;
    }
    set.finish()
}

/// A 1.2 bulk set being written file by file, into a folder or a zip, without holding its records: the manifest
/// first (which files are `bulk` must be known), then each file's header and rows as they come.
pub enum BulkSet<W: Write + Seek> {
    Dir(PathBuf),
    Zip(Box<zip::ZipWriter<W>>),
}

impl<W: Write + Seek> BulkSet<W> {
    /// A set in the directory `out`, which must be missing or empty; it is created.
    pub fn dir(out: &Path) -> io::Result<Self> {
        if out.exists() && std::fs::read_dir(out)?.next().is_some() {
            let message = format!("{} is not empty", out.display());
            return Err(io::Error::new(io::ErrorKind::AlreadyExists, message));
        }
        std::fs::create_dir_all(out)?;
        Ok(BulkSet::Dir(out.to_owned()))
    }

    /// A set as a zip written to `out`.
    pub fn zip(out: W) -> Self {
        BulkSet::Zip(Box::new(zip::ZipWriter::new(out)))
    }

    fn entry(&mut self, name: &str) -> io::Result<Box<dyn Write + '_>> {
        match self {
            BulkSet::Dir(dir) => Ok(Box::new(BufWriter::new(File::create(dir.join(name))?))),
            BulkSet::Zip(zip) => {
                // Large files get zip64 headers: a district's users.csv can pass 4 GiB.
                let options = zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated)
                    .large_file(true);
                zip.start_file(name, options).map_err(io::Error::other)?;
                Ok(Box::new(zip.as_mut()))
            }
        }
    }

    /// Writes `manifest.csv`: every 1.2 file listed, `bulk` when it is in `live`, else `absent`.
    pub fn manifest(&mut self, live: &BTreeSet<&str>, system_name: Option<&str>) -> io::Result<()> {
        write_manifest_of(self.entry("manifest.csv")?, live, system_name)
    }

    /// Starts `<stem>.csv`, whose header is the 1.2 columns and then `extensions` (the names of the extension
    /// columns its records use, sorted; a name that is also a spec column is left out).
    pub fn file<'a>(
        &'a mut self,
        stem: &str,
        extensions: BTreeSet<String>,
    ) -> io::Result<BulkFile<Box<dyn Write + 'a>>> {
        spec::columns(stem, Version::V1_2).ok_or_else(|| invalid(format!("{stem} is not a OneRoster 1.2 file")))?;
        let out = self.entry(&format!("{stem}.csv"))?;
        BulkFile::new(out, stem, extensions)
    }

    /// Finishes the set; a zip's output is given back.
    pub fn finish(self) -> io::Result<Option<W>> {
        match self {
            BulkSet::Dir(_) => Ok(None),
            BulkSet::Zip(zip) => zip.finish().map(Some).map_err(io::Error::other),
        }
    }
}

/// One bulk file being written row by row; see [`BulkSet::file`].
pub struct BulkFile<W: Write> {
    csv: csv::Writer<W>,
    stem: String,
    width: usize,
    extensions: Vec<String>,
    urn: Urn,
}

impl<W: Write> BulkFile<W> {
    fn new(out: W, stem: &str, extensions: BTreeSet<String>) -> io::Result<Self> {
        let spec =
            spec::columns(stem, Version::V1_2).ok_or_else(|| invalid(format!("{stem} is not a OneRoster 1.2 file")))?;
        let names: Vec<&str> = spec.iter().map(|c| c.name).collect();
        // An extension named like a spec column (a 1.2 column in a 1.1 file) would repeat a header name.
        let extensions: Vec<String> = extensions.into_iter().filter(|n| !names.contains(&n.as_str())).collect();
        let mut csv = writer(out);
        csv.write_record(names.iter().copied().chain(extensions.iter().map(String::as_str)))?;
        Ok(BulkFile { csv, stem: stem.to_owned(), width: names.len() - 3, extensions, urn: Urn::of(stem) })
    }

    /// Writes `record` as a row, unless it is `tobedeleted` (a bulk file is the set of live records). Fails for a
    /// record whose values do not fit the file's columns, or with a carriage return in a value, which the CSV
    /// binding forbids.
    pub fn write(&mut self, record: &Record) -> io::Result<()> {
        if !is_live(record) {
            return Ok(());
        }
        let stem = &self.stem;
        if record.values.len() != self.width {
            let (id, n, width) = (&record.sourced_id, record.values.len(), self.width);
            return Err(invalid(format!("{stem} record {id} has {n} values, not {width}")));
        }
        let values = record.values.iter().enumerate().map(|(at, v)| self.urn.field(record, at, v.as_deref()));
        let extensions =
            self.extensions.iter().map(|e| Cow::Borrowed(record.extensions.get(e).map_or("", String::as_str)));
        let fields = [Cow::Borrowed(record.sourced_id.as_str()), Cow::Borrowed(""), Cow::Borrowed("")];
        for field in fields.into_iter().chain(values).chain(extensions) {
            if field.contains('\r') {
                return Err(invalid(format!("{stem} record {} has a carriage return in a value", record.sourced_id)));
            }
            self.csv.write_field(field.as_bytes())?;
        }
        Ok(self.csv.write_record(None::<&[u8]>)?)
    }

    /// Flushes the file and gives its output back.
    pub fn finish(self) -> io::Result<W> {
        let mut out = self.csv.into_inner().map_err(|e| e.into_error())?;
        out.flush()?;
        Ok(out)
    }
}

/// `manifest.csv` of a 1.2 bulk set: every 1.2 file listed, `bulk` when it has live records, else `absent`.
pub fn write_manifest<W: Write>(
    out: W,
    tables: &BTreeMap<String, Vec<Record>>,
    system_name: Option<&str>,
) -> io::Result<()> {
    let live: BTreeSet<&str> = exported(tables).map(|(stem, _)| stem).collect();
    write_manifest_of(out, &live, system_name)
}

fn write_manifest_of<W: Write>(out: W, live: &BTreeSet<&str>, system_name: Option<&str>) -> io::Result<()> {
    let mut csv = writer(out);
    csv.write_record(["propertyName", "value"])?;
    csv.write_record(["manifest.version", "1.0"])?;
    csv.write_record(["oneroster.version", "1.2"])?;
    let mut files = spec::files(Version::V1_2);
    files.sort_by_key(|f| f.to_ascii_lowercase());
    for file in files {
        let mode = if live.contains(file) { "bulk" } else { "absent" };
        csv.write_record([format!("file.{file}").as_str(), mode])?;
    }
    csv.write_record(["source.systemName", system_name.unwrap_or(SYSTEM_NAME)])?;
    csv.flush()
}

/// One bulk file: the exact 1.2 header of `stem`, then the union of the records' extension columns, sorted.
/// Fails without writing anything for an unknown file or a record whose values do not fit its columns, and stops at
/// a value holding a carriage return, which the CSV binding forbids.
pub fn write_file<W: Write>(out: W, stem: &str, records: &[Record]) -> io::Result<()> {
    check_table(stem, records)?;
    let mut file = BulkFile::new(out, stem, extension_names(stem, records)?)?;
    records.iter().try_for_each(|r| file.write(r))?;
    file.finish().map(drop)
}

/// The extension column names `records` use.
fn extension_names(stem: &str, records: &[Record]) -> io::Result<BTreeSet<String>> {
    check_table(stem, records)?;
    Ok(records.iter().flat_map(|r| r.extensions.keys().cloned()).collect())
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
