//! Roster import helpers: the product owner's sample files (copied into `tests/fixtures`), an
//! xlsx version of a CSV roster, and the upload and confirm requests.

use reqwest::{Client, Response};
use shared::imports::{ImportPreview, ImportResult};

use crate::{json_of, workspace_dir, TestApp};

/// `utf8` or `gbk`: the bytes of `sample-roster-<encoding>.csv`.
pub fn sample(encoding: &str) -> Vec<u8> {
    let path = workspace_dir().join(format!("tests/fixtures/roster/sample-roster-{encoding}.csv"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

pub fn sample_text() -> String {
    String::from_utf8(sample("utf8")).expect("the UTF-8 sample")
}

/// The rows of a simple CSV text (no quoted commas) as an xlsx sheet, the way Excel stores a
/// roster typed into it: cells of digits only (student numbers, years, phones) as numbers.
pub fn xlsx_from_csv(csv: &str, sheet_name: &str) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name).expect("a sheet name");
    for (r, line) in csv.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c) = (r as u32, c as u16);
            if !cell.is_empty() && cell.len() <= 15 && cell.bytes().all(|b| b.is_ascii_digit()) {
                sheet.write_number(r, c, cell.parse::<f64>().expect("digits")).expect("a number cell");
            } else if !cell.is_empty() {
                sheet.write_string(r, c, cell).expect("a text cell");
            }
        }
    }
    workbook.save_to_buffer().expect("an xlsx file")
}

impl TestApp {
    /// `POST /api/imports/roster/preview?filename=…` with the file as the body.
    pub async fn upload_roster(&self, client: &Client, filename: &str, bytes: Vec<u8>) -> Response {
        let url = format!("{}?filename={}", self.url("/api/imports/roster/preview"), url_encode(filename));
        client.post(url).body(bytes).send().await.unwrap_or_else(|e| panic!("uploading {filename}: {e}"))
    }

    /// An upload that must succeed.
    pub async fn preview_roster(&self, client: &Client, filename: &str, bytes: Vec<u8>) -> ImportPreview {
        json_of(self.upload_roster(client, filename, bytes).await, &format!("previewing {filename}")).await
    }

    pub async fn commit(&self, client: &Client, import_id: i64) -> Response {
        self.post_json(client, &format!("/api/imports/{import_id}/commit"), &()).await
    }

    /// Preview and confirm.
    pub async fn import_roster(&self, client: &Client, filename: &str, bytes: Vec<u8>) -> ImportResult {
        let preview = self.preview_roster(client, filename, bytes).await;
        json_of(self.commit(client, preview.import_id).await, &format!("confirming {filename}")).await
    }

    /// A count from the test's own connection, e.g. `SELECT COUNT(*) FROM students`.
    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.db.read).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

fn url_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A roster of `n` new students in one class of its own: student numbers `{prefix}0000`,
/// `{prefix}0001`… (a six-digit prefix makes ten digits), each with one guardian. For load and
/// crash tests that need a large file.
pub fn generated_roster(prefix: &str, class: &str, n: usize) -> Vec<u8> {
    let mut csv = sample_text().lines().next().expect("the template's header").to_string();
    for i in 0..n {
        csv.push_str(&format!(
            "\n{prefix}{i:04},学生{prefix}{i:04},女,可靠性学院,软件工程,2030,{class},王晓燕,辽宁省,沈阳市,浑南区,\
             辽宁省沈阳市浑南区创新路{i}号,家长{prefix}{i:04},母亲,139{:08},",
            i % 100_000_000
        ));
    }
    csv.into_bytes()
}
