//! A vendor's usage report uploaded as CSV: the columns chosen once and saved for the vendor (audited), the rows
//! read with them, good rows stored as usage (each once) and bad rows listed by line.

use super::extract::Path;
use super::{render, Chrome};
use crate::auth::{constant_time_eq, Viewer};
use crate::error::AppError;
use crate::state::AppState;
use crate::usage::{ingest_events, Report};
use askama::Template;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use steward_core::access::Action;
use steward_core::usage::csv::{header, rows, Mapping};
use steward_core::FieldErrors;
use steward_store::{ProductSummary, Vendor};

#[derive(Template)]
#[template(path = "vendors/usage.html")]
struct UsagePage {
    chrome: Chrome,
    vendor: Vendor,
    m: Mapping,
    products: Vec<ProductSummary>,
    errors: FieldErrors,
    report: Option<Report>,
}

impl UsagePage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    vendor: i64,
    m: Option<Mapping>,
    errors: FieldErrors,
    report: Option<Report>,
) -> Result<Response, AppError> {
    let vendor = state.store.vendor(vendor).await?;
    let m = match m {
        Some(m) => m,
        None => state.store.vendor_usage_mapping(vendor.id).await?.unwrap_or_else(|| Mapping {
            user_is: "sourcedId".into(),
            product_is: "domain".into(),
            duration_unit: "minutes".into(),
            ..Default::default()
        }),
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let products = state.store.product_names().await?;
    let page = UsagePage { chrome: Chrome::new(viewer, "/vendors"), vendor, m, products, errors, report };
    Ok((status, render(page)?).into_response())
}

pub async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Result<Response, AppError> {
    viewer.require(Action::IngestUsage)?;
    page(&state, &viewer, id, None, FieldErrors::new(), None).await
}

pub async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    req: Request,
) -> Result<Response, AppError> {
    viewer.require(Action::IngestUsage)?;
    let unreadable = || AppError::BadRequest("The upload could not be read; choose the file again.".into());
    let mut multipart = Multipart::from_request(req, &state).await.map_err(|_| unreadable())?;
    let (mut csrf, mut m, mut file) = (String::new(), Mapping::default(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "report" {
            file = field.bytes().await.map_err(|_| unreadable())?.to_vec();
            continue;
        }
        let value = field.text().await.map_err(|_| unreadable())?.trim().to_owned();
        match name.as_str() {
            "csrf_token" => csrf = value,
            "time" => m.time = value,
            "user" => m.user = value,
            "user_is" => m.user_is = value,
            "product" => m.product = value,
            "product_is" => m.product_is = value,
            "product_id" => m.product_id = value.parse().ok(),
            "kind" => m.kind = value,
            "duration" => m.duration = value,
            "duration_unit" => m.duration_unit = value,
            "school" => m.school = value,
            _ => {}
        }
    }
    if !constant_time_eq(&csrf, &viewer.csrf_token) {
        return Err(AppError::BadRequest(
            "This form has expired or did not come from Steward. Go back, reload the page and try again.".into(),
        ));
    }
    let mut errors = FieldErrors::new();
    let columns = match header(&file) {
        Ok(h) => h,
        Err(reason) => {
            errors.add("report", if file.is_empty() { "choose the vendor's CSV report".into() } else { reason });
            return page(&state, &viewer, id, Some(m), errors, None).await;
        }
    };
    if let Err(e) = m.check(&columns) {
        return page(&state, &viewer, id, Some(m), e, None).await;
    }
    state.store.vendor(id).await?;
    state.store.save_vendor_usage_mapping(&viewer.actor(), id, &m).await?;
    let read = rows(&file, &m).map_err(AppError::BadRequest)?;
    let report = ingest_events(&state, "csv", read).await?;
    page(&state, &viewer, id, Some(m), FieldErrors::new(), Some(report)).await
}
