//! The JSON Schema of the form file (`oberih schema form`) and the model the build reads
//! (`oberih::forms::file`) name the same keys: a form that uses every key of the schema validates
//! against it and parses into the model, and every key the model takes at a table is one the
//! schema has there.

use std::collections::BTreeSet;

use serde_json::Value;

const EVERY_KEY: &str = include_str!("fixtures/form_file/every_key.toml");

fn schema() -> Value {
    oberih::forms::file_schema::form_toml_schema()
}

/// Follows `$ref` (and the one schema of an `allOf`/`anyOf`/`oneOf` that has properties).
fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    loop {
        if let Some(name) = node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/$defs/")) {
            node = &root["$defs"][name];
            continue;
        }
        let alternatives = ["allOf", "anyOf", "oneOf"].iter().filter_map(|k| node.get(*k)?.as_array()).flatten();
        if let Some(with_props) = alternatives.into_iter().find(|n| resolve(root, n).get("properties").is_some()) {
            node = with_props;
            continue;
        }
        return node;
    }
}

/// Every key path the schema names, e.g. `section[].question[].hint`; a map's own keys are `*`.
fn schema_paths(root: &Value, node: &Value, path: &str, out: &mut BTreeSet<String>) {
    let node = resolve(root, node);
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (key, value) in props {
            let p = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            if out.insert(p.clone()) {
                schema_paths(root, value, &p, out);
            }
        }
    }
    if let Some(items) = node.get("items").filter(|i| i.is_object()) {
        schema_paths(root, items, &format!("{path}[]"), out);
    }
    if let Some(extra) = node.get("additionalProperties").filter(|a| a.is_object()) {
        schema_paths(root, extra, &format!("{path}.*"), out);
    }
}

/// The same paths for a form as JSON, with the keys of maps (`choices`, `messages`, texts…) as `*`
/// wherever the schema has `*`.
fn form_paths(value: &Value, path: &str, known: &BTreeSet<String>, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let named = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                let p = if known.contains(&named) { named } else { format!("{path}.*") };
                out.insert(p.clone());
                form_paths(v, &p, known, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| form_paths(v, &format!("{path}[]"), known, out)),
        _ => {}
    }
}

fn form_json() -> Value {
    serde_json::to_value(toml::from_str::<toml::Value>(EVERY_KEY).unwrap()).unwrap()
}

#[test]
fn a_form_with_every_key_validates_and_parses() {
    let schema = schema();
    let validator = jsonschema::draft202012::new(&schema).expect("the schema itself is valid");
    let errors: Vec<String> =
        validator.iter_errors(&form_json()).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    if let Err(e) = oberih::forms::file::parse(EVERY_KEY) {
        panic!("the model refuses a key of the schema: {e}");
    }

    let mut in_schema = BTreeSet::new();
    schema_paths(&schema, &schema, "", &mut in_schema);
    let mut in_form = BTreeSet::new();
    form_paths(&form_json(), "", &in_schema, &mut in_form);
    let unused: Vec<&String> = in_schema.iter().filter(|p| !p.ends_with('*') && !in_form.contains(*p)).collect();
    assert!(unused.is_empty(), "keys of the schema the form does not use: {unused:?}");
}

/// Adds an unknown key at each table of the form; the model's error lists the keys it takes
/// there, and the schema must have each of them at that place.
#[test]
fn every_key_of_the_model_is_in_the_schema() {
    let schema = schema();
    let mut in_schema = BTreeSet::new();
    schema_paths(&schema, &schema, "", &mut in_schema);
    let tables: [(&str, &str, &str); 11] = [
        ("", "[form]\n", ""),
        ("form", "[form]\n", "form."),
        ("form.privacy", "[form.privacy]\n", "form.privacy."),
        ("dimensions", "[dimensions.labels]\n", "dimensions."),
        ("section[]", "[[section]]\n", "section[]."),
        ("section[].question[]", "  [[section.question]]\n", "section[].question[]."),
        ("dimensions.rule", "[dimensions.rule]\n", "dimensions.rule."),
        ("indicator[]", "[[indicator]]\n", "indicator[]."),
        ("outcome[]", "[[outcome]]\n", "outcome[]."),
        ("migration[]", "[[migration]]\n", "migration[]."),
        ("migration[].choices.*", "[migration.choices.paid]\n", "migration[].choices.*."),
    ];
    let mut checked = 0;
    for (what, header, prefix) in tables {
        // The unknown key goes right below the header (for the top level, above `[form]`).
        let text = if what.is_empty() {
            format!("zz_not_a_key = 1\n{EVERY_KEY}")
        } else if what == "dimensions" {
            EVERY_KEY.replacen(header, "[dimensions]\nzz_not_a_key = 1\n[dimensions.labels]\n", 1)
        } else {
            EVERY_KEY.replacen(header, &format!("{header}zz_not_a_key = 1\n"), 1)
        };
        let message = match oberih::forms::file::parse(&text) {
            Ok(_) => panic!("the model takes an unknown key in {what:?}"),
            Err(e) => e.to_string(),
        };
        let Some(list) = message.split("expected one of ").nth(1).or_else(|| message.split("expected ").nth(1)) else {
            panic!("no list of keys in the model's error for {what:?}: {message}");
        };
        let keys: Vec<&str> = list.split('`').skip(1).step_by(2).collect();
        assert!(!keys.is_empty(), "{what:?}: {message}");
        for key in keys {
            assert!(
                in_schema.contains(&format!("{prefix}{key}")),
                "the model takes `{key}` in {what:?}; the schema does not"
            );
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} keys checked");
}
