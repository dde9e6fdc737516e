//! Usage: the directory events are matched against, the ingest that stores new events and merges them into the
//! rollups in one transaction, and the reads of the rollups, the discovery queue and unmatched users.

mod directory;
mod discoveries;
mod groups;
mod ingest;
mod mappings;
mod read;
mod waste;
mod xapi;

pub use ingest::IngestOutcome;
pub use read::{Discovery, SchoolCut, StrangerRow, UsageFilter, UsageTotals};
pub use waste::Dismissal;
