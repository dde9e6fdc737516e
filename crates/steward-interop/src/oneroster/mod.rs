//! OneRoster 1.2 and 1.1 CSV packages: the spec tables and the package reader.

mod archive;
mod canonical;
mod header;
mod manifest;
mod package;
mod records;
mod refs;
pub mod rest;
mod row;
pub mod spec;

pub use archive::{read_zip, read_zip_bytes, MAX_ENTRY_BYTES};
pub use canonical::{data_columns, Record};
pub use manifest::Manifest;
pub use package::{read_dir, read_files, Package, ReadError};
pub use records::{AcademicSession, Class, Course, Demographic, Enrollment, Org, Role, User};
pub use row::{Common, Status};
pub use spec::{Mode, Version};
