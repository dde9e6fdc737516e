//! Data minimization: exactly which schools, grades and fields a product's OneRoster API clients receive.

use crate::enums::{DataElement, ProductStatus, Scope};
use crate::grade::GradeBand;
use chrono::NaiveDate;

/// A product's facts that decide what its OneRoster API clients receive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductReach<'a> {
    pub status: ProductStatus,
    pub scope: Scope,
    /// With scope `some_schools`: the Steward school ids it is approved for.
    pub scope_schools: &'a [i64],
    /// With scope `some_grades`: the grades it is approved for.
    pub scope_grades: Option<GradeBand>,
    /// The student data its privacy profile declares.
    pub data_elements: &'a [DataElement],
}

/// A contract for the product: bought by `school`, or by the district when `None`, in force from `start` to `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct License {
    pub school: Option<i64>,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// Exactly what a product's API clients may receive: the data minimization rule's answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RosterView {
    /// Steward school ids, ascending: approved, licensed today and inside the scope.
    pub schools: Vec<i64>,
    /// Only classes of these grades, and students in them, when set.
    pub grades: Option<GradeBand>,
    /// The `users.csv` columns served (besides sourcedId, status and dateLastModified).
    pub user_columns: Vec<&'static str>,
    /// The `demographics.csv` columns served; empty means the demographics endpoints show nothing.
    pub demographic_columns: Vec<&'static str>,
    /// Whether gradebook results (students' scores) are served.
    pub results: bool,
}

/// Served about every visible user, whatever the product declares: not personal beyond the record's existence.
const USER_ALWAYS: &[&str] = &["enabledUser", "primaryOrgSourcedId"];
const USER_BY_ELEMENT: &[(DataElement, &[&str])] = &[
    (
        DataElement::Name,
        &[
            "givenName",
            "familyName",
            "middleName",
            "preferredGivenName",
            "preferredMiddleName",
            "preferredFamilyName",
            "pronouns",
        ],
    ),
    // A username is most often the e-mail or built from it, so it goes only where the e-mail goes.
    (DataElement::Email, &["email", "username"]),
    (DataElement::StudentId, &["identifier", "userIds", "userMasterIdentifier"]),
    (DataElement::GradeLevel, &["grades"]),
];
const DEMOGRAPHICS: &[&str] = &[
    "sex",
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
    "countryOfBirthCode",
    "stateOfBirthAbbreviation",
    "cityOfBirth",
    "publicSchoolResidenceStatus",
];

/// The rule: a product sees the schools where it is approved (with or without conditions), licensed by a contract
/// in force `today` (the district's licenses every school, a school's only that school) and inside its scope
/// (`some_schools`: those schools; `some_grades`: only those grades); and of each person only the fields its
/// declared data elements cover. Phone, SMS, agents and passwords are never served. A product not approved, or
/// not licensed, sees nothing.
pub fn roster_view(p: &ProductReach, licenses: &[License], schools: &[i64], today: NaiveDate) -> RosterView {
    if !p.status.is_approved() {
        return RosterView::default();
    }
    let in_force: Vec<&License> = licenses.iter().filter(|l| l.start <= today && today <= l.end).collect();
    let district = in_force.iter().any(|l| l.school.is_none());
    let mut visible: Vec<i64> = schools
        .iter()
        .copied()
        .filter(|s| district || in_force.iter().any(|l| l.school == Some(*s)))
        .filter(|s| p.scope != Scope::SomeSchools || p.scope_schools.contains(s))
        .collect();
    let grades = match p.scope {
        Scope::SomeGrades => p.scope_grades,
        _ => None,
    };
    if p.scope == Scope::SomeGrades && grades.is_none() {
        visible.clear();
    }
    if visible.is_empty() {
        return RosterView::default();
    }
    visible.sort_unstable();
    visible.dedup();
    let declared = |e: DataElement| p.data_elements.contains(&e);
    let mut user_columns = USER_ALWAYS.to_vec();
    for (element, cols) in USER_BY_ELEMENT {
        if declared(*element) {
            user_columns.extend_from_slice(cols);
        }
    }
    let mut demographic_columns = Vec::new();
    if declared(DataElement::DateOfBirth) {
        demographic_columns.push("birthDate");
    }
    if declared(DataElement::Demographics) {
        demographic_columns.extend_from_slice(DEMOGRAPHICS);
    }
    RosterView {
        schools: visible,
        grades,
        user_columns,
        demographic_columns,
        results: declared(DataElement::AssessmentResults),
    }
}

/// The OneRoster grade codes (CEDS) of a band, as rosters write them: `PK`, `KG`, `01`…`12` (and `1`…`12`).
pub fn oneroster_grade_codes(band: GradeBand) -> Vec<String> {
    (band.low.number()..=band.high.number())
        .flat_map(|n| match n {
            -1 => vec!["PK".to_owned()],
            0 => vec!["KG".to_owned()],
            n => vec![format!("{n:02}"), n.to_string()],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reach<'a>(scope: Scope, schools: &'a [i64], elements: &'a [DataElement]) -> ProductReach<'a> {
        ProductReach {
            status: ProductStatus::Approved,
            scope,
            scope_schools: schools,
            scope_grades: None,
            data_elements: elements,
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn license(school: Option<i64>, start: &str, end: &str) -> License {
        License { school, start: day(start), end: day(end) }
    }

    const ALL_SCHOOLS: &[i64] = &[1, 2, 3];

    #[test]
    fn a_district_license_reaches_every_school_a_school_license_only_its_own() {
        let today = day("2026-12-02");
        let p = reach(Scope::DistrictWide, &[], &[]);
        let district = [license(None, "2026-07-01", "2027-06-30")];
        assert_eq!(roster_view(&p, &district, ALL_SCHOOLS, today).schools, vec![1, 2, 3]);
        let school = [license(Some(2), "2026-07-01", "2027-06-30"), license(Some(3), "2025-07-01", "2026-06-30")];
        assert_eq!(roster_view(&p, &school, ALL_SCHOOLS, today).schools, vec![2]);
        let future = [license(None, "2027-07-01", "2028-06-30")];
        assert_eq!(roster_view(&p, &future, ALL_SCHOOLS, today), RosterView::default());
        // The first and last days of a term are in force.
        assert_eq!(roster_view(&p, &district, ALL_SCHOOLS, day("2027-06-30")).schools.len(), 3);
        assert!(roster_view(&p, &district, ALL_SCHOOLS, day("2027-07-01")).schools.is_empty());
    }

    #[test]
    fn scope_narrows_schools_and_grades() {
        let today = day("2026-12-02");
        let district = [license(None, "2026-07-01", "2027-06-30")];
        let p = reach(Scope::SomeSchools, &[3, 9], &[]);
        assert_eq!(roster_view(&p, &district, ALL_SCHOOLS, today).schools, vec![3]);
        let mut p = reach(Scope::SomeGrades, &[], &[]);
        assert_eq!(roster_view(&p, &district, ALL_SCHOOLS, today), RosterView::default(), "no grades named");
        p.scope_grades = Some(GradeBand::parse("K-1").unwrap());
        let v = roster_view(&p, &district, ALL_SCHOOLS, today);
        assert_eq!((v.schools.len(), v.grades), (3, p.scope_grades));
        assert_eq!(oneroster_grade_codes(v.grades.unwrap()), vec!["KG", "01", "1"]);
    }

    #[test]
    fn unapproved_products_see_nothing() {
        let district = [license(None, "2026-07-01", "2027-06-30")];
        for status in [ProductStatus::Requested, ProductStatus::InReview, ProductStatus::Denied, ProductStatus::Retired]
        {
            let p = ProductReach { status, ..reach(Scope::DistrictWide, &[], &[DataElement::Name]) };
            assert_eq!(roster_view(&p, &district, ALL_SCHOOLS, day("2026-12-02")), RosterView::default());
        }
        let p = ProductReach { status: ProductStatus::ApprovedWithConditions, ..reach(Scope::DistrictWide, &[], &[]) };
        assert_eq!(roster_view(&p, &district, ALL_SCHOOLS, day("2026-12-02")).schools.len(), 3);
    }

    #[test]
    fn fields_follow_the_declared_data_elements() {
        let district = [license(None, "2026-07-01", "2027-06-30")];
        let today = day("2026-12-02");
        let v = roster_view(&reach(Scope::DistrictWide, &[], &[]), &district, ALL_SCHOOLS, today);
        assert_eq!(v.user_columns, vec!["enabledUser", "primaryOrgSourcedId"]);
        assert!(v.demographic_columns.is_empty() && !v.results);
        let all = [DataElement::Name, DataElement::Email, DataElement::StudentId, DataElement::GradeLevel];
        let v = roster_view(&reach(Scope::DistrictWide, &[], &all), &district, ALL_SCHOOLS, today);
        for c in ["givenName", "preferredFamilyName", "email", "username", "identifier", "userIds", "grades"] {
            assert!(v.user_columns.contains(&c), "{c}");
        }
        for c in ["phone", "sms", "agentSourcedIds", "password"] {
            assert!(!v.user_columns.contains(&c), "{c}");
        }
        let v =
            roster_view(&reach(Scope::DistrictWide, &[], &[DataElement::DateOfBirth]), &district, ALL_SCHOOLS, today);
        assert_eq!(v.demographic_columns, vec!["birthDate"]);
        let v = roster_view(
            &reach(Scope::DistrictWide, &[], &[DataElement::Demographics, DataElement::AssessmentResults]),
            &district,
            ALL_SCHOOLS,
            today,
        );
        assert!(v.results && v.demographic_columns.contains(&"sex") && !v.demographic_columns.contains(&"birthDate"));
    }
}
