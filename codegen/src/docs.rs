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
    expand_tabs(writer.finish())
}

/// Tabs become spaces to the next multiple of four columns (clippy's `tabs_in_doc_comments`
/// refuses them; code blocks keep their alignment).
fn expand_tabs(text: String) -> String {
    if !text.contains('\t') {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut column = 0;
    for c in text.chars() {
        match c {
            '\t' => {
                let width = 4 - column % 4;
                out.extend(std::iter::repeat_n(' ', width));
                column += width;
            }
            '\n' => {
                out.push(c);
                column = 0;
            }
            c => {
                out.push(c);
                column += 1;
            }
        }
    }
    out
}

/// Elements whose content starts on a line of its own.
const BLOCK_TAGS: &str = "p div section article blockquote table thead tbody tfoot tr caption hr \
    header footer figure figcaption main nav aside address center fullname note important \
    h1 h2 h3 h4 h5 h6 ul ol dl li dt dd pre br";

/// Other names read as tags. Anything else in angle brackets (`<region>`, `<Grantee ...>`)
/// is a placeholder or an XML example in the models, and stays text.
const INLINE_TAGS: &str = "a abbr acronym b big cite code col colgroup del dfn em font i img \
    ins kbd mark q replaceable s samp small span strike strong sub sup td th tt u var wbr";

fn is_block(name: &str) -> bool {
    BLOCK_TAGS.split_ascii_whitespace().any(|tag| tag == name)
}

fn is_html(name: &str) -> bool {
    is_block(name) || INLINE_TAGS.split_ascii_whitespace().any(|tag| tag == name)
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
    let at = |i: usize| b.get(i).copied();
    let start = i;
    while at(i).is_some_and(|c| c.is_ascii_alphanumeric() || b"-_:.".contains(&c)) {
        i += 1;
    }
    let name = s[start..i].to_ascii_lowercase();
    if !matches!(b.get(i), Some(c) if c.is_ascii_whitespace() || b"/>".contains(c)) {
        return None;
    }
    let mut href = None;
    loop {
        while at(i).is_some_and(|c| c.is_ascii_whitespace() || c == b'/') {
            i += 1;
        }
        if *b.get(i)? == b'>' {
            return Some((name, close, href, i + 1));
        }
        let key_start = i;
        while at(i).is_some_and(|c| !c.is_ascii_whitespace() && !b"=>/".contains(&c)) {
            i += 1;
        }
        let key = &s[key_start..i];
        while at(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while at(i).is_some_and(|c| c.is_ascii_whitespace()) {
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
                while at(i).is_some_and(|c| !c.is_ascii_whitespace() && c != b'>') {
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
        // Each entry is a name followed by its character.
        const NAMED: &str = "lt< gt> amp& quot\" apos' nbsp\u{a0} ndash– mdash— hellip… lsquo‘ \
            rsquo’ ldquo“ rdquo” copy© reg® trade™ times× deg° bull• middot·";
        NAMED.split_ascii_whitespace().find_map(|entry| {
            let c = entry.chars().next_back()?;
            (entry.strip_suffix(c)? == name).then_some(c)
        })?
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
    /// Same-kind elements opened directly inside it (`<b><b>`), which add nothing.
    nested: usize,
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
    /// Uses `*` or `1)` markers, to stay apart from a list just before it.
    alt: bool,
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
    /// Depth and `alt` of a list that just ended, with no line written since.
    list_ended: Option<(usize, bool)>,
    frames: Vec<Frame>,
    code: Option<Code>,
}

impl Writer {
    fn token(&mut self, tokens: &[Token], i: usize) {
        let Some(token) = tokens.get(i) else { return };
        match token {
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
            "pre" if code.pre && close => self.end_code(tokens.get(i + 1..).unwrap_or_default()),
            _ if code.pre => {}
            "code" | "tt" | "kbd" | "samp" if close => {
                code.depth -= 1;
                if code.depth == 0 {
                    self.end_code(tokens.get(i + 1..).unwrap_or_default());
                }
            }
            "code" | "tt" | "kbd" | "samp" => code.depth += 1,
            // A block tag ends an unclosed `<code>`.
            _ if is_block(name) => {
                self.end_code(tokens.get(i..).unwrap_or_default());
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
        match self.frames.last_mut() {
            Some(last) if last.kind == kind && kind != Kind::Link => last.nested += 1,
            _ => self.frames.push(Frame { kind, href, start: self.cur.len(), nested: 0 }),
        }
    }

    /// Closes the innermost frame `is_kind` accepts, and any frames inside it.
    fn close_frame(&mut self, is_kind: impl Fn(Kind) -> bool) {
        if let Some(pos) = self.frames.iter().rposition(|f| is_kind(f.kind)) {
            if let Some(frame) = self.frames.get_mut(pos).filter(|f| f.nested > 0) {
                frame.nested -= 1;
                return;
            }
            for n in (pos..self.frames.len()).rev() {
                self.wrap(n);
            }
            self.frames.truncate(pos);
        }
    }

    /// Writes the Markdown of frame `n` around its content, with surrounding spaces moved
    /// outside the markers.
    fn wrap(&mut self, n: usize) {
        let Some(frame) = self.frames.get(n) else { return };
        let (kind, start) = (frame.kind, frame.start.min(self.cur.len()));
        let inner = self.cur.split_off(start);
        let content = inner.trim();
        if inner.starts_with(' ') && !self.cur.is_empty() {
            self.cur.push(' ');
        }
        let href = &frame.href;
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
        // Two lists in a row would make one in Markdown, unless their markers differ.
        let alt = self.list_ended.is_some_and(|(depth, alt)| depth == self.lists.len() && !alt);
        self.lists.push(List { ordered, alt, ..List::default() });
    }

    fn close_list(&mut self) {
        self.finish_line();
        while let Some(list) = self.lists.pop() {
            if !list.implicit {
                self.list_ended = Some((self.lists.len(), list.alt));
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
            let marker = match (list.ordered, list.alt) {
                (true, alt) => format!("{}{} ", list.count, if alt { ')' } else { '.' }),
                (false, alt) => (if alt { "* " } else { "- " }).to_string(),
            };
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
        self.list_ended = None;
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
        let line =
            if n == 0 && skip_first { line.trim() } else { &line[indent(line).min(common)..] };
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
    fn rules() {
        let cases: &[(&str, &str)] = &[
            // Paragraphs, line breaks, whitespace.
            ("<p>a</p><p>b</p>", "a\n\nb"),
            ("<div>a</div>b<div>c</div>", "a\n\nb\n\nc"),
            ("<p>  a \n   b\t c  </p>\n\n\n<p></p><p>d</p>", "a b c\n\nd"),
            ("<p>a<br>b<br/>c</p><p>d<BR><br>e</p>", "a\\\nb\\\nc\n\nd\n\ne"),
            ("<p>a<br></p><p>b</p><ul><li>c<br></li><li>d</li></ul>", "a\n\nb\n\n- c\n- d"),
            // Inline formatting.
            ("<b>bold</b> <strong>s</strong> <i>it</i> <em>em</em>", "**bold** **s** *it* *em*"),
            ("a<b> b </b>c <i> </i>d<b></b>", "a **b** c d"),
            ("<b>x <i>y</b> z</i>", "**x *y*** z"),
            ("<b>a<b>b</b>c</b>d", "**abc**d"),
            ("<p>The <code>imageDigest</code> value</p>", "The `imageDigest` value"),
            ("<code>a `b` c</code> <code>`x</code>", "``a `b` c`` `` `x ``"),
            ("<code>multi\n      line</code> code", "`multi line` code"),
            ("<p>use `Foo` here</p>", "use `Foo` here"),
            // Links.
            (r#"<a href="https://x.com/a">the guide</a>."#, "[the guide](https://x.com/a)."),
            (r#"<a href="https://x.com/a(b) c">[t]</a>"#, r"[\[t\]](https://x.com/a%28b%29%20c)"),
            (r#"<a href='mailto:a@b.com'>m</a> <a href=/p/q.html>r</a>"#, "[m](mailto:a@b.com) [r](/p/q.html)"),
            (r##"<a href="Foo">f</a> <a href="#frag">g</a>"##, "[f](./Foo) [g](#frag)"),
            (r#"<a>no href</a> <a href="javascript:x()">js</a> <a href="https://e.com"></a>"#, "no href js <https://e.com>"),
            (r#"<a href="https://x.com"><code>Op</code> docs</a>"#, "[`Op` docs](https://x.com)"),
            ("see https://a.com/x_y). or (http://b.org/p(1)).", "see <https://a.com/x_y>). or (<http://b.org/p(1)>)."),
            ("http:// alone", "http:// alone"),
            // Escaping.
            ("a [b] <c> *d* _e_ f_g | h ~i~ `j \\k", r"a \[b\] \<c\> \*d\* \_e\_ f_g \| h \~i\~ \`j \\k"),
            ("<p>&lt;foo&gt; &amp;lt; AT&amp;T &copy;</p>", r"\<foo\> \&lt; AT&T ©"),
            ("<p># h</p><p>- l</p><p>+ l</p><p>= s</p><p>> q</p><p>* e</p><p>1. o</p><p>2) o</p>",
                "\\# h\n\n\\- l\n\n\\+ l\n\n\\= s\n\n\\> q\n\n\\* e\n\n1\\. o\n\n2\\) o"),
            ("<p>2015. 1.5 GB</p>", "2015\\. 1.5 GB"),
            // Entities.
            ("&quot;q&quot; &apos;a&#39;&#x27; x&nbsp;y &#150; &#x1F600; &bogus; &#0;", "\"q\" 'a'' x y – 😀 \\&bogus; \u{fffd}"),
            // Lists.
            ("<ul><li><p>A</p></li><li>B</li></ul>", "- A\n- B"),
            ("<p>x</p><ol><li>one</li><li>two</li></ol><p>y</p>", "x\n\n1. one\n2. two\n\ny"),
            ("<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>", "- a\n  - b\n  - c\n- d"),
            ("<ul><li><p>p1</p><p>p2</p></li><li>q</li></ul>", "- p1\n\n  p2\n- q"),
            ("<ul><li>a<ul><li>b</li></ul>after</li></ul>", "- a\n  - b\n\n  after"),
            ("<li>orphan</li><p>text</p>", "- orphan\n\ntext"),
            ("<ul><li>a<li>b</ul>", "- a\n- b"),
            ("<ul><li>a</li></ul><ul><li>b</li></ul>", "- a\n\n* b"),
            ("<dl><dt>term</dt><dd><p>def</p><p>more</p></dd><dt>t2</dt><dd>d2</dd></dl>",
                "- **term**: def\n\n  more\n- **t2**: d2"),
            // AWS elements and headings.
            ("<note>\n <p>Only one.</p>\n </note>", "**Note:** Only one."),
            ("<important><p>Careful.</p></important>", "**Important:** Careful."),
            ("<note><ul><li>a</li></ul></note>", "**Note:**\n\n- a"),
            ("<fullname>Amazon S3</fullname><p>Docs</p>", "Amazon S3\n\nDocs"),
            ("<h2>Title</h2>text", "**Title**\n\ntext"),
            // Code blocks.
            ("<pre>\n    fn main() {\n        x\n    }\n</pre>", "```text\nfn main() {\n    x\n}\n```"),
            ("<p>a</p><pre><code>```\nb</code></pre><p>c</p>", "a\n\n````text\n```\nb\n````\n\nc"),
            ("<p><code>{\n      \"a\": 1\n    }</code></p>", "```text\n{\n  \"a\": 1\n}\n```"),
            ("<ul><li><p><code>x\n   y</code></p></li></ul>", "- ```text\n  x\n  y\n  ```"),
            // Unknown tags, placeholders, comments.
            ("<span>a</span><sup>1</sup> <u>b</u>", "a1 b"),
            ("arn:aws:s3:<region>:<account-id>:x", r"arn:aws:s3:\<region\>:\<account-id\>:x"),
            ("<code><accountId>.dkr.ecr.<region>.amazonaws.com</code>", "`<accountId>.dkr.ecr.<region>.amazonaws.com`"),
            ("a<!-- hidden -->b<!-- unclosed", "ab"),
            // Malformed HTML.
            ("<P>Upper <B>case</B></P>", "Upper **case**"),
            ("a < b > c <<>> <4 <b class=\"x>y\">z</b>", r"a \< b \> c \<\<\>\> \<4 **z**"),
            ("<p>unclosed <b>bold <i>it", "unclosed **bold *it***"),
            ("<code>never closed <p>next</p>", "`never closed`\n\nnext"),
            ("<a href=\"x", r#"\<a href="x"#),
            ("</p></ul></li></b>text<", r"text\<"),
            // Plain text keeps its lines.
            ("Plain text\n    indented\n\n\n# not a heading\n- not a list", "Plain text\nindented\n\n\\# not a heading\n\\- not a list"),
            ("  \n  ", ""),
            ("", ""),
        ];
        let failures: Vec<String> = cases
            .iter()
            .filter(|(input, expected)| md(input) != *expected)
            .map(|(input, expected)| {
                format!("{input:?}\n  got:  {:?}\n  want: {expected:?}", md(input))
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn tabs_become_spaces() {
        assert_eq!(md("<pre>a\tb\nccc\td</pre>"), "```text\na   b\nccc d\n```");
        assert_eq!(md("Plain\ttext"), "Plain text");
        assert!(!md("<p>a\tb</p><code>\tc</code>").contains('\t'));
    }

    #[test]
    fn unicode_and_controls() {
        assert_eq!(md("<p>héllo 日本 <b>ü</b>🎉</p>"), "héllo 日本 **ü**🎉");
        assert_eq!(md("a\u{202e}b\u{7}c\r\nd"), "ab c\nd");
        for input in
            ["<", "&", "&#", "&#x;", "<a", "</", "<!--", "<b x='", "é<", "<é>", "&é;", "<code>é"]
        {
            md(input);
        }
    }

    /// Real documentation strings from the ECR and S3 models.
    #[test]
    fn real_snippets() {
        let cases: &[(&str, &str)] = &[
            // com.amazonaws.ecr#CreatePullThroughCacheRuleRequest$upstreamRegistryUrl
            (
                r#"<p>The registry URL of the upstream public registry to use as the source for the pull
            through cache rule. The following is the syntax to use for each supported upstream
            registry.</p>
         <ul>
            <li>
               <p>Amazon ECR (<code>ecr</code>) –
                        <code><accountId>.dkr.ecr.<region>.amazonaws.com</code>
               </p>
            </li>
            <li>
               <p>Amazon ECR Public (<code>ecr-public</code>) – <code>public.ecr.aws</code>
               </p>
            </li>
            <li>
               <p>Docker Hub (<code>docker-hub</code>) –
                    <code>registry-1.docker.io</code>
               </p>
            </li>
            <li>
               <p>GitHub Container Registry (<code>github-container-registry</code>) –
                        <code>ghcr.io</code>
               </p>
            </li>
            <li>
               <p>GitLab Container Registry (<code>gitlab-container-registry</code>) –
                        <code>registry.gitlab.com</code>
               </p>
            </li>
            <li>
               <p>Kubernetes (<code>k8s</code>) – <code>registry.k8s.io</code>
               </p>
            </li>
            <li>
               <p>Microsoft Azure Container Registry (<code>azure-container-registry</code>) –
                        <code><custom>.azurecr.io</code>
               </p>
            </li>
            <li>
               <p>Quay (<code>quay</code>) – <code>quay.io</code>
               </p>
            </li>
         </ul>"#,
                r#"The registry URL of the upstream public registry to use as the source for the pull through cache rule. The following is the syntax to use for each supported upstream registry.

- Amazon ECR (`ecr`) – `<accountId>.dkr.ecr.<region>.amazonaws.com`
- Amazon ECR Public (`ecr-public`) – `public.ecr.aws`
- Docker Hub (`docker-hub`) – `registry-1.docker.io`
- GitHub Container Registry (`github-container-registry`) – `ghcr.io`
- GitLab Container Registry (`gitlab-container-registry`) – `registry.gitlab.com`
- Kubernetes (`k8s`) – `registry.k8s.io`
- Microsoft Azure Container Registry (`azure-container-registry`) – `<custom>.azurecr.io`
- Quay (`quay`) – `quay.io`"#,
            ),
            // com.amazonaws.ecr#DeleteSigningConfiguration
            (
                r#"<p>Deletes the registry's signing configuration. Images pushed after deletion of the signing
            configuration will no longer be automatically signed.</p>
         <p>For more information, see <a href="https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html">Managed signing</a> in the
                <i>Amazon Elastic Container Registry User Guide</i>.</p>
         <note>
            <p>Deleting the signing configuration does not affect existing image signatures.</p>
         </note>"#,
                r#"Deletes the registry's signing configuration. Images pushed after deletion of the signing configuration will no longer be automatically signed.

For more information, see [Managed signing](https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html) in the *Amazon Elastic Container Registry User Guide*.

**Note:** Deleting the signing configuration does not affect existing image signatures."#,
            ),
            // com.amazonaws.ecr#ImageSigningStatus$status
            (
                r#"<p>The image's signing status. Possible values are:</p>
         <ul>
            <li>
               <p>
                  <code>IN_PROGRESS</code> - Signing is currently in progress.</p>
            </li>
            <li>
               <p>
                  <code>COMPLETE</code> - The signature was successfully generated.</p>
            </li>
            <li>
               <p>
                  <code>FAILED</code> - Signing failed. See
                    <code>failureCode</code> and <code>failureReason</code> for details.</p>
            </li>
         </ul>"#,
                r#"The image's signing status. Possible values are:

- `IN_PROGRESS` - Signing is currently in progress.
- `COMPLETE` - The signature was successfully generated.
- `FAILED` - Signing failed. See `failureCode` and `failureReason` for details."#,
            ),
            // com.amazonaws.s3#ErrorDocument$Key
            (
                r#"<p>The object key name to use when a 4XX class error occurs.</p>
         <important>
            <p>Replacement must be made for object keys containing special characters (such as carriage returns) when using 
         XML requests. For more information, see <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html#object-key-xml-related-constraints">
            XML related object key constraints</a>.</p>
         </important>"#,
                r#"The object key name to use when a 4XX class error occurs.

**Important:** Replacement must be made for object keys containing special characters (such as carriage returns) when using XML requests. For more information, see [XML related object key constraints](https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html#object-key-xml-related-constraints)."#,
            ),
            // com.amazonaws.s3#ListMultipartUploadsOutput$Prefix
            (
                r#"<p>When a prefix is provided in the request, this field contains the specified prefix. The result
      contains only keys starting with the specified prefix.</p>
         <note>
            <p>
               <b>Directory buckets</b> - For directory buckets, only prefixes that end in a delimiter (<code>/</code>) are supported.</p>
         </note>"#,
                r#"When a prefix is provided in the request, this field contains the specified prefix. The result contains only keys starting with the specified prefix.

**Note:** **Directory buckets** - For directory buckets, only prefixes that end in a delimiter (`/`) are supported."#,
            ),
            // com.amazonaws.s3#ScanRange$End
            (
                r#"<p>Specifies the end of the byte range. This parameter is optional. Valid values: non-negative
      integers. The default value is one less than the size of the object being queried. If only the End
      parameter is supplied, it is interpreted to mean scan the last N bytes of the file. For example,
        <code><scanrange><end>50</end></scanrange></code> means scan the last 50
      bytes.</p>"#,
                r#"Specifies the end of the byte range. This parameter is optional. Valid values: non-negative integers. The default value is one less than the size of the object being queried. If only the End parameter is supplied, it is interpreted to mean scan the last N bytes of the file. For example, `<scanrange><end>50</end></scanrange>` means scan the last 50 bytes."#,
            ),
            // com.amazonaws.s3#BlockedEncryptionTypes
            (
                r#"<p>A bucket-level setting for Amazon S3 general purpose buckets used to prevent the upload of new objects encrypted with the specified server-side encryption type. For example, blocking an encryption type will block <code>PutObject</code>, <code>CopyObject</code>, <code>PostObject</code>, multipart upload, and replication requests to the bucket for objects with the specified encryption type. However, you can continue to read and list any pre-existing objects already encrypted with the specified encryption type. For more information, see <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/blocking-unblocking-s3-c-encryption-gpb.html">Blocking or unblocking SSE-C for a general purpose bucket</a>.</p>
         <p>This data type is used with the following actions:</p>
         <ul>
            <li>
               <p>
                  <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html">PutBucketEncryption</a>
               </p>
            </li>
            <li>
               <p>
                  <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html">GetBucketEncryption</a>
               </p>
            </li>
            <li>
               <p>
                  <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketEncryption.html">DeleteBucketEncryption</a>
               </p>
            </li>
         </ul>
         <dl>
            <dt>Permissions</dt>
            <dd>
               <p>You must have the <code>s3:PutEncryptionConfiguration</code> permission to block or unblock an encryption type for a bucket. </p>
               <p>You must have the <code>s3:GetEncryptionConfiguration</code> permission to view a bucket's encryption type. </p>
            </dd>
         </dl>"#,
                r#"A bucket-level setting for Amazon S3 general purpose buckets used to prevent the upload of new objects encrypted with the specified server-side encryption type. For example, blocking an encryption type will block `PutObject`, `CopyObject`, `PostObject`, multipart upload, and replication requests to the bucket for objects with the specified encryption type. However, you can continue to read and list any pre-existing objects already encrypted with the specified encryption type. For more information, see [Blocking or unblocking SSE-C for a general purpose bucket](https://docs.aws.amazon.com/AmazonS3/latest/userguide/blocking-unblocking-s3-c-encryption-gpb.html).

This data type is used with the following actions:

- [PutBucketEncryption](https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html)
- [GetBucketEncryption](https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html)
- [DeleteBucketEncryption](https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketEncryption.html)

* **Permissions**: You must have the `s3:PutEncryptionConfiguration` permission to block or unblock an encryption type for a bucket.

  You must have the `s3:GetEncryptionConfiguration` permission to view a bucket's encryption type."#,
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(md(input), *expected, "input: {input:?}");
        }
    }

    /// Every documentation string of every model converts without panicking, to lines with
    /// no trailing whitespace and single blank lines. The models are read from
    /// `$SMITHY_MODELS_DIR`, else `../shared/models/aws` beside the repository, else the
    /// test-data cache (downloaded when missing); the test fails when none holds them.
    #[test]
    fn all_models() {
        fn collect<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
            match value {
                serde_json::Value::Object(map) => {
                    for (key, value) in map {
                        match value.as_str() {
                            Some(doc) if key == "smithy.api#documentation" => out.push(doc),
                            _ => collect(value, out),
                        }
                    }
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
                _ => {}
            }
        }
        // `$SMITHY_MODELS_DIR`, then `shared/models/aws` beside the repository, then the
        // test-data cache, else downloaded there (smithy-testdata).
        let dir = smithy_testdata::require("models/aws");
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: cannot list the AWS models: {e}", dir.display()));
        let mut count = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension() != Some("json".as_ref()) {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("model is readable");
            let model: serde_json::Value = serde_json::from_str(&text).expect("model is JSON");
            let mut docs = Vec::new();
            collect(&model, &mut docs);
            for doc in docs {
                let out = md(doc);
                let lines: Vec<&str> = out.split('\n').collect();
                let well_formed = lines.iter().all(|l| l.trim_end() == *l)
                    && !out.contains("\n\n\n")
                    && !out.starts_with('\n')
                    && !out.ends_with('\n');
                assert!(well_formed, "{}: {doc:?} gave {out:?}", path.display());
                count += 1;
            }
        }
        assert!(count > 0, "no documentation in the models of {}", dir.display());
    }
}
