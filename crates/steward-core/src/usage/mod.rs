//! Usage: the events every channel reports, matched to people, products and schools, and their exact rollups.

pub mod csv;
mod event;
mod ndjson;
mod resolve;
mod tally;
mod utilization;

pub use event::{host_of, EventKind, ProductRef, UsageEvent, UserRef, MAX_SECONDS};
pub use ndjson::{is_blank, parse_line, LineError};
pub use resolve::{Directory, Resolved};
pub use tally::{Counts, Period, RollupKey, Sighting, Stranger, Tally, ANY_PRODUCT, EVERY_SCHOOL};
pub use utilization::{seats, Counted, Utilization};
