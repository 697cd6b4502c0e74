//! The syntax tree. Every node carries the byte [`Span`] of its source text.

use std::fmt;

/// A byte range `start..end` within the expression string (not the TOML file: the caller adds the
/// offset of the string's first character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// The 1-based column of `start` in `src`, counted in characters (what an editor shows).
    pub fn column(&self, src: &str) -> usize {
        let start = self.start.min(src.len());
        src.char_indices().take_while(|(i, _)| *i < start).count() + 1
    }
}

impl From<Span> for std::ops::Range<usize> {
    fn from(s: Span) -> Self {
        s.start..s.end
    }
}

/// A parsed expression node.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Number(f64),
    Text(String),
    Bool(bool),
    Null,
    /// A question (or repeat section, or calculate) id.
    Ref(String),
    /// `.`: the question the expression belongs to.
    Current,
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// A call of a known function, or a built-in count. `name_span` covers the function's name.
    Call {
        func: Func,
        args: Vec<Expr>,
        name_span: Span,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

impl BinOp {
    /// The operator as written in the language (and as the head of its JSON node).
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "mod",
        }
    }

    pub fn is_comparison(self) -> bool {
        matches!(self, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
    }

    pub fn is_ordering(self) -> bool {
        matches!(self, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
    }

    pub fn is_arithmetic(self) -> bool {
        matches!(self, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod)
    }

    pub fn is_logical(self) -> bool {
        matches!(self, BinOp::And | BinOp::Or)
    }
}

impl fmt::Display for BinOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// The closed list of functions. Nothing else can be called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Func {
    Selected,
    CountSelected,
    Answered,
    IsMissing,
    Coalesce,
    If,
    Today,
    AgeYears,
    Length,
    Any,
    Count,
    StrongCount,
    MediumCount,
    WeakCount,
    UnknownCount,
    DimPositive,
}

impl Func {
    pub const ALL: [Func; 16] = [
        Func::Selected,
        Func::CountSelected,
        Func::Answered,
        Func::IsMissing,
        Func::Coalesce,
        Func::If,
        Func::Today,
        Func::AgeYears,
        Func::Length,
        Func::Any,
        Func::Count,
        Func::StrongCount,
        Func::MediumCount,
        Func::WeakCount,
        Func::UnknownCount,
        Func::DimPositive,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Func::Selected => "selected",
            Func::CountSelected => "count_selected",
            Func::Answered => "answered",
            Func::IsMissing => "is_missing",
            Func::Coalesce => "coalesce",
            Func::If => "if",
            Func::Today => "today",
            Func::AgeYears => "age_years",
            Func::Length => "length",
            Func::Any => "any",
            Func::Count => "count",
            Func::StrongCount => "strong_count",
            Func::MediumCount => "medium_count",
            Func::WeakCount => "weak_count",
            Func::UnknownCount => "unknown_count",
            Func::DimPositive => "dim_positive",
        }
    }

    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// Number of arguments the function takes.
    pub fn arity(self) -> usize {
        match self {
            Func::Today | Func::StrongCount | Func::MediumCount | Func::WeakCount | Func::UnknownCount => 0,
            Func::CountSelected
            | Func::Answered
            | Func::IsMissing
            | Func::AgeYears
            | Func::Length
            | Func::DimPositive => 1,
            Func::Selected | Func::Coalesce | Func::Any | Func::Count => 2,
            Func::If => 3,
        }
    }

    /// The indicator counts, written as bare names (`strong_count`; `strong_count()` is accepted).
    pub fn is_builtin_count(self) -> bool {
        matches!(self, Func::StrongCount | Func::MediumCount | Func::WeakCount | Func::UnknownCount)
    }

    /// How the function is called, for help texts: `selected(q, 'v')`.
    pub fn signature(self) -> &'static str {
        match self {
            Func::Selected => "selected(q, 'v')",
            Func::CountSelected => "count_selected(q)",
            Func::Answered => "answered(q)",
            Func::IsMissing => "is_missing(q)",
            Func::Coalesce => "coalesce(a, b)",
            Func::If => "if(condition, a, b)",
            Func::Today => "today()",
            Func::AgeYears => "age_years(date)",
            Func::Length => "length(text)",
            Func::Any => "any(repeat, condition)",
            Func::Count => "count(repeat, condition)",
            Func::StrongCount => "strong_count",
            Func::MediumCount => "medium_count",
            Func::WeakCount => "weak_count",
            Func::UnknownCount => "unknown_count",
            Func::DimPositive => "dim_positive('dimension')",
        }
    }
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }

    /// Every question id the expression reads, with the span of each mention, in source order.
    /// Includes the repeat id of `any`/`count`; excludes `.` (see [`Expr::uses_current`]) and the
    /// built-in counts. The caller checks order ("relevant may only look back") and cycles.
    pub fn references(&self) -> Vec<(String, Span)> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let ExprKind::Ref(id) = &e.kind {
                out.push((id.clone(), e.span));
            }
        });
        out
    }

    /// True if `.` appears anywhere.
    pub fn uses_current(&self) -> bool {
        let mut found = false;
        self.walk(&mut |e| found |= matches!(e.kind, ExprKind::Current));
        found
    }

    /// True if the expression reads the fired indicators (`strong_count`, `dim_positive`, …):
    /// such an expression cannot be an indicator's own `when`.
    pub fn uses_indicators(&self) -> bool {
        let mut found = false;
        self.walk(&mut |e| {
            if let ExprKind::Call { func, .. } = &e.kind {
                found |= matches!(func, Func::StrongCount | Func::MediumCount | Func::WeakCount | Func::DimPositive);
            }
        });
        found
    }

    /// Visits every node, parents before children, left to right.
    pub fn walk(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Unary(_, e) => e.walk(f),
            ExprKind::Binary(_, a, b) => {
                a.walk(f);
                b.walk(f);
            }
            ExprKind::Call { args, .. } => args.iter().for_each(|a| a.walk(f)),
            _ => {}
        }
    }
}

/// Prints the expression back in canonical form, fully parenthesised where precedence needs it.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Number(n) => write!(f, "{}", super::format_number(*n)),
            ExprKind::Text(s) if s.contains('\'') => write!(f, "\"{s}\""),
            ExprKind::Text(s) => write!(f, "'{s}'"),
            ExprKind::Bool(b) => write!(f, "{b}"),
            ExprKind::Null => f.write_str("null"),
            ExprKind::Ref(id) => f.write_str(id),
            ExprKind::Current => f.write_str("."),
            ExprKind::Unary(UnOp::Neg, e) => write!(f, "-{}", Paren(e)),
            ExprKind::Unary(UnOp::Not, e) => write!(f, "not {}", Paren(e)),
            ExprKind::Binary(op, a, b) => write!(f, "{} {} {}", Paren(a), op, Paren(b)),
            ExprKind::Call { func, args, .. } => {
                if func.is_builtin_count() {
                    return f.write_str(func.name());
                }
                write!(f, "{}(", func.name())?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
        }
    }
}

struct Paren<'a>(&'a Expr);

impl fmt::Display for Paren<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.kind {
            ExprKind::Binary(..) | ExprKind::Unary(UnOp::Not, _) => write!(f, "({})", self.0),
            _ => write!(f, "{}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_counts_characters() {
        let src = "name = 'Іван' and x";
        let at = src.find(" and").unwrap();
        assert_eq!(Span::new(at, at + 4).column(src), 14);
        assert_eq!(Span::new(0, 1).column(src), 1);
    }

    #[test]
    fn every_function_round_trips_by_name() {
        for f in Func::ALL {
            assert_eq!(Func::from_name(f.name()), Some(f));
        }
        assert_eq!(Func::from_name("sum"), None);
    }
}
