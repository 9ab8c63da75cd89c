//! Converts the model's HTML documentation to rustdoc Markdown.
//!
//! Two steps: `tokenize` splits the documentation into text (entities decoded) and tags, and
//! `Writer` turns the tokens into Markdown lines. All text is escaped so that rustdoc finds
//! no HTML, no intra-doc links, no bare URLs and no indented (doctest) code blocks in it: the
//! result can go into `///` comments as it is.

use std::mem;

/// Converts model documentation (HTML or plain text) into rustdoc Markdown lines.
pub(crate) fn html_to_markdown(html: &str) -> String {
    let tokens = tokenize(html);
    // Without a single tag the documentation is plain text, whose line breaks are kept.
    let plain = !tokens.iter().any(|t| matches!(t, Token::Tag { .. }));
    let mut writer = Writer { plain, ..Writer::default() };
    for i in 0..tokens.len() {
        writer.token(&tokens, i);
    }
    writer.finish()
}

/// Elements whose content starts on a line of its own.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div" | "section" | "article" | "blockquote" | "table" | "thead" | "tbody"
            | "tfoot" | "tr" | "caption" | "hr" | "header" | "footer" | "figure" | "figcaption"
            | "main" | "nav" | "aside" | "address" | "center" | "fullname" | "note"
            | "important" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "dl" | "li"
            | "dt" | "dd" | "pre" | "br"
    )
}

/// Names read as tags. Anything else in angle brackets (`<region>`, `<Grantee xmlns=...>`)
/// is a placeholder or an XML example in the models, and stays text.
fn is_html(name: &str) -> bool {
    is_block(name)
        || matches!(
            name,
            "a" | "abbr" | "acronym" | "b" | "big" | "cite" | "code" | "col" | "colgroup" | "del"
                | "dfn" | "em" | "font" | "i" | "img" | "ins" | "kbd" | "mark" | "q"
                | "replaceable" | "s" | "samp" | "small" | "span" | "strike" | "strong" | "sub"
                | "sup" | "td" | "th" | "tt" | "u" | "var" | "wbr"
        )
}

#[derive(Debug)]
enum Token {
    /// Text with entities decoded.
    Text(String),
    /// A tag with its lowercased name; `href` only for links.
    Tag { name: String, close: bool, href: Option<String> },
}

fn tokenize(src: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut text = String::new();
    let mut rest = src;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        match parse_tag(rest) {
            Some((name, close, href, len)) if is_html(&name) => {
                if !text.is_empty() {
                    tokens.push(Token::Text(decode(&mem::take(&mut text))));
                }
                tokens.push(Token::Tag { name, close, href });
                rest = &rest[len..];
            }
            Some((.., len)) => {
                text.push_str(&rest[..len]);
                rest = &rest[len..];
            }
            None => {
                text.push('<');
                rest = &rest[1..];
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        tokens.push(Token::Text(decode(&text)));
    }
    tokens
}

/// Parses the tag at the start of `s` (which starts with `<`): name, whether it closes, the
/// `href` attribute, and its length in bytes. `None` if it is not a well-formed tag.
fn parse_tag(s: &str) -> Option<(String, bool, Option<String>, usize)> {
    let b = s.as_bytes();
    let close = b.get(1) == Some(&b'/');
    let mut i = if close { 2 } else { 1 };
    if !b.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    let start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b"-_:.".contains(&b[i])) {
        i += 1;
    }
    let name = s[start..i].to_ascii_lowercase();
    if !matches!(b.get(i), Some(c) if c.is_ascii_whitespace() || b"/>".contains(c)) {
        return None;
    }
    let mut href = None;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if *b.get(i)? == b'>' {
            return Some((name, close, href, i + 1));
        }
        let key_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !b"=>/".contains(&b[i]) {
            i += 1;
        }
        let key = &s[key_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match *b.get(i)? {
            quote @ (b'"' | b'\'') => {
                let end = i + 1 + s[i + 1..].find(quote as char)?;
                let value = &s[i + 1..end];
                i = end + 1;
                value
            }
            _ => {
                let value_start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                &s[value_start..i]
            }
        };
        if key.eq_ignore_ascii_case("href") {
            href = Some(decode(value));
        }
    }
}

/// Decodes character references, and replaces control characters (but newlines and tabs)
/// with spaces and drops bidirectional controls, which rustc rejects in comments.
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let (c, len) = match c {
            '&' => entity(&rest[1..]).map_or(('&', 1), |(c, len)| (c, len + 1)),
            _ => (c, c.len_utf8()),
        };
        match c {
            '\n' | '\t' => out.push(c),
            '\u{a0}' => out.push(' '),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
        rest = &rest[len..];
    }
    out
}

/// The character of the reference at the start of `s` (just after `&`) and its length.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.char_indices().take(32).find(|&(_, c)| c == ';')?.0;
    let name = &s[..end];
    let c = if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        // HTML reads 128-159 as Windows-1252, as in `&#150;` for an en dash.
        const CP1252: &str = "€\u{fffd}‚ƒ„…†‡ˆ‰Š‹Œ\u{fffd}Ž\u{fffd}\u{fffd}‘’“”•–—˜™š›œ\u{fffd}žŸ";
        match code {
            0x80..=0x9f => CP1252.chars().nth(code as usize - 0x80)?,
            _ => char::from_u32(code).filter(|&c| c != '\0').unwrap_or('\u{fffd}'),
        }
    } else {
        match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "ndash" => '–',
            "mdash" => '—',
            "hellip" => '…',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "copy" => '©',
            "reg" => '®',
            "trade" => '™',
            "times" => '×',
            "deg" => '°',
            "bull" => '•',
            "middot" => '·',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Bold,
    Italic,
    Link,
    /// A link that is not written as one (no usable `href`, or inside another link).
    Plain,
}

/// An open inline element; its content is `cur[start..]`.
struct Frame {
    kind: Kind,
    href: String,
    start: usize,
}

#[derive(Default)]
struct List {
    ordered: bool,
    count: usize,
    /// Indentation of the current item's continuation lines.
    width: usize,
    /// The marker of an item whose first line is not written yet.
    marker: Option<String>,
    /// Opened by an `<li>` outside any list; closed with it.
    implicit: bool,
}

/// Raw text of an open `<code>` or `<pre>`.
struct Code {
    pre: bool,
    depth: usize,
    text: String,
    /// The code starts a block, so it may become a fenced block.
    block: bool,
}

#[derive(Default)]
struct Writer {
    plain: bool,
    lines: Vec<String>,
    /// The line being built, without list indentation.
    cur: String,
    /// Collapsed whitespace waiting for the next word.
    space: bool,
    /// A blank line goes before the next line.
    blank: bool,
    /// The last line ended with `<br>`.
    hard_break: bool,
    /// The next `<p>` continues the current line (after an item marker, `Note:` or a term).
    keep_together: bool,
    lists: Vec<List>,
    frames: Vec<Frame>,
    code: Option<Code>,
}

impl Writer {
    fn token(&mut self, tokens: &[Token], i: usize) {
        match &tokens[i] {
            Token::Text(text) => match &mut self.code {
                Some(code) => code.text.push_str(text),
                None => self.text(text),
            },
            Token::Tag { name, close, href } => {
                if self.code.is_some() && self.code_tag(name, *close, tokens, i) {
                    return;
                }
                if *close {
                    self.close(name);
                } else {
                    self.open(name, href.as_deref());
                }
            }
        }
    }

    /// A tag inside code; returns false if it ended the code and still needs handling.
    fn code_tag(&mut self, name: &str, close: bool, tokens: &[Token], i: usize) -> bool {
        let Some(code) = self.code.as_mut() else { return false };
        match name {
            "br" => code.text.push('\n'),
            "pre" if code.pre && close => self.end_code(&tokens[i + 1..]),
            _ if code.pre => {}
            "code" | "tt" | "kbd" | "samp" if close => {
                code.depth -= 1;
                if code.depth == 0 {
                    self.end_code(&tokens[i + 1..]);
                }
            }
            "code" | "tt" | "kbd" | "samp" => code.depth += 1,
            // A block tag ends an unclosed `<code>`.
            _ if is_block(name) => {
                self.end_code(&tokens[i..]);
                return false;
            }
            _ => {}
        }
        true
    }

    fn open(&mut self, name: &str, href: Option<&str>) {
        match name {
            "br" => self.line_break(),
            "ul" | "ol" | "dl" => self.open_list(name == "ol"),
            "li" => self.start_item(),
            "dt" => {
                self.start_item();
                self.open_frame(Kind::Bold, String::new());
            }
            "dd" if self.cur.is_empty() => self.start_item(),
            "dd" => {
                self.keep_together = true;
                self.space = true;
            }
            "pre" | "code" | "tt" | "kbd" | "samp" => {
                let pre = name == "pre";
                if pre {
                    self.para_break();
                }
                let block = self.cur.is_empty();
                self.code = Some(Code { pre, depth: 1, text: String::new(), block });
            }
            "note" | "important" => {
                self.para_break();
                self.cur.push_str(if name == "note" { "**Note:**" } else { "**Important:**" });
                self.space = true;
                self.keep_together = true;
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.para_break();
                self.open_frame(Kind::Bold, String::new());
            }
            "b" | "strong" => self.open_frame(Kind::Bold, String::new()),
            "i" | "em" | "cite" | "dfn" => self.open_frame(Kind::Italic, String::new()),
            "a" => match href.and_then(link_target) {
                Some(url) if !self.frames.iter().any(|f| f.kind == Kind::Link) => {
                    self.open_frame(Kind::Link, url)
                }
                _ => self.open_frame(Kind::Plain, String::new()),
            },
            "td" | "th" => self.space = true,
            _ if is_block(name) => self.para_break(),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "b" | "strong" => self.close_frame(|k| k == Kind::Bold),
            "i" | "em" | "cite" | "dfn" => self.close_frame(|k| k == Kind::Italic),
            "a" => self.close_frame(|k| matches!(k, Kind::Link | Kind::Plain)),
            "ul" | "ol" | "dl" => self.close_list(),
            "li" | "dd" => self.end_item(),
            "dt" => {
                self.close_frame(|k| k == Kind::Bold);
                if !self.cur.is_empty() {
                    self.cur.push(':');
                }
                self.keep_together = true;
            }
            "br" => self.line_break(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.close_frame(|k| k == Kind::Bold);
                self.end_block();
            }
            _ if is_block(name) => self.end_block(),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if !self.plain {
            return self.inline_text(text);
        }
        for (n, line) in text.split('\n').enumerate() {
            if n > 0 {
                self.blank |= self.cur.is_empty();
                self.finish_line();
            }
            self.inline_text(line);
        }
    }

    /// Writes text; Markdown-style `` `code` `` in it stays code.
    fn inline_text(&mut self, mut text: &str) {
        while let Some((before, code, after)) = backtick_span(text) {
            self.words(before);
            self.inline_code(code);
            text = after;
        }
        self.words(text);
    }

    fn words(&mut self, text: &str) {
        for (n, word) in text.split(|c: char| c.is_ascii_whitespace()).enumerate() {
            self.space |= n > 0;
            if !word.is_empty() {
                let prev = if self.space { None } else { self.cur.chars().next_back() };
                let autolink = !self.frames.iter().any(|f| f.kind == Kind::Link);
                let escaped = escape(word, self.cur.is_empty(), prev, autolink);
                self.push(&escaped);
            }
        }
    }

    fn push(&mut self, markdown: &str) {
        if self.space && !self.cur.is_empty() {
            self.cur.push(' ');
        }
        self.space = false;
        self.keep_together = false;
        self.cur.push_str(markdown);
    }

    fn inline_code(&mut self, code: &str) {
        let is_space = |c: char| c.is_ascii_whitespace();
        self.space |= code.starts_with(is_space);
        let joined = code.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
        if !joined.is_empty() {
            let fence = "`".repeat(longest_run(&joined) + 1);
            let pad = if joined.starts_with('`') || joined.ends_with('`') { " " } else { "" };
            self.push(&format!("{fence}{pad}{joined}{pad}{fence}"));
        }
        self.space |= code.ends_with(is_space);
    }

    /// Ends the open code: a fenced block for `<pre>` or a multi-line `<code>` that makes up
    /// a whole block (`rest` are the tokens after it), a code span otherwise.
    fn end_code(&mut self, rest: &[Token]) {
        let Some(code) = self.code.take() else { return };
        let multi_line = code.block && code.text.trim().contains('\n');
        if code.pre || (multi_line && block_follows(rest)) {
            self.fenced(&code.text);
        } else {
            self.inline_code(&code.text);
        }
    }

    fn fenced(&mut self, text: &str) {
        let lines = code_lines(text);
        if lines.is_empty() {
            return;
        }
        self.finish_line();
        self.hard_break = false;
        let fence = "`".repeat(3.max(longest_run(text) + 1));
        self.emit(&format!("{fence}text"));
        for line in &lines {
            self.emit(line);
        }
        self.emit(&fence);
        self.blank = true;
    }

    fn open_frame(&mut self, kind: Kind, href: String) {
        self.frames.push(Frame { kind, href, start: self.cur.len() });
    }

    /// Closes the innermost frame `is_kind` accepts, and any frames inside it.
    fn close_frame(&mut self, is_kind: impl Fn(Kind) -> bool) {
        if let Some(pos) = self.frames.iter().rposition(|f| is_kind(f.kind)) {
            for n in (pos..self.frames.len()).rev() {
                self.wrap(n);
            }
            self.frames.truncate(pos);
        }
    }

    /// Writes the Markdown of frame `n` around its content, with surrounding spaces moved
    /// outside the markers.
    fn wrap(&mut self, n: usize) {
        let (kind, start) = (self.frames[n].kind, self.frames[n].start.min(self.cur.len()));
        let inner = self.cur.split_off(start);
        let content = inner.trim();
        if inner.starts_with(' ') && !self.cur.is_empty() {
            self.cur.push(' ');
        }
        let href = &self.frames[n].href;
        let markdown = match kind {
            Kind::Bold if !content.is_empty() => format!("**{content}**"),
            Kind::Italic if !content.is_empty() => format!("*{content}*"),
            Kind::Link if !content.is_empty() => format!("[{content}]({href})"),
            // An empty link shows its URL.
            Kind::Link if absolute(href) => {
                let autolink = format!("<{href}>");
                return self.push(&autolink);
            }
            _ => content.to_string(),
        };
        self.cur.push_str(&markdown);
    }

    fn line_break(&mut self) {
        if !self.cur.is_empty() {
            self.finish_line();
            self.hard_break = true;
        } else if self.hard_break {
            // `<br><br>`: a paragraph break.
            self.hard_break = false;
            self.blank = true;
        }
    }

    /// Ends the paragraph, unless the current line is only a marker waiting for its text.
    fn para_break(&mut self) {
        if !self.keep_together {
            self.end_block();
        }
    }

    fn end_block(&mut self) {
        self.finish_line();
        self.hard_break = false;
        self.blank = true;
    }

    fn open_list(&mut self, ordered: bool) {
        let nested = self.lists.iter().any(|l| l.width > 0 || l.marker.is_some());
        self.finish_line();
        self.hard_break = false;
        self.blank = !nested;
        self.lists.push(List { ordered, ..List::default() });
    }

    fn close_list(&mut self) {
        self.finish_line();
        while let Some(list) = self.lists.pop() {
            if !list.implicit {
                break;
            }
        }
        self.hard_break = false;
        self.blank = true;
    }

    fn start_item(&mut self) {
        self.finish_line();
        self.hard_break = false;
        if self.lists.is_empty() {
            self.lists.push(List { implicit: true, ..List::default() });
        }
        if let Some(list) = self.lists.last_mut() {
            list.count += 1;
            let marker = if list.ordered { format!("{}. ", list.count) } else { "- ".into() };
            list.marker = Some(marker);
        }
        self.keep_together = true;
    }

    fn end_item(&mut self) {
        self.finish_line();
        self.hard_break = false;
        self.blank = false;
        if self.lists.last().is_some_and(|l| l.implicit) {
            self.lists.pop();
            self.blank = true;
        }
    }

    fn finish_line(&mut self) {
        for n in (0..self.frames.len()).rev() {
            self.wrap(n);
        }
        for frame in &mut self.frames {
            frame.start = 0;
        }
        self.space = false;
        self.keep_together = false;
        if self.cur.is_empty() {
            return;
        }
        let line = mem::take(&mut self.cur);
        if mem::take(&mut self.hard_break) && !self.blank {
            if let Some(last) = self.lines.last_mut() {
                last.push('\\');
            }
        }
        self.emit(&line);
    }

    /// Adds a line, after a blank line if one is due, indented for the open list items.
    fn emit(&mut self, content: &str) {
        if mem::take(&mut self.blank) && self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
        let mut line = String::new();
        for list in &mut self.lists {
            match list.marker.take() {
                Some(marker) => {
                    list.width = marker.len();
                    line.push_str(&marker);
                }
                None => line.push_str(&" ".repeat(list.width)),
            }
        }
        line.push_str(content);
        self.lines.push(line.trim_end().to_string());
    }

    fn finish(mut self) -> String {
        self.end_code(&[]);
        self.finish_line();
        let mut out = String::new();
        let mut blank = false;
        for line in &self.lines {
            if line.is_empty() {
                blank = !out.is_empty();
                continue;
            }
            if !out.is_empty() {
                out.push_str(if mem::take(&mut blank) { "\n\n" } else { "\n" });
            }
            out.push_str(line);
        }
        out
    }
}

/// Whether only whitespace stands between here and the end of the block.
fn block_follows(rest: &[Token]) -> bool {
    for token in rest {
        match token {
            Token::Text(text) if text.trim().is_empty() => {}
            Token::Text(_) => return false,
            Token::Tag { name, .. } => return is_block(name),
        }
    }
    true
}

/// Splits `` before `code` after `` at the first pair of single backticks around some code.
fn backtick_span(text: &str) -> Option<(&str, &str, &str)> {
    let open = text.find('`')?;
    let inner = &text[open + 1..];
    let close = inner.find('`')?;
    let (code, after) = (&inner[..close], &inner[close + 1..]);
    if code.trim().is_empty() || after.starts_with('`') {
        return None;
    }
    Some((&text[..open], code, after))
}

/// Escapes one word of text. `line_start`: it begins a line; `prev`: the character just
/// before it; `autolink`: bare URLs become `<url>` (not inside a link).
fn escape(word: &str, line_start: bool, mut prev: Option<char>, autolink: bool) -> String {
    let mut out = String::with_capacity(word.len() + 4);
    if line_start {
        // `1.` or `1)` would start an ordered list, `#` a heading, `-`/`+` a list, `=` or
        // `-` a setext heading underline.
        let digits = word.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && matches!(&word[digits..], "." | ")") {
            return format!("{}\\{}", &word[..digits], &word[digits..]);
        }
        if word.starts_with(['#', '-', '+', '=']) {
            out.push('\\');
        }
    }
    let mut rest = word;
    while let Some(c) = rest.chars().next() {
        if autolink && (rest.starts_with("http://") || rest.starts_with("https://")) {
            let url = url_prefix(rest);
            if !url.is_empty() {
                out.push_str(&format!("<{url}>"));
                rest = &rest[url.len()..];
                prev = Some('>');
                continue;
            }
        }
        let next = rest[c.len_utf8()..].chars().next();
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(prev.is_some_and(char::is_alphanumeric)
                && next.is_some_and(char::is_alphanumeric)) =>
            {
                out.push_str("\\_")
            }
            '&' if entity_like(&rest[1..]) => out.push_str("\\&"),
            _ => out.push(c),
        }
        prev = Some(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The URL at the start of `s`, without trailing punctuation; empty if nothing follows `://`.
fn url_prefix(s: &str) -> &str {
    let stop = |c: char| c.is_whitespace() || c.is_control() || "<>\"'`[]{}|\\^".contains(c);
    let mut url = &s[..s.find(stop).unwrap_or(s.len())];
    loop {
        let mut trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '*']);
        if trimmed.ends_with(')') && trimmed.matches('(').count() < trimmed.matches(')').count() {
            trimmed = &trimmed[..trimmed.len() - 1];
        }
        if trimmed.len() == url.len() {
            break;
        }
        url = trimmed;
    }
    let scheme = url.find("://").map_or(url.len(), |i| i + 3);
    if url.len() > scheme {
        url
    } else {
        ""
    }
}

/// Whether `s` (just after a `&`) would be read as a character reference.
fn entity_like(s: &str) -> bool {
    let Some(end) = s.find(';') else { return false };
    let name = &s[..end];
    let (digits, radix) = match name.strip_prefix('#') {
        Some(num) => match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (num, 10),
        },
        None => {
            return name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric())
        }
    };
    !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix))
}

/// A link destination for `href`: `http(s)`, `mailto` or relative URLs only. rustdoc must
/// not read it as an intra-doc link: a mailto address needs a dot, and a relative URL
/// without a slash gets a `./`.
fn link_target(href: &str) -> Option<String> {
    let href = href.trim();
    let scheme_end = href.find(['/', '?', '#']).unwrap_or(href.len());
    let relative = !href.is_empty() && !href[..scheme_end].contains(':');
    let mailto = href.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("mailto:"));
    if !(relative || (absolute(href) && (!mailto || href.contains('.') && !href.contains('#')))) {
        return None;
    }
    let mut out = String::with_capacity(href.len() + 2);
    if relative && !href.contains('/') && !href.starts_with('#') {
        out.push_str("./");
    }
    for c in href.chars() {
        match c {
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\\' => out.push_str("%5C"),
            ' ' => out.push_str("%20"),
            c if c.is_whitespace() || c.is_control() => {}
            c => out.push(c),
        }
    }
    Some(out)
}

/// Whether `href` is an `http(s)` or `mailto` URL.
fn absolute(href: &str) -> bool {
    let lower = href.get(..8).unwrap_or(href).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// The lines of a code block: indentation common to the lines removed (the first line,
/// which follows the tag, counts apart), blank lines at the ends dropped, runs of blank
/// lines collapsed.
fn code_lines(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let skip_first = lines.first().is_some_and(|l| !l.trim().is_empty());
    let indent = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    let common = lines
        .iter()
        .skip(usize::from(skip_first))
        .filter(|l| !l.trim().is_empty())
        .map(|l| indent(l))
        .min()
        .unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let line = if n == 0 && skip_first { line.trim() } else { &line[indent(line).min(common)..] };
        let line = line.trim_end();
        if !line.is_empty() || out.last().is_some_and(|l| !l.is_empty()) {
            out.push(line.to_string());
        }
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// The longest run of backticks in `s`.
fn longest_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown as md;

    #[test]
    fn placeholder() {
        assert_eq!(md("<p>a</p>"), "a");
    }
}
