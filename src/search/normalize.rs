//! Text normalisation shared by the index builder and the browser client.
//!
//! Every rule here is mirrored character for character by `normalize` in
//! `themes/default/runtime/search.js`; `tests/search/uk_stems.toml` pins both.
//! The steps, in order:
//!
//! 1. Unicode NFC, so that decomposed й/ї (common in text pasted from macOS)
//!    equal their precomposed forms.
//! 2. Delete stress marks (U+0301) and invisible characters that would
//!    otherwise split or disguise a word: soft hyphen, zero-width joiners,
//!    word joiner, byte-order mark. (A zero-width space marks a break, so
//!    it stays and separates words.)
//! 3. Fold every apostrophe look-alike (’ ʼ ‘ ` ´ ′ ＇) to the ASCII `'`.
//!    Ukrainian text uses all of them for the same letter-separating sign.
//! 4. Lower-case each code point on its own, without context, because the
//!    browser's `toLowerCase` on a whole string applies context rules
//!    (final sigma) that Rust's per-char mapping does not.
//!
//! ґ and г stay distinct: they are different letters, and folding them would
//! merge unrelated words.

use unicode_normalization::UnicodeNormalization;

/// The one apostrophe every look-alike is folded to.
pub const APOSTROPHE: char = '\'';

/// Characters that are deleted outright.
fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{0301}' | '\u{00AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Whether `c` is one of the apostrophe look-alikes folded to [`APOSTROPHE`].
///
/// U+02BC is a letter in Unicode, so this must be checked before any
/// "is alphanumeric" test or памʼять would keep a different spelling.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}' | '\u{2018}' | '`' | '\u{00B4}' | '\u{2032}' | '\u{FF07}')
}

/// Normalises `text` for analysis: NFC, stress and invisible characters
/// removed, apostrophes folded, lower-cased per code point.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Almost all text is already composed: skip the composing pass when a quick check says so.
    if unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes {
        fold_into(text.chars(), &mut out);
    } else {
        fold_into(text.nfc(), &mut out);
    }
    out
}

fn fold_into(chars: impl Iterator<Item = char>, out: &mut String) {
    for c in chars {
        if is_ignorable(c) {
            continue;
        }
        if is_apostrophe(c) {
            out.push(APOSTROPHE);
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_decomposed_letters() {
        // и + combining breve, і + combining diaeresis
        assert_eq!(normalize("Мои\u{0306} Киі\u{0308}в"), "мой київ");
    }

    #[test]
    fn strips_stress_marks_but_keeps_precomposed_latin() {
        assert_eq!(normalize("пра\u{0301}ця"), "праця");
        assert_eq!(normalize("cafe\u{0301}"), "café");
    }

    #[test]
    fn folds_every_apostrophe() {
        for a in ["'", "’", "ʼ", "‘", "`", "´", "′", "＇"] {
            assert_eq!(normalize(&format!("пам{a}ять")), "пам'ять", "{a:?}");
        }
    }

    #[test]
    fn keeps_ghe_with_upturn_distinct() {
        assert_eq!(normalize("Ґрунт Грунт"), "ґрунт грунт");
    }

    #[test]
    fn removes_invisible_characters() {
        assert_eq!(normalize("тор\u{00AD}гів\u{2060}ля\u{FEFF}"), "торгівля");
        assert_eq!(normalize("а\u{200B}б"), "а\u{200B}б");
    }

    #[test]
    fn lowercases_without_context() {
        // A final capital sigma lowercases to σ, never ς, as in the browser
        // when it lower-cases one code point at a time.
        assert_eq!(normalize("ΟΔΟΣ"), "οδοσ");
    }
}
