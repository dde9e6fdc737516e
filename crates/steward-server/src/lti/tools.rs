//! The LTI tools page: the tools registered with Steward, the form that registers or changes one, and the
//! platform's keys with their rotation.

use crate::auth::{CsrfForm, Viewer};
use crate::error::AppError;
use crate::pages::extract::{Path, Query};
use crate::pages::{render, Chrome, NoticeQuery, Opt};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use steward_core::access::Action;
use steward_core::fields::Pairs;
use steward_core::lti::ToolInput;
use steward_core::FieldErrors;
use steward_store::{SigningKey, Tool};

#[derive(Template)]
#[template(path = "lti/tools.html")]
struct ToolsPage {
    chrome: Chrome,
    tools: Vec<Tool>,
    keys: Vec<SigningKey>,
    base: String,
}

pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageLti)?;
    Ok(render(ToolsPage {
        chrome: Chrome::new(&viewer, "/products").with_notice(q.notice.as_deref()),
        tools: state.store.lti_tools().await?,
        keys: state.store.lti_keys().await?,
        base: state.settings.public_url.trim_end_matches('/').to_owned(),
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "lti/form.html")]
struct FormPage {
    chrome: Chrome,
    id: Option<i64>,
    /// For a registered tool: what checking its keys found, good or not.
    keys_check: Option<Result<String, String>>,
    values: Vec<(String, String)>,
    products: Vec<Opt>,
    errors: FieldErrors,
}

impl FormPage {
    fn value(&self, name: &str) -> String {
        Pairs(&self.values).one(name)
    }

    fn err(&self, f: &str) -> Option<&str> {
        self.errors.get(f)
    }
}

fn values(t: &ToolInput) -> Vec<(String, String)> {
    let pair = |k: &str, v: String| (k.to_owned(), v);
    vec![
        pair("product_id", t.product_id.to_string()),
        pair("name", t.name.clone()),
        pair("client_id", t.client_id.clone()),
        pair("deployment_ids", t.deployment_ids.join("\n")),
        pair("login_url", t.login_url.clone()),
        pair("redirect_uris", t.redirect_uris.join("\n")),
        pair("target_link_uri", t.target_link_uri.clone()),
        pair("deep_link_url", t.deep_link_url.clone().unwrap_or_default()),
        pair("jwks_url", t.jwks_url.clone().unwrap_or_default()),
        pair("public_jwk", t.public_jwk.clone().unwrap_or_default()),
    ]
}

async fn form(
    state: &AppState,
    viewer: &Viewer,
    id: Option<i64>,
    values: Vec<(String, String)>,
    errors: FieldErrors,
) -> Result<FormPage, AppError> {
    let products = state
        .store
        .product_names()
        .await?
        .into_iter()
        .map(|p| Opt { value: p.id.to_string(), label: p.name })
        .collect();
    Ok(FormPage { chrome: Chrome::new(viewer, "/products"), id, keys_check: None, values, products, errors })
}

pub async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Action::ManageLti)?;
    Ok(render(form(&state, &viewer, None, vec![], FieldErrors::new()).await?)?.into_response())
}

pub async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageLti)?;
    let tool = state.store.lti_tool(id).await?;
    let mut page = form(&state, &viewer, Some(id), values(&tool.tool), FieldErrors::new()).await?;
    page.keys_check = Some(super::tool_keys::check(&tool.tool).await);
    Ok(render(page)?.into_response())
}

async fn save(
    state: AppState,
    viewer: Viewer,
    id: Option<i64>,
    pairs: Vec<(String, String)>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageLti)?;
    let invalid = |errors| async {
        let page = form(&state, &viewer, id, pairs.clone(), errors).await?;
        Ok::<_, AppError>((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
    };
    let input = match ToolInput::from_pairs(&pairs) {
        Ok(i) => i,
        Err(e) => return invalid(e).await,
    };
    match state.store.save_lti_tool(&viewer.user.actor(), id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/lti/tools?notice={}", crate::pages::saved(id))).into_response()),
        Err(e) => invalid(crate::pages::form_errors(e.into())?).await,
    }
}

pub async fn create(
    State(state): State<AppState>,
    CsrfForm(viewer, pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    save(state, viewer, None, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageLti)?;
    state.store.lti_tool(id).await?;
    save(state, viewer, Some(id), pairs).await
}

pub async fn rotate(
    State(state): State<AppState>,
    CsrfForm(viewer, _): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageLti)?;
    super::keys::rotate(&state.store, &viewer.user.actor()).await?;
    Ok(Redirect::to("/lti/tools?notice=updated").into_response())
}
