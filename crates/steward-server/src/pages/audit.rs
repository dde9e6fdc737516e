//! The audit log, for district administrators: browsable and filterable, never editable.

use super::extract::Query;
use super::{render, Chrome};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use steward_core::access::Action;
use steward_core::fields::optional_date;
use steward_store::{AuditEntry, AuditFilter, Page};

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    entity: Option<String>,
    entity_id: Option<String>,
    actor: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    q: AuditQuery,
    page: Page<AuditEntry>,
    error: Option<String>,
    entities: &'static [&'static str],
    actions: &'static [&'static str],
}

fn val(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

impl AuditPage {
    fn page_link(&self, page: i64) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("entity", &self.q.entity),
            ("entity_id", &self.q.entity_id),
            ("actor", &self.q.actor),
            ("action", &self.q.action),
            ("from", &self.q.from),
            ("to", &self.q.to),
        ] {
            if !val(v).is_empty() {
                s.append_pair(k, val(v));
            }
        }
        s.append_pair("page", &page.to_string());
        format!("?{}", s.finish())
    }
}

pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadAudit)?;
    let mut error = None;
    let mut date = |field: &str, v: &Option<String>| match optional_date(val(v)) {
        Ok(d) => d,
        Err(e) => {
            error = Some(format!("{field}: {e}"));
            None
        }
    };
    let from = date("From", &q.from);
    let to = date("To", &q.to);
    let nonblank = |v: &Option<String>| Some(val(v).trim().to_owned()).filter(|s| !s.is_empty());
    let filter = AuditFilter {
        entity: nonblank(&q.entity),
        entity_id: val(&q.entity_id).trim().parse().ok(),
        actor: nonblank(&q.actor),
        action: nonblank(&q.action),
        from,
        to,
        page: q.page.unwrap_or(1),
        per_page: 50,
    };
    let page = state.store.audit_entries(&filter).await?;
    let p = AuditPage {
        chrome: Chrome::new(&viewer, "/audit"),
        q,
        page,
        error,
        entities: &["product", "contract", "owner", "vendor", "category", "org", "user", "api_token"],
        actions: &["create", "update", "delete", "revoke", "activate", "deactivate"],
    };
    Ok(render(p)?.into_response())
}
