//! Organizations: the state, districts and schools.

use crate::audit::{json, record, Change};
use crate::row::{int, opt_int, opt_text, text, vocab};
use crate::{now, Actor, Result, Store, StoreError};
use serde::Serialize;
use sqlx::any::AnyRow;
use steward_core::enums::Vocabulary;
use steward_core::grade::GradeBand;
use steward_core::org::{OrgInput, OrgKind, SchoolLevel};

#[derive(Debug, Clone, Serialize)]
pub struct Org {
    pub id: i64,
    #[serde(flatten)]
    pub org: OrgInput,
}

fn org(r: &AnyRow) -> Result<Org> {
    let level: Option<String> = opt_text(r, "school_level")?;
    let grades = match (opt_int(r, "grade_low")?, opt_int(r, "grade_high")?) {
        (Some(l), Some(h)) => GradeBand::from_numbers(l, h).ok(),
        _ => None,
    };
    Ok(Org {
        id: int(r, "id")?,
        org: OrgInput {
            kind: vocab::<OrgKind>(r, "kind")?,
            parent_id: opt_int(r, "parent_id")?,
            name: text(r, "name")?,
            sourced_id: opt_text(r, "sourced_id")?,
            nces_id: opt_text(r, "nces_id")?,
            school_level: level.and_then(|l| SchoolLevel::parse(&l).ok()),
            grades,
        },
    })
}

impl Store {
    /// Every organization, states first, then districts, then schools, each by name.
    pub async fn orgs(&self) -> Result<Vec<Org>> {
        let rows = sqlx::query(
            "SELECT * FROM orgs ORDER BY CASE kind WHEN 'state' THEN 0 WHEN 'district' THEN 1 ELSE 2 END, name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(org).collect()
    }

    pub async fn schools(&self) -> Result<Vec<Org>> {
        let rows = sqlx::query("SELECT * FROM orgs WHERE kind = 'school' ORDER BY name").fetch_all(&self.pool).await?;
        rows.iter().map(org).collect()
    }

    pub async fn org(&self, id: i64) -> Result<Org> {
        let r = sqlx::query("SELECT * FROM orgs WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        org(&r.ok_or(StoreError::NotFound)?)
    }

    /// The first district, which a single-district install is about.
    pub async fn district(&self) -> Result<Option<Org>> {
        let r = sqlx::query("SELECT * FROM orgs WHERE kind = 'district' ORDER BY id LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(org).transpose()
    }

    async fn check_parent(&self, input: &OrgInput, own_id: Option<i64>) -> Result<()> {
        let (Some(want), Some(parent_id)) = (input.kind.parent_kind(), input.parent_id) else { return Ok(()) };
        if Some(parent_id) == own_id {
            return Err(StoreError::invalid("parent_id", "an organization cannot be its own parent"));
        }
        match self.org(parent_id).await {
            Ok(p) if p.org.kind == want => Ok(()),
            Ok(p) => Err(StoreError::invalid(
                "parent_id",
                format!("a {} belongs to a {}, not a {}", input.kind.code(), want.code(), p.org.kind.code()),
            )),
            Err(StoreError::NotFound) => {
                Err(StoreError::invalid("parent_id", format!("no organization has id {parent_id}")))
            }
            Err(e) => Err(e),
        }
    }

    pub async fn create_org(&self, actor: &Actor, input: &OrgInput) -> Result<i64> {
        self.check_parent(input, None).await?;
        let mut tx = self.begin_write().await?;
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO orgs (kind, parent_id, name, sourced_id, nces_id, school_level, grade_low, grade_high, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(input.kind.code())
        .bind(input.parent_id)
        .bind(&input.name)
        .bind(&input.sourced_id)
        .bind(&input.nces_id)
        .bind(input.school_level.map(|l| l.code()))
        .bind(input.grades.map(|g| g.low.number()))
        .bind(input.grades.map(|g| g.high.number()))
        .bind(&at)
        .fetch_one(&mut *tx)
        .await
        .map_err(org_conflict)?;
        let summary = format!("created {} {}", input.kind.code(), input.name);
        record(
            &mut tx,
            actor,
            Change { action: "create", entity: "org", entity_id: id, summary, before: None, after: json(input) },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_org(&self, actor: &Actor, id: i64, input: &OrgInput) -> Result<()> {
        let before = self.org(id).await?;
        if before.org.kind != input.kind {
            return Err(StoreError::invalid("kind", "the kind of an organization cannot change"));
        }
        self.check_parent(input, Some(id)).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE orgs SET parent_id = $1, name = $2, sourced_id = $3, nces_id = $4, school_level = $5, \
             grade_low = $6, grade_high = $7, updated_at = $8 WHERE id = $9",
        )
        .bind(input.parent_id)
        .bind(&input.name)
        .bind(&input.sourced_id)
        .bind(&input.nces_id)
        .bind(input.school_level.map(|l| l.code()))
        .bind(input.grades.map(|g| g.low.number()))
        .bind(input.grades.map(|g| g.high.number()))
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(org_conflict)?;
        let summary = format!("updated {} {}", input.kind.code(), input.name);
        let change = Change {
            action: "update",
            entity: "org",
            entity_id: id,
            summary,
            before: json(&before.org),
            after: json(input),
        };
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn org_conflict(e: sqlx::Error) -> StoreError {
    let msg = e.as_database_error().map(|d| d.message().to_owned()).unwrap_or_default();
    if msg.contains("nces") {
        StoreError::unique(e, "nces_id", "another organization has this NCES id")
    } else {
        StoreError::unique(e, "sourced_id", "another organization has this sourcedId")
    }
}
