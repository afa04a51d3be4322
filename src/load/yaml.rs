//! YAML files of a docs repository: `### YamlMime:FAQ` pages, landing and hub pages,
//! `toc.yml` navigation and `zone-pivot-groups.yml` pivot definitions.
//!
//! Pages become notices whose text is Markdown made from the YAML, each piece on the line it
//! has in the YAML file where it can be, so a diagnostic about an answer names the line the
//! author wrote it on. FAQ questions are headings marked `{.faq-question}`; the renderer
//! gives them their schema.org `Question`/`Answer` data.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use serde_json::{Map, Value};
use serde_saphyr::Spanned;

use super::frontmatter;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{ContentPath, Notice, Pivot, PivotGroup, Toc, TocItem};

static MARKDOWN_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!?\[([^\]]*)\]\([^)]*\)").expect("valid regex"));

/// What a `.yml` file under `content/` is.
#[derive(Debug)]
pub enum YamlFile {
    /// A page: a notice made from it, and warnings about what of it was not rendered.
    Page(Box<Notice>, Vec<Diagnostic>),
    /// Zone pivot definitions.
    PivotGroups(Vec<PivotGroup>),
    /// A table of contents.
    Toc(Toc),
    /// A YamlMime kind bulletin does not publish, or a YAML page it cannot read.
    Unpublished(Diagnostic),
    /// Plain YAML (a sample, a configuration file): an ordinary file.
    Plain,
}

/// The `YamlMime` kind a file declares on its first line (`### YamlMime:FAQ`).
pub fn yaml_mime(text: &str) -> Option<&str> {
    let first = text.lines().find(|l| !l.trim().is_empty())?.trim();
    let rest = first.trim_start_matches('#').trim_start();
    let (key, kind) = rest.split_once(':')?;
    key.eq_ignore_ascii_case("YamlMime").then_some(kind.trim())
}

/// Sorts a decoded `.yml` file at `path` into what it is.
pub fn read(path: &ContentPath, text: &str) -> YamlFile {
    let unpublished = |message: String, line: Option<u32>| {
        let diagnostic = Diagnostic::new(Code::UnpublishedYaml, path.site_path(), message);
        YamlFile::Unpublished(match line {
            Some(line) => diagnostic.at_source_line(text, line),
            None => diagnostic,
        })
    };
    let site_path = path.site_path();
    let malformed = |kind: &str, error: serde_saphyr::Error| {
        let file = crate::yaml::YamlFile {
            code: Code::UnpublishedYaml,
            path: &site_path,
            subject: "it",
            source: text,
            offset: 0,
            expects: |_| None,
        };
        let mut diagnostic = file.diagnostic(&error);
        diagnostic.message = format!(
            "this YamlMime:{kind} page is not valid YAML and was not published: {}",
            diagnostic.message
        );
        YamlFile::Unpublished(diagnostic)
    };
    match yaml_mime(text) {
        Some(kind) if kind.eq_ignore_ascii_case("FAQ") => match faq(path, text) {
            Ok((notice, warnings)) => YamlFile::Page(Box::new(notice), warnings),
            Err(error) => malformed(kind, error),
        },
        Some(kind) if kind.eq_ignore_ascii_case("Landing") || kind.eq_ignore_ascii_case("Hub") => {
            match landing(path, text, kind) {
                Ok((notice, warnings)) => YamlFile::Page(Box::new(notice), warnings),
                Err(error) => malformed(kind, error),
            }
        }
        Some(kind) if kind.eq_ignore_ascii_case("ZonePivotGroups") => {
            match pivot_groups(text) {
                Ok(groups) => YamlFile::PivotGroups(groups),
                Err(error) => malformed(kind, error),
            }
        }
        Some(kind) => unpublished(
            format!("bulletin does not render YamlMime:{kind} files; this one was not published"),
            Some(1),
        ),
        None if path.file_name().eq_ignore_ascii_case("toc.yml") => match toc(path, text) {
            Some(toc) => YamlFile::Toc(toc),
            None => unpublished(
                "this toc.yml is not a list of entries with `name` and `href`; it gives no navigation".into(),
                None,
            ),
        },
        None => YamlFile::Plain,
    }
}

/// Markdown placed, where it can be, on the lines its YAML source has.
#[derive(Default)]
struct Synth {
    lines: Vec<String>,
    /// Whether the last line written is a heading (which needs no blank line after it).
    after_heading: bool,
}

impl Synth {
    /// Writes `text` as a block of its own starting on line `line` (1-based), or as soon
    /// after the text already written as a blank line allows.
    fn block(&mut self, line: usize, text: &str) {
        while self.lines.len() + 1 < line {
            self.lines.push(String::new());
        }
        if !self.after_heading && self.lines.last().is_some_and(|l| !l.trim().is_empty()) {
            self.lines.push(String::new());
        }
        self.lines
            .extend(text.trim_end().lines().map(str::to_string));
        self.after_heading = false;
    }

    /// Writes a heading, as [`Synth::block`] does.
    fn heading(&mut self, line: usize, text: &str) {
        self.block(line, text);
        self.after_heading = true;
    }

    /// Writes a list item right after the text written so far, or on `line` after a break.
    fn item(&mut self, line: usize, text: &str) {
        if self.lines.last().is_some_and(|l| l.starts_with("- ")) {
            self.lines.push(text.to_string());
            self.after_heading = false;
        } else {
            self.block(line, text);
        }
    }

    fn into_text(self) -> String {
        let mut text = self.lines.join("\n");
        text.push('\n');
        text
    }
}

/// A notice for a YAML page: its frontmatter from `metadata`, its text `synth`.
fn page_notice(
    path: &ContentPath,
    yaml: &str,
    metadata: Option<Map<String, Value>>,
    title: Option<&str>,
    synth: Synth,
) -> (Notice, Vec<Diagnostic>) {
    let metadata_line = yaml
        .lines()
        .position(|l| l.starts_with("metadata:"))
        .map_or(1, |i| i as u32 + 2);
    let (mut front, warnings) =
        frontmatter::from_mapping(path, yaml, metadata.unwrap_or_default(), metadata_line);
    // The page's own title, not `metadata.title` (the browser's, often the product's
    // name alone), names it: notices with equal titles are revisions of one advisory.
    if let Some(title) = title {
        front.title = Some(title.to_string());
    }
    let notice = Notice {
        path: path.clone(),
        source: synth.into_text(),
        body_start: 0,
        body_line: 1,
        front,
        has_frontmatter: true,
    };
    (notice, warnings)
}

/// One line of text: what a heading can hold.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Faq {
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
    title: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    #[serde(default)]
    sections: Vec<FaqSection>,
    additional_content: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct FaqSection {
    name: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    #[serde(default)]
    questions: Vec<FaqQuestion>,
}

#[derive(Deserialize)]
struct FaqQuestion {
    question: Spanned<String>,
    answer: Option<Spanned<String>>,
}

fn line_of<T>(value: &Spanned<T>) -> usize {
    value.referenced.line() as usize
}

/// A `YamlMime:FAQ` page: its title, summary, each section's name and each question as
/// headings (questions marked `{.faq-question}`), each answer under its question.
fn faq(path: &ContentPath, text: &str) -> Result<(Notice, Vec<Diagnostic>), serde_saphyr::Error> {
    let faq: Faq = serde_saphyr::from_str(text)?;
    let mut synth = Synth::default();
    if let Some(title) = &faq.title {
        synth.heading(line_of(title), &format!("# {}", one_line(&title.value)));
    }
    if let Some(summary) = &faq.summary {
        synth.block(line_of(summary), &summary.value);
    }
    for section in &faq.sections {
        let named = section.name.as_ref().filter(|n| !n.value.trim().is_empty());
        if let Some(name) = named {
            synth.heading(line_of(name), &format!("## {}", one_line(&name.value)));
        }
        if let Some(summary) = &section.summary {
            synth.block(line_of(summary), &summary.value);
        }
        let level = if named.is_some() { "###" } else { "##" };
        for question in &section.questions {
            synth.heading(
                line_of(&question.question),
                &format!(
                    "{level} {} {{#{} .faq-question}}",
                    one_line(&question.question.value),
                    faq_anchor(&question.question.value)
                ),
            );
            if let Some(answer) = &question.answer {
                synth.block(line_of(answer), &answer.value);
            }
        }
    }
    if let Some(more) = &faq.additional_content {
        synth.block(line_of(more), &more.value);
    }
    let title = faq.title.as_ref().map(|t| one_line(&t.value));
    Ok(page_notice(
        path,
        text,
        faq.metadata,
        title.as_deref(),
        synth,
    ))
}

/// A question's anchor as Learn writes it: lower case, every character but letters and
/// digits a `-` (`Is it free?` is `is-it-free-`).
fn faq_anchor(question: &str) -> String {
    let words = MARKDOWN_LINK.replace_all(question.trim(), "$1");
    words
        .chars()
        .filter(|c| !matches!(c, '*' | '`'))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect()
}

/// The parts of landing and hub pages bulletin renders, in the order it renders them.
const LANDING_PARTS: &[&str] = &[
    "highlightedContent",
    "landingContent",
    "conceptualContent",
    "productDirectory",
    "tools",
    "additionalContent",
];
/// Top-level keys that only style a page.
const DECORATION: &[&str] = &[
    "metadata",
    "title",
    "summary",
    "brand",
    "layout",
    "documentType",
];
/// Keys of a card or section that hold what it lists, in the order they are rendered.
const LISTS: &[&str] = &["linkLists", "links", "items", "sections", "footerLink"];

/// A `YamlMime:Landing` or `YamlMime:Hub` page: its title and summary, and every card's or
/// section's title with its links, as headings and lists. Parts it cannot render (images,
/// unknown sections) are reported.
fn landing(
    path: &ContentPath,
    text: &str,
    kind: &str,
) -> Result<(Notice, Vec<Diagnostic>), serde_saphyr::Error> {
    let value: Value = serde_saphyr::from_str(text)?;
    let map = match value {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let mut walk = Walk {
        text,
        cursor: 0,
        synth: Synth::default(),
    };
    let string = |key: &str| map.get(key).and_then(Value::as_str).map(one_line);
    let title = string("title");
    if let Some(title) = &title {
        let line = walk.find(&format!("title: {title}"), title);
        walk.synth.heading(line, &format!("# {title}"));
    }
    if let Some(summary) = map.get("summary").and_then(Value::as_str) {
        let line = walk.find("summary:", summary);
        walk.synth.block(line, summary);
    }
    for part in LANDING_PARTS {
        if let Some(value) = map.get(*part) {
            walk.node(value, 2);
        }
    }
    let mut warnings = Vec::new();
    for key in map.keys() {
        if !LANDING_PARTS.contains(&key.as_str()) && !DECORATION.contains(&key.as_str()) {
            let line = line_of_key(text, key);
            warnings.push(
                Diagnostic::new(
                    Code::UnsupportedDocfx,
                    path.site_path(),
                    format!("bulletin does not render `{key}` of a YamlMime:{kind} page; it was left out"),
                )
                .at_source_line(text, line),
            );
        }
    }
    let metadata = match map.get("metadata") {
        Some(Value::Object(metadata)) => Some(metadata.clone()),
        _ => None,
    };
    let synth = walk.synth;
    let (notice, mut front_warnings) = page_notice(path, text, metadata, title.as_deref(), synth);
    warnings.append(&mut front_warnings);
    Ok((notice, warnings))
}

/// The first line on which a top-level key is written.
fn line_of_key(text: &str, key: &str) -> u32 {
    let prefix = format!("{key}:");
    text.lines()
        .position(|l| l.starts_with(&prefix))
        .map_or(1, |i| i as u32 + 1)
}

/// Walks a landing page's cards and sections in order, finding each value's line.
struct Walk<'t> {
    text: &'t str,
    /// The line (0-based) the next value is looked for from.
    cursor: usize,
    synth: Synth,
}

impl Walk<'_> {
    /// The 1-based line, at or after the cursor, holding `needle` (else `fallback`'s first
    /// line); the cursor moves there.
    fn find(&mut self, needle: &str, fallback: &str) -> usize {
        let first = fallback.lines().next().unwrap_or_default().trim();
        let found = self
            .text
            .lines()
            .enumerate()
            .skip(self.cursor)
            .find(|(_, l)| l.contains(needle) || (!first.is_empty() && l.contains(first)))
            .map(|(i, _)| i);
        match found {
            Some(i) => {
                self.cursor = i;
                i + 1
            }
            None => self.synth.lines.len() + 1,
        }
    }

    fn node(&mut self, value: &Value, level: usize) {
        match value {
            Value::Array(items) => {
                for item in items {
                    self.node(item, level);
                }
            }
            Value::Object(map) => {
                let string = |key: &str| map.get(key).and_then(Value::as_str).map(one_line);
                if let Some(url) = string("url") {
                    let text = string("text").or_else(|| string("title"));
                    let line = self.find(&url, &url);
                    let label = text.unwrap_or_else(|| url.clone());
                    self.synth.item(
                        line,
                        &format!("- [{}](<{url}>)", label.replace(['[', ']'], "")),
                    );
                    return;
                }
                if let Some(title) = string("title") {
                    let line = self.find(&title, &title);
                    let hashes = "#".repeat(level.min(6));
                    self.synth.heading(line, &format!("{hashes} {title}"));
                }
                if let Some(summary) = map.get("summary").and_then(Value::as_str) {
                    let line = self.find(summary.lines().next().unwrap_or(summary), summary);
                    self.synth.block(line, summary);
                }
                for key in LISTS {
                    if let Some(value) = map.get(*key) {
                        self.node(value, level + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

#[derive(Deserialize)]
struct PivotFile {
    #[serde(default)]
    groups: Vec<PivotGroupEntry>,
}

#[derive(Deserialize)]
struct PivotGroupEntry {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    prompt: String,
    #[serde(default)]
    pivots: Vec<PivotEntry>,
}

#[derive(Deserialize)]
struct PivotEntry {
    id: String,
    #[serde(default)]
    title: String,
}

/// The groups of a `zone-pivot-groups.yml`.
fn pivot_groups(text: &str) -> Result<Vec<PivotGroup>, serde_saphyr::Error> {
    let file: PivotFile = serde_saphyr::from_str(text)?;
    Ok(file
        .groups
        .into_iter()
        .map(|group| PivotGroup {
            title: if group.title.is_empty() {
                group.id.clone()
            } else {
                group.title
            },
            id: group.id,
            prompt: group.prompt,
            pivots: group
                .pivots
                .into_iter()
                .map(|pivot| Pivot {
                    title: if pivot.title.is_empty() {
                        pivot.id.clone()
                    } else {
                        pivot.title
                    },
                    id: pivot.id,
                })
                .collect(),
        })
        .collect())
}

/// A `toc.yml`: a list of entries, or a mapping with `items`; `None` when it is neither.
fn toc(path: &ContentPath, text: &str) -> Option<Toc> {
    let value: Value = serde_saphyr::from_str(text).ok()?;
    let items = match &value {
        Value::Array(items) => items,
        Value::Object(map) => map.get("items").and_then(Value::as_array)?,
        _ => return None,
    };
    Some(Toc {
        path: path.clone(),
        items: toc_items(items),
    })
}

fn toc_items(items: &[Value]) -> Vec<TocItem> {
    items
        .iter()
        .filter_map(|item| {
            let map = item.as_object()?;
            let string = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_string);
            let name = string("name").or_else(|| string("displayName"))?;
            Some(TocItem {
                name: one_line(&name),
                href: string("href")
                    .or_else(|| string("topicHref"))
                    .filter(|h| !h.trim().is_empty()),
                items: map
                    .get("items")
                    .and_then(Value::as_array)
                    .map_or_else(Vec::new, |items| toc_items(items)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAQ: &str = "### YamlMime:FAQ\nmetadata:\n  title: 'PTA FAQ'\n  ms.date: 12/20/2024\n  description: Answers.\ntitle: \"Pass-through authentication: FAQ\"\nsummary: This article answers questions.\n\nsections:\n  - name: General\n    questions:\n      - question: |\n          Is it free?\n        answer: |\n          Yes. See [the guide](./choose-ad-authn.md).\n\n          >[!NOTE]\n          >A note.\n      - question: Does it work with [Conditional Access](~/ca.md)?\n        answer: Yes.\n";

    #[test]
    fn faq_pages_become_notices_with_their_lines() {
        let path = ContentPath("docs/faq.yml".into());
        let YamlFile::Page(notice, warnings) = read(&path, FAQ) else {
            panic!("not a page");
        };
        assert!(warnings.is_empty(), "{warnings:#?}");
        assert_eq!(
            notice.front.title.as_deref(),
            Some("Pass-through authentication: FAQ")
        );
        assert_eq!(notice.front.ms_date, Some(jiff::civil::date(2024, 12, 20)));
        let lines: Vec<&str> = notice.source.lines().collect();
        assert_eq!(lines[5], "# Pass-through authentication: FAQ");
        assert_eq!(lines[6], "This article answers questions.");
        assert_eq!(lines[9], "## General");
        assert_eq!(lines[12], "### Is it free? {#is-it-free- .faq-question}");
        assert_eq!(lines[14], "Yes. See [the guide](./choose-ad-authn.md).");
        assert_eq!(lines[16], ">[!NOTE]");
        // A one-line question right after an answer needs a blank line first: one line
        // later than in the file.
        assert_eq!(
            lines[19],
            "### Does it work with [Conditional Access](~/ca.md)? {#does-it-work-with-conditional-access- .faq-question}"
        );
        assert_eq!(lines[20], "Yes.");
    }

    #[test]
    fn kinds_of_yaml_files() {
        let path = |p: &str| ContentPath(p.into());
        assert!(matches!(
            read(&path("a/context.yml"), "### YamlMime:ContextObject\nx: 1\n"),
            YamlFile::Unpublished(d) if d.code == Code::UnpublishedYaml && d.line == Some(1)
        ));
        assert!(matches!(
            read(&path("a/broken-faq.yml"), "### YamlMime:FAQ\ntitle: [unclosed\n"),
            YamlFile::Unpublished(d) if d.message.contains("not valid YAML")
        ));
        assert!(matches!(
            read(&path("a/sample.yml"), "steps:\n  - build: .\n"),
            YamlFile::Plain
        ));
        let YamlFile::Toc(toc) = read(
            &path("a/TOC.yml"),
            "- name: Docs\n  href: index.yml\n- name: Overview\n  items:\n  - name: What is it?\n    href: overview.md\n",
        ) else {
            panic!("a toc");
        };
        assert_eq!(toc.items.len(), 2);
        assert_eq!(toc.items[1].items[0].href.as_deref(), Some("overview.md"));
        let YamlFile::PivotGroups(groups) = read(
            &path("zone-pivots/zone-pivot-groups.yml"),
            "### YamlMime:ZonePivotGroups\ngroups:\n- id: platform\n  title: Platform\n  prompt: Choose a platform\n  pivots:\n  - id: aks\n    title: AKS\n",
        ) else {
            panic!("pivot groups");
        };
        assert_eq!(groups[0].prompt, "Choose a platform");
        assert_eq!(groups[0].pivots[0].title, "AKS");
    }

    #[test]
    fn landing_pages_list_their_links_and_report_what_they_leave_out() {
        let text = "### YamlMime:Landing\n\ntitle: Portal documentation\nsummary: Manage it all.\n\nmetadata:\n  title: Portal\n  ms.date: 01/27/2026\n\nlandingContent:\n  - title: About the portal\n    linkLists:\n      - linkListType: overview\n        links:\n          - text: What is the portal?\n            url: overview.md\n          - text: Browsers\n            url: /azure/browsers\nmysteryWidget:\n  color: blue\n";
        let YamlFile::Page(notice, warnings) = read(&ContentPath("p/index.yml".into()), text)
        else {
            panic!("a page");
        };
        let lines: Vec<&str> = notice.source.lines().collect();
        assert_eq!(lines[2], "# Portal documentation");
        assert_eq!(lines[10], "## About the portal");
        assert_eq!(lines[15], "- [What is the portal?](<overview.md>)");
        assert_eq!(lines[16], "- [Browsers](</azure/browsers>)");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, Code::UnsupportedDocfx);
        assert_eq!(warnings[0].line, Some(19));
        assert!(warnings[0].message.contains("mysteryWidget"));
    }
}
