//! Reading each data row into its canonical record: the rostering files through typed records (which tie their
//! fields together), the gradebook and resource files straight into canonical values.

mod gradebook;
mod resources;
mod rostering;

pub(crate) use gradebook::case_uuid;
pub(crate) use rostering::{AcademicSession, Class, Course, Demographic, Enrollment, Org, Role, User};

use super::canonical::{self, Canonical, Record};
use super::row::Row;
use super::spec::Version;

/// What one row makes.
pub(crate) struct Built {
    pub record: Record,
    /// A 1.1 user's `role` and `orgSourcedIds`, which 1.2 moved to roles.csv (`upgrade.rs` makes its roles).
    pub user_1_1: Option<(String, Vec<String>)>,
}

/// Reads the row of file `stem` into its canonical record; `None` when the row cannot make one (its sourcedId or a
/// required rostering value could not be read). Everything wrong is reported to the row's problems.
pub(crate) fn build(stem: &str, row: &mut Row<'_>, version: Version) -> Option<Built> {
    let record = match stem {
        "orgs" => rostering::org(row)?.into_record(),
        "academicSessions" => rostering::academic_session(row)?.into_record(),
        "courses" => rostering::course(row)?.into_record(),
        "classes" => rostering::class(row)?.into_record(),
        "users" => {
            let mut user = rostering::user(row, version)?;
            let user_1_1 = (version == Version::V1_1)
                .then(|| (user.role_1_1.take().unwrap_or_default(), std::mem::take(&mut user.org_sourced_ids_1_1)));
            return Some(Built { record: user.into_record(), user_1_1 });
        }
        "roles" => rostering::role(row)?.into_record(),
        "enrollments" => rostering::enrollment(row)?.into_record(),
        "demographics" => rostering::demographic(row, version)?.into_record(),
        _ => canonical(stem, row, version)?,
    };
    Some(Built { record, user_1_1: None })
}

/// A gradebook or resource row as a canonical record; `None` when its sourcedId could not be read or the file
/// is not one of those. Other values that fail are reported and left blank: the row is then dropped for its errors.
fn canonical(stem: &str, r: &mut Row<'_>, version: Version) -> Option<Record> {
    let v11 = version == Version::V1_1;
    let common = r.common();
    let values = match stem {
        "categories" => gradebook::category(r),
        "lineItems" => gradebook::line_item(r, v11),
        "results" => gradebook::result(r, v11),
        "scoreScales" => gradebook::score_scale(r),
        "lineItemScoreScales" => gradebook::score_scale_link(r, "lineItemSourcedId"),
        "resultScoreScales" => gradebook::score_scale_link(r, "resultSourcedId"),
        "lineItemLearningObjectiveIds" => gradebook::learning_objective(r, "lineItemSourcedId", false),
        "resultLearningObjectiveIds" => gradebook::learning_objective(r, "resultSourcedId", true),
        "resources" => resources::resource(r),
        "classResources" => resources::resource_link(r, "classSourcedId"),
        "courseResources" => resources::resource_link(r, "courseSourcedId"),
        "userResources" => resources::user_resource(r),
        "userProfiles" => resources::user_profile(r),
        _ => return None,
    };
    Some(canonical::from_row(common?, values))
}

/// A typed value in its canonical text form (`true`, `2024-01-31`, `85.5`).
fn shown<T: ToString>(value: Option<T>) -> Option<String> {
    value.map(|v| v.to_string())
}
