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
    VIDEO.captures(source).map(|caps| QuoteDirective::Video {
        url: caps[1].to_string(),
    })
}

/// A paragraph that is really a DocFX directive line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineDirective {
    /// `[!INCLUDE [title](path)]`.
    Include {
        /// The path as written.
        path: String,
    },
    /// `:::image type="content" source="..." alt-text="...":::`.
    Image {
        /// The image's path as written.
        source: String,
        /// Its alternative text.
        alt: String,
    },
}

static INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\[!INCLUDE\s*\[[^\]]*\]\(\s*<?([^)>\s]+)>?\s*\)\s*\]$").expect("valid regex")
});
static IMAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^:::image\s+(.*?):::$").expect("valid regex"));
static ATTRIBUTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"([A-Za-z][\w-]*)\s*=\s*"([^"]*)""#).expect("valid regex"));

/// Recognises a paragraph made only of directive lines (one or more `[!INCLUDE]` or
/// `:::image` lines); `None` when any line is ordinary text.
pub fn line_directives(source: &str) -> Option<Vec<LineDirective>> {
    let mut directives = Vec::new();
    for line in source.lines() {
        let line = line
            .trim_start()
            .trim_start_matches(['>', ' ', '\t'])
            .trim();
        if line.is_empty() {
            continue;
        }
        if let Some(caps) = INCLUDE.captures(line) {
            directives.push(LineDirective::Include {
                path: caps[1].to_string(),
            });
        } else if let Some(caps) = IMAGE.captures(line) {
            let mut source = None;
            let mut alt = String::new();
            for attr in ATTRIBUTE.captures_iter(&caps[1]) {
                match &attr[1] {
                    "source" => source = Some(attr[2].to_string()),
                    "alt-text" => alt = attr[2].to_string(),
                    _ => {}
                }
            }
            directives.push(LineDirective::Image {
                source: source?,
                alt,
            });
        } else {
            return None;
        }
    }
    (!directives.is_empty()).then_some(directives)
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
            ("> [!NOTE]\n> text", None),
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
                Some(vec![LineDirective::Image {
                    source: "media/x.png".into(),
                    alt: "Diagram of x.".into(),
                }]),
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
