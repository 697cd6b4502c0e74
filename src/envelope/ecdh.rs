//! Format 2's record key: ECDH of an ephemeral P-256 key with the office's, then HKDF-SHA256
//! (salt: the ephemeral public point; info: the record's additional data).

use hkdf::Hkdf;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use sha2::Sha256;

use super::open::malformed;
use super::{CryptoError, AES_KEY_BYTES, EPK_BYTES};

/// The AES key for a record, from the ECDH shared secret.
fn record_key(shared: &p256::ecdh::SharedSecret, epk: &[u8], info: &str) -> [u8; AES_KEY_BYTES] {
    let mut key = [0u8; AES_KEY_BYTES];
    // 32 bytes is far below HKDF-SHA256's limit of 255 × 32, so `expand` cannot fail.
    let _ = Hkdf::<Sha256>::new(Some(epk), shared.raw_secret_bytes()).expand(info.as_bytes(), &mut key);
    key
}

/// A fresh ephemeral key for sealing one record: its public point (`epk`) and the AES key.
pub(super) fn seal_key(office: &PublicKey, info: &str) -> (Vec<u8>, [u8; AES_KEY_BYTES]) {
    let ephemeral = p256::ecdh::EphemeralSecret::random(&mut aes_gcm::aead::OsRng);
    let epk = ephemeral.public_key().to_encoded_point(false).as_bytes().to_vec();
    let shared = ephemeral.diffie_hellman(office);
    let key = record_key(&shared, &epk, info);
    (epk, key)
}

/// The AES key of a record sealed to `office`, from the record's `epk`.
pub(super) fn open_key(office: &SecretKey, epk: &[u8], info: &str) -> Result<[u8; AES_KEY_BYTES], CryptoError> {
    let point = PublicKey::from_sec1_bytes(epk)
        .map_err(|_| malformed("`epk` is not a point of the curve P-256: the file was changed or damaged"))?;
    let shared = p256::ecdh::diffie_hellman(office.to_nonzero_scalar(), point.as_affine());
    Ok(record_key(&shared, epk, info))
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
