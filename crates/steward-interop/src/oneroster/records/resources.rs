//! The resource files (resources, classResources, courseResources, userResources) and userProfiles read into
//! canonical values, in the order of each file's 1.2 columns.

use crate::oneroster::canonical::joined;
use crate::oneroster::row::Row;
use crate::oneroster::spec;

type Values = Vec<Option<String>>;

pub(super) fn resource(r: &mut Row<'_>) -> Values {
    let vendor_resource_id = r.text("vendorResourceId", true);
    let title = r.text("title", false);
    let roles = r.vocab_list("roles", spec::RESOURCE_ROLE, true, false);
    vec![
        vendor_resource_id,
        title,
        joined(&roles),
        r.vocab("importance", spec::IMPORTANCE, false, false),
        r.text("vendorId", false),
        r.text("applicationId", false),
    ]
}

/// classResources and courseResources: a title, the owner (`owner` column) and the resource.
pub(super) fn resource_link(r: &mut Row<'_>, owner: &str) -> Values {
    vec![r.text("title", false), r.guid(owner, true), r.guid("resourceSourcedId", true)]
}

pub(super) fn user_resource(r: &mut Row<'_>) -> Values {
    vec![
        r.guid("userSourcedId", true),
        r.guid("orgSourcedId", false),
        r.guid("classSourcedId", false),
        r.guid("resourceSourcedId", true),
    ]
}

/// The `password` column is never read: Steward does not keep OneRoster passwords.
pub(super) fn user_profile(r: &mut Row<'_>) -> Values {
    vec![
        r.guid("userSourcedId", true),
        r.text("profileType", true),
        r.text("vendorId", true),
        r.text("applicationId", false),
        r.text("description", false),
        r.text("credentialType", true),
        r.text("username", true),
        None,
    ]
}
