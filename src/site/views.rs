//! Assembling what the templates show from the analysis: one view per page.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use super::Analysis;
use crate::config;
use crate::date::{PartialDate, Precision};
use crate::model::{Facts, MilestoneKind, Notice};
use crate::policy::{
    self,
    feed::{Feed, FeedAdvisory, Readable, RevisionStatus},
};
use crate::reconcile::Reconciled;
use crate::reconcile::history::{AdvisoryHistory, Change, Revision};
use crate::render::search::SearchDoc;
use crate::render::subscriptions::AtomEntry;
use crate::render::{
    ActionStep, ActionVersion, ActionView, AdvisoryPage, AdvisorySummary, ChangeView,
    ConflictGroupView, DateView, DatedView, EffectiveView, Fact, HistoryView, HomeView, ImpactView,
    LinkView, ListingPage, Listings, MilestoneView, PageLink, PageNav, ProductPage,
    ProductStatusView, ProductSummary, RequirementView, RevisionView, SiteUrls, SiteView,
    SitemapView,
};
use crate::routes::Routes;

/// When a revision last changed what the advisory requires: the date (`updated`, else
/// `ms.date`) of the last revision whose requirements or deadlines differ from the one
/// before it, as RFC 3339 midnight UTC.
fn last_change(rev: &Reconciled, notices: &[Notice], facts: &[Facts]) -> String {
    let signature = |n: usize| {
        let mut requirements: Vec<String> = facts[n]
            .requirements
            .iter()
            .map(|r| {
                format!(
                    "{:?} {:?} {:?} {:?}",
                    r.product.id, r.minimum, r.clouds, r.deadline
                )
            })
            .collect();
        requirements.sort();
        let deadlines: Vec<String> = facts[n]
            .milestones
            .iter()
            .filter(|m| m.kind == MilestoneKind::Deadline)
            .map(|m| m.date.to_iso())
            .collect();
        (requirements, deadlines)
    };
    let mut changed_at = None;
    let mut previous = None;
    for &n in &rev.order {
        let current = signature(n);
        if previous.as_ref() != Some(&current) {
            changed_at = notices[n]
                .front
                .updated
                .or(notices[n].front.ms_date)
                .or(changed_at);
        }
        previous = Some(current);
    }
    changed_at.map_or_else(
        || "1970-01-01T00:00:00Z".to_string(),
        |d| format!("{d}T00:00:00Z"),
    )
}

/// Search documents: each advisory (title, description, products, versions, headings) and
/// each product (name, aliases, versions).
fn search_docs(analysis: &Analysis) -> Vec<SearchDoc> {
    let index: HashMap<&str, usize> = analysis
        .corpus
        .advisories
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let feed = &analysis.feed;
    let names: HashMap<&str, &str> = feed
        .products
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let mut docs = Vec::new();
    for advisory in &feed.advisories {
        let current = index
            .get(advisory.id.as_str())
            .map(|&a| analysis.reconciled[a].current());
        let headings = current
            .and_then(|n| analysis.headings.get(n))
            .into_iter()
            .flatten()
            .map(String::as_str);
        let mut parts: Vec<&str> = vec![advisory.id.as_str()];
        parts.extend(current.and_then(|n| analysis.corpus.notices[n].front.description.as_deref()));
        for r in &advisory.requirements {
            parts.extend(names.get(r.product.as_str()).copied());
            parts.extend(r.minimum_version.as_deref());
        }
        for i in &advisory.impacts {
            parts.extend(names.get(i.product.as_str()).copied());
        }
        parts.extend(headings);
        docs.push(SearchDoc::new(
            &advisory.title,
            &advisory.url,
            "advisory",
            &parts,
        ));
    }
    let titles: HashMap<&str, &str> = feed
        .advisories
        .iter()
        .map(|a| (a.id.as_str(), a.title.as_str()))
        .collect();
    for product in &feed.products {
        let mut parts: Vec<&str> = vec![product.id.as_str()];
        parts.extend(product.aliases.iter().map(String::as_str));
        parts.extend(
            product
                .requirements
                .iter()
                .filter_map(|r| r.minimum_version.as_deref()),
        );
        // A product is found by the advisories about it ("PingFederate" finds Connect Sync).
        parts.extend(
            product
                .requirements
                .iter()
                .filter_map(|r| titles.get(r.advisory.as_str()).copied()),
        );
        docs.push(SearchDoc::new(
            &product.name,
            &product.url,
            "product",
            &parts,
        ));
    }
    docs
}

/// Every milestone of every advisory, by date, relative to `today`.
fn timeline(
    feed: &Feed,
    advisories: &HashMap<&str, LinkView>,
    routes: Routes<'_>,
    today: jiff::civil::Date,
) -> Vec<MilestoneView> {
    let anchor = |advisory: &str, kind: MilestoneKind, date: PartialDate| {
        format!("m-{advisory}-{}-{date}", kind.id())
    };
    let mut milestones: Vec<MilestoneView> = feed
        .advisories
        .iter()
        .flat_map(|a| a.deadlines.iter().map(move |d| (a, d)))
        .filter_map(|(a, d)| {
            let date = d.date;
            let advisory = advisories.get(a.id.as_str())?.clone();
            let superseded_by = d
                .superseded_by
                .as_ref()
                .map(|s| match (&s.date, &s.commit) {
                    (Some(new), _) => LinkView {
                        title: format!("moved to {new}"),
                        // The year's page always holds the date; the index only some years.
                        url: format!(
                            "{}#{}",
                            routes.url(&Routes::timeline_year(new.year())),
                            anchor(&a.id, d.kind, *new)
                        ),
                    },
                    (None, Some(commit)) => LinkView {
                        title: format!(
                            "changed in commit {} on {}",
                            commit.get(..7).unwrap_or(commit),
                            s.committed_at
                                .as_deref()
                                .and_then(|t| t.get(..10))
                                .unwrap_or_default()
                        ),
                        url: routes.url(&Routes::commit_revision(&a.id, commit)),
                    },
                    // A later revision of the same advisory: its page is the advisory's.
                    (None, None) => advisory.clone(),
                });
            let days_left = days_between(today, date.last_day());
            Some(MilestoneView {
                anchor: anchor(&a.id, d.kind, date),
                year: date.year(),
                date: date.to_string(),
                date_display: display_partial(date),
                kind_label: d.kind.label().to_string(),
                kind: d.kind.id().to_string(),
                text: d.text.clone(),
                advisory,
                days_left,
                past: days_left < 0,
                superseded_by,
            })
        })
        .collect();
    // By year first, so that each year's dates are one run, whatever the width of its number.
    milestones.sort_by(|a, b| {
        (a.year, &a.date, &a.kind, &a.advisory).cmp(&(b.year, &b.date, &b.kind, &b.advisory))
    });
    milestones.dedup_by(|a, b| a.anchor == b.anchor);
    milestones
}

/// The timeline's pages: its index, with what lies ahead and the dates of `this_year` (so
/// it stays small however far back the advisories go), then one page per year that has dates,
/// each linking to the years beside it. `milestones` are by year, as [`timeline`] sorts them.
fn timeline_pages(
    milestones: &[MilestoneView],
    routes: Routes<'_>,
    this_year: i16,
) -> Vec<ListingPage> {
    let mut years: Vec<(i16, Range<usize>)> = Vec::new();
    for (i, m) in milestones.iter().enumerate() {
        match years.last_mut() {
            Some((year, items)) if *year == m.year => items.end = i + 1,
            _ => years.push((m.year, i..i + 1)),
        }
    }
    let link = |year: i16, current: bool| PageLink {
        label: year.to_string(),
        url: routes.url(&Routes::timeline_year(year)),
        current,
    };
    let nav = |at: Option<usize>| {
        (!years.is_empty()).then(|| PageNav {
            previous: at
                .and_then(|at| at.checked_sub(1))
                .map(|before| link(years[before].0, false)),
            next: at
                .and_then(|at| years.get(at + 1))
                .map(|&(year, _)| link(year, false)),
            pages: (0..years.len())
                .map(|i| Some(link(years[i].0, Some(i) == at)))
                .collect(),
        })
    };
    // A date still ahead is never in a year before this one.
    let index = ListingPage {
        path: Routes::TIMELINE.to_string(),
        url: routes.url(Routes::TIMELINE),
        label: None,
        items: milestones.partition_point(|m| m.year < this_year)..milestones.len(),
        nav: nav(None),
    };
    let pages = years.iter().enumerate().map(|(at, (year, items))| {
        let path = Routes::timeline_year(*year);
        ListingPage {
            url: routes.url(&path),
            path,
            label: Some(year.to_string()),
            items: items.clone(),
            nav: nav(Some(at)),
        }
    });
    std::iter::once(index).chain(pages).collect()
}

/// How many advisories a page of the list of every advisory shows. A hundred rows are some
/// 30 KB of HTML, a page a browser shows at once and a reader can scan; 10,000 advisories
/// make 100 pages. A site with no more keeps its one page, as it was before pages.
const ADVISORIES_PER_PAGE: usize = 100;

/// How many pages on each side of the current one the numbered links name (besides the
/// first and the last), so that a page's links stay few however many pages there are.
const PAGES_AROUND: usize = 2;

/// The pages the list of `count` advisories is split into, `per_page` each.
fn advisory_pages(count: usize, per_page: usize, routes: Routes<'_>) -> Vec<ListingPage> {
    let pages = count.div_ceil(per_page).max(1);
    let link = |number: usize, current: usize| PageLink {
        label: number.to_string(),
        url: routes.url(&Routes::advisories_page(number)),
        current: number == current,
    };
    (1..=pages)
        .map(|number| {
            let path = Routes::advisories_page(number);
            ListingPage {
                url: routes.url(&path),
                path,
                label: (number > 1).then(|| number.to_string()),
                items: (number - 1) * per_page..(number * per_page).min(count),
                nav: (pages > 1).then(|| PageNav {
                    previous: (number > 1).then(|| link(number - 1, number)),
                    next: (number < pages).then(|| link(number + 1, number)),
                    pages: page_numbers(number, pages)
                        .into_iter()
                        .map(|n| n.map(|n| link(n, number)))
                        .collect(),
                }),
            }
        })
        .collect()
}

/// The page numbers a page's numbered links name, of `count` pages: the first, the last and
/// those within [`PAGES_AROUND`] of `current`; `None` where numbers are left out.
fn page_numbers(current: usize, count: usize) -> Vec<Option<usize>> {
    let mut numbers = Vec::new();
    for n in 1..=count {
        if n == 1 || n == count || n.abs_diff(current) <= PAGES_AROUND {
            numbers.push(Some(n));
        } else if numbers.last().is_some_and(Option::is_some) {
            numbers.push(None);
        }
    }
    numbers
}

/// A conflict's field that names no product (`title`, `stops-working`) for people.
fn field_label(field: &str) -> String {
    let mut label = field.replace('-', " ");
    if let Some(first) = label.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    label
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
fn days_between(from: jiff::civil::Date, to: jiff::civil::Date) -> i64 {
    from.until(to).map_or(0, |span| i64::from(span.get_days()))
}

/// `September 23, 2024`, `December 2022`, `Q1 2023` or `2022`.
fn display_partial(date: PartialDate) -> String {
    let first = date.first_day();
    match date.precision() {
        Precision::Day => display_date(first),
        Precision::Month => first.strftime("%B %Y").to_string(),
        Precision::Quarter => format!("Q{} {}", date.quarter_number().unwrap_or(1), first.year()),
        Precision::Year => first.strftime("%Y").to_string(),
    }
}

/// How many upcoming dates and recent advisories the home page shows; the timeline and the
/// advisories page have the rest.
const HOME_UPCOMING: usize = 20;
const HOME_RECENT: usize = 20;

/// What the templates show, assembled from the analysis. The site-wide views are built
/// once; advisory and product pages are assembled on demand, one at a time, so rendering
/// can write each page as soon as it is made and never hold the whole site.
pub(super) struct Views<'a> {
    analysis: &'a Analysis,
    /// Site-wide values.
    pub(super) site: SiteView,
    /// The site-wide pages.
    pub(super) listings: Listings,
    /// Each advisory's title and page, by id.
    links: HashMap<&'a str, LinkView>,
    /// Each advisory's feed entry, by id.
    entries: HashMap<&'a str, &'a FeedAdvisory>,
    /// Pages whose standing revision links to each advisory, by advisory index.
    backlinks: Vec<Vec<LinkView>>,
    /// Each product's advisories, by product id.
    cited: BTreeMap<&'a str, Vec<&'a FeedAdvisory>>,
    /// Advisory indices in the order of `listings.advisories`.
    summary_order: Vec<usize>,
    /// Each advisory's change log, with git history, in `corpus.advisories` order.
    histories: Vec<Option<HistoryView>>,
}

impl<'a> Views<'a> {
    /// The site-wide views, relative to `today`.
    pub(super) fn new(analysis: &'a Analysis, today: jiff::civil::Date) -> Views<'a> {
        let feed = &analysis.feed;
        let routes = analysis.config.routes();
        let (summary_order, advisories) = summaries(analysis, routes);
        let links = links(feed);
        let cited = policy::advisories_by_product(feed);
        let products = product_summaries(feed, &cited);
        let timeline = timeline(feed, &links, routes, today);
        let timeline_pages = timeline_pages(&timeline, routes, today.year());
        let advisory_pages = advisory_pages(advisories.len(), ADVISORIES_PER_PAGE, routes);
        let home = home(feed, &links, &timeline, &advisories, today);
        let listed: Vec<&str> = advisory_pages
            .iter()
            .chain(&timeline_pages)
            .map(|p| p.path.as_str())
            .collect();
        let sitemap = sitemap(analysis, &listed);
        Views {
            analysis,
            site: site_view(analysis),
            listings: Listings {
                advisories,
                advisory_pages,
                products,
                home,
                timeline,
                timeline_pages,
                search: search_docs(analysis),
                sitemap,
            },
            entries: feed.advisories.iter().map(|a| (a.id.as_str(), a)).collect(),
            links,
            backlinks: backlinks(analysis, routes),
            cited,
            summary_order,
            histories: histories(analysis, routes),
        }
    }

    /// Hands each page of advisory `a` to `emit`: the standing revision's, then one per
    /// superseded revision.
    pub(super) fn advisory_pages<E>(
        &self,
        a: usize,
        emit: &mut dyn FnMut(&AdvisoryPage<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let Analysis {
            config,
            corpus,
            rendered,
            reconciled,
            titles,
            ..
        } = self.analysis;
        let routes = config.routes();
        let advisory = &corpus.advisories[a];
        let rev = &reconciled[a];
        let current = rev.current();
        let url = routes.url(&Routes::advisory(&advisory.id));
        let paths: Vec<String> = rev
            .order
            .iter()
            .map(|&n| page_path(self.analysis, &advisory.id, n, current))
            .collect();
        let revisions: Vec<RevisionView> = rev
            .order
            .iter()
            .zip(&paths)
            .map(|(&n, path)| RevisionView {
                file: corpus.notices[n].path.site_path().display().to_string(),
                url: routes.url(path),
                ms_date: corpus.notices[n].front.ms_date.map(|d| d.to_string()),
                status: if n == current {
                    RevisionStatus::Current
                } else {
                    RevisionStatus::Superseded
                },
                current: n == current,
            })
            .collect();
        let standing = LinkView {
            title: titles[current].clone(),
            url: url.clone(),
        };
        let file = |n: usize| corpus.notices[n].path.site_path().display().to_string();
        let grouped_by = advisory
            .grouped_by
            .iter()
            .map(|g| {
                format!(
                    "{}: {} with {}",
                    g.basis.label(),
                    file(g.notice),
                    file(g.with)
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let order_reason = in_quotes(&rev.reason);
        let entry = self.entries.get(advisory.id.as_str()).copied();
        let names = &self.site.product_names;
        let actions = entry.map(|e| actions(e, names)).unwrap_or_default();
        let (conflicts, conflict_reason) =
            entry.map(|e| conflict_groups(e, names)).unwrap_or_default();
        let in_actions: BTreeSet<&str> = actions
            .iter()
            .flat_map(|a| &a.steps)
            .filter_map(|s| s.deadline.as_ref().map(|d| d.iso.as_str()))
            .collect();
        let dates: Vec<DatedView> = entry
            .into_iter()
            .flat_map(|e| &e.deadlines)
            .filter(|d| d.superseded_by.is_none())
            .filter(|d| {
                !(d.kind == MilestoneKind::Deadline
                    && in_actions.contains(d.date.to_string().as_str()))
            })
            .map(|d| DatedView {
                kind: d.kind.id().to_string(),
                kind_label: d.kind.label().to_string(),
                date: date_view(d.date),
                text: d.text.clone(),
            })
            .collect();
        let superseded_count = entry.map_or(0, |e| {
            e.requirements
                .iter()
                .filter(|r| r.superseded_by.is_some())
                .count()
                + e.deadlines
                    .iter()
                    .filter(|d| d.superseded_by.is_some())
                    .count()
        });
        for ((&n, revision), path) in rev.order.iter().zip(&revisions).zip(&paths) {
            let notice = &corpus.notices[n];
            let is_current = n == current;
            emit(&AdvisoryPage {
                output_path: Routes::page_file(path),
                title: &titles[n],
                heading: rendered[n].h1.as_deref().unwrap_or(&titles[n]),
                description: notice.front.description.as_deref(),
                url: revision.url.clone(),
                body: &rendered[n].html,
                facts: facts(notice),
                source: revision.file.clone(),
                revisions: &revisions,
                order_reason: &order_reason,
                grouped_by: (!grouped_by.is_empty()).then_some(grouped_by.as_str()),
                advisory: if is_current { entry } else { None },
                referenced_by: if is_current {
                    self.backlinks.get(a).map_or(&[], Vec::as_slice)
                } else {
                    &[]
                },
                superseded_by: (!is_current).then_some(&standing),
                revision_of: (!is_current).then_some(&standing),
                history: if is_current {
                    self.histories.get(a).and_then(Option::as_ref)
                } else {
                    None
                },
                commit: None,
                nav: self.analysis.navigation.html(&notice.path, &revision.url),
                interactive: rendered[n].interactive,
                actions: if is_current { &actions } else { &[] },
                conflicts: if is_current { &conflicts } else { &[] },
                conflict_reason: if is_current {
                    conflict_reason.as_deref()
                } else {
                    None
                },
                dates: if is_current { &dates } else { &[] },
                superseded_count: if is_current { superseded_count } else { 0 },
            })?;
        }
        let (Some(history), Some(pages)) = (
            self.analysis
                .history
                .as_ref()
                .and_then(|h| h.advisories.get(a)),
            self.analysis.history.as_ref().and_then(|h| h.pages.get(a)),
        ) else {
            return Ok(());
        };
        let repository = config.repository_url.as_deref();
        for page in pages {
            let revision = &history.revisions[page.revision];
            if revision.source.commit.is_none() {
                // Uncommitted text is the advisory's own page.
                continue;
            }
            let change = change_view(revision, &advisory.id, routes, repository);
            let later = history.revisions[page.revision + 1..]
                .iter()
                .any(|r| !r.changes.is_empty());
            emit(&AdvisoryPage {
                output_path: Routes::page_file(&change.path),
                title: &page.title,
                heading: page.h1.as_deref().unwrap_or(&page.title),
                description: page.notice.front.description.as_deref(),
                url: change.url.clone(),
                body: &page.html,
                facts: facts(&page.notice),
                source: change.file.clone(),
                revisions: &revisions,
                order_reason: &order_reason,
                grouped_by: (!grouped_by.is_empty()).then_some(grouped_by.as_str()),
                advisory: None,
                referenced_by: &[],
                superseded_by: later.then_some(&standing),
                revision_of: Some(&standing),
                history: None,
                commit: Some(&change),
                nav: self
                    .analysis
                    .navigation
                    .html(&corpus.notices[revision.source.notice].path, &change.url),
                interactive: page.interactive,
                actions: &[],
                conflicts: &[],
                conflict_reason: None,
                dates: &[],
                superseded_count: 0,
            })?;
        }
        Ok(())
    }

    /// The page of the feed's product `p`.
    pub(super) fn product_page(&self, p: usize) -> ProductPage<'_> {
        let product = &self.analysis.feed.products[p];
        let cited: &[&FeedAdvisory] = self
            .cited
            .get(product.id.as_str())
            .map_or(&[], Vec::as_slice);
        let mut advisories: Vec<&LinkView> = cited
            .iter()
            .filter_map(|a| self.links.get(a.id.as_str()))
            .collect();
        advisories.sort();
        advisories.dedup();
        ProductPage {
            output_path: Routes::page_file(&Routes::product(&product.id)),
            history: product
                .requirements
                .iter()
                .map(|r| RequirementView {
                    requirement: r,
                    advisory: self.links.get(r.advisory.as_str()),
                })
                .collect(),
            product,
            advisories,
            status: self.listings.home.products.get(p),
            impacts: cited
                .iter()
                .flat_map(|a| {
                    a.impacts
                        .iter()
                        .filter(|i| i.product == product.id)
                        .map(move |i| ImpactView {
                            impact: &i.impact,
                            advisory: self.links.get(a.id.as_str()),
                        })
                })
                .collect(),
        }
    }

    /// Each product's advisories, by product id.
    pub(super) fn cited(&self) -> &BTreeMap<&'a str, Vec<&'a FeedAdvisory>> {
        &self.cited
    }

    /// The Atom feed's entries: the `limit` advisories a revision changed most recently;
    /// with git history, the `limit` most recent commits that changed an advisory's facts.
    pub(super) fn atom_entries(&self, limit: usize) -> Vec<AtomEntry<'_>> {
        if let Some(history) = &self.analysis.history {
            return self.change_entries(&history.advisories, limit);
        }
        let mut entries: Vec<AtomEntry<'_>> = self
            .listings
            .advisories
            .iter()
            .zip(&self.summary_order)
            .map(|(summary, &a)| {
                AtomEntry::advisory(
                    summary,
                    &self.analysis.rendered[self.analysis.reconciled[a].current()].html,
                )
            })
            .collect();
        // Newest change first; ties keep the listing's order (newest `ms.date`, then title).
        entries.sort_by(|a, b| b.updated.cmp(&a.updated));
        entries.truncate(limit);
        entries
    }

    /// One Atom entry per commit that changed an advisory's facts, newest first: its
    /// changes in words, linked to the revision's page. Its id is made of the advisory and
    /// the commit, so it never changes.
    fn change_entries(&self, histories: &[AdvisoryHistory], limit: usize) -> Vec<AtomEntry<'_>> {
        let routes = self.analysis.config.routes();
        let mut changes: Vec<(i64, &str, &str, &Revision)> = histories
            .iter()
            .enumerate()
            .flat_map(|(a, h)| {
                h.revisions
                    .iter()
                    .filter(|r| !r.changes.is_empty())
                    .filter_map(move |r| {
                        let commit = r.source.commit.as_ref()?;
                        let id = self.analysis.corpus.advisories[a].id.as_str();
                        Some((commit.time, id, commit.id.as_str(), r))
                    })
            })
            .collect();
        changes.sort_by(|x, y| (y.0, x.1, x.2).cmp(&(x.0, y.1, y.2)));
        changes.truncate(limit);
        changes
            .into_iter()
            .map(|(_, id, commit, revision)| {
                let url = routes.url(&Routes::advisory(id));
                let title = self.links.get(id).map_or("", |l| l.title.as_str());
                let words: Vec<String> = revision.changes.iter().map(Change::describe).collect();
                let mut body = String::from("<ul>\n");
                for line in &words {
                    body.push_str("<li>");
                    // Writing to a String cannot fail.
                    let _ = pulldown_cmark_escape::escape_html(&mut body, line);
                    body.push_str("</li>\n");
                }
                let revision_path = Routes::commit_revision(id, commit);
                let page = routes.url(&revision_path);
                body.push_str(&format!(
                    "</ul>\n<p><a href=\"{page}\">This revision</a> · <a href=\"{url}\">The advisory as it stands</a></p>\n"
                ));
                // A fact leads the headline; a new title only when nothing else changed.
                let lead = revision
                    .changes
                    .iter()
                    .position(|c| !matches!(c, Change::Title { .. }))
                    .unwrap_or(0);
                let headline = match words.len() {
                    0 | 1 => words.first().cloned().unwrap_or_default(),
                    n => format!("{} (and {} more)", words[lead], n - 1),
                };
                AtomEntry {
                    id_path: revision_path,
                    title: format!("{title}: {headline}"),
                    url: page,
                    updated: revision
                        .source
                        .commit
                        .as_ref()
                        .map(|c| c.timestamp())
                        .unwrap_or_default(),
                    summary: None,
                    body: std::borrow::Cow::Owned(body),
                }
            })
            .collect()
    }
}

/// Each advisory's backlinks, by advisory index: the pages whose standing revision links
/// to it (what superseded revisions link to does not count).
fn backlinks(analysis: &Analysis, routes: Routes<'_>) -> Vec<Vec<LinkView>> {
    let Analysis {
        corpus,
        rendered,
        reconciled,
        titles,
        ..
    } = analysis;
    let mut referenced_by: Vec<BTreeSet<LinkView>> = vec![BTreeSet::new(); reconciled.len()];
    for (a, rev) in reconciled.iter().enumerate() {
        for link in &rendered[rev.current()].links {
            if link.advisory != a
                && let Some(set) = referenced_by.get_mut(link.advisory)
            {
                set.insert(LinkView {
                    title: titles[rev.current()].clone(),
                    url: routes.url(&Routes::advisory(&corpus.advisories[a].id)),
                });
            }
        }
    }
    referenced_by
        .into_iter()
        .map(|s| s.into_iter().collect())
        .collect()
}

/// Every advisory's summary, newest `ms.date` first (then by title), with the advisory
/// index of each.
fn summaries(analysis: &Analysis, routes: Routes<'_>) -> (Vec<usize>, Vec<AdvisorySummary>) {
    let Analysis {
        corpus,
        reconciled,
        titles,
        ..
    } = analysis;
    let mut summaries: Vec<_> = corpus
        .advisories
        .iter()
        .enumerate()
        .map(|(a, advisory)| {
            let rev = &reconciled[a];
            let current = rev.current();
            let history = analysis.history.as_ref().and_then(|h| h.advisories.get(a));
            let date = corpus.notices[current].front.ms_date;
            let summary = AdvisorySummary {
                id: advisory.id.clone(),
                url: routes.url(&Routes::advisory(&advisory.id)),
                title: titles[current].clone(),
                description: corpus.notices[current].front.description.clone(),
                date: date.map(|d| d.to_string()),
                date_display: date.map(display_date).unwrap_or_default(),
                revision_count: rev.order.len(),
                updated: history.and_then(AdvisoryHistory::last_changed).map_or_else(
                    || last_change(rev, &corpus.notices, &analysis.facts),
                    |c| c.timestamp(),
                ),
            };
            (date, a, summary)
        })
        .collect();
    summaries.sort_by(|(da, _, a), (db, _, b)| db.cmp(da).then_with(|| a.title.cmp(&b.title)));
    summaries.into_iter().map(|(_, a, s)| (a, s)).unzip()
}

/// Each advisory's change log, with git history, in `corpus.advisories` order.
fn histories(analysis: &Analysis, routes: Routes<'_>) -> Vec<Option<HistoryView>> {
    let repository = analysis.config.repository_url.as_deref();
    analysis
        .corpus
        .advisories
        .iter()
        .enumerate()
        .map(|(a, advisory)| {
            let history = analysis.history.as_ref()?.advisories.get(a)?;
            Some(history_view(history, &advisory.id, routes, repository))
        })
        .collect()
}

/// Each advisory's title and page, by id.
fn links(feed: &Feed) -> HashMap<&str, LinkView> {
    feed.advisories
        .iter()
        .map(|a| {
            let link = LinkView {
                title: a.title.clone(),
                url: a.url.clone(),
            };
            (a.id.as_str(), link)
        })
        .collect()
}

/// The products page's rows, in the feed's order.
fn product_summaries(
    feed: &Feed,
    cited: &BTreeMap<&str, Vec<&FeedAdvisory>>,
) -> Vec<ProductSummary> {
    feed.products
        .iter()
        .map(|product| ProductSummary {
            product: LinkView {
                title: product.name.clone(),
                url: product.url.clone(),
            },
            requirement_count: product.requirements.len(),
            advisory_count: cited.get(product.id.as_str()).map_or(0, Vec::len),
        })
        .collect()
}

/// The home page: the next dates still standing, the newest advisories, and each product's
/// minimums on `today`.
fn home(
    feed: &Feed,
    links: &HashMap<&str, LinkView>,
    timeline: &[MilestoneView],
    advisories: &[AdvisorySummary],
    today: jiff::civil::Date,
) -> HomeView {
    let mut upcoming = timeline
        .iter()
        .filter(|m| !m.past && m.superseded_by.is_none());
    HomeView {
        today: today.to_string(),
        upcoming: upcoming.by_ref().take(HOME_UPCOMING).cloned().collect(),
        upcoming_more: upcoming.count(),
        recent: advisories.iter().take(HOME_RECENT).cloned().collect(),
        advisory_count: advisories.len(),
        products: product_status(feed, links, today),
    }
}

/// What every page sees of the site.
fn site_view(analysis: &Analysis) -> SiteView {
    let config = &analysis.config;
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        base_url: config.base_url.clone(),
        urls: SiteUrls::new(&config.routes()),
        notice_count: analysis.corpus.notices.len(),
        product_names: analysis
            .feed
            .products
            .iter()
            .map(|p| {
                let link = LinkView {
                    title: p.name.clone(),
                    url: p.url.clone(),
                };
                (p.id.clone(), link)
            })
            .collect(),
        // Settings refuse anything but host names; checked again because a stray `;` here
        // would add directives to the Content-Security-Policy.
        frame_src: config
            .iframe_hosts
            .iter()
            .filter(|host| config::is_host_name(host))
            .map(|host| format!("https://{host}"))
            .collect(),
    }
}

/// The absolute URL of every page but the search and 404 pages, for `sitemap.xml`; `None`
/// when the site's published address is not known. `listed` are the pages of the listings
/// split into pages (the advisories' and the timeline's).
fn sitemap(analysis: &Analysis, listed: &[&str]) -> Option<SitemapView> {
    let published = analysis.config.published_routes()?;
    let listings = [Routes::HOME, Routes::PRODUCTS]
        .iter()
        .chain(listed)
        .map(|path| path.to_string());
    let histories = analysis.history.as_ref().map(|h| &h.advisories);
    let advisories = analysis.corpus.advisories.iter().enumerate();
    let pages = advisories.flat_map(|(a, advisory)| {
        let rev = &analysis.reconciled[a];
        let notices = rev
            .order
            .iter()
            .map(move |&n| page_path(analysis, &advisory.id, n, rev.current()));
        let commits = histories
            .and_then(|h| h.get(a))
            .into_iter()
            .flat_map(commit_pages)
            .filter_map(|r| {
                let commit = r.source.commit.as_ref()?;
                Some(Routes::commit_revision(&advisory.id, &commit.id))
            });
        notices.chain(commits)
    });
    let products = analysis
        .feed
        .products
        .iter()
        .map(|p| Routes::product(&p.id));
    Some(SitemapView {
        root: published.base().to_string(),
        urls: listings
            .into_iter()
            .chain(pages)
            .chain(products)
            .map(|path| published.url(&path))
            .collect(),
    })
}

/// The committed revisions that changed a fact: those that get a page.
fn commit_pages(history: &AdvisoryHistory) -> impl Iterator<Item = &Revision> {
    history
        .revisions
        .iter()
        .filter(|r| !r.changes.is_empty() && r.source.commit.is_some())
}

/// A revision that changed a fact, of the advisory `id`.
fn change_view(
    revision: &Revision,
    id: &str,
    routes: Routes<'_>,
    repository: Option<&str>,
) -> ChangeView {
    let commit = revision.source.commit.as_ref();
    // Uncommitted text is the advisory's own page.
    let path = commit.map_or_else(
        || Routes::advisory(id),
        |c| Routes::commit_revision(id, &c.id),
    );
    ChangeView {
        date: commit.map(|c| c.timestamp()),
        date_display: commit.map_or_else(|| "uncommitted".to_string(), |c| display_date(c.date())),
        commit: commit.map(|c| c.id.clone()),
        short: commit.map(|c| c.short().to_string()),
        commit_url: commit
            .zip(repository)
            .map(|(c, repository)| format!("{repository}/commit/{}", c.id)),
        url: routes.url(&path),
        path,
        file: revision.source.path.site_path().display().to_string(),
        changes: revision.changes.iter().map(Change::describe).collect(),
    }
}

/// The advisory `id`'s change log, newest first.
fn history_view(
    history: &AdvisoryHistory,
    id: &str,
    routes: Routes<'_>,
    repository: Option<&str>,
) -> HistoryView {
    let first = history.first_published();
    HistoryView {
        changes: history
            .revisions
            .iter()
            .rev()
            .filter(|r| !r.changes.is_empty())
            .map(|r| change_view(r, id, routes, repository))
            .collect(),
        unchanged: history.unchanged(),
        first_published: first.map(|c| c.timestamp()),
        first_published_display: first.map(|c| display_date(c.date())),
    }
}

/// The page of notice `n` of the advisory `id`: the advisory's own page when `n` is the
/// standing revision, else a page under `revisions/`.
fn page_path(analysis: &Analysis, id: &str, n: usize, current: usize) -> String {
    if n == current {
        Routes::advisory(id)
    } else {
        Routes::notice_revision(id, analysis.corpus.notices[n].path.as_str())
    }
}

/// A date of the feed (`2025-04-30`, `2025-04`) as pages show it.
fn date_view(date: PartialDate) -> DateView {
    DateView {
        iso: date.to_string(),
        display: display_partial(date),
        last_day: Some(date.last_day().to_string()),
    }
}

/// A requirement's deadline as pages show it; text a feed holds instead of a date is shown
/// as it is.
fn deadline_view(deadline: &Readable<PartialDate>) -> DateView {
    match deadline {
        Readable::Read(date) => date_view(*date),
        Readable::Unreadable(text) => DateView {
            iso: text.clone(),
            display: text.clone(),
            last_day: None,
        },
    }
}

/// What `advisory` asks of each product it names, from its standing requirements with a
/// version (placeholders are in the requirements table only): products in the order the
/// advisory states them, each one's versions grouped by deadline.
fn actions(advisory: &FeedAdvisory, names: &BTreeMap<String, LinkView>) -> Vec<ActionView> {
    type Steps = BTreeMap<Option<String>, ActionStep>;
    let mut by_product: Vec<(&str, Steps)> = Vec::new();
    for r in advisory
        .requirements
        .iter()
        .filter(|r| r.superseded_by.is_none())
    {
        let Some(version) = &r.minimum_version else {
            continue;
        };
        let at = match by_product.iter().position(|(p, _)| *p == r.product) {
            Some(at) => at,
            None => {
                by_product.push((&r.product, BTreeMap::new()));
                by_product.len() - 1
            }
        };
        let deadline = r.deadline.as_ref().map(deadline_view);
        // Steps sort by the deadline's last day (`2025-04` after `2025-04-15`); now first.
        let key = deadline
            .as_ref()
            .map(|d| d.last_day.clone().unwrap_or_else(|| d.iso.clone()));
        let step = by_product[at].1.entry(key).or_insert_with(|| ActionStep {
            versions: Vec::new(),
            deadline,
        });
        let wanted = ActionVersion {
            version: version.clone(),
            clouds: (!r.clouds.is_empty()).then(|| r.clouds.join(", ")),
        };
        if !step.versions.contains(&wanted) {
            step.versions.push(wanted);
        }
    }
    by_product
        .into_iter()
        .map(|(product, steps)| ActionView {
            product: names.get(product).cloned().unwrap_or_else(|| LinkView {
                title: product.to_string(),
                url: String::new(),
            }),
            steps: steps.into_values().collect(),
        })
        .collect()
}

/// The revisions' disagreements in words, one line per field, and the reason they share
/// when every one has the same (said once rather than on every line).
fn conflict_groups(
    advisory: &FeedAdvisory,
    names: &BTreeMap<String, LinkView>,
) -> (Vec<ConflictGroupView>, Option<String>) {
    let source = |s: &crate::policy::feed::FeedSource| format!("{}:{}", s.file, s.line);
    let shared = advisory
        .conflicts
        .first()
        .map(|c| &c.reason)
        .filter(|reason| advisory.conflicts.iter().all(|c| &c.reason == *reason));
    let mut groups: Vec<ConflictGroupView> = Vec::new();
    for c in &advisory.conflicts {
        let field = field_in_words(&c.field, names);
        let rejected: Vec<String> = c
            .rejected
            .iter()
            .map(|r| format!("{} ({})", r.value, source(&r.source)))
            .collect();
        // The same field and value stated again (two pivots, two lines) is one line.
        if let Some(group) = groups
            .iter_mut()
            .find(|g| g.field == field && g.chosen == c.chosen)
        {
            for r in rejected {
                if !group.rejected.contains(&r) {
                    group.rejected.push(r);
                }
            }
            continue;
        }
        groups.push(ConflictGroupView {
            field,
            chosen: c.chosen.clone(),
            chosen_source: source(&c.chosen_source),
            rejected,
            reason: if shared.is_some() {
                String::new()
            } else {
                in_quotes(&c.reason)
            },
        });
    }
    (groups, shared.map(|r| in_quotes(r)))
}

/// Reconciling's reasons in words for a page: the feed's `` `ms.date` `` reads “ms.date”.
fn in_quotes(text: &str) -> String {
    let mut open = false;
    text.chars()
        .map(|c| match c {
            '`' => {
                open = !open;
                if open { '“' } else { '”' }
            }
            c => c,
        })
        .collect()
}

/// A conflict's field for people: `requirement entra-connect-sync (commercial): deadline`
/// is `Deadline for Microsoft Entra Connect Sync (commercial)`; `title` is `Title`.
fn field_in_words(field: &str, names: &BTreeMap<String, LinkView>) -> String {
    if let Some((label, which)) = field
        .strip_prefix("requirement ")
        .and_then(|rest| rest.rsplit_once(": "))
    {
        let (product, qualifier) = label.split_once(' ').unwrap_or((label, ""));
        let name = names.get(product).map_or(product, |l| l.title.as_str());
        let qualifier = qualifier.replace(" [pivot ", " (pivot ").replace(']', ")");
        let what = match which {
            "minimum_version" => "Minimum version of",
            "deadline" => "Deadline for",
            other => other,
        };
        return format!(
            "{what} {name}{}{qualifier}",
            if qualifier.is_empty() { "" } else { " " }
        )
        .replace("  ", " ");
    }
    field_label(field)
}

/// Each product's minimums on `today`, in the feed's product order.
fn product_status(
    feed: &Feed,
    links: &HashMap<&str, LinkView>,
    today: jiff::civil::Date,
) -> Vec<ProductStatusView> {
    let view = |e: policy::Effective| EffectiveView {
        deadline: e.deadline.map(date_view),
        advisory: links.get(e.advisory.as_str()).cloned(),
        version: e.version.canonical().to_string(),
        clouds: e.clouds,
    };
    policy::status(feed, today)
        .into_iter()
        .zip(&feed.products)
        .map(|(status, product)| ProductStatusView {
            product: LinkView {
                title: product.name.clone(),
                url: product.url.clone(),
            },
            in_force: status.in_force.into_iter().map(view).collect(),
            next: status.next.into_iter().map(view).collect(),
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbered links name the first and last pages and two on each side of the
    /// current one, a gap standing for the rest.
    #[test]
    fn page_numbers_stay_few() {
        let cases: [(usize, usize, &[Option<usize>]); 6] = [
            (1, 1, &[Some(1)]),
            (2, 3, &[Some(1), Some(2), Some(3)]),
            (1, 10, &[Some(1), Some(2), Some(3), None, Some(10)]),
            (
                4,
                10,
                &[
                    Some(1),
                    Some(2),
                    Some(3),
                    Some(4),
                    Some(5),
                    Some(6),
                    None,
                    Some(10),
                ],
            ),
            (
                50,
                100,
                &[
                    Some(1),
                    None,
                    Some(48),
                    Some(49),
                    Some(50),
                    Some(51),
                    Some(52),
                    None,
                    Some(100),
                ],
            ),
            (100, 100, &[Some(1), None, Some(98), Some(99), Some(100)]),
        ];
        for (current, count, expected) in cases {
            assert_eq!(
                page_numbers(current, count),
                expected,
                "{current} of {count}"
            );
        }
    }

    /// Pages hold `per_page` advisories each, the last the rest; one page has no links.
    #[test]
    fn advisory_pages_split_the_list() {
        let routes = Routes::new("/");
        let one = advisory_pages(3, 3, routes);
        assert_eq!(one.len(), 1);
        assert_eq!(
            (one[0].path.as_str(), one[0].items.clone()),
            ("advisories/", 0..3)
        );
        assert!(one[0].nav.is_none() && one[0].label.is_none());
        assert_eq!(advisory_pages(0, 3, routes)[0].items, 0..0);
        let three = advisory_pages(7, 3, routes);
        let split: Vec<(&str, Range<usize>)> = three
            .iter()
            .map(|p| (p.path.as_str(), p.items.clone()))
            .collect();
        assert_eq!(
            split,
            [
                ("advisories/", 0..3),
                ("advisories/page/2/", 3..6),
                ("advisories/page/3/", 6..7)
            ]
        );
        let middle = three[1].nav.as_ref().map(|n| {
            (
                n.previous.as_ref().map(|l| l.url.as_str()),
                n.next.as_ref().map(|l| l.url.as_str()),
            )
        });
        assert_eq!(
            middle,
            Some((Some("/advisories/"), Some("/advisories/page/3/")))
        );
    }
}
