//! Encrypted records: the envelope a questionnaire page writes when its form says
//! `export = "encrypted"`, and `oberih decrypt`, which turns such files back into JSON (and CSV).
//!
//! # The envelope (format 1)
//!
//! The page makes a fresh random AES-256 key and a 96-bit IV for every record, encrypts the record
//! JSON (UTF-8) with AES-256-GCM, wraps the AES key with RSA-OAEP (SHA-256, MGF1-SHA-256) under the
//! office's public key, and forgets the AES key. The file is one JSON object:
//!
//! ```text
//! {
//!   "oberih": "encrypted-record",          what the file is
//!   "format": 1,                            this layout
//!   "alg": "RSA-OAEP-256+A256GCM",
//!   "form": "initial-screening",            in the clear, so an office can sort files unopened
//!   "version": "2026.1",
//!   "key": "sha256:<64 hex>",               SHA-256 of the public key's DER SubjectPublicKeyInfo
//!   "wrapped_key": "<base64>",              RSA-OAEP(public key, AES key)
//!   "iv": "<base64, 12 bytes>",
//!   "ciphertext": "<base64>"                AES-GCM output: encrypted record, then the 16-byte tag
//! }
//! ```
//!
//! Base64 is the standard alphabet with padding. The GCM additional data binds the clear header to
//! the ciphertext, so changing the form, version or key fingerprint in the header makes decryption
//! fail like any other change: `oberih-record/1`, form, version and key joined by `\n`
//! ([`additional_data`]).
//!
//! There is no plaintext fallback anywhere: a page that cannot encrypt refuses to export.
//! The private key never goes into the portal; only `oberih decrypt` on the office's computer
//! uses it. (The `rsa` crate's RUSTSEC-2023-0071 timing side channel needs an attacker who can
//! time many decryptions; an offline command run by the key's owner gives none.)

use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, AeadCore, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey};
use rsa::traits::PublicKeyParts;
use rsa::{Oaep, RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The `oberih` field of an encrypted record.
pub const RECORD_KIND: &str = "encrypted-record";
/// The envelope layout this code writes and reads.
pub const FORMAT: u64 = 1;
pub const ALGORITHM: &str = "RSA-OAEP-256+A256GCM";
/// The smallest RSA key accepted for wrapping record keys.
pub const MIN_KEY_BITS: usize = 2048;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("cannot read `{path}`: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("cannot write `{path}`: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("`{0}` already exists; move it away first (oberih decrypt never overwrites a file)")]
    Exists(String),
    #[error("the private key is not an RSA private key in PEM (PKCS#8 or PKCS#1): {0}")]
    PrivateKey(String),
    #[error("the public key is not an RSA public key in PEM (SubjectPublicKeyInfo): {0}")]
    PublicKey(String),
    #[error("the key has {0} bits; records need an RSA key of at least 2048 bits")]
    WeakKey(usize),
    #[error("not an encrypted Oberih record: {0}")]
    NotEnvelope(String),
    #[error("the record uses envelope format {0}, which this version of oberih cannot read; update oberih")]
    UnsupportedFormat(u64),
    #[error("the record was encrypted for another key ({record}); this private key is {key}")]
    WrongKey { record: String, key: String },
    #[error("the record key cannot be unwrapped with this private key")]
    Unwrap,
    #[error("the record failed its integrity check: the file was changed or damaged")]
    Tampered,
    #[error("{failed} of {total} files could not be decrypted")]
    SomeFailed { failed: usize, total: usize },
}

/// A public key checked for record encryption, in the forms the page needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKeyInfo {
    /// DER SubjectPublicKeyInfo, what WebCrypto's `importKey('spki', …)` takes.
    pub spki_der: Vec<u8>,
    /// `sha256:` and the hex SHA-256 of `spki_der`.
    pub fingerprint: String,
    pub bits: usize,
}

/// Reads a PEM public key (`-----BEGIN PUBLIC KEY-----`) and checks it can protect records.
pub fn public_key_info(pem: &str) -> Result<PublicKeyInfo, CryptoError> {
    let key = RsaPublicKey::from_public_key_pem(pem.trim()).map_err(|e| CryptoError::PublicKey(e.to_string()))?;
    info_of(&key)
}

fn info_of(key: &RsaPublicKey) -> Result<PublicKeyInfo, CryptoError> {
    let bits = key.size() * 8;
    if bits < MIN_KEY_BITS {
        return Err(CryptoError::WeakKey(bits));
    }
    let der = key.to_public_key_der().map_err(|e| CryptoError::PublicKey(e.to_string()))?;
    let spki_der = der.as_bytes().to_vec();
    Ok(PublicKeyInfo { fingerprint: fingerprint(&spki_der), spki_der, bits })
}

/// `sha256:<hex>` of a DER SubjectPublicKeyInfo.
pub fn fingerprint(spki_der: &[u8]) -> String {
    let digest = Sha256::digest(spki_der);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The GCM additional data that ties the clear header to the ciphertext.
pub fn additional_data(form: &str, version: &str, key_fingerprint: &str) -> String {
    format!("oberih-record/{FORMAT}\n{form}\n{version}\n{key_fingerprint}")
}

fn private_key(pem: &str) -> Result<RsaPrivateKey, CryptoError> {
    let pem = pem.trim();
    RsaPrivateKey::from_pkcs8_pem(pem)
        .or_else(|e| RsaPrivateKey::from_pkcs1_pem(pem).map_err(|_| e))
        .map_err(|e| CryptoError::PrivateKey(e.to_string()))
}

/// The clear part of an envelope and its three binary fields.
struct Envelope {
    form: String,
    version: String,
    key: String,
    wrapped_key: Vec<u8>,
    iv: Vec<u8>,
    ciphertext: Vec<u8>,
}

fn parse_envelope(bytes: &[u8]) -> Result<Envelope, CryptoError> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| CryptoError::NotEnvelope(format!("not JSON ({e})")))?;
    if v["oberih"] != RECORD_KIND {
        return Err(CryptoError::NotEnvelope("it has no `\"oberih\": \"encrypted-record\"` header".into()));
    }
    let format = v["format"].as_u64().ok_or_else(|| CryptoError::NotEnvelope("`format` is missing".into()))?;
    if format != FORMAT {
        return Err(CryptoError::UnsupportedFormat(format));
    }
    if v["alg"] != ALGORITHM {
        return Err(CryptoError::NotEnvelope(format!("unknown algorithm {}", v["alg"])));
    }
    let text = |k: &str| {
        v[k].as_str().map(str::to_string).ok_or_else(|| CryptoError::NotEnvelope(format!("`{k}` is missing")))
    };
    let binary = |k: &str| B64.decode(text(k)?).map_err(|_| CryptoError::NotEnvelope(format!("`{k}` is not base64")));
    Ok(Envelope {
        form: text("form")?,
        version: text("version")?,
        key: text("key")?,
        wrapped_key: binary("wrapped_key")?,
        iv: binary("iv")?,
        ciphertext: binary("ciphertext")?,
    })
}

/// Decrypts one encrypted record file with the office's private key (PEM) and returns the record.
pub fn decrypt_file(key_pem: &str, bytes: &[u8]) -> Result<Value, CryptoError> {
    let env = parse_envelope(bytes)?;
    let key = private_key(key_pem)?;
    let own = info_of(&key.to_public_key())?.fingerprint;
    if own != env.key {
        return Err(CryptoError::WrongKey { record: env.key, key: own });
    }
    let raw = key.decrypt(Oaep::new::<Sha256>(), &env.wrapped_key).map_err(|_| CryptoError::Unwrap)?;
    if raw.len() != 32 || env.iv.len() != 12 {
        return Err(CryptoError::Unwrap);
    }
    let cipher = Aes256Gcm::new_from_slice(&raw).map_err(|_| CryptoError::Unwrap)?;
    let aad = additional_data(&env.form, &env.version, &env.key);
    let plain = cipher
        .decrypt(Nonce::from_slice(&env.iv), Payload { msg: &env.ciphertext, aad: aad.as_bytes() })
        .map_err(|_| CryptoError::Tampered)?;
    let record: Value = serde_json::from_slice(&plain).map_err(|_| CryptoError::Tampered)?;
    // Authenticated already; a mismatch here would mean the page itself wrote a wrong header.
    if record["form"] != env.form.as_str() || record["version"] != env.version.as_str() {
        return Err(CryptoError::Tampered);
    }
    Ok(record)
}

/// Encrypts a record the way the page does (used by tests and by tools that produce records).
pub fn encrypt_record(public_pem: &str, record: &Value) -> Result<Vec<u8>, CryptoError> {
    let key =
        RsaPublicKey::from_public_key_pem(public_pem.trim()).map_err(|e| CryptoError::PublicKey(e.to_string()))?;
    let info = info_of(&key)?;
    let form = record["form"].as_str().unwrap_or_default();
    let version = record["version"].as_str().unwrap_or_default();
    let mut rng = aes_gcm::aead::OsRng;
    let raw = Aes256Gcm::generate_key(&mut rng);
    let iv = Aes256Gcm::generate_nonce(&mut rng);
    let aad = additional_data(form, version, &info.fingerprint);
    let cipher = Aes256Gcm::new(&raw);
    let plain = serde_json::to_vec(record).map_err(|e| CryptoError::NotEnvelope(e.to_string()))?;
    let ciphertext =
        cipher.encrypt(&iv, Payload { msg: &plain, aad: aad.as_bytes() }).map_err(|_| CryptoError::Tampered)?;
    let wrapped = key.encrypt(&mut rng, Oaep::new::<Sha256>(), raw.as_slice()).map_err(|_| CryptoError::Unwrap)?;
    let envelope = json!({
        "oberih": RECORD_KIND,
        "format": FORMAT,
        "alg": ALGORITHM,
        "form": form,
        "version": version,
        "key": info.fingerprint,
        "wrapped_key": B64.encode(wrapped),
        "iv": B64.encode(iv),
        "ciphertext": B64.encode(ciphertext),
    });
    Ok(envelope.to_string().into_bytes())
}

/// One record as CSV: a header line and one row, the same columns and cells the page writes.
///
/// Columns: `form, version, language, started, finished, outcome, indicators, unanswered`, then
/// every answer in record order. A multiple choice is its codes joined by `;`, a repeated section is its
/// entries as compact JSON, a missing value is empty. Text that a spreadsheet would run as a
/// formula (`= + - @`, tab, CR at the start) gets a leading `'`. UTF-8 with a byte-order mark,
/// so spreadsheet programs read Cyrillic correctly; lines end in CRLF.
pub fn record_csv(record: &Value) -> String {
    let mut header: Vec<String> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    for k in ["form", "version", "language", "started", "finished", "outcome", "indicators", "unanswered"] {
        header.push(k.to_string());
        row.push(csv_value(&record[k]));
    }
    if let Some(answers) = record["answers"].as_object() {
        for (k, v) in answers {
            header.push(k.clone());
            row.push(csv_value(v));
        }
    }
    let line = |cells: &[String]| cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",");
    format!("\u{feff}{}\r\n{}\r\n", line(&header), line(&row))
}

fn csv_value(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => defuse_formula(s),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            defuse_formula(&items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(";"))
        }
        other => other.to_string(),
    }
}

fn defuse_formula(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Where the decrypted copy of `file` goes: its name with `.json` (or `.csv`) in place of its
/// extension, or `.decrypted.json` if the file already ends in `.json`.
pub fn output_path(file: &Path, extension: &str) -> PathBuf {
    let plain = file.with_extension(extension);
    if plain == file {
        file.with_extension(format!("decrypted.{extension}"))
    } else {
        plain
    }
}

/// `oberih decrypt --key private.pem FILE...`: writes each record beside its file as JSON (and
/// CSV with `csv`), never overwriting anything. Every file is tried; the error counts failures.
pub fn run_decrypt(key: &Path, files: &[PathBuf], csv: bool) -> Result<(), CryptoError> {
    let key_pem =
        std::fs::read_to_string(key).map_err(|source| CryptoError::Read { path: key.display().to_string(), source })?;
    private_key(&key_pem)?;
    let mut failed = 0;
    for file in files {
        match decrypt_one(&key_pem, file, csv) {
            Ok(written) => println!("{} → {}", file.display(), written.join(", ")),
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                failed += 1;
            }
        }
    }
    match failed {
        0 => Ok(()),
        _ => Err(CryptoError::SomeFailed { failed, total: files.len() }),
    }
}

fn decrypt_one(key_pem: &str, file: &Path, csv: bool) -> Result<Vec<String>, CryptoError> {
    let bytes = std::fs::read(file).map_err(|source| CryptoError::Read { path: file.display().to_string(), source })?;
    let record = decrypt_file(key_pem, &bytes)?;
    let mut outputs = vec![(output_path(file, "json"), pretty(&record))];
    if csv {
        outputs.push((output_path(file, "csv"), record_csv(&record)));
    }
    if let Some((p, _)) = outputs.iter().find(|(p, _)| p.exists()) {
        return Err(CryptoError::Exists(p.display().to_string()));
    }
    let mut written = Vec::new();
    for (path, text) in outputs {
        std::fs::write(&path, text)
            .map_err(|source| CryptoError::Write { path: path.display().to_string(), source })?;
        written.push(path.display().to_string());
    }
    Ok(written)
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRIVATE: &str = include_str!("../tests/fixtures/crypto/test-private.pem");
    const PUBLIC: &str = include_str!("../tests/fixtures/crypto/test-public.pem");
    const OTHER: &str = include_str!("../tests/fixtures/crypto/other-private.pem");

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
}
