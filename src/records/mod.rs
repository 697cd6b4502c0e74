//! Records a questionnaire exports: the encrypted envelope ([`envelope`]), `oberih decrypt`,
//! which turns such files back into JSON ([`decrypt`]), the record as one CSV row ([`csv`]), and
//! datasets of many records ([`dataset`], filled by [`add`], read out by [`export`]).

pub mod csv;
pub mod decrypt;
pub mod envelope;
pub mod htcds;
pub mod summary;

// Datasets: `oberih records add` and `oberih records export`.
pub mod add;
pub mod check;
pub mod dataset;
mod error;
pub mod export;
pub mod migrate;
pub mod place;
pub mod portal;
pub use error::RecordsError;
pub use portal::{portal_forms, read_office_key, PortalForms};
#[cfg(test)]
pub(crate) mod fixture;

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
    #[error("`{path}` is {size_mb} MB; an encrypted record is at most {limit_mb} MB (one questionnaire's export is a few kilobytes), so it was not read")]
    TooLarge { path: String, size_mb: u64, limit_mb: u64 },
    #[error("not an encrypted Oberih record: {0}")]
    NotEnvelope(String),
    #[error("the record is malformed: {0}")]
    Malformed(String),
    #[error("the record uses envelope format {0}, which this version of oberih cannot read; update oberih")]
    UnsupportedFormat(u64),
    #[error("the record was encrypted for another key ({record}); this private key is {key}")]
    WrongKey { record: String, key: String },
    #[error("the record key cannot be unwrapped with this private key: `wrapped_key` was changed or damaged")]
    Unwrap,
    #[error("the record failed its integrity check: the file was changed or damaged")]
    Tampered,
    #[error("{failed} of {total} files could not be decrypted")]
    SomeFailed { failed: usize, total: usize },
}

#[cfg(test)]
mod tests;
