//! Printing diagnostics for people (`human`), programs (`json`, one object per line) and
//! GitHub Actions (`github`, workflow annotations).

use std::path::Path;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde_json::json;

use crate::diagnostic::{Diagnostic, Severity};

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// `file:line` with the offending line, for a terminal.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
    /// `::warning file=...,line=...::message` workflow commands.
    Github,
}

/// Renders one diagnostic in `format`, without a trailing newline. `root` is the site root
/// that diagnostic paths are relative to (GitHub wants paths from the repository root, which
/// CI checkouts usually make the same).
pub fn format(diagnostic: &Diagnostic, format: Format, root: &Path) -> String {
    match format {
        Format::Human => human(diagnostic),
        Format::Json => json!({
            "severity": diagnostic.severity(),
            "code": diagnostic.code.id(),
            "name": diagnostic.code.name(),
            "message": diagnostic.message,
            "file": diagnostic.file.as_ref().map(|f| f.display().to_string()),
            "line": diagnostic.line,
        })
        .to_string(),
        Format::Github => {
            let kind = match diagnostic.severity() {
                Severity::Warning => "warning",
                Severity::Error => "error",
            };
            let mut properties = Vec::new();
            if let Some(file) = &diagnostic.file {
                properties.push(format!(
                    "file={}",
                    escape_property(&root.join(file).display().to_string())
                ));
            }
            if let Some(line) = diagnostic.line {
                properties.push(format!("line={line}"));
            }
            properties.push(format!(
                "title={}",
                escape_property(&diagnostic.code.to_string())
            ));
            format!(
                "::{kind} {}::{}",
                properties.join(","),
                escape_data(&diagnostic.message)
            )
        }
    }
}

fn human(diagnostic: &Diagnostic) -> String {
    let level = match diagnostic.severity() {
        Severity::Warning => Level::WARNING,
        Severity::Error => Level::ERROR,
    };
    let title = format!("{}: {}", diagnostic.code, diagnostic.message);
    let group = level.primary_title(&title);
    let location = diagnostic.location();
    let rendered = match (&diagnostic.snippet, diagnostic.line, &location) {
        (Some(snippet), Some(line), Some(location)) => {
            // Point at the line's first character: diagnostics know lines, not columns.
            let start = snippet.len() - snippet.trim_start().len();
            let end = snippet[start..]
                .chars()
                .next()
                .map_or(start, |c| start + c.len_utf8());
            let report = &[group.element(
                Snippet::source(snippet.as_str())
                    .line_start(line as usize)
                    .path(
                        location
                            .rsplit_once(':')
                            .map_or(location.as_str(), |(f, _)| f),
                    )
                    .annotation(AnnotationKind::Primary.span(start..end.max(start))),
            )];
            Renderer::plain().render(report)
        }
        _ => {
            let mut text = Renderer::plain().render(&[annotate_snippets::Group::with_title(group)]);
            if let Some(location) = location {
                text.push_str(&format!("\n  --> {location}"));
            }
            text
        }
    };
    rendered.to_string()
}

// GitHub workflow command escaping.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
