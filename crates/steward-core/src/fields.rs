//! Field-level validation errors, collected so a form or API body reports every problem at once.

use serde::Serialize;

/// A submitted form's name-value pairs in order, where a name may repeat (checkboxes, multiple selects).
#[derive(Debug, Clone, Copy)]
pub struct Pairs<'a>(pub &'a [(String, String)]);

impl Pairs<'_> {
    /// The first value of `name`, trimmed, or empty.
    pub fn one(&self, name: &str) -> String {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim().to_owned()).unwrap_or_default()
    }

    /// Every value of `name`, in order.
    pub fn many(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect()
    }

    /// Whether `name` was sent with a value (a checked box).
    pub fn on(&self, name: &str) -> bool {
        self.0.iter().any(|(n, v)| n == name && !v.is_empty())
    }
}

/// One problem with one named field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Every problem found in one submitted record, in the order the fields were checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.to_owned(), message: message.into() });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// `Ok(value)` when nothing was reported, otherwise the collected errors.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Runs a parser on one field, recording its error under `field`.
    pub fn check<T, E: std::fmt::Display>(&mut self, field: &str, parsed: Result<T, E>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

/// Trims a required text field and bounds its length.
pub fn required_text(value: &str, max: usize) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("is required".into());
    }
    bounded(v, max)
}

/// Trims an optional text field: empty becomes `None`.
pub fn optional_text(value: &str, max: usize) -> Result<Option<String>, String> {
    let v = value.trim();
    if v.is_empty() {
        Ok(None)
    } else {
        bounded(v, max).map(Some)
    }
}

fn bounded(v: &str, max: usize) -> Result<String, String> {
    if v.chars().count() > max {
        Err(format!("must be at most {max} characters"))
    } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        Err("must not contain control characters".into())
    } else {
        Ok(v.to_owned())
    }
}

/// An http(s) URL with a host.
pub fn optional_url(value: &str) -> Result<Option<String>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let parsed = url::Url::parse(v).map_err(|_| format!("'{v}' is not a valid URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(format!("'{v}' must be an http or https URL with a host"));
    }
    if v.len() > 2000 {
        return Err("must be at most 2000 characters".into());
    }
    Ok(Some(parsed.to_string()))
}

/// A calendar date in ISO form (YYYY-MM-DD).
pub fn optional_date(value: &str) -> Result<Option<chrono::NaiveDate>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("'{v}' is not a date in the form YYYY-MM-DD"))
}

/// An e-mail address: one @, a local part and a dotted domain, no spaces.
pub fn email(value: &str) -> Result<String, String> {
    let v = value.trim().to_lowercase();
    let ok = v.len() <= 254
        && v.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !v.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(v)
    } else {
        Err(format!("'{}' is not a valid e-mail address", value.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_web_urls() {
        assert_eq!(optional_url(" ").unwrap(), None);
        assert_eq!(optional_url("https://example.com").unwrap().as_deref(), Some("https://example.com/"));
        assert!(optional_url("ftp://example.com").is_err());
        assert!(optional_url("not a url").is_err());
        assert!(optional_url("javascript:alert(1)").is_err());
    }

    #[test]
    fn dates_are_iso() {
        assert!(optional_date("2026-02-30").is_err());
        assert!(optional_date("02/03/2026").is_err());
        assert_eq!(optional_date("2026-02-28").unwrap().unwrap().to_string(), "2026-02-28");
    }

    #[test]
    fn emails() {
        assert_eq!(email(" Ana@Example.org ").unwrap(), "ana@example.org");
        for bad in ["", "a@b", "a b@c.org", "@c.org", "a@@c.org", "a@.org"] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_bounds() {
        assert_eq!(required_text("  ", 10).unwrap_err(), "is required");
        assert!(required_text("abcdefghijk", 10).is_err());
        assert!(required_text("a\u{0}b", 10).is_err());
    }
}
