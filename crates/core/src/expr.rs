//! Losses typed by teachers (`loss=expr:<expression>`): a small parser with limits and clear errors, a
//! canonical printed form that parses back to the same program, and an evaluator that gives the exact
//! gradient by forward-mode automatic differentiation, without recursion or allocation per evaluation.
//!
//! The grammar, loosest first: `sum = product (('+' | '-') product)*`, `product = unary (('*' | '/')
//! unary)*`, `unary = '-' unary | power`, `power = atom ('^' unary)?`, `atom = number | x | y | pi | e |
//! function '(' sum (',' sum)? ')' | '(' sum ')'`, with numbers like `3`, `.5`, `2.` and `2.5e-3`. So
//! `^` is right-associative and binds tighter than unary minus (`-x^2` is `-(x^2)`, `2^3^2` is 2⁹) and
//! its exponent may be negated (`2^-x`). Whitespace is ignored; `2x` is an error that says to write `2*x`.

use std::fmt;

use crate::num::{NumberRead, Point};

/// Longest accepted expression, in characters (whitespace included); checked before anything else.
pub const MAX_LEN: usize = 200;
/// Deepest accepted nesting of parentheses, function calls and unary minus together.
pub const MAX_DEPTH: usize = 32;
/// Most operations (numbers, variables, operators and calls) in a parsed expression. Every operation
/// takes at least one character, so within [`MAX_LEN`] this limit is a backstop rather than a rule a
/// teacher meets.
pub const MAX_NODES: usize = 256;

/// A parsed expression in x (1-D) or in x and y (2-D), ready to evaluate.
///
/// Two expressions are equal when their canonical texts ([`Expr::text`]) are equal.
#[derive(Clone)]
pub struct Expr {
    /// Postfix: each operation pops its operands and pushes its result.
    program: Vec<Op>,
    /// The most values `program` keeps on the stack at once.
    stack_len: usize,
    dim: usize,
    text: String,
}

/// Why a text is not an expression, and where (0-based character index; 0 for the errors about the
/// whole text: too long, too many operations, empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    pub position: usize,
    pub kind: ExprErrorKind,
}

/// What is wrong; [`ExprError`]'s `Display` turns it into a sentence for the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExprErrorKind {
    /// More than [`MAX_LEN`] characters.
    TooLong,
    /// More than [`MAX_DEPTH`] levels of nesting; the position is where the level too many opens.
    TooDeep,
    /// More than [`MAX_NODES`] operations.
    TooManyOperations,
    /// Nothing but whitespace.
    Empty,
    /// A character that has no place in an expression, or a symbol where a value belongs.
    Unexpected(char),
    /// The text ends where a value belongs (`x^`).
    ExpectedValue,
    /// A parenthesis or a call is not closed where it should be.
    ExpectedCloseParen,
    /// A function name not followed by its parenthesis (`sin x`).
    ExpectedOpenParen {
        function: &'static str,
    },
    /// Two values side by side (`2x`, `)(`, `xy`); `written` is what was typed, `meant` the fix.
    ImplicitMultiplication {
        written: String,
        meant: String,
    },
    UnknownName(String),
    UnknownFunction(String),
    /// A call with the wrong number of arguments; the position is the function's name.
    ArgumentCount {
        function: &'static str,
        expected: usize,
    },
    /// Digits that do not form one number (`1.2.3`).
    MalformedNumber,
    /// A number that overflows to infinity (`1e999`).
    NumberTooLarge,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // People count columns from 1.
        let at = self.position + 1;
        match &self.kind {
            ExprErrorKind::TooLong => write!(f, "the expression is longer than {MAX_LEN} characters"),
            ExprErrorKind::TooDeep => write!(f, "nesting deeper than {MAX_DEPTH} levels at column {at}"),
            ExprErrorKind::TooManyOperations => write!(f, "more than {MAX_NODES} operations"),
            ExprErrorKind::Empty => f.write_str("empty expression"),
            ExprErrorKind::Unexpected(c) => write!(f, "unexpected '{c}' at column {at}{}", hint(*c)),
            ExprErrorKind::ExpectedValue => write!(f, "expected a value at column {at}"),
            ExprErrorKind::ExpectedCloseParen => write!(f, "expected ')' at column {at}"),
            ExprErrorKind::ExpectedOpenParen { function } => {
                write!(f, "expected '(' after {function} at column {at}")
            }
            ExprErrorKind::ImplicitMultiplication { written, meant } => {
                write!(f, "'{written}': write {meant} at column {at}")
            }
            ExprErrorKind::UnknownName(name) => {
                write!(f, "unknown name '{name}' at column {at} (use x, or x and y; x1 and x2 also work)")
            }
            ExprErrorKind::UnknownFunction(name) => write!(f, "unknown function '{name}' at column {at}"),
            ExprErrorKind::ArgumentCount { function, expected: 1 } => {
                write!(f, "{function} takes 1 argument at column {at}")
            }
            ExprErrorKind::ArgumentCount { function, expected } => {
                write!(f, "{function} takes {expected} arguments at column {at}")
            }
            ExprErrorKind::MalformedNumber => write!(f, "malformed number at column {at}"),
            ExprErrorKind::NumberTooLarge => write!(f, "number too large at column {at}"),
        }
    }
}

impl std::error::Error for ExprError {}

/// What to type instead of a character people copy from formulas (the page itself prints `−`, `·`, `²`).
fn hint(c: char) -> &'static str {
    match c {
        '−' | '–' => " (write -)",
        '×' | '·' | '⋅' => " (write *)",
        '²' => " (write ^2)",
        '³' => " (write ^3)",
        '⁴' => " (write ^4)",
        'π' => " (write pi)",
        _ => "",
    }
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Expr").field(&self.text).finish()
    }
}

impl PartialEq for Expr {
    fn eq(&self, other: &Expr) -> bool {
        self.text == other.text
    }
}

impl Expr {
    /// Parses with Rust's number reader. Native only (see [`crate::num::read`]); the page calls
    /// [`Expr::parse_with`] and the browser's reader.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn parse(text: &str) -> Result<Expr, ExprError> {
        Expr::parse_with(text, &crate::num::read)
    }

    /// [`Expr::parse`] with the caller's number reader (given only texts of the form `1`, `.5`, `2.`,
    /// `2.5e-3`).
    pub fn parse_with(text: &str, read: NumberRead) -> Result<Expr, ExprError> {
        parse_limited(text, read, MAX_LEN)
    }

    /// 2 when the expression mentions `y`, else 1.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The canonical form: no whitespace, the fewest parentheses that keep the meaning, numbers as
    /// typed (with `E` as `e`). Never longer than the text it was parsed from, and parses back to an
    /// equal expression.
    pub fn text(&self) -> String {
        self.text.clone()
    }

    /// The value at `p` (`y` is `p[1]`). May be infinite or NaN (`log(x)` at x < 0, `1/x` at 0); never
    /// panics.
    pub fn value(&self, p: Point) -> f64 {
        self.evaluate(p).value
    }

    /// The value and the exact gradient at `p` (the second slope is 0 for a 1-D expression).
    ///
    /// Rules beyond the textbook ones: `abs` has slope 0 at 0; `min`/`max` take the slope of the
    /// argument they return (the first on a tie); `a^b` is `b·a^(b−1)·a′ + a^b·ln(a)·b′`, where a term
    /// whose derivative factor is 0 counts as 0, so `x^2` works at 0 and below 0; a slope that does not
    /// depend on a coordinate is 0 in that coordinate even where the function's slope is infinite
    /// (`sqrt(x) + y` has ∂/∂y = 0 at x = 0, and ∂/∂x = ∞). Whole exponents up to 64 are computed by
    /// repeated multiplication (`powi`), others by `powf`.
    pub fn value_and_gradient(&self, p: Point) -> (f64, Point) {
        let result = self.evaluate(p);
        (result.value, result.slope)
    }

    fn evaluate(&self, p: Point) -> Dual {
        // Most expressions need a few slots; the full-size stack costs a 6 KB fill per evaluation.
        const SMALL: usize = 32;
        if self.stack_len <= SMALL {
            self.run(p, &mut [Dual::ZERO; SMALL])
        } else {
            self.run(p, &mut [Dual::ZERO; MAX_NODES])
        }
    }

    /// Runs the postfix program. The parser only builds well-formed programs and `stack` holds at least
    /// `stack_len` slots, so no index below is ever out of range.
    fn run(&self, p: Point, stack: &mut [Dual]) -> Dual {
        let mut top = 0;
        for op in &self.program {
            match *op {
                Op::Literal(value) => {
                    stack[top] = Dual { value, slope: [0.0; 2] };
                    top += 1;
                }
                Op::X => {
                    stack[top] = Dual { value: p[0], slope: [1.0, 0.0] };
                    top += 1;
                }
                Op::Y => {
                    stack[top] = Dual { value: p[1], slope: [0.0, 1.0] };
                    top += 1;
                }
                Op::Neg => {
                    let a = stack[top - 1];
                    stack[top - 1] = Dual { value: -a.value, slope: [-a.slope[0], -a.slope[1]] };
                }
                Op::Call(function) => stack[top - 1] = call(function, stack[top - 1]),
                Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Pow | Op::Min | Op::Max => {
                    top -= 1;
                    stack[top - 1] = binary(*op, stack[top - 1], stack[top]);
                }
            }
        }
        stack[0]
    }
}

/// One operation of a postfix program.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Literal(f64),
    X,
    Y,
    Neg,
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Min,
    Max,
    Call(Function),
}

/// The one-argument functions.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Function {
    Sin,
    Cos,
    Tan,
    Exp,
    Log,
    Sqrt,
    Abs,
    Tanh,
    Sinh,
    Cosh,
}

/// Every function name with its operation; `min` and `max` take two arguments, the others one.
const FUNCTIONS: [(&str, Op); 12] = [
    ("sin", Op::Call(Function::Sin)),
    ("cos", Op::Call(Function::Cos)),
    ("tan", Op::Call(Function::Tan)),
    ("exp", Op::Call(Function::Exp)),
    ("log", Op::Call(Function::Log)),
    ("sqrt", Op::Call(Function::Sqrt)),
    ("abs", Op::Call(Function::Abs)),
    ("tanh", Op::Call(Function::Tanh)),
    ("sinh", Op::Call(Function::Sinh)),
    ("cosh", Op::Call(Function::Cosh)),
    ("min", Op::Min),
    ("max", Op::Max),
];

/// A value with its slopes along x and y (a dual number with two infinitesimal parts).
#[derive(Clone, Copy, Debug)]
struct Dual {
    value: f64,
    slope: Point,
}

impl Dual {
    const ZERO: Dual = Dual { value: 0.0, slope: [0.0; 2] };
}

/// `factor · slope`, where a zero slope stays 0 even when the factor is infinite or NaN.
fn chain(factor: f64, slope: Point) -> Point {
    slope.map(|s| if s == 0.0 { 0.0 } else { factor * s })
}

fn call(function: Function, u: Dual) -> Dual {
    let x = u.value;
    let (value, factor) = match function {
        Function::Sin => (x.sin(), x.cos()),
        Function::Cos => (x.cos(), -x.sin()),
        Function::Tan => {
            let t = x.tan();
            (t, 1.0 + t * t)
        }
        Function::Exp => {
            let e = x.exp();
            (e, e)
        }
        Function::Log => (x.ln(), 1.0 / x),
        Function::Sqrt => {
            let s = x.sqrt();
            (s, 0.5 / s)
        }
        Function::Abs => (
            x.abs(),
            if x > 0.0 {
                1.0
            } else if x < 0.0 {
                -1.0
            } else {
                0.0
            },
        ),
        Function::Tanh => {
            let t = x.tanh();
            (t, 1.0 - t * t)
        }
        Function::Sinh => (x.sinh(), x.cosh()),
        Function::Cosh => (x.cosh(), x.sinh()),
    };
    Dual { value, slope: chain(factor, u.slope) }
}

/// The largest exponent computed by multiplication rather than `powf`.
const WHOLE_POWER_MAX: f64 = 64.0;

fn binary(op: Op, a: Dual, b: Dual) -> Dual {
    let [ax, ay] = a.slope;
    let [bx, by] = b.slope;
    match op {
        Op::Add => Dual { value: a.value + b.value, slope: [ax + bx, ay + by] },
        Op::Sub => Dual { value: a.value - b.value, slope: [ax - bx, ay - by] },
        Op::Mul => Dual { value: a.value * b.value, slope: [ax * b.value + a.value * bx, ay * b.value + a.value * by] },
        Op::Div => {
            let value = a.value / b.value;
            Dual { value, slope: [(ax - value * bx) / b.value, (ay - value * by) / b.value] }
        }
        Op::Pow => {
            // Whole exponents (x^2 above all) by repeated multiplication: several times faster than
            // `powf`, and within an ulp or two of it.
            let whole = b.value.fract() == 0.0 && b.value.abs() <= WHOLE_POWER_MAX;
            let power = |exponent: f64| if whole { a.value.powi(exponent as i32) } else { a.value.powf(exponent) };
            let value = power(b.value);
            // Each term only where its own factor is nonzero: a constant exponent never takes ln of a
            // negative base, and x^0 has slope 0 even at x = 0.
            let base_factor = if b.value == 0.0 { 0.0 } else { b.value * power(b.value - 1.0) };
            let from_base = chain(base_factor, a.slope);
            let from_exponent = if b.slope == [0.0; 2] { [0.0; 2] } else { chain(value * a.value.ln(), b.slope) };
            Dual { value, slope: [from_base[0] + from_exponent[0], from_base[1] + from_exponent[1]] }
        }
        // NaN in either argument gives NaN, and a tie gives the first argument.
        Op::Min if a.value <= b.value || a.value.is_nan() => a,
        Op::Max if a.value >= b.value || a.value.is_nan() => a,
        _ => b,
    }
}

/// Parses with a length limit of the caller's choosing, so that tests can reach the other limits.
fn parse_limited(text: &str, read: NumberRead, max_len: usize) -> Result<Expr, ExprError> {
    if text.chars().count() > max_len {
        return Err(ExprError { position: 0, kind: ExprErrorKind::TooLong });
    }
    let tokens = lex(text, read)?;
    if tokens.len() == 1 {
        return Err(ExprError { position: 0, kind: ExprErrorKind::Empty });
    }
    let mut parser =
        Parser { tokens, next: 0, depth: 0, program: Vec::new(), literal_texts: Vec::new(), uses_y: false };
    parser.sum()?;
    let end = parser.peek();
    if end.kind != TokenKind::End {
        let c = end.kind.symbol().unwrap_or(' ');
        return Err(ExprError { position: end.position, kind: ExprErrorKind::Unexpected(c) });
    }
    if parser.program.len() > MAX_NODES {
        return Err(ExprError { position: 0, kind: ExprErrorKind::TooManyOperations });
    }
    let text = print(&parser.program, &parser.literal_texts);
    Ok(Expr {
        stack_len: stack_len(&parser.program),
        dim: if parser.uses_y { 2 } else { 1 },
        text,
        program: parser.program,
    })
}

/// The most values `program` holds on its stack at once.
fn stack_len(program: &[Op]) -> usize {
    let (mut len, mut most) = (0usize, 0usize);
    for op in program {
        match op {
            Op::Literal(_) | Op::X | Op::Y => len += 1,
            Op::Neg | Op::Call(_) => {}
            _ => len = len.saturating_sub(1),
        }
        most = most.max(len);
    }
    most
}

#[derive(Clone, Debug, PartialEq)]
enum TokenKind {
    /// A number's value and its text as typed (with `E` as `e`).
    Number(f64, String),
    Name(String),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    Open,
    Close,
    Comma,
    End,
}

impl TokenKind {
    /// The character of a one-character token.
    fn symbol(&self) -> Option<char> {
        Some(match self {
            TokenKind::Plus => '+',
            TokenKind::Minus => '-',
            TokenKind::Star => '*',
            TokenKind::Slash => '/',
            TokenKind::Caret => '^',
            TokenKind::Open => '(',
            TokenKind::Close => ')',
            TokenKind::Comma => ',',
            TokenKind::Number(..) | TokenKind::Name(_) | TokenKind::End => return None,
        })
    }

    /// The token as typed, for the implicit multiplication message.
    fn written(&self) -> String {
        match self {
            TokenKind::Number(_, text) | TokenKind::Name(text) => text.clone(),
            other => other.symbol().map(String::from).unwrap_or_default(),
        }
    }
}

#[derive(Clone, Debug)]
struct Token {
    kind: TokenKind,
    position: usize,
}

/// Splits the text into tokens, ending with `End` at the text's length.
fn lex(text: &str, read: NumberRead) -> Result<Vec<Token>, ExprError> {
    let chars: Vec<char> = text.chars().collect();
    let digits_from = |mut i: usize| {
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let position = i;
        let kind = match c {
            _ if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '0'..='9' | '.' if c != '.' || chars.get(i + 1).is_some_and(char::is_ascii_digit) => {
                i = digits_from(i);
                if chars.get(i) == Some(&'.') {
                    i = digits_from(i + 1);
                }
                if matches!(chars.get(i), Some('e' | 'E')) {
                    let sign = usize::from(matches!(chars.get(i + 1), Some('+' | '-')));
                    if chars.get(i + 1 + sign).is_some_and(char::is_ascii_digit) {
                        i = digits_from(i + 1 + sign);
                    }
                }
                let error = |kind| Err(ExprError { position, kind });
                if chars.get(i) == Some(&'.') {
                    return error(ExprErrorKind::MalformedNumber);
                }
                let written: String = chars[position..i].iter().map(|&c| if c == 'E' { 'e' } else { c }).collect();
                match read(&written) {
                    Some(value) if value.is_finite() => TokenKind::Number(value, written),
                    Some(value) if value.is_infinite() => return error(ExprErrorKind::NumberTooLarge),
                    _ => return error(ExprErrorKind::MalformedNumber),
                }
            }
            'a'..='z' | 'A'..='Z' | '_' => {
                while chars.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_') {
                    i += 1;
                }
                let mut name: String = chars[position..i].iter().collect();
                // The page writes x₁ and x₂: a subscript right after a name is its digit.
                while let Some(digit) = chars.get(i).and_then(|c| subscript_digit(*c)) {
                    name.push(digit);
                    i += 1;
                }
                TokenKind::Name(name)
            }
            // Python's power, `x**2`.
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                TokenKind::Caret
            }
            _ => {
                i += 1;
                match c {
                    '+' => TokenKind::Plus,
                    '-' => TokenKind::Minus,
                    '*' => TokenKind::Star,
                    '/' => TokenKind::Slash,
                    '^' => TokenKind::Caret,
                    '(' => TokenKind::Open,
                    ')' => TokenKind::Close,
                    ',' => TokenKind::Comma,
                    _ => return Err(ExprError { position, kind: ExprErrorKind::Unexpected(c) }),
                }
            }
        };
        tokens.push(Token { kind, position });
    }
    tokens.push(Token { kind: TokenKind::End, position: chars.len() });
    Ok(tokens)
}

/// The digit a Unicode subscript stands for (`₁` → `1`).
fn subscript_digit(c: char) -> Option<char> {
    let offset = u32::from(c).checked_sub(u32::from('₀')).filter(|d| *d <= 9)?;
    char::from_digit(offset, 10)
}

/// A recursive-descent parser that emits postfix as it goes. It recurses only into parentheses and
/// calls, each of which counts against [`MAX_DEPTH`]; chains of operators are loops.
struct Parser {
    tokens: Vec<Token>,
    next: usize,
    depth: usize,
    program: Vec<Op>,
    /// The text of each `Op::Literal`, in program order, for printing.
    literal_texts: Vec<String>,
    uses_y: bool,
}

impl Parser {
    fn peek(&self) -> &Token {
        // `End` is never consumed, so `next` stays in range.
        &self.tokens[self.next.min(self.tokens.len() - 1)]
    }

    fn advance(&mut self) -> Token {
        let token = self.peek().clone();
        if token.kind != TokenKind::End {
            self.next += 1;
        }
        token
    }

    fn enter(&mut self, position: usize) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError { position, kind: ExprErrorKind::TooDeep });
        }
        Ok(())
    }

    fn sum(&mut self) -> Result<(), ExprError> {
        self.product()?;
        loop {
            let op = match self.peek().kind {
                TokenKind::Plus => Op::Add,
                TokenKind::Minus => Op::Sub,
                _ => return Ok(()),
            };
            self.advance();
            self.product()?;
            self.program.push(op);
        }
    }

    fn product(&mut self) -> Result<(), ExprError> {
        self.unary()?;
        loop {
            let op = match self.peek().kind {
                TokenKind::Star => Op::Mul,
                TokenKind::Slash => Op::Div,
                _ => return Ok(()),
            };
            self.advance();
            self.unary()?;
            self.program.push(op);
        }
    }

    /// Consumes leading minus signs, each a level of nesting, and says how many there were.
    fn negations(&mut self) -> Result<usize, ExprError> {
        let mut count = 0;
        while self.peek().kind == TokenKind::Minus {
            let position = self.advance().position;
            self.enter(position)?;
            count += 1;
        }
        Ok(count)
    }

    fn unary(&mut self) -> Result<(), ExprError> {
        let negations = self.negations()?;
        self.power()?;
        self.program.extend(std::iter::repeat_n(Op::Neg, negations));
        self.depth -= negations;
        Ok(())
    }

    /// `a ^ -b ^ c` as a loop: the atoms are emitted in order, then the operators from the right, each
    /// exponent's minus signs before its `^`.
    fn power(&mut self) -> Result<(), ExprError> {
        self.atom()?;
        let mut exponent_negations = Vec::new();
        while self.peek().kind == TokenKind::Caret {
            self.advance();
            exponent_negations.push(self.negations()?);
            self.atom()?;
        }
        for &negations in exponent_negations.iter().rev() {
            self.program.extend(std::iter::repeat_n(Op::Neg, negations));
            self.program.push(Op::Pow);
        }
        self.depth -= exponent_negations.iter().sum::<usize>();
        Ok(())
    }

    fn atom(&mut self) -> Result<(), ExprError> {
        let token = self.advance();
        let position = token.position;
        match token.kind {
            TokenKind::Number(value, text) => self.literal(value, text),
            TokenKind::Name(name) if self.peek().kind == TokenKind::Open && !VALUE_NAMES.contains(&name.as_str()) => {
                self.call(&name, position)?
            }
            TokenKind::Name(name) => self.name(&name, position)?,
            TokenKind::Open => {
                self.enter(position)?;
                self.sum()?;
                self.close()?;
                self.depth -= 1;
            }
            TokenKind::End => return Err(ExprError { position, kind: ExprErrorKind::ExpectedValue }),
            other => {
                let c = other.symbol().unwrap_or(' ');
                return Err(ExprError { position, kind: ExprErrorKind::Unexpected(c) });
            }
        }
        // A value right after a value is a missing `*`.
        let next = self.peek();
        if matches!(next.kind, TokenKind::Number(..) | TokenKind::Name(_) | TokenKind::Open) {
            let previous = &self.tokens[self.next - 1];
            let (left, right) = (previous.kind.written(), next.kind.written());
            // Show the space if one was typed (`'2 3'` reads better than `'23'`).
            let gap = if next.position > previous.position + left.chars().count() { " " } else { "" };
            let kind = ExprErrorKind::ImplicitMultiplication {
                written: format!("{left}{gap}{right}"),
                meant: format!("{left}*{right}"),
            };
            return Err(ExprError { position: next.position, kind });
        }
        Ok(())
    }

    fn literal(&mut self, value: f64, text: String) {
        self.program.push(Op::Literal(value));
        self.literal_texts.push(text);
    }

    fn name(&mut self, name: &str, position: usize) -> Result<(), ExprError> {
        match name {
            // x1 and x2 (or x₁ and x₂), as the page names the two coordinates.
            "x" | "x1" => self.program.push(Op::X),
            "y" | "x2" => {
                self.program.push(Op::Y);
                self.uses_y = true;
            }
            "pi" => self.literal(std::f64::consts::PI, "pi".into()),
            "e" => self.literal(std::f64::consts::E, "e".into()),
            _ => {
                if let Some(&(function, _)) = FUNCTIONS.iter().find(|(known, _)| *known == name) {
                    let position = self.peek().position;
                    return Err(ExprError { position, kind: ExprErrorKind::ExpectedOpenParen { function } });
                }
                // `xy` or `pix`: names run together.
                if let Some((first, meant)) = split_names(name) {
                    let kind = ExprErrorKind::ImplicitMultiplication { written: name.to_owned(), meant };
                    return Err(ExprError { position: position + first, kind });
                }
                return Err(ExprError { position, kind: ExprErrorKind::UnknownName(name.to_owned()) });
            }
        }
        Ok(())
    }

    /// A call; the name is consumed and the next token is `(`.
    fn call(&mut self, name: &str, position: usize) -> Result<(), ExprError> {
        let Some(&(function, op)) = FUNCTIONS.iter().find(|(known, _)| *known == name) else {
            return Err(ExprError { position, kind: ExprErrorKind::UnknownFunction(name.to_owned()) });
        };
        let expected = if matches!(op, Op::Min | Op::Max) { 2 } else { 1 };
        let wrong_count = ExprError { position, kind: ExprErrorKind::ArgumentCount { function, expected } };
        self.advance();
        self.enter(position)?;
        if self.peek().kind == TokenKind::Close {
            return Err(wrong_count);
        }
        self.sum()?;
        let mut count = 1;
        while self.peek().kind == TokenKind::Comma {
            self.advance();
            self.sum()?;
            count += 1;
        }
        self.close()?;
        if count != expected {
            return Err(wrong_count);
        }
        self.program.push(op);
        self.depth -= 1;
        Ok(())
    }

    fn close(&mut self) -> Result<(), ExprError> {
        let token = self.advance();
        if token.kind != TokenKind::Close {
            return Err(ExprError { position: token.position, kind: ExprErrorKind::ExpectedCloseParen });
        }
        Ok(())
    }
}

/// The names of values rather than functions: `x(1)` is a missing `*`, not a call.
const VALUE_NAMES: [&str; 6] = ["x", "y", "pi", "e", "x1", "x2"];

/// `name` as a run of two or more of `x`, `y`, `pi` and `e` (`xy`, `pix`): the length of the first
/// and the run with `*` between them. (No string slicing or `join`: both cost the wasm a kilobyte.)
fn split_names(name: &str) -> Option<(usize, String)> {
    let (mut rest, mut meant, mut first) = (name, String::new(), 0);
    while !rest.is_empty() {
        let (part, after) =
            VALUE_NAMES[..4].iter().find_map(|&part| rest.strip_prefix(part).map(|after| (part, after)))?;
        if meant.is_empty() {
            first = part.len();
        } else {
            meant.push('*');
        }
        meant.push_str(part);
        rest = after;
    }
    (meant.len() > name.len()).then_some((first, meant))
}

/// How tightly a printed piece binds, as the grammar's levels: a piece is parenthesised when it sits
/// where the grammar expects a tighter level.
const SUM: u8 = 1;
const PRODUCT: u8 = 2;
const UNARY: u8 = 3;
const POWER: u8 = 4;
const ATOM: u8 = 5;

/// Prints a well-formed postfix program with the fewest parentheses, without recursion.
fn print(program: &[Op], literal_texts: &[String]) -> String {
    let mut pieces: Vec<(String, u8)> = Vec::new();
    let mut literals = literal_texts.iter();
    let wrap = |(text, level): (String, u8), least: u8| if level < least { format!("({text})") } else { text };
    for op in program {
        let piece = match op {
            Op::Literal(_) => (literals.next().cloned().unwrap_or_default(), ATOM),
            Op::X => ("x".to_owned(), ATOM),
            Op::Y => ("y".to_owned(), ATOM),
            Op::Neg => {
                let a = pieces.pop().unwrap_or_default();
                (format!("-{}", wrap(a, UNARY)), UNARY)
            }
            Op::Call(_) => {
                let a = pieces.pop().unwrap_or_default();
                (format!("{}({})", function_name(*op), a.0), ATOM)
            }
            Op::Min | Op::Max => {
                let b = pieces.pop().unwrap_or_default();
                let a = pieces.pop().unwrap_or_default();
                (format!("{}({},{})", function_name(*op), a.0, b.0), ATOM)
            }
            Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Pow => {
                let b = pieces.pop().unwrap_or_default();
                let a = pieces.pop().unwrap_or_default();
                // Left-associative operators parenthesise an equal level on the right only.
                let (symbol, level, left, right) = match op {
                    Op::Add => ('+', SUM, SUM, PRODUCT),
                    Op::Sub => ('-', SUM, SUM, PRODUCT),
                    Op::Mul => ('*', PRODUCT, PRODUCT, UNARY),
                    Op::Div => ('/', PRODUCT, PRODUCT, UNARY),
                    _ => ('^', POWER, ATOM, UNARY),
                };
                (format!("{}{symbol}{}", wrap(a, left), wrap(b, right)), level)
            }
        };
        pieces.push(piece);
    }
    pieces.pop().unwrap_or_default().0
}

fn function_name(op: Op) -> &'static str {
    FUNCTIONS.iter().find(|(_, known)| *known == op).map_or("", |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::read as rust_read;

    #[test]
    fn the_operation_limit_holds_when_the_length_limit_is_lifted() {
        // Within MAX_LEN characters there cannot be MAX_NODES operations; lift the length limit to
        // check that the backstop still works.
        let sum = vec!["x"; 129].join("+"); // 257 operations
        let error = parse_limited(&sum, &rust_read, usize::MAX).unwrap_err();
        assert_eq!(error.kind, ExprErrorKind::TooManyOperations);
        let sum = vec!["x"; 128].join("+"); // 255 operations
        assert!(parse_limited(&sum, &rust_read, usize::MAX).is_ok());
    }

    #[test]
    fn ten_thousand_parentheses_stop_at_the_depth_limit_without_overflowing() {
        let deep = format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000));
        let error = parse_limited(&deep, &rust_read, usize::MAX).unwrap_err();
        assert_eq!(error, ExprError { position: MAX_DEPTH, kind: ExprErrorKind::TooDeep });
        let minuses = format!("{}x", "-".repeat(10_000));
        assert_eq!(parse_limited(&minuses, &rust_read, usize::MAX).unwrap_err().kind, ExprErrorKind::TooDeep);
    }

    #[test]
    fn a_deep_stack_uses_the_full_size_evaluator() {
        // Right-nested sums keep one value per level on the stack.
        let text = format!("{}x{}", "x+(".repeat(32), ")".repeat(32));
        let expr = Expr::parse(&text).unwrap();
        assert!(expr.stack_len > 32);
        assert_eq!(expr.value_and_gradient([1.0, 0.0]), (33.0, [33.0, 0.0]));
    }
}
