//! OneRoster 1.2 and 1.1 CSV packages: the spec tables, the streaming reader (and the whole-package readers built on
//! it) and the 1.2 bulk writer.

mod archive;
mod canonical;
mod columns;
mod file;
mod fingerprint;
mod header;
mod lines;
mod manifest;
mod package;
mod reader;
mod records;
mod refs;
pub mod rest;
mod roles;
mod row;
mod source;
pub mod spec;
mod stream;
mod upgrade;
mod writer;

pub use archive::{read_zip, read_zip_bytes};
pub use canonical::{data_columns, Record};
pub use manifest::Manifest;
pub use package::{read_dir, read_files, Package, ReadError};
pub use refs::READ_ORDER;
pub use row::Status;
pub use source::MAX_ENTRY_BYTES;
pub use spec::{Mode, Version};
pub use stream::{stream_dir, stream_files, stream_zip, stream_zip_reader, Report, Sink, StreamError, BATCH_SIZE};
pub use writer::{
    write_bulk, write_bulk_zip, write_bulk_zip_to, write_file, write_manifest, BulkFile, BulkSet, SYSTEM_NAME,
};
