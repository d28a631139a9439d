//! What a roster row changes: the stored student with that number (loaded a chunk at a time)
//! merged with the row's values. A column the file lacks, and a value that could not be used,
//! leave what is stored.

use std::collections::HashMap;

use shared::imports::RowStatus;
use shared::{Gender, Hardship};
use sqlx::AnyConnection;

use super::fields::Field;
use super::roster::{Roster, RosterRow};
use crate::db::Sql;
use crate::org::{NewGuardian, NewStudent};

/// A stored student as the import compares it.
#[derive(Debug, Clone)]
pub struct Existing {
    pub id: i64,
    pub student: NewStudent,
    pub college: String,
    pub class: String,
    /// The first guardian, which the roster's guardian columns describe.
    pub guardian: Option<(i64, NewGuardian)>,
}

/// A stored student with their class, college and counselor (`STUDENT_COLUMNS`).
#[derive(sqlx::FromRow)]
pub struct StudentRow {
    pub id: i64,
    pub student_no: String,
    pub name: String,
    pub gender: Option<String>,
    pub class_id: i64,
    pub class_name: String,
    pub college_name: String,
    pub counselor_name: Option<String>,
    pub major: Option<String>,
    pub grade: Option<i64>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub address: Option<String>,
    pub hardship: Option<String>,
}

/// The columns of a `StudentRow`, over `students s`, `classes cl` and `colleges co`.
pub const STUDENT_COLUMNS: &str = "SELECT s.id, s.student_no, s.name, s.gender, s.class_id, cl.name AS class_name, \
     co.name AS college_name, (SELECT u.display_name FROM users u WHERE u.id = cl.counselor_id) AS counselor_name, \
     s.major, s.grade, s.province, s.city, s.district, s.address, s.hardship";

#[derive(sqlx::FromRow)]
pub struct GuardianRow {
    pub id: i64,
    pub student_id: i64,
    pub name: String,
    pub relation: Option<String>,
    pub phone: Option<String>,
}

/// Each student's first guardian, whom the roster's guardian columns describe.
pub async fn first_guardians(conn: &mut AnyConnection, student_ids: &[i64]) -> sqlx::Result<HashMap<i64, GuardianRow>> {
    let mut first = HashMap::new();
    if student_ids.is_empty() {
        return Ok(first);
    }
    let mut sql = Sql::new("SELECT id, student_id, name, relation, phone FROM guardians WHERE student_id IN (");
    for (i, id) in student_ids.iter().enumerate() {
        sql.push(if i == 0 { "" } else { ", " }).bind(*id);
    }
    sql.push(") ORDER BY student_id, position, id");
    for row in sql.query().fetch_all(&mut *conn).await? {
        let g: GuardianRow = sqlx::FromRow::from_row(&row)?;
        first.entry(g.student_id).or_insert(g);
    }
    Ok(first)
}

/// Stored codes, whichever spelling an older write used.
fn gender_code(g: Option<String>) -> Option<String> {
    g.map(|g| Gender::parse(&g).map(|g| g.code().to_string()).unwrap_or(g))
}

fn hardship_code(h: Option<String>) -> Option<String> {
    h.map(|h| Hardship::parse(&h).map(|h| h.code().to_string()).unwrap_or(h))
}

/// The stored students with these numbers, by number: two queries per chunk.
pub async fn load(conn: &mut AnyConnection, rows: &[RosterRow]) -> sqlx::Result<HashMap<String, Existing>> {
    let mut sql = Sql::new(STUDENT_COLUMNS);
    sql.push(
        " FROM students s JOIN classes cl ON cl.id = s.class_id JOIN colleges co ON co.id = cl.college_id \
         WHERE s.student_no IN (",
    );
    for (i, row) in rows.iter().enumerate() {
        sql.push(if i == 0 { "" } else { ", " }).bind(&*row.student_no);
    }
    sql.push(")");
    let students: Vec<StudentRow> =
        sql.query().fetch_all(&mut *conn).await?.iter().map(sqlx::FromRow::from_row).collect::<sqlx::Result<_>>()?;
    let ids: Vec<i64> = students.iter().map(|s| s.id).collect();
    let mut guardians = first_guardians(conn, &ids).await?;
    Ok(students
        .into_iter()
        .map(|s| {
            let existing = Existing {
                id: s.id,
                guardian: guardians
                    .remove(&s.id)
                    .map(|g| (g.id, NewGuardian { name: g.name, relation: g.relation, phone: g.phone })),
                college: s.college_name,
                class: s.class_name,
                student: NewStudent {
                    student_no: s.student_no.clone(),
                    name: s.name,
                    gender: gender_code(s.gender),
                    class_id: s.class_id,
                    major: s.major,
                    grade: s.grade,
                    province: s.province,
                    city: s.city,
                    district: s.district,
                    address: s.address,
                    hardship: hardship_code(s.hardship),
                },
            };
            (s.student_no, existing)
        })
        .collect())
}

/// What writing a row would do.
#[derive(Debug, Clone)]
pub struct Change {
    pub status: RowStatus,
    pub existing_id: Option<i64>,
    /// The student as it would be stored; `class_id` is the stored one (0 for a new student).
    pub student: NewStudent,
    /// Whether the student changes class.
    pub moved: bool,
    pub guardian: Option<NewGuardian>,
    pub guardian_id: Option<i64>,
    pub guardian_changed: bool,
}

pub fn merge(roster: &Roster, row: &RosterRow, existing: Option<&Existing>) -> Change {
    let uses = |field: Field| roster.has(field) && row.keep & field.bit() == 0;
    let pick = |field: Field, new: Option<String>, old: Option<&Option<String>>| -> Option<String> {
        if uses(field) {
            new
        } else {
            old.cloned().flatten()
        }
    };
    let old = existing.map(|e| &e.student);
    let s = &roster.strings;
    let student = NewStudent {
        student_no: row.student_no.to_string(),
        name: row.name.to_string(),
        gender: pick(Field::Gender, row.gender.map(|g| g.code().to_string()), old.map(|o| &o.gender)),
        class_id: old.map(|o| o.class_id).unwrap_or(0),
        major: pick(Field::Major, s.opt(row.major), old.map(|o| &o.major)),
        grade: if uses(Field::Grade) { row.grade.map(i64::from) } else { old.and_then(|o| o.grade) },
        province: pick(Field::Province, s.opt(row.province), old.map(|o| &o.province)),
        city: pick(Field::City, s.opt(row.city), old.map(|o| &o.city)),
        district: pick(Field::District, s.opt(row.district), old.map(|o| &o.district)),
        address: pick(Field::Address, row.address.as_deref().map(str::to_string), old.map(|o| &o.address)),
        hardship: pick(Field::Hardship, row.hardship.map(|h| h.code().to_string()), old.map(|o| &o.hardship)),
    };
    let old_guardian = existing.and_then(|e| e.guardian.as_ref());
    let old_g = old_guardian.map(|(_, g)| g);
    let relation = pick(Field::GuardianRelation, s.opt(row.guardian_relation), old_g.map(|g| &g.relation));
    let phone = pick(Field::GuardianPhone, row.guardian_phone.as_deref().map(str::to_string), old_g.map(|g| &g.phone));
    // A guardian always keeps a name: an empty cell does not erase it.
    let name = row.guardian_name.as_deref().map(str::to_string).or_else(|| old_g.map(|g| g.name.clone()));
    let guardian = (name.is_some() || relation.is_some() || phone.is_some()).then(|| NewGuardian {
        name: name.unwrap_or_default(),
        relation,
        phone,
    });
    let guardian_changed = guardian.as_ref() != old_g && guardian.is_some();
    let (college, class) = roster.class_names(row.class);
    let moved = existing.is_some_and(|e| e.college != college || e.class != class);
    let status = match (existing, old) {
        (None, _) => RowStatus::New,
        (Some(_), Some(o)) if !moved && !guardian_changed && *o == student => RowStatus::Unchanged,
        _ => RowStatus::Updated,
    };
    Change {
        status,
        existing_id: existing.map(|e| e.id),
        student,
        moved,
        guardian,
        guardian_id: old_guardian.map(|(id, _)| *id),
        guardian_changed,
    }
}
