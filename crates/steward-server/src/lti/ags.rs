//! Assignment and Grade Services 2.0: a tool's line items in a class (list, create, read, replace, delete), the
//! scores it posts — kept as each student's result, the latest by timestamp — and the results it reads back. A tool
//! sees only its own line items, only in classes its product reaches, and scores only the class's members.

use super::token::{ServiceCaller, ServiceError};
use super::Urls;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use steward_core::lti::ags::{LineItemInput, ScoreInput};
use steward_core::lti::claims::{AGS_LINEITEM, AGS_LINEITEM_READONLY, AGS_RESULT_READONLY, AGS_SCORE};
use steward_store::{LineItem, LtiResult};

const CONTAINER: &str = "application/vnd.ims.lis.v2.lineitemcontainer+json";
const LINE_ITEM: &str = "application/vnd.ims.lis.v2.lineitem+json";
const RESULTS: &str = "application/vnd.ims.lis.v2.resultcontainer+json";

type Answer = Result<Response, ServiceError>;

fn json(status: StatusCode, media_type: &'static str, body: serde_json::Value) -> Response {
    (status, [(header::CONTENT_TYPE, media_type)], body.to_string()).into_response()
}

fn body(bytes: &Bytes) -> Result<serde_json::Value, ServiceError> {
    serde_json::from_slice(bytes).map_err(|e| invalid(format!("the body is not JSON: {e}")))
}

fn invalid(why: String) -> ServiceError {
    ServiceError::new(StatusCode::BAD_REQUEST, "invalid_request", why)
}

fn line_item_json(urls: &Urls, line: &LineItem) -> serde_json::Value {
    let l = &line.item;
    let mut v = serde_json::json!({
        "id": urls.context(&line.class_sourced_id, &["lineitems", &line.id.to_string()]),
        "label": l.label,
        "scoreMaximum": l.score_maximum,
    });
    let optional = [
        ("resourceId", &l.resource_id),
        ("tag", &l.tag),
        ("resourceLinkId", &l.resource_link_id),
        ("startDateTime", &l.start),
        ("endDateTime", &l.end),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            v[name] = value.clone().into();
        }
    }
    v
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    resource_link_id: Option<String>,
    resource_id: Option<String>,
    tag: Option<String>,
    user_id: Option<String>,
    limit: Option<usize>,
}

/// `GET /lti/contexts/{class}/lineitems`.
pub async fn list(
    State(state): State<AppState>,
    caller: ServiceCaller,
    Path(class): Path<String>,
    Query(q): Query<ListQuery>,
) -> Answer {
    caller.require(&[AGS_LINEITEM, AGS_LINEITEM_READONLY])?;
    caller.class(&state, &class).await?;
    let urls = Urls::new(&state.settings.public_url);
    let items = state.store.lti_line_items(caller.tool.id, &class).await?;
    let matches = |want: &Option<String>, have: &Option<String>| want.is_none() || want == have;
    let shown: Vec<_> = items
        .iter()
        .filter(|l| matches(&q.resource_link_id, &l.item.resource_link_id))
        .filter(|l| matches(&q.resource_id, &l.item.resource_id) && matches(&q.tag, &l.item.tag))
        .take(q.limit.filter(|l| *l > 0).unwrap_or(usize::MAX))
        .map(|l| line_item_json(&urls, l))
        .collect();
    Ok(json(StatusCode::OK, CONTAINER, shown.into()))
}

/// `POST /lti/contexts/{class}/lineitems`.
pub async fn create(
    State(state): State<AppState>,
    caller: ServiceCaller,
    Path(class): Path<String>,
    bytes: Bytes,
) -> Answer {
    caller.require(&[AGS_LINEITEM])?;
    caller.class(&state, &class).await?;
    let input = LineItemInput::from_json(&body(&bytes)?).map_err(invalid)?;
    let saved = state.store.save_lti_line_item(caller.tool.id, &class, None, &input).await?;
    Ok(json(StatusCode::CREATED, LINE_ITEM, line_item_json(&Urls::new(&state.settings.public_url), &saved)))
}

/// `GET /lti/contexts/{class}/lineitems/{id}`.
pub async fn read(
    State(state): State<AppState>,
    caller: ServiceCaller,
    Path((class, id)): Path<(String, i64)>,
) -> Answer {
    caller.require(&[AGS_LINEITEM, AGS_LINEITEM_READONLY])?;
    caller.class(&state, &class).await?;
    let item = state.store.lti_line_item(caller.tool.id, &class, id).await?;
    Ok(json(StatusCode::OK, LINE_ITEM, line_item_json(&Urls::new(&state.settings.public_url), &item)))
}

/// `PUT /lti/contexts/{class}/lineitems/{id}`.
pub async fn replace(
    State(state): State<AppState>,
    caller: ServiceCaller,
    Path((class, id)): Path<(String, i64)>,
    bytes: Bytes,
) -> Answer {
    caller.require(&[AGS_LINEITEM])?;
    caller.class(&state, &class).await?;
    let input = LineItemInput::from_json(&body(&bytes)?).map_err(invalid)?;
    let saved = state.store.save_lti_line_item(caller.tool.id, &class, Some(id), &input).await?;
    Ok(json(StatusCode::OK, LINE_ITEM, line_item_json(&Urls::new(&state.settings.public_url), &saved)))
}

/// `DELETE /lti/contexts/{class}/lineitems/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    caller: ServiceCaller,
    Path((class, id)): Path<(String, i64)>,
) -> Answer {
    caller.require(&[AGS_LINEITEM])?;
    caller.class(&state, &class).await?;
    state.store.delete_lti_line_item(caller.tool.id, &class, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /lti/contexts/{class}/lineitems/{id}/scores`.
pub async fn score(
    State(state): State<AppState>,
    caller: ServiceCaller,
    Path((class, id)): Path<(String, i64)>,
    bytes: Bytes,
) -> Answer {
    caller.require(&[AGS_SCORE])?;
    caller.class(&state, &class).await?;
    let item = state.store.lti_line_item(caller.tool.id, &class, id).await?;
    let score = ScoreInput::from_json(&body(&bytes)?).map_err(invalid)?;
    let members = state.store.class_members_detail(&class).await?;
    if !members.iter().any(|m| m.sourced_id == score.user_id) {
        let why = format!("'{}' is not a member of the class", score.user_id);
        return Err(ServiceError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", why));
    }
    state.store.put_lti_score(item.id, &score).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn result_json(urls: &Urls, item: &LineItem, r: &LtiResult) -> serde_json::Value {
    let line = urls.context(&item.class_sourced_id, &["lineitems", &item.id.to_string()]);
    let mut v = serde_json::json!({
        "id": format!("{line}/results/{}", r.user_sourced_id),
        "scoreOf": line,
        "userId": r.user_sourced_id,
    });
    if let (Some(given), Some(max)) = (r.score_given, r.score_maximum) {
        // Scaled to the line item's maximum, as AGS results are.
        v["resultScore"] = (given / max * item.item.score_maximum).into();
        v["resultMaximum"] = item.item.score_maximum.into();
    }
    if let Some(c) = &r.comment {
        v["comment"] = c.clone().into();
    }
    v
}

/// `GET /lti/contexts/{class}/lineitems/{id}/results`.
pub async fn results(
    State(state): State<AppState>,
    caller: ServiceCaller,
    Path((class, id)): Path<(String, i64)>,
    Query(q): Query<ListQuery>,
) -> Answer {
    caller.require(&[AGS_RESULT_READONLY])?;
    caller.class(&state, &class).await?;
    let item = state.store.lti_line_item(caller.tool.id, &class, id).await?;
    let results = state.store.lti_results(item.id, q.user_id.as_deref()).await?;
    let urls = Urls::new(&state.settings.public_url);
    let limit = q.limit.filter(|l| *l > 0).unwrap_or(usize::MAX);
    let shown: Vec<_> = results.iter().take(limit).map(|r| result_json(&urls, &item, r)).collect();
    Ok(json(StatusCode::OK, RESULTS, shown.into()))
}
