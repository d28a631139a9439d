//! The role × route matrix: every operation of `/api/openapi.json`, tried by nine actors (and a
//! tenth, service department staff: `SERVICE_STAFF`, and an eleventh, a school leader:
//! `SCHOOL_LEADER`), must answer the status the table below
//! gives. Deny by default is proved route by route: a route in the document without a row fails
//! the test by name (so a route added later without a decision here breaks the suite), and so
//! does a row whose route has left the document.
//!
//! Reading the table: `OK` is any 2xx answer. 401 for families on staff routes is deliberate —
//! a family session is not a staff identity, so to a staff route a parent is simply not signed
//! in. 404 where the code hides existence (another family's concern). Bodies are valid, so a 403
//! comes from authorization and not from validation; where an allowed actor gets 404/409/422
//! it is noted on the row.

use std::collections::{BTreeSet, HashMap};

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use shared::campaigns::{CampaignStatus, NewTeam, StatusChange, TeamUpdate};
use shared::cases::CaseStory;
use shared::follow_ups::{FollowUpAssignment, FollowUpClose, FollowUpInput};
use shared::meetings::{AnswerInput, Attendance, ConcernInput, FeedbackInput, Topic};
use shared::org_edit::{ClassStaff, GuardianInput, StudentUpdate};
use shared::users::{AccountUpdate, NewAccount};
use shared::visits::{FollowUpStatus, FollowUpUpdate, NewPlans, SyncRequest, VisitEdit};
use shared::{Department, Role, VisitMode};
use tests::meetings::{family_cookie, meeting_input};
use tests::visits::full_visit;
use tests::{campaign_input, json_of, spawn_app, staff_cookie, School, TestApp};

/// The actors, in the order of each row's statuses.
const ACTORS: [&str; 9] = [
    "anonymous",
    "parent (same class)",
    "parent (other class)",
    "class advisor",
    "counselor of the student",
    "other counselor",
    "college leader",
    "other college's leader",
    "admin",
];
const N: usize = ACTORS.len();

/// Any 2xx answer.
const OK: u16 = 200;

/// What a request carries.
enum Body {
    None,
    Json(Value),
    /// A roster file for the import preview.
    Csv(Vec<u8>),
    /// A photo.
    Png(Vec<u8>),
}

fn body(value: impl serde::Serialize) -> Body {
    Body::Json(serde_json::to_value(value).expect("a JSON body"))
}

/// One operation of the document and what each actor gets.
struct Row {
    method: &'static str,
    /// As in the OpenAPI document.
    route: &'static str,
    /// The request: `{name}` is a fixture id (see `Fixtures`), `{name@}` one per actor.
    path: &'static str,
    body: fn(&Fixtures, usize) -> Body,
    expect: [u16; N],
}

fn no_body(_: &Fixtures, _: usize) -> Body {
    Body::None
}

/// Shorthand for a row.
const fn row(
    method: &'static str,
    route: &'static str,
    path: &'static str,
    body: fn(&Fixtures, usize) -> Body,
    expect: [u16; N],
) -> Row {
    Row { method, route, path, body, expect }
}

#[rustfmt::skip]
fn table() -> Vec<Row> {
    // Status per actor:   anon  parent  parent2 advisor counsel other-c leader other-l admin
    vec![
    // Public.
    row("GET", "/api/health", "/api/health", no_body,                                      [OK, OK, OK, OK, OK, OK, OK, OK, OK]),
    row("POST", "/api/auth/login", "/api/auth/login", |_, _| body(json!({"username": "nobody", "password": "wrong password 1234"})),
                                                                                         [401, 401, 401, 401, 401, 401, 401, 401, 401]),
    // A token that is not one of ours is refused before any lookup.
    row("POST", "/api/activate", "/api/activate", |_, _| body(json!({"token": "bogus-token-bogus-token", "password": "a fine new password 77"})),
                                                                                         [422, 422, 422, 422, 422, 422, 422, 422, 422]),
    row("POST", "/api/family/enter", "/api/family/enter", |_, _| body(json!({"token": "bogus-token-bogus-token"})),
                                                                                         [404, 404, 404, 404, 404, 404, 404, 404, 404]),
    row("POST", "/api/family/class", "/api/family/class", |_, _| body(json!({"token": "bogus-token-bogus-token"})),
                                                                                         [404, 404, 404, 404, 404, 404, 404, 404, 404]),
    // Guessing is rate-limited per address: all actors share 127.0.0.1, so the third try gets 429.
    row("POST", "/api/family/identify", "/api/family/identify",
        |_, _| body(json!({"token": "bogus-token-bogus-token", "student_no": "2023010101", "last_four": "5678"})),
                                                                                         [404, 404, 429, 429, 429, 429, 429, 429, 429]),

    // Any signed-in staff member.
    row("GET", "/api/auth/me", "/api/auth/me", no_body,                                    [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    // Two-step verification: any staff member may turn it on (admins have it on already: 409); a
    // code that is not the current one is refused (422). Admins may not turn it off (403); the
    // others have nothing to turn off (409).
    row("POST", "/api/auth/totp/enrol", "/api/auth/totp/enrol", no_body,                    [401, 401, 401, OK, OK, OK, OK, OK, 409]),
    row("POST", "/api/auth/totp/confirm", "/api/auth/totp/confirm", |_, _| body(json!({"code": "000000"})),
                                                                                         [401, 401, 401, 422, 422, 422, 422, 422, 409]),
    row("POST", "/api/auth/totp/disable", "/api/auth/totp/disable", |_, _| body(json!({"code": "000000"})),
                                                                                         [401, 401, 401, 409, 409, 409, 409, 409, 403]),
    // Recovery codes: anyone counts theirs; a new set needs two-step verification on (409 for the
    // others) and a current code (the admin's is wrong: 422).
    row("GET", "/api/auth/totp/recovery-codes", "/api/auth/totp/recovery-codes", no_body,  [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("POST", "/api/auth/totp/recovery-codes", "/api/auth/totp/recovery-codes", |_, _| body(json!({"code": "000000"})),
                                                                                         [401, 401, 401, 409, 409, 409, 409, 409, 422]),
    // Changing one's own password: any staff member; the current password given is wrong (422).
    row("POST", "/api/auth/password", "/api/auth/password",
        |_, _| body(json!({"current_password": "not the password 1", "password": "a fine new password 77"})),
                                                                                         [401, 401, 401, 422, 422, 422, 422, 422, 422]),
    row("GET", "/api/aspects", "/api/aspects", no_body,                                    [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("GET", "/api/colleges", "/api/colleges", no_body,                                  [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("GET", "/api/colleges/{id}/classes", "/api/colleges/{college}/classes", no_body,   [401, 401, 401, OK, OK, OK, OK, 403, OK]),
    row("GET", "/api/classes/{id}", "/api/classes/{class}", no_body,                       [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("PUT", "/api/classes/{id}/staff", "/api/classes/{class}/staff",
        |f, _| body(ClassStaff { counselor_id: Some(f.id("counselor")), advisor_id: Some(f.id("advisor")) }),
                                                                                         [401, 401, 401, 403, 403, 403, OK, 403, OK]),
    row("GET", "/api/students", "/api/students", no_body,                                  [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("GET", "/api/students/{id}", "/api/students/{student}", no_body,                   [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    // A student's history: anyone who reaches the student; 404 for the others, who learn nothing
    // (each part's own rule: student_history.rs).
    row("GET", "/api/students/{id}/history", "/api/students/{student}/history", no_body,   [401, 401, 401, OK, OK, 404, OK, 404, OK]),
    row("PUT", "/api/students/{id}", "/api/students/{student2}",
        |f, _| body(StudentUpdate { name: "王芳".into(), class_id: f.id("class"), ..Default::default() }),
                                                                                         [401, 401, 401, 403, OK, 403, OK, 403, OK]),
    row("GET", "/api/students/export.xlsx", "/api/students/export.xlsx", no_body,          [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("POST", "/api/students/{id}/guardians", "/api/students/{student2}/guardians",
        |_, _| body(GuardianInput { name: "王芳的母亲".into(), relation: Some("母亲".into()), phone: Some("13800001111".into()) }),
                                                                                         [401, 401, 401, 403, OK, 403, OK, 403, OK]),
    row("PUT", "/api/guardians/{id}", "/api/guardians/{guardian}",
        |_, _| body(GuardianInput { name: "王芳的父亲".into(), relation: Some("父亲".into()), phone: Some("13912345678".into()) }),
                                                                                         [401, 401, 401, 403, OK, 403, OK, 403, OK]),
    row("DELETE", "/api/guardians/{id}", "/api/guardians/{guardians@}", no_body,            [401, 401, 401, 403, OK, 403, OK, 403, OK]),
    // The staff directory (for class staff changes): leaders see their college's, admins all.
    row("GET", "/api/staff", "/api/staff", no_body,                                        [401, 401, 401, 403, 403, 403, OK, OK, OK]),

    // Accounts: admins.
    // Leaders list the accounts of their own college (scope tested in users.rs); only admins change accounts.
    row("GET", "/api/users", "/api/users", no_body,                                        [401, 401, 401, 403, 403, 403, OK, OK, OK]),
    row("POST", "/api/users", "/api/users",
        |f, a| body(NewAccount { username: format!("new{a}"), display_name: format!("new{a}"), role: Role::Counselor, college_id: Some(f.id("college")), department: None, email: None }),
                                                                                         [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    row("PUT", "/api/users/{id}", "/api/users/{spare}",
        |f, _| body(AccountUpdate { display_name: "备用辅导员".into(), role: Role::Counselor, college_id: Some(f.id("college")), department: None, email: None }),
                                                                                         [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    row("POST", "/api/users/{id}/disable", "/api/users/{spare}/disable", no_body,          [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    row("POST", "/api/users/{id}/enable", "/api/users/{spare}/enable", no_body,            [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    row("POST", "/api/users/{id}/activation", "/api/users/{pending}/activation", no_body,    [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    row("POST", "/api/users/activation-links", "/api/users/activation-links",
        |_, _| body(shared::users::PendingActivations::default()),                      [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    row("POST", "/api/users/{id}/password-reset", "/api/users/{spare}/password-reset", no_body,
                                                                                         [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    row("POST", "/api/users/{id}/totp-reset", "/api/users/{second_factor}/totp-reset", no_body,
                                                                                         [401, 401, 401, 403, 403, 403, 403, 403, OK]),

    // Campaigns and teams.
    row("GET", "/api/campaigns", "/api/campaigns", no_body,                                [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("GET", "/api/campaigns/{id}", "/api/campaigns/{campaign}", no_body,                [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("POST", "/api/campaigns", "/api/campaigns", |_, a| body(campaign_input(&format!("活动 {a}"))),
                                                                                         [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    row("PUT", "/api/campaigns/{id}", "/api/campaigns/{draft@}", |_, a| body(campaign_input(&format!("改名 {a}"))),
                                                                                         [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    row("POST", "/api/campaigns/{id}/status", "/api/campaigns/{draft@}/status", |_, _| body(StatusChange { status: CampaignStatus::Active }),
                                                                                         [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    // The kinds of message a campaign sends (issue 16): staff read them, admins switch them.
    row("GET", "/api/campaigns/{id}/messages", "/api/campaigns/{campaign}/messages", no_body,
                                                                                         [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("PUT", "/api/campaigns/{id}/messages", "/api/campaigns/{campaign}/messages",
        |_, _| body(shared::messages::CampaignMessages::default()),                      [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    row("GET", "/api/campaigns/{id}/summary", "/api/campaigns/{campaign}/summary", no_body,
                                                                                         [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("GET", "/api/campaigns/{id}/participants", "/api/campaigns/{campaign}/participants", no_body,
                                                                                         [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("GET", "/api/campaigns/{id}/export.xlsx", "/api/campaigns/{campaign}/export.xlsx", no_body,
                                                                                         [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    // Hardship levels: every staff member whose scope may hold the students (an empty list for
    // another counselor or college); service staff are refused by the extractor.
    row("GET", "/api/campaigns/{id}/priority", "/api/campaigns/{campaign}/priority", no_body,
                                                                                         [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("GET", "/api/campaigns/{id}/report", "/api/campaigns/{campaign}/report", no_body,
                                                                                         [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("GET", "/api/campaigns/{id}/teams", "/api/campaigns/{campaign}/teams", no_body,    [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("POST", "/api/campaigns/{id}/teams", "/api/campaigns/{campaign}/teams",
        |f, a| body(NewTeam { college_id: f.id("college"), name: format!("小组 {a}"), leader_id: None, member_ids: vec![] }),
                                                                                         [401, 401, 401, 403, 403, 403, OK, 403, OK]),
    row("PUT", "/api/teams/{id}", "/api/teams/{team}",
        |_, _| body(TeamUpdate { name: "第一小组".into(), leader_id: None, member_ids: vec![] }),
                                                                                         [401, 401, 401, 403, 403, 403, OK, 403, OK]),
    row("DELETE", "/api/teams/{id}", "/api/teams/{team@}", no_body,                        [401, 401, 401, 403, 403, 403, OK, 403, OK]),

    // Parents' meetings, staff side.
    row("GET", "/api/meetings", "/api/meetings", no_body,                                  [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("POST", "/api/meetings", "/api/meetings", |f, _| body(meeting_input(f.id::<i64>("class"), 40, 2)),
                                                                                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("POST", "/api/meetings/bulk", "/api/meetings/bulk",
        |f, _| body(shared::meetings::MeetingInput { class_id: None, college_id: Some(f.id("college")), ..meeting_input(0, 40, 2) }),
                                                                                         [401, 401, 401, 403, 403, 403, OK, 403, OK]),
    row("GET", "/api/meetings/{id}", "/api/meetings/{meeting}", no_body,                   [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("PUT", "/api/meetings/{id}", "/api/meetings/{meeting}", |f, _| body(meeting_input(f.id::<i64>("class"), 40, 2)),
                                                                                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("POST", "/api/meetings/{id}/held", "/api/meetings/{spare_meeting}/held", no_body,  [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("GET", "/api/meetings/{id}/links", "/api/meetings/{meeting}/links", no_body,       [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("POST", "/api/meetings/{id}/links", "/api/meetings/{meeting}/links", no_body,      [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("POST", "/api/meetings/{id}/links/{link_id}/revoke", "/api/meetings/{meeting}/links/{spare_link}/revoke", no_body,
                                                                                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("GET", "/api/meetings/{id}/qr.svg", "/api/meetings/{meeting}/qr.svg", no_body,     [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("GET", "/api/meetings/{id}/signups", "/api/meetings/{meeting}/signups", no_body,   [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("GET", "/api/meetings/{id}/concerns", "/api/meetings/{meeting}/concerns", no_body, [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("GET", "/api/meetings/{id}/feedback", "/api/meetings/{meeting}/feedback", no_body, [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("POST", "/api/meetings/{id}/attendance", "/api/meetings/{meeting}/attendance",
        |f, _| body(shared::meetings::AttendanceMark { student_id: f.id("student"), present: true }),
                                                                                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("GET", "/api/meetings/{id}/messages", "/api/meetings/{meeting}/messages", no_body, [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("GET", "/api/meetings/{id}/messages.xlsx", "/api/meetings/{meeting}/messages.xlsx", no_body,
                                                                                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("POST", "/api/meetings/{id}/reminders", "/api/meetings/{meeting}/reminders", no_body,
                                                                                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("POST", "/api/meetings/{id}/messages/send", "/api/meetings/{meeting}/messages/send", no_body,
                                                                                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    // Which delivery channels are configured: any staff member (the outbox's page says it).
    row("GET", "/api/messages/channels", "/api/messages/channels", no_body,              [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    // Guardians' SMS replies, from the school's SMS platform with its token (none here: 404 to all).
    row("POST", "/api/sms/replies", "/api/sms/replies",
        |_, _| body(shared::meetings::SmsReply { phone: "13912345678".into(), text: "TD".into() }),
                                                                                         [404, 404, 404, 404, 404, 404, 404, 404, 404]),

    // Parents' meetings, family side: the family session decides which family and meeting.
    row("GET", "/api/family/me", "/api/family/me", no_body,                                [401, OK, OK, 401, 401, 401, 401, 401, 401]),
    row("PUT", "/api/family/answer", "/api/family/answer", |_, _| body(AnswerInput { answer: Attendance::InPerson, people: 1 }),
                                                                                         [401, OK, OK, 401, 401, 401, 401, 401, 401]),
    row("POST", "/api/family/concerns", "/api/family/concerns",
        |_, _| body(ConcernInput { topic: Topic::Academic, text: "想了解考研的准备".into() }),
                                                                                         [401, OK, OK, 401, 401, 401, 401, 401, 401]),
    // The privacy notice and the separate consent to sensitive concerns (issue 19): the family session's own.
    row("GET", "/api/family/privacy", "/api/family/privacy", no_body,                      [401, OK, OK, 401, 401, 401, 401, 401, 401]),
    row("POST", "/api/family/consent", "/api/family/consent",
        |_, _| body(shared::privacy::ConsentInput { notice_version: shared::privacy::NOTICE_VERSION }),
                                                                                         [401, OK, OK, 401, 401, 401, 401, 401, 401]),
    row("DELETE", "/api/family/consent", "/api/family/consent", no_body,                   [401, OK, OK, 401, 401, 401, 401, 401, 401]),
    // A parent opts out of messages on their page, and back in (issue 16).
    row("POST", "/api/family/opt_out", "/api/family/opt_out", no_body,                     [401, OK, OK, 401, 401, 401, 401, 401, 401]),
    row("DELETE", "/api/family/opt_out", "/api/family/opt_out", no_body,                   [401, OK, OK, 401, 401, 401, 401, 401, 401]),
    // The other family's concern does not exist for them.
    row("DELETE", "/api/family/concerns/{id}", "/api/family/concerns/{concern}", no_body,  [401, OK, 404, 401, 401, 401, 401, 401, 401]),
    // Allowed, but feedback opens only once the meeting is held: 409.
    row("POST", "/api/family/feedback", "/api/family/feedback", |_, _| body(FeedbackInput { rating: 5, suggestions: "很好".into() }),
                                                                                         [401, 409, 409, 401, 401, 401, 401, 401, 401]),
    row("GET", "/api/family/meeting.ics", "/api/family/meeting.ics", no_body,              [401, OK, OK, 401, 401, 401, 401, 401, 401]),
    row("DELETE", "/api/family/answer", "/api/family/answer", no_body,                     [401, OK, OK, 401, 401, 401, 401, 401, 401]),

    // Home visits.
    row("GET", "/api/visits/campaigns", "/api/visits/campaigns", no_body,                  [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("GET", "/api/visits/students", "/api/visits/students?campaign_id={campaign}", no_body,
                                                                                         [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("GET", "/api/visits/colleagues", "/api/visits/colleagues", no_body,                [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("GET", "/api/visits/plans", "/api/visits/plans?campaign_id={campaign}", no_body,   [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    // The campaign's open concerns of the students the caller reaches (sensitive ones by scope: visit_concerns.rs).
    row("GET", "/api/visits/concerns", "/api/visits/concerns?campaign_id={campaign}", no_body,
                                                                                         [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("POST", "/api/visits/plans", "/api/visits/plans",
        |f, _| body(NewPlans { campaign_id: f.id("campaign"), student_ids: vec![f.id("student2")], mode: VisitMode::InPerson,
                               date: "2024-01-22".into(), time: None, member_ids: vec![], meeting_link: None, trip_name: None }),
                                                                                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("GET", "/api/visits", "/api/visits", no_body,                                      [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("POST", "/api/visits", "/api/visits", |f, _| body(full_visit(f.id::<i64>("campaign"), f.id::<i64>("student2"), f.id::<i64>("counselor"))),
                                                                                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    // A batch always answers 200 with one outcome per visit; unreachable students are refused inside it (visits_sync.rs).
    row("POST", "/api/visits/sync", "/api/visits/sync",
        |f, _| body(SyncRequest { visits: vec![full_visit(f.id::<i64>("campaign"), f.id::<i64>("student2"), f.id::<i64>("counselor"))] }),
                                                                                         [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("GET", "/api/visits/{id}", "/api/visits/{visit}", no_body,                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    // A visit record is corrected only by its author (or a team member who took part).
    row("PUT", "/api/visits/{id}", "/api/visits/{visits@}",
        |f, _| body(VisitEdit { base_revision: 1, record: full_visit(f.id::<i64>("campaign"), f.id::<i64>("student"), f.id::<i64>("counselor")).record }),
                                                                                         [401, 401, 401, 403, OK, 403, 403, 403, 403]),
    row("GET", "/api/visits/{id}/revisions", "/api/visits/{visit}/revisions", no_body,     [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    // A visit's typical case and photos: whoever may see the visit. The photo `matrix-photo` is
    // uploaded by the first allowed actor (then sent again, stored once), read, and each actor
    // removes a photo of their own (`{photos@}` on `{visits@}`).
    row("GET", "/api/visits/{id}/media", "/api/visits/{visit}/media", no_body,             [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("PUT", "/api/visits/{id}/case", "/api/visits/{visit}/case", |_, _| body(CaseStory { story: "典型案例".into() }),
                                                                                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("DELETE", "/api/visits/{id}/case", "/api/visits/{visit}/case", no_body,            [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("PUT", "/api/visits/{id}/photos/{photo}", "/api/visits/{visit}/photos/matrix-photo", |_, _| Body::Png(tests::cases::png(4, 4)),
                                                                                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("GET", "/api/visits/{id}/photos/{photo}", "/api/visits/{visit}/photos/matrix-photo", no_body,
                                                                                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("DELETE", "/api/visits/{id}/photos/{photo}", "/api/visits/{visits@}/photos/{photos@}", no_body,
                                                                                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    row("GET", "/api/follow-ups", "/api/follow-ups", no_body,                              [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    // A follow-up is closed by its owner.
    row("POST", "/api/follow-ups/{id}", "/api/follow-ups/{follow_up}", |_, _| body(FollowUpUpdate { status: FollowUpStatus::Done }),
                                                                                         [401, 401, 401, 403, OK, 403, 403, 403, 403]),
    // Added to a visit later by whoever may see the visit.
    row("POST", "/api/visits/{id}/follow-ups", "/api/visits/{visit}/follow-ups",
        |f, _| body(FollowUpInput { what: "电话回访".into(), owner_id: f.id("counselor"), due_on: "2024-03-01".into(), department: None }),
                                                                                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    // Reassigned by its owner, the visit's author, or whoever's own scope holds the student.
    row("PUT", "/api/follow-ups/{id}", "/api/follow-ups/{follow_up2}",
        |f, _| body(FollowUpAssignment { owner_id: f.id("counselor"), department: None, due_on: "2024-03-01".into() }),
                                                                                         [401, 401, 401, OK, OK, 403, OK, 403, OK]),
    // Closed (with an outcome) and reopened by its owner, the visit's author or its department.
    row("POST", "/api/follow-ups/{id}/close", "/api/follow-ups/{follow_up2}/close", |_, _| body(FollowUpClose { outcome: "已回访".into() }),
                                                                                         [401, 401, 401, 403, OK, 403, 403, 403, 403]),
    row("POST", "/api/follow-ups/{id}/reopen", "/api/follow-ups/{follow_up2}/reopen", no_body,
                                                                                         [401, 401, 401, 403, OK, 403, 403, 403, 403]),
    // The reminders (a leader's college's and the school's overdue ones are tested in follow_ups.rs).
    row("GET", "/api/follow-ups/due", "/api/follow-ups/due", no_body,                    [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    row("GET", "/api/follow-ups/due/count", "/api/follow-ups/due/count", no_body,        [401, 401, 401, OK, OK, OK, OK, OK, OK]),
    // A service department's referrals: service staff only.
    row("GET", "/api/follow-ups/referred", "/api/follow-ups/referred", no_body,          [401, 401, 401, 403, 403, 403, 403, 403, 403]),
    row("GET", "/api/departments", "/api/departments", no_body,                          [401, 401, 401, OK, OK, OK, OK, OK, OK]),

    // The school's settings (the privacy notice's school name and contact): admins.
    row("GET", "/api/settings/privacy", "/api/settings/privacy", no_body,                  [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    row("PUT", "/api/settings/privacy", "/api/settings/privacy",
        |_, _| body(shared::privacy::PrivacySettings { school_name: "某某大学".into(), contact: "学生工作处 024-12345678".into() }),
                                                                                         [401, 401, 401, 403, 403, 403, 403, 403, OK]),

    // Retention (issue 19): a campaign's periods and the dry run, admins.
    row("GET", "/api/campaigns/{id}/retention", "/api/campaigns/{campaign}/retention", no_body,
                                                                                         [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    row("PUT", "/api/campaigns/{id}/retention", "/api/campaigns/{campaign}/retention", |_, _| body(shared::retention::DEFAULTS),
                                                                                         [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    // A family's rights over one student: admins, and the leader of the student's college.
    row("POST", "/api/students/{id}/rights/export", "/api/students/{student}/rights/export", |_, _| body(json!({"reason": "家长申请"})),
                                                                                         [401, 401, 401, 403, 403, 403, OK, 403, OK]),
    row("POST", "/api/students/{id}/rights/correction", "/api/students/{student}/rights/correction", |_, _| body(json!({"reason": "家长申请"})),
                                                                                         [401, 401, 401, 403, 403, 403, OK, 403, OK]),

    // Erasure: the third student (whose guardians the rows above used) is erased; again is fine.
    row("POST", "/api/students/{id}/rights/erase", "/api/students/{student3}/rights/erase", |_, _| body(json!({"reason": "家长申请"})),
                                                                                         [401, 401, 401, 403, 403, 403, OK, 403, OK]),

    // The audit log: admins.
    row("GET", "/api/audit", "/api/audit?student_id={student}", no_body,                  [401, 401, 401, 403, 403, 403, 403, 403, OK]),

    // Imports: admins. Late in the table: committing the sample roster rewrites the seeded classes.
    row("POST", "/api/imports/roster/preview", "/api/imports/roster/preview?filename=roster.csv",
        |_, _| Body::Csv(tests::imports::sample("utf8")),                                 [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    row("POST", "/api/imports/{id}/commit", "/api/imports/{import}/commit", no_body,       [401, 401, 401, 403, 403, 403, 403, 403, OK]),
    // The roster template: any staff member.
    row("GET", "/api/imports/roster/template.xlsx", "/api/imports/roster/template.xlsx", no_body,
                                                                                         [401, 401, 401, OK, OK, OK, OK, OK, OK]),

    // Any staff member imports the visits of students they reach (checked row by row): this file is
    // not a visit table (422), and the import id is unknown (404).
    row("POST", "/api/visits/import/preview", "/api/visits/import/preview?filename=visits.csv",
        |_, _| Body::Csv(b"x".to_vec()),                                                  [401, 401, 401, 422, 422, 422, 422, 422, 422]),
    row("POST", "/api/visits/import/{id}/commit", "/api/visits/import/999999/commit", no_body,
                                                                                         [401, 401, 401, 404, 404, 404, 404, 404, 404]),

    // Last: sign-outs end the actors' sessions.
    row("POST", "/api/family/logout", "/api/family/logout", no_body,                       [OK, OK, OK, OK, OK, OK, OK, OK, OK]),
    row("POST", "/api/auth/logout", "/api/auth/logout", no_body,                           [OK, OK, OK, OK, OK, OK, OK, OK, OK]),
    ]
}

/// What the tenth actor, a service department's staff member (`Role::ServiceStaff`, of the
/// counselling centre), gets. Deny by default again, and more strictly: every route not listed
/// here must answer them 403, so a route added later without a thought for them is refused
/// (the `StaffUser` extractor does it, `auth::extract::SERVICE_STAFF_ROUTES`). Listed: the public
/// routes, the family routes (a staff session is not a family's: 401), their own account's
/// routes (as any staff member), and their department's referrals — the matrix's follow-up is
/// not referred to them, so closing or reopening it answers 404.
const SERVICE_STAFF: &[(&str, &str, u16)] = &[
    ("GET", "/api/health", OK),
    ("POST", "/api/auth/login", 401),
    ("POST", "/api/activate", 422),
    ("GET", "/api/auth/me", OK),
    ("POST", "/api/auth/totp/enrol", OK),
    ("POST", "/api/auth/totp/confirm", 422),
    ("POST", "/api/auth/totp/disable", 409),
    ("GET", "/api/auth/totp/recovery-codes", OK),
    ("POST", "/api/auth/totp/recovery-codes", 409),
    ("POST", "/api/auth/password", 422),
    ("GET", "/api/family/me", 401),
    ("PUT", "/api/family/answer", 401),
    ("POST", "/api/family/concerns", 401),
    ("DELETE", "/api/family/concerns/{id}", 401),
    ("POST", "/api/family/feedback", 401),
    ("GET", "/api/family/meeting.ics", 401),
    ("DELETE", "/api/family/answer", 401),
    ("GET", "/api/family/privacy", 401),
    ("POST", "/api/family/consent", 401),
    ("DELETE", "/api/family/consent", 401),
    ("POST", "/api/family/opt_out", 401),
    ("DELETE", "/api/family/opt_out", 401),
    ("GET", "/api/follow-ups/referred", OK),
    ("GET", "/api/follow-ups/due/count", OK),
    ("GET", "/api/departments", OK),
    ("POST", "/api/follow-ups/{id}/close", 404),
    ("POST", "/api/follow-ups/{id}/reopen", 404),
    ("POST", "/api/family/logout", OK),
    ("POST", "/api/auth/logout", OK),
    ("POST", "/api/sms/replies", 404),
];

/// Public and limited per address, which every actor here shares: the service staff's
/// guesses would use up the attempts the rows count on. As public routes they answer service
/// staff as they answer anyone (the nine actors show it).
const NOT_TRIED_BY_SERVICE_STAFF: [&str; 3] = ["/api/family/enter", "/api/family/class", "/api/family/identify"];

/// The same for the school leader, and the sign-in too: by then the wrong passwords the rows
/// try from this one address have reached its limit (429).
const NOT_TRIED_BY_SCHOOL_LEADER: [&str; 4] =
    ["/api/family/enter", "/api/family/class", "/api/family/identify", "/api/auth/login"];

/// The eleventh actor, a school leader (`Role::SchoolLeader`) on none of the fixtures' teams,
/// gets what the other counselor gets — neither reaches the fixtures' student — except where
/// listed here: they see the whole school's figures (aggregates), hold no class, and belong to
/// no college.
const SCHOOL_LEADER: &[(&str, &str, u16)] =
    &[("GET", "/api/colleges/{id}/classes", 403), ("GET", "/api/campaigns/{id}/priority", 403)];

fn school_leader_expects(row: &Row) -> u16 {
    SCHOOL_LEADER
        .iter()
        .find(|(m, r, _)| *m == row.method && *r == row.route)
        .map_or(row.expect[OTHER_COUNSELOR], |(_, _, status)| *status)
}

/// The column of `ACTORS` whose answers a school leader shares by default.
const OTHER_COUNSELOR: usize = 5;

fn service_staff_expects(method: &str, route: &str) -> u16 {
    SERVICE_STAFF.iter().find(|(m, r, _)| *m == method && *r == route).map_or(403, |(_, _, status)| *status)
}

/// Ids the rows' paths and bodies refer to; a name maps to one id, or to one per actor.
struct Fixtures {
    ids: HashMap<&'static str, Vec<i64>>,
}

impl Fixtures {
    fn id<Id: From<i64>>(&self, name: &str) -> Id {
        self.ids.get(name).unwrap_or_else(|| panic!("no fixture {name}"))[0].into()
    }

    fn path(&self, template: &str, actor: usize) -> String {
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let end = rest[start..].find('}').expect("a closing brace") + start;
            let name = &rest[start + 1..end];
            let id = match name.strip_suffix('@') {
                Some(name) => self.ids.get(name).unwrap_or_else(|| panic!("no fixture {name}"))[actor],
                None => self.id(name),
            };
            out.push_str(&id.to_string());
            rest = &rest[end + 1..];
        }
        out + rest
    }
}

/// Every operation of the served OpenAPI document.
async fn documented(app: &TestApp) -> BTreeSet<(String, String)> {
    let document: Value = app.get_json(&app.client(), "/api/openapi.json").await;
    let mut operations = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            if ["get", "put", "post", "delete", "patch", "head", "options", "trace"].contains(&method.as_str()) {
                operations.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    operations
}

/// The id at a JSON pointer (`/id`, `/concerns/0/id`) of a 200 answer.
async fn id_at(response: reqwest::Response, pointer: &str, what: &str) -> i64 {
    let value: Value = json_of(response, what).await;
    value.pointer(pointer).and_then(Value::as_i64).unwrap_or_else(|| panic!("{what}: no {pointer} in {value}"))
}

/// The school, a meeting of the first class with links, a family session in it and one in a
/// meeting of another class, a campaign with a team and visits, and spares for destructive rows.
async fn fixtures(app: &TestApp, school: &School) -> (Fixtures, [Option<String>; N], [String; 2]) {
    let college = &school.colleges[0];
    let (class, other_class) = (&college.classes[0], &college.classes[1]);
    let mut ids: HashMap<&'static str, Vec<i64>> = HashMap::new();
    let admin = app.signed_in(&school.admin).await;
    let counselor = app.signed_in(&class.counselor).await;
    let other_counselor = app.signed_in(&other_class.counselor).await;

    let meeting = app.create_meeting(&counselor, &meeting_input(class.id, 40, 2)).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    let spare_meeting = app.create_meeting(&counselor, &meeting_input(class.id, 40, 2)).await;
    let other_meeting = app.create_meeting(&other_counselor, &meeting_input(other_class.id, 40, 2)).await;
    let other_links = app.issue_links(&other_counselor, other_meeting.id).await;
    let parent = family_cookie(app, links.families[0].url.as_deref().expect("a link")).await;
    let other_parent = family_cookie(app, other_links.families[0].url.as_deref().expect("a link")).await;
    let concern = {
        let client = Client::new();
        let request = client
            .post(app.url("/api/family/concerns"))
            .header("cookie", &parent)
            .json(&ConcernInput { topic: Topic::Major, text: "转专业".into() });
        id_at(request.send().await.expect("posting a concern"), "/concerns/0/id", "a concern").await
    };

    let campaign = app.add_campaign("2024年寒假家访").await;
    let mut drafts = Vec::new();
    let mut teams = Vec::new();
    let mut visits = Vec::new();
    let mut photos = Vec::new();
    let mut guardians = Vec::new();
    for a in 0..N {
        drafts.push(app.create_campaign(&admin, &format!("草稿 {a}")).await.id.get());
        let team =
            NewTeam { college_id: college.id, name: format!("备用小组 {a}"), leader_id: None, member_ids: vec![] };
        teams.push(
            id_at(app.post_json(&admin, &format!("/api/campaigns/{campaign}/teams"), &team).await, "/id", "a team")
                .await,
        );
        let visit = app.log_visit(&counselor, &full_visit(campaign, class.students[0].id, class.counselor.id)).await.id;
        // A photo per actor to remove, named by a number so that `{photos@}` can carry it.
        let photo = 7000 + a as i64;
        let _: Value =
            json_of(app.put_photo(&counselor, visit, &photo.to_string(), tests::cases::png(4, 4)).await, "a photo")
                .await;
        photos.push(photo);
        visits.push(visit);
        let guardian = GuardianInput { name: format!("监护人 {a}"), relation: None, phone: None };
        let path = format!("/api/students/{}/guardians", class.students[2].id);
        guardians.push(id_at(app.post_json(&admin, &path, &guardian).await, "/id", "a guardian").await);
    }
    let visit = app.log_visit(&counselor, &full_visit(campaign, class.students[0].id, class.counselor.id)).await;
    let visit2 = app.log_visit(&counselor, &full_visit(campaign, class.students[0].id, class.counselor.id)).await;
    let service_staff = app.add_service_staff("xinli", Department::Counselling).await;
    let school_leader = app.add_account("xiaoling", Role::SchoolLeader, None).await;
    let student2: shared::org::StudentDetail =
        app.get_json(&admin, &format!("/api/students/{}", class.students[1].id)).await;
    let spare = app.add_account("spare", Role::Counselor, Some(college.id)).await;
    let second_factor = app.add_account("second.factor", Role::Counselor, Some(college.id)).await;
    app.enable_totp(second_factor.id, tests::totp::TOTP_SECRET).await;
    let pending = NewAccount {
        username: "pending".into(),
        display_name: "待激活".into(),
        role: Role::Counselor,
        college_id: Some(college.id),
        department: None,
        email: None,
    };
    let pending = id_at(app.post_json(&admin, "/api/users", &pending).await, "/user/id", "an account").await;
    let import = app.preview_roster(&admin, "roster.csv", tests::imports::sample("utf8")).await.import_id;

    for (name, id) in [
        ("college", college.id),
        ("class", i64::from(class.id)),
        ("counselor", i64::from(class.counselor.id)),
        ("advisor", i64::from(college.advisor.id)),
        ("student", i64::from(class.students[0].id)),
        ("student2", i64::from(class.students[1].id)),
        ("student3", i64::from(class.students[2].id)),
        ("guardian", i64::from(student2.guardians[0].id)),
        ("meeting", i64::from(meeting.id)),
        ("spare_meeting", i64::from(spare_meeting.id)),
        ("spare_link", links.families[1].id),
        ("concern", concern),
        ("campaign", campaign),
        ("visit", i64::from(visit.id)),
        ("follow_up", visit.follow_ups[0].id),
        ("follow_up2", visit2.follow_ups[0].id),
        ("spare", i64::from(spare.id)),
        ("second_factor", i64::from(second_factor.id)),
        ("pending", pending),
        ("import", import),
    ] {
        ids.insert(name, vec![id]);
    }
    // One per actor, for rows that change or delete what they name (`{draft@}` in a path).
    ids.insert("draft", drafts);
    ids.insert("team", teams);
    ids.insert("visits", visits.into_iter().map(i64::from).collect());
    ids.insert("guardians", guardians);
    ids.insert("photos", photos);
    let fixtures = Fixtures { ids };

    let cookies = [
        None,
        Some(parent),
        Some(other_parent),
        Some(staff_cookie(app, &college.advisor.username).await),
        Some(staff_cookie(app, &class.counselor.username).await),
        Some(staff_cookie(app, &other_class.counselor.username).await),
        Some(staff_cookie(app, &college.leader.username).await),
        Some(staff_cookie(app, &school.colleges[1].leader.username).await),
        Some(staff_cookie(app, &school.admin.username).await),
    ];
    let others = [staff_cookie(app, &service_staff.username).await, staff_cookie(app, &school_leader.username).await];
    (fixtures, cookies, others)
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_matrix_says() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let table = table();

    // The table covers the document exactly.
    let documented = documented(&app).await;
    let tabled: BTreeSet<(String, String)> =
        table.iter().map(|r| (r.method.to_string(), r.route.to_string())).collect();
    assert_eq!(tabled.len(), table.len(), "a route appears twice in the table");
    let missing: Vec<String> = documented.difference(&tabled).map(|(m, p)| format!("{m} {p}")).collect();
    let stale: Vec<String> = tabled.difference(&documented).map(|(m, p)| format!("{m} {p}")).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the role × route matrix (tests/tests/api/matrix.rs): {missing:#?}"
    );
    assert!(stale.is_empty(), "rows for routes no longer in the OpenAPI document: {stale:#?}");

    let (fixtures, cookies, [service_cookie, leader_cookie]) = fixtures(&app, &school).await;
    let client = Client::new();
    let mut wrong = Vec::new();
    let mut tried = 0;
    let stale: Vec<String> = SERVICE_STAFF
        .iter()
        .chain(SCHOOL_LEADER)
        .filter(|(m, r, _)| !documented.contains(&(m.to_string(), r.to_string())))
        .map(|(m, r, _)| format!("{m} {r}"))
        .collect();
    assert!(stale.is_empty(), "service staff or school leader rows for routes no longer documented: {stale:#?}");
    // The nine actors, then service staff and a school leader (the actor index 0's per-actor
    // fixtures: untouched, since anonymous is refused everything they name).
    let actors: Vec<(usize, Option<&String>)> = cookies
        .iter()
        .enumerate()
        .map(|(a, c)| (a, c.as_ref()))
        .chain([(0, Some(&service_cookie)), (0, Some(&leader_cookie))])
        .collect();
    for row in &table {
        let mut actual = [0u16; N + 2];
        for (i, (a, cookie)) in actors.iter().copied().enumerate() {
            let not_tried = if i == N { &NOT_TRIED_BY_SERVICE_STAFF[..] } else { &NOT_TRIED_BY_SCHOOL_LEADER[..] };
            if i >= N && not_tried.contains(&row.route) {
                continue;
            }
            let path = fixtures.path(row.path, a);
            let method = Method::from_bytes(row.method.as_bytes()).expect("a method");
            let mut request = client.request(method, app.url(&path));
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            request = match (row.body)(&fixtures, a) {
                Body::None => request,
                Body::Json(value) => request.json(&value),
                Body::Csv(bytes) => request.header("content-type", "text/csv").body(bytes),
                Body::Png(bytes) => request.header("content-type", "image/png").body(bytes),
            };
            let status = request.send().await.unwrap_or_else(|e| panic!("{} {path}: {e}", row.method)).status();
            tried += 1;
            actual[i] = if status.is_success() { OK } else { status.as_u16() };
            let (expected, actor) = match row.expect.get(i) {
                Some(expected) => (*expected, ACTORS[i]),
                None if i == N => (service_staff_expects(row.method, row.route), "service staff"),
                None => (school_leader_expects(row), "school leader"),
            };
            if actual[i] != expected || status == StatusCode::INTERNAL_SERVER_ERROR {
                wrong.push(format!("{} {} as {actor}: expected {expected}, got {status}", row.method, path));
            }
        }
        if std::env::var_os("MATRIX_PRINT").is_some() {
            println!("{:7} {:55} {:?}", row.method, row.route, actual);
        }
    }
    assert!(wrong.is_empty(), "{} of {tried} answers differ from the matrix:\n{}", wrong.len(), wrong.join("\n"));
    assert_eq!(tried, documented.len() * (N + 2) - NOT_TRIED_BY_SERVICE_STAFF.len() - NOT_TRIED_BY_SCHOOL_LEADER.len());
}
