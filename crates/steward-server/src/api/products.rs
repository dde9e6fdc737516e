//! Products: the full inventory with search, filters and sorting; create and replace. Staff who read the inventory only.

use super::openapi::ErrorBody;
use super::{bool_param, created, given, id_text, int_param, vocab_param, ApiJson, ApiPath, ApiQuery, ApiUser};
use super::{Listed, Listing, Paging};
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use axum::extract::{OriginalUri, State};
use axum::response::Response;
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use steward_core::access::Action;
use steward_core::enums::*;
use steward_core::grade::GradeBand;
use steward_core::product::ProductDraft;
use steward_store::{Product, ProductFilter, ProductSort};
use utoipa::{IntoParams, ToSchema};

/// A product in the inventory.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductOut {
    pub id: i64,
    pub name: String,
    pub vendor_id: i64,
    pub vendor_name: String,
    pub category_id: i64,
    pub category_name: String,
    pub description: Option<String>,
    pub website: Option<String>,
    pub launch_url: Option<String>,
    /// The host of the launch URL (or website), used to match usage to the product.
    pub launch_domain: Option<String>,
    /// The grade band, such as `K–5` or `9–12` (with an en dash).
    #[schema(example = "K–5")]
    pub grades: String,
    pub subjects: Vec<Subject>,
    pub platforms: Vec<Platform>,
    pub sign_on: Vec<SignOn>,
    pub interop: Vec<Interop>,
    pub wcag: WcagLevel,
    pub vpat_url: Option<String>,
    /// The student data the product collects.
    pub data_elements: Vec<DataElement>,
    pub third_parties: Option<String>,
    pub dpa_status: DpaStatus,
    pub dpa_expires: Option<NaiveDate>,
    pub essa_tier: EssaTier,
    pub status: ProductStatus,
    pub scope: Scope,
    /// With scope `some_schools`: the schools it is approved for.
    pub scope_schools: Vec<i64>,
    /// With scope `some_grades`: the grades it is approved for, such as `6–8`.
    pub scope_grades: Option<String>,
    /// Whether someone is named as the product's manager.
    pub has_manager: bool,
    /// How many schools bought the product themselves (not through the district).
    pub buying_schools: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Product> for ProductOut {
    fn from(p: Product) -> Self {
        let i = p.product;
        Self {
            id: p.id,
            name: i.name,
            vendor_id: i.vendor_id,
            vendor_name: p.vendor_name,
            category_id: i.category_id,
            category_name: p.category_name,
            description: i.description,
            website: i.website,
            launch_url: i.launch_url,
            launch_domain: p.launch_domain,
            grades: i.grades.to_string(),
            subjects: i.subjects,
            platforms: i.platforms,
            sign_on: i.sign_on,
            interop: i.interop,
            wcag: i.wcag,
            vpat_url: i.vpat_url,
            data_elements: i.data_elements,
            third_parties: i.third_parties,
            dpa_status: i.dpa_status,
            dpa_expires: i.dpa_expires,
            essa_tier: i.essa_tier,
            status: i.status,
            scope: i.scope,
            scope_schools: i.scope_schools,
            scope_grades: i.scope_grades.map(|g| g.to_string()),
            has_manager: p.has_manager,
            buying_schools: p.buying_schools,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A product as submitted. `PUT` replaces the whole product: omitted fields take their defaults.
/// Codes are the vocabularies' codes (case-insensitive); problems are reported per field with 422.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductBody {
    /// Required, at most 200 characters.
    #[schema(required = true)]
    pub name: Option<String>,
    #[schema(required = true)]
    pub vendor_id: Option<i64>,
    #[schema(required = true)]
    pub category_id: Option<i64>,
    pub description: Option<String>,
    /// An http(s) URL.
    pub website: Option<String>,
    pub launch_url: Option<String>,
    /// A grade band such as `K-5`, `9-12` or `PK`.
    #[schema(required = true, example = "K-5")]
    pub grades: Option<String>,
    /// Subject codes; an approved product needs at least one.
    #[schema(value_type = Option<Vec<Subject>>)]
    pub subjects: Option<Vec<String>>,
    #[schema(value_type = Option<Vec<Platform>>)]
    pub platforms: Option<Vec<String>>,
    #[schema(value_type = Option<Vec<SignOn>>)]
    pub sign_on: Option<Vec<String>>,
    #[schema(value_type = Option<Vec<Interop>>)]
    pub interop: Option<Vec<String>>,
    /// Default `unknown`.
    #[schema(value_type = Option<WcagLevel>)]
    pub wcag: Option<String>,
    pub vpat_url: Option<String>,
    #[schema(value_type = Option<Vec<DataElement>>)]
    pub data_elements: Option<Vec<String>>,
    pub third_parties: Option<String>,
    /// Default `none`. Collecting student data rules out `not_required`.
    #[schema(value_type = Option<DpaStatus>)]
    pub dpa_status: Option<String>,
    /// `YYYY-MM-DD`; required when the DPA is `signed`.
    #[schema(value_type = Option<NaiveDate>)]
    pub dpa_expires: Option<String>,
    /// Default `none`.
    #[schema(value_type = Option<EssaTier>)]
    pub essa_tier: Option<String>,
    /// Default `requested`.
    #[schema(value_type = Option<ProductStatus>)]
    pub status: Option<String>,
    /// Default `district_wide`.
    #[schema(value_type = Option<Scope>)]
    pub scope: Option<String>,
    /// With scope `some_schools`: the ids of the schools it is approved for.
    pub scope_schools: Option<Vec<i64>>,
    /// With scope `some_grades`: the grades it is approved for, such as `6-8`.
    pub scope_grades: Option<String>,
}

impl ProductBody {
    fn into_draft(self) -> ProductDraft {
        ProductDraft {
            name: self.name.unwrap_or_default(),
            vendor_id: id_text(self.vendor_id),
            category_id: id_text(self.category_id),
            description: self.description.unwrap_or_default(),
            website: self.website.unwrap_or_default(),
            launch_url: self.launch_url.unwrap_or_default(),
            grades: self.grades.unwrap_or_default(),
            subjects: self.subjects.unwrap_or_default(),
            platforms: self.platforms.unwrap_or_default(),
            sign_on: self.sign_on.unwrap_or_default(),
            interop: self.interop.unwrap_or_default(),
            wcag: self.wcag.unwrap_or_default(),
            vpat_url: self.vpat_url.unwrap_or_default(),
            data_elements: self.data_elements.unwrap_or_default(),
            third_parties: self.third_parties.unwrap_or_default(),
            dpa_status: self.dpa_status.unwrap_or_default(),
            dpa_expires: self.dpa_expires.unwrap_or_default(),
            essa_tier: self.essa_tier.unwrap_or_default(),
            status: self.status.unwrap_or_default(),
            scope: self.scope.unwrap_or_default(),
            scope_schools: self.scope_schools.unwrap_or_default().iter().map(ToString::to_string).collect(),
            scope_grades: self.scope_grades.unwrap_or_default(),
        }
    }
}

/// How a product list may be sorted.
#[derive(Debug, Clone, Copy, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)] // Describes the `sort` parameter in the OpenAPI document.
pub enum ProductSortKey {
    Name,
    Vendor,
    Status,
    Grades,
    Updated,
}

/// Ascending or descending.
#[derive(Debug, Clone, Copy, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)] // Describes the `order` parameter in the OpenAPI document.
pub enum SortOrder {
    Asc,
    Desc,
}

/// Filters, sorting and paging for the product list. Every filter narrows the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// Full-text search over name, vendor, category, description and subjects.
    pub q: Option<String>,
    /// A category, including its subcategories.
    #[param(value_type = Option<i64>)]
    pub category_id: Option<String>,
    #[param(value_type = Option<i64>)]
    pub vendor_id: Option<String>,
    #[param(value_type = Option<ProductStatus>)]
    pub status: Option<String>,
    /// Products licensed at this school, by its own contract or the district's.
    #[param(value_type = Option<i64>)]
    pub school_id: Option<String>,
    /// Products whose grade band overlaps this one, such as `K-5`.
    pub grades: Option<String>,
    #[param(value_type = Option<Subject>)]
    pub subject: Option<String>,
    #[param(value_type = Option<SignOn>)]
    pub sign_on: Option<String>,
    #[param(value_type = Option<Interop>)]
    pub interop: Option<String>,
    /// `true`: only products with nobody named as manager.
    #[param(value_type = Option<bool>)]
    pub without_manager: Option<String>,
    /// Default `name`.
    #[param(value_type = Option<ProductSortKey>)]
    pub sort: Option<String>,
    /// Default `asc`.
    #[param(value_type = Option<SortOrder>)]
    pub order: Option<String>,
    /// The page to return, from 1 (default 1).
    #[param(value_type = Option<i64>, minimum = 1)]
    pub page: Option<String>,
    /// Items per page (default 50, at most 500).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub per_page: Option<String>,
}

impl ProductQuery {
    fn filter(&self) -> Result<(ProductFilter, Paging), ApiError> {
        let paging = Paging::parse(&self.page, &self.per_page)?;
        let sort = match given(&self.sort) {
            None => ProductSort::default(),
            Some(s) => ProductSort::parse(&s.to_ascii_lowercase()).ok_or_else(|| {
                super::bad_param("sort", format!("'{s}' is not one of: name, vendor, status, grades, updated"))
            })?,
        };
        let descending = match given(&self.order).map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(o) => return Err(super::bad_param("order", format!("'{o}' is not asc or desc"))),
        };
        let filter = ProductFilter {
            q: given(&self.q).map(str::to_owned),
            category_id: int_param("category_id", &self.category_id)?,
            vendor_id: int_param("vendor_id", &self.vendor_id)?,
            status: vocab_param("status", &self.status)?,
            approved_only: false,
            school_id: int_param("school_id", &self.school_id)?,
            grades: given(&self.grades).map(GradeBand::parse).transpose().map_err(|m| super::bad_param("grades", m))?,
            subject: vocab_param("subject", &self.subject)?,
            sign_on: vocab_param("sign_on", &self.sign_on)?,
            interop: vocab_param("interop", &self.interop)?,
            without_manager: bool_param("without_manager", &self.without_manager)?.unwrap_or(false),
            sort,
            descending,
            page: paging.page,
            per_page: paging.per_page,
        };
        Ok((filter, paging))
    }
}

/// List products.
#[utoipa::path(get, operation_id = "list_products", path = "/api/v1/products", tag = "products", params(ProductQuery),
    responses(
        (status = 200, description = "One page of products", body = Listing<ProductOut>),
        (status = 400, description = "A query parameter is unknown or malformed", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The role does not read the inventory", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    OriginalUri(uri): OriginalUri,
    ApiQuery(query): ApiQuery<ProductQuery>,
) -> Result<Listed<ProductOut>, ApiError> {
    user.require(Action::ReadInventory)?;
    let (filter, paging) = query.filter()?;
    let page = state.store.products(&filter).await?;
    Ok(Listed::new(&uri, paging, page.total, page.items.into_iter().map(ProductOut::from).collect()))
}

/// One product.
#[utoipa::path(get, operation_id = "show_product", path = "/api/v1/products/{id}", tag = "products",
    params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 200, description = "The product", body = ProductOut),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The role does not read the inventory", body = ErrorBody),
        (status = 404, description = "No such product", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProductOut>, ApiError> {
    user.require(Action::ReadInventory)?;
    Ok(Json(state.store.product(id).await?.into()))
}

/// Add a product to the inventory.
#[utoipa::path(post, operation_id = "create_product", path = "/api/v1/products", tag = "products", request_body = ProductBody,
    responses(
        (status = 201, description = "Created; `Location` names it", body = ProductOut),
        (status = 400, description = "The body is not JSON of this shape (unknown field, wrong type)", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The role does not edit the inventory", body = ErrorBody),
        (status = 422, description = "Some fields need correcting; `fields` names them", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<ProductBody>,
) -> Result<Response, ApiError> {
    user.require(Action::EditInventory)?;
    let input = body.into_draft().validate().map_err(AppError::Invalid)?;
    let id = state.store.create_product(&user.actor(), &input).await?;
    let product = ProductOut::from(state.store.product(id).await?);
    Ok(created(format!("/api/v1/products/{id}"), product))
}

/// Replace a product.
#[utoipa::path(put, operation_id = "update_product", path = "/api/v1/products/{id}", tag = "products", request_body = ProductBody,
    params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 200, description = "The product as saved", body = ProductOut),
        (status = 400, description = "The body is not JSON of this shape (unknown field, wrong type)", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The role does not edit the inventory", body = ErrorBody),
        (status = 404, description = "No such product", body = ErrorBody),
        (status = 422, description = "Some fields need correcting; `fields` names them", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ProductBody>,
) -> Result<Json<ProductOut>, ApiError> {
    user.require(Action::EditInventory)?;
    let input = body.into_draft().validate().map_err(AppError::Invalid)?;
    state.store.update_product(&user.actor(), id, &input).await?;
    Ok(Json(state.store.product(id).await?.into()))
}
