//! The OneRoster CSV reader's and writer's tests, one binary: rules on inline packages, then the real samples.

mod archive_rules;
mod canonical_records;
mod cross_rules;
mod fixtures;
mod gradebook_rules;
mod package_rules;
mod samples;
mod upgrade_1_1;
mod value_rules;
mod writer;
