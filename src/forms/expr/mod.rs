//! The form expression language.
