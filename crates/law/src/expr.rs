//! Conditions: the small language after `when:`, `means:` and `doubt-when:`.
//!
//! ```text
//! cond  := or
//! or    := and ("or" and)*
//! and   := not ("and" not)*
//! not   := "not" not | atom
//! atom  := "(" cond ")" | "true" | "false"
//!        | "asks" ACT
//!        | "field" ("in" SET | "=" NAME)
//!        | NAME                                 -- a yes/no fact, or a definition
//!        | NAME ("=" | "!=") NAME               -- an enumeration fact
//!        | NAME ("in" | "not" "in") SET
//!        | NAME "has" ("any" | "all")? (SET | NAME)   -- a set fact
//! SET   := "{" NAME ("," NAME)* "}"
//! NAME  := [a-z0-9][a-z0-9.-]*  ("::" NAME)?    -- `law::name` reaches another law's definition
//! ```
//!
//! Parsing only checks the shape; `load` resolves names against the schema.

use crate::syntax::{Spanned, Value};

#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Const(bool),
    /// A bare name: a yes/no fact or a definition.
    Name(Spanned),
    /// `fact = v`, `fact != v`, `fact in {..}`, `fact not in {..}`.
    Is {
        fact: Spanned,
        values: Vec<Spanned>,
        negated: bool,
    },
    /// `fact has any {..}` / `fact has all {..}`.
    Has {
        fact: Spanned,
        values: Vec<Spanned>,
        all: bool,
    },
    /// `field in {..}` / `field = v`.
    FieldIn(Vec<Spanned>),
    Asks(Spanned),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    Eq,
    Ne,
}

/// Parses a condition; on error returns (file offset, message).
pub(crate) fn parse(value: &Value) -> Result<Expr, (usize, String)> {
    let toks = lex(value)?;
    let mut p = Parser {
        toks,
        pos: 0,
        end: value.offset_of(value.text.len()),
        depth: 0,
        links: 0,
    };
    if p.toks.is_empty() {
        return Err((
            value.offset(),
            "expected a condition, found nothing".to_owned(),
        ));
    }
    let e = p.or()?;
    match p.toks.get(p.pos) {
        None => Ok(e),
        Some((t, off)) => Err((
            *off,
            format!(
                "expected `and`, `or` or the end of the condition, found {}",
                show(t)
            ),
        )),
    }
}

fn lex(value: &Value) -> Result<Vec<(Tok, usize)>, (usize, String)> {
    let s = value.text.as_str();
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let off = value.offset_of(i);
        match c {
            b' ' | b'\t' => {
                i += 1;
                continue;
            }
            b'{' => out.push((Tok::LBrace, off)),
            b'}' => out.push((Tok::RBrace, off)),
            b'(' => out.push((Tok::LParen, off)),
            b')' => out.push((Tok::RParen, off)),
            b',' => out.push((Tok::Comma, off)),
            b'=' => out.push((Tok::Eq, off)),
            b'!' if b.get(i + 1) == Some(&b'=') => {
                out.push((Tok::Ne, off));
                i += 2;
                continue;
            }
            c if c.is_ascii_lowercase() || c.is_ascii_digit() => {
                let start = i;
                while let Some(&c) = b.get(i) {
                    let part_of_name =
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.';
                    if part_of_name {
                        i += 1;
                    } else if c == b':' && b.get(i + 1) == Some(&b':') {
                        i += 2;
                    } else {
                        break;
                    }
                }
                out.push((
                    Tok::Name(s.get(start..i).unwrap_or_default().to_owned()),
                    off,
                ));
                continue;
            }
            _ => {
                let ch = s.get(i..).and_then(|r| r.chars().next()).unwrap_or('?');
                let hint = if ch.is_uppercase() {
                    " (names are lower-case, with hyphens)"
                } else {
                    ""
                };
                return Err((
                    off,
                    format!("unexpected character `{ch}` in a condition{hint}"),
                ));
            }
        }
        i += 1;
    }
    Ok(out)
}

fn show(t: &Tok) -> String {
    match t {
        Tok::Name(n) => format!("`{n}`"),
        Tok::LBrace => "`{`".into(),
        Tok::RBrace => "`}`".into(),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Eq => "`=`".into(),
        Tok::Ne => "`!=`".into(),
    }
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end: usize,
    /// Current nesting of parentheses and `not`s.
    depth: usize,
    /// `and`/`or` nodes built so far (each deepens the tree by one).
    links: usize,
}

/// How deep a condition may nest. Law is never written this deep; the limit keeps
/// every later walk of the tree (resolving, compiling, deciding) within the stack.
const MAX_DEPTH: usize = 32;
/// How many `and`/`or` one condition may chain.
const MAX_LINKS: usize = 128;

const KEYWORDS: &[&str] = &[
    "and", "or", "not", "in", "has", "any", "all", "true", "false", "asks", "field",
];

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn here(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(_, o)| *o)
    }

    fn at_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Name(n)) if n == w)
    }

    fn found(&self) -> String {
        self.peek()
            .map_or_else(|| "the end of the condition".to_owned(), show)
    }

    fn link(&mut self) -> Result<(), (usize, String)> {
        self.links += 1;
        if self.links > MAX_LINKS {
            return Err((
                self.here(),
                format!(
                    "this condition chains more than {MAX_LINKS} `and`/`or`; split it into definitions"
                ),
            ));
        }
        Ok(())
    }

    fn deeper(&mut self) -> Result<(), (usize, String)> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err((
                self.here(),
                format!(
                    "this condition nests more than {MAX_DEPTH} levels deep; split it into definitions"
                ),
            ));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, (usize, String)> {
        let mut e = self.and()?;
        while self.at_word("or") {
            self.link()?;
            self.pos += 1;
            e = Expr::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr, (usize, String)> {
        let mut e = self.not()?;
        while self.at_word("and") {
            self.link()?;
            self.pos += 1;
            e = Expr::And(Box::new(e), Box::new(self.not()?));
        }
        Ok(e)
    }

    fn not(&mut self) -> Result<Expr, (usize, String)> {
        if self.at_word("not") {
            self.deeper()?;
            self.pos += 1;
            let e = Expr::Not(Box::new(self.not()?));
            self.depth -= 1;
            return Ok(e);
        }
        self.atom()
    }

    fn name(&mut self, what: &str) -> Result<Spanned, (usize, String)> {
        match self.toks.get(self.pos) {
            Some((Tok::Name(n), off)) if !KEYWORDS.contains(&n.as_str()) => {
                let s = Spanned {
                    text: n.clone(),
                    offset: *off,
                };
                self.pos += 1;
                Ok(s)
            }
            _ => Err((
                self.here(),
                format!("expected {what}, found {}", self.found()),
            )),
        }
    }

    fn expect(&mut self, t: &Tok) -> Result<(), (usize, String)> {
        if self.peek() == Some(t) {
            self.pos += 1;
            Ok(())
        } else {
            Err((
                self.here(),
                format!("expected {}, found {}", show(t), self.found()),
            ))
        }
    }

    fn set(&mut self) -> Result<Vec<Spanned>, (usize, String)> {
        if self.peek() != Some(&Tok::LBrace) {
            return Ok(vec![self.name("a value or `{`")?]);
        }
        self.pos += 1;
        let mut out = vec![self.name("a value")?];
        while self.peek() == Some(&Tok::Comma) {
            self.pos += 1;
            out.push(self.name("a value")?);
        }
        self.expect(&Tok::RBrace)?;
        Ok(out)
    }

    fn atom(&mut self) -> Result<Expr, (usize, String)> {
        match self.peek() {
            Some(Tok::LParen) => {
                self.deeper()?;
                self.pos += 1;
                let e = self.or()?;
                self.expect(&Tok::RParen)?;
                self.depth -= 1;
                return Ok(e);
            }
            Some(Tok::Name(n)) if n == "true" || n == "false" => {
                let v = n == "true";
                self.pos += 1;
                return Ok(Expr::Const(v));
            }
            Some(Tok::Name(n)) if n == "asks" => {
                self.pos += 1;
                return Ok(Expr::Asks(self.name("an act after `asks`")?));
            }
            Some(Tok::Name(n)) if n == "field" => {
                self.pos += 1;
                if self.at_word("in") {
                    self.pos += 1;
                    return Ok(Expr::FieldIn(self.set()?));
                }
                self.expect(&Tok::Eq)?;
                return Ok(Expr::FieldIn(vec![self.name("a field")?]));
            }
            _ => {}
        }
        let fact = self.name("a fact, a definition, `not` or `(`")?;
        match self.peek() {
            Some(Tok::Eq) => {
                self.pos += 1;
                Ok(Expr::Is {
                    fact,
                    values: vec![self.name("a value")?],
                    negated: false,
                })
            }
            Some(Tok::Ne) => {
                self.pos += 1;
                Ok(Expr::Is {
                    fact,
                    values: vec![self.name("a value")?],
                    negated: true,
                })
            }
            Some(Tok::Name(n)) if n == "in" => {
                self.pos += 1;
                Ok(Expr::Is {
                    fact,
                    values: self.set()?,
                    negated: false,
                })
            }
            Some(Tok::Name(n))
                if n == "not"
                    && matches!(self.toks.get(self.pos + 1), Some((Tok::Name(m), _)) if m == "in") =>
            {
                self.pos += 2;
                Ok(Expr::Is {
                    fact,
                    values: self.set()?,
                    negated: true,
                })
            }
            Some(Tok::Name(n)) if n == "has" => {
                self.pos += 1;
                let all = if self.at_word("all") {
                    self.pos += 1;
                    true
                } else {
                    if self.at_word("any") {
                        self.pos += 1;
                    }
                    false
                };
                Ok(Expr::Has {
                    fact,
                    values: self.set()?,
                    all,
                })
            }
            _ => Ok(Expr::Name(fact)),
        }
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, reason = "a test fails by panicking")]
mod tests {
    use super::*;

    fn check(src: &str, expect: &str) {
        let v = Value::new(src, 0);
        let got = match parse(&v) {
            Ok(e) => show_expr(&e),
            Err((off, msg)) => format!("error at {off}: {msg}"),
        };
        assert_eq!(got, expect, "{src}");
    }

    fn names(v: &[Spanned]) -> String {
        v.iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    fn show_expr(e: &Expr) -> String {
        match e {
            Expr::Const(b) => b.to_string(),
            Expr::Name(n) => n.text.clone(),
            Expr::Is {
                fact,
                values,
                negated,
            } => format!(
                "({} {} {{{}}})",
                fact.text,
                if *negated { "∉" } else { "∈" },
                names(values)
            ),
            Expr::Has { fact, values, all } => format!(
                "({} has {} {{{}}})",
                fact.text,
                if *all { "all" } else { "any" },
                names(values)
            ),
            Expr::FieldIn(v) => format!("(field ∈ {{{}}})", names(v)),
            Expr::Asks(a) => format!("(asks {})", a.text),
            Expr::Not(e) => format!("¬{}", show_expr(e)),
            Expr::And(a, b) => format!("({} ∧ {})", show_expr(a), show_expr(b)),
            Expr::Or(a, b) => format!("({} ∨ {})", show_expr(a), show_expr(b)),
        }
    }

    #[test]
    fn grammar() {
        check("a and b or c", "((a ∧ b) ∨ c)");
        check("a and (b or not c)", "(a ∧ (b ∨ ¬c))");
        check("requester in {ice-ero, cbp}", "(requester ∈ {ice-ero,cbp})");
        check("custody != released", "(custody ∉ {released})");
        check("age not in {juvenile}", "(age ∉ {juvenile})");
        check(
            "documents has {i-200, i-205}",
            "(documents has any {i-200,i-205})",
        );
        check(
            "documents has all {i-200, i-205}",
            "(documents has all {i-200,i-205})",
        );
        check("field = home-address", "(field ∈ {home-address})");
        check(
            "ma-98f::public-log-field and asks detain",
            "(ma-98f::public-log-field ∧ (asks detain))",
        );
        check("true", "true");
    }

    #[test]
    fn errors_say_where_and_what() {
        check(
            "a and",
            "error at 5: expected a fact, a definition, `not` or `(`, found the end of the condition",
        );
        check(
            "a b",
            "error at 2: expected `and`, `or` or the end of the condition, found `b`",
        );
        check(
            "Requester = x",
            "error at 0: unexpected character `R` in a condition (names are lower-case, with hyphens)",
        );
        check(
            "x in {a,",
            "error at 8: expected a value, found the end of the condition",
        );
        check(
            "(a",
            "error at 2: expected `)`, found the end of the condition",
        );
        check("", "error at 0: expected a condition, found nothing");
        check(
            &format!("{}a{}", "(".repeat(40), ")".repeat(40)),
            "error at 32: this condition nests more than 32 levels deep; split it into definitions",
        );
        check(
            &format!("{}a", "not ".repeat(40)),
            "error at 128: this condition nests more than 32 levels deep; split it into definitions",
        );
        check(
            &vec!["a"; 200].join(" and "),
            "error at 770: this condition chains more than 128 `and`/`or`; split it into definitions",
        );
        check(&format!("{}a{}", "(".repeat(32), ")".repeat(32)), "a");
    }
}
