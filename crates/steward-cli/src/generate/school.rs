//! One school's courses and classes: homerooms in elementary schools; in secondary schools cohorts
//! of about 25 who share a seven-period schedule (a Latin-square rotation, so no period clashes).
//! Each class gets its teacher as it is made (5–6 classes a secondary teacher, never two in one
//! period, one homeroom an elementary teacher), so that it is held in its teacher's room.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::district::{Counters, Tables};
use super::plan::{Level, School, GRADES};
use super::{TERMS, YEAR_ID};

/// A secondary department: its subject, SCED-style codes, and course titles for grades 6 to 12.
pub struct Subject {
    pub key: &'static str,
    pub name: &'static str,
    titles: [&'static str; 7],
    codes: [&'static str; 7],
}

pub const SUBJECTS: [Subject; 8] = [
    Subject {
        key: "math",
        name: "Mathematics",
        titles: ["Math 6", "Math 7", "Pre-Algebra", "Algebra I", "Geometry", "Algebra II", "Pre-Calculus"],
        codes: ["02006", "02007", "02008", "02052", "02072", "02056", "02110"],
    },
    Subject {
        key: "ela",
        name: "English Language Arts",
        titles: ["English 6", "English 7", "English 8", "English 9", "English 10", "English 11", "English 12"],
        codes: ["01006", "01007", "01008", "01001", "01002", "01003", "01004"],
    },
    Subject {
        key: "sci",
        name: "Science",
        titles: ["Science 6", "Science 7", "Science 8", "Biology", "Chemistry", "Physics", "Environmental Science"],
        codes: ["03006", "03007", "03008", "03051", "03101", "03151", "03003"],
    },
    Subject {
        key: "ss",
        name: "Social Studies",
        titles: [
            "Ancient Civilizations",
            "World Cultures",
            "American History",
            "World Geography",
            "World History",
            "US History",
            "US Government",
        ],
        codes: ["04006", "04007", "04008", "04001", "04051", "04101", "04151"],
    },
    Subject {
        key: "pe",
        name: "Physical Education",
        titles: ["PE 6", "PE 7", "PE 8", "PE 9", "Health and PE 10", "Lifetime Fitness", "Lifetime Fitness"],
        codes: ["08006", "08007", "08008", "08001", "08002", "08003", "08003"],
    },
    Subject {
        key: "wl",
        name: "World Languages",
        titles: [
            "Spanish Exploratory",
            "Spanish 7",
            "Spanish 8",
            "Spanish I",
            "Spanish II",
            "Spanish III",
            "Spanish IV",
        ],
        codes: ["06100", "06100", "06100", "06101", "06102", "06103", "06104"],
    },
    Subject {
        key: "art",
        name: "Fine Arts",
        titles: ["Art 6", "Art 7", "Art 8", "Art I", "Art II", "Art III", "Studio Art"],
        codes: ["05154", "05154", "05154", "05155", "05156", "05157", "05158"],
    },
    Subject {
        key: "cs",
        name: "Computer Science",
        titles: [
            "Computer Literacy",
            "Intro to Coding",
            "Intro to Coding",
            "Computer Science Principles",
            "Computer Science A",
            "Web Design",
            "Data Science",
        ],
        codes: ["10001", "10002", "10002", "10019", "10152", "10201", "10203"],
    },
];

/// Index of PE in [`SUBJECTS`] and in a cohort's slots: the class an upper-year student may drop.
pub const PE: usize = 4;
/// The choice pairs filling periods 6 and 7, with how often a cohort takes them.
const CHOICES: [((usize, usize), f64); 3] = [((5, 6), 0.4), ((5, 7), 0.3), ((6, 7), 0.3)];
/// Students per class the generator aims at.
const CLASS_SIZE: f64 = 25.0;
/// Share of high school students who take the zero-period ensemble (an eighth class).
pub const ZERO_HOUR_SHARE: f64 = 0.05;

/// One class, kept while its school is generated.
pub struct Section {
    pub id: String,
    /// 1–7, 0 for the zero-period ensemble; homerooms have none (0).
    pub period: u8,
}

/// A teacher of the school and the classes they teach.
pub struct Teacher {
    pub sections: Vec<usize>,
    /// Index into [`SUBJECTS`] (0 for elementary homerooms).
    dept: usize,
    /// Bit n set when period n is taken.
    periods: u16,
    load: usize,
    room: String,
}

/// Students of one grade who share their classes.
pub struct Cohort {
    pub grade: usize,
    pub size: usize,
    /// Indexes into `Schedule::sections`, by slot; slot [`PE`] is PE in secondary schools.
    pub sections: Vec<usize>,
}

pub struct Schedule {
    pub sections: Vec<Section>,
    pub cohorts: Vec<Cohort>,
    /// Zero-period sections (high schools only).
    pub zero_hour: Vec<usize>,
    pub teachers: Vec<Teacher>,
    /// Per department, the teachers who can still take a class.
    open: Vec<Vec<usize>>,
}

/// Writes the school's courses and classes and returns its schedule.
pub fn build(school: &School, rng: &mut ChaCha8Rng, t: &mut Tables, c: &mut Counters) -> anyhow::Result<Schedule> {
    let homerooms = school.level == Level::Elementary;
    let open = vec![Vec::new(); SUBJECTS.len()];
    let mut s =
        Schedule { sections: Vec::new(), cohorts: Vec::new(), zero_hour: Vec::new(), teachers: Vec::new(), open };
    let n = school.number;
    for &(g, students) in &school.grades {
        let grade = GRADES[g];
        let cohorts = ((students as f64 / CLASS_SIZE).round() as usize).max(1);
        let sizes: Vec<usize> =
            (0..cohorts).map(|i| students / cohorts + usize::from(i < students % cohorts)).collect();
        if school.level == Level::Elementary {
            let title = if g == 0 { "Kindergarten Homeroom".to_owned() } else { format!("Grade {g} Homeroom") };
            let course = format!("crs-{n:04}-{grade}-hr");
            t.courses.f(&course).blank(2).f(YEAR_ID).f(&title).fmt(format_args!("HR-{grade}")).f(grade);
            t.courses.f(&school.sourced_id).blank(2).end()?;
            for (i, size) in sizes.into_iter().enumerate() {
                let letter = char::from(b'A' + (i % 26) as u8);
                let code = format!("HR-{grade}-{letter}");
                let (section, room) = new_section(&mut s, c, rng, 0, 0, homerooms);
                write_class(t, &s.sections[section].id, &format!("{title} {letter}"), grade, &course, &code);
                t.classes.f("homeroom").f(&room).f(&school.sourced_id).f(TERMS).blank(3).end()?;
                s.cohorts.push(Cohort { grade: g, size, sections: vec![section] });
            }
            continue;
        }
        let course = |dept: usize| format!("crs-{n:04}-{grade}-{}", SUBJECTS[dept].key);
        for (dept, subject) in SUBJECTS.iter().enumerate() {
            t.courses.f(&course(dept)).blank(2).f(YEAR_ID).f(subject.titles[g - 6]);
            t.courses.fmt(format_args!("{}-{grade}", subject.key.to_uppercase())).f(grade);
            t.courses.f(&school.sourced_id).f(subject.name).f(subject.codes[g - 6]).end()?;
        }
        let mut sections_of = [0usize; SUBJECTS.len()];
        for size in sizes {
            let (a, b) = choose_pair(rng);
            let mut cohort = Cohort { grade: g, size, sections: Vec::with_capacity(7) };
            for (slot, dept) in [0, 1, 2, 3, PE, a, b].into_iter().enumerate() {
                let period = ((slot + s.cohorts.len()) % 7 + 1) as u8;
                sections_of[dept] += 1;
                let (section, room) = new_section(&mut s, c, rng, dept, period, homerooms);
                let subject = &SUBJECTS[dept];
                let title = format!("{} P{period}", subject.titles[g - 6]);
                let code = format!("{}-{grade}-{:02}", subject.key.to_uppercase(), sections_of[dept]);
                write_class(t, &s.sections[section].id, &title, grade, &course(dept), &code);
                t.classes.f("scheduled").f(&room).f(&school.sourced_id).f(TERMS).f(subject.name);
                t.classes.f(subject.codes[g - 6]).fmt(format_args!("{period}")).end()?;
                cohort.sections.push(section);
            }
            s.cohorts.push(cohort);
        }
    }
    zero_hour(school, &mut s, rng, t, c)?;
    Ok(s)
}

/// The zero-period jazz ensemble of a high school, sized for [`ZERO_HOUR_SHARE`] of its students.
fn zero_hour(
    school: &School,
    s: &mut Schedule,
    rng: &mut ChaCha8Rng,
    t: &mut Tables,
    c: &mut Counters,
) -> anyhow::Result<()> {
    let expected = school.students() as f64 * ZERO_HOUR_SHARE;
    if school.level != Level::High || expected < 10.0 {
        return Ok(());
    }
    let course = format!("crs-{:04}-jazz", school.number);
    let grades = "09,10,11,12";
    t.courses.f(&course).blank(2).f(YEAR_ID).f("Jazz Ensemble").f("JAZZ").f(grades).f(&school.sourced_id);
    t.courses.f("Fine Arts").f("05106").end()?;
    for i in 0..((expected / CLASS_SIZE).round() as usize).max(1) {
        let (section, _) = new_section(s, c, rng, 6, 0, false);
        let code = format!("JAZZ-{:02}", i + 1);
        write_class(t, &s.sections[section].id, "Jazz Ensemble P0", grades, &course, &code);
        t.classes
            .f("scheduled")
            .f("Band Room")
            .f(&school.sourced_id)
            .f(TERMS)
            .f("Fine Arts")
            .f("05106")
            .f("0")
            .end()?;
        s.zero_hour.push(section);
    }
    Ok(())
}

fn choose_pair(rng: &mut ChaCha8Rng) -> (usize, usize) {
    let mut x: f64 = rng.gen();
    for ((a, b), p) in CHOICES {
        if x < p {
            return (a, b);
        }
        x -= p;
    }
    CHOICES[0].0
}

/// Makes a class and gives it a teacher of its department who is free in its period (or a new
/// teacher); returns the class and its room.
fn new_section(
    s: &mut Schedule,
    c: &mut Counters,
    rng: &mut ChaCha8Rng,
    dept: usize,
    period: u8,
    homeroom: bool,
) -> (usize, String) {
    c.classes += 1;
    s.sections.push(Section { id: format!("cls-{:07}", c.classes), period });
    let section = s.sections.len() - 1;
    let bit = 1u16 << period;
    let free = s.open[dept].iter().position(|&k| !homeroom && s.teachers[k].periods & bit == 0);
    let k = match free {
        Some(pos) => s.open[dept][pos],
        None => {
            let load = if homeroom { 1 } else { rng.gen_range(5..=6) };
            // One room a teacher, numbered by department: maths 101, 102, …, English 201, …
            let nth = s.teachers.iter().filter(|t| t.dept == dept).count() + 1;
            let room = format!("Room {}{nth:02}", dept + 1);
            s.teachers.push(Teacher { sections: Vec::new(), dept, periods: 0, load, room });
            s.open[dept].push(s.teachers.len() - 1);
            s.teachers.len() - 1
        }
    };
    let teacher = &mut s.teachers[k];
    teacher.sections.push(section);
    teacher.periods |= bit;
    let room = teacher.room.clone();
    if teacher.sections.len() >= teacher.load {
        s.open[dept].retain(|&j| j != k);
    }
    (section, room)
}

/// The class columns up to classType: sourcedId, status, dateLastModified, title, grades, courseSourcedId, classCode.
fn write_class(t: &mut Tables, id: &str, title: &str, grades: &str, course: &str, code: &str) {
    t.classes.f(id).blank(2).f(title).f(grades).f(course).f(code);
}
