//! Phone numbers in what authors write. Every number lives once in `data/contacts.toml`: a form
//! text refers to one as `{phone:ID}`, a page with `{{ contact(id="ID") }}`. This module finds
//! each `{phone:ID}` of a form file at its own place (a comment is not a text), and numbers typed
//! into page or form text where such a reference belongs ([`typed_numbers`]).

mod typed;

use std::ops::Range;

use crate::contacts::{digits, Contact, Directory};
use crate::diag::Diagnostic;
use crate::forms::source_map::{toml_strings, SourceMap};

pub use typed::{typed_numbers, CUE_WORDS};

/// How a form text refers to a contact's number.
const PHONE_REF: &str = "{phone:";

/// Each `{phone:ID}` in `value`: its byte range and the id.
fn phone_refs(value: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = value[from..].find(PHONE_REF) {
        let start = from + rel;
        let Some(len) = value[start..].find('}') else { break };
        out.push((start..start + len + 1, value[start + PHONE_REF.len()..start + len].trim()));
        from = start + len + 1;
    }
    out
}

/// Phone problems of one form file (a form, or a translation of one): each use of an unknown
/// contact is an error at its place, and each number typed into a text a warning.
pub fn check_form_file(shown: &str, text: &str, contacts: &Directory) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (token, value) in toml_strings(text) {
        let map = SourceMap::new(text, token, &value);
        let at = |span: Range<usize>| map.range(crate::forms::expr::Span::new(span.start, span.end));
        let refs = phone_refs(&value);
        for (span, id) in &refs {
            if contacts.get(id).is_none() {
                out.push(
                    contacts.incomplete(
                        Diagnostic::at(shown, text, at(span.clone()), format!("unknown contact `{id}`"))
                            .with_help("phone numbers come from data/contacts.toml: use the id of an entry there"),
                    ),
                );
            }
        }
        // A reference is not typed text: blank it out, keeping every other position.
        let mut masked = value.clone();
        for (span, _) in refs.iter().rev() {
            masked.replace_range(span.clone(), &" ".repeat(span.len()));
        }
        for span in typed_numbers(&masked, &|d| contacts.by_digits(d).is_some()) {
            let number = &value[span.clone()];
            let contact = contacts.by_digits(&digits(number));
            out.push(
                Diagnostic::at(shown, text, at(span.clone()), typed_message(number))
                    .with_help(typed_help(contact, Where::Form))
                    .warning(),
            );
        }
    }
    out
}

/// Where a typed number was found: the reference to write there differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Where {
    Page,
    Form,
}

pub fn typed_message(number: &str) -> String {
    format!("the phone number `{number}` is typed into the text")
}

/// How to refer to the number instead: the contact that has it, or a new entry.
pub fn typed_help(contact: Option<&Contact>, place: Where) -> String {
    match (contact, place) {
        (Some(c), Where::Page) => {
            format!("write {{{{ contact(id=\"{}\") }}}}: the number then comes from data/contacts.toml", c.id)
        }
        (Some(c), Where::Form) => format!("write {{phone:{}}}: the number then comes from data/contacts.toml", c.id),
        (None, Where::Page) => "add the number to data/contacts.toml with its `source` and `verified_on`, then \
                                write {{ contact(id=\"…\") }}"
            .to_string(),
        (None, Where::Form) => {
            "add the number to data/contacts.toml with its `source` and `verified_on`, then write {phone:…}".to_string()
        }
    }
}

#[cfg(test)]
mod tests;
