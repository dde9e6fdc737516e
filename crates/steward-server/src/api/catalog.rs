//! Vendors (inventory readers and editors) and the category taxonomy (everyone reads; district admins edit).

use super::openapi::ErrorBody;
use super::paging::PageQuery;
use super::{created, id_text, ApiJson, ApiPath, ApiQuery, ApiUser, Listed, Listing};
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use axum::extract::{OriginalUri, State};
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use steward_core::access::Action;
use steward_core::people::{CategoryDraft, VendorDraft};
use steward_store::{Category, Vendor};
use utoipa::ToSchema;

/// A vendor of products.
#[derive(Debug, Serialize, ToSchema)]
pub struct VendorOut {
    pub id: i64,
    pub name: String,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub notes: Option<String>,
    /// How many products in the inventory come from this vendor.
    pub product_count: i64,
}

impl From<Vendor> for VendorOut {
    fn from(v: Vendor) -> Self {
        let i = v.vendor;
        Self {
            id: v.id,
            name: i.name,
            website: i.website,
            contact_email: i.contact_email,
            notes: i.notes,
            product_count: v.product_count,
        }
    }
}

/// A vendor as submitted. `PUT` replaces it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorBody {
    /// Required and unique.
    #[schema(required = true)]
    pub name: Option<String>,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub notes: Option<String>,
}

impl VendorBody {
    fn into_draft(self) -> VendorDraft {
        VendorDraft {
            name: self.name.unwrap_or_default(),
            website: self.website.unwrap_or_default(),
            contact_email: self.contact_email.unwrap_or_default(),
            notes: self.notes.unwrap_or_default(),
        }
    }
}

/// A category or subcategory (the taxonomy is two levels deep).
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryOut {
    pub id: i64,
    pub name: String,
    /// The top-level category of a subcategory.
    pub parent_id: Option<i64>,
    pub description: Option<String>,
    /// Products in the category, in every status; present only for readers of the inventory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_count: Option<i64>,
}

impl CategoryOut {
    fn new(c: Category, with_count: bool) -> Self {
        let i = c.category;
        Self {
            id: c.id,
            name: i.name,
            parent_id: i.parent_id,
            description: i.description,
            product_count: with_count.then_some(c.product_count),
        }
    }
}

/// A category as submitted. `PUT` replaces it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryBody {
    /// Required and unique.
    #[schema(required = true)]
    pub name: Option<String>,
    /// A top-level category, making this one a subcategory.
    pub parent_id: Option<i64>,
    pub description: Option<String>,
}

impl CategoryBody {
    fn into_draft(self) -> CategoryDraft {
        CategoryDraft {
            name: self.name.unwrap_or_default(),
            parent_id: id_text(self.parent_id),
            description: self.description.unwrap_or_default(),
        }
    }
}

/// List vendors, by name.
#[utoipa::path(get, path = "/api/v1/vendors", tag = "vendors", params(PageQuery),
    responses(
        (status = 200, description = "One page of vendors", body = Listing<VendorOut>),
        (status = 400, description = "A query parameter is unknown or malformed", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The role does not read the inventory", body = ErrorBody),
    ))]
pub async fn list_vendors(
    State(state): State<AppState>,
    user: ApiUser,
    OriginalUri(uri): OriginalUri,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Listed<VendorOut>, ApiError> {
    user.require(Action::ReadInventory)?;
    let paging = query.paging()?;
    let (data, total) = paging.slice(state.store.vendors().await?.into_iter().map(VendorOut::from).collect());
    Ok(Listed::new(&uri, paging, total, data))
}

/// One vendor.
#[utoipa::path(get, path = "/api/v1/vendors/{id}", tag = "vendors",
    params(("id" = i64, Path, description = "Vendor id")),
    responses(
        (status = 200, description = "The vendor", body = VendorOut),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The role does not read the inventory", body = ErrorBody),
        (status = 404, description = "No such vendor", body = ErrorBody),
    ))]
pub async fn show_vendor(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<VendorOut>, ApiError> {
    user.require(Action::ReadInventory)?;
    Ok(Json(state.store.vendor(id).await?.into()))
}

/// Add a vendor.
#[utoipa::path(post, path = "/api/v1/vendors", tag = "vendors", request_body = VendorBody,
    responses(
        (status = 201, description = "Created; `Location` names it", body = VendorOut),
        (status = 400, description = "The body is not JSON of this shape (unknown field, wrong type)", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The role does not edit the inventory", body = ErrorBody),
        (status = 422, description = "Some fields need correcting; `fields` names them", body = ErrorBody),
    ))]
pub async fn create_vendor(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<VendorBody>,
) -> Result<Response, ApiError> {
    user.require(Action::EditInventory)?;
    let input = body.into_draft().validate().map_err(AppError::Invalid)?;
    let id = state.store.save_vendor(&user.actor(), None, &input).await?;
    Ok(created(format!("/api/v1/vendors/{id}"), VendorOut::from(state.store.vendor(id).await?)))
}

/// Replace a vendor.
#[utoipa::path(put, path = "/api/v1/vendors/{id}", tag = "vendors", request_body = VendorBody,
    params(("id" = i64, Path, description = "Vendor id")),
    responses(
        (status = 200, description = "The vendor as saved", body = VendorOut),
        (status = 400, description = "The body is not JSON of this shape (unknown field, wrong type)", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The role does not edit the inventory", body = ErrorBody),
        (status = 404, description = "No such vendor", body = ErrorBody),
        (status = 422, description = "Some fields need correcting; `fields` names them", body = ErrorBody),
    ))]
pub async fn update_vendor(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<VendorBody>,
) -> Result<Json<VendorOut>, ApiError> {
    user.require(Action::EditInventory)?;
    let input = body.into_draft().validate().map_err(AppError::Invalid)?;
    state.store.save_vendor(&user.actor(), Some(id), &input).await?;
    Ok(Json(state.store.vendor(id).await?.into()))
}

/// List categories, by name.
#[utoipa::path(get, path = "/api/v1/categories", tag = "categories", params(PageQuery),
    responses(
        (status = 200, description = "One page of categories", body = Listing<CategoryOut>),
        (status = 400, description = "A query parameter is unknown or malformed", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
    ))]
pub async fn list_categories(
    State(state): State<AppState>,
    user: ApiUser,
    OriginalUri(uri): OriginalUri,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Listed<CategoryOut>, ApiError> {
    user.require(Action::ReadCatalog)?;
    let paging = query.paging()?;
    let counts = user.may(Action::ReadInventory);
    let all = state.store.categories().await?.into_iter().map(|c| CategoryOut::new(c, counts)).collect();
    let (data, total) = paging.slice(all);
    Ok(Listed::new(&uri, paging, total, data))
}

/// One category.
#[utoipa::path(get, path = "/api/v1/categories/{id}", tag = "categories",
    params(("id" = i64, Path, description = "Category id")),
    responses(
        (status = 200, description = "The category", body = CategoryOut),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 404, description = "No such category", body = ErrorBody),
    ))]
pub async fn show_category(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CategoryOut>, ApiError> {
    user.require(Action::ReadCatalog)?;
    Ok(Json(CategoryOut::new(state.store.category(id).await?, user.may(Action::ReadInventory))))
}

/// Add a category.
#[utoipa::path(post, path = "/api/v1/categories", tag = "categories", request_body = CategoryBody,
    responses(
        (status = 201, description = "Created; `Location` names it", body = CategoryOut),
        (status = 400, description = "The body is not JSON of this shape (unknown field, wrong type)", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Only district administrators edit categories", body = ErrorBody),
        (status = 422, description = "Some fields need correcting; `fields` names them", body = ErrorBody),
    ))]
pub async fn create_category(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<CategoryBody>,
) -> Result<Response, ApiError> {
    user.require(Action::EditCategories)?;
    let input = body.into_draft().validate().map_err(AppError::Invalid)?;
    let id = state.store.save_category(&user.actor(), None, &input).await?;
    let category = CategoryOut::new(state.store.category(id).await?, user.may(Action::ReadInventory));
    Ok(created(format!("/api/v1/categories/{id}"), category))
}

/// Replace a category.
#[utoipa::path(put, path = "/api/v1/categories/{id}", tag = "categories", request_body = CategoryBody,
    params(("id" = i64, Path, description = "Category id")),
    responses(
        (status = 200, description = "The category as saved", body = CategoryOut),
        (status = 400, description = "The body is not JSON of this shape (unknown field, wrong type)", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Only district administrators edit categories", body = ErrorBody),
        (status = 404, description = "No such category", body = ErrorBody),
        (status = 422, description = "Some fields need correcting; `fields` names them", body = ErrorBody),
    ))]
pub async fn update_category(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CategoryBody>,
) -> Result<Json<CategoryOut>, ApiError> {
    user.require(Action::EditCategories)?;
    let input = body.into_draft().validate().map_err(AppError::Invalid)?;
    state.store.save_category(&user.actor(), Some(id), &input).await?;
    Ok(Json(CategoryOut::new(state.store.category(id).await?, user.may(Action::ReadInventory))))
}
