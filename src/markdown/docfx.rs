//! Recognisers for the DocFX extensions Learn notices use, as pure functions over source
//! text. The renderer decides what to emit; this module only says what a piece of text is.

use std::sync::LazyLock;

use pulldown_cmark::BlockQuoteKind;
use regex::Regex;

/// The CSS class and visible title of an alert callout.
pub fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("alert-note", "Note"),
        BlockQuoteKind::Tip => ("alert-tip", "Tip"),
        BlockQuoteKind::Important => ("alert-important", "Important"),
        BlockQuoteKind::Warning => ("alert-warning", "Warning"),
        BlockQuoteKind::Caution => ("alert-caution", "Caution"),
    }
}

/// A block quote that is really a DocFX block directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuoteDirective {
    /// `> [!div class="nextstepaction"]`: the rest of the quote, in a styled box.
    Div {
        /// The classes named, reduced to safe characters.
        classes: Vec<String>,
        /// Byte offset, within the quote's source, just past the marker's `]`.
        marker_end: usize,
    },
    /// `> [!VIDEO https://...]`: a video, shown as a link card.
    Video {
        /// The video's URL.
        url: String,
    },
    /// `> [!NOTE] text` with text after the marker (which GFM does not take for an alert):
    /// an alert all the same.
    Alert {
        /// The alert's kind.
        kind: BlockQuoteKind,
        /// Byte offset, within the quote's source, just past the marker's `]`.
        marker_end: usize,
    },
    /// `> [!NAME]` for a name bulletin does not know: reported, the marker left out.
    Unknown {
        /// The marker's name.
        name: String,
        /// Byte offset, within the quote's source, just past the marker's `]`.
        marker_end: usize,
    },
}

impl QuoteDirective {
    /// Where the marker the quote starts with ends, when its text is to be left out.
    pub fn marker_end(&self) -> Option<usize> {
        match self {
            QuoteDirective::Div { marker_end, .. }
            | QuoteDirective::Alert { marker_end, .. }
            | QuoteDirective::Unknown { marker_end, .. } => Some(*marker_end),
            QuoteDirective::Video { .. } => None,
        }
    }
}

// One `>` only: each quote of `> > [!div ...]` has its own event whose source starts at its
// own `>`, so the directive is the inner quote's. Skipping every `>` would make the outer
// quote claim it too, and cost time in proportion to the depth for each of the quotes.
static DIV: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)^\s*>\s*\[!div\s+class\s*=\s*["“”']([^"“”']*)["“”']\s*\]"#)
        .expect("valid regex")
});
static VIDEO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*>\s*\[!VIDEO\s+([^\]\s]+)\s*\]").expect("valid regex"));
static QUOTE_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*>\s*\[!([A-Za-z][\w-]*)\]").expect("valid regex"));

/// Recognises a block-quote directive from the quote's source text.
pub fn quote_directive(source: &str) -> Option<QuoteDirective> {
    if let Some(caps) = DIV.captures(source) {
        let classes = caps[1]
            .split_whitespace()
            .map(|c| {
                c.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect::<String>()
            })
            .filter(|c| !c.is_empty())
            .collect();
        let marker_end = caps.get(0).map_or(0, |m| m.end());
        return Some(QuoteDirective::Div {
            classes,
            marker_end,
        });
    }
    if let Some(caps) = VIDEO.captures(source) {
        return Some(QuoteDirective::Video {
            url: caps[1].to_string(),
        });
    }
    let caps = QUOTE_MARKER.captures(source)?;
    let marker_end = caps.get(0).map_or(0, |m| m.end());
    let name = &caps[1];
    let kind = match name.to_ascii_lowercase().as_str() {
        "note" => BlockQuoteKind::Note,
        "tip" => BlockQuoteKind::Tip,
        "important" => BlockQuoteKind::Important,
        "warning" => BlockQuoteKind::Warning,
        "caution" => BlockQuoteKind::Caution,
        "include" | "div" | "video" => return None,
        lower if lower.starts_with("code") => return None,
        _ => {
            return Some(QuoteDirective::Unknown {
                name: name.to_string(),
                marker_end,
            });
        }
    };
    Some(QuoteDirective::Alert { kind, marker_end })
}

/// A paragraph that is really a DocFX directive line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineDirective {
    /// `[!INCLUDE [title](path)]`.
    Include {
        /// The path as written.
        path: String,
    },
    /// `:::image type="content" source="..." alt-text="...":::` (and `icon`).
    Image(Image),
    /// `:::code language="..." source="..." range="..." id="..." highlight="...":::` or
    /// `[!code-lang[name](path)]`.
    Code(CodeRef),
    /// The opening marker of a directive that holds blocks (`::: zone`, `:::row:::`, a
    /// complex `:::image`).
    Open(Container),
    /// A closing marker (`::: zone-end`, `:::row-end:::`, `:::image-end:::`): the name of
    /// what it closes.
    Close(String),
    /// A DocFX directive bulletin does not render.
    Unsupported {
        /// The construct, as DocFX names it (`:::form`, `[!FOO]`).
        construct: String,
        /// Readable text it carries (a `text`, `title` or `alt-text` value), if any.
        text: Option<String>,
    },
}

/// An image directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// `content`, `icon` or `complex`.
    pub kind: String,
    /// The image's path as written.
    pub source: String,
    /// Its alternative text (empty for icons, which are decorative).
    pub alt: String,
    /// `border="true"` (the default for content images) or `false`.
    pub border: bool,
    /// Where the full-size image is (`lightbox="..."`), to link the image to.
    pub lightbox: Option<String>,
    /// A link to put on the image (`link="..."`).
    pub link: Option<String>,
}

/// A code snippet taken from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRef {
    /// The language (`yaml`, `azurecli`), for the code block's class.
    pub language: String,
    /// The file, as written (relative, or `~/`).
    pub source: String,
    /// Lines to show: `1-5,7`.
    pub range: Option<String>,
    /// A named snippet: the lines between `<id>` markers or `#region id`.
    pub id: Option<String>,
    /// Lines to highlight, relative to what is shown: `2-3`.
    pub highlight: Option<String>,
}

/// A directive that holds the blocks up to its closing marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Container {
    /// `::: zone pivot="..."` or `target="..."`.
    Zone(Zone),
    /// `:::image type="complex" ...:::`: the blocks are its long description.
    Image(Image),
    /// `:::row:::`.
    Row,
    /// `:::column span="2":::`.
    Column {
        /// How many columns it spans.
        span: u8,
    },
    /// `::: moniker range="..."`: versioned content, always shown.
    Moniker,
}

impl Container {
    /// The name its closing marker uses (`zone` for `zone-end`).
    pub fn name(&self) -> &'static str {
        match self {
            Container::Zone(_) => "zone",
            Container::Image(_) => "image",
            Container::Row => "row",
            Container::Column { .. } => "column",
            Container::Moniker => "moniker",
        }
    }
}

/// What a `::: zone` marker says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Zone {
    /// `pivot="a, b"`: shown when one of these pivots is chosen.
    Pivot(Vec<String>),
    /// `target="docs"` or `target="chromeless"`: shown only on that kind of page.
    Target(String),
}

static INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\[!INCLUDE\s*\[[^\]]*\]\(\s*<?([^)>\s]+)>?\s*\)\s*\]$").expect("valid regex")
});
static CODE_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\[!code(?:-([A-Za-z0-9+#-]+))?\s*\[[^\]]*\]\(\s*<?([^)>\s]+)>?(?:\s+[\x22'][^\x22']*[\x22'])?\s*\)\s*\]$")
        .expect("valid regex")
});
static TRIPLE_COLON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)^:::\s*([a-z][a-z-]*)(.*?)(:::)?$").expect("valid regex"));
static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([A-Za-z][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|“([^”]*)”)"#).expect("valid regex")
});

/// The `name="value"` attributes of a directive, in order.
fn attributes(text: &str) -> Vec<(String, String)> {
    ATTRIBUTE
        .captures_iter(text)
        .map(|caps| {
            let value = caps
                .get(2)
                .or(caps.get(3))
                .or(caps.get(4))
                .map_or("", |m| m.as_str());
            (caps[1].to_ascii_lowercase(), value.trim().to_string())
        })
        .collect()
}

fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// Whether a line (its container markers stripped) starts a DocFX block directive: a
/// `:::` directive, or an `[!INCLUDE]` or `[!code]` line.
pub fn starts_block_directive(line: &str) -> bool {
    let line = line.trim();
    line.starts_with(":::") || INCLUDE.is_match(line) || CODE_LINK.is_match(line)
}

/// Whether a `:::` directive line continues on the next line: it opens one that must end
/// with `:::` (an image or code snippet whose attributes wrap) and does not yet.
pub fn directive_continues(line: &str) -> bool {
    let line = line.trim();
    let Some(caps) = TRIPLE_COLON.captures(line) else {
        return false;
    };
    let name = caps[1].to_ascii_lowercase();
    matches!(name.as_str(), "image" | "code") && caps.get(3).is_none()
}

/// Recognises one directive line (a `:::` directive may have wrapped onto several lines,
/// joined here with spaces).
fn line_directive(line: &str) -> Option<LineDirective> {
    if let Some(caps) = INCLUDE.captures(line) {
        return Some(LineDirective::Include {
            path: caps[1].to_string(),
        });
    }
    if let Some(caps) = CODE_LINK.captures(line) {
        return Some(LineDirective::Code(code_link(
            caps.get(1).map_or("", |m| m.as_str()),
            &caps[2],
        )));
    }
    let caps = TRIPLE_COLON.captures(line)?;
    let name = caps[1].to_ascii_lowercase();
    let attrs = attributes(&caps[2]);
    let get = |n: &str| attribute(&attrs, n).map(str::to_string);
    Some(match name.as_str() {
        "image" => {
            let image = Image {
                kind: get("type")
                    .unwrap_or_else(|| "content".into())
                    .to_ascii_lowercase(),
                source: get("source")?,
                alt: get("alt-text").unwrap_or_default(),
                border: get("border").is_none_or(|b| !b.eq_ignore_ascii_case("false")),
                lightbox: get("lightbox"),
                link: get("link"),
            };
            if image.kind == "complex" {
                LineDirective::Open(Container::Image(image))
            } else {
                LineDirective::Image(image)
            }
        }
        "code" => LineDirective::Code(CodeRef {
            language: get("language").unwrap_or_default(),
            source: get("source")?,
            range: get("range"),
            id: get("id"),
            highlight: get("highlight"),
        }),
        "zone" => {
            let zone = match (get("pivot"), get("target")) {
                (Some(pivots), _) => Zone::Pivot(
                    pivots
                        .split(',')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(str::to_string)
                        .collect(),
                ),
                (None, Some(target)) => Zone::Target(target.to_ascii_lowercase()),
                (None, None) => return Some(unsupported(":::zone", &attrs)),
            };
            LineDirective::Open(Container::Zone(zone))
        }
        "row" => LineDirective::Open(Container::Row),
        "column" => LineDirective::Open(Container::Column {
            span: get("span")
                .and_then(|s| s.parse().ok())
                .unwrap_or(1)
                .clamp(1, 4),
        }),
        "moniker" => LineDirective::Open(Container::Moniker),
        closing if closing.ends_with("-end") => {
            LineDirective::Close(closing.trim_end_matches("-end").to_string())
        }
        other => unsupported(&format!(":::{other}"), &attrs),
    })
}

fn unsupported(construct: &str, attrs: &[(String, String)]) -> LineDirective {
    let text = ["text", "title", "alt-text"]
        .iter()
        .find_map(|n| attribute(attrs, n))
        .map(str::to_string);
    LineDirective::Unsupported {
        construct: construct.to_string(),
        text,
    }
}

/// `[!code-yml[name](path?range=1-3&highlight=2)]`, `(path#region)` or `(path?name=region)`.
fn code_link(language: &str, target: &str) -> CodeRef {
    let (path, fragment) = match target.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (target, None),
    };
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut code = CodeRef {
        language: language.to_ascii_lowercase(),
        source: path.to_string(),
        range: None,
        id: fragment.filter(|f| !f.is_empty()).map(str::to_string),
        highlight: None,
    };
    let (mut start, mut end) = (None, None);
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = Some(value.to_string()).filter(|v| !v.is_empty());
        match key.to_ascii_lowercase().as_str() {
            "range" => code.range = value,
            "name" => code.id = value,
            "highlight" => code.highlight = value,
            "start" => start = value,
            "end" => end = value,
            _ => {}
        }
    }
    if code.range.is_none() && (start.is_some() || end.is_some()) {
        code.range = Some(format!(
            "{}-{}",
            start.unwrap_or_else(|| "1".into()),
            end.unwrap_or_default()
        ));
    }
    code
}

/// Recognises a paragraph made only of directive lines (`[!INCLUDE]`, `[!code]`, `:::`
/// directives, a `:::` directive possibly wrapped over several lines); `None` when any line
/// is ordinary text.
pub fn line_directives(source: &str) -> Option<Vec<LineDirective>> {
    let mut directives = Vec::new();
    let mut pending = String::new();
    for line in source.lines() {
        let line = line
            .trim_start()
            .trim_start_matches(['>', ' ', '\t'])
            .trim();
        if line.is_empty() {
            continue;
        }
        if !pending.is_empty() {
            pending.push(' ');
            pending.push_str(line);
            if line.ends_with(":::") {
                directives.push(line_directive(&std::mem::take(&mut pending))?);
            }
            continue;
        }
        if directive_continues(line) {
            pending.push_str(line);
            continue;
        }
        directives.push(line_directive(line)?);
    }
    (pending.is_empty() && !directives.is_empty()).then_some(directives)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_directives() {
        let div = |classes: &[&str], marker_end| {
            Some(QuoteDirective::Div {
                classes: classes.iter().map(|c| c.to_string()).collect(),
                marker_end,
            })
        };
        let cases = [
            (
                "> [!div class=\"nextstepaction\"]\n> [Install](https://x)",
                div(&["nextstepaction"], 31),
            ),
            (
                ">[!div class=\"checklist\"]\n> * a",
                div(&["checklist"], 25),
            ),
            (
                "> [!div class=\"mx-imgBorder\"]\n> ![a](b.png)",
                div(&["mx-imgBorder"], 29),
            ),
            ("> [!div class=\"x<script> y\"]", div(&["xscript", "y"], 28)),
            ("> [!div class=\"x\\\" onload=alert(1)\"]", None),
            (
                "> [!VIDEO https://www.youtube.com/embed/9T6lKEloq0Q]",
                Some(QuoteDirective::Video {
                    url: "https://www.youtube.com/embed/9T6lKEloq0Q".into(),
                }),
            ),
            (
                "> [!video https://x/v]",
                Some(QuoteDirective::Video {
                    url: "https://x/v".into(),
                }),
            ),
            ("> plain quote", None),
            (
                "> [!NOTE] text on the marker's line",
                Some(QuoteDirective::Alert {
                    kind: BlockQuoteKind::Note,
                    marker_end: 9,
                }),
            ),
            (
                "> [!OPTIONAL]\n> text",
                Some(QuoteDirective::Unknown {
                    name: "OPTIONAL".into(),
                    marker_end: 13,
                }),
            ),
            ("> [!INCLUDE [a](a.md)]", None),
            // The outer quote of a nested one: the directive belongs to the inner quote.
            ("> > [!div class=\"checklist\"]\n> > * a", None),
            (">> [!VIDEO https://x/v]", None),
            ("  >   [!div class=\"checklist\"]", div(&["checklist"], 30)),
        ];
        for (source, expected) in cases {
            assert_eq!(quote_directive(source), expected, "{source}");
        }
    }

    #[test]
    fn line_directive_paragraphs() {
        let include = |path: &str| LineDirective::Include { path: path.into() };
        let cases = [
            (
                "[!INCLUDE [Choose cloud sync](../../../../includes/choose-cloud-sync.md)]",
                Some(vec![include("../../../../includes/choose-cloud-sync.md")]),
            ),
            (
                "[!include[](~/includes/entra-p1-license.md)]",
                Some(vec![include("~/includes/entra-p1-license.md")]),
            ),
            (
                "[!INCLUDE [a](a.md)]\n[!INCLUDE [b](b.md)]",
                Some(vec![include("a.md"), include("b.md")]),
            ),
            ("> [!INCLUDE [a](a.md)]", Some(vec![include("a.md")])),
            (
                ":::image type=\"content\" source=\"media/x.png\" alt-text=\"Diagram of x.\" lightbox=\"media/x.png\":::",
                Some(vec![LineDirective::Image(Image {
                    kind: "content".into(),
                    source: "media/x.png".into(),
                    alt: "Diagram of x.".into(),
                    border: true,
                    lightbox: Some("media/x.png".into()),
                    link: None,
                })]),
            ),
            (":::image type=\"content\" alt-text=\"no source\":::", None),
            ("Text before [!INCLUDE [a](a.md)]", None),
            ("[!INCLUDE [a](a.md)]\nand more text", None),
        ];
        for (source, expected) in cases {
            assert_eq!(line_directives(source), expected, "{source}");
        }
    }
}
