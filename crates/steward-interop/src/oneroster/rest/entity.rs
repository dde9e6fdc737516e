//! The OneRoster REST record types: their collection and record keys, and each JSON field with the CSV column it
//! is read from. This table is also the whitelist of what `filter`, `sort` and `fields` may name.

use crate::oneroster::spec::Version;

/// A kind of record served over REST, each kept in one CSV file's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Org,
    AcademicSession,
    Course,
    Class,
    User,
    Enrollment,
    Demographic,
    Category,
    LineItem,
    Result,
    ScoreScale,
    Resource,
}

/// How a JSON field is made from its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A comma-separated CSV list served as an array of strings.
    List,
    Bool,
    /// A number when the text is one, the text otherwise.
    Number,
    /// A GUIDRef `{href, sourcedId, type}` to a record of this type.
    Ref(Entity),
    /// An array of GUIDRefs from a comma-separated list of sourcedIds.
    RefList(Entity),
    /// `{a:b},{c:d}` in CSV, served as `[{"<first>": a, "<second>": b}, …]`.
    Pairs(&'static str, &'static str),
}

/// One JSON field of a record and the CSV column it comes from (camelCase, as in the spec tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub column: &'static str,
    pub kind: Kind,
}

const fn f(name: &'static str, column: &'static str, kind: Kind) -> Field {
    Field { name, column, kind }
}
const fn t(name: &'static str) -> Field {
    f(name, name, Kind::Text)
}

const COMMON: &[Field] = &[t("sourcedId"), t("status"), t("dateLastModified")];

const ORG: &[Field] = &[t("name"), t("type"), t("identifier"), f("parent", "parentSourcedId", Kind::Ref(Entity::Org))];
const SESSION: &[Field] = &[
    t("title"),
    t("type"),
    t("startDate"),
    t("endDate"),
    f("parent", "parentSourcedId", Kind::Ref(Entity::AcademicSession)),
    t("schoolYear"),
];
const COURSE: &[Field] = &[
    t("title"),
    f("schoolYear", "schoolYearSourcedId", Kind::Ref(Entity::AcademicSession)),
    t("courseCode"),
    f("grades", "grades", Kind::List),
    f("subjects", "subjects", Kind::List),
    f("org", "orgSourcedId", Kind::Ref(Entity::Org)),
    f("subjectCodes", "subjectCodes", Kind::List),
];
const CLASS: &[Field] = &[
    t("title"),
    t("classCode"),
    t("classType"),
    t("location"),
    f("grades", "grades", Kind::List),
    f("subjects", "subjects", Kind::List),
    f("course", "courseSourcedId", Kind::Ref(Entity::Course)),
    f("school", "schoolSourcedId", Kind::Ref(Entity::Org)),
    f("terms", "termSourcedIds", Kind::RefList(Entity::AcademicSession)),
    f("subjectCodes", "subjectCodes", Kind::List),
    f("periods", "periods", Kind::List),
];
const USER_1_1: &[Field] = &[
    f("enabledUser", "enabledUser", Kind::Bool),
    t("username"),
    f("userIds", "userIds", Kind::Pairs("type", "identifier")),
    t("givenName"),
    t("familyName"),
    t("middleName"),
    t("identifier"),
    t("email"),
    t("sms"),
    t("phone"),
    f("agents", "agentSourcedIds", Kind::RefList(Entity::User)),
    f("grades", "grades", Kind::List),
];
const USER_1_2_MORE: &[Field] = &[
    t("userMasterIdentifier"),
    f("preferredFirstName", "preferredGivenName", Kind::Text),
    f("preferredMiddleName", "preferredMiddleName", Kind::Text),
    f("preferredLastName", "preferredFamilyName", Kind::Text),
    f("primaryOrg", "primaryOrgSourcedId", Kind::Ref(Entity::Org)),
    t("pronouns"),
];
const ENROLLMENT: &[Field] = &[
    f("user", "userSourcedId", Kind::Ref(Entity::User)),
    f("class", "classSourcedId", Kind::Ref(Entity::Class)),
    f("school", "schoolSourcedId", Kind::Ref(Entity::Org)),
    t("role"),
    f("primary", "primary", Kind::Bool),
    t("beginDate"),
    t("endDate"),
];
const DEMOGRAPHIC: &[Field] = &[
    t("birthDate"),
    t("sex"),
    f("americanIndianOrAlaskaNative", "americanIndianOrAlaskaNative", Kind::Bool),
    f("asian", "asian", Kind::Bool),
    f("blackOrAfricanAmerican", "blackOrAfricanAmerican", Kind::Bool),
    f("nativeHawaiianOrOtherPacificIslander", "nativeHawaiianOrOtherPacificIslander", Kind::Bool),
    f("white", "white", Kind::Bool),
    f("demographicRaceTwoOrMoreRaces", "demographicRaceTwoOrMoreRaces", Kind::Bool),
    f("hispanicOrLatinoEthnicity", "hispanicOrLatinoEthnicity", Kind::Bool),
    t("countryOfBirthCode"),
    t("stateOfBirthAbbreviation"),
    t("cityOfBirth"),
    t("publicSchoolResidenceStatus"),
];
const CATEGORY_1_1: &[Field] = &[t("title")];
const CATEGORY_1_2: &[Field] = &[t("title"), f("weight", "weight", Kind::Number)];
const LINE_ITEM_1_1: &[Field] = &[
    t("title"),
    t("description"),
    t("assignDate"),
    t("dueDate"),
    f("class", "classSourcedId", Kind::Ref(Entity::Class)),
    f("category", "categorySourcedId", Kind::Ref(Entity::Category)),
    f("gradingPeriod", "academicSessionSourcedId", Kind::Ref(Entity::AcademicSession)),
    f("resultValueMin", "resultValueMin", Kind::Number),
    f("resultValueMax", "resultValueMax", Kind::Number),
];
const LINE_ITEM_1_2: &[Field] = &[
    t("title"),
    t("description"),
    t("assignDate"),
    t("dueDate"),
    f("class", "classSourcedId", Kind::Ref(Entity::Class)),
    f("school", "schoolSourcedId", Kind::Ref(Entity::Org)),
    f("category", "categorySourcedId", Kind::Ref(Entity::Category)),
    f("academicSession", "academicSessionSourcedId", Kind::Ref(Entity::AcademicSession)),
    f("resultValueMin", "resultValueMin", Kind::Number),
    f("resultValueMax", "resultValueMax", Kind::Number),
];
const RESULT_1_1: &[Field] = &[
    f("lineItem", "lineItemSourcedId", Kind::Ref(Entity::LineItem)),
    f("student", "studentSourcedId", Kind::Ref(Entity::User)),
    t("scoreStatus"),
    f("score", "score", Kind::Number),
    t("scoreDate"),
    t("comment"),
];
const RESULT_1_2: &[Field] = &[
    f("lineItem", "lineItemSourcedId", Kind::Ref(Entity::LineItem)),
    f("student", "studentSourcedId", Kind::Ref(Entity::User)),
    f("class", "classSourcedId", Kind::Ref(Entity::Class)),
    t("scoreStatus"),
    f("score", "score", Kind::Number),
    t("textScore"),
    t("scoreDate"),
    t("comment"),
    f("inProgress", "inProgress", Kind::Bool),
    f("incomplete", "incomplete", Kind::Bool),
    f("late", "late", Kind::Bool),
    f("missing", "missing", Kind::Bool),
];
const SCORE_SCALE: &[Field] = &[
    t("title"),
    t("type"),
    f("org", "orgSourcedId", Kind::Ref(Entity::Org)),
    f("course", "courseSourcedId", Kind::Ref(Entity::Course)),
    f("class", "classSourcedId", Kind::Ref(Entity::Class)),
    f("scoreScaleValue", "scoreScaleValue", Kind::Pairs("itemValueLHS", "itemValueRHS")),
];
const RESOURCE: &[Field] = &[
    t("title"),
    f("roles", "roles", Kind::List),
    t("importance"),
    t("vendorResourceId"),
    t("vendorId"),
    t("applicationId"),
];

/// Which REST service serves a record type: its records' `href`s point there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Rostering,
    Gradebook,
    Resources,
}

impl Entity {
    /// The CSV file (without `.csv`) whose table holds these records.
    pub fn file(self) -> &'static str {
        match self {
            Entity::Org => "orgs",
            Entity::AcademicSession => "academicSessions",
            Entity::Course => "courses",
            Entity::Class => "classes",
            Entity::User => "users",
            Entity::Enrollment => "enrollments",
            Entity::Demographic => "demographics",
            Entity::Category => "categories",
            Entity::LineItem => "lineItems",
            Entity::Result => "results",
            Entity::ScoreScale => "scoreScales",
            Entity::Resource => "resources",
        }
    }

    /// The collection key (`users`), which is also the path segment of its records.
    pub fn plural(self) -> &'static str {
        self.file()
    }

    /// The single-record key (`user`), which is also the GUIDRef `type`.
    pub fn singular(self) -> &'static str {
        match self {
            Entity::Org => "org",
            Entity::AcademicSession => "academicSession",
            Entity::Course => "course",
            Entity::Class => "class",
            Entity::User => "user",
            Entity::Enrollment => "enrollment",
            Entity::Demographic => "demographics",
            Entity::Category => "category",
            Entity::LineItem => "lineItem",
            Entity::Result => "result",
            Entity::ScoreScale => "scoreScale",
            Entity::Resource => "resource",
        }
    }

    pub fn service(self) -> Service {
        match self {
            Entity::Category | Entity::LineItem | Entity::Result | Entity::ScoreScale => Service::Gradebook,
            Entity::Resource => Service::Resources,
            _ => Service::Rostering,
        }
    }

    /// The record's own fields after `sourcedId`, `status`, `dateLastModified` (and before `metadata` and the
    /// fields made from other files, such as a user's `roles`).
    pub fn own_fields(self, version: Version) -> Vec<Field> {
        let v11 = version == Version::V1_1;
        let fields: &[&[Field]] = match self {
            Entity::Org => &[ORG],
            Entity::AcademicSession => &[SESSION],
            Entity::Course => &[COURSE],
            Entity::Class => &[CLASS],
            Entity::User if v11 => &[USER_1_1],
            Entity::User => &[USER_1_1, USER_1_2_MORE],
            Entity::Enrollment => &[ENROLLMENT],
            Entity::Demographic => &[DEMOGRAPHIC],
            Entity::Category if v11 => &[CATEGORY_1_1],
            Entity::Category => &[CATEGORY_1_2],
            Entity::LineItem if v11 => &[LINE_ITEM_1_1],
            Entity::LineItem => &[LINE_ITEM_1_2],
            Entity::Result if v11 => &[RESULT_1_1],
            Entity::Result => &[RESULT_1_2],
            Entity::ScoreScale => &[SCORE_SCALE],
            Entity::Resource => &[RESOURCE],
        };
        fields.iter().flat_map(|f| f.iter().copied()).collect()
    }

    /// Every field a filter or sort may name: the common three and the record's own fields.
    pub fn fields(self, version: Version) -> Vec<Field> {
        COMMON.iter().copied().chain(self.own_fields(version)).collect()
    }

    /// The field a filter or sort names: `givenName`, or a GUIDRef by `course.sourcedId` (or `course`).
    pub fn field(self, version: Version, name: &str) -> Option<Field> {
        let bare = name.strip_suffix(".sourcedId").unwrap_or(name);
        self.fields(version).into_iter().find(|f| {
            f.name == name || (bare != name && f.name == bare && matches!(f.kind, Kind::Ref(_) | Kind::RefList(_)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oneroster::data_columns;

    #[test]
    fn every_column_is_a_spec_column_of_the_file() {
        let all = [
            Entity::Org,
            Entity::AcademicSession,
            Entity::Course,
            Entity::Class,
            Entity::User,
            Entity::Enrollment,
            Entity::Demographic,
            Entity::Category,
            Entity::LineItem,
            Entity::Result,
            Entity::ScoreScale,
            Entity::Resource,
        ];
        for e in all {
            for v in [Version::V1_1, Version::V1_2] {
                let cols = data_columns(e.file());
                for f in e.own_fields(v) {
                    assert!(cols.contains(&f.column), "{}.{} reads {}", e.file(), f.name, f.column);
                }
            }
        }
    }

    #[test]
    fn references_resolve_by_dot_notation() {
        let v = Version::V1_2;
        assert_eq!(Entity::Class.field(v, "course.sourcedId").unwrap().column, "courseSourcedId");
        assert_eq!(Entity::Class.field(v, "course").unwrap().column, "courseSourcedId");
        assert_eq!(Entity::User.field(v, "givenName").unwrap().column, "givenName");
        assert!(Entity::User.field(v, "givenName.sourcedId").is_none());
        assert!(Entity::User.field(v, "password").is_none());
        assert!(Entity::User.field(Version::V1_1, "pronouns").is_none());
        assert_eq!(Entity::LineItem.field(Version::V1_1, "gradingPeriod").unwrap().column, "academicSessionSourcedId");
    }
}
