//! Frontmatter: the block between a `---` first line and the next `---` line, parsed with
//! serde-saphyr.
//!
//! The block is handed to the YAML parser exactly as written, starting on line 2, so its
//! errors carry serde-saphyr's line numbers shifted to lines of the file. It is not trimmed:
//! a block indented as a whole is valid YAML only while its first line keeps its indentation
//! (trimming it, as gray_matter does, turns `  title: x` / `  ms.date: ...` into a mapping
//! whose second key is over-indented). Decoding has already removed BOMs and `\r`.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde_json::Value;

use crate::date::{NotADay, parse_numeric_day};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{ContentPath, FrontMatter, Notice};
use crate::slug::{MAX_SLUG_BYTES, slugify};
use crate::yaml::YamlFile;

/// The result of splitting a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// The parsed frontmatter; `None` when the file has no frontmatter block.
    pub front: Option<FrontMatter>,
    /// Where the Markdown after the frontmatter starts in the text, in bytes.
    pub body_start: usize,
    /// The 1-based line on which the body starts.
    pub body_line: u32,
    /// Problems with individual fields (the block itself parsed).
    pub warnings: Vec<Diagnostic>,
}

/// Splits `text` (already decoded: no BOM, `\n` endings) into frontmatter and body.
pub fn split(path: &ContentPath, text: &str) -> Result<Split, Diagnostic> {
    let opens = text.lines().next().is_some_and(|l| l.trim_end() == "---");
    if !opens {
        return Ok(Split {
            front: None,
            body_start: 0,
            body_line: 1,
            warnings: Vec::new(),
        });
    }
    let closing = text
        .lines()
        .enumerate()
        .skip(1)
        .find(|(_, l)| l.trim_end() == "---")
        .map(|(i, _)| i);
    let Some(closing) = closing else {
        return Err(Diagnostic::new(
            Code::UnclosedFrontmatter,
            path.site_path(),
            "the frontmatter opened on line 1 is never closed by a `---` line",
        )
        .at_source_line(text, 1)
        .with_hint("add a `---` line where the frontmatter ends"));
    };
    let closing_line = u32::try_from(closing + 1).unwrap_or(u32::MAX);
    let yaml = &text[line_start(text, YAML_LINE)..line_start(text, closing_line)];
    let body_start = closing + 2;
    let body_line = u32::try_from(body_start).unwrap_or(u32::MAX)
        + text
            .lines()
            .skip(body_start - 1)
            .take_while(|l| l.is_empty())
            .count() as u32;

    let (front, warnings) = parse_yaml(path, text, yaml)?;
    Ok(Split {
        front: Some(front),
        body_start: line_start(text, body_line),
        body_line,
        warnings,
    })
}

/// The byte offset at which 1-based `line` of `text` starts (the end of `text` past its
/// last line).
fn line_start(text: &str, line: u32) -> usize {
    let skip = usize::try_from(line.saturating_sub(1)).unwrap_or(usize::MAX);
    text.match_indices('\n')
        .nth(skip.wrapping_sub(1))
        .map_or(if skip == 0 { 0 } else { text.len() }, |(i, _)| i + 1)
}

/// The line of the file on which the YAML block starts, after the opening `---`.
const YAML_LINE: u32 = 2;

fn parse_yaml(
    path: &ContentPath,
    text: &str,
    yaml: &str,
) -> Result<(FrontMatter, Vec<Diagnostic>), Diagnostic> {
    let yaml_line = YAML_LINE;
    let site_path = path.site_path();
    let file = |code| YamlFile {
        code,
        path: &site_path,
        subject: "the frontmatter",
        source: text,
        offset: line_start(text, yaml_line),
        // Any key takes any value here; the fields are checked one by one below.
        expects: |_| None,
    };
    let mut warnings = Vec::new();
    let value: Value = match serde_saphyr::from_str(yaml) {
        Ok(value) => value,
        // Learn pages are published with a metadata key written twice; when bulletin reads
        // nothing from that key, which value stands cannot change the site, so the page
        // builds (the last value stands, as in most YAML readers) with a warning.
        Err(e)
            if matches!(e.without_snippet(), serde_saphyr::Error::DuplicateMappingKey { key: Some(key), .. }
                if !READ_KEYS.contains(&key.as_str())) =>
        {
            let options = serde_saphyr::options! {
                duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
            };
            let value = serde_saphyr::from_str_with_options(yaml, options)
                .map_err(|e| file(Code::MalformedFrontmatter).diagnostic(&e))?;
            warnings.push(file(Code::InvalidField).diagnostic(&e).with_hint(
                "keep one of them; bulletin does not read this key, and the last value stands",
            ));
            value
        }
        Err(e) => return Err(file(Code::MalformedFrontmatter).diagnostic(&e)),
    };
    // A block of only blank lines or comments is an empty document: no fields.
    let map = match value {
        Value::Null => serde_json::Map::new(),
        Value::Object(map) => map,
        value => {
            return Err(Diagnostic::new(
                Code::FrontmatterNotMapping,
                path.site_path(),
                format!(
                    "the frontmatter must be a mapping of keys to values, not {}",
                    describe(&value)
                ),
            )
            .at_source_line(text, yaml_line)
            .with_hint("write `key: value` lines, such as `title: ...`"));
        }
    };
    let (front, more) = from_mapping(path, text, map, yaml_line);
    warnings.extend(more);
    Ok((front, warnings))
}

/// The frontmatter keys bulletin reads: written twice, which value stands is a question only
/// the author can answer.
const READ_KEYS: &[&str] = &[
    "title",
    "description",
    "author",
    "ms.date",
    "ms.author",
    "ms.service",
    "ms.topic",
    "id",
    "revision",
    "updated",
    "supersedes",
    "ms.custom",
    "zone_pivot_groups",
];

/// The frontmatter fields of a parsed mapping (a notice's frontmatter, or the `metadata`
/// of a YAML page) whose keys start on line `yaml_line` of `text`, with warnings about
/// unusable values.
pub fn from_mapping(
    path: &ContentPath,
    text: &str,
    map: serde_json::Map<String, Value>,
    yaml_line: u32,
) -> (FrontMatter, Vec<Diagnostic>) {
    let mut fields = Fields {
        map: map.into_iter().collect(),
        path,
        text,
        yaml_line,
        warnings: Vec::new(),
    };
    let front = FrontMatter {
        title: fields.string("title"),
        description: fields.string("description"),
        author: fields.string("author"),
        ms_date: fields.date("ms.date"),
        ms_author: fields.string("ms.author"),
        ms_service: fields.string("ms.service"),
        ms_topic: fields.string("ms.topic"),
        id: fields.id(),
        revision: fields.number("revision"),
        updated: fields.date("updated"),
        supersedes: fields.string("supersedes"),
        extra: BTreeMap::new(),
    };
    let warnings = std::mem::take(&mut fields.warnings);
    (
        FrontMatter {
            extra: fields.map,
            ..front
        },
        warnings,
    )
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "an empty value",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Takes known keys out of the mapping, leniently typed, warning about unusable values.
struct Fields<'a> {
    map: BTreeMap<String, Value>,
    path: &'a ContentPath,
    text: &'a str,
    yaml_line: u32,
    warnings: Vec<Diagnostic>,
}

impl Fields<'_> {
    fn string(&mut self, key: &str) -> Option<String> {
        match self.map.remove(key)? {
            Value::Null => None,
            Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            other => {
                self.warn(
                    key,
                    &format!("`{key}` should be text, not {}", describe(&other)),
                );
                None
            }
        }
    }

    fn number(&mut self, key: &str) -> Option<u64> {
        let raw = self.string(key)?;
        raw.parse().ok().or_else(|| {
            // YAML reads a number too large for 64 bits as a float (`1e+20`): quote what the
            // author wrote instead.
            let written = self
                .key_line(key)
                .and_then(|(_, line)| line.split_once(':'))
                .map_or(raw.clone(), |(_, value)| value.trim().to_string());
            self.warn(
                key,
                &format!(
                    "`{key}` should be a whole number from 0 to {}, not `{written}`",
                    u64::MAX
                ),
            );
            None
        })
    }

    fn date(&mut self, key: &str) -> Option<Date> {
        let raw = self.string(key)?;
        parse_numeric_day(&raw, true)
            .map_err(|why| {
                let message = match why {
                    NotADay::Shape => {
                        format!(
                            "`{key}` should be a date written MM/DD/YYYY or YYYY-MM-DD, not `{raw}`"
                        )
                    }
                    NotADay::Impossible(reason) => {
                        format!("`{key}: {raw}` is not a date: {reason}")
                    }
                };
                self.warn(key, &message);
            })
            .ok()
    }

    /// `id`: its slug names the advisory's folder, so it must fit in a file name. Unlike a
    /// slug bulletin derives, an id the author chose is not shortened behind their back.
    fn id(&mut self) -> Option<String> {
        let id = self.string("id")?;
        let bytes = slugify(&id).len();
        if bytes > MAX_SLUG_BYTES {
            let (line, value) = self
                .key_line("id")
                .map_or((self.yaml_line, ""), |(line, text)| {
                    (line, text.split_once(':').map_or("", |(_, v)| v.trim()))
                });
            self.warnings.push(
                Diagnostic::new(
                    Code::IdTooLong,
                    self.path.site_path(),
                    format!(
                        "this `id` makes a URL slug of {bytes} bytes; at most {MAX_SLUG_BYTES} fit in a folder name"
                    ),
                )
                .at_source_text(self.text, line, value)
                .with_hint("shorten the `id`"),
            );
        }
        Some(id)
    }

    /// The 1-based line on which `key:` is written, and its text.
    fn key_line(&self, key: &str) -> Option<(u32, &str)> {
        key_line(self.text, self.yaml_line..u32::MAX, key)
    }

    fn warn(&mut self, key: &str, message: &str) {
        let diagnostic = Diagnostic::new(Code::InvalidField, self.path.site_path(), message);
        let diagnostic = match self.key_line(key) {
            Some((line, text)) => {
                let value = text.split_once(':').map_or("", |(_, value)| value.trim());
                diagnostic.at_source_text(self.text, line, value)
            }
            None => diagnostic.at_source_line(self.text, self.yaml_line),
        };
        self.warnings.push(diagnostic);
    }
}

/// The first line among `lines` (1-based) of `text` on which `key:` is written, and its text.
pub fn key_line<'t>(
    text: &'t str,
    lines: std::ops::Range<u32>,
    key: &str,
) -> Option<(u32, &'t str)> {
    let prefix = format!("{key}:");
    text.lines()
        .zip(1u32..)
        .skip_while(|(_, n)| *n < lines.start)
        .take_while(|(_, n)| *n < lines.end)
        .find(|(l, _)| l.trim_start().starts_with(&prefix))
        .map(|(l, n)| (n, l))
}

/// The line on which the notice's frontmatter writes `key:`; `None` when it has no such
/// line (no frontmatter, or the key written another way, inside a `{...}` mapping).
pub fn notice_key_line(notice: &Notice, key: &str) -> Option<u32> {
    if !notice.has_frontmatter {
        return None;
    }
    key_line(&notice.source, YAML_LINE..notice.body_line, key).map(|(line, _)| line)
}

/// Parses `MM/DD/YYYY` (as Learn writes `ms.date`) or ISO `YYYY-MM-DD`.
pub fn parse_frontmatter_date(raw: &str) -> Option<Date> {
    parse_numeric_day(raw, true).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> ContentPath {
        ContentPath("notice.md".into())
    }

    #[test]
    fn splits_a_learn_notice() {
        let text =
            "---\ntitle: 'Hardening '\nms.date: 04/09/2025\nms.custom: x\n---\n\n# Heading\nbody\n";
        let split = split(&path(), text).expect("splits");
        let front = split.front.expect("has frontmatter");
        assert_eq!(front.title.as_deref(), Some("Hardening"));
        assert_eq!(front.ms_date, Date::new(2025, 4, 9).ok());
        assert_eq!(
            front.extra.get("ms.custom"),
            Some(&Value::String("x".into()))
        );
        assert_eq!(split.body_line, 7);
        assert_eq!(text[split.body_start..].lines().next(), Some("# Heading"));
    }

    #[test]
    fn malformed_yaml_names_the_file_line() {
        let text = "---\ntitle: ok\ndescription: [unclosed\nauthor: x\n---\nbody\n";
        let error = split(&path(), text).expect_err("fails");
        assert_eq!(error.code, Code::MalformedFrontmatter);
        assert!(matches!(error.line, Some(3..=5)), "line {:?}", error.line);
    }

    /// A key written twice that bulletin never reads is a warning (the page builds, the last
    /// value standing); a key it reads, written twice, stays an error.
    #[test]
    fn a_duplicate_key_is_an_error_only_when_bulletin_reads_it() {
        let text = "---\ntitle: Upgrade\nms.localizationpriority: high\nms.date: 07/12/2018\nms.localizationpriority: medium\n---\nbody\n";
        let read = split(&path(), text).expect("splits");
        let front = read.front.expect("has frontmatter");
        assert_eq!(front.title.as_deref(), Some("Upgrade"));
        assert_eq!(front.ms_date, Date::new(2018, 7, 12).ok());
        assert_eq!(
            front.extra.get("ms.localizationpriority"),
            Some(&Value::String("medium".into()))
        );
        let [warning] = read.warnings.as_slice() else {
            panic!("one warning: {:?}", read.warnings);
        };
        assert_eq!(warning.code, Code::InvalidField);
        assert_eq!(warning.line, Some(5));
        assert_eq!(warning.message, "`ms.localizationpriority` is set twice");
        for read in ["title: Other", "ms.date: 01/01/2020"] {
            let text = format!("---\ntitle: Upgrade\nms.date: 07/12/2018\n{read}\n---\nbody\n");
            let error = split(&path(), &text).expect_err(read);
            assert_eq!(error.code, Code::MalformedFrontmatter, "{read}");
            assert_eq!(error.line, Some(4), "{read}");
        }
    }

    #[test]
    fn a_block_indented_as_a_whole_parses() {
        // Valid YAML: every line starts with the same two spaces. It failed while the block
        // was trimmed before parsing, which unindented only its first line.
        let text = "---\n  title: Indented\n  ms.date: 01/02/2024\n  ms.custom:\n    - a\n  description: |\n    two\n    lines\n---\n\n# Heading\n";
        let split = split(&path(), text).expect("splits");
        assert!(split.warnings.is_empty(), "{:?}", split.warnings);
        let front = split.front.expect("has frontmatter");
        assert_eq!(front.title.as_deref(), Some("Indented"));
        assert_eq!(front.ms_date, Date::new(2024, 1, 2).ok());
        assert_eq!(front.description.as_deref(), Some("two\nlines"));
        assert_eq!(split.body_line, 11);
    }

    #[test]
    fn fields_of_an_indented_block_warn_at_their_line() {
        let split =
            split(&path(), "---\n  title: x\n  ms.date: 13/45/2023\n---\nbody").expect("splits");
        assert_eq!(split.warnings.len(), 1);
        assert_eq!(split.warnings[0].line, Some(3));
    }

    #[test]
    fn an_indented_block_that_is_broken_is_an_error_at_its_line() {
        let text = "---\n  title: x\n  ms.date: 01/02/2024\n    author: nobody\n---\nbody\n";
        let error = split(&path(), text).expect_err("fails");
        assert_eq!(error.code, Code::MalformedFrontmatter);
        assert_eq!(error.line, Some(4), "{}", error.message);
    }

    #[test]
    fn leading_blank_lines_keep_error_lines_right() {
        let text = "---\n\n\ntitle: ok\ndescription: [unclosed\n---\nbody\n";
        let error = split(&path(), text).expect_err("fails");
        assert!(matches!(error.line, Some(5..=6)), "line {:?}", error.line);
    }

    #[test]
    fn a_block_of_only_comments_is_empty() {
        for text in [
            "---\n# just a comment\n---\nbody",
            "---\n\n---\nbody",
            "---\n---\nbody",
        ] {
            let split = split(&path(), text).expect("splits");
            assert_eq!(split.front, Some(FrontMatter::default()), "{text:?}");
        }
    }

    #[test]
    fn unclosed_frontmatter_is_an_error_not_body() {
        let error = split(&path(), "---\ntitle: x\n\n# Body\n").expect_err("fails");
        assert_eq!(error.code, Code::UnclosedFrontmatter);
        assert_eq!(error.line, Some(1));
    }

    #[test]
    fn non_mapping_frontmatter_is_rejected() {
        let error = split(&path(), "---\n- a\n- b\n---\nbody").expect_err("fails");
        assert_eq!(error.code, Code::FrontmatterNotMapping);
        assert_eq!(error.line, Some(2));
    }

    #[test]
    fn bad_field_values_warn_with_their_line() {
        let split =
            split(&path(), "---\ntitle: x\nms.date: 13/45/2023\n---\nbody").expect("splits");
        assert_eq!(split.warnings.len(), 1);
        assert_eq!(split.warnings[0].code, Code::InvalidField);
        assert_eq!(split.warnings[0].line, Some(3));
    }

    #[test]
    fn numbers_too_large_are_quoted_as_written() {
        let split =
            split(&path(), "---\nrevision: 99999999999999999999\n---\nbody").expect("splits");
        assert_eq!(split.front.and_then(|f| f.revision), None);
        assert_eq!(split.warnings.len(), 1);
        assert_eq!(split.warnings[0].line, Some(2));
        assert!(
            split.warnings[0]
                .message
                .contains("not `99999999999999999999`"),
            "{}",
            split.warnings[0].message
        );
    }

    #[test]
    fn no_frontmatter_is_all_body() {
        let split = split(&path(), "# Title\n\ntext").expect("splits");
        assert!(split.front.is_none());
        assert_eq!(split.body_line, 1);
    }

    #[test]
    fn frontmatter_dates() {
        assert_eq!(
            parse_frontmatter_date("11/06/2023"),
            Date::new(2023, 11, 6).ok()
        );
        assert_eq!(
            parse_frontmatter_date("2024-09-23"),
            Date::new(2024, 9, 23).ok()
        );
        assert_eq!(parse_frontmatter_date("02/30/2025"), None);
        assert_eq!(parse_frontmatter_date("11/06/23"), None);
    }
}
