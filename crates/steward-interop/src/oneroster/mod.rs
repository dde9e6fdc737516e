//! OneRoster 1.2 and 1.1 CSV packages: the spec tables, the package reader and the 1.2 bulk writer.

mod archive;
mod canonical;
mod header;
mod manifest;
mod package;
mod records;
mod refs;
pub mod rest;
mod roles;
mod row;
pub mod spec;
mod upgrade;
mod writer;

pub use archive::{read_zip, read_zip_bytes, MAX_ENTRY_BYTES};
pub use canonical::{data_columns, Record};
pub use manifest::Manifest;
pub use package::{read_dir, read_files, Package, ReadError};
pub use records::{AcademicSession, Class, Course, Demographic, Enrollment, Org, Role, User};
pub use row::{Common, Status};
pub use spec::{Mode, Version};
pub use writer::{write_bulk, write_bulk_zip, write_bulk_zip_to, write_file, write_manifest, SYSTEM_NAME};
