//! Screening forms: the TOML model, its validation, the expression language, and the outputs
//! (interactive page, paper form, JSON Schema).

pub mod expr;
pub mod model;
