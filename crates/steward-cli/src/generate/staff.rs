//! A school's staff: its teachers with their classes, co-teachers up to about one teacher per 15
//! students, and its administrators; plus the district administrators.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::district::{Counters, Tables};
use super::people;
use super::plan::{District, Level, School};
use super::rows::{self, Enrollment, User, BULK};
use super::school::Schedule;

/// Students per teacher the district staffs to.
const STUDENTS_PER_TEACHER: f64 = 15.0;
/// One assistant principal per this many students.
const STUDENTS_PER_ASSISTANT: usize = 500;

/// Writes the school's teachers with their enrollments, and its administrators.
pub fn write(
    school: &School,
    district: &District,
    schedule: &Schedule,
    rng: &mut ChaCha8Rng,
    t: &mut Tables,
    c: &mut Counters,
) -> anyhow::Result<()> {
    let teachers = &schedule.teachers;
    let staffed = (school.students() as f64 / STUDENTS_PER_TEACHER).round() as usize;
    for teacher in teachers {
        write_teacher(school, district, schedule, &teacher.sections, true, rng, t, c)?;
    }
    // Co-teachers (special education, interventions) fill the staff up to the ratio.
    let homerooms = school.level == Level::Elementary;
    let co_classes = if homerooms { 3 } else { 2 };
    for _ in teachers.len()..staffed.max(teachers.len()) {
        // Distinct classes; in secondary schools also in distinct periods.
        let mut taken = 0u16;
        let mut picks: Vec<usize> = Vec::with_capacity(co_classes);
        for _ in 0..co_classes {
            let i = rng.gen_range(0..schedule.sections.len());
            let bit = 1u16 << schedule.sections[i].period;
            if !picks.contains(&i) && (homerooms || taken & bit == 0) {
                taken |= bit;
                picks.push(i);
            }
        }
        write_teacher(school, district, schedule, &picks, false, rng, t, c)?;
    }
    let assistants = school.students() / STUDENTS_PER_ASSISTANT;
    for i in 0..=assistants {
        let role = if i == 0 { "principal" } else { "siteAdministrator" };
        c.admins += 1;
        let id = format!("a-{:05}", c.admins);
        write_staff(&id, &school.sourced_id, "", district, rng, t)?;
        rows::write_role(&mut t.roles, &id, role, &school.sourced_id, BULK)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn write_teacher(
    school: &School,
    district: &District,
    schedule: &Schedule,
    sections: &[usize],
    primary: bool,
    rng: &mut ChaCha8Rng,
    t: &mut Tables,
    c: &mut Counters,
) -> anyhow::Result<()> {
    c.teachers += 1;
    let id = format!("t-{:06}", c.teachers);
    let staff_id = format!("E{:06}", c.teachers);
    write_staff(&id, &school.sourced_id, &staff_id, district, rng, t)?;
    rows::write_role(&mut t.roles, &id, "teacher", &school.sourced_id, BULK)?;
    for &i in sections {
        c.enrollments += 1;
        let sourced_id = format!("en-{:08}", c.enrollments);
        let class = &schedule.sections[i].id;
        let e = Enrollment {
            sourced_id: &sourced_id,
            class,
            school: &school.sourced_id,
            user: &id,
            role: "teacher",
            primary: Some(primary),
        };
        e.write(&mut t.enrollments, BULK)?;
    }
    Ok(())
}

/// A staff member's user row; `staff_id` (blank for administrators) is the identifier.
fn write_staff(
    id: &str,
    org: &str,
    staff_id: &str,
    district: &District,
    rng: &mut ChaCha8Rng,
    t: &mut Tables,
) -> anyhow::Result<()> {
    let race = people::race(rng);
    let sex = people::sex(rng);
    let given = people::given_name(rng, sex);
    let family = people::family_name(rng, &race);
    let username = format!("{}.{}.{}", super::names::login_part(given), super::names::login_part(family), short(id));
    let email = format!("{username}@{}", district.domain);
    let user_ids = if staff_id.is_empty() { String::new() } else { format!("{{StaffID:{staff_id}}}") };
    let user = User {
        sourced_id: id,
        username: &username,
        user_ids: &user_ids,
        given_name: given,
        family_name: family,
        identifier: staff_id,
        email: &email,
        primary_org: org,
        ..User::default()
    };
    user.write(&mut t.users, BULK)
}

/// A few district administrators (more in bigger districts), at the district.
pub fn write_district_admins(
    district: &District,
    students: usize,
    rng: &mut ChaCha8Rng,
    t: &mut Tables,
    c: &mut Counters,
) -> anyhow::Result<()> {
    for _ in 0..3 + students / 200_000 {
        c.admins += 1;
        let id = format!("a-{:05}", c.admins);
        write_staff(&id, &district.sourced_id, "", district, rng, t)?;
        rows::write_role(&mut t.roles, &id, "districtAdministrator", &district.sourced_id, BULK)?;
    }
    Ok(())
}

/// `t-000012` → `t12`: the part of a sourcedId that keeps a login unique.
pub fn short(id: &str) -> String {
    let (letter, number) = id.split_once('-').unwrap_or(("", id));
    let number = number.trim_start_matches('0');
    format!("{letter}{number}")
}
