//! Records a questionnaire exports: `oberih decrypt`, which turns encrypted records (the
//! [`crate::envelope`]) back into JSON ([`decrypt`]), the record as one CSV row ([`csv`]), and
//! datasets of many records ([`dataset`], filled by [`add`], read out by [`export`]).

pub mod csv;
pub mod decrypt;
pub mod htcds;
pub mod summary;

// Datasets: `oberih records add` and `oberih records export`.
pub mod add;
pub mod check;
pub mod dataset;
mod error;
pub mod export;
pub mod json;
pub mod migrate;
pub mod place;
pub mod portal;
pub use error::RecordsError;
pub use portal::{portal_forms, read_office_key, PortalForms};
#[cfg(test)]
pub(crate) mod fixture;

pub use crate::envelope::CryptoError;

#[cfg(test)]
mod tests;
