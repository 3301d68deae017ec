//! Typed losses: what a teacher may write, what it means, its exact gradient, and an error (never a panic)
//! for everything else.

use proptest::prelude::*;
use steplab_core::expr::{Expr, ExprErrorKind, MAX_DEPTH, MAX_LEN, MAX_NODES};
use steplab_core::{Loss, Point};

fn parse(text: &str) -> Expr {
    Expr::parse(text).unwrap_or_else(|error| panic!("{text:?}: {error}"))
}

fn error(text: &str) -> String {
    match Expr::parse(text) {
        Ok(expr) => panic!("{text:?} parsed as {expr:?}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn canonical_text_drops_spaces_and_needless_parentheses_and_parses_back() {
    let cases = [
        (" x ^ 2 + 3 * y ", "x^2+3*y"),
        ("((x))", "x"),
        ("((x+1))*2", "(x+1)*2"),
        ("-x^2", "-x^2"),
        ("-(x^2)", "-x^2"),
        ("(-x)^2", "(-x)^2"),
        ("2^3^2", "2^3^2"),
        ("2^(3^2)", "2^3^2"),
        ("(2^3)^2", "(2^3)^2"),
        ("(1-2)-3", "1-2-3"),
        ("1-(2-3)", "1-(2-3)"),
        ("1+(2+3)", "1+(2+3)"),
        ("x*(y*2)", "x*(y*2)"),
        ("x/(y/2)", "x/(y/2)"),
        ("(x*y)/2", "x*y/2"),
        ("x*(-y)", "x*-y"),
        ("x - -y", "x--y"),
        ("--x", "--x"),
        ("-(x*y)", "-(x*y)"),
        ("(-x)*y", "-x*y"),
        ("-(x+y)", "-(x+y)"),
        ("2^(-x)", "2^-x"),
        ("2^(-x^2)", "2^-x^2"),
        ("2^(-x)^2", "2^(-x)^2"),
        ("x^(1/2)", "x^(1/2)"),
        ("sin( x )", "sin(x)"),
        ("max( x , (y) )", "max(x,y)"),
        ("min(x+1, -y)", "min(x+1,-y)"),
        ("1E3*x", "1e3*x"),
        (".5*x + 2.*y", ".5*x+2.*y"),
        ("2.5e-3 * x", "2.5e-3*x"),
        ("e^x * pi", "e^x*pi"),
        ("(1 - x)^2 + 100*(y - x^2)^2", "(1-x)^2+100*(y-x^2)^2"),
        ("\u{a0}x\u{3000}+\t1\n", "x+1"),
    ];
    for (input, canonical) in cases {
        let expr = parse(input);
        assert_eq!(expr.text(), canonical, "{input:?}");
        assert_eq!(parse(&expr.text()), expr, "{input:?}");
    }
    assert_eq!(parse("x + 1"), parse("(x)+(1)"));
    assert_ne!(parse("x + 1"), parse("1 + x"));
}

#[test]
fn precedence_and_associativity_follow_the_usual_rules() {
    let cases: [(&str, f64, f64); 17] = [
        ("1-2-3", 0.0, -4.0),
        ("2^3^2", 0.0, 512.0),
        ("-2^2", 0.0, -4.0),
        ("(-2)^2", 0.0, 4.0),
        ("2*3^2", 0.0, 18.0),
        ("8/2/2", 0.0, 2.0),
        ("-x^2", 3.0, -9.0),
        ("2^-1", 0.0, 0.5),
        ("2^-1^2", 0.0, 0.5),
        ("1+2*3", 0.0, 7.0),
        ("(1+2)*3", 0.0, 9.0),
        ("--x", 3.0, 3.0),
        ("x--x", 3.0, 6.0),
        ("-x*-x", 3.0, 9.0),
        ("12/x*2", 3.0, 8.0),
        ("2.5e-3*1e3", 0.0, 2.5),
        ("max(1, 2) - min(1, 2)", 0.0, 1.0),
    ];
    for (text, x, expected) in cases {
        assert_eq!(parse(text).value([x, 0.0]), expected, "{text} at x = {x}");
    }
    assert_eq!(parse("pi").value([0.0; 2]), std::f64::consts::PI);
    assert_eq!(parse("e").value([0.0; 2]), std::f64::consts::E);
    assert_eq!(parse("log(e)").value([0.0; 2]), 1.0);
}

#[test]
fn the_dimension_is_two_exactly_when_y_occurs() {
    for (text, dim) in [("x", 1), ("y", 2), ("x*0*y", 2), ("pi + e", 1), ("exp(x)", 1), ("max(x, y)", 2), ("3", 1)] {
        assert_eq!(parse(text).dim(), dim, "{text}");
    }
    // A 1-D expression ignores the second coordinate and has no slope along it.
    let expr = parse("x^3");
    assert_eq!(expr.value_and_gradient([2.0, 5.0]), (8.0, [12.0, 0.0]));
}

/// Asserts that automatic differentiation agrees with a central difference at `p`.
fn check_gradient(expr: &Expr, p: Point) {
    let (value, gradient) = expr.value_and_gradient(p);
    assert_eq!(value, expr.value(p));
    for axis in 0..2 {
        let h = 1e-5 * (1.0 + p[axis].abs());
        let (mut ahead, mut behind) = (p, p);
        ahead[axis] += h;
        behind[axis] -= h;
        let numeric = (expr.value(ahead) - expr.value(behind)) / (2.0 * h);
        let scale = 1.0 + gradient[axis].abs() + value.abs();
        assert!(
            (numeric - gradient[axis]).abs() <= 1e-6 * scale,
            "{} at {p:?}, axis {axis}: automatic {} vs numeric {numeric}",
            expr.text(),
            gradient[axis]
        );
    }
}

#[test]
fn gradients_match_central_differences_for_every_operation_and_function() {
    // The grid's offsets keep every point well away from the kinks of abs, min and max.
    let one_d = [
        "x^3 - 2*x + 1",
        "sin(x)",
        "cos(2*x)",
        "tan(x/3)",
        "exp(x/2)",
        "log(x^2 + 1)",
        "sqrt(x^2 + 1)",
        "abs(x)",
        "tanh(x)",
        "sinh(x)",
        "cosh(x)",
        "min(x, 0.5)",
        "max(x, -0.5)",
        "2^x",
        "e^-x^2",
        "(x + 3)^x",
        "x^-2",
        "1/(1 + x^2)",
        "x*cos(0.15*pi*x)",
        "-(x - 1)^4/(2 + sin(x))",
    ];
    let two_d = [
        "x*y",
        "x/y",
        "sin(x)*cos(y)",
        "exp(x*y/4)",
        "log(x^2 + y^2 + 1)",
        "sqrt(x^2 + y^2 + 1)",
        "abs(x) + abs(y)",
        "min(x, y)",
        "max(x, 2*y)",
        "(x + 3)^(y/2)",
        "tanh(x - y) + sinh(y)/cosh(x)",
        "tan((x + y)/5)",
        "x^y^2",
        "(1 - x)^2 + 100*(y - x^2)^2",
    ];
    for text in one_d.iter().chain(&two_d) {
        let expr = parse(text);
        for i in 0..13 {
            for j in 0..13 {
                let x = -2.0 + 4.0 * (i as f64 + 0.37) / 13.0;
                let y = -2.0 + 4.0 * (j as f64 + 0.61) / 13.0;
                if text.contains("x^y^2") && x <= 0.0 || text.contains("x^-2") && x.abs() < 0.2 {
                    continue; // off the domain, or where the slope explodes
                }
                check_gradient(&expr, [x, if expr.dim() == 2 { y } else { 0.0 }]);
            }
        }
    }
}

#[test]
fn typed_built_in_losses_match_the_catalogue() {
    let typed = [
        (Loss::Quadratic, "x^2"),
        (Loss::SmoothAbs, "sqrt(1 + x^2) - 1"),
        (Loss::DoubleWell, "x^4 - 3*x^2 + x"),
        (Loss::XCos, "x*cos(0.15*pi*x)"),
        (Loss::Ellipse, "0.1*x^2 + 2*y^2"),
        (Loss::Rosenbrock, "(1 - x)^2 + 100*(y - x^2)^2"),
        (Loss::Saddle, "x^2 - y^2"),
        (Loss::Himmelblau, "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"),
        (Loss::Beale, "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2"),
    ];
    for (loss, text) in typed {
        let expr = parse(text);
        assert_eq!(expr.dim(), loss.dim(), "{text}");
        let view = loss.default_view();
        for i in 0..=10 {
            for j in 0..=10 {
                let x = view.x.0 + (view.x.1 - view.x.0) * (i as f64 + 0.3) / 11.0;
                let y = if loss.dim() == 2 { view.y.0 + (view.y.1 - view.y.0) * (j as f64 + 0.7) / 11.0 } else { 0.0 };
                let (value, gradient) = expr.value_and_gradient([x, y]);
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * (1.0 + b.abs());
                assert!(close(value, loss.value([x, y])), "{text} at ({x}, {y})");
                let reference = loss.gradient([x, y]);
                assert!(close(gradient[0], reference[0]) && close(gradient[1], reference[1]), "{text} at ({x}, {y})");
            }
        }
    }
}

#[test]
fn slopes_at_kinks_and_edges_follow_the_documented_rules() {
    let slope = |text: &str, p: Point| parse(text).value_and_gradient(p).1;
    // A constant exponent needs no logarithm of the base: x² at 0 and below 0.
    assert_eq!(slope("x^2", [0.0, 0.0]), [0.0, 0.0]);
    assert_eq!(slope("x^2", [-3.0, 0.0]), [-6.0, 0.0]);
    assert_eq!(slope("x^3", [-2.0, 0.0]), [12.0, 0.0]);
    assert_eq!(slope("x^0", [0.0, 0.0]), [0.0, 0.0]);
    assert_eq!(slope("x^x", [1.0, 0.0]), [1.0, 0.0]);
    // abs: 0 at 0; min and max: the chosen argument's slope, the first on a tie.
    assert_eq!(slope("abs(x)", [0.0, 0.0]), [0.0, 0.0]);
    assert_eq!(slope("abs(x)", [-1.0, 0.0]), [-1.0, 0.0]);
    assert_eq!(slope("min(x, y)", [1.0, 2.0]), [1.0, 0.0]);
    assert_eq!(slope("min(x, y)", [3.0, 2.0]), [0.0, 1.0]);
    assert_eq!(slope("max(x, y)", [2.0, 2.0]), [1.0, 0.0]);
    // sqrt at 0: an infinite slope, which a run reports as divergence; no NaN along y.
    assert_eq!(slope("sqrt(x) + y", [0.0, 1.0]), [f64::INFINITY, 1.0]);
    // Off the domain: non-finite, and no panic.
    assert!(parse("log(x)").value([-1.0, 0.0]).is_nan());
    assert_eq!(parse("1/x").value([0.0, 0.0]), f64::INFINITY);
    let (value, gradient) = parse("max(x, y)").value_and_gradient([f64::NAN, 0.0]);
    assert!(value.is_nan() && gradient[0] == 1.0, "NaN propagates through max");
}

#[test]
fn errors_say_what_is_wrong_and_where() {
    let cases = [
        ("sin(x))", "unexpected ')' at column 7"),
        ("sine(x)", "unknown function 'sine' at column 1"),
        ("sin(x + 1", "expected ')' at column 10"),
        ("(x, y)", "expected ')' at column 3"),
        ("", "empty expression"),
        (" \t ", "empty expression"),
        ("2x", "'2x': write 2*x at column 2"),
        ("2 x", "'2 x': write 2*x at column 3"),
        ("2sin(x)", "'2sin': write 2*sin at column 2"),
        ("xy", "'xy': write x*y at column 2"),
        ("pix", "'pix': write pi*x at column 3"),
        ("(x)(y)", "')(': write )*( at column 4"),
        ("x(1)", "'x(': write x*( at column 2"),
        ("x + z", "unknown name 'z' at column 5 (use x, or x and y; x1 and x2 also work)"),
        ("nan", "unknown name 'nan' at column 1 (use x, or x and y; x1 and x2 also work)"),
        ("x*inf", "unknown name 'inf' at column 3 (use x, or x and y; x1 and x2 also work)"),
        ("min(x)", "min takes 2 arguments at column 1"),
        ("max(x, y, 1)", "max takes 2 arguments at column 1"),
        ("sin()", "sin takes 1 argument at column 1"),
        ("cos(x, y)", "cos takes 1 argument at column 1"),
        ("sin x", "expected '(' after sin at column 5"),
        ("x^", "expected a value at column 3"),
        ("(", "expected a value at column 2"),
        ("()", "unexpected ')' at column 2"),
        (")(", "unexpected ')' at column 1"),
        (",", "unexpected ',' at column 1"),
        ("x*/y", "unexpected '/' at column 3"),
        ("+x", "unexpected '+' at column 1"),
        ("1e999", "number too large at column 1"),
        ("x + 1e999", "number too large at column 5"),
        ("1.2.3", "malformed number at column 1"),
        ("x.", "unexpected '.' at column 2"),
        ("x²", "unexpected '²' at column 2 (write ^2)"),
        ("x − 1", "unexpected '−' at column 3 (write -)"),
        ("2·x", "unexpected '·' at column 2 (write *)"),
        ("\u{a0}\u{a0}x)", "unexpected ')' at column 4"),
        ("#", "unexpected '#' at column 1"),
    ];
    for (text, message) in cases {
        assert_eq!(error(text), message, "{text:?}");
    }
}

#[test]
fn python_powers_and_the_pages_own_names_for_the_coordinates_are_understood() {
    assert_eq!(parse("x**2 + 3*y**2").text(), "x^2+3*y^2");
    assert_eq!(parse("2**-x").value([1.0, 0.0]), 0.5);
    for text in ["x1^2 + x2", "x₁^2 + x₂", "x^2 + y"] {
        let expr = parse(text);
        assert_eq!(expr.text(), "x^2+y", "{text}");
        assert_eq!(expr.dim(), 2);
    }
    assert_eq!(parse("x1*3").dim(), 1, "x1 alone is x");
    assert_eq!(error("x3 + 1"), "unknown name 'x3' at column 1 (use x, or x and y; x1 and x2 also work)");
}

#[test]
fn each_limit_has_its_own_error() {
    let longest = format!("x{}", "+1".repeat((MAX_LEN - 1) / 2));
    assert!(longest.chars().count() <= MAX_LEN);
    parse(&longest);
    let too_long = format!("{longest}+1");
    assert_eq!(error(&too_long), "the expression is longer than 200 characters");
    // Length is checked first, so 10 kB of parentheses is only too long; and it counts characters.
    assert_eq!(Expr::parse(&"(".repeat(10_000)).unwrap_err().kind, ExprErrorKind::TooLong);
    assert_eq!(Expr::parse(&format!("x{}", " ".repeat(MAX_LEN - 1))).map(|e| e.text()), Ok("x".to_owned()));

    let nested = |levels: usize| format!("{}x{}", "(".repeat(levels), ")".repeat(levels));
    parse(&nested(MAX_DEPTH));
    assert_eq!(error(&nested(MAX_DEPTH + 1)), "nesting deeper than 32 levels at column 33");
    let calls = |levels: usize| format!("{}x{}", "sin(".repeat(levels), ")".repeat(levels));
    parse(&calls(MAX_DEPTH));
    assert_eq!(error(&calls(MAX_DEPTH + 1)), "nesting deeper than 32 levels at column 129");
    let negations = |count: usize| format!("{}x", "-".repeat(count));
    assert_eq!(parse(&negations(MAX_DEPTH)).value([2.0, 0.0]), 2.0);
    assert_eq!(error(&negations(MAX_DEPTH + 1)), "nesting deeper than 32 levels at column 33");
    assert_eq!(error(&format!("2^{}x", "-".repeat(MAX_DEPTH + 1))), "nesting deeper than 32 levels at column 35");

    // Every operation takes a character, so MAX_LEN characters stay under MAX_NODES operations (the
    // operation limit itself is checked by a unit test in the module, with the length limit lifted).
    let most_operations = vec!["x"; MAX_LEN.div_ceil(2)].join("+");
    const { assert!(MAX_LEN < MAX_NODES) };
    assert_eq!(parse(&most_operations).value([1.0, 0.0]), 100.0);
}

#[test]
fn hostile_inputs_give_errors_not_panics() {
    let hostile = [
        "(".repeat(10_000),
        ")".repeat(10_000),
        "x".repeat(10_000),
        "-".repeat(10_000) + "x",
        "1".repeat(10_000),
        "(".repeat(150) + "x",
        format!("{}x{}", "(".repeat(60), ")".repeat(60)),
        "sin(".repeat(40) + "x" + &")".repeat(40),
        "x^".repeat(99) + "^",
        "🦀".into(),
        "x + 😀".into(),
        "\u{0}".into(),
        "x\u{202e}+1".into(),
        "é".into(),
        "e\u{301}".into(),
        "NaN".into(),
        "nan".into(),
        "inf".into(),
        "-inf".into(),
        "infinity".into(),
        "1e999".into(),
        "1e".into(),
        "1e+".into(),
        ".".into(),
        "..5".into(),
        "".into(),
        "     ".into(),
        ")(".into(),
        "x^".into(),
        "sin()".into(),
        "max(x)".into(),
        "max(,)".into(),
        ",".into(),
        "x,".into(),
        "()".into(),
        "x y".into(),
        "sin".into(),
        "min(x y)".into(),
        "0x10".into(),
        "1_000".into(),
    ];
    for text in &hostile {
        assert!(Expr::parse(text).is_err(), "{:?} parsed", &text[..text.len().min(40)]);
    }
    // Doubled minus signs are allowed.
    assert_eq!(parse("--x").value([3.0, 0.0]), 3.0);
}

/// An expression tree for the property tests, printed with a parenthesis around every operand so the
/// parser's precedence rules play no part in what it means.
#[derive(Clone, Debug)]
enum Tree {
    Number(&'static str, f64),
    X,
    Y,
    Neg(Box<Tree>),
    Binary(char, Box<Tree>, Box<Tree>),
    Call(&'static str, Box<Tree>),
    Pair(&'static str, Box<Tree>, Box<Tree>),
}

const FUNCTIONS: [&str; 10] = ["sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sinh", "cosh"];

impl Tree {
    fn print(&self) -> String {
        match self {
            Tree::Number(text, _) => text.to_string(),
            Tree::X => "x".into(),
            Tree::Y => "y".into(),
            Tree::Neg(a) => format!("-({})", a.print()),
            Tree::Binary(op, a, b) => format!("({}){op}({})", a.print(), b.print()),
            Tree::Call(name, a) => format!("{name}({})", a.print()),
            Tree::Pair(name, a, b) => format!("{name}({}, {})", a.print(), b.print()),
        }
    }

    fn value(&self, [x, y]: Point) -> f64 {
        match self {
            Tree::Number(_, value) => *value,
            Tree::X => x,
            Tree::Y => y,
            Tree::Neg(a) => -a.value([x, y]),
            Tree::Binary(op, a, b) => {
                let (a, b) = (a.value([x, y]), b.value([x, y]));
                match op {
                    '+' => a + b,
                    '-' => a - b,
                    '*' => a * b,
                    '/' => a / b,
                    // As documented for the evaluator: whole exponents up to 64 by multiplication.
                    _ if b.fract() == 0.0 && b.abs() <= 64.0 => a.powi(b as i32),
                    _ => a.powf(b),
                }
            }
            Tree::Call(name, a) => {
                let a = a.value([x, y]);
                match *name {
                    "sin" => a.sin(),
                    "cos" => a.cos(),
                    "tan" => a.tan(),
                    "exp" => a.exp(),
                    "log" => a.ln(),
                    "sqrt" => a.sqrt(),
                    "abs" => a.abs(),
                    "tanh" => a.tanh(),
                    "sinh" => a.sinh(),
                    _ => a.cosh(),
                }
            }
            Tree::Pair(name, a, b) => {
                let (a, b) = (a.value([x, y]), b.value([x, y]));
                // NaN in either argument gives NaN (f64::min would drop it).
                if a.is_nan() || b.is_nan() {
                    f64::NAN
                } else if *name == "min" {
                    a.min(b)
                } else {
                    a.max(b)
                }
            }
        }
    }
}

fn any_tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        prop::sample::select(vec![
            ("0", 0.0),
            ("1", 1.0),
            ("2", 2.0),
            ("0.5", 0.5),
            (".25", 0.25),
            ("3e-1", 0.3),
            ("1E2", 100.0),
            ("pi", std::f64::consts::PI),
            ("e", std::f64::consts::E),
        ])
        .prop_map(|(text, value)| Tree::Number(text, value)),
        Just(Tree::X),
        Just(Tree::Y),
    ];
    leaf.prop_recursive(5, 24, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|a| Tree::Neg(Box::new(a))),
            (prop::sample::select(vec!['+', '-', '*', '/', '^']), inner.clone(), inner.clone())
                .prop_map(|(op, a, b)| Tree::Binary(op, Box::new(a), Box::new(b))),
            (prop::sample::select(FUNCTIONS.to_vec()), inner.clone())
                .prop_map(|(name, a)| Tree::Call(name, Box::new(a))),
            (prop::sample::select(vec!["min", "max"]), inner.clone(), inner).prop_map(|(name, a, b)| Tree::Pair(
                name,
                Box::new(a),
                Box::new(b)
            )),
        ]
    })
}

fn same(a: f64, b: f64) -> bool {
    a == b || (!a.is_finite() && !b.is_finite())
}

/// Pieces of the grammar and a few things outside it, for random strings that are often nearly right.
const PIECES: [&str; 30] = [
    "x", "y", "1", "2.5", ".5", "1e3", "e", "E", "pi", "sin", "min", "max", "log", "(", ")", ",", "+", "-", "*", "/",
    "^", " ", ".", "e-", "9", "z", "nan", "²", "−", "(((",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn printed_trees_parse_to_their_meaning_and_print_canonically(tree in any_tree(), x in -3.0f64..3.0, y in -3.0f64..3.0) {
        let written = tree.print();
        prop_assume!(written.chars().count() <= MAX_LEN);
        let expr = Expr::parse(&written).map_err(|e| TestCaseError::fail(format!("{written}: {e}")))?;
        let canonical = expr.text();
        prop_assert!(canonical.chars().count() <= written.chars().count());
        let again = Expr::parse(&canonical).map_err(|e| TestCaseError::fail(format!("{canonical}: {e}")))?;
        prop_assert_eq!(again.text(), canonical.clone());
        for p in [[x, y], [0.0, 0.0], [1.0, -1.0]] {
            let (expected, first, second) = (tree.value(p), expr.value(p), again.value(p));
            prop_assert!(same(first, expected), "{} vs {} at {:?}: {} → {}", first, expected, p, written, canonical);
            prop_assert!(first.to_bits() == second.to_bits() || first.is_nan() && second.is_nan());
        }
    }

    #[test]
    fn strings_of_grammar_pieces_never_panic_and_accepted_ones_round_trip(
        pieces in prop::collection::vec(prop::sample::select(PIECES.to_vec()), 0..40),
        x in -1e3f64..1e3,
    ) {
        let text = pieces.concat();
        if let Ok(expr) = Expr::parse(&text) {
            let again = Expr::parse(&expr.text()).map_err(|e| TestCaseError::fail(format!("{text} → {}: {e}", expr.text())))?;
            prop_assert_eq!(&again, &expr);
            let (value, _) = expr.value_and_gradient([x, -x]);
            prop_assert!(same(value, again.value([x, -x])));
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>(), x in any::<f64>(), y in any::<f64>()) {
        if let Ok(expr) = Expr::parse(&text) {
            let _ = expr.value_and_gradient([x, y]);
        }
    }

    #[test]
    fn any_point_evaluates_without_panicking(tree in any_tree(), x in any::<f64>(), y in any::<f64>()) {
        let written = tree.print();
        prop_assume!(written.chars().count() <= MAX_LEN);
        let expr = Expr::parse(&written).map_err(|e| TestCaseError::fail(format!("{written}: {e}")))?;
        let (value, _) = expr.value_and_gradient([x, y]);
        prop_assert!(same(value, tree.value([x, y])));
    }
}
