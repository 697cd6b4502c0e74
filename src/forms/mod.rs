//! Screening forms: the TOML model, its validation, the expression language, and the outputs
//! (interactive page, paper form, JSON Schema).
//!
//! `validate::load` turns a form file into a [`Form`]; every output reads that one value.

pub mod expr;
pub mod file;
pub mod file_schema;
pub mod form;
pub mod interactive;
pub mod links;
pub mod packed;
pub mod print;
pub mod print_footer;
pub mod record_schema;
pub mod routing;
pub(crate) mod source_map;
#[cfg(test)]
pub(crate) mod testing;
pub mod translations;
pub mod validate;
pub mod words;

pub use form::{Choice, Citation, CitationKind, Form, Indicator, LangText, Logic, Outcome, Question, Section};
pub use print::paper_form_html;
pub use print_footer::paper_page_style;
pub use record_schema::record_schema;
pub use validate::{load, plural_needed, FormContext};
