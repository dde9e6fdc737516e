//! The server-rendered pages over real HTTP: who may reach what, CSRF, sign-in, forms, contracts, errors and
//! headers, on SQLite, plus two servers sharing one PostgreSQL database.

#[path = "../common/mod.rs"]
mod common;
mod errors;
mod forms;
mod governance;
mod launchpad;
mod lti;
mod lti_launch;
mod lti_ltijs;
mod lti_services;
mod matrix;
mod postgres;
mod roles;
mod roster;
mod sessions;
mod sign_on;
mod usage;

use chrono::Duration;
pub(crate) use common::*;
use steward_core::role::Role::{self, *};
use steward_server::{AppState, Settings};
use steward_store::testing::TestDb;
use steward_store::Store;

#[allow(unused_imports)]
pub(crate) use {errors::*, forms::*, matrix::*, roles::*, sessions::*};
