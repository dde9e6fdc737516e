//! The in-app inbox: a person's notifications, newest first; opening one marks it read and goes where it points.

use super::extract::Path;
use super::{render, Chrome};
use crate::auth::{CsrfForm, Viewer};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use steward_store::Notification;

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    chrome: Chrome,
    items: Vec<Notification>,
    unread: i64,
}

pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    let items = state.store.inbox(viewer.user.id, 200).await?;
    let unread = state.store.unread_count(viewer.user.id).await?;
    Ok(render(InboxPage { chrome: Chrome::new(&viewer, "/inbox"), items, unread })?.into_response())
}

#[derive(Deserialize, Default)]
pub struct Empty {}

/// Marks one notification read and opens what it points to; only one's own.
pub async fn open(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, _): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let link = state.store.mark_read(viewer.user.id, Some(id)).await?.unwrap_or_else(|| "/inbox".into());
    // Links are written by Steward and always local; anything else goes to the inbox.
    let to = if link.starts_with('/') && !link.starts_with("//") { link } else { "/inbox".into() };
    Ok(Redirect::to(&to).into_response())
}

pub async fn read_all(
    State(state): State<AppState>,
    CsrfForm(viewer, _): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    state.store.mark_read(viewer.user.id, None).await?;
    Ok(Redirect::to("/inbox").into_response())
}
