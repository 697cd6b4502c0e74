//! Paper routing from the skip logic. A paper form cannot hide questions, so the interviewer needs
//! "If «No» → go to 7" on the question that decides, and "(Only if «Yes» in 5)" on the questions it
//! controls. That is possible when a question's whole condition is a simple test on the choice
//! question printed just before it, and the questions sharing that test form one contiguous run
//! followed by a numbered question (or the end of the form). Anything else is printed as an
//! "Ask only if: …" line in words.

use std::collections::{BTreeMap, BTreeSet};

use super::expr::{BinOp, Expr, ExprKind};
use super::form::{Form, Question, QuestionType, Section};

/// "If one of `skip_values` → go to `target`", printed on the controlling question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoTo {
    /// The controlling question's values that skip the run, in choice order.
    pub skip_values: Vec<String>,
    /// The question to go to; `None` means the end of the form.
    pub target: Option<u32>,
}

/// "(Only if «Yes» in 5)", printed on a question inside a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlyIf {
    pub controller: String,
    /// The controlling question's values that lead here, in choice order.
    pub values: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Routing {
    /// Keyed by the controlling question's id.
    pub go_to: BTreeMap<String, GoTo>,
    /// Keyed by the controlled question's (or note's) id.
    pub only_if: BTreeMap<String, OnlyIf>,
}

impl Routing {
    /// Whether the question's condition is fully expressed by a go-to.
    pub fn covers(&self, id: &str) -> bool {
        self.only_if.contains_key(id)
    }
}

/// A printed item: a numbered question or a note (calculations are never printed).
struct Item<'a> {
    section: usize,
    q: &'a Question,
    /// The controlling question and the values that show this item, when its whole condition is
    /// one simple test.
    test: Option<(&'a Question, BTreeSet<String>)>,
}

/// Works out every go-to the form's skip logic allows.
pub fn routing(form: &Form) -> Routing {
    let items = printed_items(form);
    let mut out = Routing::default();
    let mut i = 1;
    while i < items.len() {
        match run_at(form, &items, i) {
            Some((end, go_to, only_if)) => {
                for item in &items[i..end] {
                    out.only_if.insert(item.q.id.clone(), only_if.clone());
                }
                out.go_to.insert(only_if.controller.clone(), go_to);
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

fn printed_items(form: &Form) -> Vec<Item<'_>> {
    let mut items = Vec::new();
    for (si, section) in form.sections.iter().enumerate() {
        for q in section.questions.iter().filter(|q| q.kind != QuestionType::Calculate) {
            let mut conjuncts = Vec::new();
            for logic in [&section.relevant, &q.relevant].into_iter().flatten() {
                split_and(&logic.expr, &mut conjuncts);
            }
            let test = match conjuncts.as_slice() {
                [one] => choice_test(form, one),
                _ => None,
            };
            items.push(Item { section: si, q, test });
        }
    }
    items
}

/// The run starting at `start`, if the item before it controls it.
fn run_at(form: &Form, items: &[Item], start: usize) -> Option<(usize, GoTo, OnlyIf)> {
    let (controller, allowed) = items[start].test.as_ref()?;
    let before = &items[start - 1];
    if before.q.id != controller.id || is_repeat(&form.sections[before.section]) {
        return None;
    }
    let same = |item: &Item| matches!(&item.test, Some((c, a)) if c.id == controller.id && a == allowed);
    let end = (start..items.len()).find(|&j| !same(&items[j])).unwrap_or(items.len());
    // A run may take in a repeated section only as a whole: the entries are printed side by side.
    for item in &items[start..end] {
        let section = &form.sections[item.section];
        if is_repeat(section) && !section_within(items, item.section, start, end) {
            return None;
        }
    }
    let target = match items.get(end) {
        None => None,
        Some(next) => Some(next.q.number?),
    };
    let in_order = |wanted: bool| -> Vec<String> {
        controller.choices.iter().filter(|c| allowed.contains(&c.value) == wanted).map(|c| c.value.clone()).collect()
    };
    let skip_values = in_order(false);
    if skip_values.is_empty() {
        return None;
    }
    let only_if = OnlyIf { controller: controller.id.clone(), values: in_order(true) };
    Some((end, GoTo { skip_values, target }, only_if))
}

fn is_repeat(section: &Section) -> bool {
    section.repeat.is_some()
}

/// Whether every item of section `si` lies within `start..end`.
fn section_within(items: &[Item], si: usize, start: usize, end: usize) -> bool {
    items.iter().enumerate().filter(|(_, it)| it.section == si).all(|(j, _)| (start..end).contains(&j))
}

/// Splits `a and b and c` into its terms.
pub fn split_and<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Binary(BinOp::And, a, b) => {
            split_and(a, out);
            split_and(b, out);
        }
        _ => out.push(e),
    }
}

/// `q = 'v'`, `q != 'v'` or an `or` of equalities on one single-choice question `q`: the question
/// and the values for which the test holds.
pub(super) fn choice_test<'a>(form: &'a Form, e: &Expr) -> Option<(&'a Question, BTreeSet<String>)> {
    match &e.kind {
        ExprKind::Binary(BinOp::Or, a, b) => {
            let (qa, mut va) = choice_test(form, a)?;
            let (qb, vb) = choice_test(form, b)?;
            if qa.id != qb.id {
                return None;
            }
            va.extend(vb);
            Some((qa, va))
        }
        ExprKind::Binary(op @ (BinOp::Eq | BinOp::Ne), a, b) => {
            let (id, value) = match (&a.kind, &b.kind) {
                (ExprKind::Ref(id), ExprKind::Text(v)) | (ExprKind::Text(v), ExprKind::Ref(id)) => (id, v),
                _ => return None,
            };
            let q = form.question(id).filter(|q| q.kind == QuestionType::Choice)?;
            let values = q
                .choices
                .iter()
                .filter(|c| (c.value == *value) == (*op == BinOp::Eq))
                .map(|c| c.value.clone())
                .collect();
            Some((q, values))
        }
        _ => None,
    }
}

/// The values of a choice question that make `end_if` (or `alert_if`) true, when it is a simple
/// test on `.`: `. = 'no'`, `. != 'yes'`, or an `or` of such.
pub fn values_when(q: &Question, e: &Expr) -> Option<Vec<String>> {
    if q.kind != QuestionType::Choice {
        return None;
    }
    let set = current_test(q, e)?;
    Some(q.choices.iter().filter(|c| set.contains(&c.value)).map(|c| c.value.clone()).collect())
}

fn current_test(q: &Question, e: &Expr) -> Option<BTreeSet<String>> {
    match &e.kind {
        ExprKind::Binary(BinOp::Or, a, b) => {
            let mut set = current_test(q, a)?;
            set.extend(current_test(q, b)?);
            Some(set)
        }
        ExprKind::Binary(op @ (BinOp::Eq | BinOp::Ne), a, b) => {
            let value = match (&a.kind, &b.kind) {
                (ExprKind::Current, ExprKind::Text(v)) | (ExprKind::Text(v), ExprKind::Current) => v,
                _ => return None,
            };
            Some(
                q.choices
                    .iter()
                    .filter(|c| (c.value == *value) == (*op == BinOp::Eq))
                    .map(|c| c.value.clone())
                    .collect(),
            )
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{load_ok, BASE};
    use super::*;

    #[test]
    fn a_simple_skip_becomes_a_go_to() {
        let r = routing(&load_ok(BASE));
        let go = &r.go_to["owes_debt"];
        assert_eq!(go.skip_values, ["no", "dk"]);
        assert_eq!(go.target, Some(4));
        assert_eq!(r.only_if["debt_grows"].values, ["yes"]);
        assert!(!r.covers("age"));
    }

    #[test]
    fn a_skip_not_right_after_its_question_stays_a_condition() {
        let text = BASE.replace(
            "  [[section.question]]\n  id = \"age\"",
            "  [[section.question]]\n  id = \"age\"\n  relevant = \"consent = 'yes'\"",
        );
        let r = routing(&load_ok(&text));
        assert!(!r.go_to.contains_key("consent"));
        assert!(!r.covers("age"));
    }

    #[test]
    fn not_equal_and_or_tests_are_simple() {
        let text = BASE.replace("relevant = \"owes_debt = 'yes'\"", "relevant = \"owes_debt != 'no'\"");
        let r = routing(&load_ok(&text));
        assert_eq!(r.go_to["owes_debt"].skip_values, ["no"]);
        let text =
            BASE.replace("relevant = \"owes_debt = 'yes'\"", "relevant = \"owes_debt = 'yes' or owes_debt = 'dk'\"");
        assert_eq!(routing(&load_ok(&text)).go_to["owes_debt"].skip_values, ["no"]);
    }

    #[test]
    fn ending_values_are_read_from_end_if() {
        let f = load_ok(BASE);
        let q = f.question("consent").unwrap();
        let end = &q.end_if.as_ref().unwrap().expr;
        assert_eq!(values_when(q, end), Some(vec!["no".to_string()]));
    }
}
