//! XLSForm, the spreadsheet format of ODK Collect and KoboToolbox: a workbook with `survey`,
//! `choices` and `settings` sheets. [`import`] makes one into a form file.

pub mod import;
pub mod model;
pub mod names;
pub mod run;
pub mod sheet;
pub mod survey;
pub mod toml_out;
pub mod xpath_in;
