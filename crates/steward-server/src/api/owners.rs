//! A product's named owners (manager, evaluator, purchaser…): inventory readers see them; few may change them.

use super::openapi::ErrorBody;
use super::paging::PageQuery;
use super::{created, ApiJson, ApiPath, ApiQuery, ApiUser, Listed, Listing};
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use steward_core::access::Action;
use steward_core::enums::OwnerRole;
use steward_core::people::OwnerDraft;
use steward_store::Owner;
use utoipa::ToSchema;

/// A person named as holding a role for a product.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnerOut {
    pub id: i64,
    pub product_id: i64,
    pub role: OwnerRole,
    pub name: String,
    pub email: Option<String>,
}

impl From<Owner> for OwnerOut {
    fn from(o: Owner) -> Self {
        Self { id: o.id, product_id: o.product_id, role: o.owner.role, name: o.owner.name, email: o.owner.email }
    }
}

/// An owner as submitted.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnerBody {
    #[schema(value_type = OwnerRole, required = true)]
    pub role: Option<String>,
    #[schema(required = true)]
    pub name: Option<String>,
    pub email: Option<String>,
}

impl OwnerBody {
    fn into_draft(self) -> OwnerDraft {
        OwnerDraft {
            role: self.role.unwrap_or_default(),
            name: self.name.unwrap_or_default(),
            email: self.email.unwrap_or_default(),
        }
    }
}

/// List a product's owners, by role and name.
#[utoipa::path(get, operation_id = "list_product_owners", path = "/api/v1/products/{id}/owners", tag = "products",
    params(("id" = i64, Path, description = "Product id"), PageQuery),
    responses(
        (status = 200, description = "One page of the product's owners", body = Listing<OwnerOut>),
        (status = 400, description = "A query parameter is unknown or malformed", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The role does not read the inventory", body = ErrorBody),
        (status = 404, description = "No such product", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    OriginalUri(uri): OriginalUri,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Listed<OwnerOut>, ApiError> {
    user.require(Action::ReadInventory)?;
    let paging = query.paging()?;
    state.store.product(id).await?;
    let (data, total) = paging.slice(state.store.owners(id).await?.into_iter().map(OwnerOut::from).collect());
    Ok(Listed::new(&uri, paging, total, data))
}

/// Name an owner of a product.
#[utoipa::path(post, operation_id = "create_product_owner", path = "/api/v1/products/{id}/owners", tag = "products", request_body = OwnerBody,
    params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 201, description = "Named; `Location` names the owner", body = OwnerOut),
        (status = 400, description = "The body is not JSON of this shape (unknown field, wrong type)", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The role does not name owners", body = ErrorBody),
        (status = 404, description = "No such product", body = ErrorBody),
        (status = 422, description = "Some fields need correcting; `fields` names them", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<OwnerBody>,
) -> Result<Response, ApiError> {
    user.require(Action::EditOwners)?;
    let input = body.into_draft().validate().map_err(AppError::Invalid)?;
    let owner_id = state.store.add_owner(&user.actor(), id, &input).await?;
    let owner = state.store.owners(id).await?.into_iter().find(|o| o.id == owner_id).ok_or(AppError::NotFound)?;
    Ok(created(format!("/api/v1/products/{id}/owners/{owner_id}"), OwnerOut::from(owner)))
}

/// Remove an owner from a product.
#[utoipa::path(delete, operation_id = "delete_product_owner", path = "/api/v1/products/{id}/owners/{owner_id}", tag = "products",
    params(("id" = i64, Path, description = "Product id"), ("owner_id" = i64, Path, description = "Owner id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The role does not name owners", body = ErrorBody),
        (status = 404, description = "No such owner of this product", body = ErrorBody),
    ))]
pub async fn remove(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath((id, owner_id)): ApiPath<(i64, i64)>,
) -> Result<Response, ApiError> {
    user.require(Action::EditOwners)?;
    state.store.remove_owner(&user.actor(), id, owner_id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
