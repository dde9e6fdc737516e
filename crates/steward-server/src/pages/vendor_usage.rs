//! A vendor's usage report uploaded as CSV: the columns chosen once and saved for the vendor (audited), the rows
//! read with them, good rows stored as usage (each once) and bad rows listed by line.

use super::extract::Path;
use super::{render, Chrome};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::state::AppState;
use crate::usage::{ingest_events, Report};
use askama::Template;
use axum::extract::{Request, State};
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
    let (fields, report) = super::multipart_form(&state, &viewer, req, "report").await?;
    let file = report.map(|(_, bytes)| bytes).unwrap_or_default();
    let mut m = Mapping::default();
    for (name, value) in fields {
        match name.as_str() {
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
