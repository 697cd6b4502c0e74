//! Whether two forms are the same for someone who fills them in: the same questions (ids, types,
//! required), the same choices, the same texts in every language, and logic that gives the same
//! result on the same answers. Logic is compared by evaluating both expressions on many answer
//! sets, since the same rule can be written in more than one way (`not (a = 'x')` against
//! `a != 'x' and answered(a)`).

use oberih::forms::expr::{eval, eval_condition, MapEnv, Value};
use oberih::forms::form::QuestionType;
use oberih::forms::form::{Indicator, Outcome, Section};
use oberih::forms::{Form, LangText, Logic, Question};

/// The differences between `want` and `got`, each as one line; empty when they are the same.
/// Only the sections in `sections` (all when empty) are compared.
pub fn differences(want: &Form, got: &Form, sections: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let pick = |f: &Form| -> Vec<Question> {
        f.sections
            .iter()
            .filter(|s| sections.is_empty() || sections.contains(&s.id.as_str()))
            .flat_map(|s| s.questions.clone())
            .collect()
    };
    let (a, b) = (pick(want), pick(got));
    let ids = |qs: &[Question]| qs.iter().map(|q| q.id.clone()).collect::<Vec<_>>();
    if ids(&a) != ids(&b) {
        out.push(format!("question ids differ:\n  want {:?}\n  got  {:?}", ids(&a), ids(&b)));
        return out;
    }
    for (qa, qb) in a.iter().zip(&b) {
        question(&mut out, want, qa, qb);
    }
    out
}

/// The differences in alerts and endings between the questions of `want` and `got` with the
/// same ids: their texts, and conditions that hold on the same answers.
pub fn alert_and_end_differences(want: &Form, got: &Form) -> Vec<String> {
    let mut out = Vec::new();
    for (_, a) in want.questions() {
        let Some((_, b)) = got.questions().find(|(_, b)| b.id == a.id) else { continue };
        let id = &a.id;
        texts(&mut out, &format!("{id}.alert"), a.alert.as_ref(), b.alert.as_ref());
        texts(&mut out, &format!("{id}.end_message"), a.end_message.as_ref(), b.end_message.as_ref());
        for (field, la, lb) in [("alert_if", &a.alert_if, &b.alert_if), ("end_if", &a.end_if, &b.end_if)] {
            if let Some(why) = logic(want, a, la, lb, true) {
                out.push(format!("{id}.{field}: {why}"));
            }
        }
    }
    out
}

fn question(out: &mut Vec<String>, form: &Form, a: &Question, b: &Question) {
    let id = &a.id;
    if a.kind != b.kind {
        out.push(format!("{id}: type {:?} ≠ {:?}", a.kind, b.kind));
    }
    if a.required != b.required {
        out.push(format!("{id}: required {} ≠ {}", a.required, b.required));
    }
    texts(out, &format!("{id}.label"), Some(&a.label), Some(&b.label));
    texts(out, &format!("{id}.hint"), a.hint.as_ref(), b.hint.as_ref());
    texts(out, &format!("{id}.guidance"), a.guidance.as_ref(), b.guidance.as_ref());
    texts(out, &format!("{id}.constraint_message"), a.constraint_message.as_ref(), b.constraint_message.as_ref());
    let choices =
        |q: &Question| q.choices.iter().map(|c| (c.value.clone(), c.label.clone(), c.missing)).collect::<Vec<_>>();
    if choices(a) != choices(b) {
        out.push(format!("{id}: choices differ:\n  want {:?}\n  got  {:?}", choices(a), choices(b)));
    }
    // No `relevant` or `constraint` is the same as `"true"`.
    let (ra, rb, ca, cb) = (or_true(&a.relevant), or_true(&b.relevant), or_true(&a.constraint), or_true(&b.constraint));
    for (field, la, lb, condition) in [
        ("relevant", &ra, &rb, true),
        ("constraint", &ca, &cb, true),
        ("calculation", &a.calculation, &b.calculation, false),
    ] {
        if let Some(why) = logic(form, a, la, lb, condition) {
            out.push(format!("{id}.{field}: {why}"));
        }
    }
}

fn or_true(l: &Option<Logic>) -> Option<Logic> {
    let truth = || Logic { source: "true".into(), expr: oberih::forms::expr::parse("true").unwrap() };
    Some(l.clone().unwrap_or_else(truth))
}

fn texts(out: &mut Vec<String>, what: &str, a: Option<&LangText>, b: Option<&LangText>) {
    let empty = LangText::new();
    let (a, b) = (a.unwrap_or(&empty), b.unwrap_or(&empty));
    if a != b {
        out.push(format!("{what} differs:\n  want {a:?}\n  got  {b:?}"));
    }
}

/// Why two expressions are not equivalent, or `None` when they agree on every answer set tried.
fn logic(form: &Form, q: &Question, a: &Option<Logic>, b: &Option<Logic>, condition: bool) -> Option<String> {
    let (a, b) = match (a, b) {
        (None, None) => return None,
        (Some(a), Some(b)) => (a, b),
        (a, b) => return Some(format!("{:?} ≠ {:?}", a.as_ref().map(|l| &l.source), b.as_ref().map(|l| &l.source))),
    };
    let mut ids: Vec<String> = a.expr.references().into_iter().chain(b.expr.references()).map(|(id, _)| id).collect();
    ids.sort();
    ids.dedup();
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..400 {
        let env = answers(form, q, &ids, &mut seed);
        let (va, vb) = if condition {
            (Value::Bool(eval_condition(&a.expr, &env)), Value::Bool(eval_condition(&b.expr, &env)))
        } else {
            (eval(&a.expr, &env), eval(&b.expr, &env))
        };
        if va != vb {
            return Some(format!("`{}` gives {va:?} but `{}` gives {vb:?} for {env:?}", a.source, b.source));
        }
    }
    None
}

fn next(seed: &mut u64, n: usize) -> usize {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    (*seed % n as u64) as usize
}

/// One answer set: each id, and `.`, given a value its question could hold, or none.
fn answers(form: &Form, current: &Question, ids: &[String], seed: &mut u64) -> MapEnv {
    let mut env = MapEnv { today: Some("2026-01-15".into()), ..MapEnv::default() };
    for (_, q) in form.questions() {
        env.missing.insert(q.id.clone(), q.choices.iter().filter(|c| c.missing).map(|c| c.value.clone()).collect());
    }
    for id in ids {
        if let Some((_, q)) = form.questions().find(|(_, q)| &q.id == id) {
            env.answers.insert(id.clone(), value(q, seed));
        }
    }
    // `.` and the question's own id are the same answer.
    env.current = env.answers.get(&current.id).cloned().unwrap_or_else(|| value(current, seed));
    env.current_id = Some(current.id.clone());
    env
}

fn value(q: &Question, seed: &mut u64) -> Value {
    if next(seed, 5) == 0 {
        return Value::Null;
    }
    let values: Vec<String> = q.choices.iter().map(|c| c.value.clone()).collect();
    match q.kind {
        QuestionType::Choice => Value::Text(values[next(seed, values.len())].clone()),
        QuestionType::MultiChoice => {
            let set: Vec<String> = values.iter().filter(|_| next(seed, 2) == 0).cloned().collect();
            if set.is_empty() {
                Value::Null
            } else {
                Value::Set(set)
            }
        }
        QuestionType::Integer | QuestionType::Decimal | QuestionType::Calculate => {
            let n = [-1.0, 0.0, 1.0, 2.0, 3.0, 12.0, 17.0, 18.0, 24.0, 25.0, 120.0, 121.0];
            Value::Number(n[next(seed, n.len())])
        }
        QuestionType::Date => Value::Date(["2000-02-29", "2010-06-01", "2030-01-01"][next(seed, 3)].into()),
        _ => Value::Text(["a", "тест"][next(seed, 2)].into()),
    }
}

/// The differences between `want` and `got` in every field of the form, each as one line.
///
/// Every struct is taken apart without `..`, so a field added to the form is a compile error
/// here until it is compared. Not compared: `Form::warnings` (what loading said, not the form)
/// and the spans inside expressions. Logic is compared by what it decides, except an outcome's
/// `when`, whose source must come back as written.
pub fn whole_form_differences(want: &Form, got: &Form) -> Vec<String> {
    let Form {
        id,
        version,
        title,
        description,
        standards,
        privacy,
        sections,
        indicators,
        outcomes,
        dimensions,
        rule,
        messages,
        warnings: _,
        migrations,
    } = want;
    let mut out = Vec::new();
    same(&mut out, "form.id", id, &got.id);
    same(&mut out, "form.version", version, &got.version);
    texts(&mut out, "form.title", Some(title), Some(&got.title));
    texts(&mut out, "form.description", description.as_ref(), got.description.as_ref());
    same(&mut out, "form.standards", standards, &got.standards);
    same(&mut out, "form.privacy", privacy, &got.privacy);
    same(&mut out, "dimensions", dimensions, &got.dimensions);
    same(&mut out, "dimensions.rule", rule, &got.rule);
    same(&mut out, "messages", messages, &got.messages);
    same(&mut out, "migrations", migrations, &got.migrations);
    let ids = |s: &[Section]| s.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    if ids(sections) != ids(&got.sections) {
        out.push(format!("section ids differ: want {:?}, got {:?}", ids(sections), ids(&got.sections)));
        return out;
    }
    for (a, b) in sections.iter().zip(&got.sections) {
        section(&mut out, want, a, b);
    }
    out.extend(differences(want, got, &[]));
    out.extend(alert_and_end_differences(want, got));
    let indicator_ids = |f: &Form| f.indicators.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
    if indicator_ids(want) != indicator_ids(got) {
        out.push(format!("indicator ids differ: want {:?}, got {:?}", indicator_ids(want), indicator_ids(got)));
    } else {
        for (a, b) in indicators.iter().zip(&got.indicators) {
            indicator(&mut out, want, a, b);
        }
    }
    let outcome_ids = |f: &Form| f.outcomes.iter().map(|o| o.id.clone()).collect::<Vec<_>>();
    if outcome_ids(want) != outcome_ids(got) {
        out.push(format!("outcome ids differ: want {:?}, got {:?}", outcome_ids(want), outcome_ids(got)));
    } else {
        for (a, b) in outcomes.iter().zip(&got.outcomes) {
            let Outcome { id, when, label, action } = a;
            same(&mut out, &format!("outcome {id}.when"), &when.source, &b.when.source);
            texts(&mut out, &format!("outcome {id}.label"), Some(label), Some(&b.label));
            texts(&mut out, &format!("outcome {id}.action"), action.as_ref(), b.action.as_ref());
        }
    }
    out
}

fn same<T: PartialEq + std::fmt::Debug>(out: &mut Vec<String>, what: &str, a: &T, b: &T) {
    if a != b {
        out.push(format!("{what} differs:\n  want {a:?}\n  got  {b:?}"));
    }
}

fn section(out: &mut Vec<String>, form: &Form, a: &Section, b: &Section) {
    let Section { id, title, relevant, repeat, questions } = a;
    texts(out, &format!("section {id}.title"), Some(title), Some(&b.title));
    same(out, &format!("section {id}.repeat"), repeat, &b.repeat);
    if let Some(first) = questions.first() {
        if let Some(why) = logic(form, first, &or_true(relevant), &or_true(&b.relevant), true) {
            out.push(format!("section {id}.relevant: {why}"));
        }
    }
    for (qa, qb) in questions.iter().zip(&b.questions) {
        // Compared by `differences` and `alert_and_end_differences`: the rest of the fields.
        let Question {
            id,
            kind: _,
            number,
            choices,
            label: _,
            hint: _,
            guidance: _,
            required: _,
            relevant: _,
            constraint: _,
            constraint_message: _,
            alert_if: _,
            alert: _,
            end_if: _,
            end_message: _,
            calculation: _,
            value_type,
            core,
            standards,
            htcds,
            measure,
        } = qa;
        same(out, &format!("{id}.number"), number, &qb.number);
        same(out, &format!("{id}.value_type"), value_type, &qb.value_type);
        same(out, &format!("{id}.core"), core, &qb.core);
        same(out, &format!("{id}.standards"), standards, &qb.standards);
        same(out, &format!("{id}.htcds"), htcds, &qb.htcds);
        same(out, &format!("{id}.measure"), measure, &qb.measure);
        same(out, &format!("{id}.choices"), choices, &qb.choices);
    }
}

fn indicator(out: &mut Vec<String>, form: &Form, a: &Indicator, b: &Indicator) {
    let Indicator { id, dimension, strength, when, label, standards, htcds } = a;
    same(out, &format!("indicator {id}.dimension"), dimension, &b.dimension);
    same(out, &format!("indicator {id}.strength"), strength, &b.strength);
    texts(out, &format!("indicator {id}.label"), Some(label), Some(&b.label));
    same(out, &format!("indicator {id}.standards"), standards, &b.standards);
    same(out, &format!("indicator {id}.htcds"), htcds, &b.htcds);
    let any = form.questions().next().map(|(_, q)| q.clone());
    if let Some(q) = any {
        if let Some(why) = logic(form, &q, &Some(when.clone()), &Some(b.when.clone()), true) {
            out.push(format!("indicator {id}.when: {why}"));
        }
    }
}
