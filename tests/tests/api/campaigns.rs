//! Campaigns: every staff member reads them, only admins write them; dates and targets are
//! checked field by field; the status only moves forward and a closed campaign is read-only.

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::campaigns::{AspectInfo, Campaign, CampaignStatus};
use shared::Aspect;
use tests::{campaign_input, error_body, spawn_app};

#[tokio::test]
async fn admins_create_and_edit_campaigns_that_all_staff_can_read() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let campaign = app.create_campaign(&admin, " 2024年寒假家访 ").await;
    assert_eq!(campaign.name, "2024年寒假家访", "the name is trimmed");
    assert_eq!(campaign.status, CampaignStatus::Draft);
    assert_eq!((campaign.starts_on.as_str(), campaign.ends_on.as_str()), ("2024-01-15", "2024-02-25"));
    assert_eq!((campaign.target_students, campaign.target_in_person_pct), (Some(2184), Some(5)));

    let path = format!("/api/campaigns/{}", campaign.id);
    let mut input = campaign_input("2024年寒假家访（第二轮）");
    input.ends_on = "2024-01-15".into();
    input.target_students = None;
    let edited: Campaign = app.send_ok(&admin, Method::PUT, &path, &input).await;
    assert_eq!(
        (edited.name.as_str(), edited.ends_on.as_str(), edited.target_students),
        ("2024年寒假家访(第二轮)", "2024-01-15", None),
        "full-width brackets are normalised; an end on the start day is fine"
    );
    app.create_campaign(&admin, "2023年暑期家访").await;

    for account in [&school.colleges[0].classes[0].counselor, &school.colleges[1].leader, &school.colleges[0].advisor] {
        let client = app.signed_in(account).await;
        let list: Vec<Campaign> = app.get_json(&client, "/api/campaigns").await;
        assert_eq!(list.len(), 2, "{}", account.username);
        let one: Campaign = app.get_json(&client, &path).await;
        assert_eq!(one, edited);
    }
    app.get_error(&admin, "/api/campaigns/999999", StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn campaign_fields_are_checked_with_messages_in_the_callers_language() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    app.create_campaign(&admin, "2024年寒假家访").await;
    let cases = [
        (json!({"name": " ", "starts_on": "2024-01-15", "ends_on": "2024-02-25"}), vec!["name"]),
        (json!({"name": "2024年寒假家访", "starts_on": "2024-01-15", "ends_on": "2024-02-25"}), vec!["name"]),
        (json!({"name": "A", "starts_on": "2024-02-30", "ends_on": "15/01/2024"}), vec!["ends_on", "starts_on"]),
        (json!({"name": "A", "starts_on": "2024-03-01", "ends_on": "2024-02-29"}), vec!["ends_on"]),
        (
            json!({"name": "A", "starts_on": "2024-01-01", "ends_on": "2024-01-02", "target_students": -1,
                   "target_in_person_pct": 101}),
            vec!["target_in_person_pct", "target_students"],
        ),
    ];
    for (body, fields) in cases {
        for (lang, english) in [("zh-CN", false), ("en", true)] {
            let response =
                admin.post(app.url("/api/campaigns")).header("accept-language", lang).json(&body).send().await.unwrap();
            let (status, error) = error_body(response).await;
            assert_eq!((status, error.code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "validation"), "{body}");
            assert_eq!(error.fields.keys().collect::<Vec<_>>(), fields, "{body}");
            for message in error.fields.values() {
                let chinese = message.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
                assert_eq!(chinese, !english, "{lang}: {message}");
            }
        }
    }
    let list: Vec<Campaign> = app.get_json(&admin, "/api/campaigns").await;
    assert_eq!(list.len(), 1, "nothing invalid was stored");
}

#[tokio::test]
async fn the_status_only_moves_forward_and_a_closed_campaign_is_read_only() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let campaign = app.create_campaign(&admin, "2024年寒假家访").await;
    let status = format!("/api/campaigns/{}/status", campaign.id);
    let (ok, conflict) = (StatusCode::OK, StatusCode::CONFLICT);

    for (to, expected) in
        [("draft", conflict), ("active", ok), ("active", conflict), ("draft", conflict), ("closed", ok)]
    {
        let response = app.send(&admin, Method::POST, &status, Some(&json!({ "status": to }))).await;
        assert_eq!(response.status(), expected, "→ {to}: {}", response.text().await.unwrap());
    }
    let closed: Campaign = app.get_json(&admin, &format!("/api/campaigns/{}", campaign.id)).await;
    assert_eq!(closed.status, CampaignStatus::Closed);

    let path = format!("/api/campaigns/{}", campaign.id);
    let input = campaign_input("改名");
    let error = app.send_error(&admin, Method::PUT, &path, &input, conflict, "conflict").await;
    assert!(error.message.contains("已结束"), "{error:?}");
    app.send_error(&admin, Method::POST, &status, &json!({"status": "active"}), conflict, "conflict").await;
    let team = json!({"college_id": school.colleges[0].id, "name": "第一小组"});
    app.send_error(&admin, Method::POST, &format!("{path}/teams"), &team, conflict, "conflict").await;
    let unchanged: Campaign = app.get_json(&admin, &path).await;
    assert_eq!(unchanged, closed);

    // A draft may also be closed straight away.
    let draft = app.create_campaign(&admin, "2025年寒假家访").await;
    let body = json!({"status": "closed"});
    let done: Campaign = app.send_ok(&admin, Method::POST, &format!("/api/campaigns/{}/status", draft.id), &body).await;
    assert_eq!(done.status, CampaignStatus::Closed);
}

#[tokio::test]
async fn only_admins_write_campaigns() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let campaign = app.create_campaign(&admin, "2024年寒假家访").await;
    let path = format!("/api/campaigns/{}", campaign.id);
    let input = serde_json::to_value(campaign_input("别的名字")).unwrap();
    let writes = [
        (Method::POST, "/api/campaigns".to_string(), input.clone()),
        (Method::PUT, path.clone(), input.clone()),
        (Method::POST, format!("{path}/status"), json!({"status": "active"})),
    ];
    let college = &school.colleges[0];
    for account in [&college.classes[0].counselor, &college.leader, &college.advisor] {
        let client = app.signed_in(account).await;
        for (method, path, body) in &writes {
            app.send_error(&client, method.clone(), path, body, StatusCode::FORBIDDEN, "forbidden").await;
        }
    }
    let anonymous = app.client();
    for (method, path, body) in &writes {
        app.send_error(&anonymous, method.clone(), path, body, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    for path in ["/api/campaigns".to_string(), path.clone(), "/api/aspects".to_string()] {
        app.get_error(&anonymous, &path, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let unchanged: Campaign = app.get_json(&admin, &path).await;
    assert_eq!(unchanged, campaign);

    // A client cannot set the status (or anything else) through the edit form.
    let mut sneaky = input.clone();
    sneaky["status"] = json!("closed");
    let error =
        app.send_error(&admin, Method::PUT, &path, &sneaky, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
    assert!(error.message.contains("status"), "{error:?}");
}

#[tokio::test]
async fn the_eight_aspects_come_in_order_with_labels() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let counselor = app.signed_in(&school.colleges[0].classes[0].counselor).await;
    let aspects: Vec<AspectInfo> = app.get_json(&counselor, "/api/aspects").await;
    assert_eq!(aspects.iter().map(|a| a.code).collect::<Vec<_>>(), Aspect::ALL);
    assert_eq!((aspects[0].label_zh.as_str(), aspects[7].label_zh.as_str()), ("资助育人", "综合素质提升"));
    assert_eq!(aspects[4].label_en, "Mental health services");
}

#[tokio::test]
async fn the_api_description_lists_the_organisation_routes() {
    let app = spawn_app().await;
    let document: serde_json::Value = app.get_json(&app.client(), "/api/openapi.json").await;
    let paths = document["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/api/campaigns", "post"),
        ("/api/campaigns/{id}", "put"),
        ("/api/campaigns/{id}/status", "post"),
        ("/api/campaigns/{id}/teams", "get"),
        ("/api/teams/{id}", "delete"),
        ("/api/aspects", "get"),
        ("/api/users", "post"),
        ("/api/users/{id}", "put"),
        ("/api/users/{id}/disable", "post"),
        ("/api/users/{id}/enable", "post"),
        ("/api/users/{id}/activation", "post"),
        ("/api/activate", "post"),
        ("/api/staff", "get"),
        ("/api/classes/{id}/staff", "put"),
        ("/api/students/{id}", "put"),
        ("/api/students/{id}", "get"),
        ("/api/students/{id}/guardians", "post"),
        ("/api/guardians/{id}", "put"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} is not described");
    }
}

/// `jiafang campaign …` as the binary runs it, on the test's database: its output, or its error.
async fn campaign_cli(app: &tests::TestApp, args: &[&str]) -> Result<String, String> {
    let cli = backend::cli::Cli::from_args(&[&["jiafang", "--database-url", &app.db_url, "campaign"], args].concat())?;
    let backend::cli::Command::Campaign { command } = cli.command else { panic!("not a campaign command") };
    let mut out = Vec::new();
    backend::cli::campaign::run(&app.db_url, command, &mut out).await.map_err(|e| format!("{e:#}"))?;
    Ok(String::from_utf8(out).unwrap())
}

#[tokio::test]
async fn the_command_line_adds_and_lists_campaigns_with_the_same_rules() {
    let app = spawn_app().await;
    let added = campaign_cli(
        &app,
        &[
            "add",
            "--name",
            "2024年寒假家访",
            "--starts",
            "2024-01-15",
            "--ends",
            "2024-02-20",
            "--target-students",
            "300",
        ],
    )
    .await
    .unwrap();
    assert!(added.contains("2024年寒假家访") && added.contains("campaign created"), "{added}");
    let list = campaign_cli(&app, &["list"]).await.unwrap();
    assert!(list.contains("2024年寒假家访\t2024-01-15\t2024-02-20") && list.contains("\t300"), "{list}");

    let duplicate = ["add", "--name", "2024年寒假家访", "--starts", "2024-01-15", "--ends", "2024-02-20"];
    let error = campaign_cli(&app, &duplicate).await.unwrap_err();
    assert!(error.contains("已有同名的活动") && error.contains("A campaign with this name already exists"), "{error}");
    let bad_date = ["add", "--name", "暑假家访", "--starts", "2024/7/1", "--ends", "2024-08-31"];
    let error = campaign_cli(&app, &bad_date).await.unwrap_err();
    assert!(error.contains("YYYY-MM-DD") && error.contains("请输入日期"), "{error}");
    let backwards = ["add", "--name", "暑假家访", "--starts", "2024-08-31", "--ends", "2024-07-01"];
    let error = campaign_cli(&app, &backwards).await.unwrap_err();
    assert!(error.contains("结束日期不能早于开始日期") && error.contains("cannot be before"), "{error}");
    assert_eq!(campaign_cli(&app, &["list"]).await.unwrap().lines().count(), 1, "nothing refused was written");
}
