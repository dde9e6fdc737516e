//! Governance in the store: the infrastructure profile, products' declared needs, the management policy's
//! versions, requests and their stages, comments, notifications and review metrics (migration 0006).

mod decision;
mod documents;
mod intake;
mod metrics;
mod notifications;
mod policies;
mod privacy;
mod requests;
mod rereview;
mod review;

pub use metrics::{ReviewMetrics, StageMetric};
pub use notifications::{Notification, MAX_EMAIL_ATTEMPTS};
pub use policies::PolicyVersion;
pub use privacy::PublicProduct;
pub use requests::{Comment, RequestFilter, RequestRow, RequestStage, RequestView};
pub use review::StageAction;
