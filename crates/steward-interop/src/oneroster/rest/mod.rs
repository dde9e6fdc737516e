//! OneRoster 1.2 and 1.1 REST, the pure part: the query grammar (`limit`, `offset`, `sort`, `orderBy`, `filter`,
//! `fields`), `imsx_StatusInfo` errors, the record types with their fields, and records as JSON.
//!
//! No I/O here: the store turns a parsed [`Filter`] into bound SQL over the columns [`Entity::field`] names, and
//! the server sends what [`RecordJson`] writes.

mod entity;
mod query;
mod related;
mod scope;
mod shape;
mod status;
mod values;

pub use entity::{Entity, Field, Kind, Service};
pub use query::{
    parse_fields, parse_filter, Filter, ListQuery, Logic, Op, Predicate, RawQuery, DEFAULT_LIMIT, MAX_LIMIT,
};
pub use scope::{all_scopes, allows, parse_scope, Grant};
pub use shape::{record_json, service_path, Bases, Extras, Layout, RecordJson};
pub use status::{CodeMinor, RestError};
