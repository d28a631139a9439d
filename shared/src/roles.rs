use serde::{Deserialize, Serialize};

use crate::Lang;

/// What a staff account may do. Parents have no account: they hold a family session instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Student Affairs Office (学工处): runs campaigns school-wide.
    Admin,
    /// College leader (学院领导): sees and manages one college.
    CollegeLeader,
    /// Counselor (辅导员): looks after the students of several classes.
    Counselor,
    /// Class advisor (班主任): a teacher responsible for one class.
    ClassAdvisor,
    /// Staff of a school service department (counselling, financial aid, career): sees and
    /// closes only the follow-ups referred to their department, and nothing else.
    ServiceStaff,
    /// School leader (校领导): belongs to no college, leads or joins any college's visit team and
    /// takes part in its visits; reaches students only through the teams they lead.
    SchoolLeader,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::SchoolLeader, Role::Admin, Role::CollegeLeader, Role::Counselor, Role::ClassAdvisor, Role::ServiceStaff];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::CollegeLeader => "college_leader",
            Role::Counselor => "counselor",
            Role::ClassAdvisor => "class_advisor",
            Role::ServiceStaff => "service_staff",
            Role::SchoolLeader => "school_leader",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Admin => lang.pick("学工处管理员", "Student Affairs admin"),
            Role::CollegeLeader => lang.pick("学院领导", "College leader"),
            Role::Counselor => lang.pick("辅导员", "Counselor"),
            Role::ClassAdvisor => lang.pick("班主任", "Class advisor"),
            Role::ServiceStaff => lang.pick("服务部门人员", "Service department staff"),
            Role::SchoolLeader => lang.pick("校领导", "School leader"),
        }
    }

    /// Roles bound to one college must name it.
    pub fn needs_college(self) -> bool {
        matches!(self, Role::CollegeLeader)
    }

    /// Whether an account of this role is saved with a college (required or optional).
    pub fn needs_college_choice(self) -> bool {
        !matches!(self, Role::Admin | Role::ServiceStaff | Role::SchoolLeader)
    }

    /// Staff who may join any college's visit team: the Student Affairs Office and school leaders.
    pub fn school_wide(self) -> bool {
        matches!(self, Role::Admin | Role::SchoolLeader)
    }

    /// Service staff belong to one department (and to no college).
    pub fn needs_department(self) -> bool {
        matches!(self, Role::ServiceStaff)
    }
}
