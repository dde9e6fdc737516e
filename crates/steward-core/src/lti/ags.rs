//! Assignment and Grade Services 2.0 bodies as tools send them: a line item (a column of the gradebook) and a
//! score (one student's on one line item), each checked field by field, every mistake named.

use serde_json::Value;

/// A line item as a tool creates or replaces it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LineItemInput {
    pub label: String,
    pub score_maximum: f64,
    pub resource_id: Option<String>,
    pub tag: Option<String>,
    pub resource_link_id: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
}

pub const ACTIVITY_PROGRESS: &[&str] = &["Initialized", "Started", "InProgress", "Submitted", "Completed"];
pub const GRADING_PROGRESS: &[&str] = &["FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"];

/// A score as a tool posts it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreInput {
    pub user_id: String,
    pub score_given: Option<f64>,
    pub score_maximum: Option<f64>,
    pub comment: Option<String>,
    pub timestamp: String,
    pub activity_progress: String,
    pub grading_progress: String,
}

fn text(v: &Value, field: &str, problems: &mut Vec<String>) -> Option<String> {
    match v.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            problems.push(format!("{field} must be a string"));
            None
        }
    }
}

fn number(v: &Value, field: &str, problems: &mut Vec<String>) -> Option<f64> {
    match v.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_f64(),
        Some(_) => {
            problems.push(format!("{field} must be a number"));
            None
        }
    }
}

fn date_time(v: &Value, field: &str, problems: &mut Vec<String>) -> Option<String> {
    let s = text(v, field, problems)?;
    match chrono::DateTime::parse_from_rfc3339(&s) {
        Ok(_) => Some(s),
        Err(_) => {
            problems.push(format!("{field} '{s}' is not an ISO 8601 date and time with a zone"));
            None
        }
    }
}

fn done<T>(value: T, problems: Vec<String>) -> Result<T, String> {
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(problems.join("; "))
    }
}

impl LineItemInput {
    pub fn from_json(v: &Value) -> Result<Self, String> {
        let mut p = Vec::new();
        if !v.is_object() {
            return Err("a line item is a JSON object".into());
        }
        let label = text(v, "label", &mut p).filter(|l| !l.trim().is_empty());
        if label.is_none() && !p.iter().any(|m| m.starts_with("label")) {
            p.push("label is required".into());
        }
        let score_maximum = number(v, "scoreMaximum", &mut p);
        match score_maximum {
            Some(m) if m > 0.0 => {}
            Some(_) => p.push("scoreMaximum must be greater than 0".into()),
            None if !p.iter().any(|m| m.starts_with("scoreMaximum")) => p.push("scoreMaximum is required".into()),
            None => {}
        }
        let item = LineItemInput {
            label: label.unwrap_or_default(),
            score_maximum: score_maximum.unwrap_or_default(),
            resource_id: text(v, "resourceId", &mut p),
            tag: text(v, "tag", &mut p),
            resource_link_id: text(v, "resourceLinkId", &mut p),
            start: date_time(v, "startDateTime", &mut p),
            end: date_time(v, "endDateTime", &mut p),
        };
        done(item, p)
    }
}

impl ScoreInput {
    pub fn from_json(v: &Value) -> Result<Self, String> {
        let mut p = Vec::new();
        if !v.is_object() {
            return Err("a score is a JSON object".into());
        }
        let required = |field: &str, p: &mut Vec<String>| {
            let value = text(v, field, p);
            if value.is_none() && !p.iter().any(|m| m.starts_with(field)) {
                p.push(format!("{field} is required"));
            }
            value.unwrap_or_default()
        };
        let user_id = required("userId", &mut p);
        let activity_progress = required("activityProgress", &mut p);
        let grading_progress = required("gradingProgress", &mut p);
        for (field, value, vocab) in [
            ("activityProgress", &activity_progress, ACTIVITY_PROGRESS),
            ("gradingProgress", &grading_progress, GRADING_PROGRESS),
        ] {
            if !value.is_empty() && !vocab.contains(&value.as_str()) {
                p.push(format!("{field} '{value}' is not one of {}", vocab.join(", ")));
            }
        }
        let timestamp = date_time(v, "timestamp", &mut p);
        if timestamp.is_none() && !p.iter().any(|m| m.starts_with("timestamp")) {
            p.push("timestamp is required".into());
        }
        let score_given = number(v, "scoreGiven", &mut p);
        let score_maximum = number(v, "scoreMaximum", &mut p);
        if score_given.is_some_and(|g| g < 0.0) {
            p.push("scoreGiven must not be negative".into());
        }
        if score_given.is_some() && score_maximum.is_none() {
            p.push("scoreMaximum is required with scoreGiven".into());
        }
        if score_maximum.is_some_and(|m| m <= 0.0) {
            p.push("scoreMaximum must be greater than 0".into());
        }
        let score = ScoreInput {
            user_id,
            score_given,
            score_maximum,
            comment: text(v, "comment", &mut p),
            timestamp: timestamp.unwrap_or_default(),
            activity_progress,
            grading_progress,
        };
        done(score, p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_line_item_needs_a_label_and_a_positive_maximum() {
        let item = LineItemInput::from_json(&json!({"label": "Quiz", "scoreMaximum": 10, "tag": "quiz"})).unwrap();
        assert_eq!(item.score_maximum, 10.0);
        let e = LineItemInput::from_json(&json!({"scoreMaximum": 0, "startDateTime": "yesterday"})).unwrap_err();
        assert!(e.contains("label is required"), "{e}");
        assert!(e.contains("scoreMaximum must be greater than 0"), "{e}");
        assert!(e.contains("startDateTime 'yesterday'"), "{e}");
    }

    #[test]
    fn a_score_names_every_mistake() {
        let ok = json!({"userId": "stu-1", "scoreGiven": 7, "scoreMaximum": 10, "timestamp": "2026-12-08T10:00:00Z",
            "activityProgress": "Completed", "gradingProgress": "FullyGraded"});
        assert_eq!(ScoreInput::from_json(&ok).unwrap().score_given, Some(7.0));
        let e =
            ScoreInput::from_json(&json!({"scoreGiven": 7, "activityProgress": "Done", "timestamp": 3})).unwrap_err();
        for part in [
            "userId is required",
            "'Done' is not one of",
            "gradingProgress is required",
            "timestamp must be a string",
            "scoreMaximum is required with scoreGiven",
        ] {
            assert!(e.contains(part), "{part}: {e}");
        }
    }
}
