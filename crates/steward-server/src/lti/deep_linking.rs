//! Deep Linking 2.0, the return: the tool posts a JWT signed with its key; Steward checks it (signature, audience,
//! times, single-use nonce, deployment, message type, version, and the `data` it sealed into the request, which
//! names the teacher, the tool and the class) and stores the content items as resources of the tool's product for
//! that class. A link item with a line item gets its gradebook column at once.

use super::jwt::{open, unverified_claims, verify_tool_token};
use super::login::{resource_link, Hint};
use super::Urls;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use steward_core::lti::ags::LineItemInput;
use steward_core::lti::claims::{CLAIM, DL_CONTENT_ITEMS, DL_DATA};
use steward_store::{Actor, Tool};

/// What Steward seals into a deep-linking request's `data` and expects back.
#[derive(Debug, Serialize, Deserialize)]
pub struct Data {
    user: i64,
    tool: i64,
    class: String,
}

impl Data {
    pub fn of(hint: &Hint) -> Self {
        Self { user: hint.user, tool: hint.tool, class: hint.class.clone() }
    }
}

#[derive(Deserialize)]
pub struct Returned {
    #[serde(rename = "JWT")]
    jwt: Option<String>,
}

/// `POST /lti/deep-linking/return`: the tool's response, posted by the browser.
pub async fn accept(State(state): State<AppState>, Form(form): Form<Returned>) -> Result<Response, AppError> {
    let refused = |why: String| {
        tracing::warn!(reason = %why, "a deep-linking response was refused");
        AppError::BadRequest(format!("The tool's deep-linking response was refused: {why}."))
    };
    let jwt = form.jwt.ok_or_else(|| refused("the form has no JWT field".into()))?;
    let issuer = unverified_claims(&jwt)
        .and_then(|c| c["iss"].as_str().map(str::to_owned))
        .ok_or_else(|| refused("the JWT cannot be read".into()))?;
    let tool = state.store.lti_tool_by_client(&issuer).await?;
    let tool = tool.ok_or_else(|| refused(format!("no tool is registered as '{issuer}'")))?;
    let urls = Urls::new(&state.settings.public_url);
    let claims =
        verify_tool_token(&state, &tool, &jwt, &[urls.issuer().to_owned()], "nonce").await.map_err(&refused)?;
    let claim = |name: &str| claims[format!("{CLAIM}{name}")].as_str().unwrap_or_default().to_owned();
    let deployment = claim("deployment_id");
    if !tool.tool.deployment_ids.contains(&deployment) {
        return Err(refused(format!("the deployment '{deployment}' is not one of {}'s", tool.tool.name)));
    }
    if claim("message_type") != "LtiDeepLinkingResponse" || claim("version") != "1.3.0" {
        return Err(refused("it is not an LTI 1.3.0 LtiDeepLinkingResponse".into()));
    }
    let data = claims[DL_DATA].as_str().and_then(|d| open::<Data>(&state, d));
    let data = data.filter(|d| d.tool == tool.id).ok_or_else(|| {
        refused("its data is not what Steward sent with the request, or the request is over an hour old".into())
    })?;
    // Tolerant of the trailing space one tool library writes after the claim's name.
    let error = claims
        .as_object()
        .and_then(|o| o.iter().find(|(k, _)| k.trim_end().ends_with("lti-dl/claim/errormsg")))
        .and_then(|(_, v)| v.as_str());
    if let Some(message) = error {
        return Err(AppError::BadRequest(format!("{} could not add content: {message}", tool.tool.name)));
    }
    let items = claims[DL_CONTENT_ITEMS].as_array().cloned().unwrap_or_default();
    let added = store_items(&state, &tool, &data, &items).await?;
    Ok(Redirect::to(&format!("/launchpad?added={added}")).into_response())
}

/// Keeps the link items (an LTI resource link or a plain link, with an http(s) URL when one is given); other types
/// are not offered in the request and are skipped. Returns how many were kept.
async fn store_items(
    state: &AppState,
    tool: &Tool,
    data: &Data,
    items: &[serde_json::Value],
) -> Result<usize, AppError> {
    let mut kept = Vec::new();
    for item in items {
        let kind = item["type"].as_str().unwrap_or_default();
        if kind != "ltiResourceLink" && kind != "link" {
            tracing::info!(kind, "a deep-linked item of a type Steward does not offer was skipped");
            continue;
        }
        let url = item["url"].as_str().map(str::to_owned);
        if url.as_deref().is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://")))
            || (kind == "link" && url.is_none())
        {
            tracing::info!(kind, "a deep-linked item without a usable URL was skipped");
            continue;
        }
        let title = item["title"].as_str().filter(|t| !t.trim().is_empty());
        let title = title.map(str::to_owned).or_else(|| url.clone()).unwrap_or_else(|| tool.product_name.clone());
        kept.push((kind.to_owned(), title.chars().take(200).collect(), url, item.clone()));
    }
    let user = state.store.user(data.user).await?;
    let actor = Actor { user_id: Some(user.id), label: user.email.clone() };
    let ids = state.store.add_lti_resources(&actor, tool, &data.class, &kept).await?;
    for (id, (kind, title, _, item)) in ids.iter().zip(&kept) {
        if kind != "ltiResourceLink" || item["lineItem"].is_null() {
            continue;
        }
        let mut line = item["lineItem"].clone();
        if line["label"].is_null() {
            line["label"] = serde_json::json!(title);
        }
        match LineItemInput::from_json(&line) {
            Ok(mut input) => {
                input.resource_link_id = Some(resource_link(Some(*id), tool, &data.class));
                state.store.save_lti_line_item(tool.id, &data.class, None, &input).await?;
            }
            Err(why) => tracing::info!(%why, "a deep-linked item's line item was not usable"),
        }
    }
    Ok(ids.len())
}
