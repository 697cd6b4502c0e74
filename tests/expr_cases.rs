//! Runs the expression conformance vectors (`tests/expr/cases.toml`, format documented at its
//! top) through (a) the Rust pipeline: parse → check → eval, and (b) the browser interpreter
//! `src/forms/runtime/expr.js` under Node (`tests/expr/run_cases.js`). Both must give the
//! expected value for every case. Node is required: without it the JS test fails.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use oberih::forms::expr::{
    check, eval, parse, DimensionRule, Env, FiredIndicator, IdInfo, IdKind, MapEnv, SimpleScope, Type, Value,
};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    today: Option<String>,
    dimensions: Option<Vec<String>>,
    types: BTreeMap<String, TypeSpec>,
    case: Vec<Case>,
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum TypeSpec {
    Simple(String),
    Table(TypeTable),
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct TypeTable {
    #[serde(rename = "type")]
    ty: Option<String>,
    choice: Option<Vec<String>>,
    multi: Option<Vec<String>>,
    #[serde(default)]
    missing: Vec<String>,
    repeat: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    expr: String,
    #[serde(default)]
    answers: BTreeMap<String, Value>,
    current: Option<String>,
    in_repeat: Option<String>,
    #[serde(default)]
    indicators: Vec<FiredIndicator>,
    #[serde(default)]
    unanswered: usize,
    rule: Option<DimensionRule>,
    today: Option<String>,
    #[serde(default)]
    no_today: bool,
    #[serde(default)]
    repeats: BTreeMap<String, Vec<BTreeMap<String, Value>>>,
    #[serde(default)]
    types: BTreeMap<String, TypeSpec>,
    #[serde(default)]
    deny: BTreeMap<String, String>,
    dimensions: Option<Vec<String>>,
    want: Option<Type>,
    #[serde(rename = "type")]
    ty: Option<Type>,
    expect: Option<Value>,
    #[serde(default)]
    expect_null: bool,
    parse_error: Option<String>,
    check_error: Option<String>,
    error_col: Option<usize>,
    #[serde(default)]
    unchecked: bool,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load() -> File {
    let path = root().join("tests/expr/cases.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: File = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut names = BTreeSet::new();
    for c in &file.case {
        assert!(names.insert(c.name.as_str()), "duplicate case name {}", c.name);
        let outcomes = [c.expect.is_some(), c.expect_null, c.parse_error.is_some(), c.check_error.is_some()];
        assert_eq!(
            outcomes.iter().filter(|b| **b).count(),
            1,
            "case {}: give exactly one of expect, expect_null, parse_error, check_error",
            c.name
        );
        assert!(
            c.error_col.is_none() || c.parse_error.is_some() || c.check_error.is_some(),
            "case {}: error_col without an error",
            c.name
        );
    }
    file
}

fn kind_of(name: &str, spec: &TypeSpec) -> (IdKind, Option<String>, Vec<String>) {
    let simple = |s: &str| match s {
        "text" => IdKind::Text,
        "number" => IdKind::Number,
        "date" => IdKind::Date,
        "repeat" => IdKind::Repeat,
        "bool" => IdKind::Calculate(Type::Bool),
        other => panic!("type of {name}: unknown type {other:?}"),
    };
    match spec {
        TypeSpec::Simple(s) => (simple(s), None, Vec::new()),
        TypeSpec::Table(t) => {
            let kind = match (&t.ty, &t.choice, &t.multi) {
                (Some(s), None, None) => simple(s),
                (None, Some(v), None) => IdKind::Choice { values: v.clone() },
                (None, None, Some(v)) => IdKind::MultiChoice { values: v.clone() },
                _ => panic!("type of {name}: give one of type, choice, multi"),
            };
            (kind, t.repeat.clone(), t.missing.clone())
        }
    }
}

/// The scope and environment of a case.
fn setup(file: &File, c: &Case) -> (SimpleScope, MapEnv) {
    let mut scope = SimpleScope::new();
    let mut env = MapEnv::default();
    for (id, spec) in file.types.iter().chain(c.types.iter()) {
        let (kind, repeat, missing) = kind_of(id, spec);
        scope.insert(id, IdInfo { kind, repeat });
        if !missing.is_empty() {
            env.missing.insert(id.clone(), missing);
        }
    }
    scope.current = c.current.clone();
    scope.context_repeat = c.in_repeat.clone();
    scope.dimensions = c.dimensions.clone().or_else(|| file.dimensions.clone());
    scope.denied = c.deny.clone();
    env.answers = c.answers.clone();
    if let Some(cur) = &c.current {
        env.current = c.answers.get(cur).cloned().unwrap_or_default();
        env.current_id = Some(cur.clone());
    }
    env.indicators = c.indicators.clone();
    env.unanswered = c.unanswered;
    env.rule = c.rule.clone();
    env.today = if c.no_today { None } else { c.today.clone().or_else(|| file.today.clone()) };
    env.repeats = c.repeats.iter().map(|(k, v)| (k.clone(), Some(v.clone()))).collect();
    (scope, env)
}

/// Values are equal when their JSON forms are (numbers compared as numbers).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        _ => a == b,
    }
}

fn expected(c: &Case) -> serde_json::Value {
    c.expect.as_ref().map_or(serde_json::Value::Null, Value::to_json)
}

/// Runs one case in Rust; `Err` describes the failure.
fn run_rust(file: &File, c: &Case) -> Result<(), String> {
    let parsed = parse(&c.expr);
    if let Some(want) = &c.parse_error {
        let e = match parsed {
            Ok(_) => return Err(format!("expected parse error {want:?}, but it parsed")),
            Err(e) => e,
        };
        if !e.to_string().contains(want.as_str()) {
            return Err(format!("parse error {:?} does not contain {want:?}", e.to_string()));
        }
        let col = e.span.column(&c.expr);
        if let Some(wc) = c.error_col {
            if wc != col {
                return Err(format!("parse error {:?} at column {col}, expected column {wc}", e.to_string()));
            }
        }
        return Ok(());
    }
    let ast = parsed.map_err(|e| format!("parse error at column {}: {e}", e.span.column(&c.expr)))?;
    let (scope, env) = setup(file, c);
    if !c.unchecked {
        match (check(&ast, &scope, c.want), &c.check_error) {
            (Ok(t), None) => {
                if let Some(want) = c.ty {
                    if t != want {
                        return Err(format!("checked type is {t}, expected {want}"));
                    }
                }
            }
            (Ok(_), Some(want)) => return Err(format!("expected check error {want:?}, but it checked")),
            (Err(errs), None) => {
                let list: Vec<String> =
                    errs.iter().map(|e| format!("column {}: {e}", e.span.column(&c.expr))).collect();
                return Err(format!("check errors: {}", list.join(" | ")));
            }
            (Err(errs), Some(want)) => {
                let hit = errs.iter().find(|e| e.to_string().contains(want.as_str()));
                let Some(e) = hit else {
                    let list: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
                    return Err(format!("no check error contains {want:?}: {}", list.join(" | ")));
                };
                if let Some(wc) = c.error_col {
                    let col = e.span.column(&c.expr);
                    if wc != col {
                        return Err(format!("check error {:?} at column {col}, expected column {wc}", e.to_string()));
                    }
                }
                return Ok(());
            }
        }
    } else if c.check_error.is_some() {
        return Err("an unchecked case cannot expect a check error".into());
    }
    let got = eval(&ast, &env as &dyn Env);
    let want = expected(c);
    if !same(&got.to_json(), &want) {
        return Err(format!("evaluated to {}, expected {}", got.to_json(), want));
    }
    Ok(())
}

#[test]
fn vectors_are_many_and_cover_every_function() {
    let file = load();
    assert!(file.case.len() >= 160, "only {} cases", file.case.len());
    let all: String = file.case.iter().map(|c| c.expr.as_str()).collect::<Vec<_>>().join(" ");
    for f in oberih::forms::expr::Func::ALL {
        assert!(all.contains(f.name()), "no case uses {}", f.name());
    }
    for op in ["=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", " mod ", " and ", " or ", "not "] {
        assert!(all.contains(op), "no case uses {op}");
    }
}

#[test]
fn rust_evaluator_passes_every_case() {
    let file = load();
    let failures: Vec<String> = file
        .case
        .iter()
        .filter_map(|c| run_rust(&file, c).err().map(|e| format!("{}: `{}`: {e}", c.name, c.expr)))
        .collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), file.case.len(), failures.join("\n"));
}

#[test]
fn js_evaluator_agrees_on_every_case() {
    js_agrees(None);
}

/// The minifier must not change what expr.js computes: the pages carry it minified.
#[test]
fn minified_js_evaluator_agrees_on_every_case() {
    let dir = tempfile::tempdir().unwrap();
    let minified = dir.path().join("expr.min.js");
    let source = std::fs::read_to_string(root().join("src/forms/runtime/expr.js")).unwrap();
    let min = oberih::minify::minify_js(&source).unwrap();
    assert!(min.len() < source.len() / 2, "expr.js was not minified ({} of {} bytes)", min.len(), source.len());
    std::fs::write(&minified, min).unwrap();
    js_agrees(Some(&minified));
}

fn js_agrees(expr_js: Option<&Path>) {
    let file = load();
    let mut sent = Vec::new();
    for c in &file.case {
        if c.parse_error.is_some() || c.check_error.is_some() {
            continue;
        }
        let ast = parse(&c.expr).unwrap_or_else(|e| panic!("{}: {e}", c.name));
        let (_, env) = setup(&file, c);
        sent.push(serde_json::json!({
            "name": c.name,
            "ast": ast.to_json(),
            "env": serde_json::to_value(&env).unwrap(),
            "expect": expected(c),
        }));
    }
    let input = serde_json::to_vec(&serde_json::json!({ "cases": sent })).unwrap();
    let script = root().join("tests/expr/run_cases.js");
    let output = run_node(&script, expr_js, &input);
    let report: serde_json::Value = serde_json::from_str(&output)
        .unwrap_or_else(|e| panic!("run_cases.js printed something that is not its JSON report ({e}):\n{output}"));
    let mismatches = report["mismatches"].as_array().expect("report.mismatches");
    let lines: Vec<String> =
        mismatches.iter().map(|m| format!("{}: JS gave {}, expected {}", m["name"], m["got"], m["expect"])).collect();
    assert!(lines.is_empty(), "{} of {} cases differ in expr.js:\n{}", lines.len(), sent.len(), lines.join("\n"));
    assert_eq!(report["checked"].as_u64(), Some(sent.len() as u64), "run_cases.js did not check every case");
    assert!(sent.len() >= 100, "too few cases sent to JS: {}", sent.len());
}

fn run_node(script: &Path, expr_js: Option<&Path>, input: &[u8]) -> String {
    let mut child = Command::new("node")
        .arg(script)
        .args(expr_js)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `node` ({e}): Node.js is required to test src/forms/runtime/expr.js"));
    // If node dies early the write fails; its exit status and stderr below say why.
    let _ = child.stdin.take().unwrap().write_all(input);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "run_cases.js failed ({}):\n{}\n{}",
        out.status,
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The JSON tree of every case survives a round trip through the parser's own printer:
/// `Display` prints an expression that parses to the same tree.
#[test]
fn display_round_trips() {
    let file = load();
    for c in &file.case {
        let Ok(e) = parse(&c.expr) else { continue };
        let printed = e.to_string();
        let again = parse(&printed).unwrap_or_else(|err| panic!("{}: `{printed}` does not parse: {err}", c.name));
        assert_eq!(again.to_json(), e.to_json(), "{}: `{}` printed as `{printed}`", c.name, c.expr);
    }
}
