//! The register of columns in `docs/privacy.md` (issue 19 item 5) kept true by a test: every
//! column the migrations create is listed there, under a kind of personal information or as
//! not personal, so that a new column holding personal information cannot appear unrecorded.

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    /// `table.column` of every column the migrations create or add, comments left out.
    fn migrated_columns(sql: &str) -> BTreeSet<String> {
        let sql: String = sql.lines().map(|l| l.split("--").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
        let mut columns = BTreeSet::new();
        let mut rest = sql.as_str();
        while let Some(at) = rest.find("CREATE TABLE ") {
            rest = &rest[at + "CREATE TABLE ".len()..];
            let open = rest.find('(').expect("a column list");
            let table = rest[..open].trim().trim_start_matches("IF NOT EXISTS ").trim().to_string();
            // The list ends at the parenthesis closing the opening one; commas inside a type's
            // parentheses (`NUMERIC(10, 2)`) or a constraint's do not split it.
            let body = &rest[open + 1..];
            let mut depth = 1;
            let mut part = String::new();
            let mut parts = Vec::new();
            let mut end = body.len();
            for (i, ch) in body.char_indices() {
                match ch {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    ',' if depth == 1 => {
                        parts.push(std::mem::take(&mut part));
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    end = i;
                    break;
                }
                part.push(ch);
            }
            parts.push(part);
            rest = &body[end..];
            for p in parts {
                let first = p.split_whitespace().next().unwrap_or("").to_string();
                let keyword = ["PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "CONSTRAINT", ""];
                if !keyword.contains(&first.to_uppercase().as_str()) {
                    columns.insert(format!("{table}.{first}"));
                }
            }
        }
        for line in sql.split(';') {
            let words: Vec<&str> = line.split_whitespace().collect();
            if let ["ALTER", "TABLE", table, "ADD", "COLUMN", column, ..] = words.as_slice() {
                columns.insert(format!("{table}.{column}"));
            }
        }
        columns
    }

    /// Every `` `table.column` `` named in the register (after its heading).
    fn registered(doc: &str) -> BTreeSet<String> {
        let register = doc.split("## Register of columns").nth(1).expect("the register's heading");
        register
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|name| name.contains('.') && !name.contains(' ') && !name.contains('/'))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn every_migrated_column_is_in_the_privacy_register() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<_> = std::fs::read_dir(root.join("migrations"))
            .expect("the migrations")
            .map(|e| e.expect("a migration").path())
            .filter(|p| p.extension().is_some_and(|e| e == "sql"))
            .collect();
        files.sort();
        let sql: String = files.iter().map(|p| std::fs::read_to_string(p).expect("a migration") + "\n").collect();
        let columns = migrated_columns(&sql);
        assert!(columns.contains("students.address") && columns.contains("sensitive_consents.withdrawn_at"));
        let doc = std::fs::read_to_string(root.join("../docs/privacy.md")).expect("docs/privacy.md");
        let listed = registered(&doc);
        let missing: Vec<_> = columns.difference(&listed).collect();
        assert!(missing.is_empty(), "columns with no entry in docs/privacy.md's register: {missing:?}");
        let gone: Vec<_> = listed.difference(&columns).collect();
        assert!(gone.is_empty(), "docs/privacy.md lists columns no migration creates: {gone:?}");
    }

    #[test]
    fn the_parser_reads_nested_parentheses_and_added_columns() {
        let sql = "CREATE TABLE t (\n id {{ID}}, -- a, comment\n n NUMERIC(10, 2) NOT NULL,\n UNIQUE (id, n)\n);\n\
                   ALTER TABLE t ADD COLUMN extra TEXT;";
        let got: Vec<String> = migrated_columns(sql).into_iter().collect();
        assert_eq!(got, ["t.extra", "t.id", "t.n"]);
    }
}
