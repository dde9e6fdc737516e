//! Requests: created with the stages the policy in force routes them to, and read back with their stages and
//! comments.

use super::notifications::notify;
use super::policies::in_force;
use super::review::{activate, set_product_status};
use crate::audit::{json, record, Change};
use crate::row::{int, opt_int, opt_text, text, vocab};
use crate::sql::{bind_all, bind_scalar, Arg, Conditions};
use crate::{now, Page, Result, Store, StoreError, User};
use serde::Serialize;
use sqlx::any::AnyRow;
use steward_core::enums::*;
use steward_core::governance::policy::RequestFacts;
use steward_core::governance::request::{FinalDecision, RequestInput, RequestStatus, StageStatus};
use steward_core::governance::StageKind;
use steward_core::role::Role;

/// A request in a list.
#[derive(Debug, Clone, Serialize)]
pub struct RequestRow {
    pub id: i64,
    pub product_id: i64,
    pub product_name: String,
    pub requester_id: Option<i64>,
    pub requester_name: Option<String>,
    pub school_id: Option<i64>,
    pub kind: String,
    pub policy_version: i64,
    pub status: RequestStatus,
    pub created_at: String,
    pub decided_at: Option<String>,
    /// The stage under review or waiting for information, if any.
    pub current_stage: Option<StageKind>,
    pub due_at: Option<String>,
}

/// One stage of a request.
#[derive(Debug, Clone, Serialize)]
pub struct RequestStage {
    pub position: i64,
    pub kind: StageKind,
    pub reviewer_role: Role,
    pub school_id: Option<i64>,
    pub days: i64,
    pub status: StageStatus,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub started_at: Option<String>,
    pub due_at: Option<String>,
    pub finished_at: Option<String>,
    pub details: Option<serde_json::Value>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    pub id: i64,
    pub stage_position: Option<i64>,
    pub author_name: Option<String>,
    pub kind: String,
    pub body: String,
    pub at: String,
}

/// A request with everything its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct RequestView {
    pub row: RequestRow,
    pub input: RequestInput,
    pub facts: RequestFacts,
    pub decision: Option<FinalDecision>,
    pub stages: Vec<RequestStage>,
    pub comments: Vec<Comment>,
}

impl RequestView {
    /// The stage under review or waiting for information.
    pub fn current(&self) -> Option<&RequestStage> {
        self.stages.iter().find(|s| matches!(s.status, StageStatus::Active | StageStatus::NeedsInfo))
    }
}

#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub status: Option<RequestStatus>,
    pub open_only: bool,
    pub requester_id: Option<i64>,
    /// Requests for this school (the requester's).
    pub school_id: Option<i64>,
    pub product_id: Option<i64>,
    /// Requests waiting on this role (at this school, for a school role): their current stage is its to review,
    /// or every stage has passed and the decision is its to make.
    pub reviewer: Option<(Role, Option<i64>)>,
    pub page: i64,
    pub per_page: i64,
}

const SELECT: &str = "SELECT r.id, r.product_id, p.name AS product_name, r.requester_id, u.name AS requester_name, \
     r.school_id, r.kind, r.policy_version, r.status, r.created_at, r.decided_at, s.kind AS stage_kind, s.due_at \
     FROM requests r JOIN products p ON p.id = r.product_id LEFT JOIN users u ON u.id = r.requester_id \
     LEFT JOIN request_stages s ON s.request_id = r.id AND s.status IN ('active', 'needs_info')";

fn row(r: &AnyRow) -> Result<RequestRow> {
    Ok(RequestRow {
        id: int(r, "id")?,
        product_id: int(r, "product_id")?,
        product_name: text(r, "product_name")?,
        requester_id: opt_int(r, "requester_id")?,
        requester_name: opt_text(r, "requester_name")?,
        school_id: opt_int(r, "school_id")?,
        kind: text(r, "kind")?,
        policy_version: int(r, "policy_version")?,
        status: vocab(r, "status")?,
        created_at: text(r, "created_at")?,
        decided_at: opt_text(r, "decided_at")?,
        current_stage: opt_text(r, "stage_kind")?.and_then(|k| StageKind::parse(&k).ok()),
        due_at: opt_text(r, "due_at")?,
    })
}

impl Store {
    /// Submits a request from `requester` under the policy in force: a new product is added to the inventory as
    /// requested (with its vendor, when new), the stages the policy routes it to are created, the first is assigned
    /// and its reviewer notified; all in one transaction with the audit entries.
    pub async fn create_request(&self, requester: &User, input: &RequestInput) -> Result<i64> {
        let actor = requester.actor();
        let mut tx = self.begin_write().await?;
        let (version, policy) = in_force(&mut tx).await?;
        let (product_id, product_name, facts) = super::intake::requested_product(&mut tx, &actor, input).await?;
        let school_id = requester.school_id.or_else(|| input.schools.first().copied());
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO requests (product_id, requester_id, school_id, kind, policy_version, approver_role, status, body, \
             facts, created_at, updated_at) VALUES ($1, $2, $3, 'new', $4, $9, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(product_id)
        .bind(requester.id)
        .bind(school_id)
        .bind(version)
        .bind(RequestStatus::InReview.code())
        .bind(serde_json::to_string(input)?)
        .bind(serde_json::to_string(&facts)?)
        .bind(&at)
        .bind(policy.approver.code())
        .fetch_one(&mut *tx)
        .await?;
        let stages = policy.route(&facts);
        super::intake::insert_stages(&mut tx, id, &stages, school_id).await?;
        let summary = format!("requested {product_name} ({} stages under policy version {version})", stages.len());
        let change =
            Change { action: "create", entity: "request", entity_id: id, summary, before: None, after: json(input) };
        record(&mut tx, &actor, change).await?;
        set_product_status(&mut tx, &actor, product_id, &[ProductStatus::Requested], ProductStatus::InReview).await?;
        let link = format!("/requests/{id}");
        let body = format!("Your request for {product_name} is in review under policy version {version}.");
        notify(&mut tx, requester.id, &format!("Request received: {product_name}"), &body, &link).await?;
        activate(&mut tx, id, 1, &product_name, &policy).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn request(&self, id: i64) -> Result<RequestView> {
        // The list's columns, and the request's own documents.
        let sql = format!("{} WHERE r.id = $1", SELECT.replacen("SELECT ", "SELECT r.body, r.facts, r.decision, ", 1));
        let r = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?.ok_or(StoreError::NotFound)?;
        let (body, facts, decision) = (text(&r, "body")?, text(&r, "facts")?, opt_text(&r, "decision")?);
        let stages = sqlx::query(
            "SELECT s.*, u.name AS assignee_name FROM request_stages s LEFT JOIN users u ON u.id = s.assignee_id \
             WHERE s.request_id = $1 ORDER BY s.position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let comments = sqlx::query(
            "SELECT c.*, u.name AS author_name FROM request_comments c LEFT JOIN users u ON u.id = c.author_id \
             WHERE c.request_id = $1 ORDER BY c.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(RequestView {
            row: row(&r)?,
            input: serde_json::from_str(&body)?,
            facts: serde_json::from_str(&facts)?,
            decision: decision.as_deref().map(serde_json::from_str).transpose()?,
            stages: stages.iter().map(stage).collect::<Result<_>>()?,
            comments: comments
                .iter()
                .map(|c| {
                    Ok(Comment {
                        id: int(c, "id")?,
                        stage_position: opt_int(c, "stage_position")?,
                        author_name: opt_text(c, "author_name")?,
                        kind: text(c, "kind")?,
                        body: text(c, "body")?,
                        at: text(c, "at")?,
                    })
                })
                .collect::<Result<_>>()?,
        })
    }

    pub async fn requests(&self, f: &RequestFilter) -> Result<Page<RequestRow>> {
        let mut c = Conditions::default();
        if let Some(s) = f.status {
            c.push("r.status = ?", [Arg::Text(s.code().into())]);
        }
        if f.open_only {
            c.push("r.status IN ('in_review', 'needs_info', 'awaiting_decision')", []);
        }
        if let Some(u) = f.requester_id {
            c.push("r.requester_id = ?", [Arg::Int(u)]);
        }
        if let Some(school) = f.school_id {
            c.push("r.school_id = ?", [Arg::Int(school)]);
        }
        if let Some(p) = f.product_id {
            c.push("r.product_id = ?", [Arg::Int(p)]);
        }
        if let Some((role, school)) = f.reviewer {
            let code = Arg::Text(role.code().into());
            match school {
                Some(school) => c.push(
                    "((s.reviewer_role = ? AND s.school_id = ?) OR \
                      (r.status = 'awaiting_decision' AND r.approver_role = ? AND r.school_id = ?))",
                    [code.clone(), Arg::Int(school), code, Arg::Int(school)],
                ),
                None => c.push(
                    "(s.reviewer_role = ? OR (r.status = 'awaiting_decision' AND r.approver_role = ?))",
                    [code.clone(), code],
                ),
            }
        }
        let per_page = f.per_page.clamp(1, 500);
        let page = f.page.max(1);
        let from = "FROM requests r LEFT JOIN request_stages s ON s.request_id = r.id AND s.status IN ('active', 'needs_info')";
        let total: i64 = bind_scalar(sqlx::query_scalar(&format!("SELECT COUNT(*) {from}{}", c.where_sql())), c.args())
            .fetch_one(&self.pool)
            .await?;
        let sql =
            format!("{SELECT}{} ORDER BY r.id DESC LIMIT {per_page} OFFSET {}", c.where_sql(), (page - 1) * per_page);
        let rows = bind_all(sqlx::query(&sql), c.args()).fetch_all(&self.pool).await?;
        Ok(Page { items: rows.iter().map(row).collect::<Result<_>>()?, total, page, per_page })
    }

    /// The facts of the latest `n` requests, oldest first: what the what-if view replays.
    pub async fn recent_request_facts(&self, n: i64) -> Result<Vec<(i64, String, i64, RequestFacts)>> {
        let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
            "SELECT r.id, p.name, r.policy_version, r.facts FROM requests r JOIN products p ON p.id = r.product_id \
             ORDER BY r.id DESC LIMIT $1",
        )
        .bind(n)
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<_> = rows
            .into_iter()
            .map(|(id, name, v, facts)| Ok((id, name, v, serde_json::from_str(&facts)?)))
            .collect::<Result<_>>()?;
        out.reverse();
        Ok(out)
    }

    /// The stages each request passed or is passing, by request id: for the what-if view's comparison.
    pub async fn request_stage_kinds(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, Vec<StageKind>>> {
        let mut out: std::collections::HashMap<i64, Vec<StageKind>> = Default::default();
        for chunk in ids.chunks(500) {
            let list = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
            let sql = format!("SELECT request_id, kind FROM request_stages WHERE request_id IN ({list}) ORDER BY request_id, position");
            let args: Vec<Arg> = chunk.iter().map(|i| Arg::Int(*i)).collect();
            let rows = bind_all(sqlx::query(&sql), &args).fetch_all(&self.pool).await?;
            for r in rows {
                out.entry(int(&r, "request_id")?).or_default().push(vocab(&r, "kind")?);
            }
        }
        Ok(out)
    }
}

pub(crate) fn stage(s: &AnyRow) -> Result<RequestStage> {
    Ok(RequestStage {
        position: int(s, "position")?,
        kind: vocab(s, "kind")?,
        reviewer_role: vocab(s, "reviewer_role")?,
        school_id: opt_int(s, "school_id")?,
        days: int(s, "days")?,
        status: vocab(s, "status")?,
        assignee_id: opt_int(s, "assignee_id")?,
        assignee_name: opt_text(s, "assignee_name")?,
        started_at: opt_text(s, "started_at")?,
        due_at: opt_text(s, "due_at")?,
        finished_at: opt_text(s, "finished_at")?,
        details: opt_text(s, "details")?.as_deref().map(serde_json::from_str).transpose()?,
        note: opt_text(s, "note")?,
    })
}
