//! XLSForm, the spreadsheet form format of ODK Collect, Enketo and KoboToolbox.
//!
//! `export` writes a validated form as an XLSForm workbook (`survey`, `choices`, `settings`):
//! texts in every portal language, the expression language as ODK XPath (`xpath_out`), alerts and
//! endings as notes, indicators and the outcome as calculated fields.

pub mod export;
mod export_meta;
mod export_place;
pub mod export_run;
pub mod export_write;
pub mod xpath_out;
mod xpath_out_model;

pub use export_meta::version_number;
pub use export_run::export_file;
