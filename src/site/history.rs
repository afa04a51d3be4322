//! The history's hand-offs: each past version analysed once (markdown -> extract, as the
//! working tree's notices are; its includes are read from the working tree, as history
//! keeps no copy of them), each advisory's state after every commit that changed one of
//! its files reconciled, and the change log of facts made from those states.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use super::incremental::{Past, PastCache};
use crate::catalog::Catalog;
use crate::extract;
use crate::load::history::{FileHistory, History, HistoryError, Version};
use crate::load::{self, Corpus};
use crate::markdown::{self, RenderContext, Rendered};
use crate::model::{Advisory, CommitRef, ContentPath, Facts, Notice};
use crate::reconcile::history::{AdvisoryHistory, RevisionSource, Standing};
use crate::reconcile::{self, Reconciled};

/// What the build knows of the notices' past.
#[derive(Debug)]
pub struct SiteHistory {
    /// The newest commit read: the last that changed a notice.
    pub head: Option<CommitRef>,
    /// The oldest commit read, when the clone is shallow: nothing before it is known.
    pub since: Option<CommitRef>,
    /// Each advisory's revisions and change log, in `corpus.advisories` order.
    pub advisories: Vec<AdvisoryHistory>,
    /// The pages of the revisions that changed a fact, in `corpus.advisories` order.
    pub pages: Vec<Vec<RevisionPage>>,
}

/// A revision's text, rendered for its page.
#[derive(Debug, Clone)]
pub struct RevisionPage {
    /// The revision (an index into its advisory's revisions).
    pub revision: usize,
    /// The notice as it was then (path and frontmatter).
    pub notice: Notice,
    /// Its title then.
    pub title: String,
    /// Its sanitised HTML then.
    pub html: String,
    /// Its leading heading then.
    pub h1: Option<String>,
    /// Whether its body has tab groups or zone pivots.
    pub interactive: bool,
}

/// The working tree's analysis, which the past is compared with.
pub(super) struct Present<'a> {
    pub corpus: &'a Corpus,
    pub facts: &'a [Facts],
    pub titles: &'a [String],
    pub rendered: &'a [Arc<Rendered>],
}

/// Where the analyses of past versions are kept between builds: in the repository's git
/// folder, one file per content folder of the repository.
pub(super) fn cache_file(history: &History) -> std::path::PathBuf {
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(history.content_prefix(), &mut hasher);
    history.git_dir.join("bulletin").join(format!(
        "history-cache-{:016x}.json",
        std::hash::Hasher::finish(&hasher)
    ))
}

/// For each notice, the position in `history` of the commit that made its working text;
/// `None` when that text is not committed.
pub(super) fn committed(history: &History, notices: &[Notice]) -> Vec<Option<usize>> {
    notices
        .iter()
        .map(|n| {
            let file = history.files.get(&n.path)?;
            (!file.modified)
                .then(|| file.versions.last().map(|v| v.commit))
                .flatten()
        })
        .collect()
}

/// Whether `version` is the notice's working text (its last version, not edited since).
fn is_working(file: &FileHistory, version: &Version) -> bool {
    !file.modified && file.versions.last() == Some(version)
}

/// A notice's title: frontmatter `title`, else its first heading, else its file name.
fn title_of(notice: &Notice, h1: Option<&str>) -> String {
    notice
        .front
        .title
        .clone()
        .or_else(|| h1.filter(|h| !h.is_empty()).map(str::to_string))
        .unwrap_or_else(|| notice.path.stem().to_string())
}

/// A notice without its text: what reconciling reads.
fn light(notice: &Notice) -> Notice {
    Notice {
        path: notice.path.clone(),
        source: String::new(),
        body_start: 0,
        body_line: 1,
        front: notice.front.clone(),
        has_frontmatter: notice.has_frontmatter,
    }
}

/// Analyses the past versions of every notice that `cache` does not hold (reading their
/// texts in one pass), then each advisory's states and change log, and renders the
/// revisions that changed a fact.
pub(super) fn analyse(
    history: &History,
    present: &Present<'_>,
    cx: RenderContext<'_>,
    catalog: &Catalog,
    cache: &mut PastCache,
) -> Result<SiteHistory, HistoryError> {
    let notices = &present.corpus.notices;
    // Every past version to analyse: not the working text, which is analysed already.
    let mut wanted: Vec<(&str, &ContentPath)> = Vec::new();
    for notice in notices {
        if let Some(file) = history.files.get(&notice.path) {
            wanted.extend(
                file.versions
                    .iter()
                    .filter(|v| !is_working(file, v))
                    .map(|v| (v.blob.as_str(), &v.path)),
            );
        }
    }
    wanted.sort_unstable();
    wanted.dedup();
    let mut past: HashMap<(&str, &ContentPath), Arc<Past>> = HashMap::new();
    let mut missing = Vec::new();
    for &(blob, path) in &wanted {
        match cache.get(blob, path, cx.files) {
            Some(hit) => {
                past.insert((blob, path), hit);
            }
            None => missing.push((blob, path)),
        }
    }
    let ids: Vec<&str> = missing.iter().map(|(blob, _)| *blob).collect();
    let texts = history.blobs(&ids)?;
    let analysed: Vec<((&str, &ContentPath), Past, Vec<String>)> = missing
        .par_iter()
        .filter_map(|&(blob, path)| {
            let notice = load::past_notice(path.clone(), texts.get(blob)?)?;
            let rendered = markdown::render(&notice, cx);
            let (facts, _) = extract::extract(&notice, &rendered.blocks, catalog);
            let title = title_of(&notice, rendered.h1.as_deref());
            Some((
                (blob, path),
                Past {
                    notice: light(&notice),
                    title,
                    facts,
                },
                rendered.includes,
            ))
        })
        .collect();
    for (key, analysis, includes) in analysed {
        let analysis = Arc::new(analysis);
        cache.insert(
            key.0.to_string(),
            Arc::clone(&analysis),
            &includes,
            cx.files,
        );
        past.insert(key, analysis);
    }
    cache.retain(
        &wanted
            .iter()
            .map(|(blob, path)| (blob.to_string(), (*path).clone()))
            .collect(),
    );

    let advisories: Vec<AdvisoryHistory> = present
        .corpus
        .advisories
        .par_iter()
        .map(|advisory| reconcile::history::history(states(advisory, history, present, &past)))
        .collect();
    let pages = pages(history, present, cx, &advisories)?;
    Ok(SiteHistory {
        head: history.commits.last().cloned(),
        since: history
            .shallow
            .then(|| history.commits.first().cloned())
            .flatten(),
        advisories,
        pages,
    })
}

/// One member of an advisory at some point: its working text (the version it is, when
/// committed), or a past version.
#[derive(Clone, Copy)]
enum MemberState<'a> {
    Working(usize, Option<&'a Version>),
    Past(&'a Past, &'a Version),
}

/// A member of an advisory as it was at some point.
#[derive(Clone, Copy)]
struct Member<'a> {
    /// The notice (an index into the build's notices).
    notice: usize,
    state: MemberState<'a>,
    /// The position in the history of the commit that made its text; `None`: uncommitted.
    commit: Option<usize>,
}

/// The states of `advisory`, oldest first: after each commit that changed one of its files
/// (each file as it was then), then the working tree's when it differs.
fn states(
    advisory: &Advisory,
    history: &History,
    present: &Present<'_>,
    past: &HashMap<(&str, &ContentPath), Arc<Past>>,
) -> Vec<(RevisionSource, Standing)> {
    let notices = &present.corpus.notices;
    // Each member's readable versions, oldest first; whether its working text is newer.
    let timelines: Vec<(Vec<Member<'_>>, bool)> = advisory
        .members
        .iter()
        .map(|&m| {
            let Some(file) = history.files.get(&notices[m].path) else {
                return (Vec::new(), true);
            };
            let versions = file
                .versions
                .iter()
                .filter_map(|v| {
                    let state = if is_working(file, v) {
                        MemberState::Working(m, Some(v))
                    } else {
                        MemberState::Past(past.get(&(v.blob.as_str(), &v.path))?.as_ref(), v)
                    };
                    Some(Member {
                        notice: m,
                        state,
                        commit: Some(v.commit),
                    })
                })
                .collect();
            (versions, file.modified)
        })
        .collect();
    let points: BTreeSet<usize> = timelines
        .iter()
        .flat_map(|(versions, _)| versions.iter().filter_map(|v| v.commit))
        .collect();
    let mut states = Vec::new();
    for &point in &points {
        let members: Vec<Member<'_>> = timelines
            .iter()
            .filter_map(|(versions, _)| {
                versions
                    .iter()
                    .rev()
                    .find(|v| v.commit.is_some_and(|c| c <= point))
                    .copied()
            })
            .collect();
        if let Some(state) = state(advisory, &members, present, Some(&history.commits[point])) {
            states.push(state);
        }
    }
    if timelines.iter().any(|(_, modified)| *modified) {
        let members: Vec<Member<'_>> = advisory
            .members
            .iter()
            .map(|&m| Member {
                notice: m,
                state: MemberState::Working(m, None),
                commit: None,
            })
            .collect();
        if let Some(state) = state(advisory, &members, present, None) {
            states.push(state);
        }
    }
    states
}

/// The state of an advisory whose files are `members`, after `commit` (`None`: in the
/// working tree).
fn state(
    advisory: &Advisory,
    members: &[Member<'_>],
    present: &Present<'_>,
    commit: Option<&CommitRef>,
) -> Option<(RevisionSource, Standing)> {
    if members.is_empty() {
        return None;
    }
    let notices = &present.corpus.notices;
    let mut local_notices = Vec::with_capacity(members.len());
    let mut local_facts = Vec::with_capacity(members.len());
    let mut titles = Vec::with_capacity(members.len());
    let mut committed = Vec::with_capacity(members.len());
    for member in members {
        match member.state {
            MemberState::Working(m, _) => {
                local_notices.push(light(&notices[m]));
                local_facts.push(present.facts[m].clone());
                titles.push(present.titles[m].as_str());
            }
            MemberState::Past(past, _) => {
                local_notices.push(past.notice.clone());
                local_facts.push(past.facts.clone());
                titles.push(past.title.as_str());
            }
        }
        committed.push(member.commit);
    }
    let local = |global: usize| members.iter().position(|m| m.notice == global);
    let local_advisory = Advisory {
        id: advisory.id.clone(),
        members: (0..members.len()).collect(),
        grouped_by: Vec::new(),
        supersedes: advisory
            .supersedes
            .iter()
            .filter_map(|&(from, to)| Some((local(from)?, local(to)?)))
            .collect(),
    };
    let reconciled: Reconciled =
        reconcile::reconcile(&local_advisory, &local_notices, &local_facts, &committed);
    let current = reconciled.current();
    let member = members.get(current)?;
    let blob = match member.state {
        MemberState::Past(_, version) | MemberState::Working(_, Some(version)) => {
            Some(version.blob.clone())
        }
        MemberState::Working(_, None) => None,
    };
    Some((
        RevisionSource {
            commit: commit.cloned(),
            notice: member.notice,
            path: local_notices[current].path.clone(),
            blob,
        },
        Standing::of(&reconciled, titles[current]),
    ))
}

/// Renders the text of every revision that changed a fact: the working tree's rendering when
/// it is that text, else the past version, read in one pass.
fn pages(
    history: &History,
    present: &Present<'_>,
    cx: RenderContext<'_>,
    advisories: &[AdvisoryHistory],
) -> Result<Vec<Vec<RevisionPage>>, HistoryError> {
    let notices = &present.corpus.notices;
    let changed = |h: &AdvisoryHistory| -> Vec<usize> {
        (0..h.revisions.len())
            .filter(|&r| !h.revisions[r].changes.is_empty())
            .collect()
    };
    let mut ids: Vec<&str> = advisories
        .iter()
        .flat_map(|h| {
            changed(h)
                .into_iter()
                .filter_map(|r| h.revisions[r].source.blob.as_deref())
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let texts = history.blobs(&ids)?;
    Ok(advisories
        .par_iter()
        .map(|h| {
            changed(h)
                .into_iter()
                .filter_map(|r| {
                    let source = &h.revisions[r].source;
                    let working = &notices[source.notice];
                    let file = history.files.get(&working.path);
                    let is_present = match &source.blob {
                        None => true,
                        Some(blob) => file.is_some_and(|f| {
                            !f.modified && f.versions.last().is_some_and(|v| &v.blob == blob)
                        }),
                    };
                    if is_present {
                        let rendered = &present.rendered[source.notice];
                        return Some(RevisionPage {
                            revision: r,
                            notice: light(working),
                            title: present.titles[source.notice].clone(),
                            html: rendered.html.clone(),
                            h1: rendered.h1.clone(),
                            interactive: rendered.interactive,
                        });
                    }
                    let blob = source.blob.as_deref()?;
                    let notice = load::past_notice(source.path.clone(), texts.get(blob)?)?;
                    let rendered = markdown::render(&notice, cx);
                    Some(RevisionPage {
                        revision: r,
                        title: title_of(&notice, rendered.h1.as_deref()),
                        notice: light(&notice),
                        html: rendered.html,
                        h1: rendered.h1,
                        interactive: rendered.interactive,
                    })
                })
                .collect()
        })
        .collect())
}
