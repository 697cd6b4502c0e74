//! Unit tests of the envelope: both formats sealed and opened, and every way a file or a key can
//! be wrong.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Oaep, RsaPublicKey};
use serde_json::{json, Value};
use sha2::Sha256;

use super::*;

const PRIVATE: &str = include_str!("../../tests/fixtures/crypto/test-private.pem");
const PUBLIC: &str = include_str!("../../tests/fixtures/crypto/test-public.pem");
const OTHER: &str = include_str!("../../tests/fixtures/crypto/other-private.pem");
const P256_PRIVATE: &str = include_str!("../../tests/fixtures/crypto/p256-private.pem");
const P256_SEC1: &str = include_str!("../../tests/fixtures/crypto/p256-private-sec1.pem");
const P256_PUBLIC: &str = include_str!("../../tests/fixtures/crypto/p256-public.pem");
const P256_OTHER: &str = include_str!("../../tests/fixtures/crypto/p256-other-private.pem");
const P384_PUBLIC: &str = include_str!("../../tests/fixtures/crypto/p384-public.pem");

/// A record with text to quote and defuse, a multiple choice and a repeated section.
pub(crate) fn record() -> Value {
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
    env["format"] = json!(3);
    assert!(matches!(decrypt_file(PRIVATE, env.to_string().as_bytes()), Err(CryptoError::UnsupportedFormat(3))));
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

// ------------------------------------------------------------------ format 2: P-256 office keys

fn sealed_ec() -> Value {
    serde_json::from_slice(&encrypt_record(P256_PUBLIC, &record()).unwrap()).unwrap()
}

fn ec_error_after(change: impl FnOnce(&mut Value)) -> CryptoError {
    let mut env = sealed_ec();
    change(&mut env);
    decrypt_file(P256_PRIVATE, env.to_string().as_bytes()).unwrap_err()
}

#[test]
fn a_p256_key_seals_in_format_2_and_opens_in_both_pem_forms() {
    let env = sealed_ec();
    assert_eq!((env["format"].as_u64(), env["alg"].as_str()), (Some(FORMAT_EC), Some(ALGORITHM_EC)));
    assert!(env.get("wrapped_key").is_none());
    let epk = B64.decode(env["epk"].as_str().unwrap()).unwrap();
    assert_eq!((epk.len(), epk[0]), (EPK_BYTES, 4));
    assert_ne!(env["epk"], sealed_ec()["epk"], "a fresh ephemeral key per record");
    let text = env.to_string();
    assert!(!text.contains("Олена") && !text.contains("consent"), "{text}");
    assert_eq!(decrypt_file(P256_PRIVATE, text.as_bytes()).unwrap(), record());
    assert_eq!(decrypt_file(P256_SEC1, text.as_bytes()).unwrap(), record());
    let key = OfficeKey::from_pem(P256_PRIVATE).unwrap();
    assert_eq!(key.kind(), KeyKind::P256);
    assert_eq!(key.fingerprint(), public_key_info(P256_PUBLIC).unwrap().fingerprint);
}

#[test]
fn format_2_refuses_a_wrong_key_a_changed_header_and_a_damaged_ephemeral_key() {
    let sealed = encrypt_record(P256_PUBLIC, &record()).unwrap();
    for wrong in [P256_OTHER, PRIVATE] {
        assert!(matches!(decrypt_file(wrong, &sealed), Err(CryptoError::WrongKey { .. })));
    }
    let rsa_sealed = encrypt_record(PUBLIC, &record()).unwrap();
    assert!(matches!(decrypt_file(P256_PRIVATE, &rsa_sealed), Err(CryptoError::WrongKey { .. })));
    for field in ["form", "version"] {
        assert!(matches!(ec_error_after(|e| e[field] = json!("x")), CryptoError::Tampered));
    }
    let mut ct = B64.decode(sealed_ec()["ciphertext"].as_str().unwrap()).unwrap();
    ct[2] ^= 4;
    assert!(matches!(ec_error_after(|e| e["ciphertext"] = json!(B64.encode(&ct))), CryptoError::Tampered));
    // Another valid point: a different key, so the integrity check fails.
    let other_epk = sealed_ec()["epk"].clone();
    assert!(matches!(ec_error_after(|e| e["epk"] = other_epk), CryptoError::Tampered));
    let off_curve = ec_error_after(|e| {
        let mut epk = B64.decode(e["epk"].as_str().unwrap()).unwrap();
        epk[64] ^= 1;
        e["epk"] = json!(B64.encode(&epk));
    });
    assert!(off_curve.to_string().contains("`epk` is not a point of the curve P-256"), "{off_curve}");
}

#[test]
fn every_malformed_format_2_envelope_says_what_is_wrong() {
    let b64 = |bytes: Vec<u8>| json!(B64.encode(bytes));
    let cases: Vec<Damage<'_>> = vec![
        (Box::new(|e| drop(e.as_object_mut().unwrap().remove("epk"))), "`epk` is missing"),
        (Box::new(move |e| e["epk"] = b64(vec![4; 33])), "`epk` is 33 bytes; format 2 uses a 65-byte"),
        (Box::new(move |e| e["epk"] = b64(vec![2; 65])), "`epk` is 65 bytes but not an uncompressed point"),
        (Box::new(|e| e["epk"] = json!("%%")), "`epk` is not base64"),
        (Box::new(|e| e["alg"] = json!(ALGORITHM_RSA)), "envelope format 2 is ECDH-ES+HKDF-SHA256+A256GCM"),
        (Box::new(|e| e["iv"] = json!("")), "`iv` is 0 bytes; format 2 uses a 12-byte IV"),
    ];
    for (change, expected) in cases {
        let message = ec_error_after(change).to_string();
        assert!(message.contains(expected), "expected {expected:?} in {message:?}");
    }
    // A format 1 header on a P-256 record (with its `epk` as `wrapped_key`) names the mismatch.
    let message = ec_error_after(|e| {
        e["format"] = json!(1);
        e["alg"] = json!(ALGORITHM_RSA);
        e["wrapped_key"] = e["epk"].clone();
    })
    .to_string();
    assert!(message.contains("envelope format 1, but the key it names is a P-256 (EC) key"), "{message}");
}

#[test]
fn keys_of_other_kinds_are_named() {
    let info = public_key_info(P256_PUBLIC).unwrap();
    assert_eq!((info.kind, info.bits), (KeyKind::P256, 256));
    let p384 = public_key_info(P384_PUBLIC).unwrap_err();
    assert!(matches!(&p384, CryptoError::OtherAlgorithm(m) if m == "an EC key on the curve P-384"), "{p384}");
    assert!(matches!(OfficeKey::from_pem(PUBLIC), Err(CryptoError::PrivateKey(_))));
    let locked = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
    assert!(matches!(OfficeKey::from_pem(locked), Err(CryptoError::PrivateKey(m)) if m.contains("passphrase")));
}

#[test]
fn an_envelope_read_in_one_pass_is_the_one_read_as_a_tree() {
    for env in [sealed(), sealed_ec()] {
        let bytes = env.to_string();
        let quick = open::quick_envelope(bytes.as_bytes());
        assert!(quick.is_some(), "a well-formed envelope is read in one pass");
        assert_eq!(quick, open::envelope_tree(bytes.as_bytes()).ok());
    }
    // Anything the tree must name goes to it.
    let changes: [fn(&mut Value); 6] = [
        |e| e["format"] = json!("2"),
        |e| e["alg"] = json!("RSA1_5"),
        |e| e["iv"] = json!("!!!"),
        |e| e["oberih"] = json!("encrypted-draft"),
        |e| drop(e.as_object_mut().unwrap().remove("epk")),
        |e| e["form"] = json!(3),
    ];
    for change in changes {
        let mut env = sealed_ec();
        change(&mut env);
        assert!(open::quick_envelope(env.to_string().as_bytes()).is_none(), "{env}");
    }
}
