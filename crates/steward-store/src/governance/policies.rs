//! The management policy's versions: the latest is in force, every save is a new version, audited.

use crate::audit::{json, record, Change};
use crate::{now, Actor, Result, Store};
use sqlx::AnyConnection;
use steward_core::enums::Vocabulary;
use steward_core::governance::policy::Policy;
use steward_core::governance::Model;
use steward_core::role::Role;

/// A policy version as stored.
#[derive(Debug, Clone)]
pub struct PolicyVersion {
    pub version: i64,
    pub policy: Policy,
    pub created_at: String,
    pub created_by: Option<String>,
}

impl Store {
    /// The policy in force. A district that never chose one runs the hybrid preset, saved as version 1 the first
    /// time it is needed.
    pub async fn policy_in_force(&self) -> Result<PolicyVersion> {
        if let Some(p) = self.latest_policy().await? {
            return Ok(p);
        }
        let mut tx = self.begin_write().await?;
        in_force(&mut tx).await?;
        tx.commit().await?;
        Ok(self.latest_policy().await?.expect("saved above"))
    }

    async fn latest_policy(&self) -> Result<Option<PolicyVersion>> {
        Ok(self.policy_versions(1).await?.into_iter().next())
    }

    /// The latest `limit` versions, newest first.
    pub async fn policy_versions(&self, limit: i64) -> Result<Vec<PolicyVersion>> {
        let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
            "SELECT p.version, p.body, p.created_at, u.email FROM policies p LEFT JOIN users u ON u.id = p.created_by \
             ORDER BY p.version DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(version, body, created_at, created_by)| {
                Ok(PolicyVersion { version, policy: serde_json::from_str(&body)?, created_at, created_by })
            })
            .collect()
    }

    pub async fn policy_version(&self, version: i64) -> Result<Policy> {
        let body: String = sqlx::query_scalar("SELECT body FROM policies WHERE version = $1")
            .bind(version)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(crate::StoreError::NotFound)?;
        Ok(serde_json::from_str(&body)?)
    }

    /// Saves `policy` as the next version, after [`Policy::check`] against the roles people hold now.
    pub async fn save_policy(&self, actor: &Actor, policy: &Policy) -> Result<i64> {
        let held = self.held_roles().await?;
        policy.check(&held).map_err(crate::StoreError::Rejected)?;
        let mut tx = self.begin_write().await?;
        let before = in_force(&mut tx).await?;
        let version = insert(&mut tx, actor.user_id, policy).await?;
        let summary = format!("saved management policy version {version} ({})", policy.model.label().to_lowercase());
        let change = Change {
            action: "update",
            entity: "policy",
            entity_id: version,
            summary,
            before: json(&before),
            after: json(policy),
        };
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Every role an active account holds.
    pub async fn held_roles(&self) -> Result<Vec<Role>> {
        let codes: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT role FROM users WHERE active = 1").fetch_all(&self.pool).await?;
        Ok(codes.iter().filter_map(|c| Role::parse(c).ok()).collect())
    }
}

/// The policy in force on `conn`, saving the hybrid preset as version 1 when there is none.
pub(crate) async fn in_force(conn: &mut AnyConnection) -> Result<(i64, Policy)> {
    let row: Option<(i64, String)> = sqlx::query_as("SELECT version, body FROM policies ORDER BY version DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    if let Some((version, body)) = row {
        return Ok((version, serde_json::from_str(&body)?));
    }
    let preset = Policy::preset(Model::Hybrid);
    let version = insert(conn, None, &preset).await?;
    Ok((version, preset))
}

async fn insert(conn: &mut AnyConnection, by: Option<i64>, policy: &Policy) -> Result<i64> {
    let version: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM policies").fetch_one(&mut *conn).await?;
    sqlx::query("INSERT INTO policies (version, body, created_by, created_at) VALUES ($1, $2, $3, $4)")
        .bind(version)
        .bind(serde_json::to_string(policy)?)
        .bind(by)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(version)
}
