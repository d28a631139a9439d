//! The server as a process of its own (`jiafang serve`), killed with SIGKILL again and again while
//! an admin confirms a large roster import and counselors' tablets sync visits, then started
//! again on the same database. After every restart: the import is there whole or not at all
//! (and its upload is confirmed exactly when its students are there), every visit the server
//! acknowledged is stored once under the id it gave, and no visit is stored by halves. Tablets
//! send again what was not acknowledged, as the offline queue does; at the end, with no more
//! kills, the imports cut off are confirmed again and every visit is there exactly once.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::{Client, StatusCode};
use shared::imports::ImportResult;
use shared::visits::{NewVisit, SyncStatus};
use tests::imports::generated_roster;
use tests::json_of;

const KILLS: usize = 12;
const ROSTER_ROWS: usize = 1500;
/// New visits on each tablet between two kills.
const NEW_VISITS: usize = 25;
const BATCH: usize = 5;

/// A counselor's tablet: its session and its offline queue (what the server has not
/// acknowledged yet).
struct Tablet {
    client: Client,
    counselor: shared::UserId,
    students: Vec<shared::StudentId>,
    queue: Vec<NewVisit>,
}

#[derive(Default)]
struct Tally {
    sync_writes: usize,
    acknowledged_writes: usize,
    /// Stored, but the answer never came: sent again after the restart.
    stored_unacknowledged: HashSet<String>,
    imports_acknowledged: usize,
    /// The kill came before the import's answer: then it was there whole, or not at all.
    imports_cut_whole: usize,
    imports_cut_absent: usize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_import_and_mid_sync_the_server_keeps_every_acknowledged_write_and_no_half_import() {
    let binary = env!("CARGO_BIN_EXE_jiafang-under-test");
    let mut app = tests::spawn_app().await;
    let school = app.seed_school().await;
    let campaign = app.add_campaign("2024年寒假家访").await;
    app.stop_server().await;
    let mut server = app.start_process(binary).await;
    let admin = app.signed_in(&school.admin).await;
    let mut tablets = Vec::new();
    for class in school.colleges.iter().flat_map(|c| c.classes.iter()) {
        let client = app.signed_in(&class.counselor).await;
        let students = class.students.iter().map(|s| s.id).collect();
        tablets.push(Tablet { client, counselor: class.counselor.id, students, queue: Vec::new() });
    }

    let (mut rng, mut tally) = (StdRng::seed_from_u64(2024), Tally::default());
    let (mut acknowledged, mut generated) = (HashMap::<String, i64>::new(), HashSet::<String>::new());
    let mut cut_imports = Vec::new();
    // How long a confirmation took when it was let finish: kills fall anywhere within it.
    let mut commit_time = Duration::from_millis(500);
    for round in 0..KILLS {
        let roster = generated_roster(&format!("2030{round:02}"), &format!("可靠性{round}班"), ROSTER_ROWS);
        let import_id = app.preview_roster(&admin, "roster.csv", roster).await.import_id;
        let students_before = app.count("SELECT COUNT(*) FROM students").await;
        for tablet in &mut tablets {
            for _ in 0..NEW_VISITS {
                let student = tablet.students[rng.gen_range(0..tablet.students.len())];
                let visit = super::visit(campaign, student, tablet.counselor, generated.len());
                generated.insert(visit.client_id.clone());
                tablet.queue.push(visit);
            }
        }
        // Our own connections close, so that the killed server is the database's only user, as
        // in production: SQLite must then recover from its write-ahead log alone.
        app.db.close().await;

        let commit = {
            let (url, admin) = (app.url(&format!("/api/imports/{import_id}/commit")), admin.clone());
            tokio::spawn(async move {
                let started = Instant::now();
                let response = admin.post(url).json(&()).send().await.ok()?;
                let status = response.status();
                Some((status, response.text().await.ok()?, started.elapsed()))
            })
        };
        let mut syncs = tokio::task::JoinSet::new();
        for (t, tablet) in tablets.iter().enumerate() {
            // Two devices of the counselor's send the same queue, one from each end.
            for reversed in [false, true] {
                let mut queue = tablet.queue.clone();
                if reversed {
                    queue.reverse();
                }
                let (address, client) = (app.address.clone(), tablet.client.clone());
                syncs.spawn(async move { (t, super::sync_in_batches(&address, &client, &queue, BATCH).await) });
            }
        }
        // Anywhere within the confirmation, or up to as long again after it (syncs go on).
        tokio::time::sleep(commit_time.mul_f64(rng.gen_range(0.0..2.0))).await;
        app.kill(server).await;
        let commit = commit.await.expect("the confirming task");
        let synced = syncs.join_all().await;

        server = app.start_process(binary).await;
        app.db = backend::Db::connect(&app.db_url).await.expect("connecting again");

        let added = app.count("SELECT COUNT(*) FROM students").await - students_before;
        let confirmed: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM imports WHERE id = $1 AND committed_at IS NOT NULL")
                .bind(import_id)
                .fetch_one(&app.db.read)
                .await
                .expect("reading the upload");
        assert!(
            added == 0 || added == ROSTER_ROWS as i64,
            "round {round}: half an import, {added} of {ROSTER_ROWS} students"
        );
        assert_eq!(
            confirmed == 1,
            added > 0,
            "round {round}: the upload is confirmed exactly when its students are there"
        );
        match commit {
            Some((StatusCode::OK, _, took)) => {
                assert!(added > 0, "round {round}: an acknowledged import is gone");
                tally.imports_acknowledged += 1;
                commit_time = took;
            }
            Some((status, text, _)) => panic!("round {round}: confirming answered {status}: {text}"),
            None if added > 0 => tally.imports_cut_whole += 1,
            None => {
                tally.imports_cut_absent += 1;
                cut_imports.push(import_id);
            }
        }

        for (t, synced) in synced {
            assert_eq!(synced.wrong, None, "round {round}: a sync answer that is not one");
            tally.sync_writes += synced.tried;
            for result in synced.results {
                assert!(matches!(result.status, SyncStatus::Stored | SyncStatus::Duplicate), "{result:?}");
                let id = result.visit_id.expect("a stored visit's id").get();
                let known = *acknowledged.entry(result.client_id.clone()).or_insert(id);
                assert_eq!(known, id, "{}: acknowledged under two ids", result.client_id);
                tally.acknowledged_writes += 1;
                tablets[t].queue.retain(|v| v.client_id != result.client_id);
            }
        }
        let stored = super::stored_visits(&app).await;
        check_visits(&stored, &acknowledged, &generated, round);
        assert_eq!(super::half_stored_visits(&app).await, 0, "round {round}: a visit stored by halves");
        let unanswered = tablets.iter().flat_map(|t| &t.queue).filter(|v| stored.contains_key(&v.client_id));
        tally.stored_unacknowledged.extend(unanswered.map(|v| v.client_id.clone()));
    }

    // No more kills: what was cut off goes through now, and everything is there exactly once.
    for import_id in cut_imports {
        let result: ImportResult = json_of(app.commit(&admin, import_id).await, "confirming again").await;
        assert_eq!(result.counts.new, ROSTER_ROWS as u64);
    }
    for tablet in &tablets {
        let synced = super::sync_in_batches(&app.address, &tablet.client, &tablet.queue, BATCH).await;
        assert_eq!((synced.cut, synced.wrong), (None, None));
        tally.sync_writes += synced.tried;
        for result in synced.results {
            acknowledged.insert(result.client_id, result.visit_id.expect("an id").get());
        }
    }
    let stored = super::stored_visits(&app).await;
    check_visits(&stored, &acknowledged, &generated, KILLS);
    assert_eq!(acknowledged.len(), generated.len(), "every visit acknowledged in the end");
    assert_eq!(stored.len(), generated.len());
    let seeded = school.students().count() as i64;
    assert_eq!(app.count("SELECT COUNT(*) FROM students").await, seeded + (KILLS * ROSTER_ROWS) as i64);
    assert_eq!(app.count("SELECT COUNT(*) FROM guardians").await, seeded + (KILLS * ROSTER_ROWS) as i64);
    app.db.close().await;
    app.kill(server).await;
    super::report(
        "crash",
        &[
            ("SIGKILLs survived", KILLS),
            ("imports acknowledged before the kill", tally.imports_acknowledged),
            ("imports cut off by the kill: whole", tally.imports_cut_whole),
            ("imports cut off by the kill: absent, confirmed again later", tally.imports_cut_absent),
            ("visit sync writes tried", tally.sync_writes),
            ("acknowledged", tally.acknowledged_writes),
            ("stored but unacknowledged at a kill (sent again)", tally.stored_unacknowledged.len()),
            ("visits stored, each once", stored.len()),
        ],
    );
}

/// Every acknowledged visit is stored under the id it was acknowledged with; nothing else is.
fn check_visits(
    stored: &HashMap<String, i64>,
    acknowledged: &HashMap<String, i64>,
    generated: &HashSet<String>,
    round: usize,
) {
    for (client_id, id) in acknowledged {
        assert_eq!(stored.get(client_id), Some(id), "round {round}: acknowledged visit {client_id} lost");
    }
    assert!(stored.keys().all(|c| generated.contains(c)), "round {round}: a visit nobody sent");
}
