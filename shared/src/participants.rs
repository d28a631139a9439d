//! Who took part in a campaign's visits, by role: the report counts school leaders and the
//! Student Affairs Office beside the colleges' own staff, as the school's summary does.

use serde::{Deserialize, Serialize};

use crate::Role;

/// The staff of one role who authored or joined the campaign's visits (within the caller's scope).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleParticipation {
    pub role: Role,
    /// Different people of this role.
    pub people: i64,
    /// Visits with at least one of them.
    pub visits: i64,
}

/// The report's sentence, in `Role::ALL`'s order (school leaders first), e.g.
/// "参与家访的工作人员：校领导2人（参与家访5次）、学工处1人（参与家访3次）、辅导员40人（参与家访812次）。"; empty when nobody took part.
pub fn participants_sentence(rows: &[RoleParticipation]) -> String {
    let parts: Vec<String> = Role::ALL
        .iter()
        .filter_map(|role| rows.iter().find(|r| r.role == *role && r.people > 0))
        .map(|r| format!("{}{}人（参与家访{}次）", short_label(r.role), r.people, r.visits))
        .collect();
    if parts.is_empty() {
        return String::new();
    }
    format!("参与家访的工作人员：{}。", parts.join("、"))
}

/// The names a school report uses for each group of staff.
fn short_label(role: Role) -> &'static str {
    match role {
        Role::Admin => "学工处",
        Role::SchoolLeader => "校领导",
        Role::CollegeLeader => "学院领导",
        Role::Counselor => "辅导员",
        Role::ClassAdvisor => "班主任",
        Role::ServiceStaff => "服务部门",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_wide_staff_come_first_and_empty_roles_are_left_out() {
        let rows = vec![
            RoleParticipation { role: Role::Counselor, people: 40, visits: 812 },
            RoleParticipation { role: Role::SchoolLeader, people: 2, visits: 5 },
            RoleParticipation { role: Role::ClassAdvisor, people: 0, visits: 0 },
            RoleParticipation { role: Role::Admin, people: 1, visits: 3 },
        ];
        assert_eq!(
            participants_sentence(&rows),
            "参与家访的工作人员：校领导2人（参与家访5次）、学工处1人（参与家访3次）、辅导员40人（参与家访812次）。"
        );
        assert_eq!(participants_sentence(&[]), "");
    }
}
