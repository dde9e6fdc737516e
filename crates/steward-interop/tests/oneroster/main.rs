//! The OneRoster CSV reader's tests, one binary: rules on inline packages, then the real samples.

mod archive_rules;
mod fixtures;
mod package_rules;
mod samples;
mod value_rules;
