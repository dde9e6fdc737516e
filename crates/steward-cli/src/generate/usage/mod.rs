//! Usage events for a generated roster: NDJSON in the schema of `POST /api/v1/events`, deterministic for a seed.
//!
//! Each school uses some of the demo catalog's approved products that fit its grades: one or two heavily, a few
//! moderately, the rest lightly, and one or two products no catalog holds (what the discovery queue finds).
//! Each student has an engagement of their own; on a day, a student uses a product with its tier's chance times
//! their engagement times the day's activity (school days, weekends, breaks, summer: `calendar.rs`). A use is one
//! `launch` event with the session's length. A few events name people no roster holds. Days are written in
//! order, each from its own random stream, so the same options give the same bytes.

mod calendar;
mod roster;

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use chrono::{Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::seed::demo_catalog::{catalog, CatalogProduct};

/// Hosts of products no catalog holds: what schools use without asking.
const SHADOW: &[&str] = &[
    "quizblitz.example",
    "flashcardfox.example",
    "freemathgames.example",
    "typing-tutor.example",
    "mindmapper.example",
    "studyhall-ai.example",
    "worksheet-hub.example",
    "videonotes.example",
];
/// Each tier's chance that a student uses the product on a school day (before their engagement).
const TIERS: [f64; 3] = [0.30, 0.10, 0.02];
const SHADOW_CHANCE: f64 = 0.01;
/// Teachers use their school's products at this share of the students' chance.
const TEACHER_SHARE: f64 = 0.6;
/// Share of events that name someone the roster does not hold.
const STRANGERS: f64 = 0.001;
/// The district's clock: events are written in this offset.
const OFFSET: &str = "-07:00";

pub struct UsageOptions {
    pub roster: PathBuf,
    pub days: u32,
    /// The day after the last day written.
    pub until: NaiveDate,
    pub seed: u64,
    pub out: PathBuf,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct UsageSummary {
    pub events: u64,
    pub schools: usize,
    pub people: usize,
    pub products: usize,
}

/// A product a school uses: how events name it, its grades and its chance.
struct Use {
    domain: String,
    grades: (i64, i64),
    chance: f64,
}

fn school_uses(school: &roster::SchoolPeople, products: &[CatalogProduct], rng: &mut ChaCha8Rng) -> Vec<Use> {
    let Some((lo, hi)) = school.grade_span() else { return Vec::new() };
    let mut fit: Vec<&CatalogProduct> = products
        .iter()
        .filter(|p| p.approved && p.grades.low.number() <= i64::from(hi) && p.grades.high.number() >= i64::from(lo))
        .collect();
    fit.shuffle(rng);
    let n = rng.gen_range(6..=12).min(fit.len());
    let heavy = rng.gen_range(1..=2);
    let mut uses: Vec<Use> = fit[..n]
        .iter()
        .enumerate()
        .map(|(i, p)| Use {
            domain: p.launch_domain.clone(),
            grades: (p.grades.low.number(), p.grades.high.number()),
            chance: TIERS[if i < heavy {
                0
            } else if i < heavy + 3 {
                1
            } else {
                2
            }],
        })
        .collect();
    for _ in 0..rng.gen_range(1..=2) {
        let domain = SHADOW[rng.gen_range(0..SHADOW.len())].to_owned();
        uses.push(Use { domain, grades: (0, 12), chance: SHADOW_CHANCE });
    }
    uses
}

/// Writes the events and says how many.
pub fn usage(options: &UsageOptions, progress: &mut dyn FnMut(u32, u32)) -> anyhow::Result<UsageSummary> {
    let schools = roster::read(&options.roster)?;
    let products = catalog();
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let uses: Vec<Vec<Use>> = schools.iter().map(|s| school_uses(s, &products, &mut rng)).collect();
    // Engagement per student, drawn once: some students use everything, some very little.
    let engagement: Vec<Vec<f64>> =
        schools.iter().map(|s| s.students.iter().map(|_| rng.gen_range(0.2..1.6)).collect()).collect();
    let file = std::fs::File::create(&options.out).with_context(|| format!("creating {}", options.out.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut summary = UsageSummary {
        schools: schools.len(),
        people: schools.iter().map(|s| s.students.len() + s.teachers.len()).sum(),
        products: uses.iter().flatten().map(|u| u.domain.as_str()).collect::<std::collections::HashSet<_>>().len(),
        events: 0,
    };
    let first = options.until - Duration::days(i64::from(options.days));
    let mut line = String::with_capacity(256);
    for d in 0..options.days {
        let day = first + Duration::days(i64::from(d));
        let activity = calendar::activity(day);
        let date = day.format("%Y-%m-%d").to_string();
        for (n, school) in schools.iter().enumerate() {
            let mut rng = ChaCha8Rng::seed_from_u64(options.seed ^ (u64::from(d) << 32) ^ (n as u64 + 1));
            let people = school
                .students
                .iter()
                .zip(&engagement[n])
                .map(|(p, e)| (p, *e))
                .chain(school.teachers.iter().map(|p| (p, TEACHER_SHARE)));
            for (person, weight) in people {
                for u in &uses[n] {
                    if let Some(g) = person.grade {
                        if i64::from(g) < u.grades.0 || i64::from(g) > u.grades.1 {
                            continue;
                        }
                    }
                    if rng.gen::<f64>() >= u.chance * weight * activity {
                        continue;
                    }
                    event(&mut line, &mut rng, &date, person, &school.sourced_id, &u.domain);
                    out.write_all(line.as_bytes())?;
                    summary.events += 1;
                }
            }
        }
        progress(d + 1, options.days);
    }
    out.flush().with_context(|| format!("writing {}", options.out.display()))?;
    Ok(summary)
}

/// One launch, written into `line`: a time in the school day, the person named as a district's systems name
/// them, and the session's length.
fn event(line: &mut String, rng: &mut ChaCha8Rng, date: &str, person: &roster::Person, school: &str, domain: &str) {
    let minute = rng.gen_range(0..420u32) + 8 * 60;
    let second = rng.gen_range(0..60u32);
    // Sessions of 2 to about 45 minutes, most of them short.
    let seconds = 120 + (rng.gen::<f64>().powi(2) * 2_580.0) as u32;
    line.clear();
    let _ = write!(line, "{{\"time\":\"{date}T{:02}:{:02}:{second:02}{OFFSET}\",", minute / 60, minute % 60);
    let who = rng.gen::<f64>();
    if who < STRANGERS {
        let _ = write!(line, "\"userEmail\":\"visitor{}@guest.example\",", rng.gen_range(0..200));
    } else if person.grade.is_none() && !person.username.is_empty() {
        let _ = write!(line, "\"username\":{},", quoted(&person.username));
    } else if who < 0.2 && !person.email.is_empty() {
        let _ = write!(line, "\"userEmail\":{},", quoted(&person.email));
    } else {
        let _ = write!(line, "\"userSourcedId\":{},", quoted(&person.sourced_id));
    }
    if rng.gen_bool(0.5) {
        let _ = write!(line, "\"schoolSourcedId\":{},", quoted(school));
    }
    let _ = writeln!(line, "\"productDomain\":\"{domain}\",\"kind\":\"launch\",\"durationSeconds\":{seconds}}}");
}

/// A roster value as a JSON string (ids and names from a file may hold quotes).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}
