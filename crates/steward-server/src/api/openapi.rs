//! The OpenAPI 3.1 description of the API, generated from the handlers and types, served without sign-in.

use super::{catalog, contracts, events, orgs, owners, products};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::sync::OnceLock;
use steward_core::enums::*;
use steward_core::fields::FieldError;
use steward_core::org::{OrgKind, SchoolLevel};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// Every error: a stable `code`, a `message` fit to show people, and for 422 the `fields` to correct.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)] // Describes what `ApiError` renders.
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub struct ErrorDetail {
    /// One of `unauthenticated`, `forbidden`, `not_found`, `bad_request`, `invalid`, `too_many_attempts`, `internal`.
    #[schema(example = "invalid")]
    pub code: String,
    #[schema(example = "Some values need correcting.")]
    pub message: String,
    /// With `invalid` only: each problem, named by the body field it concerns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldError>>,
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token created on the Account → API tokens page."))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Steward API",
        description = "The JSON API of Steward, the edtech ecosystem manager. Send an API token as \
            `Authorization: Bearer <token>`; what each call may see and change follows the token owner's role. \
            Lists take `page` and `per_page` (default 50, at most 500), answer `{\"data\", \"page\", \"per_page\", \
            \"total\"}` and link other pages in a `Link` header. Unknown query parameters and body fields are refused."
    ),
    paths(
        document,
        orgs::list, orgs::show, orgs::create, orgs::update,
        products::list, products::show, products::create, products::update,
        owners::list, owners::create, owners::remove,
        catalog::list_vendors, catalog::show_vendor, catalog::create_vendor, catalog::update_vendor,
        catalog::list_categories, catalog::show_category, catalog::create_category, catalog::update_category,
        contracts::list, contracts::show, contracts::create, contracts::update, contracts::remove,
        events::ingest,
    ),
    components(schemas(
        ErrorBody, ErrorDetail, FieldError,
        products::ProductSortKey, products::SortOrder,
        OrgKind, SchoolLevel, ProductStatus, Scope, Subject, Platform, SignOn, Interop, WcagLevel, DpaStatus,
        EssaTier, DataElement, LicenseModel, FundingSource, OwnerRole,
    )),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "organizations", description = "The state, districts and schools"),
        (name = "products", description = "The inventory, and each product's named owners"),
        (name = "vendors", description = "Who sells the products"),
        (name = "categories", description = "The two-level category taxonomy"),
        (name = "contracts", description = "Contracts and licenses, within the caller's scope"),
        (name = "usage", description = "Usage events from every channel, counted once each"),
        (name = "meta", description = "This description"),
    )
)]
pub struct ApiDoc;

/// This OpenAPI document.
#[utoipa::path(get, operation_id = "openapi_document", path = "/api/v1/openapi.json", tag = "meta", security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn document() -> Response {
    static DOC: OnceLock<String> = OnceLock::new();
    let json = DOC.get_or_init(|| ApiDoc::openapi().to_pretty_json().unwrap_or_else(|_| "{}".into()));
    ([(header::CONTENT_TYPE, "application/json")], json.as_str()).into_response()
}
