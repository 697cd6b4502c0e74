//! The expression language written as ODK XPath, for the `relevant`, `constraint` and
//! `calculation` columns of an XLSForm.
//!
//! The language is three-valued (a condition over an unanswered question is neither true nor
//! false) and XPath is not: `not(${age} >= 18)` is true when `age` is blank. So every condition is
//! written twice: [`Xpath::truth`] holds exactly when the expression is `true`, [`Xpath::falsity`]
//! exactly when it is `false`; `not e` swaps them, `and`/`or` combine them as Kleene logic does.
//! A value that is null in the language is blank (`''`) in XPath; [`Xpath::defined`] says when it
//! is not. Whatever has no XPath counterpart is an [`ExprError`] at its span.

pub use super::xpath_out_model::{Kind, Model};
use crate::forms::expr::{format_number, BinOp, Expr, ExprError, ExprKind, Func, UnOp};
use crate::forms::form::Strength;

type R = Result<String, ExprError>;

/// Where an expression is used: what it may read besides the answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// A question's or section's own logic: the page has not scored anything yet.
    Question,
    /// An indicator's `when`: the unknown answers are known.
    Indicator,
    /// An outcome's `when`: the fired indicators are known too.
    Outcome,
}

/// The value types the translation tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Bool,
    Number,
    Text,
    Date,
    Set,
    Null,
}

/// One expression's surroundings: what `.` is and which repeat entry a predicate stands in.
pub struct Xpath<'m> {
    model: &'m Model,
    context: Context,
    /// The question `.` stands for: its id (for its kind) and how XPath names it.
    current: Option<(String, String)>,
    /// Inside `any`/`count` over this repeat: its questions are read relative to the entry.
    entry: Option<String>,
}

impl<'m> Xpath<'m> {
    pub fn new(model: &'m Model, context: Context) -> Self {
        Xpath { model, context, current: None, entry: None }
    }

    /// `.` is question `id`, written `path` (`.` in a constraint, `${id}` elsewhere).
    pub fn with_current(mut self, id: &str, path: &str) -> Self {
        self.current = Some((id.to_string(), path.to_string()));
        self
    }

    /// Read the questions of repeat `id` relative to one of its entries (a predicate).
    pub fn in_entry(mut self, id: &str) -> Self {
        self.entry = Some(id.to_string());
        self
    }

    fn inner(&self, entry: &str) -> Xpath<'m> {
        Xpath { model: self.model, context: self.context, current: self.current.clone(), entry: Some(entry.into()) }
    }

    /// An XPath boolean that holds exactly when `e` is true.
    pub fn truth(&self, e: &Expr) -> R {
        Ok(match &e.kind {
            ExprKind::Bool(b) => if *b { "true()" } else { "false()" }.into(),
            ExprKind::Null => "false()".into(),
            ExprKind::Unary(UnOp::Not, a) => self.falsity(a)?,
            ExprKind::Binary(BinOp::And, a, b) => join("and", &[self.truth(a)?, self.truth(b)?]),
            ExprKind::Binary(BinOp::Or, a, b) => join("or", &[self.truth(a)?, self.truth(b)?]),
            ExprKind::Binary(op, a, b) if op.is_comparison() => self.compare(*op, a, b)?,
            ExprKind::Ref(_) | ExprKind::Current if self.ty(e) == Ty::Bool => format!("{} = 'true'", self.path(e)?),
            ExprKind::Call { func, args, .. } => self.call_truth(*func, args, e, true)?,
            _ => return Err(not_condition(e)),
        })
    }

    /// An XPath boolean that holds exactly when `e` is false.
    pub fn falsity(&self, e: &Expr) -> R {
        Ok(match &e.kind {
            ExprKind::Bool(b) => if *b { "false()" } else { "true()" }.into(),
            ExprKind::Null => "false()".into(),
            ExprKind::Unary(UnOp::Not, a) => self.truth(a)?,
            ExprKind::Binary(BinOp::And, a, b) => join("or", &[self.falsity(a)?, self.falsity(b)?]),
            ExprKind::Binary(BinOp::Or, a, b) => join("and", &[self.falsity(a)?, self.falsity(b)?]),
            ExprKind::Binary(op, a, b) if op.is_comparison() => self.compare(negate(*op), a, b)?,
            ExprKind::Ref(_) | ExprKind::Current if self.ty(e) == Ty::Bool => format!("{} = 'false'", self.path(e)?),
            ExprKind::Call { func, args, .. } => self.call_truth(*func, args, e, false)?,
            _ => return Err(not_condition(e)),
        })
    }

    /// The value of `e`, blank (or NaN in arithmetic) where the language has null. A true/false
    /// value is written `'true'`/`'false'`.
    pub fn value(&self, e: &Expr) -> R {
        if self.ty(e) == Ty::Bool {
            return Ok(format!("if({}, 'true', if({}, 'false', ''))", self.truth(e)?, self.falsity(e)?));
        }
        Ok(match &e.kind {
            ExprKind::Number(n) => format_number(*n),
            ExprKind::Text(s) => quote(s),
            ExprKind::Null => "''".into(),
            ExprKind::Ref(_) | ExprKind::Current => self.path(e)?,
            // Written as a subtraction: openrosa-xpath-evaluator does not read a minus before `(`.
            ExprKind::Unary(UnOp::Neg, a) => format!("(0 - {})", self.value(a)?),
            ExprKind::Binary(op, a, b) if op.is_arithmetic() => {
                let sym = match op {
                    BinOp::Div => "div",
                    BinOp::Mod => "mod",
                    other => other.symbol(),
                };
                format!("({} {sym} {})", self.value(a)?, self.value(b)?)
            }
            ExprKind::Call { func, args, .. } => self.call_value(*func, args, e)?,
            _ => return Err(not_condition(e)),
        })
    }

    /// A calculation's column: its value, blank whenever the language's value is null.
    pub fn calculation(&self, e: &Expr) -> R {
        let v = self.value(e)?;
        Ok(match (self.ty(e), self.defined(e)?) {
            (Ty::Bool, _) | (_, None) => v,
            (_, Some(d)) => format!("if({d}, {v}, '')"),
        })
    }

    /// An XPath boolean that holds when `e` is not null; `None` when it never is.
    pub fn defined(&self, e: &Expr) -> Result<Option<String>, ExprError> {
        if self.ty(e) == Ty::Bool {
            return Ok(Some(join("or", &[self.truth(e)?, self.falsity(e)?])));
        }
        Ok(match &e.kind {
            ExprKind::Number(_) => None,
            ExprKind::Text(s) => (s.is_empty()).then(|| "false()".into()),
            ExprKind::Null => Some("false()".into()),
            ExprKind::Ref(_) | ExprKind::Current => Some(format!("string-length({}) > 0", self.path(e)?)),
            ExprKind::Unary(_, a) => self.defined(a)?,
            ExprKind::Binary(op, a, b) => {
                let mut parts: Vec<String> = [self.defined(a)?, self.defined(b)?].into_iter().flatten().collect();
                if matches!(op, BinOp::Div | BinOp::Mod) {
                    parts.push(format!("{} != 0", self.value(b)?));
                }
                (!parts.is_empty()).then(|| join("and", &parts))
            }
            ExprKind::Call { func, args, .. } => self.call_defined(*func, args)?,
            ExprKind::Bool(_) => None,
        })
    }

    fn compare(&self, op: BinOp, a: &Expr, b: &Expr) -> R {
        let (ta, tb) = (self.ty(a), self.ty(b));
        if ta == Ty::Null || tb == Ty::Null {
            return Ok("false()".into());
        }
        if ta == Ty::Bool {
            let same = join("or", &[both(self.truth(a)?, self.truth(b)?), both(self.falsity(a)?, self.falsity(b)?)]);
            let differ = join("or", &[both(self.truth(a)?, self.falsity(b)?), both(self.falsity(a)?, self.truth(b)?)]);
            return Ok(if op == BinOp::Eq { same } else { differ });
        }
        let (mut va, mut vb) = (self.value(a)?, self.value(b)?);
        let dates = op.is_ordering() && (ta == Ty::Date || tb == Ty::Date);
        if dates {
            va = format!("decimal-date-time({va})");
            vb = format!("decimal-date-time({vb})");
        } else if ta == Ty::Number && tb == Ty::Number && !is_literal(a) && !is_literal(b) {
            // Two fields compare as strings in XPath ("12" = "12.0" is false): compare numbers.
            va = format!("number({va})");
            vb = format!("number({vb})");
        }
        let core = format!("{va} {} {vb}", op.symbol());
        // Blank never equals a literal that is not blank, and NaN orders with nothing: such a
        // comparison needs no guard, unless a division could make an infinity.
        let divides = has_division(a) || has_division(b);
        let literal_side = is_nonblank_literal(a) || is_nonblank_literal(b);
        let safe = !divides && !dates && ((op == BinOp::Eq && literal_side) || (op.is_ordering() && ta == Ty::Number));
        if safe {
            return Ok(core);
        }
        let mut parts: Vec<String> = [self.defined(a)?, self.defined(b)?].into_iter().flatten().collect();
        parts.push(core);
        Ok(join("and", &parts))
    }

    fn call_truth(&self, func: Func, args: &[Expr], e: &Expr, want: bool) -> R {
        let pick = |t: String, f: String| if want { t } else { f };
        Ok(match func {
            Func::Selected => self.selected_truth(args, want)?,
            Func::Answered => {
                let d = self.defined(&args[0])?.unwrap_or_else(|| "true()".into());
                pick(d.clone(), format!("not({d})"))
            }
            Func::IsMissing => {
                let t = self.is_missing(&args[0])?;
                pick(t.clone(), format!("not({t})"))
            }
            Func::Coalesce => {
                let d = self.defined(&args[0])?.unwrap_or_else(|| "true()".into());
                let (a, b) = self.both_sides(&args[0], &args[1], want)?;
                join("or", &[a, both(format!("not({d})"), b)])
            }
            Func::If => {
                let c = self.truth(&args[0])?;
                let (a, b) = self.both_sides(&args[1], &args[2], want)?;
                join("or", &[both(c.clone(), a), both(format!("not({c})"), b)])
            }
            Func::Any => self.any_truth(args, want)?,
            Func::DimPositive => {
                if self.context != Context::Outcome {
                    return Err(unavailable(e, "the fired indicators are known only to outcomes"));
                }
                let t = self.dim_positive(&args[0])?;
                pick(t.clone(), format!("not({t})"))
            }
            _ => return Err(not_condition(e)),
        })
    }

    /// `selected(q, v)` when `want`; else that it surely does not hold: q answered, v known, and
    /// v not among q's choices.
    fn selected_truth(&self, args: &[Expr], want: bool) -> R {
        let q = self.path(&args[0])?;
        let v = self.value(&args[1])?;
        let mut guard: Vec<String> = self.defined(&args[1])?.into_iter().collect();
        guard.push(format!("string-length({q}) > 0"));
        let sel = format!("selected({q}, {v})");
        Ok(if want { sel } else { join("and", &[join("and", &guard), format!("not({sel})")]) })
    }

    /// `is_missing(q)`: one of the choices of q's list that mean a missing answer is selected.
    fn is_missing(&self, arg: &Expr) -> R {
        let id = match &arg.kind {
            ExprKind::Ref(id) => Some(id.clone()),
            ExprKind::Current => self.current.as_ref().map(|(id, _)| id.clone()),
            _ => None,
        };
        let codes = match id.as_deref().and_then(|id| self.model.kind(id)) {
            Some(Kind::Choice { missing, .. }) => missing.clone(),
            _ => Vec::new(),
        };
        let q = self.path(arg)?;
        let any: Vec<String> = codes.iter().map(|c| format!("selected({q}, {})", quote(c))).collect();
        Ok(if any.is_empty() { "false()".to_string() } else { join("or", &any) })
    }

    /// What makes `a` and `b` true when `want`, else what makes them false.
    fn both_sides(&self, a: &Expr, b: &Expr, want: bool) -> Result<(String, String), ExprError> {
        Ok(if want { (self.truth(a)?, self.truth(b)?) } else { (self.falsity(a)?, self.falsity(b)?) })
    }

    /// `any(repeat, condition)` when `want`: an entry where the condition holds; else the
    /// repeat asked, and the condition surely false in every entry.
    fn any_truth(&self, args: &[Expr], want: bool) -> R {
        let (r, cond) = (repeat_id(&args[0])?, &args[1]);
        let inner = self.inner(&r);
        if want {
            return Ok(format!("count(${{{r}}}[{}]) > 0", inner.truth(cond)?));
        }
        let none = format!("count(${{{r}}}[not({})]) = 0", inner.falsity(cond)?);
        Ok(match self.model.repeat_relevance.get(&r).cloned().flatten() {
            Some(rel) => both(rel, none),
            None => none,
        })
    }

    fn call_value(&self, func: Func, args: &[Expr], e: &Expr) -> R {
        Ok(match func {
            Func::CountSelected => format!("count-selected({})", self.path(&args[0])?),
            Func::Coalesce => match self.defined(&args[0])? {
                Some(d) => format!("if({d}, {}, {})", self.value(&args[0])?, self.value(&args[1])?),
                None => self.value(&args[0])?,
            },
            Func::If => format!("if({}, {}, {})", self.truth(&args[0])?, self.value(&args[1])?, self.value(&args[2])?),
            Func::Today => "today()".into(),
            Func::AgeYears => {
                let d = self.value(&args[0])?;
                format!(
                    "(number(format-date(today(), '%Y')) - number(format-date({d}, '%Y')) - \
                     if(number(format-date(today(), '%m%d')) < number(format-date({d}, '%m%d')), 1, 0))"
                )
            }
            Func::Length => format!("string-length({})", self.value(&args[0])?),
            Func::Count => {
                let r = repeat_id(&args[0])?;
                format!("count(${{{r}}}[{}])", self.inner(&r).truth(&args[1])?)
            }
            Func::StrongCount | Func::MediumCount | Func::WeakCount => {
                if self.context != Context::Outcome {
                    return Err(unavailable(e, "the fired indicators are known only to outcomes"));
                }
                format!("${{{}}}", func.name())
            }
            Func::UnknownCount => {
                if self.context == Context::Question {
                    return Err(unavailable(e, "the unknown answers are counted only for indicators and outcomes"));
                }
                "${unknown_count}".into()
            }
            _ => return Err(not_condition(e)),
        })
    }

    fn call_defined(&self, func: Func, args: &[Expr]) -> Result<Option<String>, ExprError> {
        Ok(match func {
            Func::CountSelected => Some(format!("string-length({}) > 0", self.path(&args[0])?)),
            Func::Coalesce => match (self.defined(&args[0])?, self.defined(&args[1])?) {
                (None, _) | (_, None) => None,
                (Some(a), Some(b)) => Some(join("or", &[a, b])),
            },
            Func::If => match (self.defined(&args[1])?, self.defined(&args[2])?) {
                (None, None) => None,
                (a, b) => {
                    let c = self.truth(&args[0])?;
                    let t = |d: Option<String>| d.unwrap_or_else(|| "true()".into());
                    Some(join("or", &[both(c.clone(), t(a)), both(format!("not({c})"), t(b))]))
                }
            },
            Func::AgeYears | Func::Length => self.defined(&args[0])?,
            Func::Count => self.model.repeat_relevance.get(&repeat_id(&args[0])?).cloned().flatten(),
            _ => None,
        })
    }

    /// The default or the form's rule, over the indicator fields of one dimension.
    fn dim_positive(&self, arg: &Expr) -> R {
        let ExprKind::Text(dim) = &arg.kind else {
            return Err(ExprError::new(arg.span, "XLSForm needs the dimension written out here")
                .with_help("write the dimension's id as text: dim_positive('coercion')"));
        };
        let sum = |strength: Strength| {
            let fields: Vec<String> = self
                .model
                .indicators
                .iter()
                .filter(|(_, d, s)| d == dim && *s == strength)
                .map(|(id, ..)| format!("${{{}}}", Model::indicator_field(id)))
                .collect();
            if fields.is_empty() {
                "0".to_string()
            } else {
                format!("({})", fields.join(" + "))
            }
        };
        let (s, m, w) = (sum(Strength::Strong), sum(Strength::Medium), sum(Strength::Weak));
        let combos: Vec<String> = self
            .model
            .rule
            .any_of
            .iter()
            .map(|c| {
                let mut parts = Vec::new();
                for (field, need) in [(&s, c.strong), (&m, c.medium), (&w, c.weak)] {
                    if need > 0 {
                        parts.push(format!("{field} >= {need}"));
                    }
                }
                if c.medium_or_weak > 0 {
                    parts.push(format!("({m} - {}) + ({w} - {}) >= {}", c.medium, c.weak, c.medium_or_weak));
                }
                if parts.is_empty() {
                    "true()".to_string()
                } else {
                    join("and", &parts)
                }
            })
            .collect();
        Ok(if combos.is_empty() { "false()".into() } else { join("or", &combos) })
    }

    /// How XPath names a question (or `.`).
    fn path(&self, e: &Expr) -> R {
        match &e.kind {
            ExprKind::Current => match (&self.current, &self.entry) {
                (Some((_, path)), Some(_)) if path == "." => Ok("current()".into()),
                (Some((_, path)), _) => Ok(path.clone()),
                (None, _) => Err(ExprError::new(e.span, "`.` stands for no question here")),
            },
            ExprKind::Ref(id) => {
                let repeat = self.model.ids.get(id.as_str()).and_then(|(_, r)| r.as_deref());
                match (repeat, self.entry.as_deref()) {
                    (Some(r), Some(entry)) if r == entry => Ok(format!("./{id}")),
                    _ => Ok(format!("${{{id}}}")),
                }
            }
            _ => Err(ExprError::new(e.span, "XLSForm needs a question here")
                .with_help("name the question itself (or `.`), not a computed value")),
        }
    }

    fn ty(&self, e: &Expr) -> Ty {
        let of_kind = |k: Option<&Kind>| match k {
            Some(Kind::Number) => Ty::Number,
            Some(Kind::Date) => Ty::Date,
            Some(Kind::Bool) => Ty::Bool,
            Some(Kind::Choice { multi: true, .. }) => Ty::Set,
            _ => Ty::Text,
        };
        match &e.kind {
            ExprKind::Number(_) => Ty::Number,
            ExprKind::Text(_) => Ty::Text,
            ExprKind::Bool(_) => Ty::Bool,
            ExprKind::Null => Ty::Null,
            ExprKind::Ref(id) => of_kind(self.model.kind(id)),
            ExprKind::Current => of_kind(self.current.as_ref().and_then(|(id, _)| self.model.kind(id))),
            ExprKind::Unary(UnOp::Neg, _) => Ty::Number,
            ExprKind::Unary(UnOp::Not, _) => Ty::Bool,
            ExprKind::Binary(op, ..) if op.is_arithmetic() => Ty::Number,
            ExprKind::Binary(..) => Ty::Bool,
            ExprKind::Call { func, args, .. } => match func {
                Func::Coalesce => match self.ty(&args[0]) {
                    Ty::Null => self.ty(&args[1]),
                    t => t,
                },
                Func::If => match self.ty(&args[1]) {
                    Ty::Null => self.ty(&args[2]),
                    t => t,
                },
                Func::Today => Ty::Date,
                Func::CountSelected
                | Func::AgeYears
                | Func::Length
                | Func::Count
                | Func::StrongCount
                | Func::MediumCount
                | Func::WeakCount
                | Func::UnknownCount => Ty::Number,
                _ => Ty::Bool,
            },
        }
    }
}

/// An XPath string literal: in the quote the text does not hold (the language has no escapes, so
/// a text never holds both).
pub fn quote(s: &str) -> String {
    if s.contains('\'') {
        format!("\"{s}\"")
    } else {
        format!("'{s}'")
    }
}

/// `a op b op c`, each part in parentheses unless it is plain.
fn join(op: &str, parts: &[String]) -> String {
    if let [one] = parts {
        return one.clone();
    }
    let wrapped: Vec<String> = parts.iter().map(|p| paren(p)).collect();
    wrapped.join(&format!(" {op} "))
}

fn both(a: String, b: String) -> String {
    format!("({})", join("and", &[a, b]))
}

fn paren(p: &str) -> String {
    let plain = !p.contains(' ') || (p.starts_with('(') && closes_at_end(p));
    if plain {
        p.to_string()
    } else {
        format!("({p})")
    }
}

/// True if the `(` at the start of `p` is closed by its last character.
fn closes_at_end(p: &str) -> bool {
    let (mut depth, mut quote) = (0i32, None);
    for (i, c) in p.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 && i + 1 != p.len() {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

fn negate(op: BinOp) -> BinOp {
    match op {
        BinOp::Eq => BinOp::Ne,
        BinOp::Ne => BinOp::Eq,
        BinOp::Lt => BinOp::Ge,
        BinOp::Le => BinOp::Gt,
        BinOp::Gt => BinOp::Le,
        BinOp::Ge => BinOp::Lt,
        other => other,
    }
}

fn is_literal(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Number(_) | ExprKind::Text(_))
        || matches!(&e.kind, ExprKind::Unary(UnOp::Neg, a) if matches!(a.kind, ExprKind::Number(_)))
}

fn is_nonblank_literal(e: &Expr) -> bool {
    is_literal(e) && !matches!(&e.kind, ExprKind::Text(s) if s.is_empty())
}

fn has_division(e: &Expr) -> bool {
    let mut found = false;
    e.walk(&mut |n| found |= matches!(n.kind, ExprKind::Binary(BinOp::Div | BinOp::Mod, ..)));
    found
}

fn repeat_id(e: &Expr) -> Result<String, ExprError> {
    match &e.kind {
        ExprKind::Ref(id) => Ok(id.clone()),
        _ => Err(ExprError::new(e.span, "expected the id of a repeated section")),
    }
}

fn not_condition(e: &Expr) -> ExprError {
    ExprError::new(e.span, format!("`{e}` cannot be written in XLSForm here"))
}

fn unavailable(e: &Expr, why: &str) -> ExprError {
    ExprError::new(e.span, format!("`{e}` cannot be exported to XLSForm here: {why}"))
        .with_help("move this logic into an outcome, or write it with the answers themselves")
}

#[cfg(test)]
#[path = "xpath_out_tests.rs"]
mod tests;
