//! The class link for parents who do not know the student number: the student's name plus the
//! last four digits of a guardian's phone, counted per student (as by number) before it is checked.

use backend::auth::limits::Limit;
use reqwest::StatusCode;
use serde_json::json;
use shared::meetings::FamilyPage;
use tests::meetings::{meeting_input, token_of};
use tests::{error_body, json_of, spawn_app_with, TestApp, GUARDIAN_PHONE};

/// The class link's token of a meeting of the first class, and the school.
async fn class_link(app: &TestApp) -> (tests::School, String) {
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let meeting = app.create_meeting(&counselor, &meeting_input(class.id, 40, 2)).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    (school, token_of(&links.class_link.unwrap().url.unwrap()))
}

/// The address's own limit out of the way: these tests are about the student's.
async fn app() -> TestApp {
    spawn_app_with(|c| c.family_limit_per_address = Limit { max: 10_000, window_secs: 600 }).await
}

async fn identify(app: &TestApp, body: &serde_json::Value) -> (StatusCode, String) {
    let (status, error) = error_body(app.post_json(&app.client(), "/api/family/identify", body).await).await;
    (status, error.code)
}

#[tokio::test]
async fn the_class_link_identifies_a_parent_by_the_students_name() {
    let app = app().await;
    let (school, token) = class_link(&app).await;
    let student = &school.colleges[0].classes[0].students[1];
    let last_four = &GUARDIAN_PHONE[7..];

    // Spaces and full-width letters do not matter: "李 明" is "李明".
    let spaced: String = student.name.chars().flat_map(|c| [c, ' ']).collect();
    let body = json!({ "token": token, "student_name": spaced, "last_four": last_four });
    let page: FamilyPage = json_of(app.post_json(&app.client(), "/api/family/identify", &body).await, "by name").await;
    assert_eq!(page.student_name, student.name);

    let wrong = json!({ "token": token, "student_name": student.name, "last_four": "0000" });
    assert_eq!(identify(&app, &wrong).await, (StatusCode::UNPROCESSABLE_ENTITY, "not_identified".into()));
    // A student of another class does not get in through this class's link.
    let stranger = &school.colleges[0].classes[1].students[0];
    let other = json!({ "token": token, "student_name": stranger.name, "last_four": last_four });
    assert_eq!(identify(&app, &other).await, (StatusCode::UNPROCESSABLE_ENTITY, "not_identified".into()));
}

#[tokio::test]
async fn either_the_number_or_the_name_is_given_not_both_nor_neither() {
    let app = app().await;
    let (school, token) = class_link(&app).await;
    let student = &school.colleges[0].classes[0].students[0];
    let last_four = &GUARDIAN_PHONE[7..];
    let both = json!({ "token": token, "student_no": student.student_no, "student_name": student.name, "last_four": last_four });
    let neither = json!({ "token": token, "student_no": " ", "last_four": last_four });
    for body in [both, neither] {
        let response = app.post_json(&app.client(), "/api/family/identify", &body).await;
        let (status, error) = error_body(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_ne!(error.code, "not_identified", "refused before anything is checked");
        let field = error.fields.get("student_no").map(String::as_str).unwrap_or_default();
        assert!(field.contains("学号"), "{error:?}");
    }
}

#[tokio::test]
async fn two_students_of_one_name_must_use_the_student_number() {
    let app = app().await;
    let (school, token) = class_link(&app).await;
    let class = &school.colleges[0].classes[0];
    let student = &class.students[0];
    // Same name, and the seed's guardians all share one phone number.
    app.add_student(class.id.get(), "2023019999", &student.name).await;
    let body = json!({ "token": token, "student_name": student.name, "last_four": &GUARDIAN_PHONE[7..] });
    assert_eq!(identify(&app, &body).await, (StatusCode::UNPROCESSABLE_ENTITY, "ambiguous_student".into()));
    let by_number = json!({ "token": token, "student_no": student.student_no, "last_four": &GUARDIAN_PHONE[7..] });
    let page: FamilyPage = json_of(app.post_json(&app.client(), "/api/family/identify", &by_number).await, "no").await;
    assert_eq!(page.student_name, student.name);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn guesses_at_a_name_are_counted_before_they_are_checked() {
    let app = app().await;
    let (school, token) = class_link(&app).await;
    let student = &school.colleges[0].classes[0].students[0];
    let per_student = backend::api::family::PER_STUDENT.max as usize;
    let bodies = (0..100)
        .map(|i| json!({ "token": token, "student_name": student.name, "last_four": format!("{:04}", i) }))
        .collect();
    let (checked, refused, statuses) = tests::meetings::identify_burst(&app, bodies).await;
    assert_eq!((checked, refused), (per_student, 100 - per_student), "{statuses:?}");
    // Now even the right answer waits: the student is locked, whoever asks and however they
    // name the student — the name adds no tries to the number's.
    let right = json!({ "token": token, "student_name": student.name, "last_four": &GUARDIAN_PHONE[7..] });
    assert_eq!(identify(&app, &right).await.0, StatusCode::TOO_MANY_REQUESTS);
    let by_number = json!({ "token": token, "student_no": student.student_no, "last_four": &GUARDIAN_PHONE[7..] });
    assert_eq!(identify(&app, &by_number).await.0, StatusCode::TOO_MANY_REQUESTS);
}
