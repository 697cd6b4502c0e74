//! Unit tests of the CSV writer and `oberih decrypt`'s files.

use std::path::Path;

use serde_json::{json, Value};

use super::csv::*;
use super::decrypt::*;
use crate::envelope::tests::record;
use crate::envelope::*;

const PRIVATE: &str = include_str!("../../tests/fixtures/crypto/test-private.pem");
const PUBLIC: &str = include_str!("../../tests/fixtures/crypto/test-public.pem");
const P256_PRIVATE: &str = include_str!("../../tests/fixtures/crypto/p256-private.pem");
const P256_PUBLIC: &str = include_str!("../../tests/fixtures/crypto/p256-public.pem");

/// A folder with the office's private key and the sample record sealed to its public half.
fn sealed_in_folder(private: &str, public: &str) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("office.pem");
    std::fs::write(&key, private).unwrap();
    let file = dir.path().join("initial-screening-20260501-1000.oberih");
    std::fs::write(&file, encrypt_record(public, &record()).unwrap()).unwrap();
    (dir, key, file)
}

fn office() -> OfficeKey {
    OfficeKey::from_pem(PRIVATE).unwrap()
}

#[test]
fn csv_is_one_row_and_defused() {
    let csv = record_csv(&record());
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0]
        .starts_with("\u{feff}form,version,language,started,finished,outcome,indicators,unanswered,consent,notes"));
    assert!(csv.contains(",debt,/owes_debt;/jobs/0/job_pay,"), "{csv}");
    assert!(csv.contains(r#""Олена, =1+1, ""лапки""""#), "{csv}");
    assert!(csv.contains(",legal;medical,"));
    assert!(csv.contains(r#""[{""job_work"":""кухня""}]""#), "{csv}");
    assert_eq!(csv_value(&json!("=HYPERLINK(1)")), "'=HYPERLINK(1)");
    assert_eq!(csv_value(&json!(-3)), "-3");
}

#[test]
fn a_cell_is_written_as_csv_cell_of_defuse_formula_makes_it() {
    let texts = [
        "",
        "plain",
        "Не знає",
        "a,b",
        "say \"hi\"",
        " lead",
        "trail ",
        "=1+2",
        "+380",
        "-5",
        "@x",
        "\tx",
        "\rx",
        "= spaced ",
        "line\nbreak",
        "'quoted'",
        " =x",
        "=\"a\",b",
    ];
    for t in texts {
        let mut out = Vec::new();
        write_defused_cell(&mut out, t).expect("write");
        assert_eq!(String::from_utf8(out).expect("utf-8"), csv_cell(&defuse_formula(t)), "{t:?}");
    }
}

#[test]
fn run_decrypt_writes_beside_and_never_overwrites() {
    let (dir, key, file) = sealed_in_folder(PRIVATE, PUBLIC);
    run_decrypt(&key, std::slice::from_ref(&file), true).unwrap();
    let json: Value = serde_json::from_str(&std::fs::read_to_string(file.with_extension("json")).unwrap()).unwrap();
    assert_eq!(json, record());
    assert!(file.with_extension("csv").exists());
    let again = run_decrypt(&key, &[file.clone(), dir.path().join("absent.oberih")], false).unwrap_err();
    assert!(matches!(again, CryptoError::SomeFailed { failed: 2, total: 2 }), "{again}");
    assert_eq!(output_path(Path::new("a/r.json"), "json"), Path::new("a/r.decrypted.json"));
}

#[test]
fn run_decrypt_reads_records_sealed_to_a_p256_key() {
    let (dir, key, file) = sealed_in_folder(P256_PRIVATE, P256_PUBLIC);
    run_decrypt(&key, std::slice::from_ref(&file), false).unwrap();
    let json: Value = serde_json::from_str(&std::fs::read_to_string(file.with_extension("json")).unwrap()).unwrap();
    assert_eq!(json, record());
    // A record sealed to the RSA key is named as another key's, not misread.
    let rsa = dir.path().join("rsa.oberih");
    std::fs::write(&rsa, encrypt_record(PUBLIC, &record()).unwrap()).unwrap();
    let err = decrypt_one(&OfficeKey::from_pem(P256_PRIVATE).unwrap(), &rsa, false).unwrap_err();
    assert!(matches!(err, CryptoError::WrongKey { .. }), "{err}");
}

#[cfg(unix)]
#[test]
fn decrypted_files_are_only_for_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.oberih");
    std::fs::write(&file, encrypt_record(PUBLIC, &record()).unwrap()).unwrap();
    decrypt_one(&office(), &file, true).unwrap();
    for ext in ["json", "csv"] {
        let mode = std::fs::metadata(file.with_extension(ext)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{ext}: {mode:o}");
    }
}

#[cfg(unix)]
#[test]
fn an_output_in_the_way_is_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.oberih");
    std::fs::write(&file, encrypt_record(PUBLIC, &record()).unwrap()).unwrap();
    // A link in the way is not followed, and an existing file keeps its bytes and mode.
    let elsewhere = dir.path().join("elsewhere.txt");
    std::os::unix::fs::symlink(&elsewhere, file.with_extension("json")).unwrap();
    let err = decrypt_one(&office(), &file, false).unwrap_err();
    assert!(matches!(err, CryptoError::Exists(_)), "{err}");
    assert!(!elsewhere.exists());
    std::fs::remove_file(file.with_extension("json")).unwrap();
    std::fs::write(file.with_extension("csv"), "mine").unwrap();
    std::fs::set_permissions(file.with_extension("csv"), std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(matches!(decrypt_one(&office(), &file, true), Err(CryptoError::Exists(_))));
    assert_eq!(std::fs::read_to_string(file.with_extension("csv")).unwrap(), "mine");
    assert!(!file.with_extension("json").exists(), "a half-made pair was left behind");
}

#[test]
fn a_file_too_large_to_be_a_record_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.oberih");
    std::fs::File::create(&file).unwrap().set_len(65 * 1024 * 1024).unwrap();
    let message = decrypt_one(&office(), &file, false).unwrap_err().to_string();
    assert!(message.contains("65 MB") && message.contains("64 MB"), "{message}");
}
