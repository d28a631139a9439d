//! Visit teams: per campaign and college, made by admins and that college's leader from the
//! college's staff; counselors read the teams they belong to.

use reqwest::{Client, Method, StatusCode};
use serde_json::json;
use shared::campaigns::{Campaign, TeamDetail};
use tests::{spawn_app, School, TestApp};

/// A school, its admin signed in and a draft campaign.
async fn setup() -> (TestApp, School, Client, Campaign) {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let campaign = app.create_campaign(&admin, "2024年寒假家访").await;
    (app, school, admin, campaign)
}

#[tokio::test]
async fn admins_and_the_college_leader_make_and_change_teams() {
    let (app, school, admin, campaign) = setup().await;
    let teams = format!("/api/campaigns/{}/teams", campaign.id);
    let [first, second] = &school.colleges;
    let [a, b] = &first.classes;

    let body = json!({"college_id": first.id, "name": "第一小组", "leader_id": a.counselor.id,
                      "member_ids": [b.counselor.id, first.advisor.id, b.counselor.id]});
    let team: TeamDetail = app.send_ok(&admin, Method::POST, &teams, &body).await;
    assert_eq!((team.team.name.as_str(), team.college_name.as_str()), ("第一小组", first.name.as_str()));
    assert_eq!(team.leader.as_ref().map(|l| l.id), Some(a.counselor.id));
    let mut members = team.team.member_ids.clone();
    members.sort();
    assert_eq!(members, [first.advisor.id, b.counselor.id], "duplicates count once");

    let leader = app.signed_in(&first.leader).await;
    let body = json!({"college_id": first.id, "name": "第二小组", "leader_id": first.leader.id});
    let own: TeamDetail = app.send_ok(&leader, Method::POST, &teams, &body).await;
    let update = json!({"name": "第二小组（城区）", "leader_id": first.leader.id, "member_ids": [a.counselor.id]});
    let path = format!("/api/teams/{}", own.team.id);
    let changed: TeamDetail = app.send_ok(&leader, Method::PUT, &path, &update).await;
    assert_eq!(
        (changed.team.name.as_str(), changed.team.member_ids.as_slice()),
        ("第二小组(城区)", &[a.counselor.id][..])
    );
    let list: Vec<TeamDetail> = app.get_json(&leader, &teams).await;
    assert_eq!(list.len(), 2);

    // The other college's leader can neither make teams here nor touch these.
    let stranger = app.signed_in(&second.leader).await;
    let forbidden = StatusCode::FORBIDDEN;
    let body = json!({"college_id": first.id, "name": "第三小组"});
    app.send_error(&stranger, Method::POST, &teams, &body, forbidden, "forbidden").await;
    app.send_error(&stranger, Method::PUT, &path, &update, forbidden, "forbidden").await;
    app.send_error(&stranger, Method::DELETE, &path, &json!(null), forbidden, "forbidden").await;
    assert!(app.get_json::<Vec<TeamDetail>>(&stranger, &teams).await.is_empty(), "they see their college's teams");
    // A team of their own college is theirs to make.
    let body = json!({"college_id": second.id, "name": "理学院小组", "member_ids": [second.classes[0].counselor.id]});
    let _: TeamDetail = app.send_ok(&stranger, Method::POST, &teams, &body).await;
    assert_eq!(app.get_json::<Vec<TeamDetail>>(&admin, &teams).await.len(), 3, "admins see every team");

    assert_eq!(app.send(&leader, Method::DELETE, &path, None).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get_json::<Vec<TeamDetail>>(&leader, &teams).await.len(), 1);
    app.send_error(&leader, Method::PUT, &path, &update, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn members_come_from_the_teams_college_and_names_are_unique() {
    let (app, school, admin, campaign) = setup().await;
    let teams = format!("/api/campaigns/{}/teams", campaign.id);
    let [first, second] = &school.colleges;
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    let _: TeamDetail =
        app.send_ok(&admin, Method::POST, &teams, &json!({"college_id": first.id, "name": "一组"})).await;
    // Service staff belong to no college and join no team (school-wide staff do: `leaders.rs`).
    let service = app.add_service_staff("xinli", shared::Department::Counselling).await;
    let cases = [
        (json!({"college_id": first.id, "name": "一组"}), "name"),
        (json!({"college_id": first.id, "name": ""}), "name"),
        (json!({"college_id": first.id, "name": "二组", "member_ids": [second.classes[0].counselor.id]}), "member_ids"),
        (json!({"college_id": first.id, "name": "二组", "member_ids": [service.id]}), "member_ids"),
        (json!({"college_id": first.id, "name": "二组", "leader_id": second.leader.id}), "leader_id"),
        (json!({"college_id": first.id, "name": "二组", "leader_id": 999999}), "leader_id"),
        (json!({"college_id": 999999, "name": "二组"}), "college_id"),
    ];
    for (body, field) in cases {
        let error = app.send_error(&admin, Method::POST, &teams, &body, invalid, "validation").await;
        assert_eq!(error.fields.keys().collect::<Vec<_>>(), [field], "{body}");
    }
    let sneaky = json!({"college_id": first.id, "name": "三组", "campaign_id": 7});
    app.send_error(&admin, Method::POST, &teams, &sneaky, invalid, "invalid_request").await;
    app.get_error(&admin, "/api/campaigns/999999/teams", StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn counselors_read_only_the_teams_they_belong_to() {
    let (app, school, admin, campaign) = setup().await;
    let teams = format!("/api/campaigns/{}/teams", campaign.id);
    let [a, b] = &school.colleges[0].classes;
    let college = school.colleges[0].id;
    let led = json!({"college_id": college, "name": "甲组", "leader_id": a.counselor.id});
    let joined =
        json!({"college_id": college, "name": "乙组", "member_ids": [b.counselor.id, school.colleges[0].advisor.id]});
    let led: TeamDetail = app.send_ok(&admin, Method::POST, &teams, &led).await;
    let joined: TeamDetail = app.send_ok(&admin, Method::POST, &teams, &joined).await;

    for (account, expected) in [
        (&a.counselor, vec![led.team.id]),
        (&b.counselor, vec![joined.team.id]),
        (&school.colleges[0].advisor, vec![joined.team.id]),
        (&school.colleges[1].classes[0].counselor, vec![]),
    ] {
        let client = app.signed_in(account).await;
        let seen: Vec<TeamDetail> = app.get_json(&client, &teams).await;
        assert_eq!(seen.iter().map(|t| t.team.id).collect::<Vec<_>>(), expected, "{}", account.username);
    }
    let counselor = app.signed_in(&a.counselor).await;
    let forbidden = StatusCode::FORBIDDEN;
    let body = json!({"college_id": college, "name": "丙组"});
    app.send_error(&counselor, Method::POST, &teams, &body, forbidden, "forbidden").await;
    let path = format!("/api/teams/{}", led.team.id);
    let update = json!({"name": "甲组", "member_ids": [b.counselor.id]});
    app.send_error(&counselor, Method::PUT, &path, &update, forbidden, "forbidden").await;
    app.send_error(&counselor, Method::DELETE, &path, &json!(null), forbidden, "forbidden").await;
    let anonymous = app.client();
    app.get_error(&anonymous, &teams, StatusCode::UNAUTHORIZED, "unauthorized").await;
    app.send_error(&anonymous, Method::DELETE, &path, &json!(null), StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn teams_of_a_closed_campaign_cannot_change() {
    let (app, school, admin, campaign) = setup().await;
    let teams = format!("/api/campaigns/{}/teams", campaign.id);
    let team: TeamDetail =
        app.send_ok(&admin, Method::POST, &teams, &json!({"college_id": school.colleges[0].id, "name": "一组"})).await;
    let status = format!("/api/campaigns/{}/status", campaign.id);
    let _: Campaign = app.send_ok(&admin, Method::POST, &status, &json!({"status": "closed"})).await;
    let path = format!("/api/teams/{}", team.team.id);
    let conflict = StatusCode::CONFLICT;
    app.send_error(&admin, Method::PUT, &path, &json!({"name": "改名"}), conflict, "conflict").await;
    app.send_error(&admin, Method::DELETE, &path, &json!(null), conflict, "conflict").await;
    assert_eq!(app.get_json::<Vec<TeamDetail>>(&admin, &teams).await, vec![team], "still readable");
}
