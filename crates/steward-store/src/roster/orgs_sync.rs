//! The roster's district and schools become Steward's organizations, so that products, contracts and scopes can
//! name them: run inside an import's transaction, after its records are written.
//!
//! A roster school or district is matched to a Steward organization by sourcedId; failing that, an organization of
//! the same kind with the same NCES id and no sourcedId is linked to it; failing that, it is created, under the
//! Steward organization its `parentSourcedId` names (or the only district, for a school). Names already in Steward
//! are left as people set them. Every link and creation is in the audit log.

use sqlx::AnyConnection;
use steward_core::org::OrgDraft;

use crate::audit::{self, json, Change};
use crate::row::{opt_text, text};
use crate::{now, Actor, Result};

/// Links or creates the roster's active districts and schools; returns how many organizations were added.
pub(super) async fn sync(conn: &mut AnyConnection, actor: &Actor) -> Result<u64> {
    let mut added = 0;
    for kind in ["district", "school"] {
        let rows = sqlx::query(
            "SELECT r.sourced_id, r.name, r.identifier, r.parent_sourced_id FROM roster_orgs r \
             WHERE r.status = 'active' AND r.type = $1 \
             AND NOT EXISTS (SELECT 1 FROM orgs o WHERE o.sourced_id = r.sourced_id) ORDER BY r.sourced_id",
        )
        .bind(kind)
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            let sourced_id = text(&r, "sourced_id")?;
            let name = opt_text(&r, "name")?.unwrap_or_else(|| sourced_id.clone());
            let identifier = opt_text(&r, "identifier")?;
            let parent = opt_text(&r, "parent_sourced_id")?;
            if link_by_nces(conn, actor, kind, &sourced_id, identifier.as_deref()).await? {
                continue;
            }
            let parent_id = match kind {
                "school" => parent_for_school(conn, parent.as_deref()).await?,
                _ => None,
            };
            let draft = |nces: &str| OrgDraft {
                kind: kind.into(),
                parent_id: parent_id.map(|p| p.to_string()).unwrap_or_default(),
                name: name.clone(),
                sourced_id: sourced_id.clone(),
                nces_id: nces.into(),
                ..OrgDraft::default()
            };
            // An identifier that is not an NCES id of the right length is not kept as one.
            let Ok(input) = draft(identifier.as_deref().unwrap_or("")).validate().or_else(|_| draft("").validate())
            else {
                tracing::warn!(sourced_id, "a roster {kind} could not become an organization");
                continue;
            };
            let at = now();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO orgs (kind, parent_id, name, sourced_id, nces_id, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(kind)
            .bind(input.parent_id)
            .bind(input.name.clone())
            .bind(input.sourced_id.clone())
            .bind(input.nces_id.clone())
            .bind(at)
            .fetch_one(&mut *conn)
            .await?;
            let summary = format!("created {kind} {} from the roster", input.name);
            let change =
                Change { action: "create", entity: "org", entity_id: id, summary, before: None, after: json(&input) };
            audit::record(conn, actor, change).await?;
            added += 1;
        }
    }
    Ok(added)
}

/// Links an organization of `kind` with this NCES id and no sourcedId; true if one was linked.
async fn link_by_nces(
    conn: &mut AnyConnection,
    actor: &Actor,
    kind: &str,
    sourced_id: &str,
    nces: Option<&str>,
) -> Result<bool> {
    let Some(nces) = nces else { return Ok(false) };
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM orgs WHERE kind = $1 AND nces_id = $2 AND sourced_id IS NULL")
            .bind(kind)
            .bind(nces)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(id) = found else { return Ok(false) };
    sqlx::query("UPDATE orgs SET sourced_id = $1, updated_at = $2 WHERE id = $3")
        .bind(sourced_id)
        .bind(now())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let summary = format!("linked to the roster's {kind} {sourced_id} by NCES id");
    let after = Some(serde_json::json!({ "sourced_id": sourced_id }));
    let change = Change { action: "update", entity: "org", entity_id: id, summary, before: None, after };
    audit::record(conn, actor, change).await?;
    Ok(true)
}

/// The district a new school belongs to: the one its parentSourcedId names, or the only district there is.
async fn parent_for_school(conn: &mut AnyConnection, parent: Option<&str>) -> Result<Option<i64>> {
    if let Some(parent) = parent {
        let named: Option<i64> = sqlx::query_scalar("SELECT id FROM orgs WHERE kind = 'district' AND sourced_id = $1")
            .bind(parent)
            .fetch_optional(&mut *conn)
            .await?;
        if named.is_some() {
            return Ok(named);
        }
    }
    let districts: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM orgs WHERE kind = 'district' LIMIT 2").fetch_all(&mut *conn).await?;
    Ok(if districts.len() == 1 { districts.first().copied() } else { None })
}
