//! `jiafang backup` / `jiafang restore` (the library functions the command line calls): every
//! record round-trips, on SQLite and PostgreSQL and from one to the other, including a backup
//! taken while the server is busy writing; and what a restore refuses.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use backend::backup::{backup, restore, Summary, SKIPPED};
use tests::backup::{assert_same, contents, file_contents, Scratch};
use tests::spawn_app;
use tests::visits::full_visit;

use crate::backup_school::fill;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_record_round_trips_even_while_the_server_is_writing() {
    let app = spawn_app().await;
    let (school, campaign, counselor) = fill(&app).await;
    let source = contents(&app.db).await;
    let empty: Vec<&String> = source.iter().filter(|(_, rows)| rows.is_empty()).map(|(t, _)| t).collect();
    assert!(empty.is_empty(), "every table should hold rows for this test; these do not: {empty:?}");
    assert!(app.row_count("sessions").await > 0 && app.row_count("family_sessions").await > 0);

    // A quiet database: the copy equals the source, table by table, row by row.
    let file = app.dir.path().join("quiet.jfbackup");
    let summary = backup(&app.db, &file).await.expect("backing up");
    let copy = Scratch::new().await;
    assert_eq!(restore(&copy.db, &file, false).await.expect("restoring"), summary);
    assert_same(&source, &contents(&copy.db).await, "restored copy");
    assert_eq!(summary.rows.len(), source.len());
    println!("round trip: {summary}");
    check_restored(&copy, &summary).await;

    // Portable: into SQLite (from PostgreSQL on a PostgreSQL run), and that copy's own backup
    // back into a fresh database of this run's kind (SQLite to PostgreSQL).
    let sqlite = Scratch::sqlite().await;
    assert_eq!(restore(&sqlite.db, &file, false).await.expect("restoring into SQLite"), summary);
    assert_same(&source, &contents(&sqlite.db).await, "restored into SQLite");
    let from_sqlite = app.dir.path().join("from-sqlite.jfbackup");
    backup(&sqlite.db, &from_sqlite).await.expect("backing up the SQLite copy");
    let back = Scratch::new().await;
    restore(&back.db, &from_sqlite, false).await.expect("restoring the SQLite copy's backup");
    assert_same(&source, &contents(&back.db).await, "SQLite copy restored");

    // Busy: counselors log visits (a visit, its revision, members and follow-up in one
    // transaction) while backups run. Each backup is exactly what its file says, and consistent.
    let stop = Arc::new(AtomicBool::new(false));
    let logged = Arc::new(AtomicU64::new(0));
    let app = Arc::new(app);
    let writers: Vec<_> = (0..2)
        .map(|_| {
            let (app, stop, logged, counselor) = (app.clone(), stop.clone(), logged.clone(), counselor.clone());
            let class = school.colleges[0].classes[0].clone();
            let advisor = school.colleges[0].advisor.id;
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let student = class.students[logged.load(Ordering::Relaxed) as usize % 3].id;
                    let mut visit = full_visit(campaign, student, class.counselor.id);
                    visit.record.member_ids = vec![advisor];
                    app.log_visit(&counselor, &visit).await;
                    logged.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    // At least five backups, and more until one of them overlapped a logged visit (a backup of a
    // small database is quick, and on a loaded machine five in a row can fall between visits).
    let mut overlapped = 0;
    for round in 0..40 {
        if round >= 5 && overlapped > 0 {
            break;
        }
        while logged.load(Ordering::Relaxed) < 3 * (round + 1) {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let file = app.dir.path().join(format!("busy-{round}.jfbackup"));
        let before = logged.load(Ordering::Relaxed);
        let summary = backup(&app.db, &file).await.expect("backing up while busy");
        if logged.load(Ordering::Relaxed) > before {
            overlapped += 1;
        }
        let copy = Scratch::new().await;
        restore(&copy.db, &file, false).await.expect("restoring a busy backup");
        assert_same(&file_contents(&file), &contents(&copy.db).await, "busy backup restored");
        check_restored(&copy, &summary).await;
    }
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.expect("a writer");
    }
    assert!(overlapped > 0, "no visit was logged while a backup ran: the busy part proved nothing");
}

/// No sessions or attempts; every visit whole (the snapshot did not cut a transaction in half);
/// foreign keys hold; new rows get new ids (PostgreSQL's sequences were moved on).
async fn check_restored(copy: &Scratch, summary: &Summary) {
    let count = |sql: String| {
        let db = copy.db.clone();
        async move { sqlx::query_scalar::<_, i64>(&sql).fetch_one(&db.read).await.unwrap_or_else(|e| panic!("{sql}: {e}")) }
    };
    for table in SKIPPED {
        assert_eq!(count(format!("SELECT COUNT(*) FROM {table}")).await, 0, "{table} must not be restored");
    }
    let broken =
        "SELECT COUNT(*) FROM visits v WHERE NOT EXISTS (SELECT 1 FROM visit_revisions r WHERE r.visit_id = v.id) \
                  OR (SELECT COUNT(*) FROM follow_ups f WHERE f.visit_id = v.id) <> 1 \
                  OR NOT EXISTS (SELECT 1 FROM visit_members m WHERE m.visit_id = v.id)";
    assert_eq!(count(broken.into()).await, 0, "visits restored without their revision, members or follow-up");
    assert_eq!(count("SELECT COUNT(*) FROM visits".into()).await as u64, summary.rows["visits"]);
    let photos: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT content FROM visit_photos").fetch_all(&copy.db.read).await.expect("the photos");
    assert_eq!(photos, [tests::cases::png(64, 48)], "the typical case's photo, byte for byte");
    if copy.db.kind == backend::db::DbKind::Sqlite {
        let violations = sqlx::query("PRAGMA foreign_key_check").fetch_all(&copy.db.read).await.expect("checking");
        assert!(violations.is_empty(), "foreign keys broken after the restore");
    }
    let max = count("SELECT MAX(id) FROM colleges".into()).await;
    let id: i64 = sqlx::query_scalar("INSERT INTO colleges (name, created_at) VALUES ('新学院', 0) RETURNING id")
        .fetch_one(&copy.db.write)
        .await
        .expect("a new college after the restore");
    assert!(id > max, "a new row must not reuse a restored id ({id} <= {max})");
}

#[tokio::test]
async fn a_restore_refuses_a_database_with_data_unless_forced() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let file = app.dir.path().join("school.jfbackup");
    let summary = backup(&app.db, &file).await.expect("backing up");
    let other = spawn_app().await;
    other.add_user("someone", shared::Role::Admin, None).await;

    let error = format!("{:#}", restore(&other.db, &file, false).await.expect_err("a database with data"));
    assert!(error.contains("already holds data") && error.contains("users: 1") && error.contains("--force"), "{error}");
    assert_eq!(other.row_count("users").await, 1, "nothing changed");
    assert_eq!(restore(&other.db, &file, true).await.expect("a forced restore"), summary);
    assert_same(&contents(&app.db).await, &contents(&other.db).await, "forced restore");
    let admin: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'admin'")
        .fetch_one(&other.db.read)
        .await
        .expect("the restored admin");
    assert_eq!(admin, school.admin.id.get());

    // A database migrated by a running server but empty is fine without --force.
    let fresh = spawn_app().await;
    restore(&fresh.db, &file, false).await.expect("restoring into a new server's empty database");
}

#[tokio::test]
async fn a_restore_refuses_newer_truncated_and_foreign_files_and_changes_nothing() {
    let app = spawn_app().await;
    app.seed_school().await;
    let file = app.dir.path().join("school.jfbackup");
    backup(&app.db, &file).await.expect("backing up");
    let lines = gunzip(&file);
    let target = spawn_app().await;
    let attempt = |name: &str, text: String| {
        let path = app.dir.path().join(name);
        gzip(&path, &text);
        let db = target.db.clone();
        async move { format!("{:#}", restore(&db, &path, false).await.expect_err("refused")) }
    };

    let newer = lines[0].replace(
        &format!("\"schema_version\":{}", backend::db::SCHEMA_VERSION),
        &format!("\"schema_version\":{}", backend::db::SCHEMA_VERSION + 1),
    );
    assert_ne!(newer, lines[0]);
    let error = attempt("newer.jfbackup", format!("{newer}\n{}", lines[1..].join("\n"))).await;
    assert!(error.contains("newer Jiafang"), "{error}");

    let cut = lines[..lines.len() - 5].join("\n");
    let error = attempt("cut.jfbackup", cut).await;
    assert!(error.contains("incomplete"), "{error}");

    let mut wrong = lines.clone();
    let row = wrong.iter().position(|l| l.starts_with('[')).expect("a row");
    wrong[row] = "[\"not a number\"]".into();
    let error = attempt("wrong.jfbackup", wrong.join("\n")).await;
    assert!(error.contains("values for"), "{error}");

    let error = attempt("foreign.jfbackup", "{\"hello\":1}\n".into()).await;
    assert!(error.contains("not a Jiafang backup"), "{error}");

    // All or nothing: the target is as it was, migrated and empty.
    assert_eq!(target.row_count("users").await, 0);
    let latest: i64 = sqlx::query_scalar("SELECT CAST(MAX(version) AS BIGINT) FROM schema_migrations")
        .fetch_one(&target.db.read)
        .await
        .unwrap();
    assert_eq!(latest, backend::db::SCHEMA_VERSION);
}

fn gunzip(path: &std::path::Path) -> Vec<String> {
    use std::io::BufRead;
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap()));
    reader.lines().map(Result::unwrap).collect()
}

fn gzip(path: &std::path::Path, text: &str) {
    use std::io::Write;
    let mut out = flate2::write::GzEncoder::new(std::fs::File::create(path).unwrap(), flate2::Compression::fast());
    out.write_all(text.as_bytes()).unwrap();
    out.finish().unwrap();
}
