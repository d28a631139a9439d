//! The demo school's published sign-ins, one copy for the back end (which creates them), the
//! tests and `cargo xtask run` (which prints them). Demo data only: never for real data.

/// The password every demo account shares.
pub const DEMO_PASSWORD: &str = "demo-jiafang-2024";

/// Admins must use two-step verification, so the demo admin has it on with this published secret
/// (add it to an authenticator app, or `oathtool --totp -b` it).
pub const DEMO_TOTP_SECRET: &str = "JIAFANGDEMOADMINTOTPSECRETDEMOAA";

/// The sign-ins printed by `cargo xtask run`: username and what the account is.
pub const DEMO_SIGN_INS: &[(&str, &str)] = &[
    ("admin", "学工处管理员 / Student Affairs admin"),
    ("xiaoling01", "校领导 / School leader (led the winter campaign's teams)"),
    ("leader01", "学院领导 / College leader (计算机与通信工程学院)"),
    ("counselor01", "辅导员 / Counselor"),
    ("advisor001", "班主任 / Class advisor"),
    ("xinli01", "心理健康教育与咨询中心 / Counselling centre"),
    ("zizhu01", "资助管理中心 / Financial-aid centre"),
    ("jiuye01", "就业指导中心 / Career centre"),
];

/// The demo's service department staff: username, display name, department.
pub const DEMO_SERVICE_STAFF: &[(&str, &str, crate::Department)] = &[
    ("xinli01", "心理中心 李老师", crate::Department::Counselling),
    ("zizhu01", "资助中心 赵老师", crate::Department::FinancialAid),
    ("jiuye01", "就业中心 孙老师", crate::Department::Career),
];

/// The demo's school leaders (校领导): username, display name. They led the winter campaign's
/// teams and joined its visits in person, as in the school's own report.
pub const DEMO_SCHOOL_LEADERS: &[(&str, &str)] = &[("xiaoling01", "校领导 张书记"), ("xiaoling02", "校领导 刘校长")];
