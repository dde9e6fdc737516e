//! The SQL of the minimization rule: which roster rows a product's clients see, as conditions with bound values.

use super::{RosterScope, Within};
use crate::sql::Arg;
use steward_interop::oneroster::rest::Entity;

/// A piece of SQL whose `?`s are its `args`, in order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Sql {
    pub text: String,
    pub args: Vec<Arg>,
}

impl Sql {
    pub(crate) fn new(text: impl Into<String>, args: Vec<Arg>) -> Self {
        Self { text: text.into(), args }
    }

    /// `self` with `other` put where `{}` is in `template`.
    fn wrap(template: &str, inner: Sql) -> Sql {
        Sql { text: template.replacen("{}", &inner.text, 1), args: inner.args }
    }

    pub(crate) fn and(mut self, other: Sql) -> Sql {
        self.text = format!("{} AND {}", self.text, other.text);
        self.args.extend(other.args);
        self
    }
}

/// `expr IN (?, …)`, or false for an empty list.
pub(crate) fn in_list(expr: &str, items: &[String]) -> Sql {
    if items.is_empty() {
        return Sql::new("1 = 0", vec![]);
    }
    let marks = vec!["?"; items.len()].join(", ");
    Sql::new(format!("{expr} IN ({marks})"), items.iter().map(|s| Arg::Text(s.clone())).collect())
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
pub(crate) fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Whether the comma-separated list in `expr` holds `item` (exactly, ignoring spaces).
pub(crate) fn list_has(expr: &str, item: &str) -> Sql {
    Sql::new(
        format!("(',' || REPLACE({expr}, ' ', '') || ',') LIKE ? ESCAPE '\\'"),
        vec![Arg::Text(format!("%,{},%", like_escape(item.trim())))],
    )
}

/// The grade list in `expr` holds one of the scope's grade codes (always true when the scope has no grades).
fn grades_match(expr: &str, s: &RosterScope) -> Option<Sql> {
    let codes = s.grade_codes.as_ref()?;
    let mut out = Sql::new("(", vec![]);
    for (i, code) in codes.iter().enumerate() {
        let one = list_has(expr, code);
        out.text.push_str(if i == 0 { "" } else { " OR " });
        out.text.push_str(&one.text);
        out.args.extend(one.args);
    }
    if codes.is_empty() {
        out.text.push_str("1 = 0");
    }
    out.text.push(')');
    Some(out)
}

/// The class aliased `c` is visible: at a visible school and, with a grade scope, of one of its grades.
pub(crate) fn class_visible(c: &str, s: &RosterScope) -> Sql {
    let at = in_list(&format!("{c}.school_sourced_id"), &s.schools);
    match grades_match(&format!("{c}.grades"), s) {
        Some(g) => at.and(g),
        None => at,
    }
}

/// With a grade scope, a student enrolment `e` counts only if the student is of one of its grades.
fn student_grade(e: &str, s: &RosterScope) -> Option<Sql> {
    let g = grades_match("gu.grades", s)?;
    Some(Sql::wrap(
        &format!(
            "({e}.role = 'teacher' OR EXISTS (SELECT 1 FROM roster_users gu WHERE gu.sourced_id = {e}.user_sourced_id AND {{}}))"
        ),
        g,
    ))
}

/// The user whose sourcedId is `id` is visible: a student or teacher enrolled in a visible class.
///
/// Two forms of one condition, for two shapes of scope. When the scope covers most of the roster, probing each
/// user's enrollments (`EXISTS`) lets a page stop after its last row; when it covers a small part, listing the
/// scope's enrollments first (`IN`) touches only that part instead of every user.
pub(crate) fn user_visible(id: &str, s: &RosterScope, dense: bool) -> Sql {
    let mut cond = Sql::new("ve.role IN ('student', 'teacher')", vec![]).and(class_visible("vc", s));
    if let Some(g) = student_grade("ve", s) {
        cond = cond.and(g);
    }
    let from = "FROM roster_enrollments ve JOIN roster_classes vc ON vc.sourced_id = ve.class_sourced_id";
    if dense {
        Sql::wrap(&format!("EXISTS (SELECT 1 {from} WHERE ve.user_sourced_id = {id} AND {{}})"), cond)
    } else {
        Sql::wrap(&format!("{id} IN (SELECT ve.user_sourced_id {from} WHERE {{}})"), cond)
    }
}

/// The class whose sourcedId is `id` is visible.
fn class_id_visible(id: &str, s: &RosterScope) -> Sql {
    Sql::wrap(
        &format!("EXISTS (SELECT 1 FROM roster_classes vc WHERE vc.sourced_id = {id} AND {{}})"),
        class_visible("vc", s),
    )
}

/// The rows of `entity` (aliased `t`) the scope lets its clients see.
pub(crate) fn visible(entity: Entity, s: &RosterScope, dense: bool) -> Sql {
    if s.schools.is_empty() {
        return Sql::new("1 = 0", vec![]);
    }
    match entity {
        Entity::Org => in_list("t.sourced_id", &s.schools),
        // The calendar names no one: every session, once any school is visible.
        Entity::AcademicSession => Sql::new("1 = 1", vec![]),
        Entity::Course => Sql::wrap(
            "EXISTS (SELECT 1 FROM roster_classes vc WHERE vc.course_sourced_id = t.sourced_id AND {})",
            class_visible("vc", s),
        ),
        Entity::Class => class_visible("t", s),
        Entity::User => user_visible("t.sourced_id", s, dense),
        Entity::Enrollment => {
            let mut cond =
                Sql::new("t.role IN ('student', 'teacher')", vec![]).and(class_id_visible("t.class_sourced_id", s));
            if let Some(g) = student_grade("t", s) {
                cond = cond.and(g);
            }
            cond
        }
        Entity::Demographic if s.view.demographic_columns.is_empty() => Sql::new("1 = 0", vec![]),
        Entity::Demographic => user_visible("t.sourced_id", s, dense),
        Entity::Category => Sql::wrap(
            "EXISTS (SELECT 1 FROM roster_line_items vl JOIN roster_classes vc ON vc.sourced_id = vl.class_sourced_id \
             WHERE vl.category_sourced_id = t.sourced_id AND {})",
            class_visible("vc", s),
        ),
        Entity::LineItem | Entity::ScoreScale => class_id_visible("t.class_sourced_id", s),
        Entity::Result if !s.view.results => Sql::new("1 = 0", vec![]),
        Entity::Result => Sql::wrap(
            "EXISTS (SELECT 1 FROM roster_line_items vl JOIN roster_classes vc ON vc.sourced_id = vl.class_sourced_id \
             WHERE vl.sourced_id = t.line_item_sourced_id AND {})",
            class_visible("vc", s),
        )
        .and(user_visible("t.student_sourced_id", s, dense)),
        Entity::Resource => {
            let by_class = Sql::wrap(
                "(EXISTS (SELECT 1 FROM roster_class_resources cr JOIN roster_classes vc ON vc.sourced_id = cr.class_sourced_id \
                 WHERE cr.resource_sourced_id = t.sourced_id AND {})",
                class_visible("vc", s),
            );
            let by_course = Sql::wrap(
                " OR EXISTS (SELECT 1 FROM roster_course_resources kr JOIN roster_classes vc ON vc.course_sourced_id = kr.course_sourced_id \
                 WHERE kr.resource_sourced_id = t.sourced_id AND {})",
                class_visible("vc", s),
            );
            let by_user = Sql::wrap(
                " OR EXISTS (SELECT 1 FROM roster_user_resources ur WHERE ur.resource_sourced_id = t.sourced_id AND {}))",
                user_visible("ur.user_sourced_id", s, dense),
            );
            Sql {
                text: format!("{}{}{}", by_class.text, by_course.text, by_user.text),
                args: [by_class.args, by_course.args, by_user.args].concat(),
            }
        }
    }
}

/// A nesting restriction (`/classes/{id}/students` and friends) on rows aliased `t`.
pub(crate) fn within(w: &Within) -> Sql {
    if let Within::ResourcesOf(file, column, id) = w {
        if !matches!(
            (*file, *column),
            ("classResources", "classSourcedId")
                | ("courseResources", "courseSourcedId")
                | ("userResources", "userSourcedId")
        ) {
            return Sql::new("1 = 0", vec![]);
        }
        return Sql::new(
            format!(
                "EXISTS (SELECT 1 FROM roster_{} wl WHERE wl.resource_sourced_id = t.sourced_id AND wl.{} = ?)",
                super::column_sql(file),
                super::column_sql(column)
            ),
            vec![Arg::Text(id.clone())],
        );
    }
    let text = |v: &String| vec![Arg::Text(v.clone())];
    match w {
        Within::Id(id) => Sql::new("t.sourced_id = ?", text(id)),
        Within::Column(col, v) => Sql::new(format!("t.{} = ?", super::column_sql(col)), text(v)),
        Within::ListHas(col, v) => list_has(&format!("t.{}", super::column_sql(col)), v),
        Within::Type(ty) => Sql::new("t.type = ?", vec![Arg::Text((*ty).to_owned())]),
        Within::Role(role) => Sql::new(
            "EXISTS (SELECT 1 FROM roster_roles wr WHERE wr.user_sourced_id = t.sourced_id AND wr.role = ?)",
            vec![Arg::Text((*role).to_owned())],
        ),
        Within::RoleAt(role, org) => Sql::new(
            "EXISTS (SELECT 1 FROM roster_roles wr WHERE wr.user_sourced_id = t.sourced_id AND wr.role = ? AND wr.org_sourced_id = ?)",
            vec![Arg::Text((*role).to_owned()), Arg::Text(org.clone())],
        ),
        Within::EnrolledIn(class, role) => Sql::new(
            "EXISTS (SELECT 1 FROM roster_enrollments we WHERE we.user_sourced_id = t.sourced_id AND we.class_sourced_id = ? AND we.role = ?)",
            vec![Arg::Text(class.clone()), Arg::Text((*role).to_owned())],
        ),
        Within::ClassesOf(user) => Sql::new(
            "EXISTS (SELECT 1 FROM roster_enrollments we WHERE we.class_sourced_id = t.sourced_id AND we.user_sourced_id = ?)",
            text(user),
        ),
        Within::CoursesAt(school) => Sql::new(
            "EXISTS (SELECT 1 FROM roster_classes wc WHERE wc.course_sourced_id = t.sourced_id AND wc.school_sourced_id = ?)",
            text(school),
        ),
        // The term's own sourcedId is the pattern here, its LIKE wildcards escaped as `like_escape` does.
        Within::TermsAt(school) => Sql::new(
            "EXISTS (SELECT 1 FROM roster_classes wc WHERE wc.school_sourced_id = ? \
             AND (',' || REPLACE(wc.term_sourced_ids, ' ', '') || ',') LIKE ('%,' || \
             REPLACE(REPLACE(REPLACE(t.sourced_id, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || ',%') ESCAPE '\\')",
            text(school),
        ),
        Within::CategoriesOf(class) => Sql::new(
            "EXISTS (SELECT 1 FROM roster_line_items wl WHERE wl.category_sourced_id = t.sourced_id AND wl.class_sourced_id = ?)",
            text(class),
        ),
        Within::ResultsOfClass(class) => Sql::new(
            "(t.class_sourced_id = ? OR EXISTS (SELECT 1 FROM roster_line_items wl \
             WHERE wl.sourced_id = t.line_item_sourced_id AND wl.class_sourced_id = ?))",
            vec![Arg::Text(class.clone()), Arg::Text(class.clone())],
        ),
        Within::ResourcesOf(..) => unreachable!("answered above"),
    }
}
