//! The API access log, written behind the answers (see [`crate::behind`]): each request's line is queued and
//! stored with the others in one statement every quarter of a second.

use crate::behind::Behind;
use std::sync::Arc;
use steward_store::{ApiAccess, Store};

/// The queue of access-log lines.
pub type AccessLog = Behind<ApiAccess>;

/// Starts the access log's writer.
pub fn start(store: Store) -> AccessLog {
    Behind::start(
        store,
        "API access log line",
        Arc::new(|store: Store, lines: Vec<ApiAccess>| {
            Box::pin(async move {
                if let Err(e) = store.log_api_access(&lines).await {
                    tracing::error!(error = %e, lines = lines.len(), "writing the API access log failed");
                }
            })
        }),
    )
}
