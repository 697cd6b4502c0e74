//! The expression cases (`tests/expr/cases.toml`) written as the XLSForm export writes them and
//! evaluated by the ODK web engine's XPath (enketo-core's FormModel, with openrosa-xpath-evaluator)
//! in headless Chromium (`tests/browser/xlsform_xpath.js`): a condition's XPath truth and falsity,
//! or a value's XPath, must give the case's expected value, null included. Cases the export
//! refuses to translate are listed and must stay few. Needs `npm ci` and Chromium (scripts/test).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;

use oberih::forms::expr::{
    check, parse, DimensionRule, FiredIndicator, IdInfo, IdKind, SimpleScope, Strength, Type, Value,
};
use oberih::xlsform::xpath_out::{Context, Kind, Model, Xpath};
use serde::Deserialize;

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum TypeSpec {
    Simple(String),
    Table(TypeTable),
}

#[derive(Deserialize, Clone)]
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
struct File {
    today: Option<String>,
    dimensions: Option<Vec<String>>,
    types: BTreeMap<String, TypeSpec>,
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    expr: String,
    #[serde(default)]
    answers: BTreeMap<String, Value>,
    current: Option<String>,
    in_repeat: Option<String>,
    #[serde(default)]
    indicators: Vec<FiredIndicator>,
    rule: Option<DimensionRule>,
    today: Option<String>,
    #[serde(default)]
    no_today: bool,
    #[serde(default)]
    repeats: BTreeMap<String, Vec<BTreeMap<String, Value>>>,
    #[serde(default)]
    types: BTreeMap<String, TypeSpec>,
    dimensions: Option<Vec<String>>,
    want: Option<Type>,
    expect: Option<Value>,
    #[serde(default)]
    expect_null: bool,
    parse_error: Option<String>,
    check_error: Option<String>,
    #[serde(default)]
    unchecked: bool,
}

/// Cases where ODK's XPath differs from the language, on values an ODK form never meets or that
/// the README's "What does not map" names; each with why.
const KNOWN: [(&str, &str); 3] = [
    ("overflow_is_null", "XPath gives Infinity where the language gives null; no answer reaches 1e308"),
    (
        "age_years_invalid_stored_date_is_null",
        "ODK's date widget never stores 30 February; format-date() rolls it over",
    ),
    ("length_counts_code_points_not_utf16", "string-length() counts UTF-16 units, as the README says"),
];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn kind_of(spec: &TypeSpec) -> (IdKind, Kind, Option<String>) {
    let simple = |s: &str| match s {
        "number" => (IdKind::Number, Kind::Number),
        "date" => (IdKind::Date, Kind::Date),
        "repeat" => (IdKind::Repeat, Kind::Repeat),
        "bool" => (IdKind::Calculate(Type::Bool), Kind::Bool),
        _ => (IdKind::Text, Kind::Text),
    };
    match spec {
        TypeSpec::Simple(s) => {
            let (a, b) = simple(s);
            (a, b, None)
        }
        TypeSpec::Table(t) => {
            let missing = t.missing.clone();
            let (a, b) = match (&t.ty, &t.choice, &t.multi) {
                (Some(s), _, _) => simple(s),
                (_, Some(v), _) => (IdKind::Choice { values: v.clone() }, Kind::Choice { multi: false, missing }),
                (_, _, Some(v)) => (IdKind::MultiChoice { values: v.clone() }, Kind::Choice { multi: true, missing }),
                _ => panic!("a type without a kind"),
            };
            (a, b, t.repeat.clone())
        }
    }
}

/// An answer as instance text: a set space-separated, as ODK stores a select_multiple.
fn text_of(v: &Value) -> String {
    let raw = match v {
        Value::Null => String::new(),
        Value::Set(items) => items.join(" "),
        Value::Text(s) | Value::Date(s) => s.clone(),
        other => other.to_json().to_string().trim_matches('"').to_string(),
    };
    raw.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn element(id: &str, v: Option<&Value>) -> String {
    format!("<{id}>{}</{id}>", v.map(text_of).unwrap_or_default())
}

/// One case as the browser script takes it, or why it is left out.
fn prepare(file: &File, c: &Case) -> Result<serde_json::Value, String> {
    if KNOWN.iter().any(|(name, _)| *name == c.name) {
        return Err(String::new());
    }
    if c.parse_error.is_some() || c.check_error.is_some() || c.unchecked || c.in_repeat.is_some() || c.no_today {
        return Err(String::new());
    }
    // The unknown answers are a count the export computes from the whole form, not an expression.
    if c.expr.contains("unknown_count") {
        return Err(String::new());
    }
    let (mut scope, ids) = scope_of(file, c);
    scope.current = c.current.clone();
    scope.dimensions = c.dimensions.clone().or_else(|| file.dimensions.clone());
    let expr = parse(&c.expr).map_err(|e| e.to_string())?;
    let ty = check(&expr, &scope, c.want).map_err(|_| String::new())?;
    let fired: Vec<(String, String, Strength)> =
        c.indicators.iter().enumerate().map(|(i, f)| (format!("f{i}"), f.dimension.clone(), f.strength)).collect();
    let mut model = Model::from_ids(ids.clone(), fired.clone(), c.rule.clone().unwrap_or_default());
    for (id, (kind, _)) in &ids {
        if *kind == Kind::Repeat && !c.repeats.contains_key(id) {
            model.repeat_relevance.insert(id.clone(), Some("false()".into()));
        }
    }
    let mut x = Xpath::new(&model, Context::Outcome);
    if let Some(cur) = &c.current {
        x = x.with_current(cur, &format!("${{{cur}}}"));
    }
    let mut names: Vec<String> = ids.keys().cloned().collect();
    names.extend(fired.iter().map(|(id, ..)| Model::indicator_field(id)));
    names.extend(["strong_count", "medium_count", "weak_count"].map(String::from));
    let paths = |s: String| {
        let mut out = s;
        for id in &names {
            out = out.replace(&format!("${{{id}}}"), &format!("/data/{id}"));
        }
        out
    };
    let xml = instance(c, &ids, &fired);
    let condition = ty == Type::Bool;
    let (t, f, v) = if condition {
        (
            paths(x.truth(&expr).map_err(|e| e.to_string())?),
            paths(x.falsity(&expr).map_err(|e| e.to_string())?),
            String::new(),
        )
    } else {
        (String::new(), String::new(), paths(x.calculation(&expr).map_err(|e| e.to_string())?))
    };
    Ok(serde_json::json!({
        "name": c.name, "expr": c.expr, "condition": condition, "t": t, "f": f, "v": v, "xml": xml,
        "today": c.today.clone().or_else(|| file.today.clone()).unwrap_or_else(|| "2026-01-01".into()),
        "expect": c.expect.as_ref().map(Value::to_json), "expect_null": c.expect_null,
    }))
}

/// The ids a case names (the file's and its own): the checker's scope and each id's kind and repeat.
fn scope_of(file: &File, c: &Case) -> (SimpleScope, Ids) {
    let mut scope = SimpleScope::new();
    let mut ids = HashMap::new();
    for (id, spec) in file.types.iter().chain(c.types.iter()) {
        let (id_kind, kind, repeat) = kind_of(spec);
        scope.insert(id, IdInfo { kind: id_kind, repeat: repeat.clone() });
        ids.insert(id.clone(), (kind, repeat));
    }
    (scope, ids)
}

/// Each id's kind and, for a question in a repeat, the repeat's id.
type Ids = HashMap<String, (Kind, Option<String>)>;

/// The case's answers as an ODK instance: one element per answer, one per repeat entry, the
/// fired indicators and the counts of each strength.
fn instance(c: &Case, ids: &Ids, fired: &[(String, String, Strength)]) -> String {
    let mut xml = String::from("<data>");
    for (id, (kind, repeat)) in ids {
        if repeat.is_none() && *kind != Kind::Repeat {
            xml.push_str(&element(id, c.answers.get(id)));
        }
    }
    for (r, entries) in &c.repeats {
        for entry in entries {
            xml.push_str(&format!("<{r}>"));
            entry.iter().for_each(|(id, v)| xml.push_str(&element(id, Some(v))));
            xml.push_str(&format!("</{r}>"));
        }
    }
    for (id, _, _) in fired {
        xml.push_str(&format!("<ind_{id}>1</ind_{id}>"));
    }
    for (name, s) in
        [("strong_count", Strength::Strong), ("medium_count", Strength::Medium), ("weak_count", Strength::Weak)]
    {
        xml.push_str(&format!("<{name}>{}</{name}>", fired.iter().filter(|f| f.2 == s).count()));
    }
    xml.push_str("<meta><instanceID>uuid:case</instanceID></meta></data>");
    xml
}

#[test]
fn the_expression_cases_hold_in_the_odk_web_engine() {
    assert!(repo().join("node_modules/enketo-core").is_dir(), "this test needs `npm ci` (see scripts/test)");
    let text = std::fs::read_to_string(repo().join("tests/expr/cases.toml")).unwrap();
    let file: File = toml::from_str(&text).unwrap();
    let (mut cases, mut refused) = (Vec::new(), Vec::new());
    for c in &file.case {
        match prepare(&file, c) {
            Ok(json) => cases.push(json),
            Err(why) if why.is_empty() => {}
            Err(why) => refused.push(format!("{}: {} ({why})", c.name, c.expr)),
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("cases.json");
    std::fs::write(&input, serde_json::to_string(&cases).unwrap()).unwrap();
    let out = Command::new("node")
        .arg(repo().join("tests/browser/xlsform_xpath.js"))
        .arg(&input)
        .arg(dir.path())
        .output()
        .expect("this test needs node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or("")).unwrap_or_else(|_| {
        panic!("no report from xlsform_xpath.js:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr))
    });
    let failures: Vec<&str> = report["failures"].as_array().unwrap().iter().filter_map(|f| f.as_str()).collect();
    eprintln!("{} cases checked; not translated: {}", cases.len(), refused.join("; "));
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
    assert!(cases.len() >= 150, "only {} cases checked", cases.len());
    assert!(refused.len() <= 10, "{} cases not translated: {}", refused.len(), refused.join("\n"));
}
