//! The inventory: list with search, filters and sort; detail; create and edit; CSV export; owners.

use super::extract::{Path, Query};
use super::NoticeQuery;
use super::{err, opt_id, options, render, saved, submit, Chrome, Opt, Outcome};
use crate::auth::{CsrfForm, Viewer};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use steward_core::access::Action;
use steward_core::enums::*;
use steward_core::grade::GradeBand;
use steward_core::people::OwnerDraft;
use steward_core::product::ProductDraft;
use steward_core::FieldErrors;
use steward_store::{
    Category, Contract, ContractFilter, Org, Owner, Page, Product, ProductFilter, ProductSort, Vendor,
};

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub q: Option<String>,
    pub category: Option<String>,
    pub vendor: Option<String>,
    pub status: Option<String>,
    pub school: Option<String>,
    pub grades: Option<String>,
    pub subject: Option<String>,
    pub sign_on: Option<String>,
    pub interop: Option<String>,
    pub unowned: Option<String>,
    pub sort: Option<String>,
    pub order: Option<String>,
    pub page: Option<i64>,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl ListQuery {
    /// The store filter; values that don't parse are ignored rather than failing the page.
    pub fn filter(&self, per_page: i64) -> ProductFilter {
        ProductFilter {
            q: blank(&self.q).map(str::to_owned),
            category_id: opt_id(&self.category),
            vendor_id: opt_id(&self.vendor),
            status: blank(&self.status).and_then(|s| ProductStatus::parse(s).ok()),
            school_id: opt_id(&self.school),
            grades: blank(&self.grades).and_then(|g| GradeBand::parse(g).ok()),
            subject: blank(&self.subject).and_then(|s| Subject::parse(s).ok()),
            sign_on: blank(&self.sign_on).and_then(|s| SignOn::parse(s).ok()),
            interop: blank(&self.interop).and_then(|s| Interop::parse(s).ok()),
            without_manager: self.unowned.as_deref() == Some("1"),
            sort: blank(&self.sort).and_then(ProductSort::parse).unwrap_or_default(),
            descending: self.order.as_deref() == Some("desc"),
            page: self.page.unwrap_or(1),
            per_page,
            approved_only: false,
        }
    }

    /// The query string for another page of the same list.
    pub fn page_link(&self, page: i64) -> String {
        let pairs = [
            ("q", &self.q),
            ("category", &self.category),
            ("vendor", &self.vendor),
            ("status", &self.status),
            ("school", &self.school),
            ("grades", &self.grades),
            ("subject", &self.subject),
            ("sign_on", &self.sign_on),
            ("interop", &self.interop),
            ("unowned", &self.unowned),
            ("sort", &self.sort),
            ("order", &self.order),
        ];
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            if let Some(v) = blank(v) {
                s.append_pair(k, v);
            }
        }
        s.append_pair("page", &page.to_string());
        format!("?{}", s.finish())
    }

    pub fn val(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "products/list.html")]
struct ListPage {
    chrome: Chrome,
    q: ListQuery,
    page: Page<Product>,
    categories: Vec<Category>,
    schools: Vec<Org>,
    statuses: Vec<Opt>,
    subjects: Vec<Opt>,
    sign_ons: Vec<Opt>,
    interops: Vec<Opt>,
    can_edit: bool,
}

pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadInventory)?;
    let page = state.store.products(&q.filter(50)).await?;
    let p = ListPage {
        chrome: Chrome::new(&viewer, "/products"),
        page,
        categories: state.store.categories().await?,
        schools: state.store.schools().await?,
        statuses: options::<ProductStatus>(),
        subjects: options::<Subject>(),
        sign_ons: options::<SignOn>(),
        interops: options::<Interop>(),
        can_edit: viewer.may(Action::EditInventory),
        q,
    };
    Ok(render(p)?.into_response())
}

#[derive(Template)]
#[template(path = "products/show.html")]
struct ShowPage {
    chrome: Chrome,
    p: Product,
    owners: Vec<Owner>,
    contracts: Option<Vec<Contract>>,
    can_edit: bool,
    can_edit_owners: bool,
    can_read_audit: bool,
    can_read_vendor_data: bool,
    owner_roles: Vec<Opt>,
    owner_errors: FieldErrors,
    owner_draft: OwnerDraft,
    /// The names of the schools a `some_schools` product is approved for.
    scope_schools: Vec<String>,
}

async fn show_page(state: &AppState, viewer: &Viewer, id: i64) -> Result<ShowPage, AppError> {
    let p = state.store.product(id).await?;
    let p_scope: Vec<String> = p.product.scope_schools.iter().map(ToString::to_string).collect();
    let contracts = match viewer.user.access().contract_scope() {
        Some(scope) => Some(
            state
                .store
                .contracts(&ContractFilter { scope: Some(scope), product_id: Some(id), ..Default::default() })
                .await?,
        ),
        None => None,
    };
    Ok(ShowPage {
        chrome: Chrome::new(viewer, "/products"),
        owners: state.store.owners(id).await?,
        p,
        contracts,
        can_edit: viewer.may(Action::EditInventory),
        can_edit_owners: viewer.may(Action::EditOwners),
        can_read_audit: viewer.may(Action::ReadAudit),
        can_read_vendor_data: viewer.may(Action::ReadVendorData),
        owner_roles: options::<OwnerRole>(),
        owner_errors: FieldErrors::new(),
        owner_draft: OwnerDraft::default(),
        // The schools are looked up only for a product approved for some of them.
        scope_schools: if p_scope.is_empty() {
            Vec::new()
        } else {
            school_options(state).await?.into_iter().filter(|o| p_scope.contains(&o.value)).map(|o| o.label).collect()
        },
    })
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadInventory)?;
    let mut page = show_page(&state, &viewer, id).await?;
    page.chrome = page.chrome.with_notice(q.notice.as_deref());
    Ok(render(page)?.into_response())
}

pub async fn add_owner(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, draft): CsrfForm<OwnerDraft>,
) -> Result<Response, AppError> {
    viewer.require(Action::EditOwners)?;
    let (store, actor) = (&state.store, viewer.actor());
    let outcome = submit(draft.validate(), |input| async move {
        store.add_owner(&actor, id, &input).await.map(|_| format!("/products/{id}?notice=owner_added"))
    })
    .await?;
    match outcome {
        Outcome::Saved(to) => Ok(Redirect::to(&to).into_response()),
        Outcome::Invalid(errors) => {
            let mut page = show_page(&state, &viewer, id).await?;
            page.owner_errors = errors;
            page.owner_draft = draft;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
        }
    }
}

pub async fn remove_owner(
    State(state): State<AppState>,
    Path((id, owner_id)): Path<(i64, i64)>,
    CsrfForm(viewer, _): CsrfForm<super::account::Empty>,
) -> Result<Redirect, AppError> {
    viewer.require(Action::EditOwners)?;
    state.store.remove_owner(&viewer.actor(), id, owner_id).await?;
    Ok(Redirect::to(&format!("/products/{id}?notice=owner_removed")))
}

#[derive(Template)]
#[template(path = "products/form.html")]
struct FormPage {
    chrome: Chrome,
    id: Option<i64>,
    d: ProductDraft,
    errors: FieldErrors,
    vendors: Vec<Vendor>,
    categories: Vec<Category>,
    statuses: Vec<Opt>,
    scopes: Vec<Opt>,
    subjects: Vec<Opt>,
    platforms: Vec<Opt>,
    sign_ons: Vec<Opt>,
    interops: Vec<Opt>,
    wcags: Vec<Opt>,
    elements: Vec<Opt>,
    dpas: Vec<Opt>,
    tiers: Vec<Opt>,
    schools: Vec<Opt>,
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    id: Option<i64>,
    d: ProductDraft,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = FormPage {
        chrome: Chrome::new(viewer, "/products"),
        id,
        d,
        errors,
        vendors: state.store.vendors().await?,
        categories: state.store.categories().await?,
        statuses: options::<ProductStatus>(),
        scopes: options::<Scope>(),
        subjects: options::<Subject>(),
        platforms: options::<Platform>(),
        sign_ons: options::<SignOn>(),
        interops: options::<Interop>(),
        wcags: options::<WcagLevel>(),
        elements: options::<DataElement>(),
        dpas: options::<DpaStatus>(),
        tiers: options::<EssaTier>(),
        schools: school_options(state).await?,
    };
    Ok((status, render(page)?).into_response())
}

/// What a link may fill in on the new-product form: the address a product was discovered at in usage.
#[derive(Deserialize, Default)]
pub struct NewProductQuery {
    #[serde(default)]
    launch_url: String,
}

pub async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NewProductQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::EditInventory)?;
    let draft = ProductDraft { launch_url: q.launch_url.trim().to_owned(), ..Default::default() };
    form_page(&state, &viewer, None, draft, FieldErrors::new()).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    viewer.require(Action::EditInventory)?;
    let p = state.store.product(id).await?;
    form_page(&state, &viewer, Some(id), p.product.to_draft(), FieldErrors::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    CsrfForm(viewer, d): CsrfForm<ProductDraft>,
) -> Result<Response, AppError> {
    save(state, viewer, None, d).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, d): CsrfForm<ProductDraft>,
) -> Result<Response, AppError> {
    save(state, viewer, Some(id), d).await
}

async fn save(state: AppState, viewer: Viewer, id: Option<i64>, d: ProductDraft) -> Result<Response, AppError> {
    viewer.require(Action::EditInventory)?;
    let (store, actor) = (&state.store, viewer.actor());
    let outcome = submit(d.validate(), |input| async move {
        let pid = match id {
            Some(id) => store.update_product(&actor, id, &input).await.map(|_| id)?,
            None => store.create_product(&actor, &input).await?,
        };
        Ok(format!("/products/{pid}?notice={}", saved(id)))
    })
    .await?;
    match outcome {
        Outcome::Saved(to) => Ok(Redirect::to(&to).into_response()),
        Outcome::Invalid(errors) => form_page(&state, &viewer, id, d, errors).await,
    }
}

/// Every school, for choosing where a product is approved.
async fn school_options(state: &AppState) -> Result<Vec<Opt>, AppError> {
    Ok(state.store.schools().await?.into_iter().map(|s| Opt { value: s.id.to_string(), label: s.org.name }).collect())
}

/// Template helpers.
impl FormPage {
    fn err(&self, f: &str) -> Option<&str> {
        err(&self.errors, f)
    }
}

impl ShowPage {
    fn err(&self, f: &str) -> Option<&str> {
        err(&self.owner_errors, f)
    }
}
