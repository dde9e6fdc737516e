//! Drawing one person: sex, race and ethnicity in realistic proportions, names, and a birth date fitting the grade.

use chrono::{Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::names;
use super::table::Table;

/// Race flags in demographics.csv order, then two-or-more and Hispanic or Latino ethnicity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Race {
    pub american_indian: bool,
    pub asian: bool,
    pub black: bool,
    pub pacific_islander: bool,
    pub white: bool,
    pub two_or_more: bool,
    pub hispanic: bool,
}

/// Roughly the US public school population (NCES Digest): about 45% White, 28% Hispanic,
/// 15% Black, 5% Asian, 5% two or more races, 1% American Indian, under 1% Pacific Islander.
pub fn race(rng: &mut ChaCha8Rng) -> Race {
    let mut r = Race { hispanic: rng.gen_bool(0.28), ..Race::default() };
    let x: f64 = rng.gen();
    // Hispanic students often report no race, or White.
    let (white, black, asian, aian, nhpi, none) =
        if r.hispanic { (0.50, 0.03, 0.0, 0.02, 0.0, 0.40) } else { (0.64, 0.21, 0.075, 0.01, 0.005, 0.0) };
    let mut edge = white;
    if x < edge {
        r.white = true;
        return r;
    }
    for (p, flag) in [(black, 1), (asian, 2), (aian, 3), (nhpi, 4), (none, 0)] {
        edge += p;
        if x < edge {
            set(&mut r, flag);
            return r;
        }
    }
    // Two or more: two distinct flags.
    r.two_or_more = true;
    let first = rng.gen_range(1..=5);
    let second = (first + rng.gen_range(1..5) - 1) % 5 + 1;
    set(&mut r, first);
    set(&mut r, second);
    r
}

fn set(r: &mut Race, flag: u8) {
    match flag {
        1 => r.black = true,
        2 => r.asian = true,
        3 => r.american_indian = true,
        4 => r.pacific_islander = true,
        5 => r.white = true,
        _ => {}
    }
}

/// A family name that fits the household's background more often than not.
pub fn family_name(rng: &mut ChaCha8Rng, race: &Race) -> &'static str {
    let list = if race.hispanic && rng.gen_bool(0.8) {
        &names::FAMILY_HISPANIC
    } else if race.asian && !race.two_or_more && rng.gen_bool(0.8) {
        &names::FAMILY_ASIAN
    } else {
        &names::FAMILY
    };
    list.choose(rng).expect("names")
}

/// `male`, `female` or (rarely) `unspecified`.
pub fn sex(rng: &mut ChaCha8Rng) -> &'static str {
    let x: f64 = rng.gen();
    if x < 0.51 {
        "male"
    } else if x < 0.995 {
        "female"
    } else {
        "unspecified"
    }
}

pub fn given_name(rng: &mut ChaCha8Rng, sex: &str) -> &'static str {
    let female = match sex {
        "female" => true,
        "male" => false,
        _ => rng.gen_bool(0.5),
    };
    let list = if female { &names::GIVEN_FEMALE } else { &names::GIVEN_MALE };
    list.choose(rng).expect("names")
}

/// A birth date for a student in `grade` (0 = KG) in the 2026–2027 school year: five by 1 September
/// 2026 in KG, a year more per grade; about one in twenty-five is a year older (held back).
pub fn birth_date(rng: &mut ChaCha8Rng, grade: usize) -> NaiveDate {
    let older = usize::from(rng.gen_bool(0.04));
    let first = NaiveDate::from_ymd_opt(2020 - (grade + older) as i32, 9, 2).expect("a date");
    first + Duration::days(rng.gen_range(0..365))
}

/// One student's demographics row.
pub struct Demographics {
    pub birth_date: NaiveDate,
    pub sex: &'static str,
    pub race: Race,
    /// ISO 3166 alpha-2; US for most.
    pub country: &'static str,
    /// Postal abbreviation when born in the US.
    pub state: &'static str,
}

impl Demographics {
    pub fn draw(rng: &mut ChaCha8Rng, grade: usize, sex: &'static str, race: Race, home: &'static str) -> Self {
        let birth_date = birth_date(rng, grade);
        let (country, state) = if rng.gen_bool(0.92) {
            let state = if rng.gen_bool(0.85) { home } else { names::STATES.choose(rng).expect("states").0 };
            ("US", state)
        } else {
            (*names::OTHER_COUNTRIES.choose(rng).expect("countries"), "")
        };
        Demographics { birth_date, sex, race, country, state }
    }

    /// Writes the row; `status` and `modified` are blank in bulk files.
    pub fn write(&self, t: &mut Table, user: &str, status: &str, modified: &str) -> anyhow::Result<()> {
        let b = |v: bool| if v { "true" } else { "false" };
        let r = &self.race;
        t.f(user).f(status).f(modified).fmt(format_args!("{}", self.birth_date.format("%Y-%m-%d"))).f(self.sex);
        t.f(b(r.american_indian)).f(b(r.asian)).f(b(r.black)).f(b(r.pacific_islander)).f(b(r.white));
        t.f(b(r.two_or_more)).f(b(r.hispanic)).f(self.country).f(self.state).blank(2);
        t.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use rand::SeedableRng;

    /// Age in whole years on `day`.
    pub fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
        let had_birthday = (day.month(), day.day()) >= (birth.month(), birth.day());
        day.year() - birth.year() - i32::from(!had_birthday)
    }

    #[test]
    fn race_proportions_are_realistic() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let draws: Vec<Race> = (0..20_000).map(|_| race(&mut rng)).collect();
        let share = |f: fn(&Race) -> bool| draws.iter().filter(|r| f(r)).count() as f64 / draws.len() as f64;
        assert!((0.26..0.30).contains(&share(|r| r.hispanic)));
        assert!((0.13..0.18).contains(&share(|r| r.black && !r.two_or_more)));
        assert!((0.03..0.07).contains(&share(|r| r.two_or_more)));
        assert!(draws.iter().filter(|r| r.two_or_more).all(|r| {
            [r.american_indian, r.asian, r.black, r.pacific_islander, r.white].iter().filter(|f| **f).count() == 2
        }));
    }

    #[test]
    fn birth_dates_fit_the_grade() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let start = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        for grade in 0..13 {
            for _ in 0..200 {
                let age = age_on(birth_date(&mut rng, grade), start);
                assert!(age == 5 + grade as i32 || age == 6 + grade as i32, "grade {grade}: {age}");
            }
        }
    }
}
