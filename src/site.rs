//! The build: runs the stages in order and decides whether the output is written.
//!
//! load -> markdown -> (extract) -> reconcile -> (policy) -> render. This module owns only
//! the order and the hand-offs; each stage owns its own work.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::config::SiteConfig;
use crate::diagnostic::{self, Code, Diagnostic, Severity};
use crate::extract;
use crate::load::{self, Corpus};
use crate::markdown::{self, RenderContext, Rendered, links::PageIndex};
use crate::model::Facts;
use crate::model::{CONTENT_DIR, Notice, advisory_url};
use crate::policy::feed::{Feed, FeedAdvisory};
use crate::policy::{self, FeedInput};
use crate::reconcile::{self, OrderBasis, Reconciled};
use crate::render::output::{self, OutputFile};
use crate::render::theme::Theme;
use crate::render::{
    self, AdvisoryPage, AdvisorySummary, Fact, ImpactView, LinkView, ProductPage, RequirementView,
    RevisionView, SiteView, SiteViews,
};
use crate::slug::slugify;

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site root: holds `content/`, optionally `bulletin.yaml` and `themes/`.
    pub root: PathBuf,
    /// Where the site goes; `<root>/public` by default.
    pub output: Option<PathBuf>,
    /// Treat warnings as errors.
    pub strict: bool,
    /// `SOURCE_DATE_EPOCH`: the build's notion of "now", in seconds since 1970. When unset,
    /// the newest notice date stands in, so output never depends on the clock.
    pub source_date_epoch: Option<i64>,
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
    /// Each notice rendered, in `corpus.notices` order.
    pub rendered: Vec<Rendered>,
    /// Each notice's facts, in `corpus.notices` order.
    pub facts: Vec<Facts>,
    /// Each advisory reconciled, in `corpus.advisories` order.
    pub reconciled: Vec<Reconciled>,
    /// Each notice's title.
    pub titles: Vec<String>,
    /// The policy feed.
    pub feed: Feed,
}

/// Runs every stage up to the policy feed. Diagnostics go to `diagnostics`; `None` when
/// nothing could be analysed (no settings, no content folder).
pub fn analyse(options: &BuildOptions, diagnostics: &mut Vec<Diagnostic>) -> Option<Analysis> {
    let config = SiteConfig::load(&options.root)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    let catalog = Catalog::load(&options.root)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    let content = options.root.join(CONTENT_DIR);
    if !content.is_dir() {
        diagnostics.push(Diagnostic::new(
            Code::Unreadable,
            CONTENT_DIR,
            format!("there is no content/ folder in {}", options.root.display()),
        ));
        return None;
    }
    let (corpus, loaded) = load::load(&options.root);
    diagnostics.extend(loaded);

    let pages = PageIndex::new(&corpus.notices, &corpus.advisories);
    let files = corpus.markdown_by_path();
    let cx = RenderContext {
        config: &config,
        pages: &pages,
        files: &files,
    };
    let (mut rendered, facts): (Vec<Rendered>, Vec<Facts>) = corpus
        .notices
        .par_iter()
        .map(|notice| {
            let mut rendered = markdown::render(notice, cx);
            let (facts, found) = extract::extract(notice, &rendered.blocks, &catalog);
            rendered.diagnostics.extend(found);
            (rendered, facts)
        })
        .unzip();
    for r in &mut rendered {
        diagnostics.append(&mut r.diagnostics);
    }
    let reconciled: Vec<Reconciled> = corpus
        .advisories
        .iter()
        .map(|a| reconcile::reconcile(&a.members, &corpus.notices, &facts))
        .collect();
    for (advisory, r) in corpus.advisories.iter().zip(&reconciled) {
        if r.basis == OrderBasis::Undecided {
            let first = &corpus.notices[advisory.members[0]];
            diagnostics.push(Diagnostic::new(
                Code::UndecidedRevisions,
                first.path.site_path(),
                format!(
                    "the advisory {} has {} revisions and {}; add `revision:` numbers to their frontmatter",
                    advisory.id,
                    r.order.len(),
                    r.reason
                ),
            ));
        }
    }
    diagnostics.extend(check_cross_links(&corpus, &files, &rendered, &reconciled));
    let titles = titles(&corpus.notices, &rendered, diagnostics);
    let generated_at = generated_at(options.source_date_epoch, &corpus.notices);
    let feed = policy::build_feed(FeedInput {
        base_url: &config.base_url,
        default_cloud: config.default_cloud.as_deref(),
        generated_at: &generated_at,
        notices: &corpus.notices,
        advisories: &corpus.advisories,
        reconciled: &reconciled,
        titles: &titles,
        catalog: &catalog,
    });
    Some(Analysis {
        config,
        catalog,
        corpus,
        rendered,
        facts,
        reconciled,
        titles,
        feed,
    })
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
    let analysis = analyse(options, &mut report.diagnostics);
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
    let (Some(analysis), Some(theme)) = (analysis, theme) else {
        return report;
    };
    report.notices = analysis.corpus.notices.len();
    report.advisories = analysis.corpus.advisories.len();
    if failed(&report, options.strict) {
        return report;
    }
    let views = views(&analysis);
    let mut files = match render::render_site(&views, &theme) {
        Ok(files) => files,
        Err(diagnostic) => {
            report.diagnostics.push(diagnostic);
            return report;
        }
    };
    files.extend(feeds(&analysis.feed));
    files.extend(
        analysis
            .corpus
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

/// `policy.json`, its schemas, and each product's own feed.
fn feeds(feed: &Feed) -> Vec<OutputFile> {
    let mut files = vec![
        OutputFile::Generated {
            path: "policy.json".to_string(),
            bytes: pretty_json(feed),
        },
        OutputFile::Generated {
            path: "policy.schema.json".to_string(),
            bytes: policy::feed::schema().into_bytes(),
        },
        OutputFile::Generated {
            path: "products/policy.schema.json".to_string(),
            bytes: policy::feed::product_schema().into_bytes(),
        },
    ];
    for product in &feed.products {
        files.push(OutputFile::Generated {
            path: format!("products/{}/policy.json", product.id),
            bytes: pretty_json(&policy::product_feed(feed, product)),
        });
    }
    files
}

/// Pretty JSON with a final newline. serde_json escapes everything JSON requires, so no
/// notice text can break out of a string.
fn pretty_json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
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
    corpus: &Corpus,
    files: &HashMap<&str, &Notice>,
    rendered: &[Rendered],
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

fn views(analysis: &Analysis) -> SiteViews {
    let Analysis {
        config,
        corpus,
        rendered,
        reconciled,
        titles,
        feed,
        ..
    } = analysis;
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
    let feed_advisories: BTreeMap<&str, &FeedAdvisory> =
        feed.advisories.iter().map(|a| (a.id.as_str(), a)).collect();

    // Backlinks count only what a standing revision links to.
    let mut referenced_by: BTreeMap<usize, BTreeSet<LinkView>> = BTreeMap::new();
    for (a, rev) in reconciled.iter().enumerate() {
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
        let rev = &reconciled[a];
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
            let page_url = if is_current {
                url.clone()
            } else {
                format!("{url}revisions/{}/", revision_slug(n))
            };
            pages.push(AdvisoryPage {
                output_path: format!(
                    "{}index.html",
                    page_url.strip_prefix(base).unwrap_or(&page_url)
                ),
                title: titles[n].clone(),
                heading: rendered[n].h1.clone().unwrap_or_else(|| titles[n].clone()),
                description: notice.front.description.clone(),
                url: page_url,
                body: rendered[n].html.clone(),
                facts: facts(notice),
                source: notice.path.site_path().display().to_string(),
                revisions: revision_views.clone(),
                order_reason: rev.reason.clone(),
                advisory: is_current
                    .then(|| {
                        feed_advisories
                            .get(advisory.id.as_str())
                            .map(|a| (*a).clone())
                    })
                    .flatten(),
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

    let advisory_titles: BTreeMap<&str, LinkView> = feed
        .advisories
        .iter()
        .map(|a| {
            (
                a.id.as_str(),
                LinkView {
                    title: a.title.clone(),
                    url: a.url.clone(),
                },
            )
        })
        .collect();
    let products = feed
        .products
        .iter()
        .map(|product| {
            let mut cited: Vec<LinkView> = product
                .requirements
                .iter()
                .filter_map(|r| advisory_titles.get(r.advisory.as_str()).cloned())
                .chain(
                    feed.advisories
                        .iter()
                        .filter(|a| a.impacts.iter().any(|i| i.product == product.id))
                        .filter_map(|a| advisory_titles.get(a.id.as_str()).cloned()),
                )
                .collect();
            cited.sort();
            cited.dedup();
            let impacts = feed
                .advisories
                .iter()
                .flat_map(|a| {
                    a.impacts
                        .iter()
                        .filter(|i| i.product == product.id)
                        .map(move |i| (a, i))
                })
                .map(|(a, i)| ImpactView {
                    impact: i.impact.clone(),
                    advisory: advisory_titles.get(a.id.as_str()).cloned(),
                })
                .collect();
            ProductPage {
                output_path: format!("products/{}/index.html", product.id),
                history: product
                    .requirements
                    .iter()
                    .map(|r| RequirementView {
                        requirement: r.clone(),
                        advisory: advisory_titles.get(r.advisory.as_str()).cloned(),
                    })
                    .collect(),
                product: product.clone(),
                advisories: cited,
                impacts,
            }
        })
        .collect();
    SiteViews {
        site: SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: base.to_string(),
            notice_count: corpus.notices.len(),
            product_names: feed
                .products
                .iter()
                .map(|p| {
                    (
                        p.id.clone(),
                        LinkView {
                            title: p.name.clone(),
                            url: p.url.clone(),
                        },
                    )
                })
                .collect(),
        },
        advisories: summaries.into_iter().map(|(_, s)| s).collect(),
        pages,
        products,
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
