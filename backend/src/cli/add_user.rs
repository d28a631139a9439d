//! `jiafang user add`: an account with a password typed on standard input, for the first admin
//! of a new installation (or a service account) before anyone can sign in to the users page.

use std::io::BufRead;

use anyhow::Context;
use shared::Role;

use crate::auth::password;
use crate::db::Db;
use crate::org::{self, NewUser};

pub async fn add_user(
    database_url: &str,
    username: String,
    name: String,
    role: Role,
    college: Option<String>,
    department: Option<shared::Department>,
) -> anyhow::Result<()> {
    if role.needs_college() && college.is_none() {
        anyhow::bail!("a {} needs --college", role.code());
    }
    if role.needs_department() != department.is_some() {
        anyhow::bail!("--department is for service_staff, who need it");
    }
    eprintln!("Password for {username} (one line on standard input):");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if let Err(crate::error::Error::Validation(fields)) = password::check_policy(&password, &username) {
        let reason = fields.first().map(|(_, m)| m.en.to_string()).unwrap_or_default();
        anyhow::bail!("password refused: {reason}");
    }
    let db = Db::connect(database_url).await?;
    db.migrate().await?;
    let mut tx = db.write.begin().await?;
    let college_id = match college {
        Some(name) => Some(org::ensure_college(&mut tx, name.trim()).await?),
        None => None,
    };
    let user = NewUser {
        username: username.clone(),
        display_name: name,
        role,
        college_id,
        password_hash: Some(password::hash(&password)?),
        active: true,
    };
    let id = org::create_user(&mut tx, &user).await.context("creating the account (is the username taken?)")?;
    org::set_department(&mut tx, id.into(), department).await?;
    tx.commit().await?;
    println!("created {} account {username} (id {id})", role.code());
    Ok(())
}
