//! The build: runs the stages in order and decides whether the output is written.
//!
//! load -> markdown -> (extract) -> reconcile -> (policy) -> render. This module owns only
//! the order and the hand-offs; each stage owns its own work.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diagnostic::{self, Code, Diagnostic, Severity};
use crate::load::{self, Corpus};
use crate::markdown::{self, RenderContext, Rendered, links::PageIndex};
use crate::model::{CONTENT_DIR, Notice, advisory_url};
use crate::reconcile::{self, Revisions};
use crate::render::output::{self, OutputFile};
use crate::render::theme::Theme;
use crate::render::{
    self, AdvisoryPage, AdvisorySummary, Fact, LinkView, RevisionView, SiteView, SiteViews,
};
use crate::slug::slugify;

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root: holds `content/`, optionally `bulletin.yaml` and `themes/`.
    pub root: PathBuf,
    /// Where the site goes; `<root>/public` by default.
    pub output: Option<PathBuf>,
    /// Treat warnings as errors.
    pub strict: bool,
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
    /// How many notices and advisories were built.
    pub notices: usize,
    /// How many advisories.
    pub advisories: usize,
}

impl BuildReport {
    /// How many diagnostics have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity() == severity)
            .count()
    }
}

/// Builds the site. Never panics on bad input: every problem becomes a diagnostic, and the
/// output is replaced only when the build succeeds.
pub fn build(options: &BuildOptions) -> BuildReport {
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
    let config = match SiteConfig::load(&options.root) {
        Ok(config) => config,
        Err(diagnostic) => {
            report.diagnostics.push(diagnostic);
            return report;
        }
    };
    let content = options.root.join(CONTENT_DIR);
    if !content.is_dir() {
        report.diagnostics.push(Diagnostic::new(
            Code::Unreadable,
            CONTENT_DIR,
            format!("there is no content/ folder in {}", options.root.display()),
        ));
        return report;
    }
    let (corpus, diagnostics) = load::load(&options.root);
    report.diagnostics.extend(diagnostics);
    report.notices = corpus.notices.len();
    report.advisories = corpus.advisories.len();

    let pages = PageIndex::new(&corpus.notices, &corpus.advisories);
    let files = corpus.markdown_by_path();
    let cx = RenderContext {
        config: &config,
        pages: &pages,
        files: &files,
    };
    let mut rendered: Vec<Rendered> = corpus
        .notices
        .par_iter()
        .map(|n| markdown::render(n, cx))
        .collect();
    for r in &mut rendered {
        report.diagnostics.append(&mut r.diagnostics);
    }
    let revisions: Vec<Revisions> = corpus
        .advisories
        .iter()
        .map(|a| reconcile::order(&a.members, &corpus.notices))
        .collect();
    report
        .diagnostics
        .extend(check_cross_links(&corpus, &rendered, &revisions));
    let titles = titles(&corpus.notices, &rendered, &mut report.diagnostics);

    let theme = Theme::load(&options.root, &config.theme);
    let mut theme = match theme {
        Ok(theme) => Some(theme),
        Err(diagnostic) => {
            report.diagnostics.push(diagnostic);
            None
        }
    };
    diagnostic::sort(&mut report.diagnostics);
    report.diagnostics.dedup();
    if failed(&report, options.strict) {
        return report;
    }
    let Some(theme) = theme.take() else {
        return report;
    };
    let views = views(&config, &corpus, &rendered, &revisions, &titles);
    let mut files = match render::render_site(&views, &theme) {
        Ok(files) => files,
        Err(diagnostic) => {
            report.diagnostics.push(diagnostic);
            return report;
        }
    };
    files.extend(
        corpus
            .assets
            .iter()
            .map(|(path, source)| OutputFile::Copied {
                path: path.as_str().to_string(),
                source: source.clone(),
            }),
    );
    match output::write_site(&report.output, &files) {
        Ok(()) => report.written = true,
        Err(e) => report.diagnostics.push(Diagnostic::new(
            Code::Output,
            &report.output,
            format!("cannot write the site: {e}"),
        )),
    }
    report
}

fn failed(report: &BuildReport, strict: bool) -> bool {
    report.count(Severity::Error) > 0 || (strict && !report.diagnostics.is_empty())
}

/// Checks links between notices against their targets' anchors.
fn check_cross_links(
    corpus: &Corpus,
    rendered: &[Rendered],
    revisions: &[Revisions],
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
            let source = corpus
                .notices
                .iter()
                .find(|n| n.path == link.file)
                .map(|n| n.source.as_str())
                .unwrap_or_default();
            diagnostics.push(
                Diagnostic::new(
                    Code::MissingAnchor,
                    link.file.site_path(),
                    format!(
                        "the link to `#{fragment}` on {} names no heading or anchor there",
                        advisory_url(&target.id)
                    ),
                )
                .at_source_line(source, link.line),
            );
        }
    }
    diagnostics
}

/// Each notice's title: frontmatter `title`, else its first heading, else its file name.
fn titles(
    notices: &[Notice],
    rendered: &[Rendered],
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
            diagnostics.push(Diagnostic::new(
                Code::MissingTitle,
                notice.path.site_path(),
                "this notice has no `title` in its frontmatter and no level-one heading; its file name is used",
            ));
            notice.path.stem().to_string()
        })
        .collect()
}

fn views(
    config: &SiteConfig,
    corpus: &Corpus,
    rendered: &[Rendered],
    revisions: &[Revisions],
    titles: &[String],
) -> SiteViews {
    let base = config.base_url.as_str();
    let advisory_url_of = |a: usize| format!("{base}advisories/{}/", corpus.advisories[a].id);
    let revision_slug = |n: usize| {
        let path = corpus.notices[n].path.as_str();
        slugify(
            &path
                .rsplit_once('.')
                .map_or(path, |(p, _)| p)
                .replace(['/', '.'], " "),
        )
    };

    // Backlinks count only what a standing revision links to.
    let mut referenced_by: BTreeMap<usize, BTreeSet<LinkView>> = BTreeMap::new();
    for (a, rev) in revisions.iter().enumerate() {
        for link in &rendered[rev.current()].links {
            if link.advisory != a {
                referenced_by
                    .entry(link.advisory)
                    .or_default()
                    .insert(LinkView {
                        title: titles[rev.current()].clone(),
                        url: advisory_url_of(a),
                    });
            }
        }
    }

    let mut pages = Vec::new();
    let mut summaries = Vec::new();
    for (a, advisory) in corpus.advisories.iter().enumerate() {
        let rev = &revisions[a];
        let current = rev.current();
        let url = advisory_url_of(a);
        let revision_views: Vec<RevisionView> = rev
            .order
            .iter()
            .map(|&n| RevisionView {
                file: corpus.notices[n].path.site_path().display().to_string(),
                url: if n == current {
                    url.clone()
                } else {
                    format!("{url}revisions/{}/", revision_slug(n))
                },
                ms_date: corpus.notices[n].front.ms_date.map(|d| d.to_string()),
                status: if n == current {
                    "current"
                } else {
                    "superseded"
                },
                current: n == current,
            })
            .collect();
        let standing = LinkView {
            title: titles[current].clone(),
            url: url.clone(),
        };
        let backlinks: Vec<LinkView> = referenced_by
            .remove(&a)
            .map(|s| s.into_iter().collect())
            .unwrap_or_default();
        for &n in &rev.order {
            let notice = &corpus.notices[n];
            let is_current = n == current;
            pages.push(AdvisoryPage {
                output_path: if is_current {
                    format!("advisories/{}/index.html", advisory.id)
                } else {
                    format!(
                        "advisories/{}/revisions/{}/index.html",
                        advisory.id,
                        revision_slug(n)
                    )
                },
                title: titles[n].clone(),
                heading: rendered[n].h1.clone().unwrap_or_else(|| titles[n].clone()),
                description: notice.front.description.clone(),
                url: if is_current {
                    url.clone()
                } else {
                    format!("{url}revisions/{}/", revision_slug(n))
                },
                body: rendered[n].html.clone(),
                facts: facts(notice),
                source: notice.path.site_path().display().to_string(),
                revisions: revision_views.clone(),
                order_basis: rev.basis.describe(),
                referenced_by: if is_current {
                    backlinks.clone()
                } else {
                    Vec::new()
                },
                superseded_by: (!is_current).then(|| standing.clone()),
                revision_of: (!is_current).then(|| standing.clone()),
            });
        }
        let date = corpus.notices[current].front.ms_date;
        summaries.push((
            date,
            AdvisorySummary {
                id: advisory.id.clone(),
                url,
                title: titles[current].clone(),
                description: corpus.notices[current].front.description.clone(),
                date: date.map(|d| d.to_string()),
                date_display: date.map(display_date).unwrap_or_default(),
                revision_count: rev.order.len(),
            },
        ));
    }
    summaries.sort_by(|(da, a), (db, b)| db.cmp(da).then_with(|| a.title.cmp(&b.title)));
    SiteViews {
        site: SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: base.to_string(),
            notice_count: corpus.notices.len(),
        },
        advisories: summaries.into_iter().map(|(_, s)| s).collect(),
        pages,
    }
}

fn facts(notice: &Notice) -> Vec<Fact> {
    let front = &notice.front;
    let text = |label: &str, value: &Option<String>| {
        value.as_ref().map(|v| Fact {
            label: label.to_string(),
            value: v.clone(),
            datetime: None,
        })
    };
    [
        front.ms_date.map(|d| Fact {
            label: "Published".to_string(),
            value: display_date(d),
            datetime: Some(d.to_string()),
        }),
        text("Author", &front.author),
        text("Microsoft author", &front.ms_author),
        text("Service", &front.ms_service),
        text("Topic", &front.ms_topic),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// `November 6, 2023`.
fn display_date(date: jiff::civil::Date) -> String {
    date.strftime("%B %-d, %Y").to_string()
}
