//! Stage 1, load: walk `content/`, decode each file, split frontmatter, group revisions.
//!
//! Everything the later stages read from disk is read here, so nothing outside the content
//! root can reach the output: includes are looked up among the files loaded here, never
//! opened by path.

pub mod asset;
pub mod cache;
pub mod decode;
pub mod frontmatter;
pub mod history;
pub mod identity;
pub mod yaml;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic, io_reason};
use crate::model::{Advisory, CONTENT_DIR, ContentPath, Notice, PivotGroup, Toc};
use cache::{LoadCache, Stamp};
use decode::Decoded;
use yaml::YamlFile;

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
    /// Every file that is not Markdown, for code snippets to be taken from.
    pub sources: SourceFiles,
    /// The zone pivot groups `zone-pivot-groups.yml` files define.
    pub pivot_groups: Vec<PivotGroup>,
    /// The tables of contents (`toc.yml`), sorted by path.
    pub tocs: Vec<Toc>,
}

/// The files under `content/` that are not Markdown (assets, data, files not copied), read
/// only when a code snippet names one, and then once.
#[derive(Debug, Default)]
pub struct SourceFiles {
    files: HashMap<String, (PathBuf, OnceLock<Option<String>>)>,
}

impl SourceFiles {
    /// Adds the file at content path `path`, to be read from `real`.
    pub fn insert(&mut self, path: &ContentPath, real: PathBuf) {
        self.files
            .insert(path.as_str().to_string(), (real, OnceLock::new()));
    }

    /// The text of the file at content path `path`; `None` when there is no such file, or it
    /// cannot be read or is not text.
    pub fn text(&self, path: &str) -> Option<&str> {
        let (real, text) = self.files.get(path)?;
        text.get_or_init(|| {
            let bytes = std::fs::read(real).ok()?;
            match decode::decode(&bytes) {
                Decoded::Text { text, .. } => Some(text),
                Decoded::Binary => None,
            }
        })
        .as_deref()
    }
}

/// What a file under `content/` is to bulletin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Notice,
    Fragment,
    Data,
    Asset,
    /// A `.yml` file: a page, navigation, pivot definitions or plain YAML.
    Yaml,
}

fn classify(path: &ContentPath) -> Kind {
    let name = path.file_name();
    let markdown = name.ends_with(".md") || name.ends_with(".markdown");
    if name.starts_with('_') {
        Kind::Data
    } else if name.to_ascii_lowercase().ends_with(".yml") {
        Kind::Yaml
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
    load_cached(root, docset_root, None)
}

/// As [`load`], taking the Markdown files that have not changed since the last load from
/// `cache` (and keeping what it reads there), for `bulletin serve`.
pub fn load_cached(
    root: &Path,
    docset_root: &str,
    cache: Option<&LoadCache>,
) -> (Corpus, Vec<Diagnostic>) {
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
    if let Some(cache) = cache {
        let seen: HashSet<(String, PathBuf)> = markdown
            .iter()
            .map(|(path, file, _)| (path.as_str().to_string(), file.clone()))
            .collect();
        cache.retain(&seen);
    }

    let loaded: Vec<Loaded> = markdown
        .into_par_iter()
        .map(|(path, file, kind)| {
            if kind == Kind::Yaml {
                let mut warnings = Vec::new();
                let read = read_yaml(path, file, &mut warnings);
                return (kind, read, warnings);
            }
            let (read, warnings) = match cache.zip(Stamp::of(&file)) {
                Some((cache, stamp)) => cache.get(&path, &file, stamp).unwrap_or_else(|| {
                    let outcome = read_markdown(path.clone(), &file, kind);
                    cache.put(&path, &file, stamp, &outcome);
                    outcome
                }),
                None => read_markdown(path, &file, kind),
            };
            (kind, read.map(|n| n.map(Read::Notice)), warnings)
        })
        .collect();
    for (kind, read, warnings) in loaded {
        diagnostics.extend(warnings);
        match read {
            Ok(Some(Read::Notice(notice))) if kind == Kind::Fragment => {
                corpus.fragments.push(notice)
            }
            Ok(Some(Read::Notice(notice))) => corpus.notices.push(notice),
            Ok(Some(Read::Yaml(file, yaml))) => match yaml {
                YamlFile::Page(notice, warnings) => {
                    diagnostics.extend(warnings);
                    corpus.notices.push(*notice);
                }
                YamlFile::PivotGroups(groups) => corpus.pivot_groups.extend(groups),
                YamlFile::Toc(toc) => corpus.tocs.push(toc),
                YamlFile::Unpublished(diagnostic) => diagnostics.push(diagnostic),
                YamlFile::Plain => corpus.assets.push(file),
            },
            Ok(None) => {}
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    corpus.assets.sort();

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
        if !matches!(classify(&path), Kind::Notice | Kind::Fragment) {
            corpus.sources.insert(&path, real.clone());
        }
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

/// What reading one file gave.
enum Read {
    Notice(Notice),
    /// A `.yml` file (its path and where to read it from, for when it is an ordinary file),
    /// and what it is.
    Yaml((ContentPath, PathBuf), YamlFile),
}

/// One file read in parallel: its kind, what it is (or why not), and warnings.
type Loaded = (Kind, Result<Option<Read>, Diagnostic>, Vec<Diagnostic>);

/// Reads one `.yml` file. `Ok(None)` means it was skipped with a warning.
fn read_yaml(
    path: ContentPath,
    file: PathBuf,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<Read>, Diagnostic> {
    let Some(text) = read_text(&path, &file, warnings)? else {
        return Ok(None);
    };
    let yaml = yaml::read(&path, &text);
    Ok(Some(Read::Yaml((path, file), yaml)))
}

/// Reads one Markdown file, with its warnings.
fn read_markdown(path: ContentPath, file: &Path, kind: Kind) -> cache::Outcome {
    let mut warnings = Vec::new();
    let read = read_notice(path, file, kind, &mut warnings);
    (read, warnings)
}

/// Reads one Markdown file. `Ok(None)` means it was skipped with a warning.
fn read_notice(
    path: ContentPath,
    file: &Path,
    kind: Kind,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<Notice>, Diagnostic> {
    let Some(source) = read_text(&path, file, warnings)? else {
        return Ok(None);
    };
    notice(path, source, kind, warnings).map(Some)
}

/// A Markdown file's decoded text split into frontmatter and body.
fn notice(
    path: ContentPath,
    source: String,
    kind: Kind,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Notice, Diagnostic> {
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
    Ok(Notice {
        path,
        body_start: split.body_start,
        body_line: split.body_line,
        front: split.front.unwrap_or_default(),
        has_frontmatter,
        source,
    })
}

/// A past version of a notice, from its bytes as committed: decoded and split as a file on
/// disk is. `None` when it cannot be read as a notice (binary, empty, broken frontmatter);
/// its warnings are dropped, since nobody can fix a committed version.
pub fn past_notice(path: ContentPath, bytes: &[u8]) -> Option<Notice> {
    let mut dropped = Vec::new();
    let source = decode_text(&path, bytes, &mut dropped)?;
    notice(path, source, Kind::Notice, &mut dropped).ok()
}

/// Reads and decodes a text file; `Ok(None)` when it is binary or empty (with a warning).
fn read_text(
    path: &ContentPath,
    file: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<String>, Diagnostic> {
    let bytes = std::fs::read(file).map_err(|e| {
        Diagnostic::new(
            Code::Unreadable,
            path.site_path(),
            format!("cannot read this file: {}", io_reason(&e)),
        )
    })?;
    Ok(decode_text(path, &bytes, warnings))
}

/// Decodes a text file's bytes; `None` when they are binary or empty (with a warning).
fn decode_text(path: &ContentPath, bytes: &[u8], warnings: &mut Vec<Diagnostic>) -> Option<String> {
    let (source, reencoded_from, repaired) = match decode::decode(bytes) {
        Decoded::Binary => {
            warnings.push(Diagnostic::new(
                Code::BinaryFile,
                path.site_path(),
                "this file holds binary data, not text; it was skipped",
            ));
            return None;
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
        return None;
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
    Some(source)
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
