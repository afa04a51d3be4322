//! Stage 2, markdown: a notice's body to sanitised HTML, with the DocFX extensions rendered,
//! includes expanded, links pointed at the pages they mean, and the page's anchors and
//! outgoing links recorded for the cross-link checks.
//!
//! The Markdown is parsed once. One pass over pulldown-cmark's events rewrites what DocFX
//! means differently from CommonMark; pulldown-cmark then writes the HTML, and ammonia
//! cleans it.

pub mod docfx;
pub mod links;
pub mod outline;
pub mod regions;
pub mod sanitize;

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::config::SiteConfig;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Block, ContentPath, Notice};
use crate::slug::{UniqueSlugs, slugify};
use docfx::{LineDirective, QuoteDirective};
use links::{PageIndex, Resolved};
use outline::Splice;
use regions::matching_end;

/// How deep includes may nest before bulletin stops following them.
const MAX_INCLUDE_DEPTH: usize = 32;

/// The Markdown dialect: CommonMark plus GFM tables, alerts, strikethrough, task lists,
/// footnotes and `{#id}` heading attributes. This is the one place parser options are set.
/// Smart punctuation stays off: it would rewrite the vendor's own text.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// What the renderer needs from the rest of the build.
#[derive(Debug, Clone, Copy)]
pub struct RenderContext<'a> {
    /// Site settings (base URL, external link targets, docset root).
    pub config: &'a SiteConfig,
    /// Where every notice's page is.
    pub pages: &'a PageIndex,
    /// Every loaded Markdown file by content path, for includes.
    pub files: &'a HashMap<&'a str, &'a Notice>,
}

/// A link from a notice to another notice's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeLink {
    /// The target advisory (index into the build's advisories).
    pub advisory: usize,
    /// The anchor linked to, if any.
    pub fragment: Option<String>,
    /// The file the link is written in (the notice, or an include it pulls in).
    pub file: ContentPath,
    /// Where the link's destination (its `#fragment`, when it has one) is written in that
    /// file's text, a byte range.
    pub at: Range<usize>,
}

/// A rendered notice.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body as sanitised HTML.
    pub html: String,
    /// The text of the level-one heading the notice starts with (left out of `html`: the
    /// page shows it as its heading).
    pub h1: Option<String>,
    /// Every anchor on the page: heading ids and `<a name>` targets.
    pub anchors: BTreeSet<String>,
    /// Links to other notices.
    pub links: Vec<NoticeLink>,
    /// The notice's text as blocks, for extraction. Included files are part of it: their
    /// blocks stand where the `[!INCLUDE]` does, each with `file` naming the included file
    /// and `line` a line of that file.
    pub blocks: Vec<Block>,
    /// Every file included, directly or through another include, by content path: the
    /// rendering depends on them.
    pub includes: Vec<String>,
    /// What went wrong, with file and line.
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders one notice.
pub fn render(notice: &Notice, cx: RenderContext<'_>) -> Rendered {
    let mut renderer = Renderer::new(notice, cx);
    let written = renderer.render_file(notice);
    let mut out = renderer.out;
    out.blocks = written.blocks;
    for (fragment, file, at) in renderer.same_page {
        if !is_exempt_fragment(&fragment) && !out.anchors.contains(&fragment) {
            let source = cx
                .files
                .get(file.as_str())
                .map_or("", |n| n.source.as_str());
            out.diagnostics.push(
                Diagnostic::new(
                    Code::MissingAnchor,
                    file.site_path(),
                    format!(
                        "the link to `#{fragment}` names no heading or anchor on this page{}",
                        closest_anchor(&out.anchors, &fragment)
                            .map(|a| format!(" (the closest is `#{a}`)"))
                            .unwrap_or_default()
                    ),
                )
                .at_source_range(source, at)
                .with_hint("link to a heading of the page (its words in lower case, joined by hyphens) or to an `<a name>`"),
            );
        }
    }
    let sanitized = sanitize::clean_bounded(&written.html, cx.config, written.deepest);
    if let Some(depth) = sanitized.flattened {
        // No line: the depth is the page's, includes and raw HTML counted, not one line's.
        out.diagnostics.push(Diagnostic::new(
            Code::NestingTooDeep,
            notice.path.site_path(),
            format!(
                "elements nest {depth} deep on this page (quotes, lists, includes or HTML), more than the {} bulletin keeps; the deeper ones were unwrapped, their text kept",
                sanitize::MAX_DEPTH
            ),
        ));
    }
    out.html = sanitized.html;
    out
}

/// The anchor most like `fragment` (a misspelling, a renamed heading), if one is close.
pub fn closest_anchor<'a>(anchors: &'a BTreeSet<String>, fragment: &str) -> Option<&'a str> {
    anchors
        .iter()
        .map(|a| (strsim::jaro_winkler(a, fragment), a))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|x, y| x.0.total_cmp(&y.0).then_with(|| y.1.cmp(x.1)))
        .map(|(_, a)| a.as_str())
}

/// Fragments that are not anchors: DocFX tab links (`#tab/x`) and text fragments (`#:~:`).
pub fn is_exempt_fragment(fragment: &str) -> bool {
    fragment.is_empty() || fragment.starts_with("tab/") || fragment.starts_with(":~:")
}

struct Renderer<'a> {
    cx: RenderContext<'a>,
    /// The include chain, outermost first, for cycle detection and relative paths.
    chain: Vec<ContentPath>,
    slugs: UniqueSlugs,
    out: Rendered,
    /// Same-page links to check once every anchor is known: (fragment, file, where the
    /// fragment is written in that file's text).
    same_page: Vec<(String, ContentPath, Range<usize>)>,
}

/// What to emit when a block quote ends.
enum QuoteClose {
    Plain,
    Div,
}

static NAMED_ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<a\s[^>]*?\b(?:name|id)\s*=\s*["']?([^"'\s>]+)"#).expect("valid regex")
});
static BROKEN_BR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^</\s*br\s*>$|^<br\s*/?>$").expect("valid regex"));

/// A file's unsanitised HTML, a bound on how deeply its elements nest, and its outline.
struct Written {
    html: String,
    /// At least how deep the sanitiser's estimate ([`sanitize::nesting::deepest`]) puts the
    /// HTML; `None` when raw HTML makes it unknown.
    deepest: Option<usize>,
    /// The file's outline, its includes' blocks in place.
    blocks: Vec<Block>,
}

/// The events a file renders to, with a bound on how deeply the elements of the HTML they
/// write nest, kept as they are pushed, so that the sanitiser can skip measuring pages that
/// cannot be too deep. The bound costs nothing beyond the one pass over the parse.
///
/// pulldown-cmark writes at most two elements for a tag (`<pre><code>`, `<thead><tr>`, a
/// `<table>` and its `<tbody>`, a footnote's `<div>` and label) and at most two for an event
/// without content (`<sup><a>` for a footnote reference), closing each in the order opened;
/// bulletin's own wrappers (callout and DocFX boxes, video cards, includes) are counted as
/// they are pushed. So with `open` tags open nothing nests deeper than `2 × open + 2`. For
/// HTML whose tags close in order the sanitiser's estimate is never above the real depth,
/// so it is within the bound too. Raw HTML can nest anything: one raw event drops the
/// bound, except a line break (`</br>`, which Learn tables are full of), which bulletin
/// rewrites to a `<br>` of its own. Learn notices stay far below the cap even counted twice,
/// so only pages with other raw HTML, or nested a few dozen levels deep, are measured.
struct Output<'e> {
    events: Vec<Event<'e>>,
    /// Tags and wrappers open after the last event.
    open: usize,
    deepest: Option<usize>,
}

impl<'e> Output<'e> {
    fn with_capacity(capacity: usize) -> Self {
        Output {
            events: Vec::with_capacity(capacity),
            open: 0,
            deepest: Some(0),
        }
    }

    /// Pushes an event from the parse (or one like it); raw HTML drops the bound.
    fn push(&mut self, event: Event<'e>) {
        match &event {
            Event::Start(_) => {
                self.open += 1;
                self.reach(2 * self.open);
            }
            Event::End(_) => self.open = self.open.saturating_sub(1),
            Event::Html(_) | Event::InlineHtml(_) => self.deepest = None,
            _ => self.reach(2 * self.open + 2),
        }
        self.events.push(event);
    }

    /// Opens one of bulletin's wrapper elements (plus, at most, one closed child such as a
    /// callout's title).
    fn open_wrapper(&mut self, html: String) {
        self.open += 1;
        self.reach(2 * self.open);
        self.events.push(Event::Html(html.into()));
    }

    /// Closes the wrapper opened last.
    fn close_wrapper(&mut self, html: &'static str) {
        self.open = self.open.saturating_sub(1);
        self.events.push(Event::Html(html.into()));
    }

    /// Writes bulletin's own `<br>` in place of one the notice wrote (`</br>` included): it
    /// has no content, so it leaves the bound as it is.
    fn line_break(&mut self) {
        self.events.push(Event::InlineHtml("<br>".into()));
    }

    /// Writes bulletin's own HTML in place, `deepest` levels deep (`None`: unknown).
    fn embed(&mut self, html: String, deepest: Option<usize>) {
        match deepest {
            Some(depth) => self.reach(2 * self.open + depth),
            None => self.deepest = None,
        }
        self.events.push(Event::Html(html.into()));
    }

    fn reach(&mut self, depth: usize) {
        if let Some(deepest) = &mut self.deepest {
            *deepest = (*deepest).max(depth);
        }
    }
}

impl<'a> Renderer<'a> {
    fn new(notice: &Notice, cx: RenderContext<'a>) -> Self {
        Renderer {
            cx,
            chain: vec![notice.path.clone()],
            slugs: UniqueSlugs::default(),
            out: Rendered::default(),
            same_page: Vec::new(),
        }
    }

    /// Renders a file's body (a notice or an included fragment) to unsanitised HTML.
    fn render_file(&mut self, file: &Notice) -> Written {
        let body = file.body();
        let lines = LineStarts::new(body);
        let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, options())
            .into_offset_iter()
            .collect();
        let line_of = |offset: usize| file.file_line(lines.line(offset));

        let regions = regions::scan(&events, body);
        let mut splices: Vec<Splice> = Vec::new();
        let drop = self.directive_markers(body, &events);
        let mut out = Output::with_capacity(events.len());
        let mut quotes: Vec<QuoteClose> = Vec::new();
        let mut i = 0;
        while i < events.len() {
            if drop[i] {
                i += 1;
                continue;
            }
            let (event, range) = &events[i];
            match event {
                Event::Start(Tag::Paragraph) => {
                    if let Some(directives) = docfx::line_directives(&body[range.clone()]) {
                        let end = matching_end(&events, i);
                        let mut splice = Splice {
                            start: i,
                            end,
                            parts: Vec::new(),
                        };
                        for directive in directives {
                            splice
                                .parts
                                .extend(self.emit_directive(directive, file, range, &mut out));
                        }
                        splices.push(splice);
                        i = end + 1;
                        continue;
                    }
                    out.push(event.clone());
                }
                // The page shows a notice's leading H1 as its heading, so the body omits it.
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }) if i == 0 && self.chain.len() == 1 => {
                    let end = matching_end(&events, i);
                    self.out.h1 = Some(plain_text(&events[i + 1..end]).trim().to_string());
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    let (class, title) = docfx::alert(*kind);
                    out.open_wrapper(format!(
                        "<div class=\"alert {class}\" role=\"note\"><p class=\"alert-title\">{title}</p>\n"
                    ));
                    quotes.push(QuoteClose::Div);
                }
                Event::Start(Tag::BlockQuote(None)) => {
                    match docfx::quote_directive(&body[range.clone()]) {
                        Some(QuoteDirective::Div { classes, .. }) => {
                            let classes = std::iter::once("docfx-div".to_string())
                                .chain(classes)
                                .collect::<Vec<_>>()
                                .join(" ");
                            out.open_wrapper(format!("<div class=\"{classes}\">\n"));
                            quotes.push(QuoteClose::Div);
                        }
                        Some(QuoteDirective::Video { url }) => {
                            let href = self.link(&url, file, range);
                            out.open_wrapper("<p class=\"video-card\">".into());
                            out.push(Event::Start(Tag::Link {
                                link_type: LinkType::Inline,
                                dest_url: href.into(),
                                title: "".into(),
                                id: "".into(),
                            }));
                            out.push(Event::Text(
                                format!("Watch the video ({})", host_of(&url)).into(),
                            ));
                            out.push(Event::End(TagEnd::Link));
                            out.close_wrapper("</p>\n");
                            i = matching_end(&events, i) + 1;
                            continue;
                        }
                        None => {
                            out.push(event.clone());
                            quotes.push(QuoteClose::Plain);
                        }
                    }
                }
                Event::End(TagEnd::BlockQuote(_)) => match quotes.pop() {
                    Some(QuoteClose::Div) => out.close_wrapper("</div>\n"),
                    _ => out.push(event.clone()),
                },
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    let end = matching_end(&events, i);
                    let text = plain_text(&events[i + 1..end]);
                    for (event, _) in &events[i + 1..end] {
                        if let Event::InlineHtml(html) | Event::Html(html) = event {
                            self.collect_named_anchors(html);
                        }
                    }
                    let slug = match id {
                        Some(explicit) => {
                            self.slugs.reserve(explicit);
                            explicit.to_string()
                        }
                        None => self.slugs.unique(&slugify(&text)),
                    };
                    if *level == HeadingLevel::H1 && self.out.h1.is_none() && self.chain.len() == 1
                    {
                        self.out.h1 = Some(text.trim().to_string());
                    }
                    self.out.anchors.insert(slug.clone());
                    out.push(Event::Start(Tag::Heading {
                        level: *level,
                        id: Some(slug.into()),
                        classes: classes.clone(),
                        attrs: attrs.clone(),
                    }));
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let href = self.link(dest_url, file, range);
                    out.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: href.into(),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let src = self.link(dest_url, file, range);
                    out.push(Event::Start(Tag::Image {
                        link_type: *link_type,
                        dest_url: src.into(),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
                Event::InlineHtml(html) | Event::Html(html) => {
                    self.collect_named_anchors(html);
                    if BROKEN_BR.is_match(html.trim()) {
                        out.line_break();
                    } else {
                        out.push(event.clone());
                    }
                }
                _ => out.push(event.clone()),
            }
            i += 1;
        }
        let mut html = String::with_capacity(body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, out.events.into_iter());
        Written {
            html,
            deepest: out.deepest,
            blocks: outline::outline(&events, &regions, splices, line_of),
        }
    }

    /// Marks the events that only spell a `[!div]` marker, so the quote renders without it.
    fn directive_markers(&self, body: &str, events: &[(Event<'_>, Range<usize>)]) -> Vec<bool> {
        let mut drop = vec![false; events.len()];
        for (i, (event, range)) in events.iter().enumerate() {
            let Event::Start(Tag::BlockQuote(None)) = event else {
                continue;
            };
            let Some(QuoteDirective::Div { marker_end, .. }) =
                docfx::quote_directive(&body[range.clone()])
            else {
                continue;
            };
            let marker_end = range.start + marker_end;
            // The marker is the start of the quote's first paragraph.
            let Some((Event::Start(Tag::Paragraph), _)) = events.get(i + 1) else {
                continue;
            };
            let mut j = i + 2;
            while let Some((event, range)) = events.get(j) {
                let is_marker =
                    range.end <= marker_end && !matches!(event, Event::End(_) | Event::Start(_));
                let is_break_after = matches!(event, Event::SoftBreak | Event::HardBreak)
                    && range.start <= marker_end + 1;
                if !(is_marker || is_break_after) {
                    break;
                }
                drop[j] = true;
                j += 1;
            }
            if let Some((Event::End(TagEnd::Paragraph), _)) = events.get(j) {
                drop[i + 1] = true;
                drop[j] = true;
            }
        }
        drop
    }

    /// Writes a directive line (written in `at`, a byte range of `file`'s body); an include
    /// gives the included file's outline.
    fn emit_directive(
        &mut self,
        directive: LineDirective,
        file: &Notice,
        at: &Range<usize>,
        out: &mut Output<'_>,
    ) -> Option<Vec<Block>> {
        match directive {
            LineDirective::Image { source, alt } => {
                let src = self.link(&source, file, at);
                out.push(Event::Start(Tag::Paragraph));
                out.push(Event::Start(Tag::Image {
                    link_type: LinkType::Inline,
                    dest_url: src.into(),
                    title: "".into(),
                    id: "".into(),
                }));
                out.push(Event::Text(alt.into()));
                out.push(Event::End(TagEnd::Image));
                out.push(Event::End(TagEnd::Paragraph));
                None
            }
            LineDirective::Include { path } => {
                let included = self.include(&path, file, at);
                out.embed(included.html, included.deepest);
                Some(included.blocks)
            }
        }
    }

    /// Expands `[!INCLUDE]` (written in `at`, a byte range of `file`'s body): the fragment
    /// rendered in place, or a visible placeholder.
    fn include(&mut self, written: &str, file: &Notice, at: &Range<usize>) -> Written {
        let placeholder = |message: &str| Written {
            html: format!(
                "<span class=\"include-missing\">{}</span>",
                pulldown_cmark_escape_html(message)
            ),
            deepest: Some(1),
            blocks: Vec::new(),
        };
        let error = |code: Code, message: String| {
            Diagnostic::new(code, file.path.site_path(), message)
                .at_source_range(&file.source, written_at(file, at, written))
        };
        let Some(target) = links::normalize(written, &file.path, self.cx.config) else {
            self.out.diagnostics.push(
                error(
                    Code::IncludeOutsideRoot,
                    format!("the include `{written}` points outside content/; it was not read and a placeholder is shown"),
                )
                .with_hint("include only files inside content/ (copy the fragment in)"),
            );
            return placeholder(&format!("Include outside the content folder: {written}"));
        };
        if self.chain.iter().any(|p| p.as_str() == target) {
            let cycle: Vec<&str> = self
                .chain
                .iter()
                .map(ContentPath::as_str)
                .chain([target.as_str()])
                .collect();
            self.out.diagnostics.push(
                error(
                    Code::IncludeCycle,
                    format!("this include makes a cycle: {}", cycle.join(" -> ")),
                )
                .with_hint("remove one of the includes that close the cycle"),
            );
            return placeholder(&format!("Include cycle: {written}"));
        }
        if self.chain.len() > MAX_INCLUDE_DEPTH {
            self.out.diagnostics.push(error(
                Code::IncludeCycle,
                format!("includes nest more than {MAX_INCLUDE_DEPTH} deep here; bulletin stops following them"),
            ));
            return placeholder(&format!("Include nested too deep: {written}"));
        }
        let Some(fragment) = self.cx.files.get(target.as_str()).copied() else {
            self.out.diagnostics.push(
                error(
                    Code::MissingInclude,
                    format!(
                        "the include `{written}` names a file that does not exist (content/{target})"
                    ),
                )
                .with_hint(format!(
                    "fix the path or add the file: a path is relative to the file that includes it, and `~/` is {}",
                    docset_root(self.cx.config)
                )),
            );
            return placeholder(&format!("Missing include: {written}"));
        };
        self.out.includes.push(fragment.path.as_str().to_string());
        self.chain.push(fragment.path.clone());
        let mut written = self.render_file(fragment);
        self.chain.pop();
        for block in &mut written.blocks {
            if block.file.is_none() {
                block.file = Some(fragment.path.clone());
            }
        }
        Written {
            html: format!("<div class=\"include\">\n{}</div>\n", written.html),
            deepest: written.deepest.map(|depth| depth + 1),
            blocks: written.blocks,
        }
    }

    /// Resolves a link written in `file` (in `at`, a byte range of its body); records it and
    /// reports what is broken.
    fn link(&mut self, written: &str, file: &Notice, at: &Range<usize>) -> String {
        let resolved = links::resolve(written, &file.path, self.cx.pages, self.cx.config);
        let place = written_at(file, at, written);
        // An anchor's diagnostics point at the `#fragment`, the rest at the whole destination.
        let fragment_at = file.source[place.clone()]
            .find('#')
            .map_or(place.clone(), |hash| place.start + hash..place.end);
        let report = |code: Code, message: String, hint: &str| {
            Diagnostic::new(code, file.path.site_path(), message)
                .at_source_range(&file.source, place.clone())
                .with_hint(hint)
        };
        match &resolved {
            Resolved::SamePage { fragment } => {
                self.same_page
                    .push((fragment.clone(), file.path.clone(), fragment_at));
            }
            Resolved::Notice { advisory, fragment, .. } => self.out.links.push(NoticeLink {
                advisory: *advisory,
                fragment: fragment.clone(),
                file: file.path.clone(),
                at: fragment_at,
            }),
            Resolved::Unresolved { target } if target.starts_with('/') => {
                self.out.diagnostics.push(report(
                    Code::UnresolvedLink,
                    format!("the link `{written}` is a path on the vendor's site, which bulletin does not know"),
                    "set `vendor_site_url` in bulletin.yaml to the vendor's site (e.g. `https://learn.microsoft.com`), or write the link as a full URL",
                ));
            }
            Resolved::Unresolved { target } => self.out.diagnostics.push(report(
                Code::UnresolvedLink,
                format!("the link `{written}` points at content/{target}, which is not in this site"),
                "add that notice to content/, fix the link, or set `external_base_url` in bulletin.yaml to send links to notices that are not in this site to the vendor's site (that prefix plus the file's name)",
            )),
            Resolved::OutsideRoot => self.out.diagnostics.push(report(
                Code::UnresolvedLink,
                format!("the link `{written}` climbs out of content/"),
                "link to the page on the vendor's site with a full URL, or copy the file into content/",
            )),
            Resolved::External | Resolved::Redirected { .. } | Resolved::Asset { .. } => {}
        }
        resolved.href(written).to_string()
    }

    fn collect_named_anchors(&mut self, html: &str) {
        for caps in NAMED_ANCHOR.captures_iter(html) {
            let name = caps[1].to_string();
            self.slugs.reserve(&name);
            self.out.anchors.insert(name);
        }
    }
}

/// What `~/` means under `config`, in words for a hint.
fn docset_root(config: &SiteConfig) -> String {
    match config.docset_root.as_str() {
        "" => "content/ (no `docset_root` is set in bulletin.yaml)".to_string(),
        root => format!("content/{root}/ (`docset_root` in bulletin.yaml)"),
    }
}

/// Where `written` (a link's destination, an include's path) is in `file`'s text: its last
/// occurrence within `at`, a byte range of the body (the destination follows the link's
/// text, which may repeat it); the start of `at` when it is written differently (escaped,
/// or split over lines).
fn written_at(file: &Notice, at: &Range<usize>, written: &str) -> Range<usize> {
    let start = file.body_start + at.start;
    let region = file
        .source
        .get(start..file.body_start + at.end)
        .unwrap_or_default();
    match region
        .rfind(written.trim())
        .filter(|_| !written.trim().is_empty())
    {
        Some(found) => start + found..start + found + written.trim().len(),
        None => start..start + region.chars().next().map_or(0, char::len_utf8),
    }
}

fn pulldown_cmark_escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut escaped, text);
    escaped
}

/// The visible text of a run of inline events (a heading's words).
fn plain_text(events: &[(Event<'_>, Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// Maps byte offsets to 1-based line numbers.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> Self {
        LineStarts(
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        )
    }

    fn line(&self, offset: usize) -> u32 {
        self.0.partition_point(|&start| start <= offset) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::identity;
    use crate::model::FrontMatter;

    /// Runs `f` on `notice.md` holding `body`, in a site that also holds the files
    /// `fragments` (content path, body) for it to include.
    fn with_notice<T>(
        body: &str,
        fragments: &[(&str, &str)],
        f: impl FnOnce(&Notice, RenderContext<'_>) -> T,
    ) -> T {
        let file = |path: &str, body: &str| Notice {
            path: ContentPath(path.to_string()),
            source: body.to_string(),
            body_start: 0,
            body_line: 1,
            front: FrontMatter::default(),
            has_frontmatter: false,
        };
        let notices = [file("notice.md", body)];
        let fragments: Vec<Notice> = fragments
            .iter()
            .map(|(path, body)| file(path, body))
            .collect();
        let (advisories, _) = identity::group(&notices, "");
        let pages = PageIndex::new(&notices, &advisories);
        let files: HashMap<&str, &Notice> = notices
            .iter()
            .chain(&fragments)
            .map(|n| (n.path.as_str(), n))
            .collect();
        let config = SiteConfig::default();
        let cx = RenderContext {
            config: &config,
            pages: &pages,
            files: &files,
        };
        f(&notices[0], cx)
    }

    fn render_body(body: &str) -> Rendered {
        with_notice(body, &[], render)
    }

    /// The caret goes on what is wrong: the destination (not the link's text, even when it
    /// repeats it), the `#fragment` of a link to a missing anchor, the include's path; on the
    /// line where each is written.
    #[test]
    fn diagnostics_mark_the_destination_the_fragment_and_the_include() {
        let body = "# Title\n\nSee [gone.md](gone.md) and [below](#nowhere).\n\n\
                    A [link written\nover lines](/azure/x).\n\n\
                    [!INCLUDE [note](includes/none.md)]\n";
        let rendered = render_body(body);
        let marked: Vec<(Code, Option<u32>, Option<&str>)> = rendered
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line, d.marked()))
            .collect();
        assert_eq!(
            marked,
            [
                (Code::UnresolvedLink, Some(3), Some("gone.md")),
                (Code::UnresolvedLink, Some(6), Some("/azure/x")),
                (Code::MissingInclude, Some(8), Some("includes/none.md")),
                (Code::MissingAnchor, Some(3), Some("#nowhere")),
            ]
        );
        let gone = &rendered.diagnostics[0];
        assert_eq!(
            gone.columns(),
            Some((15, 22)),
            "the destination, not the text"
        );
        assert!(
            gone.hint
                .as_deref()
                .is_some_and(|h| h.contains("external_base_url"))
        );
        let vendor = &rendered.diagnostics[1];
        assert!(
            vendor
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("vendor_site_url"))
        );
        let include = &rendered.diagnostics[2];
        assert!(
            include.hint.as_deref().is_some_and(
                |h| h.ends_with("`~/` is content/ (no `docset_root` is set in bulletin.yaml)")
            ),
            "{:?}",
            include.hint
        );
    }

    /// The notice's HTML before sanitising, with its depth bound.
    fn written(notice: &Notice, cx: RenderContext<'_>) -> Written {
        Renderer::new(notice, cx).render_file(notice)
    }

    fn too_deep(rendered: &Rendered) -> Vec<String> {
        rendered
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::NestingTooDeep)
            .filter_map(Diagnostic::location)
            .collect()
    }

    /// Markdown without raw HTML, of every shape the renderer writes, nested as far as notices
    /// go and further: the bound holds, stays under the cap so the measuring pass is skipped,
    /// and the page is the one the measuring pass gives.
    #[test]
    fn shallow_markdown_skips_measuring_with_the_same_output() {
        let fragments = [
            (
                "includes/a.md",
                "> [!TIP]\n> A tip with a table:\n>\n> | a | b |\n> |---|:-:|\n> | `c` | **d** |\n\n[!INCLUDE [b](b.md)]\n",
            ),
            (
                "includes/b.md",
                "- deep\n  - deeper[^1]\n    ```sh\n    run\n    ```\n\n[^1]: A note.\n",
            ),
        ];
        let cases = [
            // Line breaks written as HTML are bulletin's own `<br>`, which nests nothing.
            "| a | b |\n|---|---|\n| one </br> two <br/> three | four<br>\n",
            // Where pulldown-cmark writes two elements for one tag or leaf event.
            "| a |\n|---|\n| `c` |\n",
            "A footnote[^1].\n\n[^1]: x\n",
            "```\ncode\n```\n",
            "# Title\n\n## Heading `code` {#custom}\n\nText with **bold _em_ ~~old~~**, [a link](https://x.example/) and ![an image](a.png).[^n]\n\n[^n]: A note with `code` and [a link](#custom).\n\n---\n",
            "| a | b |\n|---|---|\n| `c`[^t] | **[d](https://x.example/)** |\n\n[^t]: In a table.\n",
            "- a\n  - b\n\n    ```rust\n    fn x() {}\n    ```\n\n    1. c\n       > quoted [^q]\n       >\n       > - [x] done\n       > - [ ] to do\n\n[^q]: note\n",
            "> [!NOTE]\n> Text.\n>\n> > [!WARNING]\n> > - an item\n> >\n> >   > [!div class=\"checklist\"]\n> >   > * a\n\n> [!VIDEO https://x.example/v]\n\n:::image type=\"content\" source=\"a.png\" alt-text=\"A.\":::\n",
            "> - [!INCLUDE [a](includes/a.md)]\n>\n>   [!INCLUDE [a](includes/a.md)]\n\n[!INCLUDE [missing](includes/missing.md)]\n",
            &format!(
                "{}- innermost\n  1. item\n\n     ```\n     code\n     ```\n",
                "> ".repeat(28)
            ),
        ];
        for body in cases {
            with_notice(body, &fragments, |notice, cx| {
                let written = written(notice, cx);
                let bound = written.deepest.unwrap_or(usize::MAX);
                assert!(bound <= sanitize::MAX_DEPTH, "{bound}: {body}");
                let measured = sanitize::nesting::deepest(&written.html);
                assert!(measured <= bound, "{measured} > {bound}: {}", written.html);
                let rendered = render(notice, cx);
                let full_pass = sanitize::clean(&written.html, cx.config);
                assert_eq!(full_pass.flattened, None);
                assert_eq!(rendered.html, full_pass.html, "{body}");
                assert!(too_deep(&rendered).is_empty());
            });
        }
    }

    #[test]
    fn raw_html_leaves_the_depth_unknown() {
        let fragments = [("includes/raw.md", "A <b>raw</b> tag.\n")];
        for body in [
            "Text with <b>raw</b> HTML.",
            "<div>\nA block.\n</div>",
            "> [!INCLUDE [raw](includes/raw.md)]",
        ] {
            with_notice(body, &fragments, |notice, cx| {
                assert_eq!(written(notice, cx).deepest, None, "{body}");
            });
        }
    }

    /// Nesting past the cap by Markdown alone, or by a notice and the fragment it includes
    /// (neither deep enough on its own), is measured, unwrapped and reported, as the full
    /// pass would; nesting the bound cannot rule out but below the cap is kept whole.
    #[test]
    fn deep_markdown_is_still_measured_flattened_and_reported() {
        let fragment = "> ".repeat(70) + "innermost include\n";
        let fragments = [("includes/deep.md", fragment.as_str())];
        let cases = [
            ("> ".repeat(200) + "innermost quote\n", true),
            ("- ".repeat(200) + "innermost item\n", true),
            ("1. ".repeat(130) + "innermost ordered\n", true),
            (
                "> ".repeat(70) + "[!INCLUDE [deep](includes/deep.md)]\n",
                true,
            ),
            ("> ".repeat(100) + "innermost shallow\n", false),
        ];
        for (body, deep) in &cases {
            with_notice(body, &fragments, |notice, cx| {
                let written = written(notice, cx);
                assert!(
                    written.deepest.is_some_and(|d| d > sanitize::MAX_DEPTH),
                    "{body}: a bound under the cap would skip measuring"
                );
                let rendered = render(notice, cx);
                let full_pass = sanitize::clean(&written.html, cx.config);
                assert_eq!(rendered.html, full_pass.html);
                assert_eq!(full_pass.flattened.is_some(), *deep, "{body}");
                let reported = if *deep {
                    vec!["content/notice.md"]
                } else {
                    vec![]
                };
                assert_eq!(too_deep(&rendered), reported);
                assert!(rendered.html.contains("innermost"));
                assert!(
                    sanitize::nesting::deepest(&rendered.html) <= sanitize::MAX_DEPTH + 1,
                    "{body}"
                );
            });
        }
    }

    #[test]
    fn a_directive_in_a_nested_quote_belongs_to_the_inner_quote() {
        let rendered = render_body(
            "> > [!div class=\"checklist\"]\n> > * a\n\n> > [!VIDEO https://x.example/v]\n",
        );
        // Skipping every `>` made the outer quote claim the directive too: two nested boxes,
        // and a video card that swallowed the quote around it.
        assert_eq!(
            rendered.html,
            "<blockquote>\n<div class=\"docfx-div checklist\">\n<ul>\n<li>a</li>\n</ul>\n</div>\n</blockquote>\n\
             <blockquote>\n<p class=\"video-card\"><a href=\"https://x.example/v\" rel=\"noopener noreferrer\">Watch the video (x.example)</a></p>\n</blockquote>\n"
        );
    }

    #[test]
    fn included_blocks_stand_where_the_include_does() {
        let fragments = [
            (
                "includes/x.md",
                "Upgrade by **May 1, 2025**.\n\n### Inner\n\n- Connect: 2.0\n",
            ),
            ("includes/y.md", "[!INCLUDE [z](z.md)]\n"),
            ("includes/z.md", "Deep text.\n"),
        ];
        let body = "## Upgrade\n\n- item\n\n  [!INCLUDE [x](includes/x.md)]\n\n> [!NOTE]\n> [!INCLUDE [y](includes/y.md)]\n\nAfter.\n";
        let rendered = with_notice(body, &fragments, render);
        let summary: Vec<_> = rendered
            .blocks
            .iter()
            .map(|b| {
                (
                    b.text.as_str(),
                    b.file.as_ref().map(ContentPath::as_str),
                    b.line,
                    b.parent,
                    b.section,
                    b.callout,
                    b.depth,
                )
            })
            .collect();
        let x = Some("includes/x.md");
        type Row<'a> = (
            &'a str,
            Option<&'a str>,
            u32,
            Option<usize>,
            Option<usize>,
            Option<crate::model::Callout>,
            u16,
        );
        let expected: [Row; 7] = [
            ("Upgrade", None, 1, None, None, None, 0),
            ("item", None, 3, None, Some(0), None, 1),
            ("Upgrade by May 1, 2025.", x, 1, Some(1), Some(0), None, 0),
            ("Inner", x, 3, None, Some(0), None, 0),
            ("Connect: 2.0", x, 5, Some(1), Some(3), None, 2),
            (
                "Deep text.",
                Some("includes/z.md"),
                1,
                None,
                Some(3),
                Some(crate::model::Callout::Note),
                0,
            ),
            ("After.", None, 10, None, Some(3), None, 0),
        ];
        assert_eq!(summary, expected);
        assert_eq!(
            rendered.includes,
            ["includes/x.md", "includes/y.md", "includes/z.md"]
        );
    }
}
