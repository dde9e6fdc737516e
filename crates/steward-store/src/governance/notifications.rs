//! Notifications: written in the transaction of the change they tell of, read in the inbox, and e-mailed from
//! the outbox once each.

use crate::row::{int, opt_text, text};
use crate::{now, Result, Store};
use serde::Serialize;
use sqlx::AnyConnection;
use steward_core::enums::Vocabulary;
use steward_core::role::Role;

#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    pub id: i64,
    pub user_id: i64,
    pub subject: String,
    pub body: String,
    pub link: String,
    pub created_at: String,
    pub read_at: Option<String>,
}

/// E-mail attempts before a message is left in the inbox only.
pub const MAX_EMAIL_ATTEMPTS: i64 = 5;

pub(crate) async fn notify(
    conn: &mut AnyConnection,
    user_id: i64,
    subject: &str,
    body: &str,
    link: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO notifications (user_id, subject, body, link, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(user_id)
        .bind(subject)
        .bind(body)
        .bind(link)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The active holders of `role` (at `school`, for a role held at a school).
pub(crate) async fn holders(conn: &mut AnyConnection, role: Role, school: Option<i64>) -> Result<Vec<i64>> {
    let ids: Vec<i64> = match school.filter(|_| role.requires_school()) {
        Some(s) => {
            sqlx::query_scalar("SELECT id FROM users WHERE active = 1 AND role = $1 AND school_id = $2 ORDER BY id")
                .bind(role.code())
                .bind(s)
                .fetch_all(&mut *conn)
                .await?
        }
        None => {
            sqlx::query_scalar("SELECT id FROM users WHERE active = 1 AND role = $1 ORDER BY id")
                .bind(role.code())
                .fetch_all(&mut *conn)
                .await?
        }
    };
    Ok(ids)
}

fn notification(r: &sqlx::any::AnyRow) -> Result<Notification> {
    Ok(Notification {
        id: int(r, "id")?,
        user_id: int(r, "user_id")?,
        subject: text(r, "subject")?,
        body: text(r, "body")?,
        link: text(r, "link")?,
        created_at: text(r, "created_at")?,
        read_at: opt_text(r, "read_at")?,
    })
}

impl Store {
    /// A person's latest notifications, newest first.
    pub async fn inbox(&self, user_id: i64, limit: i64) -> Result<Vec<Notification>> {
        let rows = sqlx::query("SELECT * FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2")
            .bind(user_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(notification).collect()
    }

    pub async fn unread_count(&self, user_id: i64) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?)
    }

    /// Marks one of the person's notifications read (`id`), or all of them; returns where the notification
    /// points.
    pub async fn mark_read(&self, user_id: i64, id: Option<i64>) -> Result<Option<String>> {
        let mut tx = self.begin_write().await?;
        let link = match id {
            Some(id) => {
                let link: Option<String> =
                    sqlx::query_scalar("SELECT link FROM notifications WHERE id = $1 AND user_id = $2")
                        .bind(id)
                        .bind(user_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let link = link.ok_or(crate::StoreError::NotFound)?;
                sqlx::query("UPDATE notifications SET read_at = $1 WHERE id = $2 AND read_at IS NULL")
                    .bind(now())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                Some(link)
            }
            None => {
                sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
                    .bind(now())
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                None
            }
        };
        tx.commit().await?;
        Ok(link)
    }

    /// Notifications not yet e-mailed, with their recipient's address, oldest first.
    pub async fn outbox(&self, limit: i64) -> Result<Vec<(Notification, String)>> {
        let rows = sqlx::query(
            "SELECT n.*, u.email FROM notifications n JOIN users u ON u.id = n.user_id \
             WHERE n.emailed_at IS NULL AND n.email_attempts < $1 AND u.active = 1 ORDER BY n.id LIMIT $2",
        )
        .bind(MAX_EMAIL_ATTEMPTS)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((notification(r)?, text(r, "email")?))).collect()
    }

    /// Records an e-mail attempt: sent, or failed (to be retried until [`MAX_EMAIL_ATTEMPTS`]).
    pub async fn mark_emailed(&self, id: i64, sent: bool) -> Result<()> {
        let sql = if sent {
            "UPDATE notifications SET emailed_at = $1, email_attempts = email_attempts + 1 WHERE id = $2"
        } else {
            "UPDATE notifications SET email_attempts = email_attempts + 1 WHERE id = $2 AND $1 IS NOT NULL"
        };
        sqlx::query(sql).bind(now()).bind(id).execute(&self.pool).await?;
        Ok(())
    }
}
