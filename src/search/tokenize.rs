//! Splitting normalised text into words.
//!
//! A word is a maximal run of letters, digits and combining marks (the
//! letter/number core of Unicode word boundaries, UAX #29). An apostrophe with
//! a word character on both sides stays inside the word (пам'ять, don't);
//! everything else separates words, so hyphenated compounds split into their
//! parts (ILO-індикатори → ilo, індикатори) and Latin words and digit runs
//! come out intact. The rules are written out rather than taken from a
//! segmentation library so that `runtime/analysis.js` can apply exactly the same ones in
//! any browser: ICU, `Intl.Segmenter` and `unicode-segmentation` disagree at
//! the edges, and older browsers lack `Intl.Segmenter`.
//!
//! Two repairs follow:
//! * a word mixing Cyrillic with Latin look-alikes only (a c e i o p x y ï)
//!   gets those letters replaced by their Cyrillic twins, which undoes the
//!   common "Latin i for і" typing slip;
//! * words longer than [`MAX_WORD`] code points are dropped (hashes, base64,
//!   run-together garbage).

use super::normalize::{cyrillic_lower, fold, is_apostrophe, is_composed, normalize, APOSTROPHE};
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

/// Normalises `text` and splits it into words.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_word(text, |word| words.push(word.to_string()));
    words
}

/// Normalises `text` and hands each of its words to `each`, in order, without allocating one
/// string per word (the index builder looks most words up in what it has already seen).
pub fn for_each_word(text: &str, mut each: impl FnMut(&str)) {
    let mut word = Word::default();
    // Nearly all text is composed character by character: it is folded as it is split, without
    // a normalised copy. Anything else is composed first.
    if is_composed(text) {
        split_composed(text, &mut word, &mut each);
    } else {
        for c in normalize(text).chars() {
            word.take(c, &mut each);
        }
    }
    word.end(&mut each);
}

/// Splits text whose every character is
/// [composed on its own](is_composed), folding it on the way. ASCII and
/// basic Cyrillic (А–я, Ѐ–ё), nearly all of it, are read straight from the bytes.
fn split_composed(text: &str, word: &mut Word, each: &mut impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&lead) = bytes.get(i) {
        if lead.is_ascii() {
            word.take_ascii(lead, each);
            i += 1;
            continue;
        }
        if let (0xD0 | 0xD1, Some(&next)) = (lead, bytes.get(i + 1)) {
            let code = (u32::from(lead & 0x1F) << 6) | u32::from(next & 0x3F);
            if let Some(lower) = char::from_u32(code).and_then(cyrillic_lower) {
                word.take_cyrillic(lower);
                i += 2;
                continue;
            }
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else { break };
        fold(c, |folded| word.take(folded, each));
        i += c.len_utf8();
    }
}

/// The word being read from normalised characters, with what the repairs need to know about it.
#[derive(Default)]
struct Word {
    text: String,
    chars: usize,
    cyrillic: bool,
    latin: bool,
    /// A Latin letter without a Cyrillic twin: a genuine mixed-script word, left alone.
    latin_without_twin: bool,
    /// An apostrophe after word characters, kept only if a word character follows.
    apostrophe: bool,
}

impl Word {
    /// Takes one normalised character.
    #[inline]
    fn take(&mut self, c: char, each: &mut impl FnMut(&str)) {
        if is_word_char(c) {
            self.push(c);
            if is_cyrillic(c) {
                self.cyrillic = true;
            } else if is_latin_letter(c) {
                self.latin_letter(cyrillic_twin(c).is_some());
            }
        } else {
            self.separator(c == APOSTROPHE, each);
        }
    }

    /// Takes one ASCII character, not yet folded.
    #[inline]
    fn take_ascii(&mut self, b: u8, each: &mut impl FnMut(&str)) {
        let c = char::from(b);
        if c.is_ascii_alphanumeric() {
            let c = c.to_ascii_lowercase();
            self.push(c);
            if c.is_ascii_lowercase() {
                self.latin_letter(cyrillic_twin(c).is_some());
            }
        } else {
            self.separator(is_apostrophe(c), each);
        }
    }

    /// Takes one lower-case basic Cyrillic letter.
    #[inline]
    fn take_cyrillic(&mut self, c: char) {
        self.push(c);
        self.cyrillic = true;
    }

    #[inline]
    fn latin_letter(&mut self, has_twin: bool) {
        self.latin = true;
        self.latin_without_twin |= !has_twin;
    }

    /// Adds a word character, after the pending apostrophe if there is one: it is inside the
    /// word after all.
    #[inline]
    fn push(&mut self, c: char) {
        if std::mem::take(&mut self.apostrophe) {
            self.text.push(APOSTROPHE);
            self.chars += 1;
        }
        self.text.push(c);
        self.chars += 1;
    }

    /// A character that is not part of a word: it ends the word, unless it is its first
    /// apostrophe (see [`Word::apostrophe`]).
    #[inline]
    fn separator(&mut self, apostrophe: bool, each: &mut impl FnMut(&str)) {
        if apostrophe && !self.text.is_empty() && !self.apostrophe {
            self.apostrophe = true;
        } else {
            self.end(each);
        }
    }

    /// Hands the word over (repaired, unless overlong) and starts the next.
    fn end(&mut self, each: &mut impl FnMut(&str)) {
        if !self.text.is_empty() && self.chars <= MAX_WORD {
            if self.cyrillic && self.latin && !self.latin_without_twin {
                each(&repair_mixed_script(&self.text));
            } else {
                each(&self.text);
            }
        }
        self.text.clear();
        *self = Word { text: std::mem::take(&mut self.text), ..Word::default() };
    }
}

/// A word mixing Cyrillic with Latin look-alikes only, with those replaced by their Cyrillic
/// twins.
fn repair_mixed_script(word: &str) -> String {
    word.chars().map(|c| cyrillic_twin(c).unwrap_or(c)).collect()
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
    fn read_bytes_and_characters_split_alike() {
        // Each text once as it is and once with a character that makes it go through the
        // composing path (a stress mark, which is deleted).
        for text in [
            "ВЕЛИКІ Літери ЁЖИК Ѐ Ѝ Ї Ґ",
            "пам`ять, пам'ять' 'так'' а''б д'Артаньян",
            "mIxEd пoслуги прaцівник пk ПОСЛУГИ",
            "Ѡ ѡ Ѣ ѣ ІѴ ñandú ŒUVRE",
            "İstanbul ǅemal — «лапки» 12–15",
        ] {
            let marked = format!("{text} \u{0301}");
            assert!(is_composed(text) && !is_composed(&marked));
            assert_eq!(t(text), t(&marked), "{text}");
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
