//! The XPath that XLSForm cells hold (`relevant`, `constraint`, `calculation`), parsed into the
//! form expression language's tree. Only the subset ODK and Kobo forms commonly use is read:
//! `${q}`, `.`, literals, `and`/`or`/`not()`, comparisons, arithmetic (`div`, `mod`), and the
//! functions that have an equivalent here. Anything else is an error that says what to write.
//!
//! ODK reads an empty answer as `''`, and every comparison as true or false; here an empty answer
//! is `null` and a comparison with it is `null`. So an empty-text test becomes `answered()`, and
//! `not()` and `!=` over an answer that may be empty are written so that they still hold when it
//! is (see [`odk_truth`]): the imported logic shows and hides the same questions as in ODK.

use self::lexer::{tokenize, Tok};
use crate::forms::expr::{BinOp, Expr, ExprKind, Func, Span, UnOp};

mod lexer;

/// Why a cell's XPath cannot be read; `at` is a byte offset into the cell's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XPathError {
    pub at: usize,
    pub message: String,
    pub help: String,
}

impl XPathError {
    fn new(at: usize, message: impl Into<String>, help: impl Into<String>) -> Self {
        XPathError { at, message: message.into(), help: help.into() }
    }
}

fn path_error(at: usize) -> XPathError {
    XPathError::new(
        at,
        "XPath paths, predicates and unions are not supported",
        "refer to a question as ${name}, and to the current one as `.`",
    )
}

/// Parses a cell's XPath. `resolve` turns a question name of the sheet into its id here, or
/// `None` for a name the form does not have.
pub fn parse(src: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Result<Expr, XPathError> {
    parse_raw(src, resolve).map(odk_truth)
}

/// [`parse`] without [`odk_truth`]: the tree as written.
pub fn parse_raw(src: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Result<Expr, XPathError> {
    let tokens = tokenize(src)?;
    let mut p = Parser { tokens, pos: 0, resolve, depth: 0 };
    if p.peek() == &Tok::Eof {
        return Err(XPathError::new(0, "the expression is empty", "write a condition or remove the cell"));
    }
    let e = p.or()?;
    match p.peek() {
        Tok::Eof => Ok(e),
        t => Err(XPathError::new(
            p.at(),
            format!("unexpected {} here", describe(t)),
            "join conditions with `and` or `or`",
        )),
    }
}

struct Parser<'r> {
    tokens: Vec<(Tok, usize)>,
    pos: usize,
    resolve: &'r dyn Fn(&str) -> Option<String>,
    depth: usize,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Number(n) => format!("number {n}"),
        Tok::Str(s) => format!("text '{s}'"),
        Tok::Var(v) => format!("${{{v}}}"),
        Tok::Name(n) => format!("`{n}`"),
        Tok::Dot => "`.`".into(),
        Tok::Child(n) => format!("`./{n}`"),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Op(o) => format!("`{o}`"),
        Tok::Eof => "the end of the expression".into(),
    }
}

fn node(kind: ExprKind, at: usize, end: usize) -> Expr {
    Expr::new(kind, Span::new(at, end))
}

fn binary(op: BinOp, a: Expr, b: Expr) -> Expr {
    let span = a.span.to(b.span);
    Expr::new(ExprKind::Binary(op, Box::new(a), Box::new(b)), span)
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.tokens[self.pos].0
    }

    fn at(&self) -> usize {
        self.tokens[self.pos].1
    }

    fn next(&mut self) -> (Tok, usize) {
        let t = self.tokens[self.pos].clone();
        if self.pos + 1 < self.tokens.len() {
            self.pos += 1;
        }
        t
    }

    /// The operator word or symbol at the cursor, if it is one of `ops`.
    fn op(&self, ops: &[&'static str]) -> Option<&'static str> {
        let word = match self.peek() {
            Tok::Op(o) => *o,
            Tok::Name(n) => ["and", "or", "div", "mod"].into_iter().find(|w| w == n)?,
            _ => return None,
        };
        ops.iter().copied().find(|o| *o == word)
    }

    fn or(&mut self) -> Result<Expr, XPathError> {
        self.depth += 1;
        if self.depth > crate::forms::expr::MAX_DEPTH {
            return Err(XPathError::new(self.at(), "this expression nests too deeply", "split it into calculate rows"));
        }
        let mut left = self.and()?;
        while self.op(&["or"]).is_some() {
            self.next();
            left = binary(BinOp::Or, left, self.and()?);
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.cmp()?;
        while self.op(&["and"]).is_some() {
            self.next();
            left = binary(BinOp::And, left, self.cmp()?);
        }
        Ok(left)
    }

    /// XPath lets comparisons chain (`a < b = c`); the expression language does not, and forms
    /// never mean it, so a second comparison is an error.
    fn cmp(&mut self) -> Result<Expr, XPathError> {
        const CMP: [&str; 6] = ["=", "!=", "<", "<=", ">", ">="];
        let left = self.add()?;
        let Some(op) = self.op(&CMP) else { return Ok(left) };
        self.next();
        let right = self.add()?;
        if self.op(&CMP).is_some() {
            return Err(XPathError::new(self.at(), "comparisons do not chain here", "write `a < b and b < c`"));
        }
        let op = match op {
            "=" => BinOp::Eq,
            "!=" => BinOp::Ne,
            "<" => BinOp::Lt,
            "<=" => BinOp::Le,
            ">" => BinOp::Gt,
            _ => BinOp::Ge,
        };
        Ok(empty_test(op, left, right))
    }

    fn add(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.mul()?;
        while let Some(op) = self.op(&["+", "-"]) {
            self.next();
            let op = if op == "+" { BinOp::Add } else { BinOp::Sub };
            left = binary(op, left, self.mul()?);
        }
        Ok(left)
    }

    fn mul(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.unary()?;
        while let Some(op) = self.op(&["*", "div", "mod"]) {
            self.next();
            let op = match op {
                "*" => BinOp::Mul,
                "div" => BinOp::Div,
                _ => BinOp::Mod,
            };
            left = binary(op, left, self.unary()?);
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, XPathError> {
        if self.op(&["-"]).is_some() {
            let (_, at) = self.next();
            let inner = self.unary()?;
            let end = inner.span.end;
            return Ok(node(ExprKind::Unary(UnOp::Neg, Box::new(inner)), at, end));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, XPathError> {
        let (tok, at) = self.next();
        let end = self.at();
        let kind = match tok {
            Tok::Number(n) => ExprKind::Number(n),
            Tok::Str(s) => ExprKind::Text(s),
            Tok::Dot => ExprKind::Current,
            Tok::Child(name) => ExprKind::Ref((self.resolve)(&name).unwrap_or(name)),
            Tok::Var(_) if self.peek() == &Tok::Op("[") => return Err(path_error(at)),
            Tok::Var(name) => match (self.resolve)(&name) {
                Some(id) => ExprKind::Ref(id),
                None => {
                    return Err(XPathError::new(
                        at,
                        format!("no question is named `{name}`"),
                        "check the spelling against the name column of the survey sheet",
                    ))
                }
            },
            Tok::LParen => {
                let inner = self.or()?;
                let (close, close_at) = self.next();
                if close != Tok::RParen {
                    return Err(XPathError::new(
                        close_at,
                        format!("expected `)` but found {}", describe(&close)),
                        "close the bracket",
                    ));
                }
                return Ok(Expr::new(inner.kind, Span::new(at, close_at + 1)));
            }
            Tok::Name(name) if name == "count" && self.peek() == &Tok::LParen => return self.count(at),
            Tok::Name(name) if self.peek() == &Tok::LParen => return self.call(&name, at),
            Tok::Op("..") => return Err(path_error(at)),
            Tok::Name(name) => {
                return Err(XPathError::new(
                    at,
                    format!("`{name}` is an XPath path, not a question reference"),
                    format!("write ${{{name}}}"),
                ))
            }
            t => {
                return Err(XPathError::new(
                    at,
                    format!("unexpected {}", describe(&t)),
                    "a value, ${name}, `.` or `(` was expected here",
                ))
            }
        };
        Ok(node(kind, at, end))
    }

    /// `count(${repeat}[condition])`: how many entries of a repeat meet the condition.
    fn count(&mut self, at: usize) -> Result<Expr, XPathError> {
        self.next();
        let (repeat, repeat_at) = match self.next() {
            (Tok::Var(name), pos) if self.peek() == &Tok::Op("[") => ((self.resolve)(&name).unwrap_or(name), pos),
            _ => return Err(unsupported_function("count", at)),
        };
        self.next();
        let condition = self.or()?;
        for want in [Tok::Op("]"), Tok::RParen] {
            let (t, pos) = self.next();
            if t != want {
                let message = format!("expected {} but found {}", describe(&want), describe(&t));
                return Err(XPathError::new(pos, message, "write count(${repeat}[condition])"));
            }
        }
        let end = self.tokens[self.pos.saturating_sub(1)].1 + 1;
        let repeat = node(ExprKind::Ref(repeat), repeat_at, repeat_at);
        let kind =
            ExprKind::Call { func: Func::Count, args: vec![repeat, condition], name_span: Span::new(at, at + 5) };
        Ok(Expr::new(kind, Span::new(at, end)))
    }

    fn call(&mut self, name: &str, at: usize) -> Result<Expr, XPathError> {
        let func = match name {
            "true" | "false" | "not" => None,
            "selected" => Some(Func::Selected),
            "count-selected" => Some(Func::CountSelected),
            "if" => Some(Func::If),
            "coalesce" => Some(Func::Coalesce),
            "string-length" => Some(Func::Length),
            "today" => Some(Func::Today),
            other => return Err(unsupported_function(other, at)),
        };
        self.next();
        let mut args = Vec::new();
        if self.peek() == &Tok::RParen {
            self.next();
        } else {
            loop {
                args.push(self.or()?);
                match self.next() {
                    (Tok::Comma, _) => continue,
                    (Tok::RParen, _) => break,
                    (t, pos) => {
                        return Err(XPathError::new(
                            pos,
                            format!("expected `,` or `)` but found {}", describe(&t)),
                            "close the call with `)`",
                        ))
                    }
                }
            }
        }
        let end = self.tokens[self.pos.saturating_sub(1)].1 + 1;
        let span = Span::new(at, end);
        let func = match (func, name) {
            (Some(f), _) => f,
            (None, "not") if args.len() == 1 => {
                let inner = args.remove(0);
                return Ok(Expr::new(ExprKind::Unary(UnOp::Not, Box::new(inner)), span));
            }
            (None, "true" | "false") if args.is_empty() => return Ok(Expr::new(ExprKind::Bool(name == "true"), span)),
            (None, other) => return Err(unsupported_function(other, at)),
        };
        if args.len() != func.arity() {
            return Err(XPathError::new(
                at,
                format!("{name}() takes {} argument(s), but {} given", func.arity(), args.len()),
                format!("write it as ODK does: {}", odk_signature(func)),
            ));
        }
        Ok(Expr::new(ExprKind::Call { func, args, name_span: Span::new(at, at + name.len()) }, span))
    }
}

fn odk_signature(func: Func) -> &'static str {
    match func {
        Func::Selected => "selected(${q}, 'value')",
        Func::CountSelected => "count-selected(${q})",
        Func::If => "if(condition, a, b)",
        Func::Coalesce => "coalesce(a, b)",
        Func::Length => "string-length(${q})",
        _ => "today()",
    }
}

/// What to do instead of an XPath function the expression language does not have.
fn unsupported_function(name: &str, at: usize) -> XPathError {
    let help = match name {
        "not" | "true" | "false" => "write not(condition), true() or false()",
        "regex" => {
            "there is no pattern matching: state the expected format in the hint, or use an integer or date question"
        }
        "concat" | "substr" | "substring-before" | "substring-after" | "translate" | "join" => {
            "calculations cannot build texts: show the parts in a label or note instead"
        }
        "int" | "round" | "number" | "string" | "boolean" | "floor" | "ceiling" | "abs" => {
            "there are no conversions: compare the answer as it is, or use an integer question"
        }
        "sum" | "count" | "max" | "min" | "position" | "indexed-repeat" => {
            "repeats are not imported: turn the repeat into a section, then use `any` or `count` in the form file"
        }
        "jr:choice-name" | "jr:itext" => "labels of choices cannot be computed: show them in a note instead",
        "now" | "once" | "uuid" | "random" | "pulldata" | "instance" | "format-date" | "date" | "decimal-date-time" => {
            "this value has no equivalent here: remove the row or the expression"
        }
        "selected-at" | "contains" | "starts-with" | "ends-with" => "use selected(${q}, 'value') to test a choice",
        _ => "the functions read are selected, count-selected, if, coalesce, string-length, today, not, true and false",
    };
    XPathError::new(at, format!("the function `{name}()` has no equivalent in Oberih's expression language"), help)
}

/// `${q} = ''` and `${q} != ''` (and `string-length(${q}) = 0`, `count-selected(${q}) = 0`…):
/// ODK's tests for an empty answer, which here are `answered(q)`.
fn empty_test(op: BinOp, left: Expr, right: Expr) -> Expr {
    let span = left.span.to(right.span);
    let is_empty = |e: &Expr| matches!(&e.kind, ExprKind::Text(t) if t.is_empty());
    let is_zero = |e: &Expr| matches!(e.kind, ExprKind::Number(n) if n == 0.0);
    let answer = |e: &Expr| matches!(e.kind, ExprKind::Ref(_) | ExprKind::Current);
    let counted = |e: &Expr| match &e.kind {
        ExprKind::Call { func: Func::Length | Func::CountSelected, args, .. } if answer(&args[0]) => {
            Some(args[0].clone())
        }
        _ => None,
    };
    let tested = match (&op, &left, &right) {
        (BinOp::Eq | BinOp::Ne, a, b) if answer(a) && is_empty(b) => Some(a.clone()),
        (BinOp::Eq | BinOp::Ne, a, b) if is_empty(a) && answer(b) => Some(b.clone()),
        (BinOp::Eq | BinOp::Ne | BinOp::Gt, a, b) if is_zero(b) => counted(a),
        _ => None,
    };
    let Some(x) = tested else { return binary(op, left, right) };
    let answered = Expr::new(ExprKind::Call { func: Func::Answered, args: vec![x], name_span: span }, span);
    match op {
        BinOp::Eq => Expr::new(ExprKind::Unary(UnOp::Not, Box::new(answered)), span),
        _ => answered,
    }
}

/// Whether the expression can be `null` here where ODK would read `''` or `false`.
fn may_be_null(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Ref(_) | ExprKind::Current | ExprKind::Null => true,
        ExprKind::Number(_) | ExprKind::Text(_) | ExprKind::Bool(_) => false,
        ExprKind::Unary(_, a) => may_be_null(a),
        ExprKind::Binary(op, a, b) if op.is_arithmetic() || op.is_comparison() => may_be_null(a) || may_be_null(b),
        ExprKind::Binary(_, a, b) => may_be_null(a) || may_be_null(b),
        ExprKind::Call { func: Func::Answered | Func::Today, .. } => false,
        ExprKind::Call { func: Func::Coalesce, args, .. } => args.iter().all(may_be_null),
        ExprKind::Call { func: Func::If, args, .. } => args[1..].iter().any(may_be_null),
        ExprKind::Call { args, .. } => args.iter().any(may_be_null),
    }
}

/// The one answer a test reads, when it reads exactly one against literals: `${q} = 'v'`,
/// `selected(${q}, 'v')`, `${q} > 3`.
fn single_answer(e: &Expr) -> Option<&Expr> {
    let lit = |e: &Expr| matches!(e.kind, ExprKind::Number(_) | ExprKind::Text(_));
    let answer = |e: &Expr| matches!(e.kind, ExprKind::Ref(_) | ExprKind::Current);
    match &e.kind {
        ExprKind::Binary(op, a, b) if op.is_comparison() && answer(a) && lit(b) => Some(a),
        ExprKind::Binary(op, a, b) if op.is_comparison() && lit(a) && answer(b) => Some(b),
        ExprKind::Call { func: Func::Selected, args, .. } if answer(&args[0]) && lit(&args[1]) => Some(&args[0]),
        _ => None,
    }
}

/// Rewrites `not(e)` and `x != v` so that an empty answer gives what ODK gives: ODK's
/// `not(selected(${q}, 'a'))` is true when q is empty, so it becomes
/// `not answered(q) or not selected(q, 'a')`; a `not()` of anything else that may be empty
/// becomes `not coalesce(e, false)`.
pub fn odk_truth(e: Expr) -> Expr {
    let span = e.span;
    let call = |func, args| Expr::new(ExprKind::Call { func, args, name_span: span }, span);
    let unanswered =
        |x: &Expr| Expr::new(ExprKind::Unary(UnOp::Not, Box::new(call(Func::Answered, vec![x.clone()]))), span);
    match e.kind {
        ExprKind::Unary(UnOp::Not, inner) => {
            let inner = odk_truth(*inner);
            if let Some(x) = single_answer(&inner) {
                let not = Expr::new(ExprKind::Unary(UnOp::Not, Box::new(inner.clone())), span);
                return binary(BinOp::Or, unanswered(x), not);
            }
            let inner = if may_be_null(&inner) {
                call(Func::Coalesce, vec![inner, Expr::new(ExprKind::Bool(false), span)])
            } else {
                inner
            };
            Expr::new(ExprKind::Unary(UnOp::Not, Box::new(inner)), span)
        }
        ExprKind::Binary(BinOp::Ne, a, b) => {
            let ne = Expr::new(ExprKind::Binary(BinOp::Ne, Box::new(odk_truth(*a)), Box::new(odk_truth(*b))), span);
            match single_answer(&ne) {
                Some(x) => binary(BinOp::Or, unanswered(x), ne),
                None => ne,
            }
        }
        ExprKind::Unary(op, a) => Expr::new(ExprKind::Unary(op, Box::new(odk_truth(*a))), span),
        ExprKind::Binary(op, a, b) => {
            Expr::new(ExprKind::Binary(op, Box::new(odk_truth(*a)), Box::new(odk_truth(*b))), span)
        }
        ExprKind::Call { func, args, name_span } => {
            Expr::new(ExprKind::Call { func, args: args.into_iter().map(odk_truth).collect(), name_span }, span)
        }
        kind => Expr::new(kind, span),
    }
}

#[cfg(test)]
mod tests;
