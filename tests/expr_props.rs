//! Property test: the Rust evaluator and `src/forms/runtime/expr.js`, minified as pages carry
//! it, agree on random well-typed expressions over random answers (unanswered and missing codes
//! included). The cases of a run are generated in Rust, evaluated there, then sent together to
//! one Node process (`tests/expr/run_cases.js`), which must give the same value, of the same
//! type, for each. PROPTEST_RNG_SEED fixes the cases (CI sets it); a disagreement found here
//! belongs in `tests/expr/cases.toml`. Node is required: without it the test fails.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use oberih::forms::expr::{
    check, eval, parse, FiredIndicator, Func, IdInfo, IdKind, MapEnv, SimpleScope, Strength, Type, Value,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{RngSeed, TestRunner};

/// Expressions in one run: enough to meet every function and operator many times, few enough
/// for a debug build to finish in seconds.
const CASES: usize = 2000;
const TODAY: &str = "2026-03-15";
const CHOICE: [&str; 4] = ["yes", "no", "dk", "refused"];
const MULTI: [&str; 4] = ["a", "b", "c", "dk"];
const DIMENSIONS: [&str; 2] = ["recruitment", "coercion"];

/// The questions every expression may read; `.` is `n1`. `paid` and `hours` are asked once per
/// entry of the repeat `jobs`.
fn scope() -> SimpleScope {
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut scope = SimpleScope::new()
        .with("n1", IdKind::Number)
        .with("n2", IdKind::Number)
        .with("t1", IdKind::Text)
        .with("t2", IdKind::Text)
        .with("d1", IdKind::Date)
        .with("b1", IdKind::Calculate(Type::Bool))
        .with("c1", IdKind::Choice { values: strings(&CHOICE) })
        .with("m1", IdKind::MultiChoice { values: strings(&MULTI) })
        .with("jobs", IdKind::Repeat);
    scope.insert("paid", IdInfo { kind: IdKind::Choice { values: strings(&CHOICE) }, repeat: Some("jobs".into()) });
    scope.insert("hours", IdInfo { kind: IdKind::Number, repeat: Some("jobs".into()) });
    scope.current = Some("n1".into());
    scope.dimensions = Some(strings(&DIMENSIONS));
    scope
}

// ------------------------------------------------------------------ expressions

/// Expressions of each type, up to some depth. `repeat`: inside `any`/`count` over `jobs`, where
/// `paid` and `hours` may be read and `any`/`count` may not nest.
#[derive(Clone)]
struct Typed {
    num: BoxedStrategy<String>,
    bool: BoxedStrategy<String>,
    text: BoxedStrategy<String>,
    date: BoxedStrategy<String>,
}

fn pick(options: &'static [&'static str]) -> BoxedStrategy<String> {
    prop::sample::select(options).prop_map(str::to_string).boxed()
}

fn leaves(repeat: bool) -> Typed {
    let mut num = vec!["0", "1", "2", "3", "7", "0.1", "0.2", "2.5", "1000000", "n1", "n2", ".", "count_selected(c1)"];
    num.extend(["count_selected(m1)", "length(t1)", "length(t2)", "age_years(d1)", "strong_count", "medium_count"]);
    num.extend(["weak_count", "unknown_count", "length(c1)", "age_years(today())", "age_years('2000-02-29')"]);
    num.extend(["coalesce(null, n1)", "if(b1, n2, null)", "(n1 + 1)"]);
    let mut bool = vec!["true", "false", "b1", "answered(n1)", "answered(t1)", "answered(m1)", "answered(c1)"];
    bool.extend(["is_missing(c1)", "is_missing(m1)", "selected(c1, 'yes')", "selected(c1, 'dk')", "selected(m1, 'a')"]);
    bool.extend(["selected(m1, 'dk')", "dim_positive('recruitment')", "dim_positive('coercion')", "answered(d1)"]);
    bool.extend(["(c1 = 'yes')", "(c1 != 'no')", "answered(.)"]);
    // A choice answer is text, but a text literal compared with it must be one of its values.
    let text = vec!["''", "'a'", "'ab'", "'Київ'", "\"it’s\"", "'😀x'", "t1", "t2", "'yes'", "coalesce(t1, null)"];
    let date = vec!["d1", "today()"];
    if repeat {
        num.extend(["hours", "hours", "count_selected(paid)"]);
        bool.extend(["(paid = 'yes')", "selected(paid, 'no')", "is_missing(paid)", "answered(hours)", "(hours > 8)"]);
    }
    let leak = |v: Vec<&'static str>| pick(Vec::leak(v));
    Typed { num: leak(num), bool: leak(bool), text: leak(text), date: leak(date) }
}

/// One level more: every combinator over the expressions of `below`.
fn grow(below: &Typed, repeat: bool) -> Typed {
    let Typed { num: n, bool: b, text: t, date: d } = below.clone();
    let arith = prop::sample::select(&["+", "-", "*", "/", "mod"][..]);
    let num = prop_oneof![
        3 => n.clone(),
        4 => (n.clone(), arith, n.clone()).prop_map(|(x, op, y)| format!("({x} {op} {y})")),
        1 => n.clone().prop_map(|x| format!("(-{x})")),
        1 => (b.clone(), n.clone(), n.clone()).prop_map(|(c, x, y)| format!("if({c}, {x}, {y})")),
        1 => (n.clone(), n.clone()).prop_map(|(x, y)| format!("coalesce({x}, {y})")),
        1 => t.clone().prop_map(|x| format!("length({x})")),
        1 => d.clone().prop_map(|x| format!("age_years({x})")),
    ];
    let order = prop::sample::select(&["=", "!=", "<", "<=", ">", ">="][..]);
    let equal = prop::sample::select(&["=", "!="][..]);
    let mut bools = vec![
        (3, b.clone()),
        (3, (n.clone(), order.clone(), n.clone()).prop_map(|(x, op, y)| format!("({x} {op} {y})")).boxed()),
        (2, (t.clone(), equal.clone(), t.clone()).prop_map(|(x, op, y)| format!("({x} {op} {y})")).boxed()),
        (1, (d.clone(), order.clone(), d.clone()).prop_map(|(x, op, y)| format!("({x} {op} {y})")).boxed()),
        // A text literal stands for a date only where a date is expected, as in a comparison.
        (
            1,
            (d.clone(), order, pick(&["'2024-02-29'", "'2026-03-15'", "'1990-12-31'"]))
                .prop_map(|(x, op, y)| format!("({x} {op} {y})"))
                .boxed(),
        ),
        (1, (b.clone(), equal, b.clone()).prop_map(|(x, op, y)| format!("({x} {op} {y})")).boxed()),
        (2, (b.clone(), b.clone()).prop_map(|(x, y)| format!("({x} and {y})")).boxed()),
        (2, (b.clone(), b.clone()).prop_map(|(x, y)| format!("({x} or {y})")).boxed()),
        (2, b.clone().prop_map(|x| format!("(not {x})")).boxed()),
        (1, (b.clone(), b.clone(), b.clone()).prop_map(|(c, x, y)| format!("if({c}, {x}, {y})")).boxed()),
        (1, (b.clone(), b.clone()).prop_map(|(x, y)| format!("coalesce({x}, {y})")).boxed()),
        (1, n.clone().prop_map(|x| format!("answered({x})")).boxed()),
        (1, t.clone().prop_map(|x| format!("answered({x})")).boxed()),
    ];
    let mut nums = vec![(8, num.boxed())];
    if !repeat {
        let inner = grow(&leaves(true), true);
        bools.push((2, inner.bool.clone().prop_map(|e| format!("any(jobs, {e})")).boxed()));
        nums.push((2, inner.bool.prop_map(|e| format!("count(jobs, {e})")).boxed()));
    }
    let text = prop_oneof![
        3 => t.clone(),
        1 => (b.clone(), t.clone(), t.clone()).prop_map(|(c, x, y)| format!("if({c}, {x}, {y})")),
        1 => (t.clone(), t.clone()).prop_map(|(x, y)| format!("coalesce({x}, {y})")),
    ];
    let date = prop_oneof![
        3 => d.clone(),
        1 => (b.clone(), d.clone(), d.clone()).prop_map(|(c, x, y)| format!("if({c}, {x}, {y})")),
        1 => (d.clone(), d).prop_map(|(x, y)| format!("coalesce({x}, {y})")),
    ];
    Typed {
        num: prop::strategy::Union::new_weighted(nums).boxed(),
        bool: prop::strategy::Union::new_weighted(bools).boxed(),
        text: text.boxed(),
        date: date.boxed(),
    }
}

/// An expression of any type, up to four levels deep.
fn expression() -> BoxedStrategy<String> {
    let mut typed = leaves(false);
    for _ in 0..3 {
        typed = grow(&typed, false);
    }
    prop_oneof![3 => typed.bool, 3 => typed.num, 1 => typed.text, 1 => typed.date].boxed()
}

// ------------------------------------------------------------------ answers

fn number() -> BoxedStrategy<Value> {
    prop::sample::select(
        &[0.0, -0.0, 0.1, 0.2, 1.0, 2.0, 3.0, -3.0, 0.5, 2.5, 7.0, 8.0, 12.0, 1e9, 1e300, -0.25, 1e-7][..],
    )
    .prop_map(Value::Number)
    .boxed()
}

/// An answer as the environment holds it, or none (unanswered / not relevant).
fn maybe(value: BoxedStrategy<Value>) -> BoxedStrategy<Option<Value>> {
    prop_oneof![1 => Just(None), 1 => Just(Some(Value::Null)), 4 => value.prop_map(Some)].boxed()
}

fn text() -> BoxedStrategy<Value> {
    prop::sample::select(&["", "a", "ab", "Київ", "it’s", "😀x", "yes", "2024-02-29", "  "][..])
        .prop_map(|s| Value::Text(s.to_string()))
        .boxed()
}

fn choice() -> BoxedStrategy<Value> {
    prop::sample::select(&CHOICE[..]).prop_map(|s| Value::Text(s.to_string())).boxed()
}

/// A date answer, as a date or as text holding one (and a day no calendar has).
fn date() -> BoxedStrategy<Value> {
    const DAYS: [&str; 7] =
        ["2000-02-29", "2008-03-15", "2008-03-16", "2026-03-15", "2030-01-01", "1990-12-31", "2023-02-29"];
    (prop::sample::select(&DAYS[..]), prop::bool::ANY)
        .prop_map(|(s, text)| if text { Value::Text(s.to_string()) } else { Value::Date(s.to_string()) })
        .boxed()
}

fn set() -> BoxedStrategy<Value> {
    prop::sample::subsequence(&MULTI[..], 0..=3)
        .prop_map(|v| Value::Set(v.iter().map(|s| s.to_string()).collect()))
        .boxed()
}

fn job() -> impl Strategy<Value = BTreeMap<String, Value>> {
    (maybe(choice()), maybe(number())).prop_map(|(paid, hours)| {
        let mut entry = BTreeMap::new();
        entry.extend(paid.map(|v| ("paid".to_string(), v)));
        entry.extend(hours.map(|v| ("hours".to_string(), v)));
        entry
    })
}

fn indicator() -> impl Strategy<Value = FiredIndicator> {
    let strength = prop::sample::select(&[Strength::Strong, Strength::Medium, Strength::Weak][..]);
    (prop::sample::select(&DIMENSIONS[..]), strength)
        .prop_map(|(d, strength)| FiredIndicator { dimension: d.to_string(), strength })
}

fn environment() -> impl Strategy<Value = MapEnv> {
    let answers = (
        (maybe(number()), maybe(number()), maybe(text()), maybe(text())),
        (maybe(date()), maybe(prop::bool::ANY.prop_map(Value::Bool).boxed()), maybe(choice()), maybe(set())),
    );
    let today =
        prop_oneof![4 => Just(Some(TODAY.to_string())), 1 => Just(None), 1 => Just(Some("2027-02-28".to_string()))];
    let jobs = prop_oneof![1 => Just(None), 3 => prop::collection::vec(job(), 0..4).prop_map(Some)];
    (answers, today, jobs, prop::collection::vec(indicator(), 0..5)).prop_map(|(answers, today, jobs, indicators)| {
        let ((n1, n2, t1, t2), (d1, b1, c1, m1)) = answers;
        let mut env = MapEnv::default();
        for (id, v) in [("n1", n1), ("n2", n2), ("t1", t1), ("t2", t2), ("d1", d1), ("b1", b1), ("c1", c1), ("m1", m1)]
        {
            env.answers.extend(v.map(|v| (id.to_string(), v)));
        }
        env.current = env.answers.get("n1").cloned().unwrap_or_default();
        env.current_id = Some("n1".into());
        env.missing.insert("c1".into(), vec!["dk".into(), "refused".into()]);
        env.missing.insert("paid".into(), vec!["dk".into(), "refused".into()]);
        env.missing.insert("m1".into(), vec!["dk".into()]);
        env.today = today;
        env.repeats.insert("jobs".into(), jobs);
        env.indicators = indicators;
        env
    })
}

// ------------------------------------------------------------------ the property

/// Whether a value fits the type check() gave its expression (null fits every type).
fn fits(value: &Value, ty: Type) -> bool {
    matches!(
        (value, ty),
        (Value::Null, _)
            | (Value::Bool(_), Type::Bool)
            | (Value::Number(_), Type::Number)
            | (Value::Text(_), Type::Text | Type::Date)
            | (Value::Date(_), Type::Date | Type::Text)
            | (Value::Set(_), Type::Set)
    )
}

/// The seed of this run: PROPTEST_RNG_SEED when set, otherwise a new one, printed on failure.
fn seed() -> u64 {
    match ProptestConfig::default().rng_seed {
        RngSeed::Fixed(seed) => seed,
        RngSeed::Random => {
            use std::hash::{BuildHasher, RandomState};
            RandomState::new().hash_one(std::time::SystemTime::now())
        }
    }
}

/// One run of many cases, sent to Node at once (a process per case would take minutes). The
/// cases are drawn from the strategies without proptest's shrinking, which would start Node at
/// each step: a failure lists each differing expression with its answers instead.
#[test]
fn expr_js_agrees_with_rust() {
    let seed = seed();
    let config = ProptestConfig { rng_seed: RngSeed::Fixed(seed), ..ProptestConfig::default() };
    let mut runner = TestRunner::new(config);
    let strategy = prop::collection::vec((expression(), environment()), CASES);
    let cases = strategy.new_tree(&mut runner).expect("cases").current();
    let all: String = cases.iter().map(|(src, _)| src.as_str()).collect::<Vec<_>>().join(" ");
    for word in Func::ALL.iter().map(|f| f.name()).chain(["null", " mod ", " and ", " or ", "not ", "<=", "!="]) {
        assert!(all.contains(word), "seed {seed}: no case uses {word}");
    }
    let scope = scope();
    let mut sent = Vec::new();
    for (i, (src, env)) in cases.iter().enumerate() {
        let ast = parse(src).unwrap_or_else(|e| panic!("seed {seed}: `{src}` does not parse: {e}"));
        let ty = check(&ast, &scope, None).unwrap_or_else(|e| {
            let list: Vec<String> = e.iter().map(|e| e.to_string()).collect();
            panic!("seed {seed}: `{src}` is not well typed: {}", list.join(" | "))
        });
        let value = eval(&ast, env);
        assert!(fits(&value, ty), "seed {seed}: `{src}` is {ty} but evaluated to {value:?}");
        sent.push(serde_json::json!({
            "name": i.to_string(),
            "ast": ast.to_json(),
            "env": serde_json::to_value(env).unwrap(),
            "expect": value.to_json(),
        }));
    }
    let report = run_node(&serde_json::to_vec(&serde_json::json!({ "cases": sent })).unwrap());
    let mismatches = report["mismatches"].as_array().cloned().unwrap_or_default();
    let lines: Vec<String> = mismatches
        .iter()
        .take(20)
        .map(|m| {
            let i: usize = m["name"].as_str().and_then(|n| n.parse().ok()).unwrap_or(0);
            let (src, env) = &cases[i];
            let env = serde_json::to_string(env).unwrap();
            format!("`{src}`: expr.js gave {}, Rust {}\n  env {env}", m["got"], m["expect"])
        })
        .collect();
    assert!(
        lines.is_empty(),
        "PROPTEST_RNG_SEED={seed}: {} of {} cases differ in expr.js (first 20):\n{}",
        mismatches.len(),
        sent.len(),
        lines.join("\n")
    );
    assert_eq!(report["checked"].as_u64(), Some(sent.len() as u64), "run_cases.js did not check every case");
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// expr.js as the build minifies it, written once per process.
fn shipped_expr_js() -> &'static Path {
    static FILE: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, path) = FILE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let source = std::fs::read_to_string(root().join("src/forms/runtime/expr.js")).unwrap();
        let path = dir.path().join("expr.min.js");
        std::fs::write(&path, oberih::minify::minify_js(&source).unwrap()).unwrap();
        (dir, path)
    });
    path
}

fn run_node(input: &[u8]) -> serde_json::Value {
    let mut child = Command::new("node")
        .arg(root().join("tests/expr/run_cases.js"))
        .arg(shipped_expr_js())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e}): Node.js is required to test expr.js"));
    // If node dies early the write fails; its exit status and stderr below say why.
    let _ = child.stdin.take().unwrap().write_all(input);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "run_cases.js failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("run_cases.js printed no JSON report ({e}):\n{stdout}"))
}
