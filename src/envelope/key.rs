//! Office keys: a public key checked for the page (RSA of at least [`MIN_KEY_BITS`] bits, or
//! P-256), and the private key `oberih decrypt` and `oberih records add` open records with.

use p256::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _, EncodePublicKey as _};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::spki::AlgorithmIdentifierRef;
use rsa::pkcs8::{Document, PrivateKeyInfo, SecretDocument, SubjectPublicKeyInfoRef};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};

use super::ecdh::EcOfficeKey;
use super::{fingerprint, CryptoError, MIN_KEY_BITS};

/// The kinds of office key, and so of envelope: RSA seals in format 1, P-256 in format 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Rsa,
    P256,
}

impl KeyKind {
    /// The name the page is told, and the envelope format it then writes.
    pub fn name(self) -> &'static str {
        match self {
            KeyKind::Rsa => "rsa",
            KeyKind::P256 => "p256",
        }
    }

    pub fn format(self) -> u64 {
        match self {
            KeyKind::Rsa => super::FORMAT_RSA,
            KeyKind::P256 => super::FORMAT_EC,
        }
    }

    /// How messages name it: "an RSA key", "a P-256 key".
    pub fn described(self) -> &'static str {
        match self {
            KeyKind::Rsa => "an RSA key",
            KeyKind::P256 => "a P-256 (EC) key",
        }
    }
}

/// A public key checked for record encryption, in the forms the page needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKeyInfo {
    pub kind: KeyKind,
    /// DER SubjectPublicKeyInfo, what WebCrypto's `importKey('spki', …)` takes.
    pub spki_der: Vec<u8>,
    /// `sha256:` and the hex SHA-256 of `spki_der`.
    pub fingerprint: String,
    pub bits: usize,
}

/// Reads a PEM public key (`-----BEGIN PUBLIC KEY-----`) and checks it can protect records.
pub fn public_key_info(pem: &str) -> Result<PublicKeyInfo, CryptoError> {
    let bad = |e: &dyn std::fmt::Display| CryptoError::PublicKey(e.to_string());
    let (label, doc) = Document::from_pem(pem.trim()).map_err(|e| bad(&e))?;
    if label != "PUBLIC KEY" {
        return Err(CryptoError::PublicKey(format!("the PEM block is a `{label}`, not a `PUBLIC KEY`")));
    }
    let info: SubjectPublicKeyInfoRef = doc.decode_msg().map_err(|e| bad(&e))?;
    match kind_of(&info.algorithm)? {
        KeyKind::Rsa => rsa_info(&RsaPublicKey::from_public_key_der(doc.as_bytes()).map_err(|e| bad(&e))?),
        KeyKind::P256 => Ok(p256_info(&p256::PublicKey::from_public_key_der(doc.as_bytes()).map_err(|e| bad(&e))?)),
    }
}

fn rsa_info(key: &RsaPublicKey) -> Result<PublicKeyInfo, CryptoError> {
    use rsa::pkcs8::EncodePublicKey;
    let bits = key.size() * 8;
    if bits < MIN_KEY_BITS {
        return Err(CryptoError::WeakKey(bits));
    }
    let der = key.to_public_key_der().map_err(|e| CryptoError::PublicKey(e.to_string()))?;
    let spki_der = der.as_bytes().to_vec();
    Ok(PublicKeyInfo { kind: KeyKind::Rsa, fingerprint: fingerprint(&spki_der), spki_der, bits })
}

fn p256_info(key: &p256::PublicKey) -> PublicKeyInfo {
    // A valid point always encodes; the DER is the uncompressed point under the P-256 OID.
    let spki_der = key.to_public_key_der().map(|d| d.as_bytes().to_vec()).unwrap_or_default();
    PublicKeyInfo { kind: KeyKind::P256, fingerprint: fingerprint(&spki_der), spki_der, bits: 256 }
}

/// Which kind of office key an algorithm identifier names, or what it is instead.
fn kind_of(algorithm: &AlgorithmIdentifierRef) -> Result<KeyKind, CryptoError> {
    let other = |name: &str| Err(CryptoError::OtherAlgorithm(name.to_string()));
    match algorithm.oid.to_string().as_str() {
        "1.2.840.113549.1.1.1" => Ok(KeyKind::Rsa),
        "1.2.840.10045.2.1" => match algorithm.parameters_oid().map(|o| o.to_string()).as_deref() {
            Ok("1.2.840.10045.3.1.7") => Ok(KeyKind::P256),
            Ok("1.3.132.0.34") => other("an EC key on the curve P-384"),
            Ok("1.3.132.0.35") => other("an EC key on the curve P-521"),
            Ok("1.3.132.0.10") => other("an EC key on the curve secp256k1"),
            Ok(oid) if oid.starts_with("1.3.36.3.3.2.8.1.1.") => other("an EC key on a Brainpool curve"),
            Ok(oid) => other(&format!("an EC key on another curve (OID {oid})")),
            Err(_) => other("an EC key with explicit curve parameters"),
        },
        "1.3.101.112" => other("an Ed25519 key"),
        "1.3.101.113" => other("an Ed448 key"),
        "1.3.101.110" => other("an X25519 key"),
        "1.3.101.111" => other("an X448 key"),
        "1.2.840.10040.4.1" => other("a DSA key"),
        "1.2.840.113549.1.1.10" => other("an RSA-PSS key"),
        oid => other(&format!("a key of another algorithm (OID {oid})")),
    }
}

/// The office's private key, read once for many records, with its public key's fingerprint.
pub struct OfficeKey {
    pub(super) secret: Secret,
    pub(super) fingerprint: String,
}

pub(super) enum Secret {
    Rsa(Box<RsaPrivateKey>),
    P256(Box<EcOfficeKey>),
}

impl OfficeKey {
    /// Reads an RSA (PKCS#8 or PKCS#1) or P-256 (PKCS#8 or SEC1) private key in PEM.
    pub fn from_pem(pem: &str) -> Result<OfficeKey, CryptoError> {
        let (secret, info) = secret(pem.trim())?;
        Ok(OfficeKey { secret, fingerprint: info.fingerprint })
    }

    pub fn kind(&self) -> KeyKind {
        match self.secret {
            Secret::Rsa(_) => KeyKind::Rsa,
            Secret::P256(_) => KeyKind::P256,
        }
    }

    /// `sha256:` and the hex SHA-256 of the public half, as records name it.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

/// The private key in `pem`, and what its public half is.
fn secret(pem: &str) -> Result<(Secret, PublicKeyInfo), CryptoError> {
    let bad = |e: &dyn std::fmt::Display| CryptoError::PrivateKey(e.to_string());
    let label = pem.lines().find_map(|l| l.trim().strip_prefix("-----BEGIN ")?.strip_suffix("-----"));
    match label {
        Some("RSA PRIVATE KEY") => rsa_secret(RsaPrivateKey::from_pkcs1_pem(pem).map_err(|e| bad(&e))?),
        Some("EC PRIVATE KEY") => p256::SecretKey::from_sec1_pem(pem)
            .map_err(|_| CryptoError::PrivateKey("an EC private key that is not on the curve P-256".into()))
            .and_then(|key| ec_secret(&key)),
        Some("PRIVATE KEY") => {
            let (_, doc) = SecretDocument::from_pem(pem).map_err(|e| bad(&e))?;
            let info = PrivateKeyInfo::try_from(doc.as_bytes()).map_err(|e| bad(&e))?;
            match kind_of(&info.algorithm).map_err(|e| bad(&e))? {
                KeyKind::Rsa => rsa_secret(RsaPrivateKey::from_pkcs8_der(doc.as_bytes()).map_err(|e| bad(&e))?),
                KeyKind::P256 => ec_secret(&p256::SecretKey::from_pkcs8_der(doc.as_bytes()).map_err(|e| bad(&e))?),
            }
        }
        Some("ENCRYPTED PRIVATE KEY") => Err(CryptoError::PrivateKey(
            "it is protected by a passphrase; keep it on an encrypted disk instead and remove the passphrase: \
             `openssl pkey -in office.pem -out office-open.pem`"
                .into(),
        )),
        Some(label) => Err(CryptoError::PrivateKey(format!("the PEM block is a `{label}`, not a private key"))),
        None => Err(CryptoError::PrivateKey("it has no `-----BEGIN PRIVATE KEY-----` line".into())),
    }
}

fn rsa_secret(key: RsaPrivateKey) -> Result<(Secret, PublicKeyInfo), CryptoError> {
    let info = rsa_info(&key.to_public_key())?;
    Ok((Secret::Rsa(Box::new(key)), info))
}

fn ec_secret(key: &p256::SecretKey) -> Result<(Secret, PublicKeyInfo), CryptoError> {
    Ok((Secret::P256(Box::new(EcOfficeKey::new(key)?)), p256_info(&key.public_key())))
}
