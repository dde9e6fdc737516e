//! The shape of a generated district: its name and NCES-like ids, and schools by level with students per grade.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::names;

/// Grades as OneRoster writes them, KG first.
pub const GRADES: [&str; 13] = ["KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"];

/// Relative size of each grade (enrollment dips a little in the last years of high school).
const GRADE_WEIGHTS: [f64; 13] = [0.98, 1.0, 1.01, 1.01, 1.0, 1.0, 1.0, 0.99, 0.99, 1.06, 1.0, 0.96, 0.92];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Elementary,
    Middle,
    High,
}

impl Level {
    /// Grade indexes (into [`GRADES`]) and the typical school size of the level.
    fn grades_and_size(self) -> (std::ops::Range<usize>, f64) {
        match self {
            Level::Elementary => (0..6, 450.0),
            Level::Middle => (6..9, 800.0),
            Level::High => (9..13, 1400.0),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Elementary => "Elementary School",
            Level::Middle => "Middle School",
            Level::High => "High School",
        }
    }
}

/// One school of the plan.
#[derive(Debug, Clone)]
pub struct School {
    /// 1-based, in plan order; also the school's RNG stream.
    pub number: usize,
    pub sourced_id: String,
    pub name: String,
    /// 12 digits: the district's 7 and 5 of its own.
    pub nces_id: String,
    pub level: Level,
    /// (grade index, students), for the grades the school has.
    pub grades: Vec<(usize, usize)>,
}

impl School {
    pub fn students(&self) -> usize {
        self.grades.iter().map(|(_, n)| n).sum()
    }
}

/// The district as a whole.
#[derive(Debug, Clone)]
pub struct District {
    pub sourced_id: String,
    pub name: String,
    /// 7 digits: state FIPS code and 5 of the district's own.
    pub nces_id: String,
    pub state: &'static str,
    /// Email domain of every account.
    pub domain: String,
    pub schools: Vec<School>,
}

/// Splits `total` in proportion to `weights`, exactly (cumulative rounding).
fn split(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    let mut out = Vec::with_capacity(weights.len());
    let (mut cumulative, mut given) = (0.0, 0usize);
    for w in weights {
        cumulative += w;
        let upto = ((cumulative / sum) * total as f64).round() as usize;
        out.push(upto.saturating_sub(given));
        given = upto.max(given);
    }
    out
}

/// Plans a district of `students` from the plan's own RNG.
pub fn plan(students: usize, rng: &mut ChaCha8Rng) -> District {
    let place = *names::DISTRICT_NAMES.choose(rng).expect("names");
    let (state, fips) = *names::STATES.choose(rng).expect("states");
    let nces_id = format!("{fips}{:05}", rng.gen_range(10_000..99_000));
    let domain = format!("{}.k12.example.org", names::login_part(place));
    let per_grade = split(students, &GRADE_WEIGHTS);
    let mut schools = Vec::new();
    let mut used_names = std::collections::HashSet::new();
    for level in [Level::Elementary, Level::Middle, Level::High] {
        let (range, size) = level.grades_and_size();
        let level_total: usize = per_grade[range.clone()].iter().sum();
        if level_total == 0 {
            continue;
        }
        let count = ((level_total as f64 / size).round() as usize).max(1);
        // Schools of one level differ in size by up to a third.
        let weights: Vec<f64> = (0..count).map(|_| rng.gen_range(0.8..1.2)).collect();
        let by_grade: Vec<Vec<usize>> = range.clone().map(|g| split(per_grade[g], &weights)).collect();
        for i in 0..count {
            let number = schools.len() + 1;
            let name = school_name(level, &mut used_names, rng);
            schools.push(School {
                number,
                sourced_id: format!("org-sch-{number:04}"),
                name,
                nces_id: format!("{nces_id}{number:05}"),
                level,
                grades: range.clone().zip(by_grade.iter().map(|v| v[i])).filter(|(_, n)| *n > 0).collect(),
            });
        }
    }
    District {
        sourced_id: "org-district".into(),
        name: format!("{place} Unified School District"),
        nces_id,
        state,
        domain,
        schools,
    }
}

/// A district whose schools are given (the demo's): each as (sourcedId, name, NCES id, level, students), its
/// students spread over its level's grades as a planned district's are.
pub fn with_schools(
    base: District,
    schools: impl IntoIterator<Item = (String, String, String, Level, usize)>,
) -> District {
    let schools = schools
        .into_iter()
        .enumerate()
        .map(|(i, (sourced_id, name, nces_id, level, students))| {
            let (range, _) = level.grades_and_size();
            let per_grade = split(students, &GRADE_WEIGHTS[range.clone()]);
            let grades = range.zip(per_grade).filter(|(_, n)| *n > 0).collect();
            School { number: i + 1, sourced_id, name, nces_id, level, grades }
        })
        .collect();
    District { schools, ..base }
}

fn school_name(level: Level, used: &mut std::collections::HashSet<String>, rng: &mut ChaCha8Rng) -> String {
    for _ in 0..20 {
        let first = names::SCHOOL_NAMES.choose(rng).expect("names");
        let place = names::SCHOOL_PLACES.choose(rng).expect("places");
        let name = if place.is_empty() {
            format!("{first} {}", level.label())
        } else {
            format!("{first} {place} {}", level.label())
        };
        if used.insert(name.clone()) {
            return name;
        }
    }
    let name = format!("{} {} No. {}", names::SCHOOL_NAMES.choose(rng).expect("names"), level.label(), used.len() + 1);
    used.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn split_is_exact_and_proportional() {
        assert_eq!(split(10, &[1.0, 1.0]), vec![5, 5]);
        assert_eq!(split(7, &[1.0, 1.0, 1.0]).iter().sum::<usize>(), 7);
        assert_eq!(split(0, &[1.0, 2.0]), vec![0, 0]);
    }

    #[test]
    fn schools_scale_with_students_and_every_level_is_there() {
        let d = plan(100_000, &mut ChaCha8Rng::seed_from_u64(1));
        assert_eq!(d.schools.iter().map(School::students).sum::<usize>(), 100_000);
        let count = |l| d.schools.iter().filter(|s| s.level == l).count();
        assert!((90..120).contains(&count(Level::Elementary)), "{}", count(Level::Elementary));
        assert!((25..40).contains(&count(Level::Middle)));
        assert!((18..26).contains(&count(Level::High)));
        assert!(d.schools.iter().all(|s| s.nces_id.len() == 12 && s.nces_id.starts_with(&d.nces_id)));
        assert_eq!(d.nces_id.len(), 7);
        let small = plan(300, &mut ChaCha8Rng::seed_from_u64(1));
        assert_eq!(small.schools.len(), 3);
    }
}
