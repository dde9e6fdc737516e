//! A product's privacy facts — the privacy review's record, with the National DPA's fields — and its signed DPA
//! file, uploaded (checked for type and size) and downloaded.

use super::extract::{Path, Query};
use super::NoticeQuery;
use super::{render, Chrome};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use steward_core::access::Action;
use steward_core::governance::privacy::{check_dpa_file, PrivacyDraft};
use steward_core::FieldErrors;

#[derive(Template)]
#[template(path = "requests/privacy.html")]
struct PrivacyPage {
    chrome: Chrome,
    product_id: i64,
    product_name: String,
    d: PrivacyDraft,
    file_name: Option<String>,
    errors: FieldErrors,
    may_edit: bool,
}

impl PrivacyPage {
    fn err(&self, f: &str) -> Option<&str> {
        self.errors.get(f)
    }
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadInventory)?;
    let product = state.store.product(id).await?;
    let (facts, file_name) = state.store.product_privacy(id).await?;
    Ok(render(PrivacyPage {
        chrome: Chrome::new(&viewer, "/products").with_notice(q.notice.as_deref()),
        product_id: id,
        product_name: product.product.name,
        d: PrivacyDraft::from_facts(&facts),
        file_name,
        errors: FieldErrors::new(),
        may_edit: viewer.may(Action::EditPrivacy),
    })?
    .into_response())
}

/// Saves the facts and, when one is chosen, the DPA file (a PDF of at most 10 MB).
pub async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    req: Request,
) -> Result<Response, AppError> {
    viewer.require(Action::EditPrivacy)?;
    let product = state.store.product(id).await?;
    let (fields, file) = super::multipart_form(&state, &viewer, req, "dpa_file").await?;
    let pairs = serde_json::Value::Object(fields.into_iter().map(|(k, v)| (k, serde_json::Value::String(v))).collect());
    let draft: PrivacyDraft = serde_json::from_value(pairs).unwrap_or_default();
    let mut errors = FieldErrors::new();
    let facts = draft.validate().map_err(|e| errors = e).ok();
    let file = file.filter(|(_, b)| !b.is_empty());
    if let Some((name, bytes)) = &file {
        if let Err(m) = check_dpa_file(name, bytes) {
            errors.add("dpa_file", m);
        }
    }
    match facts.filter(|_| errors.is_empty()) {
        Some(facts) => {
            let upload = file.as_ref().map(|(n, b)| (n.as_str(), b.as_slice()));
            state.store.save_product_privacy(&viewer.user.actor(), id, &facts, upload).await?;
            Ok(Redirect::to(&format!("/products/{id}/privacy?notice=updated")).into_response())
        }
        None => {
            let (_, file_name) = state.store.product_privacy(id).await?;
            let page = PrivacyPage {
                chrome: Chrome::new(&viewer, "/products"),
                product_id: id,
                product_name: product.product.name,
                d: draft,
                file_name,
                errors,
                may_edit: true,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
        }
    }
}

/// The signed DPA, as a download.
pub async fn dpa(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Result<Response, AppError> {
    viewer.require(Action::ReadInventory)?;
    let (name, bytes) = state.store.dpa_file(id).await?;
    let safe: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || "._- ".contains(*c)).collect();
    let disposition = format!("attachment; filename=\"{}\"", if safe.is_empty() { "dpa.pdf" } else { &safe });
    Ok(([(header::CONTENT_TYPE, "application/pdf".to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}
