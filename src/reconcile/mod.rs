//! Stage 4, reconcile: which revision of an advisory stands, what each revision says that the
//! standing one contradicts, and why.
//!
//! Order of revisions, most decisive first: an explicit `revision` number, an `updated` date,
//! a `supersedes: <file>` pointer, `ms.date`, and last the content itself: a revision that
//! fills in placeholders another left ("version X") is the later one. Learn often republishes
//! a notice without touching `ms.date`, so the content rule is what settles the seeds. When
//! nothing decides, file order is used and a B0501 warning says so (an error under
//! `--strict`).
//!
//! Then field by field: for each requirement (product and clouds), each kind of milestone and
//! each product's impact, the latest revision that states it stands. Every value it replaces
//! stays in the output, marked superseded, with a conflict record naming both values, their
//! files and lines, and the reason.

pub mod history;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::load::frontmatter::notice_key_line;
use crate::model::{
    Advisory, ContentPath, Facts, Impact, Milestone, MilestoneKind, Notice, Requirement, SourcePos,
};
use crate::version::VersionSpec;

/// What decided the order of an advisory's revisions.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum OrderBasis {
    /// There is only one revision.
    Single,
    /// Frontmatter `revision` numbers.
    Revision,
    /// Frontmatter `updated` dates.
    Updated,
    /// A `supersedes: <file>` pointer.
    Supersedes,
    /// `ms.date`.
    MsDate,
    /// Content: one revision fills in placeholders the other left.
    FillsPlaceholders,
    /// The commits that made their texts (git history): the later commit is the later
    /// revision, an uncommitted text the latest.
    Committed,
    /// Nothing distinguished them; file order was used.
    Undecided,
}

/// Why a value no longer stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SupersededBy {
    /// `later-revision` or `extension`; never `later-commit`, which only history says.
    pub reason: SupersedeReason,
    /// The revision whose value stands instead.
    pub file: ContentPath,
    /// For extensions: the date that replaced this one.
    pub date: Option<crate::date::PartialDate>,
}

/// Why a value was superseded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SupersedeReason {
    /// A later revision of the advisory states another value.
    LaterRevision,
    /// The notice itself says the date was moved.
    Extension,
    /// A later commit of the advisory's files replaced or removed it (git history).
    LaterCommit,
}

/// A value with its standing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ruled<T> {
    /// The value.
    pub value: T,
    /// `None` when it stands.
    pub superseded_by: Option<SupersededBy>,
}

/// One rejected value of a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Rejected {
    /// The value, as text.
    pub value: String,
    /// Where it was stated.
    pub source: SourcePos,
}

/// Revisions disagree on a field: which value stands, which do not, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Conflict {
    /// The field, e.g. `requirement entra-connect-sync: minimum_version` or `deadline`.
    pub field: String,
    /// The value that stands, as text.
    pub chosen: String,
    /// Where the standing value was stated.
    pub chosen_source: SourcePos,
    /// The values that do not stand.
    pub rejected: Vec<Rejected>,
    /// Why the chosen value stands, in plain words.
    pub reason: String,
}

/// An advisory after reconciling its revisions.
#[derive(Debug, Clone)]
pub struct Reconciled {
    /// Notice indices, oldest first; the last one stands.
    pub order: Vec<usize>,
    /// What decided the order.
    pub basis: OrderBasis,
    /// How the order was decided, in plain words.
    pub reason: String,
    /// Every requirement of every revision, standing ones first.
    pub requirements: Vec<Ruled<Requirement>>,
    /// Every milestone of every revision.
    pub milestones: Vec<Ruled<Milestone>>,
    /// The impacts that stand.
    pub impacts: Vec<Impact>,
    /// Where revisions disagree.
    pub conflicts: Vec<Conflict>,
}

impl Reconciled {
    /// The revision that stands.
    pub fn current(&self) -> usize {
        self.order.last().copied().unwrap_or_default()
    }
}

/// A requirement's identity across revisions: product id, clouds and pivot.
type RequirementKey = (String, Vec<String>, Option<String>);

/// Reconciles the revisions of `advisory` (its members index `notices` and `facts`).
/// `committed[n]`, when history was read, is the position in it of the commit that made
/// notice `n`'s text (`None`: not committed); empty without history.
pub fn reconcile(
    advisory: &Advisory,
    notices: &[Notice],
    facts: &[Facts],
    committed: &[Option<usize>],
) -> Reconciled {
    let (order, basis, reason) = order(advisory, notices, facts, committed);
    let ruling = Ruling {
        notices,
        order: &order,
        current: order.last().copied().unwrap_or_default(),
        reason: &reason,
    };
    let mut conflicts = Vec::new();
    let requirements = ruling.requirements(facts, &mut conflicts);
    let milestones = ruling.milestones(facts, &mut conflicts);
    let impacts = ruling.impacts(facts);
    ruling.frontmatter(&mut conflicts);
    Reconciled {
        order,
        basis,
        reason,
        requirements,
        milestones,
        impacts,
        conflicts,
    }
}

/// The revisions in order, and what decided it: what each field's ruling reads.
struct Ruling<'a> {
    notices: &'a [Notice],
    /// Notice indices, oldest first.
    order: &'a [usize],
    /// The revision that stands.
    current: usize,
    /// What decided the order, in plain words.
    reason: &'a str,
}

impl Ruling<'_> {
    /// Why `revision`'s value stands.
    fn why(&self, revision: usize) -> String {
        let path = &self.notices[revision].path;
        let reason = self.reason;
        if revision == self.current {
            format!("{path} is the revision that stands ({reason})")
        } else {
            format!("{path} is the latest revision that states this ({reason})")
        }
    }

    /// A value `winner` replaced.
    fn replaced_by(&self, winner: usize) -> SupersededBy {
        SupersededBy {
            reason: SupersedeReason::LaterRevision,
            file: self.notices[winner].path.clone(),
            date: None,
        }
    }

    /// Requirements, by product, clouds and pivot: the latest revision stating one wins.
    /// Standing ones first.
    fn requirements(
        &self,
        facts: &[Facts],
        conflicts: &mut Vec<Conflict>,
    ) -> Vec<Ruled<Requirement>> {
        let mut by_key: BTreeMap<RequirementKey, Vec<(usize, &Requirement)>> = BTreeMap::new();
        for &n in self.order {
            for requirement in &facts[n].requirements {
                by_key
                    .entry(requirement.key())
                    .or_default()
                    .push((n, requirement));
            }
        }
        let mut requirements = Vec::new();
        for (key, stated) in &by_key {
            let Some(&(winner_rev, winner)) = stated.last() else {
                continue;
            };
            conflicts.extend(self.requirement_conflicts(key, stated, winner_rev, winner));
            for &(rev, requirement) in stated {
                let stands = std::ptr::eq(requirement, winner);
                requirements.push(Ruled {
                    value: requirement.clone(),
                    superseded_by: (!stands && rev != winner_rev)
                        .then(|| self.replaced_by(winner_rev)),
                });
            }
        }
        requirements.sort_by_key(|r| r.superseded_by.is_some());
        requirements
    }

    /// The conflicts over one requirement's minimum version and deadline.
    fn requirement_conflicts(
        &self,
        (product, clouds, pivot): &RequirementKey,
        stated: &[(usize, &Requirement)],
        winner_rev: usize,
        winner: &Requirement,
    ) -> Vec<Conflict> {
        let mut label = match clouds.is_empty() {
            true => format!("requirement {product}"),
            false => format!("requirement {product} ({})", clouds.join(", ")),
        };
        if let Some(pivot) = pivot {
            label.push_str(&format!(" [pivot {pivot}]"));
        }
        let mut conflicts = Vec::new();
        for (field, show) in [
            ("minimum_version", spec_text as fn(&Requirement) -> String),
            ("deadline", |r: &Requirement| {
                r.deadline.map_or("none".to_string(), |d| d.to_iso())
            }),
        ] {
            let rejected: Vec<Rejected> = stated[..stated.len() - 1]
                .iter()
                .filter(|(rev, r)| *rev != winner_rev && show(r) != show(winner))
                .map(|(_, r)| Rejected {
                    value: show(r),
                    source: r.source.clone(),
                })
                .collect();
            if !rejected.is_empty() {
                conflicts.push(Conflict {
                    field: format!("{label}: {field}"),
                    chosen: show(winner),
                    chosen_source: winner.source.clone(),
                    rejected,
                    reason: self.why(winner_rev),
                });
            }
        }
        conflicts
    }

    /// Milestones, by kind: the latest revision stating any of that kind wins.
    fn milestones(&self, facts: &[Facts], conflicts: &mut Vec<Conflict>) -> Vec<Ruled<Milestone>> {
        let mut by_kind: BTreeMap<MilestoneKind, Vec<(usize, &Milestone)>> = BTreeMap::new();
        for &n in self.order {
            for milestone in &facts[n].milestones {
                by_kind
                    .entry(milestone.kind)
                    .or_default()
                    .push((n, milestone));
            }
        }
        let mut milestones = Vec::new();
        for (kind, stated) in &by_kind {
            let Some(&(winner_rev, _)) = stated.last() else {
                continue;
            };
            conflicts.extend(self.milestone_conflict(*kind, stated, winner_rev));
            for &(rev, milestone) in stated {
                let superseded_by = if rev != winner_rev {
                    Some(self.replaced_by(winner_rev))
                } else {
                    milestone.superseded_by.map(|date| SupersededBy {
                        reason: SupersedeReason::Extension,
                        file: self.notices[rev].path.clone(),
                        date: Some(date),
                    })
                };
                milestones.push(Ruled {
                    value: milestone.clone(),
                    superseded_by,
                });
            }
        }
        milestones.sort_by_key(|m| (m.value.date, m.value.kind));
        milestones
    }

    /// The conflict over the dates of one kind, if revisions disagree.
    fn milestone_conflict(
        &self,
        kind: MilestoneKind,
        stated: &[(usize, &Milestone)],
        winner_rev: usize,
    ) -> Option<Conflict> {
        let standing: Vec<&Milestone> = stated
            .iter()
            .filter(|(rev, _)| *rev == winner_rev)
            .map(|(_, m)| *m)
            .collect();
        let rejected: Vec<Rejected> = stated
            .iter()
            .filter(|(rev, m)| *rev != winner_rev && !standing.iter().any(|s| s.date == m.date))
            .map(|(_, m)| Rejected {
                value: m.date.to_iso(),
                source: m.source.clone(),
            })
            .collect();
        let first = standing.first()?;
        (!rejected.is_empty()).then(|| Conflict {
            field: kind.label().to_lowercase(),
            chosen: standing
                .iter()
                .map(|m| m.date.to_iso())
                .collect::<Vec<_>>()
                .join(", "),
            chosen_source: first.source.clone(),
            rejected,
            reason: self.why(winner_rev),
        })
    }

    /// Impacts, by product: the latest revision stating one wins.
    fn impacts(&self, facts: &[Facts]) -> Vec<Impact> {
        let mut impacts: BTreeMap<String, Vec<Impact>> = BTreeMap::new();
        for &n in self.order {
            let mut this: BTreeMap<String, Vec<Impact>> = BTreeMap::new();
            for impact in &facts[n].impacts {
                this.entry(impact.product.id.clone())
                    .or_default()
                    .push(impact.clone());
            }
            impacts.extend(this);
        }
        impacts.into_values().flatten().collect()
    }

    /// Conflicts over the frontmatter's `title` and `description`: the standing revision's
    /// stands. Each value's source is the line of its key.
    fn frontmatter(&self, conflicts: &mut Vec<Conflict>) {
        let current = &self.notices[self.current];
        for (field, value) in [
            (
                "title",
                (|n: &Notice| n.front.title.clone()) as fn(&Notice) -> Option<String>,
            ),
            ("description", |n: &Notice| n.front.description.clone()),
        ] {
            let Some(chosen) = value(current) else {
                continue;
            };
            let rejected: Vec<Rejected> = self
                .order
                .iter()
                .filter(|&&n| n != self.current)
                .map(|&n| &self.notices[n])
                .filter_map(|notice| {
                    value(notice).filter(|v| *v != chosen).map(|v| Rejected {
                        value: v,
                        source: key_source(notice, field),
                    })
                })
                .collect();
            if !rejected.is_empty() {
                conflicts.push(Conflict {
                    field: field.to_string(),
                    chosen,
                    chosen_source: key_source(current, field),
                    rejected,
                    reason: self.why(self.current),
                });
            }
        }
    }
}

/// Where a notice's frontmatter states `key`: the key's line. A source needs a line, so
/// when the key has none of its own (a YAML page, whose text is made from the file, or a
/// `{...}` mapping) it is the file's first.
fn key_source(notice: &Notice, key: &str) -> SourcePos {
    SourcePos {
        file: notice.path.clone(),
        line: notice_key_line(notice, key).unwrap_or(1),
    }
}

fn spec_text(requirement: &Requirement) -> String {
    match &requirement.minimum {
        VersionSpec::Exact(version) => version.canonical().to_string(),
        VersionSpec::Placeholder(placeholder) => format!("{placeholder} (placeholder)"),
    }
}

/// Orders revisions oldest first and says what decided it.
fn order(
    advisory: &Advisory,
    notices: &[Notice],
    facts: &[Facts],
    committed: &[Option<usize>],
) -> (Vec<usize>, OrderBasis, String) {
    let mut order = advisory.members.clone();
    order.sort_by(|&a, &b| notices[a].path.cmp(&notices[b].path));
    if order.len() < 2 {
        return (order, OrderBasis::Single, "only one revision".to_string());
    }
    // For every pair: which is later, and what said so.
    let mut later_count = vec![0usize; order.len()];
    let mut basis = OrderBasis::Single;
    let mut evidence: Vec<String> = Vec::new();
    for i in 0..order.len() {
        for j in i + 1..order.len() {
            let (a, b) = (order[i], order[j]);
            match compare(a, b, advisory, notices, facts, committed) {
                Some((a_later, used, why)) => {
                    later_count[if a_later { i } else { j }] += 1;
                    basis = basis.max(used);
                    if let Some(why) = why {
                        evidence.push(why);
                    }
                }
                None => basis = OrderBasis::Undecided,
            }
        }
    }
    if basis == OrderBasis::Undecided {
        let reason = "nothing in the files tells which revision is later (no `revision`, `updated` or `supersedes`, equal `ms.date`, neither fills in the other's placeholders, and no commits tell them apart); file order was used".to_string();
        return (order, basis, reason);
    }
    let mut ranked: Vec<(usize, usize)> = later_count.into_iter().zip(order).collect();
    ranked.sort();
    let order: Vec<usize> = ranked.into_iter().map(|(_, n)| n).collect();
    let reason = match basis {
        OrderBasis::Revision => "ordered by their `revision` numbers".to_string(),
        OrderBasis::Updated => "ordered by their `updated` dates".to_string(),
        OrderBasis::Supersedes => "ordered by their `supersedes` pointers".to_string(),
        OrderBasis::MsDate => "ordered by their `ms.date`".to_string(),
        OrderBasis::Committed => {
            "nothing in the files tells which is later; ordered by the commits that made their texts"
                .to_string()
        }
        _ => format!("their `ms.date` is the same; {}", evidence.join("; ")),
    };
    (order, basis, reason)
}

/// Which of two revisions is later: `Some((a_is_later, what_decided, evidence))`.
fn compare(
    a: usize,
    b: usize,
    advisory: &Advisory,
    notices: &[Notice],
    facts: &[Facts],
    committed: &[Option<usize>],
) -> Option<(bool, OrderBasis, Option<String>)> {
    let (fa, fb) = (&notices[a].front, &notices[b].front);
    if let (Some(x), Some(y)) = (fa.revision, fb.revision)
        && x != y
    {
        return Some((x > y, OrderBasis::Revision, None));
    }
    if let (Some(x), Some(y)) = (fa.updated, fb.updated)
        && x != y
    {
        return Some((x > y, OrderBasis::Updated, None));
    }
    // Pointers were resolved when the revisions were grouped, `~/` against `docset_root`.
    let points_at = |from: usize, to: usize| advisory.supersedes.contains(&(from, to));
    if points_at(a, b) != points_at(b, a) {
        return Some((points_at(a, b), OrderBasis::Supersedes, None));
    }
    if let (Some(x), Some(y)) = (fa.ms_date, fb.ms_date)
        && x != y
    {
        return Some((x > y, OrderBasis::MsDate, None));
    }
    let a_fills = fills_placeholders(&facts[a], &facts[b]);
    let b_fills = fills_placeholders(&facts[b], &facts[a]);
    match (a_fills.is_empty(), b_fills.is_empty()) {
        (false, true) => Some((
            true,
            OrderBasis::FillsPlaceholders,
            Some(evidence(notices, a, b, &a_fills)),
        )),
        (true, false) => Some((
            false,
            OrderBasis::FillsPlaceholders,
            Some(evidence(notices, b, a, &b_fills)),
        )),
        // Last, what the history says: an uncommitted text is newer than any commit.
        _ => match (committed.get(a), committed.get(b)) {
            (Some(x), Some(y)) if x != y => {
                let position = |c: &Option<usize>| c.unwrap_or(usize::MAX);
                Some((position(x) > position(y), OrderBasis::Committed, None))
            }
            _ => None,
        },
    }
}

fn evidence(notices: &[Notice], later: usize, earlier: usize, filled: &[String]) -> String {
    format!(
        "{} gives versions where {} has placeholders ({}), so it is the later revision",
        notices[later].path,
        notices[earlier].path,
        filled.join(", ")
    )
}

/// The products whose placeholder in `earlier` is a real version in `later`.
fn fills_placeholders(later: &Facts, earlier: &Facts) -> Vec<String> {
    earlier
        .requirements
        .iter()
        .filter_map(|old| match &old.minimum {
            VersionSpec::Placeholder(placeholder) => Some((old, placeholder)),
            VersionSpec::Exact(_) => None,
        })
        .filter(|(old, _)| {
            later
                .requirements
                .iter()
                .any(|new| new.key() == old.key() && matches!(new.minimum, VersionSpec::Exact(_)))
        })
        .map(|(old, placeholder)| format!("`{placeholder}` for {}", old.product.name))
        .collect()
}
