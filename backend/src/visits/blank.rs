//! Blanking a visit's notes in its record and every revision: the retention run
//! (`crate::retention`) and a family's erasure (`crate::privacy::rights`). A write to `visits`,
//! a counted table, so it is listed among the stores the tally test allows.

use shared::VisitId;
use sqlx::AnyConnection;

/// What `blank_notes` empties in a visit's record and in every revision of it (the retention
/// run, a family's erasure). The date, mode, aspects, grant and gifts stay: the dashboard's
/// tallies and the report read those, so none of them moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blank {
    /// What the family raised and answered, the notes, who of the family was present.
    pub notes: bool,
    pub sensitive: bool,
}

/// `record` (a `VisitRecord`'s JSON, as stored or as a revision) with the parts `blank` names
/// emptied, or `None` when none of them held anything. Read as JSON rather than as the struct,
/// so an old revision's shape is blanked as it is.
pub fn blanked(record: &str, blank: Blank) -> Option<String> {
    let mut value: serde_json::Value = serde_json::from_str(record).ok()?;
    let map = value.as_object_mut()?;
    let mut changed = false;
    let mut empty = |key: &str, to: serde_json::Value| {
        if let Some(v) = map.get_mut(key) {
            let holds = match v {
                serde_json::Value::String(s) => !s.is_empty(),
                serde_json::Value::Array(a) => !a.is_empty(),
                _ => false,
            };
            if holds {
                *v = to;
                changed = true;
            }
        }
    };
    if blank.notes {
        for key in ["concerns", "answers", "notes"] {
            empty(key, serde_json::Value::from(""));
        }
        empty("family_present", serde_json::Value::Array(Vec::new()));
    }
    if blank.sensitive {
        empty("sensitive_notes", serde_json::Value::from(""));
    }
    changed.then(|| value.to_string())
}

/// The visits among `ids` whose record or a revision still holds what `blank` names.
pub async fn holding(conn: &mut AnyConnection, ids: &[VisitId], blank: Blank) -> sqlx::Result<Vec<VisitId>> {
    let mut found = Vec::new();
    for id in ids {
        let texts: Vec<String> = sqlx::query_scalar(
            "SELECT record FROM visits WHERE id = $1 UNION ALL SELECT after_json FROM visit_revisions WHERE visit_id = $1 \
             UNION ALL SELECT before_json FROM visit_revisions WHERE visit_id = $1 AND before_json IS NOT NULL",
        )
        .bind(*id)
        .fetch_all(&mut *conn)
        .await?;
        if texts.iter().any(|t| blanked(t, blank).is_some()) {
            found.push(*id);
        }
    }
    Ok(found)
}

/// Empties what `blank` names in these visits' records and all their revisions, in the caller's
/// transaction; how many visits held some. No tally reads what changes (see `Blank`).
pub async fn blank_notes(conn: &mut AnyConnection, ids: &[VisitId], blank: Blank) -> sqlx::Result<u64> {
    let mut changed = 0;
    for id in holding(conn, ids, blank).await? {
        // A new revision: a correction based on the record as it was (a form left open, an
        // outbox's edit) is then refused as stale instead of writing the notes back. Only if
        // the record is still the one read, so a correction committed meanwhile is not lost.
        loop {
            let (record, revision): (String, i64) = sqlx::query_as("SELECT record, revision FROM visits WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
            let Some(text) = blanked(&record, blank) else { break };
            let done =
                sqlx::query("UPDATE visits SET record = $1, revision = revision + 1 WHERE id = $2 AND revision = $3")
                    .bind(text)
                    .bind(id)
                    .bind(revision)
                    .execute(&mut *conn)
                    .await?;
            if done.rows_affected() == 1 {
                break;
            }
        }
        let revisions: Vec<(i64, Option<String>, String)> =
            sqlx::query_as("SELECT id, before_json, after_json FROM visit_revisions WHERE visit_id = $1")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
        for (rev, before, after) in revisions {
            let before = before.map(|b| blanked(&b, blank).unwrap_or(b));
            let after = blanked(&after, blank).unwrap_or(after);
            sqlx::query("UPDATE visit_revisions SET before_json = $1, after_json = $2 WHERE id = $3")
                .bind(before)
                .bind(after)
                .bind(rev)
                .execute(&mut *conn)
                .await?;
        }
        changed += 1;
    }
    Ok(changed)
}

/// Empties the text of the follow-ups agreed on these visits (a family's erasure): what was
/// agreed and what came of it. Their status, owner and dates stay, which the tallies count.
pub async fn blank_follow_ups(conn: &mut AnyConnection, ids: &[VisitId]) -> sqlx::Result<u64> {
    let mut changed = 0;
    for id in ids {
        changed += sqlx::query(
            "UPDATE follow_ups SET what = '', outcome = CASE WHEN outcome IS NULL THEN NULL ELSE '' END \
             WHERE visit_id = $1",
        )
        .bind(*id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(changed)
}
