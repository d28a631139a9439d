//! Staff notices that follow what happens (issue 16, item 3): a new concern on a sensitive topic
//! to the class's counselor, a follow-up referred to a service department to that department's
//! staff, and once a week to each owner of overdue follow-ups how many there are. Each kind may
//! be switched off per campaign (`switches`).
//!
//! A notice says that there is something to look at and where, never the thing itself: an
//! e-mail names the student to a recipient who may read that student's record in the app, but
//! no concern's text or topic (mental health or family finances: sensitive, and e-mail passes
//! through other servers) and no follow-up's text. The post to the staff's WeCom group, which
//! the whole group reads, names no student at all.

use shared::messages::MessageSwitch;
use shared::{Department, Lang};

use super::staff::{self, Notice};
use super::{switches, Channels};
use crate::db::Db;
use crate::error::Result;
use crate::AppState;

/// Where a notice points: `path` under the site's public address, if one is configured.
fn link(public_url: Option<&str>, path: &str) -> String {
    public_url.map(|u| format!(" {}{path}", u.trim_end_matches('/'))).unwrap_or_default()
}

#[derive(sqlx::FromRow)]
struct ConcernFacts {
    campaign_id: Option<i64>,
    counselor_id: Option<i64>,
    counselor_name: Option<String>,
    counselor_lang: Option<String>,
    class_name: String,
    student_name: String,
}

/// A family sent a concern on mental health or family finances for `meeting_id`: the class's
/// counselor is told there is one to read (under the family's consent, in the app).
pub async fn sensitive_concern(state: &AppState, meeting_id: i64, student_id: i64) -> Result<()> {
    let facts: Option<ConcernFacts> = sqlx::query_as(
        "SELECT m.campaign_id, cl.counselor_id, u.display_name AS counselor_name, u.lang AS counselor_lang, \
                cl.name AS class_name, s.name AS student_name \
         FROM meetings m JOIN classes cl ON cl.id = m.class_id JOIN students s ON s.id = $2 \
         LEFT JOIN users u ON u.id = cl.counselor_id AND u.active = 1 WHERE m.id = $1",
    )
    .bind(meeting_id)
    .bind(student_id)
    .fetch_optional(&state.db.read)
    .await?;
    let Some(f) = facts else { return Ok(()) };
    let (Some(counselor), Some(name)) = (f.counselor_id, f.counselor_name) else { return Ok(()) };
    if !switches::campaign_sends(&state.db, f.campaign_id, MessageSwitch::SensitiveConcern).await? {
        return Ok(());
    }
    let lang = Lang::from_code(f.counselor_lang.as_deref().unwrap_or("zh"));
    let link = link(state.config.channels.public_url.as_deref(), &format!("/meetings/{meeting_id}"));
    let (class, student) = (&f.class_name, &f.student_name);
    let subject = match lang {
        Lang::Zh => format!("家访：{class} {student} 的家长提出了敏感话题的新问题"),
        Lang::En => format!("Jiafang: a new concern on a sensitive topic for {student} ({class})"),
    };
    let text = match lang {
        Lang::Zh => format!(
            "{name}老师您好：{class} {student} 的家长在家长会页面提出了一个敏感话题的新问题。\
             内容不在本通知中，请登录家访查看：{link}"
        ),
        Lang::En => format!(
            "Dear {name}, the family of {student} ({class}) sent a new concern on a sensitive topic \
             before the parents' meeting. It is not in this notice: open Jiafang to read it:{link}"
        ),
    };
    let group = format!("【家访】{name}老师：有一条家长提出的新问题待您查看，请登录家访。");
    let notice = Notice {
        user_id: Some(counselor),
        meeting_id: Some(meeting_id),
        kind: MessageSwitch::SensitiveConcern.code(),
        subject: &subject,
        text: &text,
        group_text: Some(&group),
    };
    staff::queue(&state.db, &state.channels, &notice).await
}

#[derive(sqlx::FromRow)]
struct ReferralFacts {
    campaign_id: i64,
    student_name: String,
    class_name: String,
    due_on: String,
}

#[derive(sqlx::FromRow)]
struct Recipient {
    id: i64,
    display_name: String,
    lang: Option<String>,
}

/// A follow-up was referred to `department`: each of its active staff is told (e-mail), and the
/// staff's WeCom group that the department has a new referral.
pub async fn referral(state: &AppState, follow_up_id: i64, department: Department) -> Result<()> {
    let facts: Option<ReferralFacts> = sqlx::query_as(
        "SELECT v.campaign_id, s.name AS student_name, cl.name AS class_name, f.due_on \
         FROM follow_ups f JOIN visits v ON v.id = f.visit_id JOIN students s ON s.id = v.student_id \
         JOIN classes cl ON cl.id = s.class_id WHERE f.id = $1",
    )
    .bind(follow_up_id)
    .fetch_optional(&state.db.read)
    .await?;
    let Some(f) = facts else { return Ok(()) };
    if !switches::campaign_sends(&state.db, Some(f.campaign_id), MessageSwitch::Referral).await? {
        return Ok(());
    }
    let staff_of: Vec<Recipient> = sqlx::query_as(
        "SELECT id, display_name, lang FROM users WHERE role = 'service_staff' AND department = $1 AND active = 1 \
         ORDER BY id",
    )
    .bind(department.code())
    .fetch_all(&state.db.read)
    .await?;
    let link = link(state.config.channels.public_url.as_deref(), "/referrals");
    for (i, r) in staff_of.iter().enumerate() {
        let lang = Lang::from_code(r.lang.as_deref().unwrap_or("zh"));
        let (name, student, class, due) = (&r.display_name, &f.student_name, &f.class_name, &f.due_on);
        let dept = department.label(lang);
        let subject = match lang {
            Lang::Zh => format!("家访：转介到{dept}的新事项（{student}）"),
            Lang::En => format!("Jiafang: a new referral to the {dept} ({student})"),
        };
        let text = match lang {
            Lang::Zh => format!(
                "{name}老师您好：有一条跟进事项转介到{dept}：{class} {student}，截止 {due}。请登录家访查看：{link}"
            ),
            Lang::En => format!(
                "Dear {name}, a follow-up was referred to the {dept}: {student} ({class}), due {due}. \
                 Open Jiafang to see it:{link}"
            ),
        };
        // One post to the group for the referral, not one per member of the department.
        let group = format!("【家访】有一条跟进事项转介到{}，请该部门老师登录家访查看。", department.label(Lang::Zh));
        let notice = Notice {
            user_id: Some(r.id),
            meeting_id: None,
            kind: MessageSwitch::Referral.code(),
            subject: &subject,
            text: &text,
            group_text: (i == 0).then_some(group.as_str()),
        };
        staff::queue(&state.db, &state.channels, &notice).await?;
    }
    Ok(())
}

/// The ISO week (`2026-W49`) of a `YYYY-MM-DD` date.
fn iso_week(date: &str) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").map(|d| d.format("%G-W%V").to_string()).unwrap_or_default()
}

/// Once the local hour `at` is `hour` or later: every owner of open follow-ups past their due
/// date (in campaigns that send this kind) who was not told this week is told now, how many,
/// whichever instance gets there first (`overdue_notice_weeks`' key decides); how many owners.
pub async fn overdue_weekly(
    db: &Db,
    channels: &Channels,
    public_url: Option<&str>,
    hour: u32,
    at: i64,
) -> Result<usize> {
    const UTC_OFFSET: i64 = 8 * 3600;
    if (at + UTC_OFFSET).rem_euclid(86_400) / 3600 < i64::from(hour) {
        return Ok(0);
    }
    let today = chrono::DateTime::from_timestamp(at + UTC_OFFSET, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let week = iso_week(&today);
    let owners: Vec<(i64, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT f.owner_id, u.display_name, u.lang, CAST(COUNT(*) AS BIGINT) FROM follow_ups f \
         JOIN visits v ON v.id = f.visit_id JOIN users u ON u.id = f.owner_id \
         WHERE f.status = 'open' AND f.due_on < $1 AND u.active = 1 \
           AND NOT EXISTS (SELECT 1 FROM campaign_messages_off o WHERE o.campaign_id = v.campaign_id \
                           AND o.kind = 'overdue') \
           AND NOT EXISTS (SELECT 1 FROM overdue_notice_weeks w WHERE w.user_id = f.owner_id AND w.week = $2) \
         GROUP BY f.owner_id, u.display_name, u.lang ORDER BY f.owner_id",
    )
    .bind(today.clone())
    .bind(week.clone())
    .fetch_all(&db.read)
    .await?;
    let link = link(public_url, "/follow-ups/due");
    let mut told = 0;
    for (owner, name, lang, count) in owners {
        let mine = sqlx::query(
            "INSERT INTO overdue_notice_weeks (user_id, week, queued_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, week) DO NOTHING",
        )
        .bind(owner)
        .bind(week.clone())
        .bind(at)
        .execute(&db.write)
        .await?
        .rows_affected()
            == 1;
        if !mine {
            continue;
        }
        let lang = Lang::from_code(lang.as_deref().unwrap_or("zh"));
        let subject = match lang {
            Lang::Zh => format!("家访：您有 {count} 条跟进事项已逾期"),
            Lang::En => format!("Jiafang: {count} of your follow-ups are overdue"),
        };
        let text = match lang {
            Lang::Zh => format!("{name}老师您好：您负责的 {count} 条跟进事项已过截止日期，请登录家访处理：{link}"),
            Lang::En => format!("Dear {name}, {count} follow-ups you own are past their due date. Open Jiafang:{link}"),
        };
        let group = format!("【家访】{name}老师：您有 {count} 条跟进事项已逾期，请登录家访处理。");
        let notice = Notice {
            user_id: Some(owner),
            meeting_id: None,
            kind: MessageSwitch::Overdue.code(),
            subject: &subject,
            text: &text,
            group_text: Some(&group),
        };
        staff::queue(db, channels, &notice).await?;
        told += 1;
    }
    Ok(told)
}

#[cfg(test)]
mod tests {
    #[test]
    fn weeks_are_iso_weeks() {
        assert_eq!(super::iso_week("2026-12-03"), "2026-W49");
        // 2027-01-01 is a Friday: still the last week of 2026.
        assert_eq!(super::iso_week("2027-01-01"), "2026-W53");
    }

    #[test]
    fn a_link_only_with_a_public_address() {
        assert_eq!(super::link(Some("https://x.edu.cn/"), "/referrals"), " https://x.edu.cn/referrals");
        assert_eq!(super::link(None, "/referrals"), "");
    }
}
