//! Rollups: exact distinct users (roaring bitmaps of dense person ids), events, launches and seconds per product,
//! school and period, and the sightings of unknown products and unmatched users, added up from resolved events.

use super::event::EventKind;
use super::resolve::Resolved;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use roaring::RoaringBitmap;
use std::collections::{BTreeSet, HashMap};

/// The school of a rollup over every school, and over events whose school is unknown.
pub const EVERY_SCHOOL: i64 = 0;
/// The product of a rollup over every product of the inventory: the people active on anything, kept whole so that
/// the district's totals are one bitmap per period rather than the union of every product's.
pub const ANY_PRODUCT: i64 = 0;

/// A day, or a calendar month: rollups are kept at both, so that any range is a few months and a few days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Day(NaiveDate),
    Month { year: i32, month: u32 },
}

impl Period {
    pub fn month_of(day: NaiveDate) -> Self {
        Self::Month { year: day.year(), month: day.month() }
    }

    /// `YYYY-MM-DD` or `YYYY-MM`: how periods are stored; text order is time order within each kind.
    pub fn text(&self) -> String {
        match self {
            Self::Day(d) => d.format("%Y-%m-%d").to_string(),
            Self::Month { year, month } => format!("{year:04}-{month:02}"),
        }
    }

    /// The fewest periods that cover `from..=to` exactly: each whole month inside it, and the days at its ends.
    pub fn cover(from: NaiveDate, to: NaiveDate) -> Vec<Period> {
        let mut out = Vec::new();
        let mut day = from;
        while day <= to {
            let next_month = first_of_next_month(day);
            let month_end = next_month.pred_opt().expect("a month has a last day");
            if day.day() == 1 && month_end <= to {
                out.push(Self::month_of(day));
                day = next_month;
            } else {
                out.push(Self::Day(day));
                day = day.succ_opt().expect("dates go on");
            }
        }
        out
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.len() {
            10 => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(Self::Day),
            7 => {
                let day = NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok()?;
                Some(Self::month_of(day))
            }
            _ => None,
        }
    }
}

fn first_of_next_month(day: NaiveDate) -> NaiveDate {
    let (y, m) = if day.month() == 12 { (day.year() + 1, 1) } else { (day.year(), day.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).expect("the first of a month exists")
}

/// What one rollup holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Every person active, exactly.
    pub users: RoaringBitmap,
    pub events: i64,
    pub launches: i64,
    pub seconds: i64,
}

impl Counts {
    pub fn merge(&mut self, other: &Counts) {
        self.users |= &other.users;
        self.events += other.events;
        self.launches += other.launches;
        self.seconds += other.seconds;
    }

    /// The bitmap in roaring's portable format, as stored.
    pub fn users_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.users.serialized_size());
        self.users.serialize_into(&mut out).expect("writing to a Vec cannot fail");
        out
    }

    pub fn users_from_bytes(bytes: &[u8]) -> std::io::Result<RoaringBitmap> {
        RoaringBitmap::deserialize_from(bytes)
    }
}

/// Which rollup: a product, a school (or [`EVERY_SCHOOL`]) and a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RollupKey {
    pub product: i64,
    pub school: i64,
    pub period: Period,
}

/// An unknown product as events showed it: for the discovery queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Sighting {
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
    pub events: i64,
    pub users: RoaringBitmap,
    pub schools: BTreeSet<i64>,
}

/// A user no roster record matched: counted, never dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct Stranger {
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
    pub events: i64,
    pub products: BTreeSet<i64>,
}

/// The sums of a batch of new events, to be merged into what is stored.
#[derive(Debug, Default)]
pub struct Tally {
    pub rollups: HashMap<RollupKey, Counts>,
    pub discoveries: HashMap<String, Sighting>,
    pub strangers: HashMap<String, Stranger>,
}

impl Tally {
    /// Counts one new event: in its product's rollups for its day and month, for its school and for every school;
    /// or in the discovery queue when its product is unknown. An unmatched user's events count in minutes and
    /// launches but not among distinct users, and the user is kept apart.
    pub fn add(&mut self, e: &Resolved) {
        match &e.person {
            Ok(_) => {}
            Err(key) => {
                let s = self.strangers.entry(key.clone()).or_insert_with(|| Stranger {
                    first: e.at,
                    last: e.at,
                    events: 0,
                    products: BTreeSet::new(),
                });
                s.first = s.first.min(e.at);
                s.last = s.last.max(e.at);
                s.events += 1;
                if let Ok(p) = e.product {
                    s.products.insert(p);
                }
            }
        }
        let product = match &e.product {
            Ok(p) => *p,
            Err(key) => {
                let s = self.discoveries.entry(key.clone()).or_insert_with(|| Sighting {
                    first: e.at,
                    last: e.at,
                    events: 0,
                    users: RoaringBitmap::new(),
                    schools: BTreeSet::new(),
                });
                s.first = s.first.min(e.at);
                s.last = s.last.max(e.at);
                s.events += 1;
                if let Ok(p) = e.person {
                    s.users.insert(p);
                }
                s.schools.extend(e.school);
                return;
            }
        };
        let periods = [Period::Day(e.day), Period::month_of(e.day)];
        let schools = [Some(EVERY_SCHOOL), e.school];
        for (period, product) in periods.into_iter().flat_map(|p| [(p, product), (p, ANY_PRODUCT)]) {
            for school in schools.into_iter().flatten() {
                let c = self.rollups.entry(RollupKey { product, school, period }).or_default();
                if let Ok(p) = e.person {
                    c.users.insert(p);
                }
                c.events += 1;
                c.launches += i64::from(e.kind == EventKind::Launch);
                c.seconds += i64::from(e.seconds);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rollups.is_empty() && self.discoveries.is_empty() && self.strangers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(person: Result<u32, &str>, product: Result<i64, &str>, school: Option<i64>, day: u32) -> Resolved {
        let day = NaiveDate::from_ymd_opt(2026, 10, day).unwrap();
        Resolved {
            fingerprint: [0; 16],
            day,
            at: day.and_hms_opt(12, 0, 0).unwrap().and_utc(),
            product: product.map_err(Into::into),
            person: person.map_err(Into::into),
            school,
            kind: EventKind::Launch,
            seconds: 60,
        }
    }

    #[test]
    fn each_event_counts_at_its_day_and_month_for_its_school_and_every_school() {
        let mut t = Tally::default();
        t.add(&resolved(Ok(1), Ok(5), Some(11), 5));
        t.add(&resolved(Ok(1), Ok(5), Some(11), 6));
        t.add(&resolved(Ok(2), Ok(5), None, 6));
        let month = Period::Month { year: 2026, month: 10 };
        let all = &t.rollups[&RollupKey { product: 5, school: EVERY_SCHOOL, period: month }];
        assert_eq!((all.users.len(), all.events, all.launches, all.seconds), (2, 3, 3, 180));
        let school = &t.rollups[&RollupKey { product: 5, school: 11, period: month }];
        assert_eq!((school.users.len(), school.events), (1, 2));
        let day6 = Period::Day(NaiveDate::from_ymd_opt(2026, 10, 6).unwrap());
        assert_eq!(t.rollups[&RollupKey { product: 5, school: EVERY_SCHOOL, period: day6 }].users.len(), 2);
        assert_eq!(
            t.rollups.len(),
            12,
            "2 days and a month, each for school 11 and every school, for the product and any"
        );
        let any = &t.rollups[&RollupKey { product: ANY_PRODUCT, school: EVERY_SCHOOL, period: month }];
        assert_eq!((any.users.len(), any.events), (2, 3));
    }

    #[test]
    fn unknown_products_and_users_are_kept_apart() {
        let mut t = Tally::default();
        t.add(&resolved(Ok(1), Err("domain:new.example"), Some(11), 5));
        t.add(&resolved(Err("email:x@y.org"), Err("domain:new.example"), Some(12), 7));
        t.add(&resolved(Err("email:x@y.org"), Ok(5), None, 8));
        let s = &t.discoveries["domain:new.example"];
        assert_eq!((s.events, s.users.len(), s.schools.len()), (2, 1, 2));
        assert!(s.first < s.last);
        let u = &t.strangers["email:x@y.org"];
        assert_eq!((u.events, u.products.iter().copied().collect::<Vec<_>>()), (2, vec![5]));
        let month = Period::Month { year: 2026, month: 10 };
        let c = &t.rollups[&RollupKey { product: 5, school: EVERY_SCHOOL, period: month }];
        assert_eq!((c.users.len(), c.events), (0, 1), "counted, but not as a distinct user");
    }

    #[test]
    fn a_range_is_covered_by_whole_months_and_the_days_at_its_ends() {
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let cover = Period::cover(d(9, 29), d(12, 2));
        let texts: Vec<String> = cover.iter().map(Period::text).collect();
        assert_eq!(texts, ["2026-09-29", "2026-09-30", "2026-10", "2026-11", "2026-12-01", "2026-12-02"]);
        assert_eq!(Period::cover(d(2, 1), d(2, 28)), vec![Period::Month { year: 2026, month: 2 }]);
        assert_eq!(Period::cover(d(2, 1), d(2, 27)).len(), 27);
        assert!(Period::cover(d(3, 2), d(3, 1)).is_empty());
    }

    #[test]
    fn periods_round_trip_as_text() {
        let d = Period::Day(NaiveDate::from_ymd_opt(2026, 2, 3).unwrap());
        assert_eq!(d.text(), "2026-02-03");
        assert_eq!(Period::parse("2026-02-03"), Some(d));
        assert_eq!(Period::parse("2026-02"), Some(Period::Month { year: 2026, month: 2 }));
        assert_eq!(Period::parse("2026-13"), None);
    }

    #[test]
    fn counts_merge_and_bitmaps_round_trip() {
        let mut a = Counts { users: [1u32, 2].into_iter().collect(), events: 2, launches: 1, seconds: 10 };
        let b = Counts { users: [2u32, 3].into_iter().collect(), events: 5, launches: 0, seconds: 5 };
        a.merge(&b);
        assert_eq!((a.users.len(), a.events, a.launches, a.seconds), (3, 7, 1, 15));
        assert_eq!(Counts::users_from_bytes(&a.users_bytes()).unwrap(), a.users);
    }
}
