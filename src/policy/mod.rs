//! Stage 5, policy: the requirements per product across advisories, the JSON feed that
//! publishes them, and the answer to "is version V of product P compliant on date D?".
//!
//! `bulletin check` answers from the feed alone, exactly as a fleet script would, so the
//! command and the published feed can never disagree.

pub mod feed;
pub mod fetch;

use std::borrow::Cow;
use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::catalog::Catalog;
use crate::date::PartialDate;
use crate::model::ProductRef;
use crate::model::{Advisory, CommitRef, GroupBasis, Milestone, Notice, Requirement, SourcePos};
use crate::names::{fold_name, words};
use crate::reconcile::history::{AdvisoryHistory, Change};
use crate::reconcile::{Reconciled, Ruled, SupersedeReason, SupersededBy};
use crate::routes::Routes;
use crate::version::{Version, VersionError, VersionSpec};
use feed::*;

/// What the feed is built from.
#[derive(Debug, Clone, Copy)]
pub struct FeedInput<'a> {
    /// The site's URLs.
    pub routes: Routes<'a>,
    /// `default_cloud` from the settings.
    pub default_cloud: Option<&'a str>,
    /// `generated_at`.
    pub generated_at: &'a str,
    /// Every notice.
    pub notices: &'a [Notice],
    /// Every advisory.
    pub advisories: &'a [Advisory],
    /// Each advisory's reconciled facts, in the same order.
    pub reconciled: &'a [Reconciled],
    /// Each notice's title.
    pub titles: &'a [String],
    /// The product catalog.
    pub catalog: &'a Catalog,
    /// What git history says, when it was read.
    pub history: Option<FeedHistory<'a>>,
}

/// The history a feed carries.
#[derive(Debug, Clone, Copy)]
pub struct FeedHistory<'a> {
    /// The newest commit read.
    pub head: Option<&'a CommitRef>,
    /// The oldest commit read, when the clone is shallow.
    pub since: Option<&'a CommitRef>,
    /// Each advisory's history, in the order of [`FeedInput::advisories`].
    pub advisories: &'a [AdvisoryHistory],
}

fn feed_commit(commit: &CommitRef) -> FeedCommit {
    FeedCommit {
        commit: commit.id.clone(),
        date: commit.timestamp(),
    }
}

/// Why a value that stood in a past revision no longer does: revision `until` replaced or
/// removed it.
fn later_commit(history: &AdvisoryHistory, until: usize) -> Option<FeedSupersededBy> {
    let source = &history.revisions.get(until)?.source;
    Some(FeedSupersededBy {
        reason: SupersedeReason::LaterCommit,
        file: source.path.to_string(),
        date: None,
        commit: source.commit.as_ref().map(|c| c.id.clone()),
        committed_at: source.commit.as_ref().map(CommitRef::timestamp),
    })
}

/// Builds the feed.
pub fn build_feed(input: FeedInput<'_>) -> Feed {
    let routes = input.routes;
    let mut advisories = Vec::new();
    let mut products: BTreeMap<String, (ProductRef, Vec<FeedRequirement>)> = BTreeMap::new();
    for (a, (advisory, reconciled)) in input.advisories.iter().zip(input.reconciled).enumerate() {
        let current = reconciled.current();
        let history = input.history.and_then(|h| h.advisories.get(a));
        let mut requirements: Vec<(&ProductRef, FeedRequirement)> = reconciled
            .requirements
            .iter()
            .map(|r| {
                let mut feed = requirement(r, &advisory.id);
                if r.superseded_by.is_none() {
                    feed.stated_in = history
                        .and_then(|h| h.requirement_stated_in(&r.value))
                        .map(feed_commit);
                }
                (&r.value.product, feed)
            })
            .collect();
        let mut deadlines: Vec<(&Milestone, FeedDeadline)> = reconciled
            .milestones
            .iter()
            .map(|m| {
                let mut feed = deadline(m);
                if m.superseded_by.is_none() {
                    feed.stated_in = history
                        .and_then(|h| h.milestone_stated_in(&m.value))
                        .map(feed_commit);
                }
                (&m.value, feed)
            })
            .collect();
        // Values that stood in past revisions and no longer do.
        if let Some(h) = history {
            for span in &h.requirements {
                let Some(until) = span.until else { continue };
                let mut feed = requirement(
                    &Ruled {
                        value: span.value.clone(),
                        superseded_by: None,
                    },
                    &advisory.id,
                );
                feed.superseded_by = later_commit(h, until);
                feed.stated_in = h.revisions[span.from]
                    .source
                    .commit
                    .as_ref()
                    .map(feed_commit);
                requirements.push((&span.value.product, feed));
            }
            for span in &h.milestones {
                let Some(until) = span.until else { continue };
                let mut feed = deadline(&Ruled {
                    value: span.value.clone(),
                    superseded_by: None,
                });
                feed.superseded_by = later_commit(h, until);
                feed.stated_in = h.revisions[span.from]
                    .source
                    .commit
                    .as_ref()
                    .map(feed_commit);
                deadlines.push((&span.value, feed));
            }
        }
        deadlines.sort_by_key(|(m, _)| (m.date, m.kind));
        for (product, feed) in &requirements {
            products
                .entry(product.id.clone())
                .or_insert_with(|| ((*product).clone(), Vec::new()))
                .1
                .push(feed.clone());
        }
        // Every product a fact names has an entry, so no id in the feed dangles.
        let named = reconciled
            .impacts
            .iter()
            .map(|i| &i.product)
            .chain(deadlines.iter().filter_map(|(m, _)| m.product.as_ref()));
        for product in named {
            products
                .entry(product.id.clone())
                .or_insert_with(|| (product.clone(), Vec::new()));
        }
        advisories.push(FeedAdvisory {
            id: advisory.id.clone(),
            title: input.titles[current].clone(),
            url: routes.url(&Routes::advisory(&advisory.id)),
            revisions: reconciled
                .order
                .iter()
                .map(|&n| FeedRevision {
                    file: input.notices[n].path.to_string(),
                    ms_date: input.notices[n].front.ms_date,
                    status: if n == current {
                        RevisionStatus::Current
                    } else {
                        RevisionStatus::Superseded
                    },
                    grouped_by: advisory.grouped_by.iter().find(|g| g.notice == n).map(|g| {
                        FeedGrouping {
                            basis: g.basis.kind(),
                            with: input.notices[g.with].path.to_string(),
                            shared_text_percent: match g.basis {
                                GroupBasis::SharedText(percent) => Some(percent),
                                _ => None,
                            },
                        }
                    }),
                })
                .collect(),
            order_basis: reconciled.basis,
            order_reason: reconciled.reason.clone(),
            deadlines: deadlines.into_iter().map(|(_, d)| d).collect(),
            requirements: requirements.into_iter().map(|(_, r)| r).collect(),
            impacts: reconciled
                .impacts
                .iter()
                .map(|i| FeedImpact {
                    product: i.product.id.clone(),
                    impact: i.impact.clone(),
                    source: source(&i.source),
                })
                .collect(),
            conflicts: reconciled
                .conflicts
                .iter()
                .map(|c| FeedConflict {
                    field: c.field.clone(),
                    chosen: c.chosen.clone(),
                    chosen_source: source(&c.chosen_source),
                    rejected: c
                        .rejected
                        .iter()
                        .map(|r| FeedRejected {
                            value: r.value.clone(),
                            source: source(&r.source),
                        })
                        .collect(),
                    reason: c.reason.clone(),
                })
                .collect(),
            first_published: history
                .and_then(AdvisoryHistory::first_published)
                .map(CommitRef::timestamp),
            last_changed: history
                .and_then(AdvisoryHistory::last_changed)
                .map(CommitRef::timestamp),
            history: history
                .map(|h| {
                    h.revisions
                        .iter()
                        .filter(|r| !r.changes.is_empty())
                        .map(|r| FeedHistoryEntry {
                            commit: r.source.commit.as_ref().map(|c| c.id.clone()),
                            date: r.source.commit.as_ref().map(CommitRef::timestamp),
                            file: r.source.path.to_string(),
                            changes: r
                                .changes
                                .iter()
                                .flat_map(Change::fields)
                                .map(|f| FeedChange {
                                    field: f.field,
                                    from: f.from,
                                    to: f.to,
                                })
                                .collect(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            unchanged_revisions: history.map(AdvisoryHistory::unchanged),
        });
    }
    advisories.sort_by(|a, b| a.id.cmp(&b.id));
    let products = products
        .into_values()
        .map(|(product, mut requirements)| {
            // By the deadline as written: ISO text order, which puts `2025-Q2` after
            // `2025-06` (as feeds have always been sorted).
            requirements.sort_by_cached_key(|r| {
                (
                    r.superseded_by.is_some(),
                    r.deadline.as_ref().map(Readable::to_string),
                    r.advisory.clone(),
                    r.source.file.clone(),
                    r.source.line,
                )
            });
            let aliases = input
                .catalog
                .find(&product.id)
                .map(|p| p.aliases.clone())
                .unwrap_or_default();
            FeedProduct {
                url: routes.url(&Routes::product(&product.id)),
                id: product.id,
                name: product.name,
                aliases,
                in_catalog: product.in_catalog,
                requirements,
            }
        })
        .collect();
    Feed {
        schema_version: SCHEMA_VERSION.to_string(),
        generated_at: input.generated_at.to_string(),
        default_cloud: input.default_cloud.map(str::to_string),
        products,
        advisories,
        history_head: input.history.and_then(|h| h.head).map(feed_commit),
        history_since: input.history.and_then(|h| h.since).map(feed_commit),
    }
}

/// Each product's advisories: those its requirements come from and those that name an
/// impact or a cutoff on it, by id; so every product in the feed has at least one. Built
/// once for every product, so that making all product feeds costs what they hold rather
/// than products x advisories.
pub fn advisories_by_product(feed: &Feed) -> BTreeMap<&str, Vec<&FeedAdvisory>> {
    let mut by_product: BTreeMap<&str, Vec<&FeedAdvisory>> = BTreeMap::new();
    for advisory in &feed.advisories {
        let named = advisory
            .requirements
            .iter()
            .map(|r| r.product.as_str())
            .chain(advisory.impacts.iter().map(|i| i.product.as_str()))
            .chain(
                advisory
                    .deadlines
                    .iter()
                    .filter_map(|d| d.product.as_deref()),
            );
        for product in named {
            let list = by_product.entry(product).or_default();
            // The feed lists advisories by id, so a repeat can only be the last one.
            if list.last().is_none_or(|a| a.id != advisory.id) {
                list.push(advisory);
            }
        }
    }
    by_product
}

/// One product's own feed: the product and a summary of each advisory it cites (from
/// [`advisories_by_product`]), borrowed from the whole feed.
pub fn product_feed<'a>(
    feed: &'a Feed,
    product: &'a FeedProduct,
    cited: &[&'a FeedAdvisory],
) -> ProductFeed<'a> {
    ProductFeed {
        schema_version: Cow::Borrowed(PRODUCT_SCHEMA_VERSION),
        generated_at: Cow::Borrowed(&feed.generated_at),
        default_cloud: feed.default_cloud.as_deref().map(Cow::Borrowed),
        product: Cow::Borrowed(product),
        advisories: cited
            .iter()
            .map(|advisory| product_feed_advisory(advisory, &product.id))
            .collect(),
        history_head: feed.history_head.as_ref().map(Cow::Borrowed),
        history_since: feed.history_since.as_ref().map(Cow::Borrowed),
    }
}

/// What a product feed says of `advisory`: its cutoffs naming `product` or no product.
fn product_feed_advisory<'a>(advisory: &'a FeedAdvisory, product: &str) -> ProductFeedAdvisory<'a> {
    // Revisions are listed oldest first; the current one is marked, else the last stands.
    let current = advisory
        .revisions
        .iter()
        .find(|r| r.status == RevisionStatus::Current)
        .or(advisory.revisions.last())
        .map_or("", |r| r.file.as_str());
    ProductFeedAdvisory {
        id: Cow::Borrowed(&advisory.id),
        title: Cow::Borrowed(&advisory.title),
        url: Cow::Borrowed(&advisory.url),
        current_revision: Cow::Borrowed(current),
        last_changed: advisory.last_changed.as_deref().map(Cow::Borrowed),
        deadlines: advisory
            .deadlines
            .iter()
            .filter(|d| d.product.as_deref().is_none_or(|p| p == product))
            .map(Cow::Borrowed)
            .collect(),
    }
}

fn source(pos: &SourcePos) -> FeedSource {
    FeedSource {
        file: pos.file.to_string(),
        line: pos.line,
    }
}

fn superseded(by: &Option<SupersededBy>) -> Option<FeedSupersededBy> {
    by.as_ref().map(|s| FeedSupersededBy {
        reason: s.reason,
        file: s.file.to_string(),
        date: s.date,
        commit: None,
        committed_at: None,
    })
}

fn requirement(ruled: &Ruled<Requirement>, advisory: &str) -> FeedRequirement {
    let r = &ruled.value;
    let (minimum_version, placeholder) = match &r.minimum {
        VersionSpec::Exact(v) => (Some(v.canonical().to_string()), None),
        VersionSpec::Placeholder(p) => (None, Some(p.clone())),
    };
    FeedRequirement {
        product: r.product.id.clone(),
        minimum_version,
        placeholder,
        deadline: r.deadline.map(Readable::Read),
        clouds: r.clouds.clone(),
        advisory: advisory.to_string(),
        text: r.text.clone(),
        source: source(&r.source),
        superseded_by: superseded(&ruled.superseded_by),
        pivot: r.pivot.clone(),
        stated_in: None,
    }
}

fn deadline(ruled: &Ruled<Milestone>) -> FeedDeadline {
    let m = &ruled.value;
    FeedDeadline {
        date: m.date,
        precision: m.date.precision(),
        kind: m.kind,
        product: m.product.as_ref().map(|p| p.id.clone()),
        version: m.version.clone(),
        pivot: m.pivot.clone(),
        text: m.text.clone(),
        source: source(&m.source),
        also_stated_at: m.also_stated_at.iter().map(source).collect(),
        superseded_by: superseded(&ruled.superseded_by),
        stated_in: None,
    }
}

/// Whether a requirement with this deadline is in force on `day`: from the day after the
/// last day the deadline covers ("by D" means D is still allowed); at once without one.
pub fn is_in_force(deadline: Option<PartialDate>, day: Date) -> bool {
    deadline.is_none_or(|d| day > d.last_day())
}

/// Where a product stands on a day: the one minimum in force per cloud, and what comes next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductStatus {
    /// The product's id.
    pub product: String,
    /// The effective minimum in force on the day, per cloud. A requirement for every cloud
    /// counts in each cloud the product's requirements name (the clouds `check` knows), so
    /// a lower minimum that a higher one makes moot is never listed; clouds with the same
    /// minimum from the same requirement are one entry.
    pub in_force: Vec<Effective>,
    /// The requirements that come into force next (those sharing the soonest deadline
    /// that raise some cloud's minimum), in the same form.
    pub next: Vec<Effective>,
}

/// A minimum version and the requirement it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Effective {
    /// The clouds it holds in, joined (`commercial, noncommercial`); `None` for every cloud.
    pub clouds: Option<String>,
    /// The minimum version.
    pub version: Version,
    /// The requirement's deadline, at the notice's precision; `None` when it holds from
    /// publication.
    pub deadline: Option<PartialDate>,
    /// The advisory stating it.
    pub advisory: String,
}

/// Every product's status on `day`, from the standing requirements with real versions.
pub fn status(feed: &Feed, day: Date) -> Vec<ProductStatus> {
    feed.products
        .iter()
        .map(|product| {
            // A requirement the feed cannot read, or a placeholder, does not count here;
            // `check` says so.
            let readable: Vec<(&FeedRequirement, Version, Option<PartialDate>)> =
                standing(product, None)
                    .filter_map(Result::ok)
                    .filter_map(|(r, minimum, deadline)| Some((r, minimum?, deadline)))
                    .collect();
            let standing = readable;
            let named: std::collections::BTreeSet<&str> = standing
                .iter()
                .flat_map(|(r, ..)| r.clouds.iter().map(String::as_str))
                .collect();
            let clouds: Vec<Option<&str>> = if named.is_empty() {
                vec![None]
            } else {
                named.into_iter().map(Some).collect()
            };
            let holds_in = |r: &FeedRequirement, cloud: Option<&str>| {
                cloud.is_none_or(|c| r.clouds.is_empty() || r.clouds.iter().any(|x| x == c))
            };
            // Per cloud: the highest minimum in force; of equals, the one in force first.
            let mut in_force: Vec<(Option<&str>, usize)> = Vec::new();
            for &cloud in &clouds {
                let best = standing
                    .iter()
                    .enumerate()
                    .filter(|(_, (r, _, d))| holds_in(r, cloud) && is_in_force(*d, day))
                    .max_by(|(_, (_, va, da)), (_, (_, vb, db))| {
                        va.cmp(vb)
                            .then_with(|| db.map(|d| d.last_day()).cmp(&da.map(|d| d.last_day())))
                    });
                if let Some((i, _)) = best {
                    in_force.push((cloud, i));
                }
            }
            let effective = |cloud: Option<&str>| {
                in_force
                    .iter()
                    .find(|(c, _)| *c == cloud)
                    .map(|&(_, i)| &standing[i].1)
            };
            // Next: the soonest deadline still ahead whose requirement raises a cloud's minimum.
            let mut next: Vec<(Option<&str>, usize)> = Vec::new();
            let mut soonest: Option<Date> = None;
            for (i, (r, version, deadline)) in standing.iter().enumerate() {
                let Some(deadline) = deadline.filter(|d| !is_in_force(Some(*d), day)) else {
                    continue;
                };
                for &cloud in &clouds {
                    if !holds_in(r, cloud) || effective(cloud).is_some_and(|v| v >= version) {
                        continue;
                    }
                    let last = deadline.last_day();
                    if soonest.is_none_or(|s| last < s) {
                        soonest = Some(last);
                        next.clear();
                    }
                    if soonest == Some(last) {
                        // Of two due the same day in one cloud, the higher counts.
                        match next.iter_mut().find(|(c, _)| *c == cloud) {
                            Some(slot) if standing[slot.1].1 < *version => slot.1 = i,
                            Some(_) => {}
                            None => next.push((cloud, i)),
                        }
                    }
                }
            }
            let entries = |chosen: Vec<(Option<&str>, usize)>| -> Vec<Effective> {
                let mut merged: Vec<(Vec<&str>, usize)> = Vec::new();
                for (cloud, i) in chosen {
                    match merged.iter_mut().find(|(_, j)| *j == i) {
                        Some((names, _)) => names.extend(cloud),
                        None => merged.push((cloud.into_iter().collect(), i)),
                    }
                }
                merged
                    .into_iter()
                    .map(|(names, i)| {
                        let (r, version, deadline) = &standing[i];
                        Effective {
                            // Every cloud named, or none named: it holds everywhere.
                            clouds: (names.len() < clouds.len() || !r.clouds.is_empty())
                                .then(|| names.join(", "))
                                .filter(|n| !n.is_empty()),
                            version: version.clone(),
                            deadline: *deadline,
                            advisory: r.advisory.clone(),
                        }
                    })
                    .collect()
            };
            ProductStatus {
                product: product.id.clone(),
                in_force: entries(in_force),
                next: entries(next),
            }
        })
        .collect()
}

/// A compliance question.
#[derive(Debug, Clone)]
pub struct Query {
    /// A product id, name or alias.
    pub product: String,
    /// The installed version.
    pub version: String,
    /// The cloud; `None` uses the feed's default cloud, else the strictest requirement.
    pub cloud: Option<String>,
    /// The day to judge.
    pub on: Date,
    /// Answer from what the notices said on this day (the last revision committed by its
    /// end, UTC) instead of what they say now; needs a feed built with history.
    pub as_of: Option<Date>,
}

/// Why a question cannot be answered.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// No product in the feed has that id, name or alias.
    #[error("no product `{0}` in the feed; {1}")]
    UnknownProduct(String, String),
    /// The version is not a version.
    #[error("`{0}` is not a version: {1}")]
    BadVersion(String, VersionError),
    /// The feed names no such cloud.
    #[error("no cloud `{cloud}` in the feed; {product} has: {known}")]
    UnknownCloud {
        /// The cloud asked about.
        cloud: String,
        /// The product's id.
        product: String,
        /// The clouds the product's requirements name (the feed's, when they name none).
        known: String,
    },
    /// `--as-of` needs history the feed does not carry.
    #[error(
        "the feed carries no history (it was built without git history, or with `history: off` or --no-history), so it cannot say what the notices said on {0}"
    )]
    NoHistory(Date),
    /// `--as-of` asks about a day before the history the feed was built from.
    #[error(
        "the feed's history starts on {since} (it was built from a shallow clone), so it cannot say what the notices said on {day}; build it from the whole history"
    )]
    BeforeHistory {
        /// The day asked about.
        day: Date,
        /// The first day the feed's history knows.
        since: Date,
    },
    /// A requirement on the product that could count cannot be read, so no answer can be
    /// trusted.
    #[error(
        "the feed's requirement on {product} from advisory {advisory} ({file}:{line}) has {what}; the feed is damaged or newer than this bulletin"
    )]
    Uninterpretable {
        /// The product's id.
        product: String,
        /// The advisory the requirement comes from.
        advisory: String,
        /// Where it was read from.
        file: String,
        /// The line.
        line: u32,
        /// What cannot be read, with the value.
        what: String,
    },
}

/// How many close names an unknown product's message suggests.
const SUGGESTIONS: usize = 5;

/// The products whose id, name or alias is closest to `wanted` (folded), best first.
fn closest_products(feed: &Feed, wanted: &str) -> String {
    let mut scored: Vec<(f64, &FeedProduct)> = feed
        .products
        .iter()
        .map(|p| {
            let score = std::iter::once(&p.id)
                .chain(std::iter::once(&p.name))
                .chain(&p.aliases)
                .map(|name| {
                    let name = fold_name(name);
                    if !wanted.is_empty() && (name.contains(wanted) || wanted.contains(&name)) {
                        1.0
                    } else {
                        strsim::normalized_damerau_levenshtein(&name, wanted)
                    }
                })
                .fold(0.0, f64::max);
            (score, p)
        })
        .filter(|(score, _)| *score >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let names: Vec<String> = scored
        .iter()
        .take(SUGGESTIONS)
        .map(|(_, p)| format!("`{}` ({})", p.id, p.name))
        .collect();
    if names.is_empty() {
        format!(
            "none of its {} products has a similar id, name or alias",
            feed.products.len()
        )
    } else {
        format!("did you mean {}?", names.join(", "))
    }
}

/// Checks that `cloud` is one the feed names (in a requirement, or as its default).
fn known_cloud(feed: &Feed, product: &FeedProduct, cloud: &str) -> Result<(), QueryError> {
    let clouds = |products: &mut dyn Iterator<Item = &FeedProduct>| -> Vec<String> {
        let mut clouds: Vec<String> = products
            .flat_map(|p| &p.requirements)
            .flat_map(|r| r.clouds.iter().cloned())
            .collect();
        clouds.sort();
        clouds.dedup();
        clouds
    };
    let in_feed = clouds(&mut feed.products.iter());
    let wanted = fold_name(cloud);
    if in_feed
        .iter()
        .chain(&feed.default_cloud)
        .any(|c| fold_name(c) == wanted)
    {
        return Ok(());
    }
    let own = clouds(&mut std::iter::once(product));
    let known = if !own.is_empty() {
        own.join(", ")
    } else if !in_feed.is_empty() {
        format!(
            "no cloud-specific requirement; the feed's clouds are {}",
            in_feed.join(", ")
        )
    } else {
        "no cloud-specific requirement, and the feed names no cloud; leave out --cloud".to_string()
    };
    Err(QueryError::UnknownCloud {
        cloud: cloud.to_string(),
        product: product.id.clone(),
        known,
    })
}

/// A standing requirement with its minimum version (`None`: a placeholder, no minimum to compare with)
/// and deadline.
type Standing<'a> = (&'a FeedRequirement, Option<Version>, Option<PartialDate>);

/// The product's standing requirements, read, in feed order: those not superseded, or with
/// `as_of` those that stood by the end of that day (see [`stood_on`]). Each is an error
/// when the feed cannot say whether it stood or what it asks.
fn standing(
    product: &FeedProduct,
    as_of: Option<Date>,
) -> impl Iterator<Item = Result<Standing<'_>, QueryError>> {
    product.requirements.iter().filter_map(move |requirement| {
        let counts = match as_of {
            None => Ok(requirement.superseded_by.is_none()),
            Some(day) => stood_on(requirement, day),
        };
        match counts {
            Ok(false) => None,
            Ok(true) => Some(
                interpret(requirement).map(|(minimum, deadline)| (requirement, minimum, deadline)),
            ),
            Err(e) => Some(Err(e)),
        }
    })
}

/// A standing requirement's minimum version (`None`: a placeholder, no minimum to compare with) and
/// deadline, or why they cannot be read.
fn interpret(
    requirement: &FeedRequirement,
) -> Result<(Option<Version>, Option<PartialDate>), QueryError> {
    let fail = |what: String| QueryError::Uninterpretable {
        product: requirement.product.clone(),
        advisory: requirement.advisory.clone(),
        file: requirement.source.file.clone(),
        line: requirement.source.line,
        what,
    };
    let minimum = match (&requirement.minimum_version, &requirement.placeholder) {
        (Some(text), _) => Some(text.parse::<Version>().map_err(|e| {
            fail(format!(
                "the minimum_version `{text}`, which is not a version: {e}"
            ))
        })?),
        (None, Some(_)) => None,
        (None, None) => {
            return Err(fail(
                "neither a minimum_version nor a placeholder".to_string(),
            ));
        }
    };
    let deadline = match &requirement.deadline {
        Some(Readable::Read(date)) => Some(*date),
        Some(Readable::Unreadable(text)) => {
            return Err(fail(format!("the deadline `{text}`, which is not a date")));
        }
        None => None,
    };
    Ok((minimum, deadline))
}

/// The day of an RFC 3339 time (`2025-04-09T17:03:11Z`).
fn day_of(timestamp: &str) -> Option<Date> {
    timestamp.get(..10)?.parse().ok()
}

/// Whether a requirement stood on `day` (by the end of it): stated in a commit by then, and
/// not replaced or removed by a commit by then. Values the working tree's uncommitted text
/// states, and values of revisions superseded for other reasons, never stood in a commit.
fn stood_on(requirement: &FeedRequirement, day: Date) -> Result<bool, QueryError> {
    let fail = |what: String| QueryError::Uninterpretable {
        product: requirement.product.clone(),
        advisory: requirement.advisory.clone(),
        file: requirement.source.file.clone(),
        line: requirement.source.line,
        what,
    };
    let Some(stated) = &requirement.stated_in else {
        return Ok(false);
    };
    let from = day_of(&stated.date).ok_or_else(|| {
        fail(format!(
            "the stated_in date `{}`, which is not a time",
            stated.date
        ))
    })?;
    if from > day {
        return Ok(false);
    }
    match &requirement.superseded_by {
        None => Ok(true),
        Some(s) if s.reason == SupersedeReason::LaterCommit => match &s.committed_at {
            None => Ok(true),
            Some(at) => Ok(day_of(at).ok_or_else(|| {
                fail(format!("the committed_at time `{at}`, which is not a time"))
            })? > day),
        },
        Some(_) => Ok(false),
    }
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum Verdict {
    /// Every requirement that applies is met.
    Compliant,
    /// A requirement is unmet but its deadline has not passed.
    UpgradeDue {
        /// The version needed.
        minimum_version: String,
        /// By when (ISO).
        deadline: String,
        /// The advisory that asks for it.
        advisory: String,
        /// With `--as-of`: the commit that stated it.
        #[serde(skip_serializing_if = "Option::is_none")]
        stated_in: Option<FeedCommit>,
    },
    /// A requirement in force names no version yet ("version X or higher"), and no known
    /// minimum is unmet: whether the version meets it cannot be told.
    Undetermined {
        /// The placeholder the notice wrote (`X`).
        placeholder: String,
        /// The deadline that passed (ISO), if it had one.
        deadline: Option<String>,
        /// The advisory that asks for it.
        advisory: String,
        /// Where the notice says so.
        source: FeedSource,
        /// With `--as-of`: the commit that stated it.
        #[serde(skip_serializing_if = "Option::is_none")]
        stated_in: Option<FeedCommit>,
    },
    /// A requirement in force is unmet.
    NonCompliant {
        /// The version needed.
        minimum_version: String,
        /// The deadline that passed (ISO), if it had one.
        deadline: Option<String>,
        /// The advisory that asks for it.
        advisory: String,
        /// With `--as-of`: the commit that stated it.
        #[serde(skip_serializing_if = "Option::is_none")]
        stated_in: Option<FeedCommit>,
    },
}

/// The answer with what it was about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The product's id.
    pub product: String,
    /// The product's name.
    pub name: String,
    /// The version judged.
    pub version: String,
    /// The day judged (ISO).
    pub on: String,
    /// The cloud judged, if any.
    pub cloud: Option<String>,
    /// With `--as-of`: the day whose notices were judged by (ISO).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// Other products of the feed whose names extend this one's, or that this one's
    /// extends ("Contoso Sync" and "Contoso Sync Agent"), with requirements of their own.
    /// Without a catalog saying they are one product, the answer does not count them; they
    /// are named so that a caller does not take a `compliant` for the whole story.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedProduct>,
}

/// A product whose name overlaps the one asked about (see [`Answer::related`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelatedProduct {
    /// Its id.
    pub product: String,
    /// Its name.
    pub name: String,
}

/// The products whose names, word for word, start with `product`'s or that `product`'s
/// starts with, and that have a standing requirement.
fn related_products(feed: &Feed, product: &FeedProduct) -> Vec<RelatedProduct> {
    let own: Vec<Vec<String>> = std::iter::once(&product.name)
        .chain(&product.aliases)
        .map(|n| words(n))
        .collect();
    feed.products
        .iter()
        .filter(|other| other.id != product.id)
        .filter(|other| {
            other
                .requirements
                .iter()
                .any(|r| r.superseded_by.is_none() && r.minimum_version.is_some())
        })
        .filter(|other| {
            std::iter::once(&other.name).chain(&other.aliases).any(|n| {
                let theirs = words(n);
                own.iter().any(|mine| {
                    !mine.is_empty()
                        && !theirs.is_empty()
                        && (theirs.starts_with(mine) || mine.starts_with(&theirs))
                })
            })
        })
        .map(|other| RelatedProduct {
            product: other.id.clone(),
            name: other.name.clone(),
        })
        .collect()
}

/// Judges a version of a product on a day, from the feed.
///
/// Superseded requirements and placeholders never count. A requirement with deadline D is
/// in force from the day after the last day D covers (`by 2022-12` is in force from
/// 2023-01-01). Without a cloud, cloud-specific requirements apply to the feed's default
/// cloud, or all of them (the strictest wins) when it has none.
///
/// Nothing is skipped silently: a cloud the feed does not name, or a standing requirement
/// on the product whose version or deadline cannot be read, is an error, not an answer.
pub fn check(feed: &Feed, query: &Query) -> Result<Answer, QueryError> {
    let wanted = fold_name(&query.product);
    let product = feed
        .products
        .iter()
        .find(|p| p.id == query.product)
        .or_else(|| {
            feed.products.iter().find(|p| {
                std::iter::once(&p.name)
                    .chain(&p.aliases)
                    .chain(std::iter::once(&p.id))
                    .any(|n| fold_name(n) == wanted)
            })
        })
        .ok_or_else(|| {
            QueryError::UnknownProduct(query.product.clone(), closest_products(feed, &wanted))
        })?;
    let version: Version = query
        .version
        .parse()
        .map_err(|e| QueryError::BadVersion(query.version.clone(), e))?;
    if let Some(cloud) = &query.cloud {
        known_cloud(feed, product, cloud)?;
    }
    if let Some(day) = query.as_of {
        if feed.history_head.is_none() {
            return Err(QueryError::NoHistory(day));
        }
        if let Some(since) = feed.history_since.as_ref().and_then(|s| day_of(&s.date))
            && day < since
        {
            return Err(QueryError::BeforeHistory { day, since });
        }
    }
    let cloud = query.cloud.clone().or_else(|| feed.default_cloud.clone());

    let mut in_force: Vec<(&FeedRequirement, Version, Option<PartialDate>)> = Vec::new();
    let mut due: Vec<(&FeedRequirement, Version, PartialDate)> = Vec::new();
    let mut unnamed: Vec<(&FeedRequirement, Option<PartialDate>)> = Vec::new();
    for standing in standing(product, query.as_of) {
        // Every standing requirement must be readable, whether or not it decides this
        // answer: one that is not would otherwise drop out silently.
        let (requirement, minimum, deadline) = standing?;
        let applies = requirement.clouds.is_empty()
            || cloud.as_deref().is_none_or(|c| {
                requirement
                    .clouds
                    .iter()
                    .any(|rc| fold_name(rc) == fold_name(c))
            });
        if !applies {
            continue;
        }
        // "version X or higher": a minimum in force that nobody can meet knowingly.
        let Some(minimum) = minimum else {
            if deadline.is_none_or(|d| query.on > d.last_day()) {
                unnamed.push((requirement, deadline));
            }
            continue;
        };
        if version.meets(&minimum) {
            continue;
        }
        match deadline {
            Some(deadline) if query.on <= deadline.last_day() => {
                due.push((requirement, minimum, deadline))
            }
            deadline => in_force.push((requirement, minimum, deadline)),
        }
    }
    let verdict = if let Some((requirement, minimum, deadline)) =
        in_force.into_iter().max_by(|a, b| a.1.cmp(&b.1))
    {
        Verdict::NonCompliant {
            minimum_version: minimum.canonical().to_string(),
            deadline: deadline.map(|d| d.to_iso()),
            advisory: requirement.advisory.clone(),
            stated_in: query.as_of.and_then(|_| requirement.stated_in.clone()),
        }
    } else if let Some((requirement, deadline)) = unnamed.into_iter().next() {
        Verdict::Undetermined {
            placeholder: requirement.placeholder.clone().unwrap_or_default(),
            deadline: deadline.map(|d| d.to_iso()),
            advisory: requirement.advisory.clone(),
            source: requirement.source.clone(),
            stated_in: query.as_of.and_then(|_| requirement.stated_in.clone()),
        }
    } else if let Some((requirement, minimum, deadline)) = due
        .into_iter()
        .min_by(|a, b| a.2.cmp(&b.2).then_with(|| b.1.cmp(&a.1)))
    {
        Verdict::UpgradeDue {
            minimum_version: minimum.canonical().to_string(),
            deadline: deadline.to_iso(),
            advisory: requirement.advisory.clone(),
            stated_in: query.as_of.and_then(|_| requirement.stated_in.clone()),
        }
    } else {
        Verdict::Compliant
    };
    Ok(Answer {
        product: product.id.clone(),
        name: product.name.clone(),
        version: query.version.clone(),
        on: query.on.to_string(),
        cloud,
        as_of: query.as_of.map(|d| d.to_string()),
        verdict,
        related: related_products(feed, product),
    })
}

impl Answer {
    /// One line for people.
    pub fn sentence(&self) -> String {
        let subject = format!("{} {}", self.name, self.version);
        let cloud = self
            .cloud
            .as_deref()
            .map(|c| format!(" in the {c} cloud"))
            .unwrap_or_default();
        let as_of = |stated_in: &Option<FeedCommit>| match (&self.as_of, stated_in) {
            (Some(day), Some(c)) => format!(
                ", as the notices stood on {day}: stated in commit {} on {}",
                c.commit.get(..7).unwrap_or(&c.commit),
                c.date.get(..10).unwrap_or(&c.date)
            ),
            (Some(day), None) => format!(", as the notices stood on {day}"),
            (None, _) => String::new(),
        };
        match &self.verdict {
            Verdict::Compliant => format!(
                "compliant: {subject}{cloud} meets every requirement in force on {}{}",
                self.on,
                as_of(&None)
            ),
            Verdict::UpgradeDue {
                minimum_version,
                deadline,
                advisory,
                stated_in,
            } => format!(
                "upgrade-due: {subject}{cloud} must be upgraded to {minimum_version} or later by {deadline} (advisory {advisory}{})",
                as_of(stated_in)
            ),
            Verdict::NonCompliant {
                minimum_version,
                deadline,
                advisory,
                stated_in,
            } => format!(
                "non-compliant: {subject}{cloud} is below {minimum_version}, required{} by advisory {advisory}{}",
                deadline
                    .as_deref()
                    .map(|d| format!(" since the deadline {d} passed"))
                    .unwrap_or_default(),
                as_of(stated_in)
            ),
            Verdict::Undetermined {
                placeholder,
                deadline,
                advisory,
                source,
                stated_in,
            } => format!(
                "undetermined: {subject}{cloud} cannot be judged: advisory {advisory} requires a version it does not name yet (`{placeholder}`, {}:{}){}{}",
                source.file,
                source.line,
                deadline
                    .as_deref()
                    .map(|d| format!(", in force since the deadline {d} passed"))
                    .unwrap_or_default(),
                as_of(stated_in)
            ),
        }
    }
}
