//! Changing the organisation by hand: class staff (admins, the college's leader), a student and
//! their guardians (admins, the college's leader, the student's counselor; the class advisor
//! only reads). Unknown fields are refused; sensitive changes are audited.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use shared::org::{Class, Guardian, StudentDetail, StudentSummary};
use shared::Page;
use tests::{error_body, spawn_app, TestApp};

fn student_body(name: &str, class_id: shared::ClassId) -> Value {
    json!({"name": name, "gender": "female", "class_id": class_id, "major": "汉语言文学", "grade": 2023,
           "province": "辽宁省", "city": "大连", "district": "甘井子区", "address": "大连市甘井子区凌工路 2 号",
           "hardship": "severe"})
}

async fn audit_updates(app: &TestApp, student_id: impl Into<shared::StudentId>) -> Vec<String> {
    let student_id: shared::StudentId = student_id.into();
    sqlx::query_scalar("SELECT fields FROM audit_log WHERE action = 'update' AND student_id = $1 ORDER BY id")
        .bind(student_id)
        .fetch_all(&app.db.read)
        .await
        .unwrap()
}

#[tokio::test]
async fn class_staff_is_assigned_by_admins_and_the_college_leader() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let [first, second] = &school.colleges;
    let [a, b] = &first.classes;
    let path = format!("/api/classes/{}/staff", a.id);
    let leader = app.signed_in(&first.leader).await;

    let body = json!({"counselor_id": b.counselor.id, "advisor_id": null});
    let class: Class = app.send_ok(&leader, Method::PUT, &path, &body).await;
    assert_eq!((class.counselor_name.as_deref(), class.advisor_name), (Some(b.counselor.username.as_str()), None));
    let counselor_b = app.signed_in(&b.counselor).await;
    let page: Page<StudentSummary> = app.get_json(&counselor_b, "/api/students").await;
    assert_eq!(page.total, 6, "now both classes");
    let counselor_a = app.signed_in(&a.counselor).await;
    app.get_error(&counselor_a, &format!("/api/classes/{}", a.id), StatusCode::FORBIDDEN, "forbidden").await;

    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    for (body, field) in [
        (json!({"counselor_id": second.classes[0].counselor.id}), "counselor_id"),
        (json!({"counselor_id": first.advisor.id}), "counselor_id"),
        (json!({"advisor_id": a.counselor.id}), "advisor_id"),
        (json!({"advisor_id": 999999}), "advisor_id"),
    ] {
        let error = app.send_error(&leader, Method::PUT, &path, &body, invalid, "validation").await;
        assert_eq!(error.fields.keys().collect::<Vec<_>>(), [field], "{body}");
    }
    let admin = app.signed_in(&school.admin).await;
    let body = json!({"counselor_id": a.counselor.id, "advisor_id": first.advisor.id});
    let class: Class = app.send_ok(&admin, Method::PUT, &path, &body).await;
    assert_eq!(class.advisor_name.as_deref(), Some(first.advisor.username.as_str()));

    let forbidden = StatusCode::FORBIDDEN;
    for account in [&second.leader, &a.counselor, &first.advisor] {
        let client = app.signed_in(account).await;
        app.send_error(&client, Method::PUT, &path, &body, forbidden, "forbidden").await;
    }
    let sneaky = json!({"counselor_id": a.counselor.id, "college_id": second.id});
    app.send_error(&admin, Method::PUT, &path, &sneaky, invalid, "invalid_request").await;
    app.send_error(&admin, Method::PUT, "/api/classes/999999/staff", &body, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn a_student_is_edited_by_those_responsible_and_sensitive_changes_are_audited() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let college = &school.colleges[0];
    let [a, b] = &college.classes;
    let student = &a.students[0];
    let path = format!("/api/students/{}", student.id);
    let counselor = app.signed_in(&a.counselor).await;

    let response = app.send(&counselor, Method::PUT, &path, Some(&student_body("张薇", a.id))).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let detail: StudentDetail = app.get_json(&counselor, &path).await;
    assert_eq!((detail.summary.name.as_str(), detail.summary.city.as_deref()), ("张薇", Some("大连")));
    assert_eq!(
        (detail.address.as_deref(), detail.hardship),
        (Some("大连市甘井子区凌工路 2 号"), Some(shared::Hardship::Severe))
    );
    assert_eq!(detail.summary.student_no.as_str(), student.student_no, "the number stays");
    assert_eq!(audit_updates(&app, student.id).await, ["address,hardship"]);
    // The same again changes nothing sensitive and logs nothing more.
    app.send(&counselor, Method::PUT, &path, Some(&student_body("张薇薇", a.id))).await;
    assert_eq!(audit_updates(&app, student.id).await.len(), 1);

    let forbidden = StatusCode::FORBIDDEN;
    for account in [&college.advisor, &b.counselor, &school.colleges[1].leader] {
        let client = app.signed_in(account).await;
        app.send_error(&client, Method::PUT, &path, &student_body("x", a.id), forbidden, "forbidden").await;
    }
    let advisor = app.signed_in(&college.advisor).await;
    let _: StudentDetail = app.get_json(&advisor, &path).await;

    // Moving the student: only to a class the editor manages.
    let error = app
        .send_error(
            &counselor,
            Method::PUT,
            &path,
            &student_body("张薇", b.id),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        )
        .await;
    assert!(error.fields.contains_key("class_id"), "{error:?}");
    let leader = app.signed_in(&college.leader).await;
    assert_eq!(
        app.send(&leader, Method::PUT, &path, Some(&student_body("张薇", b.id))).await.status(),
        StatusCode::NO_CONTENT
    );
    app.get_error(&counselor, &path, forbidden, "forbidden").await;
}

#[tokio::test]
async fn unknown_fields_are_refused() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let path = format!("/api/students/{}", class.students[0].id);
    for (field, value) in
        [("role", json!("admin")), ("counselor_id", json!(class.counselor.id)), ("student_no", json!("2099000001"))]
    {
        let mut body = student_body("张伟", class.id);
        body[field] = value;
        let error = app
            .send_error(&counselor, Method::PUT, &path, &body, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request")
            .await;
        assert!(error.message.contains(field), "{field}: {error:?}");
    }
    let guardians = format!("{path}/guardians");
    let body = json!({"name": "张父", "phone": "13800138000", "student_id": 1});
    app.send_error(&counselor, Method::POST, &guardians, &body, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request")
        .await;
    let detail: StudentDetail = app.get_json(&counselor, &path).await;
    assert_eq!((detail.summary.name.as_str(), detail.guardians.len()), ("张伟", 1), "nothing changed");
}

#[tokio::test]
async fn student_fields_are_checked_with_messages_in_the_callers_language() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    let admin = app.signed_in(&school.admin).await;
    let path = format!("/api/students/{}", class.students[0].id);
    let mut body = student_body(" ", class.id);
    body["grade"] = json!(1800);
    body["address"] = json!("x".repeat(201));
    let response = admin.put(app.url(&path)).header("accept-language", "en").json(&body).send().await.unwrap();
    let (status, error) = error_body(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error.fields.keys().collect::<Vec<_>>(), ["address", "grade", "name"]);
    assert_eq!(error.fields["name"], "This field is required");
}

#[tokio::test]
async fn guardians_are_added_changed_and_removed_with_checked_phones() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let [a, b] = &school.colleges[0].classes;
    let student = a.students[1].id;
    let counselor = app.signed_in(&a.counselor).await;
    let guardians = format!("/api/students/{student}/guardians");

    let body = json!({"name": "王母", "relation": "母亲", "phone": "139 1234 5679"});
    let added: Guardian = app.send_ok(&counselor, Method::POST, &guardians, &body).await;
    assert_eq!(added.phone.as_ref().map(|p| p.as_str()), Some("13912345679"));
    for (lang, expected) in
        [("zh-CN", "请输入 11 位手机号码（以 1 开头）"), ("en", "Enter an 11-digit mobile number starting with 1")]
    {
        let bad = json!({"name": "王父", "relation": "父亲", "phone": "024-1234567"});
        let response =
            counselor.post(app.url(&guardians)).header("accept-language", lang).json(&bad).send().await.unwrap();
        let (status, error) = error_body(response).await;
        assert_eq!(
            (status, error.fields.get("phone").map(String::as_str)),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(expected))
        );
    }
    let path = format!("/api/guardians/{}", added.id);
    let bad = json!({"name": "王母", "phone": "1234"});
    let error =
        app.send_error(&counselor, Method::PUT, &path, &bad, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert!(error.fields.contains_key("phone"));
    let body = json!({"name": "王母", "relation": "母亲", "phone": "+86 13700001111"});
    let changed: Guardian = app.send_ok(&counselor, Method::PUT, &path, &body).await;
    assert_eq!(changed.phone.as_ref().map(|p| p.as_str()), Some("13700001111"));

    let other = app.signed_in(&b.counselor).await;
    let forbidden = StatusCode::FORBIDDEN;
    app.send_error(&other, Method::PUT, &path, &body, forbidden, "forbidden").await;
    app.send_error(&other, Method::DELETE, &path, &json!(null), forbidden, "forbidden").await;
    app.send_error(&other, Method::POST, &guardians, &body, forbidden, "forbidden").await;
    let advisor = app.signed_in(&school.colleges[0].advisor).await;
    app.send_error(&advisor, Method::POST, &guardians, &body, forbidden, "forbidden").await;

    assert_eq!(app.send(&counselor, Method::DELETE, &path, None).await.status(), StatusCode::NO_CONTENT);
    let detail: StudentDetail = app.get_json(&counselor, &format!("/api/students/{student}")).await;
    assert_eq!(detail.guardians.len(), 1, "the seeded father is left");
    assert_eq!(audit_updates(&app, student).await, ["guardian_phone"; 3], "added, changed, removed");
    app.send_error(&counselor, Method::DELETE, &path, &json!(null), StatusCode::NOT_FOUND, "not_found").await;
}
