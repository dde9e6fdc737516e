//! The end of a request's review: the final decision with the product's status and scope following it, and what
//! each stage's review found written to the product's record.

use super::notifications::notify;
use super::review::{comment_on, current};
use crate::audit::{json, record, Change};
use crate::{now, Actor, Result, Store, StoreError, User};
use sqlx::AnyConnection;
use steward_core::enums::{ProductStatus, Vocabulary};
use steward_core::governance::request::{FinalDecision, RequestStatus};
use steward_core::governance::stage_facts::StageFacts;
use steward_core::governance::StageKind;

impl Store {
    /// The final decision on a request whose stages have all passed: the product's status and scope follow it.
    pub async fn decide_request(&self, approver: &User, request_id: i64, decision: &FinalDecision) -> Result<()> {
        let actor = approver.actor();
        let mut tx = self.begin_write().await?;
        let c = current(&mut tx, request_id).await?;
        if c.status != RequestStatus::AwaitingDecision {
            return Err(StoreError::invalid("decision", "this request is not awaiting its decision"));
        }
        close(&mut tx, request_id, approver.id, decision).await?;
        let before: (String, String) = sqlx::query_as("SELECT status, scope FROM products WHERE id = $1")
            .bind(c.product_id)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE products SET status = $1, scope = $2, scope_grade_low = $3, scope_grade_high = $4, updated_at = $5 \
             WHERE id = $6",
        )
        .bind(decision.status.code())
        .bind(decision.scope.code())
        .bind(decision.scope_grades.map(|g| g.low.number()))
        .bind(decision.scope_grades.map(|g| g.high.number()))
        .bind(now())
        .bind(c.product_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM product_tags WHERE product_id = $1 AND kind = 'scope_school'")
            .bind(c.product_id)
            .execute(&mut *tx)
            .await?;
        for s in &decision.scope_schools {
            sqlx::query("INSERT INTO product_tags (product_id, kind, value) VALUES ($1, 'scope_school', $2)")
                .bind(c.product_id)
                .bind(s.to_string())
                .execute(&mut *tx)
                .await?;
        }
        let verdict = decision.status.label().to_lowercase();
        let summary = format!("decided request {request_id} ({}): {verdict}", c.product_name);
        let change = Change {
            action: "decide",
            entity: "request",
            entity_id: request_id,
            summary,
            before: Some(serde_json::json!({ "product_status": before.0, "scope": before.1 })),
            after: json(decision),
        };
        record(&mut tx, &actor, change).await?;
        let said = match (&decision.reason, &decision.conditions_text) {
            (Some(r), _) => format!("Decision: {verdict}. {r}"),
            (None, Some(t)) => format!("Decision: {verdict}. Conditions: {t}"),
            _ => format!("Decision: {verdict}."),
        };
        comment_on(&mut tx, request_id, None, Some(approver.id), "decision", &said).await?;
        if let Some(r) = c.requester_id {
            let link = format!("/requests/{request_id}");
            notify(&mut tx, r, &format!("Request {verdict}: {}", c.product_name), &said, &link).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// The product's record and privacy facts as a stage's review found them, each change audited.
pub(crate) async fn apply_stage_facts(
    store: &Store,
    conn: &mut AnyConnection,
    actor: &Actor,
    product_id: i64,
    kind: StageKind,
    facts: &StageFacts,
) -> Result<()> {
    let stored = store.product(product_id).await?;
    if facts.changes_product() {
        let mut input = stored.product.clone();
        facts.apply(&mut input);
        if input != stored.product {
            crate::products::write_product(conn, Some(product_id), &input, &stored.vendor_name, &stored.category_name)
                .await?;
            let summary = format!("updated product {} by its {} review", input.name, kind.label().to_lowercase());
            let change = Change {
                action: "update",
                entity: "product",
                entity_id: product_id,
                summary,
                before: json(&stored.product),
                after: json(&input),
            };
            record(conn, actor, change).await?;
        }
    }
    if let Some(privacy) = facts.privacy() {
        sqlx::query(
            "INSERT INTO product_privacy (product_id, body, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (product_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(product_id)
        .bind(serde_json::to_string(privacy)?)
        .bind(now())
        .execute(&mut *conn)
        .await?;
        let summary = format!("updated the privacy facts of {} by its privacy review", stored.product.name);
        let change = Change {
            action: "update",
            entity: "product",
            entity_id: product_id,
            summary,
            before: None,
            after: json(privacy),
        };
        record(conn, actor, change).await?;
    }
    Ok(())
}

/// Ends a request with its decision.
pub(crate) async fn close(conn: &mut AnyConnection, request_id: i64, by: i64, decision: &FinalDecision) -> Result<()> {
    let status = match decision.status {
        ProductStatus::Approved => RequestStatus::Approved,
        ProductStatus::ApprovedWithConditions => RequestStatus::ApprovedWithConditions,
        _ => RequestStatus::Denied,
    };
    let at = now();
    sqlx::query(
        "UPDATE requests SET status = $1, decision = $2, decided_by = $3, decided_at = $4, updated_at = $4 WHERE id = $5",
    )
    .bind(status.code())
    .bind(serde_json::to_string(decision)?)
    .bind(by)
    .bind(&at)
    .bind(request_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
