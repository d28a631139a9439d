//! A family's rights (issue 19 item 4): admins (any student) and a college's leader (their
//! college's) export everything held about a student and their guardians — every table that
//! mentions them, found from the schema —, record a correction, or erase the personal data while
//! the figures and the audit trail stay; each with a required reason, audited with the requester.

use reqwest::StatusCode;
use serde_json::{json, Value};
use shared::meetings::{ConcernInput, Topic};
use shared::org::StudentDetail;
use shared::retention::{RightsDone, ERASED_NAME};
use tests::visits::full_visit;
use tests::{error_body, json_of, spawn_app, School, TestApp};

const SENSITIVE: &str = "学生甲的父亲住院，家里欠债";
const CONCERN: &str = "学生甲最近情绪低落";
const PHONE: &str = "13900001111";

/// A student with a visit (its own sensitive notes), a guardian with a phone of their own, a
/// meeting of the campaign with a link, the family's answer, consent and a concern.
async fn student_with_everything(app: &TestApp, school: &School) -> (shared::StudentId, i64) {
    let class = &school.colleges[0].classes[0];
    let student = class.students[0].id;
    let counselor = app.signed_in(&class.counselor).await;
    app.set_home(student, tests::CITY, Some("武侯区"), PHONE).await;
    let campaign = app.add_campaign("2024年寒假家访").await;
    let mut visit = full_visit(campaign, student, class.counselor.id);
    visit.record.sensitive_notes = Some(SENSITIVE.into());
    app.log_visit(&counselor, &visit).await;
    app.log_visit(&counselor, &full_visit(campaign, class.students[1].id, class.counselor.id)).await;
    let input = shared::meetings::MeetingInput {
        campaign_id: Some(campaign.into()),
        ..tests::meetings::meeting_input(class.id, 40, 2)
    };
    let meeting = app.create_meeting(&counselor, &input).await.id;
    let links = app.issue_links(&counselor, meeting).await;
    let name = &class.students[0].name;
    let link = links.families.iter().find(|l| l.student_name.as_ref() == Some(name)).expect("the student's link");
    let (family, _) = app.family(link.url.as_deref().expect("a link")).await;
    let _: Value = json_of(app.answer(&family, shared::meetings::Attendance::InPerson, 2).await, "answer").await;
    app.consent(&family).await;
    let concern = ConcernInput { topic: Topic::MentalHealth, text: CONCERN.into() };
    assert_eq!(app.post_json(&family, "/api/family/concerns", &concern).await.status(), StatusCode::OK);
    (student, campaign)
}

async fn audited(app: &TestApp, action: &str) -> Vec<(Option<i64>, Option<i64>, String)> {
    sqlx::query_as("SELECT user_id, student_id, detail FROM audit_log WHERE action = $1 ORDER BY id")
        .bind(action.to_string())
        .fetch_all(&app.db.read)
        .await
        .expect("the audit log")
}

#[tokio::test]
async fn the_export_holds_every_table_that_mentions_the_student() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let (student, _) = student_with_everything(&app, &school).await;
    let path = format!("/api/students/{student}/rights/export");
    let reason = json!({ "reason": "母亲来电要求查阅（工单 031）" });

    let admin = app.signed_in(&school.admin).await;
    let (status, error) = error_body(app.post_json(&admin, &path, &json!({ "reason": "  " })).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.fields.contains_key("reason"), "{error:?}");
    let counselor = app.signed_in(&school.colleges[0].classes[0].counselor).await;
    assert_eq!(app.post_json(&counselor, &path, &reason).await.status(), StatusCode::FORBIDDEN);
    let other_leader = app.signed_in(&school.colleges[1].leader).await;
    assert_eq!(app.post_json(&other_leader, &path, &reason).await.status(), StatusCode::FORBIDDEN);
    let leader = app.signed_in(&school.colleges[0].leader).await;
    let response = app.post_json(&leader, &path, &reason).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-disposition"].to_str().unwrap_or("").contains("attachment"));
    let text = response.text().await.expect("the file");
    let export: Value = serde_json::from_str(&text).expect("a JSON file");

    // Every table with a column naming a student or a guardian, from the schema itself.
    let mut conn = app.db.read.acquire().await.expect("a connection");
    let mut mentioning = Vec::new();
    for table in backend::backup::schema::tables(&mut conn, app.db.kind).await.expect("tables") {
        let columns = backend::backup::schema::columns(&mut conn, app.db.kind, &table).await.expect("columns");
        if columns.iter().any(|c| c.name == "student_id" || c.name == "guardian_id") {
            mentioning.push(table);
        }
    }
    assert!(mentioning.len() >= 10, "{mentioning:?}");
    let tables = export["tables"].as_object().expect("tables");
    let missing: Vec<&String> = mentioning.iter().filter(|t| !tables.contains_key(*t)).collect();
    assert!(missing.is_empty(), "tables mentioning the student missing from the export: {missing:?}");
    for table in [
        "students",
        "guardians",
        "visits",
        "visit_revisions",
        "follow_ups",
        "meeting_answers",
        "meeting_concerns",
        "sensitive_consents",
        "meeting_links",
        "audit_log",
    ] {
        assert!(tables[table].as_array().is_some_and(|rows| !rows.is_empty()), "{table} is empty in the export");
    }
    for held in [SENSITIVE, CONCERN, PHONE, school.colleges[0].classes[0].students[0].name.as_str()] {
        assert!(text.contains(held), "{held} is not in the export");
    }
    assert!(tables["meeting_links"][0]["token_hash"].is_null() && tables["meeting_links"][0]["nonce"].is_null());
    // Only this student's rows.
    assert!(tables["visits"].as_array().expect("visits").iter().all(|v| v["student_id"] == json!(student)));

    let entries = audited(&app, "rights_export").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, Some(school.colleges[0].leader.id.get()));
    assert_eq!(entries[0].1, Some(student.get()));
    assert!(entries[0].2.contains("工单 031"), "{entries:?}");
}

#[tokio::test]
async fn erasing_a_student_keeps_the_figures_and_the_audit_trail() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let (student, campaign) = student_with_everything(&app, &school).await;
    let admin = app.signed_in(&school.admin).await;
    let figures = || async {
        let summary: Value = app.get_json(&admin, &format!("/api/campaigns/{campaign}/summary")).await;
        let report = app.get(&admin, &format!("/api/campaigns/{campaign}/report")).await.text().await.expect("report");
        (summary, report)
    };
    let before = figures().await;
    let trail_before = app.row_count("audit_log").await;

    // A correction: recorded with its reason, then made with the edit forms.
    let correction = format!("/api/students/{student}/rights/correction");
    let (status, _) = error_body(app.post_json(&admin, &correction, &json!({ "reason": "" })).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let _: RightsDone =
        json_of(app.post_json(&admin, &correction, &json!({ "reason": "父亲电话号码有误" })).await, "correction").await;
    assert!(audited(&app, "rights_correction").await[0].2.contains("父亲电话号码有误"));

    // Staff notices name the student (never a concern's text): two about them, one about another.
    let class = &school.colleges[0].classes[0];
    for (subject, text) in [
        (
            format!("家访：{} {} 的家长提出了敏感话题的新问题", class.name, class.students[0].name),
            "请登录家访查看。".to_string(),
        ),
        ("家访：转介到心理中心的新事项".to_string(), format!("学生：{}", class.students[0].name)),
        (format!("家访：转介到心理中心的新事项（{}）", class.students[1].name), "请登录家访查看。".to_string()),
    ] {
        sqlx::query(
            "INSERT INTO staff_notices (channel, user_id, kind, subject, text, created_at) VALUES ('email', $1, 'referral', $2, $3, 0)",
        )
        .bind(class.counselor.id)
        .bind(subject)
        .bind(text)
        .execute(&app.db.write)
        .await
        .expect("a staff notice");
    }

    let erase = format!("/api/students/{student}/rights/erase");
    let counselor = app.signed_in(&school.colleges[0].classes[0].counselor).await;
    let reason = json!({ "reason": "学生毕业后本人书面申请删除" });
    assert_eq!(app.post_json(&counselor, &erase, &reason).await.status(), StatusCode::FORBIDDEN);
    let (status, _) = error_body(app.post_json(&admin, &erase, &json!({ "reason": "" })).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The counselor's visit page, opened before the erasure, holds the notes.
    let visit_id: i64 = sqlx::query_scalar("SELECT id FROM visits WHERE student_id = $1")
        .bind(student)
        .fetch_one(&app.db.read)
        .await
        .expect("the student's visit");
    let open: shared::visits::Visit = app.get_json(&counselor, &format!("/api/visits/{visit_id}")).await;
    assert_eq!(open.record.sensitive_notes.as_deref(), Some(SENSITIVE));
    let _: RightsDone = json_of(app.post_json(&admin, &erase, &reason).await, "erase").await;
    // Saving that page afterwards is refused: it cannot write the notes back (nor can any
    // correction, stale or not), and nothing new is recorded about the student — neither a visit
    // from the form nor one a tablet kept offline, which it keeps with the reason.
    let stale = shared::visits::VisitEdit { base_revision: open.revision, record: open.record.clone() };
    let (status, error) = error_body(app.put_json(&counselor, &format!("/api/visits/{visit_id}"), &stale).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "student_erased"), "{error:?}");
    assert!(error.message.contains("已应家庭要求删除"), "{error:?}");
    let new_visit = full_visit(campaign, student, class.counselor.id);
    let (status, error) = error_body(app.post_json(&counselor, "/api/visits", &new_visit).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "student_erased"), "{error:?}");
    let sync = shared::visits::SyncRequest { visits: vec![full_visit(campaign, student, class.counselor.id)] };
    let synced: shared::visits::SyncResponse =
        json_of(app.post_json(&counselor, "/api/visits/sync", &sync).await, "sync").await;
    assert_eq!(synced.results[0].status, shared::visits::SyncStatus::Rejected);
    assert_eq!(synced.results[0].code.as_deref(), Some("student_erased"));
    let visits: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE student_id = $1")
        .bind(student)
        .fetch_one(&app.db.read)
        .await
        .expect("visits");
    assert_eq!(visits, 1, "no visit added after the erasure");

    let detail: StudentDetail = app.get_json(&admin, &format!("/api/students/{student}")).await;
    assert_eq!(detail.summary.name, ERASED_NAME);
    assert!(detail.address.is_none() && detail.guardians.iter().all(|g| g.phone.is_none() && g.name == ERASED_NAME));
    let contents = tests::backup::contents(&app.db).await;
    let name = &school.colleges[0].classes[0].students[0].name;
    for gone in [SENSITIVE, CONCERN, PHONE] {
        let left: Vec<&String> = contents
            .iter()
            .filter(|(t, _)| *t != "audit_log")
            .flat_map(|(_, r)| r)
            .filter(|r| r.contains(gone))
            .collect();
        assert!(left.is_empty(), "{gone} is still stored: {left:?}");
    }
    let named: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM students WHERE name = $1")
        .bind(name.to_string())
        .fetch_one(&app.db.read)
        .await
        .expect("students");
    assert_eq!(named, 0);
    let notices: Vec<String> = sqlx::query_scalar("SELECT subject FROM staff_notices ORDER BY id")
        .fetch_all(&app.db.read)
        .await
        .expect("staff notices");
    assert_eq!(notices.len(), 1, "only the other student's notice is left: {notices:?}");
    assert!(notices[0].contains(class.students[1].name.as_str()));
    assert_eq!(figures().await, before, "the figures and the report stay");
    // The audit trail is kept, with the erasure and its reason.
    assert!(app.row_count("audit_log").await > trail_before);
    let entries = audited(&app, "rights_erase").await;
    assert_eq!(entries, [(Some(school.admin.id.get()), Some(student.get()), entries[0].2.clone())]);
    assert!(entries[0].2.contains("书面申请删除"));
    // Again: nothing more to erase, still fine.
    let _: RightsDone = json_of(app.post_json(&admin, &erase, &reason).await, "erase again").await;
}
