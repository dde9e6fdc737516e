//! `steward serve`: the web application, until Ctrl-C or SIGTERM.

use super::{init_logging, open, Global};
use anyhow::Context;
use std::net::SocketAddr;
use steward_server::{AppState, Settings};

#[derive(clap::Args)]
pub struct Args {
    /// Address and port to listen on, such as 0.0.0.0:8080 (overrides the configuration).
    #[arg(long)]
    bind: Option<SocketAddr>,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let mut settings = global.settings()?;
    if let Some(bind) = args.bind {
        settings.bind = bind;
    }
    init_logging(&settings.log);
    let store = open(&settings).await?;
    serve(store, settings, None).await
}

/// Binds, prints where Steward is, and serves until shut down. `banner` is printed once listening.
pub async fn serve(store: steward_store::Store, settings: Settings, banner: Option<String>) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(settings.bind)
        .await
        .with_context(|| format!("cannot listen on {}", settings.bind))?;
    let addr = listener.local_addr()?;
    let backend = store.backend().name();
    let state = AppState::new(store.clone(), settings).await.map_err(anyhow::Error::msg)?;
    spawn_housekeeping(store);
    if let Some(b) = banner {
        println!("{b}");
    }
    tracing::info!(%addr, backend, "Steward is serving at http://{addr}");
    steward_server::serve(state, listener, shutdown_signal()).await.context("the server stopped")?;
    Ok(())
}

/// Expired sessions, OneRoster and LTI access tokens, used LTI nonces past their time and old sign-in failures
/// are removed hourly.
fn spawn_housekeeping(store: steward_store::Store) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let cutoff = steward_store::timestamp(chrono::Utc::now() - chrono::Duration::days(1));
            if let Err(e) = store.purge_expired(&cutoff).await {
                tracing::warn!(error = %e, "housekeeping failed");
            }
            if let Err(e) = store.purge_expired_api_client_tokens().await {
                tracing::warn!(error = %e, "housekeeping of OneRoster tokens failed");
            }
            if let Err(e) = store.purge_expired_lti_values().await {
                tracing::warn!(error = %e, "housekeeping of LTI nonces and tokens failed");
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
