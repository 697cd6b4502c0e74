//! Recursive-descent parser. Precedence, low to high:
//!
//! ```text
//! expr    := or
//! or      := and ( "or" and )*
//! and     := not ( "and" not )*
//! not     := "not" not | cmp
//! cmp     := add ( ( "=" | "!=" | "<" | "<=" | ">" | ">=" ) add )?      -- does not chain
//! add     := mul ( ( "+" | "-" ) mul )*
//! mul     := unary ( ( "*" | "/" | "mod" ) unary )*
//! unary   := "-" unary | primary
//! primary := NUMBER | STRING | "true" | "false" | "null" | "." | "(" expr ")"
//!          | BUILTIN [ "(" ")" ] | IDENT "(" [ expr ( "," expr )* ] ")" | IDENT
//! ```

use super::ast::{BinOp, Expr, ExprKind, Func, Span, UnOp};
use super::lexer::{tokenize, Tok, Token};
use super::{known_functions, suggest, ExprError, MAX_DEPTH, MAX_LEN};

/// Parses one expression. The only error is the first one found.
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    if src.len() > MAX_LEN {
        return Err(ExprError::new(
            Span::new(MAX_LEN, src.len()),
            format!("this expression is too long ({} bytes; the limit is {MAX_LEN})", src.len()),
        )
        .with_help("split it into calculate questions"));
    }
    let tokens = tokenize(src)?;
    let mut p = Parser { src, tokens, pos: 0, depth: 0 };
    if p.peek() == &Tok::Eof {
        return Err(ExprError::new(Span::new(0, src.len()), "the expression is empty"));
    }
    let e = p.expr()?;
    let t = p.next();
    if t.tok != Tok::Eof {
        let help = match t.tok {
            Tok::Eq | Tok::Ne | Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge => {
                "comparisons do not chain: write `a < b and b < c`"
            }
            Tok::RParen => "this `)` has no matching `(`",
            _ => "join conditions with `and` or `or`",
        };
        return Err(ExprError::new(t.span, format!("unexpected {} here", t.tok.describe())).with_help(help));
    }
    Ok(e)
}

struct Parser<'s> {
    src: &'s str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.tokens[self.pos].tok
    }

    fn peek_at(&self, n: usize) -> &Tok {
        &self.tokens[(self.pos + n).min(self.tokens.len() - 1)].tok
    }

    fn next(&mut self) -> Token {
        let t = self.tokens[self.pos].clone();
        if self.pos + 1 < self.tokens.len() {
            self.pos += 1;
        }
        t
    }

    fn enter(&mut self, span: Span) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError::new(span, format!("this expression nests deeper than {MAX_DEPTH} levels"))
                .with_help("split it into calculate questions"));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, ExprError> {
        let span = self.tokens[self.pos].span;
        self.enter(span)?;
        let e = self.or();
        self.depth -= 1;
        e
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.and()?;
        while self.peek() == &Tok::Or {
            self.next();
            let right = self.and()?;
            left = binary(BinOp::Or, left, right);
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.not()?;
        while self.peek() == &Tok::And {
            self.next();
            let right = self.not()?;
            left = binary(BinOp::And, left, right);
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, ExprError> {
        if self.peek() == &Tok::Not {
            let t = self.next();
            self.enter(t.span)?;
            let inner = self.not();
            self.depth -= 1;
            let inner = inner?;
            let span = t.span.to(inner.span);
            return Ok(Expr::new(ExprKind::Unary(UnOp::Not, Box::new(inner)), span));
        }
        self.cmp()
    }

    fn cmp(&mut self) -> Result<Expr, ExprError> {
        let left = self.add()?;
        let op = match self.peek() {
            Tok::Eq => BinOp::Eq,
            Tok::Ne => BinOp::Ne,
            Tok::Lt => BinOp::Lt,
            Tok::Le => BinOp::Le,
            Tok::Gt => BinOp::Gt,
            Tok::Ge => BinOp::Ge,
            _ => return Ok(left),
        };
        self.next();
        let right = self.add()?;
        Ok(binary(op, left, right))
    }

    fn add(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.mul()?;
        loop {
            let op = match self.peek() {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                _ => return Ok(left),
            };
            self.next();
            let right = self.mul()?;
            left = binary(op, left, right);
        }
    }

    fn mul(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Star => BinOp::Mul,
                Tok::Slash => BinOp::Div,
                Tok::Mod => BinOp::Mod,
                _ => return Ok(left),
            };
            self.next();
            let right = self.unary()?;
            left = binary(op, left, right);
        }
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        if self.peek() == &Tok::Minus {
            let t = self.next();
            self.enter(t.span)?;
            let inner = self.unary();
            self.depth -= 1;
            let inner = inner?;
            let span = t.span.to(inner.span);
            return Ok(Expr::new(ExprKind::Unary(UnOp::Neg, Box::new(inner)), span));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        let t = self.next();
        let span = t.span;
        let kind = match t.tok {
            Tok::Number(n) => ExprKind::Number(n),
            Tok::Str(s) => ExprKind::Text(s),
            Tok::True => ExprKind::Bool(true),
            Tok::False => ExprKind::Bool(false),
            Tok::Null => ExprKind::Null,
            Tok::Dot => ExprKind::Current,
            Tok::LParen => return self.parenthesized(span),
            Tok::Ident(name) => return self.named(name, span),
            Tok::Eof => {
                return Err(ExprError::new(span, "the expression ends too early")
                    .with_help("something is missing after the last operator"))
            }
            other => return Err(unexpected_token(&other, span)),
        };
        Ok(Expr::new(kind, span))
    }

    /// Parses `( expr )`; the `(` at `open` has been read. The result spans the parentheses.
    fn parenthesized(&mut self, open: Span) -> Result<Expr, ExprError> {
        let inner = self.expr()?;
        let close = self.next();
        if close.tok != Tok::RParen {
            return Err(ExprError::new(close.span, format!("expected `)` but found {}", close.tok.describe()))
                .with_help(format!("the `(` at column {} is not closed", open.column(self.src))));
        }
        Ok(Expr::new(inner.kind, open.to(close.span)))
    }

    /// Parses what follows the name `name` at `span`: a built-in count, a function call or a
    /// question id.
    fn named(&mut self, name: String, span: Span) -> Result<Expr, ExprError> {
        let is_call = self.peek() == &Tok::LParen;
        match Func::from_name(&name) {
            Some(func) if func.is_builtin_count() => self.builtin_count(func, &name, span, is_call),
            Some(func) if is_call => self.call(func, span),
            None if is_call => Err(unknown_function(&name, span)),
            _ => Ok(Expr::new(ExprKind::Ref(name), span)),
        }
    }

    /// Parses a built-in count such as `strong_count`, written with or without an empty `()`.
    fn builtin_count(&mut self, func: Func, name: &str, span: Span, is_call: bool) -> Result<Expr, ExprError> {
        let mut full = span;
        if is_call {
            self.next();
            let close = self.next();
            if close.tok != Tok::RParen {
                return Err(ExprError::new(close.span, format!("{name} takes no arguments"))
                    .with_help(format!("write `{name}` on its own")));
            }
            full = span.to(close.span);
        }
        let kind = ExprKind::Call { func, args: Vec::new(), name_span: span };
        Ok(Expr::new(kind, full))
    }

    /// Parses the arguments of `func(`; the name has been read and `(` is next.
    fn call(&mut self, func: Func, name_span: Span) -> Result<Expr, ExprError> {
        let open = self.next();
        self.enter(open.span)?;
        let mut args = Vec::new();
        let close = if self.peek() == &Tok::RParen {
            self.next()
        } else {
            loop {
                if matches!(func, Func::Any | Func::Count) && args.is_empty() {
                    args.push(self.repeat_id(func)?);
                } else {
                    args.push(self.expr()?);
                }
                let t = self.next();
                match t.tok {
                    Tok::Comma => continue,
                    Tok::RParen => break t,
                    other => {
                        return Err(ExprError::new(
                            t.span,
                            format!("expected `,` or `)` but found {}", other.describe()),
                        )
                        .with_help(format!(
                            "{} is called as {}",
                            func.name(),
                            func.signature()
                        )))
                    }
                }
            }
        };
        self.depth -= 1;
        let span = name_span.to(close.span);
        if args.len() != func.arity() {
            let n = func.arity();
            let want = match n {
                0 => "no arguments".to_string(),
                1 => "1 argument".to_string(),
                n => format!("{n} arguments"),
            };
            return Err(ExprError::new(
                span,
                format!("{}() takes {want}, but {} given", func.name(), given(args.len())),
            )
            .with_help(format!("write {}", func.signature())));
        }
        Ok(Expr::new(ExprKind::Call { func, args, name_span }, span))
    }

    /// The first argument of `any`/`count`: a bare repeat section id.
    fn repeat_id(&mut self, func: Func) -> Result<Expr, ExprError> {
        let is_id = matches!(self.peek(), Tok::Ident(_)) && matches!(self.peek_at(1), Tok::Comma | Tok::RParen);
        if is_id {
            let t = self.next();
            if let Tok::Ident(id) = t.tok {
                return Ok(Expr::new(ExprKind::Ref(id), t.span));
            }
        }
        let span = self.tokens[self.pos].span;
        Err(ExprError::new(span, format!("the first argument of {}() must be a repeat section id", func.name()))
            .with_help(format!("write {}", func.signature())))
    }
}

/// The error for a call of a function that does not exist, listing the ones that do.
fn unknown_function(name: &str, span: Span) -> ExprError {
    let mut err = ExprError::new(span, format!("unknown function `{name}`"));
    err.help = Some(match suggest(name, Func::ALL.iter().map(|f| f.name())) {
        Some(s) => format!("did you mean `{s}`? The functions are: {}", known_functions()),
        None => format!("the functions are: {}", known_functions()),
    });
    err
}

/// The error for a token where a value was expected.
fn unexpected_token(tok: &Tok, span: Span) -> ExprError {
    let help = match tok {
        Tok::RParen => "remove this `)` or add what should come before it",
        Tok::Comma => "a `,` separates the arguments of a function call",
        Tok::Eq | Tok::Ne | Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge => "a comparison needs a value on both sides",
        _ => "a value, a question id, `.` or `(` was expected here",
    };
    ExprError::new(span, format!("unexpected {}", tok.describe())).with_help(help)
}

fn given(n: usize) -> String {
    match n {
        0 => "none was".to_string(),
        1 => "1 was".to_string(),
        n => format!("{n} were"),
    }
}

fn binary(op: BinOp, left: Expr, right: Expr) -> Expr {
    let span = left.span.to(right.span);
    Expr::new(ExprKind::Binary(op, Box::new(left), Box::new(right)), span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(src: &str) -> Expr {
        parse(src).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    fn err(src: &str) -> ExprError {
        parse(src).unwrap_err()
    }

    /// The canonical form shows how the parser grouped things.
    fn shape(src: &str) -> String {
        p(src).to_string()
    }

    #[test]
    fn precedence() {
        assert_eq!(shape("a or b and c"), "a or (b and c)");
        assert_eq!(shape("a and b or c"), "(a and b) or c");
        assert_eq!(shape("not a = 1 and b"), "(not (a = 1)) and b");
        assert_eq!(shape("not not a"), "not (not a)");
        assert_eq!(shape("a + b * c = d"), "(a + (b * c)) = d");
        assert_eq!(shape("a - b - c"), "(a - b) - c");
        assert_eq!(shape("a / b mod c"), "(a / b) mod c");
        assert_eq!(shape("-a * b"), "-a * b");
        assert_eq!(p("-a * b").to_string(), "-a * b");
        assert!(matches!(p("-a * b").kind, ExprKind::Binary(BinOp::Mul, _, _)));
        assert_eq!(shape("(a + b) * c"), "(a + b) * c");
        assert_eq!(shape("- - 1"), "--1");
    }

    #[test]
    fn spans_of_nodes() {
        let e = p("age >= 14 and owes_debt = 'yes'");
        assert_eq!(e.span, Span::new(0, 31));
        let ExprKind::Binary(BinOp::And, l, r) = &e.kind else { panic!() };
        assert_eq!(l.span, Span::new(0, 9));
        assert_eq!(r.span, Span::new(14, 31));
        let ExprKind::Binary(_, id, lit) = &r.kind else { panic!() };
        assert_eq!((id.span, lit.span), (Span::new(14, 23), Span::new(26, 31)));
        // Parentheses widen the span of what they enclose.
        assert_eq!(p(" (a) ").span, Span::new(1, 4));
        let e = p("selected(docs, 'x')");
        let ExprKind::Call { name_span, args, .. } = &e.kind else { panic!() };
        assert_eq!((e.span, *name_span, args[1].span), (Span::new(0, 19), Span::new(0, 8), Span::new(15, 18)));
        assert_eq!(p("strong_count()").span, Span::new(0, 14));
        assert_eq!(p("not x").span, Span::new(0, 5));
    }

    #[test]
    fn builtins_with_or_without_parentheses() {
        assert_eq!(
            p("strong_count"),
            Expr::new(
                ExprKind::Call { func: Func::StrongCount, args: vec![], name_span: Span::new(0, 12) },
                Span::new(0, 12)
            )
        );
        assert!(matches!(p("unknown_count()").kind, ExprKind::Call { func: Func::UnknownCount, .. }));
        let e = err("strong_count(1)");
        assert_eq!(e.span.start, 13);
        // A function name without ( is a reference (the checker says "write today()").
        assert_eq!(p("today").kind, ExprKind::Ref("today".into()));
    }

    #[test]
    fn comparisons_do_not_chain() {
        let e = err("1 < a < 3");
        assert_eq!(e.span, Span::new(6, 7));
        assert!(e.help.unwrap().contains("and"));
    }

    #[test]
    fn unknown_function_lists_the_known_ones() {
        let e = err("sum(a, b)");
        assert_eq!(e.span, Span::new(0, 3));
        assert_eq!(e.message, "unknown function `sum`");
        assert!(e.help.as_ref().unwrap().contains("selected(q, 'v')"));
        let e = err("selcted(q, 'v')");
        assert!(e.help.unwrap().starts_with("did you mean `selected`?"));
    }

    #[test]
    fn arity_and_argument_shape() {
        let e = err("selected(q)");
        assert_eq!(e.span, Span::new(0, 11));
        assert!(e.message.contains("takes 2 arguments, but 1 was given"));
        assert!(err("today(1)").message.contains("takes no arguments"));
        assert!(err("if(a, b)").message.contains("3 arguments"));
        let e = err("any(., true)");
        assert_eq!(e.span.start, 4);
        assert!(e.message.contains("repeat section id"));
        assert!(err("count(jobs + 1, true)").message.contains("repeat section id"));
        let e = err("coalesce(a b)");
        assert_eq!(e.span.start, 11);
    }

    #[test]
    fn error_positions() {
        assert_eq!(err("").message, "the expression is empty");
        assert_eq!(err("   ").message, "the expression is empty");
        let e = err("a = ");
        assert_eq!(e.span.start, 4);
        assert!(e.message.contains("ends too early"));
        let e = err("(a = 1");
        assert_eq!(e.span.start, 6);
        assert!(e.help.unwrap().contains("column 1"));
        let e = err("a = 1)");
        assert_eq!(e.span.start, 5);
        let e = err("a b");
        assert_eq!(e.span.start, 2);
        assert_eq!(err("a = = 1").span.start, 4);
        assert_eq!(err("1.").span.start, 1);
        assert_eq!(err("f(,)").span.start, 0);
        assert_eq!(err("and").span.start, 0);
    }

    #[test]
    fn limits() {
        let deep = format!("{}1{}", "(".repeat(40), ")".repeat(40));
        assert!(err(&deep).message.contains("nests deeper"));
        let ok = format!("{}1{}", "(".repeat(20), ")".repeat(20));
        assert!(parse(&ok).is_ok());
        assert!(err(&"not ".repeat(50)).message.contains("nests deeper"));
        assert!(err(&"-".repeat(50)).message.contains("nests deeper"));
        let long = format!("a = '{}'", "x".repeat(MAX_LEN));
        assert!(err(&long).message.contains("too long"));
    }

    #[test]
    fn literals() {
        assert_eq!(p("0.25").kind, ExprKind::Number(0.25));
        assert_eq!(p("\"it's\"").kind, ExprKind::Text("it's".into()));
        assert_eq!(p("null").kind, ExprKind::Null);
        assert_eq!(p("false").kind, ExprKind::Bool(false));
        assert_eq!(p(".").kind, ExprKind::Current);
    }
}
