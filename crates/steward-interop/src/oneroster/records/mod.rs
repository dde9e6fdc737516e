//! Reading each data row: typed rostering records, and canonical values for the gradebook and resource files.

mod gradebook;
mod resources;
mod rostering;

pub(crate) use gradebook::case_uuid;
pub(crate) use rostering::{academic_session, class, course, demographic, enrollment, org, role, user};
pub use rostering::{AcademicSession, Class, Course, Demographic, Enrollment, Org, Role, User};

use super::canonical::{self, Record};
use super::row::Row;
use super::spec::Version;

/// A gradebook or resource row as a canonical record; `None` when its sourcedId could not be read or the file
/// is not one of those. Other values that fail are reported and left blank: the row is then dropped for its errors.
pub(crate) fn canonical(stem: &str, r: &mut Row<'_>, version: Version) -> Option<Record> {
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
