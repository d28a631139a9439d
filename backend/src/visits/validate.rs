//! Reading a visit or plan from a request: normalised text, limits, field errors in both
//! languages. The normalised form is what is stored, so that a retry compares equal.

use chrono::NaiveDate;
use shared::concerns::{AddressedConcern, MAX_ADDRESSED, MAX_REPLY};
use shared::visits::{NewFollowUp, NewVisit, VisitRecord};
use shared::{Aspect, UserId};

use crate::db::Sql;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::AppState;

pub const MAX_TEXT: usize = 5000;
pub const MAX_GRANT_FEN: i64 = 10_000_000;
const MAX_SHORT_TEXT: usize = 500;
const MAX_FAMILY: usize = 12;
const MAX_FAMILY_CHARS: usize = 30;
const MAX_MEMBERS: usize = 30;
const MAX_FOLLOW_UPS: usize = 20;

/// The largest visit these limits let through, as the app's serde_json writes it (a control
/// character as `\u00XX`, six bytes; any other at most four): about 213 KB. The sync route's
/// body limit and the tablet's chunks are sized from it (`shared::sync`); the unit test below
/// builds that visit and measures it.
pub const MAX_VISIT_JSON_BYTES: usize = 224 * 1024;

#[derive(Debug, Default)]
pub struct Check(Vec<(String, Msg)>);

impl Check {
    pub fn fail(&mut self, field: &str, msg: Msg) {
        if !self.0.iter().any(|(f, _)| f == field) {
            self.0.push((field.to_string(), msg));
        }
    }

    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.0))
        }
    }

    /// Trimmed text of at most `max` characters (line breaks allowed).
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let text = value.trim().replace("\r\n", "\n");
        if text.chars().count() > max {
            self.fail(field, Msg::owned(format!("最多 {max} 个字符"), format!("At most {max} characters")));
        }
        text
    }

    pub fn date(&mut self, field: &str, value: &str) -> String {
        let value = shared::domain::normalize(value);
        let ok = NaiveDate::parse_from_str(&value, "%Y-%m-%d")
            .is_ok_and(|d| (2000..=2100).contains(&chrono::Datelike::year(&d)) && value.len() == 10);
        if !ok {
            self.fail(field, Msg::new("日期格式应为 YYYY-MM-DD", "Dates are written YYYY-MM-DD"));
        }
        value
    }

    pub fn time(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = shared::domain::normalize(value.unwrap_or(""));
        if value.is_empty() {
            return None;
        }
        if chrono::NaiveTime::parse_from_str(&value, "%H:%M").is_err() || value.len() != 5 {
            self.fail(field, Msg::new("时间格式应为 HH:MM", "Times are written HH:MM"));
        }
        Some(value)
    }
}

/// A device-made id: 8 to 64 letters, digits or hyphens (a UUID, or an import's digest).
pub fn client_id_ok(id: &str) -> bool {
    (8..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn sorted_unique(ids: &[UserId]) -> Vec<UserId> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The record as it will be stored; `sensitive_notes` stays `None` when absent.
pub fn record(check: &mut Check, r: &VisitRecord) -> VisitRecord {
    let mut aspects: Vec<Aspect> = Aspect::ALL.into_iter().filter(|a| r.aspects.contains(a)).collect();
    aspects.dedup();
    let family_present: Vec<String> =
        r.family_present.iter().map(|f| shared::domain::normalize(f)).filter(|f| !f.is_empty()).collect();
    if family_present.len() > MAX_FAMILY || family_present.iter().any(|f| f.chars().count() > MAX_FAMILY_CHARS) {
        check.fail(
            "family_present",
            Msg::new("家庭成员最多 12 项，每项不超过 30 字", "At most 12 family members of 30 characters each"),
        );
    }
    if r.member_ids.len() > MAX_MEMBERS {
        check.fail("member_ids", Msg::new("参与人员最多 30 人", "At most 30 team members"));
    }
    if r.duration_min.is_some_and(|d| !(1..=1440).contains(&d)) {
        check.fail("duration_min", Msg::new("时长应在 1 到 1440 分钟之间", "Duration is 1 to 1440 minutes"));
    }
    if r.grant_fen.is_some_and(|g| !(0..=MAX_GRANT_FEN).contains(&g)) {
        check.fail("grant_fen", Msg::new("慰问金应在 0 到 10 万元之间", "A grant is between 0 and 100,000 yuan"));
    }
    VisitRecord {
        date: check.date("date", &r.date),
        mode: r.mode,
        duration_min: r.duration_min,
        member_ids: sorted_unique(&r.member_ids),
        family_present,
        aspects,
        concerns: check.text("concerns", &r.concerns, MAX_TEXT),
        answers: check.text("answers", &r.answers, MAX_TEXT),
        notes: check.text("notes", &r.notes, MAX_TEXT),
        sensitive_notes: r.sensitive_notes.as_deref().map(|s| check.text("sensitive_notes", s, MAX_TEXT)),
        gifts: check.text("gifts", &r.gifts, MAX_SHORT_TEXT),
        grant_fen: r.grant_fen,
    }
}

/// What a follow-up is to do: required, at most 500 characters.
pub fn follow_up_what(check: &mut Check, field: &str, what: &str) -> String {
    let what = check.text(field, what, MAX_SHORT_TEXT);
    if what.is_empty() {
        check.fail(field, Msg::new("请填写要做的事", "Say what is to be done"));
    }
    what
}

fn follow_up(check: &mut Check, i: usize, f: &NewFollowUp) -> NewFollowUp {
    let what = follow_up_what(check, &format!("follow_ups.{i}.what"), &f.what);
    NewFollowUp { what, owner_id: f.owner_id, due_on: check.date(&format!("follow_ups.{i}.due_on"), &f.due_on) }
}

/// The concerns a visit addressed: each once (the first reply kept), at most 20, replies of at
/// most 200 characters. Whose concerns they are is checked later (`super::concerns::check`).
fn addressed(check: &mut Check, list: &[AddressedConcern]) -> Vec<AddressedConcern> {
    if list.len() > MAX_ADDRESSED {
        check.fail("addressed", Msg::new("一次家访最多回应 20 条关切", "A visit addresses at most 20 concerns"));
    }
    let mut out: Vec<AddressedConcern> = Vec::with_capacity(list.len());
    for (i, a) in list.iter().enumerate() {
        let reply = check.text(&format!("addressed.{i}.reply"), &a.reply, MAX_REPLY);
        if !out.iter().any(|o| o.concern_id == a.concern_id) {
            out.push(AddressedConcern { concern_id: a.concern_id, reply });
        }
    }
    out
}

/// A new visit, normalised; 422 with every problem found.
pub async fn new_visit(state: &AppState, v: &NewVisit) -> Result<NewVisit> {
    let mut check = Check::default();
    if !client_id_ok(&v.client_id) {
        check.fail("client_id", Msg::new("客户端编号无效", "Invalid client id"));
    }
    let mut record = record(&mut check, &v.record);
    record.sensitive_notes = Some(record.sensitive_notes.unwrap_or_default());
    if v.follow_ups.len() > MAX_FOLLOW_UPS {
        check.fail("follow_ups", Msg::new("后续事项最多 20 项", "At most 20 follow-ups"));
    }
    let follow_ups: Vec<NewFollowUp> =
        v.follow_ups.iter().enumerate().map(|(i, f)| follow_up(&mut check, i, f)).collect();
    let addressed = addressed(&mut check, &v.addressed);
    let mut people: Vec<UserId> = record.member_ids.clone();
    people.extend(follow_ups.iter().map(|f| f.owner_id));
    if !staff_exist(state, &people).await? {
        check.fail("member_ids", Msg::new("所选人员不存在或已停用", "A chosen person does not exist or is disabled"));
    }
    check.finish()?;
    Ok(NewVisit {
        client_id: v.client_id.clone(),
        campaign_id: v.campaign_id,
        student_id: v.student_id,
        plan_id: v.plan_id,
        record,
        follow_ups,
        addressed,
    })
}

/// Whether every id names an active staff account.
pub async fn staff_exist(state: &AppState, ids: &[UserId]) -> Result<bool> {
    let ids = sorted_unique(ids);
    if ids.is_empty() {
        return Ok(true);
    }
    let mut sql = Sql::new("SELECT COUNT(*) FROM users WHERE active = 1 AND id IN (");
    super::push_ids(&mut sql, &ids);
    sql.push(")");
    Ok(sql.fetch_scalar(&state.db.read).await? == ids.len() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::VisitMode;

    /// `n` characters that serde_json writes as six bytes each and that no limit trims away.
    fn widest(n: usize) -> String {
        "\u{1}".repeat(n)
    }

    /// The largest visit the limits above let through.
    fn largest_visit() -> NewVisit {
        let id = i64::MIN;
        NewVisit {
            client_id: "f".repeat(64),
            campaign_id: id.into(),
            student_id: id.into(),
            plan_id: Some(id),
            record: VisitRecord {
                date: "2024-01-20".into(),
                mode: VisitMode::ALL.iter().copied().max_by_key(|m| m.code().len()).unwrap(),
                duration_min: Some(1440),
                member_ids: (0..MAX_MEMBERS as i64).map(|i| UserId(i64::MIN + i)).collect(),
                family_present: vec![widest(MAX_FAMILY_CHARS); MAX_FAMILY],
                aspects: Aspect::ALL.to_vec(),
                concerns: widest(MAX_TEXT),
                answers: widest(MAX_TEXT),
                notes: widest(MAX_TEXT),
                sensitive_notes: Some(widest(MAX_TEXT)),
                gifts: widest(MAX_SHORT_TEXT),
                grant_fen: Some(MAX_GRANT_FEN),
            },
            follow_ups: vec![
                NewFollowUp {
                    what: widest(MAX_SHORT_TEXT),
                    owner_id: id.into(),
                    due_on: "2024-02-20".into()
                };
                MAX_FOLLOW_UPS
            ],
            addressed: (0..MAX_ADDRESSED as i64)
                .map(|i| AddressedConcern { concern_id: (i64::MIN + i).into(), reply: widest(MAX_REPLY) })
                .collect(),
        }
    }

    #[test]
    fn the_largest_visit_the_validator_accepts_fits_a_sync_chunk_and_the_sync_limit() {
        let visit = largest_visit();
        let mut check = Check::default();
        let record = record(&mut check, &visit.record);
        for (i, f) in visit.follow_ups.iter().enumerate() {
            follow_up(&mut check, i, f);
        }
        assert_eq!(addressed(&mut check, &visit.addressed), visit.addressed, "nothing trimmed");
        assert!(client_id_ok(&visit.client_id));
        assert!(check.finish().is_ok(), "the limits let it through");
        assert_eq!(record, visit.record, "nothing trimmed");

        let bytes = serde_json::to_string(&visit).unwrap().len();
        assert!(bytes <= MAX_VISIT_JSON_BYTES, "{bytes} bytes");
        assert!(bytes > MAX_VISIT_JSON_BYTES * 9 / 10, "the bound is tight: {bytes} bytes");
        // Alone, it is a request the tablet builds within its chunk size and the server takes.
        let request = shared::sync::request_bytes(&[bytes]);
        assert!(request <= shared::sync::CHUNK_BYTES, "{request}");
        assert!(crate::Config::new("sqlite::memory:").max_sync_body_bytes >= shared::sync::CHUNK_BYTES);
    }
}
