//! The query parameters every OneRoster REST collection takes: `limit`, `offset`, `sort`, `orderBy`, `filter`,
//! `fields` (STANDARDS §2.2), parsed into values the store can turn into bound SQL.

use super::status::{CodeMinor, RestError};

/// `limit` when none is given.
pub const DEFAULT_LIMIT: i64 = 100;
/// The largest page served; a larger `limit` is served as this many (the spec sets no maximum).
pub const MAX_LIMIT: i64 = 10_000;

/// A comparison of the filter grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    /// `~`: contains.
    Contains,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Contains => "~",
        }
    }
}

/// One `field op 'value'` of a filter. `field` keeps the dot notation as written (`course.sourcedId`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Predicate {
    pub field: String,
    pub op: Op,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logic {
    And,
    Or,
}

/// A filter: one predicate, or two joined by one logical operator (the spec allows no more).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub first: Predicate,
    pub then: Option<(Logic, Predicate)>,
}

impl Filter {
    pub fn predicates(&self) -> impl Iterator<Item = &Predicate> {
        std::iter::once(&self.first).chain(self.then.as_ref().map(|(_, p)| p))
    }
}

/// The query parameters as sent (already percent-decoded), each `None` when absent.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RawQuery {
    pub limit: Option<String>,
    pub offset: Option<String>,
    pub sort: Option<String>,
    #[serde(rename = "orderBy")]
    pub order_by: Option<String>,
    pub filter: Option<String>,
    pub fields: Option<String>,
}

/// A collection request's parameters, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub limit: i64,
    pub offset: i64,
    /// The field to sort by, as named; whether it is known is decided against the entity.
    pub sort: Option<String>,
    pub descending: bool,
    pub filter: Option<Filter>,
    /// The fields to return, in order; `None` for all.
    pub fields: Option<Vec<String>>,
}

impl ListQuery {
    pub fn parse(raw: &RawQuery) -> Result<Self, RestError> {
        let number = |name: &str, v: &Option<String>, default: i64, min: i64| -> Result<i64, RestError> {
            match v.as_deref().map(str::trim) {
                None | Some("") => Ok(default),
                Some(s) => s.parse::<i64>().ok().filter(|n| *n >= min).ok_or_else(|| {
                    RestError::bad_request(
                        CodeMinor::InvalidData,
                        format!("{name} must be a whole number of at least {min}, not '{s}'"),
                    )
                }),
            }
        };
        let descending = match raw.order_by.as_deref().map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                return Err(RestError::bad_request(
                    CodeMinor::InvalidData,
                    format!("orderBy must be asc or desc, not '{other}'"),
                ))
            }
        };
        Ok(Self {
            limit: number("limit", &raw.limit, DEFAULT_LIMIT, 1)?.min(MAX_LIMIT),
            offset: number("offset", &raw.offset, 0, 0)?,
            sort: raw.sort.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned),
            descending,
            filter: raw.filter.as_deref().map(parse_filter).transpose()?,
            fields: raw.fields.as_deref().map(parse_fields).transpose()?,
        })
    }
}

/// `fields=a,b`: a blank name anywhere (`fields=`, `a,,b`) is refused with `invalid_selection_field`.
pub fn parse_fields(s: &str) -> Result<Vec<String>, RestError> {
    let names: Vec<String> = s.split(',').map(|f| f.trim().to_owned()).collect();
    if names.iter().any(String::is_empty) {
        return Err(RestError::bad_request(CodeMinor::InvalidSelectionField, "fields names a blank field"));
    }
    Ok(names)
}

fn malformed(s: &str, why: &str) -> RestError {
    RestError::bad_request(CodeMinor::InvalidFilterField, format!("filter '{s}' is malformed: {why}"))
}

/// Parses `field op 'value'` with at most one ` AND ` / ` OR ` (case-sensitive keywords, as the spec writes them).
pub fn parse_filter(s: &str) -> Result<Filter, RestError> {
    let (first, rest) = predicate(s, s)?;
    let rest = rest.trim_start_matches(' ');
    if rest.is_empty() {
        return Ok(Filter { first, then: None });
    }
    let (logic, tail) = if let Some(t) = rest.strip_prefix("AND ") {
        (Logic::And, t)
    } else if let Some(t) = rest.strip_prefix("OR ") {
        (Logic::Or, t)
    } else {
        return Err(malformed(s, "expected AND or OR after a value"));
    };
    let (second, rest) = predicate(tail, s)?;
    if !rest.trim().is_empty() {
        return Err(malformed(s, "at most one AND or OR is allowed"));
    }
    Ok(Filter { first, then: Some((logic, second)) })
}

/// One predicate at the start of `s`, and what follows it.
fn predicate<'a>(s: &'a str, whole: &str) -> Result<(Predicate, &'a str), RestError> {
    let s = s.trim_start_matches(' ');
    let end = s.find(['=', '!', '<', '>', '~']).ok_or_else(|| malformed(whole, "no comparison operator"))?;
    let field = s[..end].trim();
    if field.is_empty() {
        return Err(malformed(whole, "a comparison has no field"));
    }
    if !field.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_') {
        return Err(malformed(whole, "a field name may hold only letters, digits, '_' and '.'"));
    }
    let rest = &s[end..];
    let (op, rest) = [
        ("!=", Op::Ne),
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("=", Op::Eq),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("~", Op::Contains),
    ]
    .into_iter()
    .find_map(|(t, op)| rest.strip_prefix(t).map(|r| (op, r)))
    .ok_or_else(|| malformed(whole, "unknown comparison operator"))?;
    let rest = rest.trim_start_matches(' ');
    let rest = rest.strip_prefix('\'').ok_or_else(|| malformed(whole, "values must be in single quotes"))?;
    let close = rest.find('\'').ok_or_else(|| malformed(whole, "a value's closing quote is missing"))?;
    let value = rest[..close].to_owned();
    let after = &rest[close + 1..];
    if !(after.is_empty() || after.starts_with(' ')) {
        return Err(malformed(whole, "a space must follow a value"));
    }
    Ok((Predicate { field: field.to_owned(), op, value }, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(field: &str, op: Op, value: &str) -> Predicate {
        Predicate { field: field.into(), op, value: value.into() }
    }

    #[test]
    fn every_operator_parses() {
        for op in [Op::Eq, Op::Ne, Op::Gt, Op::Ge, Op::Lt, Op::Le, Op::Contains] {
            let f = parse_filter(&format!("givenName{}'Ann'", op.as_str())).unwrap();
            assert_eq!(f, Filter { first: p("givenName", op, "Ann"), then: None });
        }
    }

    #[test]
    fn the_spec_example_parses() {
        let f = parse_filter("status='active' AND dateLastModified>'2016-12-12T00:00:00Z'").unwrap();
        assert_eq!(f.first, p("status", Op::Eq, "active"));
        assert_eq!(f.then, Some((Logic::And, p("dateLastModified", Op::Gt, "2016-12-12T00:00:00Z"))));
        let f = parse_filter("course.sourcedId = 'c 1' OR title~'AND x'").unwrap();
        assert_eq!(f.first, p("course.sourcedId", Op::Eq, "c 1"));
        assert_eq!(f.then, Some((Logic::Or, p("title", Op::Contains, "AND x"))));
    }

    #[test]
    fn malformed_filters_are_refused() {
        for bad in [
            "",
            "givenName",
            "givenName='Ann",
            "givenName=Ann",
            "='x'",
            "a='1' AND b='2' AND c='3'",
            "a='1' XOR b='2'",
            "a='1'b='2'",
            "a=='1'",
            "a;drop='1'",
        ] {
            let e = parse_filter(bad).unwrap_err();
            assert_eq!(e.minor, CodeMinor::InvalidFilterField, "{bad}");
        }
    }

    #[test]
    fn paging_defaults_caps_and_refusals() {
        let q = ListQuery::parse(&RawQuery::default()).unwrap();
        assert_eq!((q.limit, q.offset, q.descending), (DEFAULT_LIMIT, 0, false));
        let raw = RawQuery { limit: Some("50000".into()), order_by: Some("DESC".into()), ..Default::default() };
        let q = ListQuery::parse(&raw).unwrap();
        assert_eq!((q.limit, q.descending), (MAX_LIMIT, true));
        for (limit, offset) in [("0", "0"), ("x", "0"), ("1", "-1")] {
            let raw = RawQuery { limit: Some(limit.into()), offset: Some(offset.into()), ..Default::default() };
            assert_eq!(ListQuery::parse(&raw).unwrap_err().minor, CodeMinor::InvalidData);
        }
    }

    #[test]
    fn blank_selection_fields_are_refused() {
        assert_eq!(parse_fields("sourcedId, givenName").unwrap(), vec!["sourcedId", "givenName"]);
        for bad in ["", "a,,b", "a,"] {
            assert_eq!(parse_fields(bad).unwrap_err().minor, CodeMinor::InvalidSelectionField);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_quoted_value_round_trips(field in "[a-zA-Z][a-zA-Z0-9.]{0,20}", value in "[^']{0,30}", op in 0usize..7) {
            let op = [Op::Eq, Op::Ne, Op::Gt, Op::Ge, Op::Lt, Op::Le, Op::Contains][op];
            let f = parse_filter(&format!("{field}{}'{value}'", op.as_str())).unwrap();
            proptest::prop_assert_eq!(f.first, p(&field, op, &value));
        }

        #[test]
        fn parsing_never_panics(s in ".{0,60}") {
            let _ = parse_filter(&s);
        }
    }
}
