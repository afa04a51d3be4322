//! Diagnostics: what the build tells its user, with a stable code, a file and a line.
//!
//! Every stage reports problems as [`Diagnostic`] values instead of printing, so that the
//! binary can render them in the format a user or a CI system asks for, and so that tests can
//! assert on the exact code and location a user would see.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

/// How bad a diagnostic is. Errors fail the build; warnings fail it only under `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something suspicious that still produced output.
    Warning,
    /// Something that makes the output wrong; the build fails.
    Error,
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = ($id:literal, $name:literal, $severity:ident), )*) => {
        /// A stable diagnostic code. The README lists each with what to do about it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in README order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The short stable identifier, e.g. `B0302`.
            pub fn id(self) -> &'static str {
                match self { $(Code::$variant => $id,)* }
            }

            /// The kebab-case name, e.g. `unresolved-link`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity this code is reported with.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }
        }
    };
}

codes! {
    /// A file or folder under `content/` could not be read.
    Unreadable = ("B0101", "unreadable-file", Error),
    /// The frontmatter is not valid YAML.
    MalformedFrontmatter = ("B0102", "malformed-frontmatter", Error),
    /// The frontmatter parsed but is not a mapping of keys to values.
    FrontmatterNotMapping = ("B0103", "frontmatter-not-mapping", Error),
    /// A `---` opened frontmatter that never closes.
    UnclosedFrontmatter = ("B0104", "unclosed-frontmatter", Error),
    /// A notice has no frontmatter; its title comes from its first heading.
    MissingFrontmatter = ("B0105", "missing-frontmatter", Warning),
    /// A notice has no title in frontmatter nor a level-one heading.
    MissingTitle = ("B0106", "missing-title", Warning),
    /// A frontmatter field has a value of the wrong shape (e.g. `ms.date` not MM/DD/YYYY).
    InvalidField = ("B0107", "invalid-field", Warning),
    /// The file was not UTF-8; it was decoded from another encoding.
    Reencoded = ("B0108", "reencoded-text", Warning),
    /// Text damaged by a UTF-8/Windows-1252 round trip was repaired.
    MojibakeRepaired = ("B0109", "mojibake-repaired", Warning),
    /// A `.md` file holds binary data and was skipped.
    BinaryFile = ("B0110", "binary-file", Warning),
    /// The file is empty; it was skipped.
    EmptyFile = ("B0111", "empty-file", Warning),
    /// A symbolic link in `content/` points outside it or loops; it was skipped.
    SymlinkSkipped = ("B0112", "symlink-skipped", Warning),
    /// Two advisories would get the same page URL.
    DuplicateId = ("B0113", "duplicate-id", Error),
    /// `bulletin.yaml` or the products catalog is invalid.
    InvalidConfig = ("B0114", "invalid-config", Error),
    /// An asset a browser would run as a page (HTML, XML, script, an SVG with script) was
    /// not copied.
    ActiveAsset = ("B0115", "active-asset", Warning),
    /// An explicit `id` makes a URL slug too long to be a folder name.
    IdTooLong = ("B0116", "id-too-long", Error),
    /// A YAML file under `content/` that is no page bulletin renders (a `YamlMime` kind it
    /// does not know, or no kind at all); not published.
    UnpublishedYaml = ("B0117", "unpublished-yaml", Warning),
    /// An `[!INCLUDE]` points at a file that does not exist.
    MissingInclude = ("B0201", "missing-include", Warning),
    /// An `[!INCLUDE]` includes itself, directly or through other includes.
    IncludeCycle = ("B0202", "include-cycle", Error),
    /// An `[!INCLUDE]` points outside the content root (or is absolute); it was not read and
    /// a placeholder stands in its place.
    IncludeOutsideRoot = ("B0203", "include-outside-root", Warning),
    /// Elements nest deeper than the sanitiser follows; the deeper ones were unwrapped.
    NestingTooDeep = ("B0204", "nesting-too-deep", Warning),
    /// A `:::code` or `[!code]` snippet whose file does not exist, or whose `id` or `range`
    /// is not in it; a placeholder is shown.
    MissingSnippet = ("B0205", "missing-snippet", Warning),
    /// A DocFX construct bulletin does not render, or a `:::` directive left open or closing
    /// nothing; shown as readable text (or left out), never as markers.
    UnsupportedDocfx = ("B0206", "unsupported-docfx", Warning),
    /// A zone pivot, or a group named in `zone_pivot_groups`, that no
    /// `zone-pivot-groups.yml` defines.
    UnknownPivot = ("B0207", "unknown-pivot", Warning),
    /// A link to a `.md` file that is not in the corpus.
    UnresolvedLink = ("B0301", "unresolved-link", Warning),
    /// A link to a heading or anchor that does not exist on the target page.
    MissingAnchor = ("B0302", "missing-anchor", Warning),
    /// A date that does not exist (`February 30, 2025`).
    ImpossibleDate = ("B0401", "impossible-date", Warning),
    /// A product named in a notice is not in the catalog.
    UnknownProduct = ("B0402", "unknown-product", Warning),
    /// A requirement states a placeholder ("version X") instead of a version.
    PlaceholderVersion = ("B0403", "placeholder-version", Warning),
    /// A version number that cannot be used (a part too large, too many parts).
    InvalidVersion = ("B0404", "invalid-version", Warning),
    /// Nothing decides which revision of an advisory is the later one.
    UndecidedRevisions = ("B0501", "undecided-revisions", Warning),
    /// The git history of `content/` cannot be read (no repository, no git, git failed);
    /// revisions come from the files alone.
    HistoryUnavailable = ("B0601", "history-unavailable", Warning),
    /// The repository is a shallow clone: the history before its oldest commit is missing.
    ShallowHistory = ("B0602", "shallow-history", Warning),
    /// The theme's templates could not be loaded or rendered.
    Template = ("B0901", "template-error", Error),
    /// The output folder could not be written.
    Output = ("B0902", "output-error", Error),
    /// The output is not a folder a build may replace (the site's own files, a file, a
    /// link, a folder bulletin did not make); nothing was written.
    OutputRefused = ("B0903", "output-refused", Error),
    /// Another build (or `bulletin serve`) is writing the same output; nothing was written.
    OutputInUse = ("B0904", "output-in-use", Error),
    /// Neither `base_url` nor `site_url` is an absolute URL, which the sitemap protocol
    /// needs; `sitemap.xml` was not written.
    NoSiteUrl = ("B0905", "no-site-url", Warning),
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.id(), self.name())
    }
}

/// One problem found while building, pinned to a file and (where there is one) a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem this is.
    pub code: Code,
    /// A sentence for a person.
    pub message: String,
    /// The file, relative to the site root where possible.
    pub file: Option<PathBuf>,
    /// 1-based line in `file`.
    pub line: Option<u32>,
    /// The text of the offending line, shown under the message.
    pub snippet: Option<String>,
    /// Where the offending text is in `snippet` (a byte range), when the emitter knows it:
    /// the link, the include, the version, the date, the value of a key.
    pub span: Option<Range<u32>>,
    /// What would resolve it, given the settings in force; shown once for a group of the
    /// same diagnostic.
    pub hint: Option<Box<str>>,
}

impl Diagnostic {
    /// A diagnostic about `file` as a whole.
    pub fn new(code: Code, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            file: Some(file.into()),
            line: None,
            snippet: None,
            span: None,
            hint: None,
        }
    }

    /// A diagnostic about no file in particular.
    pub fn global(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            file: None,
            line: None,
            snippet: None,
            span: None,
            hint: None,
        }
    }

    /// Pins the diagnostic to a 1-based line.
    pub fn at_line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }

    /// Pins the diagnostic to a line and keeps that line's text from `source` for display.
    pub fn at_source_line(mut self, source: &str, line: u32) -> Self {
        self.line = Some(line);
        self.snippet = source
            .lines()
            .nth(line.saturating_sub(1) as usize)
            .map(|l| l.trim_end().to_string());
        self
    }

    /// Pins the diagnostic to `line` of `source` and, when the line holds `text` (ASCII case
    /// ignored; preferably as a whole word), to that text. Emitters that know what the
    /// offending text says but not where it is (extraction reads plain text, not source)
    /// use this; a line without it keeps the line only.
    pub fn at_source_text(self, source: &str, line: u32, text: &str) -> Self {
        let located = self.at_source_line(source, line);
        let span = located
            .snippet
            .as_deref()
            .and_then(|snippet| find_text(snippet, text))
            .and_then(narrow);
        Diagnostic { span, ..located }
    }

    /// Pins the diagnostic to the byte range `range` of `source` (the whole file): its line,
    /// and the part of the range on that line.
    pub fn at_source_range(mut self, source: &str, range: Range<usize>) -> Self {
        let Some(before) = source.get(..range.start) else {
            return self;
        };
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let snippet = source[line_start..]
            .lines()
            .next()
            .unwrap_or_default()
            .trim_end();
        let start = range.start - line_start;
        let end = range.end.saturating_sub(line_start).min(snippet.len());
        self.line = Some(u32::try_from(line).unwrap_or(u32::MAX));
        self.span = (start < end && snippet.is_char_boundary(end))
            .then_some(start..end)
            .and_then(narrow);
        self.snippet = Some(snippet.to_string());
        self
    }

    /// Adds what would resolve the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into().into_boxed_str());
        self
    }

    /// The offending text, when the diagnostic knows where it is.
    pub fn marked(&self) -> Option<&str> {
        self.snippet.as_deref()?.get(self.span_bytes()?)
    }

    /// [`Diagnostic::span`] as a range of `usize`, for slicing the snippet.
    pub fn span_bytes(&self) -> Option<Range<usize>> {
        let span = self.span.as_ref()?;
        Some(span.start as usize..span.end as usize)
    }

    /// The 1-based column (in characters) where the offending text starts, and the column
    /// just after it ends, when the diagnostic knows them.
    pub fn columns(&self) -> Option<(usize, usize)> {
        let snippet = self.snippet.as_deref()?;
        let span = self.span_bytes()?;
        let start = snippet.get(..span.start)?.chars().count() + 1;
        let end = start + snippet.get(span)?.chars().count();
        Some((start, end))
    }

    /// The severity of this diagnostic's code.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// `file:line`, `file` or nothing, for one-line displays.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?.display().to_string();
        Some(match self.line {
            Some(line) => format!("{file}:{line}"),
            None => file,
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity() {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{severity}[{}]: ", self.code)?;
        if let Some(location) = self.location() {
            write!(f, "{location}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// A byte range within a line, stored small: a line longer than 4 GiB gets no span.
fn narrow(range: Range<usize>) -> Option<Range<u32>> {
    Some(u32::try_from(range.start).ok()?..u32::try_from(range.end).ok()?)
}

/// Where `text` is in `line`: the first occurrence that stands as a whole word (nothing
/// alphanumeric on either side), else the first occurrence; ASCII case ignored.
fn find_text(line: &str, text: &str) -> Option<Range<usize>> {
    if text.is_empty() || text.len() > line.len() {
        return None;
    }
    let (haystack, needle) = (line.as_bytes(), text.as_bytes());
    let starts: Vec<usize> = (0..=haystack.len() - needle.len())
        .filter(|&i| line.is_char_boundary(i) && line.is_char_boundary(i + needle.len()))
        .filter(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
        .collect();
    let whole = |&i: &usize| {
        let before = line[..i].chars().next_back();
        let after = line[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    };
    let start = starts
        .iter()
        .copied()
        .find(whole)
        .or(starts.first().copied())?;
    Some(start..start + needle.len())
}

/// An I/O error in words: the system's sentence without its error number
/// (`No such file or directory (os error 2)` becomes `no such file or directory`).
pub fn io_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    let text = match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => &text[..at],
        _ => text.as_str(),
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Sorts diagnostics into a stable order (file, line, column, code, message) so repeated
/// builds and parallel stages report identically.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    let key = |d: &Diagnostic| d.span.as_ref().map(|s| s.start);
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, key(a), a.code, &a.message).cmp(&(
            &b.file,
            b.line,
            key(b),
            b.code,
            &b.message,
        ))
    });
}
