//! People: Steward accounts, and the named owners of each product.

use crate::enums::{OwnerRole, Vocabulary};
use crate::fields::{email, optional_text, required_text, FieldErrors};
use crate::product::parse_id;
use crate::role::Role;
use serde::{Deserialize, Serialize};

/// The shortest password accepted for a local account.
pub const MIN_PASSWORD_LEN: usize = 12;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UserDraft {
    pub email: String,
    pub name: String,
    pub role: String,
    pub school_id: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserInput {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub school_id: Option<i64>,
}

impl UserDraft {
    /// Validates a new account; the password is returned apart so it is never serialized with the user.
    pub fn validate(&self) -> Result<(UserInput, String), FieldErrors> {
        let (user, mut e) = self.check_profile();
        let password = e.check("password", check_password(&self.password));
        match user {
            Some(user) if e.is_empty() => Ok((user, password.unwrap_or_default())),
            _ => Err(e),
        }
    }

    /// Validates an account's e-mail, name, role and school, as when an administrator edits it.
    pub fn validate_profile(&self) -> Result<UserInput, FieldErrors> {
        match self.check_profile() {
            (Some(user), _) => Ok(user),
            (None, e) => Err(e),
        }
    }

    fn check_profile(&self) -> (Option<UserInput>, FieldErrors) {
        let mut e = FieldErrors::new();
        let mail = e.check("email", email(&self.email));
        let name = e.check("name", required_text(&self.name, 200));
        let role = e.check(
            "role",
            if self.role.trim().is_empty() { Err("is required".into()) } else { Role::parse(&self.role) },
        );
        let school_id = e.check(
            "school_id",
            if self.school_id.trim().is_empty() { Ok(None) } else { parse_id(&self.school_id, "school").map(Some) },
        );
        if let (Some(role), Some(school)) = (role, school_id) {
            if let Err(m) = role.check_placement(school) {
                e.add("school_id", m);
            }
        }
        let user = match (mail, name, role, school_id) {
            (Some(email), Some(name), Some(role), Some(school_id)) if e.is_empty() => {
                Some(UserInput { email, name, role, school_id })
            }
            _ => None,
        };
        (user, e)
    }
}

/// A password long enough to resist guessing; length matters more than character classes.
pub fn check_password(p: &str) -> Result<String, String> {
    let n = p.chars().count();
    if n < MIN_PASSWORD_LEN {
        Err(format!("must be at least {MIN_PASSWORD_LEN} characters"))
    } else if n > 256 {
        Err("must be at most 256 characters".into())
    } else {
        Ok(p.to_owned())
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OwnerDraft {
    pub role: String,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnerInput {
    pub role: OwnerRole,
    pub name: String,
    pub email: Option<String>,
}

impl OwnerDraft {
    pub fn validate(&self) -> Result<OwnerInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let role = e.check(
            "role",
            if self.role.trim().is_empty() { Err("is required".into()) } else { OwnerRole::parse(&self.role) },
        );
        let name = e.check("name", required_text(&self.name, 200));
        let mail = e.check("email", if self.email.trim().is_empty() { Ok(None) } else { email(&self.email).map(Some) });
        if !e.is_empty() {
            return Err(e);
        }
        Ok(OwnerInput { role: role.expect("checked"), name: name.unwrap_or_default(), email: mail.flatten() })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct VendorDraft {
    pub name: String,
    pub website: String,
    pub contact_email: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorInput {
    pub name: String,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub notes: Option<String>,
}

impl VendorDraft {
    pub fn validate(&self) -> Result<VendorInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", required_text(&self.name, 200));
        let website = e.check("website", crate::fields::optional_url(&self.website));
        let mail = e.check(
            "contact_email",
            if self.contact_email.trim().is_empty() { Ok(None) } else { email(&self.contact_email).map(Some) },
        );
        let notes = e.check("notes", optional_text(&self.notes, 4000));
        if !e.is_empty() {
            return Err(e);
        }
        Ok(VendorInput {
            name: name.unwrap_or_default(),
            website: website.flatten(),
            contact_email: mail.flatten(),
            notes: notes.flatten(),
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CategoryDraft {
    pub name: String,
    pub parent_id: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryInput {
    pub name: String,
    pub parent_id: Option<i64>,
    pub description: Option<String>,
}

impl CategoryDraft {
    pub fn validate(&self) -> Result<CategoryInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", required_text(&self.name, 100));
        let parent_id = e.check(
            "parent_id",
            if self.parent_id.trim().is_empty() {
                Ok(None)
            } else {
                parse_id(&self.parent_id, "parent category").map(Some)
            },
        );
        let description = e.check("description", optional_text(&self.description, 1000));
        if !e.is_empty() {
            return Err(e);
        }
        Ok(CategoryInput {
            name: name.unwrap_or_default(),
            parent_id: parent_id.flatten(),
            description: description.flatten(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teachers_belong_to_a_school_and_finance_to_the_district() {
        let mut d = UserDraft {
            email: "t@district.org".into(),
            name: "T".into(),
            role: "teacher".into(),
            password: "correct horse battery".into(),
            ..Default::default()
        };
        assert!(d.validate().unwrap_err().get("school_id").is_some());
        d.school_id = "4".into();
        assert_eq!(d.validate().unwrap().0.school_id, Some(4));
        d.password = String::new();
        assert!(d.validate().unwrap_err().get("password").is_some(), "a new account needs a password");
        assert_eq!(d.validate_profile().unwrap().school_id, Some(4), "editing one does not");
        d.role = "finance".into();
        assert!(d.validate().unwrap_err().get("school_id").unwrap().contains("district"));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_password("short").is_err());
        assert!(check_password("twelve chars").is_ok());
    }

    #[test]
    fn owners_need_a_role_and_a_name() {
        let e = OwnerDraft { role: "boss".into(), email: "x".into(), ..Default::default() }.validate().unwrap_err();
        assert!(e.get("role").is_some() && e.get("name").is_some() && e.get("email").is_some());
    }
}
