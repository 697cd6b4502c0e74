//! Splitting normalised text into words.
//!
//! A word is a maximal run of letters, digits and combining marks (the
//! letter/number core of Unicode word boundaries, UAX #29). An apostrophe with
//! a word character on both sides stays inside the word (пам'ять, don't);
//! everything else separates words, so hyphenated compounds split into their
//! parts (ILO-індикатори → ilo, індикатори) and Latin words and digit runs
//! come out intact. The rules are written out rather than taken from a
//! segmentation library so that `search.js` can apply exactly the same ones in
//! any browser: ICU, `Intl.Segmenter` and `unicode-segmentation` disagree at
//! the edges, and older browsers lack `Intl.Segmenter`.
//!
//! Two repairs follow:
//! * a word mixing Cyrillic with Latin look-alikes only (a c e i o p x y ï)
//!   gets those letters replaced by their Cyrillic twins, which undoes the
//!   common "Latin i for і" typing slip;
//! * words longer than [`MAX_WORD`] code points are dropped (hashes, base64,
//!   run-together garbage).

use std::borrow::Cow;

use super::normalize::{normalize, APOSTROPHE};
use unicode_normalization::char::is_combining_mark;

/// Longest word, in code points, that is kept.
pub const MAX_WORD: usize = 50;

/// Letters, digits and combining marks make up words.
pub fn is_word_char(c: char) -> bool {
    // Most text is ASCII or Cyrillic; answering those without the Unicode tables halves the
    // cost of splitting a page. Every Cyrillic code point is a letter or a combining mark,
    // except the thousands sign U+0482 (checked against the tables in a test).
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if is_cyrillic(c) {
        return c != '\u{0482}';
    }
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Cyrillic and Cyrillic Supplement blocks.
pub fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{052F}').contains(&c)
}

/// The Cyrillic twin of a lower-case Latin look-alike, if it has one.
fn cyrillic_twin(c: char) -> Option<char> {
    Some(match c {
        'a' => 'а',
        'c' => 'с',
        'e' => 'е',
        'i' => 'і',
        'o' => 'о',
        'p' => 'р',
        'x' => 'х',
        'y' => 'у',
        'ï' => 'ї',
        _ => return None,
    })
}

/// Basic Latin and Latin-1/Extended-A/B letters.
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || ('\u{00DF}'..='\u{024F}').contains(&c)
}

/// Replaces Latin look-alikes in a Cyrillic word; other words are returned
/// unchanged. A word with any Latin letter that has no twin is left alone,
/// since it is probably a genuine mixed-script name.
fn repair_mixed_script(word: &str) -> Cow<'_, str> {
    // Most words are all Cyrillic or all Latin: leave them as they are without copying.
    if !word.chars().any(is_cyrillic) || !word.chars().any(is_latin_letter) {
        return Cow::Borrowed(word);
    }
    let latin_all_twins = word.chars().filter(|&c| is_latin_letter(c)).all(|c| cyrillic_twin(c).is_some());
    if !latin_all_twins {
        return Cow::Borrowed(word);
    }
    Cow::Owned(word.chars().map(|c| cyrillic_twin(c).unwrap_or(c)).collect())
}

/// Normalises `text` and splits it into words.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_word(text, |word| words.push(word.to_string()));
    words
}

/// Normalises `text` and hands each of its words to `each`, in order, without allocating one
/// string per word (the index builder looks most words up in what it has already seen).
pub fn for_each_word(text: &str, mut each: impl FnMut(&str)) {
    let normalized = normalize(text);
    let mut chars = normalized.chars().peekable();
    let mut current = String::new();
    let mut flush = |current: &mut String| {
        if !current.is_empty() && current.chars().count() <= MAX_WORD {
            each(&repair_mixed_script(current));
        }
        current.clear();
    };
    while let Some(c) = chars.next() {
        let inner_apostrophe = c == APOSTROPHE && !current.is_empty() && chars.peek().is_some_and(|&n| is_word_char(n));
        if is_word_char(c) || inner_apostrophe {
            current.push(c);
        } else {
            flush(&mut current);
        }
    }
    flush(&mut current);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Vec<String> {
        tokenize(text)
    }

    #[test]
    fn splits_on_punctuation_and_spaces() {
        assert_eq!(t("Примусова праця, торгівля людьми!"), ["примусова", "праця", "торгівля", "людьми"]);
    }

    #[test]
    fn keeps_inner_apostrophes_of_every_kind() {
        assert_eq!(t("пам’ять памʼять пам'ять"), ["пам'ять"; 3]);
        assert_eq!(t("don't"), ["don't"]);
    }

    #[test]
    fn drops_outer_and_doubled_apostrophes() {
        assert_eq!(t("'слово' ’так’"), ["слово", "так"]);
        assert_eq!(t("а''б"), ["а", "б"]);
    }

    #[test]
    fn splits_hyphenated_and_mixed_script_compounds() {
        assert_eq!(t("ILO-індикатори"), ["ilo", "індикатори"]);
        assert_eq!(t("Івано-Франківськ"), ["івано", "франківськ"]);
    }

    #[test]
    fn keeps_latin_words_and_digits_intact() {
        assert_eq!(
            t("Стаття 149 ККУ, COVID19, e-mail: 0800"),
            ["стаття", "149", "кку", "covid19", "e", "mail", "0800"]
        );
    }

    #[test]
    fn repairs_latin_look_alikes_in_cyrillic_words() {
        // Latin i and o typed inside Ukrainian words.
        assert_eq!(t("пoслуги прaцівник"), ["послуги", "працівник"]);
        // A Latin letter without a twin leaves the word alone.
        assert_eq!(t("пk"), ["пk"]);
        // Pure Latin words are never touched.
        assert_eq!(t("pace"), ["pace"]);
    }

    #[test]
    fn the_fast_paths_agree_with_the_unicode_tables() {
        for c in ('\0'..='\u{0600}').chain(['\u{2019}', '\u{02BC}', '\u{1F600}']) {
            assert_eq!(is_word_char(c), c.is_alphanumeric() || is_combining_mark(c), "{c:?} U+{:04X}", c as u32);
        }
    }

    #[test]
    fn stress_marks_do_not_split_words() {
        assert_eq!(t("пра\u{0301}ця"), ["праця"]);
    }

    #[test]
    fn drops_overlong_words() {
        let long = "а".repeat(MAX_WORD + 1);
        let ok = "б".repeat(MAX_WORD);
        assert_eq!(t(&format!("{long} {ok}")), [ok]);
    }

    #[test]
    fn empty_and_punctuation_only_give_nothing() {
        assert!(t("").is_empty());
        assert!(t(" — «» … '' ").is_empty());
    }
}
