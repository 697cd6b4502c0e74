//! Runtime values of the expression language, how answers arrive as values (serde), and the
//! calendar arithmetic dates need.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A runtime value. Answers arrive as values (from the page, a saved record, or a test case):
/// text and choice answers are `Text`, numbers `Number`, dates `Date` (ISO `YYYY-MM-DD`),
/// multi_choice answers `Set`.
///
/// Serde: `null`, booleans, numbers, strings and arrays of strings map to `Null`, `Bool`,
/// `Number`, `Text` and `Set`; a TOML date (`dob = 1990-05-01`) becomes `Date`. A date in JSON is
/// a string and arrives as `Text`, which is fine: the evaluator treats `Text` and `Date` alike and
/// checks the ISO form wherever a date is needed. `Date` serialises as its string.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    Date(String),
    Set(Vec<String>),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The truth of a condition: only `true` is true; `false` and `null` are not.
    pub fn is_true(&self) -> bool {
        matches!(self, Value::Bool(true))
    }

    /// The string of a `Text` or `Date`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) | Value::Date(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The value as JSON, the shape `expr.js` uses (dates as strings, sets as arrays).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// An answer as the expression sees it: an empty text or an empty set is no answer.
    pub(super) fn normalized(self) -> Value {
        match &self {
            Value::Text(s) if s.is_empty() => Value::Null,
            Value::Set(v) if v.is_empty() => Value::Null,
            _ => self,
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => f.write_str(&super::format_number(*n)),
            Value::Text(s) => write!(f, "'{s}'"),
            Value::Date(s) => write!(f, "date {s}"),
            Value::Set(v) => write!(f, "[{}]", v.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ")),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => s.serialize_i64(*n as i64),
            Value::Number(n) => s.serialize_f64(*n),
            Value::Text(t) | Value::Date(t) => s.serialize_str(t),
            Value::Set(v) => v.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

/// The key under which the `toml` crate hands a datetime to serde.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("null, a boolean, a number, a string, a date or a list of strings")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Number(n))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Text(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::Text(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(s) = seq.next_element::<String>()? {
            out.push(s);
        }
        Ok(Value::Set(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        match map.next_key::<String>()? {
            Some(k) if k == TOML_DATETIME_KEY => {
                let s: String = map.next_value()?;
                if parse_date(&s).is_some() {
                    Ok(Value::Date(s))
                } else {
                    Err(de::Error::custom(format!("`{s}` is not a date (YYYY-MM-DD)")))
                }
            }
            _ => Err(de::Error::custom("a table is not an answer value")),
        }
    }
}

/// Parses a strict ISO date `YYYY-MM-DD` (a real calendar day) into (year, month, day).
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then_some((y as i32, m, d))
}

/// Whole years from `birth` to `today`: the birthday must have been reached (someone born on
/// 29 February turns a year older on 1 March in common years). Negative if `birth` is later.
pub fn age_years(birth: (i32, u32, u32), today: (i32, u32, u32)) -> i32 {
    let mut years = today.0 - birth.0;
    if (today.1, today.2) < (birth.1, birth.2) {
        years -= 1;
    }
    years
}
