//! OneRoster REST errors: the `imsx_StatusInfo` body and the HTTP status that goes with it.

use serde_json::{json, Value};

/// The `imsx_codeMinorFieldValue`s Steward answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeMinor {
    InvalidFilterField,
    InvalidSelectionField,
    InvalidData,
    UnknownObject,
    UnauthorisedRequest,
    Forbidden,
    ServerBusy,
    InternalServerError,
}

impl CodeMinor {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeMinor::InvalidFilterField => "invalid_filter_field",
            CodeMinor::InvalidSelectionField => "invalid_selection_field",
            CodeMinor::InvalidData => "invaliddata",
            CodeMinor::UnknownObject => "unknownobject",
            CodeMinor::UnauthorisedRequest => "unauthorisedrequest",
            CodeMinor::Forbidden => "forbidden",
            CodeMinor::ServerBusy => "server_busy",
            CodeMinor::InternalServerError => "internal_server_error",
        }
    }
}

/// A refused request: its HTTP status and what the `imsx_StatusInfo` body says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestError {
    pub status: u16,
    pub minor: CodeMinor,
    pub description: String,
}

impl RestError {
    pub fn bad_request(minor: CodeMinor, description: impl Into<String>) -> Self {
        Self { status: 400, minor, description: description.into() }
    }

    pub fn unknown_object(what: &str, id: &str) -> Self {
        Self { status: 404, minor: CodeMinor::UnknownObject, description: format!("no {what} has sourcedId '{id}'") }
    }

    pub fn unauthorised(description: impl Into<String>) -> Self {
        Self { status: 401, minor: CodeMinor::UnauthorisedRequest, description: description.into() }
    }

    pub fn forbidden(description: impl Into<String>) -> Self {
        Self { status: 403, minor: CodeMinor::Forbidden, description: description.into() }
    }

    pub fn internal() -> Self {
        Self {
            status: 500,
            minor: CodeMinor::InternalServerError,
            description: "the request failed on the server; it has been logged".into(),
        }
    }

    /// The body: `imsx_codeMajor` failure, `imsx_severity` error, the description and the code minor.
    pub fn body(&self) -> Value {
        json!({
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": self.description,
            "imsx_CodeMinor": { "imsx_codeMinorField": [
                { "imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": self.minor.as_str() }
            ]},
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_imsx_status_info() {
        let e = RestError::unknown_object("user", "u1");
        assert_eq!(e.status, 404);
        let b = e.body();
        assert_eq!(b["imsx_codeMajor"], "failure");
        assert_eq!(b["imsx_severity"], "error");
        assert_eq!(b["imsx_description"], "no user has sourcedId 'u1'");
        assert_eq!(b["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"], "unknownobject");
    }
}
