//! The fixed tables behind the demo district: its schools, how each category of product behaves, and its staff.
//!
//! Every person here is invented; e-mail addresses use `.example` domains. The vendors are in `demo_vendors`.

/// A school: name, sourcedId suffix, level code, grade band, and enrollment.
pub type SchoolRow = (&'static str, &'static str, &'static str, &'static str, i64);

/// A product: name, category (a name from the taxonomy), grade band, subject codes (space-separated), description.
pub type ProductRow = (&'static str, &'static str, &'static str, &'static str, &'static str);

/// A vendor: name, the domain label under `.example`, and the products it sells.
pub type VendorRow = (&'static str, &'static str, &'static [ProductRow]);

/// The shape of a product's use, which decides its platforms, sign-on, standards and licensing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Core platforms every class uses (LMS, office suites, portfolios).
    Platform,
    /// Instructional content and practice.
    Content,
    Assessment,
    /// Teacher and student tools with little or no curriculum.
    Tool,
    Communication,
    Safety,
    /// Systems of record and the data built on them.
    Records,
    SpecialEducation,
    /// Used by staff only.
    Staff,
}

/// For each category a product may be filed under: its kind and the student data such products collect.
pub const CATEGORY_PROFILES: &[(&str, Kind, &str)] = &[
    ("Learning management systems", Kind::Platform, "name email student_id grade_level assessment_results"),
    ("Classroom workflow", Kind::Tool, "name email grade_level"),
    ("Digital portfolios", Kind::Platform, "name email grade_level photos_audio_video"),
    ("Formative assessment", Kind::Assessment, "name email grade_level assessment_results"),
    (
        "Benchmark/interim assessment",
        Kind::Assessment,
        "name student_id grade_level date_of_birth demographics assessment_results",
    ),
    ("Test prep & state assessment", Kind::Assessment, "name student_id grade_level assessment_results"),
    ("Student response & polling", Kind::Tool, "name"),
    ("Math practice", Kind::Content, "name student_id grade_level assessment_results"),
    ("Math curriculum", Kind::Content, "name email grade_level assessment_results"),
    ("Graphing & calculators", Kind::Tool, ""),
    ("Reading practice", Kind::Content, "name student_id grade_level assessment_results"),
    ("Writing", Kind::Content, "name email grade_level"),
    ("Digital library", Kind::Content, "name student_id grade_level"),
    ("Phonics & early literacy", Kind::Content, "name student_id grade_level assessment_results"),
    ("Science curriculum", Kind::Content, "name email grade_level"),
    ("Virtual labs & simulations", Kind::Content, "name grade_level"),
    ("Social studies curriculum", Kind::Content, "name email grade_level"),
    ("Maps & primary sources", Kind::Tool, ""),
    ("Current events", Kind::Content, "name grade_level"),
    ("Language learning", Kind::Content, "name email grade_level photos_audio_video"),
    ("English learner support", Kind::Content, "name student_id grade_level demographics assessment_results"),
    ("Music", Kind::Content, "name email grade_level photos_audio_video"),
    ("Visual arts & design", Kind::Tool, "name email photos_audio_video"),
    ("Coding", Kind::Content, "name email grade_level"),
    ("Robotics & engineering", Kind::Content, "name grade_level"),
    ("Office & productivity suites", Kind::Platform, "name email student_id grade_level"),
    ("Video & multimedia creation", Kind::Tool, "name email photos_audio_video"),
    ("Digital whiteboards", Kind::Tool, "name email"),
    ("Family messaging", Kind::Communication, "name email student_id grade_level"),
    ("Class communication", Kind::Communication, "name grade_level photos_audio_video behavior"),
    ("Surveys & feedback", Kind::Communication, "name email grade_level demographics"),
    ("Web filtering", Kind::Safety, "name email location"),
    ("Classroom device management", Kind::Safety, "name email photos_audio_video"),
    ("Student safety monitoring", Kind::Safety, "name email student_id behavior location"),
    ("Device & app management (MDM)", Kind::Safety, "name email location"),
    (
        "Student information systems",
        Kind::Records,
        "name email student_id grade_level date_of_birth demographics assessment_results behavior",
    ),
    ("Rostering & identity", Kind::Records, "name email student_id grade_level"),
    (
        "Data dashboards & analytics",
        Kind::Records,
        "name student_id grade_level demographics assessment_results behavior",
    ),
    (
        "IEP management",
        Kind::SpecialEducation,
        "name student_id date_of_birth demographics assessment_results behavior",
    ),
    ("Intervention & MTSS", Kind::SpecialEducation, "name student_id grade_level assessment_results behavior"),
    ("Assistive technology", Kind::SpecialEducation, "name email"),
    ("Professional development", Kind::Staff, ""),
    ("Coaching & observation", Kind::Staff, ""),
    ("Social-emotional learning", Kind::Content, "name student_id grade_level behavior"),
    ("Health & PE", Kind::Content, "name grade_level assessment_results"),
    ("Career exploration", Kind::Content, "name email grade_level date_of_birth"),
    (
        "College & financial aid planning",
        Kind::Content,
        "name email student_id grade_level date_of_birth assessment_results",
    ),
];

pub const STATE: &str = "Oregon";
pub const DISTRICT: &str = "Cedar Valley School District";
pub const DISTRICT_NCES: &str = "4199031";
pub const DISTRICT_SOURCED_ID: &str = "cvsd";
/// Where the school-level demo accounts are placed.
pub const HOME_SCHOOL: &str = "Alder Creek Elementary School";

/// Eleven elementary, five middle and four high schools.
pub const SCHOOLS: &[SchoolRow] = &[
    ("Alder Creek Elementary School", "alder-creek-es", "elementary", "K-5", 452),
    ("Bluebell Elementary School", "bluebell-es", "elementary", "K-5", 388),
    ("Cedar Hollow Elementary School", "cedar-hollow-es", "elementary", "K-5", 517),
    ("Douglas Fir Elementary School", "douglas-fir-es", "elementary", "K-5", 341),
    ("Elk Meadow Elementary School", "elk-meadow-es", "elementary", "K-5", 476),
    ("Foxglove Elementary School", "foxglove-es", "elementary", "K-5", 298),
    ("Hemlock Ridge Elementary School", "hemlock-ridge-es", "elementary", "K-5", 533),
    ("Juniper Elementary School", "juniper-es", "elementary", "K-5", 405),
    ("Maple Grove Elementary School", "maple-grove-es", "elementary", "K-5", 462),
    ("Ponderosa Elementary School", "ponderosa-es", "elementary", "K-5", 379),
    ("Willow Bend Elementary School", "willow-bend-es", "elementary", "K-5", 421),
    ("Cascade View Middle School", "cascade-view-ms", "middle", "6-8", 744),
    ("Larch Mountain Middle School", "larch-mountain-ms", "middle", "6-8", 688),
    ("Osprey Ridge Middle School", "osprey-ridge-ms", "middle", "6-8", 812),
    ("Riverbend Middle School", "riverbend-ms", "middle", "6-8", 635),
    ("Timberline Middle School", "timberline-ms", "middle", "6-8", 702),
    ("Cedar Valley High School", "cedar-valley-hs", "high", "9-12", 1544),
    ("North Fork High School", "north-fork-hs", "high", "9-12", 1287),
    ("Sandy River High School", "sandy-river-hs", "high", "9-12", 1362),
    ("Spruce Hill High School", "spruce-hill-hs", "high", "9-12", 1108),
];

/// The district staff named as each top-level category's product manager.
pub const MANAGERS: &[(&str, &str, &str)] = &[
    ("Learning management (LMS)", "Priya Raman", "priya.raman"),
    ("Assessment", "Marcus Bell", "marcus.bell"),
    ("Math", "Elena Vasquez", "elena.vasquez"),
    ("English language arts & reading", "Jordan Whitaker", "jordan.whitaker"),
    ("Science", "Hannah Okafor", "hannah.okafor"),
    ("Social studies", "Samuel Brightwater", "samuel.brightwater"),
    ("World languages", "Lucia Moreno", "lucia.moreno"),
    ("Arts & music", "Theo Lindqvist", "theo.lindqvist"),
    ("Computer science", "Grace Nakamura", "grace.nakamura"),
    ("Productivity & creation", "Owen Fairbanks", "owen.fairbanks"),
    ("Communication & family engagement", "Renee Castillo", "renee.castillo"),
    ("Safety & device management", "Derek Holm", "derek.holm"),
    ("Student information & data (SIS)", "Anita Sorensen", "anita.sorensen"),
    ("Special education & intervention", "Mei-Ling Chu", "meiling.chu"),
    ("Professional learning", "Carla Dominguez", "carla.dominguez"),
    ("Health & wellness", "Ben Achterberg", "ben.achterberg"),
    ("Career & college readiness", "Tasha Greene", "tasha.greene"),
];

/// Staff who hold the other owner roles, two for each: (name, e-mail local part).
pub const EVALUATORS: &[(&str, &str)] = &[("Nathan Cole", "nathan.cole"), ("Ivy Park", "ivy.park")];
pub const PURCHASERS: &[(&str, &str)] = &[("Gloria Reyes", "gloria.reyes"), ("Ahmed Siddiqui", "ahmed.siddiqui")];
pub const TRAINERS: &[(&str, &str)] = &[("Kelsey Brandt", "kelsey.brandt"), ("Luis Ortega", "luis.ortega")];
pub const PRIVACY_STEWARDS: &[(&str, &str)] =
    &[("Rebecca Thornton", "rebecca.thornton"), ("Malik Jefferson", "malik.jefferson")];
pub const TECHNICAL_CONTACTS: &[(&str, &str)] = &[("Sam Ivers", "sam.ivers"), ("Dana Kowalski", "dana.kowalski")];

/// The demo sign-in accounts, in `Role::ALL` order: (role code, e-mail local part, name).
pub const ACCOUNTS: &[(&str, &str, &str)] = &[
    ("district_admin", "admin", "Morgan Ellis"),
    ("technology_reviewer", "tech", "Nathan Cole"),
    ("privacy_reviewer", "privacy", "Rebecca Thornton"),
    ("curriculum_reviewer", "curriculum", "Ivy Park"),
    ("finance", "finance", "Gloria Reyes"),
    ("school_admin", "principal", "Rosa Delgado"),
    ("teacher", "teacher", "Chris Yamamoto"),
    ("student", "student", "Avery Lindgren"),
];

/// The domain of every district address.
pub const STAFF_DOMAIN: &str = "cedarvalley.example";
