//! The LTI launch: third-party-initiated login (the browser goes to the tool's login URL with a sealed
//! `lti_message_hint`), then the tool's authentication request, checked — client, redirect URI exactly as
//! registered, response type and mode, scope, nonce (used once), the hint and the signed-in person — and answered
//! with an RS256 id_token posted to the tool by an auto-submitting form. Errors go back to the tool as the
//! specification names them once the redirect URI is trusted; before that they are shown here, never redirected.

use super::Urls;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::{Deserialize, Serialize};
use steward_core::lti::claims::{self, Context, Launch, Message, Person, Services};
use steward_core::usage::{EventKind, ProductRef, UsageEvent, UserRef};
use steward_store::{SessionInfo, Tool};

/// How long a launch started on the launchpad may take to come back as an authentication request.
const HINT_SECONDS: i64 = 300;
/// How long a tool has to return a deep-linking response.
const DEEP_LINK_SECONDS: i64 = 3600;

/// What a launch carries from the launchpad to the authentication request, sealed in `lti_message_hint`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hint {
    /// The Steward user launching.
    pub user: i64,
    pub tool: i64,
    /// The class launched from, and the person's sourcedId and role in it.
    pub class: String,
    pub person: String,
    pub role: String,
    /// A deep-linking request rather than a resource link.
    pub deep: bool,
    /// The content item launched, if not the tool itself.
    pub resource: Option<i64>,
}

/// Sends the browser to the tool's login initiation URL.
pub fn initiate(state: &AppState, tool: &Tool, hint: &Hint, target: &str) -> Result<Response, AppError> {
    let mut url = url::Url::parse(&tool.tool.login_url).map_err(AppError::internal)?;
    let sealed = super::jwt::seal(state, hint, HINT_SECONDS)?;
    url.query_pairs_mut()
        .append_pair("iss", Urls::new(&state.settings.public_url).issuer())
        .append_pair("login_hint", &hint.user.to_string())
        .append_pair("target_link_uri", target)
        .append_pair("lti_message_hint", &sealed)
        .append_pair("lti_deployment_id", &tool.tool.deployment_ids[0])
        .append_pair("client_id", &tool.tool.client_id);
    Ok(Redirect::to(url.as_str()).into_response())
}

/// The authentication request's parameters, sent by GET or POST.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuthRequest {
    scope: Option<String>,
    response_type: Option<String>,
    response_mode: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    login_hint: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    prompt: Option<String>,
    lti_message_hint: Option<String>,
}

pub async fn authorize_get(
    State(state): State<AppState>,
    session: Option<Extension<SessionInfo>>,
    Query(req): Query<AuthRequest>,
) -> Response {
    authorize(state, session.map(|s| s.0), req).await
}

pub async fn authorize_post(
    State(state): State<AppState>,
    session: Option<Extension<SessionInfo>>,
    Form(req): Form<AuthRequest>,
) -> Response {
    authorize(state, session.map(|s| s.0), req).await
}

/// An error the specification names, with its reason.
struct Refused(&'static str, String);

async fn authorize(state: AppState, session: Option<SessionInfo>, req: AuthRequest) -> Response {
    let client = req.client_id.clone().unwrap_or_default();
    // Read once, before anything that depends on it: a change landing meanwhile is seen by the next request.
    let generation = match state.store.change_generation().await {
        Ok(g) => g,
        Err(e) => return AppError::from(e).into_response(),
    };
    let catalog = match crate::pages::launchpad::catalog(&state, generation).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let Some(tool) = catalog.tool_by_client(&client) else {
        return shown(&client, "unauthorized_client", format!("no tool is registered as '{client}'"));
    };
    let redirect = req.redirect_uri.clone().unwrap_or_default();
    if !tool.tool.redirect_uris.contains(&redirect) {
        let why = format!("the redirect URI '{redirect}' is not one registered for {}", tool.tool.name);
        return shown(&client, "invalid_request_uri", why);
    }
    match respond(&state, session, tool, &req, generation).await {
        Ok(id_token) => {
            post(tool, &redirect, "", vec![("id_token", id_token), ("state", req.state.unwrap_or_default())])
        }
        Err(Refused(code, why)) => {
            tracing::warn!(client = %client, error = code, reason = %why, "an LTI authentication request was refused");
            let mut fields = vec![("error", code.to_owned()), ("error_description", why)];
            if let Some(s) = req.state {
                fields.push(("state", s));
            }
            post(tool, &redirect, "The launch could not be completed; the tool will say why.", fields)
        }
    }
}

/// Checks the request against the registration and the signed-in person, and signs the id_token.
async fn respond(
    state: &AppState,
    session: Option<SessionInfo>,
    tool: &Tool,
    req: &AuthRequest,
    generation: i64,
) -> Result<String, Refused> {
    let bad = |code: &'static str, why: &str| Err(Refused(code, why.to_owned()));
    if req.response_type.as_deref() != Some("id_token") {
        return bad("unsupported_response_type", "response_type must be id_token");
    }
    if !req.scope.as_deref().unwrap_or_default().split(' ').any(|s| s == "openid") {
        return bad("invalid_scope", "scope must include openid");
    }
    if req.response_mode.as_deref() != Some("form_post") {
        return bad("invalid_request", "response_mode must be form_post");
    }
    if req.prompt.as_deref().is_some_and(|p| p != "none") {
        return bad("invalid_request", "prompt must be none");
    }
    let nonce = req.nonce.as_deref().unwrap_or_default();
    if nonce.is_empty() || nonce.len() > 255 {
        return bad("invalid_request", "nonce is required (at most 255 characters)");
    }
    let Some(hint) = req.lti_message_hint.as_deref().and_then(|h| super::jwt::open::<Hint>(state, h)) else {
        return bad("invalid_request", "lti_message_hint is missing, altered or expired: launch again from Steward");
    };
    if hint.tool != tool.id {
        return bad("invalid_request", "lti_message_hint was issued for another tool");
    }
    let Some(session) = session else { return bad("login_required", "no one is signed in to Steward") };
    let login_hint = req.login_hint.as_deref().unwrap_or_default();
    if session.user.id != hint.user || login_hint != hint.user.to_string() {
        return bad("access_denied", "login_hint is not the person signed in to Steward");
    }
    let expires = steward_store::timestamp(chrono::Utc::now() + chrono::Duration::seconds(HINT_SECONDS * 2));
    let key = format!("{} {nonce}", tool.tool.client_id);
    match state.store.use_lti_value_once("nonce", &key, &expires).await {
        Ok(true) => {}
        Ok(false) => return bad("invalid_request", "the nonce was already used"),
        Err(e) => return Err(server_error(e)),
    }
    let (launch, school) = launch(state, tool, &hint, nonce, generation).await.map_err(server_error)?;
    let token = state.lti_signer.sign(state, &claims::id_token(&launch), generation).await.map_err(server_error)?;
    record_launch(state, tool, &hint, school);
    Ok(token)
}

fn server_error(e: impl std::fmt::Debug) -> Refused {
    tracing::error!(error = ?e, "an LTI launch failed");
    Refused("server_error", "Steward could not complete the launch".into())
}

/// Everything the id_token says, read from the roster and the product's privacy profile; and the class's school.
async fn launch(
    state: &AppState,
    tool: &Tool,
    hint: &Hint,
    nonce: &str,
    generation: i64,
) -> Result<(Launch, Option<String>), AppError> {
    let urls = Urls::new(&state.settings.public_url);
    let class = state.store.class_context(&hint.class).await?;
    let today = chrono::Utc::now().date_naive();
    let scope = state.scopes.get_at(&state.store, tool.tool.product_id, today, generation).await?;
    let shown = |column: &str| scope.view.user_columns.contains(&column);
    let (name, email) = if shown("givenName") || shown("email") {
        let (person, _, _) = state.store.roster_person(&hint.person).await?;
        let name = shown("givenName").then(|| (person.given_name.clone(), person.family_name.clone()));
        (name, person.email.filter(|_| shown("email")))
    } else {
        (None, None)
    };
    let message = if hint.deep {
        let data = super::jwt::seal(state, &super::deep_linking::Data::of(hint), DEEP_LINK_SECONDS)?;
        let target = tool.tool.deep_link_url.clone().unwrap_or_else(|| tool.tool.target_link_uri.clone());
        Message::DeepLinking { target, return_url: urls.deep_link_return(), data }
    } else if let Some(id) = hint.resource {
        let r = state.store.lti_resource(id).await?;
        let line_item = state
            .store
            .lti_line_items(tool.id, &hint.class)
            .await?
            .into_iter()
            .find(|l| l.item.resource_link_id.as_deref() == Some(&resource_link(Some(id), tool, &hint.class)))
            .map(|l| urls.context(&hint.class, &["lineitems", &l.id.to_string()]));
        Message::ResourceLink {
            id: resource_link(Some(id), tool, &hint.class),
            title: r.title,
            target: r.url.unwrap_or_else(|| tool.tool.target_link_uri.clone()),
            custom: r.item["custom"].as_object().cloned().unwrap_or_default(),
            line_item,
        }
    } else {
        Message::ResourceLink {
            id: resource_link(None, tool, &hint.class),
            title: tool.product_name.clone(),
            target: tool.tool.target_link_uri.clone(),
            custom: Default::default(),
            line_item: None,
        }
    };
    let school = class.school_sourced_id.clone();
    let launch = Launch {
        issuer: urls.issuer().to_owned(),
        client_id: tool.tool.client_id.clone(),
        deployment_id: tool.tool.deployment_ids[0].clone(),
        nonce: nonce.to_owned(),
        now: chrono::Utc::now().timestamp(),
        person: Person { sourced_id: hint.person.clone(), role: hint.role.clone(), name, email },
        context: Context {
            label: class.class_code.clone(),
            title: class.title.clone(),
            course_sourced_id: class.course_sourced_id.clone(),
            sourced_id: class.sourced_id,
        },
        message,
        services: Services {
            memberships_url: urls.context(&hint.class, &["memberships"]),
            line_items_url: urls.context(&hint.class, &["lineitems"]),
        },
        return_url: urls.launchpad(),
    };
    Ok((launch, school))
}

/// A resource link's id, stable for the tool in the class: the tool itself, or one content item.
pub fn resource_link(resource: Option<i64>, tool: &Tool, class: &str) -> String {
    match resource {
        Some(id) => format!("steward-resource-{id}"),
        None => format!("steward-tool-{}-{class}", tool.id),
    }
}

/// The launch as a usage event, by the person's sourcedId at the class's school: queued, stored behind the answer.
fn record_launch(state: &AppState, tool: &Tool, hint: &Hint, school: Option<String>) {
    state.launches.record(("lti", launch_event(&hint.person, tool.tool.product_id, school)));
}

/// A launch by `person` of `product` at `school`, now.
pub fn launch_event(person: &str, product: i64, school: Option<String>) -> UsageEvent {
    UsageEvent {
        id: Some(crate::auth::random_token()),
        time: chrono::Utc::now().fixed_offset(),
        user: UserRef::SourcedId(person.to_owned()),
        product: ProductRef::Id(product),
        school,
        kind: EventKind::Launch,
        seconds: 0,
    }
}

#[derive(Template)]
#[template(path = "lti/post.html")]
struct PostPage<'a> {
    tool: &'a str,
    action: &'a str,
    message: &'a str,
    fields: Vec<(&'static str, String)>,
}

/// The auto-submitting form to the tool, under a policy that lets this page's form go to the tool's origin.
pub fn post(tool: &Tool, action: &str, message: &str, fields: Vec<(&'static str, String)>) -> Response {
    let message = if message.is_empty() { "Steward is sending you to the tool." } else { message };
    let page = PostPage { tool: &tool.tool.name, action, message, fields };
    let origin = url::Url::parse(action).map(|u| u.origin().ascii_serialization()).unwrap_or_default();
    // Steward's policy, whose last directive is `form-action 'self'`, with the tool's origin added to it.
    let policy = format!("{} {origin}", crate::pages::assets::POLICY);
    match crate::pages::render(page) {
        Ok(html) => {
            let mut res = html.into_response();
            let h = res.headers_mut();
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            if let Ok(v) = HeaderValue::from_str(&policy) {
                h.insert(header::CONTENT_SECURITY_POLICY, v);
            }
            res
        }
        Err(e) => e.into_response(),
    }
}

/// An error shown here: the redirect URI cannot be trusted with it.
fn shown(client: &str, code: &str, why: String) -> Response {
    tracing::warn!(client = %client, error = code, reason = %why, "an LTI authentication request was refused");
    AppError::BadRequest(format!("The tool's launch request was refused ({code}): {why}.")).into_response()
}
