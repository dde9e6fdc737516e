//! A OneRoster `filter` and `sort` as SQL over whitelisted columns: values always bound, compared without case.

use super::visible::{like_escape, list_has, Sql};
use super::{column_sql, RosterScope};
use crate::sql::Arg;
use crate::{Backend, StoreError};
use steward_interop::oneroster::rest::{Entity, Field, Filter, Kind, Logic, Op, Predicate};
use steward_interop::oneroster::Version;

/// The field a client may filter or sort on: one the record type has and the scope does not withhold.
pub(crate) fn usable(entity: Entity, version: Version, name: &str, s: &RosterScope) -> Option<Field> {
    let f = entity.field(version, name)?;
    (!s.hidden(entity).contains(&f.column)).then_some(f)
}

fn invalid(name: &str) -> StoreError {
    StoreError::invalid("filter", format!("'{name}' is not a field this client may filter on"))
}

pub(crate) fn filter_sql(
    entity: Entity,
    version: Version,
    f: &Filter,
    s: &RosterScope,
    backend: Backend,
) -> Result<Sql, StoreError> {
    let first = predicate(entity, version, &f.first, s, backend)?;
    let Some((logic, p)) = &f.then else { return Ok(first) };
    let second = predicate(entity, version, p, s, backend)?;
    let join = match logic {
        Logic::And => "AND",
        Logic::Or => "OR",
    };
    Ok(Sql { text: format!("({} {join} {})", first.text, second.text), args: [first.args, second.args].concat() })
}

fn sql_op(op: Op) -> &'static str {
    match op {
        Op::Eq => "=",
        Op::Ne => "<>",
        Op::Gt => ">",
        Op::Ge => ">=",
        Op::Lt => "<",
        Op::Le => "<=",
        Op::Contains => "LIKE",
    }
}

/// `metadata.x`: the extension column `metadata.x` (or a vendor column `x`), served under `metadata`.
fn metadata(p: &Predicate, s: &RosterScope, entity: Entity, backend: Backend) -> Option<Result<Sql, StoreError>> {
    let key = p.field.strip_prefix("metadata.")?;
    if key.is_empty() || s.hidden(entity).contains(&"extensions") {
        return Some(Err(invalid(&p.field)));
    }
    let (a, a_key) = backend.json_key("t.extensions", &p.field);
    let (b, b_key) = backend.json_key("t.extensions", key);
    let lower = p.value.to_lowercase();
    let (cmp, value) = match p.op {
        Op::Contains => ("LIKE ? ESCAPE '\\'".to_owned(), format!("%{}%", like_escape(&lower))),
        Op::Ne => ("<> ?".to_owned(), lower),
        op => (format!("{} ?", sql_op(op)), lower),
    };
    let text = format!("LOWER(COALESCE({a}, {b})) {cmp}");
    Some(Ok(Sql::new(text, vec![Arg::Text(a_key), Arg::Text(b_key), Arg::Text(value)])))
}

fn predicate(
    entity: Entity,
    version: Version,
    p: &Predicate,
    s: &RosterScope,
    backend: Backend,
) -> Result<Sql, StoreError> {
    if let Some(sql) = metadata(p, s, entity, backend) {
        return sql;
    }
    let field = usable(entity, version, &p.field, s).ok_or_else(|| invalid(&p.field))?;
    let col = format!("t.{}", column_sql(field.column));
    // Identifiers (a record's own sourcedId and its references) and times compare exactly, so that the indexes
    // serve them: `sourcedId>'the last one seen'` pages through a large collection in the default order.
    let exact = field.column == "sourcedId" || matches!(field.kind, Kind::Ref(_));
    if field.column == "dateLastModified" || exact {
        // Times are stored as fixed-width UTC text: a client's RFC 3339 time is put in the same form.
        let time = p.value.parse::<chrono::DateTime<chrono::Utc>>().ok().filter(|_| !exact);
        let value = time.map(crate::timestamp).unwrap_or_else(|| p.value.clone());
        return Ok(match p.op {
            Op::Contains => {
                Sql::new(format!("{col} LIKE ? ESCAPE '\\'"), vec![Arg::Text(format!("%{}%", like_escape(&value)))])
            }
            op => Sql::new(format!("{col} {} ?", sql_op(op)), vec![Arg::Text(value)]),
        });
    }
    let lower = p.value.to_lowercase();
    let is_list = matches!(field.kind, Kind::List | Kind::RefList(_));
    if is_list && matches!(p.op, Op::Eq | Op::Ne | Op::Contains) {
        let items: Vec<&str> = lower.split(',').map(str::trim).filter(|i| !i.is_empty()).collect();
        let lowered = format!("LOWER({col})");
        // On lists `=` means every item is in the list, `~` that any item is contained in the list's text.
        let parts: Vec<Sql> = items
            .iter()
            .map(|i| match p.op {
                Op::Contains => {
                    Sql::new(format!("{lowered} LIKE ? ESCAPE '\\'"), vec![Arg::Text(format!("%{}%", like_escape(i)))])
                }
                _ => list_has(&lowered, i),
            })
            .collect();
        if parts.is_empty() {
            return Ok(Sql::new(if p.op == Op::Ne { "1 = 1" } else { "1 = 0" }, vec![]));
        }
        let glue = if p.op == Op::Contains { " OR " } else { " AND " };
        let text = parts.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(glue);
        let args = parts.into_iter().flat_map(|s| s.args).collect();
        let text = if p.op == Op::Ne { format!("({col} IS NULL OR NOT ({text}))") } else { format!("({text})") };
        return Ok(Sql { text, args });
    }
    Ok(match p.op {
        Op::Contains => {
            Sql::new(format!("LOWER({col}) LIKE ? ESCAPE '\\'"), vec![Arg::Text(format!("%{}%", like_escape(&lower)))])
        }
        Op::Ne => Sql::new(format!("({col} IS NULL OR LOWER({col}) <> ?)"), vec![Arg::Text(lower)]),
        op => Sql::new(format!("LOWER({col}) {} ?", sql_op(op)), vec![Arg::Text(lower)]),
    })
}

/// The field a request sorts by, if any but sourcedId: an unknown or withheld field gives the default order (by
/// sourcedId), as the spec says.
pub(crate) fn sort_field(entity: Entity, version: Version, sort: Option<&str>, s: &RosterScope) -> Option<Field> {
    sort.and_then(|name| usable(entity, version, name, s)).filter(|f| f.column != "sourcedId")
}

/// `ORDER BY` for a sort field ([`sort_field`]). Ties are broken by sourcedId, so pages never overlap.
pub(crate) fn order_sql(entity: Entity, version: Version, sort: Option<&str>, desc: bool, s: &RosterScope) -> String {
    let dir = if desc { "DESC" } else { "ASC" };
    match sort_field(entity, version, sort, s) {
        Some(f) if f.column == "dateLastModified" => {
            format!(" ORDER BY t.date_last_modified {dir}, t.sourced_id {dir}")
        }
        Some(f) => format!(" ORDER BY LOWER(t.{}) {dir}, t.sourced_id {dir}", column_sql(f.column)),
        None => format!(" ORDER BY t.sourced_id {dir}"),
    }
}
