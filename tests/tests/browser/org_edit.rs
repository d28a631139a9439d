//! Issue 3's editing pages in a real browser at 1280×800: a counselor edits their student and
//! the guardians (a wrong phone is explained under the field), a college leader makes a visit
//! team, and an admin assigns a class advisor.

use tests::browser::Browser;

use crate::admin::set_value;
use crate::signin::ready;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counselor_edits_a_student_and_the_guardians() {
    let Some((app, school)) = ready().await else { return };
    let class = &school.colleges[0].classes[0];
    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;
    browser.goto(&app.url(&format!("/students/{}", class.students[0].id))).await;
    browser.click("[data-testid=student-edit]").await;
    browser.fill("[data-testid=student-address]", "大连市甘井子区凌工路 2 号").await;
    browser.click("[data-testid=student-save]").await;
    browser.wait_for_text(".facts", "大连市甘井子区凌工路 2 号").await;

    browser.click("[data-testid=student-edit]").await;
    let new = "[data-testid=guardian-new]";
    browser.fill(&format!("{new} [data-testid=guardian-name]"), "王母").await;
    browser.fill(&format!("{new} [data-testid=guardian-phone]"), "024-1234567").await;
    browser.click(&format!("{new} [data-testid=guardian-save]")).await;
    browser.wait_for_text(&format!("{new} [data-testid=error-phone]"), "请输入 11 位手机号码").await;
    browser.fill(&format!("{new} [data-testid=guardian-phone]"), "139 1234 5679").await;
    browser.click(&format!("{new} [data-testid=guardian-save]")).await;
    browser.wait_for_text("[data-testid=guardians]", "13912345679").await;
    assert!(!browser.scrolls_sideways().await);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_college_leader_makes_a_visit_team() {
    let Some((app, school)) = ready().await else { return };
    let admin = app.signed_in(&school.admin).await;
    let campaign = app.create_campaign(&admin, "2024年寒假家访").await;
    let college = &school.colleges[0];
    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &college.leader.username, &college.leader.password).await;
    browser.goto(&app.url(&format!("/campaigns/{}", campaign.id))).await;
    browser.wait_for_text("[data-testid=no-teams]", "").await;
    browser.click("[data-testid=team-new]").await;
    browser.fill("[data-testid=team-name]", "第一小组").await;
    let leader = &college.classes[0].counselor;
    browser.wait_for_text("[data-testid=team-leader]", &leader.username).await;
    set_value(&browser, "[data-testid=team-leader]", &leader.id.to_string()).await;
    browser.click("[data-testid=team-form] input[type=checkbox]").await;
    browser.click("[data-testid=team-save]").await;
    let team = browser.wait_for_text("[data-testid=teams]", "第一小组").await;
    assert!(team.contains(&leader.username) && team.contains(&college.name), "{team}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_assigns_a_class_advisor() {
    let Some((app, school)) = ready().await else { return };
    let college = &school.colleges[0];
    let class = &college.classes[1];
    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    browser.goto(&app.url(&format!("/classes/{}", class.id))).await;
    browser.click("[data-testid=class-staff-edit]").await;
    browser.wait_for_text("[data-testid=class-advisor]", &college.advisor.username).await;
    set_value(&browser, "[data-testid=class-advisor]", &college.advisor.id.to_string()).await;
    browser.click("[data-testid=class-staff-save]").await;
    browser.wait_for_text(".facts", &college.advisor.username).await;
    browser.close().await;
}

/// Issue 17, item 6: a school leader (of no college) is offered for a college's team and led
/// it; after a visit they joined, the report names them among the staff who took part.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_school_leader_leads_a_colleges_team_and_the_report_counts_them() {
    let Some((app, school)) = ready().await else { return };
    let admin = app.signed_in(&school.admin).await;
    let campaign = app.create_campaign(&admin, "2024年寒假家访").await;
    let college = &school.colleges[0];
    let school_leader = app.add_account("xiaoling", shared::Role::SchoolLeader, None).await;
    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &college.leader.username, &college.leader.password).await;
    browser.goto(&app.url(&format!("/campaigns/{}", campaign.id))).await;
    browser.click("[data-testid=team-new]").await;
    browser.fill("[data-testid=team-name]", "校领导带队小组").await;
    let offered = browser.wait_for_text("[data-testid=team-leader]", "xiaoling").await;
    assert!(offered.contains("校领导"), "the leader picker says who is a school leader: {offered}");
    set_value(&browser, "[data-testid=team-leader]", &school_leader.id.to_string()).await;
    browser.click("[data-testid=team-save]").await;
    let team = browser.wait_for_text("[data-testid=teams]", "校领导带队小组").await;
    assert!(team.contains("xiaoling"), "{team}");

    // The counselor's visit names the school leader; the leader, signed in, reads the report.
    let class = &college.classes[0];
    let mut visit = tests::visits::full_visit(campaign.id, class.students[0].id, class.counselor.id);
    visit.record.member_ids = vec![school_leader.id];
    app.log_visit(&app.signed_in(&class.counselor).await, &visit).await;
    browser.sign_out().await;
    browser.sign_in(&app.address, &school_leader.username, &school_leader.password).await;
    browser.goto(&app.url(&format!("/campaigns/{}/report", campaign.id))).await;
    browser.wait_for_text("[data-testid=report-sentence]", "本次家访共覆盖学生1人").await;
    let line = browser.wait_for_text("[data-testid=report-participants]", "校领导1人（参与家访1次）").await;
    assert!(line.contains("辅导员1人"), "{line}");
    browser.close().await;
}
