//! The gradebook files (categories, lineItems, results, score scales, learning objectives) read into canonical
//! values, in the order of each file's 1.2 columns.

use super::shown;
use crate::oneroster::canonical::joined;
use crate::oneroster::row::Row;
use crate::oneroster::spec;
use crate::problem::Severity;

type Values = Vec<Option<String>>;

pub(super) fn category(r: &mut Row<'_>) -> Values {
    // 1.2 calls weight an integer percentage; 1.1 files have no weight column and read as blank.
    vec![r.text("title", true), shown(r.integer("weight", false))]
}

/// A 1.1 line item names its session `gradingPeriodSourcedId` and has no school (`upgrade.rs` fills it from the
/// class), and requires resultValueMin/Max, which 1.2 made optional.
pub(super) fn line_item(r: &mut Row<'_>, v11: bool) -> Values {
    let session = if v11 { "gradingPeriodSourcedId" } else { "academicSessionSourcedId" };
    let mut values = vec![
        r.text("title", true),
        r.text("description", false),
        shown(r.date("assignDate", true)),
        shown(r.date("dueDate", true)),
        r.guid("classSourcedId", true),
        r.guid("categorySourcedId", true),
        r.guid(session, true),
    ];
    let (min, max) = (r.float("resultValueMin", v11), r.float("resultValueMax", v11));
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            r.report(
                "resultValueMax",
                Some(&max.to_string()),
                format!("is below resultValueMin {min}"),
                Severity::Error,
            );
        }
    }
    values.extend([shown(min), shown(max), r.guid("schoolSourcedId", !v11)]);
    values
}

/// 1.1 results have only the first six columns, with score required; the 1.2 additions read as blank.
pub(super) fn result(r: &mut Row<'_>, v11: bool) -> Values {
    vec![
        r.guid("lineItemSourcedId", true),
        r.guid("studentSourcedId", true),
        r.vocab("scoreStatus", spec::SCORE_STATUS, true, true),
        shown(r.float("score", v11)),
        shown(r.date("scoreDate", true)),
        r.text("comment", false),
        r.text("textScore", false),
        r.guid("classSourcedId", false),
        shown(r.boolean("inProgress", false)),
        shown(r.boolean("incomplete", false)),
        shown(r.boolean("late", false)),
        shown(r.boolean("missing", false)),
    ]
}

pub(super) fn score_scale(r: &mut Row<'_>) -> Values {
    let mut values = vec![
        r.text("title", true),
        r.text("type", true),
        r.guid("orgSourcedId", true),
        r.guid("courseSourcedId", true),
        r.guid("classSourcedId", true),
    ];
    let pairs = r.list("scoreScaleValue", true);
    for pair in &pairs {
        let inner = pair.strip_prefix('{').and_then(|p| p.strip_suffix('}'));
        if !inner.is_some_and(|p| p.split_once(':').is_some_and(|(k, v)| !k.is_empty() && !v.is_empty())) {
            let rule = "is not a {label:value} pair like {A+:100}";
            r.report("scoreScaleValue", Some(pair), rule, Severity::Error);
        }
    }
    values.push(joined(&pairs));
    values
}

/// lineItemScoreScales and resultScoreScales: a title, the owner (`owner` column) and the scale.
pub(super) fn score_scale_link(r: &mut Row<'_>, owner: &str) -> Values {
    vec![r.text("title", false), r.guid(owner, true), r.guid("scoreScaleSourcedId", true)]
}

/// lineItemLearningObjectiveIds and resultLearningObjectiveIds (which add score and textScore).
pub(super) fn learning_objective(r: &mut Row<'_>, owner: &str, scored: bool) -> Values {
    let owner = r.guid(owner, true);
    let source = r.vocab("source", spec::LEARNING_OBJECTIVE_SOURCE, true, true);
    let id = match (source.as_deref(), r.text("learningObjectiveId", true)) {
        (Some("case"), Some(value)) => {
            let uuid = case_uuid(&value);
            if uuid.is_none() {
                let rule = "is not a CASE identifier: a UUID, bare or as urn:uuid:<uuid>";
                r.report("learningObjectiveId", Some(&value), rule, Severity::Error);
            }
            uuid
        }
        (_, id) => id,
    };
    let mut values = vec![owner, source, id];
    if scored {
        values.extend([shown(r.float("score", false)), r.text("textScore", false)]);
    }
    values
}

/// A CASE item identifier as CASE itself writes it: the bare lowercase UUID (STANDARDS §2.3). The CSV binding
/// asks for a `urn:uuid:` URN, which the writer restores; real producers send both forms and either case.
pub(crate) fn case_uuid(value: &str) -> Option<String> {
    let bare = match value.get(..9) {
        Some(prefix) if prefix.eq_ignore_ascii_case("urn:uuid:") => &value[9..],
        _ => value,
    };
    let shape = bare.len() == 36
        && bare
            .char_indices()
            .all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { c == '-' } else { c.is_ascii_hexdigit() });
    shape.then(|| bare.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::case_uuid;

    #[test]
    fn case_ids_are_bare_lowercase_uuids() {
        let id = "9a5e1e22-3f0c-11e8-b467-0ed5f89f718b";
        assert_eq!(case_uuid(id).as_deref(), Some(id));
        assert_eq!(case_uuid("urn:uuid:9A5E1E22-3F0C-11E8-B467-0ED5F89F718B").as_deref(), Some(id));
        assert_eq!(case_uuid("URN:UUID:9a5e1e22-3f0c-11e8-b467-0ed5f89f718b").as_deref(), Some(id));
        for bad in
            ["9a5e1e223f0c11e8b4670ed5f89f718b", "urn:uuid:", "9a5e1e22-3f0c-11e8-b467-0ed5f89f718g", "CCSS.5.NF.1"]
        {
            assert_eq!(case_uuid(bad), None, "{bad}");
        }
    }
}
