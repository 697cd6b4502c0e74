use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;

fn parsed(text: &str) -> Json<'_> {
    serde_json::from_str(text).unwrap()
}

#[test]
fn writes_the_same_text_as_a_value() {
    for text in [
        r#"{"id":"a","answers":{"help":["legal","medical"],"age":48,"notes":"м’ята ʼ ' \"лапки\" \\ \n\t\u0001","jobs":[{"hours":14,"pay":1.5}]},"not_asked":[]}"#,
        r#"[0,-3,1.5,1e300,-2.5e-8,18446744073709551615,-9223372036854775808,true,false,null,{},[]]"#,
        r#""\ud83d\ude00 😀 \u00e9""#,
        r#"{"b":1,"a":2,"b2":{"z":null,"y":[[]]}}"#,
    ] {
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(parsed(text).text(), value.to_string(), "{text}");
        assert_eq!(Json::of(&value), parsed(text), "{text}");
        assert_eq!(parsed(text).to_value(), value, "{text}");
    }
}

#[test]
fn strings_borrow_the_text_unless_they_hold_escapes() {
    let text = r#"{"plain":"поле","escaped":"a\"b"}"#;
    let json = parsed(text);
    assert!(matches!(json.get("plain"), Json::String(Cow::Borrowed("поле"))));
    assert!(matches!(json.get("escaped"), Json::String(Cow::Owned(s)) if s == "a\"b"));
    let Json::Object(members) = &json else { panic!("{json:?}") };
    assert!(members.iter().all(|(k, _)| matches!(k, Cow::Borrowed(_))), "keys borrow too");
}

#[test]
fn reads_members_as_a_value_does() {
    let value = json!({"answers": {"help": ["legal"], "age": null}, "version": "2026.2"});
    let text = value.to_string();
    let json = parsed(&text);
    assert_eq!(json.get("version").as_str(), Some("2026.2"));
    assert_eq!(json.get("answers").get("help").as_array().map(<[_]>::len), Some(1));
    assert!(json.get("answers").get("help").as_array().unwrap()[0] == *"legal");
    assert_eq!(json.get("answers").get("age"), &Json::Null);
    assert_eq!(json.get("missing").get("deeper"), &Json::Null, "like value[\"missing\"][\"deeper\"]");
    assert_eq!(json.get("version").get("x"), &Json::Null, "a string has no members");
}

#[test]
fn members_finds_every_key_in_any_order_of_asking() {
    let json = parsed(r#"{"a": 1, "b": [2], "c": "three", "b2": null}"#);
    let mut members = json.members();
    for key in ["b", "b", "c", "a", "b2", "a", "c", "missing", "b"] {
        assert_eq!(members.get(key), json.get(key), "{key}");
    }
    assert_eq!(members.get("missing"), &Json::Null);
    let text = parsed(r#""not an object""#);
    assert_eq!(text.members().get("a"), &Json::Null, "a string has no members");
}

proptest! {
    #[test]
    fn members_agrees_with_get(keys in prop::collection::vec("[a-d]{1,2}", 0..8), asks in prop::collection::vec("[a-d]{1,2}", 0..16)) {
        let object = Value::Object(keys.iter().enumerate().map(|(i, k)| (k.clone(), Value::from(i))).collect());
        let json = Json::of(&object);
        let mut members = json.members();
        for key in &asks {
            prop_assert_eq!(members.get(key), json.get(key));
        }
    }
}

fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter("JSON has no NaN or infinity", |f| f.is_finite()).prop_map(Value::from),
        ".*".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::vec((".{0,8}", inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn any_json_reads_and_writes_as_a_value_does(made in any_value()) {
        // As a dataset holds it: text, read back by the same parser (which may round a float's
        // last digit, for both).
        let text = made.to_string();
        let value: Value = serde_json::from_str(&text).unwrap();
        let json = parsed(&text);
        prop_assert_eq!(json.text(), value.to_string());
        prop_assert_eq!(&json.to_value(), &value);
        prop_assert_eq!(Json::of(&value), json);
    }
}
