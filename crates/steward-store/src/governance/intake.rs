//! What a new request brings in: the product it is for, added to the inventory as requested (with its vendor when
//! the vendor is new) when it is not there yet, the facts its routing reads, and its stages.

use crate::audit::{json, record, Change};
use crate::{now, Actor, Result, StoreError};
use sqlx::AnyConnection;
use steward_core::enums::*;
use steward_core::governance::policy::{RequestFacts, StageRule};
use steward_core::governance::request::{RequestInput, Requested};
use steward_core::product::ProductInput;

/// A request's stages, waiting, in the order `stages` gives; a school role reviews at `school`.
pub(crate) async fn insert_stages(
    conn: &mut AnyConnection,
    request_id: i64,
    stages: &[&StageRule],
    school: Option<i64>,
) -> Result<()> {
    for (i, s) in stages.iter().enumerate() {
        sqlx::query(
            "INSERT INTO request_stages (request_id, position, kind, reviewer_role, school_id, days, status) \
             VALUES ($1, $2, $3, $4, $5, $6, 'waiting')",
        )
        .bind(request_id)
        .bind(i as i64 + 1)
        .bind(s.kind.code())
        .bind(s.reviewer.code())
        .bind(if s.reviewer.requires_school() { school } else { None })
        .bind(i64::from(s.days))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The product a request is for: found, or added to the inventory as requested (with its vendor when the vendor
/// is new); and the facts routing reads.
pub(crate) async fn requested_product(
    conn: &mut AnyConnection,
    actor: &Actor,
    input: &RequestInput,
) -> Result<(i64, String, RequestFacts)> {
    let student_data = !input.data_elements.is_empty();
    let facts = |category_id, new_vendor, data: bool| RequestFacts {
        cost_minor: input.cost_minor,
        student_data: student_data || data,
        grades: input.grades,
        new_vendor,
        category_id: Some(category_id),
    };
    match &input.product {
        Requested::Existing(id) => {
            let found: Option<(String, i64)> = sqlx::query_as("SELECT name, category_id FROM products WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
            let (name, category) =
                found.ok_or_else(|| StoreError::invalid("product_id", format!("no product has id {id}")))?;
            let collects: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM product_tags WHERE product_id = $1 AND kind = 'data_element'")
                    .bind(id)
                    .fetch_one(&mut *conn)
                    .await?;
            Ok((*id, name, facts(category, false, collects > 0)))
        }
        Requested::New { name, vendor_name, website, category_id } => {
            let category: Option<String> = sqlx::query_scalar("SELECT name FROM categories WHERE id = $1")
                .bind(category_id)
                .fetch_optional(&mut *conn)
                .await?;
            let category = category
                .ok_or_else(|| StoreError::invalid("category_id", format!("no category has id {category_id}")))?;
            let vendor: Option<(i64, String)> =
                sqlx::query_as("SELECT id, name FROM vendors WHERE LOWER(name) = LOWER($1)")
                    .bind(vendor_name)
                    .fetch_optional(&mut *conn)
                    .await?;
            let new_vendor = vendor.is_none();
            let (vendor_id, vendor_name) = match vendor {
                Some(v) => v,
                None => {
                    let at = now();
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO vendors (name, website, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
                    )
                    .bind(vendor_name)
                    .bind(website)
                    .bind(&at)
                    .fetch_one(&mut *conn)
                    .await?;
                    let summary = format!("created vendor {vendor_name} for a request");
                    let change = Change {
                        action: "create",
                        entity: "vendor",
                        entity_id: id,
                        summary,
                        before: None,
                        after: None,
                    };
                    record(&mut *conn, actor, change).await?;
                    (id, vendor_name.clone())
                }
            };
            let product = ProductInput {
                name: name.clone(),
                vendor_id,
                category_id: *category_id,
                description: None,
                website: website.clone(),
                launch_url: None,
                grades: input.grades,
                subjects: vec![],
                platforms: vec![],
                sign_on: vec![],
                interop: vec![],
                wcag: WcagLevel::Unknown,
                vpat_url: None,
                data_elements: input.data_elements.clone(),
                third_parties: None,
                dpa_status: if input.data_elements.is_empty() { DpaStatus::NotRequired } else { DpaStatus::None },
                dpa_expires: None,
                essa_tier: EssaTier::None,
                status: ProductStatus::Requested,
                scope: Scope::DistrictWide,
                scope_schools: vec![],
                scope_grades: None,
            };
            let id = crate::products::write_product(conn, None, &product, &vendor_name, &category).await?;
            let summary = format!("created product {name} from a request");
            let change = Change {
                action: "create",
                entity: "product",
                entity_id: id,
                summary,
                before: None,
                after: json(&product),
            };
            record(&mut *conn, actor, change).await?;
            Ok((id, name.clone(), facts(*category_id, new_vendor, false)))
        }
    }
}
