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
    /// The notice's text as blocks, for extraction (included fragments are not part of it).
    pub blocks: Vec<Block>,
    /// What went wrong, with file and line.
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders one notice.
pub fn render(notice: &Notice, cx: RenderContext<'_>) -> Rendered {
    let mut renderer = Renderer {
        cx,
        chain: vec![notice.path.clone()],
        slugs: UniqueSlugs::default(),
        out: Rendered::default(),
        same_page: Vec::new(),
    };
    let html = renderer.render_file(notice);
    let mut out = renderer.out;
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
                    format!("the link to `#{fragment}` names no heading or anchor on this page"),
                )
                .at_source_line(source, line),
            );
        }
    }
    let sanitized = sanitize::clean(&html, cx.config);
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

impl<'a> Renderer<'a> {
    /// Renders a file's body (a notice or an included fragment) to unsanitised HTML.
    fn render_file(&mut self, file: &Notice) -> String {
        let body = file.body.as_str();
        let lines = LineStarts::new(body);
        let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, options())
            .into_offset_iter()
            .collect();
        let line_of = |offset: usize| file.file_line(lines.line(offset));

        if self.chain.len() == 1 {
            self.out.blocks = outline::outline(&events, line_of);
        }
        let drop = self.directive_markers(body, &events);
        let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
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
                        for directive in directives {
                            self.emit_directive(directive, file, line_of(range.start), &mut out);
                        }
                        i = matching_end(&events, i) + 1;
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
                    out.push(Event::Html(
                        format!("<div class=\"alert {class}\" role=\"note\"><p class=\"alert-title\">{title}</p>\n").into(),
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
                            out.push(Event::Html(format!("<div class=\"{classes}\">\n").into()));
                            quotes.push(QuoteClose::Div);
                        }
                        Some(QuoteDirective::Video { url }) => {
                            let href = self.link(&url, file, line_of(range.start));
                            out.push(Event::Html("<p class=\"video-card\">".into()));
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
                            out.push(Event::Html("</p>\n".into()));
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
                    Some(QuoteClose::Div) => out.push(Event::Html("</div>\n".into())),
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
                    let href = self.link(dest_url, file, line_of(range.start));
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
                    let src = self.link(dest_url, file, line_of(range.start));
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
                        out.push(Event::InlineHtml("<br>".into()));
                    } else {
                        out.push(event.clone());
                    }
                }
                _ => out.push(event.clone()),
            }
            i += 1;
        }
        let mut html = String::with_capacity(body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, out.into_iter());
        html
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

    fn emit_directive(
        &mut self,
        directive: LineDirective,
        file: &Notice,
        line: u32,
        out: &mut Vec<Event<'_>>,
    ) {
        match directive {
            LineDirective::Image { source, alt } => {
                let src = self.link(&source, file, line);
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
            }
            LineDirective::Include { path } => {
                let html = self.include(&path, file, line);
                out.push(Event::Html(html.into()));
            }
        }
    }

    /// Expands `[!INCLUDE]`: the fragment rendered in place, or a visible placeholder.
    fn include(&mut self, written: &str, file: &Notice, line: u32) -> String {
        let placeholder = |message: &str| {
            format!(
                "<span class=\"include-missing\">{}</span>",
                pulldown_cmark_escape_html(message)
            )
        };
        let error = |code: Code, message: String| {
            Diagnostic::new(code, file.path.site_path(), message).at_source_line(&file.source, line)
        };
        let Some(target) = links::normalize(written, &file.path, self.cx.config) else {
            self.out.diagnostics.push(error(
                Code::IncludeOutsideRoot,
                format!("the include `{written}` points outside content/; only files inside it can be included"),
            ));
            return placeholder(&format!("Include outside the content folder: {written}"));
        };
        if self.chain.iter().any(|p| p.as_str() == target) {
            let cycle: Vec<&str> = self
                .chain
                .iter()
                .map(ContentPath::as_str)
                .chain([target.as_str()])
                .collect();
            self.out.diagnostics.push(error(
                Code::IncludeCycle,
                format!("this include makes a cycle: {}", cycle.join(" -> ")),
            ));
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
            self.out.diagnostics.push(error(
                Code::MissingInclude,
                format!(
                    "the include `{written}` names a file that does not exist (content/{target})"
                ),
            ));
            return placeholder(&format!("Missing include: {written}"));
        };
        self.chain.push(fragment.path.clone());
        let html = self.render_file(fragment);
        self.chain.pop();
        format!("<div class=\"include\">\n{html}</div>\n")
    }

    /// Resolves a link written in `file` on `line`; records it and reports what is broken.
    fn link(&mut self, written: &str, file: &Notice, line: u32) -> String {
        let resolved = links::resolve(written, &file.path, self.cx.pages, self.cx.config);
        let report = |code: Code, message: String| {
            Diagnostic::new(code, file.path.site_path(), message).at_source_line(&file.source, line)
        };
        match &resolved {
            Resolved::SamePage { fragment } => {
                self.same_page.push((fragment.clone(), file.path.clone(), line));
            }
            Resolved::Notice { advisory, fragment, .. } => self.out.links.push(NoticeLink {
                advisory: *advisory,
                fragment: fragment.clone(),
                file: file.path.clone(),
                line,
            }),
            Resolved::Unresolved { target } => self.out.diagnostics.push(report(
                Code::UnresolvedLink,
                format!("the link `{written}` points at {target}, which is not in this site (set `external_base_url` or `vendor_site_url` in bulletin.yaml to send such links to the vendor's site)"),
            )),
            Resolved::OutsideRoot => self.out.diagnostics.push(report(
                Code::UnresolvedLink,
                format!("the link `{written}` climbs out of content/"),
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

fn pulldown_cmark_escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut escaped, text);
    escaped
}

/// The index of the event that closes the one opened at `start`.
fn matching_end(events: &[(Event<'_>, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
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
            body: body.to_string(),
            body_line: 1,
            front: FrontMatter::default(),
            has_frontmatter: false,
        };
        let notices = [file("notice.md", body)];
        let fragments: Vec<Notice> = fragments
            .iter()
            .map(|(path, body)| file(path, body))
            .collect();
        let (advisories, _) = identity::group(&notices);
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
}
