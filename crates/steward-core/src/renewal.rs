//! The renewal calendar: when each contract ends, when notice must be given, and how soon.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// The windows the calendar offers, in days ahead.
pub const WINDOWS: [i64; 4] = [30, 60, 90, 180];

/// Where a contract stands against its end date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RenewalOutlook {
    pub days_left: i64,
    /// The last day to give notice of non-renewal (end date minus notice period).
    pub notice_by: NaiveDate,
    /// The smallest calendar window the end date falls in, if any.
    pub window: Option<i64>,
    /// Notice can no longer be given in time.
    pub notice_passed: bool,
}

impl RenewalOutlook {
    pub fn of(today: NaiveDate, end: NaiveDate, notice_days: i64) -> Self {
        let days_left = (end - today).num_days();
        let notice_by = end - Duration::days(notice_days);
        Self {
            days_left,
            notice_by,
            window: WINDOWS.into_iter().find(|w| (0..=*w).contains(&days_left)),
            notice_passed: notice_by < today,
        }
    }
}

/// Parses a requested window, accepting only the offered ones.
pub fn parse_window(s: &str) -> Result<i64, String> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|w| WINDOWS.contains(w))
        .ok_or_else(|| format!("'{}' is not a window; expected 30, 60, 90 or 180 days", s.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn windows_and_notice() {
        let today = d("2026-11-23");
        let o = RenewalOutlook::of(today, d("2027-01-15"), 60);
        assert_eq!(o.days_left, 53);
        assert_eq!(o.window, Some(60));
        assert_eq!(o.notice_by, d("2026-11-16"));
        assert!(o.notice_passed);
        assert_eq!(RenewalOutlook::of(today, d("2027-12-31"), 0).window, None);
        assert_eq!(RenewalOutlook::of(today, d("2026-11-01"), 0).window, None);
        assert!(parse_window("45").is_err());
        assert_eq!(parse_window("90"), Ok(90));
    }
}
