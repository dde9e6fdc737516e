//! Reading a OneRoster package from its `.zip`: every CSV sits at the root of the archive.

use std::io::{Cursor, Read};
use std::path::Path;

use super::package::{file_problem, read_with, Package, ReadError};
use crate::problem::{Problems, Severity, Strictness};

/// Largest entry read, uncompressed; bigger ones are reported and skipped (zip-bomb guard).
pub const MAX_ENTRY_BYTES: u64 = 1 << 30;

/// Reads a zipped OneRoster package from a file.
pub fn read_zip(path: &Path, strictness: Strictness) -> Result<Package, ReadError> {
    let bytes = std::fs::read(path).map_err(|source| ReadError { path: path.display().to_string(), source })?;
    read_zip_bytes(&bytes, strictness).map_err(|source| ReadError { path: path.display().to_string(), source })
}

/// Reads a zipped OneRoster package held in memory, e.g. an upload. Fails only when the bytes are
/// not a readable zip; everything wrong inside it is reported as problems.
pub fn read_zip_bytes(bytes: &[u8], strictness: Strictness) -> Result<Package, std::io::Error> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(std::io::Error::other)?;
    let mut sink = Problems::default();
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(std::io::Error::other)?;
        let name = entry.name().to_owned();
        if entry.is_dir() {
            continue;
        }
        if name.contains('/') || name.contains('\\') {
            let rule = "sits in a folder; a package's CSV files must sit at the root of the zip; not read";
            sink.push(file_problem(&name, rule, Severity::Error));
            continue;
        }
        if entry.size() > MAX_ENTRY_BYTES {
            sink.push(file_problem(&name, "is larger than 1 GiB uncompressed; not read", Severity::Error));
            continue;
        }
        let mut data = Vec::new();
        entry.by_ref().take(MAX_ENTRY_BYTES).read_to_end(&mut data)?;
        files.push((name, data));
    }
    Ok(read_with(files, strictness, sink))
}
