//! Checks of the front end's API seam (`frontend/src/api/`), run natively with the workspace's
//! tests (the front end's own crate is built for the browser and not tested here).

#[cfg(test)]
#[allow(dead_code)]
#[path = "../../frontend/src/api/family/names.rs"]
mod names;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    use shared::family::{
        AnswerInput, ClassLinkInfo, ConcernInput, EnterRequest, FamilyAnswer, FamilyConcern, FamilyPage, FeedbackInput,
        IdentifyRequest,
    };
    use shared::meetings::{AnswerStatus, Attendance, Topic};
    use shared::ApiError;

    use super::names;

    fn frontend_src() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../frontend/src")
    }

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// Pages call `crate::api`'s functions: no `"/api/…"` path is written outside
    /// `frontend/src/api/`, so a route is changed in one place.
    #[test]
    fn api_paths_only_in_the_seam() {
        let src = frontend_src();
        let seam = src.join("api");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        assert!(files.len() > 20, "the front end's sources were not found in {}", src.display());
        let mut found = Vec::new();
        for file in files.iter().filter(|f| !f.starts_with(&seam)) {
            let text = std::fs::read_to_string(file).unwrap();
            for (n, line) in text.lines().enumerate() {
                if line.contains("\"/api/") {
                    found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
        assert!(found.is_empty(), "API paths outside frontend/src/api/ (add a function there):\n{}", found.join("\n"));
    }

    fn keys<T: serde::Serialize>(value: &T) -> BTreeSet<String> {
        match serde_json::to_value(value).unwrap() {
            serde_json::Value::Object(map) => map.keys().cloned().collect(),
            other => panic!("not an object: {other}"),
        }
    }

    fn names(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    /// The parent's page decodes `shared::family` without serde, by the names in
    /// `frontend/src/api/family/names.rs`: they must be exactly serde's.
    #[test]
    fn family_names_match_shared() {
        let answer = FamilyAnswer {
            answer: Attendance::InPerson,
            status: AnswerStatus::Waitlisted,
            people: 2,
            waitlist_position: Some(1),
            queue_seq: 3,
        };
        let concern =
            FamilyConcern { id: 1, topic: Topic::Academic, text: "t".into(), addressed: true, reply: Some("r".into()) };
        let feedback = FeedbackInput { rating: 5, suggestions: "s".into() };
        let page = FamilyPage {
            student_name: "a".into(),
            class_name: "b".into(),
            guardian_name: "c".into(),
            theme: "d".into(),
            description: "e".into(),
            starts_at: 1,
            ends_at: 2,
            place: Some("p".into()),
            has_online: true,
            online_url: Some("u".into()),
            per_family: 1,
            signup_deadline: 1,
            can_change: true,
            held: false,
            answer: Some(answer.clone()),
            concerns: vec![concern.clone()],
            feedback: Some(feedback.clone()),
            can_give_feedback: true,
            messages_off: true,
        };
        assert_eq!(keys(&page), names(names::family_page::ALL), "FamilyPage");
        let consent = shared::privacy::SensitiveConsent { given_at: 1, notice_version: 1 };
        assert_eq!(keys(&consent), names(names::sensitive_consent::ALL), "SensitiveConsent");
        let notice = shared::privacy::PrivacyNotice {
            notice_version: 1,
            school_name: "s".into(),
            contact: "c".into(),
            consent: Some(consent),
        };
        assert_eq!(keys(&notice), names(names::privacy_notice::ALL), "PrivacyNotice");
        let input = shared::privacy::ConsentInput { notice_version: 1 };
        assert_eq!(keys(&input), names(names::consent_input::ALL), "ConsentInput");
        assert_eq!(keys(&answer), names(names::family_answer::ALL), "FamilyAnswer");
        assert_eq!(keys(&concern), names(names::family_concern::ALL), "FamilyConcern");
        assert_eq!(keys(&feedback), names(names::feedback_input::ALL), "FeedbackInput");
        let info = ClassLinkInfo { class_name: "c".into(), theme: "t".into() };
        assert_eq!(keys(&info), names(names::class_link_info::ALL), "ClassLinkInfo");
        assert_eq!(keys(&EnterRequest { token: "t".into() }), names(names::enter_request::ALL), "EnterRequest");
        let identify = IdentifyRequest {
            token: "t".into(),
            student_no: "1".into(),
            student_name: "李明".into(),
            last_four: "1234".into(),
        };
        assert_eq!(keys(&identify), names(names::identify_request::ALL), "IdentifyRequest");
        let input = AnswerInput { answer: Attendance::Online, people: 1 };
        assert_eq!(keys(&input), names(names::answer_input::ALL), "AnswerInput");
        let concern_input = ConcernInput { topic: Topic::Major, text: "t".into() };
        assert_eq!(keys(&concern_input), names(names::concern_input::ALL), "ConcernInput");
        // The code, the message and, when fields are named, their messages are read from an error.
        let mut error = ApiError::new("validation", "m");
        assert!(names(names::api_error::ALL).is_subset(&keys(&error)), "ApiError");
        error.fields.insert("topic".into(), "f".into());
        assert!(keys(&error).contains(names::api_error::FIELDS), "ApiError's fields");
    }

    /// `family.html`'s start-up script sends the personal link's exchange itself, to the same path.
    #[test]
    fn family_html_enters_by_the_seam_path() {
        let html = std::fs::read_to_string(frontend_src().join("../family.html")).unwrap();
        assert!(
            html.contains(&format!("fetch(\"{}\"", names::path::ENTER)),
            "family.html does not fetch {}",
            names::path::ENTER
        );
        // Its early view of the meeting's details reads these fields of the answer (`m.…`).
        use names::family_page::{CLASS_NAME, ENDS_AT, PLACE, STARTS_AT, THEME};
        for field in [CLASS_NAME, THEME, STARTS_AT, ENDS_AT, PLACE] {
            assert!(html.contains(&format!("m.{field}")), "family.html's early details do not read {field}");
        }
    }
}
