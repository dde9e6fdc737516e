//! Re-reviews: approved products with no open request, as the re-review rules read them, and a re-review started
//! for one under the policy in force.

use super::notifications::notify;
use super::policies::in_force;
use super::review::activate;
use crate::audit::{record, Change};
use crate::row::{int, opt_date};
use crate::{now, Actor, Result, Store};
use chrono::NaiveDate;
use steward_core::enums::Vocabulary;
use steward_core::governance::policy::RequestFacts;
use steward_core::governance::request::{RequestInput, RequestStatus, Requested};
use steward_core::governance::rereview::Candidate;
use steward_core::grade::GradeBand;

impl Store {
    /// Approved products with no open request: what the re-review rules are applied to on `today`.
    pub async fn re_review_candidates(&self, today: NaiveDate) -> Result<Vec<Candidate>> {
        let rows = sqlx::query(
            "SELECT p.id, p.category_id, p.dpa_expires, p.created_at, \
             (SELECT MAX(r.decided_at) FROM requests r WHERE r.product_id = p.id) AS last_decided \
             FROM products p WHERE p.status IN ('approved', 'approved_with_conditions') \
             AND NOT EXISTS (SELECT 1 FROM requests o WHERE o.product_id = p.id \
                             AND o.status IN ('in_review', 'needs_info', 'awaiting_decision')) ORDER BY p.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let ends: Vec<(i64, String)> =
            sqlx::query_as("SELECT product_id, end_date FROM contracts WHERE end_date >= $1")
                .bind(today.to_string())
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                let id = int(r, "id")?;
                let last: Option<String> = sqlx::Row::try_get(r, "last_decided")?;
                let created: String = sqlx::Row::try_get(r, "created_at")?;
                let last = last.unwrap_or(created);
                Ok(Candidate {
                    product_id: id,
                    category_id: int(r, "category_id")?,
                    dpa_expires: opt_date(r, "dpa_expires")?,
                    contract_ends: ends.iter().filter(|(p, _)| *p == id).filter_map(|(_, d)| d.parse().ok()).collect(),
                    last_reviewed: last.get(..10).and_then(|d| d.parse().ok()).unwrap_or(today),
                })
            })
            .collect()
    }

    /// Starts a re-review of an approved product under the policy in force; the product stays approved meanwhile.
    pub async fn create_re_review(&self, product_id: i64, reason: &str) -> Result<i64> {
        let actor = Actor::system("re-review");
        let mut tx = self.begin_write().await?;
        let (version, policy) = in_force(&mut tx).await?;
        let (name, category, low, high): (String, i64, i64, i64) =
            sqlx::query_as("SELECT name, category_id, grade_low, grade_high FROM products WHERE id = $1")
                .bind(product_id)
                .fetch_one(&mut *tx)
                .await?;
        let collects: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM product_tags WHERE product_id = $1 AND kind = 'data_element'")
                .bind(product_id)
                .fetch_one(&mut *tx)
                .await?;
        let grades = GradeBand::from_numbers(low, high).map_err(|m| crate::row::decode_error("grade_low", m))?;
        let schools: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM orgs WHERE kind = 'school' ORDER BY id").fetch_all(&mut *tx).await?;
        let input = RequestInput {
            product: Requested::Existing(product_id),
            purpose: reason.to_owned(),
            grades,
            schools,
            expected_users: 0,
            cost_minor: 0,
            data_elements: vec![],
        };
        let facts = RequestFacts {
            cost_minor: 0,
            student_data: collects > 0,
            grades,
            new_vendor: false,
            category_id: Some(category),
        };
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO requests (product_id, requester_id, school_id, kind, policy_version, approver_role, status, body, \
             facts, created_at, updated_at) VALUES ($1, NULL, NULL, 're_review', $2, $7, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(product_id)
        .bind(version)
        .bind(RequestStatus::InReview.code())
        .bind(serde_json::to_string(&input)?)
        .bind(serde_json::to_string(&facts)?)
        .bind(&at)
        .bind(policy.approver.code())
        .fetch_one(&mut *tx)
        .await?;
        super::intake::insert_stages(&mut tx, id, &policy.route(&facts), None).await?;
        let summary = format!("started a re-review of {name}: {reason}");
        let change = Change { action: "create", entity: "request", entity_id: id, summary, before: None, after: None };
        record(&mut tx, &actor, change).await?;
        let owners: Vec<i64> = sqlx::query_scalar(
            "SELECT u.id FROM product_owners o JOIN users u ON LOWER(u.email) = LOWER(o.email) \
             WHERE o.product_id = $1 AND u.active = 1",
        )
        .bind(product_id)
        .fetch_all(&mut *tx)
        .await?;
        for owner in owners {
            notify(&mut tx, owner, &format!("Re-review started: {name}"), reason, &format!("/requests/{id}")).await?;
        }
        activate(&mut tx, id, 1, &name, &policy).await?;
        tx.commit().await?;
        Ok(id)
    }
}
