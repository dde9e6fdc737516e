//! A management model as data: who may request, which stages a request passes under which conditions, who
//! reviews each stage and in how many days, and who decides; with the three presets and the checks a policy
//! must pass before it is saved.

use super::{BudgetHolder, Model, StageKind};
use crate::enums::Vocabulary;
use crate::grade::{Grade, GradeBand};
use crate::money::Money;
use crate::role::Role;
use crate::FieldErrors;
use serde::{Deserialize, Serialize};

/// The highest grade whose students are mostly under 13 (COPPA): a seventh grader is 12 or 13.
pub const LAST_UNDER_13_GRADE: i64 = 7;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub model: Model,
    /// The roles that may submit a request.
    pub requesters: Vec<Role>,
    /// Who makes the final decision once every stage has passed.
    pub approver: Role,
    pub budget: BudgetHolder,
    /// With `SchoolBelowThreshold`: the cost in minor units from which the district holds the budget.
    pub budget_threshold_minor: i64,
    /// The stages in the order a request passes them.
    pub stages: Vec<StageRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRule {
    pub kind: StageKind,
    /// The role that reviews it; a school administrator reviews requests from their own school.
    pub reviewer: Role,
    /// Days the stage may take before it is overdue.
    pub days: u32,
    /// The stage applies when any of these holds; always when empty.
    pub when: Vec<Condition>,
}

/// A condition that routes a request into a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "if", rename_all = "snake_case")]
pub enum Condition {
    /// The yearly cost is above this many minor units.
    CostOver { minor: i64 },
    /// The product collects any student data.
    StudentData,
    /// Its users include students under 13.
    Under13,
    /// Its grades overlap this band.
    Grades { band: GradeBand },
    /// Its vendor is not yet in the inventory.
    NewVendor,
    /// It is in one of these categories.
    Category { ids: Vec<i64> },
}

impl Condition {
    pub fn holds(&self, f: &RequestFacts) -> bool {
        match self {
            Self::CostOver { minor } => f.cost_minor > *minor,
            Self::StudentData => f.student_data,
            Self::Under13 => f.under_13(),
            Self::Grades { band } => band.overlaps(f.grades),
            Self::NewVendor => f.new_vendor,
            Self::Category { ids } => f.category_id.is_some_and(|c| ids.contains(&c)),
        }
    }

    /// How people read it.
    pub fn describe(&self) -> String {
        match self {
            Self::CostOver { minor } => format!("cost over {}", Money::new(*minor, crate::money::Currency::usd())),
            Self::StudentData => "collects student data".into(),
            Self::Under13 => "users under 13".into(),
            Self::Grades { band } => format!("grades {band}"),
            Self::NewVendor => "a new vendor".into(),
            Self::Category { ids } => {
                format!("{} chosen categor{}", ids.len(), if ids.len() == 1 { "y" } else { "ies" })
            }
        }
    }
}

/// What routing needs to know about a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFacts {
    /// The yearly cost in minor units.
    pub cost_minor: i64,
    pub student_data: bool,
    pub grades: GradeBand,
    pub new_vendor: bool,
    pub category_id: Option<i64>,
}

impl RequestFacts {
    pub fn under_13(&self) -> bool {
        self.grades.low.number() <= LAST_UNDER_13_GRADE
    }
}

impl StageRule {
    pub fn applies(&self, f: &RequestFacts) -> bool {
        self.when.is_empty() || self.when.iter().any(|c| c.holds(f))
    }

    /// "Always", or the conditions joined by "or".
    pub fn describe_when(&self) -> String {
        if self.when.is_empty() {
            "always".into()
        } else {
            self.when.iter().map(Condition::describe).collect::<Vec<_>>().join(" or ")
        }
    }
}

impl Policy {
    /// The stages a request with these facts passes, in order.
    pub fn route(&self, f: &RequestFacts) -> Vec<&StageRule> {
        self.stages.iter().filter(|s| s.applies(f)).collect()
    }

    /// Whether the district holds the budget for a request of this cost.
    pub fn district_pays(&self, cost_minor: i64) -> bool {
        match self.budget {
            BudgetHolder::District => true,
            BudgetHolder::School => false,
            BudgetHolder::SchoolBelowThreshold => cost_minor > self.budget_threshold_minor,
        }
    }

    /// The checks a policy passes before it is saved: `held` is every role someone active holds. Each problem is
    /// named by its field (`stages.privacy.reviewer`, …).
    pub fn check(&self, held: &[Role]) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        let nobody = |r: Role| format!("no one holds the role {}; give it to someone first", r.label().to_lowercase());
        if self.requesters.is_empty() {
            e.add("requesters", "choose at least one role that may request products");
        }
        if self.requesters.contains(&Role::Student) {
            e.add("requesters", "students cannot request products");
        }
        if matches!(self.approver, Role::Student | Role::Teacher) {
            e.add("approver", "the final decision is made by an administrator or a district reviewer");
        } else if !held.contains(&self.approver) {
            e.add("approver", nobody(self.approver));
        }
        if self.budget == BudgetHolder::SchoolBelowThreshold && self.budget_threshold_minor <= 0 {
            e.add("budget_threshold", "give the cost from which the district holds the budget");
        }
        let mut seen = Vec::new();
        for s in &self.stages {
            let field = |f: &str| format!("stages.{}.{f}", s.kind.code());
            if seen.contains(&s.kind) {
                e.add(&field("kind"), "this stage is listed twice");
            }
            seen.push(s.kind);
            if matches!(s.reviewer, Role::Student | Role::Teacher) {
                e.add(&field("reviewer"), "a stage is reviewed by an administrator or a district reviewer");
            } else if !held.contains(&s.reviewer) {
                e.add(&field("reviewer"), nobody(s.reviewer));
            }
            if !(1..=365).contains(&s.days) {
                e.add(&field("days"), "give the days allowed, from 1 to 365");
            }
            for c in &s.when {
                match c {
                    Condition::CostOver { minor } if *minor < 0 => {
                        e.add(&field("cost_over"), "a cost threshold is not negative")
                    }
                    Condition::Category { ids } if ids.is_empty() => {
                        e.add(&field("categories"), "choose the categories this stage applies to")
                    }
                    _ => {}
                }
            }
        }
        if let Some(orphan) = self.unrouted() {
            e.add("stages", format!("{orphan} would pass no stage; add a stage that always applies"));
        }
        e.into_result(())
    }

    /// A request that no stage would take, described; `None` when every request passes at least one stage. Each
    /// condition can only add stages, so the requests to try are the plainest ones: free, from a known vendor, no
    /// student data, no chosen category, one grade at a time.
    pub fn unrouted(&self) -> Option<String> {
        (Grade::PK.number()..=Grade::TWELVE.number()).find_map(|n| {
            let g = Grade::new(n).ok()?;
            let grades = GradeBand { low: g, high: g };
            let f = RequestFacts { cost_minor: 0, student_data: false, grades, new_vendor: false, category_id: None };
            self.route(&f)
                .is_empty()
                .then(|| format!("a free request for grade {g} from a known vendor that collects no student data"))
        })
    }

    /// The preset for a model. Custom starts from the hybrid preset.
    pub fn preset(model: Model) -> Self {
        use Condition::*;
        use StageKind::*;
        let stage = |kind, reviewer, days, when| StageRule { kind, reviewer, days, when };
        let threshold = 500_000; // $5,000.00
        match model {
            Model::Centralized => Policy {
                model,
                requesters: vec![Role::Teacher, Role::SchoolAdmin],
                approver: Role::DistrictAdmin,
                budget: BudgetHolder::District,
                budget_threshold_minor: 0,
                stages: vec![
                    stage(Technical, Role::TechnologyReviewer, 10, vec![]),
                    stage(Privacy, Role::PrivacyReviewer, 15, vec![]),
                    stage(Curricular, Role::CurriculumReviewer, 10, vec![]),
                    stage(Accessibility, Role::TechnologyReviewer, 10, vec![]),
                    stage(Budget, Role::Finance, 10, vec![]),
                ],
            },
            Model::Decentralized => Policy {
                model,
                requesters: vec![Role::Teacher, Role::SchoolAdmin],
                approver: Role::SchoolAdmin,
                budget: BudgetHolder::School,
                budget_threshold_minor: 0,
                stages: vec![
                    stage(Technical, Role::SchoolAdmin, 5, vec![]),
                    stage(Privacy, Role::PrivacyReviewer, 10, vec![StudentData, Under13]),
                    stage(Budget, Role::SchoolAdmin, 5, vec![CostOver { minor: 0 }]),
                ],
            },
            Model::Hybrid | Model::Custom => Policy {
                model,
                requesters: vec![Role::Teacher, Role::SchoolAdmin],
                approver: Role::DistrictAdmin,
                budget: BudgetHolder::SchoolBelowThreshold,
                budget_threshold_minor: threshold,
                stages: vec![
                    stage(Technical, Role::TechnologyReviewer, 7, vec![]),
                    stage(Privacy, Role::PrivacyReviewer, 15, vec![StudentData, Under13]),
                    stage(Curricular, Role::CurriculumReviewer, 10, vec![CostOver { minor: threshold }, NewVendor]),
                    stage(Accessibility, Role::TechnologyReviewer, 10, vec![NewVendor]),
                    stage(Budget, Role::Finance, 10, vec![CostOver { minor: threshold }]),
                ],
            },
        }
    }
}

/// One past request replayed under a policy: the stages it would pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    pub stages: Vec<StageKind>,
    /// The days its stages allow in all.
    pub days: u32,
}

/// The reviewer load of replaying requests under a policy: per role, the stages it would review and the days
/// those stages allow.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Load {
    pub per_role: Vec<(Role, u32, u32)>,
}

/// Replays requests' facts under `policy`: what each would pass, and the load on each reviewing role.
pub fn replay(policy: &Policy, requests: &[RequestFacts]) -> (Vec<Replay>, Load) {
    let mut load = Load::default();
    let replays = requests
        .iter()
        .map(|f| {
            let stages = policy.route(f);
            for s in &stages {
                match load.per_role.iter_mut().find(|(r, _, _)| *r == s.reviewer) {
                    Some(slot) => {
                        slot.1 += 1;
                        slot.2 += s.days;
                    }
                    None => load.per_role.push((s.reviewer, 1, s.days)),
                }
            }
            Replay { stages: stages.iter().map(|s| s.kind).collect(), days: stages.iter().map(|s| s.days).sum() }
        })
        .collect();
    load.per_role.sort_by_key(|(r, _, _)| Role::ALL.iter().position(|(x, _, _)| x == r));
    (replays, load)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVERY_ROLE: &[Role] = crate::access::ALL_STAFF;

    fn facts(cost: i64, data: bool, grades: &str, new_vendor: bool) -> RequestFacts {
        RequestFacts {
            cost_minor: cost,
            student_data: data,
            grades: GradeBand::parse(grades).unwrap(),
            new_vendor,
            category_id: Some(3),
        }
    }

    #[test]
    fn every_preset_passes_its_own_checks() {
        for model in [Model::Centralized, Model::Decentralized, Model::Hybrid, Model::Custom] {
            assert_eq!(Policy::preset(model).check(EVERY_ROLE), Ok(()), "{model:?}");
        }
    }

    #[test]
    fn the_hybrid_preset_routes_by_cost_data_age_and_vendor() {
        let p = Policy::preset(Model::Hybrid);
        let kinds = |f: &RequestFacts| p.route(f).iter().map(|s| s.kind).collect::<Vec<_>>();
        assert_eq!(kinds(&facts(0, false, "9-12", false)), vec![StageKind::Technical]);
        assert_eq!(kinds(&facts(0, false, "3-5", false)), vec![StageKind::Technical, StageKind::Privacy]);
        assert_eq!(
            kinds(&facts(600_000, true, "9-12", true)),
            vec![
                StageKind::Technical,
                StageKind::Privacy,
                StageKind::Curricular,
                StageKind::Accessibility,
                StageKind::Budget
            ]
        );
        assert_eq!(kinds(&facts(500_000, false, "9-12", false)), vec![StageKind::Technical], "not over the threshold");
        assert!(p.district_pays(500_001) && !p.district_pays(500_000));
    }

    #[test]
    fn conditions_hold_as_described() {
        let f = facts(100, false, "6-8", false);
        assert!(Condition::Under13.holds(&f), "grade 6 is under 13");
        assert!(!Condition::Under13.holds(&facts(0, false, "8-12", false)));
        assert!(Condition::Grades { band: GradeBand::parse("K-6").unwrap() }.holds(&f));
        assert!(!Condition::Grades { band: GradeBand::parse("9-12").unwrap() }.holds(&f));
        assert!(Condition::Category { ids: vec![3, 4] }.holds(&f));
        assert!(!Condition::Category { ids: vec![4] }.holds(&f));
        assert!(Condition::CostOver { minor: 99 }.holds(&f) && !Condition::CostOver { minor: 100 }.holds(&f));
        assert_eq!(Condition::CostOver { minor: 500_000 }.describe(), "cost over $5,000.00");
    }

    #[test]
    fn a_policy_routing_to_a_role_nobody_holds_is_refused() {
        let p = Policy::preset(Model::Centralized);
        let held = [Role::DistrictAdmin, Role::TechnologyReviewer, Role::CurriculumReviewer, Role::Finance];
        let e = p.check(&[held.as_slice(), &[Role::Teacher, Role::SchoolAdmin]].concat()).unwrap_err();
        assert!(e.get("stages.privacy.reviewer").unwrap().contains("privacy reviewer"), "{e}");
    }

    #[test]
    fn a_policy_leaving_a_request_without_a_stage_is_refused() {
        let mut p = Policy::preset(Model::Hybrid);
        p.stages.retain(|s| s.kind != StageKind::Technical);
        let e = p.check(EVERY_ROLE).unwrap_err();
        assert!(e.get("stages").unwrap().contains("grade 8"), "grades PK-7 are under 13 and so reviewed: {e}");
        p.stages.push(StageRule {
            kind: StageKind::Technical,
            reviewer: Role::TechnologyReviewer,
            days: 5,
            when: vec![Condition::Grades { band: GradeBand::parse("8-12").unwrap() }],
        });
        assert_eq!(p.check(EVERY_ROLE), Ok(()), "grades 8-12 now have a stage and the rest go to privacy");
    }

    #[test]
    fn other_mistakes_are_named_by_field() {
        let mut p = Policy::preset(Model::Hybrid);
        p.requesters = vec![Role::Student];
        p.approver = Role::Teacher;
        p.stages[0].days = 0;
        p.stages.push(p.stages[1].clone());
        p.stages[2].when = vec![Condition::Category { ids: vec![] }];
        let e = p.check(&[EVERY_ROLE, &[Role::Student]].concat()).unwrap_err();
        for field in
            ["requesters", "approver", "stages.technical.days", "stages.privacy.kind", "stages.curricular.categories"]
        {
            assert!(e.get(field).is_some(), "{field}: {e}");
        }
    }

    #[test]
    fn replaying_counts_each_roles_load() {
        let p = Policy::preset(Model::Hybrid);
        let past = [facts(0, false, "9-12", false), facts(600_000, true, "K-5", true)];
        let (replays, load) = replay(&p, &past);
        assert_eq!(replays[0], Replay { stages: vec![StageKind::Technical], days: 7 });
        assert_eq!(replays[1].stages.len(), 5);
        assert_eq!(replays[1].days, 7 + 15 + 10 + 10 + 10);
        assert_eq!(
            load.per_role,
            vec![
                (Role::TechnologyReviewer, 3, 24),
                (Role::PrivacyReviewer, 1, 15),
                (Role::CurriculumReviewer, 1, 10),
                (Role::Finance, 1, 10)
            ]
        );
    }
}
