//! The infrastructure profile technology staff keep, and what each product declares it needs: the two sides the
//! technical checklist compares.

use super::extract::{Path, Query};
use super::NoticeQuery;
use super::{options, render, Chrome, Opt};
use crate::auth::{CsrfForm, Viewer};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use steward_core::access::Action;
use steward_core::enums::{SignOn, Vocabulary};
use steward_core::governance::infra::*;
use steward_core::FieldErrors;

/// The form's values as text, from the stored profile or as submitted.
type Values = Vec<(String, String)>;

#[derive(Template)]
#[template(path = "requests/infra.html")]
struct InfraPage {
    chrome: Chrome,
    values: Values,
    errors: FieldErrors,
    may_edit: bool,
    devices: Vec<Opt>,
    browsers: Vec<Opt>,
    identity: Vec<Opt>,
    lms: Vec<Opt>,
    rostering: Vec<Opt>,
    schools: Vec<Opt>,
}

impl InfraPage {
    fn err(&self, f: &str) -> Option<&str> {
        self.errors.get(f)
    }

    fn value(&self, name: &str) -> String {
        steward_core::fields::Pairs(&self.values).one(name)
    }

    fn list(&self, name: &str) -> Vec<String> {
        steward_core::fields::Pairs(&self.values).many(name)
    }
}

/// The stored profile as the form's name-value pairs.
fn values(p: &InfraProfile) -> Values {
    let mut v: Values = p.devices.iter().map(|(d, n)| (format!("devices.{}", d.code()), n.to_string())).collect();
    v.extend(p.bandwidth.iter().map(|(s, m)| (format!("bandwidth.{s}"), m.to_string())));
    v.extend(p.browsers.iter().map(|b| ("browsers".to_owned(), b.code().to_owned())));
    v.extend(p.identity.iter().map(|i| ("identity".to_owned(), i.code().to_owned())));
    v.extend(p.lms.iter().map(|l| ("lms".to_owned(), l.code().to_owned())));
    if p.lms_lti13 {
        v.push(("lms_lti13".into(), "1".into()));
    }
    v.extend(p.sis.iter().map(|s| ("sis".to_owned(), s.clone())));
    v.extend(p.rostering.iter().map(|r| ("rostering".to_owned(), r.code().to_owned())));
    v.extend(p.content_filter.iter().map(|c| ("content_filter".to_owned(), c.clone())));
    v
}

async fn page(state: &AppState, viewer: &Viewer, values: Values, errors: FieldErrors) -> Result<InfraPage, AppError> {
    let opt = |code: &str, label: &str| Opt { value: code.into(), label: label.into() };
    Ok(InfraPage {
        chrome: Chrome::new(viewer, "/requests"),
        values,
        errors,
        may_edit: viewer.may(Action::EditInfrastructure),
        devices: DEVICE_PLATFORMS.iter().map(|p| opt(p.code(), p.label())).collect(),
        browsers: options::<Browser>(),
        identity: IDENTITY_PROVIDERS.iter().map(|s: &SignOn| opt(s.code(), s.label())).collect(),
        lms: options::<Lms>(),
        rostering: options::<RosterMethod>(),
        schools: state
            .store
            .schools()
            .await?
            .into_iter()
            .map(|s| Opt { value: s.id.to_string(), label: s.org.name })
            .collect(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadInfrastructure)?;
    let profile = state.store.infra_profile().await?;
    let mut p = page(&state, &viewer, values(&profile), FieldErrors::new()).await?;
    p.chrome = p.chrome.with_notice(q.notice.as_deref());
    Ok(render(p)?.into_response())
}

pub async fn save(
    State(state): State<AppState>,
    CsrfForm(viewer, pairs): CsrfForm<Values>,
) -> Result<Response, AppError> {
    viewer.require(Action::EditInfrastructure)?;
    let schools: Vec<i64> = state.store.schools().await?.iter().map(|s| s.id).collect();
    match InfraProfile::from_pairs(&pairs, &schools) {
        Ok(profile) => {
            state.store.save_infra_profile(&viewer.user.actor(), &profile).await?;
            Ok(Redirect::to("/infrastructure?notice=updated").into_response())
        }
        Err(e) => {
            let p = page(&state, &viewer, pairs, e).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(p)?).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "requests/needs.html")]
struct NeedsPage {
    chrome: Chrome,
    product_id: i64,
    product_name: String,
    browsers: Vec<Opt>,
    chosen: Vec<String>,
    kbps: String,
    errors: FieldErrors,
    may_edit: bool,
}

pub async fn needs(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadInventory)?;
    let product = state.store.product(id).await?;
    let n = state.store.product_needs(id).await?;
    Ok(render(NeedsPage {
        chrome: Chrome::new(&viewer, "/products").with_notice(q.notice.as_deref()),
        product_id: id,
        product_name: product.product.name,
        browsers: options::<Browser>(),
        chosen: n.browsers.iter().map(|b| b.code().to_owned()).collect(),
        kbps: n.kbps_per_user.map(|k| k.to_string()).unwrap_or_default(),
        errors: FieldErrors::new(),
        may_edit: viewer.may(Action::EditInventory),
    })?
    .into_response())
}

pub async fn save_needs(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, pairs): CsrfForm<Values>,
) -> Result<Response, AppError> {
    viewer.require(Action::EditInventory)?;
    let product = state.store.product(id).await?;
    match ProductNeeds::from_pairs(&pairs) {
        Ok(n) => {
            state.store.save_product_needs(&viewer.user.actor(), id, &n).await?;
            Ok(Redirect::to(&format!("/products/{id}/needs?notice=updated")).into_response())
        }
        Err(errors) => {
            let page = NeedsPage {
                chrome: Chrome::new(&viewer, "/products"),
                product_id: id,
                product_name: product.product.name,
                browsers: options::<Browser>(),
                chosen: steward_core::fields::Pairs(&pairs).many("browsers"),
                kbps: steward_core::fields::Pairs(&pairs).one("kbps_per_user"),
                errors,
                may_edit: true,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
        }
    }
}
