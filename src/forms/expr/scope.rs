//! What the type checker knows: the types of values, and the scope of names an expression may
//! use (supplied by the form validator, or a simple map in tests).

use std::collections::BTreeMap;
use std::fmt;

/// The type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Type {
    Bool,
    Number,
    Text,
    Date,
    /// The answer of a multi_choice question.
    Set,
    /// Only the literal `null` (or an expression that is always null) has this type.
    Null,
}

impl Type {
    /// The type with an article, for messages: "a number", "text".
    pub fn describe(self) -> &'static str {
        match self {
            Type::Bool => "a true/false value",
            Type::Number => "a number",
            Type::Text => "text",
            Type::Date => "a date",
            Type::Set => "a set of choices",
            Type::Null => "null",
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::Bool => "true/false",
            Type::Number => "number",
            Type::Text => "text",
            Type::Date => "date",
            Type::Set => "set of choices",
            Type::Null => "null",
        })
    }
}

/// What an id stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum IdKind {
    /// text and long_text questions.
    Text,
    /// integer and decimal questions.
    Number,
    Date,
    /// A choice question with its option values.
    Choice {
        values: Vec<String>,
    },
    /// A multi_choice question with its option values.
    MultiChoice {
        values: Vec<String>,
    },
    /// A calculate with the type its expression was checked to have.
    Calculate(Type),
    /// A repeat section: only `any(id, …)` and `count(id, …)` read it.
    Repeat,
}

/// An id known to the scope.
#[derive(Debug, Clone, PartialEq)]
pub struct IdInfo {
    pub kind: IdKind,
    /// The repeat section the question belongs to, if any. Such a question can be read only
    /// inside `any`/`count` over that section, or from an expression of the same section
    /// ([`Scope::context_repeat`]).
    pub repeat: Option<String>,
}

impl IdInfo {
    pub fn new(kind: IdKind) -> Self {
        IdInfo { kind, repeat: None }
    }

    pub fn in_repeat(mut self, repeat: &str) -> Self {
        self.repeat = Some(repeat.to_string());
        self
    }
}

/// Why the caller refuses a reference (e.g. a `relevant` that looks at a later question).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    pub message: String,
    pub help: Option<String>,
}

/// The names an expression may use, supplied by the caller (the form validator).
pub trait Scope {
    /// The id's kind, or `None` if there is no such id.
    fn lookup(&self, id: &str) -> Option<IdInfo>;
    /// Every id, for "did you mean" hints.
    fn ids(&self) -> Vec<String>;
    /// Whether the expression may read `id` here. Called for every reference.
    fn access(&self, _id: &str) -> Result<(), Denied> {
        Ok(())
    }
    /// The kind of the question `.` stands for; `None` where `.` means nothing (an outcome, an
    /// indicator).
    fn current(&self) -> Option<IdInfo> {
        None
    }
    /// The id of the question `.` stands for, used to name it in messages.
    fn current_id(&self) -> Option<String> {
        None
    }
    /// The repeat section the expression belongs to, if any.
    fn context_repeat(&self) -> Option<String> {
        None
    }
    /// The dimensions of the form's indicators; if given, `dim_positive('x')` must name one.
    fn dimensions(&self) -> Option<Vec<String>> {
        None
    }
}

/// A [`Scope`] held in a map; enough for tests and simple callers.
#[derive(Debug, Clone, Default)]
pub struct SimpleScope {
    pub ids: BTreeMap<String, IdInfo>,
    /// The id of the question `.` stands for.
    pub current: Option<String>,
    pub context_repeat: Option<String>,
    pub dimensions: Option<Vec<String>>,
    /// Ids that may not be read here, with the reason.
    pub denied: BTreeMap<String, String>,
}

impl SimpleScope {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(mut self, id: &str, kind: IdKind) -> Self {
        self.ids.insert(id.to_string(), IdInfo::new(kind));
        self
    }

    pub fn insert(&mut self, id: &str, info: IdInfo) {
        self.ids.insert(id.to_string(), info);
    }
}

impl Scope for SimpleScope {
    fn lookup(&self, id: &str) -> Option<IdInfo> {
        self.ids.get(id).cloned()
    }
    fn ids(&self) -> Vec<String> {
        self.ids.keys().cloned().collect()
    }
    fn access(&self, id: &str) -> Result<(), Denied> {
        match self.denied.get(id) {
            Some(why) => Err(Denied { message: why.clone(), help: None }),
            None => Ok(()),
        }
    }
    fn current(&self) -> Option<IdInfo> {
        self.lookup(self.current.as_deref()?)
    }
    fn current_id(&self) -> Option<String> {
        self.current.clone()
    }
    fn context_repeat(&self) -> Option<String> {
        self.context_repeat.clone()
    }
    fn dimensions(&self) -> Option<Vec<String>> {
        self.dimensions.clone()
    }
}
