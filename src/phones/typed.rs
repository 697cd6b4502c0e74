//! Which numbers in a text are phone numbers. Laws, dates, years, amounts and counts are full of
//! numbers, so the rule asks for the shape of a phone number, or for a number the portal's own
//! contacts use, written where a number to call would be:
//!
//! * a number starting with `+` with at least 7 digits (`+380 44 123 45 67`);
//! * a number starting with `0` with 9 to 12 digits (`0 800 500 335`, `(044) 123-45-67`): no
//!   amount, count or date is written so;
//! * a European harmonised service number, `116` and three digits (`116 111`);
//! * the number of a contact, written with 5 digits or more;
//! * the number of a contact with fewer digits (`102`, `1547`) only when a word about calling
//!   comes within four words before it (`телефонуйте в поліцію 102`, `call 112`): "88 of 112"
//!   or "(112 осіб)" is a count.
//!
//! A number is read as digit groups joined by a single space (also a no-break or thin space) or
//! hyphen, with an optional `+` in front and parentheses around a group. It does not count when
//! it is glued to a word, to a decimal or date part (`ID-2.1`, `30.05.2012`, `3,5`), or to `%`.

use std::ops::Range;

/// Word starts that mean calling, in the portal's languages (Ukrainian, English, Hungarian):
/// телефонуйте, дзвоніть, номер, лінія; call, dial, number, line; hívja, szám, vonal.
pub const CUE_WORDS: &[&str] = &[
    "телефон",
    "зателефон",
    "подзвон",
    "дзвон",
    "дзвін",
    "номер",
    "набер",
    "набир",
    "набра",
    "ліні",
    "call",
    "dial",
    "phone",
    "telephone",
    "number",
    "line",
    "hotline",
    "ring",
    "hív",
    "szám",
    "telefon",
    "vonal",
    "forródrót",
];

/// How many words before a short number may hold the cue.
const CUE_REACH: usize = 4;

/// The spans of the phone numbers typed into `text`. `known` says whether digits (run together)
/// are the number of a contact.
pub fn typed_numbers(text: &str, known: &dyn Fn(&str) -> bool) -> Vec<Range<usize>> {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some(run) = number_at(&chars, i) else {
            i += 1;
            continue;
        };
        let span = chars[run.start].0..chars.get(run.end).map_or(text.len(), |c| c.0);
        if stands_alone(&chars, &run) && is_phone(&text[span.clone()], &text[..span.start], known) {
            out.push(span);
        }
        i = run.end;
    }
    out
}

/// The run of a number starting at char `i` (char indices), if one starts there.
fn number_at(chars: &[(usize, char)], i: usize) -> Option<Range<usize>> {
    let is_digit = |k: usize| chars.get(k).is_some_and(|c| c.1.is_ascii_digit());
    let first = match chars[i].1 {
        c if c.is_ascii_digit() => i,
        '+' | '(' if is_digit(i + 1) => i + 1,
        _ => return None,
    };
    let mut end = first;
    loop {
        while is_digit(end) {
            end += 1;
        }
        // A group separator: `) `, `)`, ` (`, or one space or hyphen, before another group.
        let sep = match (chars.get(end).map(|c| c.1), chars.get(end + 1).map(|c| c.1)) {
            (Some(')'), Some(c)) if is_space(c) && is_digit(end + 2) => 2,
            (Some(')'), _) if is_digit(end + 1) => 1,
            (Some(c), Some('(')) if is_space(c) && is_digit(end + 2) => 2,
            (Some(c), _) if (is_space(c) || c == '-') && is_digit(end + 1) => 1,
            _ => break,
        };
        end += sep;
    }
    Some(i..end)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Not glued to a word, a decimal or date part, or a percent sign.
fn stands_alone(chars: &[(usize, char)], run: &Range<usize>) -> bool {
    let before = run.start.checked_sub(1).map(|k| chars[k].1);
    let after = chars.get(run.end).map(|c| c.1);
    let after_next = chars.get(run.end + 1).map(|c| c.1);
    let glued_before = before.is_some_and(|c| c.is_alphanumeric() || ".,/_-+№#§".contains(c));
    let glued_after = match after {
        Some(c) if c.is_alphanumeric() || c == '%' => true,
        Some('.' | ',' | '/' | ':') => after_next.is_some_and(|c| c.is_ascii_digit()),
        Some(c) if is_space(c) => after_next == Some('%'),
        _ => false,
    };
    !glued_before && !glued_after
}

fn is_phone(number: &str, before: &str, known: &dyn Fn(&str) -> bool) -> bool {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    if number.starts_with('+') {
        return n >= 7;
    }
    if digits.starts_with('0') && (9..=12).contains(&n) {
        return true;
    }
    if n == 6 && digits.starts_with("116") {
        return true;
    }
    known(&digits) && (n >= 5 || cue_before(before))
}

/// A calling word among the last few words before a number, in the same sentence.
fn cue_before(before: &str) -> bool {
    let sentence = before.rsplit(['.', '!', '?', ';', '\n']).next().unwrap_or(before);
    sentence.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).rev().take(CUE_REACH).any(|w| {
        let w = w.to_lowercase();
        CUE_WORDS.iter().any(|cue| w.starts_with(cue))
    })
}
