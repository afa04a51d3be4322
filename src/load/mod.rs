//! Stage 1, load: walk `content/`, decode each file, split frontmatter, group revisions.
//!
//! Everything the later stages read from disk is read here, so nothing outside the content
//! root can reach the output: includes are looked up among the files loaded here, never
//! opened by path.

pub mod asset;
pub mod decode;
pub mod frontmatter;
pub mod history;
pub mod identity;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic, io_reason};
use crate::model::{Advisory, CONTENT_DIR, ContentPath, Notice};
use decode::Decoded;

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub struct Corpus {
    /// The notices (pages), sorted by path.
    pub notices: Vec<Notice>,
    /// Markdown under an `includes/` folder: fragments for `[!INCLUDE]`, not pages.
    pub fragments: Vec<Notice>,
    /// Revisions grouped into advisories, sorted by first member path.
    pub advisories: Vec<Advisory>,
    /// Files copied to the output as they are (images, downloads), with their source paths.
    pub assets: Vec<(ContentPath, PathBuf)>,
    /// `_`-prefixed data files, by path.
    pub data: BTreeMap<ContentPath, PathBuf>,
}

impl Corpus {
    /// Every loaded Markdown file (notices and fragments) by path, for include lookups.
    pub fn markdown_by_path(&self) -> std::collections::HashMap<&str, &Notice> {
        self.notices
            .iter()
            .chain(&self.fragments)
            .map(|n| (n.path.as_str(), n))
            .collect()
    }
}

/// What a file under `content/` is to bulletin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Notice,
    Fragment,
    Data,
    Asset,
}

fn classify(path: &ContentPath) -> Kind {
    let name = path.file_name();
    let markdown = name.ends_with(".md") || name.ends_with(".markdown");
    if name.starts_with('_') {
        Kind::Data
    } else if markdown && path.as_str().split('/').any(|part| part == "includes") {
        Kind::Fragment
    } else if markdown {
        Kind::Notice
    } else {
        Kind::Asset
    }
}

/// Loads the content folder of the site at `root`; `docset_root` is the folder under it that
/// `~/` refers to.
pub fn load(root: &Path, docset_root: &str) -> (Corpus, Vec<Diagnostic>) {
    let content = root.join(CONTENT_DIR);
    let mut diagnostics = Vec::new();
    let mut corpus = Corpus::default();
    let canonical_root = match content.canonicalize() {
        Ok(root) => root,
        Err(e) => {
            diagnostics.push(Diagnostic::new(
                Code::Unreadable,
                CONTENT_DIR,
                format!("cannot read the content folder: {}", io_reason(&e)),
            ));
            return (corpus, diagnostics);
        }
    };
    let markdown = walk(&content, &canonical_root, &mut corpus, &mut diagnostics);

    let loaded: Vec<Loaded> = markdown
        .into_par_iter()
        .map(|(path, file, kind)| {
            let mut warnings = Vec::new();
            let notice = read_notice(path, &file, kind, &mut warnings);
            (kind, notice, warnings)
        })
        .collect();
    for (kind, notice, warnings) in loaded {
        diagnostics.extend(warnings);
        match notice {
            Ok(Some(notice)) if kind == Kind::Fragment => corpus.fragments.push(notice),
            Ok(Some(notice)) => corpus.notices.push(notice),
            Ok(None) => {}
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }

    let (advisories, grouping) = identity::group(&corpus.notices, docset_root);
    corpus.advisories = advisories;
    diagnostics.extend(grouping);
    (corpus, diagnostics)
}

/// Walks `content/` in name order, sorting what it finds into `corpus` (assets, data) and
/// returning the Markdown files to read, each with the real path to read it from.
///
/// Every entry is resolved to its real path and must lie under the real content root: a
/// symbolic link (or a folder reached through one) that leads outside is skipped with its
/// whole subtree, so nothing outside `content/` is ever read.
fn walk(
    content: &Path,
    canonical_root: &Path,
    corpus: &mut Corpus,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(ContentPath, PathBuf, Kind)> {
    let mut markdown = Vec::new();
    let mut walker = WalkDir::new(content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                diagnostics.push(walk_error(content, &e));
                continue;
            }
        };
        let real = match entry.path().canonicalize() {
            Ok(real) if real.starts_with(canonical_root) => real,
            Ok(_) => {
                diagnostics.push(Diagnostic::new(
                    Code::SymlinkSkipped,
                    site_relative(content, entry.path()),
                    "this symbolic link points outside content/; it was skipped",
                ));
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
            Err(e) => {
                diagnostics.push(Diagnostic::new(
                    Code::Unreadable,
                    site_relative(content, entry.path()),
                    format!("cannot read this: {}", io_reason(&e)),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(path) = content_path(content, entry.path()) else {
            continue;
        };
        match classify(&path) {
            Kind::Asset => {
                if let Some(skipped) = asset::check(&path, &real) {
                    diagnostics.push(skipped);
                } else {
                    corpus.assets.push((path, real));
                }
            }
            Kind::Data => {
                corpus.data.insert(path, real);
            }
            kind => markdown.push((path, real, kind)),
        }
    }
    markdown
}

/// One file read in parallel: its kind, the notice (or why not), and warnings.
type Loaded = (Kind, Result<Option<Notice>, Diagnostic>, Vec<Diagnostic>);

/// Reads one Markdown file. `Ok(None)` means it was skipped with a warning.
fn read_notice(
    path: ContentPath,
    file: &Path,
    kind: Kind,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<Notice>, Diagnostic> {
    let bytes = std::fs::read(file).map_err(|e| {
        Diagnostic::new(
            Code::Unreadable,
            path.site_path(),
            format!("cannot read this file: {}", io_reason(&e)),
        )
    })?;
    parse_notice(path, &bytes, kind, warnings)
}

/// A past version of a notice, from its bytes as committed: decoded and split as a file on
/// disk is. `None` when it cannot be read as a notice (binary, empty, broken frontmatter);
/// its warnings are dropped, since nobody can fix a committed version.
pub fn past_notice(path: ContentPath, bytes: &[u8]) -> Option<Notice> {
    parse_notice(path, bytes, Kind::Notice, &mut Vec::new())
        .ok()
        .flatten()
}

/// Decodes a Markdown file's bytes and splits its frontmatter. `Ok(None)` means it was
/// skipped with a warning.
fn parse_notice(
    path: ContentPath,
    bytes: &[u8],
    kind: Kind,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<Notice>, Diagnostic> {
    let (source, reencoded_from, repaired) = match decode::decode(bytes) {
        Decoded::Binary => {
            warnings.push(Diagnostic::new(
                Code::BinaryFile,
                path.site_path(),
                "this file holds binary data, not text; it was skipped",
            ));
            return Ok(None);
        }
        Decoded::Text {
            text,
            reencoded_from,
            repaired,
        } => (text, reencoded_from, repaired),
    };
    if source.trim().is_empty() {
        warnings.push(Diagnostic::new(
            Code::EmptyFile,
            path.site_path(),
            "this file is empty; it was skipped",
        ));
        return Ok(None);
    }
    if let Some(encoding) = reencoded_from {
        warnings.push(
            Diagnostic::new(
                Code::Reencoded,
                path.site_path(),
                format!("this file is not UTF-8; it was read as {encoding}"),
            )
            .with_hint("save it as UTF-8"),
        );
    }
    if let Some((count, at)) = repaired {
        let what = if count == 1 {
            "a character".to_string()
        } else {
            format!("{count} characters (the first is marked)")
        };
        warnings.push(
            Diagnostic::new(
                Code::MojibakeRepaired,
                path.site_path(),
                format!(
                    "repaired {what} damaged by a UTF-8/Windows-1252 round trip, such as `â€™` for `’`"
                ),
            )
            .at_source_range(&source, at)
            .with_hint("fix the source text: save it as UTF-8 with the characters as they were meant"),
        );
    }
    let split = frontmatter::split(&path, &source)?;
    warnings.extend(split.warnings);
    let has_frontmatter = split.front.is_some();
    if !has_frontmatter && kind == Kind::Notice {
        warnings.push(
            Diagnostic::new(
                Code::MissingFrontmatter,
                path.site_path(),
                "this notice has no frontmatter; its title comes from its first heading",
            )
            .at_line(1)
            .with_hint(
                "start the file with a `---` block holding at least `title:` and `ms.date:`",
            ),
        );
    }
    Ok(Some(Notice {
        path,
        body_start: split.body_start,
        body_line: split.body_line,
        front: split.front.unwrap_or_default(),
        has_frontmatter,
        source,
    }))
}

fn content_path(content: &Path, file: &Path) -> Option<ContentPath> {
    let relative = file.strip_prefix(content).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(ContentPath(parts.join("/")))
}

fn site_relative(content: &Path, file: &Path) -> PathBuf {
    match content_path(content, file) {
        Some(path) => path.site_path(),
        None => file.to_path_buf(),
    }
}

fn walk_error(content: &Path, error: &walkdir::Error) -> Diagnostic {
    let file = error
        .path()
        .map_or_else(|| PathBuf::from(CONTENT_DIR), |p| site_relative(content, p));
    if let Some(ancestor) = error.loop_ancestor() {
        return Diagnostic::new(
            Code::SymlinkSkipped,
            file,
            format!(
                "this symbolic link loops back to {}; it was skipped",
                site_relative(content, ancestor).display()
            ),
        );
    }
    let link_target = error
        .path()
        .filter(|p| p.is_symlink())
        .and_then(|p| std::fs::read_link(p).ok());
    if let (Some(target), Some(io)) = (&link_target, error.io_error()) {
        if is_symlink_loop(io) {
            return Diagnostic::new(
                Code::SymlinkSkipped,
                file,
                format!(
                    "this symbolic link (to {}) loops back through itself; it was skipped",
                    target.display()
                ),
            );
        }
        return Diagnostic::new(
            Code::Unreadable,
            file,
            format!(
                "this symbolic link points to {}, which cannot be read: {}",
                target.display(),
                io_reason(io)
            ),
        );
    }
    let reason = error
        .io_error()
        .map_or_else(|| error.to_string(), io_reason);
    Diagnostic::new(
        Code::Unreadable,
        file,
        format!("cannot read this: {reason}"),
    )
}

/// Whether resolving a path failed because symbolic links lead back to each other.
#[cfg(unix)]
fn is_symlink_loop(error: &std::io::Error) -> bool {
    rustix::io::Errno::from_io_error(error) == Some(rustix::io::Errno::LOOP)
}

/// Whether resolving a path failed because symbolic links lead back to each other.
#[cfg(not(unix))]
fn is_symlink_loop(_: &std::io::Error) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file can vanish, or turn out unreadable, between the walk and the read; the error
    /// names it and the build goes on to report everything else.
    #[test]
    fn a_file_gone_or_unreadable_after_the_walk_is_reported_by_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        for file in [dir.path().join("vanished.md"), dir.path().to_path_buf()] {
            let mut warnings = Vec::new();
            let error = read_notice(
                ContentPath("a/vanished.md".into()),
                &file,
                Kind::Notice,
                &mut warnings,
            )
            .expect_err("cannot be read");
            assert_eq!(error.code, Code::Unreadable);
            assert_eq!(
                error.file.as_deref(),
                Some(Path::new("content/a/vanished.md"))
            );
            assert!(warnings.is_empty());
        }
    }
}
