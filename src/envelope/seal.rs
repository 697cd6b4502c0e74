//! Sealing a record the way the page does, for tests and for tools that produce records.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, Payload};
use aes_gcm::Aes256Gcm;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Oaep, RsaPublicKey};
use serde_json::{json, Value};
use sha2::Sha256;

use super::{additional_data, ecdh, public_key_info, CryptoError, KeyKind, RECORD_KIND};

/// Encrypts a record to the office's public key (PEM): format 1 for an RSA key, 2 for P-256.
pub fn encrypt_record(public_pem: &str, record: &Value) -> Result<Vec<u8>, CryptoError> {
    let info = public_key_info(public_pem)?;
    let form = record["form"].as_str().unwrap_or_default();
    let version = record["version"].as_str().unwrap_or_default();
    let format = info.kind.format();
    let aad = additional_data(format, form, version, &info.fingerprint);
    let bad_key = |e: &dyn std::fmt::Display| CryptoError::PublicKey(e.to_string());
    let mut rng = aes_gcm::aead::OsRng;
    let (raw, lock) = match info.kind {
        KeyKind::Rsa => {
            let key = RsaPublicKey::from_public_key_der(&info.spki_der).map_err(|e| bad_key(&e))?;
            let raw = Aes256Gcm::generate_key(&mut rng);
            let wrapped = key.encrypt(&mut rng, Oaep::new::<Sha256>(), &raw).map_err(|_| CryptoError::Unwrap)?;
            (raw, ("wrapped_key", wrapped))
        }
        KeyKind::P256 => {
            let key = p256::PublicKey::from_public_key_der(&info.spki_der).map_err(|e| bad_key(&e))?;
            let (epk, raw) = ecdh::seal_key(&key, &aad);
            (raw.into(), ("epk", epk))
        }
    };
    let iv = Aes256Gcm::generate_nonce(&mut rng);
    let plain = serde_json::to_vec(record).map_err(|e| CryptoError::NotEnvelope(e.to_string()))?;
    let ciphertext = Aes256Gcm::new(&raw)
        .encrypt(&iv, Payload { msg: &plain, aad: aad.as_bytes() })
        .map_err(|_| CryptoError::Tampered)?;
    let mut envelope = json!({
        "oberih": RECORD_KIND,
        "format": format,
        "alg": algorithm(info.kind),
        "form": form,
        "version": version,
        "key": info.fingerprint,
    });
    envelope[lock.0] = json!(B64.encode(lock.1));
    envelope["iv"] = json!(B64.encode(iv));
    envelope["ciphertext"] = json!(B64.encode(ciphertext));
    Ok(envelope.to_string().into_bytes())
}

pub(super) fn algorithm(kind: KeyKind) -> &'static str {
    match kind {
        KeyKind::Rsa => super::ALGORITHM_RSA,
        KeyKind::P256 => super::ALGORITHM_EC,
    }
}
