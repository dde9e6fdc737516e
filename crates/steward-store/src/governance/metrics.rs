//! Review metrics: median days to a decision, overall and per stage; open requests by stage; overdue stages,
//! and the overdue notices sent once per stage.

use super::notifications::notify;
use crate::{now, Result, Store};
use serde::Serialize;
use steward_core::enums::Vocabulary;
use steward_core::governance::StageKind;

#[derive(Debug, Clone, Serialize, Default)]
pub struct StageMetric {
    pub kind: Option<StageKind>,
    /// Median days from the stage's start to its decision, over finished stages.
    pub median_days: Option<f64>,
    pub finished: i64,
    pub open: i64,
    pub overdue: i64,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct ReviewMetrics {
    /// Median days from request to final decision.
    pub median_days: Option<f64>,
    pub decided: i64,
    pub awaiting_decision: i64,
    pub needs_info: i64,
    pub per_stage: Vec<StageMetric>,
    /// Overdue stages: request id, product, stage, assignee, due.
    pub overdue: Vec<(i64, String, StageKind, Option<String>, String)>,
}

/// A stage's kind, status, start, finish and due times.
type StageTimes = (String, String, Option<String>, Option<String>, Option<String>);
/// A stage past due: request, position, kind, product, assignee, requester, reviewer role, school.
type DueStage = (i64, i64, String, String, Option<i64>, Option<i64>, String, Option<i64>);

fn days_between(from: &str, to: &str) -> Option<f64> {
    let a = chrono::DateTime::parse_from_rfc3339(from).ok()?;
    let b = chrono::DateTime::parse_from_rfc3339(to).ok()?;
    Some((b - a).num_seconds() as f64 / 86_400.0)
}

/// The median, or `None` of nothing.
pub fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

impl Store {
    pub async fn review_metrics(&self) -> Result<ReviewMetrics> {
        let decided: Vec<(String, String)> =
            sqlx::query_as("SELECT created_at, decided_at FROM requests WHERE decided_at IS NOT NULL")
                .fetch_all(&self.pool)
                .await?;
        let statuses: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM requests GROUP BY status").fetch_all(&self.pool).await?;
        let count = |s: &str| statuses.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
        let stages: Vec<StageTimes> = sqlx::query_as(
            "SELECT s.kind, s.status, s.started_at, s.finished_at, s.due_at FROM request_stages s \
             JOIN requests r ON r.id = s.request_id WHERE s.started_at IS NOT NULL",
        )
        .fetch_all(&self.pool)
        .await?;
        let at = now();
        let per_stage = StageKind::ALL
            .iter()
            .map(|(kind, code, _)| {
                let mine: Vec<_> = stages.iter().filter(|s| s.0 == *code).collect();
                let open: Vec<_> = mine.iter().filter(|s| matches!(s.1.as_str(), "active" | "needs_info")).collect();
                let durations: Vec<f64> = mine
                    .iter()
                    .filter_map(|s| Some((s.2.as_deref()?, s.3.as_deref()?)))
                    .filter_map(|(a, b)| days_between(a, b))
                    .collect();
                StageMetric {
                    kind: Some(*kind),
                    finished: durations.len() as i64,
                    median_days: median(durations),
                    open: open.len() as i64,
                    overdue: open.iter().filter(|s| s.4.as_deref().is_some_and(|d| d < at.as_str())).count() as i64,
                }
            })
            .collect();
        let overdue: Vec<(i64, String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT s.request_id, p.name, s.kind, u.name, s.due_at FROM request_stages s \
             JOIN requests r ON r.id = s.request_id JOIN products p ON p.id = r.product_id \
             LEFT JOIN users u ON u.id = s.assignee_id WHERE s.status = 'active' AND s.due_at < $1 ORDER BY s.due_at",
        )
        .bind(&at)
        .fetch_all(&self.pool)
        .await?;
        Ok(ReviewMetrics {
            median_days: median(decided.iter().filter_map(|(a, b)| days_between(a, b)).collect()),
            decided: decided.len() as i64,
            awaiting_decision: count("awaiting_decision"),
            needs_info: count("needs_info"),
            per_stage,
            overdue: overdue
                .into_iter()
                .filter_map(|(id, p, k, u, d)| Some((id, p, StageKind::parse(&k).ok()?, u, d)))
                .collect(),
        })
    }

    /// Tells the assignee (or, with none, every holder of the role) and the requester of each stage newly past its
    /// due time, once per stage. Returns how many stages were newly overdue.
    pub async fn notify_overdue(&self) -> Result<usize> {
        let mut tx = self.begin_write().await?;
        let due: Vec<DueStage> = sqlx::query_as(
            "SELECT s.request_id, s.position, s.kind, p.name, s.assignee_id, r.requester_id, s.reviewer_role, s.school_id \
             FROM request_stages s JOIN requests r ON r.id = s.request_id JOIN products p ON p.id = r.product_id \
             WHERE s.status = 'active' AND s.due_at < $1 AND s.overdue_notified = 0",
        )
        .bind(now())
        .fetch_all(&mut *tx)
        .await?;
        for (request, position, kind, product, assignee, requester, role, school) in &due {
            let label = StageKind::parse(kind).map(|k| k.label()).unwrap_or("Review");
            let link = format!("/requests/{request}");
            let subject = format!("Overdue: {label} review of {product}");
            let body = format!("The {} review of {product} is past its due date.", label.to_lowercase());
            let mut to: Vec<i64> = match assignee {
                Some(a) => vec![*a],
                None => match steward_core::role::Role::parse(role) {
                    Ok(r) => super::notifications::holders(&mut tx, r, *school).await?,
                    Err(_) => vec![],
                },
            };
            to.extend(requester);
            to.dedup();
            for user in to {
                notify(&mut tx, user, &subject, &body, &link).await?;
            }
            sqlx::query("UPDATE request_stages SET overdue_notified = 1 WHERE request_id = $1 AND position = $2")
                .bind(request)
                .bind(position)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(due.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(days_between("2026-01-01T00:00:00.000000Z", "2026-01-03T12:00:00.000000Z"), Some(2.5));
    }
}
