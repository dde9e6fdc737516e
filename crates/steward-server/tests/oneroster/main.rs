//! The OneRoster REST provider over real HTTP: tokens, every endpoint, the query grammar, paging and its snapshots,
//! scopes, the data minimization rule per product, and the access log.

mod caliper;
#[path = "../common/mod.rs"]
mod common;
mod fixture;
mod imported;
mod minimization;
mod paging;
mod query;
mod reads;
mod roster;
mod token;
mod xapi;

use fixture::*;
