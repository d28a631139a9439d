//! Helpers for concerns into visits (issue 15): a meeting of a campaign where a family raised
//! concerns, and a visit that addresses them.

use reqwest::Client;
use shared::concerns::AddressedConcern;
use shared::meetings::{ConcernInput, FamilyPage, MeetingInput, Topic};
use shared::visits::NewVisit;
use shared::ConcernId;

use crate::meetings::meeting_input;
use crate::{json_of, School, TestApp};

pub const ACADEMIC: &str = "想了解转专业政策";
pub const SENSITIVE: &str = "孩子最近情绪低落，睡眠不好";
pub const REPLY: &str = "已介绍转专业流程，3 月可提交申请";

/// A family of the first class with a personal link to a meeting of the campaign.
pub struct MeetingFamily {
    pub meeting: shared::MeetingId,
    pub student: shared::StudentId,
    /// The family's personal link and a client that opened it.
    pub url: String,
    pub family: Client,
}

/// A family of the first class who raised concerns at a meeting of the campaign.
pub struct RaisedConcerns {
    pub meeting: shared::MeetingId,
    pub student: shared::StudentId,
    /// The family's personal link and a client that opened it.
    pub url: String,
    pub family: Client,
    /// An academic concern and a mental-health one (sensitive).
    pub academic: i64,
    pub sensitive: i64,
}

impl TestApp {
    /// The family gives its separate consent to concerns on sensitive topics (issue 19), as the
    /// parent's page does before sending one.
    pub async fn consent(&self, family: &Client) -> shared::privacy::PrivacyNotice {
        let body = shared::privacy::ConsentInput { notice_version: shared::privacy::NOTICE_VERSION };
        json_of(self.post_json(family, "/api/family/consent", &body).await, "the consent").await
    }

    /// A meeting of the first class in `campaign` (`None`: in no campaign) and the family of its
    /// first link, who opened it; no concern raised yet.
    pub async fn meeting_family(&self, school: &School, campaign: Option<i64>) -> MeetingFamily {
        let class = &school.colleges[0].classes[0];
        let staff = self.signed_in(&class.counselor).await;
        let input = MeetingInput { campaign_id: campaign.map(Into::into), ..meeting_input(class.id, 40, 2) };
        let meeting = self.create_meeting(&staff, &input).await;
        let links = self.issue_links(&staff, meeting.id).await;
        let link = &links.families[0];
        let url = link.url.clone().expect("a family link");
        let student: shared::StudentId = sqlx::query_scalar("SELECT student_id FROM guardians WHERE id = $1")
            .bind(link.guardian_id.expect("a family's link"))
            .fetch_one(&self.db.read)
            .await
            .expect("the link's student");
        let (family, _) = self.family(&url).await;
        MeetingFamily { meeting: meeting.id, student, url, family }
    }

    /// A meeting of the first class in `campaign` (`None`: in no campaign), where the family of
    /// its first link raised an academic concern and a mental-health one.
    pub async fn raise_concerns(&self, school: &School, campaign: Option<i64>) -> RaisedConcerns {
        let MeetingFamily { meeting, student, url, family } = self.meeting_family(school, campaign).await;
        let mut ids = Vec::new();
        self.consent(&family).await;
        for (topic, text) in [(Topic::Academic, ACADEMIC), (Topic::MentalHealth, SENSITIVE)] {
            let body = ConcernInput { topic, text: text.into() };
            let page: FamilyPage =
                json_of(self.post_json(&family, "/api/family/concerns", &body).await, "a concern").await;
            ids.push(page.concerns.last().expect("the concern").id);
        }
        RaisedConcerns { meeting, student, url, family, academic: ids[0], sensitive: ids[1] }
    }

    /// Another college's counselor, made leader of the campaign's team for the first college: they
    /// reach its students, but not their sensitive concerns. Their account and a signed-in client.
    pub async fn team_leader(&self, school: &School, campaign: i64) -> (crate::Account, Client) {
        let leader = school.colleges[1].classes[0].counselor.clone();
        let team = self.add_team(campaign, school.colleges[0].id, "第一小组", &[]).await;
        sqlx::query("UPDATE teams SET leader_id = $1 WHERE id = $2")
            .bind(leader.id)
            .bind(team)
            .execute(&self.db.write)
            .await
            .expect("making the team's leader");
        let client = self.signed_in(&leader).await;
        (leader, client)
    }

    /// The family's page as they see it.
    pub async fn family_page(&self, family: &Client) -> FamilyPage {
        self.get_json(family, "/api/family/me").await
    }
}

/// `visit`, addressing these concerns with these replies.
pub fn addressing(mut visit: NewVisit, concerns: &[(i64, &str)]) -> NewVisit {
    visit.addressed = concerns
        .iter()
        .map(|(id, reply)| AddressedConcern { concern_id: ConcernId(*id), reply: reply.to_string() })
        .collect();
    visit
}
