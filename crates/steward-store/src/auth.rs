//! Accounts, sessions, sign-in throttling and API tokens: all in the database, so several servers share them.

use crate::audit::{json, record, Change};
use crate::row::{flag, int, opt_int, opt_text, text, vocab};
use crate::{now, Actor, Result, Store, StoreError};
use serde::Serialize;
use sqlx::any::AnyRow;
use steward_core::enums::Vocabulary;
use steward_core::people::UserInput;
use steward_core::role::Role;

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub school_id: Option<i64>,
    pub active: bool,
}

impl User {
    pub fn actor(&self) -> Actor {
        Actor { user_id: Some(self.id), label: self.email.clone() }
    }

    pub fn access(&self) -> steward_core::access::Actor {
        steward_core::access::Actor { user_id: self.id, role: self.role, school_id: self.school_id }
    }
}

/// A live session: its user and the CSRF token its forms must carry.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub user: User,
    pub csrf_token: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

fn user(r: &AnyRow) -> Result<User> {
    Ok(User {
        id: int(r, "id")?,
        email: text(r, "email")?,
        name: text(r, "name")?,
        role: vocab::<Role>(r, "role")?,
        school_id: opt_int(r, "school_id")?,
        active: flag(r, "active")?,
    })
}

const USER_COLS: &str = "u.id, u.email, u.name, u.role, u.school_id, u.active";

impl Store {
    /// A role held at a school must name an existing school.
    async fn check_school(&self, school: Option<i64>) -> Result<()> {
        let Some(school) = school else { return Ok(()) };
        match self.org(school).await {
            Ok(o) if o.org.kind == steward_core::org::OrgKind::School => Ok(()),
            Ok(_) => Err(StoreError::invalid("school_id", format!("organization {school} is not a school"))),
            Err(StoreError::NotFound) => Err(StoreError::invalid("school_id", format!("no school has id {school}"))),
            Err(e) => Err(e),
        }
    }

    pub async fn create_user(&self, actor: &Actor, input: &UserInput, password_hash: &str) -> Result<i64> {
        self.insert_user(actor, input, Some(password_hash)).await
    }

    /// An account with no password, which signs in only through the district's identity provider.
    pub async fn create_user_without_password(&self, actor: &Actor, input: &UserInput) -> Result<i64> {
        self.insert_user(actor, input, None).await
    }

    async fn insert_user(&self, actor: &Actor, input: &UserInput, password_hash: Option<&str>) -> Result<i64> {
        self.check_school(input.school_id).await?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, name, role, school_id, password_hash, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id",
        )
        .bind(&input.email)
        .bind(&input.name)
        .bind(input.role.code())
        .bind(input.school_id)
        .bind(password_hash)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::unique(e, "email", "an account with this e-mail already exists"))?;
        let summary = format!("created account {} ({})", input.email, input.role.code());
        record(
            &mut tx,
            actor,
            Change { action: "create", entity: "user", entity_id: id, summary, before: None, after: json(input) },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!("SELECT {USER_COLS} FROM users u ORDER BY u.role, u.email"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user).collect()
    }

    /// An active account and its password hash, for signing in.
    /// The active account with this e-mail, whether or not it has a password (accounts that sign in only through
    /// the district's identity provider have none).
    pub async fn active_user_by_email(&self, email: &str) -> Result<Option<User>> {
        let r = sqlx::query(&format!("SELECT {USER_COLS} FROM users u WHERE u.email = $1 AND u.active = 1"))
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(user).transpose()
    }

    pub async fn user_for_sign_in(&self, email: &str) -> Result<Option<(User, String)>> {
        let r = sqlx::query(&format!(
            "SELECT {USER_COLS}, u.password_hash FROM users u WHERE u.email = $1 AND u.active = 1 AND u.password_hash IS NOT NULL"
        ))
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        match r {
            None => Ok(None),
            Some(r) => Ok(Some((user(&r)?, text(&r, "password_hash")?))),
        }
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        expires_at: &str,
    ) -> Result<()> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(user_id)
            .bind(csrf_token)
            .bind(now())
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The session's user, if the session exists, has not expired and its account is active.
    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionInfo>> {
        let r = sqlx::query(&format!(
            "SELECT {USER_COLS}, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1"
        ))
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        match r {
            None => Ok(None),
            Some(r) => Ok(Some(SessionInfo { user: user(&r)?, csrf_token: text(&r, "csrf_token")? })),
        }
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    /// Removes expired sessions and sign-in failures older than `before`.
    pub async fn purge_expired(&self, failures_before: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now()).execute(&self.pool).await?;
        sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(failures_before).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn record_login_failure(&self, key: &str) -> Result<()> {
        sqlx::query("INSERT INTO login_failures (throttle_key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(now())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Failed sign-ins for `key` since the given time (RFC 3339 UTC).
    pub async fn login_failures_since(&self, key: &str, since: &str) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE throttle_key = $1 AND at >= $2")
            .bind(key)
            .bind(since)
            .fetch_one(&self.pool)
            .await?)
    }

    pub async fn clear_login_failures(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1").bind(key).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn create_api_token(&self, user: &User, name: &str, token_hash: &str) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user.id)
        .bind(name)
        .bind(token_hash)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let summary = format!("created API token '{name}'");
        let after = Some(serde_json::json!({ "name": name, "user_id": user.id }));
        record(
            &mut tx,
            &user.actor(),
            Change { action: "create", entity: "api_token", entity_id: id, summary, before: None, after },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query("SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY id DESC")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiToken {
                    id: int(r, "id")?,
                    name: text(r, "name")?,
                    created_at: text(r, "created_at")?,
                    last_used_at: opt_text(r, "last_used_at")?,
                    revoked_at: opt_text(r, "revoked_at")?,
                })
            })
            .collect()
    }

    pub async fn revoke_api_token(&self, user: &User, token_id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done =
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
                .bind(now())
                .bind(token_id)
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let change = Change {
            action: "revoke",
            entity: "api_token",
            entity_id: token_id,
            summary: "revoked API token".into(),
            before: None,
            after: None,
        };
        record(&mut tx, &user.actor(), change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The active user behind an unrevoked token, marking the token used.
    pub async fn api_token_user(&self, token_hash: &str) -> Result<Option<User>> {
        let r = sqlx::query(&format!(
            "SELECT {USER_COLS}, t.id AS token_id FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = r else { return Ok(None) };
        // Recorded to the minute, so that a busy integration does not turn every read into a write.
        let minute_ago = crate::timestamp(chrono::Utc::now() - chrono::Duration::minutes(1));
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
        )
        .bind(now())
        .bind(int(&r, "token_id")?)
        .bind(minute_ago)
        .execute(&self.pool)
        .await?;
        Ok(Some(user(&r)?))
    }
}

impl Store {
    /// A per-installation secret, created on first use; concurrent first uses agree on one value.
    pub async fn instance_secret(&self, name: &str, fresh: &str) -> Result<String> {
        sqlx::query("INSERT INTO instance_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(fresh)
            .execute(&self.pool)
            .await?;
        Ok(sqlx::query_scalar("SELECT value FROM instance_settings WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?)
    }
}

impl Store {
    /// Turns an account off (its sessions end at once, its tokens stop working) or back on.
    pub async fn set_user_active(&self, actor: &Actor, id: i64, active: bool) -> Result<()> {
        let before = self.user(id).await?;
        if before.active == active {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if !active {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
        }
        let (action, verb) = if active { ("activate", "reactivated") } else { ("deactivate", "deactivated") };
        let change = Change {
            action,
            entity: "user",
            entity_id: id,
            summary: format!("{verb} account {}", before.email),
            before: Some(serde_json::json!({ "active": before.active })),
            after: Some(serde_json::json!({ "active": active })),
        };
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// Replaces an account's password hash and ends its other sessions (those not named by `keep_session`).
    pub async fn change_password(&self, user: &User, new_hash: &str, keep_session: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(new_hash)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user.id)
            .bind(keep_session)
            .execute(&mut *tx)
            .await?;
        let change = Change {
            action: "update",
            entity: "user",
            entity_id: user.id,
            summary: format!("changed the password of {}", user.email),
            before: None,
            after: None,
        };
        record(&mut tx, &user.actor(), change).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    pub async fn user(&self, id: i64) -> Result<User> {
        let r = sqlx::query(&format!("SELECT {USER_COLS} FROM users u WHERE u.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        user(&r.ok_or(StoreError::NotFound)?)
    }

    /// Changes an account's e-mail, name, role or school; the change applies to its sessions at once.
    pub async fn update_user(&self, actor: &Actor, id: i64, input: &UserInput) -> Result<()> {
        let before = self.user(id).await?;
        self.check_school(input.school_id).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET email = $1, name = $2, role = $3, school_id = $4 WHERE id = $5")
            .bind(&input.email)
            .bind(&input.name)
            .bind(input.role.code())
            .bind(input.school_id)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::unique(e, "email", "an account with this e-mail already exists"))?;
        let was = UserInput { email: before.email, name: before.name, role: before.role, school_id: before.school_id };
        let summary = format!("updated account {}", input.email);
        record(
            &mut tx,
            actor,
            Change { action: "update", entity: "user", entity_id: id, summary, before: json(&was), after: json(input) },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
