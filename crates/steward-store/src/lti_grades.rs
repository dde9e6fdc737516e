//! Assignment and Grade Services in the store (migration 0008): a tool's line items in a class and each student's
//! latest score on them, the results that later feed mastery.

use crate::row::{int, opt_text, text};
use crate::{now, Result, Store, StoreError};
use sqlx::Row;
use steward_core::lti::ags::{LineItemInput, ScoreInput};

/// A gradebook column a tool keeps in one class.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LineItem {
    pub id: i64,
    pub tool_id: i64,
    pub class_sourced_id: String,
    pub item: LineItemInput,
}

/// A student's latest score on a line item.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LtiResult {
    pub line_item_id: i64,
    pub user_sourced_id: String,
    pub score_given: Option<f64>,
    pub score_maximum: Option<f64>,
    pub comment: Option<String>,
    pub activity_progress: String,
    pub grading_progress: String,
    pub scored_at: String,
}

const LINE_ITEM_COLUMNS: &str = "id, tool_id, class_sourced_id, label, score_maximum, resource_id, tag, \
     resource_link_id, start_at, end_at";

fn line_item(r: &sqlx::any::AnyRow) -> Result<LineItem> {
    Ok(LineItem {
        id: int(r, "id")?,
        tool_id: int(r, "tool_id")?,
        class_sourced_id: text(r, "class_sourced_id")?,
        item: LineItemInput {
            label: text(r, "label")?,
            score_maximum: r.try_get("score_maximum")?,
            resource_id: opt_text(r, "resource_id")?,
            tag: opt_text(r, "tag")?,
            resource_link_id: opt_text(r, "resource_link_id")?,
            start: opt_text(r, "start_at")?,
            end: opt_text(r, "end_at")?,
        },
    })
}

impl Store {
    /// A tool's line items in a class, oldest first.
    pub async fn lti_line_items(&self, tool_id: i64, class: &str) -> Result<Vec<LineItem>> {
        let rows = sqlx::query(&format!(
            "SELECT {LINE_ITEM_COLUMNS} FROM lti_line_items WHERE tool_id = $1 AND class_sourced_id = $2 ORDER BY id"
        ))
        .bind(tool_id)
        .bind(class.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(line_item).collect()
    }

    /// One of a tool's line items in a class; another tool's or another class's is not found.
    pub async fn lti_line_item(&self, tool_id: i64, class: &str, id: i64) -> Result<LineItem> {
        let r = sqlx::query(&format!(
            "SELECT {LINE_ITEM_COLUMNS} FROM lti_line_items WHERE id = $1 AND tool_id = $2 AND class_sourced_id = $3"
        ))
        .bind(id)
        .bind(tool_id)
        .bind(class.to_owned())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        line_item(&r)
    }

    /// Creates a line item (`id` `None`) or replaces one.
    pub async fn save_lti_line_item(
        &self,
        tool_id: i64,
        class: &str,
        id: Option<i64>,
        input: &LineItemInput,
    ) -> Result<LineItem> {
        let at = now();
        let q = match id {
            None => sqlx::query_scalar(
                "INSERT INTO lti_line_items (label, score_maximum, resource_id, tag, resource_link_id, start_at, end_at, \
                 tool_id, class_sourced_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
                 RETURNING id",
            ),
            Some(_) => sqlx::query_scalar(
                "UPDATE lti_line_items SET label = $1, score_maximum = $2, resource_id = $3, tag = $4, \
                 resource_link_id = $5, start_at = $6, end_at = $7, updated_at = $10 \
                 WHERE tool_id = $8 AND class_sourced_id = $9 AND id = $11 RETURNING id",
            ),
        };
        let q = q
            .bind(input.label.clone())
            .bind(input.score_maximum)
            .bind(input.resource_id.clone())
            .bind(input.tag.clone())
            .bind(input.resource_link_id.clone())
            .bind(input.start.clone())
            .bind(input.end.clone())
            .bind(tool_id)
            .bind(class.to_owned())
            .bind(at);
        let q = match id {
            Some(id) => q.bind(id),
            None => q,
        };
        let saved: Option<i64> = q.fetch_optional(&self.pool).await?;
        self.lti_line_item(tool_id, class, saved.ok_or(StoreError::NotFound)?).await
    }

    /// Deletes a line item and its results.
    pub async fn delete_lti_line_item(&self, tool_id: i64, class: &str, id: i64) -> Result<()> {
        // Another tool's or another class's line item is not found, and nothing is deleted.
        self.lti_line_item(tool_id, class, id).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM lti_results WHERE line_item_id = $1").bind(id).execute(&mut *tx).await?;
        let done = sqlx::query("DELETE FROM lti_line_items WHERE id = $1 AND tool_id = $2 AND class_sourced_id = $3")
            .bind(id)
            .bind(tool_id)
            .bind(class.to_owned())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    /// Keeps a score as the student's result on the line item, unless a later one is already kept (a score older
    /// than the kept one changes nothing, as AGS requires). True when it was kept.
    pub async fn put_lti_score(&self, line_item_id: i64, s: &ScoreInput) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO lti_results (line_item_id, user_sourced_id, score_given, score_maximum, comment, \
             activity_progress, grading_progress, scored_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (line_item_id, user_sourced_id) DO UPDATE SET score_given = excluded.score_given, \
             score_maximum = excluded.score_maximum, comment = excluded.comment, \
             activity_progress = excluded.activity_progress, grading_progress = excluded.grading_progress, \
             scored_at = excluded.scored_at WHERE lti_results.scored_at <= excluded.scored_at",
        )
        .bind(line_item_id)
        .bind(s.user_id.clone())
        .bind(s.score_given)
        .bind(s.score_maximum)
        .bind(s.comment.clone())
        .bind(s.activity_progress.clone())
        .bind(s.grading_progress.clone())
        .bind(utc(&s.timestamp))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The results on a line item, optionally one student's.
    pub async fn lti_results(&self, line_item_id: i64, user: Option<&str>) -> Result<Vec<LtiResult>> {
        let rows = sqlx::query(
            "SELECT line_item_id, user_sourced_id, score_given, score_maximum, comment, activity_progress, \
             grading_progress, scored_at FROM lti_results WHERE line_item_id = $1 AND ($2 = '' OR user_sourced_id = $2) \
             ORDER BY user_sourced_id",
        )
        .bind(line_item_id)
        .bind(user.unwrap_or("").to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LtiResult {
                    line_item_id: int(r, "line_item_id")?,
                    user_sourced_id: text(r, "user_sourced_id")?,
                    score_given: r.try_get("score_given")?,
                    score_maximum: r.try_get("score_maximum")?,
                    comment: opt_text(r, "comment")?,
                    activity_progress: text(r, "activity_progress")?,
                    grading_progress: text(r, "grading_progress")?,
                    scored_at: text(r, "scored_at")?,
                })
            })
            .collect()
    }
}

/// A checked RFC 3339 time in UTC, as the store writes times, so that they order as text.
fn utc(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| crate::timestamp(t.with_timezone(&chrono::Utc)))
        .unwrap_or_else(|_| rfc3339.to_owned())
}
