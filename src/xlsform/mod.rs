//! XLSForm, the spreadsheet form format of ODK Collect, Enketo and KoboToolbox: a workbook with
//! `survey`, `choices` and `settings` sheets.
//!
//! `export` writes a validated form as an XLSForm workbook: texts in every portal language, the
//! expression language as ODK XPath (`xpath_out`), alerts and endings as notes, indicators and
//! the outcome as calculated fields, and in [`extra`]'s columns what only the form file needs.
//! [`import`] makes a workbook into a form file, ODK XPath back into the expression language
//! (`xpath_in`); a workbook it exported comes back as the whole form.

pub mod export;
mod export_meta;
mod export_place;
pub mod export_run;
pub mod export_write;
pub mod extra;
pub mod import;
mod import_oberih;
pub mod model;
pub mod names;
pub mod run;
pub mod sheet;
pub mod survey;
pub mod toml_out;
pub mod xpath_in;
pub mod xpath_out;
mod xpath_out_model;

pub use export_meta::{plain_text, version_number};
pub use export_run::export_file;
