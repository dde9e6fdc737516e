//! The launchpad rule: which apps a teacher or student sees in each of their classes — approved, licensed at the
//! class's school by a contract in force, inside the product's approved scope, made for the class's grades, and
//! not limited to teachers' accounts when the person is a student.

use crate::access::{roster_view, License, ProductReach};
use crate::grade::{Grade, GradeBand};
use chrono::NaiveDate;

/// An app as the rule reads it.
#[derive(Debug, Clone)]
pub struct App<'a> {
    pub grades: GradeBand,
    pub reach: ProductReach<'a>,
    pub licenses: &'a [License],
    /// Approved on the condition that only teachers' accounts use it.
    pub teachers_only: bool,
}

/// A class as the rule reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Class {
    /// The Steward school it is taught at.
    pub school: i64,
    /// Its grades, when the roster gives them.
    pub grades: Option<GradeBand>,
}

/// Whether `app` is on the launchpad of a class member (`student` or not) on `today`.
pub fn shows(app: &App, class: &Class, student: bool, today: NaiveDate) -> bool {
    if student && app.teachers_only {
        return false;
    }
    let view = roster_view(&app.reach, app.licenses, &[class.school], today);
    if !view.schools.contains(&class.school) {
        return false;
    }
    match class.grades {
        None => true,
        Some(g) => app.grades.overlaps(g) && view.grades.is_none_or(|scope| scope.overlaps(g)),
    }
}

/// A class's grades from the roster's list (`03,04`, `KG`), as the band from the lowest to the highest; `None`
/// when the list is empty or names no grade Steward knows.
pub fn class_grades(list: &str) -> Option<GradeBand> {
    let grades: Vec<Grade> = list.split(',').filter_map(|g| Grade::parse(g).ok()).collect();
    let (low, high) = (grades.iter().min()?, grades.iter().max()?);
    GradeBand::new(*low, *high).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::{ProductStatus, Scope};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_app_shows_where_it_is_approved_licensed_and_made_for_the_grades() {
        let licenses = [License { school: Some(7), start: day("2026-07-01"), end: day("2027-06-30") }];
        let reach = ProductReach {
            status: ProductStatus::Approved,
            scope: Scope::DistrictWide,
            scope_schools: &[],
            scope_grades: None,
            data_elements: &[],
        };
        let app = App {
            grades: GradeBand::parse("3-5").unwrap(),
            reach: reach.clone(),
            licenses: &licenses,
            teachers_only: false,
        };
        let today = day("2026-12-03");
        let fourth = Class { school: 7, grades: class_grades("04") };
        assert!(shows(&app, &fourth, true, today));
        assert!(!shows(&app, &Class { school: 8, ..fourth }, true, today), "not licensed at school 8");
        assert!(!shows(&app, &Class { grades: class_grades("09,10"), ..fourth }, true, today), "made for 3-5");
        assert!(!shows(&app, &fourth, true, day("2027-07-01")), "the contract has ended");
        let pending = App { reach: ProductReach { status: ProductStatus::InReview, ..reach.clone() }, ..app.clone() };
        assert!(!shows(&pending, &fourth, false, today));
        let teachers = App { teachers_only: true, ..app.clone() };
        assert!(shows(&teachers, &fourth, false, today) && !shows(&teachers, &fourth, true, today));
        let fifth_only = App {
            reach: ProductReach { scope: Scope::SomeGrades, scope_grades: GradeBand::parse("5-5").ok(), ..reach },
            ..app
        };
        assert!(!shows(&fifth_only, &fourth, true, today), "approved for grade 5 only");
    }

    #[test]
    fn class_grades_are_read_from_the_roster_list() {
        assert_eq!(class_grades("03,05,04").unwrap().to_string(), GradeBand::parse("3-5").unwrap().to_string());
        assert_eq!(class_grades("KG").unwrap(), GradeBand::parse("K-K").unwrap());
        assert_eq!(class_grades(""), None);
        assert_eq!(class_grades("Other"), None);
    }
}
