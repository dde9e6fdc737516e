//! OneRoster imports from the browser: the upload, its progress, the history, each import's problems, the export.

use super::extract::{Path, Query};
use super::{render, Chrome};
use crate::auth::{constant_time_eq, random_token, Viewer};
use crate::error::AppError;
use crate::jobs::Phase;
use crate::rostering::{self, ImportError, ProblemRow, Source};
use crate::state::AppState;
use askama::Template;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::io::Seek;
use steward_core::access::Action;
use steward_interop::oneroster::BulkSet;
use steward_interop::Strictness;
use steward_store::{ImportProblem, Page, RosterImportEntry};

/// Problems listed on an import's page; all of them are in the CSV download.
const PROBLEMS_ON_PAGE: i64 = 500;
/// Problems kept per import (the reader lists at most 1,000 per file and counts the rest).
const PROBLEMS_IN_CSV: i64 = 100_000;

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "roster/imports.html")]
struct HistoryPage {
    chrome: Chrome,
    page: Page<RosterImportEntry>,
}

pub async fn history(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageRoster)?;
    let page = state.store.roster_imports(q.page.unwrap_or(1), 50).await?;
    Ok(render(HistoryPage { chrome: Chrome::new(&viewer, "/roster"), page })?.into_response())
}

#[derive(Template)]
#[template(path = "roster/import_form.html")]
struct FormPage {
    chrome: Chrome,
    strict: bool,
    max_mb: u32,
    error: Option<String>,
}

fn form(state: &AppState, viewer: &Viewer, strict: bool, error: Option<String>) -> Result<Response, AppError> {
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = FormPage { chrome: Chrome::new(viewer, "/roster"), strict, max_mb: state.settings.max_upload_mb, error };
    Ok((status, render(page)?).into_response())
}

pub async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Action::ManageRoster)?;
    form(&state, &viewer, state.settings.oneroster_strict, None)
}

pub async fn upload(State(state): State<AppState>, viewer: Viewer, req: Request) -> Result<Response, AppError> {
    viewer.require(Action::ManageRoster)?;
    // Read only after the access check, so that a refused role learns nothing from how its body was read.
    let mut multipart = Multipart::from_request(req, &state).await.map_err(|_| unreadable())?;
    let (mut csrf, mut strict, mut files) = (String::new(), false, Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        match field.name().unwrap_or_default() {
            "csrf_token" => csrf = field.text().await.map_err(|_| unreadable())?,
            "strict" => strict = true,
            "package" => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(|_| unreadable())?;
                if !name.is_empty() || !bytes.is_empty() {
                    files.push((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    if !constant_time_eq(&csrf, &viewer.csrf_token) {
        return Err(AppError::BadRequest(
            "This form has expired or did not come from Steward. Go back, reload the page and try again.".into(),
        ));
    }
    let is = |name: &str, ext: &str| name.to_ascii_lowercase().ends_with(ext);
    let (label, source) = match files.as_slice() {
        [] => {
            return form(&state, &viewer, strict, Some("Choose a .zip file, or the CSV files of the package.".into()))
        }
        [(name, _)] if is(name, ".zip") => {
            let (name, bytes) = files.remove(0);
            (name, Source::ZipBytes(bytes))
        }
        _ if files.iter().all(|(name, _)| is(name, ".csv")) => {
            (format!("{} uploaded files", files.len()), Source::Files(files))
        }
        _ => {
            let error = "Choose one .zip file, or CSV files only (manifest.csv and the data files).";
            return form(&state, &viewer, strict, Some(error.into()));
        }
    };
    let token = random_token();
    state.jobs.start(&token, viewer.user.id, &label);
    let (jobs, store, actor, job) = (state.jobs.clone(), state.store.clone(), viewer.actor(), token.clone());
    let strictness = if strict { Strictness::Strict } else { Strictness::Lenient };
    tokio::spawn(async move {
        let progress = |p: &rostering::Progress| jobs.progress(&job, &p.file, p.read, p.total);
        match rostering::import(&store, &actor, &label, source, strictness, progress).await {
            Ok(outcome) => jobs.set(&job, Phase::Done(outcome.id)),
            Err(ImportError::Unreadable(message)) => jobs.set(&job, Phase::Failed(message)),
            Err(e) => {
                tracing::error!(error = %e, "applying an uploaded OneRoster package failed");
                jobs.set(&job, Phase::Failed("The import could not be saved; nothing was changed.".into()));
            }
        }
    });
    Ok(Redirect::to(&format!("/roster/imports/running/{token}")).into_response())
}

fn unreadable() -> AppError {
    AppError::BadRequest("The upload could not be read as a form with files. Try again.".into())
}

#[derive(Template)]
#[template(path = "roster/import_running.html")]
struct RunningPage {
    chrome: Chrome,
    source: String,
    seconds: u64,
    files: Vec<(String, u64, u64)>,
}

pub async fn running(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageRoster)?;
    let job = state.jobs.get(&token).filter(|j| j.user_id == viewer.user.id).ok_or(AppError::NotFound)?;
    let files = match job.phase {
        Phase::Done(id) => return Ok(Redirect::to(&format!("/roster/imports/{id}")).into_response()),
        Phase::Failed(message) => return Err(AppError::BadRequest(message)),
        Phase::Working(files) => files,
    };
    let seconds = job.started.elapsed().as_secs();
    Ok(render(RunningPage { chrome: Chrome::new(&viewer, "/roster"), source: job.source, seconds, files })?
        .into_response())
}

#[derive(Template)]
#[template(path = "roster/import.html")]
struct ShowPage {
    chrome: Chrome,
    entry: RosterImportEntry,
    problems: Vec<ImportProblem>,
    listed: i64,
}

pub async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Result<Response, AppError> {
    viewer.require(Action::ManageRoster)?;
    let entry = state.store.roster_import(id).await?;
    let problems = state.store.roster_import_problems(id, PROBLEMS_ON_PAGE).await?;
    let listed = entry.total(|f| f.problems_not_listed) as i64;
    Ok(render(ShowPage { chrome: Chrome::new(&viewer, "/roster"), entry, problems, listed })?.into_response())
}

pub async fn problems_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    viewer.require(Action::ManageRoster)?;
    state.store.roster_import(id).await?;
    let problems = state.store.roster_import_problems(id, PROBLEMS_IN_CSV).await?;
    let body = rostering::problems_csv(problems.iter().map(ProblemRow::from))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let disposition = format!("attachment; filename=\"import-{id}-problems.csv\"");
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}

/// The live roster as a OneRoster 1.2 bulk zip. It is written to an unnamed temporary file (removed from the
/// folder as soon as it is created, so nothing is left behind) and streamed from there: neither the roster nor the
/// zip is ever held in memory.
pub async fn export_zip(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Action::ManageRoster)?;
    let internal = |e: std::io::Error| AppError::Internal(format!("the export's temporary file: {e}"));
    let path = std::env::temp_dir().join(format!("steward-export-{}.zip", random_token()));
    let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path).map_err(internal)?;
    std::fs::remove_file(&path).map_err(internal)?;
    let (store, runtime) = (state.store.clone(), tokio::runtime::Handle::current());
    let set = BulkSet::zip(std::io::BufWriter::new(file));
    let (_, zip) = tokio::task::spawn_blocking(move || rostering::export(&store, &runtime, set))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut file = zip
        .ok_or_else(|| AppError::Internal("the zip was not given back".into()))?
        .into_inner()
        .map_err(|e| internal(e.into_error()))?;
    file.seek(std::io::SeekFrom::Start(0)).map_err(internal)?;
    let chunks = futures_util::stream::try_unfold(tokio::fs::File::from_std(file), |mut f| async move {
        let mut chunk = vec![0; 64 * 1024];
        let n = tokio::io::AsyncReadExt::read(&mut f, &mut chunk).await?;
        chunk.truncate(n);
        Ok::<_, std::io::Error>((n > 0).then_some((axum::body::Bytes::from(chunk), f)))
    });
    let disposition = "attachment; filename=\"oneroster-1.2-bulk.zip\"".to_owned();
    Ok((
        [(header::CONTENT_TYPE, "application/zip".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        axum::body::Body::from_stream(chunks),
    )
        .into_response())
}
