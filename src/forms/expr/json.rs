//! The compact JSON form of the syntax tree that `src/forms/runtime/expr.js` interprets.
//! The format is described in the module docs (`mod.rs`, "JSON form").

use serde_json::{json, Value as Json};

use super::ast::{Expr, ExprKind, Func, UnOp};

impl Expr {
    /// The tree as compact JSON: literals are JSON scalars, everything else is an array whose
    /// first element names the node. Spans are dropped.
    pub fn to_json(&self) -> Json {
        match &self.kind {
            ExprKind::Number(n) => number(*n),
            ExprKind::Text(s) => Json::String(s.clone()),
            ExprKind::Bool(b) => Json::Bool(*b),
            ExprKind::Null => Json::Null,
            ExprKind::Ref(id) => json!(["ref", id]),
            ExprKind::Current => json!(["."]),
            ExprKind::Unary(UnOp::Neg, e) => match e.kind {
                ExprKind::Number(n) => number(-n),
                _ => json!(["neg", e.to_json()]),
            },
            ExprKind::Unary(UnOp::Not, e) => json!(["not", e.to_json()]),
            ExprKind::Binary(op, a, b) => json!([op.symbol(), a.to_json(), b.to_json()]),
            ExprKind::Call { func, args, .. } => {
                let mut out = vec![Json::String(func.name().to_string())];
                for (i, a) in args.iter().enumerate() {
                    match (&a.kind, func, i) {
                        (ExprKind::Ref(r), Func::Any | Func::Count, 0) => out.push(Json::String(r.clone())),
                        _ => out.push(a.to_json()),
                    }
                }
                Json::Array(out)
            }
        }
    }
}

/// Whole numbers as JSON integers (`14`, not `14.0`), others as floats.
fn number(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        json!(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number)
    }
}

#[cfg(test)]
mod tests {
    use crate::forms::expr::parse;
    use serde_json::json;

    fn j(src: &str) -> serde_json::Value {
        parse(src).unwrap().to_json()
    }

    #[test]
    fn shapes() {
        assert_eq!(j("owes_debt = 'yes'"), json!(["=", ["ref", "owes_debt"], "yes"]));
        assert_eq!(j(". >= 0.5"), json!([">=", ["."], 0.5]));
        assert_eq!(j("-3"), json!(-3));
        assert_eq!(j("-age"), json!(["neg", ["ref", "age"]]));
        assert_eq!(j("not true or null"), json!(["or", ["not", true], null]));
        assert_eq!(j("a mod 2"), json!(["mod", ["ref", "a"], 2]));
        assert_eq!(j("selected(docs, 'passport')"), json!(["selected", ["ref", "docs"], "passport"]));
        assert_eq!(j("any(jobs, paid = 'no')"), json!(["any", "jobs", ["=", ["ref", "paid"], "no"]]));
        assert_eq!(j("strong_count >= 1"), json!([">=", ["strong_count"], 1]));
        assert_eq!(j("strong_count() >= 1"), json!([">=", ["strong_count"], 1]));
        assert_eq!(j("dim_positive('x')"), json!(["dim_positive", "x"]));
        assert_eq!(j("today()"), json!(["today"]));
    }
}
