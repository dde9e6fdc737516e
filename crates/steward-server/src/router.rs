//! Every route Steward answers, on one screen.

use crate::pages::{
    account, admin, assets, audit, catalog, contracts, dashboard, export, imports, products, roster, vendor_data,
    vendors,
};
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;

pub fn router(state: AppState) -> Router {
    let upload_limit = DefaultBodyLimit::max(state.settings.max_upload_mb as usize * 1024 * 1024);
    Router::new()
        .route("/", get(dashboard::show))
        .route("/health", get(assets::health))
        .route("/assets/style.css", get(assets::style))
        .route("/sign-in", get(account::sign_in_page).post(account::sign_in))
        .route("/sign-out", post(account::sign_out))
        .route("/account/password", get(account::password_page).post(account::change_password))
        .route("/account/tokens", get(account::tokens).post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/catalog", get(catalog::list))
        .route("/catalog/{id}", get(catalog::show))
        .route("/products", get(products::list).post(products::create))
        .route("/products.csv", get(export::products_csv))
        .route("/products/new", get(products::new_form))
        .route("/products/{id}", get(products::show).post(products::update))
        .route("/products/{id}/edit", get(products::edit_form))
        .route("/products/{id}/owners", post(products::add_owner))
        .route("/products/{id}/roster", get(vendor_data::show))
        .route("/products/{id}/api-clients", post(vendor_data::register))
        .route("/products/{id}/api-clients/{client}", get(vendor_data::log))
        .route("/products/{id}/owners/{owner_id}/delete", post(products::remove_owner))
        .route("/contracts", get(contracts::list).post(contracts::create))
        .route("/contracts.csv", get(export::contracts_csv))
        .route("/contracts/new", get(contracts::new_form))
        .route("/contracts/{id}", get(contracts::show).post(contracts::update))
        .route("/contracts/{id}/edit", get(contracts::edit_form))
        .route("/contracts/{id}/delete", post(contracts::delete))
        .route("/renewals", get(contracts::renewals))
        .route("/spend", get(contracts::spend))
        .route("/vendors", get(vendors::list).post(vendors::create))
        .route("/vendors/new", get(vendors::new_form))
        .route("/vendors/{id}/edit", get(vendors::edit_form))
        .route("/vendors/{id}", post(vendors::update))
        .route("/categories", get(vendors::categories).post(vendors::create_category))
        .route("/categories/{id}", post(vendors::update_category))
        .route("/categories/{id}/edit", get(vendors::edit_category))
        .route("/organizations", get(admin::orgs).post(admin::create_org))
        .route("/organizations/{id}", post(admin::update_org))
        .route("/organizations/{id}/edit", get(admin::edit_org))
        .route("/users", get(admin::users).post(admin::create_user))
        .route("/users/{id}", post(admin::update_user))
        .route("/users/{id}/edit", get(admin::edit_user))
        .route("/users/{id}/active", post(admin::set_active))
        .route("/audit", get(audit::list))
        .route("/roster", get(roster::schools))
        .route("/roster/classes", get(roster::classes))
        .route("/roster/classes/{id}", get(roster::class))
        .route("/roster/people", get(roster::people))
        .route("/roster/people/{id}", get(roster::person))
        .route("/roster/export.zip", get(imports::export_zip))
        .route("/roster/imports", get(imports::history).post(imports::upload).layer(upload_limit))
        .route("/roster/imports/new", get(imports::new_form))
        .route("/roster/imports/running/{token}", get(imports::running))
        .route("/roster/imports/{id}", get(imports::show))
        .route("/roster/imports/{id}/problems.csv", get(imports::problems_csv))
        .nest("/api/v1", crate::api::routes())
        .route("/oauth/token", post(crate::oneroster::token::issue))
        .nest("/ims/oneroster", crate::oneroster::routes())
        .fallback(assets::not_found)
        .layer(axum::middleware::from_fn(assets::log_requests))
        .layer(from_fn_with_state(state.clone(), crate::auth::load_session))
        .layer(from_fn_with_state(state.clone(), assets::security_headers))
        .with_state(state)
}
