//! Text normalisation shared by the index builder and the browser client.
//!
//! Every rule here is mirrored character for character by `normalize` in
//! `src/search/runtime/analysis.js`; `tests/search/uk_stems.toml` pins both.
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
    // Almost all text is already composed: skip the composing pass when a quick check says so,
    // and skip the quick check's table lookups when every character is one that is composed
    // whatever follows it (nearly all Ukrainian and English text).
    if is_composed(text)
        || unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
    {
        fold_into(text.chars(), &mut out);
    } else {
        fold_into(text.nfc(), &mut out);
    }
    out
}

/// Whether every character of `text` is NFC on its own and never combines with a neighbour
/// (no combining class): Latin-1 and Latin Extended, Cyrillic without its combining marks,
/// dashes and quotation marks. Read from the UTF-8 bytes; the tests check it against the same
/// rule written on characters, and that rule against the Unicode tables.
pub(super) fn is_composed(text: &str) -> bool {
    // ASCII, continuation bytes and the lead bytes of А–я are the bulk of the text: blocks of
    // them are passed over without branching on each byte; other blocks are read a character
    // at a time.
    const BLOCK: usize = 16;
    let plain = |b: u8| b < 0xC0 || b == 0xD0 || b == 0xD1;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let end = (i + BLOCK).min(bytes.len());
        if !bytes[i..end].iter().fold(true, |all, &b| all & plain(b)) {
            while i < end {
                let Some(len) = composed_char_len(bytes, i) else { return false };
                i += len;
            }
        }
        i = i.max(end);
    }
    true
}

/// The length of the UTF-8 character at `i` if it is composed on its own, or 1 at a
/// continuation byte (a block may start inside a character).
fn composed_char_len(bytes: &[u8], i: usize) -> Option<usize> {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let (composed, len) = match at(i) {
        0x00..=0xBF => (true, 1),
        // U+0080–U+02FF, U+0400–U+047F, U+04C0–U+04FF
        0xC2..=0xCB | 0xD0 | 0xD1 | 0xD3 => (true, 2),
        // U+0480–U+04BF but the combining marks U+0483–U+0489
        0xD2 => (!(0x83..=0x89).contains(&at(i + 1)), 2),
        // U+0500–U+052F
        0xD4 => (at(i + 1) < 0xB0, 2),
        // U+2010–U+2027
        0xE2 => (at(i + 1) == 0x80 && (0x90..=0xA7).contains(&at(i + 2)), 3),
        _ => (false, 1),
    };
    composed.then_some(len)
}

fn fold_into(chars: impl Iterator<Item = char>, out: &mut String) {
    for c in chars {
        fold(c, |folded| out.push(folded));
    }
}

/// Steps 2–4 for one composed character: hands what it becomes (nothing, one character, or
/// the few of a multi-character lower case) to `push`.
#[inline]
pub(super) fn fold(c: char, mut push: impl FnMut(char)) {
    if c.is_ascii() {
        push(if is_apostrophe(c) { APOSTROPHE } else { c.to_ascii_lowercase() });
    } else if let Some(lower) = cyrillic_lower(c) {
        push(lower);
    } else if is_apostrophe(c) {
        push(APOSTROPHE);
    } else if !is_ignorable(c) {
        c.to_lowercase().for_each(push);
    }
}

/// The lower case of a basic Cyrillic letter without the Unicode tables (А–Я, Ѐ–Џ; а–џ are
/// their own), `None` for any other character. Checked against the tables in a test.
pub(super) fn cyrillic_lower(c: char) -> Option<char> {
    let offset = match c {
        '\u{0430}'..='\u{045F}' => return Some(c),
        '\u{0410}'..='\u{042F}' => 0x20,
        '\u{0400}'..='\u{040F}' => 0x50,
        _ => return None,
    };
    char::from_u32(c as u32 + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The characters [`is_composed`] accepts, as a rule on characters.
    fn always_composed(c: char) -> bool {
        matches!(c, '\0'..='\u{02FF}' | '\u{0400}'..='\u{0482}' | '\u{048A}'..='\u{052F}' | '\u{2010}'..='\u{2027}')
    }

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
    fn the_fast_paths_agree_with_the_unicode_tables() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::{is_nfc_quick, IsNormalized};
        for c in (0..0x3000).filter_map(char::from_u32) {
            if always_composed(c) {
                assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "U+{:04X}", c as u32);
                assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
            }
            if let Some(lower) = cyrillic_lower(c) {
                assert_eq!(c.to_lowercase().collect::<String>(), lower.to_string(), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn the_byte_check_agrees_with_the_character_rule() {
        for c in ('\0'..='\u{3000}').chain(['\u{FF07}', '\u{1F600}', '\u{10428}']) {
            // At every offset within a block, and across a block's end.
            for pad in 0..18 {
                let text = format!("{}{c}б", "a".repeat(pad));
                assert_eq!(is_composed(&text), always_composed(c), "U+{:04X} after {pad}", c as u32);
            }
        }
    }

    #[test]
    fn lowercases_without_context() {
        // A final capital sigma lowercases to σ, never ς, as in the browser
        // when it lower-cases one code point at a time.
        assert_eq!(normalize("ΟΔΟΣ"), "οδοσ");
    }
}
