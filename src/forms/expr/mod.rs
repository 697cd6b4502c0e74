//! The form expression language: small, typed, safe. Pure code: no I/O, no templates.
//!
//! Used in a form's `relevant`, `constraint`, `calculate`, `alert_if`, `end_if`, an indicator's
//! `when` and an outcome's `when`. Rust parses and checks every expression at build time and
//! emits its tree as JSON ([`Expr::to_json`]); the page runs it with the small interpreter in
//! `src/forms/runtime/expr.js`. One set of vectors, `tests/expr/cases.toml`, is run through
//! both evaluators (`tests/expr_cases.rs`), and they must agree on every case.
//!
//! # API (what the forms compiler calls)
//!
//! ```text
//! parse(src: &str) -> Result<Expr, ExprError>                  first syntax error only
//! check(&Expr, &dyn Scope, expected: Option<Type>) -> Result<Type, Vec<ExprError>>
//! eval(&Expr, &dyn Env) -> Value                                total: never fails
//! eval_condition(&Expr, &dyn Env) -> bool                       true only for Bool(true)
//! Expr::to_json(&self) -> serde_json::Value                    for expr.js
//! references(&Expr) -> Vec<(String, Span)>                      ids read, in source order
//! ```
//!
//! Every [`Span`] is a byte range within the expression string; add the offset of the string's
//! content in the TOML file to point at the exact line and column. [`Span::column`] gives the
//! 1-based character column within the expression. [`ExprError`] has `span`, `message` and
//! `help`; its `Display` is `message`, then `; help` if there is one.
//!
//! The caller describes the names with a [`Scope`] ([`SimpleScope`] is a ready map): each id's
//! [`IdKind`] (text/long_text → `Text`; integer/decimal → `Number`; `Date`; `Choice` and
//! `MultiChoice` with their values; `Calculate(type)` with the type `check` returned for its
//! expression; `Repeat`), the repeat section a question belongs to, whether an id may be read
//! here (`Scope::access`, for "relevant may only look back"), what `.` is (`Scope::current`,
//! and `Scope::current_id` to name it in messages), and the indicator dimensions. Order and
//! cycles are the caller's: it reads [`references`] and [`Expr::uses_indicators`]. Arity and the
//! shape of `any`/`count` are checked by `parse`; everything that needs the scope by `check`,
//! which reports all its errors at once. The answers come through an [`Env`] ([`MapEnv`] is a
//! ready map whose JSON form is exactly the `env` object expr.js takes).
//!
//! # Syntax
//!
//! Literals: numbers (`14`, `0.5`; no exponent, no leading `.`), text in `'…'` or `"…"` (no
//! escapes: a text cannot contain its own quote, use the other kind), `true`, `false`, `null`.
//! Question ids `[a-z][a-z0-9_]*` (not a keyword: `and or not mod true false null`, nor a built-in
//! count), and `.` for the current question. Operators, from lowest to highest precedence:
//! `or`; `and`; `not`; comparisons `= != < <= > >=` (they do not chain: `a < b < c` is an
//! error); `+ -`; `* / mod`; unary `-`. Parentheses group. Functions (a closed list; anything
//! else is an error that lists them): `selected(q, 'v')`, `count_selected(q)`, `answered(q)`,
//! `is_missing(q)`, `coalesce(a, b)`, `if(c, a, b)`, `today()`, `age_years(d)`, `length(s)`,
//! `any(r, e)`, `count(r, e)`, `dim_positive('d')`, and the bare built-ins `strong_count`,
//! `medium_count`, `weak_count`, `unknown_count` (`strong_count()` is accepted too). Limits:
//! [`MAX_LEN`] bytes and [`MAX_DEPTH`] levels of nesting.
//!
//! # Types (checked at build time; no implicit conversions ever)
//!
//! `Bool`, `Number`, `Text`, `Date`, `Set` (a multi_choice answer), and `Null` for the literal.
//! A choice answer is `Text` whose values are known, so a literal compared with it (or given to
//! `selected`) must be one of them: `owes_debt = 'yse'` → "'yse' is not a value of owes_debt;
//! did you mean 'yes'?". `=`/`!=` need two operands of the same type (a `Set` cannot be compared:
//! use `selected`); `< <= > >=` only numbers or dates. A text *literal* that is a valid
//! `YYYY-MM-DD` date may stand where a date is expected (`dob < '2010-01-01'`); an invalid one
//! is an error. Comparing with the literal `null` is an error (it is never true): use
//! `answered(q)`. Arithmetic needs numbers, `and`/`or`/`not` need Bool, `if`'s branches and
//! `coalesce`'s arguments need one type. A question inside a repeat section can be read only
//! inside `any`/`count` over that section (or from an expression of that section); `any` and
//! `count` do not nest. `.` is an error where the scope has no current question.
//!
//! # Semantics (identical in Rust and expr.js)
//!
//! * **Null.** A question that is not relevant, or not answered, is `null` everywhere. An empty
//!   text `''` and an empty set `[]` read as `null` too.
//! * **Arithmetic** with a null operand is null. Division or `mod` by zero is null. A result
//!   that is not finite is null. Numbers are IEEE doubles in both evaluators, so
//!   `0.1 + 0.2 = 0.3` is false in both.
//! * **`mod`** is the remainder of truncated division, with the sign of the dividend, on any
//!   numbers: `a mod b = a - b * trunc(a / b)` (Rust `%`, JS `%`): `7 mod 3 = 1`,
//!   `-7 mod 3 = -1`, `7 mod -3 = 1`, `5.5 mod 2 = 1.5`.
//! * **Comparisons.** Any comparison with a null operand — `!=` included — is `null`, never
//!   true. Text compares by exact code points (no case folding, no trimming). Dates compare in
//!   calendar order. (Unchecked trees: operands of different kinds give null; `<` on text that
//!   is not two dates gives null.)
//! * **Logic is three-valued** (Kleene): `false and x = false`, `true and null = null`,
//!   `true or x = true`, `false or null = null`, `not null = null`. A non-Bool operand counts as
//!   null. **The truth of a condition** (relevant, when, constraint, alert_if, end_if, the
//!   condition of `if`, `any` and `count`) is "the value is `true`": `false` and `null` are both
//!   not true. So `not (age >= 18)` is *not* true when `age` is unanswered — an unknown never
//!   makes a condition hold, whichever way it is written.
//! * **Missing answers** (options with `missing = true`, e.g. 'dk', 'refused') are answers, not
//!   "no": `owes_debt = 'no'` is false for 'dk', `answered(owes_debt)` is true,
//!   `is_missing(owes_debt)` is true. Write the positive test (`= 'no'`), not `!= 'yes'`, when
//!   you mean "no": `owes_debt != 'yes'` is true for 'dk'.
//! * `selected(q, 'v')`: for a choice, `q = 'v'`; for a multi_choice, whether the set holds 'v';
//!   null if `q` is null. `count_selected(q)`: the number of options chosen (1 for a choice);
//!   null if unanswered. `answered(x)`: `x` is not null (always true/false). `is_missing(q)`:
//!   the answer is a missing code, or a set holding one (false if unanswered).
//!   `coalesce(a, b)`: `a` unless it is null, then `b`. `if(c, a, b)`: `a` if `c` is true,
//!   otherwise (false or null) `b`. `length(s)`: the number of Unicode code points.
//! * **Dates** are ISO `YYYY-MM-DD` strings (a `Value::Date`, or a `Text` holding one).
//!   `today()` comes from the environment (null if it gives none). `age_years(d)`: whole years
//!   from `d` to today; the birthday must have been reached (born 29 February → a year older on
//!   1 March in common years); negative if `d` is after today; null if either is not a date.
//! * **Repeats.** `any(r, e)` and `count(r, e)` evaluate `e` once per entry of repeat section
//!   `r`, where the entry's answers are visible (other ids read the outer answers). `any` is the
//!   three-valued `or` of the entries (false with no entries); `count` counts the entries where
//!   `e` is true. If `r` is not relevant (the environment gives no list), both are null.
//! * **Indicators.** The environment lists the fired indicators (dimension, strength).
//!   `strong_count`, `medium_count`, `weak_count` count them by strength; `unknown_count` counts
//!   the answers (top level and in every repeat entry) that are missing codes, or sets holding
//!   one, and adds the environment's `unanswered`: the indicator questions asked and left blank,
//!   which count like "doesn't know" for an outcome. `dim_positive('d')` applies the [`DimensionRule`] (default: the ILO/EC rule — at least
//!   2 strong; or 1 strong and 1 medium or weak; or 3 medium; or 2 medium and 1 weak) to the
//!   fired indicators of dimension `d`. A form can supply its own rule.
//!
//! # JSON form (what expr.js reads)
//!
//! ```text
//! 14, 0.5, "yes", true, false, null     literals (a JSON string is always a text literal)
//! ["ref", "owes_debt"]                  an answer
//! ["."]                                 the current question
//! ["neg", e]   ["not", e]               unary minus (a negated number literal is just -3), not
//! [op, a, b]                            op: "or" "and" "=" "!=" "<" "<=" ">" ">=" "+" "-" "*" "/" "mod"
//! ["selected", q, v] … ["if", c, a, b]  a call: the function name, then its arguments
//! ["any", "jobs", e]  ["count", "jobs", e]   the repeat id is a plain string
//! ["strong_count"] ["medium_count"] ["weak_count"] ["unknown_count"] ["today"]
//! ```
//!
//! Example: `owes_debt = 'yes' and not answered(age)` →
//! `["and",["=",["ref","owes_debt"],"yes"],["not",["answered",["ref","age"]]]]`.
//! The environment's JSON shape is [`MapEnv`]'s (documented there and in expr.js).

mod ast;
mod check;
mod eval;
mod json;
mod lexer;
mod parser;
mod scope;
mod value;

pub use ast::{BinOp, Expr, ExprKind, Func, Span, UnOp};
pub use check::{check, Denied, IdInfo, IdKind, Scope, SimpleScope, Type};
pub use eval::{
    age_years, eval, eval_condition, parse_date, Combination, DimensionRule, Env, FiredIndicator, MapEnv, Strength,
    Value,
};
pub use lexer::{is_valid_id, KEYWORDS};
pub use parser::parse;

/// The longest expression accepted, in bytes.
pub const MAX_LEN: usize = 4000;
/// The deepest nesting accepted (parentheses, calls, `not`, unary minus).
pub const MAX_DEPTH: usize = 32;

/// A problem in an expression, at a byte span of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}{}", help.as_ref().map(|h| format!("; {h}")).unwrap_or_default())]
pub struct ExprError {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl ExprError {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        ExprError { span, message: message.into(), help: None }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The ids `expr` reads, with the span of each mention, in source order (see
/// [`Expr::references`]).
pub fn references(expr: &Expr) -> Vec<(String, Span)> {
    expr.references()
}

/// True if `id` cannot be a question id: a keyword or a built-in count.
pub fn is_reserved(id: &str) -> bool {
    KEYWORDS.contains(&id) || Func::from_name(id).is_some_and(Func::is_builtin_count)
}

/// The function list for help texts.
pub(crate) fn known_functions() -> String {
    Func::ALL.iter().map(|f| f.signature()).collect::<Vec<_>>().join(", ")
}

/// Formats a number the way the language writes it: `14`, `0.5`, `-3`.
pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The candidate closest to `word` by edit distance (a swap of two neighbours counts as one),
/// if it is close enough to be a likely typo.
pub(crate) fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count().div_ceil(3)).clamp(1, 3);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (edit_distance(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal-string-alignment distance (Levenshtein plus transpositions).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(suggest("yse", ["yes", "no", "dk"]), Some("yes"));
        assert_eq!(suggest("ownes_debt", ["owes_debt", "age"]), Some("owes_debt"));
        assert_eq!(suggest("xyz", ["yes", "no"]), None);
        assert_eq!(suggest("Yes", ["yes", "no"]), Some("yes"));
        assert_eq!(edit_distance("abc", "acb"), 1);
        assert_eq!(edit_distance("", "ab"), 2);
    }

    #[test]
    fn error_display_joins_help() {
        let e = ExprError::new(Span::new(0, 1), "bad").with_help("fix it");
        assert_eq!(e.to_string(), "bad; fix it");
        assert_eq!(ExprError::new(Span::new(0, 1), "bad").to_string(), "bad");
    }

    #[test]
    fn reserved_words() {
        assert!(is_reserved("and"));
        assert!(is_reserved("strong_count"));
        assert!(!is_reserved("count"));
        assert!(!is_reserved("age"));
    }

    #[test]
    fn references_in_source_order() {
        let e = parse("a = 1 and count(jobs, b > c) > 0 and . = 2").unwrap();
        let refs: Vec<_> = references(&e).into_iter().map(|(id, s)| (id, s.start)).collect();
        assert_eq!(refs, vec![("a".into(), 0), ("jobs".into(), 16), ("b".into(), 22), ("c".into(), 26)]);
        assert!(e.uses_current());
        assert!(!e.uses_indicators());
        assert!(parse("dim_positive('x')").unwrap().uses_indicators());
    }
}
