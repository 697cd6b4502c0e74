//! The type checker. It reports every problem it finds (not only the first), each at the span
//! of the part of the expression that is wrong, and avoids follow-on errors: once a part is
//! wrong, its type is "unknown" and fits anywhere.

use super::ast::{BinOp, Expr, ExprKind, Func, Span, UnOp};
use super::eval::parse_date;
pub use super::scope::{Denied, IdInfo, IdKind, Scope, SimpleScope, Type};
use super::{suggest, ExprError};

/// Checks `expr` against `scope`. With `expected = Some(Type::Bool)` the expression must be a
/// condition. Returns the expression's type, or every error found.
pub fn check(expr: &Expr, scope: &dyn Scope, expected: Option<Type>) -> Result<Type, Vec<ExprError>> {
    let mut c = Checker { scope, errors: Vec::new(), looping: None };
    let ty = c.expr(expr);
    if let (Some(want), Some(got)) = (expected, ty.t) {
        if got != want && got != Type::Null {
            c.errors.push(expected_error(expr, want, &ty));
        }
    }
    match (c.errors.is_empty(), ty.t) {
        (true, Some(t)) => Ok(t),
        (true, None) => Ok(Type::Null),
        (false, _) => Err(c.errors),
    }
}

fn expected_error(expr: &Expr, want: Type, got: &Ty) -> ExprError {
    let got_t = got.t.unwrap_or(Type::Null);
    if want == Type::Bool {
        let help = match (&got.choices, got_t) {
            (Some(c), _) => format!("compare it, e.g. `{} = '{}'`", c.owner, c.values.first().map_or("", |s| s)),
            (None, Type::Set) => "test one option with selected(q, 'value')".to_string(),
            (None, Type::Number) => "compare it, e.g. `. > 0`".to_string(),
            _ => "compare it with = or use a function such as answered()".to_string(),
        };
        ExprError::new(expr.span, format!("a condition must be true or false, but this is {}", got_t.describe()))
            .with_help(help)
    } else {
        ExprError::new(expr.span, format!("expected {}, but this is {}", want.describe(), got_t.describe()))
    }
}

/// A checked type: `t = None` means "already wrong, fits anywhere". `choices` is set for the
/// answers of choice and multi_choice questions, so literals compared with them can be checked.
#[derive(Debug, Clone)]
struct Ty {
    t: Option<Type>,
    choices: Option<Choices>,
}

#[derive(Debug, Clone)]
struct Choices {
    owner: String,
    values: Vec<String>,
}

impl Ty {
    fn of(t: Type) -> Ty {
        Ty { t: Some(t), choices: None }
    }
    fn unknown() -> Ty {
        Ty { t: None, choices: None }
    }
    fn is(&self, want: Type) -> bool {
        matches!(self.t, None | Some(Type::Null)) || self.t == Some(want)
    }
}

struct Checker<'a> {
    scope: &'a dyn Scope,
    errors: Vec<ExprError>,
    /// The repeat section of the enclosing `any`/`count`.
    looping: Option<String>,
}

fn is_date_literal(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Text(s) if parse_date(s).is_some())
}

fn describe_operand(e: &Expr, t: Type) -> String {
    match &e.kind {
        ExprKind::Ref(id) => format!("`{id}` is {}", t.describe()),
        ExprKind::Current => format!("`.` is {}", t.describe()),
        _ => format!("this is {}", t.describe()),
    }
}

impl Checker<'_> {
    fn err(&mut self, span: Span, message: impl Into<String>, help: Option<String>) {
        let mut e = ExprError::new(span, message);
        e.help = help;
        self.errors.push(e);
    }

    fn info_type(&mut self, id: &str, info: &IdInfo, span: Span) -> Ty {
        let (t, values) = match &info.kind {
            IdKind::Text => (Type::Text, None),
            IdKind::Number => (Type::Number, None),
            IdKind::Date => (Type::Date, None),
            IdKind::Choice { values } => (Type::Text, Some(values)),
            IdKind::MultiChoice { values } => (Type::Set, Some(values)),
            IdKind::Calculate(t) => (*t, None),
            IdKind::Repeat => {
                self.err(
                    span,
                    format!("`{id}` is a repeat section, not a single answer"),
                    Some(format!("read its entries with any({id}, …) or count({id}, …)")),
                );
                return Ty::unknown();
            }
        };
        let choices = values.map(|v| Choices { owner: id.to_string(), values: v.clone() });
        Ty { t: Some(t), choices }
    }

    fn reference(&mut self, id: &str, span: Span) -> Ty {
        let Some(info) = self.scope.lookup(id) else {
            let ids = self.scope.ids();
            let help = if let Some(f) = Func::from_name(id) {
                Some(format!("{} is a function: write {}", id, f.signature()))
            } else {
                suggest(id, ids.iter().map(String::as_str)).map(|s| format!("did you mean `{s}`?"))
            };
            self.err(span, format!("unknown question id `{id}`"), help);
            return Ty::unknown();
        };
        if let Err(d) = self.scope.access(id) {
            self.err(span, d.message, d.help);
        }
        if let Some(r) = &info.repeat {
            let inside = self.looping.as_ref() == Some(r) || self.scope.context_repeat().as_ref() == Some(r);
            if !inside {
                self.err(
                    span,
                    format!("`{id}` is asked once per entry of the repeat section `{r}`"),
                    Some(format!("read it inside any({r}, …) or count({r}, …)")),
                );
                return Ty::unknown();
            }
        }
        self.info_type(id, &info, span)
    }

    fn expr(&mut self, e: &Expr) -> Ty {
        match &e.kind {
            ExprKind::Number(_) => Ty::of(Type::Number),
            ExprKind::Text(_) => Ty::of(Type::Text),
            ExprKind::Bool(_) => Ty::of(Type::Bool),
            ExprKind::Null => Ty::of(Type::Null),
            ExprKind::Ref(id) => self.reference(id, e.span),
            ExprKind::Current => match self.scope.current() {
                Some(info) => {
                    let id = self.scope.current_id().unwrap_or_else(|| "this question".to_string());
                    self.info_type(&id, &info, e.span)
                }
                None => {
                    self.err(
                        e.span,
                        "`.` (this question's answer) means nothing here",
                        Some("use `.` only in a question's own constraint, relevant, alert_if or end_if; elsewhere write the question id".into()),
                    );
                    Ty::unknown()
                }
            },
            ExprKind::Unary(UnOp::Neg, x) => {
                let t = self.expr(x);
                if !t.is(Type::Number) {
                    let what = describe_operand(x, t.t.unwrap_or(Type::Null));
                    self.err(x.span, format!("`-` needs a number, but {what}"), None);
                }
                Ty::of(Type::Number)
            }
            ExprKind::Unary(UnOp::Not, x) => {
                let t = self.expr(x);
                self.want_condition(x, &t, "`not`");
                Ty::of(Type::Bool)
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b),
            ExprKind::Call { func, args, name_span } => self.call(*func, args, *name_span, e.span),
        }
    }

    fn want_condition(&mut self, e: &Expr, t: &Ty, who: &str) {
        if !t.is(Type::Bool) {
            let got = t.t.unwrap_or(Type::Null);
            let help = match (&t.choices, got) {
                (Some(c), _) => {
                    Some(format!("compare it, e.g. `{} = '{}'`", c.owner, c.values.first().map_or("", |s| s)))
                }
                (None, Type::Number) => Some("compare it, e.g. `x > 0`".to_string()),
                _ => None,
            };
            self.err(e.span, format!("{who} needs a condition (true/false), but {}", describe_operand(e, got)), help);
        }
    }

    fn binary(&mut self, op: BinOp, a: &Expr, b: &Expr) -> Ty {
        let (ta, tb) = (self.expr(a), self.expr(b));
        if op.is_logical() {
            let who = format!("`{op}`");
            self.want_condition(a, &ta, &who);
            self.want_condition(b, &tb, &who);
            return Ty::of(Type::Bool);
        }
        if op.is_arithmetic() {
            for (x, t) in [(a, &ta), (b, &tb)] {
                if !t.is(Type::Number) {
                    let got = t.t.unwrap_or(Type::Null);
                    let help = match got {
                        Type::Date => Some("dates take no arithmetic; use age_years(date) for an age".to_string()),
                        Type::Text if matches!(&x.kind, ExprKind::Text(s) if s.parse::<f64>().is_ok()) => {
                            Some("write the number without quotes".to_string())
                        }
                        _ => None,
                    };
                    self.err(x.span, format!("`{op}` needs numbers, but {}", describe_operand(x, got)), help);
                }
            }
            return Ty::of(Type::Number);
        }
        self.comparison(op, a, &ta, b, &tb);
        Ty::of(Type::Bool)
    }

    fn comparison(&mut self, op: BinOp, a: &Expr, ta: &Ty, b: &Expr, tb: &Ty) {
        if self.null_operand(a, b) {
            return;
        }
        let (Some(la), Some(lb)) = (ta.t, tb.t) else {
            return;
        };
        if la == Type::Null || lb == Type::Null {
            return;
        }
        if self.set_operand(op, a, ta, b, tb) || self.date_with_text(a, la, b, lb) {
            return;
        }
        if la != lb {
            self.type_mismatch(a, la, b, lb);
            return;
        }
        if op.is_ordering() && !matches!(la, Type::Number | Type::Date) {
            self.err(
                a.span.to(b.span),
                format!("`{op}` compares numbers or dates, not {}", la.describe()),
                (la == Type::Text).then(|| "use = or != for text".to_string()),
            );
            return;
        }
        for (t, other) in [(ta, b), (tb, a)] {
            if let (Some(c), ExprKind::Text(v)) = (&t.choices, &other.kind) {
                self.choice_value(c, v, other.span);
            }
        }
    }

    /// Reports a comparison with the literal `null`, which is never true. Returns true if
    /// either side is `null`.
    fn null_operand(&mut self, a: &Expr, b: &Expr) -> bool {
        let Some(x) = [a, b].into_iter().find(|x| x.kind == ExprKind::Null) else {
            return false;
        };
        self.err(
            x.span,
            "a comparison with null is never true",
            Some("to test for an answer, write answered(q) or not answered(q)".into()),
        );
        true
    }

    /// Reports a multi_choice answer compared as a whole, which holds several choices.
    /// Returns true if either side is one.
    fn set_operand(&mut self, op: BinOp, a: &Expr, ta: &Ty, b: &Expr, tb: &Ty) -> bool {
        let Some((x, t, other)) = [(a, ta, b), (b, tb, a)].into_iter().find(|(_, t, _)| t.t == Some(Type::Set)) else {
            return false;
        };
        let name = match &x.kind {
            ExprKind::Ref(id) => id.clone(),
            _ => "q".to_string(),
        };
        let example = match &other.kind {
            ExprKind::Text(v) => v.clone(),
            _ => t.choices.as_ref().and_then(|c| c.values.first().cloned()).unwrap_or_default(),
        };
        let who = match &x.kind {
            ExprKind::Ref(id) => format!("`{id}`"),
            ExprKind::Current => "`.`".to_string(),
            _ => "this".to_string(),
        };
        self.err(
            x.span,
            format!("{who} holds several choices and cannot be compared with `{op}`"),
            Some(format!("test one option with selected({name}, '{example}')")),
        );
        true
    }

    /// A date compared with a text literal: the literal must be a date. Returns true if one
    /// side is a date and the other a text literal, so the comparison needs no further check.
    fn date_with_text(&mut self, a: &Expr, la: Type, b: &Expr, lb: Type) -> bool {
        for (tx, y, ty) in [(la, b, lb), (lb, a, la)] {
            if tx == Type::Date && ty == Type::Text {
                if let ExprKind::Text(s) = &y.kind {
                    if parse_date(s).is_none() {
                        self.err(
                            y.span,
                            format!("'{s}' is not a date"),
                            Some("write dates as 'YYYY-MM-DD', e.g. '2010-01-31'".into()),
                        );
                    }
                    return true;
                }
            }
        }
        false
    }

    /// Reports a comparison of two values of different types, which are never converted.
    fn type_mismatch(&mut self, a: &Expr, la: Type, b: &Expr, lb: Type) {
        let help = match (la, &b.kind, &a.kind) {
            (Type::Number, ExprKind::Text(s), _) if s.parse::<f64>().is_ok() => {
                Some(format!("write the number without quotes: {s}"))
            }
            (Type::Text, _, ExprKind::Text(s)) if s.parse::<f64>().is_ok() => {
                Some(format!("write the number without quotes: {s}"))
            }
            _ => Some("values of different types are never converted".to_string()),
        };
        self.err(a.span.to(b.span), format!("cannot compare {} with {}", la.describe(), lb.describe()), help);
    }

    fn choice_value(&mut self, c: &Choices, v: &str, span: Span) {
        if c.values.iter().any(|x| x == v) {
            return;
        }
        let help = match suggest(v, c.values.iter().map(String::as_str)) {
            Some(s) => format!("did you mean '{s}'?"),
            None => format!(
                "the values of {} are {}",
                c.owner,
                c.values.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ")
            ),
        };
        self.err(span, format!("'{v}' is not a value of {}", c.owner), Some(help));
    }

    /// Unifies the types of two branches (`coalesce`, `if`).
    fn unify(&mut self, a: &Expr, ta: Ty, b: &Expr, tb: Ty) -> Ty {
        match (ta.t, tb.t) {
            (None, _) | (Some(Type::Null), _) => tb,
            (_, None) | (_, Some(Type::Null)) => ta,
            (Some(x), Some(y)) if x == y => {
                if ta.choices.is_some() {
                    if let (Some(c), ExprKind::Text(v)) = (&ta.choices, &b.kind) {
                        self.choice_value(&c.clone(), v, b.span);
                    }
                    ta
                } else {
                    tb
                }
            }
            (Some(Type::Date), Some(Type::Text)) if is_date_literal(b) => ta,
            (Some(Type::Text), Some(Type::Date)) if is_date_literal(a) => tb,
            (Some(x), Some(y)) => {
                self.err(
                    b.span,
                    format!(
                        "both values must have the same type, but this is {} and the other is {}",
                        y.describe(),
                        x.describe()
                    ),
                    Some("values of different types are never converted".to_string()),
                );
                Ty::unknown()
            }
        }
    }

    fn need_choice_ref(&mut self, func: Func, arg: &Expr, t: &Ty) {
        let is_ref = matches!(arg.kind, ExprKind::Ref(_) | ExprKind::Current);
        let ok = t.t.is_none() || (is_ref && t.choices.is_some());
        if !ok {
            self.err(
                arg.span,
                format!("{}() needs the id of a choice or multi_choice question", func.name()),
                Some(format!("write {}", func.signature())),
            );
        }
    }

    fn call(&mut self, func: Func, args: &[Expr], name_span: Span, span: Span) -> Ty {
        if args.len() != func.arity() {
            // The parser guarantees arity; a hand-built tree may not.
            self.err(span, format!("{}() takes {} arguments", func.name(), func.arity()), None);
            return Ty::unknown();
        }
        match func {
            Func::Selected => self.selected(func, &args[0], &args[1]),
            Func::CountSelected => {
                let t = self.expr(&args[0]);
                self.need_choice_ref(func, &args[0], &t);
                Ty::of(Type::Number)
            }
            Func::IsMissing => {
                let t = self.expr(&args[0]);
                self.need_choice_ref(func, &args[0], &t);
                Ty::of(Type::Bool)
            }
            Func::Answered => {
                self.expr(&args[0]);
                Ty::of(Type::Bool)
            }
            Func::Coalesce => {
                let ta = self.expr(&args[0]);
                let tb = self.expr(&args[1]);
                self.unify(&args[0], ta, &args[1], tb)
            }
            Func::If => {
                let tc = self.expr(&args[0]);
                self.want_condition(&args[0], &tc, "the first argument of if()");
                let ta = self.expr(&args[1]);
                let tb = self.expr(&args[2]);
                self.unify(&args[1], ta, &args[2], tb)
            }
            Func::Today => Ty::of(Type::Date),
            Func::AgeYears => self.age_years(&args[0]),
            Func::Length => self.length(&args[0]),
            Func::Any | Func::Count => {
                self.repeat(func, &args[0], &args[1], name_span);
                Ty::of(if func == Func::Any { Type::Bool } else { Type::Number })
            }
            Func::StrongCount | Func::MediumCount | Func::WeakCount | Func::UnknownCount => Ty::of(Type::Number),
            Func::DimPositive => self.dim_positive(&args[0]),
        }
    }

    /// `selected(q, 'value')`: `q` must be a choice or multi_choice question and the value
    /// one of its options.
    fn selected(&mut self, func: Func, question: &Expr, option: &Expr) -> Ty {
        let tq = self.expr(question);
        let tv = self.expr(option);
        let ok = tq.t.is_none() || (tq.choices.is_some() || tq.t == Some(Type::Set));
        if !ok {
            self.err(
                question.span,
                "selected() needs a choice or multi_choice question",
                Some(format!("write {}", func.signature())),
            );
        }
        if !tv.is(Type::Text) {
            self.err(
                option.span,
                "the option of selected() must be text in quotes",
                Some("write selected(q, 'value')".into()),
            );
        } else if let (Some(c), ExprKind::Text(v)) = (&tq.choices, &option.kind) {
            self.choice_value(&c.clone(), v, option.span);
        }
        Ty::of(Type::Bool)
    }

    /// `age_years(date)`: the argument must be a date or a date literal.
    fn age_years(&mut self, birth: &Expr) -> Ty {
        let t = self.expr(birth);
        if !t.is(Type::Date) && !is_date_literal(birth) {
            let got = t.t.unwrap_or(Type::Null);
            self.err(birth.span, format!("age_years() needs a date, but {}", describe_operand(birth, got)), None);
        }
        Ty::of(Type::Number)
    }

    /// `length(text)`: the argument must be text.
    fn length(&mut self, text: &Expr) -> Ty {
        let t = self.expr(text);
        if !t.is(Type::Text) {
            let got = t.t.unwrap_or(Type::Null);
            self.err(text.span, format!("length() needs text, but {}", describe_operand(text, got)), None);
        }
        Ty::of(Type::Number)
    }

    /// `dim_positive('dimension')`: the argument must be a dimension's name in quotes.
    fn dim_positive(&mut self, dimension: &Expr) -> Ty {
        match &dimension.kind {
            ExprKind::Text(d) => self.dimension_name(d, dimension.span),
            _ => {
                self.expr(dimension);
                self.err(
                    dimension.span,
                    "dim_positive() needs the dimension's name in quotes",
                    Some("write dim_positive('exploitation')".into()),
                );
            }
        }
        Ty::of(Type::Bool)
    }

    /// Reports `d` if it is not a dimension of the form's indicators (when the scope knows them).
    fn dimension_name(&mut self, d: &str, span: Span) {
        let Some(dims) = self.scope.dimensions() else {
            return;
        };
        if dims.iter().any(|x| x == d) {
            return;
        }
        let help = match suggest(d, dims.iter().map(String::as_str)) {
            Some(s) => format!("did you mean '{s}'?"),
            None if dims.is_empty() => "this form has no indicators".to_string(),
            None => {
                format!("the dimensions are {}", dims.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", "))
            }
        };
        self.err(span, format!("'{d}' is not a dimension of this form's indicators"), Some(help));
    }

    fn repeat(&mut self, func: Func, repeat: &Expr, cond: &Expr, name_span: Span) {
        if self.looping.is_some() {
            self.err(name_span, format!("{}() cannot be used inside another any() or count()", func.name()), None);
            self.expr(cond);
            return;
        }
        let ExprKind::Ref(r) = &repeat.kind else {
            self.err(repeat.span, format!("the first argument of {}() must be a repeat section id", func.name()), None);
            return;
        };
        let ok = match self.scope.lookup(r) {
            Some(IdInfo { kind: IdKind::Repeat, .. }) => {
                if let Err(d) = self.scope.access(r) {
                    self.err(repeat.span, d.message, d.help);
                }
                true
            }
            Some(_) => {
                self.err(repeat.span, format!("`{r}` is not a repeat section"), Some(self.repeat_help(r)));
                false
            }
            None => {
                self.err(repeat.span, format!("unknown repeat section `{r}`"), Some(self.repeat_help(r)));
                false
            }
        };
        let saved = self.looping.replace(r.clone());
        let t = self.expr(cond);
        self.want_condition(cond, &t, &format!("the second argument of {}()", func.name()));
        self.looping = saved;
        let _ = ok;
    }

    fn repeat_help(&self, r: &str) -> String {
        let repeats: Vec<String> = self
            .scope
            .ids()
            .into_iter()
            .filter(|id| matches!(self.scope.lookup(id), Some(IdInfo { kind: IdKind::Repeat, .. })))
            .collect();
        match suggest(r, repeats.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None if repeats.is_empty() => "this form has no repeat sections".to_string(),
            None => format!("the repeat sections are {}", repeats.join(", ")),
        }
    }
}

#[cfg(test)]
mod tests;
