//! Bounds how deeply elements nest, in time linear in the HTML's length.
//!
//! A browser's tree builder (html5ever, inside ammonia) looks down its stack of open elements
//! for most tags, so its work grows with the depth at every tag. Here a tokenizer (which does
//! no such search) walks the HTML and keeps an estimate of the depth that pops an element
//! only where the tree builder is certain to (a matching end tag with nothing in between
//! that would stop it, or the end tags the HTML standard implies, such as an open `<li>`
//! before the next `<li>`). The estimate so never falls far below the real depth, and
//! unwrapping whatever lies deeper than the limit bounds the real depth too.

use std::cell::RefCell;
use std::fmt::Write;

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{TagKind, Token, TokenSink, TokenSinkResult};

/// How far down the stack one tag may look. Past this the estimate assumes the element
/// stays open, which can only overstate the depth.
const MAX_SEARCH: usize = 64;

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements at which looking for an element "in scope" stops (the standard's scope
/// markers, with `select`, `svg` and `math` added: stopping early only overstates).
const SCOPE: &[&str] = &[
    "annotation-xml",
    "applet",
    "caption",
    "desc",
    "foreignobject",
    "html",
    "marquee",
    "math",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "object",
    "select",
    "svg",
    "table",
    "td",
    "template",
    "th",
];

/// The standard's "special" elements, at which an unknown end tag stops looking.
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
    "svg",
    "math",
];

/// End tags the tree builder honours whenever the element is in scope, closing whatever
/// is open inside it.
const SCOPED_END: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "button",
    "caption",
    "center",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Start tags that close an open `<p>` first.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "ul",
    "xmp",
];

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// The deepest the elements of `html` nest, by the estimate.
pub fn deepest(html: &str) -> usize {
    run(html, None).deepest
}

/// `html` with every element the estimate puts deeper than `limit` unwrapped: its tags
/// dropped, its content kept. Comments and doctypes are dropped (ammonia drops them too).
pub fn flatten(html: &str, limit: usize) -> String {
    run(html, Some(limit)).out
}

fn run(html: &str, limit: Option<usize>) -> State {
    let sink = Sink(RefCell::new(State {
        limit,
        out: String::with_capacity(if limit.is_some() { html.len() } else { 0 }),
        ..State::default()
    }));
    crate::markdown::html_text::tokenize(html, sink)
        .0
        .into_inner()
}

/// An open element: its name, and whether its tags were written out.
struct Open {
    name: String,
    kept: bool,
}

#[derive(Default)]
struct State {
    /// `Some(limit)` when flattening; `None` when only measuring.
    limit: Option<usize>,
    stack: Vec<Open>,
    deepest: usize,
    out: String,
    /// Inside a kept element whose text is raw (`<script>`, `<style>`): written unescaped.
    raw: bool,
    /// How many `<svg>` and `<math>` elements are open: inside them `<x/>` closes itself.
    foreign: usize,
}

struct Sink(RefCell<State>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                match tag.kind {
                    TagKind::StartTag => {
                        let (kept, switch) = state.start(name, tag.self_closing);
                        if kept && state.writing() {
                            let attrs: Vec<(&str, &str)> = tag
                                .attrs
                                .iter()
                                .map(|a| (&*a.name.local, &*a.value))
                                .collect();
                            state.write_start(name, &attrs, tag.self_closing);
                        }
                        return switch;
                    }
                    TagKind::EndTag => state.end(name),
                }
            }
            Token::CharacterTokens(text) => state.write_text(&text),
            Token::NullCharacterToken => state.write_text("\u{FFFD}"),
            Token::CommentToken(_)
            | Token::DoctypeToken(_)
            | Token::EOFToken
            | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

impl State {
    fn writing(&self) -> bool {
        self.limit.is_some()
    }

    /// Handles a start tag: the end tags it implies, then the element itself. Returns
    /// whether the tag is kept, and how the tokenizer must read what follows (raw text
    /// after `<style>`, for instance).
    fn start(&mut self, name: &str, self_closing: bool) -> (bool, TokenSinkResult<()>) {
        let foreign = name == "svg" || name == "math" || self.foreign > 0;
        if VOID.contains(&name) || (self_closing && foreign) {
            return (true, TokenSinkResult::Continue);
        }
        match name {
            "li" => self.close_list_item(&["li"]),
            "dd" | "dt" => self.close_list_item(&["dd", "dt"]),
            "option" | "optgroup" => {
                if self.top_is(&["option"]) {
                    self.pop();
                }
                if name == "optgroup" && self.top_is(&["optgroup"]) {
                    self.pop();
                }
            }
            "tr" => self.close_through(&["tr"], &["table", "html", "template"]),
            "td" | "th" => self.close_through(&["td", "th"], &["tr", "table", "html", "template"]),
            "tbody" | "thead" | "tfoot" => {
                self.close_through(&["tbody", "thead", "tfoot"], &["table", "html", "template"]);
            }
            _ => {}
        }
        if CLOSES_P.contains(&name) {
            self.close_in_scope(&["p"], &["button"]);
        }
        if HEADINGS.contains(&name) && self.top_is(HEADINGS) {
            self.pop();
        }
        let kept = self.limit.is_none_or(|limit| self.stack.len() < limit);
        self.stack.push(Open {
            name: name.to_string(),
            kept,
        });
        self.deepest = self.deepest.max(self.stack.len());
        if foreign {
            self.foreign += 1;
            return (kept, TokenSinkResult::Continue);
        }
        let (switch, raw) = match name {
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                (TokenSinkResult::RawData(RawKind::Rawtext), true)
            }
            "textarea" | "title" => (TokenSinkResult::RawData(RawKind::Rcdata), false),
            "script" => (TokenSinkResult::RawData(RawKind::ScriptData), true),
            "plaintext" => (TokenSinkResult::Plaintext, true),
            _ => (TokenSinkResult::Continue, false),
        };
        self.raw = raw && kept;
        (kept, switch)
    }

    /// Handles an end tag, popping only what the tree builder certainly pops.
    fn end(&mut self, name: &str) {
        self.raw = false;
        let found = if SCOPED_END.contains(&name) {
            let matches: &[&str] = if HEADINGS.contains(&name) {
                HEADINGS
            } else {
                &[name]
            };
            let extra: &[&str] = match name {
                "li" => &["ol", "ul"],
                "p" => &["button"],
                _ => &[],
            };
            let table_part = matches!(
                name,
                "table" | "tr" | "td" | "th" | "tbody" | "thead" | "tfoot" | "caption" | "colgroup"
            );
            if table_part {
                self.find(matches, |n| matches!(n, "table" | "html" | "template"))
            } else {
                self.find(matches, |n| SCOPE.contains(&n) || extra.contains(&n))
            }
        } else {
            self.find(&[name], |n| SPECIAL.contains(&n))
        };
        match found {
            Some(index) => self.pop_to(index),
            // Ignored here, but the tree builder may still act on it; writing it out can
            // only close elements, never open one.
            None if self.writing() => {
                let _ = write!(self.out, "</{name}>");
            }
            None => {}
        }
    }

    /// `<li>` (or `<dd>`, `<dt>`) closes an open one unless a special element other
    /// than `address`, `div` or `p` lies in between.
    fn close_list_item(&mut self, names: &[&str]) {
        let found = self.find(names, |n| {
            SPECIAL.contains(&n) && !matches!(n, "address" | "div" | "p")
        });
        if let Some(index) = found {
            self.pop_to(index);
        }
    }

    /// Closes the nearest of `names` unless one of `stops` lies in between.
    fn close_through(&mut self, names: &[&str], stops: &[&str]) {
        if let Some(index) = self.find(names, |n| stops.contains(&n)) {
            self.pop_to(index);
        }
    }

    /// Closes the nearest of `names` if it is in scope (no scope marker, nor one of
    /// `extra`, in between).
    fn close_in_scope(&mut self, names: &[&str], extra: &[&str]) {
        if let Some(index) = self.find(names, |n| SCOPE.contains(&n) || extra.contains(&n)) {
            self.pop_to(index);
        }
    }

    /// The index of the nearest open element named one of `names`, looking down from the
    /// top at most [`MAX_SEARCH`] elements and stopping at any for which `stop` holds.
    fn find(&self, names: &[&str], stop: impl Fn(&str) -> bool) -> Option<usize> {
        for (index, open) in self.stack.iter().enumerate().rev().take(MAX_SEARCH) {
            if names.contains(&open.name.as_str()) {
                return Some(index);
            }
            if stop(&open.name) {
                return None;
            }
        }
        None
    }

    fn top_is(&self, names: &[&str]) -> bool {
        self.stack
            .last()
            .is_some_and(|o| names.contains(&o.name.as_str()))
    }

    fn pop(&mut self) {
        if let Some(index) = self.stack.len().checked_sub(1) {
            self.pop_to(index);
        }
    }

    /// Pops the element at `index` and everything above it, writing the end tags of
    /// those that were kept.
    fn pop_to(&mut self, index: usize) {
        while self.stack.len() > index {
            let Some(open) = self.stack.pop() else {
                break;
            };
            if open.name == "svg" || open.name == "math" {
                self.foreign = self.foreign.saturating_sub(1);
            }
            if open.kept && self.writing() {
                let _ = write!(self.out, "</{}>", open.name);
            }
        }
    }

    fn write_start(&mut self, name: &str, attrs: &[(&str, &str)], self_closing: bool) {
        self.out.push('<');
        self.out.push_str(name);
        for (attr, value) in attrs {
            self.out.push(' ');
            self.out.push_str(attr);
            self.out.push_str("=\"");
            for c in value.chars() {
                match c {
                    '&' => self.out.push_str("&amp;"),
                    '"' => self.out.push_str("&quot;"),
                    c => self.out.push(c),
                }
            }
            self.out.push('"');
        }
        self.out.push_str(if self_closing { "/>" } else { ">" });
    }

    fn write_text(&mut self, text: &str) {
        if !self.writing() {
            return;
        }
        if self.raw {
            self.out.push_str(text);
            return;
        }
        for c in text.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                c => self.out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_estimated_like_a_browser_builds_it() {
        let cases = [
            ("<p>a<p>b<p>c", 1),
            ("<ul><li>a<li>b<li><p>c<li>d</ul>", 3),
            ("<table><tr><td>a<td>b<tr><td>c</table><p>x", 3),
            ("<div><span><b>x</div><div>y</div>", 3),
            ("<span><div></span></div>", 2),
            ("<svg><path/><path/><g><path/></g></svg>", 2),
            ("<dl><dt>a<dd>b<dt>c<dd>d</dl>", 2),
            ("<br><img><hr><input>", 0),
            ("<script><div><div><div></script><p>", 1),
        ];
        for (html, depth) in cases {
            assert_eq!(deepest(html), depth, "{html}");
        }
        // Misnested inline tags never let the estimate fall behind the real depth.
        let html = "<span><div></span>".repeat(500);
        assert!(deepest(&html) >= 500);
    }

    #[test]
    fn flattening_keeps_text_and_raw_text_intact() {
        let html = "<b title='a\"b'>1 &lt; 2<br></b><style>p>b{}</style><textarea>&lt;/textarea&gt;</textarea><!-- x --><p>a<p>b";
        assert_eq!(
            flatten(html, 10),
            "<b title=\"a&quot;b\">1 &lt; 2<br></b><style>p>b{}</style><textarea>&lt;/textarea&gt;</textarea><p>a</p><p>b"
        );
        assert_eq!(
            flatten("<div><div><i>x</i><br><style>a>b</style></div></div>y", 1),
            "<div>x<br>a&gt;b</div>y"
        );
    }
}
