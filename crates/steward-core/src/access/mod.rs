//! The one place that decides who may do what: every page and API route asks here.

mod minimize;

pub use minimize::*;

use crate::role::Role;

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
    /// LTI 1.3 tools and the platform's signing keys.
    ManageLti,
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
            ManageLti => matches!(r, Role::DistrictAdmin | Role::TechnologyReviewer),
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
}
