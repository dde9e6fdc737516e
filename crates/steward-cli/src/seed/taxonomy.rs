//! The default two-level edtech category taxonomy, created once on a database that has no categories.

use steward_core::people::CategoryInput;
use steward_store::{Actor, Store};

/// One top-level category: its name, its description, and the names of its children.
pub type TopLevel = (&'static str, &'static str, &'static [&'static str]);

/// The default taxonomy. Every name, parent or child, is unique across the whole list.
pub const TAXONOMY: &[TopLevel] = &[
    (
        "Learning management (LMS)",
        "Platforms where classes live: course pages, assignments, grading and the launch point for other tools.",
        &["Learning management systems", "Classroom workflow", "Digital portfolios"],
    ),
    (
        "Assessment",
        "Tools that measure what students know, from quick checks for understanding to district benchmarks.",
        &[
            "Formative assessment",
            "Benchmark/interim assessment",
            "Test prep & state assessment",
            "Student response & polling",
        ],
    ),
    ("Math", "Math curriculum, practice and tools.", &["Math practice", "Math curriculum", "Graphing & calculators"]),
    (
        "English language arts & reading",
        "Reading, writing and literacy: early literacy, leveled reading, writing instruction and libraries.",
        &["Reading practice", "Writing", "Digital library", "Phonics & early literacy"],
    ),
    ("Science", "Science curriculum, labs and simulations.", &["Science curriculum", "Virtual labs & simulations"]),
    (
        "Social studies",
        "History, civics, geography and current events.",
        &["Social studies curriculum", "Maps & primary sources", "Current events"],
    ),
    (
        "World languages",
        "Learning another language, and support for English learners.",
        &["Language learning", "English learner support"],
    ),
    ("Arts & music", "Music, visual arts and design.", &["Music", "Visual arts & design"]),
    ("Computer science", "Coding, robotics and engineering.", &["Coding", "Robotics & engineering"]),
    (
        "Productivity & creation",
        "General tools for making things: documents, slides, video, audio and whiteboards.",
        &["Office & productivity suites", "Video & multimedia creation", "Digital whiteboards"],
    ),
    (
        "Communication & family engagement",
        "Messaging between schools, teachers, students and families.",
        &["Family messaging", "Class communication", "Surveys & feedback"],
    ),
    (
        "Safety & device management",
        "Keeping students and devices safe: filtering, monitoring and managing devices and apps.",
        &["Web filtering", "Classroom device management", "Student safety monitoring", "Device & app management (MDM)"],
    ),
    (
        "Student information & data (SIS)",
        "The systems of record for students, and the data built on them.",
        &["Student information systems", "Rostering & identity", "Data dashboards & analytics"],
    ),
    (
        "Special education & intervention",
        "Support for students with IEPs, tiered intervention and assistive technology.",
        &["IEP management", "Intervention & MTSS", "Assistive technology"],
    ),
    (
        "Professional learning",
        "Training, coaching and growth for teachers and staff.",
        &["Professional development", "Coaching & observation"],
    ),
    (
        "Health & wellness",
        "Social-emotional learning, health and physical education.",
        &["Social-emotional learning", "Health & PE"],
    ),
    (
        "Career & college readiness",
        "Career exploration, work-based learning and planning for what comes after high school.",
        &["Career exploration", "College & financial aid planning"],
    ),
];

/// Creates the default taxonomy when the database has no categories; returns how many were created.
pub async fn seed_taxonomy(store: &Store) -> anyhow::Result<usize> {
    if !store.categories().await?.is_empty() {
        return Ok(0);
    }
    let actor = Actor::system("setup");
    let mut created = 0;
    for (name, description, children) in TAXONOMY {
        let top = CategoryInput { name: (*name).into(), parent_id: None, description: Some((*description).into()) };
        let parent = store.save_category(&actor, None, &top).await?;
        created += 1;
        for child in *children {
            let input = CategoryInput { name: (*child).into(), parent_id: Some(parent), description: None };
            store.save_category(&actor, None, &input).await?;
            created += 1;
        }
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_across_the_taxonomy() {
        let mut seen = HashSet::new();
        for (name, _, children) in TAXONOMY {
            assert!(seen.insert(*name), "{name}");
            assert!(!children.is_empty(), "{name} has children");
            for c in *children {
                assert!(seen.insert(*c), "{c}");
                assert!(c.chars().count() <= 100);
            }
        }
    }

    #[tokio::test]
    async fn seeds_once() {
        let db = steward_store::testing::TestDb::sqlite();
        let store = db.store().await;
        let n = seed_taxonomy(&store).await.unwrap();
        let expected: usize = TAXONOMY.iter().map(|(_, _, c)| 1 + c.len()).sum();
        assert_eq!(n, expected);
        let cats = store.categories().await.unwrap();
        assert_eq!(cats.len(), expected);
        let math = cats.iter().find(|c| c.category.name == "Math").unwrap();
        let practice = cats.iter().find(|c| c.category.name == "Math practice").unwrap();
        assert_eq!(practice.category.parent_id, Some(math.id));
        assert!(math.category.description.is_some());
        assert_eq!(seed_taxonomy(&store).await.unwrap(), 0);
    }
}
