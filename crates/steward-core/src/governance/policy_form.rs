//! The policy editor's form: one row per stage kind, read from the submitted pairs into a [`Policy`], and written
//! back from one.

use super::policy::{Condition, Policy, StageRule};
use super::{BudgetHolder, Model, StageKind};
use crate::enums::Vocabulary;
use crate::grade::GradeBand;
use crate::money::Money;
use crate::role::Role;
use crate::FieldErrors;

/// One stage's row of the form, every value as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageRow {
    pub kind: String,
    pub label: &'static str,
    pub on: bool,
    pub position: String,
    pub reviewer: String,
    pub days: String,
    pub always: bool,
    pub cost_over: String,
    pub student_data: bool,
    pub under_13: bool,
    pub new_vendor: bool,
    pub grades: String,
    pub categories: Vec<String>,
}

/// The whole form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyForm {
    pub model: String,
    pub requesters: Vec<String>,
    pub approver: String,
    pub budget: String,
    pub budget_threshold: String,
    pub stages: Vec<StageRow>,
}

impl PolicyForm {
    /// The form showing `p`: its stages in order, then the kinds it leaves out.
    pub fn from_policy(p: &Policy) -> Self {
        let mut stages: Vec<StageRow> = p
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut row = StageRow {
                    kind: s.kind.code().into(),
                    label: s.kind.label(),
                    on: true,
                    position: (i + 1).to_string(),
                    reviewer: s.reviewer.code().into(),
                    days: s.days.to_string(),
                    always: s.when.is_empty(),
                    ..StageRow::default()
                };
                for c in &s.when {
                    match c {
                        Condition::CostOver { minor } => row.cost_over = Money::plain(*minor),
                        Condition::StudentData => row.student_data = true,
                        Condition::Under13 => row.under_13 = true,
                        Condition::NewVendor => row.new_vendor = true,
                        Condition::Grades { band } => row.grades = band.to_string(),
                        Condition::Category { ids } => row.categories = ids.iter().map(i64::to_string).collect(),
                    }
                }
                row
            })
            .collect();
        for (kind, code, label) in StageKind::ALL {
            if !p.stages.iter().any(|s| s.kind == *kind) {
                stages.push(StageRow {
                    kind: (*code).into(),
                    label,
                    position: (stages.len() + 1).to_string(),
                    days: "10".into(),
                    always: true,
                    ..StageRow::default()
                });
            }
        }
        PolicyForm {
            model: p.model.code().into(),
            requesters: p.requesters.iter().map(|r| r.code().to_owned()).collect(),
            approver: p.approver.code().into(),
            budget: p.budget.code().into(),
            budget_threshold: if p.budget_threshold_minor > 0 {
                Money::plain(p.budget_threshold_minor)
            } else {
                String::new()
            },
            stages,
        }
    }

    /// The form as submitted: fields `model`, `requesters` (repeated), `approver`, `budget`, `budget_threshold`, and
    /// for each stage kind `K`: `K.on`, `K.position`, `K.reviewer`, `K.days`, `K.always`, `K.cost_over`,
    /// `K.student_data`, `K.under_13`, `K.new_vendor`, `K.grades`, `K.categories` (repeated).
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let p = crate::fields::Pairs(pairs);
        let (one, many, on) = (|k: &str| p.one(k), |k: &str| p.many(k), |k: &str| p.on(k));
        let stages = StageKind::ALL
            .iter()
            .map(|(_, code, label)| {
                let f = |name: &str| format!("{code}.{name}");
                StageRow {
                    kind: (*code).into(),
                    label,
                    on: on(&f("on")),
                    position: one(&f("position")),
                    reviewer: one(&f("reviewer")),
                    days: one(&f("days")),
                    always: on(&f("always")),
                    cost_over: one(&f("cost_over")),
                    student_data: on(&f("student_data")),
                    under_13: on(&f("under_13")),
                    new_vendor: on(&f("new_vendor")),
                    grades: one(&f("grades")),
                    categories: many(&f("categories")),
                }
            })
            .collect();
        PolicyForm {
            model: one("model"),
            requesters: many("requesters"),
            approver: one("approver"),
            budget: one("budget"),
            budget_threshold: one("budget_threshold"),
            stages,
        }
    }

    /// The policy the form describes, or every field's error. Whether the roles are held is checked after, by
    /// [`Policy::check`].
    pub fn validate(&self) -> Result<Policy, FieldErrors> {
        let mut e = FieldErrors::new();
        let model = e.check("model", Model::parse(&self.model));
        let requesters = e.check("requesters", Role::parse_list(&self.requesters));
        let approver = e.check("approver", Role::parse(&self.approver));
        let budget = e.check("budget", BudgetHolder::parse(&self.budget));
        let threshold = if self.budget_threshold.trim().is_empty() {
            Some(0)
        } else {
            e.check("budget_threshold", Money::parse_amount(&self.budget_threshold))
        };
        let mut stages: Vec<(i64, StageRule)> = Vec::new();
        for row in self.stages.iter().filter(|r| r.on) {
            if let Some(rule) = row.validate(&mut e) {
                let field = format!("stages.{}.position", row.kind);
                let position = e.check(&field, row.position.trim().parse::<i64>().map_err(|_| "give a number"));
                stages.push((position.unwrap_or(0), rule));
            }
        }
        stages.sort_by_key(|(position, rule)| (*position, rule.kind));
        let policy = Policy {
            model: model.unwrap_or(Model::Custom),
            requesters: requesters.unwrap_or_default(),
            approver: approver.unwrap_or(Role::DistrictAdmin),
            budget: budget.unwrap_or(BudgetHolder::District),
            budget_threshold_minor: threshold.unwrap_or(0),
            stages: stages.into_iter().map(|(_, r)| r).collect(),
        };
        e.into_result(policy)
    }
}

impl StageRow {
    fn validate(&self, e: &mut FieldErrors) -> Option<StageRule> {
        let field = |name: &str| format!("stages.{}.{name}", self.kind);
        let kind = e.check(&field("kind"), StageKind::parse(&self.kind))?;
        let reviewer = e.check(&field("reviewer"), Role::parse(&self.reviewer));
        let days = e.check(&field("days"), self.days.trim().parse::<u32>().map_err(|_| "give a whole number of days"));
        let mut when = Vec::new();
        if !self.cost_over.trim().is_empty() {
            if let Some(minor) = e.check(&field("cost_over"), Money::parse_amount(&self.cost_over)) {
                when.push(Condition::CostOver { minor });
            }
        }
        for (set, c) in [
            (self.student_data, Condition::StudentData),
            (self.under_13, Condition::Under13),
            (self.new_vendor, Condition::NewVendor),
        ] {
            if set {
                when.push(c);
            }
        }
        if !self.grades.trim().is_empty() {
            if let Some(band) = e.check(&field("grades"), GradeBand::parse(&self.grades)) {
                when.push(Condition::Grades { band });
            }
        }
        let ids: Vec<i64> = self.categories.iter().filter_map(|c| c.trim().parse().ok()).collect();
        if !ids.is_empty() {
            when.push(Condition::Category { ids });
        }
        if self.always {
            when.clear();
        } else if when.is_empty() {
            e.add(&field("always"), "choose when this stage applies, or Always");
        }
        Some(StageRule { kind, reviewer: reviewer?, days: days?, when })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(form: &PolicyForm) -> Vec<(String, String)> {
        let mut out = vec![
            ("model".into(), form.model.clone()),
            ("approver".into(), form.approver.clone()),
            ("budget".into(), form.budget.clone()),
            ("budget_threshold".into(), form.budget_threshold.clone()),
        ];
        out.extend(form.requesters.iter().map(|r| ("requesters".to_owned(), r.clone())));
        for s in &form.stages {
            let k = |n: &str| format!("{}.{n}", s.kind);
            let flag = |b: bool| if b { "1".to_owned() } else { String::new() };
            out.extend([
                (k("on"), flag(s.on)),
                (k("position"), s.position.clone()),
                (k("reviewer"), s.reviewer.clone()),
                (k("days"), s.days.clone()),
                (k("always"), flag(s.always)),
                (k("cost_over"), s.cost_over.clone()),
                (k("student_data"), flag(s.student_data)),
                (k("under_13"), flag(s.under_13)),
                (k("new_vendor"), flag(s.new_vendor)),
                (k("grades"), s.grades.clone()),
            ]);
            out.extend(s.categories.iter().map(|c| (k("categories"), c.clone())));
        }
        out
    }

    #[test]
    fn every_preset_round_trips_through_the_form() {
        for model in [Model::Centralized, Model::Decentralized, Model::Hybrid] {
            let p = Policy::preset(model);
            let form = PolicyForm::from_policy(&p);
            assert_eq!(form.stages.len(), StageKind::ALL.len(), "every kind has a row");
            assert_eq!(PolicyForm::from_pairs(&pairs(&form)).validate(), Ok(p), "{model:?}");
        }
    }

    #[test]
    fn stages_follow_their_positions_and_bad_values_are_named() {
        let mut form = PolicyForm::from_policy(&Policy::preset(Model::Centralized));
        form.stages[0].position = "9".into();
        let p = PolicyForm::from_pairs(&pairs(&form)).validate().unwrap();
        assert_eq!(p.stages.last().unwrap().kind, StageKind::Technical);
        form.stages[1].days = "ten".into();
        form.stages[2].always = false;
        form.stages[3].cost_over = "-5".into();
        form.stages[3].always = false;
        let e = PolicyForm::from_pairs(&pairs(&form)).validate().unwrap_err();
        assert!(e.get("stages.privacy.days").is_some(), "{e}");
        assert!(e.get("stages.curricular.always").unwrap().contains("choose when"), "{e}");
        assert!(e.get("stages.accessibility.cost_over").unwrap().contains("negative"), "{e}");
    }
}
