//! The approved catalog: what every signed-in person, teachers and students included, may use. No money.

use super::extract::{Path, Query};
use super::products::ListQuery;
use super::{options, render, Chrome, Opt};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use steward_core::access::Action;
use steward_core::enums::Subject;
use steward_core::enums::Vocabulary;
use steward_store::{Page, Product};

#[derive(Template)]
#[template(path = "catalog/list.html")]
struct ListPage {
    chrome: Chrome,
    q: ListQuery,
    page: Page<Product>,
    subjects: Vec<Opt>,
}

pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadCatalog)?;
    let mut filter = q.filter(50);
    filter.approved_only = true;
    filter.status = None;
    filter.without_manager = false;
    // Which schools bought what is contract information; the catalog does not reveal it.
    filter.school_id = None;
    let page = state.store.products(&filter).await?;
    Ok(render(ListPage { chrome: Chrome::new(&viewer, "/catalog"), q, page, subjects: options::<Subject>() })?
        .into_response())
}

#[derive(Template)]
#[template(path = "catalog/show.html")]
struct ShowPage {
    chrome: Chrome,
    p: Product,
}

pub async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Result<Response, AppError> {
    viewer.require(Action::ReadCatalog)?;
    let p = state.store.product(id).await?;
    if !p.product.status.is_approved() {
        return Err(AppError::NotFound);
    }
    Ok(render(ShowPage { chrome: Chrome::new(&viewer, "/catalog"), p })?.into_response())
}
