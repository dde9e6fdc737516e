//! A school's students (user, role, demographics, enrollments) and their guardians: siblings at one
//! school share a household, so there are about seven guardians for every ten students.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::district::{Counters, Tables};
use super::people::{self, Demographics, Race};
use super::plan::{District, Level, School, GRADES};
use super::rows::{self, Enrollment, User, BULK};
use super::school::{Schedule, PE, ZERO_HOUR_SHARE};
use super::staff::short;

/// Chance a student joins the household of an earlier student of the school (a sibling).
const SIBLING: f64 = 0.3;
const MAX_CHILDREN: usize = 3;
/// Seats in one zero-period ensemble.
const ENSEMBLE_SEATS: usize = 25;
/// Chance an 11th or 12th grader has a release period instead of PE (six classes).
const RELEASE: f64 = 0.08;

struct Household {
    guardian: String,
    family: &'static str,
    race: Race,
    children: Vec<String>,
}

/// Writes every student of the school, then the school's guardians.
pub fn write(
    school: &School,
    district: &District,
    schedule: &Schedule,
    state_id_base: u64,
    rng: &mut ChaCha8Rng,
    t: &mut Tables,
    c: &mut Counters,
) -> anyhow::Result<()> {
    let mut households: Vec<Household> = Vec::new();
    let mut ensemble_seats = schedule.zero_hour.len() * ENSEMBLE_SEATS;
    let high = school.level == Level::High;
    for cohort in &schedule.cohorts {
        let grade = GRADES[cohort.grade];
        for _ in 0..cohort.size {
            c.students += 1;
            let id = format!("s-{:07}", c.students);
            let sibling = if !households.is_empty() && rng.gen_bool(SIBLING) {
                Some(rng.gen_range(0..households.len())).filter(|h| households[*h].children.len() < MAX_CHILDREN)
            } else {
                None
            };
            let h = match sibling {
                Some(h) => h,
                None => {
                    c.guardians += 1;
                    let race = people::race(rng);
                    let family = people::family_name(rng, &race);
                    let guardian = format!("g-{:07}", c.guardians);
                    households.push(Household { guardian, family, race, children: Vec::new() });
                    households.len() - 1
                }
            };
            households[h].children.push(id.clone());
            let (family, race) = (households[h].family, households[h].race);
            let sex = people::sex(rng);
            let given = people::given_name(rng, sex);
            let middle = if rng.gen_bool(0.5) { people::given_name(rng, sex) } else { "" };
            let preferred = if rng.gen_bool(0.03) { people::given_name(rng, sex) } else { "" };
            let username =
                format!("{}.{}.{}", super::names::login_part(given), super::names::login_part(family), short(&id));
            let email = format!("{username}@students.{}", district.domain);
            let state_id = state_id_base + c.students;
            let user_ids = format!("{{StateID:{state_id}}}");
            let identifier = state_id.to_string();
            let user = User {
                sourced_id: &id,
                username: &username,
                user_ids: &user_ids,
                given_name: given,
                family_name: family,
                middle_name: middle,
                identifier: &identifier,
                email: &email,
                agent_sourced_ids: &households[h].guardian,
                grades: grade,
                preferred_given_name: preferred,
                primary_org: &school.sourced_id,
            };
            user.write(&mut t.users, BULK)?;
            rows::write_role(&mut t.roles, &id, "student", &school.sourced_id, BULK)?;
            Demographics::draw(rng, cohort.grade, sex, race, district.state).write(&mut t.demographics, &id, "", "")?;
            let release = high && cohort.grade >= 11 && rng.gen_bool(RELEASE);
            let mut classes: Vec<usize> = cohort
                .sections
                .iter()
                .enumerate()
                .filter(|(slot, _)| !(release && *slot == PE))
                .map(|(_, s)| *s)
                .collect();
            if ensemble_seats > 0 && rng.gen_bool(ZERO_HOUR_SHARE) {
                ensemble_seats -= 1;
                classes.push(schedule.zero_hour[ensemble_seats % schedule.zero_hour.len()]);
            }
            for section in classes {
                c.enrollments += 1;
                let sourced_id = format!("en-{:08}", c.enrollments);
                let e = Enrollment {
                    sourced_id: &sourced_id,
                    class: &schedule.sections[section].id,
                    school: &school.sourced_id,
                    user: &id,
                    role: "student",
                    primary: None,
                };
                e.write(&mut t.enrollments, BULK)?;
            }
        }
    }
    for h in households {
        write_guardian(&h, school, rng, t)?;
    }
    Ok(())
}

fn write_guardian(h: &Household, school: &School, rng: &mut ChaCha8Rng, t: &mut Tables) -> anyhow::Result<()> {
    let sex = if rng.gen_bool(0.6) { "female" } else { "male" };
    let given = people::given_name(rng, sex);
    let email = format!(
        "{}.{}.{}@mail.example.com",
        super::names::login_part(given),
        super::names::login_part(h.family),
        short(&h.guardian)
    );
    let children = h.children.join(",");
    let user = User {
        sourced_id: &h.guardian,
        username: &email,
        given_name: given,
        family_name: h.family,
        email: &email,
        agent_sourced_ids: &children,
        primary_org: &school.sourced_id,
        ..User::default()
    };
    user.write(&mut t.users, BULK)?;
    rows::write_role(&mut t.roles, &h.guardian, "guardian", &school.sourced_id, BULK)
}
