//! `steward user add`: create an account from the command line.

use super::{open, Global};
use anyhow::bail;
use std::io::Read;
use steward_core::enums::Vocabulary;
use steward_core::people::UserDraft;
use steward_store::Actor;

#[derive(clap::Subcommand)]
pub enum UserCommand {
    /// Create an account. Prints a generated password unless one is given on standard input.
    Add {
        #[arg(long)]
        email: String,
        /// district_admin, technology_reviewer, privacy_reviewer, curriculum_reviewer, finance, school_admin, teacher or student.
        #[arg(long)]
        role: String,
        /// The school the role is held at (its id, NCES id or exact name); required for school roles.
        #[arg(long)]
        school: Option<String>,
        /// The person's name (defaults to the part of the e-mail before the @).
        #[arg(long)]
        name: Option<String>,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
}

pub async fn run(global: &Global, cmd: UserCommand) -> anyhow::Result<()> {
    let UserCommand::Add { email, role, school, name, password_stdin } = cmd;
    let settings = global.settings()?;
    let store = open(&settings).await?;
    let school_id = match &school {
        None => String::new(),
        Some(s) => {
            let schools = store.schools().await.map_err(anyhow::Error::msg)?;
            let found = schools.iter().find(|o| {
                o.id.to_string() == *s || o.org.nces_id.as_deref() == Some(s) || o.org.name.eq_ignore_ascii_case(s)
            });
            match found {
                Some(o) => o.id.to_string(),
                None => bail!("--school: no school has the id, NCES id or name '{s}'"),
            }
        }
    };
    let (password, generated) = if password_stdin {
        let mut p = String::new();
        std::io::stdin().read_to_string(&mut p)?;
        (p.trim_end_matches(['\n', '\r']).to_owned(), false)
    } else {
        (steward_server::auth::random_token(), true)
    };
    let draft = UserDraft {
        name: name.unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned()),
        email,
        role,
        school_id,
        password,
    };
    let (input, password) = match draft.validate() {
        Ok(v) => v,
        Err(e) => bail!(
            "{}",
            e.iter()
                .map(|f| format!(
                    "--{}: {}",
                    if f.field == "school_id" { "school" } else { f.field.as_str() },
                    f.message
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    let hash = steward_server::auth::password::hash(&password).map_err(anyhow::Error::msg)?;
    let id = store.create_user(&Actor::system("cli"), &input, &hash).await.map_err(anyhow::Error::msg)?;
    println!("Created account {id}: {} ({})", input.email, input.role.code());
    if generated {
        println!("Password (shown once): {password}");
    }
    Ok(())
}
