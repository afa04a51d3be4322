//! Printing diagnostics for people (`human`), programs (`json`, one object per line) and
//! GitHub Actions (`github`, workflow annotations).
//!
//! People get the same diagnostic on many lines once: its first place with the offending
//! text marked, how many more there are and the first few of them, and one hint. Programs
//! get every occurrence, one record each.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde_json::json;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::site::BuildReport;

/// How many places a group lists beyond its first.
const PLACES: usize = 4;

/// How many errors the closing summary repeats.
const SUMMARY_ERRORS: usize = 10;

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// For a terminal: the offending line with the offending text marked; the same
    /// diagnostic on many lines grouped.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
    /// `::warning file=...,line=...::message` workflow commands.
    Github,
}

/// A diagnostic's file as the user would open it from where they ran the command: the site
/// root as they typed it (`--root`), joined with the file. Files are relative to the root,
/// or absolute.
pub fn display_path(root: &Path, file: &Path) -> String {
    let here = root.components().all(|c| c == Component::CurDir);
    if here || file.is_absolute() {
        file.display().to_string()
    } else {
        root.join(file).display().to_string()
    }
}

/// `path:line:column`, `path:line` or `path`, as [`display_path`] gives the path.
fn place(diagnostic: &Diagnostic, root: &Path) -> Option<String> {
    let file = display_path(root, diagnostic.file.as_ref()?);
    Some(match (diagnostic.line, diagnostic.columns()) {
        (Some(line), Some((column, _))) => format!("{file}:{line}:{column}"),
        (Some(line), None) => format!("{file}:{line}"),
        _ => file,
    })
}

/// Renders one diagnostic in `format`, without a trailing newline. `root` is the site root
/// as the user gave it; diagnostic paths are relative to it.
pub fn format(diagnostic: &Diagnostic, format: Format, root: &Path) -> String {
    match format {
        Format::Human => human(&[diagnostic], root),
        Format::Json => {
            let columns = diagnostic.columns();
            json!({
                "severity": diagnostic.severity(),
                "code": diagnostic.code.id(),
                "name": diagnostic.code.name(),
                "message": diagnostic.message,
                "file": diagnostic.file.as_ref().map(|f| f.display().to_string()),
                "line": diagnostic.line,
                "column": columns.map(|(start, _)| start),
                "end_column": columns.map(|(_, end)| end),
                "hint": diagnostic.hint,
            })
            .to_string()
        }
        Format::Github => {
            let kind = match diagnostic.severity() {
                Severity::Warning => "warning",
                Severity::Error => "error",
            };
            let mut properties = Vec::new();
            if let Some(file) = &diagnostic.file {
                properties.push(format!(
                    "file={}",
                    escape_property(&display_path(root, file))
                ));
            }
            if let Some(line) = diagnostic.line {
                properties.push(format!("line={line}"));
            }
            if let Some((column, _)) = diagnostic.columns() {
                properties.push(format!("col={column}"));
            }
            properties.push(format!(
                "title={}",
                escape_property(&diagnostic.code.to_string())
            ));
            let mut message = diagnostic.message.clone();
            if let Some(hint) = &diagnostic.hint {
                message.push_str("\nhelp: ");
                message.push_str(hint);
            }
            format!(
                "::{kind} {}::{}",
                properties.join(","),
                escape_data(&message)
            )
        }
    }
}

/// Renders every diagnostic of a build in `format`, each ending with a newline. `human`
/// groups the diagnostics that share a code and a hint, in the order of their first
/// occurrence; the machine formats keep one record per occurrence.
pub fn format_all(diagnostics: &[Diagnostic], format: Format, root: &Path) -> String {
    let mut text = String::new();
    if format != Format::Human {
        for diagnostic in diagnostics {
            text.push_str(&self::format(diagnostic, format, root));
            text.push('\n');
        }
        return text;
    }
    for group in groups(diagnostics) {
        text.push_str(&human(&group, root));
        text.push('\n');
    }
    text
}

/// The diagnostics that share a code and a hint, in the order each group first occurs.
fn groups(diagnostics: &[Diagnostic]) -> Vec<Vec<&Diagnostic>> {
    let mut order: Vec<Vec<&Diagnostic>> = Vec::new();
    let mut index: BTreeMap<(Code, Option<&str>), usize> = BTreeMap::new();
    for diagnostic in diagnostics {
        let key = (diagnostic.code, diagnostic.hint.as_deref());
        match index.get(&key) {
            Some(&i) => order[i].push(diagnostic),
            None => {
                index.insert(key, order.len());
                order.push(vec![diagnostic]);
            }
        }
    }
    order
}

/// One group: the first diagnostic in full, then how many more and where the first few are,
/// then the hint.
fn human(group: &[&Diagnostic], root: &Path) -> String {
    let Some(first) = group.first() else {
        return String::new();
    };
    let level = match first.severity() {
        Severity::Warning => Level::WARNING,
        Severity::Error => Level::ERROR,
    };
    let title = format!("{}: {}", first.code, first.message);
    let path = first.file.as_deref().map(|f| display_path(root, f));
    let mut report = Group::with_title(level.primary_title(&title));
    match (&first.snippet, first.line, &path) {
        (Some(snippet), Some(line), Some(path)) => {
            // Without a known span, mark the line's first character.
            let span = first.span_bytes().unwrap_or_else(|| {
                let start = snippet.len() - snippet.trim_start().len();
                let end = snippet[start..]
                    .chars()
                    .next()
                    .map_or(start, |c| start + c.len_utf8());
                start..end
            });
            report = report.element(
                Snippet::source(snippet.as_str())
                    .line_start(line as usize)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(span)),
            );
        }
        (_, line, Some(path)) => {
            let mut origin = Origin::path(path.as_str());
            if let Some(line) = line {
                origin = origin.line(line as usize);
            }
            report = report.element(origin);
        }
        _ => {}
    }
    let more = more_places(group, root);
    if let Some(more) = &more {
        report = report.element(Level::NOTE.message(more.as_str()));
    }
    if let Some(hint) = &first.hint {
        report = report.element(Level::HELP.message(&**hint));
    }
    Renderer::plain().render(&[report]).to_string()
}

/// "N more like it:" and the first few of them, one line each; `None` for a group of one.
fn more_places(group: &[&Diagnostic], root: &Path) -> Option<String> {
    let rest = group.get(1..).filter(|rest| !rest.is_empty())?;
    let mut text = format!("{} more like it:", rest.len());
    for diagnostic in rest.iter().take(PLACES) {
        text.push('\n');
        if let Some(place) = place(diagnostic, root) {
            text.push_str(&place);
            text.push_str(": ");
        }
        text.push_str(&diagnostic.message);
    }
    if rest.len() > PLACES {
        text.push_str(&format!(
            "\nand {} more (`--format json` lists every one)",
            rest.len() - PLACES
        ));
    }
    Some(text)
}

/// The closing lines of a build: what was built, or that it failed; how many warnings of
/// each code; and every error again (the first ten), so that the last lines of a long
/// output say what went wrong. Empty when the build refused its output (the one diagnostic
/// says why).
pub fn summary(report: &BuildReport, root: &Path, strict: bool) -> String {
    if report.refused() {
        return String::new();
    }
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let output = report.output.display();
    let mut warned = plural(warnings, "warning", "warnings");
    if warnings > 0 {
        warned.push_str(&format!(" ({})", by_code(report, Severity::Warning)));
    }
    let mut text = if report.written {
        let mut built = format!(
            "built {} from {} into {output}",
            plural(report.advisories, "advisory", "advisories"),
            plural(report.notices, "notice", "notices"),
        );
        if warnings > 0 {
            built.push_str(&format!("; {warned}"));
        }
        built
    } else {
        let why = if errors == 0 && strict {
            " (--strict: warnings fail the build)"
        } else {
            ""
        };
        format!(
            "build failed: {}, {warned}{why}; {output} was left as it was",
            plural(errors, "error", "errors"),
        )
    };
    text.push('\n');
    let repeated: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity() == Severity::Error)
        .collect();
    if !repeated.is_empty() {
        text.push_str(if repeated.len() == 1 {
            "the error:\n"
        } else {
            "the errors:\n"
        });
    }
    for error in repeated.iter().take(SUMMARY_ERRORS) {
        text.push_str("  ");
        if let Some(place) = place(error, root) {
            text.push_str(&place);
            text.push_str(": ");
        }
        text.push_str(&format!("{}: {}\n", error.code, error.message));
    }
    if repeated.len() > SUMMARY_ERRORS {
        text.push_str(&format!(
            "  and {} more above\n",
            repeated.len() - SUMMARY_ERRORS
        ));
    }
    text
}

/// "414 B0301 unresolved-link, 56 B0402 unknown-product": counts by code, most first.
fn by_code(report: &BuildReport, severity: Severity) -> String {
    let mut counts: BTreeMap<Code, usize> = BTreeMap::new();
    for diagnostic in report
        .diagnostics
        .iter()
        .filter(|d| d.severity() == severity)
    {
        *counts.entry(diagnostic.code).or_default() += 1;
    }
    let mut counts: Vec<(Code, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
        .iter()
        .map(|(code, n)| format!("{n} {code}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    const SOURCE: &str = "# Notice\n\nSee [the guide](guide.md) and [more](more.md).\n";

    /// An unresolved link to `target` on line 3 of `file`, marked.
    fn link(file: &str, target: &str) -> Diagnostic {
        Diagnostic::new(
            Code::UnresolvedLink,
            file,
            format!("the link `{target}` points at content/{target}, which is not in this site"),
        )
        .at_source_text(SOURCE, 3, target)
        .with_hint("set `external_base_url`")
    }

    fn report(diagnostics: Vec<Diagnostic>, written: bool) -> BuildReport {
        BuildReport {
            diagnostics,
            written,
            output: PathBuf::from("site/public"),
            notices: 1,
            advisories: 1,
        }
    }

    #[test]
    fn the_caret_marks_the_offending_text_at_its_column() {
        let text = format(
            &link("content/a.md", "more.md"),
            Format::Human,
            Path::new("."),
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1].trim(), "--> content/a.md:3:38", "{text}");
        let source = lines
            .iter()
            .position(|l| l.ends_with("[more](more.md)."))
            .expect("the line");
        let caret = lines[source + 1];
        let at = caret.find('^').expect("a caret");
        assert_eq!(
            &lines[source][at..at + "more.md".len()],
            "more.md",
            "{text}"
        );
        assert_eq!(caret.matches('^').count(), "more.md".len(), "{text}");
    }

    #[test]
    fn paths_are_as_the_user_typed_the_root() {
        let diagnostic = link("content/a.md", "guide.md");
        for (root, expected) in [
            (".", "content/a.md:3:17"),
            ("./", "content/a.md:3:17"),
            ("sites/mine", "sites/mine/content/a.md:3:17"),
            ("/srv/site", "/srv/site/content/a.md:3:17"),
        ] {
            let text = format(&diagnostic, Format::Human, Path::new(root));
            assert!(
                text.contains(&format!("--> {expected}\n")),
                "{root}: {text}"
            );
        }
        let absolute = Diagnostic::new(Code::Output, "/tmp/out", "cannot write the site");
        let text = format(&absolute, Format::Human, Path::new("sites/mine"));
        assert!(text.contains("--> /tmp/out"), "{text}");
    }

    #[test]
    fn the_same_diagnostic_on_many_lines_is_one_group() {
        let mut diagnostics: Vec<Diagnostic> = (0..7)
            .map(|i| link(&format!("content/{i}.md"), "guide.md"))
            .collect();
        // Another hint, another group; another code, another group.
        diagnostics.push(
            Diagnostic::new(
                Code::UnresolvedLink,
                "content/9.md",
                "the link `/x` is a path",
            )
            .at_source_line(SOURCE, 3)
            .with_hint("set `vendor_site_url`"),
        );
        diagnostics.push(
            Diagnostic::new(
                Code::PlaceholderVersion,
                "content/9.md",
                "`X` is a placeholder",
            )
            .at_line(4),
        );
        let text = format_all(&diagnostics, Format::Human, Path::new("site"));
        assert_eq!(
            text.matches("warning: B0301 unresolved-link:").count(),
            2,
            "{text}"
        );
        assert_eq!(
            text.matches("warning: B0403 placeholder-version:").count(),
            1,
            "{text}"
        );
        assert_eq!(
            text.matches("help: set `external_base_url`").count(),
            1,
            "{text}"
        );
        assert_eq!(
            text.matches("help: set `vendor_site_url`").count(),
            1,
            "{text}"
        );
        assert!(text.contains("--> site/content/0.md:3:17"), "{text}");
        assert!(text.contains("6 more like it:"), "{text}");
        for shown in 1..=4 {
            assert!(
                text.contains(&format!(
                    "site/content/{shown}.md:3:17: the link `guide.md`"
                )),
                "{text}"
            );
        }
        assert!(!text.contains("site/content/5.md"), "{text}");
        assert!(
            text.contains("and 2 more (`--format json` lists every one)"),
            "{text}"
        );
        // Machines get every occurrence.
        for machine in [Format::Json, Format::Github] {
            let text = format_all(&diagnostics, machine, Path::new("site"));
            assert_eq!(text.lines().count(), 9, "{text}");
        }
    }

    #[test]
    fn machine_formats_carry_the_column_and_the_hint() {
        let diagnostic = link("content/a.md", "more.md");
        let json: serde_json::Value =
            serde_json::from_str(&format(&diagnostic, Format::Json, Path::new("site")))
                .expect("JSON");
        assert_eq!(json["file"], "content/a.md");
        assert_eq!(
            (json["line"].as_u64(), json["column"].as_u64()),
            (Some(3), Some(38))
        );
        assert_eq!(json["end_column"], 45);
        assert_eq!(json["hint"], "set `external_base_url`");
        let github = format(&diagnostic, Format::Github, Path::new("site"));
        assert!(
            github.starts_with(
                "::warning file=site/content/a.md,line=3,col=38,title=B0301 unresolved-link::"
            ),
            "{github}"
        );
        assert!(
            github.ends_with("%0Ahelp: set `external_base_url`"),
            "{github}"
        );
    }

    #[test]
    fn the_summary_counts_by_code_and_repeats_the_errors() {
        let mut diagnostics: Vec<Diagnostic> = (0..300)
            .map(|i| link(&format!("content/{i}.md"), "guide.md"))
            .collect();
        diagnostics.insert(
            61,
            Diagnostic::new(
                Code::MalformedFrontmatter,
                "content/bad.md",
                "the frontmatter is not valid YAML: a value holds `: `",
            )
            .at_source_text("---\ntitle: a: b\n---\n", 2, ": b"),
        );
        let failed = summary(
            &report(diagnostics.clone(), false),
            Path::new("site"),
            false,
        );
        assert_eq!(
            failed,
            "build failed: 1 error, 300 warnings (300 B0301 unresolved-link); site/public was left as it was\n\
             the error:\n  site/content/bad.md:2:9: B0102 malformed-frontmatter: the frontmatter is not valid YAML: a value holds `: `\n"
        );
        diagnostics.remove(61);
        let built = summary(
            &report(diagnostics[..1].to_vec(), true),
            Path::new("site"),
            false,
        );
        assert_eq!(
            built,
            "built 1 advisory from 1 notice into site/public; 1 warning (1 B0301 unresolved-link)\n"
        );
        let strict = summary(
            &report(diagnostics[..2].to_vec(), false),
            Path::new("."),
            true,
        );
        assert!(
            strict.contains("(--strict: warnings fail the build)"),
            "{strict}"
        );
        assert!(!strict.contains("the error"), "{strict}");
        let errors: Vec<Diagnostic> = (0..12)
            .map(|i| Diagnostic::new(Code::IncludeCycle, format!("content/{i}.md"), "a cycle"))
            .collect();
        let many = summary(&report(errors, false), Path::new("."), false);
        assert_eq!(many.lines().count(), 1 + 1 + SUMMARY_ERRORS + 1, "{many}");
        assert!(
            many.contains("  content/9.md: B0202 include-cycle: a cycle\n"),
            "{many}"
        );
        assert!(many.ends_with("  and 2 more above\n"), "{many}");
    }
}
