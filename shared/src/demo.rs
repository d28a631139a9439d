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
    ("leader01", "学院领导 / College leader (计算机与通信工程学院)"),
    ("counselor01", "辅导员 / Counselor"),
    ("advisor001", "班主任 / Class advisor"),
];
