//! Sensitive-field snapshots: for each answer that carries a student's data, which of the
//! sensitive values (home address, guardian phone, hardship level, the visit's sensitive notes,
//! a mental-health concern) each role receives, checked on the raw JSON so that a field added
//! under another name is caught too. Parents never get any of them, nor another family's data.

use reqwest::StatusCode;
use serde_json::Value;
use shared::audit::AuditEntry;
use shared::meetings::{ConcernInput, Topic};
use shared::Page;
use tests::meetings::meeting_input;
use tests::visits::full_visit;
use tests::{spawn_app, ADDRESS, GUARDIAN_PHONE};

/// A parent's mental-health concern, and the sensitive notes of the seeded visit.
const CONCERN: &str = "孩子最近情绪低落，夜里睡不着";
const NOTES: &str = "父亲去年失业，母亲有慢性病";

/// What an answer may hold, each found by its value in the raw text (hardship by a non-null
/// `hardship` key anywhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Address,
    GuardianPhone,
    Hardship,
    Notes,
    Concern,
}
use Field::*;

fn non_null_key(value: &Value, key: &str) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| (k == key && !v.is_null()) || non_null_key(v, key)),
        Value::Array(items) => items.iter().any(|v| non_null_key(v, key)),
        _ => false,
    }
}

fn fields_in(text: &str) -> Vec<Field> {
    let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let mut found = Vec::new();
    for (field, present) in [
        (Address, text.contains(ADDRESS)),
        (GuardianPhone, text.contains(GUARDIAN_PHONE)),
        (Hardship, non_null_key(&value, "hardship")),
        (Notes, text.contains(NOTES)),
        (Concern, text.contains(CONCERN)),
    ] {
        if present {
            found.push(field);
        }
    }
    found
}

/// Staff actors, in the order of the expectations below.
const STAFF: [&str; 6] =
    ["class advisor", "counselor", "other counselor", "college leader", "other college's leader", "admin"];

/// `Err(status)` where the answer is refused.
type Seen = Result<&'static [Field], u16>;

#[tokio::test]
async fn each_role_gets_exactly_the_sensitive_fields_it_may_see() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let college = &school.colleges[0];
    let (class, other_class) = (&college.classes[0], &college.classes[1]);
    let student = &class.students[0];
    let counselor = app.signed_in(&class.counselor).await;

    let meeting = app.create_meeting(&counselor, &meeting_input(class.id, 40, 2)).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    let (parent, _) = app.family(links.families[0].url.as_deref().unwrap()).await;
    app.consent(&parent).await;
    let concern = ConcernInput { topic: Topic::MentalHealth, text: CONCERN.into() };
    assert_eq!(app.post_json(&parent, "/api/family/concerns", &concern).await.status(), StatusCode::OK);
    let campaign = app.add_campaign("2024年寒假家访").await;
    let visit = app.log_visit(&counselor, &full_visit(campaign, student.id, class.counselor.id)).await;

    let staff = [
        app.signed_in(&college.advisor).await,
        counselor.clone(),
        app.signed_in(&other_class.counselor).await,
        app.signed_in(&college.leader).await,
        app.signed_in(&school.colleges[1].leader).await,
        app.signed_in(&school.admin).await,
    ];
    let all: &[Field] = &[Address, GuardianPhone, Hardship];
    let none: &[Field] = &[];
    #[rustfmt::skip]
    let table: Vec<(String, [Seen; 6])> = vec![
        // advisor, counselor, other counselor, leader, other leader, admin
        (format!("/api/students/{}", student.id), [Ok(all), Ok(all), Err(403), Ok(all), Err(403), Ok(all)]),
        // Lists carry no sensitive field for anyone.
        ("/api/students".into(), [Ok(none), Ok(none), Ok(none), Ok(none), Ok(none), Ok(none)]),
        (format!("/api/meetings/{}/concerns", meeting.id), [Ok(&[Concern]), Ok(&[Concern]), Err(403), Ok(&[Concern]), Err(403), Ok(&[Concern])]),
        (format!("/api/meetings/{}/signups", meeting.id), [Ok(none), Ok(none), Err(403), Ok(none), Err(403), Ok(none)]),
        (format!("/api/visits/{}", visit.id), [Ok(&[Notes]), Ok(&[Notes]), Err(403), Ok(&[Notes]), Err(403), Ok(&[Notes])]),
        (format!("/api/visits?campaign_id={campaign}"), [Ok(none), Ok(none), Ok(none), Ok(none), Ok(none), Ok(none)]),
    ];
    let mut wrong = Vec::new();
    for (path, expected) in &table {
        for (s, client) in staff.iter().enumerate() {
            let response = app.get(client, path).await;
            let status = response.status();
            let text = response.text().await.unwrap();
            let seen = if status.is_success() { Ok(fields_in(&text)) } else { Err(status.as_u16()) };
            if seen.as_ref().map(|f| f.as_slice()).map_err(|e| *e) != expected[s] {
                wrong.push(format!("GET {path} as {}: expected {:?}, got {seen:?}", STAFF[s], expected[s]));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // The parent: their page and calendar file hold none of it, nor another family's data.
    let other_student = &class.students[1];
    for path in ["/api/family/me", "/api/family/meeting.ics"] {
        let text = app.get(&parent, path).await.text().await.unwrap();
        for secret in [ADDRESS, GUARDIAN_PHONE, NOTES, other_student.name.as_str(), "hardship"] {
            assert!(!text.contains(secret), "{path} shows {secret:?} to a parent: {text}");
        }
    }
    // Their own concern is theirs to see; the page's keys are exactly these.
    let page: Value = app.get_json(&parent, "/api/family/me").await;
    let mut keys: Vec<&str> = page.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "answer",
            "can_change",
            "can_give_feedback",
            "class_name",
            "concerns",
            "description",
            "ends_at",
            "feedback",
            "guardian_name",
            "has_online",
            "held",
            "messages_off",
            "online_url",
            "per_family",
            "place",
            "signup_deadline",
            "starts_at",
            "student_name",
            "theme"
        ],
        "a new field on the family page must be reviewed here first"
    );
}

#[tokio::test]
async fn admins_search_the_audit_log_by_student_user_action_and_time() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    let (student, other) = (&class.students[0], &class.students[1]);
    let counselor = app.signed_in(&class.counselor).await;
    let leader = app.signed_in(&school.colleges[0].leader).await;
    let before = backend::db::now();
    for _ in 0..3 {
        let _: Value = app.get_json(&counselor, &format!("/api/students/{}", student.id)).await;
    }
    let _: Value = app.get_json(&leader, &format!("/api/students/{}", other.id)).await;
    let admin = app.signed_in(&school.admin).await;

    let page: Page<AuditEntry> = app.get_json(&admin, &format!("/api/audit?student_id={}", student.id)).await;
    assert_eq!(page.total, 3);
    let entry = &page.items[0];
    assert_eq!((entry.user_id, entry.username.as_deref()), (Some(class.counselor.id), Some("counselor1a")));
    assert_eq!((entry.action.as_str(), entry.student_name.as_deref()), ("read", Some(student.name.as_str())));
    for field in ["address", "hardship", "guardian_phone"] {
        assert!(entry.fields.iter().any(|f| f == field), "{entry:?}");
    }
    assert!(entry.at >= before);
    assert!(page.items.windows(2).all(|w| (w[0].at, w[0].id) > (w[1].at, w[1].id)), "newest first");

    let by_user: Page<AuditEntry> =
        app.get_json(&admin, &format!("/api/audit?user_id={}&action=read", school.colleges[0].leader.id)).await;
    assert_eq!(by_user.items.iter().map(|e| e.student_id).collect::<Vec<_>>(), [Some(other.id)]);
    let none: Page<AuditEntry> = app.get_json(&admin, "/api/audit?action=export").await;
    assert_eq!(none.total, 0);
    let later: Page<AuditEntry> = app.get_json(&admin, &format!("/api/audit?from={}", before + 3600)).await;
    assert_eq!(later.total, 0);
    let earlier: Page<AuditEntry> = app.get_json(&admin, &format!("/api/audit?to={before}")).await;
    assert_eq!(earlier.total, 0);
    let paged: Page<AuditEntry> = app.get_json(&admin, "/api/audit?per_page=2&page=2").await;
    assert_eq!((paged.total, paged.items.len()), (4, 2));
    // The log holds no sensitive value, only the names of the fields.
    let text = app.get(&admin, "/api/audit").await.text().await.unwrap();
    assert!(!text.contains(ADDRESS) && !text.contains(GUARDIAN_PHONE), "{text}");
    app.get_error(&leader, "/api/audit", StatusCode::FORBIDDEN, "forbidden").await;
    app.get_error(&admin, "/api/audit?role=admin", StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
}
