//! Governance: the district's management model as a policy that routes each request through its review stages,
//! the infrastructure profile, the technical checklist evaluated against it, and requests with their decisions.

pub mod checklist;
pub mod infra;
pub mod policy;
pub mod policy_form;
pub mod privacy;
pub mod request;
pub mod rereview;
pub mod stage_facts;

use crate::enums::Vocabulary;
use serde::{Deserialize, Serialize};

/// The management model a policy started from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    Centralized,
    Decentralized,
    Hybrid,
    Custom,
}

impl Vocabulary for Model {
    const NAME: &'static str = "management model";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::Centralized, "centralized", "Centralized"),
        (Self::Decentralized, "decentralized", "Decentralized"),
        (Self::Hybrid, "hybrid", "Hybrid"),
        (Self::Custom, "custom", "The district's own"),
    ];
}

/// A review stage a request may pass through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    Technical,
    Privacy,
    Curricular,
    Accessibility,
    Budget,
}

impl Vocabulary for StageKind {
    const NAME: &'static str = "review stage";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::Technical, "technical", "Technical"),
        (Self::Privacy, "privacy", "Privacy"),
        (Self::Curricular, "curricular", "Curricular"),
        (Self::Accessibility, "accessibility", "Accessibility"),
        (Self::Budget, "budget", "Budget"),
    ];
}

/// Who holds the budget that pays for what is approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetHolder {
    District,
    School,
    /// Schools below the policy's cost threshold, the district above it.
    SchoolBelowThreshold,
}

impl Vocabulary for BudgetHolder {
    const NAME: &'static str = "budget holder";
    const ALL: &'static [(Self, &'static str, &'static str)] = &[
        (Self::District, "district", "The district"),
        (Self::School, "school", "Each school"),
        (Self::SchoolBelowThreshold, "school_below_threshold", "Schools below the threshold, the district above"),
    ];
}
