//! The analysers, as elasticlunr-rs [`Language`]s.
//!
//! Ukrainian and English pages share one analysis, because each is full of
//! the other script (ILO, UNICEF, case numbers on Ukrainian pages; Ukrainian
//! names and terms on English ones). Each word from the tokenizer is
//! dispatched by script:
//!
//! * it contains Cyrillic → Ukrainian stop words, then uk-light;
//! * it is plain `a-z` (an English possessive `'s` is dropped first) →
//!   elasticlunr's English pipeline: its stop-word filter and Porter stemmer;
//! * anything else (digits, other scripts, Latin with diacritics) → kept as is.
//!
//! Using elasticlunr's English pipeline word by word, after our tokenizer,
//! keeps its stemming while avoiding its whitespace tokenizer (which glues
//! "victim/survivor" or "exploitation—often" into one token) and its trimmer
//! (which deletes every Cyrillic word). Other site languages get
//! [`Plain`]: words are indexed as written, with no stop words or stemming,
//! except that Latin letters lose their accents ([`fold_latin`]). Inflection
//! lengthens a final vowel in Hungarian (kényszermunka, kényszermunkától), so
//! without folding the typed word is no prefix of its inflected forms; folding
//! also finds words typed without accents.

use super::stem_uk;
use super::tokenize::{is_cyrillic, tokenize};
use elasticlunr::pipeline::{Pipeline, PipelineFn};
use elasticlunr::Language;
use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;

/// Ukrainian function words that carry no meaning for search. Kept short on
/// purpose: a word missing here costs a little index size, a wrong entry
/// makes a word unfindable.
pub const UK_STOP_WORDS: &[&str] = &[
    "а",
    "аби",
    "або",
    "але",
    "б",
    "без",
    "би",
    "бо",
    "був",
    "буде",
    "була",
    "були",
    "було",
    "в",
    "вам",
    "вас",
    "вже",
    "ви",
    "він",
    "від",
    "во",
    "вона",
    "вони",
    "воно",
    "де",
    "для",
    "до",
    "є",
    "ж",
    "же",
    "з",
    "за",
    "зі",
    "і",
    "із",
    "її",
    "їй",
    "їм",
    "їх",
    "й",
    "його",
    "йому",
    "к",
    "коли",
    "ми",
    "між",
    "на",
    "над",
    "нам",
    "нас",
    "не",
    "ні",
    "о",
    "об",
    "от",
    "під",
    "по",
    "при",
    "про",
    "та",
    "так",
    "також",
    "те",
    "теж",
    "ти",
    "то",
    "той",
    "ту",
    "ті",
    "у",
    "хоч",
    "це",
    "цей",
    "ці",
    "ця",
    "чи",
    "що",
    "щоб",
    "щодо",
    "ще",
    "лише",
    "тощо",
    "я",
    "як",
    "яка",
    "яке",
    "які",
    "який",
    "якщо",
];

/// Which analysis a language's index uses; named in the manifest so the
/// browser client picks the same one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Analysis {
    /// Script dispatch: uk-light for Cyrillic, English Porter for Latin.
    UkEn,
    /// Words as written, Latin letters without accents.
    Plain,
}

impl Analysis {
    /// The analysis for a site language code.
    pub fn for_lang(lang: &str) -> Self {
        match lang {
            "uk" | "en" => Analysis::UkEn,
            _ => Analysis::Plain,
        }
    }

    /// Name used in the manifest (`analyzer`).
    pub fn name(self) -> &'static str {
        match self {
            Analysis::UkEn => "uk-en-2",
            Analysis::Plain => "plain-2",
        }
    }

    /// The elasticlunr language implementing this analysis for `lang`.
    pub fn language(self, lang: &str) -> Box<dyn Language> {
        match self {
            Analysis::UkEn if lang == "en" => Box::new(English),
            Analysis::UkEn => Box::new(Ukrainian),
            Analysis::Plain => Box::new(Plain { code: lang.to_string() }),
        }
    }
}

/// Pipeline step doing the script dispatch described in the module docs.
pub struct ScriptDispatch {
    english: Pipeline,
    uk_stop_words: HashSet<&'static str>,
}

impl ScriptDispatch {
    pub fn new() -> Self {
        ScriptDispatch {
            english: elasticlunr::lang::English::new().make_pipeline(),
            uk_stop_words: UK_STOP_WORDS.iter().copied().collect(),
        }
    }

    /// The index term for one tokenizer word, or `None` for a stop word.
    pub fn term(&self, word: &str) -> Option<String> {
        if word.chars().any(is_cyrillic) {
            if self.uk_stop_words.contains(word) {
                return None;
            }
            return Some(stem_uk::stem(word));
        }
        let latin = word.strip_suffix("'s").unwrap_or(word);
        if !latin.is_empty() && latin.bytes().all(|b| b.is_ascii_lowercase()) {
            // The English trimmer is a no-op on a-z, so the pipeline is
            // exactly its stop-word filter followed by its stemmer.
            return self.english.run(vec![latin.to_string()]).pop();
        }
        Some(word.to_string())
    }
}

impl Default for ScriptDispatch {
    fn default() -> Self {
        Self::new()
    }
}

impl PipelineFn for ScriptDispatch {
    fn name(&self) -> String {
        "stemmer-uk-en".into()
    }

    fn filter(&self, token: String) -> Option<String> {
        self.term(&token)
    }
}

/// Ukrainian pages.
pub struct Ukrainian;

impl Language for Ukrainian {
    fn name(&self) -> String {
        "Ukrainian".into()
    }
    fn code(&self) -> String {
        "uk".into()
    }
    fn tokenize(&self, text: &str) -> Vec<String> {
        tokenize(text)
    }
    fn make_pipeline(&self) -> Pipeline {
        Pipeline { queue: vec![Box::new(ScriptDispatch::new())] }
    }
}

/// English pages: the same analysis as [`Ukrainian`] under the English name.
pub struct English;

impl Language for English {
    fn name(&self) -> String {
        "English".into()
    }
    fn code(&self) -> String {
        "en".into()
    }
    fn tokenize(&self, text: &str) -> Vec<String> {
        tokenize(text)
    }
    fn make_pipeline(&self) -> Pipeline {
        Ukrainian.make_pipeline()
    }
}

/// A Latin letter with diacritics (U+00C0–U+024F) as its base letter, when it decomposes into
/// one of a–z and combining marks; any other character as it is (ß, ø, Cyrillic й stay).
fn base_letter(c: char) -> char {
    if !('\u{c0}'..='\u{24f}').contains(&c) {
        return c;
    }
    let mut parts = std::iter::once(c).nfd();
    match parts.next() {
        Some(base) if base.is_ascii_lowercase() && parts.all(|m| ('\u{300}'..='\u{36f}').contains(&m)) => base,
        _ => c,
    }
}

/// `word` with its Latin letters' accents removed: kényszermunkától → kenyszermunkatol.
pub fn fold_latin(word: &str) -> String {
    word.chars().map(base_letter).collect()
}

/// Pipeline step of [`Plain`]: [`fold_latin`].
struct FoldLatin;

impl PipelineFn for FoldLatin {
    fn name(&self) -> String {
        "fold-latin".into()
    }

    fn filter(&self, token: String) -> Option<String> {
        Some(fold_latin(&token))
    }
}

/// Any other language: words as written, Latin accents folded.
pub struct Plain {
    code: String,
}

impl Language for Plain {
    fn name(&self) -> String {
        "Plain".into()
    }
    fn code(&self) -> String {
        self.code.clone()
    }
    fn tokenize(&self, text: &str) -> Vec<String> {
        tokenize(text)
    }
    fn make_pipeline(&self) -> Pipeline {
        Pipeline { queue: vec![Box::new(FoldLatin)] }
    }
}

/// Index terms of `text` under the Ukrainian/English analysis: the function
/// the shared test vectors (`tests/search/uk_stems.toml`) check.
pub fn analyze(text: &str) -> Vec<String> {
    let dispatch = ScriptDispatch::new();
    tokenize(text).iter().filter_map(|w| dispatch.term(w)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatches_by_script() {
        assert_eq!(
            analyze("ILO-індикатори примусової праці workers 2024 café"),
            ["ilo", "індикатор", "примус", "прац", "worker", "2024", "café"]
        );
    }

    #[test]
    fn drops_stop_words_of_both_languages() {
        assert_eq!(analyze("і та the of на"), Vec::<String>::new());
        assert_eq!(analyze("документи та паспорт"), ["документ", "паспорт"]);
    }

    #[test]
    fn english_possessive_is_dropped() {
        assert_eq!(analyze("the person's consent"), ["person", "consent"]);
    }

    #[test]
    fn stop_words_are_normalised_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for w in UK_STOP_WORDS {
            assert_eq!(tokenize(w), [w.to_string()], "{w} survives tokenizing");
            assert!(seen.insert(w), "{w} listed twice");
        }
    }

    #[test]
    fn languages_share_the_pipeline() {
        let uk = Ukrainian.make_pipeline();
        let en = English.make_pipeline();
        let words = vec!["працею".to_string(), "working".to_string()];
        assert_eq!(uk.run(words.clone()), en.run(words.clone()));
        assert_eq!(uk.run(words.clone()), ["прац", "work"]);
        let plain = Analysis::Plain.language("hu").make_pipeline();
        assert_eq!(plain.run(words.clone()), words);
    }

    #[test]
    fn plain_folds_latin_accents_only() {
        assert_eq!(fold_latin("kényszermunkától"), "kenyszermunkatol");
        assert_eq!(fold_latin("őrizetbe"), "orizetbe");
        assert_eq!(fold_latin("ß øre łódź"), "ß øre łodz");
        assert_eq!(fold_latin("йому їжа ґанок"), "йому їжа ґанок");
        let plain = Analysis::Plain.language("hu").make_pipeline();
        assert_eq!(plain.run(vec!["kényszermunka".into()]), ["kenyszermunka"]);
    }
}
