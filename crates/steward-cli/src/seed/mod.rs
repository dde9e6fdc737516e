//! Data Steward puts in a database: the default category taxonomy, and the demo district.

pub mod demo;
pub mod demo_catalog;
mod demo_data;
mod demo_governance;
mod demo_plan;
mod demo_roster;
mod demo_vendors;
pub mod taxonomy;
