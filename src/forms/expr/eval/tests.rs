use super::*;
use crate::forms::expr::parse;

fn env() -> MapEnv {
    let mut env = MapEnv { today: Some("2026-03-15".into()), ..MapEnv::default() };
    env.answers.insert("age".into(), Value::Number(34.0));
    env.answers.insert("owes_debt".into(), Value::Text("dk".into()));
    env.answers.insert("docs".into(), Value::Set(vec!["passport".into(), "dk".into()]));
    env.answers.insert("dob".into(), Value::Date("2000-03-16".into()));
    env.answers.insert("empty".into(), Value::Text(String::new()));
    env.missing.insert("owes_debt".into(), vec!["dk".into(), "refused".into()]);
    env.missing.insert("docs".into(), vec!["dk".into()]);
    env
}

fn ev(src: &str) -> Value {
    eval(&parse(src).unwrap(), &env())
}

#[test]
fn arithmetic_and_null() {
    assert_eq!(ev("1 + 2 * 3"), Value::Number(7.0));
    assert_eq!(ev("(1 + 2) * 3"), Value::Number(9.0));
    assert_eq!(ev("7 mod 3"), Value::Number(1.0));
    assert_eq!(ev("-7 mod 3"), Value::Number(-1.0));
    assert_eq!(ev("5.5 mod 2"), Value::Number(1.5));
    assert_eq!(ev("1 / 0"), Value::Null);
    assert_eq!(ev("1 mod 0"), Value::Null);
    assert_eq!(ev("nothing + 1"), Value::Null);
    assert_eq!(ev("-age"), Value::Number(-34.0));
}

#[test]
fn comparisons_with_null_are_never_true() {
    assert_eq!(ev("nothing = 1"), Value::Null);
    assert_eq!(ev("nothing != 1"), Value::Null);
    assert_eq!(ev("not (nothing >= 18)"), Value::Null);
    assert!(!eval_condition(&parse("nothing != 1").unwrap(), &env()));
    assert_eq!(ev("empty = ''"), Value::Null, "an empty text is no answer");
}

#[test]
fn three_valued_logic() {
    assert_eq!(ev("null and false"), Value::Bool(false));
    assert_eq!(ev("null and true"), Value::Null);
    assert_eq!(ev("null or true"), Value::Bool(true));
    assert_eq!(ev("null or false"), Value::Null);
    assert_eq!(ev("not null"), Value::Null);
}

#[test]
fn missing_is_not_no() {
    assert_eq!(ev("owes_debt = 'no'"), Value::Bool(false));
    assert_eq!(ev("is_missing(owes_debt)"), Value::Bool(true));
    assert_eq!(ev("answered(owes_debt)"), Value::Bool(true));
    assert_eq!(ev("is_missing(docs)"), Value::Bool(true));
    assert_eq!(ev("is_missing(age)"), Value::Bool(false));
    assert_eq!(ev("unknown_count"), Value::Number(2.0));
}

#[test]
fn dates() {
    assert_eq!(ev("age_years(dob)"), Value::Number(25.0));
    assert_eq!(ev("dob < today()"), Value::Bool(true));
    assert_eq!(ev("today()"), Value::Date("2026-03-15".into()));
    assert_eq!(ev("age_years('2026-02-30')"), Value::Null);
    assert_eq!(age_years((2000, 2, 29), (2025, 2, 28)), 24);
    assert_eq!(age_years((2000, 2, 29), (2025, 3, 1)), 25);
    assert_eq!(age_years((2000, 2, 29), (2024, 2, 29)), 24);
    assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
    assert_eq!(parse_date("2100-02-29"), None);
    assert_eq!(parse_date("2000-02-29"), Some((2000, 2, 29)));
    assert_eq!(parse_date("2024-2-29"), None);
    assert_eq!(parse_date("2024-13-01"), None);
}

#[test]
fn dimension_rule_thresholds() {
    let r = DimensionRule::default();
    assert!(r.is_positive(2, 0, 0));
    assert!(!r.is_positive(1, 0, 0));
    assert!(r.is_positive(1, 0, 1));
    assert!(r.is_positive(1, 1, 0));
    assert!(r.is_positive(0, 3, 0));
    assert!(!r.is_positive(0, 2, 0));
    assert!(r.is_positive(0, 2, 1));
    assert!(!r.is_positive(0, 1, 5));
    assert!(!r.is_positive(0, 0, 9));
}

#[test]
fn repeats_read_each_entry() {
    let mut env = env();
    let row = |paid: &str| BTreeMap::from([("paid".to_string(), Value::Text(paid.into()))]);
    env.repeats.insert("jobs".into(), Some(vec![row("yes"), row("no"), row("no")]));
    env.repeats.insert("trips".into(), None);
    let ev = |s: &str| eval(&parse(s).unwrap(), &env);
    assert_eq!(ev("any(jobs, paid = 'no')"), Value::Bool(true));
    assert_eq!(ev("count(jobs, paid = 'no')"), Value::Number(2.0));
    assert_eq!(ev("count(jobs, paid = 'no' and age > 30)"), Value::Number(2.0));
    assert_eq!(ev("any(trips, true)"), Value::Null);
    assert_eq!(ev("paid"), Value::Null, "outside any() an entry's answer is not visible");
}

#[test]
fn values_from_toml_and_json() {
    #[derive(Deserialize)]
    struct T {
        v: Vec<Value>,
    }
    let t: T = toml::from_str("v = [1, 2.5, 'x', true, 1990-05-01, ['a', 'b']]").unwrap();
    assert_eq!(
        t.v,
        vec![
            Value::Number(1.0),
            Value::Number(2.5),
            Value::Text("x".into()),
            Value::Bool(true),
            Value::Date("1990-05-01".into()),
            Value::Set(vec!["a".into(), "b".into()])
        ]
    );
    let j: Vec<Value> = serde_json::from_str(r#"[null, 3, "1990-05-01"]"#).unwrap();
    assert_eq!(j, vec![Value::Null, Value::Number(3.0), Value::Text("1990-05-01".into())]);
    assert_eq!(serde_json::to_string(&Value::Number(3.0)).unwrap(), "3");
    assert_eq!(serde_json::to_string(&Value::Date("1990-05-01".into())).unwrap(), "\"1990-05-01\"");
}
