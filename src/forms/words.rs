//! Expressions read aloud: `owes_debt = 'yes'` becomes «питання 27 = «Так»» on a Ukrainian paper
//! form and «question 27 = «Yes»» on an English one. Interviewers never see the raw syntax.
//!
//! Question ids become their printed numbers, choice values their labels, functions short phrases
//! from the UI strings (`forms.words.*`). A numbered question is named in the case its phrase
//! needs: «у питанні 5 позначено …» takes `forms.words.question_in`. A calculation is never named:
//! paper has no place for its value, so its own expression is read out instead, down to the
//! questions the paper asks. The result is plain text; the caller escapes it.

use super::expr::{format_number, BinOp, Expr, ExprKind, Func, UnOp};
use super::form::{text, Form, Question, QuestionType};

/// Renders expressions of one form in one language.
pub struct Words<'a> {
    pub form: &'a Form,
    pub lang: &'a str,
    pub t: &'a dyn Fn(&str) -> String,
    /// The question `.` stands for, if any.
    pub current: Option<&'a Question>,
}

impl<'a> Words<'a> {
    pub fn new(form: &'a Form, lang: &'a str, t: &'a dyn Fn(&str) -> String) -> Self {
        Words { form, lang, t, current: None }
    }

    /// The same renderer with `.` bound to `q`.
    pub fn at(&self, q: &'a Question) -> Words<'a> {
        Words { current: Some(q), ..*self }
    }

    /// The whole expression in words.
    pub fn render(&self, e: &Expr) -> String {
        self.node(e, 0)
    }

    /// How a question is named in words: «питання 5», or «its label» when it has no number.
    pub fn question_name(&self, q: &Question) -> String {
        self.name_in(q, Case::Nominative)
    }

    /// The name of a question in the case a phrase needs.
    fn name_in(&self, q: &Question, case: Case) -> String {
        let key = match case {
            Case::Nominative => "forms.words.question",
            Case::Locative => "forms.words.question_in",
        };
        match q.number {
            Some(n) => self.tr(key).replace("{n}", &n.to_string()),
            None => format!("«{}»", text(&q.label, self.lang)),
        }
    }

    /// The labels of `values` of `q`, as «A», «B» or «C».
    pub fn choice_list(&self, q: &Question, values: &[&str]) -> String {
        let labels: Vec<String> = values.iter().map(|v| self.choice_label(Some(q), v)).collect();
        join_or(&labels, &self.tr("forms.words.or"))
    }

    fn tr(&self, key: &str) -> String {
        (self.t)(key)
    }

    fn node(&self, e: &Expr, parent: u8) -> String {
        let e = self.resolved(e);
        let own = precedence(e);
        let s = self.bare(e);
        if own < parent {
            format!("({s})")
        } else {
            s
        }
    }

    fn bare(&self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Number(n) => format_number(*n),
            ExprKind::Text(s) => format!("«{s}»"),
            ExprKind::Bool(true) => self.tr("forms.words.true"),
            ExprKind::Bool(false) => self.tr("forms.words.false"),
            ExprKind::Null => self.tr("forms.words.null"),
            ExprKind::Ref(id) => self.reference(id),
            ExprKind::Current => match self.current {
                Some(q) if q.number.is_some() => self.question_name(q),
                _ => self.tr("forms.words.answer"),
            },
            ExprKind::Unary(UnOp::Neg, inner) => format!("−{}", self.node(inner, PREC_UNARY)),
            ExprKind::Unary(UnOp::Not, inner) => {
                format!("{} {}", self.tr("forms.words.not"), self.node(inner, PREC_NOT))
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, precedence(e)),
            ExprKind::Call { func, args, .. } => self.call(*func, args),
        }
    }

    fn reference(&self, id: &str) -> String {
        if let Some(q) = self.form.question(id) {
            return self.question_name(q);
        }
        match self.form.section(id) {
            Some(s) => format!("«{}»", text(&s.title, self.lang)),
            None => format!("«{id}»"),
        }
    }

    /// `e`, or the expression of the calculation it names (followed through calculations that
    /// name calculations; the checker has refused cycles, the bound only guards against them).
    fn resolved<'e>(&self, mut e: &'e Expr) -> &'e Expr
    where
        'a: 'e,
    {
        for _ in 0..MAX_CALCULATION_DEPTH {
            let ExprKind::Ref(id) = &e.kind else { break };
            match self.form.question(id).and_then(|q| q.calculation.as_ref()) {
                Some(calc) => e = &calc.expr,
                None => break,
            }
        }
        e
    }

    fn binary(&self, op: BinOp, a: &Expr, b: &Expr, own: u8) -> String {
        if let Some(s) = self.at_least_one(op, a, b) {
            return s;
        }
        if op == BinOp::Or {
            if let Some(s) = self.one_of(a, b).or_else(|| self.any_ticked(a, b)) {
                return s;
            }
        }
        let word = match op {
            BinOp::Or => self.tr("forms.words.or"),
            BinOp::And => self.tr("forms.words.and"),
            BinOp::Eq => "=".into(),
            BinOp::Ne => "≠".into(),
            BinOp::Lt => "<".into(),
            BinOp::Le => "≤".into(),
            BinOp::Gt => ">".into(),
            BinOp::Ge => "≥".into(),
            BinOp::Add => "+".into(),
            BinOp::Sub => "−".into(),
            BinOp::Mul => "×".into(),
            BinOp::Div => "÷".into(),
            BinOp::Mod => "mod".into(),
        };
        if op.is_comparison() {
            // A value compared with a choice question reads as the choice's label.
            let left = self.operand(a, b, own);
            let right = self.operand(b, a, own + 1);
            return format!("{left} {word} {right}");
        }
        // Left-associative: the right operand needs brackets at equal precedence.
        format!("{} {word} {}", self.node(a, own), self.node(b, own + 1))
    }

    fn operand(&self, e: &Expr, other: &Expr, prec: u8) -> String {
        match &e.kind {
            ExprKind::Text(v) => self.choice_label(self.choice_question(other), v),
            _ => self.node(e, prec),
        }
    }

    /// `count(r, e) >= 1` (and `> 0`) reads as «in at least one entry of r: e».
    fn at_least_one(&self, op: BinOp, a: &Expr, b: &Expr) -> Option<String> {
        let ExprKind::Call { func: Func::Count, args, .. } = &self.resolved(a).kind else { return None };
        let ExprKind::Number(n) = self.resolved(b).kind else { return None };
        if !matches!((op, n), (BinOp::Ge, 1.0) | (BinOp::Gt, 0.0)) {
            return None;
        }
        Some(self.call(Func::Any, args))
    }

    /// `q = 'a' or q = 'b'` reads as «Питання 5» = «A» або «B».
    fn one_of(&self, a: &Expr, b: &Expr) -> Option<String> {
        let mut target = None;
        let mut values = Vec::new();
        for side in [a, b] {
            collect_equalities(side, &mut target, &mut values)?;
        }
        let target = target?;
        let q = self.choice_question(target);
        let labels: Vec<String> = values.iter().map(|v| self.choice_label(q, v)).collect();
        Some(format!("{} = {}", self.node(target, PREC_CMP + 1), join_or(&labels, &self.tr("forms.words.or"))))
    }

    /// `selected(q, 'a') or selected(q, 'b')` reads «у питанні 6 позначено «A» або «B»».
    fn any_ticked(&self, a: &Expr, b: &Expr) -> Option<String> {
        let mut target = None;
        let mut values = Vec::new();
        for side in [a, b] {
            collect_ticked(side, &mut target, &mut values)?;
        }
        let target = target?;
        let q = self.choice_question(target);
        let labels: Vec<String> = values.iter().map(|v| self.choice_label(q, v)).collect();
        let phrase = self.tr("forms.words.selected");
        let name = self.name_of(Some(target), Case::Locative);
        Some(phrase.replace("{q}", &name).replace("{v}", &join_or(&labels, &self.tr("forms.words.or"))))
    }

    /// The choice question an expression names, if it names one.
    fn choice_question(&self, e: &Expr) -> Option<&'a Question> {
        let q = match &e.kind {
            ExprKind::Ref(id) => self.form.question(id)?,
            ExprKind::Current => self.current?,
            _ => return None,
        };
        matches!(q.kind, QuestionType::Choice | QuestionType::MultiChoice).then_some(q)
    }

    fn choice_label(&self, q: Option<&Question>, value: &str) -> String {
        match q.and_then(|q| q.choice(value)) {
            Some(c) => format!("«{}»", text(&c.label, self.lang)),
            None => format!("«{value}»"),
        }
    }

    /// A question argument named in `case`; any other argument in words.
    fn name_of(&self, arg: Option<&Expr>, case: Case) -> String {
        let Some(arg) = arg else { return String::new() };
        let q = match &arg.kind {
            ExprKind::Ref(id) => self.form.question(id).filter(|q| q.calculation.is_none()),
            ExprKind::Current => self.current.filter(|q| q.number.is_some()),
            _ => None,
        };
        match q {
            Some(q) => self.name_in(q, case),
            None => self.node(arg, 0),
        }
    }

    fn call(&self, func: Func, args: &[Expr]) -> String {
        let arg = |i: usize| args.get(i).map(|a| self.node(a, 0)).unwrap_or_default();
        let key = format!("forms.words.{}", func.name());
        let phrase = self.tr(&key);
        match func {
            Func::Selected => {
                let q = args.first().and_then(|a| self.choice_question(a));
                let value = match args.get(1).map(|a| &a.kind) {
                    Some(ExprKind::Text(v)) => self.choice_label(q, v),
                    _ => arg(1),
                };
                phrase.replace("{q}", &self.name_of(args.first(), Case::Locative)).replace("{v}", &value)
            }
            Func::CountSelected => phrase.replace("{q}", &self.name_of(args.first(), Case::Locative)),
            Func::Answered | Func::IsMissing => phrase.replace("{q}", &arg(0)),
            Func::Coalesce => phrase.replace("{a}", &arg(0)).replace("{b}", &arg(1)),
            Func::If => phrase.replace("{c}", &arg(0)).replace("{a}", &arg(1)).replace("{b}", &arg(2)),
            Func::AgeYears => phrase.replace("{d}", &arg(0)),
            Func::Length => phrase.replace("{s}", &arg(0)),
            Func::Any | Func::Count => phrase.replace("{r}", &arg(0)).replace("{e}", &arg(1)),
            Func::DimPositive => {
                let dim = match args.first().map(|a| &a.kind) {
                    Some(ExprKind::Text(d)) => match self.form.dimension(d) {
                        Some(dim) => format!("«{}»", text(&dim.label, self.lang)),
                        None => format!("«{d}»"),
                    },
                    _ => arg(0),
                };
                phrase.replace("{d}", &dim)
            }
            Func::Today | Func::StrongCount | Func::MediumCount | Func::WeakCount | Func::UnknownCount => phrase,
        }
    }
}

/// The grammatical case a question's name takes in a phrase.
#[derive(Clone, Copy)]
enum Case {
    /// «питання 5 = …», «на питання 5 є відповідь» (the accusative is the same word).
    Nominative,
    /// «у питанні 5 позначено …».
    Locative,
}

/// How deep calculations that name calculations are followed.
const MAX_CALCULATION_DEPTH: usize = 16;

/// Gathers `x = 'v'` terms of an `or` chain on one and the same `x`; `None` if anything else.
fn collect_equalities<'e>(e: &'e Expr, target: &mut Option<&'e Expr>, values: &mut Vec<&'e str>) -> Option<()> {
    match &e.kind {
        ExprKind::Binary(BinOp::Or, a, b) => {
            collect_equalities(a, target, values)?;
            collect_equalities(b, target, values)
        }
        ExprKind::Binary(BinOp::Eq, a, b) => {
            let (subject, value) = match (&a.kind, &b.kind) {
                (_, ExprKind::Text(v)) => (a.as_ref(), v),
                (ExprKind::Text(v), _) => (b.as_ref(), v),
                _ => return None,
            };
            if !matches!(subject.kind, ExprKind::Ref(_) | ExprKind::Current) {
                return None;
            }
            match target {
                Some(t) if t.kind != subject.kind => return None,
                _ => *target = Some(subject),
            }
            values.push(value.as_str());
            Some(())
        }
        _ => None,
    }
}

/// Gathers `selected(x, 'v')` terms of an `or` chain on one and the same `x`; `None` if anything
/// else.
fn collect_ticked<'e>(e: &'e Expr, target: &mut Option<&'e Expr>, values: &mut Vec<&'e str>) -> Option<()> {
    match &e.kind {
        ExprKind::Binary(BinOp::Or, a, b) => {
            collect_ticked(a, target, values)?;
            collect_ticked(b, target, values)
        }
        ExprKind::Call { func: Func::Selected, args, .. } => {
            let [subject, value] = args.as_slice() else { return None };
            let (ExprKind::Ref(_) | ExprKind::Current, ExprKind::Text(v)) = (&subject.kind, &value.kind) else {
                return None;
            };
            match target {
                Some(t) if t.kind != subject.kind => return None,
                _ => *target = Some(subject),
            }
            values.push(v.as_str());
            Some(())
        }
        _ => None,
    }
}

/// «A», «B» або «C».
pub fn join_or(items: &[String], or: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {or} {last}", init.join(", ")),
    }
}

const PREC_OR: u8 = 1;
const PREC_AND: u8 = 2;
const PREC_NOT: u8 = 3;
const PREC_CMP: u8 = 4;
const PREC_ADD: u8 = 5;
const PREC_MUL: u8 = 6;
const PREC_UNARY: u8 = 7;
const PREC_ATOM: u8 = 8;

fn precedence(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary(op, ..) => match op {
            BinOp::Or => PREC_OR,
            BinOp::And => PREC_AND,
            BinOp::Add | BinOp::Sub => PREC_ADD,
            BinOp::Mul | BinOp::Div | BinOp::Mod => PREC_MUL,
            _ => PREC_CMP,
        },
        ExprKind::Unary(UnOp::Not, _) => PREC_NOT,
        ExprKind::Unary(UnOp::Neg, _) => PREC_UNARY,
        _ => PREC_ATOM,
    }
}

#[cfg(test)]
mod tests {
    use super::super::expr::parse;
    use super::super::testing::{load_ok, BASE};
    use super::*;

    fn uk(key: &str) -> String {
        match key {
            "forms.words.question" => "питання {n}",
            "forms.words.question_in" => "питанні {n}",
            "forms.words.selected" => "у {q} позначено {v}",
            "forms.words.count" => "кількість записів {r}, у яких {e}",
            "forms.words.or" => "або",
            "forms.words.and" => "і",
            "forms.words.not" => "не",
            "forms.words.answered" => "на {q} є відповідь",
            "forms.words.any" => "хоча б в одному записі {r}: {e}",
            "forms.words.strong_count" => "кількість сильних ознак",
            other => other,
        }
        .to_string()
    }

    fn say(src: &str) -> String {
        let form = load_ok(BASE);
        let words = Words::new(&form, "uk", &uk);
        words.render(&parse(src).unwrap())
    }

    #[test]
    fn choice_values_read_as_labels() {
        assert_eq!(say("owes_debt = 'yes'"), "питання 2 = «Так»");
        assert_eq!(say("owes_debt = 'yes' or owes_debt = 'dk'"), "питання 2 = «Так» або «Не знає»");
    }

    #[test]
    fn logic_keeps_its_grouping() {
        assert_eq!(
            say("(age > 17 or consent = 'no') and not answered(owes_debt)"),
            "(питання 4 > 17 або питання 1 = «Ні») і не на питання 2 є відповідь"
        );
        assert_eq!(say("age - (1 - 2) >= 3"), "питання 4 − (1 − 2) ≥ 3");
    }

    #[test]
    fn repeats_counts_and_calculations_read_as_words() {
        assert_eq!(say("any(jobs, hours > 12)"), "хоча б в одному записі «Роботи»: питання 5 > 12");
        assert_eq!(say("strong_count >= 1"), "кількість сильних ознак ≥ 1");
    }

    #[test]
    fn a_question_ticked_in_is_named_in_the_locative() {
        assert_eq!(say("selected(owes_debt, 'yes')"), "у питанні 2 позначено «Так»");
        assert_eq!(
            say("selected(owes_debt, 'yes') or selected(owes_debt, 'dk') or selected(owes_debt, 'no')"),
            "у питанні 2 позначено «Так», «Не знає» або «Ні»"
        );
        assert_eq!(
            say("selected(owes_debt, 'yes') or selected(consent, 'yes')"),
            "у питанні 2 позначено «Так» або у питанні 1 позначено «Так»"
        );
    }

    #[test]
    fn calculations_are_read_out_down_to_the_questions_they_use() {
        // `long_days` is `hours > 12`: paper has no place for its value.
        assert_eq!(say("long_days"), "питання 5 > 12");
        assert_eq!(say("long_days and consent = 'yes'"), "питання 5 > 12 і питання 1 = «Так»");
        assert_eq!(say("count(jobs, hours > 12) >= 1"), "хоча б в одному записі «Роботи»: питання 5 > 12");
        assert_eq!(say("count(jobs, hours > 12) > 0"), "хоча б в одному записі «Роботи»: питання 5 > 12");
        assert_eq!(say("count(jobs, hours > 12) >= 2"), "кількість записів «Роботи», у яких питання 5 > 12 ≥ 2");
    }
}
