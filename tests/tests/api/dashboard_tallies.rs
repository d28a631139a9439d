//! The dashboard's tallies against the raw rows: after a random-ish sequence of writes through
//! the real handlers (visits logged, synced, corrected and imported, follow-ups added later, closed, reopened and reassigned, homes
//! and phones changed, meetings created, held, answered and attended), the summary read from
//! the tallies equals the one computed from scratch by the original raw-row queries, for every
//! scope and organisational filter. (There is no way to delete a visit.)

use backend::auth::Scope;
use backend::dashboard::{summary_from, Source};
use shared::dashboard::SummaryQuery;
use shared::follow_ups::{FollowUpAssignment, FollowUpClose, FollowUpInput};
use shared::meetings::{Attendance, LinkInfo, Meeting};
use shared::visits::{FollowUpStatus, FollowUpUpdate, SyncRequest, Visit, VisitEdit};
use shared::{Aspect, Department, VisitMode};
use tests::imports::generated_roster;
use tests::meetings::meeting_input;
use tests::visits::{full_visit, setup};
use tests::{json_of, TestApp};

/// A small linear congruential generator: the same sequence on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

const CITIES: [(&str, Option<&str>); 5] = [
    ("沈阳市", Some("和平区")),
    ("大连市", Some("中山区")),
    ("大连市", Some("西岗区")),
    ("鞍山市", None),
    ("", Some("铁西区")),
];
const MODES: [VisitMode; 3] = [VisitMode::InPerson, VisitMode::Cloud, VisitMode::Phone];

async fn check(app: &TestApp, school: &tests::School, campaign: i64, step: usize) {
    let c1 = &school.colleges[0];
    let scopes = [
        Scope::All,
        Scope::College(c1.id),
        Scope::Counselor(c1.classes[0].counselor.id.get()),
        Scope::Advisor(c1.advisor.id.get()),
        Scope::Nothing,
    ];
    let queries = [
        SummaryQuery::default(),
        SummaryQuery { college_id: Some(school.colleges[1].id), ..SummaryQuery::default() },
        SummaryQuery { class_id: Some(c1.classes[1].id), ..SummaryQuery::default() },
        SummaryQuery { counselor_id: Some(c1.classes[0].counselor.id), ..SummaryQuery::default() },
    ];
    for scope in scopes {
        for query in &queries {
            let tallied = summary_from(&app.db, campaign.into(), query, scope, Source::Best).await.expect("tallied");
            let raw = summary_from(&app.db, campaign.into(), query, scope, Source::Raw).await.expect("raw");
            assert_eq!(
                serde_json::to_value(&tallied).unwrap(),
                serde_json::to_value(&raw).unwrap(),
                "step {step}, {scope:?}, {query:?}"
            );
        }
    }
}

#[tokio::test]
async fn tallies_equal_a_recount_after_every_kind_of_write() {
    let (app, school, campaign) = setup().await;
    let mut rng = Rng(20240226);
    let classes: Vec<_> = school.colleges.iter().flat_map(|c| c.classes.iter()).collect();
    let mut logged: Vec<(usize, Visit)> = Vec::new();
    let mut meetings: Vec<(usize, Meeting, Vec<LinkInfo>)> = Vec::new();
    let mut family_answers = 0;
    for step in 0..48 {
        if step == 20 {
            // New students from a roster: their classes' sizes, which the coverage counts on.
            let admin = app.signed_in(&school.admin).await;
            app.import_roster(&admin, "roster.csv", generated_roster("202499", "2099 级 1 班", 30)).await;
        }
        let k = rng.below(classes.len());
        let class = classes[k];
        let counselor = app.signed_in(&class.counselor).await;
        let student = &class.students[rng.below(class.students.len())];
        let date = format!("2024-01-{:02}", 15 + rng.below(14));
        let mut visit = full_visit(campaign, student.id, class.counselor.id);
        visit.record.date = date.clone();
        visit.record.mode = MODES[rng.below(3)];
        visit.record.aspects = vec![Aspect::ALL[rng.below(8)], Aspect::ALL[rng.below(8)]];
        visit.record.aspects.dedup();
        match step % 8 {
            0 | 1 => logged.push((k, app.log_visit(&counselor, &visit).await)),
            2 => {
                let mut other = full_visit(campaign, class.students[0].id, class.counselor.id);
                other.record.mode = MODES[rng.below(3)];
                let request = SyncRequest { visits: vec![visit.clone(), visit, other] };
                let response = app.post_json(&counselor, "/api/visits/sync", &request).await;
                assert!(response.status().is_success(), "sync: {}", response.status());
            }
            3 if !logged.is_empty() => {
                let (k, old) = logged.remove(rng.below(logged.len()));
                let author = app.signed_in(&classes[k].counselor).await;
                let mut record = old.record.clone();
                record.mode = MODES[rng.below(3)];
                record.date = date;
                record.aspects = vec![Aspect::ALL[rng.below(8)]];
                let edit = VisitEdit { base_revision: old.revision, record };
                let edited: Visit =
                    json_of(app.put_json(&author, &format!("/api/visits/{}", old.id), &edit).await, "edit").await;
                logged.push((k, edited));
            }
            4 => {
                let (city, district) = CITIES[rng.below(CITIES.len())];
                let phone = format!("1390000{:04}", rng.below(4));
                app.set_home(student.id, city, district, &phone).await;
            }
            5 => {
                let rows = [("上门", "学业帮扶"), ("cloud", "心理健康服务"), ("电话", "")];
                let (mode, aspect) = rows[rng.below(3)];
                let text =
                    format!("学号,日期,方式,走访人,涉及方面,备注\n{},{date},{mode},,{aspect},\n", student.student_no);
                let name = format!("step{step}.csv");
                let preview = app.preview_visit_import(&counselor, campaign, &name, text.into_bytes()).await;
                app.commit_visit_import(&counselor, preview.import_id).await;
            }
            6 => {
                let follow_up: Option<i64> = sqlx::query_scalar(
                    "SELECT f.id FROM follow_ups f JOIN visits v ON v.id = f.visit_id JOIN students s ON s.id = v.student_id \
                     WHERE s.class_id = $1 ORDER BY f.id LIMIT 1 OFFSET $2",
                )
                .bind(class.id)
                .bind(rng.below(3) as i64)
                .fetch_optional(&app.db.read)
                .await
                .expect("a follow-up");
                // Every write path of a follow-up: the quick toggle, closing with an outcome,
                // reopening, reassigning and adding one to a visit logged before.
                if let Some(id) = follow_up {
                    let status: String = sqlx::query_scalar("SELECT status FROM follow_ups WHERE id = $1")
                        .bind(id)
                        .fetch_one(&app.db.read)
                        .await
                        .expect("its status");
                    let response = match rng.below(4) {
                        0 => {
                            let status = if rng.below(2) == 0 { FollowUpStatus::Done } else { FollowUpStatus::Open };
                            app.post_json(&counselor, &format!("/api/follow-ups/{id}"), &FollowUpUpdate { status })
                                .await
                        }
                        1 if status == "done" => {
                            app.post_json(&counselor, &format!("/api/follow-ups/{id}/reopen"), &()).await
                        }
                        1 => {
                            let close = FollowUpClose { outcome: "已与家长沟通".into() };
                            app.post_json(&counselor, &format!("/api/follow-ups/{id}/close"), &close).await
                        }
                        2 => {
                            let assignment = FollowUpAssignment {
                                owner_id: class.counselor.id,
                                department: Some(Department::ALL[rng.below(3)]),
                                due_on: date.clone(),
                            };
                            app.put_json(&counselor, &format!("/api/follow-ups/{id}"), &assignment).await
                        }
                        _ => {
                            let visit_id: i64 = sqlx::query_scalar("SELECT visit_id FROM follow_ups WHERE id = $1")
                                .bind(id)
                                .fetch_one(&app.db.read)
                                .await
                                .expect("its visit");
                            let input = FollowUpInput {
                                what: "补充：联系资助中心".into(),
                                owner_id: class.counselor.id,
                                due_on: date.clone(),
                                department: Some(Department::FinancialAid),
                            };
                            app.post_json(&counselor, &format!("/api/visits/{visit_id}/follow-ups"), &input).await
                        }
                    };
                    assert!(response.status().is_success(), "follow-up: {}", response.status());
                }
            }
            _ => {
                let found = meetings.iter().position(|(m, _, _)| *m == k);
                let index = match found {
                    Some(index) => index,
                    None => {
                        let mut input = meeting_input(class.id, 40, 2);
                        input.campaign_id = Some(campaign.into());
                        let meeting = app.create_meeting(&counselor, &input).await;
                        let links = app.issue_links(&counselor, meeting.id).await.families;
                        meetings.push((k, meeting, links));
                        meetings.len() - 1
                    }
                };
                let meeting = meetings[index].1.id;
                // The family's own answer through the parent's page, changed and withdrawn as
                // parents do (the tallies change only when it starts or stops counting).
                let link = meetings[index].2.iter().find(|l| l.student_name.as_deref() == Some(&*student.name));
                if let Some(url) = link.and_then(|l| l.url.clone()) {
                    let (family, _) = app.family(&url).await;
                    family_answers += 1;
                    for _ in 0..1 + rng.below(3) {
                        let response = match rng.below(4) {
                            0 => app.send_json(&family, "DELETE", "/api/family/answer", &()).await,
                            n => {
                                app.answer(
                                    &family,
                                    [Attendance::InPerson, Attendance::Online, Attendance::Absent][n - 1],
                                    1,
                                )
                                .await
                            }
                        };
                        assert!(response.status().is_success(), "answer: {}", response.status());
                    }
                }
                let answer = ["in_person", "online", "absent"][rng.below(3)];
                let present = [None, Some(true), Some(false)][rng.below(3)];
                let answered: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM meeting_answers WHERE meeting_id = $1 AND student_id = $2",
                )
                .bind(meeting)
                .bind(student.id)
                .fetch_one(&app.db.read)
                .await
                .expect("answers");
                if answered == 0 {
                    app.add_answer(meeting, student.id, answer, None).await;
                }
                if let Some(present) = present {
                    let body = serde_json::json!({ "student_id": student.id, "present": present });
                    let response =
                        app.post_json(&counselor, &format!("/api/meetings/{meeting}/attendance"), &body).await;
                    assert!(response.status().is_success(), "attendance: {}", response.status());
                }
                if rng.below(2) == 0 {
                    let response = app.post_json(&counselor, &format!("/api/meetings/{meeting}/held"), &()).await;
                    assert!(response.status().is_success(), "held: {}", response.status());
                }
            }
        }
        if step % 6 == 5 {
            check(&app, &school, campaign, step).await;
        }
    }
    check(&app, &school, campaign, 48).await;
    assert!(family_answers > 2, "families answered through their page {family_answers} times");

    // And the back-fill (the migration's) gives the same tallies as the running ones.
    let before =
        summary_from(&app.db, campaign.into(), &SummaryQuery::default(), Scope::All, Source::Best).await.unwrap();
    let mut conn = app.db.write.acquire().await.expect("a connection");
    backend::dashboard::tally::rebuild(&mut conn).await.expect("rebuilding");
    drop(conn);
    let after =
        summary_from(&app.db, campaign.into(), &SummaryQuery::default(), Scope::All, Source::Best).await.unwrap();
    assert_eq!(serde_json::to_value(&before).unwrap(), serde_json::to_value(&after).unwrap());
    assert!(before.figures.students_reached > 3, "the sequence reached students: {:?}", before.figures);
}
