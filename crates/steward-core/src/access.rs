//! The one place that decides who may do what: every page and API route asks here.

use crate::enums::{DataElement, ProductStatus, Scope};
use crate::grade::GradeBand;
use crate::role::Role;
use chrono::NaiveDate;

/// The signed-in person, as far as access decisions need to know them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    /// The school the role is held at; `None` when it is held at the district.
    pub school_id: Option<i64>,
}

/// Everything a route may ask permission for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The approved catalog: names, descriptions, how to sign on. No money, no contracts.
    ReadCatalog,
    /// The staff dashboard (spend, renewals, ownership gaps).
    ViewDashboard,
    /// The full inventory in every status, with privacy and review facts.
    ReadInventory,
    /// Create or change products and their vendor.
    EditInventory,
    /// Change the category taxonomy.
    EditCategories,
    /// Name or remove a product's owners.
    EditOwners,
    /// See contracts (and their money) bought by `school`, or by the district when `None`.
    ReadContracts {
        school: Option<i64>,
    },
    /// Create or change a contract bought by `school`, or by the district when `None`.
    EditContract {
        school: Option<i64>,
    },
    /// Spend totals across the whole district.
    ReadDistrictSpend,
    /// The organizations (state, district, schools): reading them.
    ReadOrganizations,
    /// Creating or changing organizations.
    EditOrganizations,
    /// Creating accounts and assigning roles.
    ManageUsers,
    /// The audit log.
    ReadAudit,
    /// One's own API tokens.
    ManageOwnTokens,
    /// The roster (schools, classes, people) of `school`, or of every school when `None`.
    ReadRoster {
        school: Option<i64>,
    },
    /// Import and export OneRoster packages and read the import history.
    ManageRoster,
    /// What each product's vendor receives of the roster, its OneRoster API clients and their access logs.
    ReadVendorData,
    /// Register OneRoster API clients for products.
    ManageApiClients,
    /// Send usage events (the events API, backfills).
    IngestUsage,
    /// Usage across the district: active users, minutes, launches, the discovery queue and unmatched users.
    ReadUsage,
    /// Act on the discovery queue: add an unknown product, or dismiss it.
    ManageDiscoveries,
    /// The infrastructure profile.
    ReadInfrastructure,
    /// Editing the infrastructure profile and what products declare they need.
    EditInfrastructure,
    /// The management policy, its versions and the what-if view.
    ReadPolicy,
    EditPolicy,
    /// Submitting requests; the policy in force further names the roles that may (`may_request`).
    RequestProducts,
    /// A request made by `requester` for `school`.
    ReadRequest {
        requester: Option<i64>,
        school: Option<i64>,
    },
    /// Deciding a stage reviewed by `role` (for a school role, at `school`).
    ReviewStage {
        role: Role,
        school: Option<i64>,
    },
    /// The final decision on a request, made by `approver` (for a school role, at `school`).
    DecideRequest {
        approver: Role,
        school: Option<i64>,
    },
    /// Review metrics: time to decision, open and overdue stages.
    ReadReviewMetrics,
    /// A product's privacy facts and DPA file.
    EditPrivacy,
    /// Choosing what the public product list shows.
    EditPublicList,
}

/// Which part of the roster an actor sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterScope {
    All,
    School(i64),
}

/// Which contracts an actor may see in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractScope {
    All,
    School(i64),
}

/// Every role but students.
pub const ALL_STAFF: &[Role] = &[
    Role::DistrictAdmin,
    Role::TechnologyReviewer,
    Role::PrivacyReviewer,
    Role::CurriculumReviewer,
    Role::Finance,
    Role::SchoolAdmin,
    Role::Teacher,
];

const INVENTORY_READERS: &[Role] = &[
    Role::DistrictAdmin,
    Role::TechnologyReviewer,
    Role::PrivacyReviewer,
    Role::CurriculumReviewer,
    Role::Finance,
    Role::SchoolAdmin,
];

const DISTRICT_STAFF: &[Role] =
    &[Role::DistrictAdmin, Role::TechnologyReviewer, Role::PrivacyReviewer, Role::CurriculumReviewer, Role::Finance];

const INVENTORY_EDITORS: &[Role] =
    &[Role::DistrictAdmin, Role::TechnologyReviewer, Role::PrivacyReviewer, Role::CurriculumReviewer];

impl Actor {
    pub fn may(&self, action: Action) -> bool {
        use Action::*;
        let r = self.role;
        match action {
            ReadCatalog => true,
            ViewDashboard | ReadInventory | ReadOrganizations => INVENTORY_READERS.contains(&r),
            EditInventory => INVENTORY_EDITORS.contains(&r),
            EditOwners => matches!(r, Role::DistrictAdmin | Role::TechnologyReviewer),
            EditCategories | EditOrganizations | ManageUsers | ReadAudit => r == Role::DistrictAdmin,
            ReadDistrictSpend => matches!(r, Role::DistrictAdmin | Role::Finance),
            ReadContracts { school } | EditContract { school } => match self.contract_scope() {
                Some(ContractScope::All) => true,
                Some(ContractScope::School(mine)) => school == Some(mine),
                None => false,
            },
            ManageOwnTokens => ALL_STAFF.contains(&r),
            ReadRoster { school } => match self.roster_scope() {
                Some(RosterScope::All) => true,
                Some(RosterScope::School(mine)) => school == Some(mine),
                None => false,
            },
            ManageRoster | ManageApiClients => matches!(r, Role::DistrictAdmin | Role::TechnologyReviewer),
            ReadVendorData => matches!(r, Role::DistrictAdmin | Role::TechnologyReviewer | Role::PrivacyReviewer),
            IngestUsage => matches!(r, Role::DistrictAdmin | Role::TechnologyReviewer),
            ReadUsage => DISTRICT_STAFF.contains(&r),
            ManageDiscoveries => INVENTORY_EDITORS.contains(&r),
            ReadInfrastructure | ReadPolicy | ReadReviewMetrics => INVENTORY_READERS.contains(&r),
            EditInfrastructure => matches!(r, Role::DistrictAdmin | Role::TechnologyReviewer),
            EditPolicy => r == Role::DistrictAdmin,
            RequestProducts => ALL_STAFF.contains(&r),
            ReadRequest { requester, school } => {
                DISTRICT_STAFF.contains(&r)
                    || requester == Some(self.user_id)
                    || (r == Role::SchoolAdmin && school.is_some() && school == self.school_id)
            }
            ReviewStage { role, school } | DecideRequest { approver: role, school } => {
                r == Role::DistrictAdmin || (r == role && (!role.requires_school() || school == self.school_id))
            }
            EditPrivacy | EditPublicList => matches!(r, Role::DistrictAdmin | Role::PrivacyReviewer),
        }
    }

    /// Whether the policy in force lets this actor submit requests.
    pub fn may_request(&self, policy: &crate::governance::policy::Policy) -> bool {
        self.may(Action::RequestProducts) && policy.requesters.contains(&self.role)
    }

    /// The roster this actor sees, or `None` when they see none of it. District reviewers see every school, a
    /// school administrator their own; finance, teachers and students see no one's records here.
    pub fn roster_scope(&self) -> Option<RosterScope> {
        match (self.role, self.school_id) {
            (Role::DistrictAdmin | Role::TechnologyReviewer | Role::PrivacyReviewer | Role::CurriculumReviewer, _) => {
                Some(RosterScope::All)
            }
            (Role::SchoolAdmin, Some(school)) => Some(RosterScope::School(school)),
            _ => None,
        }
    }

    /// The contracts this actor sees, or `None` when they see no contracts at all.
    pub fn contract_scope(&self) -> Option<ContractScope> {
        match (self.role, self.school_id) {
            (Role::DistrictAdmin | Role::Finance, _) => Some(ContractScope::All),
            (Role::SchoolAdmin, Some(school)) => Some(ContractScope::School(school)),
            _ => None,
        }
    }
}

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
    use crate::enums::Vocabulary;

    fn actor(role: Role, school: Option<i64>) -> Actor {
        Actor { user_id: 1, role, school_id: school }
    }

    #[test]
    fn school_admin_sees_only_their_school_contracts() {
        let a = actor(Role::SchoolAdmin, Some(7));
        assert!(a.may(Action::ReadContracts { school: Some(7) }));
        assert!(a.may(Action::EditContract { school: Some(7) }));
        assert!(!a.may(Action::ReadContracts { school: Some(8) }));
        assert!(!a.may(Action::ReadContracts { school: None }));
        assert!(!a.may(Action::EditContract { school: None }));
        assert!(!a.may(Action::ReadDistrictSpend));
    }

    #[test]
    fn stages_are_reviewed_by_their_role_and_a_school_role_at_its_school() {
        let tech = actor(Role::TechnologyReviewer, None);
        assert!(tech.may(Action::ReviewStage { role: Role::TechnologyReviewer, school: Some(4) }));
        assert!(!tech.may(Action::ReviewStage { role: Role::PrivacyReviewer, school: None }));
        let principal = actor(Role::SchoolAdmin, Some(4));
        assert!(principal.may(Action::ReviewStage { role: Role::SchoolAdmin, school: Some(4) }));
        assert!(!principal.may(Action::ReviewStage { role: Role::SchoolAdmin, school: Some(5) }));
        assert!(!principal.may(Action::DecideRequest { approver: Role::DistrictAdmin, school: Some(4) }));
        let admin = actor(Role::DistrictAdmin, None);
        assert!(
            admin.may(Action::ReviewStage { role: Role::Finance, school: None }),
            "an admin covers an absent reviewer"
        );
        let teacher = Actor { user_id: 9, role: Role::Teacher, school_id: Some(4) };
        assert!(teacher.may(Action::ReadRequest { requester: Some(9), school: Some(4) }));
        assert!(!teacher.may(Action::ReadRequest { requester: Some(8), school: Some(4) }));
        assert!(principal.may(Action::ReadRequest { requester: Some(8), school: Some(4) }));
        let decentralized = crate::governance::policy::Policy::preset(crate::governance::Model::Decentralized);
        assert!(teacher.may_request(&decentralized));
        assert!(!actor(Role::Student, Some(4)).may_request(&decentralized));
        assert!(!admin.may_request(&decentralized), "the policy names who may request");
    }

    #[test]
    fn teachers_and_students_see_no_money() {
        for role in [Role::Teacher, Role::Student] {
            let a = actor(role, Some(3));
            assert!(a.may(Action::ReadCatalog));
            assert_eq!(a.contract_scope(), None);
            assert!(!a.may(Action::ReadContracts { school: Some(3) }));
            assert!(!a.may(Action::ViewDashboard));
            assert!(!a.may(Action::ReadInventory));
        }
        assert!(!actor(Role::Student, Some(3)).may(Action::ManageOwnTokens));
    }

    #[test]
    fn the_roster_is_read_by_district_reviewers_and_a_school_admin_for_their_school() {
        for role in [Role::DistrictAdmin, Role::TechnologyReviewer, Role::PrivacyReviewer, Role::CurriculumReviewer] {
            assert!(actor(role, None).may(Action::ReadRoster { school: Some(4) }), "{role:?}");
        }
        let principal = actor(Role::SchoolAdmin, Some(4));
        assert!(principal.may(Action::ReadRoster { school: Some(4) }));
        assert!(!principal.may(Action::ReadRoster { school: Some(5) }));
        assert!(!principal.may(Action::ReadRoster { school: None }));
        assert!(!principal.may(Action::ManageRoster));
        for role in [Role::Finance, Role::Teacher, Role::Student] {
            assert_eq!(actor(role, Some(4)).roster_scope(), None, "{role:?}");
        }
        assert!(actor(Role::TechnologyReviewer, None).may(Action::ManageRoster));
        assert!(!actor(Role::PrivacyReviewer, None).may(Action::ManageRoster));
        assert!(actor(Role::PrivacyReviewer, None).may(Action::ReadVendorData));
        assert!(!actor(Role::PrivacyReviewer, None).may(Action::ManageApiClients));
        assert!(!actor(Role::SchoolAdmin, Some(4)).may(Action::ReadVendorData));
    }

    #[test]
    fn only_district_admins_read_the_audit_log() {
        for (role, _, _) in Role::ALL {
            let a = actor(*role, None);
            assert_eq!(a.may(Action::ReadAudit), *role == Role::DistrictAdmin, "{role:?}");
        }
    }

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
