//! The OneRoster REST provider (1.2 rostering, gradebook and resources services, and 1.1), read-only, for the API
//! clients of approved products, each seeing only what `steward_core::access::roster_view` allows its product.
//!
//! Mounted at `/ims/oneroster`; the token endpoint is `POST /oauth/token` ([`token`]).

mod access_log;
mod caller;
pub mod clients;
mod read;
mod scopes;
mod snapshots;
pub mod token;

use crate::state::AppState;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::Response;
use axum::routing::{get, MethodRouter};
use axum::Router;
use steward_interop::oneroster::rest::{CodeMinor, Entity, RawQuery, RestError};
use steward_interop::oneroster::Version;

pub use access_log::{start as start_access_log, AccessLog};
pub use caller::Caller;
pub use scopes::Scopes;
pub use snapshots::Snapshots;

/// How a path narrows its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nest {
    All,
    /// Orgs or sessions of one type: `/schools`, `/terms`, `/gradingPeriods`.
    Type(&'static str),
    /// Users with a role: `/students`, `/teachers`.
    Role(&'static str),
    SchoolClasses,
    SchoolPeople(&'static str),
    SchoolCourses,
    SchoolEnrollments,
    SchoolTerms,
    SchoolClassPeople(&'static str),
    SchoolClassEnrollments,
    ClassPeople(&'static str),
    CourseClasses,
    /// `/users/{id}/classes`, or for a role: `/students/{id}/classes`.
    UserClasses(Option<&'static str>),
    TermClasses,
    TermGradingPeriods,
    /// A class's records by one column: `/classes/{id}/lineItems`, `/classes/{id}/scoreScales`.
    ClassColumn(&'static str),
    ClassResults,
    ClassCategories,
    ClassLineItemResults,
    ClassStudentResults,
    /// A school's records by one column: `/schools/{id}/lineItems`, `/schools/{id}/scoreScales`.
    SchoolColumn(&'static str),
    /// Resources linked to a class, course or user: the link file and its column naming the parent.
    ResourcesOf(Entity, &'static str, &'static str),
}

/// One endpoint: what it serves, how its path narrows it, and whether it is one record.
#[derive(Debug, Clone, Copy)]
pub struct Ep {
    pub entity: Entity,
    pub nest: Nest,
    pub single: bool,
    pub version: Version,
}

type Table = &'static [(&'static str, Entity, Nest, bool)];

const ROSTERING: Table = {
    use Entity::*;
    use Nest::*;
    &[
        ("/academicSessions", AcademicSession, All, false),
        ("/academicSessions/{id}", AcademicSession, All, true),
        ("/classes", Class, All, false),
        ("/classes/{id}", Class, All, true),
        ("/classes/{id}/students", User, ClassPeople("student"), false),
        ("/classes/{id}/teachers", User, ClassPeople("teacher"), false),
        ("/courses", Course, All, false),
        ("/courses/{id}", Course, All, true),
        ("/courses/{id}/classes", Class, CourseClasses, false),
        ("/demographics", Demographic, All, false),
        ("/demographics/{id}", Demographic, All, true),
        ("/enrollments", Enrollment, All, false),
        ("/enrollments/{id}", Enrollment, All, true),
        ("/gradingPeriods", AcademicSession, Type("gradingPeriod"), false),
        ("/gradingPeriods/{id}", AcademicSession, Type("gradingPeriod"), true),
        ("/orgs", Org, All, false),
        ("/orgs/{id}", Org, All, true),
        ("/schools", Org, Type("school"), false),
        ("/schools/{id}", Org, Type("school"), true),
        ("/schools/{id}/classes", Class, SchoolClasses, false),
        ("/schools/{id}/classes/{class}/enrollments", Enrollment, SchoolClassEnrollments, false),
        ("/schools/{id}/classes/{class}/students", User, SchoolClassPeople("student"), false),
        ("/schools/{id}/classes/{class}/teachers", User, SchoolClassPeople("teacher"), false),
        ("/schools/{id}/courses", Course, SchoolCourses, false),
        ("/schools/{id}/enrollments", Enrollment, SchoolEnrollments, false),
        ("/schools/{id}/students", User, SchoolPeople("student"), false),
        ("/schools/{id}/teachers", User, SchoolPeople("teacher"), false),
        ("/schools/{id}/terms", AcademicSession, SchoolTerms, false),
        ("/students", User, Role("student"), false),
        ("/students/{id}", User, Role("student"), true),
        ("/students/{id}/classes", Class, UserClasses(Some("student")), false),
        ("/teachers", User, Role("teacher"), false),
        ("/teachers/{id}", User, Role("teacher"), true),
        ("/teachers/{id}/classes", Class, UserClasses(Some("teacher")), false),
        ("/terms", AcademicSession, Type("term"), false),
        ("/terms/{id}", AcademicSession, Type("term"), true),
        ("/terms/{id}/classes", Class, TermClasses, false),
        ("/terms/{id}/gradingPeriods", AcademicSession, TermGradingPeriods, false),
        ("/users", User, All, false),
        ("/users/{id}", User, All, true),
        ("/users/{id}/classes", Class, UserClasses(None), false),
    ]
};

/// The gradebook reads of both versions (1.1 has no score scales: those are dropped there).
const GRADEBOOK: Table = {
    use Entity::*;
    use Nest::*;
    &[
        ("/categories", Category, All, false),
        ("/categories/{id}", Category, All, true),
        ("/lineItems", LineItem, All, false),
        ("/lineItems/{id}", LineItem, All, true),
        ("/results", Result, All, false),
        ("/results/{id}", Result, All, true),
        ("/scoreScales", ScoreScale, All, false),
        ("/scoreScales/{id}", ScoreScale, All, true),
        ("/classes/{id}/categories", Category, ClassCategories, false),
        ("/classes/{id}/lineItems", LineItem, ClassColumn("classSourcedId"), false),
        ("/classes/{id}/results", Result, ClassResults, false),
        ("/classes/{id}/scoreScales", ScoreScale, ClassColumn("classSourcedId"), false),
        ("/classes/{id}/lineItems/{item}/results", Result, ClassLineItemResults, false),
        ("/classes/{id}/students/{student}/results", Result, ClassStudentResults, false),
        ("/schools/{id}/lineItems", LineItem, SchoolColumn("schoolSourcedId"), false),
        ("/schools/{id}/scoreScales", ScoreScale, SchoolColumn("orgSourcedId"), false),
    ]
};

const RESOURCES: Table = {
    use Entity::*;
    use Nest::*;
    &[
        ("/resources", Resource, All, false),
        ("/resources/{id}", Resource, All, true),
        ("/classes/{id}/resources", Resource, ResourcesOf(Class, "classResources", "classSourcedId"), false),
        ("/courses/{id}/resources", Resource, ResourcesOf(Course, "courseResources", "courseSourcedId"), false),
        ("/users/{id}/resources", Resource, ResourcesOf(User, "userResources", "userSourcedId"), false),
    ]
};

fn endpoint(ep: Ep) -> MethodRouter<AppState> {
    get(
        move |State(state): State<AppState>,
              caller: Result<Caller, Response>,
              OriginalUri(uri): OriginalUri,
              Path(params): Path<Vec<(String, String)>>,
              query: Result<Query<RawQuery>, axum::extract::rejection::QueryRejection>| async move {
            let caller = match caller {
                Ok(c) => c,
                Err(refusal) => return refusal,
            };
            let raw = match query {
                Ok(Query(raw)) => raw,
                Err(_) => {
                    let e = RestError::bad_request(CodeMinor::InvalidData, "the query string cannot be read");
                    return caller::rest_error(&e);
                }
            };
            read::serve(state, caller, ep, params, raw, uri).await
        },
    )
}

fn mount(mut router: Router<AppState>, base: &str, table: Table, version: Version) -> Router<AppState> {
    for (path, entity, nest, single) in table {
        if version == Version::V1_1 && *entity == Entity::ScoreScale {
            continue;
        }
        let ep = Ep { entity: *entity, nest: *nest, single: *single, version };
        router = router.route(&format!("{base}{path}"), endpoint(ep));
    }
    router
}

/// Every OneRoster path, relative to `/ims/oneroster`.
pub fn routes() -> Router<AppState> {
    let mut r = Router::new();
    r = mount(r, "/rostering/v1p2", ROSTERING, Version::V1_2);
    r = mount(r, "/gradebook/v1p2", GRADEBOOK, Version::V1_2);
    r = mount(r, "/resources/v1p2", RESOURCES, Version::V1_2);
    for table in [ROSTERING, GRADEBOOK, RESOURCES] {
        r = mount(r, "/v1p1", table, Version::V1_1);
    }
    r.fallback(|| async {
        caller::rest_error(&RestError {
            status: 404,
            minor: CodeMinor::UnknownObject,
            description: "no OneRoster endpoint has this path".into(),
        })
    })
}
