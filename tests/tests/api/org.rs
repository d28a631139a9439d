//! Who sees which part of the school: admins all of it, a college leader their college, a
//! counselor or class advisor their classes, and nobody anything without signing in.

use reqwest::{Client, StatusCode};
use shared::org::{Class, College, StudentDetail, StudentSummary};
use shared::Page;
use tests::{spawn_app, TestApp, ADDRESS, GUARDIAN_PHONE, HARDSHIP};

pub async fn students(app: &TestApp, client: &Client, query: &str) -> Page<StudentSummary> {
    app.get_json(client, &format!("/api/students?{query}")).await
}

fn ids(page: &Page<StudentSummary>) -> Vec<shared::StudentId> {
    let mut ids: Vec<shared::StudentId> = page.items.iter().map(|s| s.id).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn an_admin_sees_the_whole_school() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;

    let colleges: Vec<College> = app.get_json(&admin, "/api/colleges").await;
    let mut names: Vec<&str> = colleges.iter().map(|c| c.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["文学院", "理学院"]);
    assert!(colleges.iter().all(|c| c.classes == 2 && c.students == 6), "{colleges:?}");
    let page = students(&app, &admin, "").await;
    assert_eq!(page.total, 12);
    let mut all: Vec<shared::StudentId> = school.students().map(|s| s.id).collect();
    all.sort();
    assert_eq!(ids(&page), all);
    let other = &school.colleges[1];
    let classes: Vec<Class> = app.get_json(&admin, &format!("/api/colleges/{}/classes", other.id)).await;
    assert_eq!(classes.len(), 2);
}

#[tokio::test]
async fn a_college_leader_sees_only_their_college() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let [mine, other] = &school.colleges;
    let leader = app.signed_in(&mine.leader).await;

    let colleges: Vec<College> = app.get_json(&leader, "/api/colleges").await;
    assert_eq!(colleges.len(), 1);
    assert_eq!((colleges[0].id, colleges[0].classes, colleges[0].students), (mine.id, 2, 6));
    let classes: Vec<Class> = app.get_json(&leader, &format!("/api/colleges/{}/classes", mine.id)).await;
    assert_eq!(classes.iter().map(|c| c.students).sum::<i64>(), 6);
    app.get_error(&leader, &format!("/api/colleges/{}/classes", other.id), StatusCode::FORBIDDEN, "forbidden").await;
    let theirs = &other.classes[0];
    app.get_error(&leader, &format!("/api/classes/{}", theirs.id), StatusCode::FORBIDDEN, "forbidden").await;
    let student = theirs.students[0].id;
    app.get_error(&leader, &format!("/api/students/{student}"), StatusCode::FORBIDDEN, "forbidden").await;

    let page = students(&app, &leader, "").await;
    assert_eq!(page.total, 6);
    assert!(page.items.iter().all(|s| s.college_name == mine.name), "{page:?}");
    let filtered = students(&app, &leader, &format!("college_id={}", other.id)).await;
    assert_eq!((filtered.total, filtered.items.len()), (0, 0));
}

#[tokio::test]
async fn a_counselor_sees_only_their_class() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let [mine, neighbours] = &school.colleges[0].classes;
    let counselor = app.signed_in(&mine.counselor).await;

    let page = students(&app, &counselor, "").await;
    assert_eq!(page.total, mine.students.len() as i64);
    let mut expected: Vec<shared::StudentId> = mine.students.iter().map(|s| s.id).collect();
    expected.sort();
    assert_eq!(ids(&page), expected);
    let class: Class = app.get_json(&counselor, &format!("/api/classes/{}", mine.id)).await;
    assert_eq!((class.name.as_str(), class.students), (mine.name.as_str(), 3));
    let colleges: Vec<College> = app.get_json(&counselor, "/api/colleges").await;
    assert_eq!(colleges.iter().map(|c| (c.classes, c.students)).collect::<Vec<_>>(), [(1, 3)]);

    let student = neighbours.students[0].id;
    app.get_error(&counselor, &format!("/api/students/{student}"), StatusCode::FORBIDDEN, "forbidden").await;
    app.get_error(&counselor, &format!("/api/classes/{}", neighbours.id), StatusCode::FORBIDDEN, "forbidden").await;
    let filtered = students(&app, &counselor, &format!("class_id={}", neighbours.id)).await;
    assert_eq!((filtered.total, filtered.items.len()), (0, 0));
}

#[tokio::test]
async fn a_class_advisor_sees_only_their_class() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let college = &school.colleges[0];
    let [mine, other] = &college.classes;
    let advisor = app.signed_in(&college.advisor).await;

    let page = students(&app, &advisor, "per_page=200").await;
    assert_eq!(page.total, 3);
    assert!(page.items.iter().all(|s| s.class_id == mine.id), "{page:?}");
    let classes: Vec<Class> = app.get_json(&advisor, &format!("/api/colleges/{}/classes", college.id)).await;
    assert_eq!(classes.iter().map(|c| c.id).collect::<Vec<_>>(), [mine.id]);
    app.get_error(&advisor, &format!("/api/classes/{}", other.id), StatusCode::FORBIDDEN, "forbidden").await;
    let student = other.students[1].id;
    app.get_error(&advisor, &format!("/api/students/{student}"), StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn nothing_but_health_and_the_api_description_is_public() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let (college, class, student) =
        (school.colleges[0].id, school.colleges[0].classes[0].id, school.colleges[0].classes[0].students[0].id);
    let anonymous = app.client();
    for path in [
        "/api/auth/me".to_string(),
        "/api/colleges".to_string(),
        format!("/api/colleges/{college}/classes"),
        format!("/api/classes/{class}"),
        "/api/students".to_string(),
        "/api/students?q=张".to_string(),
        format!("/api/students/{student}"),
        "/api/students/abc".to_string(),
    ] {
        app.get_error(&anonymous, &path, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    for path in ["/api/health", "/api/openapi.json"] {
        assert_eq!(app.get(&anonymous, path).await.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn unknown_and_malformed_ids_are_not_found() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    for path in [
        "/api/students/999999",
        "/api/classes/999999",
        "/api/colleges/999999/classes",
        "/api/students/abc",
        "/api/classes/1.5",
        "/api/colleges/-/classes",
        "/api/students/99999999999999999999999",
    ] {
        app.get_error(&admin, path, StatusCode::NOT_FOUND, "not_found").await;
    }
}

async fn audit_reads(app: &TestApp, user_id: shared::UserId, student_id: shared::StudentId) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE user_id = $1 AND student_id = $2 AND action = 'read'")
        .bind(user_id)
        .bind(student_id)
        .fetch_one(&app.db.read)
        .await
        .unwrap()
}

#[tokio::test]
async fn sensitive_fields_are_shown_to_those_responsible_and_every_read_is_audited() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    let student = &class.students[0];
    let path = format!("/api/students/{}", student.id);

    for account in [&class.counselor, &school.admin, &school.colleges[0].leader, &school.colleges[0].advisor] {
        let client = app.signed_in(account).await;
        let detail: StudentDetail = app.get_json(&client, &path).await;
        assert_eq!(detail.summary.name, student.name);
        assert_eq!(detail.summary.student_no.as_str(), student.student_no);
        assert!(detail.sensitive_visible, "{}", account.username);
        assert_eq!(detail.address.as_deref(), Some(ADDRESS));
        assert_eq!(detail.hardship, Some(HARDSHIP));
        assert_eq!(detail.guardians.len(), 1);
        assert_eq!(detail.guardians[0].phone.as_ref().map(|p| p.as_str()), Some(GUARDIAN_PHONE));
        assert_eq!(detail.counselor_name.as_deref(), Some(class.counselor.username.as_str()));
        assert_eq!(audit_reads(&app, account.id, student.id).await, 1, "{}", account.username);
        let _: StudentDetail = app.get_json(&client, &path).await;
        assert_eq!(audit_reads(&app, account.id, student.id).await, 2, "each read is logged");
    }
    let fields: String = sqlx::query_scalar("SELECT fields FROM audit_log WHERE user_id = $1 ORDER BY id LIMIT 1")
        .bind(class.counselor.id)
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    for field in ["address", "hardship", "guardian_phone"] {
        assert!(fields.contains(field), "{fields}");
    }
    // A refused read reveals nothing and so logs nothing.
    let outsider = app.signed_in(&school.colleges[1].classes[0].counselor).await;
    app.get_error(&outsider, &path, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(audit_reads(&app, school.colleges[1].classes[0].counselor.id, student.id).await, 0);
}

#[derive(sqlx::FromRow, Debug)]
struct AuditRow {
    action: String,
    student_id: Option<shared::StudentId>,
    fields: String,
    detail: String,
}

async fn audit_rows(app: &TestApp, user_id: shared::UserId) -> Vec<AuditRow> {
    sqlx::query_as("SELECT action, student_id, fields, detail FROM audit_log WHERE user_id = $1 ORDER BY id")
        .bind(user_id)
        .fetch_all(&app.db.read)
        .await
        .unwrap()
}

#[tokio::test]
async fn filtering_or_exporting_by_hardship_is_an_audited_read_of_it() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let college = &school.colleges[0];
    let leader = &college.leader;
    let client = app.signed_in(leader).await;
    let mine: Vec<shared::StudentId> = college.classes.iter().flat_map(|c| c.students.iter().map(|s| s.id)).collect();

    // A list that names no sensitive field in its answer still tells each student's level.
    let page = students(&app, &client, &format!("hardship={}&per_page=4", HARDSHIP.code())).await;
    assert_eq!((page.items.len(), page.total), (4, 6));
    let rows = audit_rows(&app, leader.id).await;
    assert_eq!(rows.len(), 4, "one entry per student listed: {rows:?}");
    for row in &rows {
        assert_eq!((row.action.as_str(), row.fields.as_str()), ("read", "hardship"));
        assert!(page.items.iter().any(|s| Some(s.id) == row.student_id), "{row:?}");
        assert!(row.detail.contains("hardship = hardship") && row.detail.contains("6 students"), "{row:?}");
    }
    // "Nobody at that level" is an answer about the college's students too.
    assert_eq!(students(&app, &client, "hardship=severe").await.total, 0);
    let rows = audit_rows(&app, leader.id).await;
    assert_eq!((rows.len(), rows[4].student_id), (5, None));
    assert!(rows[4].detail.contains("hardship = severe") && rows[4].detail.contains("0 students"), "{rows:?}");
    // A list without the filter is not a read of it.
    students(&app, &client, "").await;
    assert_eq!(audit_rows(&app, leader.id).await.len(), 5);

    // The export filtered by hardship, even without the sensitive columns.
    let response = app.get(&client, &format!("/api/students/export.xlsx?hardship={}", HARDSHIP.code())).await;
    assert_eq!(response.status(), StatusCode::OK);
    let exported: Vec<AuditRow> = audit_rows(&app, leader.id).await.into_iter().skip(5).collect();
    assert_eq!(exported.len(), 6, "{exported:?}");
    let mut ids: Vec<shared::StudentId> = exported.iter().filter_map(|r| r.student_id).collect();
    ids.sort();
    let mut expected = mine.clone();
    expected.sort();
    assert_eq!(ids, expected);
    for row in &exported {
        assert_eq!((row.action.as_str(), row.fields.as_str()), ("export", "hardship"), "{row:?}");
        assert!(row.detail.contains("filtered by hardship = hardship") && row.detail.contains("6 students"));
    }
}
