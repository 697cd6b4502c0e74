//! Unit tests of the envelope, the CSV writer and `oberih decrypt`'s files.

use std::path::Path;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Oaep, RsaPublicKey};
use serde_json::{json, Value};
use sha2::Sha256;

use super::csv::*;
use super::decrypt::*;
use crate::envelope::*;

const PRIVATE: &str = include_str!("../../tests/fixtures/crypto/test-private.pem");
const PUBLIC: &str = include_str!("../../tests/fixtures/crypto/test-public.pem");
const OTHER: &str = include_str!("../../tests/fixtures/crypto/other-private.pem");

fn record() -> Value {
    json!({
        "form": "initial-screening", "version": "2026.1", "language": "uk",
        "started": "2026-05-01T10:00:00.000Z", "finished": null,
        "answers": { "consent": "yes", "notes": "Олена, =1+1, \"лапки\"", "help_wanted": ["legal", "medical"],
                     "jobs": [{ "job_work": "кухня" }], "age": 34 },
        "outcome": "refer", "indicators": ["debt"], "unanswered": ["/owes_debt", "/jobs/0/job_pay"]
    })
}

#[test]
fn round_trip() {
    let sealed = encrypt_record(PUBLIC, &record()).unwrap();
    let text = String::from_utf8(sealed.clone()).unwrap();
    assert!(!text.contains("Олена") && !text.contains("consent"), "{text}");
    assert_eq!(decrypt_file(PRIVATE, &sealed).unwrap(), record());
}

#[test]
fn tampering_is_detected() {
    let sealed = encrypt_record(PUBLIC, &record()).unwrap();
    let mut env: Value = serde_json::from_slice(&sealed).unwrap();
    let mut ct = B64.decode(env["ciphertext"].as_str().unwrap()).unwrap();
    ct[3] ^= 1;
    env["ciphertext"] = json!(B64.encode(&ct));
    let err = decrypt_file(PRIVATE, env.to_string().as_bytes()).unwrap_err();
    assert!(matches!(err, CryptoError::Tampered), "{err}");

    // The header is bound to the ciphertext.
    let mut env: Value = serde_json::from_slice(&sealed).unwrap();
    env["version"] = json!("2026.2");
    assert!(matches!(decrypt_file(PRIVATE, env.to_string().as_bytes()), Err(CryptoError::Tampered)));
}

#[test]
fn wrong_key_and_garbage_are_named() {
    let sealed = encrypt_record(PUBLIC, &record()).unwrap();
    assert!(matches!(decrypt_file(OTHER, &sealed), Err(CryptoError::WrongKey { .. })));
    assert!(matches!(decrypt_file(PRIVATE, b"{}"), Err(CryptoError::NotEnvelope(_))));
    assert!(matches!(decrypt_file(PRIVATE, b"\x00\x01"), Err(CryptoError::NotEnvelope(_))));
    assert!(matches!(decrypt_file("nonsense", &sealed), Err(CryptoError::PrivateKey(_))));
    let mut env: Value = serde_json::from_slice(&sealed).unwrap();
    env["format"] = json!(2);
    assert!(matches!(decrypt_file(PRIVATE, env.to_string().as_bytes()), Err(CryptoError::UnsupportedFormat(2))));
}

#[test]
fn public_key_checks() {
    let info = public_key_info(PUBLIC).unwrap();
    assert_eq!(info.bits, 2048);
    assert!(info.fingerprint.starts_with("sha256:") && info.fingerprint.len() == 71);
    assert!(matches!(
        public_key_info("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
        Err(CryptoError::PublicKey(_))
    ));
    assert!(matches!(public_key_info(PRIVATE), Err(CryptoError::PublicKey(_))));
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
fn run_decrypt_writes_beside_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("office.pem");
    std::fs::write(&key, PRIVATE).unwrap();
    let file = dir.path().join("initial-screening-20260501-1000.oberih");
    std::fs::write(&file, encrypt_record(PUBLIC, &record()).unwrap()).unwrap();
    run_decrypt(&key, std::slice::from_ref(&file), true).unwrap();
    let json: Value = serde_json::from_str(&std::fs::read_to_string(file.with_extension("json")).unwrap()).unwrap();
    assert_eq!(json, record());
    assert!(file.with_extension("csv").exists());
    let again = run_decrypt(&key, &[file.clone(), dir.path().join("absent.oberih")], false).unwrap_err();
    assert!(matches!(again, CryptoError::SomeFailed { failed: 2, total: 2 }), "{again}");
    assert_eq!(output_path(Path::new("a/r.json"), "json"), Path::new("a/r.decrypted.json"));
}

/// The sealed test record as a JSON value, to be damaged by a test.
fn sealed() -> Value {
    serde_json::from_slice(&encrypt_record(PUBLIC, &record()).unwrap()).unwrap()
}

/// A change to an envelope, and what the error must then say.
type Damage<'a> = (Box<dyn FnOnce(&mut Value) + 'a>, &'static str);

fn error_after(change: impl FnOnce(&mut Value)) -> String {
    let mut env = sealed();
    change(&mut env);
    decrypt_file(PRIVATE, env.to_string().as_bytes()).unwrap_err().to_string()
}

#[test]
fn every_malformed_envelope_says_what_is_wrong() {
    let b64 = |n: usize| json!(B64.encode(vec![7u8; n]));
    let cases: Vec<Damage<'_>> = vec![
        (Box::new(|e| e["iv"] = b64(16)), "`iv` is 16 bytes; format 1 uses a 12-byte IV"),
        (Box::new(|e| e["iv"] = json!("")), "`iv` is 0 bytes; format 1 uses a 12-byte IV"),
        (Box::new(|e| e["iv"] = json!("!!!")), "`iv` is not base64"),
        (Box::new(|e| e["wrapped_key"] = b64(100)), "`wrapped_key` is 100 bytes; this key wraps record keys in 256"),
        (Box::new(|e| e["ciphertext"] = b64(5)), "`ciphertext` is 5 bytes, shorter than the 16-byte GCM tag"),
        (Box::new(|e| e["format"] = json!("1")), "`format` is \"1\", not a number"),
        (Box::new(|e| drop(e.as_object_mut().unwrap().remove("format"))), "`format` is missing"),
        (Box::new(|e| drop(e.as_object_mut().unwrap().remove("alg"))), "`alg` is missing"),
        (Box::new(|e| e["alg"] = json!("RSA1_5")), "unknown algorithm \"RSA1_5\""),
        (Box::new(|e| e["form"] = json!(3)), "`form` is a number, not text"),
        (Box::new(|e| drop(e.as_object_mut().unwrap().remove("ciphertext"))), "`ciphertext` is missing"),
        (Box::new(|e| e["key"] = json!("md5:00")), "`key` is not a key fingerprint"),
        (Box::new(|e| *e = json!([1, 2])), "not an encrypted Oberih record: it is a JSON array"),
    ];
    for (change, expected) in cases {
        let message = error_after(change);
        assert!(message.contains(expected), "expected {expected:?} in {message:?}");
    }
    let empty = decrypt_file(PRIVATE, b"").unwrap_err().to_string();
    assert!(empty.contains("the file is empty"), "{empty}");
}

#[test]
fn a_wrapped_key_of_the_wrong_size_is_named() {
    // A validly wrapped 16-byte key: the envelope is authentic RSA but not AES-256.
    let key = RsaPublicKey::from_public_key_pem(PUBLIC.trim()).unwrap();
    let short = key.encrypt(&mut aes_gcm::aead::OsRng, Oaep::new::<Sha256>(), &[1u8; 16]).unwrap();
    let message = error_after(|e| e["wrapped_key"] = json!(B64.encode(short)));
    assert!(message.contains("the record key is 16 bytes; format 1 uses 32-byte AES-256 keys"), "{message}");
}

#[cfg(unix)]
#[test]
fn decrypted_files_are_only_for_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.oberih");
    std::fs::write(&file, encrypt_record(PUBLIC, &record()).unwrap()).unwrap();
    decrypt_one(PRIVATE, &file, true).unwrap();
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
    let err = decrypt_one(PRIVATE, &file, false).unwrap_err();
    assert!(matches!(err, CryptoError::Exists(_)), "{err}");
    assert!(!elsewhere.exists());
    std::fs::remove_file(file.with_extension("json")).unwrap();
    std::fs::write(file.with_extension("csv"), "mine").unwrap();
    std::fs::set_permissions(file.with_extension("csv"), std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(matches!(decrypt_one(PRIVATE, &file, true), Err(CryptoError::Exists(_))));
    assert_eq!(std::fs::read_to_string(file.with_extension("csv")).unwrap(), "mine");
    assert!(!file.with_extension("json").exists(), "a half-made pair was left behind");
}

#[test]
fn a_file_too_large_to_be_a_record_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.oberih");
    std::fs::File::create(&file).unwrap().set_len(65 * 1024 * 1024).unwrap();
    let message = decrypt_one(PRIVATE, &file, false).unwrap_err().to_string();
    assert!(message.contains("65 MB") && message.contains("64 MB"), "{message}");
}
