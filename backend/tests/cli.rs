//! The `jiafang` command line as an operator runs it. The first admin is made with
//! `jiafang user add`, whose password comes from standard input: never a flag (which would sit
//! in the shell's history and in every process listing), never a default.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const PASSPHRASE: &str = "a passphrase of the operator 42";

/// Runs `jiafang` on the database `url` with `stdin` as its standard input.
fn jiafang(url: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiafang"))
        .arg("--database-url")
        .arg(url)
        .args(args)
        .env_remove("JIAFANG_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting jiafang");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("writing stdin");
    child.wait_with_output().expect("waiting for jiafang")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[tokio::test]
async fn the_first_admin_is_added_with_a_password_read_from_standard_input() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}", dir.path().join("jiafang.db").display());
    let add = ["user", "add", "--username", "admin", "--name", "管理员", "--role", "admin"];

    let flag = jiafang(&url, &[&add[..], &["--password", PASSPHRASE]].concat(), "");
    assert!(!flag.status.success(), "a password flag is refused: {}", text(&flag));
    let weak = jiafang(&url, &add, "admin\n");
    assert!(!weak.status.success() && text(&weak).contains("password refused"), "{}", text(&weak));

    let added = jiafang(&url, &add, &format!("{PASSPHRASE}\n"));
    assert!(added.status.success(), "{}", text(&added));
    assert!(!text(&added).contains(PASSPHRASE), "the password is never echoed: {}", text(&added));

    let db = backend::Db::connect(&url).await.expect("opening the database");
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT username, role, password_hash FROM users").fetch_all(&db.read).await.expect("users");
    assert_eq!(rows.len(), 1, "the one account added");
    let (username, role, hash) = rows.into_iter().next().expect("an account");
    assert_eq!((username.as_str(), role.as_str()), ("admin", "admin"));
    assert!(hash.as_deref().is_some_and(|h| h.starts_with("$argon2id$")), "{hash:?}");
    let (gate, verify) = (backend::auth::password::Gate::new(1, 0), backend::auth::password::verify);
    assert!(verify(&gate, PASSPHRASE.into(), hash.clone()).await.unwrap(), "the password from stdin");
    assert!(!verify(&gate, "admin".into(), hash).await.unwrap());
}
