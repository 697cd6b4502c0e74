//! Format 2's record key: ECDH of an ephemeral P-256 key with the office's, then HKDF-SHA256
//! (salt: the ephemeral public point; info: the record's additional data).
//!
//! Opening runs one key agreement per record, and a month of a region's exports is tens of
//! thousands of records: that agreement uses AWS-LC's P-256 (assembly, constant time; about
//! 2.5 times as fast here as the portable `p256` crate, which still reads keys and seals).

use aws_lc_rs::agreement;
use hkdf::Hkdf;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use sha2::Sha256;

use super::open::malformed;
use super::{CryptoError, AES_KEY_BYTES, EPK_BYTES};

/// The office's P-256 private key, ready for many key agreements.
pub(super) struct EcOfficeKey {
    agreement: agreement::PrivateKey,
}

impl EcOfficeKey {
    pub(super) fn new(secret: &SecretKey) -> Result<EcOfficeKey, CryptoError> {
        let agreement = agreement::PrivateKey::from_private_key(&agreement::ECDH_P256, &secret.to_bytes())
            .map_err(|e| CryptoError::PrivateKey(format!("a P-256 key that cannot be used for key agreement: {e}")))?;
        Ok(EcOfficeKey { agreement })
    }
}

/// The AES key for a record, from the ECDH shared secret (the x coordinate of the shared point).
fn record_key(shared: &[u8], epk: &[u8], info: &str) -> [u8; AES_KEY_BYTES] {
    let mut key = [0u8; AES_KEY_BYTES];
    // 32 bytes is far below HKDF-SHA256's limit of 255 × 32, so `expand` cannot fail.
    let _ = Hkdf::<Sha256>::new(Some(epk), shared).expand(info.as_bytes(), &mut key);
    key
}

/// A fresh ephemeral key for sealing one record: its public point (`epk`) and the AES key.
pub(super) fn seal_key(office: &PublicKey, info: &str) -> (Vec<u8>, [u8; AES_KEY_BYTES]) {
    let ephemeral = p256::ecdh::EphemeralSecret::random(&mut aes_gcm::aead::OsRng);
    let epk = ephemeral.public_key().to_encoded_point(false).as_bytes().to_vec();
    let shared = ephemeral.diffie_hellman(office);
    let key = record_key(shared.raw_secret_bytes(), &epk, info);
    (epk, key)
}

/// The AES key of a record sealed to `office`, from the record's `epk`.
pub(super) fn open_key(office: &EcOfficeKey, epk: &[u8], info: &str) -> Result<[u8; AES_KEY_BYTES], CryptoError> {
    // The peer point is checked to lie on the curve before it is used.
    let point = agreement::UnparsedPublicKey::new(&agreement::ECDH_P256, epk);
    agreement::agree(&office.agreement, point, (), |shared| Ok(record_key(shared, epk, info)))
        .map_err(|()| malformed("`epk` is not a point of the curve P-256: the file was changed or damaged"))
}

/// Whether `epk` has the shape of an uncompressed P-256 point (whether it is one is checked
/// when the key is derived).
pub(super) fn check_epk(epk: &[u8]) -> Result<(), CryptoError> {
    if epk.len() != EPK_BYTES || epk[0] != 4 {
        let n = epk.len();
        return Err(malformed(format!(
            "`epk` is {n} bytes{}; format 2 uses a {EPK_BYTES}-byte uncompressed P-256 point",
            if n == EPK_BYTES { " but not an uncompressed point" } else { "" }
        )));
    }
    Ok(())
}
