//! The management policy: the form that edits it (from a preset or the version in force), its versions, and the
//! what-if view replaying recent requests under another policy.

use super::extract::Query;
use super::{options, render, Chrome, Opt};
use crate::auth::{CsrfForm, Viewer};
use crate::error::AppError;
use crate::governance::{start_re_reviews, RE_REVIEW};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use steward_core::access::Action;
use steward_core::enums::Vocabulary;
use steward_core::governance::policy::{replay, Load, Policy};
use steward_core::governance::policy_form::PolicyForm;
use steward_core::governance::rereview::ReReview;
use steward_core::governance::{BudgetHolder, Model, StageKind};
use steward_core::role::Role;
use steward_core::FieldErrors;
use steward_store::PolicyVersion;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PolicyQuery {
    /// Start the form from this model's preset.
    preset: Option<String>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "requests/policy.html")]
struct PolicyPage {
    chrome: Chrome,
    form: PolicyForm,
    errors: FieldErrors,
    versions: Vec<PolicyVersion>,
    in_force: PolicyVersion,
    may_edit: bool,
    models: Vec<Opt>,
    roles: Vec<Opt>,
    reviewers: Vec<Opt>,
    budgets: Vec<Opt>,
    categories: Vec<Opt>,
    re_review: ReReview,
}

impl PolicyPage {
    /// The months between reviews of a category, or blank.
    fn every(&self, category: &str) -> String {
        let id: i64 = category.parse().unwrap_or(0);
        self.re_review.every_months.iter().find(|(c, _)| *c == id).map(|(_, m)| m.to_string()).unwrap_or_default()
    }

    fn err(&self, f: &str) -> Option<&str> {
        self.errors.get(f)
    }

    fn err_stage(&self, kind: &str, f: &str) -> Option<&str> {
        self.errors.get(&format!("stages.{kind}.{f}"))
    }
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    form: PolicyForm,
    errors: FieldErrors,
) -> Result<PolicyPage, AppError> {
    let versions = state.store.policy_versions(20).await?;
    let in_force = state.store.policy_in_force().await?;
    let re_review: Option<ReReview> = state.store.governance_setting(RE_REVIEW).await?;
    let staff: Vec<Opt> = steward_core::access::ALL_STAFF
        .iter()
        .map(|r| Opt { value: r.code().into(), label: r.label().into() })
        .collect();
    let reviewers = staff
        .iter()
        .filter(|o| o.value != Role::Teacher.code())
        .map(|o| Opt { value: o.value.clone(), label: o.label.clone() })
        .collect();
    Ok(PolicyPage {
        chrome: Chrome::new(viewer, "/requests"),
        form,
        errors,
        versions,
        in_force,
        may_edit: viewer.may(Action::EditPolicy),
        models: options::<Model>(),
        roles: staff,
        reviewers,
        budgets: options::<BudgetHolder>(),
        categories: state
            .store
            .categories()
            .await?
            .into_iter()
            .map(|c| Opt { value: c.id.to_string(), label: c.category.name })
            .collect(),
        re_review: re_review.unwrap_or_default(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<PolicyQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadPolicy)?;
    let policy = match q.preset.as_deref().map(Model::parse) {
        Some(Ok(model)) => Policy::preset(model),
        Some(Err(m)) => return Err(AppError::BadRequest(m)),
        None => state.store.policy_in_force().await?.policy,
    };
    let mut p = page(&state, &viewer, PolicyForm::from_policy(&policy), FieldErrors::new()).await?;
    p.chrome = p.chrome.with_notice(q.notice.as_deref());
    Ok(render(p)?.into_response())
}

/// Saves the submitted policy as the next version, once it reads and passes its checks.
pub async fn save(
    State(state): State<AppState>,
    CsrfForm(viewer, pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    viewer.require(Action::EditPolicy)?;
    let form = PolicyForm::from_pairs(&pairs);
    let invalid = |errors| async {
        let p = page(&state, &viewer, form.clone(), errors).await?;
        Ok::<_, AppError>((StatusCode::UNPROCESSABLE_ENTITY, render(p)?).into_response())
    };
    let policy = match form.validate() {
        Ok(p) => p,
        Err(e) => return invalid(e).await,
    };
    match state.store.save_policy(&viewer.user.actor(), &policy).await {
        Ok(_) => Ok(Redirect::to("/policy?notice=updated").into_response()),
        Err(e) => invalid(super::form_errors(e.into())?).await,
    }
}

/// Saves the re-review rules: days before a DPA expires and before a contract ends, months per category.
pub async fn save_re_review(
    State(state): State<AppState>,
    CsrfForm(viewer, pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    viewer.require(Action::EditPolicy)?;
    let categories: Vec<i64> = state.store.categories().await?.iter().map(|c| c.id).collect();
    match ReReview::from_pairs(&pairs, &categories) {
        Ok(rules) => {
            state.store.save_governance_setting(&viewer.user.actor(), RE_REVIEW, &Some(rules)).await?;
            Ok(Redirect::to("/policy?notice=updated").into_response())
        }
        Err(errors) => {
            let policy = state.store.policy_in_force().await?.policy;
            let p = page(&state, &viewer, PolicyForm::from_policy(&policy), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(p)?).into_response())
        }
    }
}

/// Starts now the re-reviews the rules make due today (the server also does so every hour).
pub async fn run_re_reviews(
    State(state): State<AppState>,
    CsrfForm(viewer, _): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    viewer.require(Action::EditPolicy)?;
    start_re_reviews(&state.store, chrono::Utc::now().date_naive()).await?;
    Ok(Redirect::to("/requests?show=all").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WhatIfQuery {
    /// The model whose preset to replay under.
    preset: Option<String>,
    /// Or an earlier version of the district's own policy.
    version: Option<i64>,
    /// How many of the latest requests.
    n: Option<i64>,
}

/// One request replayed.
pub struct ReplayRow {
    pub id: i64,
    pub product: String,
    pub version: i64,
    pub actual: Vec<StageKind>,
    pub would: Vec<StageKind>,
    pub would_days: u32,
}

#[derive(Template)]
#[template(path = "requests/what_if.html")]
struct WhatIfPage {
    chrome: Chrome,
    preset: String,
    n: i64,
    /// What the requests are replayed under, as people read it.
    against: String,
    versions: Vec<i64>,
    models: Vec<Opt>,
    rows: Vec<ReplayRow>,
    now_load: Load,
    then_load: Load,
}

/// Stage names joined for a table cell.
pub fn kinds(k: &[StageKind]) -> String {
    if k.is_empty() {
        "none".into()
    } else {
        k.iter().map(|s| s.label()).collect::<Vec<_>>().join(", ")
    }
}

pub async fn what_if(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<WhatIfQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadPolicy)?;
    let preset = q.preset.unwrap_or_else(|| Model::Centralized.code().into());
    let n = q.n.unwrap_or(50).clamp(1, 1000);
    let (other, against) = match q.version {
        Some(v) => (state.store.policy_version(v).await?, format!("version {v}")),
        None => {
            let model = Model::parse(&preset).map_err(AppError::BadRequest)?;
            (Policy::preset(model), format!("the {} preset", model.label().to_lowercase()))
        }
    };
    let in_force = state.store.policy_in_force().await?.policy;
    let recent = state.store.recent_request_facts(n).await?;
    let ids: Vec<i64> = recent.iter().map(|r| r.0).collect();
    let actual = state.store.request_stage_kinds(&ids).await?;
    let facts: Vec<_> = recent.iter().map(|r| r.3.clone()).collect();
    let (replays, then_load) = replay(&other, &facts);
    let (_, now_load) = replay(&in_force, &facts);
    let rows = recent
        .into_iter()
        .zip(replays)
        .map(|((id, product, version, _), r)| ReplayRow {
            id,
            product,
            version,
            actual: actual.get(&id).cloned().unwrap_or_default(),
            would: r.stages,
            would_days: r.days,
        })
        .collect();
    Ok(render(WhatIfPage {
        chrome: Chrome::new(&viewer, "/requests"),
        preset,
        n,
        against,
        versions: state.store.policy_versions(50).await?.into_iter().map(|v| v.version).collect(),
        models: options::<Model>(),
        rows,
        now_load,
        then_load,
    })?
    .into_response())
}

impl WhatIfPage {
    /// The roles either policy loads, in the vocabulary's order.
    fn roles(&self) -> Vec<(Role, &'static str)> {
        Role::ALL
            .iter()
            .filter(|(r, _, _)| self.now_load.per_role.iter().chain(&self.then_load.per_role).any(|x| x.0 == *r))
            .map(|(r, _, label)| (*r, *label))
            .collect()
    }

    fn load(&self, load: &Load, role: &Role) -> String {
        load.per_role.iter().find(|x| x.0 == *role).map_or("—".into(), |(_, n, d)| format!("{n} ({d})"))
    }
}
