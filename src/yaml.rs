//! YAML problems in bulletin's words: `bulletin.yaml`, the product catalog and frontmatter
//! are parsed with serde-saphyr, whose messages speak of scalars, `u64` and parser options.
//! This turns them into what a person fixes (which key, what it takes, what was written)
//! and pins them to the offending text.

use std::ops::Range;

use serde_saphyr::{Error, MessageFormatter};

use crate::diagnostic::{Code, Diagnostic, io_reason};

/// Reads an optional settings file, `path` relative to `root`: `None` when it does not
/// exist; one that exists but cannot be read is an error (B0114) naming `what`.
pub(crate) fn read_optional(
    root: &std::path::Path,
    path: &std::path::Path,
    what: &str,
) -> Result<Option<String>, Diagnostic> {
    match std::fs::read_to_string(root.join(path)) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::new(
            Code::InvalidConfig,
            path,
            format!("cannot read {what}: {}", io_reason(&e)),
        )),
    }
}

/// What the keys of a YAML file take, for messages such as "`atom_entries` should be a whole
/// number, not `many`": a key's description, `None` for a key it does not know.
pub(crate) type Expects = fn(&str) -> Option<&'static str>;

/// A YAML text being parsed, and how to speak of it.
pub(crate) struct YamlFile<'a> {
    /// The code its problems are reported with.
    pub code: Code,
    /// The file, relative to the site root.
    pub path: &'a std::path::Path,
    /// What it is, for "... is not valid YAML" (`the frontmatter`).
    pub subject: &'static str,
    /// The whole file.
    pub source: &'a str,
    /// Where the YAML starts in `source`, in bytes.
    pub offset: usize,
    /// What its keys take.
    pub expects: Expects,
}

impl YamlFile<'_> {
    /// The diagnostic for `error`, raised while parsing the YAML.
    pub(crate) fn diagnostic(&self, error: &Error) -> Diagnostic {
        let yaml = self.source.get(self.offset..).unwrap_or_default();
        let at = error.location().and_then(|location| {
            let line = u32::try_from(location.line()).ok()?;
            let column = usize::try_from(location.column()).ok()?;
            Some((line, column))
        });
        let (message, hint, span) = words(error.without_snippet(), yaml, at, self);
        let diagnostic = Diagnostic::new(self.code, self.path, message);
        let diagnostic = match (span, at) {
            (Some(span), _) => diagnostic.at_source_range(
                self.source,
                self.offset + span.start..self.offset + span.end,
            ),
            (None, Some((line, _))) => {
                let before = &self.source[..self.offset.min(self.source.len())];
                let first = before.bytes().filter(|&b| b == b'\n').count() as u32;
                diagnostic.at_source_line(self.source, first + line)
            }
            (None, None) => diagnostic,
        };
        match hint {
            Some(hint) => diagnostic.with_hint(hint),
            None => diagnostic,
        }
    }
}

/// The message, the hint and the offending text's byte range in `yaml`.
fn words(
    error: &Error,
    yaml: &str,
    at: Option<(u32, usize)>,
    file: &YamlFile<'_>,
) -> (String, Option<String>, Option<Range<usize>>) {
    let offset = at.and_then(|(line, column)| offset_of(yaml, line, column));
    let token = offset.map(|start| start..token_end(yaml, start));
    let key = offset.and_then(|start| key_at(yaml, start));
    match error {
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let closest = expected
                .iter()
                .map(|known| (strsim::jaro_winkler(field, known), known))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, known)| format!("; did you mean `{known}`?"))
                .unwrap_or_default();
            let key_span = offset.map(|start| start..start + field.len().min(yaml.len() - start));
            (
                format!("unknown key `{field}`{closest}"),
                Some(format!("the keys are: {}", expected.join(", "))),
                key_span,
            )
        }
        Error::SerdeMissingField { field, .. } => (
            format!("`{field}` is missing here"),
            Some(format!("add `{field}:`")),
            token,
        ),
        Error::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("this key");
            let key_span = offset.map(|start| start..start + key.len().min(yaml.len() - start));
            (
                format!("`{key}` is set twice"),
                Some("keep one of them".to_string()),
                key_span,
            )
        }
        Error::Unexpected { expected, .. } if key.is_none() && expected.contains("mapping") => (
            format!("{} should be `key: value` lines", file.subject),
            None,
            token,
        ),
        Error::Unexpected { .. }
        | Error::InvalidScalar { .. }
        | Error::SerdeInvalidType { .. }
        | Error::SerdeInvalidValue { .. }
        | Error::SerdeInvalidLength { .. }
        | Error::NullIntoString { .. }
        | Error::InvalidBooleanStrict { .. } => {
            let written = token
                .clone()
                .map(|t| yaml[t].trim().to_string())
                .filter(|w| !w.is_empty());
            let what = key.as_deref().and_then(file.expects);
            let message = match (&key, what, written) {
                (Some(key), Some(what), Some(written)) => {
                    format!("`{key}` should be {what}, not `{written}`")
                }
                (Some(key), Some(what), None) => format!("`{key}` should be {what}"),
                (Some(key), None, _) => format!("`{key}` has a value of the wrong kind"),
                (None, _, Some(written)) => format!("`{written}` is not allowed here"),
                (None, _, None) => "a value of the wrong kind".to_string(),
            };
            (message, None, token)
        }
        other => {
            let said = serde_saphyr::UserMessageFormatter.format_message(other);
            let (what, hint) = syntax(&said);
            let point = offset.map(|start| start..next_char(yaml, start));
            (
                format!("{} is not valid YAML: {what}", file.subject),
                hint.map(str::to_string),
                point,
            )
        }
    }
}

/// A YAML parser's complaint in plain words, and what to do, for the mistakes people make
/// in settings and frontmatter; other complaints are kept as the parser says them.
fn syntax(said: &str) -> (String, Option<&'static str>) {
    let said = said.trim();
    if said.contains("mapping values are not allowed") {
        (
            "a value holds `: `, which YAML reads as a second key".to_string(),
            Some("put the value in quotes"),
        )
    } else if said.contains("found a tab") || said.contains("tab character") {
        (
            "a tab where YAML wants spaces".to_string(),
            Some("indent with spaces"),
        )
    } else if said.contains("unclosed quote") || said.contains("found unexpected end of stream") {
        (
            "a quote is opened and never closed".to_string(),
            Some("close the quote on the same line"),
        )
    } else if let Some(bracket) = said.strip_prefix("unclosed bracket ") {
        (
            format!("the bracket {bracket} is never closed"),
            Some("close the bracket, or quote the value"),
        )
    } else if said.contains("unknown escape character") {
        (
            "a backslash in double quotes that YAML does not know".to_string(),
            Some("use single quotes, or write `\\\\` for a backslash"),
        )
    } else {
        (said.to_string(), None)
    }
}

/// The byte offset of 1-based `line` and `column` (in characters) in `text`.
fn offset_of(text: &str, line: u32, column: usize) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line as usize - 2)
            .map(|(i, _)| i + 1)?
    };
    let rest = &text[start..];
    let within = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    Some(start + within)
}

/// Where the value starting at `start` ends: the end of its line, before a comment.
fn token_end(text: &str, start: usize) -> usize {
    let line = &text[start..];
    let line = line.split('\n').next().unwrap_or_default();
    let line = line.split(" #").next().unwrap_or_default();
    start + line.trim_end().len()
}

/// The end of the character at `start` (for a point, not a value).
fn next_char(text: &str, start: usize) -> usize {
    text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8())
}

/// The key whose value is at `offset`: the key written before it on its line, else (for a
/// list item, or a value on a line of its own) the key of the nearest line above that is
/// indented less.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    if let Some(key) = key_of(&text[line_start..offset]) {
        return Some(key);
    }
    let indent = |line: &str| line.len() - line.trim_start().len();
    let here = indent(&text[line_start..]);
    text[..line_start]
        .lines()
        .rev()
        .filter(|line| !line.trim().is_empty() && indent(line) < here)
        .find_map(key_of)
}

/// The last `key:` written in `before` (the text of a line up to a value).
fn key_of(before: &str) -> Option<String> {
    let before = before.trim_start().trim_start_matches("- ");
    let (key, _) = before.split_once(':')?;
    let key = key.trim().trim_start_matches(['{', '[', ' ']);
    let key = key.rsplit([',', '{']).next().unwrap_or(key).trim();
    (!key.is_empty() && !key.contains(char::is_whitespace)).then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Settings {
        title: Option<String>,
        count: Option<u32>,
        hosts: Option<Vec<String>>,
    }

    fn expects(key: &str) -> Option<&'static str> {
        match key {
            "title" => Some("text"),
            "count" => Some("a whole number"),
            "hosts" => Some("a list of host names"),
            _ => None,
        }
    }

    /// The diagnostic for `yaml` as a whole file: (message, hint, line, marked text).
    fn problem(yaml: &str) -> (String, Option<String>, Option<u32>, Option<String>) {
        let error = serde_saphyr::from_str::<Settings>(yaml).expect_err(yaml);
        let file = YamlFile {
            code: Code::InvalidConfig,
            path: std::path::Path::new("s.yaml"),
            subject: "s.yaml",
            source: yaml,
            offset: 0,
            expects,
        };
        let d = file.diagnostic(&error);
        let marked = d.marked().map(str::to_string);
        (d.message, d.hint.map(String::from), d.line, marked)
    }

    #[test]
    fn type_errors_name_the_key_and_what_it_takes() {
        let (message, _, line, marked) = problem("title: x\ncount: many\n");
        assert_eq!(message, "`count` should be a whole number, not `many`");
        assert_eq!((line, marked.as_deref()), (Some(2), Some("many")));
        let (message, _, line, marked) = problem("hosts:\n  - a\n  - [b]\n");
        assert_eq!(message, "`hosts` should be a list of host names, not `[b]`");
        assert_eq!((line, marked.as_deref()), (Some(3), Some("[b]")));
        let (message, ..) = problem("count: -1 # a comment\n");
        assert_eq!(message, "`count` should be a whole number, not `-1`");
    }

    #[test]
    fn unknown_and_repeated_keys_are_named() {
        let (message, hint, line, marked) = problem("titel: x\n");
        assert_eq!(message, "unknown key `titel`; did you mean `title`?");
        assert_eq!(hint.as_deref(), Some("the keys are: title, count, hosts"));
        assert_eq!((line, marked.as_deref()), (Some(1), Some("titel")));
        let (message, hint, line, marked) = problem("title: a\ntitle: b\n");
        assert_eq!(message, "`title` is set twice");
        assert_eq!(hint.as_deref(), Some("keep one of them"));
        assert_eq!((line, marked.as_deref()), (Some(2), Some("title")));
    }

    #[test]
    fn syntax_errors_say_what_to_fix_without_the_parser_s_words() {
        for (yaml, words, hint) in [
            (
                "title: a: b\n",
                "a value holds `: `",
                "put the value in quotes",
            ),
            (
                "title: 'a\n",
                "a quote is opened and never closed",
                "close the quote",
            ),
            (
                "hosts: [a\n",
                "the bracket '[' is never closed",
                "close the bracket",
            ),
        ] {
            let (message, got_hint, line, _) = problem(yaml);
            assert!(
                message.starts_with("s.yaml is not valid YAML: "),
                "{message}"
            );
            assert!(message.contains(words), "{yaml}: {message}");
            assert!(got_hint.is_some_and(|h| h.contains(hint)), "{yaml}");
            assert_eq!(line, Some(1));
            for internal in ["error:", "line 1", "column", "scalar", "Options"] {
                assert!(!message.contains(internal), "{yaml}: {message}");
            }
        }
    }
}
