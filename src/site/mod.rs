//! The build: runs the stages in order and decides whether the output is written.
//!
//! load -> markdown -> extract -> reconcile -> policy -> render. This module owns only the
//! order and the hand-offs; each stage owns its own work.

mod history;
mod incremental;
pub mod output_guard;
mod views;

pub use history::{RevisionPage, SiteHistory};
pub use incremental::Incremental;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::catalog::{CATALOG_FILE, Catalog};
use crate::config::{CONFIG_FILE, SiteConfig};
use crate::diagnostic::{self, Code, Diagnostic, Severity};
use crate::extract;
use crate::load::{self, Corpus};
use crate::markdown::sanitize::Sanitizer;
use crate::markdown::toc::Navigation;
use crate::markdown::{self, RenderIndex, Rendered};
use crate::model::{BlockKind, CONTENT_DIR, ContentPath, Facts, Notice};
use crate::routes::Routes;

use crate::policy::feed::Feed;
use crate::policy::{self, FeedInput};
use crate::reconcile::{self, OrderBasis, Reconciled};
use crate::render::output::{OutputError, OutputLock, Staging, value_key};
use crate::render::subscriptions;
use crate::render::theme::Theme;
use crate::render::{self, Renderer};
use incremental::{Analysed, NoticeCache, PastCache};
use views::Views;

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site root: holds `content/`, optionally `bulletin.yaml` and `themes/`.
    pub root: PathBuf,
    /// Where the site goes; `<root>/public` by default.
    pub output: Option<PathBuf>,
    /// Treat warnings as errors.
    pub strict: bool,
    /// `SOURCE_DATE_EPOCH`: the feed's `generated_at`, in seconds since 1970. When unset,
    /// the newest notice date stands in, so the feed never depends on the clock.
    pub source_date_epoch: Option<i64>,
    /// "Today" for the pages (days left, past deadlines). When unset, the newest notice date.
    pub today: Option<jiff::civil::Date>,
    /// Overrides `base_url` from the settings (`bulletin serve` serves from `/`).
    pub base_url: Option<String>,
    /// Read revisions from the git history of `content/`, unless `history: off` in the
    /// settings. The command line's default (`--no-history` clears it); a library build
    /// reads the files alone unless asked.
    pub history: bool,
}

/// How a build went.
#[derive(Debug)]
pub struct BuildReport {
    /// Every diagnostic, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the output folder was replaced.
    pub written: bool,
    /// The output folder.
    pub output: PathBuf,
    /// How many notices were built.
    pub notices: usize,
    /// How many advisories.
    pub advisories: usize,
}

impl BuildReport {
    /// Whether the build refused to touch its output at all (B0903, B0904): a usage error
    /// rather than a failed build.
    pub fn refused(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| matches!(d.code, Code::OutputRefused | Code::OutputInUse))
    }

    /// How many diagnostics have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity() == severity)
            .count()
    }
}

/// Everything the pipeline knows about a site, before anything is rendered.
pub struct Analysis {
    /// Settings.
    pub config: SiteConfig,
    /// The product catalog.
    pub catalog: Catalog,
    /// What was loaded.
    pub corpus: Corpus,
    /// Each notice rendered, in `corpus.notices` order. Their `blocks` are empty: the
    /// outline is dropped once facts are extracted from it (see `headings`).
    pub rendered: Vec<Arc<Rendered>>,
    /// Each notice's headings, in `corpus.notices` order.
    pub headings: Vec<Vec<String>>,
    /// Each notice's facts, in `corpus.notices` order.
    pub facts: Vec<Facts>,
    /// Each advisory reconciled, in `corpus.advisories` order.
    pub reconciled: Vec<Reconciled>,
    /// Each notice's title.
    pub titles: Vec<String>,
    /// What git history says, when it was read.
    pub history: Option<SiteHistory>,
    /// The policy feed.
    pub feed: Feed,
    /// The site's navigation, from `toc.yml` files.
    pub navigation: Navigation,
}

/// Runs every stage up to the policy feed. Diagnostics go to `diagnostics`; `None` when
/// nothing could be analysed (no settings, no content folder).
pub fn analyse(options: &BuildOptions, diagnostics: &mut Vec<Diagnostic>) -> Option<Analysis> {
    analyse_with(options, None, diagnostics)
}

/// [`analyse`], reusing (and then refreshing) the analyses in `state` that still stand.
fn analyse_with(
    options: &BuildOptions,
    mut state: Option<&mut Incremental>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Analysis> {
    let mut config = SiteConfig::load(&options.root)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    if let Some(base_url) = &options.base_url {
        // `serve` serves from its own base; the sitemap still names the published pages.
        if config.site_url.is_none() && config.routes().is_absolute() {
            config.site_url = Some(config.base_url.clone());
        }
        config.base_url.clone_from(base_url);
    }
    let catalog = Catalog::load(&options.root)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    let content = options.root.join(CONTENT_DIR);
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::new(
                Code::Unreadable,
                CONTENT_DIR,
                format!("there is no content/ folder in {}", options.root.display()),
            )
            .with_hint(
                "give the site's folder with --root, or make a new site with `bulletin init`",
            ),
        );
        return None;
    }
    let (corpus, loaded) = load::load_cached(
        &options.root,
        &config.docset_root,
        state.as_deref().map(|s| &s.load),
    );
    diagnostics.extend(loaded);
    // Git reads the history while the working tree is analysed.
    let reading = (options.history && config.history).then(|| {
        let content = content.canonicalize().unwrap_or_else(|_| content.clone());
        let paths: Vec<ContentPath> = corpus.notices.iter().map(|n| n.path.clone()).collect();
        std::thread::spawn(move || {
            let paths: Vec<&ContentPath> = paths.iter().collect();
            load::history::read(&content, &paths)
        })
    });
    let catalog_text = std::fs::read(content.join(CATALOG_FILE)).unwrap_or_default();
    let mut cache = state.as_deref_mut().map(|s| &mut s.notices);

    let index = RenderIndex::new(&corpus.notices, &corpus.fragments, &corpus.advisories);
    let sanitizer = Sanitizer::new(&config);
    let cx = index.context(&config, &sanitizer, &corpus.sources, &corpus.pivot_groups);
    let files = &index.files;
    let context = cache
        .as_ref()
        .map_or(0, |_| NoticeCache::context(&config, &catalog_text, &corpus));
    // Each analysis, and whether it was made afresh (not taken from the cache).
    let analysed: Vec<(Analysed, bool)> = corpus
        .notices
        .par_iter()
        .map(|notice| {
            if let Some(hit) = cache
                .as_ref()
                .and_then(|c| c.get(context, notice, files, &corpus.sources))
            {
                return (hit.clone(), false);
            }
            let mut rendered = markdown::render(notice, cx);
            let (facts, found) = extract::extract(notice, &rendered.blocks, &catalog);
            rendered.diagnostics.extend(found);
            // The outline feeds extraction, and the search index only its headings. On a
            // large site outlines weigh more than the pages, so they go now.
            let headings = std::mem::take(&mut rendered.blocks)
                .into_iter()
                .filter(|b| matches!(b.kind, BlockKind::Heading(_)))
                .map(|b| b.text)
                .collect();
            let analysed = Analysed {
                rendered: Arc::new(rendered),
                facts,
                headings,
            };
            (analysed, true)
        })
        .collect();
    if let Some(cache) = cache.as_mut() {
        cache.store(context, &corpus.notices, files, &corpus.sources, &analysed);
    }
    let mut rendered = Vec::with_capacity(analysed.len());
    let mut facts = Vec::with_capacity(analysed.len());
    let mut headings = Vec::with_capacity(analysed.len());
    for (a, _) in analysed {
        rendered.push(a.rendered);
        facts.push(a.facts);
        headings.push(a.headings);
    }
    for r in &rendered {
        diagnostics.extend(r.diagnostics.iter().cloned());
    }
    let titles = titles(&corpus.notices, &rendered, diagnostics);
    let read = reading.and_then(|reading| match reading.join() {
        Ok(Ok(read)) => Some(read),
        Ok(Err(e)) => {
            diagnostics.push(history_unavailable(&e));
            None
        }
        Err(_) => {
            diagnostics.push(history_unavailable(&load::history::HistoryError::Failed {
                command: "log".to_string(),
                message: "reading its output stopped unexpectedly".to_string(),
            }));
            None
        }
    });
    if let Some(read) = &read
        && read.shallow
    {
        diagnostics.push(shallow_history(read));
    }
    let committed = read
        .as_ref()
        .map(|read| history::committed(read, &corpus.notices))
        .unwrap_or_default();
    let reconciled: Vec<Reconciled> = corpus
        .advisories
        .iter()
        .map(|a| reconcile::reconcile(a, &corpus.notices, &facts, &committed))
        .collect();
    for (advisory, r) in corpus.advisories.iter().zip(&reconciled) {
        if r.basis == OrderBasis::Undecided {
            let first = &corpus.notices[advisory.members[0]];
            diagnostics.push(
                Diagnostic::new(
                    Code::UndecidedRevisions,
                    first.path.site_path(),
                    format!(
                        "the advisory {} has {} revisions and {}",
                        advisory.id,
                        r.order.len(),
                        r.reason
                    ),
                )
                .with_hint("add `revision:` numbers (1, 2, ...) to their frontmatter"),
            );
        }
    }
    diagnostics.extend(check_cross_links(
        config.routes(),
        &corpus,
        files,
        &rendered,
        &reconciled,
    ));
    let history = read.and_then(|read| {
        let mut fresh = PastCache::default();
        let past = state.map_or(&mut fresh, |s| &mut s.past);
        past.begin(
            PastCache::context(&config, &catalog_text, &corpus),
            history::cache_file(&read),
        );
        let present = history::Present {
            corpus: &corpus,
            facts: &facts,
            titles: &titles,
            rendered: &rendered,
        };
        let analysed = history::analyse(&read, &present, cx, &catalog, past)
            .map_err(|e| diagnostics.push(history_unavailable(&e)))
            .ok();
        past.save();
        analysed
    });
    let navigation = Navigation::new(&corpus.tocs, &index.pages, &config);
    let generated_at = generated_at(options.source_date_epoch, &corpus.notices);
    if config.published_routes().is_none() {
        diagnostics.push(no_site_url(&config, &options.root));
    }
    let feed = policy::build_feed(FeedInput {
        routes: config.routes(),
        default_cloud: config.default_cloud.as_deref(),
        generated_at: &generated_at,
        notices: &corpus.notices,
        advisories: &corpus.advisories,
        reconciled: &reconciled,
        titles: &titles,
        catalog: &catalog,
        history: history.as_ref().map(|h| policy::FeedHistory {
            head: h.head.as_ref(),
            since: h.since.as_ref(),
            advisories: &h.advisories,
        }),
    });
    Some(Analysis {
        config,
        catalog,
        corpus,
        rendered,
        headings,
        facts,
        reconciled,
        titles,
        history,
        feed,
        navigation,
    })
}

/// B0601: the history could not be read.
fn history_unavailable(error: &load::history::HistoryError) -> Diagnostic {
    let hint = match error {
        load::history::HistoryError::NotARepository(_) => {
            "commit the site to a git repository to read each notice's revisions from its history, or set `history: off` in bulletin.yaml (or pass --no-history) to build from the files alone"
        }
        _ => {
            "fix the repository or install git, or set `history: off` in bulletin.yaml (or pass --no-history) to build from the files alone"
        }
    };
    Diagnostic::global(
        Code::HistoryUnavailable,
        format!("revisions come from the files alone, without their git history: {error}"),
    )
    .with_hint(hint)
}

/// B0905: no sitemap, since no absolute URL is known. It names the settings file when there
/// is one to edit.
fn no_site_url(config: &SiteConfig, root: &Path) -> Diagnostic {
    let message = format!(
        "sitemap.xml is not written: it must list absolute URLs, and `base_url` ({}) is a path",
        config.base_url
    );
    let diagnostic = if root.join(CONFIG_FILE).is_file() {
        Diagnostic::new(Code::NoSiteUrl, CONFIG_FILE, message)
    } else {
        Diagnostic::global(Code::NoSiteUrl, message)
    };
    diagnostic.with_hint("set `site_url` in bulletin.yaml to the address the site is published at (e.g. `https://advisories.example/`), or make `base_url` an absolute URL")
}

/// B0602: the clone is shallow.
fn shallow_history(read: &load::history::History) -> Diagnostic {
    let since = read
        .commits
        .first()
        .map(|c| format!(" (before {} of {})", c.short(), c.date()))
        .unwrap_or_default();
    Diagnostic::global(
        Code::ShallowHistory,
        format!(
            "the repository is a shallow clone: its history before the oldest commit fetched{since} is missing, so earlier revisions and dates are not known"
        ),
    )
    .with_hint(
        "fetch the whole history: `git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout",
    )
}

/// Builds the site. Never panics on bad input: every problem becomes a diagnostic, and the
/// output is replaced only when the build succeeds.
pub fn build(options: &BuildOptions) -> BuildReport {
    run(options, None)
}

/// Builds the site again for `bulletin serve`, redoing only what changed since the build
/// that filled `state`: notices whose text (or included text) is unchanged are not rendered
/// again, pages whose view is unchanged are not rendered again, and only files whose bytes
/// change are written, staged and moved in once all are written. The first build with a
/// fresh `state` is a whole build.
pub fn rebuild(options: &BuildOptions, state: &mut Incremental) -> BuildReport {
    run(options, Some(state))
}

fn run(options: &BuildOptions, state: Option<&mut Incremental>) -> BuildReport {
    let mut report = attempt(options, state);
    rebase_paths(&options.root, &mut report.diagnostics);
    report
}

/// Makes the paths of diagnostics about the output and the theme, which name files as the
/// build found them (under the root as given, or the output as given), relative to the site
/// root like every other diagnostic's, or absolute when they are not under it.
fn rebase_paths(root: &std::path::Path, diagnostics: &mut [Diagnostic]) {
    let here = root.components().all(|c| c == std::path::Component::CurDir);
    for diagnostic in diagnostics
        .iter_mut()
        .filter(|d| matches!(d.code, Code::Output | Code::Template))
    {
        let Some(file) = diagnostic.file.take() else {
            continue;
        };
        diagnostic.file = Some(match file.strip_prefix(root) {
            Ok(relative) if !here => relative.to_path_buf(),
            _ if here || file.is_absolute() || diagnostic.code == Code::Template => file,
            _ => std::path::absolute(&file).unwrap_or(file),
        });
    }
}

fn attempt(options: &BuildOptions, mut state: Option<&mut Incremental>) -> BuildReport {
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let mut report = BuildReport {
        diagnostics: Vec::new(),
        written: false,
        output,
        notices: 0,
        advisories: 0,
    };
    let resolved = match output_guard::check(&options.root, &report.output) {
        Ok(resolved) => resolved,
        Err(refused) => {
            report
                .diagnostics
                .push(Diagnostic::global(Code::OutputRefused, refused.to_string()));
            return report;
        }
    };
    // `bulletin serve` keeps the lock from one build to the next.
    let held = state.as_deref_mut().and_then(|s| s.lock.take());
    let lock = match held.map_or_else(|| OutputLock::acquire(&resolved), Ok) {
        Ok(lock) => lock,
        Err(e @ OutputError::Locked { .. }) => {
            report
                .diagnostics
                .push(Diagnostic::global(Code::OutputInUse, e.to_string()));
            return report;
        }
        Err(e) => {
            report
                .diagnostics
                .push(render::output_diagnostic(&report.output, &e));
            return report;
        }
    };
    build_locked(options, state.as_deref_mut(), &lock, &mut report);
    if let Some(state) = state {
        state.lock = Some(lock);
    }
    report
}

/// The build proper, with the output's lock held.
fn build_locked(
    options: &BuildOptions,
    mut state: Option<&mut Incremental>,
    lock: &OutputLock,
    report: &mut BuildReport,
) {
    let analysis = analyse_with(options, state.as_deref_mut(), &mut report.diagnostics);
    let theme = match Theme::load(
        &options.root,
        analysis
            .as_ref()
            .map_or("default", |a| a.config.theme.as_str()),
    ) {
        Ok(theme) => Some(theme),
        Err(diagnostic) => {
            report.diagnostics.push(diagnostic);
            None
        }
    };
    diagnostic::sort(&mut report.diagnostics);
    report.diagnostics.dedup();
    let (Some(analysis), Some(mut theme)) = (analysis, theme) else {
        return;
    };
    report.notices = analysis.corpus.notices.len();
    report.advisories = analysis.corpus.advisories.len();
    if failed(report, options.strict) {
        return;
    }
    let today = options
        .today
        .unwrap_or_else(|| newest_date(&analysis.corpus.notices));
    let views = Views::new(&analysis, today);
    // Changes only after a build whose keys say what is there; a failed build forgets
    // them, so the next one starts whole again.
    let previous = state.as_deref_mut().and_then(|s| s.written.take());
    let staging = match previous {
        Some(previous) => Staging::changes(&report.output, previous, lock),
        None if state.is_some() => Staging::begin(&report.output, lock).map(Staging::keyed),
        None => Staging::begin(&report.output, lock),
    };
    let written = staging
        .map_err(|e| render::output_diagnostic(&report.output, &e))
        .and_then(|out| {
            write(&analysis, &views, &mut theme, &out)?;
            out.commit()
                .map_err(|e| render::output_diagnostic(&report.output, &e))
        });
    match written {
        Ok(keys) => {
            report.written = true;
            if let Some(state) = state {
                state.written = Some(keys);
            }
        }
        Err(diagnostic) => report.diagnostics.push(diagnostic),
    }
}

/// Renders and writes every file of the site into `out`, page by page.
fn write(
    analysis: &Analysis,
    views: &Views<'_>,
    theme: &mut Theme,
    out: &Staging,
) -> Result<(), Diagnostic> {
    let (config, feed) = (&analysis.config, &analysis.feed);
    let to_diagnostic = |e: OutputError| render::output_diagnostic(out.output(), &e);
    // Assets go first, so a generated file that clashes with one is always the one refused.
    analysis
        .corpus
        .assets
        .par_iter()
        .try_for_each(|(path, source)| out.copy(path.as_str(), source))
        .map_err(to_diagnostic)?;
    let renderer = Renderer::new(theme, &views.site, out);
    renderer.listings(&views.listings)?;
    (0..analysis.corpus.advisories.len())
        .into_par_iter()
        .try_for_each(|a| views.advisory_pages(a, &mut |page| renderer.advisory(page)))?;
    (0..feed.products.len())
        .into_par_iter()
        .try_for_each(|p| renderer.product(&views.product_page(p)))?;
    render::feeds::write(feed, views.cited(), out).map_err(to_diagnostic)?;
    let atom = subscriptions::atom(
        &config.title,
        config.routes(),
        &feed.generated_at,
        &views.atom_entries(config.atom_entries),
    );
    renderer.write(Routes::ATOM, atom.as_bytes())?;
    // Calendars are made from the feed, the site's title and its URLs alone.
    let calendar_key = out
        .is_keyed()
        .then(|| value_key(&(feed, &config.title, config.routes().base())));
    subscriptions::calendars(
        feed,
        views.cited(),
        &config.title,
        config.routes(),
        &|path| {
            out.claim_keyed(path, calendar_key.map(|key| value_key(&(key, path))))
                .map_err(to_diagnostic)
        },
        &|slot, text| out.fill(slot, text.as_bytes()).map_err(to_diagnostic),
    )
}

/// The newest `ms.date` (or the Unix epoch's date when no notice has one).
fn newest_date(notices: &[Notice]) -> jiff::civil::Date {
    notices
        .iter()
        .filter_map(|n| n.front.ms_date)
        .max()
        .unwrap_or(jiff::civil::date(1970, 1, 1))
}

/// The feed's `generated_at`: `SOURCE_DATE_EPOCH` when given, else midnight UTC of the
/// newest `ms.date`, else the Unix epoch.
fn generated_at(source_date_epoch: Option<i64>, notices: &[Notice]) -> String {
    let timestamp = source_date_epoch
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .or_else(|| {
            notices
                .iter()
                .filter_map(|n| n.front.ms_date)
                .max()
                .and_then(|d| {
                    jiff::tz::TimeZone::UTC
                        .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                        .ok()
                })
        })
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn failed(report: &BuildReport, strict: bool) -> bool {
    report.count(Severity::Error) > 0 || (strict && !report.diagnostics.is_empty())
}

/// Checks links between notices against their targets' anchors.
fn check_cross_links(
    routes: Routes<'_>,
    corpus: &Corpus,
    files: &HashMap<&str, &Notice>,
    rendered: &[Arc<Rendered>],
    revisions: &[Reconciled],
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for r in rendered {
        for link in &r.links {
            let Some(fragment) = &link.fragment else {
                continue;
            };
            let target = &corpus.advisories[link.advisory];
            let current = revisions[link.advisory].current();
            if markdown::is_exempt_fragment(fragment)
                || rendered[current].anchors.contains(fragment)
            {
                continue;
            }
            let source = files
                .get(link.file.as_str())
                .map(|n| n.source.as_str())
                .unwrap_or_default();
            diagnostics.push(
                Diagnostic::new(
                    Code::MissingAnchor,
                    link.file.site_path(),
                    format!(
                        "the link to `#{fragment}` on {} names no heading or anchor there{}",
                        routes.url(&Routes::advisory(&target.id)),
                        markdown::closest_anchor(&rendered[current].anchors, fragment)
                            .map(|a| format!(" (the closest is `#{a}`)"))
                            .unwrap_or_default()
                    ),
                )
                .at_source_text(source, link.line, &format!("#{fragment}"))
                .with_hint("link to a heading of that page (its words in lower case, joined by hyphens) or to an `<a name>` on it"),
            );
        }
    }
    diagnostics
}

/// Each notice's title: frontmatter `title`, else its first heading, else its file name.
fn titles(
    notices: &[Notice],
    rendered: &[Arc<Rendered>],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<String> {
    notices
        .iter()
        .zip(rendered)
        .map(|(notice, r)| {
            if let Some(title) = &notice.front.title {
                return title.clone();
            }
            if let Some(h1) = r.h1.clone().filter(|h| !h.is_empty()) {
                return h1;
            }
            diagnostics.push(
                Diagnostic::new(
                    Code::MissingTitle,
                    notice.path.site_path(),
                    "this notice has no `title` in its frontmatter and no level-one heading; its file name is used",
                )
                .with_hint("add `title:` to its frontmatter"),
            );
            notice.path.stem().to_string()
        })
        .collect()
}
