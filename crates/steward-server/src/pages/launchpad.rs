//! The launchpad: a teacher's or student's apps, class by class — approved for the class's school and grades and
//! licensed there — and `/launch/{id}`, which records the launch as a usage event and goes to the app.

use super::extract::{Path, Query};
use super::{render, Chrome};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::lti::login::Hint;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use steward_core::access::{License, ProductReach};
use steward_core::governance::request::ApprovalCondition;
use steward_core::launchpad::{class_grades, shows, App, Class};
use steward_core::role::Role;
use steward_store::{ContractFilter, LtiResource, PublicProduct, RosterClass, Tool};

/// An app on the launchpad.
pub struct Tile {
    pub product_id: i64,
    pub name: String,
    pub description: Option<String>,
    /// Launched over LTI 1.3 rather than by a link.
    pub lti: bool,
    /// Content chosen for the class from the app (LTI deep linking).
    pub resources: Vec<LtiResource>,
}

/// One class and its apps.
pub struct Group {
    pub class: RosterClass,
    /// The person's role in the class (OneRoster vocabulary).
    pub role: String,
    /// Whether they teach it (and so may choose content for it).
    pub teaching: bool,
    pub apps: Vec<Tile>,
}

/// What the launchpad rule reads of the whole district — approved products, licenses, schools, LTI apps — kept until
/// anything changes (every such change is audited) or the day turns, so that a launch reads only the person's own.
pub struct Catalog {
    schools: HashMap<String, i64>,
    products: Vec<PublicProduct>,
    licenses: HashMap<i64, Vec<License>>,
    lti: HashSet<i64>,
    tools: Vec<Tool>,
}

impl Catalog {
    /// The LTI tool a product launches with.
    pub fn tool_for_product(&self, product: i64) -> Option<&Tool> {
        self.tools.iter().filter(|t| t.tool.product_id == product).min_by_key(|t| t.id)
    }

    /// The LTI tool registered under a client id.
    pub fn tool_by_client(&self, client_id: &str) -> Option<&Tool> {
        self.tools.iter().find(|t| t.tool.client_id == client_id)
    }
}

/// The kept catalog, by day and audit generation.
pub type CatalogCache = crate::fresh::Fresh<(chrono::NaiveDate, i64), Arc<Catalog>>;

/// The catalog as of `generation`, the audit generation the caller read before anything else.
pub async fn catalog(state: &AppState, generation: i64) -> Result<Arc<Catalog>, AppError> {
    let key = (chrono::Utc::now().date_naive(), generation);
    state
        .launchpad
        .get_or(key, async {
            let schools =
                state.store.schools().await?.into_iter().filter_map(|s| Some((s.org.sourced_id?, s.id))).collect();
            let mut licenses: HashMap<i64, Vec<License>> = HashMap::new();
            for c in state.store.contracts(&ContractFilter::default()).await? {
                let k = c.contract;
                licenses.entry(k.product_id).or_default().push(License {
                    school: k.school_id,
                    start: k.start_date,
                    end: k.end_date,
                });
            }
            let tools = state.store.lti_tools().await?;
            Ok::<_, AppError>(Arc::new(Catalog {
                schools,
                products: state.store.public_products(None).await?,
                licenses,
                lti: tools.iter().map(|t| t.tool.product_id).collect(),
                tools,
            }))
        })
        .await
}

/// A person's classes with their apps, kept a minute for their launches (and until anything audited changes).
pub type GroupsCache = crate::fresh::Fresh<(i64, i64), Arc<Option<(String, Vec<Group>)>>>;

async fn kept_groups(
    state: &AppState,
    viewer: &Viewer,
    generation: i64,
) -> Result<Arc<Option<(String, Vec<Group>)>>, AppError> {
    let key = (viewer.user.id, generation);
    let made = async { Ok::<_, AppError>(Arc::new(groups(state, viewer, generation).await?)) };
    state.launch_groups.get_or(key, made).await
}

/// The viewer's classes with their apps, or `None` when no one on the roster has the account's e-mail.
async fn groups(state: &AppState, viewer: &Viewer, generation: i64) -> Result<Option<(String, Vec<Group>)>, AppError> {
    let Some(person) = state.store.roster_person_by_email(&viewer.user.email).await? else { return Ok(None) };
    let (_, _, classes) = state.store.roster_person(&person).await?;
    let class_ids: Vec<String> = classes.iter().map(|c| c.sourced_id.clone()).collect();
    let mut resources: HashMap<(i64, String), Vec<LtiResource>> = HashMap::new();
    for r in state.store.lti_resources(&class_ids).await? {
        resources.entry((r.product_id, r.class_sourced_id.clone())).or_default().push(r);
    }
    let roles = state.store.class_roles(&person).await?;
    let catalog = catalog(state, generation).await?;
    let (schools, products, licenses, lti) = (&catalog.schools, &catalog.products, &catalog.licenses, &catalog.lti);
    let student = viewer.user.role == Role::Student;
    let today = chrono::Utc::now().date_naive();
    let none = Vec::new();
    let groups = classes
        .into_iter()
        .filter_map(|class| {
            let school = *schools.get(&class.school_sourced_id)?;
            let at = Class { school, grades: class.grades.as_deref().and_then(class_grades) };
            let apps = products
                .iter()
                .filter(|p| {
                    let i = &p.product.product;
                    let app = App {
                        grades: i.grades,
                        reach: ProductReach {
                            status: i.status,
                            scope: i.scope,
                            scope_schools: &i.scope_schools,
                            scope_grades: i.scope_grades,
                            data_elements: &i.data_elements,
                        },
                        licenses: licenses.get(&p.product.id).unwrap_or(&none),
                        teachers_only: p
                            .decision
                            .as_ref()
                            .is_some_and(|d| d.conditions.contains(&ApprovalCondition::TeacherAccountsOnly)),
                    };
                    (i.launch_url.is_some() || lti.contains(&p.product.id)) && shows(&app, &at, student, today)
                })
                .map(|p| Tile {
                    product_id: p.product.id,
                    name: p.product.product.name.clone(),
                    description: p.product.product.description.clone(),
                    lti: lti.contains(&p.product.id),
                    resources: resources.remove(&(p.product.id, class.sourced_id.clone())).unwrap_or_default(),
                })
                .collect();
            let role = roles.get(&class.sourced_id).cloned().unwrap_or_default();
            let teaching = !student && matches!(role.as_str(), "teacher" | "aide" | "administrator");
            Some(Group { class, role, teaching, apps })
        })
        .collect();
    Ok(Some((person, groups)))
}

#[derive(Template)]
#[template(path = "launchpad.html")]
struct LaunchpadPage {
    chrome: Chrome,
    groups: Option<Vec<Group>>,
    /// How many content items deep linking just added.
    added: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    added: Option<usize>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let generation = state.store.change_generation().await?;
    let groups = groups(&state, &viewer, generation).await?.map(|(_, g)| g);
    let page = LaunchpadPage { chrome: Chrome::new(&viewer, "/launchpad"), groups, added: q.added };
    Ok(render(page)?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LaunchQuery {
    /// The class it is launched from.
    class: String,
    /// A content item chosen for the class, launched instead of the app itself.
    resource: Option<i64>,
    /// `1`: choose content from the app for the class (LTI deep linking; teachers only).
    deep: Option<u8>,
}

/// Launches an app from one of the viewer's classes: the launch is stored as a usage event (by the person's
/// sourcedId, at the class's school), then the browser goes to the app. An app not on the viewer's launchpad for
/// that class is not found.
pub async fn launch(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<LaunchQuery>,
) -> Result<Response, AppError> {
    // Read once, before anything that depends on it: a change landing meanwhile is seen by the next launch.
    let generation = state.store.change_generation().await?;
    let kept = kept_groups(&state, &viewer, generation).await?;
    let (person, groups) = kept.as_ref().as_ref().ok_or(AppError::NotFound)?;
    let group = groups
        .iter()
        .find(|g| g.class.sourced_id == q.class && g.apps.iter().any(|a| a.product_id == id))
        .ok_or(AppError::NotFound)?;
    if let Some(tool) = catalog(&state, generation).await?.tool_for_product(id) {
        let app = group.apps.iter().find(|a| a.product_id == id).ok_or(AppError::NotFound)?;
        let resource = match q.resource {
            Some(r) => Some(app.resources.iter().find(|x| x.id == r).ok_or(AppError::NotFound)?),
            None => None,
        };
        let deep = q.deep == Some(1);
        if deep && !group.teaching {
            return Err(AppError::Forbidden);
        }
        let target = match (resource, deep) {
            (Some(r), _) => r.url.clone().unwrap_or_else(|| tool.tool.target_link_uri.clone()),
            (None, true) => tool.tool.deep_link_url.clone().unwrap_or_else(|| tool.tool.target_link_uri.clone()),
            (None, false) => tool.tool.target_link_uri.clone(),
        };
        let hint = Hint {
            user: viewer.user.id,
            tool: tool.id,
            class: group.class.sourced_id.clone(),
            person: person.clone(),
            role: group.role.clone(),
            deep,
            resource: resource.map(|r| r.id),
        };
        return crate::lti::login::initiate(&state, tool, &hint, &target);
    }
    let url = state.store.product(id).await?.product.launch_url.ok_or(AppError::NotFound)?;
    let event = crate::lti::login::launch_event(person, id, Some(group.class.school_sourced_id.clone()));
    state.launches.record(("launchpad", event));
    Ok(Redirect::to(&url).into_response())
}
