use proptest::prelude::*;

use super::*;

fn known(name: &str) -> Option<String> {
    ["consent", "age", "work", "problems", "notes", "dob"].contains(&name).then(|| name.to_string())
}

fn translate(src: &str) -> String {
    parse(src, &known).unwrap_or_else(|e| panic!("{src}: {e:?}")).to_string()
}

fn fails(src: &str) -> XPathError {
    parse(src, &known).unwrap_err()
}

#[test]
fn common_odk_expressions_translate() {
    let cases = [
        ("${consent} = 'yes'", "consent = 'yes'"),
        (". >= 0 and . <= 120", "(. >= 0) and (. <= 120)"),
        ("${age} < 18 or ${age} > 60", "(age < 18) or (age > 60)"),
        ("selected(${problems}, 'pay')", "selected(problems, 'pay')"),
        ("count-selected(${problems}) >= 2", "count_selected(problems) >= 2"),
        ("if(${age} >= 18, 'adult', 'child')", "if(age >= 18, 'adult', 'child')"),
        ("coalesce(${age}, 0) + 1", "coalesce(age, 0) + 1"),
        ("string-length(.) <= 200", "length(.) <= 200"),
        ("${age} * 2 div 4 mod 3 - -1", "(((age * 2) / 4) mod 3) - -1"),
        ("true() and not(false())", "true and (not false)"),
        ("(${age} + 1) * 2", "(age + 1) * 2"),
        ("${dob} < today()", "dob < today()"),
        ("\"it's\" = ${notes}", "\"it's\" = notes"),
        ("0.5 = .5", "0.5 = 0.5"),
    ];
    for (src, want) in cases {
        assert_eq!(translate(src), want, "{src}");
    }
}

#[test]
fn empty_answers_read_as_odk_reads_them() {
    assert_eq!(translate("${notes} != ''"), "answered(notes)");
    assert_eq!(translate("'' = ${notes}"), "not answered(notes)");
    assert_eq!(translate("string-length(${notes}) > 0"), "answered(notes)");
    assert_eq!(translate("count-selected(${problems}) = 0"), "not answered(problems)");
    // ODK's not() and != are true for an empty answer.
    assert_eq!(
        translate("not(selected(${problems}, 'pay'))"),
        "(not answered(problems)) or (not selected(problems, 'pay'))"
    );
    assert_eq!(translate("${consent} != 'no'"), "(not answered(consent)) or (consent != 'no')");
    assert_eq!(translate("not(${age} > 1 and ${work} = 'x')"), "not coalesce((age > 1) and (work = 'x'), false)");
    assert_eq!(translate("not(${notes} != '')"), "not answered(notes)");
}

#[test]
fn what_cannot_be_read_says_what_to_write() {
    let e = fails("${consent} = 'yes' and /data/age > 3");
    assert_eq!(e.at, 23);
    assert!(e.help.contains("${name}"), "{e:?}");
    let e = fails("regex(., '^[0-9]+$')");
    assert!(e.message.contains("`regex()`"), "{e:?}");
    assert!(e.help.contains("hint"), "{e:?}");
    assert!(fails("concat(${age}, 'x')").help.contains("texts"));
    assert!(fails("position(..) = 1").help.contains("repeat"));
    assert!(fails("jr:choice-name(${work}, '${work}')").help.contains("note"));
    let e = fails("${nobody} = 1");
    assert!(e.message.contains("`nobody`"), "{e:?}");
    assert!(fails("1 < ${age} < 3").message.contains("chain"));
    assert!(fails("${age} = 'x").message.contains("closing quote"));
    assert!(fails("${consent} = ‘yes’").help.contains("straight quotes"));
    assert!(fails("age > 3").help.contains("${age}"));
    assert!(fails("selected(${problems})").message.contains("takes 2"));
    assert!(fails("").message.contains("empty"));
    assert!(fails("${age} > 3 ${age}").help.contains("`and`"));
}

/// Prints a tree as ODK XPath, every operand bracketed: the inverse of `parse_raw`.
fn xpath(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Number(n) => crate::forms::expr::format_number(*n),
        ExprKind::Text(t) => format!("'{t}'"),
        ExprKind::Bool(b) => format!("{b}()"),
        ExprKind::Null => unreachable!("not generated"),
        ExprKind::Ref(id) => format!("${{{id}}}"),
        ExprKind::Current => ".".into(),
        ExprKind::Unary(UnOp::Neg, a) => format!("-({})", xpath(a)),
        ExprKind::Unary(UnOp::Not, a) => format!("not({})", xpath(a)),
        ExprKind::Binary(op, a, b) => {
            let op = match op {
                BinOp::Div => "div".to_string(),
                op => op.symbol().to_string(),
            };
            format!("({}) {op} ({})", xpath(a), xpath(b))
        }
        ExprKind::Call { func, args, .. } => {
            let name = match func {
                Func::CountSelected => "count-selected",
                Func::Length => "string-length",
                f => f.name(),
            };
            let args: Vec<String> = args.iter().map(xpath).collect();
            format!("{name}({})", args.join(", "))
        }
    }
}

/// The tree without its source positions, to compare what two texts mean.
fn bare(e: &Expr) -> Expr {
    let kind = match &e.kind {
        ExprKind::Unary(op, a) => ExprKind::Unary(*op, Box::new(bare(a))),
        ExprKind::Binary(op, a, b) => ExprKind::Binary(*op, Box::new(bare(a)), Box::new(bare(b))),
        ExprKind::Call { func, args, .. } => {
            ExprKind::Call { func: *func, args: args.iter().map(bare).collect(), name_span: Span::default() }
        }
        k => k.clone(),
    };
    Expr::new(kind, Span::default())
}

fn leaf() -> impl Strategy<Value = Expr> {
    let e = |k| Expr::new(k, Span::default());
    prop_oneof![
        (1u32..1000, 0u32..4).prop_map(move |(n, q)| e(ExprKind::Number(f64::from(n) + f64::from(q) / 4.0))),
        "[a-zа-я ]{1,6}".prop_map(move |t| e(ExprKind::Text(t))),
        any::<bool>().prop_map(move |b| e(ExprKind::Bool(b))),
        prop::sample::select(vec!["consent", "age", "work", "problems"])
            .prop_map(move |id| e(ExprKind::Ref(id.into()))),
        Just(e(ExprKind::Current)),
    ]
}

fn tree() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(5, 40, 3, |inner| {
        let e = |k| Expr::new(k, Span::default());
        let call = move |func, args| e(ExprKind::Call { func, args, name_span: Span::default() });
        let ops = vec![
            BinOp::Or,
            BinOp::And,
            BinOp::Eq,
            BinOp::Ne,
            BinOp::Lt,
            BinOp::Le,
            BinOp::Gt,
            BinOp::Ge,
            BinOp::Add,
            BinOp::Sub,
            BinOp::Mul,
            BinOp::Div,
            BinOp::Mod,
        ];
        prop_oneof![
            (prop::sample::select(ops), inner.clone(), inner.clone()).prop_map(move |(op, a, b)| e(ExprKind::Binary(
                op,
                Box::new(a),
                Box::new(b)
            ))),
            inner.clone().prop_map(move |a| e(ExprKind::Unary(UnOp::Not, Box::new(a)))),
            inner.clone().prop_map(move |a| e(ExprKind::Unary(UnOp::Neg, Box::new(a)))),
            (inner.clone(), "[a-z]{1,5}").prop_map(move |(a, v)| call(Func::Selected, vec![a, e(ExprKind::Text(v))])),
            inner.clone().prop_map(move |a| call(Func::CountSelected, vec![a])),
            inner.clone().prop_map(move |a| call(Func::Length, vec![a])),
            (inner.clone(), inner.clone()).prop_map(move |(a, b)| call(Func::Coalesce, vec![a, b])),
            (inner.clone(), inner.clone(), inner).prop_map(move |(a, b, c)| call(Func::If, vec![a, b, c])),
            Just(call(Func::Today, vec![])),
        ]
    })
}

proptest! {
    #[test]
    fn printed_xpath_parses_back_to_the_same_tree(e in tree()) {
        let src = xpath(&e);
        let back = parse_raw(&src, &known).map_err(|err| TestCaseError::fail(format!("{src}: {err:?}")))?;
        prop_assert_eq!(bare(&back), e, "{}", src);
    }
}
