//! `records add`: what is stored, what is counted, and every reason a file is rejected.

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::{json, Value};

use super::*;
use crate::envelope::encrypt_record;
use crate::records::fixture::{current, form, older, OTHER, PRIVATE, PUBLIC};

struct Inbox {
    dir: tempfile::TempDir,
}

impl Inbox {
    fn new() -> Inbox {
        Inbox { dir: tempfile::tempdir().unwrap() }
    }
    fn dataset(&self) -> PathBuf {
        self.dir.path().join("office.sqlite")
    }
    fn plain(&self, name: &str, record: &Value) -> PathBuf {
        self.bytes(name, record.to_string().as_bytes())
    }
    fn sealed(&self, name: &str, record: &Value) -> PathBuf {
        self.bytes(name, &encrypt_record(PUBLIC, record).unwrap())
    }
    fn bytes(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
    fn add(&self, files: &[PathBuf]) -> AddReport {
        let key = OfficeKey::from_pem(PRIVATE).unwrap();
        add_files(&self.dataset(), files, Some(&key), &[form()]).unwrap()
    }
    fn stored(&self) -> u64 {
        Dataset::open(&self.dataset()).unwrap().count().unwrap()
    }
}

#[test]
fn records_are_added_and_counted() {
    let inbox = Inbox::new();
    let files = [inbox.sealed("a.oberih", &current("a")), inbox.plain("b.json", &older("b"))];
    let report = inbox.add(&files);
    assert!(report.stored(), "{}", report.text());
    assert_eq!((report.counts.added, report.counts.duplicates, report.counts.conflicts), (2, 0, 0));
    assert_eq!(inbox.stored(), 2);
    assert!(
        report.text().contains("2 file(s): 2 added, 0 duplicate(s), 0 conflict(s), 0 rejected"),
        "{}",
        report.text()
    );
}

#[test]
fn the_same_record_twice_is_a_duplicate_and_other_content_a_conflict() {
    let inbox = Inbox::new();
    inbox.add(&[inbox.sealed("a.oberih", &current("a"))]);
    // The same record sealed again (other bytes, same content), and a plain copy in other key order.
    let mut reordered = serde_json::Map::new();
    for (k, v) in current("a").as_object().unwrap().iter().rev() {
        reordered.insert(k.clone(), v.clone());
    }
    let mut changed = current("a");
    changed["answers"]["age"] = json!(41);
    let report = inbox.add(&[
        inbox.sealed("a-again.oberih", &current("a")),
        inbox.plain("a.json", &Value::Object(reordered)),
        inbox.plain("a-changed.json", &changed),
    ]);
    assert_eq!(
        (report.counts.added, report.counts.duplicates, report.counts.conflicts),
        (0, 2, 1),
        "{}",
        report.text()
    );
    assert_eq!(report.conflicts, [Conflict { id: "a".into(), file: "a-changed.json".into() }]);
    assert_eq!(inbox.stored(), 2, "both sides of a conflict are kept, a duplicate is not stored twice");
    let read = Dataset::open(&inbox.dataset()).unwrap().read(&form()).unwrap();
    assert!(read.iter().all(|r| r.conflict));
}

#[test]
fn an_export_without_an_id_gets_one_from_its_content() {
    let inbox = Inbox::new();
    let mut r = current("x");
    r.as_object_mut().unwrap().remove("id");
    let first = inbox.add(&[inbox.plain("old.json", &r)]);
    let again = inbox.add(&[inbox.plain("old-copy.json", &r)]);
    assert_eq!((first.counts.added, again.counts.duplicates), (1, 1));
    let records = Dataset::open(&inbox.dataset()).unwrap().records(&form()).unwrap();
    assert!(records[0]["id"].as_str().unwrap().starts_with("sha256:"));
}

fn reason_of(inbox: &Inbox, file: PathBuf) -> Reason {
    let report = inbox.add(&[file]);
    assert_eq!(report.rejected.len(), 1, "{}", report.text());
    report.rejected[0].reason.clone()
}

#[test]
fn every_rejection_names_its_reason() {
    let inbox = Inbox::new();
    let other_public = {
        use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
        let k = rsa::RsaPrivateKey::from_pkcs8_pem(OTHER.trim())
            .or_else(|_| <rsa::RsaPrivateKey as rsa::pkcs1::DecodeRsaPrivateKey>::from_pkcs1_pem(OTHER.trim()))
            .unwrap();
        k.to_public_key().to_public_key_pem(Default::default()).unwrap()
    };
    let wrong = inbox.bytes("wrong.oberih", &encrypt_record(&other_public, &current("w")).unwrap());
    assert!(matches!(reason_of(&inbox, wrong), Reason::WrongKey(_)));

    let mut env: Value = serde_json::from_slice(&encrypt_record(PUBLIC, &current("t")).unwrap()).unwrap();
    let mut ct = B64.decode(env["ciphertext"].as_str().unwrap()).unwrap();
    ct[5] ^= 1;
    env["ciphertext"] = json!(B64.encode(ct));
    assert_eq!(reason_of(&inbox, inbox.plain("tampered.oberih", &env)), Reason::Tampered);

    env["iv"] = json!("AAAA");
    assert!(matches!(reason_of(&inbox, inbox.plain("damaged.oberih", &env)), Reason::Damaged(m) if m.contains("`iv`")));

    let mut unknown = current("u");
    unknown["form"] = json!("no-such-form");
    assert_eq!(reason_of(&inbox, inbox.sealed("u.oberih", &unknown)), Reason::UnknownForm("no-such-form".into()));

    let mut version = older("v");
    version["version"] = json!("2025.9");
    let reason = reason_of(&inbox, inbox.plain("v.json", &version));
    assert!(matches!(&reason, Reason::UnknownVersion(m) if m.contains("`2025.9`")), "{reason}");

    let mut bad = current("s");
    bad["answers"]["help"] = json!(["legal", "housing"]);
    bad["answers"]["age"] = json!("сорок");
    bad["answers"]["shoe_size"] = json!(42);
    let reason = reason_of(&inbox, inbox.plain("s.json", &bad));
    let Reason::Schema(places) = &reason else { panic!("{reason}") };
    let text = places.join("; ");
    assert!(text.contains("at /answers/help/1: not one of the values the form allows"), "{text}");
    assert!(text.contains("at /answers/age: a value of the wrong type"), "{text}");
    assert!(text.contains("at /answers: `shoe_size` not in the current form"), "{text}");
    assert!(!text.contains("сорок"), "a report never repeats an answer: {text}");

    assert_eq!(
        reason_of(&inbox, inbox.plain("draft.oberih-draft", &json!({"oberih": "encrypted-draft"}))),
        Reason::Draft
    );
    let sealed = encrypt_record(PUBLIC, &current("h")).unwrap();
    let cut = inbox.bytes("cut.oberih", &sealed[..sealed.len() / 2]);
    assert!(matches!(reason_of(&inbox, cut), Reason::Damaged(m) if m.contains("cut short")));
    assert!(matches!(reason_of(&inbox, inbox.bytes("notes.txt", b"hello")), Reason::NotExport(_)));
    assert!(matches!(reason_of(&inbox, inbox.plain("other.json", &json!({"a": 1}))), Reason::NotExport(_)));
    assert!(matches!(reason_of(&inbox, inbox.dir.path().join("absent.oberih")), Reason::Unreadable(_)));

    let sealed = inbox.sealed("nokey.oberih", &current("k"));
    let report = add_files(&inbox.dataset(), &[sealed], None, &[form()]).unwrap();
    assert_eq!(report.rejected[0].reason, Reason::NoKey);
}

const P256_PRIVATE: &str = include_str!("../../tests/fixtures/crypto/p256-private.pem");
const P256_PUBLIC: &str = include_str!("../../tests/fixtures/crypto/p256-public.pem");
const P256_OTHER: &str = include_str!("../../tests/fixtures/crypto/p256-other-private.pem");

/// With a P-256 office key: records sealed to it are added, and a record for another key, a
/// changed header and a damaged ephemeral key are each rejected for their reason.
#[test]
fn records_sealed_to_a_p256_key_are_added_and_damage_is_named() {
    let inbox = Inbox::new();
    let key = OfficeKey::from_pem(P256_PRIVATE).unwrap();
    let add = |files: &[PathBuf]| add_files(&inbox.dataset(), files, Some(&key), &[form()]).unwrap();
    let sealed =
        |id: &str| serde_json::from_slice::<Value>(&encrypt_record(P256_PUBLIC, &current(id)).unwrap()).unwrap();
    let reason = |name: &str, env: &Value| {
        let report = add(&[inbox.plain(name, env)]);
        assert_eq!(report.rejected.len(), 1, "{}", report.text());
        report.rejected[0].reason.clone()
    };
    let other_public = {
        use p256::pkcs8::{DecodePrivateKey, EncodePublicKey};
        let k = p256::SecretKey::from_pkcs8_pem(P256_OTHER.trim()).unwrap();
        k.public_key().to_public_key_pem(Default::default()).unwrap()
    };
    let wrong: Value = serde_json::from_slice(&encrypt_record(&other_public, &current("w")).unwrap()).unwrap();
    assert!(matches!(reason("wrong.oberih", &wrong), Reason::WrongKey(_)));
    let rsa: Value = serde_json::from_slice(&encrypt_record(PUBLIC, &current("r")).unwrap()).unwrap();
    assert!(matches!(reason("rsa.oberih", &rsa), Reason::WrongKey(_)));

    let mut header = sealed("h");
    header["form"] = json!("test-form-2");
    assert_eq!(reason("header.oberih", &header), Reason::Tampered);
    let mut epk_changed = sealed("e");
    epk_changed["epk"] = sealed("x")["epk"].clone();
    assert_eq!(reason("epk.oberih", &epk_changed), Reason::Tampered);
    let mut epk_damaged = sealed("d");
    let mut epk = B64.decode(epk_damaged["epk"].as_str().unwrap()).unwrap();
    epk[40] ^= 0x10;
    epk_damaged["epk"] = json!(B64.encode(&epk));
    let damaged = reason("damaged.oberih", &epk_damaged);
    assert!(matches!(&damaged, Reason::Damaged(m) if m.contains("`epk` is not a point")), "{damaged}");
    epk_damaged["epk"] = json!(B64.encode(&epk[..33]));
    let short = reason("short.oberih", &epk_damaged);
    assert!(matches!(&short, Reason::Damaged(m) if m.contains("`epk` is 33 bytes")), "{short}");

    let report = add(&[inbox.plain("a.oberih", &sealed("a")), inbox.plain("b.oberih", &sealed("b"))]);
    assert!(report.stored(), "{}", report.text());
    assert_eq!(report.counts.added, 2, "{}", report.text());
}

#[test]
fn one_rejection_stores_nothing_of_the_run() {
    let inbox = Inbox::new();
    let good = inbox.sealed("good.oberih", &current("g"));
    let report = inbox.add(&[good.clone(), inbox.bytes("bad.oberih", b"{")]);
    assert!(!report.stored());
    assert_eq!(report.counts.added, 0);
    let text = report.text();
    assert!(text.contains("bad.oberih") && text.contains("nothing was stored"), "{text}");
    assert_eq!(inbox.stored(), 0);
    assert_eq!(inbox.add(&[good]).counts.added, 1, "the run can be repeated once the file is removed");
}

#[cfg(unix)]
#[test]
fn the_dataset_is_its_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let inbox = Inbox::new();
    inbox.add(&[inbox.sealed("a.oberih", &current("a"))]);
    let mode = std::fs::metadata(inbox.dataset()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
}

#[test]
fn a_dataset_inside_a_portal_or_an_output_is_refused() {
    let inbox = Inbox::new();
    let file = inbox.sealed("a.oberih", &current("a"));
    let key = OfficeKey::from_pem(PRIVATE).unwrap();
    let portal = inbox.dir.path().join("portal");
    std::fs::create_dir_all(portal.join("data")).unwrap();
    std::fs::write(portal.join("portal.toml"), "").unwrap();
    let e =
        add_files(&portal.join("data/office.sqlite"), std::slice::from_ref(&file), Some(&key), &[form()]).unwrap_err();
    assert!(matches!(e, RecordsError::InsidePortal { .. }), "{e}");
    let out = inbox.dir.path().join("public");
    std::fs::create_dir_all(out.join("uk")).unwrap();
    std::fs::write(out.join(crate::output::MARKER), "").unwrap();
    let e = add_files(&out.join("uk/office.sqlite"), &[file], Some(&key), &[form()]).unwrap_err();
    assert!(matches!(e, RecordsError::InsideOutput { .. }), "{e}");
    assert!(!out.join("uk/office.sqlite").exists() && !Path::new(&portal.join("data/office.sqlite")).exists());
}

#[test]
fn another_database_is_not_taken_for_a_dataset() {
    let inbox = Inbox::new();
    let path = inbox.dataset();
    rusqlite::Connection::open(&path).unwrap().execute_batch("CREATE TABLE t (x);").unwrap();
    assert!(matches!(Dataset::open(&path), Err(RecordsError::NotDataset(_))));
}

#[test]
fn a_folder_adds_the_files_in_it_and_names_a_folder_within() {
    let inbox = Inbox::new();
    let folder = inbox.dir.path().join("may");
    std::fs::create_dir_all(folder.join("old")).unwrap();
    std::fs::write(folder.join("a.oberih"), encrypt_record(PUBLIC, &current("a")).unwrap()).unwrap();
    std::fs::write(folder.join("b.json"), older("b").to_string()).unwrap();
    let report = inbox.add(std::slice::from_ref(&folder));
    assert_eq!(report.counts.files, 2);
    assert_eq!(report.rejected.len(), 1, "{}", report.text());
    assert!(report.rejected[0].file.ends_with("old"));
    std::fs::remove_dir(folder.join("old")).unwrap();
    assert_eq!(inbox.add(&[folder]).counts.added, 2);
}
