//! Exports: the cells of each state, the multiple choice both ways, the files' safety.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::*;
use crate::envelope::OfficeKey;
use crate::records::add::add_files;
use crate::records::fixture::{current, form, older, PRIVATE};

/// A dataset with a current record, an older one, and one with "doesn't know" and blanks.
fn dataset(dir: &std::path::Path) -> Dataset {
    let mut unknown = current("c");
    unknown["answers"]["consent"] = json!("dk");
    unknown["answers"]["owes_debt"] = Value::Null;
    unknown["answers"]["help"] = Value::Null;
    unknown["answers"]["work_kind"] = json!("@SUM(A1)");
    unknown["not_asked"] = json!(["/owes_debt"]);
    let files: Vec<PathBuf> = [("a.json", current("a")), ("b.json", older("b")), ("c.json", unknown)]
        .into_iter()
        .map(|(name, r)| {
            let p = dir.join(name);
            std::fs::write(&p, r.to_string()).unwrap();
            p
        })
        .collect();
    let path = dir.join("office.sqlite");
    let report = add_files(&path, &files, Some(&OfficeKey::from_pem(PRIVATE).unwrap()), &[form()]).unwrap();
    assert!(report.stored(), "{}", report.text());
    Dataset::open(&path).unwrap()
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    // The cells of this test hold no quoted commas or line breaks.
    text.trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn csv_keeps_every_state_apart_and_defuses_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    assert_eq!(export(&dataset(dir.path()), &form(), ExportFormat::Csv, "uk", &out).unwrap(), 3);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with('\u{feff}'), "a byte-order mark for spreadsheets");
    let rows = csv_rows(&text);
    let col =
        |key: &str| rows[0].iter().position(|h| h == key).unwrap_or_else(|| panic!("no column {key}: {:?}", rows[0]));
    let cell = |row: usize, key: &str| rows[row][col(key)].as_str();
    // a: answered; b: 2026.1 read as 2026.2; c: "doesn't know", not asked, blank.
    assert_eq!(
        (cell(1, "help"), cell(1, "help.legal"), cell(1, "help.medical"), cell(1, "help.money")),
        ("legal;medical", "1", "1", "0")
    );
    assert_eq!(
        (cell(2, "help"), cell(2, "help.legal"), cell(2, "help.money")),
        ("legal", "1", "0"),
        "a removed option shifts nothing"
    );
    assert_eq!((cell(2, "work_kind"), cell(2, "source_version"), cell(2, "version")), ("поле", "2026.1", "2026.2"));
    assert_eq!((cell(2, "owes_debt"), cell(2, "jobs.count")), ("NOT_ASKED", "NOT_ASKED"));
    assert_eq!(cell(3, "consent"), "dk", "«Не знає» is its own code");
    assert_eq!(cell(3, "owes_debt"), "NOT_ASKED");
    assert_eq!((cell(3, "help"), cell(3, "help.legal")), ("", ""), "asked and left blank");
    assert_eq!(cell(1, "age"), "", "blank, not «not asked»");
    assert_eq!(cell(3, "work_kind"), "'@SUM(A1)");
    assert_eq!(cell(1, "work_kind"), "'=кухня");
    assert_eq!((cell(1, "jobs.count"), cell(1, "conflict")), ("1", "0"));
}

#[test]
fn jsonl_is_one_current_record_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    export(&dataset(dir.path()), &form(), ExportFormat::Jsonl, "en", &out).unwrap();
    let lines: Vec<Value> =
        std::fs::read_to_string(&out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["version"], "2026.2");
    assert_eq!(lines[1]["answers"]["help"], json!(["legal"]));
}

#[test]
fn xlsx_has_labelled_records_and_a_sheet_of_columns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    export(&dataset(dir.path()), &form(), ExportFormat::Xlsx, "uk", &out).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let book = read("xl/workbook.xml");
    assert!(book.contains("name=\"Записи\"") && book.contains("name=\"Стовпці\""), "{book}");
    // Records are written inline (constant memory); the description sheet's text is shared.
    let strings = read("xl/worksheets/sheet1.xml") + &read("xl/sharedStrings.xml");
    for label in [
        "3. Допомога: Медична",
        "Версія при експорті",
        "dk = Не знає",
        "refused = Не хоче відповідати",
        "NOT_ASKED",
        "help.money",
    ] {
        assert!(strings.contains(label), "{label} missing");
    }
    let sheet = read("xl/worksheets/sheet1.xml");
    assert!(!sheet.contains("<f>"), "no cell is a formula");
}

/// A CSV cell as its text: the test's cells hold no commas, only quotes.
fn unquoted(cell: &str) -> String {
    match cell.strip_prefix('"').and_then(|c| c.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => cell.to_string(),
    }
}

#[test]
fn xlsx_rows_are_the_csv_rows_in_order_across_batches() {
    use calamine::Reader;
    let dir = tempfile::tempdir().unwrap();
    // Rows reach the sheet in batches: two full ones and a last one that is not.
    let n = 2 * xlsx::BATCH + 7;
    let files: Vec<PathBuf> = (0..n)
        .map(|i| {
            let mut r = if i % 5 == 0 { older(&format!("r{i}")) } else { current(&format!("r{i}")) };
            r["answers"]["age"] = json!(i);
            let kind = if i % 5 == 0 { "job_kind" } else { "work_kind" };
            r["answers"][kind] = json!(format!("поле {i}"));
            let p = dir.path().join(format!("r{i}.json"));
            std::fs::write(&p, r.to_string()).unwrap();
            p
        })
        .collect();
    let path = dir.path().join("office.sqlite");
    let key = OfficeKey::from_pem(PRIVATE).unwrap();
    assert!(add_files(&path, &files, Some(&key), &[form()]).unwrap().stored());
    let data = Dataset::open(&path).unwrap();
    let (csv, book) = (dir.path().join("out.csv"), dir.path().join("out.xlsx"));
    assert_eq!(export(&data, &form(), ExportFormat::Csv, "uk", &csv).unwrap(), n);
    assert_eq!(export(&data, &form(), ExportFormat::Xlsx, "uk", &book).unwrap(), n);
    let csv: Vec<Vec<String>> = csv_rows(&std::fs::read_to_string(&csv).unwrap())
        .iter()
        .map(|row| row.iter().map(|c| unquoted(c)).collect())
        .collect();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    let sheet: Vec<Vec<String>> =
        book.worksheet_range("Записи").unwrap().rows().map(|row| row.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(sheet.len(), n + 1, "a header and every record");
    assert_eq!(sheet[0].len(), csv[0].len());
    for (i, (in_sheet, in_csv)) in sheet.iter().zip(&csv).enumerate().skip(1) {
        assert_eq!(in_sheet, in_csv, "row {i}");
    }
    assert_eq!(sheet[n][csv[0].iter().position(|h| h == "age").unwrap()], (n - 1).to_string());
}

#[test]
fn a_damaged_stored_record_fails_the_export_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dataset(dir.path());
    let db = rusqlite::Connection::open(dir.path().join("office.sqlite")).unwrap();
    // The last record, of the current version: two rows are already on their way when it fails.
    db.execute("UPDATE record SET content = substr(content, 1, 20) WHERE id = 'c'", []).unwrap();
    for (format, name) in [(ExportFormat::Xlsx, "out.xlsx"), (ExportFormat::Csv, "out.csv")] {
        let out = dir.path().join(name);
        let e = export(&data, &form(), format, "uk", &out).unwrap_err();
        assert!(matches!(e, RecordsError::Stored { .. }), "{e}");
        assert!(!out.exists(), "no half-written {name}");
    }
}

#[cfg(unix)]
#[test]
fn an_export_is_new_and_its_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dataset(dir.path());
    let out = dir.path().join("out.csv");
    export(&data, &form(), ExportFormat::Csv, "uk", &out).unwrap();
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    std::fs::write(&out, "mine").unwrap();
    let e = export(&data, &form(), ExportFormat::Xlsx, "uk", &out).unwrap_err();
    assert!(matches!(e, RecordsError::Exists(_)), "{e}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    std::fs::write(dir.path().join(crate::output::MARKER), "").unwrap();
    let e = export(&data, &form(), ExportFormat::Csv, "uk", &dir.path().join("new.csv")).unwrap_err();
    assert!(matches!(e, RecordsError::InsideOutput { .. }), "{e}");
}

#[test]
fn htcds_is_one_mapped_record_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.htcds.jsonl");
    let dataset = dataset(dir.path());
    export(&dataset, &form(), ExportFormat::Htcds, "en", &out).unwrap();
    let lines: Vec<Value> =
        std::fs::read_to_string(&out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let expected: Vec<Value> =
        dataset.records(&form()).unwrap().iter().map(|r| crate::records::htcds::record(&form(), r)).collect();
    assert_eq!(lines, expected);
    assert!(lines.iter().all(Value::is_object));
}
