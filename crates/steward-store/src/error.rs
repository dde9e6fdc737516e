//! The store's small error type.

/// What a store call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A value conflicts with what is stored (a duplicate, a reference to nothing), named by field.
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    /// A value refused by the domain's rules, with every field's problem.
    #[error("{0}")]
    Rejected(steward_core::FieldErrors),
    /// The database cannot be reached or set up; the message is fit to show an operator.
    #[error("{0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Other(#[from] sqlx::Error),
}

impl StoreError {
    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { field, message: message.into() }
    }

    /// Maps a unique-constraint violation to a field error, leaving other errors alone.
    pub(crate) fn unique(e: sqlx::Error, field: &'static str, message: &str) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::invalid(field, message),
            _ => Self::Other(e),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    /// A stored JSON document that no longer reads as its type.
    fn from(e: serde_json::Error) -> Self {
        Self::Other(sqlx::Error::Decode(Box::new(e)))
    }
}
