//! What a product's vendor receives of the roster (the data minimization rule's answer, with counts), the product's
//! OneRoster API clients, registering one, and each client's access log.

use super::extract::{Path, Query};
use super::{render, Chrome, Opt};
use crate::auth::{CsrfForm, Viewer};
use crate::error::AppError;
use crate::oneroster::clients::{self, RegisterError};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use steward_core::access::Action;
use steward_interop::oneroster::rest::all_scopes;
use steward_store::{AccessLogEntry, ApiClient, Page, Product, RosterReceipt};

#[derive(Template)]
#[template(path = "products/roster.html")]
struct ReceiptPage {
    chrome: Chrome,
    p: Product,
    receipt: RosterReceipt,
    clients: Vec<ApiClient>,
    may_register: bool,
    scopes: Vec<Opt>,
    name: String,
    chosen: Vec<String>,
    error: Option<(&'static str, String)>,
    /// Just registered: (client id, secret), shown this once.
    registered: Option<(String, String)>,
}

impl ReceiptPage {
    fn field_error(&self, field: &str) -> Option<&str> {
        self.error.as_ref().filter(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }
}

async fn receipt_page(state: &AppState, viewer: &Viewer, id: i64) -> Result<ReceiptPage, AppError> {
    viewer.require(Action::ReadVendorData)?;
    let p = state.store.product(id).await?;
    let today = chrono::Local::now().date_naive();
    let receipt = state.store.roster_receipt(id, today).await?;
    let clients = state.store.api_clients_for_product(id).await?;
    let scopes = all_scopes().into_iter().map(|s| Opt { label: s.clone(), value: s }).collect();
    Ok(ReceiptPage {
        chrome: Chrome::new(viewer, "/products"),
        p,
        receipt,
        clients,
        may_register: viewer.may(Action::ManageApiClients),
        scopes,
        name: String::new(),
        chosen: Vec::new(),
        error: None,
        registered: None,
    })
}

pub async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Result<Response, AppError> {
    Ok(render(receipt_page(&state, &viewer, id).await?)?.into_response())
}

#[derive(Deserialize)]
pub struct ClientForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scopes: Vec<String>,
}

pub async fn register(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, form): CsrfForm<ClientForm>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageApiClients)?;
    let mut page = receipt_page(&state, &viewer, id).await?;
    match clients::register(&state.store, &viewer.actor(), id, &form.name, form.scopes.clone()).await {
        Ok(r) => {
            page.clients = state.store.api_clients_for_product(id).await?;
            page.registered = Some((r.client_id, r.secret));
            // Shown once, never cached.
            Ok((StatusCode::CREATED, [(axum::http::header::CACHE_CONTROL, "no-store")], render(page)?).into_response())
        }
        Err(RegisterError::Invalid { field, message }) => {
            page.name = form.name;
            page.chosen = form.scopes;
            page.error = Some((field, message));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
        }
        Err(RegisterError::Store(e)) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "products/api_log.html")]
struct LogPage {
    chrome: Chrome,
    p: Product,
    client: ApiClient,
    page: Page<AccessLogEntry>,
}

#[derive(Deserialize)]
pub struct LogQuery {
    page: Option<i64>,
}

pub async fn log(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, client)): Path<(i64, i64)>,
    Query(q): Query<LogQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadVendorData)?;
    let p = state.store.product(id).await?;
    let client = state.store.api_clients_for_product(id).await?.into_iter().find(|c| c.id == client);
    let client = client.ok_or(AppError::NotFound)?;
    state.access_log.flush().await;
    let page = state.store.api_access_log(client.id, q.page.unwrap_or(1)).await?;
    Ok(render(LogPage { chrome: Chrome::new(&viewer, "/products"), p, client, page })?.into_response())
}
