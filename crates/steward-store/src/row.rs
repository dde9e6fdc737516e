//! Reading typed values out of rows, with decoding failures reported as store errors.

use crate::Result;
use sqlx::any::AnyRow;
use sqlx::Row;
use steward_core::enums::Vocabulary;

pub(crate) fn text(row: &AnyRow, col: &str) -> Result<String> {
    Ok(row.try_get::<String, _>(col)?)
}

pub(crate) fn opt_text(row: &AnyRow, col: &str) -> Result<Option<String>> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

pub(crate) fn int(row: &AnyRow, col: &str) -> Result<i64> {
    Ok(row.try_get::<i64, _>(col)?)
}

pub(crate) fn opt_int(row: &AnyRow, col: &str) -> Result<Option<i64>> {
    Ok(row.try_get::<Option<i64>, _>(col)?)
}

pub(crate) fn flag(row: &AnyRow, col: &str) -> Result<bool> {
    Ok(int(row, col)? != 0)
}

/// A stored vocabulary code; a code the program no longer knows is a decoding error, not a panic.
pub(crate) fn vocab<V: Vocabulary>(row: &AnyRow, col: &str) -> Result<V> {
    let code = text(row, col)?;
    V::parse(&code).map_err(|m| decode_error(col, m))
}

pub(crate) fn date(row: &AnyRow, col: &str) -> Result<chrono::NaiveDate> {
    let s = text(row, col)?;
    chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| decode_error(col, e.to_string()))
}

pub(crate) fn opt_date(row: &AnyRow, col: &str) -> Result<Option<chrono::NaiveDate>> {
    match opt_text(row, col)? {
        None => Ok(None),
        Some(s) => {
            chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").map(Some).map_err(|e| decode_error(col, e.to_string()))
        }
    }
}

pub(crate) fn decode_error(col: &str, msg: String) -> crate::StoreError {
    crate::StoreError::Other(sqlx::Error::ColumnDecode { index: col.to_owned(), source: msg.into() })
}
