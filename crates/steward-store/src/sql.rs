//! A small builder for WHERE clauses whose parameters are always bound, numbered `$1…` for both backends.

use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryScalar};
use sqlx::Any;

/// Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535.
pub(crate) const MAX_PARAMS: usize = 30_000;

/// A bound parameter.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Text(String),
    Int(i64),
}

/// Conditions joined by AND, each with its bound parameters in order.
#[derive(Debug, Default)]
pub(crate) struct Conditions {
    parts: Vec<String>,
    args: Vec<Arg>,
}

impl Conditions {
    /// Adds a condition; each `?` in `template` becomes the next numbered parameter.
    pub(crate) fn push(&mut self, template: &str, args: impl IntoIterator<Item = Arg>) {
        let args: Vec<Arg> = args.into_iter().collect();
        let mut n = self.args.len();
        let sql: String = template
            .split('?')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part.to_owned()
                } else {
                    n += 1;
                    format!("${n}{part}")
                }
            })
            .collect();
        assert_eq!(n - self.args.len(), args.len(), "one argument per placeholder in {template}");
        self.args.extend(args);
        self.parts.push(sql);
    }

    /// Adds a condition with a raw SQL fragment that already names parameter `$next`.
    pub(crate) fn push_numbered(&mut self, make: impl FnOnce(usize) -> String, arg: Arg) {
        let n = self.args.len() + 1;
        self.parts.push(make(n));
        self.args.push(arg);
    }

    pub(crate) fn where_sql(&self) -> String {
        if self.parts.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.parts.join(" AND "))
        }
    }

    pub(crate) fn args(&self) -> &[Arg] {
        &self.args
    }
}

pub(crate) fn bind_all<'q>(mut q: Query<'q, Any, AnyArguments<'q>>, args: &[Arg]) -> Query<'q, Any, AnyArguments<'q>> {
    for a in args {
        q = match a {
            Arg::Text(s) => q.bind(s.clone()),
            Arg::Int(i) => q.bind(*i),
        };
    }
    q
}

pub(crate) fn bind_scalar<'q, O>(
    mut q: QueryScalar<'q, Any, O, AnyArguments<'q>>,
    args: &[Arg],
) -> QueryScalar<'q, Any, O, AnyArguments<'q>> {
    for a in args {
        q = match a {
            Arg::Text(s) => q.bind(s.clone()),
            Arg::Int(i) => q.bind(*i),
        };
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut c = Conditions::default();
        c.push("a = ?", [Arg::Int(1)]);
        c.push("(b = ? OR c = ?)", [Arg::Text("x".into()), Arg::Text("y".into())]);
        assert_eq!(c.where_sql(), " WHERE a = $1 AND (b = $2 OR c = $3)");
        assert_eq!(c.args().len(), 3);
    }
}
