//! Typical cases and photos (issue 17, item 8): a visit flagged with a short story and
//! unflagged; up to three photos, each stored once by the id its device made, a fourth and
//! anything not a JPEG or PNG refused with a clear message; both only for those who may see the
//! visit (never service staff or a family); and the report's section of cases.

use reqwest::{Client, StatusCode};
use shared::cases::{CaseStory, Photo, TypicalCase, VisitMedia, MAX_PHOTO_BYTES};
use shared::{Department, VisitId};
use tests::cases::png;
use tests::meetings::meeting_input;
use tests::visits::{client_id, full_visit, setup};
use tests::{error_body, json_of, TestApp};

const STORY: &str = "母亲独自抚养两个孩子，辅导员联系资助中心后，学生获得助学金，成绩明显提高。";

async fn media(app: &TestApp, client: &Client, visit: VisitId) -> VisitMedia {
    app.get_json(client, &format!("/api/visits/{visit}/media")).await
}

async fn flag(app: &TestApp, client: &Client, visit: VisitId, story: &str) -> reqwest::Response {
    app.put_json(client, &format!("/api/visits/{visit}/case"), &CaseStory { story: story.into() }).await
}

/// The message of a 422 on `field`, in the language the client asked for.
async fn field_error(response: reqwest::Response, field: &str) -> String {
    let (status, error) = error_body(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error:?}");
    error.fields.get(field).cloned().unwrap_or_else(|| panic!("no error on {field}: {error:?}"))
}

/// The request asking for English (the session's cookie stays as it is).
fn english(request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    request.header("accept-language", "en")
}

#[tokio::test]
async fn a_visit_is_flagged_as_a_typical_case_with_a_short_story_and_unflagged() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let visit = app.log_visit(&counselor, &full_visit(campaign, class.students[0].id, class.counselor.id)).await;
    assert_eq!(media(&app, &counselor, visit.id).await, VisitMedia::default());

    let case: TypicalCase = json_of(flag(&app, &counselor, visit.id, &format!("  {STORY}\n")).await, "flag").await;
    assert_eq!((case.story.as_str(), case.flagged_by.id), (STORY, class.counselor.id), "stored trimmed");
    assert_eq!(media(&app, &counselor, visit.id).await.case, Some(case));
    // The college leader sees it and may change the story.
    let leader = app.signed_in(&school.colleges[0].leader).await;
    let changed: TypicalCase = json_of(flag(&app, &leader, visit.id, "新的简述").await, "change").await;
    assert_eq!(media(&app, &counselor, visit.id).await.case.map(|c| c.story), Some("新的简述".into()));
    assert_eq!(changed.flagged_by.id, school.colleges[0].leader.id);

    // An empty story or one over 500 characters: 422 on `story`, in the user's language.
    assert_eq!(field_error(flag(&app, &counselor, visit.id, "   ").await, "story").await, "请填写案例简述");
    let long = "好".repeat(501);
    assert_eq!(field_error(flag(&app, &counselor, visit.id, &long).await, "story").await, "案例简述最多 500 字");
    let path = app.url(&format!("/api/visits/{}/case", visit.id));
    let en = english(counselor.put(&path).json(&CaseStory { story: long })).send().await.unwrap();
    assert_eq!(field_error(en, "story").await, "The story may be at most 500 characters");
    assert!(flag(&app, &counselor, visit.id, &"好".repeat(500)).await.status().is_success(), "500 is allowed");

    let gone = counselor.delete(&path).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    assert_eq!(media(&app, &counselor, visit.id).await.case, None);
    assert_eq!(counselor.delete(&path).send().await.unwrap().status(), StatusCode::NO_CONTENT, "again: nothing to do");
    let audited = app.query_i64("SELECT COUNT(*) FROM audit_log WHERE fields = 'typical_case'").await;
    assert_eq!(audited, 4, "three flags and an unflag");
}

#[tokio::test]
async fn up_to_three_photos_each_stored_once_a_fourth_and_anything_not_an_image_refused() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let visit = app.log_visit(&counselor, &full_visit(campaign, class.students[0].id, class.counselor.id)).await;
    let ids: Vec<String> = (0..4).map(|_| client_id()).collect();
    let jpeg = [&[0xFF, 0xD8, 0xFF, 0xE0][..], &[7; 100]].concat();
    let first = png(40, 30);

    let photo: Photo = json_of(app.put_photo(&counselor, visit.id, &ids[0], first.clone()).await, "first").await;
    assert_eq!((photo.id.as_str(), photo.content_type.as_str()), (ids[0].as_str(), "image/png"));
    assert_eq!(photo.bytes, first.len() as i64);
    // Sent again (the answer was lost): the same photo, nothing new stored.
    let again: Photo = json_of(app.put_photo(&counselor, visit.id, &ids[0], first.clone()).await, "again").await;
    assert_eq!(again, photo);
    assert_eq!(app.photo_count(visit.id).await, 1);
    let _: Photo = json_of(app.put_photo(&counselor, visit.id, &ids[1], jpeg.clone()).await, "a JPEG").await;
    let _: Photo = json_of(app.put_photo(&counselor, visit.id, &ids[2], png(8, 8)).await, "third").await;

    // A fourth: refused, saying why.
    let fourth = app.put_photo(&counselor, visit.id, &ids[3], png(8, 8)).await;
    assert_eq!(field_error(fourth, "photo").await, "每次家访最多 3 张照片，请先删除一张");
    let path = app.url(&format!("/api/visits/{}/photos/{}", visit.id, ids[3]));
    let en = english(counselor.put(&path).body(png(8, 8))).send().await.unwrap();
    assert_eq!(field_error(en, "photo").await, "A visit can have at most 3 photos: remove one first");
    let listed: Vec<String> = media(&app, &counselor, visit.id).await.photos.into_iter().map(|p| p.id).collect();
    assert_eq!(listed, ids[..3]);

    // The bytes come back as stored, privately cacheable, typed by their content.
    let fetched = app.get(&counselor, &format!("/api/visits/{}/photos/{}", visit.id, ids[0])).await;
    assert_eq!(fetched.status(), StatusCode::OK);
    let header = |name: &str| fetched.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    assert_eq!(header("content-type").as_deref(), Some("image/png"));
    assert_eq!(header("cache-control").as_deref(), Some("private, max-age=86400"));
    assert_eq!(fetched.bytes().await.unwrap().to_vec(), first);
    app.get_error(
        &counselor,
        &format!("/api/visits/{}/photos/{}", visit.id, ids[3]),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Removing one frees a place for the fourth.
    let removed =
        counselor.delete(app.url(&format!("/api/visits/{}/photos/{}", visit.id, ids[1]))).send().await.unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let _: Photo = json_of(app.put_photo(&counselor, visit.id, &ids[3], png(8, 8)).await, "fourth after").await;
    assert_eq!(app.photo_count(visit.id).await, 3);

    // Not an image, however it is named; too large; an empty body; a bad id; an id of another visit's photo.
    let other = app.log_visit(&counselor, &full_visit(campaign, class.students[1].id, class.counselor.id)).await;
    let text = app.put_photo(&counselor, other.id, &client_id(), b"<svg onload=alert(1)></svg>".to_vec()).await;
    assert_eq!(field_error(text, "photo").await, "只能上传 JPEG 或 PNG 照片");
    let gif = english(counselor.put(app.url(&format!("/api/visits/{}/photos/{}", other.id, client_id()))))
        .body(b"GIF89a\x01\x00\x01\x00".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(field_error(gif, "photo").await, "Only JPEG or PNG photos can be uploaded");
    let mut big = png(8, 8);
    big.resize(MAX_PHOTO_BYTES + 1, 0);
    let too_big = app.put_photo(&counselor, other.id, &client_id(), big).await;
    assert_eq!(field_error(too_big, "photo").await, "照片不能超过 2 MB");
    let mut huge = png(8, 8);
    huge.resize(MAX_PHOTO_BYTES + 200 * 1024, 0);
    assert_eq!(
        error_body(app.put_photo(&counselor, other.id, &client_id(), huge).await).await.0,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let empty = app.put_photo(&counselor, other.id, &client_id(), Vec::new()).await;
    assert_eq!(field_error(empty, "photo").await, "只能上传 JPEG 或 PNG 照片");
    assert_eq!(field_error(app.put_photo(&counselor, other.id, "a.b", png(8, 8)).await, "photo").await, "照片编号无效");
    let taken = app.put_photo(&counselor, other.id, &ids[0], first.clone()).await;
    assert_eq!(error_body(taken).await.0, StatusCode::CONFLICT);
    assert_eq!(app.photo_count(other.id).await, 0);
}

#[tokio::test]
async fn cases_and_photos_are_only_for_those_who_may_see_the_visit_never_service_staff_or_families() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let visit = app.log_visit(&counselor, &full_visit(campaign, class.students[0].id, class.counselor.id)).await;
    let photo = client_id();
    let _: Photo = json_of(app.put_photo(&counselor, visit.id, &photo, png(10, 10)).await, "photo").await;
    let _: TypicalCase = json_of(flag(&app, &counselor, visit.id, STORY).await, "flag").await;
    let photo_path = format!("/api/visits/{}/photos/{photo}", visit.id);

    // The class's advisor and the college's leader see them; another class's counselor and
    // another college's leader do not (403), nor does anyone a visit that does not exist (404).
    for reader in [&school.colleges[0].advisor, &school.colleges[0].leader, &school.admin] {
        let client = app.signed_in(reader).await;
        assert_eq!(media(&app, &client, visit.id).await.photos.len(), 1, "{}", reader.username);
        assert_eq!(app.get(&client, &photo_path).await.status(), StatusCode::OK);
    }
    for outsider in [&school.colleges[0].classes[1].counselor, &school.colleges[1].leader] {
        let client = app.signed_in(outsider).await;
        app.get_error(&client, &photo_path, StatusCode::FORBIDDEN, "forbidden").await;
        app.get_error(&client, &format!("/api/visits/{}/media", visit.id), StatusCode::FORBIDDEN, "forbidden").await;
        assert_eq!(flag(&app, &client, visit.id, "改写").await.status(), StatusCode::FORBIDDEN);
        let put = app.put_photo(&client, visit.id, &client_id(), png(8, 8)).await;
        assert_eq!(put.status(), StatusCode::FORBIDDEN);
        let delete = client.delete(app.url(&photo_path)).send().await.unwrap();
        assert_eq!(delete.status(), StatusCode::FORBIDDEN);
    }
    app.get_error(&counselor, "/api/visits/999999/photos/abc", StatusCode::NOT_FOUND, "not_found").await;
    app.get_error(&counselor, "/api/visits/999999/media", StatusCode::NOT_FOUND, "not_found").await;

    // Service staff: refused every such route.
    let staff = app.add_service_staff("xinli", Department::Counselling).await;
    let staff = app.signed_in(&staff).await;
    app.get_error(&staff, &photo_path, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(flag(&app, &staff, visit.id, "改写").await.status(), StatusCode::FORBIDDEN);

    // A family of the class: not a staff session (401), and their page carries nothing of it.
    let meeting = app.create_meeting(&counselor, &meeting_input(class.id, 40, 2)).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    let url = links.families.iter().find_map(|f| f.url.clone()).expect("a family link");
    let (family, _) = app.family(&url).await;
    app.get_error(&family, &photo_path, StatusCode::UNAUTHORIZED, "unauthorized").await;
    app.get_error(&family, &format!("/api/visits/{}/media", visit.id), StatusCode::UNAUTHORIZED, "unauthorized").await;
    let page = app.get(&family, "/api/family/me").await.text().await.unwrap();
    assert!(!page.contains(STORY) && !page.contains(&photo), "the parent's page: {page}");
    assert_eq!(app.photo_count(visit.id).await, 1);
}

#[tokio::test]
async fn the_reports_section_shows_each_case_with_its_story_and_photos_within_the_scope() {
    use backend::auth::Scope;
    use backend::visits::case_report::{cases_html, typical_cases};
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let visit = app.log_visit(&counselor, &full_visit(campaign, class.students[0].id, class.counselor.id)).await;
    let plain = app.log_visit(&counselor, &full_visit(campaign, class.students[1].id, class.counselor.id)).await;
    let photo = png(6, 4);
    let _: Photo = json_of(app.put_photo(&counselor, visit.id, &client_id(), photo.clone()).await, "photo").await;
    let _: Photo = json_of(app.put_photo(&counselor, plain.id, &client_id(), png(5, 5)).await, "not a case").await;
    let _: TypicalCase = json_of(flag(&app, &counselor, visit.id, STORY).await, "flag").await;

    let cases = typical_cases(&app.db, campaign.into(), Scope::All).await.expect("the cases");
    assert_eq!(cases.len(), 1, "only the flagged visit");
    assert_eq!((cases[0].story.as_str(), cases[0].student_name.as_str()), (STORY, class.students[0].name.as_str()));
    assert_eq!(cases[0].photos, vec![("image/png".to_string(), photo.clone())]);
    let html = cases_html(&cases);
    use base64::Engine;
    assert!(html.contains(STORY) && html.contains("典型案例"), "{html}");
    assert!(html.contains(&base64::engine::general_purpose::STANDARD.encode(&photo)), "the photo inline");
    let other_college = typical_cases(&app.db, campaign.into(), Scope::College(school.colleges[1].id)).await.unwrap();
    assert!(other_college.is_empty(), "another college's report has none of these");
}
