//! Oberih turns Markdown guidance, the state programme's standards and TOML screening forms into a
//! multilingual static portal that works from any static host and from disk (`file://`).
//!
//! The pipeline: config → walk → parse everything (collecting every diagnostic) → resolve and
//! validate → render (in parallel) → index → write to a staging folder → swap into place.

pub mod build;
pub mod cli;
pub mod config;
pub mod contacts;
pub mod content;
pub mod control_chars;
pub mod coverage;
pub mod dates;
pub mod diag;
pub mod envelope;
pub mod fallback;
pub mod forms;
pub mod htcds;
pub mod html;
pub mod i18n;
pub mod keys;

pub mod markdown;
pub mod minify;
pub mod offline;
pub mod output;
pub mod pack;
pub mod phones;
pub mod records;
pub mod region;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
pub mod standards;
pub mod statistics;
pub mod stdio;
pub mod theme;
pub mod xlsform;
