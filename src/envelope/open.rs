//! Opening an encrypted record: the header read and checked, then the record key recovered with
//! the office's private key and the record decrypted.

use std::borrow::Cow;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rsa::traits::PublicKeyParts;
use rsa::Oaep;
use serde_json::Value;
use sha2::Sha256;

use super::key::Secret;
use super::seal::algorithm;
use super::{additional_data, ecdh, CryptoError, KeyKind, OfficeKey};
use super::{AES_KEY_BYTES, FORMAT_EC, FORMAT_RSA, IV_BYTES, RECORD_KIND, TAG_BYTES};

/// The clear part of an envelope and its binary fields, read from a file and not yet opened.
#[cfg_attr(test, derive(Debug, PartialEq))]
pub struct Envelope {
    format: u64,
    form: String,
    version: String,
    key: String,
    /// Format 1's `wrapped_key`, or format 2's `epk`.
    lock: Vec<u8>,
    iv: Vec<u8>,
    ciphertext: Vec<u8>,
}

/// The key kind whose envelope format this is.
fn kind_of_format(format: u64) -> Option<KeyKind> {
    [KeyKind::Rsa, KeyKind::P256].into_iter().find(|k| k.format() == format)
}

fn parse_envelope(bytes: &[u8]) -> Result<Envelope, CryptoError> {
    let env = match quick_envelope(bytes) {
        Some(env) => env,
        None => envelope_tree(bytes)?,
    };
    check_envelope(env)
}

/// A sealed record's envelope, its header checked, when the file is a well-formed sealed record
/// read in one pass; `None` for any other file, which its reader then takes as it comes (a
/// damaged envelope is named by [`OfficeKey::decrypt`]).
pub fn read_sealed(bytes: &[u8]) -> Option<Result<Envelope, CryptoError>> {
    quick_envelope(bytes).map(check_envelope)
}

/// An envelope's members as its text holds them, read without building a tree.
#[derive(serde::Deserialize)]
struct Members<'a> {
    #[serde(borrow)]
    oberih: Cow<'a, str>,
    format: u64,
    #[serde(borrow)]
    alg: Cow<'a, str>,
    #[serde(borrow)]
    form: Cow<'a, str>,
    #[serde(borrow)]
    version: Cow<'a, str>,
    #[serde(borrow)]
    key: Cow<'a, str>,
    #[serde(borrow, default)]
    wrapped_key: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    epk: Option<Cow<'a, str>>,
    #[serde(borrow)]
    iv: Cow<'a, str>,
    #[serde(borrow)]
    ciphertext: Cow<'a, str>,
}

/// A well-formed envelope, read in one pass: a month of records is tens of thousands of them.
/// `None` for anything else (a member missing, of another type or not base64, another kind),
/// which [`envelope_tree`] then reads to say what is wrong.
pub(super) fn quick_envelope(bytes: &[u8]) -> Option<Envelope> {
    let m: Members = serde_json::from_slice(bytes).ok()?;
    let kind = kind_of_format(m.format)?;
    if m.oberih != RECORD_KIND || m.alg != algorithm(kind) {
        return None;
    }
    let lock = if m.format == FORMAT_RSA { m.wrapped_key } else { m.epk }?;
    Some(Envelope {
        format: m.format,
        form: m.form.into_owned(),
        version: m.version.into_owned(),
        key: m.key.into_owned(),
        lock: B64.decode(lock.as_bytes()).ok()?,
        iv: B64.decode(m.iv.as_bytes()).ok()?,
        ciphertext: B64.decode(m.ciphertext.as_bytes()).ok()?,
    })
}

/// The envelope read as a JSON tree, member by member, naming the first problem.
pub(super) fn envelope_tree(bytes: &[u8]) -> Result<Envelope, CryptoError> {
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
    let kind = kind_of_format(format).ok_or(CryptoError::UnsupportedFormat(format))?;
    match &v["alg"] {
        Value::Null => return Err(malformed("`alg` is missing")),
        a if a != algorithm(kind) => {
            let expected = algorithm(kind);
            return Err(malformed(format!("unknown algorithm {a} (envelope format {format} is {expected})")));
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
        format,
        form: text("form")?,
        version: text("version")?,
        key: text("key")?,
        lock: binary(if format == FORMAT_RSA { "wrapped_key" } else { "epk" })?,
        iv: binary("iv")?,
        ciphertext: binary("ciphertext")?,
    };
    Ok(env)
}

/// The checks of an envelope's members that the JSON types do not make.
fn check_envelope(env: Envelope) -> Result<Envelope, CryptoError> {
    let format = env.format;
    let hex = env.key.strip_prefix("sha256:").unwrap_or("");
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(malformed(format!("`key` is not a key fingerprint (`sha256:` and 64 hex digits): {}", env.key)));
    }
    if format == FORMAT_EC {
        ecdh::check_epk(&env.lock)?;
    }
    if env.iv.len() != IV_BYTES {
        let n = env.iv.len();
        return Err(malformed(format!("`iv` is {n} bytes; format {format} uses a {IV_BYTES}-byte IV")));
    }
    if env.ciphertext.len() < TAG_BYTES {
        let n = env.ciphertext.len();
        return Err(malformed(format!("`ciphertext` is {n} bytes, shorter than the {TAG_BYTES}-byte GCM tag")));
    }
    Ok(env)
}

pub(super) fn malformed(message: impl Into<String>) -> CryptoError {
    CryptoError::Malformed(message.into())
}

/// What a JSON value is, for messages: "a number", "an array", …
fn json_kind(v: &Value, prefix: &str) -> String {
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
    OfficeKey::from_pem(key_pem)?.open(env)
}

impl OfficeKey {
    /// Decrypts one encrypted record file.
    pub fn decrypt(&self, bytes: &[u8]) -> Result<Value, CryptoError> {
        self.open(parse_envelope(bytes)?)
    }

    /// Decrypts a record whose envelope is already read ([`read_sealed`]).
    pub fn open(&self, env: Envelope) -> Result<Value, CryptoError> {
        if self.fingerprint != env.key {
            return Err(CryptoError::WrongKey { record: env.key, key: self.fingerprint.clone() });
        }
        let aad = additional_data(env.format, &env.form, &env.version, &env.key);
        let raw = match &self.secret {
            Secret::Rsa(key) if env.format == FORMAT_RSA => unwrap(key, &env.lock)?,
            Secret::P256(key) if env.format == FORMAT_EC => ecdh::open_key(key, &env.lock, &aad)?,
            _ => {
                let (format, kind) = (env.format, self.kind().described());
                return Err(malformed(format!(
                    "the record is in envelope format {format}, but the key it names is {kind}"
                )));
            }
        };
        let cipher = Aes256Gcm::new_from_slice(&raw).map_err(|_| CryptoError::Unwrap)?;
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
}

/// Format 1: the record key, unwrapped with RSA-OAEP.
fn unwrap(key: &rsa::RsaPrivateKey, wrapped: &[u8]) -> Result<[u8; AES_KEY_BYTES], CryptoError> {
    if wrapped.len() != key.size() {
        let (n, size) = (wrapped.len(), key.size());
        return Err(malformed(format!("`wrapped_key` is {n} bytes; this key wraps record keys in {size} bytes")));
    }
    let raw = key.decrypt(Oaep::new::<Sha256>(), wrapped).map_err(|_| CryptoError::Unwrap)?;
    raw.as_slice().try_into().map_err(|_| {
        let n = raw.len();
        malformed(format!("the record key is {n} bytes; format 1 uses {AES_KEY_BYTES}-byte AES-256 keys"))
    })
}
