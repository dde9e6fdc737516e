//! Student groups as bitmaps of dense person ids, for exact cuts of usage: each grade, and each demographic group the
//! roster's demographics declare (sex, each race, Hispanic or Latino).

use crate::{Result, Store};
use futures_util::TryStreamExt;
use roaring::RoaringBitmap;
use sqlx::Row;
use std::collections::BTreeMap;

/// The demographics columns read as groups, with their labels.
const FLAGS: [(&str, &str); 7] = [
    ("american_indian_or_alaska_native", "American Indian or Alaska Native"),
    ("asian", "Asian"),
    ("black_or_african_american", "Black or African American"),
    ("native_hawaiian_or_other_pacific_islander", "Native Hawaiian or other Pacific Islander"),
    ("white", "White"),
    ("demographic_race_two_or_more_races", "Two or more races"),
    ("hispanic_or_latino_ethnicity", "Hispanic or Latino"),
];

/// A grade's label and its order (`KG` first).
fn grade(code: &str) -> Option<(i32, String)> {
    let code = code.split(',').next()?.trim();
    let order = match code {
        "IT" => -3,
        "PR" => -2,
        "PK" => -1,
        "TK" => -1,
        "KG" => 0,
        "PS" => 13,
        "UG" => 14,
        "Other" => 15,
        n => n.parse::<i32>().ok()?,
    };
    Some((order, if code == "KG" { "Kindergarten".to_owned() } else { format!("Grade {code}") }))
}

impl Store {
    /// Each student group (grades first, in order, then the demographic groups), with its members' dense ids.
    pub async fn usage_groups(&self) -> Result<Vec<(String, RoaringBitmap)>> {
        let mut grades: BTreeMap<(i32, String), RoaringBitmap> = BTreeMap::new();
        let mut rows = sqlx::query(
            "SELECT p.id, u.grades FROM usage_people p JOIN roster_users u ON u.sourced_id = p.sourced_id \
             WHERE u.status = 'active' AND u.grades IS NOT NULL AND u.grades <> ''",
        )
        .fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            let (id, codes): (i64, String) = (r.try_get(0)?, r.try_get(1)?);
            if let (Some(key), Ok(id)) = (grade(&codes), u32::try_from(id)) {
                grades.entry(key).or_default().insert(id);
            }
        }
        drop(rows);
        let columns: Vec<&str> = FLAGS.iter().map(|(c, _)| *c).collect();
        let sql = format!(
            "SELECT p.id, d.sex, {} FROM roster_demographics d JOIN usage_people p ON p.sourced_id = d.sourced_id \
             WHERE d.status = 'active'",
            columns.iter().map(|c| format!("d.{c}")).collect::<Vec<_>>().join(", ")
        );
        let mut groups: BTreeMap<String, RoaringBitmap> = BTreeMap::new();
        let mut rows = sqlx::query(&sql).fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            let Ok(id) = u32::try_from(r.try_get::<i64, _>(0)?) else { continue };
            if let Some(sex) = r.try_get::<Option<String>, _>(1)?.filter(|s| !s.is_empty()) {
                groups.entry(format!("Sex: {sex}")).or_default().insert(id);
            }
            for (i, (_, label)) in FLAGS.iter().enumerate() {
                let flag: Option<String> = r.try_get(i + 2)?;
                if flag.is_some_and(|f| f.eq_ignore_ascii_case("true")) {
                    groups.entry((*label).to_owned()).or_default().insert(id);
                }
            }
        }
        Ok(grades.into_iter().map(|((_, label), b)| (label, b)).chain(groups).collect())
    }
}
