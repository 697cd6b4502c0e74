//! The evaluator: the environment an expression reads, the ILO dimension rule, and [`eval`]
//! (values are in `value`). Evaluation is total: it never fails and never panics; anything
//! undefined is `null`.
//! `src/forms/runtime/expr.js` implements exactly the same rules (see the module docs).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::ast::{BinOp, Expr, ExprKind, Func, UnOp};
pub use super::value::{age_years, parse_date, Value};

/// How strong an indicator is, in the ILO/EC operational indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    Strong,
    Medium,
    Weak,
}

/// An indicator that fired (its `when` was true and it is relevant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiredIndicator {
    pub dimension: String,
    pub strength: Strength,
}

/// When a dimension counts as positive: any one combination is enough. See [`Combination`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionRule {
    pub any_of: Vec<Combination>,
}

/// Minimum numbers of fired indicators in one dimension. It holds when there are at least
/// `strong` strong, `medium` medium and `weak` weak indicators, and the medium and weak ones left
/// over after those make at least `medium_or_weak`:
/// `s >= strong && m >= medium && w >= weak && (m - medium) + (w - weak) >= medium_or_weak`.
/// A stronger indicator never stands in for a weaker one (the default rule does not need it).
/// A combination of all zeros holds even with no indicators at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Combination {
    pub strong: u32,
    pub medium: u32,
    pub weak: u32,
    pub medium_or_weak: u32,
}

impl Combination {
    pub fn holds(&self, strong: u32, medium: u32, weak: u32) -> bool {
        strong >= self.strong
            && medium >= self.medium
            && weak >= self.weak
            && (medium - self.medium) + (weak - self.weak) >= self.medium_or_weak
    }
}

/// The ILO/EC rule (operational indicators, 2009): a dimension is positive with at least
/// 2 strong; or 1 strong and 1 medium or weak; or 3 medium; or 2 medium and 1 weak.
impl Default for DimensionRule {
    fn default() -> Self {
        let c = |strong, medium, weak, medium_or_weak| Combination { strong, medium, weak, medium_or_weak };
        DimensionRule { any_of: vec![c(2, 0, 0, 0), c(1, 0, 0, 1), c(0, 3, 0, 0), c(0, 2, 1, 0)] }
    }
}

impl DimensionRule {
    pub fn is_positive(&self, strong: u32, medium: u32, weak: u32) -> bool {
        self.any_of.iter().any(|c| c.holds(strong, medium, weak))
    }

    /// Applies the rule to the indicators of `dimension` among `fired`.
    pub fn dimension_positive(&self, dimension: &str, fired: &[FiredIndicator]) -> bool {
        let (mut s, mut m, mut w) = (0, 0, 0);
        for f in fired.iter().filter(|f| f.dimension == dimension) {
            match f.strength {
                Strength::Strong => s += 1,
                Strength::Medium => m += 1,
                Strength::Weak => w += 1,
            }
        }
        self.is_positive(s, m, w)
    }
}

fn default_rule() -> &'static DimensionRule {
    static RULE: OnceLock<DimensionRule> = OnceLock::new();
    RULE.get_or_init(DimensionRule::default)
}

/// What an expression can read. Implement it over the live answers, or use [`MapEnv`].
pub trait Env {
    /// The answer to a question (or a calculate's value). `Null` when the question is not relevant
    /// or not answered: the caller must never hand out a hidden question's stale answer.
    fn answer(&self, id: &str) -> Value;
    /// The value of `.`.
    fn current(&self) -> Value {
        Value::Null
    }
    /// The id of the question `.` stands for (needed by `is_missing(.)`).
    fn current_id(&self) -> Option<&str> {
        None
    }
    /// True if `code` is an option of question `id` marked `missing = true` ("doesn't know",
    /// "prefers not to say").
    fn is_missing_code(&self, _id: &str, _code: &str) -> bool {
        false
    }
    /// The indicators that fired (relevant ones only).
    fn indicators(&self) -> &[FiredIndicator] {
        &[]
    }
    /// For `unknown_count`: the relevant answers that are missing codes, and the indicator
    /// questions asked but left blank, which count as unknown too.
    fn unknown_count(&self) -> usize {
        0
    }
    /// Today's date, `YYYY-MM-DD`; `None` makes `today()` null.
    fn today(&self) -> Option<&str> {
        None
    }
    fn dimension_rule(&self) -> &DimensionRule {
        default_rule()
    }
    /// The number of entries of a repeat section; `None` when the section is not relevant.
    fn repeat_len(&self, _repeat: &str) -> Option<usize> {
        None
    }
    /// The answer to `id` in entry `index` of `repeat`, or `None` if `id` is not a question of
    /// that entry (then the outer answers are read).
    fn repeat_answer(&self, _repeat: &str, _index: usize, _id: &str) -> Option<Value> {
        None
    }
}

/// An [`Env`] held in maps. Its JSON form is exactly the `env` object that
/// `src/forms/runtime/expr.js` takes, so one value drives both evaluators:
///
/// ```json
/// { "answers": {"age": 34, "owes_debt": "dk", "docs": ["passport"], "dob": "1990-05-01"},
///   "current": 34, "current_id": "age",
///   "missing": {"owes_debt": ["dk", "refused"]},
///   "indicators": [{"dimension": "exploitation", "strength": "medium"}],
///   "unanswered": 2,
///   "today": "2026-03-15",
///   "rule": {"any_of": [{"strong": 2}, {"strong": 1, "medium_or_weak": 1}]},
///   "repeats": {"jobs": [{"paid": "no", "hours": 70}], "trips": null} }
/// ```
///
/// Absent keys mean: no answers, no current value, no missing codes, no indicators, no blank
/// indicator questions, no date (`today()` is null), the default rule, and repeats that are not
/// relevant (null). `unanswered` is the number of indicator questions (those an indicator's
/// `when` reads) that were asked and left blank: only the caller, which knows what was asked,
/// can count them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MapEnv {
    pub answers: BTreeMap<String, Value>,
    pub current: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_id: Option<String>,
    pub missing: BTreeMap<String, Vec<String>>,
    pub indicators: Vec<FiredIndicator>,
    pub unanswered: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub today: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<DimensionRule>,
    pub repeats: BTreeMap<String, Option<Vec<BTreeMap<String, Value>>>>,
}

impl MapEnv {
    fn counts_as_unknown(&self, id: &str, v: &Value) -> bool {
        match v {
            Value::Text(s) | Value::Date(s) => self.is_missing_code(id, s),
            Value::Set(items) => items.iter().any(|s| self.is_missing_code(id, s)),
            _ => false,
        }
    }
}

impl Env for MapEnv {
    fn answer(&self, id: &str) -> Value {
        self.answers.get(id).cloned().unwrap_or_default()
    }
    fn current(&self) -> Value {
        self.current.clone()
    }
    fn current_id(&self) -> Option<&str> {
        self.current_id.as_deref()
    }
    fn is_missing_code(&self, id: &str, code: &str) -> bool {
        self.missing.get(id).is_some_and(|codes| codes.iter().any(|c| c == code))
    }
    fn indicators(&self) -> &[FiredIndicator] {
        &self.indicators
    }
    /// Counts every answer, top level and in every repeat entry, that is a missing code (or a
    /// set holding one), and adds the blank indicator questions.
    fn unknown_count(&self) -> usize {
        let top = self.answers.iter().filter(|(id, v)| self.counts_as_unknown(id, v)).count();
        let rows: usize = self
            .repeats
            .values()
            .flatten()
            .flatten()
            .map(|row| row.iter().filter(|(id, v)| self.counts_as_unknown(id, v)).count())
            .sum();
        top + rows + self.unanswered
    }
    fn today(&self) -> Option<&str> {
        self.today.as_deref()
    }
    fn dimension_rule(&self) -> &DimensionRule {
        self.rule.as_ref().unwrap_or_else(|| default_rule())
    }
    fn repeat_len(&self, repeat: &str) -> Option<usize> {
        self.repeats.get(repeat)?.as_ref().map(Vec::len)
    }
    fn repeat_answer(&self, repeat: &str, index: usize, id: &str) -> Option<Value> {
        self.repeats.get(repeat)?.as_ref()?.get(index)?.get(id).cloned()
    }
}

/// Evaluates `expr`. Never fails: anything undefined (a null operand, a division by zero, a
/// value of the wrong kind in an unchecked expression) gives `Null`.
pub fn eval(expr: &Expr, env: &dyn Env) -> Value {
    Evaluator { env, rows: Vec::new() }.eval(expr)
}

/// Evaluates a condition (`relevant`, `when`, `constraint`, …): true only if the value is `true`.
pub fn eval_condition(expr: &Expr, env: &dyn Env) -> bool {
    eval(expr, env).is_true()
}

struct Evaluator<'a> {
    env: &'a dyn Env,
    /// The repeat entries being visited by `any`/`count`, innermost last.
    rows: Vec<(String, usize)>,
}

fn number(n: f64) -> Value {
    if n.is_finite() {
        Value::Number(n)
    } else {
        Value::Null
    }
}

/// Kleene logic: false beats null, null beats true (for `and`).
fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn or3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

fn bool3(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

fn from3(b: Option<bool>) -> Value {
    b.map_or(Value::Null, Value::Bool)
}

impl Evaluator<'_> {
    fn lookup(&self, id: &str) -> Value {
        for (repeat, index) in self.rows.iter().rev() {
            if let Some(v) = self.env.repeat_answer(repeat, *index, id) {
                return v.normalized();
            }
        }
        self.env.answer(id).normalized()
    }

    fn eval(&mut self, e: &Expr) -> Value {
        match &e.kind {
            ExprKind::Number(n) => number(*n),
            ExprKind::Text(s) => Value::Text(s.clone()),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Null => Value::Null,
            ExprKind::Ref(id) => self.lookup(id),
            ExprKind::Current => self.env.current().normalized(),
            ExprKind::Unary(UnOp::Neg, x) => match self.eval(x) {
                Value::Number(n) => number(-n),
                _ => Value::Null,
            },
            ExprKind::Unary(UnOp::Not, x) => from3(bool3(&self.eval(x)).map(|b| !b)),
            ExprKind::Binary(op, a, b) => {
                let (a, b) = (self.eval(a), self.eval(b));
                binary(*op, &a, &b)
            }
            ExprKind::Call { func, args, .. } => self.call(*func, args),
        }
    }

    /// The value of argument `i` of a call; null when the call has no such argument.
    fn arg(&mut self, args: &[Expr], i: usize) -> Value {
        args.get(i).map_or(Value::Null, |a| self.eval(a))
    }

    fn call(&mut self, func: Func, args: &[Expr]) -> Value {
        let env = self.env;
        let arg = |this: &mut Self, i: usize| this.arg(args, i);
        match func {
            Func::Selected => {
                let (q, v) = (arg(self, 0), arg(self, 1));
                selected(&q, &v)
            }
            Func::CountSelected => match arg(self, 0) {
                Value::Text(_) | Value::Date(_) => Value::Number(1.0),
                Value::Set(q) => Value::Number(q.len() as f64),
                _ => Value::Null,
            },
            Func::Answered => Value::Bool(!arg(self, 0).is_null()),
            Func::IsMissing => self.is_missing(args),
            Func::Coalesce => match arg(self, 0) {
                Value::Null => arg(self, 1),
                v => v,
            },
            Func::If => {
                if arg(self, 0).is_true() {
                    arg(self, 1)
                } else {
                    arg(self, 2)
                }
            }
            Func::Today => match env.today() {
                Some(t) if parse_date(t).is_some() => Value::Date(t.to_string()),
                _ => Value::Null,
            },
            Func::AgeYears => age_today(&arg(self, 0), env),
            Func::Length => match arg(self, 0) {
                Value::Text(s) | Value::Date(s) => Value::Number(s.chars().count() as f64),
                _ => Value::Null,
            },
            Func::Any | Func::Count => self.over_entries(func, args),
            Func::StrongCount => count_strength(env, Strength::Strong),
            Func::MediumCount => count_strength(env, Strength::Medium),
            Func::WeakCount => count_strength(env, Strength::Weak),
            Func::UnknownCount => Value::Number(env.unknown_count() as f64),
            Func::DimPositive => match arg(self, 0) {
                Value::Text(d) => Value::Bool(env.dimension_rule().dimension_positive(&d, env.indicators())),
                _ => Value::Null,
            },
        }
    }

    /// `is_missing(q)`: true if the answer to `q` (or to `.`) is, or holds, a missing code.
    fn is_missing(&mut self, args: &[Expr]) -> Value {
        let env = self.env;
        let id = match args.first().map(|a| &a.kind) {
            Some(ExprKind::Ref(id)) => Some(id.as_str()),
            Some(ExprKind::Current) => env.current_id(),
            _ => None,
        };
        let Some(id) = id else {
            return Value::Bool(false);
        };
        let answer = self.arg(args, 0);
        Value::Bool(match answer {
            Value::Text(s) | Value::Date(s) => env.is_missing_code(id, &s),
            Value::Set(items) => items.iter().any(|s| env.is_missing_code(id, s)),
            _ => false,
        })
    }

    /// `any(repeat, cond)` and `count(repeat, cond)`: the condition in each entry of the repeat
    /// section, combined with Kleene `or` (any) or counted where true (count).
    fn over_entries(&mut self, func: Func, args: &[Expr]) -> Value {
        let Some(ExprKind::Ref(repeat)) = args.first().map(|a| &a.kind) else {
            return Value::Null;
        };
        let Some(n) = self.env.repeat_len(repeat) else {
            return Value::Null;
        };
        let Some(cond) = args.get(1) else {
            return Value::Null;
        };
        let mut any = Some(false);
        let mut count = 0usize;
        for i in 0..n {
            self.rows.push((repeat.clone(), i));
            let v = bool3(&self.eval(cond));
            self.rows.pop();
            any = or3(any, v);
            count += usize::from(v == Some(true));
        }
        if func == Func::Any {
            from3(any)
        } else {
            Value::Number(count as f64)
        }
    }
}

/// `age_years(date)`: the full years from `birth` to today; null unless both are dates.
fn age_today(birth: &Value, env: &dyn Env) -> Value {
    match (birth.as_str().and_then(parse_date), env.today().and_then(parse_date)) {
        (Some(b), Some(t)) => Value::Number(f64::from(age_years(b, t))),
        _ => Value::Null,
    }
}

/// `selected(q, 'value')`: whether the answer `q` is, or holds, the option `v`.
fn selected(q: &Value, v: &Value) -> Value {
    match (q, v.as_str()) {
        (Value::Set(q), Some(v)) => Value::Bool(q.iter().any(|x| x == v)),
        (q, Some(v)) => q.as_str().map_or(Value::Null, |q| Value::Bool(q == v)),
        _ => Value::Null,
    }
}

fn count_strength(env: &dyn Env, s: Strength) -> Value {
    Value::Number(env.indicators().iter().filter(|f| f.strength == s).count() as f64)
}

fn binary(op: BinOp, a: &Value, b: &Value) -> Value {
    match op {
        BinOp::And => from3(and3(bool3(a), bool3(b))),
        BinOp::Or => from3(or3(bool3(a), bool3(b))),
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
            let (Some(x), Some(y)) = (a.as_number(), b.as_number()) else {
                return Value::Null;
            };
            match op {
                BinOp::Add => number(x + y),
                BinOp::Sub => number(x - y),
                BinOp::Mul => number(x * y),
                _ if y == 0.0 => Value::Null,
                BinOp::Div => number(x / y),
                _ => number(x % y),
            }
        }
        BinOp::Eq | BinOp::Ne => {
            let equal = match (a, b) {
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Number(x), Value::Number(y)) => x == y,
                (Value::Text(x) | Value::Date(x), Value::Text(y) | Value::Date(y)) => x == y,
                _ => return Value::Null,
            };
            Value::Bool(equal == (op == BinOp::Eq))
        }
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let ord = match (a, b) {
                (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
                (Value::Text(x) | Value::Date(x), Value::Text(y) | Value::Date(y))
                    if parse_date(x).is_some() && parse_date(y).is_some() =>
                {
                    Some(x.cmp(y))
                }
                _ => None,
            };
            let Some(ord) = ord else { return Value::Null };
            Value::Bool(match op {
                BinOp::Lt => ord.is_lt(),
                BinOp::Le => ord.is_le(),
                BinOp::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            })
        }
    }
}

#[cfg(test)]
mod tests;
