//! LTI Advantage in the store (migration 0008): values used once, the services' access tokens, content items
//! returned by deep linking, and the roster as launches and Names and Roles read it.

use crate::audit::{record, Change};
use crate::row::{int, opt_text, text};
use crate::{now, Actor, Result, Store, StoreError, Tool};

/// A content item a teacher chose through deep linking, for one class.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LtiResource {
    pub id: i64,
    pub tool_id: i64,
    pub product_id: i64,
    pub class_sourced_id: String,
    pub item_type: String,
    pub title: String,
    pub url: Option<String>,
    /// The item as the tool sent it.
    pub item: serde_json::Value,
}

/// A member of a class as Names and Roles shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ClassMemberDetail {
    pub sourced_id: String,
    pub role: String,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub email: Option<String>,
}

/// A class as a launch's context.
#[derive(Debug, Clone)]
pub struct ClassContext {
    pub sourced_id: String,
    pub title: String,
    pub class_code: Option<String>,
    pub course_sourced_id: Option<String>,
    pub school_sourced_id: Option<String>,
    /// Its grades, as the roster lists them (`03,04`).
    pub grades: Option<String>,
}

impl Store {
    /// Records that `value` (of `kind`) was used, keeping it until `expires_at`; false when it was already used.
    pub async fn use_lti_value_once(&self, kind: &str, value: &str, expires_at: &str) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO lti_used_values (kind, value, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(kind.to_owned())
        .bind(value.to_owned())
        .bind(expires_at.to_owned())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets used values and access tokens past their time.
    pub async fn purge_expired_lti_values(&self) -> Result<u64> {
        let at = now();
        let a = sqlx::query("DELETE FROM lti_used_values WHERE expires_at <= $1").bind(&at).execute(&self.pool).await?;
        let b =
            sqlx::query("DELETE FROM lti_access_tokens WHERE expires_at <= $1").bind(&at).execute(&self.pool).await?;
        Ok(a.rows_affected() + b.rows_affected())
    }

    /// Keeps an access token (by its SHA-256) granting `scopes` to a tool until `expires_at`.
    pub async fn create_lti_access_token(
        &self,
        tool_id: i64,
        token_hash: &str,
        scopes: &str,
        expires_at: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO lti_access_tokens (token_hash, tool_id, scopes, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash.to_owned())
        .bind(tool_id)
        .bind(scopes.to_owned())
        .bind(now())
        .bind(expires_at.to_owned())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The tool and granted scopes behind an unexpired access token.
    pub async fn lti_access_token(&self, token_hash: &str) -> Result<Option<(i64, String)>> {
        Ok(sqlx::query_as("SELECT tool_id, scopes FROM lti_access_tokens WHERE token_hash = $1 AND expires_at > $2")
            .bind(token_hash.to_owned())
            .bind(now())
            .fetch_optional(&self.pool)
            .await?)
    }

    /// A class as a launch context; not found when the roster has no such active class.
    pub async fn class_context(&self, class: &str) -> Result<ClassContext> {
        let r = sqlx::query(
            "SELECT sourced_id, title, class_code, course_sourced_id, school_sourced_id, grades FROM roster_classes \
             WHERE sourced_id = $1 AND status = 'active'",
        )
        .bind(class.to_owned())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(ClassContext {
            sourced_id: text(&r, "sourced_id")?,
            title: opt_text(&r, "title")?.unwrap_or_default(),
            class_code: opt_text(&r, "class_code")?,
            course_sourced_id: opt_text(&r, "course_sourced_id")?,
            school_sourced_id: opt_text(&r, "school_sourced_id")?,
            grades: opt_text(&r, "grades")?,
        })
    }

    /// A class's active members with their role in it, by sourcedId.
    pub async fn class_members_detail(&self, class: &str) -> Result<Vec<ClassMemberDetail>> {
        let rows = sqlx::query(
            "SELECT u.sourced_id, e.role, u.given_name, u.family_name, u.email FROM roster_enrollments e \
             JOIN roster_users u ON u.sourced_id = e.user_sourced_id \
             WHERE e.class_sourced_id = $1 AND e.status = 'active' AND u.status = 'active' \
             ORDER BY u.sourced_id",
        )
        .bind(class.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ClassMemberDetail {
                    sourced_id: text(r, "sourced_id")?,
                    role: opt_text(r, "role")?.unwrap_or_default(),
                    given_name: opt_text(r, "given_name")?,
                    family_name: opt_text(r, "family_name")?,
                    email: opt_text(r, "email")?,
                })
            })
            .collect()
    }

    /// A person's role in each of their classes (their active enrollments), by class sourcedId.
    pub async fn class_roles(&self, person: &str) -> Result<std::collections::HashMap<String, String>> {
        let rows: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT class_sourced_id, role FROM roster_enrollments WHERE user_sourced_id = $1 AND status = 'active'",
        )
        .bind(person.to_owned())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().filter_map(|(c, r)| Some((c?, r.unwrap_or_default()))).collect())
    }

    /// Stores the content items a teacher chose for a class through a tool's deep linking, audited as theirs.
    pub async fn add_lti_resources(
        &self,
        actor: &Actor,
        tool: &Tool,
        class: &str,
        items: &[(String, String, Option<String>, serde_json::Value)],
    ) -> Result<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        let at = now();
        let mut ids = Vec::with_capacity(items.len());
        for (item_type, title, url, item) in items {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO lti_resources (tool_id, class_sourced_id, item_type, title, url, item, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(tool.id)
            .bind(class.to_owned())
            .bind(item_type.clone())
            .bind(title.clone())
            .bind(url.clone())
            .bind(item.to_string())
            .bind(actor.user_id)
            .bind(&at)
            .fetch_one(&mut *tx)
            .await?;
            let change = Change {
                action: "create",
                entity: "lti_resource",
                entity_id: id,
                summary: format!("added \"{title}\" from {} to class {class}", tool.tool.name),
                before: None,
                after: Some(serde_json::json!({ "type": item_type, "title": title, "url": url })),
            };
            record(&mut tx, actor, change).await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// The content items chosen for any of `classes`.
    pub async fn lti_resources(&self, classes: &[String]) -> Result<Vec<LtiResource>> {
        let mut out = Vec::new();
        for class in classes {
            out.extend(self.resources_where("r.class_sourced_id = $1", crate::sql::Arg::Text(class.clone())).await?);
        }
        Ok(out)
    }

    pub async fn lti_resource(&self, id: i64) -> Result<LtiResource> {
        self.resources_where("r.id = $1", crate::sql::Arg::Int(id)).await?.pop().ok_or(StoreError::NotFound)
    }

    async fn resources_where(&self, condition: &str, arg: crate::sql::Arg) -> Result<Vec<LtiResource>> {
        let sql = format!(
            "SELECT r.id, r.tool_id, t.product_id, r.class_sourced_id, r.item_type, r.title, r.url, r.item \
             FROM lti_resources r JOIN lti_tools t ON t.id = r.tool_id WHERE {condition} ORDER BY r.id"
        );
        let rows = crate::sql::bind_all(sqlx::query(&sql), std::slice::from_ref(&arg)).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(LtiResource {
                    id: int(r, "id")?,
                    tool_id: int(r, "tool_id")?,
                    product_id: int(r, "product_id")?,
                    class_sourced_id: text(r, "class_sourced_id")?,
                    item_type: text(r, "item_type")?,
                    title: text(r, "title")?,
                    url: opt_text(r, "url")?,
                    item: serde_json::from_str(&text(r, "item")?)?,
                })
            })
            .collect()
    }
}
