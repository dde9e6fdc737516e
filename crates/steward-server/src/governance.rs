//! The hourly governance duties: stages newly past their due date notified, and approved products due for
//! re-review put back into review.

use crate::error::AppError;
use chrono::NaiveDate;
use std::time::Duration;
use steward_core::governance::rereview::ReReview;
use steward_store::Store;

/// The name of the re-review rules among the governance settings.
pub const RE_REVIEW: &str = "re_review";

/// Starts a re-review of every approved product the district's rules make due on `today`; returns the requests.
pub async fn start_re_reviews(store: &Store, today: NaiveDate) -> Result<Vec<i64>, AppError> {
    let rules: Option<ReReview> = store.governance_setting(RE_REVIEW).await?;
    let rules = rules.unwrap_or_default();
    let mut started = Vec::new();
    for c in store.re_review_candidates(today).await? {
        if let Some(reason) = rules.reason(&c, today) {
            started.push(store.create_re_review(c.product_id, &reason).await?);
        }
    }
    Ok(started)
}

pub async fn keep_governing(store: Store) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every.tick().await;
        match store.notify_overdue().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(stages = n, "notified overdue review stages"),
            Err(e) => tracing::warn!(error = %e, "notifying overdue stages failed"),
        }
        match start_re_reviews(&store, chrono::Utc::now().date_naive()).await {
            Ok(started) if started.is_empty() => {}
            Ok(started) => tracing::info!(requests = ?started, "started re-reviews"),
            Err(e) => tracing::warn!(error = ?e, "starting re-reviews failed"),
        }
    }
}
