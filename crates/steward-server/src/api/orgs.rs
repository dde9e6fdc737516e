//! Organizations: the state, districts and schools. Staff who read the inventory may read them; district admins edit.

use super::openapi::ErrorBody;
use super::{created, id_text, vocab_param, ApiJson, ApiPath, ApiQuery, ApiUser, Listed, Listing, Paging};
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use axum::extract::{OriginalUri, State};
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use steward_core::access::Action;
use steward_core::org::{OrgDraft, OrgKind, SchoolLevel};
use steward_store::Org;
use utoipa::{IntoParams, ToSchema};

/// A state, district or school.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgOut {
    pub id: i64,
    pub kind: OrgKind,
    /// The district of a school, the state of a district.
    pub parent_id: Option<i64>,
    pub name: String,
    /// The OneRoster `sourcedId`.
    pub sourced_id: Option<String>,
    /// The NCES id: 7 digits for a district, 12 for a school.
    pub nces_id: Option<String>,
    pub school_level: Option<SchoolLevel>,
    /// The grades served, such as `K–5`.
    #[schema(example = "K–5")]
    pub grades: Option<String>,
}

impl From<Org> for OrgOut {
    fn from(o: Org) -> Self {
        let i = o.org;
        Self {
            id: o.id,
            kind: i.kind,
            parent_id: i.parent_id,
            name: i.name,
            sourced_id: i.sourced_id,
            nces_id: i.nces_id,
            school_level: i.school_level,
            grades: i.grades.map(|g| g.to_string()),
        }
    }
}

/// An organization as submitted. `PUT` replaces it; its `kind` cannot change.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgBody {
    #[schema(value_type = OrgKind, required = true)]
    pub kind: Option<String>,
    /// Required for a school (its district).
    pub parent_id: Option<i64>,
    #[schema(required = true)]
    pub name: Option<String>,
    pub sourced_id: Option<String>,
    pub nces_id: Option<String>,
    /// Schools only.
    #[schema(value_type = Option<SchoolLevel>)]
    pub school_level: Option<String>,
    /// Such as `K-5`.
    pub grades: Option<String>,
}

impl OrgBody {
    fn into_draft(self) -> OrgDraft {
        OrgDraft {
            kind: self.kind.unwrap_or_default(),
            parent_id: id_text(self.parent_id),
            name: self.name.unwrap_or_default(),
            sourced_id: self.sourced_id.unwrap_or_default(),
            nces_id: self.nces_id.unwrap_or_default(),
            school_level: self.school_level.unwrap_or_default(),
            grades: self.grades.unwrap_or_default(),
        }
    }
}

/// Filters and paging for the organization list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrgQuery {
    /// Only organizations of this kind.
    #[param(value_type = Option<OrgKind>)]
    pub kind: Option<String>,
    /// The page to return, from 1 (default 1).
    #[param(value_type = Option<i64>, minimum = 1)]
    pub page: Option<String>,
    /// Items per page (default 50, at most 500).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub per_page: Option<String>,
}

/// List organizations: states, then districts, then schools, each by name.
#[utoipa::path(get, operation_id = "list_organizations", path = "/api/v1/organizations", tag = "organizations", params(OrgQuery),
    responses(
        (status = 200, description = "One page of organizations", body = Listing<OrgOut>),
        (status = 400, description = "A query parameter is unknown or malformed", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The role does not read organizations", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    OriginalUri(uri): OriginalUri,
    ApiQuery(query): ApiQuery<OrgQuery>,
) -> Result<Listed<OrgOut>, ApiError> {
    user.require(Action::ReadOrganizations)?;
    let paging = Paging::parse(&query.page, &query.per_page)?;
    let kind: Option<OrgKind> = vocab_param("kind", &query.kind)?;
    let orgs = state.store.orgs().await?.into_iter().filter(|o| kind.is_none_or(|k| o.org.kind == k));
    let (data, total) = paging.slice(orgs.map(OrgOut::from).collect());
    Ok(Listed::new(&uri, paging, total, data))
}

/// One organization.
#[utoipa::path(get, operation_id = "show_organization", path = "/api/v1/organizations/{id}", tag = "organizations",
    params(("id" = i64, Path, description = "Organization id")),
    responses(
        (status = 200, description = "The organization", body = OrgOut),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "The role does not read organizations", body = ErrorBody),
        (status = 404, description = "No such organization", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<OrgOut>, ApiError> {
    user.require(Action::ReadOrganizations)?;
    Ok(Json(state.store.org(id).await?.into()))
}

/// Add an organization.
#[utoipa::path(post, operation_id = "create_organization", path = "/api/v1/organizations", tag = "organizations", request_body = OrgBody,
    responses(
        (status = 201, description = "Created; `Location` names it", body = OrgOut),
        (status = 400, description = "The body is not JSON of this shape (unknown field, wrong type)", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Only district administrators edit organizations", body = ErrorBody),
        (status = 422, description = "Some fields need correcting; `fields` names them", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<OrgBody>,
) -> Result<Response, ApiError> {
    user.require(Action::EditOrganizations)?;
    let input = body.into_draft().validate().map_err(AppError::Invalid)?;
    let id = state.store.create_org(&user.actor(), &input).await?;
    Ok(created(format!("/api/v1/organizations/{id}"), OrgOut::from(state.store.org(id).await?)))
}

/// Replace an organization.
#[utoipa::path(put, operation_id = "update_organization", path = "/api/v1/organizations/{id}", tag = "organizations", request_body = OrgBody,
    params(("id" = i64, Path, description = "Organization id")),
    responses(
        (status = 200, description = "The organization as saved", body = OrgOut),
        (status = 400, description = "The body is not JSON of this shape (unknown field, wrong type)", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Only district administrators edit organizations", body = ErrorBody),
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 422, description = "Some fields need correcting; `fields` names them", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<OrgBody>,
) -> Result<Json<OrgOut>, ApiError> {
    user.require(Action::EditOrganizations)?;
    let input = body.into_draft().validate().map_err(AppError::Invalid)?;
    state.store.update_org(&user.actor(), id, &input).await?;
    Ok(Json(state.store.org(id).await?.into()))
}
