//! Vendors and the category taxonomy.

use super::extract::{Path, Query};
use super::NoticeQuery;
use super::{err, render, saved, submit, Chrome, Outcome};
use crate::auth::{CsrfForm, Viewer};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use steward_core::access::Action;
use steward_core::people::{CategoryDraft, VendorDraft};
use steward_core::FieldErrors;
use steward_store::{Category, Vendor};

#[derive(Template)]
#[template(path = "vendors/list.html")]
struct ListPage {
    chrome: Chrome,
    vendors: Vec<Vendor>,
    can_edit: bool,
    /// Whether the viewer may upload vendors' usage reports.
    can_report: bool,
}

pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadInventory)?;
    let chrome = Chrome::new(&viewer, "/vendors").with_notice(q.notice.as_deref());
    Ok(render(ListPage {
        chrome,
        vendors: state.store.vendors().await?,
        can_edit: viewer.may(Action::EditInventory),
        can_report: viewer.may(Action::IngestUsage),
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "vendors/form.html")]
struct FormPage {
    chrome: Chrome,
    id: Option<i64>,
    d: VendorDraft,
    errors: FieldErrors,
}

impl FormPage {
    fn err(&self, f: &str) -> Option<&str> {
        err(&self.errors, f)
    }
}

fn form(viewer: &Viewer, id: Option<i64>, d: VendorDraft, errors: FieldErrors) -> Result<Response, AppError> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, render(FormPage { chrome: Chrome::new(viewer, "/vendors"), id, d, errors })?).into_response())
}

pub async fn new_form(viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Action::EditInventory)?;
    form(&viewer, None, VendorDraft::default(), FieldErrors::new())
}

pub async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    viewer.require(Action::EditInventory)?;
    let v = state.store.vendor(id).await?.vendor;
    let d = VendorDraft {
        name: v.name,
        website: v.website.unwrap_or_default(),
        contact_email: v.contact_email.unwrap_or_default(),
        notes: v.notes.unwrap_or_default(),
    };
    form(&viewer, Some(id), d, FieldErrors::new())
}

pub async fn create(
    State(state): State<AppState>,
    CsrfForm(viewer, d): CsrfForm<VendorDraft>,
) -> Result<Response, AppError> {
    save(state, viewer, None, d).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, d): CsrfForm<VendorDraft>,
) -> Result<Response, AppError> {
    save(state, viewer, Some(id), d).await
}

async fn save(state: AppState, viewer: Viewer, id: Option<i64>, d: VendorDraft) -> Result<Response, AppError> {
    viewer.require(Action::EditInventory)?;
    let (store, actor) = (&state.store, viewer.actor());
    let outcome = submit(d.validate(), |input| async move {
        store.save_vendor(&actor, id, &input).await.map(|_| format!("/vendors?notice={}", saved(id)))
    })
    .await?;
    match outcome {
        Outcome::Saved(to) => Ok(Redirect::to(&to).into_response()),
        Outcome::Invalid(errors) => form(&viewer, id, d, errors),
    }
}

#[derive(Template)]
#[template(path = "vendors/categories.html")]
struct CategoriesPage {
    chrome: Chrome,
    categories: Vec<Category>,
    can_edit: bool,
    d: CategoryDraft,
    errors: FieldErrors,
    editing: Option<i64>,
}

impl CategoriesPage {
    fn err(&self, f: &str) -> Option<&str> {
        err(&self.errors, f)
    }
    fn parent_name(&self, id: &Option<i64>) -> String {
        id.and_then(|id| self.categories.iter().find(|c| c.id == id))
            .map(|c| c.category.name.clone())
            .unwrap_or_default()
    }
}

async fn categories_page(
    state: &AppState,
    viewer: &Viewer,
    d: CategoryDraft,
    errors: FieldErrors,
    editing: Option<i64>,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = CategoriesPage {
        chrome: Chrome::new(viewer, "/categories").with_notice(notice),
        categories: state.store.categories().await?,
        can_edit: viewer.may(Action::EditCategories),
        d,
        errors,
        editing,
    };
    Ok((status, render(page)?).into_response())
}

pub async fn categories(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadInventory)?;
    categories_page(&state, &viewer, CategoryDraft::default(), FieldErrors::new(), None, q.notice.as_deref()).await
}

pub async fn edit_category(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    viewer.require(Action::EditCategories)?;
    let c = state.store.category(id).await?.category;
    let d = CategoryDraft {
        name: c.name,
        parent_id: c.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        description: c.description.unwrap_or_default(),
    };
    categories_page(&state, &viewer, d, FieldErrors::new(), Some(id), None).await
}

pub async fn create_category(
    State(state): State<AppState>,
    CsrfForm(viewer, d): CsrfForm<CategoryDraft>,
) -> Result<Response, AppError> {
    save_category(state, viewer, None, d).await
}

pub async fn update_category(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, d): CsrfForm<CategoryDraft>,
) -> Result<Response, AppError> {
    save_category(state, viewer, Some(id), d).await
}

async fn save_category(
    state: AppState,
    viewer: Viewer,
    id: Option<i64>,
    d: CategoryDraft,
) -> Result<Response, AppError> {
    viewer.require(Action::EditCategories)?;
    let (store, actor) = (&state.store, viewer.actor());
    let outcome = submit(d.validate(), |input| async move {
        store.save_category(&actor, id, &input).await.map(|_| format!("/categories?notice={}", saved(id)))
    })
    .await?;
    match outcome {
        Outcome::Saved(to) => Ok(Redirect::to(&to).into_response()),
        Outcome::Invalid(errors) => categories_page(&state, &viewer, d, errors, id, None).await,
    }
}
