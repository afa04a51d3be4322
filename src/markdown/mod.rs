//! Stage 2, markdown: a notice's body to sanitised HTML, with the DocFX extensions rendered,
//! includes expanded, links pointed at the pages they mean, and the page's anchors and
//! outgoing links recorded for the cross-link checks.
//!
//! The Markdown is parsed once. One pass over pulldown-cmark's events rewrites what DocFX
//! means differently from CommonMark; pulldown-cmark then writes the HTML, and ammonia
//! cleans it.

pub mod directives;
pub mod docfx;
pub mod html_text;
pub mod links;
pub mod outline;
pub mod prepare;
pub mod regions;
pub mod sanitize;
pub mod snippet;
pub mod toc;

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::config::SiteConfig;
use crate::diagnostic::{Code, Diagnostic};
use crate::load::SourceFiles;
use crate::load::frontmatter::key_line;
use crate::model::{Advisory, Block, ContentPath, Notice, PivotGroup};
use crate::slug::{UniqueSlugs, slugify};
use docfx::{CodeRef, Container, Image, LineDirective, QuoteDirective, Zone};
use links::{PageIndex, Resolved};
use outline::Splice;
use regions::{Mark, Regions, matching_end};
use sanitize::Sanitizer;

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
    /// The sanitiser for those settings.
    pub sanitizer: &'a Sanitizer,
    /// Where every notice's page is.
    pub pages: &'a PageIndex,
    /// Every loaded Markdown file by content path, for includes.
    pub files: &'a HashMap<&'a str, &'a Notice>,
    /// Every other file under `content/`, for code snippets.
    pub sources: &'a SourceFiles,
    /// The zone pivot groups the site defines.
    pub pivot_groups: &'a [PivotGroup],
}

/// The indexes a [`RenderContext`] borrows: where each notice's page is, and every
/// Markdown file by path. Built in this one place, so that the build, the tests and the
/// fuzz targets render notices alike.
#[derive(Debug)]
pub struct RenderIndex<'a> {
    /// Where every notice's page is.
    pub pages: PageIndex,
    /// Every Markdown file, notices and fragments, by content path, for includes.
    pub files: HashMap<&'a str, &'a Notice>,
}

impl<'a> RenderIndex<'a> {
    /// Indexes a site's notices, the fragments they may include, and their advisories.
    pub fn new(notices: &'a [Notice], fragments: &'a [Notice], advisories: &[Advisory]) -> Self {
        RenderIndex {
            pages: PageIndex::new(notices, advisories),
            files: notices
                .iter()
                .chain(fragments)
                .map(|n| (n.path.as_str(), n))
                .collect(),
        }
    }

    /// The context to render the site's notices in.
    pub fn context(
        &'a self,
        config: &'a SiteConfig,
        sanitizer: &'a Sanitizer,
        sources: &'a SourceFiles,
        pivot_groups: &'a [PivotGroup],
    ) -> RenderContext<'a> {
        RenderContext {
            config,
            sanitizer,
            pages: &self.pages,
            files: &self.files,
            sources,
            pivot_groups,
        }
    }
}

/// Calls `f` with the context of a site that holds `notice` alone (with `fragments` for it
/// to include), under the default settings: how tests and fuzz targets render one notice.
pub fn with_lone_notice<T>(
    notice: &Notice,
    fragments: &[Notice],
    f: impl FnOnce(RenderContext<'_>) -> T,
) -> T {
    let notices = std::slice::from_ref(notice);
    let (advisories, _) = crate::load::identity::group(notices, "");
    let index = RenderIndex::new(notices, fragments, &advisories);
    let config = SiteConfig::default();
    let sanitizer = Sanitizer::new(&config);
    let sources = SourceFiles::default();
    f(index.context(&config, &sanitizer, &sources, &[]))
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
    /// The 1-based line of the link in that file.
    pub line: u32,
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
    /// Every file a code snippet was taken from (or looked for), by content path: the
    /// rendering depends on them too.
    pub snippets: Vec<String>,
    /// What went wrong, with file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the page is a FAQ (its HTML carries schema.org `FAQPage` data).
    pub faq: bool,
    /// Whether the page has tab groups or zone pivots, which the theme's script makes
    /// interactive.
    pub interactive: bool,
}

/// Renders one notice.
pub fn render(notice: &Notice, cx: RenderContext<'_>) -> Rendered {
    let mut renderer = Renderer::new(notice, cx);
    let written = renderer.write(notice);
    let mut out = renderer.out;
    out.blocks = written.blocks;
    for (fragment, file, line) in renderer.same_page {
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
                .at_source_text(source, line, &format!("#{fragment}"))
                .with_hint("link to a heading of the page (its words in lower case, joined by hyphens) or to an `<a name>`"),
            );
        }
    }
    let sanitized = cx.sanitizer.clean_bounded(&written.html, written.deepest);
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
    /// Same-page links to check once every anchor is known: (fragment, file, line).
    same_page: Vec<(String, ContentPath, u32)>,
    /// How many tab groups the page has so far (their ids are numbered).
    groups: usize,
    /// The pivot groups the notice's `zone_pivot_groups` names.
    page_groups: Vec<PivotGroup>,
    /// The pivots the page's zones name, in order.
    pivots: Vec<String>,
    /// Where each pivot is first named: (pivot, file, line).
    pivot_lines: Vec<(String, ContentPath, u32)>,
}

/// What to emit when a block quote ends.
enum QuoteClose {
    Plain,
    Div,
}

static NAMED_ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<a\s[^>]*?\b(?:name|id)\s*=\s*["']?([^"'\s>]+)"#).expect("valid regex")
});
static HTML_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(\s(href|src)\s*=\s*)(?:"([^"]*)"|'([^']*)')"#).expect("valid regex")
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

/// A file's parse, as the methods that render its events read it.
struct Parse<'p, 'e> {
    file: &'p Notice,
    body: &'e str,
    events: &'p [(Event<'e>, Range<usize>)],
    regions: &'p Regions,
    /// The line of the file a byte offset of `body` is on.
    line_of: &'p dyn Fn(usize) -> u32,
    /// Whether the file is a YAML FAQ page, whose questions are marked up.
    is_faq: bool,
}

/// What is open while a file's events are rendered.
struct Pass<'e> {
    out: Output<'e>,
    /// Events whose outline text is replaced (directives, includes).
    splices: Vec<Splice>,
    /// What each open block quote closes with.
    quotes: Vec<QuoteClose>,
    /// What closes each open `:::` directive.
    closers: Vec<&'static str>,
    /// The next region mark to apply.
    next_mark: usize,
    /// Whether the open link was dropped (it had nowhere to go), so its end is too.
    dropped_link: bool,
    /// The level of the FAQ question whose answer is being written (YAML FAQ pages).
    question: Option<HeadingLevel>,
    /// The closing event of a question's heading, after which its answer opens.
    answer_at: Option<usize>,
}

impl Pass<'_> {
    fn new(events: usize) -> Self {
        Pass {
            out: Output::with_capacity(events),
            splices: Vec::new(),
            quotes: Vec::new(),
            closers: Vec::new(),
            next_mark: 0,
            dropped_link: false,
            question: None,
            answer_at: None,
        }
    }
}

impl<'a> Renderer<'a> {
    fn new(notice: &Notice, cx: RenderContext<'a>) -> Self {
        let mut out = Rendered::default();
        let named = pivot_groups_named(notice);
        let mut page_groups = Vec::new();
        for id in &named {
            match cx.pivot_groups.iter().find(|g| g.id == *id) {
                Some(group) => page_groups.push(group.clone()),
                None => out.diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownPivot,
                        notice.path.site_path(),
                        format!("`zone_pivot_groups` names `{id}`, which no zone-pivot-groups.yml under content/ defines"),
                    )
                    .at_line(
                        // A YAML page writes it in its `metadata:`, not in frontmatter.
                        key_line(&notice.source, 1..u32::MAX, "zone_pivot_groups")
                            .map_or(1, |(line, _)| line),
                    ),
                ),
            }
        }
        Renderer {
            cx,
            chain: vec![notice.path.clone()],
            slugs: UniqueSlugs::default(),
            out,
            same_page: Vec::new(),
            groups: 0,
            page_groups,
            pivots: Vec::new(),
            pivot_lines: Vec::new(),
        }
    }

    /// Reports a problem at a line of `file`.
    fn report(&mut self, code: Code, file: &Notice, line: u32, message: String) {
        self.out.diagnostics.push(
            Diagnostic::new(code, file.path.site_path(), message)
                .at_source_line(&file.source, line),
        );
    }

    /// What readers see for a pivot: its title in the page's groups, else in any group the
    /// site defines, else its id.
    fn pivot_title(&self, id: &str) -> String {
        self.page_groups
            .iter()
            .chain(self.cx.pivot_groups)
            .flat_map(|g| &g.pivots)
            .find(|p| p.id == id)
            .map_or_else(|| id.to_string(), |p| p.title.clone())
    }

    /// The groups the page's pivot selector offers: the notice's `zone_pivot_groups`, else
    /// the defined groups its pivots belong to; pivots no group has form one more group
    /// (reported when the notice names its groups).
    fn selector_groups(&mut self) -> Vec<PivotGroup> {
        let mut groups = self.page_groups.clone();
        if groups.is_empty() {
            for pivot in &self.pivots {
                let group = self
                    .cx
                    .pivot_groups
                    .iter()
                    .find(|g| g.pivots.iter().any(|p| p.id == *pivot));
                if let Some(group) = group.filter(|g| !groups.iter().any(|h| h.id == g.id)) {
                    groups.push(group.clone());
                }
            }
        }
        let orphans: Vec<String> = self
            .pivots
            .iter()
            .filter(|p| !groups.iter().flat_map(|g| &g.pivots).any(|q| q.id == **p))
            .cloned()
            .collect();
        if !self.page_groups.is_empty() {
            for pivot in &orphans {
                if let Some((_, path, line)) = self.pivot_lines.iter().find(|(p, _, _)| p == pivot)
                {
                    let source = self
                        .cx
                        .files
                        .get(path.as_str())
                        .map_or("", |n| n.source.as_str());
                    self.out.diagnostics.push(
                        Diagnostic::new(
                            Code::UnknownPivot,
                            path.site_path(),
                            format!("the zone pivot `{pivot}` is in none of the page's `zone_pivot_groups`; it is offered under its id"),
                        )
                        .at_source_line(source, *line),
                    );
                }
            }
        }
        if !orphans.is_empty() {
            groups.push(PivotGroup {
                id: String::new(),
                title: "Options".into(),
                prompt: "Choose an option".into(),
                pivots: orphans
                    .into_iter()
                    .map(|id| crate::model::Pivot {
                        title: id.clone(),
                        id,
                    })
                    .collect(),
            });
        }
        groups
    }

    /// The notice's unsanitised HTML: its body, with the pivot selector before it and FAQ
    /// data around it when it has zones or questions.
    fn write(&mut self, notice: &Notice) -> Written {
        let mut written = self.render_file(notice);
        if !self.pivots.is_empty() {
            self.out.interactive = true;
            let groups = self.selector_groups();
            written.html = directives::pivot_selector(&groups) + &written.html;
            written.deepest = written.deepest.map(|d| d.max(3));
        }
        if self.out.faq {
            written.html = format!(
                "<div itemscope itemtype=\"https://schema.org/FAQPage\">\n{}</div>\n",
                written.html
            );
            written.deepest = written.deepest.map(|d| d + 1);
        }
        written
    }

    /// Renders a file's body (a notice or an included fragment) to unsanitised HTML.
    fn render_file(&mut self, file: &Notice) -> Written {
        let prepared = prepare::prepare(file.body());
        let body: &str = &prepared.text;
        let lines = LineStarts::new(body);
        let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, options())
            .into_offset_iter()
            .collect();
        let line_of = |offset: usize| file.file_line(prepared.source_line(lines.line(offset)));

        let regions = regions::scan(&events, body);
        for problem in &regions.problems {
            let offset = events
                .get(problem.index)
                .map_or(body.len(), |(_, r)| r.start);
            self.report(
                Code::UnsupportedDocfx,
                file,
                line_of(offset),
                problem.message.clone(),
            );
        }
        let drop = self.directive_markers(file, body, &events, &line_of);
        let parse = Parse {
            file,
            body,
            events: &events,
            regions: &regions,
            line_of: &line_of,
            is_faq: self.chain.len() == 1 && file.path.file_name().ends_with(".yml"),
        };
        let mut pass = Pass::new(events.len());
        let mut i = 0;
        while i < events.len() {
            i = match self.marks(&parse, &mut pass, i) {
                Some(next) => next,
                None if drop[i] => i + 1,
                None => self.event(&parse, &mut pass, i),
            };
        }
        self.close_file(&parse, &mut pass);
        let mut html = String::with_capacity(body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, pass.out.events.into_iter());
        Written {
            html,
            deepest: pass.out.deepest,
            blocks: outline::outline(&events, &regions, pass.splices, line_of),
        }
    }

    /// Applies the region marks that sit at event `i` (tab groups, `:::` directives):
    /// where to go on from, when they consume events.
    fn marks<'e>(&mut self, parse: &Parse<'_, 'e>, pass: &mut Pass<'e>, i: usize) -> Option<usize> {
        let mut resume = None;
        while let Some((at, mark)) = parse.regions.marks.get(pass.next_mark) {
            if *at != i {
                break;
            }
            pass.next_mark += 1;
            match mark {
                Mark::Tab {
                    id,
                    condition,
                    first,
                    end,
                } => {
                    if *first {
                        self.groups += 1;
                        self.out.interactive = true;
                        pass.out.open_wrapper(directives::TAB_GROUP_OPEN.into());
                    } else {
                        pass.out.close_wrapper("</div>\n");
                    }
                    let label = plain_text(&parse.events[i + 1..*end]);
                    pass.out.open_wrapper(directives::tab_panel_open(
                        self.groups,
                        id,
                        condition.as_deref(),
                        label.trim(),
                    ));
                    resume = Some(end + 1);
                }
                Mark::GroupEnd { rule } => {
                    pass.out.close_wrapper("</div>\n");
                    pass.out.close_wrapper("</div>\n");
                    if *rule {
                        resume = Some(i + 1);
                    }
                }
                Mark::Open { container, end } => {
                    resume = Some(end + 1);
                    let line = (parse.line_of)(parse.events[i].1.start);
                    if let Some(closer) =
                        self.open_container(container, parse.file, line, &mut pass.out)
                    {
                        pass.closers.push(closer);
                        continue;
                    }
                    // Content for another kind of page: left out, up to its end.
                    let close = matching_close(&parse.regions.marks, pass.next_mark);
                    pass.next_mark = close + 1;
                    resume = match parse.regions.marks.get(close) {
                        Some((
                            _,
                            Mark::Close {
                                marker_end: Some(end),
                            },
                        )) => Some(end + 1),
                        Some((at, _)) => Some(*at),
                        None => Some(parse.events.len()),
                    };
                    break;
                }
                Mark::Close { marker_end } => {
                    pass.out
                        .close_wrapper(pass.closers.pop().unwrap_or("</div>\n"));
                    if let Some(end) = marker_end {
                        resume = Some(end + 1);
                    }
                }
                Mark::Stray { end, .. } => resume = Some(end + 1),
            }
        }
        resume
    }

    /// Renders event `i`; returns the index of the next event to render.
    fn event<'e>(&mut self, parse: &Parse<'_, 'e>, pass: &mut Pass<'e>, i: usize) -> usize {
        let (event, range) = &parse.events[i];
        match event {
            Event::Start(Tag::Paragraph) => return self.paragraph(parse, pass, i),
            // A tight list item's text has no paragraph of its own: a directive line there
            // is one all the same.
            Event::Start(Tag::Item)
                if parse.events.get(i + 1).is_some_and(|(e, _)| is_inline(e)) =>
            {
                return self.tight_item(parse, pass, i);
            }
            // The page shows a notice's leading H1 as its heading, so the body omits it.
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if i == 0 && self.chain.len() == 1 => {
                let end = matching_end(parse.events, i);
                self.out.h1 = Some(plain_text(&parse.events[i + 1..end]).trim().to_string());
                return end + 1;
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                pass.out.open_wrapper(alert_open(*kind));
                pass.quotes.push(QuoteClose::Div);
            }
            Event::Start(Tag::BlockQuote(None)) => return self.block_quote(parse, pass, i),
            Event::End(TagEnd::BlockQuote(_)) => match pass.quotes.pop() {
                Some(QuoteClose::Div) => pass.out.close_wrapper("</div>\n"),
                _ => pass.out.push(event.clone()),
            },
            Event::Start(Tag::Heading { .. }) => self.heading(parse, pass, i),
            Event::End(TagEnd::Heading(_)) if pass.answer_at == Some(i) => {
                pass.out.push(event.clone());
                // One wrapper for the two elements: a wrapper's bound allows two levels.
                pass.out.open_wrapper("<div itemscope itemprop=\"acceptedAnswer\" itemtype=\"https://schema.org/Answer\"><div itemprop=\"text\">\n".into());
                pass.answer_at = None;
            }
            Event::Start(Tag::Link { dest_url, .. })
                if dest_url.starts_with(prepare::INCLUDE_SCHEME) =>
            {
                let end = matching_end(parse.events, i);
                let path = &dest_url[prepare::INCLUDE_SCHEME.len()..];
                let line = (parse.line_of)(range.start);
                let (html, text) = self.inline_include(path, parse.file, line);
                pass.out.embed(html, Some(2));
                pass.splices.push(Splice {
                    start: i,
                    end,
                    parts: Vec::new(),
                    text: Some(text),
                });
                return end + 1;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match self.link(dest_url, parse.file, (parse.line_of)(range.start)) {
                Some(href) => pass.out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: href.into(),
                    title: title.clone(),
                    id: id.clone(),
                })),
                // A link with nowhere to go is its text.
                None => pass.dropped_link = true,
            },
            Event::End(TagEnd::Link) if pass.dropped_link => pass.dropped_link = false,
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let src = self
                    .link(dest_url, parse.file, (parse.line_of)(range.start))
                    .unwrap_or_else(|| dest_url.to_string());
                pass.out.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: src.into(),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::InlineHtml(html) | Event::Html(html) => {
                self.collect_named_anchors(html);
                if BROKEN_BR.is_match(html.trim()) {
                    pass.out.line_break();
                } else {
                    let line = (parse.line_of)(range.start);
                    match self.html_links(html, parse.file, line) {
                        Cow::Borrowed(_) => pass.out.push(event.clone()),
                        Cow::Owned(rewritten) => pass.out.push(match event {
                            Event::Html(_) => Event::Html(rewritten.into()),
                            _ => Event::InlineHtml(rewritten.into()),
                        }),
                    }
                }
            }
            _ => pass.out.push(event.clone()),
        }
        i + 1
    }

    /// A paragraph: a line of DocFX directives (`[!div]`, images, code references) is
    /// replaced by what they write, any other is written as it is.
    fn paragraph<'e>(&mut self, parse: &Parse<'_, 'e>, pass: &mut Pass<'e>, i: usize) -> usize {
        let (event, range) = &parse.events[i];
        let Some(directives) = docfx::line_directives(&parse.body[range.clone()]) else {
            pass.out.push(event.clone());
            return i + 1;
        };
        let end = matching_end(parse.events, i);
        let mut splice = Splice {
            start: i,
            end,
            ..Splice::default()
        };
        let line = (parse.line_of)(range.start);
        for directive in directives {
            splice
                .parts
                .extend(self.emit_directive(directive, parse.file, line, &mut pass.out));
        }
        pass.splices.push(splice);
        end + 1
    }

    /// A tight list item, whose text may be a line of DocFX directives.
    fn tight_item<'e>(&mut self, parse: &Parse<'_, 'e>, pass: &mut Pass<'e>, i: usize) -> usize {
        let events = parse.events;
        pass.out.push(events[i].0.clone());
        let run_end = (i + 1..events.len())
            .find(|&j| !is_inline(&events[j].0))
            .unwrap_or(events.len());
        let text = parse
            .body
            .get(events[i + 1].1.start..events[run_end - 1].1.end);
        let Some(directives) = text.and_then(docfx::line_directives) else {
            return i + 1;
        };
        let line = (parse.line_of)(events[i + 1].1.start);
        let mut splice = Splice {
            start: i + 1,
            end: run_end - 1,
            ..Splice::default()
        };
        for directive in directives {
            splice
                .parts
                .extend(self.emit_directive(directive, parse.file, line, &mut pass.out));
        }
        pass.splices.push(splice);
        run_end
    }

    /// A block quote without an alert: a DocFX `[!div]`, alert or video written the
    /// DocFX way, or a plain quote.
    fn block_quote<'e>(&mut self, parse: &Parse<'_, 'e>, pass: &mut Pass<'e>, i: usize) -> usize {
        let (event, range) = &parse.events[i];
        match docfx::quote_directive(&parse.body[range.clone()]) {
            Some(QuoteDirective::Div { classes, .. }) => {
                let classes = std::iter::once("docfx-div".to_string())
                    .chain(classes)
                    .collect::<Vec<_>>()
                    .join(" ");
                pass.out
                    .open_wrapper(format!("<div class=\"{classes}\">\n"));
                pass.quotes.push(QuoteClose::Div);
            }
            Some(QuoteDirective::Alert { kind, .. }) => {
                pass.out.open_wrapper(alert_open(kind));
                pass.quotes.push(QuoteClose::Div);
            }
            Some(QuoteDirective::Video { url }) => {
                let line = (parse.line_of)(range.start);
                let href = self.link(&url, parse.file, line).unwrap_or(url.clone());
                let out = &mut pass.out;
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
                return matching_end(parse.events, i) + 1;
            }
            Some(QuoteDirective::Unknown { .. }) | None => {
                pass.out.push(event.clone());
                pass.quotes.push(QuoteClose::Plain);
            }
        }
        i + 1
    }

    /// A heading: its anchor (explicit, or a unique slug of its text), and on a FAQ page
    /// the question it asks and the answer that follows.
    fn heading<'e>(&mut self, parse: &Parse<'_, 'e>, pass: &mut Pass<'e>, i: usize) {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = &parse.events[i].0
        else {
            return;
        };
        let end = matching_end(parse.events, i);
        let text = plain_text(&parse.events[i + 1..end]);
        let is_question = parse.is_faq && classes.iter().any(|c| &**c == "faq-question");
        if pass
            .question
            .is_some_and(|open| is_question || *level <= open)
        {
            pass.out.close_wrapper("</div></div>\n");
            pass.out.close_wrapper("</div>\n");
            pass.question = None;
        }
        let mut attrs = attrs.clone();
        if is_question {
            self.out.faq = true;
            pass.out.open_wrapper(
                "<div itemscope itemprop=\"mainEntity\" itemtype=\"https://schema.org/Question\">\n".into(),
            );
            attrs.push(("itemprop".into(), Some("name".into())));
        }
        for (event, _) in &parse.events[i + 1..end] {
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
        if *level == HeadingLevel::H1 && self.out.h1.is_none() && self.chain.len() == 1 {
            self.out.h1 = Some(text.trim().to_string());
        }
        self.out.anchors.insert(slug.clone());
        pass.out.push(Event::Start(Tag::Heading {
            level: *level,
            id: Some(slug.into()),
            classes: classes.clone(),
            attrs,
        }));
        if is_question {
            pass.question = Some(*level);
            pass.answer_at = Some(end);
        }
    }

    /// Closes what is still open at the end of the file: regions (their marks sit past the
    /// last event), inside the file, so an include's wrapper closes after them; then
    /// directives and a FAQ answer.
    fn close_file(&mut self, parse: &Parse<'_, '_>, pass: &mut Pass<'_>) {
        for (_, mark) in parse
            .regions
            .marks
            .get(pass.next_mark..)
            .unwrap_or_default()
        {
            match mark {
                Mark::GroupEnd { .. } => {
                    pass.out.close_wrapper("</div>\n");
                    pass.out.close_wrapper("</div>\n");
                }
                Mark::Close { .. } => pass
                    .out
                    .close_wrapper(pass.closers.pop().unwrap_or("</div>\n")),
                _ => {}
            }
        }
        while let Some(closer) = pass.closers.pop() {
            pass.out.close_wrapper(closer);
        }
        if pass.question.is_some() {
            pass.out.close_wrapper("</div></div>\n");
            pass.out.close_wrapper("</div>\n");
        }
    }

    /// Opens a `:::` directive that holds blocks; returns what closes it, or `None` for a
    /// zone meant for other kinds of pages, whose content is left out.
    fn open_container(
        &mut self,
        container: &Container,
        file: &Notice,
        line: u32,
        out: &mut Output<'_>,
    ) -> Option<&'static str> {
        match container {
            Container::Zone(Zone::Pivot(pivots)) => {
                for pivot in pivots {
                    if !self.pivots.contains(pivot) {
                        self.pivots.push(pivot.clone());
                    }
                    if !self.pivot_lines.iter().any(|(p, _, _)| p == pivot) {
                        self.pivot_lines
                            .push((pivot.clone(), file.path.clone(), line));
                    }
                }
                let titles: Vec<String> = pivots.iter().map(|p| self.pivot_title(p)).collect();
                out.open_wrapper(directives::zone_open(pivots, &titles));
                Some("</div>\n")
            }
            Container::Zone(Zone::Target(target)) if target == "docs" => {
                out.open_wrapper("<div class=\"zone-target\">\n".into());
                Some("</div>\n")
            }
            Container::Zone(Zone::Target(_)) => None,
            Container::Image(image) => {
                let (src, target) = self.image_links(image, file, line);
                // One wrapper for two elements: a wrapper's bound allows two levels.
                out.open_wrapper(directives::complex_image_open(
                    image,
                    &src,
                    target.as_deref(),
                ));
                Some("</details></figure>\n")
            }
            Container::Row => {
                out.open_wrapper("<div class=\"docfx-row\">\n".into());
                Some("</div>\n")
            }
            Container::Column { span } => {
                out.open_wrapper(format!("<div class=\"docfx-column docfx-span-{span}\">\n"));
                Some("</div>\n")
            }
            Container::Moniker => {
                out.open_wrapper("<div class=\"moniker\">\n".into());
                Some("</div>\n")
            }
        }
    }

    /// Marks the events that only spell a quote's `[!div]`, `[!NOTE]` or unknown `[!NAME]`
    /// marker, so the quote renders without it; unknown markers are reported.
    fn directive_markers(
        &mut self,
        file: &Notice,
        body: &str,
        events: &[(Event<'_>, Range<usize>)],
        line_of: &impl Fn(usize) -> u32,
    ) -> Vec<bool> {
        let mut drop = vec![false; events.len()];
        for (i, (event, range)) in events.iter().enumerate() {
            let Event::Start(Tag::BlockQuote(None)) = event else {
                continue;
            };
            let Some(directive) = docfx::quote_directive(&body[range.clone()]) else {
                continue;
            };
            if let QuoteDirective::Unknown { name, .. } = &directive {
                self.report(
                    Code::UnsupportedDocfx,
                    file,
                    line_of(range.start),
                    format!("bulletin does not render `[!{name}]`; the quote is shown without it"),
                );
            }
            let Some(marker_end) = directive.marker_end() else {
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

    /// Writes a directive line; an include gives the included file's outline.
    fn emit_directive(
        &mut self,
        directive: LineDirective,
        file: &Notice,
        line: u32,
        out: &mut Output<'_>,
    ) -> Option<Vec<Block>> {
        match directive {
            LineDirective::Image(image) => {
                let (src, target) = self.image_links(&image, file, line);
                out.embed(
                    directives::image_block(&image, &src, target.as_deref()),
                    Some(3),
                );
                None
            }
            LineDirective::Include { path } => {
                let included = self.include(&path, file, line);
                out.embed(included.html, included.deepest);
                Some(included.blocks)
            }
            LineDirective::Code(code) => {
                let html = self.snippet(&code, file, line);
                out.embed(html, Some(3));
                None
            }
            LineDirective::Open(container) => {
                self.report(
                    Code::UnsupportedDocfx,
                    file,
                    line,
                    format!(
                        "a `:::{}` marker must stand on a line of its own, between blank lines; it was left out",
                        container.name()
                    ),
                );
                None
            }
            LineDirective::Close(name) => {
                self.report(
                    Code::UnsupportedDocfx,
                    file,
                    line,
                    format!("a `:::{name}-end` marker must stand on a line of its own, between blank lines; it was left out"),
                );
                None
            }
            LineDirective::Unsupported { construct, text } => {
                self.report(
                    Code::UnsupportedDocfx,
                    file,
                    line,
                    format!(
                        "bulletin does not render `{construct}`; {}",
                        if text.is_some() {
                            "its text is shown"
                        } else {
                            "it was left out"
                        }
                    ),
                );
                if let Some(text) = text {
                    out.embed(
                        format!("<p>{}</p>\n", pulldown_cmark_escape_html(&text)),
                        Some(1),
                    );
                }
                None
            }
        }
    }

    /// Where an image directive's image is, and what it links to (its lightbox or link).
    fn image_links(&mut self, image: &Image, file: &Notice, line: u32) -> (String, Option<String>) {
        let src = self
            .link(&image.source, file, line)
            .unwrap_or_else(|| image.source.clone());
        let target = match (&image.link, &image.lightbox) {
            (Some(link), _) => self.link(link, file, line),
            (None, Some(lightbox)) => self.link(lightbox, file, line),
            (None, None) => None,
        };
        (src, target)
    }

    /// A code snippet's block, or a placeholder naming what is missing.
    fn snippet(&mut self, code: &CodeRef, file: &Notice, line: u32) -> String {
        let placeholder = |message: &str| {
            format!(
                "<p class=\"include-missing\">{}</p>\n",
                pulldown_cmark_escape_html(message)
            )
        };
        let source = &code.source;
        let Some(target) = links::normalize(source, &file.path, self.cx.config) else {
            self.report(
                Code::IncludeOutsideRoot,
                file,
                line,
                format!("the code snippet `{source}` points outside content/; it was not read and a placeholder is shown"),
            );
            return placeholder(&format!("Code outside the content folder: {source}"));
        };
        if !self.out.snippets.contains(&target) {
            self.out.snippets.push(target.clone());
        }
        let Some(text) = self.cx.sources.text(&target) else {
            self.report(
                Code::MissingSnippet,
                file,
                line,
                format!("the code snippet `{source}` names a file that does not exist or is not text (content/{target})"),
            );
            return placeholder(&format!("Code sample not available: {source}"));
        };
        match snippet::select(text, code) {
            Ok(lines) => snippet::to_html(&lines, &code.language, code.highlight.as_deref()),
            Err(error) => {
                self.report(
                    Code::MissingSnippet,
                    file,
                    line,
                    format!("the code snippet `{source}`: {error}"),
                );
                placeholder(&format!("Code sample not available: {source}"))
            }
        }
    }

    /// An include in running text: the fragment's HTML without its block wrapper (a single
    /// paragraph's content), and its plain text for the outline.
    fn inline_include(&mut self, path: &str, file: &Notice, line: u32) -> (String, String) {
        let included = self.include(path, file, line);
        let text = included
            .blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let html = included.html;
        let inner = html
            .strip_prefix("<div class=\"include\">\n")
            .and_then(|h| h.strip_suffix("</div>\n"))
            .unwrap_or(&html)
            .trim();
        let inner = inner
            .strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>"))
            .filter(|h| !h.contains("<p>"))
            .unwrap_or(inner);
        (format!("<span class=\"include\">{inner}</span>"), text)
    }

    /// Expands `[!INCLUDE]`: the fragment rendered in place, or a visible placeholder.
    fn include(&mut self, written: &str, file: &Notice, line: u32) -> Written {
        let placeholder = |message: &str| Written {
            html: format!(
                "<span class=\"include-missing\">{}</span>",
                pulldown_cmark_escape_html(message)
            ),
            deepest: Some(1),
            blocks: Vec::new(),
        };
        let error = |code: Code, message: String| {
            Diagnostic::new(code, file.path.site_path(), message).at_source_text(
                &file.source,
                line,
                written,
            )
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

    /// Resolves a link written in `file` on `line`; records it and reports what is broken.
    /// `None` when it has nowhere to go.
    fn link(&mut self, written: &str, file: &Notice, line: u32) -> Option<String> {
        let resolved = links::resolve(written, &file.path, self.cx.pages, self.cx.config);
        let report = |code: Code, message: String, hint: &str| {
            Diagnostic::new(code, file.path.site_path(), message)
                .at_source_text(&file.source, line, written)
                .with_hint(hint)
        };
        match &resolved {
            Resolved::SamePage { fragment } => {
                self.same_page
                    .push((fragment.clone(), file.path.clone(), line));
            }
            Resolved::Notice {
                advisory, fragment, ..
            } => self.out.links.push(NoticeLink {
                advisory: *advisory,
                fragment: fragment.clone(),
                file: file.path.clone(),
                line,
            }),
            Resolved::Unresolved { target } if target.starts_with('/') => {
                self.out.diagnostics.push(report(
                    Code::UnresolvedLink,
                    format!("the link `{written}` is a path on the vendor's site, which bulletin does not know; it is shown as text"),
                    "set `vendor_site_url` in bulletin.yaml to the vendor's site (e.g. `https://learn.microsoft.com`), or write the link as a full URL",
                ));
                return None;
            }
            Resolved::Unresolved { target } => {
                self.out.diagnostics.push(report(
                    Code::UnresolvedLink,
                    format!("the link `{written}` points at {target}, which is not in this site; it is shown as text"),
                    "add that notice to content/, fix the link, or say where the docset is published: `vendor_site_url` (with `docset_url_path`) or `external_base_url` in bulletin.yaml",
                ));
                return None;
            }
            Resolved::OutsideRoot => {
                self.out.diagnostics.push(report(
                    Code::UnresolvedLink,
                    format!("the link `{written}` climbs out of content/; it is shown as text"),
                    "link to the page on the vendor's site with a full URL, copy the file into content/, or say where the docset is published (`vendor_site_url` or `external_base_url` in bulletin.yaml)",
                ));
                return None;
            }
            Resolved::External | Resolved::Redirected { .. } | Resolved::Asset { .. } => {}
        }
        Some(resolved.href(written).to_string())
    }

    /// Points the `href` and `src` attributes of raw HTML where links in Markdown would
    /// point; an `href` with nowhere to go is removed.
    fn html_links<'h>(&mut self, html: &'h str, file: &Notice, line: u32) -> Cow<'h, str> {
        if !HTML_LINK.is_match(html) {
            return Cow::Borrowed(html);
        }
        let mut rewritten = String::with_capacity(html.len());
        let mut last = 0;
        for caps in HTML_LINK.captures_iter(html) {
            let Some(whole) = caps.get(0) else {
                continue;
            };
            let url = caps.get(3).or(caps.get(4)).map_or("", |m| m.as_str());
            let is_href = caps[2].eq_ignore_ascii_case("href");
            rewritten.push_str(&html[last..whole.start()]);
            last = whole.end();
            match self.link(url, file, line) {
                Some(target) => {
                    rewritten.push_str(&caps[1]);
                    rewritten.push('"');
                    rewritten.push_str(&pulldown_cmark_escape_html(&target));
                    rewritten.push('"');
                }
                None if is_href => {}
                None => rewritten.push_str(whole.as_str()),
            }
        }
        rewritten.push_str(&html[last..]);
        Cow::Owned(rewritten)
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

/// Whether an event is part of a run of text (inline), not a block.
fn is_inline(event: &Event<'_>) -> bool {
    match event {
        Event::Text(_)
        | Event::Code(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::InlineHtml(_)
        | Event::InlineMath(_)
        | Event::FootnoteReference(_)
        | Event::TaskListMarker(_) => true,
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(tag) => matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

/// The opening of a callout.
fn alert_open(kind: pulldown_cmark::BlockQuoteKind) -> String {
    let (class, title) = docfx::alert(kind);
    format!("<div class=\"alert {class}\" role=\"note\"><p class=\"alert-title\">{title}</p>\n")
}

/// The position in `marks` of the `Close` that ends the directive opened just before
/// position `from`.
fn matching_close(marks: &[(usize, Mark)], from: usize) -> usize {
    let mut depth = 0usize;
    for (k, (_, mark)) in marks.iter().enumerate().skip(from) {
        match mark {
            Mark::Open { .. } => depth += 1,
            Mark::Close { .. } if depth == 0 => return k,
            Mark::Close { .. } => depth -= 1,
            _ => {}
        }
    }
    marks.len()
}

/// The pivot groups a notice's `zone_pivot_groups` names (`a, b` or a list).
fn pivot_groups_named(notice: &Notice) -> Vec<String> {
    match notice.front.extra.get("zone_pivot_groups") {
        Some(serde_json::Value::String(ids)) => ids
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .collect(),
        Some(serde_json::Value::Array(ids)) => ids
            .iter()
            .filter_map(|id| id.as_str())
            .map(|id| id.trim().to_string())
            .collect(),
        _ => Vec::new(),
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
        let notice = file("notice.md", body);
        let fragments: Vec<Notice> = fragments
            .iter()
            .map(|(path, body)| file(path, body))
            .collect();
        with_lone_notice(&notice, &fragments, |cx| f(&notice, cx))
    }

    fn render_body(body: &str) -> Rendered {
        with_notice(body, &[], render)
    }

    /// The notice's HTML before sanitising, with its depth bound.
    fn written(notice: &Notice, cx: RenderContext<'_>) -> Written {
        Renderer::new(notice, cx).write(notice)
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
            ("includes/tabs.md", "# [C](#tab/c)\n\n> In C, to the end.\n"),
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
            // DocFX regions: tabs (one running to the end of an include), zones, complex
            // images, rows and columns, inline includes, code snippets.
            "# [A](#tab/a)\n\n- In A\n  > [!NOTE]\n  > Deep.\n\n# [B](#tab/b)\n\n[!INCLUDE [tabs](includes/tabs.md)]\n\n---\n\n::: zone pivot=\"x\"\n\n:::row:::\n:::column:::\n:::image type=\"complex\" source=\"a.png\" alt-text=\"A.\":::\n- Long description.\n:::image-end:::\n:::column-end:::\n:::row-end:::\n\nThe [!INCLUDE [t](includes/b.md)] text.\n\n:::code language=\"sh\" source=\"missing.sh\":::\n\n::: zone-end\n",
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

    /// A tab group that runs to the end of an included file closes inside the include's
    /// wrapper, not after it.
    #[test]
    fn regions_open_at_the_end_of_a_file_close_inside_it() {
        let fragments = [(
            "includes/t.md",
            "# [A](#tab/a)\n\nIn A.\n\n::: zone pivot=\"p\"\n\nIn p.\n",
        )];
        let rendered = with_notice(
            "[!INCLUDE [t](includes/t.md)]\n\nAfter.\n",
            &fragments,
            render,
        );
        assert!(
            rendered.html.contains("<div class=\"include\">\n<div class=\"tabs\">\n<div class=\"tab-panel\" id=\"tabpanel-1-a\" data-tab=\"a\"><p class=\"tab-label\">A</p>\n<p>In A.</p>\n<div class=\"zone\" data-pivot=\"p\"><p class=\"zone-label\">p</p>\n<p>In p.</p>\n</div>\n</div>\n</div>\n</div>\n<p>After.</p>"),
            "{}",
            rendered.html
        );
        let unclosed = rendered
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::UnsupportedDocfx)
            .filter_map(Diagnostic::location)
            .collect::<Vec<_>>();
        assert_eq!(unclosed, ["content/includes/t.md:5"]);
    }
}
