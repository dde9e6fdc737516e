//! Steward's web application: server-rendered pages, the JSON API, sign-in and access control.

pub mod api;
pub mod auth;
mod behind;
mod charts;
mod error;
mod fresh;
pub mod governance;
mod jobs;
pub mod lti;
pub mod mail;
pub mod oneroster;
mod pages;
pub mod rostering;
mod router;
pub mod settings;
mod state;
pub mod usage;

pub use router::router;
pub use settings::Settings;
pub use state::AppState;

use std::future::Future;
use tokio::net::TcpListener;

/// Serves the application on `listener` until `shutdown` completes.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (access_log, launches) = (state.access_log.clone(), state.launches.clone());
    let pruning = tokio::spawn(usage::keep_pruning(state.store.clone(), state.settings.usage_retention_days));
    let mailing = tokio::spawn(mail::keep_mailing(state.store.clone(), state.settings.clone()));
    let governing = tokio::spawn(governance::keep_governing(state.store.clone()));
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app).with_graceful_shutdown(shutdown).await;
    pruning.abort();
    mailing.abort();
    governing.abort();
    access_log.flush().await;
    launches.flush().await;
    served
}
