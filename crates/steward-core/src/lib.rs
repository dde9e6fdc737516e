//! Steward's domain: types that validate themselves and the rules that decide, with no I/O.

pub mod access;
pub mod contract;
pub mod enums;
pub mod fields;
pub mod governance;
pub mod grade;
pub mod launchpad;
pub mod lti;
pub mod money;
pub mod org;
pub mod people;
pub mod product;
pub mod renewal;
pub mod role;
pub mod spend;
pub mod usage;
pub mod waste;

pub use fields::FieldErrors;
