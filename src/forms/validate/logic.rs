//! The second validation pass: every expression of a form checked against the form's names.
//!
//! Calculations come first, in dependency order, because their types feed every other check; a
//! cycle among them is reported where it closes. Then each `relevant` may only look back (also
//! through calculations, which might read later answers), indicator conditions may not read the
//! indicator counts, and the type checker (`expr::check`) does the rest: unknown ids, types,
//! unknown choice values, repeat scoping, dimensions.

use std::collections::{BTreeMap, BTreeSet};

use super::{Field, Pending, Validator};
use crate::forms::expr::{self, Denied, Expr, ExprKind, IdInfo, IdKind, Scope, Type};
use crate::forms::form::{Form, QuestionType};
use crate::forms::routing::{choice_test, values_when};

/// Every name an expression of this form can read.
struct Names {
    info: BTreeMap<String, IdInfo>,
    /// Position of every question (notes and calculations included) in form order; a repeat
    /// section sits where its first question does.
    position: BTreeMap<String, usize>,
    section_start: Vec<usize>,
    /// The repeat id of each section, if it repeats.
    section_repeat: Vec<Option<String>>,
    dimensions: Vec<String>,
    /// For each calculation, the questions it reads, directly or through other calculations.
    leaves: BTreeMap<String, BTreeSet<String>>,
}

impl Names {
    fn of(form: &Form) -> Names {
        let mut n = Names {
            info: BTreeMap::new(),
            position: BTreeMap::new(),
            section_start: Vec::new(),
            section_repeat: Vec::new(),
            dimensions: form.dimensions.iter().map(|d| d.id.clone()).collect(),
            leaves: BTreeMap::new(),
        };
        let mut pos = 0;
        for s in &form.sections {
            n.section_start.push(pos);
            let repeat = s.repeat.map(|_| s.id.clone());
            if let Some(r) = &repeat {
                n.info.insert(r.clone(), IdInfo::new(IdKind::Repeat));
                n.position.insert(r.clone(), pos);
            }
            for q in &s.questions {
                n.position.entry(q.id.clone()).or_insert(pos);
                pos += 1;
                let Some(kind) = id_kind(q.kind, &q.choices) else {
                    continue;
                };
                let info = match &repeat {
                    Some(r) => IdInfo::new(kind).in_repeat(r),
                    None => IdInfo::new(kind),
                };
                n.info.entry(q.id.clone()).or_insert(info);
            }
            n.section_repeat.push(repeat);
        }
        n
    }
}

/// What a question's id stands for in an expression; notes stand for nothing.
fn id_kind(kind: QuestionType, choices: &[crate::forms::form::Choice]) -> Option<IdKind> {
    let values = || choices.iter().map(|c| c.value.clone()).collect();
    Some(match kind {
        QuestionType::Text | QuestionType::LongText => IdKind::Text,
        QuestionType::Integer | QuestionType::Decimal => IdKind::Number,
        QuestionType::Date => IdKind::Date,
        QuestionType::Choice => IdKind::Choice { values: values() },
        QuestionType::MultiChoice => IdKind::MultiChoice { values: values() },
        // Unknown until checked; `Null` fits anywhere, so nothing is reported twice.
        QuestionType::Calculate => IdKind::Calculate(Type::Null),
        QuestionType::Note => return None,
    })
}

/// The scope of one expression.
struct FormScope<'n> {
    names: &'n Names,
    current: Option<IdInfo>,
    context_repeat: Option<String>,
    /// For a `relevant`: ids at or after this position may not be read.
    look_back: Option<LookBack>,
}

struct LookBack {
    limit: usize,
    /// The question whose `relevant` this is; `None` for a section's.
    own: Option<String>,
}

impl FormScope<'_> {
    fn refuse(&self, id: &str, look: &LookBack) -> Option<Denied> {
        let later = |x: &str| self.names.position.get(x).is_some_and(|p| *p >= look.limit);
        let whose = if look.own.is_some() { "this question" } else { "this section starts" };
        if look.own.as_deref() == Some(id) {
            return Some(Denied {
                message: format!("a question's `relevant` cannot read its own answer `{id}`"),
                help: Some("the answer does not exist until the question is shown".into()),
            });
        }
        // A calculation is never asked: what counts is when the answers it reads are asked.
        let Some(leaves) = self.names.leaves.get(id) else {
            return later(id).then(|| Denied {
                message: format!("`{id}` is asked after {whose}, so this `relevant` cannot depend on it"),
                help: Some(format!(
                    "a `relevant` may only look back: move `{id}` earlier, or test it in a later question"
                )),
            });
        };
        let leaf = leaves.iter().find(|l| later(l))?;
        Some(Denied {
            message: format!("`{id}` is calculated from `{leaf}`, which is asked after {whose}"),
            help: Some("a `relevant` may only look back, also through calculations".into()),
        })
    }
}

impl Scope for FormScope<'_> {
    fn lookup(&self, id: &str) -> Option<IdInfo> {
        self.names.info.get(id).cloned()
    }
    fn ids(&self) -> Vec<String> {
        self.names.info.keys().cloned().collect()
    }
    fn access(&self, id: &str) -> Result<(), Denied> {
        match self.look_back.as_ref().and_then(|l| self.refuse(id, l)) {
            Some(d) => Err(d),
            None => Ok(()),
        }
    }
    fn current(&self) -> Option<IdInfo> {
        self.current.clone()
    }
    fn context_repeat(&self) -> Option<String> {
        self.context_repeat.clone()
    }
    fn dimensions(&self) -> Option<Vec<String>> {
        Some(self.names.dimensions.clone())
    }
}

/// Checks every expression parsed in the first pass; returns the type of each calculation.
pub(super) fn check_all(v: &mut Validator, form: &Form) -> BTreeMap<String, Type> {
    let mut names = Names::of(form);
    let pending = std::mem::take(&mut v.pending);
    let (calcs, others): (Vec<Pending>, Vec<Pending>) =
        pending.into_iter().partition(|p| p.field == Field::Calculation);
    check_calculations(v, &mut names, &calcs);
    for p in &others {
        check_one(v, &names, p);
    }
    names
        .info
        .iter()
        .filter_map(|(id, info)| match info.kind {
            IdKind::Calculate(t) => Some((id.clone(), t)),
            _ => None,
        })
        .collect()
}

fn scope_for<'n>(names: &'n Names, p: &Pending) -> FormScope<'n> {
    let question = p.question.as_deref();
    let current = match p.field {
        Field::Relevant | Field::Constraint | Field::AlertIf | Field::EndIf => {
            question.and_then(|q| names.info.get(q).cloned())
        }
        _ => None,
    };
    let context_repeat = match p.field {
        Field::SectionRelevant | Field::IndicatorWhen | Field::OutcomeWhen => None,
        _ => p.section.and_then(|s| names.section_repeat.get(s).cloned().flatten()),
    };
    let look_back = match (p.field, question, p.section) {
        (Field::Relevant, Some(q), _) => {
            names.position.get(q).map(|&limit| LookBack { limit, own: Some(q.to_string()) })
        }
        (Field::SectionRelevant, _, Some(s)) => names.section_start.get(s).map(|&limit| LookBack { limit, own: None }),
        _ => None,
    };
    FormScope { names, current, context_repeat, look_back }
}

fn check_one(v: &mut Validator, names: &Names, p: &Pending) {
    if p.field != Field::OutcomeWhen && p.expr.uses_indicators() {
        let e = expr::ExprError::new(p.expr.span, "only an outcome's `when` can read the indicator counts").with_help(
            "indicators are computed from the answers, so reading them here could make an answer depend on itself",
        );
        v.expr_error(&p.map, &e);
        return;
    }
    let expected = (p.field != Field::Calculation).then_some(Type::Bool);
    if let Err(errors) = expr::check(&p.expr, &scope_for(names, p), expected) {
        for e in &errors {
            v.expr_error(&p.map, e);
        }
    }
}

/// Checks calculations in dependency order, records their types, and reports cycles.
fn check_calculations(v: &mut Validator, names: &mut Names, calcs: &[Pending]) {
    let ids: Vec<&str> = calcs.iter().filter_map(|p| p.question.as_deref()).collect();
    let index: BTreeMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    // Edges to other calculations, with the span of the first mention of each.
    let edges: Vec<Vec<(usize, expr::Span)>> = calcs
        .iter()
        .map(|p| {
            let mut out: Vec<(usize, expr::Span)> = Vec::new();
            for (id, span) in p.expr.references() {
                match index.get(id.as_str()) {
                    Some(&j) if !out.iter().any(|(k, _)| *k == j) => out.push((j, span)),
                    _ => {}
                }
            }
            out
        })
        .collect();
    let mut state = vec![Visit::New; calcs.len()];
    let mut order = Vec::new();
    let mut stack = Vec::new();
    for start in 0..calcs.len() {
        visit(start, &edges, &mut state, &mut stack, &mut order, &mut |from, span, cycle| {
            let path: Vec<&str> = cycle.iter().map(|&i| ids[i]).collect();
            let e = expr::ExprError::new(span, format!("these calculations form a cycle: {}", path.join(" → ")))
                .with_help(format!("`{}` cannot read its own result, even through other calculations", ids[from]));
            v.expr_error(&calcs[from].map, &e);
        });
    }
    for &i in &order {
        let p = &calcs[i];
        let t = match expr::check(&p.expr, &scope_for(names, p), None) {
            Ok(t) => t,
            Err(errors) => {
                errors.iter().for_each(|e| v.expr_error(&p.map, e));
                Type::Null
            }
        };
        if let Some(info) = names.info.get_mut(ids[i]) {
            info.kind = IdKind::Calculate(t);
        }
    }
    for (i, id) in ids.iter().enumerate() {
        let mut seen = BTreeSet::new();
        let leaves = collect_leaves(i, calcs, &edges, &mut seen);
        names.leaves.insert(id.to_string(), leaves);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Visit {
    New,
    Active,
    Done,
}

/// Depth-first post-order; `on_cycle(from, span, path)` for each edge that closes a cycle.
fn visit(
    node: usize,
    edges: &[Vec<(usize, expr::Span)>],
    state: &mut [Visit],
    stack: &mut Vec<usize>,
    order: &mut Vec<usize>,
    on_cycle: &mut dyn FnMut(usize, expr::Span, Vec<usize>),
) {
    if state[node] != Visit::New {
        return;
    }
    state[node] = Visit::Active;
    stack.push(node);
    for &(next, span) in &edges[node] {
        match state[next] {
            Visit::New => visit(next, edges, state, stack, order, on_cycle),
            Visit::Active => {
                let from = stack.iter().position(|&n| n == next).unwrap_or(0);
                let mut path = stack[from..].to_vec();
                path.push(next);
                on_cycle(node, span, path);
            }
            Visit::Done => {}
        }
    }
    stack.pop();
    state[node] = Visit::Done;
    order.push(node);
}

/// The non-calculation ids calculation `i` reads, directly or through other calculations.
fn collect_leaves(
    i: usize,
    calcs: &[Pending],
    edges: &[Vec<(usize, expr::Span)>],
    seen: &mut BTreeSet<usize>,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if !seen.insert(i) {
        return out;
    }
    let calc_targets: BTreeSet<usize> = edges[i].iter().map(|(j, _)| *j).collect();
    for (id, _) in calcs[i].expr.references() {
        if !calcs.iter().any(|p| p.question.as_deref() == Some(id.as_str())) {
            out.insert(id);
        }
    }
    for j in calc_targets {
        out.extend(collect_leaves(j, calcs, edges, seen));
    }
    out
}

/// Why a condition term can never hold in a real interview, if it cannot.
pub(super) fn never_shown(form: &Form, term: &Expr) -> Option<String> {
    if is_constant(term) && !expr::eval_condition(term, &expr::MapEnv::default()) {
        return Some(format!("its condition `{term}` is always false"));
    }
    let (q, allowed) = choice_test(form, term)?;
    let ending = values_when(q, &q.end_if.as_ref()?.expr)?;
    if allowed.is_empty() || !allowed.iter().all(|v| ending.contains(v)) {
        return None;
    }
    let values: Vec<String> = allowed.iter().map(|v| format!("'{v}'")).collect();
    Some(format!(
        "it is asked only if `{}` is {}, and that answer ends the interview (`end_if` of `{}`)",
        q.id,
        values.join(" or "),
        q.id
    ))
}

/// No answers, no current value, no functions: the value is fixed.
fn is_constant(e: &Expr) -> bool {
    let mut constant = true;
    e.walk(&mut |n| constant &= !matches!(n.kind, ExprKind::Ref(_) | ExprKind::Current | ExprKind::Call { .. }));
    constant
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::testing::{load_ok, BASE};

    fn term(src: &str) -> Expr {
        expr::parse(src).unwrap()
    }

    #[test]
    fn constant_terms_are_recognised() {
        assert!(is_constant(&term("1 > 2 or not true")));
        assert!(!is_constant(&term("age > 2")));
        assert!(!is_constant(&term("strong_count > 2")));
    }

    #[test]
    fn a_term_needing_an_ending_answer_is_never_shown() {
        let form = load_ok(BASE);
        assert!(never_shown(&form, &term("consent = 'no'")).is_some());
        assert!(never_shown(&form, &term("consent = 'yes'")).is_none());
        assert!(never_shown(&form, &term("consent != 'yes'")).is_none(), "'dk' does not end it");
        assert!(never_shown(&form, &term("owes_debt = 'no'")).is_none());
        assert!(never_shown(&form, &term("false")).is_some());
    }
}
