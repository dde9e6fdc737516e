//! The public product list, no sign-in: approved products with the privacy facts the district chose to publish,
//! searchable, also as JSON and CSV; and the page where the district chooses those fields.

use super::export::csv_response;
use super::extract::Query;
use super::{render, Chrome};
use crate::auth::{CsrfForm, Viewer};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::Deserialize;
use steward_core::access::Action;
use steward_core::enums::Vocabulary;
use steward_core::governance::privacy::{default_public_fields, PUBLIC_FIELDS};
use steward_store::PublicProduct;

const SETTING: &str = "public_fields";

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: Option<String>,
}

/// The fields the district publishes, in [`PUBLIC_FIELDS`] order.
async fn chosen(state: &AppState) -> Result<Vec<(&'static str, &'static str)>, AppError> {
    let saved: Option<Vec<String>> = state.store.governance_setting(SETTING).await?;
    let codes = saved.unwrap_or_else(default_public_fields);
    Ok(PUBLIC_FIELDS.iter().filter(|(c, _, _)| codes.iter().any(|x| x == c)).map(|(c, l, _)| (*c, *l)).collect())
}

fn join<T>(items: &[T], f: impl Fn(&T) -> &str) -> String {
    items.iter().map(f).collect::<Vec<_>>().join(", ")
}

/// One field's value for one product, as text.
fn value(p: &PublicProduct, code: &str) -> String {
    let (i, f) = (&p.product.product, &p.privacy);
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    match code {
        "vendor" => p.product.vendor_name.clone(),
        "description" => text(&i.description),
        "website" => text(&i.website),
        "grades" => i.grades.to_string(),
        "subjects" => join(&i.subjects, |s| s.label()),
        "data_elements" if i.data_elements.is_empty() => "None".into(),
        "data_elements" => join(&i.data_elements, |d| d.label()),
        "purposes" => text(&f.purposes),
        "third_parties" => text(&i.third_parties),
        "subcontractors" => text(&f.subcontractors),
        "dpa_status" => i.dpa_status.label().into(),
        "dpa_expires" => i.dpa_expires.map(|d| d.to_string()).unwrap_or_default(),
        "dpa_url" => text(&f.dpa_url),
        "deletion" => text(&f.deletion),
        "storage" => text(&f.storage),
        "challenge" => text(&f.challenge),
        "conditions" => match &p.decision {
            Some(d) => {
                let mut parts: Vec<String> = d.conditions.iter().map(|c| c.label().to_owned()).collect();
                parts.extend(d.conditions_text.clone());
                parts.join("; ")
            }
            None => String::new(),
        },
        _ => String::new(),
    }
}

#[derive(Template)]
#[template(path = "public.html")]
struct PublicPage {
    district: String,
    q: String,
    fields: Vec<(&'static str, &'static str)>,
    rows: Vec<(String, Vec<String>)>,
}

async fn table(
    state: &AppState,
    q: &SearchQuery,
) -> Result<(Vec<(&'static str, &'static str)>, Vec<(String, Vec<String>)>), AppError> {
    let fields = chosen(state).await?;
    let q = q.q.clone().filter(|s| !s.trim().is_empty());
    let products = state.store.public_products(q).await?;
    let rows = products
        .iter()
        .map(|p| (p.product.product.name.clone(), fields.iter().map(|(c, _)| value(p, c)).collect()))
        .collect();
    Ok((fields, rows))
}

pub async fn list(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> Result<Response, AppError> {
    let (fields, rows) = table(&state, &q).await?;
    let district = state.store.district().await?.map_or("The district".into(), |d| d.org.name);
    Ok(render(PublicPage { district, q: q.q.unwrap_or_default(), fields, rows })?.into_response())
}

pub async fn json(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> Result<Response, AppError> {
    let (fields, rows) = table(&state, &q).await?;
    let items: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|(name, values)| {
            let mut m = serde_json::Map::new();
            m.insert("name".into(), name.into());
            for ((code, _), v) in fields.iter().zip(values) {
                m.insert((*code).into(), v.into());
            }
            serde_json::Value::Object(m)
        })
        .collect();
    Ok(Json(serde_json::json!({ "products": items })).into_response())
}

pub async fn csv(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> Result<Response, AppError> {
    let (fields, rows) = table(&state, &q).await?;
    let mut header = vec!["Product"];
    header.extend(fields.iter().map(|(_, l)| *l));
    let rows = rows.into_iter().map(|(name, values)| std::iter::once(name).chain(values).collect()).collect();
    csv_response("approved-products.csv", &header, rows)
}

/// A field on the settings page.
pub struct FieldChoice {
    pub code: &'static str,
    pub label: &'static str,
    pub law: Option<&'static str>,
    pub on: bool,
}

#[derive(Template)]
#[template(path = "requests/public_settings.html")]
struct SettingsPage {
    chrome: Chrome,
    fields: Vec<FieldChoice>,
}

pub async fn settings(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    viewer.require(Action::EditPublicList)?;
    let on = chosen(&state).await?;
    let fields = PUBLIC_FIELDS
        .iter()
        .map(|(code, label, law)| FieldChoice { code, label, law: *law, on: on.iter().any(|(c, _)| c == code) })
        .collect();
    Ok(render(SettingsPage { chrome: Chrome::new(&viewer, "/requests").with_notice(None), fields })?.into_response())
}

pub async fn save_settings(
    State(state): State<AppState>,
    CsrfForm(viewer, pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    viewer.require(Action::EditPublicList)?;
    let codes: Vec<String> = pairs
        .into_iter()
        .filter(|(n, v)| n == "fields" && PUBLIC_FIELDS.iter().any(|(c, _, _)| c == v))
        .map(|(_, v)| v)
        .collect();
    state.store.save_governance_setting(&viewer.user.actor(), SETTING, &Some(codes)).await?;
    Ok(Redirect::to("/public/products").into_response())
}
