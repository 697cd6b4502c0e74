//! The envelope a questionnaire page writes when its form says `export = "encrypted"`: sealing,
//! opening, and the checks of office keys. The page's side is `src/forms/runtime/seal.js`; this
//! module depends on no other part of Oberih, so the build, the forms and the records commands
//! can all use it.
//!
//! Every record gets a fresh AES-256 key and a 96-bit IV; the record JSON (UTF-8) is encrypted
//! with AES-256-GCM and the AES key is forgotten. How the office's key protects that AES key
//! depends on the kind of key, and names the envelope's format:
//!
//! - **Format 1, RSA keys** (`"alg": "RSA-OAEP-256+A256GCM"`): the AES key is random and wrapped
//!   with RSA-OAEP (SHA-256, MGF1-SHA-256) under the office's public key (`wrapped_key`).
//! - **Format 2, P-256 keys** (`"alg": "ECDH-ES+HKDF-SHA256+A256GCM"`): the page makes an
//!   ephemeral P-256 key pair per record and keeps only its public point (`epk`). The ECDH shared
//!   secret of the ephemeral private key and the office's public key (its x-coordinate, 32 bytes,
//!   what WebCrypto's `deriveBits` gives) is the HKDF-SHA256 input key material; the HKDF salt is
//!   the 65 bytes of `epk` (the raw uncompressed point); the HKDF info is the additional data
//!   below (`oberih-record/2`, form, version and key fingerprint joined by `\n`, UTF-8); 32 bytes
//!   are derived as the AES-256 key. A P-256 operation costs a small fraction of an RSA private
//!   one, which is what lets an office open a year of records in seconds.
//!
//! The file is one JSON object:
//!
//! ```text
//! {
//!   "oberih": "encrypted-record",          what the file is
//!   "format": 1 or 2,                       the layout below
//!   "alg": "RSA-OAEP-256+A256GCM" or "ECDH-ES+HKDF-SHA256+A256GCM",
//!   "form": "initial-screening",            in the clear, so an office can sort files unopened
//!   "version": "2026.1",
//!   "key": "sha256:<64 hex>",               SHA-256 of the public key's DER SubjectPublicKeyInfo
//!   "wrapped_key": "<base64>",              format 1: RSA-OAEP(public key, AES key)
//!   "epk": "<base64, 65 bytes>",            format 2: the ephemeral public point, 0x04 ‖ x ‖ y
//!   "iv": "<base64, 12 bytes>",
//!   "ciphertext": "<base64>"                AES-GCM output: encrypted record, then the 16-byte tag
//! }
//! ```
//!
//! Base64 is the standard alphabet with padding. The GCM additional data binds the clear header to
//! the ciphertext, so changing the form, version or key fingerprint in the header makes decryption
//! fail like any other change: `oberih-record/<format>`, form, version and key joined by `\n`
//! ([`additional_data`]). In format 2 a changed `epk` gives another AES key, so it fails the same
//! way; one that is not a point of P-256 is named as damaged.
//!
//! There is no plaintext fallback anywhere: a page that cannot encrypt refuses to export.
//! The private key never goes into the portal; only `oberih decrypt` and `oberih records add` on
//! the office's computer use it. (The `rsa` crate's RUSTSEC-2023-0071 timing side channel needs an
//! attacker who can time many decryptions; an offline command run by the key's owner gives none.)

mod ecdh;
mod error;
mod key;
mod open;
mod seal;

pub use error::CryptoError;
pub use key::{public_key_info, KeyKind, OfficeKey, PublicKeyInfo};
pub use open::{decrypt_file, read_sealed, Envelope};
pub use seal::encrypt_record;

use sha2::{Digest, Sha256};

/// The `oberih` field of an encrypted record.
pub const RECORD_KIND: &str = "encrypted-record";
/// The envelope layout of records sealed with an RSA key.
pub const FORMAT_RSA: u64 = 1;
pub const ALGORITHM_RSA: &str = "RSA-OAEP-256+A256GCM";
/// The envelope layout of records sealed with a P-256 key.
pub const FORMAT_EC: u64 = 2;
pub const ALGORITHM_EC: &str = "ECDH-ES+HKDF-SHA256+A256GCM";
/// The smallest RSA key accepted for wrapping record keys.
pub const MIN_KEY_BITS: usize = 2048;
/// The largest file `oberih decrypt` reads as a record. One questionnaire's export is a few
/// kilobytes; a file this large is something else, and reading it whole would take several
/// times its size in memory.
pub const MAX_RECORD_BYTES: u64 = 64 * MIB;
/// The largest file read as a private key (a 16384-bit PEM key is about 13 kB).
pub const MAX_KEY_BYTES: u64 = MIB;
pub const MIB: u64 = 1024 * 1024;
/// AES-256-GCM as both formats use it.
pub const IV_BYTES: usize = 12;
pub const TAG_BYTES: usize = 16;
pub const AES_KEY_BYTES: usize = 32;
/// An uncompressed P-256 point: `0x04`, then x and y of 32 bytes each.
pub const EPK_BYTES: usize = 65;

/// `sha256:<hex>` of a DER SubjectPublicKeyInfo.
pub fn fingerprint(spki_der: &[u8]) -> String {
    let digest = Sha256::digest(spki_der);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The GCM additional data that ties the clear header to the ciphertext (and, in format 2, the
/// HKDF info).
pub fn additional_data(format: u64, form: &str, version: &str, key_fingerprint: &str) -> String {
    format!("oberih-record/{format}\n{form}\n{version}\n{key_fingerprint}")
}

#[cfg(test)]
pub(crate) mod tests;
