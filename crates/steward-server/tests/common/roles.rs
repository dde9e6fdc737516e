//! Who may do what, as the route matrices expect it: written out from reading steward_core::access and the
//! handlers, and deliberately not computed with `Actor::may`. School roles are held at school A.
// Each matrix uses the sets it needs.
#![allow(dead_code)]

use steward_core::role::Role::{self, *};

pub const EVERYONE: &[Role] =
    &[DistrictAdmin, TechnologyReviewer, PrivacyReviewer, CurriculumReviewer, Finance, SchoolAdmin, Teacher, Student];
/// Every role but student (API tokens).
pub const STAFF: &[Role] =
    &[DistrictAdmin, TechnologyReviewer, PrivacyReviewer, CurriculumReviewer, Finance, SchoolAdmin, Teacher];
/// Dashboard, inventory, vendors, owners, categories and organizations (read).
pub const READERS: &[Role] =
    &[DistrictAdmin, TechnologyReviewer, PrivacyReviewer, CurriculumReviewer, Finance, SchoolAdmin];
/// Products and vendors (write).
pub const EDITORS: &[Role] = &[DistrictAdmin, TechnologyReviewer, PrivacyReviewer, CurriculumReviewer];
/// A product's owners (write).
pub const OWNER_EDITORS: &[Role] = &[DistrictAdmin, TechnologyReviewer];
/// Contracts of school A (and the contract list and forms): the district-wide money roles and school A's admin.
pub const SCHOOL_A_MONEY: &[Role] = &[DistrictAdmin, Finance, SchoolAdmin];
/// Contracts of school B or of the district: only the district-wide money roles.
pub const DISTRICT_MONEY: &[Role] = &[DistrictAdmin, Finance];
/// Categories, organizations, people, the audit log.
pub const ADMIN: &[Role] = &[DistrictAdmin];
/// Those who read the roster: district reviewers every school's, a school administrator their school's.
pub const ROSTER_READERS: &[Role] =
    &[DistrictAdmin, TechnologyReviewer, PrivacyReviewer, CurriculumReviewer, SchoolAdmin];
pub const DISTRICT_ROSTER: &[Role] = &[DistrictAdmin, TechnologyReviewer, PrivacyReviewer, CurriculumReviewer];
/// What each product's vendor receives, its API clients and their access logs.
pub const VENDOR_DATA: &[Role] = &[DistrictAdmin, TechnologyReviewer, PrivacyReviewer];
/// Those who import and export the roster, and register API clients.
pub const ROSTER_MANAGERS: &[Role] = &[DistrictAdmin, TechnologyReviewer];
/// Those who send usage events (the events API, backfills).
pub const USAGE_SENDERS: &[Role] = &[DistrictAdmin, TechnologyReviewer];
/// Those who read usage: the district's staff.
pub const USAGE_READERS: &[Role] = &[DistrictAdmin, TechnologyReviewer, PrivacyReviewer, CurriculumReviewer, Finance];
pub const NOBODY: &[Role] = &[];
/// Those the policy in force (the hybrid preset) lets request products.
pub const REQUESTERS: &[Role] = &[SchoolAdmin, Teacher];
/// Those who edit the infrastructure profile (and technology reviewers review the seeded request's first stage).
pub const TECHNOLOGY: &[Role] = &[DistrictAdmin, TechnologyReviewer];
/// Those who edit privacy facts and the public list's fields.
pub const PRIVACY: &[Role] = &[DistrictAdmin, PrivacyReviewer];
/// The seeded request's requester.
pub const REQUESTER: &[Role] = &[Teacher];
