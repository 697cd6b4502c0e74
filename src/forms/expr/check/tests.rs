use super::*;
use crate::forms::expr::parse;

fn yn() -> Vec<String> {
    ["yes", "no", "dk", "refused"].iter().map(|s| s.to_string()).collect()
}

fn scope() -> SimpleScope {
    let mut s = SimpleScope::new()
        .with("age", IdKind::Number)
        .with("name", IdKind::Text)
        .with("dob", IdKind::Date)
        .with("owes_debt", IdKind::Choice { values: yn() })
        .with("docs", IdKind::MultiChoice { values: vec!["passport".into(), "id_card".into()] })
        .with("flag", IdKind::Calculate(Type::Bool))
        .with("jobs", IdKind::Repeat);
    s.insert("paid", IdInfo::new(IdKind::Choice { values: yn() }).in_repeat("jobs"));
    s.dimensions = Some(vec!["exploitation".into(), "coercion_at_destination".into()]);
    s
}

fn ok(src: &str) -> Type {
    check(&parse(src).unwrap(), &scope(), None).unwrap_or_else(|e| panic!("{src}: {e:?}"))
}

fn errs(src: &str, want: Option<Type>) -> Vec<ExprError> {
    check(&parse(src).unwrap(), &scope(), want).expect_err(src)
}

fn one(src: &str) -> ExprError {
    let mut e = errs(src, None);
    assert_eq!(e.len(), 1, "{src}: {e:?}");
    e.remove(0)
}

#[test]
fn types_of_well_formed_expressions() {
    assert_eq!(ok("age + 1"), Type::Number);
    assert_eq!(ok("owes_debt = 'yes' and age >= 18"), Type::Bool);
    assert_eq!(ok("coalesce(age, 0)"), Type::Number);
    assert_eq!(ok("if(flag, name, 'x')"), Type::Text);
    assert_eq!(ok("coalesce(dob, '2000-01-01')"), Type::Date);
    assert_eq!(ok("dob < '2010-01-01'"), Type::Bool);
    assert_eq!(ok("count(jobs, paid = 'no')"), Type::Number);
    assert_eq!(ok("strong_count + unknown_count()"), Type::Number);
    assert_eq!(ok("dim_positive('exploitation')"), Type::Bool);
    assert_eq!(ok("null"), Type::Null);
}

#[test]
fn unknown_choice_value_suggests_the_closest() {
    let e = one("owes_debt = 'yse'");
    assert_eq!(e.to_string(), "'yse' is not a value of owes_debt; did you mean 'yes'?");
    assert_eq!(e.span, Span::new(12, 17));
    let e = one("selected(docs, 'pasport')");
    assert!(e.to_string().contains("did you mean 'passport'?"));
    let e = one("owes_debt = 'maybe'");
    assert!(e.help.unwrap().contains("'yes', 'no', 'dk', 'refused'"));
}

#[test]
fn type_mismatch_is_an_error() {
    let e = one("age = 'x'");
    assert_eq!(e.message, "cannot compare a number with text");
    assert_eq!(e.span, Span::new(0, 9));
    assert!(one("age = '14'").help.unwrap().contains("without quotes"));
    assert!(one("name < 'b'").message.contains("numbers or dates"));
    assert!(one("dob < '2010-02-30'").message.contains("not a date"));
    assert!(one("docs = 'passport'").help.unwrap().contains("selected(docs, 'passport')"));
    assert!(one("age = null").message.contains("never true"));
    assert!(one("name + 1").message.contains("needs numbers"));
    assert!(one("if(age, 1, 2)").message.contains("condition"));
    assert!(one("coalesce(age, 'x')").message.contains("same type"));
}

#[test]
fn several_errors_are_reported_together() {
    let e = errs("agee > 1 and owes_debt = 'yse'", None);
    assert_eq!(e.len(), 2);
    assert_eq!(e[0].help.as_deref(), Some("did you mean `age`?"));
    assert_eq!(e[1].span.start, 25);
}

#[test]
fn conditions_must_be_boolean() {
    let e = errs("age + 1", Some(Type::Bool));
    assert!(e[0].message.starts_with("a condition must be true or false, but this is a number"));
    let e = errs("owes_debt", Some(Type::Bool));
    assert!(e[0].help.as_deref().unwrap().contains("owes_debt = 'yes'"));
    assert!(check(&parse("age > 1").unwrap(), &scope(), Some(Type::Bool)).is_ok());
    let e = errs("age", Some(Type::Text));
    assert_eq!(e[0].message, "expected text, but this is a number");
}

#[test]
fn current_needs_a_question() {
    assert!(one(". > 3").message.contains("`.`"));
    let mut s = scope();
    s.current = Some("age".into());
    assert_eq!(check(&parse(". >= 0").unwrap(), &s, Some(Type::Bool)), Ok(Type::Bool));
}

#[test]
fn repeats() {
    assert!(one("paid = 'no'").help.unwrap().contains("any(jobs"));
    assert!(one("jobs").message.contains("repeat section"));
    assert!(one("any(age, true)").message.contains("not a repeat"));
    assert!(one("any(jbos, true)").help.unwrap().contains("`jobs`"));
    assert!(one("any(jobs, count(jobs, true) > 1)").message.contains("inside another"));
    assert!(one("any(jobs, paid)").message.contains("condition"));
    let mut s = scope();
    s.context_repeat = Some("jobs".into());
    assert!(check(&parse("paid = 'no'").unwrap(), &s, None).is_ok());
}

#[test]
fn access_rules_come_from_the_caller() {
    let mut s = scope();
    s.denied.insert("age".into(), "`age` is asked later".into());
    let e = check(&parse("x = 1 or age > 3").unwrap(), &s, None).unwrap_err();
    assert_eq!(e.len(), 2);
    assert_eq!(e[1].message, "`age` is asked later");
    assert_eq!(e[1].span, Span::new(9, 12));
}

#[test]
fn functions_check_their_arguments() {
    assert!(one("is_missing(age)").message.contains("choice"));
    assert!(one("count_selected(name)").message.contains("choice"));
    assert!(one("selected(name, 'x')").message.contains("choice"));
    assert!(one("age_years(name)").message.contains("date"));
    assert!(one("length(age)").message.contains("text"));
    assert!(one("dim_positive('exploitaton')").help.unwrap().contains("'exploitation'"));
    assert!(one("dim_positive(name)").message.contains("in quotes"));
    assert!(one("today").help.unwrap().contains("today()"));
}
