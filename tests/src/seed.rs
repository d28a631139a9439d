//! Seeding through the back end's own store functions: the same inserts the command line and
//! imports use, on the real database.

use std::sync::OnceLock;

use backend::org::{self, NewClass, NewGuardian, NewStudent, NewUser};
use shared::{ClassId, Role, StudentId, UserId};

use crate::TestApp;

/// Every seeded account's password.
pub const PASSWORD: &str = "correct horse battery 42";
/// Every seeded student's home address, hardship level and guardian phone: the sensitive fields.
pub const ADDRESS: &str = "四川省成都市武侯区幸福路 8 号";
pub const HARDSHIP: shared::Hardship = shared::Hardship::Hardship;
pub const GUARDIAN_PHONE: &str = "13912345678";
pub const CITY: &str = "成都";

/// argon2 is slow on purpose: one hash serves every account of the run.
fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| backend::auth::password::hash(PASSWORD).expect("hashing the test password")).clone()
}

#[derive(Debug, Clone)]
pub struct Account {
    pub id: UserId,
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone)]
pub struct StudentFixture {
    pub id: StudentId,
    pub student_no: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct ClassFixture {
    pub id: ClassId,
    pub name: String,
    pub counselor: Account,
    pub students: Vec<StudentFixture>,
}

#[derive(Debug, Clone)]
pub struct CollegeFixture {
    pub id: i64,
    pub name: String,
    pub leader: Account,
    /// Each class has a counselor of its own; the first also has `advisor`.
    pub classes: [ClassFixture; 2],
    pub advisor: Account,
}

/// Two colleges, each with a leader, two classes with a counselor each, an advisor of the
/// first class and three students per class; and an admin. Every surname is used once, so a
/// search by surname finds exactly one student.
#[derive(Debug, Clone)]
pub struct School {
    pub admin: Account,
    pub colleges: [CollegeFixture; 2],
}

impl School {
    pub fn students(&self) -> impl Iterator<Item = &StudentFixture> {
        self.colleges.iter().flat_map(|c| c.classes.iter()).flat_map(|cl| cl.students.iter())
    }
}

const STUDENT_NAMES: [[[&str; 3]; 2]; 2] =
    [[["张伟", "王芳", "李娜"], ["刘洋", "陈静", "杨磊"]], [["赵敏", "黄强", "周杰"], ["吴霞", "徐涛", "孙丽"]]];
const COLLEGE_NAMES: [&str; 2] = ["文学院", "理学院"];

impl TestApp {
    pub async fn add_college(&self, name: &str) -> i64 {
        let mut conn = self.db.write.acquire().await.expect("a database connection");
        org::ensure_college(&mut conn, name).await.expect("inserting a college")
    }

    pub async fn add_class(
        &self,
        college_id: i64,
        name: &str,
        counselor_id: Option<i64>,
        advisor_id: Option<i64>,
    ) -> i64 {
        let class = NewClass { college_id, name: name.to_string(), counselor_id, advisor_id, ..Default::default() };
        let mut conn = self.db.write.acquire().await.expect("a database connection");
        org::ensure_class(&mut conn, &class).await.expect("inserting a class")
    }

    /// An active account with the shared test password, whose display name is its username.
    /// Admins must use two-step verification: theirs is on, with `totp::TOTP_SECRET`.
    pub async fn add_user(&self, username: &str, role: Role, college_id: Option<i64>) -> (i64, String) {
        let hash = tokio::task::spawn_blocking(password_hash).await.expect("hashing");
        let user = NewUser {
            username: username.to_string(),
            display_name: username.to_string(),
            role,
            college_id,
            password_hash: Some(hash),
            active: true,
        };
        let mut conn = self.db.write.acquire().await.expect("a database connection");
        let id = org::create_user(&mut conn, &user).await.expect("inserting a user");
        drop(conn);
        if role == Role::Admin {
            self.enable_totp(id, crate::totp::TOTP_SECRET).await;
        }
        (id, PASSWORD.to_string())
    }

    pub async fn add_account(&self, username: &str, role: Role, college_id: Option<i64>) -> Account {
        let (id, password) = self.add_user(username, role, college_id).await;
        Account { id: id.into(), username: username.to_string(), password }
    }

    /// A student in `CITY` with `ADDRESS`, `HARDSHIP` and one guardian (a father) on
    /// `GUARDIAN_PHONE`.
    pub async fn add_student(&self, class_id: i64, student_no: &str, name: &str) -> i64 {
        let student = NewStudent {
            student_no: student_no.to_string(),
            name: name.to_string(),
            class_id,
            city: Some(CITY.to_string()),
            address: Some(ADDRESS.to_string()),
            hardship: Some(HARDSHIP.code().to_string()),
            ..Default::default()
        };
        let guardian = NewGuardian {
            name: format!("{name}的父亲"),
            relation: Some("父亲".to_string()),
            phone: Some(GUARDIAN_PHONE.to_string()),
        };
        let mut conn = self.db.write.acquire().await.expect("a database connection");
        org::insert_student(&mut conn, &student, &[guardian]).await.expect("inserting a student")
    }

    /// Usernames: `admin`, `leader1`, `counselor1a`, `counselor1b`, `advisor1`, then the same
    /// with 2. Student numbers: `2023` + college + class + seat, such as `2023010203`.
    pub async fn seed_school(&self) -> School {
        let admin = self.add_account("admin", Role::Admin, None).await;
        let mut colleges = Vec::new();
        for (c, college_name) in COLLEGE_NAMES.iter().enumerate() {
            let n = c + 1;
            let college_id = self.add_college(college_name).await;
            let leader = self.add_account(&format!("leader{n}"), Role::CollegeLeader, Some(college_id)).await;
            let advisor = self.add_account(&format!("advisor{n}"), Role::ClassAdvisor, Some(college_id)).await;
            let mut classes = Vec::new();
            for (k, letter) in ["a", "b"].into_iter().enumerate() {
                let counselor =
                    self.add_account(&format!("counselor{n}{letter}"), Role::Counselor, Some(college_id)).await;
                let name = format!("{college_name} 2023 级 {} 班", k + 1);
                let class_advisor = (k == 0).then_some(advisor.id.get());
                let class_id = self.add_class(college_id, &name, Some(counselor.id.get()), class_advisor).await;
                let mut students = Vec::new();
                for (seat, student_name) in STUDENT_NAMES[c][k].iter().enumerate() {
                    let student_no = format!("2023{n:02}{:02}{:02}", k + 1, seat + 1);
                    let id = self.add_student(class_id, &student_no, student_name).await;
                    students.push(StudentFixture { id: id.into(), student_no, name: student_name.to_string() });
                }
                classes.push(ClassFixture { id: class_id.into(), name, counselor, students });
            }
            let classes = classes.try_into().expect("two classes");
            colleges.push(CollegeFixture { id: college_id, name: college_name.to_string(), leader, classes, advisor });
        }
        School { admin, colleges: colleges.try_into().expect("two colleges") }
    }
}
