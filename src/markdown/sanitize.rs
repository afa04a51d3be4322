//! The allow-list sanitiser every notice's HTML passes through, once, after rendering.
//!
//! Notices are written by others and may carry raw HTML. ammonia parses the HTML the way a
//! browser would and keeps only what is listed here, so no script, event handler or
//! `javascript:`/`data:` URL survives, whatever trick the markup uses. Classes are kept only
//! when bulletin's own markup uses them (callouts, DocFX boxes, footnotes, code languages), so
//! a notice cannot dress its text up as the page's own banners. `<iframe>`s survive only
//! from the hosts the site lists in `iframe_hosts`, sandboxed.
//!
//! Parsing HTML the way browsers do costs time in proportion to how deeply elements nest,
//! for every element, so a notice nested thousands deep (by Markdown or by raw HTML) would
//! take hours. Elements deeper than [`MAX_DEPTH`] are therefore unwrapped (their text kept)
//! before ammonia sees them; see [`nesting`].

use std::borrow::Cow;
use std::sync::LazyLock;

use crate::config::SiteConfig;

/// How deep elements may nest in a notice's HTML before deeper ones are unwrapped. Learn
/// pages nest a few dozen deep at most, includes and callouts included.
pub const MAX_DEPTH: usize = 128;

/// The classes bulletin's renderer and pulldown-cmark write, which the theme styles.
const ALLOWED_CLASSES: &[&str] = &[
    "alert",
    "alert-caution",
    "alert-important",
    "alert-note",
    "alert-tip",
    "alert-title",
    "alert-warning",
    "checklist",
    "docfx-column",
    "docfx-div",
    "docfx-image",
    "docfx-row",
    "docfx-span-1",
    "docfx-span-2",
    "docfx-span-3",
    "docfx-span-4",
    "faq-question",
    "footnote-definition",
    "footnote-definition-label",
    "footnote-reference",
    "image-border",
    "image-complex",
    "image-icon",
    "include",
    "include-missing",
    "moniker",
    "mx-imgBorder",
    "nextstepaction",
    "pivot-select",
    "pivot-selector",
    "tab-label",
    "tab-panel",
    "tabs",
    "video-card",
    "zone",
    "zone-label",
    "zone-target",
];

/// What `iframe` elements keep when a site allows them, and what they are given.
const IFRAME_ATTRIBUTES: &[&str] = &["src", "title", "width", "height", "allowfullscreen"];
const IFRAME_SANDBOX: &str = "allow-scripts allow-same-origin allow-popups allow-presentation";

static DEFAULT: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| builder(Vec::new()));

/// A notice's sanitised HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sanitized {
    /// The HTML, with everything not on the allow-list removed.
    pub html: String,
    /// When elements nested deeper than [`MAX_DEPTH`] and were unwrapped: how deep they went.
    pub flattened: Option<usize>,
}

/// Sanitises `html` for a site with these settings.
pub fn clean(html: &str, config: &SiteConfig) -> Sanitized {
    clean_bounded(html, config, None)
}

/// Sanitises `html`, as [`clean`] does, given a bound the caller knows on how deeply it
/// nests: at least what [`nesting::deepest`] would say, or `None`. Within [`MAX_DEPTH`],
/// nothing can need unwrapping, and the pass that measures the depth (a whole extra
/// tokenizer pass) is skipped; the result is the same.
pub fn clean_bounded(html: &str, config: &SiteConfig, deepest: Option<usize>) -> Sanitized {
    let deepest = match deepest {
        Some(bound) if bound <= MAX_DEPTH => bound,
        _ => nesting::deepest(html),
    };
    let (input, flattened) = if deepest > MAX_DEPTH {
        (Cow::Owned(nesting::flatten(html, MAX_DEPTH)), Some(deepest))
    } else {
        (Cow::Borrowed(html), None)
    };
    let html = if config.iframe_hosts.is_empty() {
        DEFAULT.clean(&input).to_string()
    } else {
        builder(config.iframe_hosts.clone())
            .clean(&input)
            .to_string()
    };
    Sanitized { html, flattened }
}

/// The allow-list: ammonia's defaults (which include tables, `<br>`, `<details>`) plus what
/// Learn notices and bulletin's renderer need.
fn builder(iframe_hosts: Vec<String>) -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["input", "select", "option", "label"])
        .add_generic_attributes(["class"])
        .add_tag_attributes("a", ["name", "id"])
        .add_tag_attributes(
            "div",
            [
                "id",
                "role",
                "hidden",
                "data-tab",
                "data-condition",
                "data-pivot",
                "itemscope",
                "itemtype",
                "itemprop",
            ],
        )
        .add_tag_attributes("select", ["id"])
        .add_tag_attributes("option", ["value"])
        .add_tag_attributes("label", ["for"])
        .add_tag_attributes("li", ["id"])
        .add_tag_attributes("img", ["loading"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("input", ["type", "checked"])
        .set_tag_attribute_value("input", "disabled", "")
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id", "itemprop"])
        .add_tag_attributes("h3", ["id", "itemprop"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    if !iframe_hosts.is_empty() {
        builder
            .add_tags(["iframe"])
            .add_tag_attributes("iframe", IFRAME_ATTRIBUTES)
            .set_tag_attribute_value("iframe", "sandbox", IFRAME_SANDBOX)
            .set_tag_attribute_value("iframe", "referrerpolicy", "no-referrer")
            .set_tag_attribute_value("iframe", "loading", "lazy");
    }
    builder.attribute_filter(move |element, attribute, value| {
        filter_attribute(&iframe_hosts, element, attribute, value)
    });
    builder
}

/// Narrows attributes whose values ammonia lets through whole: classes to [`ALLOWED_CLASSES`]
/// (and `language-*` on code), task-list inputs to checkboxes, iframe sources to the allowed
/// hosts.
fn filter_attribute<'u>(
    iframe_hosts: &[String],
    element: &str,
    attribute: &str,
    value: &'u str,
) -> Option<Cow<'u, str>> {
    match (element, attribute) {
        (_, "class") => {
            let kept: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|class| {
                    ALLOWED_CLASSES.contains(class)
                        || (element == "code" && is_language_class(class))
                })
                .collect();
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        }
        (_, "itemtype") => value
            .starts_with("https://schema.org/")
            .then_some(Cow::Borrowed(value)),
        ("input", "type") => value
            .eq_ignore_ascii_case("checkbox")
            .then_some(Cow::Borrowed("checkbox")),
        ("iframe", "src") => {
            let host = value
                .trim()
                .strip_prefix("https://")
                .and_then(|rest| rest.split(['/', '?', '#']).next())?;
            iframe_hosts
                .iter()
                .any(|allowed| allowed.eq_ignore_ascii_case(host))
                .then_some(Cow::Borrowed(value))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

/// `language-rust`, as pulldown-cmark writes a fenced block's language.
fn is_language_class(class: &str) -> bool {
    class.strip_prefix("language-").is_some_and(|language| {
        !language.is_empty()
            && language
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#' | '.'))
    })
}

/// Bounds how deeply elements nest, in time linear in the HTML's length.
///
/// A browser's tree builder (html5ever, inside ammonia) looks down its stack of open elements
/// for most tags, so its work grows with the depth at every tag. Here a tokenizer (which does
/// no such search) walks the HTML and keeps an estimate of the depth that pops an element
/// only where the tree builder is certain to (a matching end tag with nothing in between
/// that would stop it, or the end tags the HTML standard implies, such as an open `<li>`
/// before the next `<li>`). The estimate so never falls far below the real depth, and
/// unwrapping whatever lies deeper than the limit bounds the real depth too.
pub mod nesting {
    use std::cell::RefCell;
    use std::fmt::Write;

    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::states::RawKind;
    use html5ever::tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };

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
        let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
        let queue = BufferQueue::default();
        queue.push_back(StrTendril::from_slice(html));
        // The sink never asks to run a script, so one feed consumes all the input.
        let _ = tokenizer.feed(&queue);
        tokenizer.end();
        tokenizer.sink.0.into_inner()
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
                "td" | "th" => {
                    self.close_through(&["td", "th"], &["tr", "table", "html", "template"])
                }
                "tbody" | "thead" | "tfoot" => {
                    self.close_through(
                        &["tbody", "thead", "tfoot"],
                        &["table", "html", "template"],
                    );
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
                    "table"
                        | "tr"
                        | "td"
                        | "th"
                        | "tbody"
                        | "thead"
                        | "tfoot"
                        | "caption"
                        | "colgroup"
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sanitises for a site that allows no iframes.
    fn sanitize(html: &str) -> String {
        clean(html, &SiteConfig::default()).html
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let cases = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg><script>alert(1)</script></svg>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<object data=\"x.swf\"></object>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>",
            "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">",
            "<input type=\"image\" src=\"x\" onfocus=\"alert(1)\" autofocus>",
        ];
        for case in cases {
            let clean = sanitize(case).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onfocus",
                "javascript:",
                "<iframe",
                "<object",
                "style=",
                "data:",
                "type=\"image\"",
            ] {
                assert!(!clean.contains(bad), "{case} -> {clean}");
            }
        }
    }

    #[test]
    fn learn_markup_survives() {
        let html = "<h2 id=\"minimum-versions\">Minimum versions</h2>\
            <a name=\"consider\"></a>\
            <div class=\"alert alert-important\"><p class=\"alert-title\">Important</p></div>\
            <table><thead><tr><th>Service</th></tr></thead><tbody><tr><td>a<br>b</td></tr></tbody></table>\
            <details open><summary>More</summary>text</details>\
            <ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\"/> done</li></ul>\
            <pre><code class=\"language-powershell\">Get-Item</code></pre>";
        let clean = sanitize(html);
        for kept in [
            "id=\"minimum-versions\"",
            "name=\"consider\"",
            "class=\"alert alert-important\"",
            "<br>",
            "<td>",
            "<summary>",
            "<details open=\"\">",
            "type=\"checkbox\"",
            "class=\"language-powershell\"",
        ] {
            assert!(clean.contains(kept), "{kept} missing from {clean}");
        }
    }

    #[test]
    fn only_bulletins_own_classes_survive() {
        let clean = sanitize(
            "<p class=\"banner banner-superseded alert-title\">x</p><span class=\"skip-link\">y</span><code class=\"language-x\\\" onclick\">z</code>",
        );
        assert_eq!(
            clean,
            "<p class=\"alert-title\">x</p><span>y</span><code>z</code>"
        );
    }

    #[test]
    fn iframes_need_the_site_to_allow_their_host() {
        let html = "<iframe src=\"https://www.youtube.com/embed/x\" onload=\"alert(1)\"></iframe>\
            <iframe src=\"https://evil.example/\"></iframe>\
            <iframe src=\"http://www.youtube.com/embed/y\"></iframe>";
        assert!(!sanitize(html).contains("<iframe"));
        let config = SiteConfig {
            iframe_hosts: vec!["www.youtube.com".into()],
            ..SiteConfig::default()
        };
        let clean = clean(html, &config).html;
        assert_eq!(clean.matches("<iframe").count(), 3, "{clean}");
        assert_eq!(clean.matches("src=").count(), 1, "{clean}");
        assert!(clean.contains("src=\"https://www.youtube.com/embed/x\""));
        assert!(clean.contains(&format!("sandbox=\"{IFRAME_SANDBOX}\"")));
        assert!(!clean.contains("onload"));
    }

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
            assert_eq!(nesting::deepest(html), depth, "{html}");
        }
        // Misnested inline tags never let the estimate fall behind the real depth.
        let html = "<span><div></span>".repeat(500);
        assert!(nesting::deepest(&html) >= 500);
    }

    #[test]
    fn deep_nesting_is_unwrapped_below_the_limit() {
        for (open, close) in [
            ("<blockquote>", "</blockquote>"),
            ("<ul><li>", "</li></ul>"),
            ("<div><span>", ""),
        ] {
            let html = format!("{}deep text{}", open.repeat(10_000), close.repeat(10_000));
            let out = clean(&html, &SiteConfig::default());
            assert!(out.flattened.is_some_and(|d| d >= 10_000), "{open}");
            assert!(out.html.contains("deep text"));
            assert!(nesting::deepest(&out.html) <= MAX_DEPTH + 1, "{open}");
        }
        let shallow = clean("<blockquote><p>x</p></blockquote>", &SiteConfig::default());
        assert_eq!(shallow.flattened, None);
    }

    #[test]
    fn flattening_keeps_text_and_raw_text_intact() {
        let html = "<b title='a\"b'>1 &lt; 2<br></b><style>p>b{}</style><textarea>&lt;/textarea&gt;</textarea><!-- x --><p>a<p>b";
        assert_eq!(
            nesting::flatten(html, 10),
            "<b title=\"a&quot;b\">1 &lt; 2<br></b><style>p>b{}</style><textarea>&lt;/textarea&gt;</textarea><p>a</p><p>b"
        );
        assert_eq!(
            nesting::flatten("<div><div><i>x</i><br><style>a>b</style></div></div>y", 1),
            "<div>x<br>a&gt;b</div>y"
        );
    }
}
