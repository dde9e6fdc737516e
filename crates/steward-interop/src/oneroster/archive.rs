//! Reading a OneRoster package from its `.zip` into memory: every CSV sits at the root of the archive.

use std::io::Cursor;
use std::path::Path;

use super::package::{Collect, Package, ReadError};
use super::stream::{stream_zip_reader, StreamError};
use crate::problem::Strictness;

/// Reads a zipped OneRoster package from a file.
pub fn read_zip(path: &Path, strictness: Strictness) -> Result<Package, ReadError> {
    let file = std::fs::File::open(path).map_err(|source| ReadError { path: path.display().to_string(), source })?;
    let mut collect = Collect::default();
    match stream_zip_reader(std::io::BufReader::new(file), strictness, &mut collect) {
        Ok(report) => Ok(Package::collected(report, collect)),
        Err(e) => Err(ReadError { path: path.display().to_string(), source: io_error(e) }),
    }
}

/// Reads a zipped OneRoster package held in memory, e.g. an upload. Fails only when the bytes are
/// not a readable zip; everything wrong inside it is reported as problems.
pub fn read_zip_bytes(bytes: &[u8], strictness: Strictness) -> Result<Package, std::io::Error> {
    let mut collect = Collect::default();
    let report = stream_zip_reader(Cursor::new(bytes), strictness, &mut collect).map_err(io_error)?;
    Ok(Package::collected(report, collect))
}

fn io_error(e: StreamError<std::convert::Infallible>) -> std::io::Error {
    match e {
        StreamError::Read { source, .. } => source,
        StreamError::Sink(never) => match never {},
    }
}
