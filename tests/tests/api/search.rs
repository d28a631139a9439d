//! Finding students: by part of a name or a student number, page by page.

use reqwest::{Client, StatusCode};
use shared::org::StudentSummary;
use shared::Page;
use tests::{spawn_app, TestApp};

use crate::org::students;

/// `GET /api/students?q=<text>`, the text encoded as a form would.
async fn search(app: &TestApp, client: &Client, text: &str) -> Page<StudentSummary> {
    let encoded: String = url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
    students(app, client, &format!("q={encoded}")).await
}

fn names(page: &Page<StudentSummary>) -> Vec<&str> {
    let mut names: Vec<&str> = page.items.iter().map(|s| s.name.as_str()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn by_part_of_a_name_or_a_student_number() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;

    assert_eq!(names(&search(&app, &admin, "伟").await), ["张伟"]);
    assert_eq!(names(&search(&app, &admin, "  黄强\u{3000}").await), ["黄强"], "trimmed");
    let second_college = search(&app, &admin, "202302").await;
    assert_eq!(second_college.total, 6);
    assert!(second_college.items.iter().all(|s| s.student_no.as_str().starts_with("202302")));
    assert_eq!(names(&search(&app, &admin, "2023010103").await), ["李娜"]);
    assert_eq!(names(&search(&app, &admin, "２０２３０１０２０３").await), ["杨磊"], "full-width digits");
    assert_eq!(search(&app, &admin, "nobody").await.total, 0);

    // The search stays inside the caller's scope.
    let counselor = app.signed_in(&school.colleges[1].classes[1].counselor).await;
    assert_eq!(search(&app, &counselor, "2023").await.total, 3);
    assert_eq!(search(&app, &counselor, "张伟").await.total, 0);
}

#[tokio::test]
async fn pages_are_consecutive_slices_of_one_order() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;

    let all = students(&app, &admin, "per_page=200").await;
    assert_eq!((all.total, all.items.len(), all.page, all.per_page), (12, 12, 1, 200));
    let second = students(&app, &admin, "per_page=2&page=2").await;
    assert_eq!((second.total, second.page, second.per_page), (12, 2, 2));
    assert_eq!(second.items, all.items[2..4]);
    let last = students(&app, &admin, "per_page=5&page=3").await;
    assert_eq!(last.items, all.items[10..]);
    let beyond = students(&app, &admin, "per_page=5&page=9").await;
    assert_eq!((beyond.total, beyond.items.len()), (12, 0));
    let clamped = students(&app, &admin, "per_page=100000&page=0").await;
    assert_eq!((clamped.page, clamped.per_page, clamped.items.len()), (1, 200, 12));
    let default = students(&app, &admin, "").await;
    assert_eq!(default.per_page, 50);
}

#[tokio::test]
async fn like_wildcards_in_a_search_are_plain_characters() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let class = school.colleges[0].classes[0].id;
    app.add_student(class.get(), "2023019901", "百分%号").await;
    app.add_student(class.get(), "2023019902", "下划_线").await;
    app.add_student(class.get(), "2023019903", "反斜\\杠").await;
    let admin = app.signed_in(&school.admin).await;

    assert_eq!(names(&search(&app, &admin, "%").await), ["百分%号"]);
    assert_eq!(names(&search(&app, &admin, "_").await), ["下划_线"]);
    assert_eq!(names(&search(&app, &admin, "\\").await), ["反斜\\杠"]);
    assert_eq!(search(&app, &admin, "%%").await.total, 0);
    assert_eq!(search(&app, &admin, "2023_1").await.total, 0, "`_` is not any character in numbers either");
}

#[tokio::test]
async fn unknown_query_parameters_are_refused() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    app.get_error(&admin, "/api/students?role=admin", StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
    app.get_error(&admin, "/api/students?page=two", StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
}
