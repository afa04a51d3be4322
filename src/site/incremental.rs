//! What `bulletin serve` keeps from one build to the next, so that a rebuild redoes only
//! what a change touched: each notice's rendering and facts, and the key each output file
//! was made from.
//!
//! A notice is rendered again when its text changes, the text of a file it includes
//! changes, or a file a code snippet of it is taken from changes (or appears or goes). Everything else that rendering reads (settings, the catalog, which pages exist
//! and how revisions group into advisories) is summed up in one context key; when that
//! changes, every notice is rendered again.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::config::SiteConfig;
use crate::load::{Corpus, SourceFiles};
use crate::markdown::Rendered;
use crate::model::{Facts, Notice};
use crate::render::output::{Keys, OutputLock};

/// State kept between builds; see [`super::rebuild`].
#[derive(Default)]
pub struct Incremental {
    pub(super) notices: NoticeCache,
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

/// An analysis and the texts it was made from (the notice's, then each include's), and
/// the text of each file its code snippets named (`None`: there was none).
struct Entry {
    sources: Vec<(String, String)>,
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
        // Zones are labelled, and pivot selectors made, from the pivot definitions.
        format!("{:?}", corpus.pivot_groups).hash(&mut hasher);
        hasher.finish()
    }

    /// The previous analysis of `notice`, if it still stands under `context`: its text, its
    /// includes' texts and its snippets' files are unchanged.
    pub fn get(
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
        let unchanged = entry.sources.iter().all(|(path, source)| {
            files
                .get(path.as_str())
                .is_some_and(|file| file.source == *source)
        }) && entry
            .snippets
            .iter()
            .all(|(path, text)| snippets.text(path) == text.as_deref());
        unchanged.then_some(&entry.analysed)
    }

    /// Replaces the cache with this build's analyses.
    pub fn store(
        &mut self,
        context: u64,
        notices: &[Notice],
        files: &HashMap<&str, &Notice>,
        snippets: &SourceFiles,
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
                let snippets = analysed
                    .rendered
                    .snippets
                    .iter()
                    .map(|path| (path.clone(), snippets.text(path).map(str::to_string)))
                    .collect();
                (
                    notice.path.as_str().to_string(),
                    Entry {
                        sources,
                        snippets,
                        analysed: analysed.clone(),
                    },
                )
            })
            .collect();
    }
}
