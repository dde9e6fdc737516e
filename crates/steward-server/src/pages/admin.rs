//! District administration: organizations and people.

use super::extract::{Path, Query};
use super::NoticeQuery;
use super::{err, options, render, saved, submit, Chrome, Opt, Outcome};
use crate::auth::{password, CsrfForm, Viewer};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use steward_core::access::Action;
use steward_core::enums::Vocabulary;
use steward_core::org::{OrgDraft, OrgKind, SchoolLevel};
use steward_core::people::UserDraft;
use steward_core::role::Role;
use steward_core::FieldErrors;
use steward_store::{Org, User};

#[derive(Template)]
#[template(path = "admin/orgs.html")]
struct OrgsPage {
    chrome: Chrome,
    orgs: Vec<Org>,
    can_edit: bool,
    d: OrgDraft,
    errors: FieldErrors,
    editing: Option<i64>,
    kinds: Vec<Opt>,
    levels: Vec<Opt>,
}

impl OrgsPage {
    fn err(&self, f: &str) -> Option<&str> {
        err(&self.errors, f)
    }
    fn org_name(&self, id: &Option<i64>) -> String {
        id.and_then(|id| self.orgs.iter().find(|o| o.id == id)).map(|o| o.org.name.clone()).unwrap_or_default()
    }
}

async fn orgs_page(
    state: &AppState,
    viewer: &Viewer,
    d: OrgDraft,
    errors: FieldErrors,
    editing: Option<i64>,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = OrgsPage {
        chrome: Chrome::new(viewer, "/organizations").with_notice(notice),
        orgs: state.store.orgs().await?,
        can_edit: viewer.may(Action::EditOrganizations),
        d,
        errors,
        editing,
        kinds: options::<OrgKind>(),
        levels: options::<SchoolLevel>(),
    };
    Ok((status, render(page)?).into_response())
}

pub async fn orgs(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ReadOrganizations)?;
    orgs_page(
        &state,
        &viewer,
        OrgDraft { kind: "school".into(), ..Default::default() },
        FieldErrors::new(),
        None,
        q.notice.as_deref(),
    )
    .await
}

pub async fn edit_org(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    viewer.require(Action::EditOrganizations)?;
    let o = state.store.org(id).await?.org;
    let d = OrgDraft {
        kind: o.kind.code().into(),
        parent_id: o.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        name: o.name,
        sourced_id: o.sourced_id.unwrap_or_default(),
        nces_id: o.nces_id.unwrap_or_default(),
        school_level: o.school_level.map(|l| l.code().to_owned()).unwrap_or_default(),
        grades: o.grades.map(|g| g.to_string()).unwrap_or_default(),
    };
    orgs_page(&state, &viewer, d, FieldErrors::new(), Some(id), None).await
}

pub async fn create_org(
    State(state): State<AppState>,
    CsrfForm(viewer, d): CsrfForm<OrgDraft>,
) -> Result<Response, AppError> {
    save_org(state, viewer, None, d).await
}

pub async fn update_org(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, d): CsrfForm<OrgDraft>,
) -> Result<Response, AppError> {
    save_org(state, viewer, Some(id), d).await
}

async fn save_org(state: AppState, viewer: Viewer, id: Option<i64>, d: OrgDraft) -> Result<Response, AppError> {
    viewer.require(Action::EditOrganizations)?;
    let (store, actor) = (&state.store, viewer.actor());
    let outcome = submit(d.validate(), |input| async move {
        match id {
            Some(id) => store.update_org(&actor, id, &input).await,
            None => store.create_org(&actor, &input).await.map(|_| ()),
        }
        .map(|()| format!("/organizations?notice={}", saved(id)))
    })
    .await?;
    match outcome {
        Outcome::Saved(to) => Ok(Redirect::to(&to).into_response()),
        Outcome::Invalid(errors) => orgs_page(&state, &viewer, d, errors, id, None).await,
    }
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    chrome: Chrome,
    me: i64,
    users: Vec<User>,
    schools: Vec<Org>,
    roles: Vec<Opt>,
    d: UserDraft,
    errors: FieldErrors,
    /// The account being edited, if any; otherwise the form creates one.
    editing: Option<i64>,
}

impl UsersPage {
    fn err(&self, f: &str) -> Option<&str> {
        err(&self.errors, f)
    }
    fn school_name(&self, id: &Option<i64>) -> String {
        id.and_then(|id| self.schools.iter().find(|o| o.id == id))
            .map(|o| o.org.name.clone())
            .unwrap_or_else(|| "District".into())
    }
}

async fn users_page(
    state: &AppState,
    viewer: &Viewer,
    d: UserDraft,
    errors: FieldErrors,
    editing: Option<i64>,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = UsersPage {
        chrome: Chrome::new(viewer, "/users").with_notice(notice),
        me: viewer.user.id,
        users: state.store.users().await?,
        schools: state.store.schools().await?,
        roles: options::<Role>(),
        d: UserDraft { password: String::new(), ..d },
        errors,
        editing,
    };
    Ok((status, render(page)?).into_response())
}

pub async fn users(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageUsers)?;
    users_page(&state, &viewer, UserDraft::default(), FieldErrors::new(), None, q.notice.as_deref()).await
}

pub async fn create_user(
    State(state): State<AppState>,
    CsrfForm(viewer, d): CsrfForm<UserDraft>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageUsers)?;
    let hashed = match d.validate() {
        Ok((input, pw)) => Ok((input, password::hash(&pw).map_err(AppError::internal)?)),
        Err(e) => Err(e),
    };
    let (store, actor) = (&state.store, viewer.actor());
    let outcome = submit(hashed, |(input, hash)| async move {
        store.create_user(&actor, &input, &hash).await.map(|_| "/users?notice=created".to_owned())
    })
    .await?;
    match outcome {
        Outcome::Saved(to) => Ok(Redirect::to(&to).into_response()),
        Outcome::Invalid(errors) => users_page(&state, &viewer, d, errors, None, None).await,
    }
}

#[derive(Deserialize)]
pub struct ActiveForm {
    #[serde(default)]
    active: String,
}

/// Deactivates or reactivates an account; nobody can lock themselves out this way.
pub async fn set_active(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, f): CsrfForm<ActiveForm>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageUsers)?;
    let active = match f.active.as_str() {
        "true" => true,
        "false" => false,
        _ => return Err(AppError::BadRequest("Choose whether the account is active.".into())),
    };
    if id == viewer.user.id && !active {
        return Err(AppError::BadRequest("You cannot deactivate your own account.".into()));
    }
    state.store.set_user_active(&viewer.actor(), id, active).await?;
    Ok(Redirect::to("/users?notice=updated").into_response())
}

pub async fn edit_user(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageUsers)?;
    let u = state.store.user(id).await?;
    let d = UserDraft {
        email: u.email,
        name: u.name,
        role: u.role.code().into(),
        school_id: u.school_id.map(|s| s.to_string()).unwrap_or_default(),
        password: String::new(),
    };
    users_page(&state, &viewer, d, FieldErrors::new(), Some(id), None).await
}

/// Changes an account's e-mail, name, role or school. An administrator cannot take away their own role.
pub async fn update_user(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(viewer, d): CsrfForm<UserDraft>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageUsers)?;
    let mut validated = d.validate_profile();
    if let Ok(input) = &validated {
        if id == viewer.user.id && input.role != viewer.user.role {
            let mut e = FieldErrors::new();
            e.add("role", "you cannot change your own role; another district administrator can");
            validated = Err(e);
        }
    }
    let (store, actor) = (&state.store, viewer.actor());
    let outcome = submit(validated, |input| async move {
        store.update_user(&actor, id, &input).await.map(|()| "/users?notice=updated".to_owned())
    })
    .await?;
    match outcome {
        Outcome::Saved(to) => Ok(Redirect::to(&to).into_response()),
        Outcome::Invalid(errors) => users_page(&state, &viewer, d, errors, Some(id), None).await,
    }
}
