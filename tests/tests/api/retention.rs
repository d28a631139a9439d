//! Retention (issue 19 item 3): once a closed campaign's periods pass, the daily run (claimed
//! once a day) removes the expired notes, concerns' text and family links from the database and
//! so from the next backup, while the dashboard's figures and the report stay exactly as they
//! were; the dry run lists what would go; periods are admins' and checked; every run is audited.

use reqwest::StatusCode;
use serde_json::Value;
use shared::campaigns::{CampaignStatus, StatusChange};
use shared::meetings::{ConcernInput, Topic};
use shared::retention::{CampaignRetention, Kept, RetentionPeriods, DEFAULTS};
use tests::visits::full_visit;
use tests::{json_of, spawn_app, TestApp};

const SENSITIVE: &str = "父亲去年失业，母亲有慢性病";
const NOTES: &str = "家庭和睦";
const CONCERN: &str = "孩子最近压力很大，睡不好";

/// Everything the campaign's figures are read from: the summary, the participants, the report.
async fn figures(app: &TestApp, admin: &reqwest::Client, campaign: i64) -> (Value, Value, String) {
    let summary: Value = app.get_json(admin, &format!("/api/campaigns/{campaign}/summary")).await;
    let participants: Value = app.get_json(admin, &format!("/api/campaigns/{campaign}/participants")).await;
    let report = app.get(admin, &format!("/api/campaigns/{campaign}/report")).await;
    assert_eq!(report.status(), StatusCode::OK);
    (summary, participants, report.text().await.expect("the report"))
}

/// Whether any stored row (visits, revisions, concerns, …) still holds `text`.
async fn stored(app: &TestApp, text: &str) -> bool {
    tests::backup::contents(&app.db).await.values().flatten().any(|row| row.contains(text))
}

fn backed_up(app: &TestApp, name: &str) -> std::path::PathBuf {
    app.dir.path().join(name)
}

#[tokio::test]
async fn expired_notes_leave_the_database_and_the_next_backup_while_the_figures_stay() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    let admin = app.signed_in(&school.admin).await;
    let counselor = app.signed_in(&class.counselor).await;
    let campaign = app.add_campaign("2024年寒假家访").await;
    for student in &class.students[..2] {
        app.log_visit(&counselor, &full_visit(campaign, student.id, class.counselor.id)).await;
    }
    let input = shared::meetings::MeetingInput {
        campaign_id: Some(campaign.into()),
        ..tests::meetings::meeting_input(class.id, 40, 2)
    };
    let meeting = app.create_meeting(&counselor, &input).await.id;
    let links = app.issue_links(&counselor, meeting).await;
    let (family, _) = app.family(links.families[0].url.as_deref().expect("a link")).await;
    app.consent(&family).await;
    let concern = ConcernInput { topic: Topic::MentalHealth, text: CONCERN.into() };
    assert_eq!(app.post_json(&family, "/api/family/concerns", &concern).await.status(), StatusCode::OK);
    let path = format!("/api/campaigns/{campaign}/retention");

    // Open: nothing expires; the defaults apply.
    let plan: CampaignRetention = app.get_json(&admin, &path).await;
    assert_eq!(plan.periods, DEFAULTS);
    assert!(plan.counted_from.is_none() && plan.items.iter().all(|i| !i.expired), "{plan:?}");
    assert_eq!(plan.would_go(), 0);

    // Periods: admins only, each 0..=3650 days (422 per field).
    let bad = RetentionPeriods { sensitive_notes_days: -1, family_links_days: 4000, ..DEFAULTS };
    let (status, error) = tests::error_body(app.put_json(&admin, &path, &bad).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = error.fields.keys().map(String::as_str).collect();
    assert_eq!(fields, ["family_links_days", "sensitive_notes_days"]);
    let expire = RetentionPeriods {
        visit_notes_days: 0,
        sensitive_notes_days: 0,
        concerns_days: 0,
        family_links_days: 0,
        ..DEFAULTS
    };
    assert_eq!(app.put_json(&counselor, &path, &expire).await.status(), StatusCode::FORBIDDEN);
    let _: CampaignRetention = json_of(app.put_json(&admin, &path, &expire).await, "periods").await;

    let close = StatusChange { status: CampaignStatus::Closed };
    let _: Value =
        json_of(app.post_json(&admin, &format!("/api/campaigns/{campaign}/status"), &close).await, "close").await;
    let before = figures(&app, &admin, campaign).await;
    let old_backup = backed_up(&app, "before.jfbackup");
    backend::backup::backup(&app.db, &old_backup).await.expect("a backup");
    let holds = |path: &std::path::Path, text: &str| {
        tests::backup::file_contents(path).values().flatten().any(|row| row.contains(text))
    };
    assert!(holds(&old_backup, SENSITIVE) && holds(&old_backup, CONCERN), "the test sees the notes in a backup");

    // The dry run lists what would go, kind by kind, and the photos' period has not passed.
    let plan: CampaignRetention = app.get_json(&admin, &path).await;
    let held =
        |plan: &CampaignRetention, kind: Kept| plan.items.iter().find(|i| i.kind == kind).map(|i| (i.expired, i.held));
    assert_eq!(held(&plan, Kept::SensitiveNotes), Some((true, 2)));
    assert_eq!(held(&plan, Kept::VisitNotes), Some((true, 2)));
    assert_eq!(held(&plan, Kept::Concerns), Some((true, 1)));
    assert_eq!(held(&plan, Kept::Photos), Some((false, 0)));
    assert!(held(&plan, Kept::FamilyLinks).is_some_and(|(expired, n)| expired && n >= 1), "{plan:?}");
    assert_eq!(app.get(&counselor, &path).await.status(), StatusCode::FORBIDDEN);
    assert!(stored(&app, SENSITIVE).await, "a dry run removes nothing");

    // Two instances at the day's hour: the run is claimed once.
    let at = backend::db::now();
    let (one, two) = tokio::join!(
        backend::retention::job::run_due(&app.db, 0, at),
        backend::retention::job::run_due(&app.db, 0, at)
    );
    let runs: Vec<_> = [one.expect("a run"), two.expect("a run")].into_iter().flatten().collect();
    assert_eq!(runs.len(), 1, "the day's run is claimed by one instance");
    assert!(backend::retention::job::run_due(&app.db, 0, at).await.expect("again").is_none());

    for text in [SENSITIVE, NOTES, CONCERN] {
        assert!(!stored(&app, text).await, "{text} is still in the database");
    }
    let new_backup = backed_up(&app, "after.jfbackup");
    backend::backup::backup(&app.db, &new_backup).await.expect("a backup");
    for text in [SENSITIVE, NOTES, CONCERN] {
        assert!(!holds(&new_backup, text), "{text} is still in the next backup");
    }
    let links_left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meeting_links WHERE guardian_id IS NOT NULL")
        .fetch_one(&app.db.read)
        .await
        .expect("links");
    assert_eq!(links_left, 0);
    assert_eq!(figures(&app, &admin, campaign).await, before, "the figures and the report stay");
    let plan: CampaignRetention = app.get_json(&admin, &path).await;
    assert_eq!(plan.would_go(), 0, "{plan:?}");
    // A family's own link no longer opens anything.
    assert_eq!(app.get(&family, "/api/family/me").await.status(), StatusCode::UNAUTHORIZED);

    // Audited: the periods' change and the run, by the job (no user).
    let runs: Vec<(Option<i64>, String)> =
        sqlx::query_as("SELECT user_id, detail FROM audit_log WHERE action = 'retention' ORDER BY id")
            .fetch_all(&app.db.read)
            .await
            .expect("the audit log");
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert!(
        runs[1].0.is_none() && runs[1].1.contains("daily job") && runs[1].1.contains("sensitive_notes 2"),
        "{runs:?}"
    );
}

#[tokio::test]
async fn an_open_campaign_and_unexpired_periods_keep_everything() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    let admin = app.signed_in(&school.admin).await;
    let counselor = app.signed_in(&class.counselor).await;
    let open = app.add_campaign("进行中").await;
    app.log_visit(&counselor, &full_visit(open, class.students[0].id, class.counselor.id)).await;
    let closed = app.add_campaign("已结束").await;
    app.log_visit(&counselor, &full_visit(closed, class.students[1].id, class.counselor.id)).await;
    let close = StatusChange { status: CampaignStatus::Closed };
    let _: Value =
        json_of(app.post_json(&admin, &format!("/api/campaigns/{closed}/status"), &close).await, "close").await;
    // Closed today with the defaults: half a year to go.
    let plan: CampaignRetention = app.get_json(&admin, &format!("/api/campaigns/{closed}/retention")).await;
    assert!(plan.counted_from.is_some() && plan.items.iter().all(|i| !i.expired), "{plan:?}");
    let removed = backend::retention::run(&app.db, backend::db::now(), None, "test").await.expect("a run");
    assert!(removed.0.is_empty(), "{removed}");
    assert!(stored(&app, SENSITIVE).await);
}
