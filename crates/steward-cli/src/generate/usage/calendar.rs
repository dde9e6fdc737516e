//! How likely use is on a day: school days, weekends, the usual breaks and summer.

use chrono::{Datelike, NaiveDate, Weekday};

/// The share of an ordinary school day's use that happens on `day`.
pub fn activity(day: NaiveDate) -> f64 {
    let (m, d) = (day.month(), day.day());
    let summer = (m == 6 && d >= 12) || m == 7 || (m == 8 && d < 17);
    let winter_break = (m == 12 && d >= 21) || (m == 1 && d <= 2);
    // Monday to Friday of the week of the fourth Thursday of November.
    let first = NaiveDate::from_ymd_opt(day.year(), 11, 1).expect("November 1st exists");
    let thursday = 1 + (Weekday::Thu.num_days_from_monday() + 7 - first.weekday().num_days_from_monday()) % 7 + 21;
    let thanksgiving = m == 11 && (thursday - 3..=thursday + 1).contains(&d);
    let spring_break = m == 3 && (22..=28).contains(&d);
    let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    if summer || winter_break || thanksgiving || spring_break {
        0.01
    } else if weekend {
        0.04
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_days_weekends_and_breaks() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(activity(d(2026, 10, 5)), 1.0, "a Monday in October");
        assert_eq!(activity(d(2026, 10, 10)), 0.04, "a Saturday");
        assert_eq!(activity(d(2026, 11, 24)), 0.01, "Thanksgiving week 2026 (the 26th is the fourth Thursday)");
        assert_eq!(activity(d(2026, 11, 27)), 0.01, "and its Friday");
        assert_eq!(activity(d(2026, 11, 19)), 1.0);
        assert_eq!(activity(d(2025, 11, 24)), 0.01, "2025's fourth Thursday is the 27th");
        assert_eq!(activity(d(2026, 12, 28)), 0.01);
        assert_eq!(activity(d(2026, 7, 14)), 0.01);
        assert_eq!(activity(d(2027, 3, 23)), 0.01);
    }
}
