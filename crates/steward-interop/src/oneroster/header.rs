//! Checking a data file's header row against the spec table and binding columns by name.

pub(crate) use super::columns::ColumnIndex;
use super::spec::{self, Version};
use crate::problem::{Problem, Problems, Severity, Strictness};

/// The columns of one file, bound by header name.
pub(crate) struct Binding {
    pub index: ColumnIndex,
    /// Columns the spec does not define, kept as extensions.
    pub extensions: Vec<(String, usize)>,
    /// Header positions with a blank name (tolerated only at the end, in Lenient).
    pub blank: Vec<usize>,
    /// False when a required column is missing: the rows cannot be read.
    pub readable: bool,
}

/// Binds `header` for `file` (without `.csv`), reporting every deviation from the spec table.
pub(crate) fn bind(
    file_name: &str,
    file: &str,
    header: &[String],
    version: Version,
    strictness: Strictness,
    sink: &mut Problems,
) -> Binding {
    let tolerated = if strictness == Strictness::Lenient { Severity::Warning } else { Severity::Error };
    let mut report = |column: Option<&str>, rule: String, severity| {
        sink.push(Problem {
            file: file_name.to_owned(),
            line: Some(1),
            column: column.map(str::to_owned),
            value: None,
            rule,
            severity,
        })
    };
    let columns = spec::columns(file, version).unwrap_or_default();
    let mut binding =
        Binding { index: ColumnIndex::default(), extensions: Vec::new(), blank: Vec::new(), readable: true };
    for (i, name) in header.iter().enumerate() {
        if name.is_empty() {
            binding.blank.push(i);
        } else if binding.index.contains_key(name) {
            // The first column of that name stays bound.
            report(Some(name), "header names must be unique".into(), Severity::Error);
        } else {
            binding.index.insert(name.clone(), i);
            if !columns.iter().any(|c| c.name == name) {
                binding.extensions.push((name.clone(), i));
            }
        }
    }
    if !binding.blank.is_empty() {
        let trailing = binding.blank.iter().rev().zip((0..header.len()).rev()).all(|(b, i)| *b == i);
        let severity = if trailing { tolerated } else { Severity::Error };
        report(None, format!("header has {} blank column name(s); ignored", binding.blank.len()), severity);
    }
    for column in &columns {
        if binding.index.contains_key(column.name) || spec::may_be_omitted(file, column.name) {
            continue;
        }
        let hint = binding
            .extensions
            .iter()
            .find(|(name, _)| edit_distance(&name.to_ascii_lowercase(), &column.name.to_ascii_lowercase()) <= 2)
            .map(|(name, _)| format!(" (is '{name}' a misspelling?)"))
            .unwrap_or_default();
        if column.required {
            binding.readable = false;
            report(Some(column.name), format!("required column is missing{hint}"), Severity::Error);
        } else {
            report(Some(column.name), format!("spec column is missing{hint}"), tolerated);
        }
    }
    let spec_positions: Vec<usize> = columns.iter().filter_map(|c| binding.index.get(c.name)).collect();
    if spec_positions.windows(2).any(|w| w[0] > w[1]) {
        report(None, "columns are not in the order of the spec table".into(), tolerated);
    }
    let last_spec = spec_positions.iter().copied().max().unwrap_or(0);
    for (name, i) in &binding.extensions {
        if *i < last_spec {
            let rule = "extension column stands before spec columns; extensions may only be appended to the right";
            report(Some(name), rule.into(), tolerated);
        }
    }
    binding
}

/// Levenshtein distance, for pointing at likely header typos.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn edit_distance_finds_the_sample_typos() {
        assert_eq!(edit_distance("datalastmodified", "datelastmodified"), 1);
        assert_eq!(edit_distance("prefferedgivenname", "preferredgivenname"), 2);
        assert!(edit_distance("metadata.duration", "dateLastModified") > 2);
    }
}
