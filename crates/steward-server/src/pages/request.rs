//! One request: its facts, stages, checklist and conversation, and the actions on it — a stage's decision (with
//! the technical checklist confirmed or overridden), the requester's answer, a comment, and the final decision.

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
use serde::Deserialize;
use steward_core::access::Action;
use steward_core::enums::{DataElement, DpaStatus, EssaTier, FundingSource, Scope, Subject, Vocabulary, WcagLevel};
use steward_core::fields::required_text;
use steward_core::governance::checklist::{evaluate, item_label, Check, Outcome, ProductTech, Reach};
use steward_core::governance::privacy::PrivacyDraft;
use steward_core::governance::request::{
    ApprovalCondition, CheckOverride, FinalDecisionDraft, RequestStatus, StageDecisionDraft, StageStatus,
};
use steward_core::governance::stage_facts::StageFacts;
use steward_core::governance::StageKind;
use steward_core::FieldErrors;
use steward_store::{RequestStage, RequestView, StageAction};

/// A checklist item with the reviewer's override, if any.
pub struct CheckRow {
    pub check: Check,
    pub label: &'static str,
    pub overridden: Option<CheckOverride>,
}

#[derive(Template)]
#[template(path = "requests/show.html")]
struct ShowPage {
    chrome: Chrome,
    r: RequestView,
    schools: Vec<String>,
    /// The stage under review, when the viewer may decide it.
    my_stage: Option<RequestStage>,
    checklist: Vec<CheckRow>,
    may_answer: bool,
    may_decide: bool,
    outcomes: Vec<Opt>,
    conditions: Vec<Opt>,
    scopes: Vec<Opt>,
    all_schools: Vec<Opt>,
    errors: FieldErrors,
    /// The product's record and privacy facts, which the privacy, curricular and accessibility stages review.
    product: steward_core::product::ProductInput,
    privacy: PrivacyDraft,
    vocab: StageVocab,
}

/// The choices the stages' review fields offer.
pub struct StageVocab {
    pub data_elements: Vec<Opt>,
    pub dpa_statuses: Vec<Opt>,
    pub subjects: Vec<Opt>,
    pub essa_tiers: Vec<Opt>,
    pub wcag: Vec<Opt>,
    pub funding: Vec<Opt>,
}

impl StageVocab {
    fn new() -> Self {
        StageVocab {
            data_elements: options::<DataElement>(),
            dpa_statuses: options::<DpaStatus>(),
            subjects: options::<Subject>(),
            essa_tiers: options::<EssaTier>(),
            wcag: options::<WcagLevel>(),
            funding: options::<FundingSource>(),
        }
    }
}

impl ShowPage {
    fn err(&self, f: &str) -> Option<&str> {
        self.errors.get(f)
    }

    fn codes<V: Vocabulary>(&self, list: &[V]) -> Vec<String> {
        list.iter().map(|v| v.code().to_owned()).collect()
    }

    fn dpa_expires(&self) -> String {
        self.product.dpa_expires.map(|d| d.to_string()).unwrap_or_default()
    }

    fn confirmed_cost(&self) -> String {
        steward_core::money::Money::plain(self.r.input.cost_minor)
    }

    fn cost(&self) -> String {
        steward_core::money::Money::new(self.r.input.cost_minor, steward_core::money::Currency::usd()).to_string()
    }

    /// Nothing chosen yet, for a fresh set of checkboxes.
    fn none(&self) -> Vec<String> {
        Vec::new()
    }

    fn stage_status(&self, s: &RequestStage) -> &'static str {
        if s.status == StageStatus::Waiting && !self.r.row.status.is_open() {
            "Not reached"
        } else {
            s.status.label()
        }
    }
}

/// The request, after checking the viewer may see it.
async fn visible(state: &AppState, viewer: &Viewer, id: i64) -> Result<RequestView, AppError> {
    let r = state.store.request(id).await?;
    viewer.require(Action::ReadRequest { requester: r.row.requester_id, school: r.row.school_id })?;
    Ok(r)
}

/// The technical checklist for a request, evaluated now against the infrastructure profile, with the overrides
/// recorded in `details`.
async fn checklist(
    state: &AppState,
    r: &RequestView,
    details: Option<&serde_json::Value>,
) -> Result<Vec<CheckRow>, AppError> {
    let product = state.store.product(r.row.product_id).await?.product;
    let needs = state.store.product_needs(r.row.product_id).await?;
    let profile = state.store.infra_profile().await?;
    let tech = ProductTech {
        platforms: &product.platforms,
        sign_on: &product.sign_on,
        interop: &product.interop,
        wcag: Some(product.wcag),
        data_elements: &product.data_elements,
        needs,
    };
    let reach = Reach { schools: r.input.schools.clone(), expected_users: r.input.expected_users };
    let overrides: Vec<CheckOverride> = details
        .and_then(|d| d.get("overrides"))
        .and_then(|o| serde_json::from_value(o.clone()).ok())
        .unwrap_or_default();
    let checks: Vec<Check> =
        match details.and_then(|d| d.get("checks")).and_then(|c| serde_json::from_value(c.clone()).ok()) {
            Some(kept) => kept,
            None => evaluate(&profile, &tech, &reach),
        };
    Ok(checks
        .into_iter()
        .map(|c| CheckRow {
            label: item_label(&c.item),
            overridden: overrides.iter().find(|o| o.item == c.item).cloned(),
            check: c,
        })
        .collect())
}

async fn page(state: &AppState, viewer: &Viewer, r: RequestView, errors: FieldErrors) -> Result<ShowPage, AppError> {
    let me = viewer.user.access();
    let my_stage = r
        .current()
        .filter(|s| s.status == StageStatus::Active)
        .filter(|s| viewer.may(Action::ReviewStage { role: s.reviewer_role, school: s.school_id }))
        .cloned();
    let technical = r.stages.iter().find(|s| s.kind == StageKind::Technical);
    let checklist = match technical {
        Some(s) => checklist(state, &r, s.details.as_ref()).await?,
        None => vec![],
    };
    let approver = state.store.policy_version(r.row.policy_version).await?.approver;
    let may_decide = r.row.status == RequestStatus::AwaitingDecision
        && viewer.may(Action::DecideRequest { approver, school: r.row.school_id });
    let schools = state.store.schools().await?;
    let product = state.store.product(r.row.product_id).await?.product;
    let (privacy, _) = state.store.product_privacy(r.row.product_id).await?;
    let names = r
        .input
        .schools
        .iter()
        .map(|id| schools.iter().find(|s| s.id == *id).map_or(format!("school {id}"), |s| s.org.name.clone()))
        .collect();
    Ok(ShowPage {
        chrome: Chrome::new(viewer, "/requests"),
        may_answer: r.row.status == RequestStatus::NeedsInfo && r.row.requester_id == Some(me.user_id),
        schools: names,
        my_stage,
        checklist,
        may_decide,
        outcomes: options::<Outcome>(),
        conditions: options::<ApprovalCondition>(),
        scopes: options::<Scope>(),
        all_schools: schools.into_iter().map(|s| Opt { value: s.id.to_string(), label: s.org.name }).collect(),
        errors,
        product,
        privacy: PrivacyDraft::from_facts(&privacy),
        vocab: StageVocab::new(),
        r,
    })
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let r = visible(&state, &viewer, id).await?;
    let mut p = page(&state, &viewer, r, FieldErrors::new()).await?;
    p.chrome = p.chrome.with_notice(q.notice.as_deref());
    Ok(render(p)?.into_response())
}

/// The request page again with the errors of a refused action.
async fn refused(state: &AppState, viewer: &Viewer, id: i64, errors: FieldErrors) -> Result<Response, AppError> {
    let r = state.store.request(id).await?;
    let p = page(state, viewer, r, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(p)?).into_response())
}

async fn done(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    result: Result<(), steward_store::StoreError>,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/requests/{id}?notice=updated")).into_response()),
        Err(e) => {
            let errors = super::form_errors(e.into())?;
            refused(state, viewer, id, errors).await
        }
    }
}

/// A stage's decision: `decision` and `note`, and for the technical stage `override.ITEM` (an outcome) with
/// `override_note.ITEM` for any checklist item the reviewer overrides.
pub async fn decide_stage(
    State(state): State<AppState>,
    Path((id, position)): Path<(i64, i64)>,
    CsrfForm(viewer, pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let r = visible(&state, &viewer, id).await?;
    let stage = r.stages.iter().find(|s| s.position == position).ok_or(AppError::NotFound)?.clone();
    viewer.require(Action::ReviewStage { role: stage.reviewer_role, school: stage.school_id })?;
    let one = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let draft = StageDecisionDraft { decision: one("decision"), note: one("note") };
    let mut errors = FieldErrors::new();
    let decided = draft.validate().map_err(|e| errors = e).ok();
    let facts = StageFacts::from_pairs(stage.kind, &pairs)
        .map_err(|e| e.iter().for_each(|x| errors.add(&x.field, x.message.clone())))
        .ok()
        .flatten();
    let mut details = facts.as_ref().map(|f| serde_json::json!({ "facts": f }));
    if stage.kind == StageKind::Technical {
        let checks = checklist(&state, &r, None).await?;
        let mut overrides = Vec::new();
        for row in &checks {
            let code = one(&format!("override.{}", row.check.item));
            if code.is_empty() {
                continue;
            }
            let field = format!("override.{}", row.check.item);
            let Some(outcome) = errors.check(&field, Outcome::parse(&code)) else { continue };
            if outcome == row.check.outcome {
                continue;
            }
            let note_field = format!("override_note.{}", row.check.item);
            if let Some(note) =
                errors.check(&note_field, required_text(&one(&note_field), 1000).map_err(|_| "say why you override it"))
            {
                overrides.push(CheckOverride { item: row.check.item.clone(), outcome, note });
            }
        }
        let kept: Vec<&Check> = checks.iter().map(|c| &c.check).collect();
        details = Some(serde_json::json!({ "checks": kept, "overrides": overrides }));
    }
    let Some((decision, note)) = decided.filter(|_| errors.is_empty()) else {
        return refused(&state, &viewer, id, errors).await;
    };
    let action = StageAction { decision, note, details, facts };
    let result = state.store.decide_stage(&viewer.user, id, position, &action).await;
    done(&state, &viewer, id, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TextForm {
    body: String,
}

pub async fn answer(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, form): CsrfForm<TextForm>,
) -> Result<Response, AppError> {
    let r = visible(&state, &viewer, id).await?;
    if r.row.requester_id != Some(viewer.user.id) {
        return Err(AppError::Forbidden);
    }
    let body = match required_text(&form.body, 4000) {
        Ok(b) => b,
        Err(m) => return refused(&state, &viewer, id, one_error("body", m)).await,
    };
    let result = state.store.answer_request(&viewer.user, id, &body).await;
    done(&state, &viewer, id, result).await
}

pub async fn comment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, form): CsrfForm<TextForm>,
) -> Result<Response, AppError> {
    visible(&state, &viewer, id).await?;
    let body = match required_text(&form.body, 4000) {
        Ok(b) => b,
        Err(m) => return refused(&state, &viewer, id, one_error("comment", m)).await,
    };
    let result = state.store.comment_request(&viewer.user, id, &body).await;
    done(&state, &viewer, id, result).await
}

pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, form): CsrfForm<FinalDecisionDraft>,
) -> Result<Response, AppError> {
    let r = visible(&state, &viewer, id).await?;
    let approver = state.store.policy_version(r.row.policy_version).await?.approver;
    viewer.require(Action::DecideRequest { approver, school: r.row.school_id })?;
    let decision = match form.validate() {
        Ok(d) => d,
        Err(e) => return refused(&state, &viewer, id, e).await,
    };
    let result = state.store.decide_request(&viewer.user, id, &decision).await;
    done(&state, &viewer, id, result).await
}

fn one_error(field: &str, message: String) -> FieldErrors {
    let mut e = FieldErrors::new();
    e.add(field, message);
    e
}
