//! The audit log: every change, written in the transaction that makes it, and never changed after.

use crate::row::{int, opt_int, opt_text, text};
use crate::sql::{bind_all, bind_scalar, Arg, Conditions};
use crate::{now, Actor, Page, Result, Store};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

/// One change as recorded.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: i64,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One field that a change altered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

impl AuditEntry {
    /// The time as people read it: `2026-11-23 14:05:09 UTC`.
    pub fn when(&self) -> String {
        format!("{} UTC", self.at.get(..19).unwrap_or(&self.at).replace('T', " "))
    }

    /// The top-level fields whose values differ between before and after.
    pub fn changes(&self) -> Vec<FieldChange> {
        let parse = |s: &Option<String>| -> serde_json::Map<String, serde_json::Value> {
            s.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default()
        };
        let (b, a) = (parse(&self.before), parse(&self.after));
        let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
        keys.sort();
        keys.dedup();
        let show = |v: Option<&serde_json::Value>| match v {
            None | Some(serde_json::Value::Null) => "—".to_owned(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
        };
        keys.into_iter()
            .filter(|k| b.get(*k) != a.get(*k))
            .map(|k| FieldChange { field: k.clone(), before: show(b.get(k)), after: show(a.get(k)) })
            .collect()
    }
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub actor: Option<String>,
    pub action: Option<String>,
    /// Inclusive dates, YYYY-MM-DD.
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub page: i64,
    pub per_page: i64,
}

/// What one change records.
pub(crate) struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: i64,
    pub summary: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Writes the entry on the caller's transaction, so the change and its record commit together.
pub(crate) async fn record(conn: &mut AnyConnection, actor: &Actor, change: Change<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, summary, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(now())
    .bind(actor.user_id)
    .bind(&actor.label)
    .bind(change.action)
    .bind(change.entity)
    .bind(change.entity_id)
    .bind(change.summary)
    .bind(change.before.map(|v| v.to_string()))
    .bind(change.after.map(|v| v.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

/// Serializes a domain value for the log.
pub(crate) fn json<T: Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

fn entry(r: &AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: int(r, "id")?,
        at: text(r, "at")?,
        actor_id: opt_int(r, "actor_id")?,
        actor: text(r, "actor")?,
        action: text(r, "action")?,
        entity: text(r, "entity")?,
        entity_id: int(r, "entity_id")?,
        summary: text(r, "summary")?,
        before: opt_text(r, "before_json")?,
        after: opt_text(r, "after_json")?,
    })
}

impl Store {
    /// The id of the latest change (0 before any). Every change writes its audit entry in its own transaction, so
    /// equal ids mean nothing has changed since: what is worked out from the stored data can be kept until then.
    pub async fn change_generation(&self) -> Result<i64> {
        let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM audit_log").fetch_one(&self.pool).await?;
        Ok(id.unwrap_or(0))
    }

    pub async fn audit_entries(&self, f: &AuditFilter) -> Result<Page<AuditEntry>> {
        let mut c = Conditions::default();
        if let Some(e) = &f.entity {
            c.push("entity = ?", [Arg::Text(e.clone())]);
        }
        if let Some(id) = f.entity_id {
            c.push("entity_id = ?", [Arg::Int(id)]);
        }
        if let Some(a) = &f.actor {
            c.push("LOWER(actor) LIKE ?", [Arg::Text(format!("%{}%", a.to_lowercase()))]);
        }
        if let Some(a) = &f.action {
            c.push("action = ?", [Arg::Text(a.clone())]);
        }
        if let Some(d) = f.from {
            c.push("at >= ?", [Arg::Text(d.to_string())]);
        }
        if let Some(d) = f.to {
            c.push("at < ?", [Arg::Text((d + chrono::Duration::days(1)).to_string())]);
        }
        let per_page = f.per_page.clamp(1, 500);
        let page = f.page.max(1);
        let total: i64 =
            bind_scalar(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM audit_log{}", c.where_sql())), c.args())
                .fetch_one(&self.pool)
                .await?;
        let sql = format!(
            "SELECT * FROM audit_log{} ORDER BY id DESC LIMIT {per_page} OFFSET {}",
            c.where_sql(),
            (page - 1) * per_page
        );
        let rows = bind_all(sqlx::query(&sql), c.args()).fetch_all(&self.pool).await?;
        let items = rows.iter().map(entry).collect::<Result<_>>()?;
        Ok(Page { items, total, page, per_page })
    }
}
