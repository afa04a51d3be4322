//! What `bulletin serve` keeps from one build to the next, so that a rebuild redoes only
//! what a change touched: each Markdown file as read (while its size and modification time
//! hold, see `load::cache`), each notice's rendering and facts, and the key each output file
//! was made from.
//!
//! A notice is rendered again when its text changes, the text of a file it includes
//! changes, or a file a code snippet of it is taken from changes (or appears or goes). Everything else that rendering reads (settings, the catalog, which pages exist
//! and how revisions group into advisories) is summed up in one context key; when that
//! changes, every notice is rendered again.
//!
//! Past versions from git history are kept too, by blob and path: a committed text never
//! changes, so it is analysed once, and again only when the settings, the catalog or a file
//! it includes (read from the working tree) changes. They are also kept between builds, in
//! the repository's git folder (`.git/bulletin/`), so that a build analyses only the
//! versions committed since the last one; the file is an optimisation, read only when it
//! was made by this very bulletin binary under the same settings, and rebuilt otherwise.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::config::SiteConfig;
use crate::load::{Corpus, SourceFiles};
use crate::markdown::Rendered;
use crate::model::{ContentPath, Facts, FrontMatter, Notice};
use crate::render::output::{Keys, OutputLock};

/// State kept between builds; see [`super::rebuild`].
#[derive(Default)]
pub struct Incremental {
    /// The Markdown files as last read.
    pub(super) load: crate::load::cache::LoadCache,
    pub(super) notices: NoticeCache,
    pub(super) past: PastCache,
    /// The keys of the files in the output, when the last build wrote it.
    pub(super) written: Option<Keys>,
    /// The output's lock, held from the first build on.
    pub(super) lock: Option<OutputLock>,
}

/// One notice's analysis: what the rest of the build needs from it. The rendering, the
/// bulk of it, is shared between the cache and the build rather than copied.
#[derive(Debug, Clone)]
pub(super) struct Analysed {
    pub rendered: Arc<Rendered>,
    pub facts: Facts,
    pub headings: Vec<String>,
}

/// An analysis and a hash of each text it was made from (the notice's, then each
/// include's), and the text of each file its code snippets named (`None`: there was none).
struct Entry {
    sources: Vec<(String, u64)>,
    snippets: Vec<(String, Option<String>)>,
    analysed: Analysed,
}

/// Analyses from the previous build, valid while the context key holds.
#[derive(Default)]
pub(super) struct NoticeCache {
    context: u64,
    entries: HashMap<String, Entry>,
}

impl NoticeCache {
    /// The key of everything besides a notice's own text that its analysis reads.
    pub(super) fn context(config: &SiteConfig, catalog_text: &[u8], corpus: &Corpus) -> u64 {
        let mut hasher = DefaultHasher::new();
        config.hash(&mut hasher);
        catalog_text.hash(&mut hasher);
        for notice in corpus.notices.iter().chain(&corpus.fragments) {
            notice.path.as_str().hash(&mut hasher);
        }
        for advisory in &corpus.advisories {
            advisory.id.hash(&mut hasher);
            advisory.members.hash(&mut hasher);
        }
        // Zones are labelled, and pivot selectors made, from the pivot definitions.
        corpus.pivot_groups.hash(&mut hasher);
        hasher.finish()
    }

    /// The previous analysis of `notice`, if it still stands under `context`: its text, its
    /// includes' texts and its snippets' files are unchanged.
    pub(super) fn get(
        &self,
        context: u64,
        notice: &Notice,
        files: &HashMap<&str, &Notice>,
        snippets: &SourceFiles,
    ) -> Option<&Analysed> {
        if context != self.context {
            return None;
        }
        let entry = self.entries.get(notice.path.as_str())?;
        let unchanged = entry.sources.iter().all(|(path, hash)| {
            files
                .get(path.as_str())
                .is_some_and(|file| text_hash(&file.source) == *hash)
        }) && entry
            .snippets
            .iter()
            .all(|(path, text)| snippets.text(path) == text.as_deref());
        unchanged.then_some(&entry.analysed)
    }

    /// Keeps this build's analyses: under the same context, the entries of analyses taken
    /// from the cache stand as they are (their texts were just found unchanged) and only the
    /// fresh ones (`true` beside them) are stored; under a new context, all of them.
    pub(super) fn store(
        &mut self,
        context: u64,
        notices: &[Notice],
        files: &HashMap<&str, &Notice>,
        snippets: &SourceFiles,
        analysed: &[(Analysed, bool)],
    ) {
        if context != self.context {
            self.context = context;
            self.entries.clear();
        } else {
            let present: HashSet<&str> = notices.iter().map(|n| n.path.as_str()).collect();
            self.entries
                .retain(|path, _| present.contains(path.as_str()));
        }
        for (notice, (analysed, fresh)) in notices.iter().zip(analysed) {
            if !fresh && self.entries.contains_key(notice.path.as_str()) {
                continue;
            }
            let sources = std::iter::once(notice.path.as_str())
                .chain(analysed.rendered.includes.iter().map(String::as_str))
                .filter_map(|path| {
                    files
                        .get(path)
                        .map(|file| (path.to_string(), text_hash(&file.source)))
                })
                .collect();
            let snippets = analysed
                .rendered
                .snippets
                .iter()
                .map(|path| (path.clone(), snippets.text(path).map(str::to_string)))
                .collect();
            self.entries.insert(
                notice.path.as_str().to_string(),
                Entry {
                    sources,
                    snippets,
                    analysed: analysed.clone(),
                },
            );
        }
    }
}

/// What a past version of a notice says: what reconciling and the change log read.
#[derive(Debug, Clone)]
pub(super) struct Past {
    /// The version as a notice: its path then and its frontmatter (its text is not kept).
    pub notice: Notice,
    /// Its title: frontmatter `title`, else its first heading, else its file name.
    pub title: String,
    /// Its facts.
    pub facts: Facts,
}

/// A past version's analysis and the includes it read, each with a hash of its text.
struct PastEntry {
    includes: Vec<(String, u64)>,
    past: Arc<Past>,
}

/// Past versions' analyses by blob and path, valid while the context key holds.
#[derive(Default)]
pub(super) struct PastCache {
    context: u64,
    entries: HashMap<(String, ContentPath), PastEntry>,
    /// The file it is kept in between builds, once known.
    file: Option<PathBuf>,
    /// Whether it changed since it was read or saved.
    dirty: bool,
}

/// A past version's analysis as the cache file keeps it.
#[derive(Serialize, Deserialize)]
struct Stored {
    blob: String,
    path: ContentPath,
    includes: Vec<(String, u64)>,
    front: FrontMatter,
    has_frontmatter: bool,
    title: String,
    facts: Facts,
}

/// The cache file: what made it, and its analyses.
#[derive(Serialize, Deserialize)]
struct StoredCache {
    made_by: String,
    context: u64,
    entries: Vec<Stored>,
}

/// What identifies the analyses this binary makes: its version, and its executable's size
/// and time, so that a rebuilt bulletin (whose extraction may read differently) does not
/// trust what an earlier one stored. `None` when the executable cannot be found.
fn made_by() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "bulletin {} {} {}",
        env!("CARGO_PKG_VERSION"),
        meta.len(),
        modified.as_nanos()
    ))
}

/// A hash of a text, to tell whether an include changed.
fn text_hash(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

impl PastCache {
    /// The key of what besides its own text and its includes' a past version's facts
    /// depend on: the settings, the catalog, which Markdown files there are (an include
    /// that was missing may appear), and the pivot definitions zones are read with. (Code
    /// snippets never give facts.)
    pub(super) fn context(config: &SiteConfig, catalog_text: &[u8], corpus: &Corpus) -> u64 {
        let mut hasher = DefaultHasher::new();
        config.hash(&mut hasher);
        catalog_text.hash(&mut hasher);
        for notice in corpus.notices.iter().chain(&corpus.fragments) {
            notice.path.as_str().hash(&mut hasher);
        }
        corpus.pivot_groups.hash(&mut hasher);
        hasher.finish()
    }

    /// Starts a build under `context`, kept in `file` between builds: forgets everything
    /// when the context changed, and reads the file when nothing is held yet.
    pub(super) fn begin(&mut self, context: u64, file: PathBuf) {
        if context != self.context {
            self.context = context;
            self.entries.clear();
        }
        if self.entries.is_empty()
            && let Some(stored) = read_stored(&file, context)
        {
            self.entries = stored;
        }
        self.file = Some(file);
    }

    /// Keeps the cache in its file when it changed. A cache that cannot be written only
    /// costs the next build time, so a failure is not reported.
    pub(super) fn save(&mut self) {
        let (true, Some(file), Some(made_by)) = (self.dirty, &self.file, made_by()) else {
            return;
        };
        let mut entries: Vec<Stored> = self
            .entries
            .iter()
            .map(|((blob, path), entry)| Stored {
                blob: blob.clone(),
                path: path.clone(),
                includes: entry.includes.clone(),
                front: entry.past.notice.front.clone(),
                has_frontmatter: entry.past.notice.has_frontmatter,
                title: entry.past.title.clone(),
                facts: entry.past.facts.clone(),
            })
            .collect();
        entries.sort_by(|a, b| (&a.blob, &a.path).cmp(&(&b.blob, &b.path)));
        let stored = StoredCache {
            made_by,
            context: self.context,
            entries,
        };
        if write_stored(file, &stored).is_ok() {
            self.dirty = false;
        }
    }

    /// The analysis of blob `blob` at `path`, if it still stands: the files it includes are
    /// unchanged.
    pub(super) fn get(
        &self,
        blob: &str,
        path: &ContentPath,
        files: &HashMap<&str, &Notice>,
    ) -> Option<Arc<Past>> {
        let entry = self.entries.get(&(blob.to_string(), path.clone()))?;
        let unchanged = entry.includes.iter().all(|(include, hash)| {
            files
                .get(include.as_str())
                .is_some_and(|file| text_hash(&file.source) == *hash)
        });
        unchanged.then(|| Arc::clone(&entry.past))
    }

    /// Keeps the analysis of blob `blob` at `path`, which read `includes`.
    pub(super) fn insert(
        &mut self,
        blob: String,
        past: Arc<Past>,
        includes: &[String],
        files: &HashMap<&str, &Notice>,
    ) {
        let includes = includes
            .iter()
            .filter_map(|path| {
                files
                    .get(path.as_str())
                    .map(|file| (path.clone(), text_hash(&file.source)))
            })
            .collect();
        self.entries.insert(
            (blob, past.notice.path.clone()),
            PastEntry { includes, past },
        );
        self.dirty = true;
    }

    /// Forgets the versions this build did not use.
    pub(super) fn retain(&mut self, used: &std::collections::HashSet<(String, ContentPath)>) {
        let before = self.entries.len();
        self.entries.retain(|key, _| used.contains(key));
        self.dirty |= self.entries.len() != before;
    }
}

/// The analyses in the cache file, when this binary made it under `context`.
fn read_stored(file: &Path, context: u64) -> Option<HashMap<(String, ContentPath), PastEntry>> {
    let text = std::fs::read(file).ok()?;
    let stored: StoredCache = serde_json::from_slice(&text).ok()?;
    if stored.context != context || Some(stored.made_by) != made_by() {
        return None;
    }
    Some(
        stored
            .entries
            .into_iter()
            .map(|s| {
                let past = Past {
                    notice: Notice {
                        path: s.path.clone(),
                        source: String::new(),
                        body_start: 0,
                        body_line: 1,
                        front: s.front,
                        has_frontmatter: s.has_frontmatter,
                    },
                    title: s.title,
                    facts: s.facts,
                };
                (
                    (s.blob, s.path),
                    PastEntry {
                        includes: s.includes,
                        past: Arc::new(past),
                    },
                )
            })
            .collect(),
    )
}

/// Writes the cache file whole: to a temporary file beside it, then renamed over it, so a
/// build that stops half way never leaves half a file.
fn write_stored(file: &Path, stored: &StoredCache) -> std::io::Result<()> {
    let folder = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut temporary = tempfile::NamedTempFile::new_in(folder)?;
    serde_json::to_writer(std::io::BufWriter::new(temporary.as_file_mut()), stored)?;
    temporary.persist(file).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the cache file keeps reads back as it was, and only for the same context.
    #[test]
    fn the_cache_file_keeps_past_analyses() {
        let site = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(site.path().join("content")).expect("content");
        std::fs::write(
            site.path().join("content/a.md"),
            "---\ntitle: Upgrade\nms.date: 01/02/2025\n---\n\n# Upgrade\n\nYou must upgrade Contoso Agent to version 2.1.0 or later by March 31, 2025.\n",
        )
        .expect("notice");
        let analysis = crate::site::analyse(
            &crate::site::BuildOptions {
                root: site.path().to_path_buf(),
                ..Default::default()
            },
            &mut Vec::new(),
        )
        .expect("analysed");
        let facts = analysis.facts[0].clone();
        assert_eq!(facts.requirements.len(), 1, "{facts:?}");
        assert_eq!(facts.milestones.len(), 1, "{facts:?}");
        let notice = &analysis.corpus.notices[0];
        let corpus = &analysis.corpus;
        let index = crate::markdown::RenderIndex::new(
            &corpus.notices,
            &corpus.fragments,
            &corpus.advisories,
        );
        let files = &index.files;
        let file = site.path().join("cache/history.json");
        let mut cache = PastCache::default();
        cache.begin(7, file.clone());
        cache.insert(
            "b1".to_string(),
            Arc::new(Past {
                notice: notice.clone(),
                title: "Upgrade".to_string(),
                facts: facts.clone(),
            }),
            &[],
            files,
        );
        cache.save();
        let mut read = PastCache::default();
        read.begin(7, file.clone());
        let past = read.get("b1", &notice.path, files).expect("kept");
        assert_eq!(past.facts, facts);
        assert_eq!(past.notice.front, notice.front);
        let mut other = PastCache::default();
        other.begin(8, file);
        assert!(other.get("b1", &notice.path, files).is_none());
    }
}
