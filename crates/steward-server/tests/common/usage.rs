//! Usage events for the seeded district, stored as the channels would store them.

use super::roster::{STUDENT_A, STUDENT_B};
use super::{today, TestApp};
use chrono::Duration;
use steward_core::usage::{EventKind, ProductRef, UsageEvent, UserRef};

fn event(user: UserRef, product: ProductRef, days_ago: i64, hour: u32) -> UsageEvent {
    let day = today() - Duration::days(days_ago);
    UsageEvent {
        id: None,
        time: chrono::DateTime::parse_from_rfc3339(&format!("{day}T{hour:02}:00:00-07:00")).unwrap(),
        user,
        product,
        school: None,
        kind: EventKind::Launch,
        seconds: 1800,
    }
}

/// A few days of use by the seeded roster's students: the approved product (by its host), a product no
/// inventory holds, and someone the roster does not know.
pub async fn ingest(app: &TestApp) {
    let d = app.store.usage_directory().await.unwrap();
    let a = || UserRef::SourcedId(STUDENT_A.into());
    let numbers = || ProductRef::Domain("app.numbersmith.example".into());
    let quiz = || ProductRef::Domain("quizblitz.example".into());
    let events = [
        event(a(), numbers(), 1, 9),
        event(a(), numbers(), 2, 9),
        event(UserRef::SourcedId(STUDENT_B.into()), numbers(), 2, 10),
        event(a(), quiz(), 3, 11),
        event(UserRef::Email("visitor@guest.example".into()), numbers(), 3, 12),
    ];
    let resolved: Vec<_> = events.iter().map(|e| d.resolve(e)).collect();
    app.store.ingest_usage("api", &resolved).await.unwrap();
}
