//! Where a package's files come from: a directory, a zip archive or bytes in memory, each file opened as a stream.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::{Path, PathBuf};

use super::package::file_problem;
use super::stream::StreamError;
use crate::problem::{Problems, Severity};

/// Largest entry read, uncompressed; bigger ones are reported and skipped (zip-bomb guard).
pub const MAX_ENTRY_BYTES: u64 = 1 << 30;

/// The files at a package's root, each opened for reading when its turn comes.
pub(crate) trait Source {
    /// Every file's name and size in bytes.
    fn files(&self) -> &BTreeMap<String, u64>;

    fn open(&mut self, name: &str) -> io::Result<Box<dyn Read + '_>>;

    /// How a read error names the file.
    fn path(&self, name: &str) -> String {
        name.to_owned()
    }
}

/// An unzipped package: every regular file directly inside a directory.
pub(crate) struct DirSource {
    dir: PathBuf,
    files: BTreeMap<String, u64>,
}

impl DirSource {
    pub fn new<E>(dir: &Path) -> Result<DirSource, StreamError<E>> {
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| StreamError::Read { path, source }
        };
        let mut files = BTreeMap::new();
        for entry in std::fs::read_dir(dir).map_err(io(dir))? {
            let path = entry.map_err(io(dir))?.path();
            if path.is_file() {
                let size = path.metadata().map_err(io(&path))?.len();
                files.insert(path.file_name().unwrap_or_default().to_string_lossy().into_owned(), size);
            }
        }
        Ok(DirSource { dir: dir.to_owned(), files })
    }
}

impl Source for DirSource {
    fn files(&self) -> &BTreeMap<String, u64> {
        &self.files
    }

    fn open(&mut self, name: &str) -> io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(File::open(self.dir.join(name))?))
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }
}

/// A zipped package: the entries at the root of the archive, decompressed as they are read.
pub(crate) struct ZipSource<R> {
    archive: zip::ZipArchive<R>,
    files: BTreeMap<String, u64>,
}

impl<R: Read + Seek> ZipSource<R> {
    /// Opens the archive and lists its root entries; entries in folders and oversized ones are reported.
    pub fn new<E>(reader: R, problems: &mut Problems) -> Result<ZipSource<R>, StreamError<E>> {
        let not_zip = |e: zip::result::ZipError| StreamError::Read { path: "zip".into(), source: io::Error::other(e) };
        let mut archive = zip::ZipArchive::new(reader).map_err(not_zip)?;
        let mut files = BTreeMap::new();
        for i in 0..archive.len() {
            let entry = archive.by_index_raw(i).map_err(not_zip)?;
            let name = entry.name().to_owned();
            if entry.is_dir() {
                continue;
            }
            if name.contains('/') || name.contains('\\') {
                let rule = "sits in a folder; a package's CSV files must sit at the root of the zip; not read";
                problems.push(file_problem(&name, rule, Severity::Error));
                continue;
            }
            if entry.size() > MAX_ENTRY_BYTES {
                problems.push(file_problem(&name, "is larger than 1 GiB uncompressed; not read", Severity::Error));
                continue;
            }
            files.insert(name, entry.size());
        }
        Ok(ZipSource { archive, files })
    }
}

impl<R: Read + Seek> Source for ZipSource<R> {
    fn files(&self) -> &BTreeMap<String, u64> {
        &self.files
    }

    fn open(&mut self, name: &str) -> io::Result<Box<dyn Read + '_>> {
        let entry = self.archive.by_name(name).map_err(io::Error::other)?;
        // The declared size was checked; this guards against an entry that lies about it.
        Ok(Box::new(entry.take(MAX_ENTRY_BYTES)))
    }
}

/// A package given as (file name, bytes) pairs.
pub(crate) struct MemorySource {
    bytes: BTreeMap<String, Vec<u8>>,
    files: BTreeMap<String, u64>,
}

impl MemorySource {
    pub fn new(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> MemorySource {
        let bytes: BTreeMap<String, Vec<u8>> = files.into_iter().collect();
        let files = bytes.iter().map(|(name, b)| (name.clone(), b.len() as u64)).collect();
        MemorySource { bytes, files }
    }
}

impl Source for MemorySource {
    fn files(&self) -> &BTreeMap<String, u64> {
        &self.files
    }

    fn open(&mut self, name: &str) -> io::Result<Box<dyn Read + '_>> {
        let bytes = self.bytes.get(name).ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
        Ok(Box::new(bytes.as_slice()))
    }
}
