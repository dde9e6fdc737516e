//! A request's way through its stages: a stage activated and assigned, passed, failed or sent back for
//! information, the requester's answer, comments, and the final decision applied to the product. Each step is
//! audited and notified in its own transaction.

use super::notifications::{holders, notify};
use crate::audit::{record, Change};
use crate::{now, timestamp, Actor, Result, Store, StoreError, User};
use sqlx::AnyConnection;
use steward_core::enums::{ProductStatus, Scope, Vocabulary};
use steward_core::governance::policy::Policy;
use steward_core::governance::request::{FinalDecision, RequestStatus, StageDecision, StageStatus};
use steward_core::governance::stage_facts::StageFacts;
use steward_core::governance::StageKind;
use steward_core::role::Role;

/// A reviewer's decision on the stage under review.
#[derive(Debug, Clone)]
pub struct StageAction {
    pub decision: StageDecision,
    pub note: Option<String>,
    /// The stage's own record (the checklist with its overrides, the facts reviewed), kept with it.
    pub details: Option<serde_json::Value>,
    /// What the review found about the product; its record follows, in the same transaction.
    pub facts: Option<StageFacts>,
}

pub(super) struct Current {
    pub(super) product_id: i64,
    pub(super) product_name: String,
    pub(super) requester_id: Option<i64>,
    pub(super) kind: String,
    pub(super) status: RequestStatus,
    pub(super) policy_version: i64,
}

/// Product id and name, requester, school, kind, status and policy version.
type CurrentRow = (i64, String, Option<i64>, Option<i64>, String, String, i64);

pub(super) async fn current(conn: &mut AnyConnection, request_id: i64) -> Result<Current> {
    let row: Option<CurrentRow> = sqlx::query_as(
        "SELECT r.product_id, p.name, r.requester_id, r.school_id, r.kind, r.status, r.policy_version \
         FROM requests r JOIN products p ON p.id = r.product_id WHERE r.id = $1",
    )
    .bind(request_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (product_id, product_name, requester_id, _school, kind, status, policy_version) =
        row.ok_or(StoreError::NotFound)?;
    let status = RequestStatus::parse(&status).map_err(|m| crate::row::decode_error("status", m))?;
    Ok(Current { product_id, product_name, requester_id, kind, status, policy_version })
}

pub(super) async fn comment_on(
    conn: &mut AnyConnection,
    request_id: i64,
    stage: Option<i64>,
    author: Option<i64>,
    kind: &str,
    body: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO request_comments (request_id, stage_position, author_id, kind, body, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(request_id)
    .bind(stage)
    .bind(author)
    .bind(kind)
    .bind(body)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn set_request_status(conn: &mut AnyConnection, id: i64, status: RequestStatus) -> Result<()> {
    sqlx::query("UPDATE requests SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.code())
        .bind(now())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Moves a product to `to` when its status is one of `from`, audited.
pub(crate) async fn set_product_status(
    conn: &mut AnyConnection,
    actor: &Actor,
    product_id: i64,
    from: &[ProductStatus],
    to: ProductStatus,
) -> Result<()> {
    let status: String =
        sqlx::query_scalar("SELECT status FROM products WHERE id = $1").bind(product_id).fetch_one(&mut *conn).await?;
    if !from.iter().any(|s| s.code() == status) {
        return Ok(());
    }
    sqlx::query("UPDATE products SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(to.code())
        .bind(now())
        .bind(product_id)
        .execute(&mut *conn)
        .await?;
    let summary = format!("product status {status} → {} by its review", to.code());
    let change = Change {
        action: "update",
        entity: "product",
        entity_id: product_id,
        summary,
        before: Some(serde_json::json!({ "status": status })),
        after: Some(serde_json::json!({ "status": to.code() })),
    };
    record(conn, actor, change).await
}

/// Starts stage `position` of a request: under review from now, due in its days, assigned to the holder of its
/// role with the fewest open stages, who is notified. With no such stage the request awaits its final decision
/// and the approvers are notified.
pub(crate) async fn activate(
    conn: &mut AnyConnection,
    request_id: i64,
    position: i64,
    product_name: &str,
    policy: &Policy,
) -> Result<()> {
    let stage: Option<(String, String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT kind, reviewer_role, school_id, days FROM request_stages WHERE request_id = $1 AND position = $2",
    )
    .bind(request_id)
    .bind(position)
    .fetch_optional(&mut *conn)
    .await?;
    let link = format!("/requests/{request_id}");
    let Some((kind, role, school, days)) = stage else {
        set_request_status(conn, request_id, RequestStatus::AwaitingDecision).await?;
        let school: Option<i64> = sqlx::query_scalar("SELECT school_id FROM requests WHERE id = $1")
            .bind(request_id)
            .fetch_one(&mut *conn)
            .await?;
        for user in holders(conn, policy.approver, school).await? {
            let body =
                format!("Every review stage of the request for {product_name} has passed. It awaits your decision.");
            notify(conn, user, &format!("Decision needed: {product_name}"), &body, &link).await?;
        }
        return Ok(());
    };
    let role = Role::parse(&role).map_err(|m| crate::row::decode_error("reviewer_role", m))?;
    let kind = StageKind::parse(&kind).map_err(|m| crate::row::decode_error("kind", m))?;
    let candidates = holders(conn, role, school).await?;
    let mut assignee = None;
    let mut fewest = i64::MAX;
    for user in &candidates {
        let open: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM request_stages WHERE assignee_id = $1 AND status IN ('active', 'needs_info')",
        )
        .bind(user)
        .fetch_one(&mut *conn)
        .await?;
        if open < fewest {
            (assignee, fewest) = (Some(*user), open);
        }
    }
    let started = chrono::Utc::now();
    sqlx::query(
        "UPDATE request_stages SET status = 'active', started_at = $1, due_at = $2, assignee_id = $3 \
         WHERE request_id = $4 AND position = $5",
    )
    .bind(timestamp(started))
    .bind(timestamp(started + chrono::Duration::days(days)))
    .bind(assignee)
    .bind(request_id)
    .bind(position)
    .execute(&mut *conn)
    .await?;
    let subject = format!("{} review assigned: {product_name}", kind.label());
    let body = format!("The {} review of {product_name} is yours, due in {days} days.", kind.label().to_lowercase());
    for user in assignee.into_iter().chain(if assignee.is_none() { candidates } else { vec![] }) {
        notify(conn, user, &subject, &body, &link).await?;
    }
    Ok(())
}

impl Store {
    /// Records `reviewer`'s decision on stage `position`, which must be under review.
    pub async fn decide_stage(
        &self,
        reviewer: &User,
        request_id: i64,
        position: i64,
        action: &StageAction,
    ) -> Result<()> {
        let actor = reviewer.actor();
        let mut tx = self.begin_write().await?;
        let c = current(&mut tx, request_id).await?;
        let stage: Option<(String, String)> =
            sqlx::query_as("SELECT kind, status FROM request_stages WHERE request_id = $1 AND position = $2")
                .bind(request_id)
                .bind(position)
                .fetch_optional(&mut *tx)
                .await?;
        let (kind, status) = stage.ok_or(StoreError::NotFound)?;
        if status != StageStatus::Active.code() {
            return Err(StoreError::invalid("decision", "this stage is not under review"));
        }
        let kind = StageKind::parse(&kind).map_err(|m| crate::row::decode_error("kind", m))?;
        let link = format!("/requests/{request_id}");
        let label = kind.label();
        let note = action.note.clone().unwrap_or_default();
        let (stage_status, finished) = match action.decision {
            StageDecision::Pass => (StageStatus::Passed, true),
            StageDecision::Fail => (StageStatus::Failed, true),
            StageDecision::NeedsInfo => (StageStatus::NeedsInfo, false),
        };
        sqlx::query(
            "UPDATE request_stages SET status = $1, finished_at = $2, note = $3, details = COALESCE($4, details) \
             WHERE request_id = $5 AND position = $6",
        )
        .bind(stage_status.code())
        .bind(finished.then(now))
        .bind(&action.note)
        .bind(action.details.as_ref().map(|d| d.to_string()))
        .bind(request_id)
        .bind(position)
        .execute(&mut *tx)
        .await?;
        let verb = match action.decision {
            StageDecision::Pass => "passed",
            StageDecision::Fail => "failed",
            StageDecision::NeedsInfo => "asked the requester for information in",
        };
        let said =
            if note.is_empty() { format!("{label} review {verb}.") } else { format!("{label} review {verb}: {note}") };
        if let Some(facts) = &action.facts {
            super::decision::apply_stage_facts(self, &mut tx, &actor, c.product_id, kind, facts).await?;
        }
        let kind_of_comment = if action.decision == StageDecision::NeedsInfo { "question" } else { "decision" };
        comment_on(&mut tx, request_id, Some(position), Some(reviewer.id), kind_of_comment, &said).await?;
        let summary =
            format!("{verb} the {} review of request {request_id} ({})", label.to_lowercase(), c.product_name);
        let after = serde_json::json!({ "stage": kind.code(), "status": stage_status.code(), "note": action.note });
        let change = Change {
            action: "review",
            entity: "request",
            entity_id: request_id,
            summary,
            before: None,
            after: Some(after),
        };
        record(&mut tx, &actor, change).await?;
        match action.decision {
            StageDecision::Pass => {
                let policy = self.policy_on(&mut tx, c.policy_version).await?;
                activate(&mut tx, request_id, position + 1, &c.product_name, &policy).await?;
            }
            StageDecision::Fail => {
                let decision = FinalDecision {
                    status: ProductStatus::Denied,
                    reason: Some(format!("{label} review failed: {note}")),
                    conditions: vec![],
                    conditions_text: None,
                    scope: Scope::DistrictWide,
                    scope_schools: vec![],
                    scope_grades: None,
                };
                super::decision::close(&mut tx, request_id, reviewer.id, &decision).await?;
                if c.kind == "new" {
                    let open = [ProductStatus::Requested, ProductStatus::InReview];
                    set_product_status(&mut tx, &actor, c.product_id, &open, ProductStatus::Denied).await?;
                }
                if let Some(r) = c.requester_id {
                    let body = format!("The {} review of {} failed: {note}", label.to_lowercase(), c.product_name);
                    notify(&mut tx, r, &format!("Request denied: {}", c.product_name), &body, &link).await?;
                }
            }
            StageDecision::NeedsInfo => {
                set_request_status(&mut tx, request_id, RequestStatus::NeedsInfo).await?;
                if let Some(r) = c.requester_id {
                    let body = format!("The {} reviewer of {} asks: {note}", label.to_lowercase(), c.product_name);
                    notify(&mut tx, r, &format!("Information needed: {}", c.product_name), &body, &link).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The requester's answer to a stage's question: the stage is under review again and its assignee told.
    pub async fn answer_request(&self, requester: &User, request_id: i64, answer: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let c = current(&mut tx, request_id).await?;
        if c.status != RequestStatus::NeedsInfo {
            return Err(StoreError::invalid("answer", "no question is waiting for an answer"));
        }
        let (position, assignee): (i64, Option<i64>) = sqlx::query_as(
            "SELECT position, assignee_id FROM request_stages WHERE request_id = $1 AND status = 'needs_info'",
        )
        .bind(request_id)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("UPDATE request_stages SET status = 'active' WHERE request_id = $1 AND position = $2")
            .bind(request_id)
            .bind(position)
            .execute(&mut *tx)
            .await?;
        set_request_status(&mut tx, request_id, RequestStatus::InReview).await?;
        comment_on(&mut tx, request_id, Some(position), Some(requester.id), "answer", answer).await?;
        let summary = format!("answered the question on request {request_id} ({})", c.product_name);
        let change =
            Change { action: "update", entity: "request", entity_id: request_id, summary, before: None, after: None };
        record(&mut tx, &requester.actor(), change).await?;
        if let Some(a) = assignee {
            let link = format!("/requests/{request_id}");
            let body = format!("The requester of {} answered: {answer}", c.product_name);
            notify(&mut tx, a, &format!("Answer received: {}", c.product_name), &body, &link).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A comment on a request, by anyone who may see it.
    pub async fn comment_request(&self, author: &User, request_id: i64, body: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        current(&mut tx, request_id).await?;
        comment_on(&mut tx, request_id, None, Some(author.id), "comment", body).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn policy_on(&self, conn: &mut AnyConnection, version: i64) -> Result<Policy> {
        let body: String = sqlx::query_scalar("SELECT body FROM policies WHERE version = $1")
            .bind(version)
            .fetch_one(&mut *conn)
            .await?;
        Ok(serde_json::from_str(&body)?)
    }
}
