//! The envelope a questionnaire page writes when its form says `export = "encrypted"`: sealing,
//! opening, and the checks of a public key. The page's side is `src/forms/runtime/seal.js`; this
//! module depends on no other part of Oberih, so the build, the forms and the records commands
//! can all use it.
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

mod error;
pub use error::CryptoError;

/// The `oberih` field of an encrypted record.
pub const RECORD_KIND: &str = "encrypted-record";
/// The envelope layout this code writes and reads.
pub const FORMAT: u64 = 1;
pub const ALGORITHM: &str = "RSA-OAEP-256+A256GCM";
/// The smallest RSA key accepted for wrapping record keys.
pub const MIN_KEY_BITS: usize = 2048;
/// The largest file `oberih decrypt` reads as a record. One questionnaire's export is a few
/// kilobytes; a file this large is something else, and reading it whole would take several
/// times its size in memory.
pub const MAX_RECORD_BYTES: u64 = 64 * MIB;
/// The largest file read as a private key (a 16384-bit PEM key is about 13 kB).
pub const MAX_KEY_BYTES: u64 = MIB;
pub const MIB: u64 = 1024 * 1024;
/// AES-256-GCM as format 1 uses it.
pub const IV_BYTES: usize = 12;
pub const TAG_BYTES: usize = 16;
pub const AES_KEY_BYTES: usize = 32;

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

pub fn info_of(key: &RsaPublicKey) -> Result<PublicKeyInfo, CryptoError> {
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

pub fn private_key(pem: &str) -> Result<RsaPrivateKey, CryptoError> {
    let pem = pem.trim();
    RsaPrivateKey::from_pkcs8_pem(pem)
        .or_else(|e| RsaPrivateKey::from_pkcs1_pem(pem).map_err(|_| e))
        .map_err(|e| CryptoError::PrivateKey(e.to_string()))
}

/// The clear part of an envelope and its three binary fields.
pub struct Envelope {
    form: String,
    version: String,
    key: String,
    wrapped_key: Vec<u8>,
    iv: Vec<u8>,
    ciphertext: Vec<u8>,
}

pub fn parse_envelope(bytes: &[u8]) -> Result<Envelope, CryptoError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(CryptoError::NotEnvelope("the file is empty".into()));
    }
    let v: Value = serde_json::from_slice(bytes).map_err(|e| CryptoError::NotEnvelope(format!("not JSON ({e})")))?;
    if !v.is_object() {
        return Err(CryptoError::NotEnvelope(format!("it is {}", json_kind(&v, "JSON "))));
    }
    if v["oberih"] != RECORD_KIND {
        return Err(CryptoError::NotEnvelope("it has no `\"oberih\": \"encrypted-record\"` header".into()));
    }
    let format = match &v["format"] {
        Value::Null => return Err(malformed("`format` is missing")),
        f => f.as_u64().ok_or_else(|| malformed(format!("`format` is {f}, not a number")))?,
    };
    if format != FORMAT {
        return Err(CryptoError::UnsupportedFormat(format));
    }
    match &v["alg"] {
        Value::Null => return Err(malformed("`alg` is missing")),
        a if a != ALGORITHM => {
            return Err(malformed(format!("unknown algorithm {a} (this version of oberih reads {ALGORITHM})")))
        }
        _ => {}
    }
    let text = |k: &str| match &v[k] {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Err(malformed(format!("`{k}` is missing"))),
        other => Err(malformed(format!("`{k}` is {}, not text", json_kind(other, "")))),
    };
    let binary = |k: &str| B64.decode(text(k)?).map_err(|e| malformed(format!("`{k}` is not base64 ({e})")));
    let env = Envelope {
        form: text("form")?,
        version: text("version")?,
        key: text("key")?,
        wrapped_key: binary("wrapped_key")?,
        iv: binary("iv")?,
        ciphertext: binary("ciphertext")?,
    };
    let hex = env.key.strip_prefix("sha256:").unwrap_or("");
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(malformed(format!("`key` is not a key fingerprint (`sha256:` and 64 hex digits): {}", env.key)));
    }
    if env.iv.len() != IV_BYTES {
        return Err(malformed(format!("`iv` is {} bytes; format 1 uses a {IV_BYTES}-byte IV", env.iv.len())));
    }
    if env.ciphertext.len() < TAG_BYTES {
        let n = env.ciphertext.len();
        return Err(malformed(format!("`ciphertext` is {n} bytes, shorter than the {TAG_BYTES}-byte GCM tag")));
    }
    Ok(env)
}

pub fn malformed(message: impl Into<String>) -> CryptoError {
    CryptoError::Malformed(message.into())
}

/// What a JSON value is, for messages: "a number", "an array", …
pub fn json_kind(v: &Value, prefix: &str) -> String {
    let (article, name) = match v {
        Value::Null => ("", "null"),
        Value::Bool(_) => ("a ", "boolean"),
        Value::Number(_) => ("a ", "number"),
        Value::String(_) => ("", "text"),
        Value::Array(_) => ("an ", "array"),
        Value::Object(_) => ("an ", "object"),
    };
    match (prefix, article) {
        ("", _) => format!("{article}{name}"),
        (_, "an ") => format!("a {prefix}{name}"),
        _ => format!("{article}{prefix}{name}"),
    }
}

/// Decrypts one encrypted record file with the office's private key (PEM) and returns the record.
pub fn decrypt_file(key_pem: &str, bytes: &[u8]) -> Result<Value, CryptoError> {
    let env = parse_envelope(bytes)?;
    decrypt_envelope(&OfficeKey::from_pem(key_pem)?, env)
}

/// The office's private key, read once for many records, with its public key's fingerprint.
pub struct OfficeKey {
    key: RsaPrivateKey,
    fingerprint: String,
}

impl OfficeKey {
    pub fn from_pem(pem: &str) -> Result<OfficeKey, CryptoError> {
        let key = private_key(pem)?;
        let fingerprint = info_of(&key.to_public_key())?.fingerprint;
        Ok(OfficeKey { key, fingerprint })
    }

    /// Decrypts one encrypted record file.
    pub fn decrypt(&self, bytes: &[u8]) -> Result<Value, CryptoError> {
        decrypt_envelope(self, parse_envelope(bytes)?)
    }
}

fn decrypt_envelope(office: &OfficeKey, env: Envelope) -> Result<Value, CryptoError> {
    let key = &office.key;
    if office.fingerprint != env.key {
        return Err(CryptoError::WrongKey { record: env.key, key: office.fingerprint.clone() });
    }
    if env.wrapped_key.len() != key.size() {
        let (n, size) = (env.wrapped_key.len(), key.size());
        return Err(malformed(format!("`wrapped_key` is {n} bytes; this key wraps record keys in {size} bytes")));
    }
    let raw = key.decrypt(Oaep::new::<Sha256>(), &env.wrapped_key).map_err(|_| CryptoError::Unwrap)?;
    if raw.len() != AES_KEY_BYTES {
        let n = raw.len();
        return Err(malformed(format!("the record key is {n} bytes; format 1 uses {AES_KEY_BYTES}-byte AES-256 keys")));
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
