//! Pagination: `?page=&per_page=` in, a `{"data", "page", "per_page", "total"}` envelope and a `Link` header out.

use super::{bad_param, given};
use crate::error::ApiError;
use axum::http::{header, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

pub const DEFAULT_PER_PAGE: i64 = 50;
pub const MAX_PER_PAGE: i64 = 500;

/// Which page of a list was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
}

impl Paging {
    /// Reads `page` (default 1) and `per_page` (default 50, at most 500); anything else is 400.
    pub fn parse(page: &Option<String>, per_page: &Option<String>) -> Result<Self, ApiError> {
        let number = |name: &str, v: &Option<String>, default: i64, max: i64| match given(v) {
            None => Ok(default),
            Some(s) => s
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| bad_param(name, format!("'{s}' is not a whole number from 1 to {max}"))),
        };
        Ok(Self {
            page: number("page", page, 1, i64::from(i32::MAX))?,
            per_page: number("per_page", per_page, DEFAULT_PER_PAGE, MAX_PER_PAGE)?,
        })
    }

    /// This page of a list held in memory, with the list's length as the total.
    pub fn slice<T>(self, all: Vec<T>) -> (Vec<T>, i64) {
        let total = all.len() as i64;
        let skip = usize::try_from((self.page - 1).saturating_mul(self.per_page)).unwrap_or(usize::MAX);
        (all.into_iter().skip(skip).take(self.per_page as usize).collect(), total)
    }
}

/// Query parameters of lists that take no filters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The page to return, from 1 (default 1).
    #[param(value_type = Option<i64>, minimum = 1)]
    pub page: Option<String>,
    /// Items per page (default 50, at most 500).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub per_page: Option<String>,
}

impl PageQuery {
    pub fn paging(&self) -> Result<Paging, ApiError> {
        Paging::parse(&self.page, &self.per_page)
    }
}

/// One page of a list. The `Link` header carries `first`, `prev`, `next` and `last` links.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Listing<T> {
    pub data: Vec<T>,
    /// The page returned, from 1.
    pub page: i64,
    pub per_page: i64,
    /// How many items match, over all pages.
    pub total: i64,
}

/// A page of a list as a response: the envelope, plus the `Link` header.
#[derive(Debug)]
pub struct Listed<T> {
    pub body: Listing<T>,
    link: Option<String>,
}

impl<T> Listed<T> {
    /// `uri` is the request's original URI: its other query parameters are kept in the links.
    pub fn new(uri: &Uri, paging: Paging, total: i64, data: Vec<T>) -> Self {
        let link = link_header(uri, paging, total);
        Self { body: Listing { data, page: paging.page, per_page: paging.per_page, total }, link }
    }
}

impl<T: Serialize> IntoResponse for Listed<T> {
    fn into_response(self) -> Response {
        let mut res = axum::Json(self.body).into_response();
        if let Some(v) = self.link.and_then(|l| HeaderValue::from_str(&l).ok()) {
            res.headers_mut().insert(header::LINK, v);
        }
        res
    }
}

/// The RFC 8288 `Link` header value for a page, or `None` when there are no other pages to link.
pub fn link_header(uri: &Uri, paging: Paging, total: i64) -> Option<String> {
    let last = ((total + paging.per_page - 1) / paging.per_page).max(1);
    let keep: Vec<(String, String)> = url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .filter(|(k, _)| k != "page" && k != "per_page")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let to = |page: i64| {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.extend_pairs(&keep);
        q.append_pair("page", &page.to_string());
        q.append_pair("per_page", &paging.per_page.to_string());
        format!("<{}?{}>", uri.path(), q.finish())
    };
    let mut links = Vec::new();
    if paging.page < last {
        links.push(format!(r#"{}; rel="next""#, to(paging.page + 1)));
    }
    if paging.page > 1 {
        links.push(format!(r#"{}; rel="prev""#, to((paging.page - 1).min(last))));
    }
    if links.is_empty() {
        return None;
    }
    links.push(format!(r#"{}; rel="first""#, to(1)));
    links.push(format!(r#"{}; rel="last""#, to(last)));
    Some(links.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(page: &str, per: &str) -> Result<Paging, ApiError> {
        let o = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        Paging::parse(&o(page), &o(per))
    }

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(p("", "").unwrap(), Paging { page: 1, per_page: 50 });
        assert_eq!(p("3", "500").unwrap(), Paging { page: 3, per_page: 500 });
        assert!(p("0", "").is_err());
        assert!(p("", "501").is_err());
        assert!(p("x", "").is_err());
    }

    #[test]
    fn slices_and_links() {
        let paging = Paging { page: 2, per_page: 2 };
        assert_eq!(paging.slice(vec![1, 2, 3, 4, 5]), (vec![3, 4], 5));
        let uri: Uri = "/api/v1/vendors?q=a%20b&page=2&per_page=2".parse().unwrap();
        let link = link_header(&uri, paging, 5).unwrap();
        assert!(link.contains(r#"</api/v1/vendors?q=a+b&page=3&per_page=2>; rel="next""#), "{link}");
        assert!(link.contains(r#"page=1&per_page=2>; rel="prev""#), "{link}");
        assert!(link.contains(r#"page=3&per_page=2>; rel="last""#), "{link}");
        assert_eq!(link_header(&uri, Paging { page: 1, per_page: 50 }, 5), None);
    }
}
