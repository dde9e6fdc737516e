//! The directory of people, schools and products that usage events are matched against.

use crate::row::{int, opt_text, text};
use crate::{Result, Store};
use futures_util::TryStreamExt;
use std::collections::HashMap;
use steward_core::usage::{Counted, Directory};

impl Store {
    /// Reads everything events are matched against, first giving every rostered person without one a dense id
    /// (in sourcedId order, so a fresh database numbers the same roster the same way).
    pub async fn usage_directory(&self) -> Result<Directory> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO usage_people (sourced_id) SELECT u.sourced_id FROM roster_users u \
             WHERE NOT EXISTS (SELECT 1 FROM usage_people p WHERE p.sourced_id = u.sourced_id) \
             ORDER BY u.sourced_id ON CONFLICT (sourced_id) DO NOTHING",
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;

        let mut d = Directory::default();
        let schools: Vec<(String, i64)> = sqlx::query_as(
            "SELECT sourced_id, id FROM orgs WHERE kind = 'school' AND sourced_id IS NOT NULL ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        let school_ids: HashMap<&str, i64> = schools.iter().map(|(s, id)| (s.as_str(), *id)).collect();
        for (sourced_id, id) in &schools {
            d.add_school(sourced_id, *id);
        }
        let mut people = sqlx::query(
            "SELECT p.id, u.sourced_id, u.email, u.username, u.primary_org_sourced_id FROM usage_people p \
             JOIN roster_users u ON u.sourced_id = p.sourced_id WHERE u.status = 'active'",
        )
        .fetch(&self.pool);
        while let Some(r) = people.try_next().await? {
            let school = opt_text(&r, "primary_org_sourced_id")?
                .and_then(|org| school_ids.get(org.as_str()).copied())
                .unwrap_or(0);
            let id = u32::try_from(int(&r, "id")?).map_err(|e| crate::row::decode_error("id", e.to_string()))?;
            d.add_person(
                id,
                &text(&r, "sourced_id")?,
                opt_text(&r, "email")?.as_deref(),
                opt_text(&r, "username")?.as_deref(),
                school,
            );
        }
        drop(people);
        let roles: Vec<(i64, String)> = sqlx::query_as(
            "SELECT DISTINCT p.id, r.role FROM roster_roles r JOIN usage_people p ON p.sourced_id = r.user_sourced_id \
             WHERE r.status = 'active' AND r.role IN ('student', 'teacher')",
        )
        .fetch_all(&self.pool)
        .await?;
        for (id, role) in roles {
            let Ok(id) = u32::try_from(id) else { continue };
            d.set_role(id, if role == "student" { Counted::Students } else { Counted::Teachers });
        }
        let products: Vec<(i64, Option<String>)> =
            sqlx::query_as("SELECT id, launch_domain FROM products ORDER BY id").fetch_all(&self.pool).await?;
        for (id, domain) in &products {
            d.add_product(*id, domain.as_deref());
        }
        let aliases: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT kind, value, product_id FROM product_aliases").fetch_all(&self.pool).await?;
        for (kind, value, product) in &aliases {
            d.add_alias(kind, value, *product);
        }
        Ok(d)
    }
}
