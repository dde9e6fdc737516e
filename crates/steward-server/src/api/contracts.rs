//! Contracts and licenses, limited to the caller's contract scope: all of them, or one school's.
//!
//! A contract outside the caller's scope answers 404, exactly as a missing one does, so that its existence is
//! not revealed. Callers who see no contracts at all (teachers, reviewers, students) get 403 everywhere.

use super::openapi::ErrorBody;
use super::{
    created, date_param, id_text, int_param, vocab_param, ApiJson, ApiPath, ApiQuery, ApiUser, Listed, Listing, Paging,
};
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use steward_core::access::{Action, ContractScope};
use steward_core::contract::{ContractDraft, ContractInput};
use steward_core::enums::{FundingSource, LicenseModel};
use steward_core::money::Money;
use steward_store::{Contract, ContractFilter};
use utoipa::{IntoParams, ToSchema};

/// An exact amount of money: a decimal string, never a float.
#[derive(Debug, Serialize, ToSchema)]
pub struct MoneyOut {
    #[schema(example = "1234.50")]
    pub amount: String,
    /// ISO 4217.
    #[schema(example = "USD")]
    pub currency: String,
}

impl From<&Money> for MoneyOut {
    fn from(m: &Money) -> Self {
        Self { amount: Money::plain(m.minor), currency: m.currency.as_str().to_owned() }
    }
}

/// A contract or license.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContractOut {
    pub id: i64,
    pub product_id: i64,
    pub product_name: String,
    pub category_id: i64,
    pub category_name: String,
    /// The school that bought it; `null` for a purchase by the district.
    pub school_id: Option<i64>,
    pub school_name: Option<String>,
    pub license_model: LicenseModel,
    pub seats: Option<i64>,
    pub cost: MoneyOut,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub funding_source: FundingSource,
    pub purchase_order: Option<String>,
    pub auto_renew: bool,
    /// Days of notice the vendor needs before the end date to cancel or change.
    pub notice_days: i64,
    pub notes: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Contract> for ContractOut {
    fn from(c: Contract) -> Self {
        let i = c.contract;
        Self {
            id: c.id,
            product_id: i.product_id,
            product_name: c.product_name,
            category_id: c.category_id,
            category_name: c.category_name,
            school_id: i.school_id,
            school_name: c.school_name,
            license_model: i.license_model,
            seats: i.seats,
            cost: MoneyOut::from(&i.cost),
            start_date: i.start_date,
            end_date: i.end_date,
            funding_source: i.funding_source,
            purchase_order: i.purchase_order,
            auto_renew: i.auto_renew,
            notice_days: i.notice_days,
            notes: i.notes,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// A contract as submitted. `PUT` replaces it. Every field is optional to serde, so that a missing one is reported
/// by name by the validation, not as a parse error.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractBody {
    #[schema(required = true)]
    pub product_id: Option<i64>,
    /// The buying school; omit or `null` for the district.
    pub school_id: Option<i64>,
    #[schema(value_type = LicenseModel, required = true)]
    pub license_model: Option<String>,
    /// Required for per-seat, per-student and per-teacher licenses.
    pub seats: Option<i64>,
    /// The total cost as a decimal string with at most two decimals, such as `"14400.00"`.
    #[schema(required = true, example = "14400.00")]
    pub cost: Option<String>,
    /// ISO 4217; default `USD`.
    #[schema(example = "USD")]
    pub currency: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(value_type = NaiveDate, required = true)]
    pub start_date: Option<String>,
    /// `YYYY-MM-DD`, not before the start and at most ten years after it.
    #[schema(value_type = NaiveDate, required = true)]
    pub end_date: Option<String>,
    /// Default `general_fund`.
    #[schema(value_type = Option<FundingSource>)]
    pub funding_source: Option<String>,
    pub purchase_order: Option<String>,
    /// Default `false`.
    pub auto_renew: Option<bool>,
    /// 0–365; default 0.
    pub notice_days: Option<i64>,
    pub notes: Option<String>,
}

impl ContractBody {
    fn into_draft(self) -> ContractDraft {
        ContractDraft {
            product_id: id_text(self.product_id),
            school_id: id_text(self.school_id),
            license_model: self.license_model.unwrap_or_default(),
            seats: self.seats.map(|n| n.to_string()).unwrap_or_default(),
            cost: self.cost.unwrap_or_default(),
            currency: self.currency.unwrap_or_default(),
            start_date: self.start_date.unwrap_or_default(),
            end_date: self.end_date.unwrap_or_default(),
            funding_source: self.funding_source.unwrap_or_default(),
            purchase_order: self.purchase_order.unwrap_or_default(),
            auto_renew: self.auto_renew.unwrap_or(false),
            notice_days: self.notice_days.map(|n| n.to_string()).unwrap_or_default(),
            notes: self.notes.unwrap_or_default(),
        }
    }

    fn validate(self) -> Result<ContractInput, ApiError> {
        Ok(self.into_draft().validate().map_err(AppError::Invalid)?)
    }
}

/// Filters and paging for the contract list, within the caller's scope.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ContractQuery {
    #[param(value_type = Option<i64>)]
    pub product_id: Option<String>,
    /// Contracts bought by this school.
    #[param(value_type = Option<i64>)]
    pub school_id: Option<String>,
    /// Contracts ending strictly before this date (`YYYY-MM-DD`).
    #[param(value_type = Option<NaiveDate>)]
    pub ends_before: Option<String>,
    /// Contracts ending strictly after this date (`YYYY-MM-DD`).
    #[param(value_type = Option<NaiveDate>)]
    pub ends_after: Option<String>,
    /// Contracts in force on this date (`YYYY-MM-DD`).
    #[param(value_type = Option<NaiveDate>)]
    pub active_on: Option<String>,
    #[param(value_type = Option<LicenseModel>)]
    pub license_model: Option<String>,
    #[param(value_type = Option<FundingSource>)]
    pub funding_source: Option<String>,
    /// The page to return, from 1 (default 1).
    #[param(value_type = Option<i64>, minimum = 1)]
    pub page: Option<String>,
    /// Items per page (default 50, at most 500).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub per_page: Option<String>,
}

/// The caller's contract scope; 403 for those who see no contracts.
fn scope(user: &ApiUser) -> Result<ContractScope, ApiError> {
    user.access().contract_scope().ok_or(ApiError(AppError::Forbidden))
}

/// The contract, if it exists and the caller may read it; 404 otherwise.
async fn visible(state: &AppState, user: &ApiUser, id: i64) -> Result<Contract, ApiError> {
    scope(user)?;
    let contract = state.store.contract(id).await?;
    if user.may(Action::ReadContracts { school: contract.contract.school_id }) {
        Ok(contract)
    } else {
        Err(ApiError(AppError::NotFound))
    }
}

/// List contracts by end date, limited to the caller's scope.
#[utoipa::path(get, operation_id = "list_contracts", path = "/api/v1/contracts", tag = "contracts", params(ContractQuery),
    responses(
        (status = 200, description = "One page of contracts", body = Listing<ContractOut>),
        (status = 400, description = "A query parameter is unknown or malformed", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The role sees no contracts", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    OriginalUri(uri): OriginalUri,
    ApiQuery(query): ApiQuery<ContractQuery>,
) -> Result<Listed<ContractOut>, ApiError> {
    let scope = scope(&user)?;
    let paging = Paging::parse(&query.page, &query.per_page)?;
    let filter = ContractFilter {
        scope: Some(scope),
        product_id: int_param("product_id", &query.product_id)?,
        school_id: int_param("school_id", &query.school_id)?,
        ends_from: date_param("ends_after", &query.ends_after)?.map(|d| d.succ_opt().unwrap_or(d)),
        ends_until: date_param("ends_before", &query.ends_before)?.map(|d| d.pred_opt().unwrap_or(d)),
        active_on: date_param("active_on", &query.active_on)?,
        license_model: vocab_param("license_model", &query.license_model)?,
        funding_source: vocab_param("funding_source", &query.funding_source)?,
        district_only: false,
    };
    let all = state.store.contracts(&filter).await?.into_iter().map(ContractOut::from).collect();
    let (data, total) = paging.slice(all);
    Ok(Listed::new(&uri, paging, total, data))
}

/// One contract.
#[utoipa::path(get, operation_id = "show_contract", path = "/api/v1/contracts/{id}", tag = "contracts",
    params(("id" = i64, Path, description = "Contract id")),
    responses(
        (status = 200, description = "The contract", body = ContractOut),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The role sees no contracts", body = ErrorBody),
        (status = 404, description = "No such contract, or not in the caller's scope", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ContractOut>, ApiError> {
    Ok(Json(visible(&state, &user, id).await?.into()))
}

/// Add a contract, bought by the district or by a school in the caller's scope.
#[utoipa::path(post, operation_id = "create_contract", path = "/api/v1/contracts", tag = "contracts", request_body = ContractBody,
    responses(
        (status = 201, description = "Created; `Location` names it", body = ContractOut),
        (status = 400, description = "The body is not JSON of this shape (unknown field, wrong type)", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The caller may not edit contracts of that buyer", body = ErrorBody),
        (status = 422, description = "Some fields need correcting; `fields` names them", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<ContractBody>,
) -> Result<Response, ApiError> {
    scope(&user)?;
    let input = body.validate()?;
    user.require(Action::EditContract { school: input.school_id })?;
    let id = state.store.save_contract(&user.actor(), None, &input).await?;
    Ok(created(format!("/api/v1/contracts/{id}"), ContractOut::from(state.store.contract(id).await?)))
}

/// Replace a contract. The caller must be able to edit contracts of both the current and the new buyer.
#[utoipa::path(put, operation_id = "update_contract", path = "/api/v1/contracts/{id}", tag = "contracts", request_body = ContractBody,
    params(("id" = i64, Path, description = "Contract id")),
    responses(
        (status = 200, description = "The contract as saved", body = ContractOut),
        (status = 400, description = "The body is not JSON of this shape (unknown field, wrong type)", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The caller may not edit contracts of that buyer", body = ErrorBody),
        (status = 404, description = "No such contract, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "Some fields need correcting; `fields` names them", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ContractBody>,
) -> Result<Json<ContractOut>, ApiError> {
    let existing = visible(&state, &user, id).await?;
    user.require(Action::EditContract { school: existing.contract.school_id })?;
    let input = body.validate()?;
    user.require(Action::EditContract { school: input.school_id })?;
    state.store.save_contract(&user.actor(), Some(id), &input).await?;
    Ok(Json(state.store.contract(id).await?.into()))
}

/// Delete a contract.
#[utoipa::path(delete, operation_id = "delete_contract", path = "/api/v1/contracts/{id}", tag = "contracts",
    params(("id" = i64, Path, description = "Contract id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The caller may not edit this contract", body = ErrorBody),
        (status = 404, description = "No such contract, or not in the caller's scope", body = ErrorBody),
    ))]
pub async fn remove(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let existing = visible(&state, &user, id).await?;
    user.require(Action::EditContract { school: existing.contract.school_id })?;
    state.store.delete_contract(&user.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
