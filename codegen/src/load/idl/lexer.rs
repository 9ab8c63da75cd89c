//! Splits Smithy IDL text into tokens, whitespace and comments included: the IDL gives
//! meaning to line breaks and spaces, so the parser sees them.
//!
//! Lexing never fails: a character or literal that is not valid becomes an [`Tok::Error`]
//! token carrying its message, reported only if the parser reaches it.

use crate::model::Pos;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// Spaces and tabs.
    Space,
    Newline,
    Comma,
    /// `//` to the end of the line, the line break included.
    Comment,
    /// `///` to the end of the line, the line break included.
    DocComment,
    Identifier,
    /// A quoted string, quotes included.
    String,
    /// A `"""` text block, delimiters included.
    TextBlock,
    Number,
    Dollar,
    Pound,
    Dot,
    Colon,
    Walrus,
    Equal,
    At,
    LParen,
    RParen,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Error,
    Eof,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub kind: Tok,
    /// Byte range in the source (a file is at most 4 GiB; [`lex`] callers check).
    pub start: u32,
    pub end: u32,
    pub pos: Pos,
    /// For [`Tok::Error`]: what is wrong, and where (an unclosed string is reported where
    /// the file ends). Boxed: tokens are many and errors rare.
    pub error: Option<Box<(String, Pos)>>,
}

impl Tok {
    /// The token's name in messages, as Smithy's own tokenizer names it.
    pub fn name(self) -> &'static str {
        match self {
            Tok::Space => "SPACE",
            Tok::Newline => "NEWLINE",
            Tok::Comma => "COMMA",
            Tok::Comment | Tok::DocComment => "COMMENT",
            Tok::Identifier => "IDENTIFIER",
            Tok::String => "STRING",
            Tok::TextBlock => "TEXT_BLOCK",
            Tok::Number => "NUMBER",
            Tok::Dollar => "DOLLAR",
            Tok::Pound => "POUND",
            Tok::Dot => "DOT",
            Tok::Colon => "COLON",
            Tok::Walrus => "WALRUS",
            Tok::Equal => "EQUAL",
            Tok::At => "AT",
            Tok::LParen => "LPAREN",
            Tok::RParen => "RPAREN",
            Tok::LBrace => "LBRACE",
            Tok::RBrace => "RBRACE",
            Tok::LBracket => "LBRACKET",
            Tok::RBracket => "RBRACKET",
            Tok::Error => "ERROR",
            Tok::Eof => "EOF",
        }
    }

    /// How an expected token is shown: `COLON(':')`, `IDENTIFIER`.
    pub fn expected(self) -> String {
        let text = match self {
            Tok::Space => " ",
            Tok::Newline => "\\n",
            Tok::Comma => ",",
            Tok::String => "\"",
            Tok::TextBlock => "\"\"\"",
            Tok::Dollar => "$",
            Tok::Pound => "#",
            Tok::Dot => ".",
            Tok::Colon => ":",
            Tok::Walrus => ":=",
            Tok::Equal => "=",
            Tok::At => "@",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBrace => "{",
            Tok::RBrace => "}",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            _ => return self.name().to_owned(),
        };
        format!("{}('{text}')", self.name())
    }
}

pub fn lex(src: &str) -> Vec<Token> {
    // About one token per four bytes in real models.
    let out = Vec::with_capacity(src.len() / 4 + 1);
    let mut lexer = Lexer { src, bytes: src.as_bytes(), at: 0, line: 1, col: 1, out };
    lexer.run();
    lexer.out
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    at: usize,
    line: u32,
    col: u32,
    out: Vec<Token>,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    fn pos(&self) -> Pos {
        Pos { line: self.line, col: self.col }
    }

    /// Moves over one character, keeping line and column.
    fn bump(&mut self) {
        // ASCII other than line breaks, the common case: one byte, one column.
        if let Some(&b) = self.bytes.get(self.at) {
            if b.is_ascii() && b != b'\n' && b != b'\r' {
                self.at += 1;
                self.col += 1;
                return;
            }
        }
        let Some(c) = self.src.get(self.at..).and_then(|s| s.chars().next()) else { return };
        self.at += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else if c == '\r' {
            if self.peek(0) == Some(b'\n') {
                self.at += 1;
            }
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
    }

    fn push(&mut self, kind: Tok, start: usize, pos: Pos, error: Option<(String, Pos)>) {
        let (start, end) = (u32::try_from(start).unwrap_or(u32::MAX), u32::try_from(self.at).unwrap_or(u32::MAX));
        self.out.push(Token { kind, start, end, pos, error: error.map(Box::new) });
    }

    fn run(&mut self) {
        while let Some(b) = self.peek(0) {
            let (start, pos) = (self.at, self.pos());
            let mut error = None;
            let kind = match b {
                b' ' | b'\t' => {
                    while matches!(self.peek(0), Some(b' ' | b'\t')) {
                        self.bump();
                    }
                    Tok::Space
                }
                b'\n' | b'\r' => {
                    self.bump();
                    Tok::Newline
                }
                b',' => self.single(Tok::Comma),
                b'/' if self.peek(1) == Some(b'/') => {
                    let doc = self.peek(2) == Some(b'/');
                    while let Some(c) = self.peek(0) {
                        self.bump();
                        if c == b'\n' || c == b'\r' {
                            break;
                        }
                    }
                    if doc {
                        Tok::DocComment
                    } else {
                        Tok::Comment
                    }
                }
                b'"' => {
                    let block = self.peek(1) == Some(b'"') && self.peek(2) == Some(b'"');
                    error = self.string(block);
                    if block {
                        Tok::TextBlock
                    } else {
                        Tok::String
                    }
                }
                b'-' | b'0'..=b'9' => {
                    if b == b'-' && !self.peek(1).is_some_and(|c| c.is_ascii_digit()) {
                        self.bump();
                        error = Some(("Invalid number '-': '-' must be followed by a digit".to_owned(), pos));
                        Tok::Error
                    } else {
                        error = self.number().map(|m| (m, pos));
                        if error.is_some() {
                            Tok::Error
                        } else {
                            Tok::Number
                        }
                    }
                }
                b'A'..=b'Z' | b'a'..=b'z' | b'_' => {
                    while self.peek(0) == Some(b'_') {
                        self.bump();
                    }
                    // Leading underscores must be followed by a letter or a digit; the error
                    // is where that character should be, as Smithy reports it.
                    if b == b'_' && !self.peek(0).is_some_and(|c| c.is_ascii_alphanumeric()) {
                        let found = match self.src.get(self.at..).and_then(|s| s.chars().next()) {
                            Some(c) => c.escape_debug().to_string(),
                            None => "[EOF]".to_owned(),
                        };
                        error = Some((format!("Expected a valid identifier character, but found '{found}'"), self.pos()));
                        Tok::Error
                    } else {
                        while self.peek(0).is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_') {
                            self.bump();
                        }
                        Tok::Identifier
                    }
                }
                b'$' => self.single(Tok::Dollar),
                b'#' => self.single(Tok::Pound),
                b'.' => self.single(Tok::Dot),
                b':' if self.peek(1) == Some(b'=') => {
                    self.bump();
                    self.bump();
                    Tok::Walrus
                }
                b':' => self.single(Tok::Colon),
                b'=' => self.single(Tok::Equal),
                b'@' => self.single(Tok::At),
                b'(' => self.single(Tok::LParen),
                b')' => self.single(Tok::RParen),
                b'{' => self.single(Tok::LBrace),
                b'}' => self.single(Tok::RBrace),
                b'[' => self.single(Tok::LBracket),
                b']' => self.single(Tok::RBracket),
                _ => {
                    let c = self.src.get(self.at..).and_then(|s| s.chars().next()).unwrap_or('?');
                    self.bump();
                    error = Some((format!("Unexpected character: '{}'", c.escape_debug()), pos));
                    Tok::Error
                }
            };
            self.push(kind, start, pos, error);
        }
        let pos = self.pos();
        self.push(Tok::Eof, self.at, pos, None);
    }

    fn single(&mut self, kind: Tok) -> Tok {
        self.bump();
        kind
    }

    /// Moves over a quoted string or a text block; an unclosed one runs to the end of the
    /// file and is an error there.
    fn string(&mut self, block: bool) -> Option<(String, Pos)> {
        let quotes = if block { 3 } else { 1 };
        for _ in 0..quotes {
            self.bump();
        }
        loop {
            match self.peek(0) {
                None => return Some(("Expected: '\"', but found '[EOF]'".to_owned(), self.pos())),
                Some(b'\\') => {
                    self.bump();
                    self.bump();
                }
                Some(b'"') if !block || (self.peek(1) == Some(b'"') && self.peek(2) == Some(b'"')) => {
                    for _ in 0..quotes {
                        self.bump();
                    }
                    return None;
                }
                Some(_) => self.bump(),
            }
        }
    }

    /// Moves over a number: `-`? digits, then `.` digits, then `e` or `E`, a sign, digits.
    fn number(&mut self) -> Option<String> {
        let start = self.at;
        if self.peek(0) == Some(b'-') {
            self.bump();
        }
        self.digits();
        let text = |l: &Self| l.src.get(start..l.at).unwrap_or_default().to_owned();
        if self.peek(0) == Some(b'.') {
            self.bump();
            if self.digits() == 0 {
                return Some(format!("Invalid number '{}': '.' must be followed by a digit", text(self)));
            }
        }
        if matches!(self.peek(0), Some(b'e' | b'E')) {
            self.bump();
            if matches!(self.peek(0), Some(b'+' | b'-')) {
                self.bump();
            }
            if self.digits() == 0 {
                return Some(format!("Invalid number '{}': 'e', '+', and '-' must be followed by a digit", text(self)));
            }
        }
        None
    }

    fn digits(&mut self) -> usize {
        let mut n = 0;
        while self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
            n += 1;
        }
        n
    }
}

/// The value of a quoted string (`"` delimiters removed): escapes replaced, line breaks
/// normalized to `\n`.
pub fn quoted_string(raw: &str) -> Result<String, String> {
    unescape(&normalize_newlines(raw)).map_err(|e| format!("Error parsing quoted string: {e}"))
}

/// The value of a text block (`"""` delimiters removed): the first line break dropped,
/// incidental indentation and trailing spaces removed, then escapes replaced.
pub fn text_block(raw: &str) -> Result<String, String> {
    let raw = normalize_newlines(raw);
    let err = |e: String| format!("Error parsing text block: {e}");
    if raw.is_empty() {
        return Err(err("Text block is empty".into()));
    }
    let Some(body) = raw.strip_prefix('\n') else {
        return Err(err("Text block must start with a new line".into()));
    };
    let lines: Vec<&str> = body.split('\n').collect();
    let last = lines.len().saturating_sub(1);
    let indent = |l: &str| l.chars().take_while(|c| *c == ' ' || *c == '\t').count();
    let blank = |l: &str| l.chars().all(|c| c == ' ' || c == '\t');
    let strip = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| !blank(l) || *i == last)
        .map(|(_, l)| indent(l))
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(body.len());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // The indentation is spaces and tabs: one byte each.
        let rest = line.get(strip.min(line.len())..).unwrap_or_default();
        out.push_str(rest.trim_end_matches([' ', '\t']));
    }
    unescape(&out).map_err(err)
}

fn normalize_newlines(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_owned()
    }
}

/// Whether `c` may stand unescaped in a string: the grammar's `QuotedChar` allows a tab and
/// line breaks, but no other control character.
fn is_string_char(c: char) -> bool {
    c >= ' ' || matches!(c, '\t' | '\n' | '\r')
}

/// Replaces the escapes the grammar's `EscapedChar` lists (and an escaped line break, which
/// Smithy removes); any other escape, or a control character, is an error.
fn unescape(s: &str) -> Result<String, String> {
    if let Some(c) = s.chars().find(|c| !is_string_char(*c)) {
        return Err(format!("Invalid string character: `{}`", c.escape_debug()));
    }
    if !s.contains('\\') {
        return Ok(s.to_owned());
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('\n') => {}
            Some('u') => {
                let mut code = 0u32;
                for _ in 0..4 {
                    match chars.next() {
                        None => return Err("Invalid unclosed unicode escape found in string".into()),
                        Some(h) => match h.to_digit(16) {
                            Some(d) => code = code * 16 + d,
                            None => return Err(format!("Invalid unicode escape character: `{h}`")),
                        },
                    }
                }
                // A surrogate pair is two escapes.
                if (0xD800..0xDC00).contains(&code) {
                    let rest = chars.as_str();
                    let low = rest
                        .strip_prefix("\\u")
                        .and_then(|r| r.get(..4))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .filter(|l| (0xDC00..0xE000).contains(l));
                    if let Some(low) = low {
                        chars = rest.get(6..).unwrap_or_default().chars();
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    }
                }
                out.push(char::from_u32(code).ok_or_else(|| format!("Invalid unicode escape: `\\u{code:04x}`"))?);
            }
            Some(other) => return Err(format!("Invalid escape found in string: `\\{other}`")),
            None => return Err("Invalid escape found in string: `\\`".into()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_blocks_lose_incidental_indentation() {
        assert_eq!(text_block("\n    Foo\n      Bar\n    ").unwrap(), "Foo\n  Bar\n");
        assert_eq!(text_block("\n    Foo\n    Bar").unwrap(), "Foo\nBar");
        assert_eq!(text_block("\n  It \\\n  can").unwrap(), "It can");
        assert!(text_block("").is_err());
        assert!(text_block("x").is_err());
    }

    #[test]
    fn escapes() {
        assert_eq!(quoted_string(r#"a\"b\\c\u0041\n"#).unwrap(), "a\"b\\cA\n");
        assert_eq!(quoted_string(r"\ud83d\ude00").unwrap(), "😀");
        assert!(quoted_string(r"\ ").unwrap_err().contains("Invalid escape"));
        assert!(quoted_string(r"\u12").unwrap_err().contains("unclosed"));
        assert!(quoted_string(r"\u12tz").unwrap_err().contains("`t`"));
    }

    #[test]
    fn positions_count_characters() {
        let toks = lex("é x\n\"a\nb\" y");
        let y = toks.iter().find(|t| t.kind == Tok::Identifier && t.start > 5).unwrap();
        assert_eq!(y.pos, Pos { line: 3, col: 4 });
        assert_eq!(toks[2].pos, Pos { line: 1, col: 3 });
    }
}
