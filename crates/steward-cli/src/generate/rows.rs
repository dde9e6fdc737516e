//! The row writers of the files with many rows (users, roles, enrollments), in 1.2 header order.

use super::table::Table;
use super::{YEAR_END, YEAR_START};

/// A user row's values; `None`/empty are written blank.
#[derive(Debug, Default, Clone)]
pub struct User<'a> {
    pub sourced_id: &'a str,
    pub username: &'a str,
    pub user_ids: &'a str,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub middle_name: &'a str,
    pub identifier: &'a str,
    pub email: &'a str,
    pub agent_sourced_ids: &'a str,
    pub grades: &'a str,
    pub preferred_given_name: &'a str,
    pub primary_org: &'a str,
}

/// What a delta row carries: `status` and `dateLastModified` (both blank in bulk).
#[derive(Debug, Clone, Copy)]
pub struct Stamp<'a> {
    pub status: &'a str,
    pub modified: &'a str,
}

pub const BULK: Stamp<'static> = Stamp { status: "", modified: "" };

impl User<'_> {
    pub fn write(&self, t: &mut Table, stamp: Stamp<'_>) -> anyhow::Result<()> {
        t.f(self.sourced_id).f(stamp.status).f(stamp.modified).f("true").f(self.username).f(self.user_ids);
        t.f(self.given_name).f(self.family_name).f(self.middle_name).f(self.identifier).f(self.email);
        // sms, phone
        t.blank(2).f(self.agent_sourced_ids).f(self.grades);
        // password, userMasterIdentifier, resourceSourcedIds
        t.blank(3).f(self.preferred_given_name);
        // preferredMiddleName, preferredFamilyName
        t.blank(2).f(self.primary_org);
        // pronouns
        t.blank(1).end()
    }
}

/// The user's primary role at `org`; its sourcedId is `rl-` and the user's.
pub fn write_role(t: &mut Table, user: &str, role: &str, org: &str, stamp: Stamp<'_>) -> anyhow::Result<()> {
    t.fmt(format_args!("rl-{user}")).f(stamp.status).f(stamp.modified).f(user).f("primary").f(role);
    // beginDate, endDate
    t.blank(2).f(org);
    // userProfileSourcedId
    t.blank(1).end()
}

/// One enrollment for the school year; `primary` is for teachers only.
pub struct Enrollment<'a> {
    pub sourced_id: &'a str,
    pub class: &'a str,
    pub school: &'a str,
    pub user: &'a str,
    pub role: &'a str,
    pub primary: Option<bool>,
}

impl Enrollment<'_> {
    pub fn write(&self, t: &mut Table, stamp: Stamp<'_>) -> anyhow::Result<()> {
        let primary = match self.primary {
            Some(true) => "true",
            Some(false) => "false",
            None => "",
        };
        t.f(self.sourced_id).f(stamp.status).f(stamp.modified).f(self.class).f(self.school).f(self.user);
        t.f(self.role).f(primary).f(YEAR_START).f(YEAR_END).end()
    }
}
