//! Reading the roster for people: schools, classes and people, searchable, with their members and classes.
//!
//! Lists show active records only; a record marked `tobedeleted` is still shown when asked for by id, with its
//! state, so that a link from an old page explains itself.

use serde::Serialize;
use sqlx::any::AnyRow;

use crate::row::{int, opt_text, text};
use crate::sql::{bind_all, bind_scalar, Arg, Conditions};
use crate::{Page, Result, Store, StoreError};

/// A school of the roster with how many classes, students and teachers it has.
#[derive(Debug, Clone, Serialize)]
pub struct RosterSchool {
    pub sourced_id: String,
    pub name: String,
    pub identifier: Option<String>,
    pub status: String,
    pub classes: i64,
    pub students: i64,
    pub teachers: i64,
}

/// A class in a list.
#[derive(Debug, Clone, Serialize)]
pub struct RosterClass {
    pub sourced_id: String,
    pub title: String,
    pub class_code: Option<String>,
    pub class_type: Option<String>,
    pub grades: Option<String>,
    pub subjects: Option<String>,
    pub periods: Option<String>,
    pub school_sourced_id: String,
    pub school_name: Option<String>,
    pub course_title: Option<String>,
    pub status: String,
    pub students: i64,
}

/// A person in a list.
#[derive(Debug, Clone, Serialize)]
pub struct RosterPerson {
    pub sourced_id: String,
    pub given_name: String,
    pub family_name: String,
    pub username: String,
    pub email: Option<String>,
    pub identifier: Option<String>,
    pub grades: Option<String>,
    pub role: Option<String>,
    pub school_sourced_id: Option<String>,
    pub school_name: Option<String>,
    pub status: String,
}

impl RosterPerson {
    pub fn name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// A member of a class: who, in what role.
#[derive(Debug, Clone, Serialize)]
pub struct ClassMember {
    pub sourced_id: String,
    pub name: String,
    pub role: String,
    pub primary: bool,
}

/// A role a person holds at an org.
#[derive(Debug, Clone, Serialize)]
pub struct PersonRole {
    pub role: String,
    pub role_type: String,
    pub org_sourced_id: String,
    pub org_name: Option<String>,
}

/// What a list of classes or people is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct RosterFilter {
    /// Words matched against names (and, for people, username, e-mail and identifier).
    pub q: Option<String>,
    /// A school's sourcedId.
    pub school: Option<String>,
    /// A role (people only): student, teacher, …
    pub role: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

const SCHOOL_NAME: &str = "(SELECT o.name FROM roster_orgs o WHERE o.sourced_id = {col})";

fn school_name(col: &str) -> String {
    SCHOOL_NAME.replace("{col}", col)
}

fn class(r: &AnyRow) -> Result<RosterClass> {
    Ok(RosterClass {
        sourced_id: text(r, "sourced_id")?,
        title: opt_text(r, "title")?.unwrap_or_default(),
        class_code: opt_text(r, "class_code")?,
        class_type: opt_text(r, "class_type")?,
        grades: opt_text(r, "grades")?,
        subjects: opt_text(r, "subjects")?,
        periods: opt_text(r, "periods")?,
        school_sourced_id: opt_text(r, "school_sourced_id")?.unwrap_or_default(),
        school_name: opt_text(r, "school_name")?,
        course_title: opt_text(r, "course_title")?,
        status: text(r, "status")?,
        students: int(r, "students")?,
    })
}

fn person(r: &AnyRow) -> Result<RosterPerson> {
    Ok(RosterPerson {
        sourced_id: text(r, "sourced_id")?,
        given_name: opt_text(r, "given_name")?.unwrap_or_default(),
        family_name: opt_text(r, "family_name")?.unwrap_or_default(),
        username: opt_text(r, "username")?.unwrap_or_default(),
        email: opt_text(r, "email")?,
        identifier: opt_text(r, "identifier")?,
        grades: opt_text(r, "grades")?,
        role: opt_text(r, "role")?,
        school_sourced_id: opt_text(r, "school_sourced_id")?,
        school_name: opt_text(r, "school_name")?,
        status: text(r, "status")?,
    })
}

fn class_select() -> String {
    format!(
        "SELECT c.sourced_id, c.title, c.class_code, c.class_type, c.grades, c.subjects, c.periods, \
         c.school_sourced_id, c.status, {} AS school_name, \
         (SELECT co.title FROM roster_courses co WHERE co.sourced_id = c.course_sourced_id) AS course_title, \
         (SELECT COUNT(*) FROM roster_enrollments e WHERE e.class_sourced_id = c.sourced_id \
          AND e.role = 'student' AND e.status = 'active') AS students FROM roster_classes c",
        school_name("c.school_sourced_id")
    )
}

/// A person with their first primary role and its org (a person may hold a primary role at several orgs).
fn person_select() -> String {
    let primary = |col: &str| {
        format!(
            "(SELECT r.{col} FROM roster_roles r WHERE r.user_sourced_id = u.sourced_id AND r.role_type = 'primary' \
             AND r.status = 'active' ORDER BY r.org_sourced_id LIMIT 1)"
        )
    };
    format!(
        "SELECT u.sourced_id, u.given_name, u.family_name, u.username, u.email, u.identifier, u.grades, u.status, \
         {} AS role, {} AS school_sourced_id, {} AS school_name FROM roster_users u",
        primary("role"),
        primary("org_sourced_id"),
        school_name(&primary("org_sourced_id"))
    )
}

/// People holding an active role (of `role`, when given) at the org `school`, when given.
fn holding(c: &mut Conditions, school: &Option<String>, role: &Option<String>) {
    let mut sql = "EXISTS (SELECT 1 FROM roster_roles r WHERE r.user_sourced_id = u.sourced_id AND r.status = 'active'"
        .to_owned();
    let mut args = Vec::new();
    if let Some(school) = school {
        sql.push_str(" AND r.org_sourced_id = ?");
        args.push(Arg::Text(school.clone()));
    }
    if let Some(role) = role {
        sql.push_str(" AND r.role = ?");
        args.push(Arg::Text(role.clone()));
    }
    if !args.is_empty() {
        c.push(&format!("{sql})"), args);
    }
}

/// Each word of `q` must appear in one of `columns`, case-insensitively.
fn words(c: &mut Conditions, q: &Option<String>, columns: &[&str]) {
    let Some(q) = q else { return };
    for word in q.split_whitespace().take(6) {
        let like = format!("%{}%", word.to_lowercase().replace(['%', '_'], ""));
        let any: Vec<String> = columns.iter().map(|col| format!("LOWER({col}) LIKE ?")).collect();
        c.push(&format!("({})", any.join(" OR ")), columns.iter().map(|_| Arg::Text(like.clone())));
    }
}

impl Store {
    /// The roster's schools, by name; `only` narrows to one school.
    pub async fn roster_schools(&self, only: Option<&str>) -> Result<Vec<RosterSchool>> {
        let mut c = Conditions::default();
        c.push("o.type = 'school'", []);
        c.push("o.status = 'active'", []);
        if let Some(id) = only {
            c.push("o.sourced_id = ?", [Arg::Text(id.to_owned())]);
        }
        let count = |role: &str| {
            format!(
                "(SELECT COUNT(*) FROM roster_roles r WHERE r.org_sourced_id = o.sourced_id AND r.role = '{role}' \
                 AND r.status = 'active') AS {role}s"
            )
        };
        let sql = format!(
            "SELECT o.sourced_id, o.name, o.identifier, o.status, \
             (SELECT COUNT(*) FROM roster_classes c WHERE c.school_sourced_id = o.sourced_id AND c.status = 'active') \
             AS classes, {}, {} FROM roster_orgs o{} ORDER BY o.name",
            count("student"),
            count("teacher"),
            c.where_sql()
        );
        let rows = bind_all(sqlx::query(&sql), c.args()).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(RosterSchool {
                    sourced_id: text(r, "sourced_id")?,
                    name: opt_text(r, "name")?.unwrap_or_default(),
                    identifier: opt_text(r, "identifier")?,
                    status: text(r, "status")?,
                    classes: int(r, "classes")?,
                    students: int(r, "students")?,
                    teachers: int(r, "teachers")?,
                })
            })
            .collect()
    }

    /// Classes matching the filter, by title.
    pub async fn roster_classes(&self, f: &RosterFilter) -> Result<Page<RosterClass>> {
        let mut c = Conditions::default();
        c.push("c.status = 'active'", []);
        if let Some(school) = &f.school {
            c.push("c.school_sourced_id = ?", [Arg::Text(school.clone())]);
        }
        words(&mut c, &f.q, &["c.title", "c.class_code"]);
        let (page, per_page) = (f.page.max(1), f.per_page.clamp(1, 200));
        let total: i64 = bind_scalar(
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM roster_classes c{}", c.where_sql())),
            c.args(),
        )
        .fetch_one(&self.pool)
        .await?;
        let sql = format!(
            "{}{} ORDER BY c.title, c.sourced_id LIMIT {per_page} OFFSET {}",
            class_select(),
            c.where_sql(),
            (page - 1) * per_page
        );
        let rows = bind_all(sqlx::query(&sql), c.args()).fetch_all(&self.pool).await?;
        Ok(Page { items: rows.iter().map(class).collect::<Result<_>>()?, total, page, per_page })
    }

    /// One class (in any state) and its members, teachers first.
    pub async fn roster_class(&self, id: &str) -> Result<(RosterClass, Vec<ClassMember>)> {
        let row = sqlx::query(&format!("{} WHERE c.sourced_id = $1", class_select()))
            .bind(id.to_owned())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let members = sqlx::query(
            "SELECT e.user_sourced_id, e.role, e.\"primary\", u.given_name, u.family_name FROM roster_enrollments e \
             LEFT JOIN roster_users u ON u.sourced_id = e.user_sourced_id \
             WHERE e.class_sourced_id = $1 AND e.status = 'active' \
             ORDER BY CASE e.role WHEN 'teacher' THEN 0 ELSE 1 END, u.family_name, u.given_name",
        )
        .bind(id.to_owned())
        .fetch_all(&self.pool)
        .await?;
        let members = members
            .iter()
            .map(|r| {
                let name = format!(
                    "{} {}",
                    opt_text(r, "given_name")?.unwrap_or_default(),
                    opt_text(r, "family_name")?.unwrap_or_default()
                );
                Ok(ClassMember {
                    sourced_id: text(r, "user_sourced_id")?,
                    name: name.trim().to_owned(),
                    role: opt_text(r, "role")?.unwrap_or_default(),
                    primary: opt_text(r, "primary")?.as_deref() == Some("true"),
                })
            })
            .collect::<Result<_>>()?;
        Ok((class(&row)?, members))
    }

    /// People matching the filter, by family then given name.
    pub async fn roster_people(&self, f: &RosterFilter) -> Result<Page<RosterPerson>> {
        let mut c = Conditions::default();
        c.push("u.status = 'active'", []);
        holding(&mut c, &f.school, &f.role);
        words(&mut c, &f.q, &["u.given_name", "u.family_name", "u.username", "u.email", "u.identifier"]);
        let (page, per_page) = (f.page.max(1), f.per_page.clamp(1, 200));
        let count_sql = format!("SELECT COUNT(*) FROM roster_users u{}", c.where_sql());
        let total: i64 = bind_scalar(sqlx::query_scalar(&count_sql), c.args()).fetch_one(&self.pool).await?;
        let sql = format!(
            "{}{} ORDER BY u.family_name, u.given_name, u.sourced_id LIMIT {per_page} OFFSET {}",
            person_select(),
            c.where_sql(),
            (page - 1) * per_page
        );
        let rows = bind_all(sqlx::query(&sql), c.args()).fetch_all(&self.pool).await?;
        Ok(Page { items: rows.iter().map(person).collect::<Result<_>>()?, total, page, per_page })
    }

    /// The active person a Steward account's e-mail names, if any (the address compared without case).
    pub async fn roster_person_by_email(&self, email: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT sourced_id FROM roster_users WHERE LOWER(email) = LOWER($1) AND status = 'active' \
             ORDER BY sourced_id LIMIT 1",
        )
        .bind(email.to_owned())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// One person (in any state), their roles and their active classes.
    pub async fn roster_person(&self, id: &str) -> Result<(RosterPerson, Vec<PersonRole>, Vec<RosterClass>)> {
        let row = sqlx::query(&format!("{} WHERE u.sourced_id = $1", person_select()))
            .bind(id.to_owned())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let roles = sqlx::query(&format!(
            "SELECT r.role, r.role_type, r.org_sourced_id, {} AS org_name FROM roster_roles r \
             WHERE r.user_sourced_id = $1 AND r.status = 'active' ORDER BY r.role_type, r.org_sourced_id",
            school_name("r.org_sourced_id")
        ))
        .bind(id.to_owned())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(PersonRole {
                role: opt_text(r, "role")?.unwrap_or_default(),
                role_type: opt_text(r, "role_type")?.unwrap_or_default(),
                org_sourced_id: opt_text(r, "org_sourced_id")?.unwrap_or_default(),
                org_name: opt_text(r, "org_name")?,
            })
        })
        .collect::<Result<_>>()?;
        let classes = sqlx::query(&format!(
            "{} WHERE c.status = 'active' AND c.sourced_id IN (SELECT e.class_sourced_id FROM roster_enrollments e \
             WHERE e.user_sourced_id = $1 AND e.status = 'active') ORDER BY c.periods, c.title",
            class_select()
        ))
        .bind(id.to_owned())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(class)
        .collect::<Result<_>>()?;
        Ok((person(&row)?, roles, classes))
    }
}
