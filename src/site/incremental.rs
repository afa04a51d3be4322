//! What `bulletin serve` keeps from one build to the next, so that a rebuild redoes only
//! what a change touched: each notice's rendering and facts, and the key each output file
//! was made from.
//!
//! A notice is rendered again when its text changes or the text of a file it includes
//! changes. Everything else that rendering reads (settings, the catalog, which pages exist
//! and how revisions group into advisories) is summed up in one context key; when that
//! changes, every notice is rendered again.
//!
//! Past versions from git history are kept too, by blob and path: a committed text never
//! changes, so it is analysed once, and again only when the settings, the catalog or a file
//! it includes (read from the working tree) changes.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::load::Corpus;
use crate::markdown::Rendered;
use crate::model::{ContentPath, Facts, Notice};
use crate::render::output::{Keys, OutputLock};

/// State kept between builds; see [`super::rebuild`].
#[derive(Default)]
pub struct Incremental {
    pub(super) notices: NoticeCache,
    pub(super) past: PastCache,
    /// The keys of the files in the output, when the last build wrote it.
    pub(super) written: Option<Keys>,
    /// The output's lock, held from the first build on.
    pub(super) lock: Option<OutputLock>,
}

/// One notice's analysis: what the rest of the build needs from it.
#[derive(Debug, Clone)]
pub(super) struct Analysed {
    pub rendered: Rendered,
    pub facts: Facts,
    pub headings: Vec<String>,
}

/// An analysis and the texts it was made from (the notice's, then each include's).
struct Entry {
    sources: Vec<(String, String)>,
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
    pub fn context(config: &SiteConfig, catalog_text: &[u8], corpus: &Corpus) -> u64 {
        let mut hasher = DefaultHasher::new();
        format!("{config:?}").hash(&mut hasher);
        catalog_text.hash(&mut hasher);
        for notice in corpus.notices.iter().chain(&corpus.fragments) {
            notice.path.as_str().hash(&mut hasher);
        }
        for advisory in &corpus.advisories {
            advisory.id.hash(&mut hasher);
            advisory.members.hash(&mut hasher);
        }
        hasher.finish()
    }

    /// The previous analysis of `notice`, if it still stands under `context`: its text and
    /// its includes' texts are unchanged.
    pub fn get(
        &self,
        context: u64,
        notice: &Notice,
        files: &HashMap<&str, &Notice>,
    ) -> Option<&Analysed> {
        if context != self.context {
            return None;
        }
        let entry = self.entries.get(notice.path.as_str())?;
        let unchanged = entry.sources.iter().all(|(path, source)| {
            files
                .get(path.as_str())
                .is_some_and(|file| file.source == *source)
        });
        unchanged.then_some(&entry.analysed)
    }

    /// Replaces the cache with this build's analyses.
    pub fn store(
        &mut self,
        context: u64,
        notices: &[Notice],
        files: &HashMap<&str, &Notice>,
        analysed: &[Analysed],
    ) {
        self.context = context;
        self.entries = notices
            .iter()
            .zip(analysed)
            .map(|(notice, analysed)| {
                let sources = std::iter::once(notice.path.as_str())
                    .chain(analysed.rendered.includes.iter().map(String::as_str))
                    .filter_map(|path| {
                        files
                            .get(path)
                            .map(|file| (path.to_string(), file.source.clone()))
                    })
                    .collect();
                (
                    notice.path.as_str().to_string(),
                    Entry {
                        sources,
                        analysed: analysed.clone(),
                    },
                )
            })
            .collect();
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
}

/// A hash of a text, to tell whether an include changed.
fn text_hash(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

impl PastCache {
    /// The key of what besides its own text and its includes' a past version's facts
    /// depend on: the settings, the catalog, and which Markdown files there are (an include
    /// that was missing may appear).
    pub fn context(config: &SiteConfig, catalog_text: &[u8], corpus: &Corpus) -> u64 {
        let mut hasher = DefaultHasher::new();
        format!("{config:?}").hash(&mut hasher);
        catalog_text.hash(&mut hasher);
        for notice in corpus.notices.iter().chain(&corpus.fragments) {
            notice.path.as_str().hash(&mut hasher);
        }
        hasher.finish()
    }

    /// Starts a build under `context`: forgets everything when it changed.
    pub fn begin(&mut self, context: u64) {
        if context != self.context {
            self.context = context;
            self.entries.clear();
        }
    }

    /// The analysis of blob `blob` at `path`, if it still stands: the files it includes are
    /// unchanged.
    pub fn get(
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
    pub fn insert(
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
    }

    /// Forgets the versions this build did not use.
    pub fn retain(&mut self, used: &std::collections::HashSet<(String, ContentPath)>) {
        self.entries.retain(|key, _| used.contains(key));
    }
}
