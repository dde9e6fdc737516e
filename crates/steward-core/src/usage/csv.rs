//! Vendor usage reports as CSV: which of the vendor's columns hold what (saved per vendor, so the next report of the
//! same shape needs no choosing), and the rows read with it, each bad row named by its line.

use super::event::{host_of, EventKind, ProductRef, UsageEvent, UserRef, MAX_SECONDS};
use super::ndjson::LineError;
use crate::FieldErrors;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// Which columns hold what. Empty optional columns are not read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// The date or date-time of the use.
    pub time: String,
    /// The person, and what the column holds: `sourcedId`, `email` or `username`.
    pub user: String,
    pub user_is: String,
    /// The product's column and what it holds (`domain`, `id`, `lti`); or no column and one product for every row.
    pub product: String,
    pub product_is: String,
    pub product_id: Option<i64>,
    /// Optional: the kind (launch, session, activity, assessment; a session when not given).
    pub kind: String,
    /// Optional: how long, in `seconds` or `minutes`.
    pub duration: String,
    pub duration_unit: String,
    /// Optional: the school's sourcedId.
    pub school: String,
}

impl Mapping {
    /// Every problem with the mapping against a file's header, by field.
    pub fn check(&self, header: &[String]) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        let has = |c: &str| header.iter().any(|h| h == c);
        for (field, column, required) in [
            ("time", &self.time, true),
            ("user", &self.user, true),
            ("product", &self.product, self.product_id.is_none()),
            ("kind", &self.kind, false),
            ("duration", &self.duration, false),
            ("school", &self.school, false),
        ] {
            if column.is_empty() && required {
                errors.add(field, "name the column that holds it");
            } else if !column.is_empty() && !has(column) {
                errors.add(field, format!("the file has no column '{column}' (it has {})", header.join(", ")));
            }
        }
        if !["sourcedId", "email", "username"].contains(&self.user_is.as_str()) {
            errors.add("user_is", "choose sourcedId, e-mail or username");
        }
        if self.product_id.is_none() && !["domain", "id", "lti"].contains(&self.product_is.as_str()) {
            errors.add("product_is", "choose a host, a Steward product id or an LTI client id");
        }
        if !self.duration.is_empty() && !["seconds", "minutes"].contains(&self.duration_unit.as_str()) {
            errors.add("duration_unit", "choose seconds or minutes");
        }
        errors.into_result(())
    }
}

/// A date-time (RFC 3339, or `YYYY-MM-DD HH:MM[:SS]` read as UTC) or a date (`YYYY-MM-DD` or `MM/DD/YYYY`, counted at
/// noon UTC so that it stays that day).
fn when(text: &str) -> Option<DateTime<chrono::FixedOffset>> {
    let t = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d);
    }
    for f in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(t, f) {
            return Some(Utc.from_utc_datetime(&d).fixed_offset());
        }
    }
    for f in ["%Y-%m-%d", "%m/%d/%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, f) {
            return Some(Utc.from_utc_datetime(&d.and_hms_opt(12, 0, 0)?).fixed_offset());
        }
    }
    None
}

/// The file's header, or why it has none.
pub fn header(bytes: &[u8]) -> Result<Vec<String>, String> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let h = r.headers().map_err(|e| format!("the file is not CSV: {e}"))?;
    let h: Vec<String> = h.iter().map(|c| c.trim_start_matches('\u{feff}').trim().to_owned()).collect();
    if h.iter().all(String::is_empty) {
        return Err("the file is empty".into());
    }
    Ok(h)
}

/// A row's line and what it held: an event, or why not.
pub type Row = (u64, Result<UsageEvent, LineError>);

/// Every data row read with the mapping (which must have passed [`Mapping::check`]), with its line number.
pub fn rows(bytes: &[u8], m: &Mapping) -> Result<Vec<Row>, String> {
    let header = header(bytes)?;
    let at = |c: &str| header.iter().position(|h| h == c);
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let mut out = Vec::new();
    for record in r.records() {
        let record = record.map_err(|e| format!("the file is not CSV: {e}"))?;
        let line = record.position().map_or(0, |p| p.line());
        let get = |c: &str| at(c).and_then(|i| record.get(i)).map(str::trim).unwrap_or_default();
        let err = |field: &'static str, reason: String| LineError { line, field: Some(field), reason };
        let read = || -> Result<UsageEvent, LineError> {
            let time = when(get(&m.time))
                .ok_or_else(|| err("time", format!("'{}' is not a date or date-time", get(&m.time))))?;
            let who = get(&m.user);
            if who.is_empty() {
                return Err(err("user", "is empty".into()));
            }
            let user = match m.user_is.as_str() {
                "email" => UserRef::Email(who.to_lowercase()),
                "username" => UserRef::Username(who.to_owned()),
                _ => UserRef::SourcedId(who.to_owned()),
            };
            let product = match m.product_id {
                Some(id) if m.product.is_empty() => ProductRef::Id(id),
                _ => {
                    let p = get(&m.product);
                    match m.product_is.as_str() {
                        "id" => {
                            ProductRef::Id(p.parse().map_err(|_| err("product", format!("'{p}' is not a product id")))?)
                        }
                        "lti" if !p.is_empty() => ProductRef::LtiClient(p.to_owned()),
                        _ => ProductRef::Domain(
                            host_of(p).ok_or_else(|| err("product", format!("'{p}' is not a host")))?,
                        ),
                    }
                }
            };
            let kind = match get(&m.kind) {
                "" => EventKind::Session,
                k => EventKind::parse(&k.to_lowercase())
                    .ok_or_else(|| err("kind", format!("'{k}' is not launch, session, activity or assessment")))?,
            };
            let seconds = match get(&m.duration) {
                "" => 0,
                d => {
                    let n: f64 = d.parse().map_err(|_| err("duration", format!("'{d}' is not a number")))?;
                    let s = if m.duration_unit == "minutes" { n * 60.0 } else { n };
                    if !(0.0..=f64::from(MAX_SECONDS)).contains(&s) {
                        return Err(err("duration", format!("'{d}' is not between 0 and a day")));
                    }
                    s.round() as u32
                }
            };
            let school = Some(get(&m.school).to_owned()).filter(|s| !s.is_empty());
            Ok(UsageEvent { id: None, time, user, product, school, kind, seconds })
        };
        out.push((line, read()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping() -> Mapping {
        Mapping {
            time: "Date".into(),
            user: "Student Email".into(),
            user_is: "email".into(),
            product_id: Some(7),
            duration: "Minutes".into(),
            duration_unit: "minutes".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_vendor_report_is_read_row_by_row() {
        let csv = "Date,Student Email,Minutes\n2026-10-05,Ana@X.org,15\n10/06/2026,ben@x.org,2.5\nyesterday,cy@x.org,1\n2026-10-07,,3\n";
        let m = mapping();
        m.check(&header(csv.as_bytes()).unwrap()).unwrap();
        let rows = rows(csv.as_bytes(), &m).unwrap();
        assert_eq!(rows.len(), 4);
        let first = rows[0].1.as_ref().unwrap();
        assert_eq!(
            (first.user.clone(), first.product.clone(), first.seconds),
            (UserRef::Email("ana@x.org".into()), ProductRef::Id(7), 900)
        );
        assert_eq!(first.day(), NaiveDate::from_ymd_opt(2026, 10, 5).unwrap());
        assert_eq!(rows[1].1.as_ref().unwrap().seconds, 150);
        let bad = rows[2].1.as_ref().unwrap_err();
        assert_eq!((rows[2].0, bad.field), (4, Some("time")));
        assert_eq!(rows[3].1.as_ref().unwrap_err().field, Some("user"));
    }

    #[test]
    fn a_mapping_names_columns_the_file_has() {
        let mut m = mapping();
        m.time = "When".into();
        m.user_is = "phone".into();
        let e = m.check(&["Date".into(), "Student Email".into(), "Minutes".into()]).unwrap_err();
        assert!(e.get("time").unwrap().contains("no column 'When'"));
        assert!(e.get("user_is").is_some());
    }
}
