//! The organisation: colleges, classes, students and their guardians, staff pickers and visit
//! teams. Here the writes shared by the command line, the demo data, imports and tests; the
//! readers and hand edits the API calls are in the submodules.

pub mod classes;
pub mod colleges;
pub mod edit;
pub mod guardians;
pub mod history;
pub mod staff;
pub mod student_export;
pub mod students;
pub mod teams;

use shared::{ClassId, GuardianId, Role, StudentId, UserId};
use sqlx::AnyConnection;

use crate::dashboard::tally;
use crate::db::now;

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub college_id: Option<i64>,
    /// An argon2id hash; `None` leaves the account waiting for activation.
    pub password_hash: Option<String>,
    pub active: bool,
}

pub async fn create_user(conn: &mut AnyConnection, user: &NewUser) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO users (username, display_name, role, college_id, password_hash, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(user.username.trim().to_lowercase())
    .bind(user.display_name.clone())
    .bind(user.role.code())
    .bind(user.college_id)
    .bind(user.password_hash.clone())
    .bind(i64::from(user.active))
    .bind(now())
    .fetch_one(conn)
    .await
}

/// Puts a staff account in a service department (service staff), or in none.
pub async fn set_department(
    conn: &mut AnyConnection,
    user_id: UserId,
    department: Option<shared::Department>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET department = $1 WHERE id = $2")
        .bind(department.map(|d| d.code().to_string()))
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The college's id, creating it if new.
pub async fn ensure_college(conn: &mut AnyConnection, name: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO colleges (name, created_at) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
    )
    .bind(name.to_string())
    .bind(now())
    .fetch_one(conn)
    .await
}

#[derive(Debug, Clone, Default)]
pub struct NewClass {
    pub college_id: i64,
    pub name: String,
    pub major: Option<String>,
    pub grade: Option<i64>,
    pub counselor_id: Option<i64>,
    pub advisor_id: Option<i64>,
}

/// The class's id within its college, creating it if new.
pub async fn ensure_class(conn: &mut AnyConnection, class: &NewClass) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO classes (college_id, name, major, grade, counselor_id, advisor_id) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (college_id, name) DO UPDATE SET name = excluded.name RETURNING id",
    )
    .bind(class.college_id)
    .bind(class.name.clone())
    .bind(class.major.clone())
    .bind(class.grade)
    .bind(class.counselor_id)
    .bind(class.advisor_id)
    .fetch_one(conn)
    .await
}

pub async fn set_class_staff(
    conn: &mut AnyConnection,
    class_id: ClassId,
    counselor_id: Option<UserId>,
    advisor_id: Option<UserId>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE classes SET counselor_id = $1, advisor_id = $2 WHERE id = $3")
        .bind(counselor_id)
        .bind(advisor_id)
        .bind(class_id)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewStudent {
    pub student_no: String,
    pub name: String,
    pub gender: Option<String>,
    pub class_id: i64,
    pub major: Option<String>,
    pub grade: Option<i64>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub address: Option<String>,
    pub hardship: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewGuardian {
    pub name: String,
    pub relation: Option<String>,
    pub phone: Option<String>,
}

/// Inserts a student with guardians; returns the student's id.
pub async fn insert_student(
    conn: &mut AnyConnection,
    student: &NewStudent,
    guardians: &[NewGuardian],
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO students (student_no, name, gender, class_id, major, grade, province, city, district, address, \
         hardship, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(student.student_no.clone())
    .bind(student.name.clone())
    .bind(student.gender.clone())
    .bind(student.class_id)
    .bind(student.major.clone())
    .bind(student.grade)
    .bind(student.province.clone())
    .bind(student.city.clone())
    .bind(student.district.clone())
    .bind(student.address.clone())
    .bind(student.hardship.clone())
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    for (position, g) in guardians.iter().enumerate() {
        sqlx::query("INSERT INTO guardians (student_id, position, name, relation, phone) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(position as i64)
            .bind(g.name.clone())
            .bind(g.relation.clone())
            .bind(g.phone.clone())
            .execute(&mut *conn)
            .await?;
    }
    tally::student(conn, id, 1).await?;
    Ok(id)
}

/// Inserts many students at once (multi-row `INSERT`s), each with at most one guardian.
pub async fn insert_students(
    conn: &mut AnyConnection,
    students: &[(NewStudent, Option<NewGuardian>)],
) -> sqlx::Result<()> {
    use std::collections::HashMap;
    // 12 parameters a student. Few rows a statement: SQLite looks up each `$n` placeholder's
    // number by a linear walk of the statement's names, so binding one statement costs the
    // square of its placeholders (large statements cost a large import most of its time there).
    for chunk in students.chunks(40) {
        let mut sql = crate::db::Sql::new(
            "INSERT INTO students (student_no, name, gender, class_id, major, grade, province, city, district, \
             address, hardship, updated_at) VALUES ",
        );
        let at = now();
        for (i, (s, _)) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" }).bind(s.student_no.clone());
            sql.push(", ").bind(s.name.clone()).push(", ").bind(s.gender.clone()).push(", ").bind(s.class_id);
            sql.push(", ").bind(s.major.clone()).push(", ").bind(s.grade).push(", ").bind(s.province.clone());
            sql.push(", ").bind(s.city.clone()).push(", ").bind(s.district.clone());
            sql.push(", ").bind(s.address.clone()).push(", ").bind(s.hardship.clone()).push(", ").bind(at);
            sql.push(")");
        }
        sql.push(" RETURNING id, student_no");
        let ids: HashMap<String, i64> = sql
            .query()
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| Ok((sqlx::Row::try_get(r, 1)?, sqlx::Row::try_get(r, 0)?)))
            .collect::<sqlx::Result<_>>()?;
        let guardians: Vec<(i64, &NewGuardian)> =
            chunk.iter().filter_map(|(s, g)| Some((*ids.get(&s.student_no)?, g.as_ref()?))).collect();
        let new: Vec<i64> = ids.values().copied().collect();
        tally::new_students(conn, &new).await?;
        if guardians.is_empty() {
            continue;
        }
        let mut sql =
            crate::db::Sql::new("INSERT INTO guardians (student_id, position, name, relation, phone) VALUES ");
        for (i, (id, g)) in guardians.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" }).bind(*id).push(", 0, ").bind(g.name.clone());
            sql.push(", ").bind(g.relation.clone()).push(", ").bind(g.phone.clone()).push(")");
        }
        sql.query().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Rewrites a student's own fields (the student number stays).
pub async fn update_student(conn: &mut AnyConnection, id: StudentId, s: &NewStudent) -> sqlx::Result<()> {
    tally::student(conn, id.get(), -1).await?;
    sqlx::query(
        "UPDATE students SET name = $1, gender = $2, class_id = $3, major = $4, grade = $5, province = $6, \
         city = $7, district = $8, address = $9, hardship = $10, updated_at = $11 WHERE id = $12",
    )
    .bind(s.name.clone())
    .bind(s.gender.clone())
    .bind(s.class_id)
    .bind(s.major.clone())
    .bind(s.grade)
    .bind(s.province.clone())
    .bind(s.city.clone())
    .bind(s.district.clone())
    .bind(s.address.clone())
    .bind(s.hardship.clone())
    .bind(now())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    tally::student(conn, id.get(), 1).await
}

/// Rewrites a guardian, or gives a student without guardians their first.
pub async fn save_guardian(
    conn: &mut AnyConnection,
    student_id: i64,
    guardian_id: Option<i64>,
    g: &NewGuardian,
) -> sqlx::Result<()> {
    let sql = match guardian_id {
        Some(_) => "UPDATE guardians SET name = $1, relation = $2, phone = $3 WHERE id = $4",
        None => "INSERT INTO guardians (name, relation, phone, student_id, position) VALUES ($1, $2, $3, $4, 0)",
    };
    tally::student(conn, student_id, -1).await?;
    sqlx::query(sql)
        .bind(g.name.clone())
        .bind(g.relation.clone())
        .bind(g.phone.clone())
        .bind(guardian_id.unwrap_or(student_id))
        .execute(&mut *conn)
        .await?;
    tally::student(conn, student_id, 1).await
}

/// Adds a guardian after the student's others (a new phone can change the student's household
/// on the dashboard: the tallies move with it); returns its id.
pub async fn add_guardian(
    conn: &mut AnyConnection,
    student_id: StudentId,
    g: &NewGuardian,
) -> sqlx::Result<GuardianId> {
    tally::student(conn, student_id.get(), -1).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO guardians (student_id, position, name, relation, phone) \
         SELECT $1, COALESCE(MAX(position) + 1, 0), $2, $3, $4 FROM guardians WHERE student_id = $1 RETURNING id",
    )
    .bind(student_id)
    .bind(g.name.clone())
    .bind(g.relation.clone())
    .bind(g.phone.clone())
    .fetch_one(&mut *conn)
    .await?;
    tally::student(conn, student_id.get(), 1).await?;
    Ok(GuardianId(id))
}

/// Removes one of the student's guardians, with the tallies.
pub async fn delete_guardian(
    conn: &mut AnyConnection,
    student_id: StudentId,
    guardian_id: GuardianId,
) -> sqlx::Result<()> {
    tally::student(conn, student_id.get(), -1).await?;
    sqlx::query("DELETE FROM guardians WHERE id = $1").bind(guardian_id).execute(&mut *conn).await?;
    tally::student(conn, student_id.get(), 1).await
}

/// Opts the guardians on `mobile` out of messages (a reply "TD", `notify::opt_out`); how many
/// were not yet. No tally counts opting out.
pub async fn opt_out_guardians(conn: &mut AnyConnection, mobile: &str) -> sqlx::Result<u64> {
    let done = sqlx::query("UPDATE guardians SET opted_out_at = $1 WHERE phone = $2 AND opted_out_at IS NULL")
        .bind(now())
        .bind(mobile)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// Opts a guardian out of messages (`out`) or back in, from their page — with the guardians on the
/// same phone, as a reply "TD" does: the phone is the person who receives the texts.
pub async fn set_guardian_opted_out(conn: &mut AnyConnection, guardian_id: i64, out: bool) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE guardians SET opted_out_at = $1 WHERE id = $2 \
         OR phone = (SELECT g.phone FROM guardians g WHERE g.id = $2 AND g.phone <> '')",
    )
    .bind(out.then(now))
    .bind(guardian_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Makes a counselor responsible for a class (its class advisor stays).
pub async fn set_class_counselor(conn: &mut AnyConnection, class_id: i64, counselor_id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE classes SET counselor_id = $1 WHERE id = $2")
        .bind(counselor_id)
        .bind(class_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The student number an erased student keeps (unique, and how an erased student is known).
pub fn erased_student_no(id: StudentId) -> String {
    format!("ERASED{id}")
}

/// Erases a student's and their guardians' identifying data (a family's request, PIPL art. 47),
/// keeping the rows the figures count: the class, grade, major, home region and hardship level
/// stay (the dashboard's coverage and the report read them), the name becomes `ERASED_NAME`, the
/// number `ERASED{id}`, gender and street address go; guardians keep their rows (answers and
/// feedback point at them) without name, relation or phone. With the tallies, in `conn`'s
/// transaction: a household counted by a phone is counted by the student from now on.
pub async fn erase_student(conn: &mut AnyConnection, id: StudentId) -> sqlx::Result<()> {
    // The households the student was counted under (a phone, an address) stay behind as tally
    // keys at zero: removed below, so the erased phone is nowhere.
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT phone FROM guardians WHERE student_id = $1 AND phone IS NOT NULL \
         UNION SELECT 'a:' || address FROM students WHERE id = $1 AND address IS NOT NULL",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    tally::student(conn, id.get(), -1).await?;
    sqlx::query(
        "UPDATE students SET student_no = $1, name = $2, gender = NULL, address = NULL, updated_at = $3 WHERE id = $4",
    )
    .bind(erased_student_no(id))
    .bind(shared::retention::ERASED_NAME)
    .bind(now())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE guardians SET name = $1, relation = NULL, phone = NULL WHERE student_id = $2")
        .bind(shared::retention::ERASED_NAME)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    tally::student(conn, id.get(), 1).await?;
    for key in keys {
        sqlx::query("DELETE FROM dash_households WHERE household = $1 AND students = 0")
            .bind(key)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
