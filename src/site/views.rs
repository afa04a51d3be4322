//! Assembling what the templates show from the analysis: one view per page.

use std::collections::{BTreeMap, BTreeSet};

use super::Analysis;
use crate::date::{PartialDate, Precision, parse_date};
use crate::model::{BlockKind, Facts, MilestoneKind, Notice};
use crate::policy::{
    self,
    feed::{Feed, FeedAdvisory},
};
use crate::reconcile::Reconciled;
use crate::render::search::SearchDoc;
use crate::render::{
    AdvisoryPage, AdvisorySummary, Fact, HomeView, ImpactView, LinkView, MilestoneView,
    NextRequirementView, ProductPage, ProductStatusView, RequirementView, RevisionView, SiteView,
    SiteViews,
};
use crate::slug::slugify;

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

/// The current pages' headings, by URL, for the search index.
fn summaries_for_search(pages: &[AdvisoryPage]) -> BTreeMap<&str, &AdvisoryPage> {
    pages
        .iter()
        .filter(|p| p.superseded_by.is_none())
        .map(|p| (p.url.as_str(), p))
        .collect()
}

/// Search documents: each advisory (title, description, products, versions, headings) and
/// each product (name, aliases, versions).
fn search_docs(analysis: &Analysis, pages: &BTreeMap<&str, &AdvisoryPage>) -> Vec<SearchDoc> {
    let feed = &analysis.feed;
    let names: BTreeMap<&str, &str> = feed
        .products
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let mut docs = Vec::new();
    let index: BTreeMap<&str, usize> = analysis
        .corpus
        .advisories
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    for advisory in &feed.advisories {
        let current = index
            .get(advisory.id.as_str())
            .map(|&a| analysis.reconciled[a].current());
        let headings: Vec<&str> = current
            .and_then(|n| analysis.rendered.get(n))
            .map(|r| {
                r.blocks
                    .iter()
                    .filter(|b| matches!(b.kind, BlockKind::Heading(_)))
                    .map(|b| b.text.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let mut parts: Vec<&str> = vec![advisory.id.as_str()];
        parts.extend(
            pages
                .get(advisory.url.as_str())
                .and_then(|p| p.description.as_deref()),
        );
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
    let titles: BTreeMap<&str, &str> = feed
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
    advisories: &BTreeMap<&str, LinkView>,
    base: &str,
    today: jiff::civil::Date,
) -> Vec<MilestoneView> {
    let anchor = |advisory: &str, kind: &str, date: &str| format!("m-{advisory}-{kind}-{date}");
    let mut milestones: Vec<MilestoneView> = feed
        .advisories
        .iter()
        .flat_map(|a| a.deadlines.iter().map(move |d| (a, d)))
        .filter_map(|(a, d)| {
            let date = parse_date(&d.date)?;
            let advisory = advisories.get(a.id.as_str())?.clone();
            let superseded_by = d.superseded_by.as_ref().map(|s| match &s.date {
                Some(new) => LinkView {
                    title: format!("moved to {new}"),
                    url: format!("{base}timeline/#{}", anchor(&a.id, &d.kind, new)),
                },
                None => LinkView {
                    title: format!("superseded by content/{}", s.file),
                    url: advisory.url.clone(),
                },
            });
            let days_left = days_between(today, date.last_day());
            Some(MilestoneView {
                anchor: anchor(&a.id, &d.kind, &d.date),
                date: d.date.clone(),
                date_display: display_partial(date),
                kind_label: kind_label(&d.kind),
                kind: d.kind.clone(),
                text: d.text.clone(),
                advisory,
                days_left,
                past: days_left < 0,
                superseded_by,
            })
        })
        .collect();
    milestones
        .sort_by(|a, b| (&a.date, &a.kind, &a.advisory).cmp(&(&b.date, &b.kind, &b.advisory)));
    milestones.dedup_by(|a, b| a.anchor == b.anchor);
    milestones
}

fn kind_label(kind: &str) -> String {
    let mut label = kind.replace('-', " ");
    if let Some(first) = label.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    label
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
fn days_between(from: jiff::civil::Date, to: jiff::civil::Date) -> i64 {
    from.until(to).map_or(0, |span| i64::from(span.get_days()))
}

/// `September 23, 2024`, `December 2022` or `2022`.
fn display_partial(date: PartialDate) -> String {
    let first = date.first_day();
    match date.precision() {
        Precision::Day => display_date(first),
        Precision::Month => first.strftime("%B %Y").to_string(),
        Precision::Year => first.strftime("%Y").to_string(),
    }
}

/// Every page's view.
pub fn views(analysis: &Analysis, today: jiff::civil::Date) -> SiteViews {
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
                updated: last_change(rev, &corpus.notices, &analysis.facts),
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
    let timeline = timeline(feed, &advisory_titles, base, today);
    let home = HomeView {
        today: today.to_string(),
        upcoming: timeline
            .iter()
            .filter(|m| {
                !m.past
                    && m.superseded_by.is_none()
                    && m.kind != "past-event"
                    && m.kind != "release"
            })
            .cloned()
            .collect(),
        products: policy::status(feed, today)
            .into_iter()
            .zip(&feed.products)
            .map(|(status, product)| ProductStatusView {
                product: LinkView {
                    title: product.name.clone(),
                    url: product.url.clone(),
                },
                in_force: status
                    .in_force
                    .iter()
                    .map(|(clouds, version)| match clouds.as_str() {
                        "all" => version.clone(),
                        clouds => format!("{version} ({clouds})"),
                    })
                    .collect(),
                next: status.next.map(|(version, clouds, deadline, advisory)| {
                    NextRequirementView {
                        days_left: parse_date(&deadline)
                            .map_or(0, |d| days_between(today, d.last_day())),
                        version,
                        clouds,
                        deadline,
                        advisory: advisory_titles.get(advisory.as_str()).cloned(),
                    }
                }),
            })
            .collect(),
    };
    let search = search_docs(analysis, &summaries_for_search(&pages));
    SiteViews {
        search,
        home,
        timeline,
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
            // Only host names reach the policy: a space or `;` in a configured "host" would
            // add sources or directives to it.
            frame_src: config
                .iframe_hosts
                .iter()
                .filter(|host| {
                    !host.is_empty()
                        && host
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'))
                })
                .map(|host| format!("https://{host}"))
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
