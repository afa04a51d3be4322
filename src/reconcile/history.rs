//! History, reconciled: what each revision of an advisory changed in its facts.
//!
//! A revision is a state of the advisory: its files as they were after a commit (or, last,
//! as the working tree has them). What it states is what reconciling those files makes
//! stand. Two revisions are compared on facts only, never on wording: the requirements by
//! product, clouds and pivot (minimum version and deadline), the standing dates by kind, and
//! the title. A revision that rewords, fixes a typo or moves a line changes nothing. The
//! first revision's facts are all additions; its title is not a change.
//!
//! Each fact value also gets its span: the revision that first stated it and the one that
//! replaced or removed it, so the feed can tell what stood on any past date.

use std::collections::BTreeMap;

use super::Reconciled;
use crate::date::PartialDate;
use crate::model::ProductRef;
use crate::model::{CommitRef, ContentPath, Milestone, MilestoneKind, Requirement};
use crate::version::VersionSpec;

/// What an advisory states after one revision: the values that stand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Standing {
    /// The standing revision's title.
    pub title: String,
    /// The requirements that stand.
    pub requirements: Vec<Requirement>,
    /// The dates that stand.
    pub milestones: Vec<Milestone>,
}

impl Standing {
    /// The standing values of a reconciled advisory whose standing revision is titled `title`.
    pub fn of(reconciled: &Reconciled, title: &str) -> Standing {
        Standing {
            title: title.to_string(),
            requirements: reconciled
                .requirements
                .iter()
                .filter(|r| r.superseded_by.is_none())
                .map(|r| r.value.clone())
                .collect(),
            milestones: reconciled
                .milestones
                .iter()
                .filter(|m| m.superseded_by.is_none())
                .map(|m| m.value.clone())
                .collect(),
        }
    }
}

/// Where a revision's text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionSource {
    /// The commit; `None` for the working tree's uncommitted text.
    pub commit: Option<CommitRef>,
    /// The notice (an index into the build's notices) whose text stands after it.
    pub notice: usize,
    /// That notice's path then, relative to `content/`.
    pub path: ContentPath,
    /// Its blob then; `None` for the working tree's text.
    pub blob: Option<String>,
}

/// One revision and what it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// Where its text is.
    pub source: RevisionSource,
    /// What it changed in the facts, compared with the revision before; empty when it
    /// changed none.
    pub changes: Vec<Change>,
}

/// A value and the revisions it stood in: from `from` up to, not including, `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span<T> {
    /// The value, as the revision that first stated it has it.
    pub value: T,
    /// The revision that first stated it (an index into [`AdvisoryHistory::revisions`]).
    pub from: usize,
    /// The revision that replaced or removed it; `None` while it stands.
    pub until: Option<usize>,
}

/// An advisory's revisions, oldest first, with what each changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdvisoryHistory {
    /// Every revision: the committed ones, then the working tree's when it differs.
    pub revisions: Vec<Revision>,
    /// Every requirement value with the revisions it stood in.
    pub requirements: Vec<Span<Requirement>>,
    /// Every date with the revisions it stood in.
    pub milestones: Vec<Span<Milestone>>,
}

impl AdvisoryHistory {
    /// The first commit of the advisory.
    pub fn first_published(&self) -> Option<&CommitRef> {
        self.revisions.iter().find_map(|r| r.source.commit.as_ref())
    }

    /// The last commit that changed a fact.
    pub fn last_changed(&self) -> Option<&CommitRef> {
        self.revisions
            .iter()
            .rev()
            .filter(|r| !r.changes.is_empty())
            .find_map(|r| r.source.commit.as_ref())
    }

    /// How many revisions changed no fact.
    pub fn unchanged(&self) -> usize {
        self.revisions
            .iter()
            .filter(|r| r.changes.is_empty())
            .count()
    }

    /// The commit since which the standing requirement `r` has stood; `None` when that is
    /// uncommitted text.
    pub fn requirement_stated_in(&self, r: &Requirement) -> Option<&CommitRef> {
        let identity = requirement_identity(r);
        self.requirements
            .iter()
            .find(|s| s.until.is_none() && requirement_identity(&s.value) == identity)
            .and_then(|s| self.revisions[s.from].source.commit.as_ref())
    }

    /// The commit since which the standing date `m` has stood; `None` when that is
    /// uncommitted text.
    pub fn milestone_stated_in(&self, m: &Milestone) -> Option<&CommitRef> {
        let identity = milestone_identity(m);
        self.milestones
            .iter()
            .find(|s| s.until.is_none() && milestone_identity(&s.value) == identity)
            .and_then(|s| self.revisions[s.from].source.commit.as_ref())
    }
}

/// A fact change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The title changed.
    Title {
        /// The title before.
        from: String,
        /// The title after.
        to: String,
    },
    /// A requirement on a product (in some clouds, for some pivot) changed.
    Requirement {
        /// The product.
        product: ProductRef,
        /// The clouds it applies to; empty for all.
        clouds: Vec<String>,
        /// The zone pivot it was stated in.
        pivot: Option<String>,
        /// What changed.
        change: RequirementChange,
    },
    /// The standing dates of one kind changed.
    Dates {
        /// The kind.
        kind: MilestoneKind,
        /// The dates before (none: there were none).
        from: Vec<PartialDate>,
        /// The dates after.
        to: Vec<PartialDate>,
    },
}

/// How a requirement changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequirementChange {
    /// It is new.
    Added(Ask),
    /// It is gone.
    Removed(Ask),
    /// Its minimum version changed.
    Minimum {
        /// Before.
        from: VersionSpec,
        /// After.
        to: VersionSpec,
    },
    /// Its deadline changed.
    Deadline {
        /// Before (`None`: in force at once).
        from: Option<PartialDate>,
        /// After.
        to: Option<PartialDate>,
    },
}

/// What a requirement asks: a minimum version, by a deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    /// The minimum version (or placeholder).
    pub minimum: VersionSpec,
    /// The deadline.
    pub deadline: Option<PartialDate>,
}

/// One change as a field with its value before and after, as the feed publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// `title`, a date kind (`deadline`, `retirement`, ...), or
    /// `requirement <product>[ (<clouds>)][ [pivot <p>]]: minimum_version` / `: deadline`.
    pub field: String,
    /// The value before; `None` when there was none.
    pub from: Option<String>,
    /// The value after; `None` when there is none.
    pub to: Option<String>,
}

impl Change {
    /// The change as fields with their values before and after: an added or removed
    /// requirement is its minimum version (and deadline) appearing or going.
    pub fn fields(&self) -> Vec<FieldChange> {
        match self {
            Change::Title { from, to } => vec![FieldChange {
                field: "title".to_string(),
                from: Some(from.clone()),
                to: Some(to.clone()),
            }],
            Change::Dates { kind, from, to } => vec![FieldChange {
                field: kind.id().to_string(),
                from: dates_value(from),
                to: dates_value(to),
            }],
            Change::Requirement {
                product,
                clouds,
                pivot,
                change,
            } => {
                let mut label = format!("requirement {}", product.id);
                if !clouds.is_empty() {
                    label.push_str(&format!(" ({})", clouds.join(", ")));
                }
                if let Some(pivot) = pivot {
                    label.push_str(&format!(" [pivot {pivot}]"));
                }
                let field = |name: &str, from: Option<String>, to: Option<String>| FieldChange {
                    field: format!("{label}: {name}"),
                    from,
                    to,
                };
                let iso = |d: &Option<PartialDate>| d.map(|d| d.to_iso());
                match change {
                    RequirementChange::Added(ask) | RequirementChange::Removed(ask) => {
                        let added = matches!(change, RequirementChange::Added(_));
                        let value = |v: Option<String>| if added { (None, v) } else { (v, None) };
                        let (from, to) = value(Some(spec_value(&ask.minimum)));
                        let mut fields = vec![field("minimum_version", from, to)];
                        if ask.deadline.is_some() {
                            let (from, to) = value(iso(&ask.deadline));
                            fields.push(field("deadline", from, to));
                        }
                        fields
                    }
                    RequirementChange::Minimum { from, to } => vec![field(
                        "minimum_version",
                        Some(spec_value(from)),
                        Some(spec_value(to)),
                    )],
                    RequirementChange::Deadline { from, to } => {
                        vec![field("deadline", iso(from), iso(to))]
                    }
                }
            }
        }
    }

    /// The change in words: "deadline moved from 2025-04-07 to 2025-04-30", "minimum for
    /// Microsoft Entra Connect Sync in the noncommercial cloud raised from 2.4.18.0 to
    /// 2.4.21.0", "requirement added: ...", "title changed from “A” to “B”".
    pub fn describe(&self) -> String {
        match self {
            Change::Title { from, to } => format!("title changed from “{from}” to “{to}”"),
            Change::Dates { kind, from, to } => {
                let what = kind.label().to_lowercase();
                let dated = match kind {
                    MilestoneKind::Deadline => what.clone(),
                    _ => format!("{what} date"),
                };
                let list = |dates: &[PartialDate]| {
                    dates
                        .iter()
                        .map(PartialDate::to_iso)
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let added: Vec<PartialDate> =
                    to.iter().filter(|d| !from.contains(d)).copied().collect();
                let removed: Vec<PartialDate> =
                    from.iter().filter(|d| !to.contains(d)).copied().collect();
                match (from.as_slice(), to.as_slice()) {
                    ([from], [to]) if from != to => {
                        let moved = if to > from { "moved" } else { "moved back" };
                        format!("{what} {moved} from {} to {}", from.to_iso(), to.to_iso())
                    }
                    _ if removed.is_empty() => format!("{dated} added: {}", list(&added)),
                    _ if added.is_empty() => format!("{dated} removed: {}", list(&removed)),
                    (from, to) => {
                        format!("{what} dates changed from {} to {}", list(from), list(to))
                    }
                }
            }
            Change::Requirement {
                product,
                clouds,
                pivot,
                change,
            } => {
                let subject = subject(product, clouds, pivot.as_deref());
                match change {
                    RequirementChange::Added(ask) => {
                        format!("requirement added: {subject} {}", ask_words(ask))
                    }
                    RequirementChange::Removed(ask) => {
                        format!("requirement removed: {subject} {}", ask_words(ask))
                    }
                    RequirementChange::Minimum { from, to } => match (from, to) {
                        (VersionSpec::Exact(a), VersionSpec::Exact(b)) => {
                            let how = if b > a { "raised" } else { "lowered" };
                            format!(
                                "minimum for {subject} {how} from {} to {}",
                                a.canonical(),
                                b.canonical()
                            )
                        }
                        (VersionSpec::Placeholder(p), VersionSpec::Exact(b)) => format!(
                            "minimum for {subject} set to {} (it was the placeholder “{p}”)",
                            b.canonical()
                        ),
                        (from, to) => format!(
                            "minimum for {subject} changed from {} to {}",
                            spec_words(from),
                            spec_words(to)
                        ),
                    },
                    RequirementChange::Deadline { from, to } => match (from, to) {
                        (Some(a), Some(b)) => {
                            let moved = if b > a { "moved" } else { "moved back" };
                            format!(
                                "deadline for {subject} {moved} from {} to {}",
                                a.to_iso(),
                                b.to_iso()
                            )
                        }
                        (None, Some(b)) => {
                            format!("deadline for {subject} set to {}", b.to_iso())
                        }
                        (Some(a), None) => format!(
                            "deadline for {subject} dropped (it was {}): in force at once",
                            a.to_iso()
                        ),
                        (None, None) => format!("deadline for {subject} unchanged"),
                    },
                }
            }
        }
    }
}

fn dates_value(dates: &[PartialDate]) -> Option<String> {
    (!dates.is_empty()).then(|| {
        dates
            .iter()
            .map(PartialDate::to_iso)
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// A minimum as the feed gives it: the version, or `X (placeholder)`.
fn spec_value(spec: &VersionSpec) -> String {
    match spec {
        VersionSpec::Exact(v) => v.canonical().to_string(),
        VersionSpec::Placeholder(p) => format!("{p} (placeholder)"),
    }
}

fn spec_words(spec: &VersionSpec) -> String {
    match spec {
        VersionSpec::Exact(v) => v.canonical().to_string(),
        VersionSpec::Placeholder(p) => format!("the placeholder “{p}”"),
    }
}

fn ask_words(ask: &Ask) -> String {
    let minimum = match &ask.minimum {
        VersionSpec::Exact(v) => format!("{} or later", v.canonical()),
        VersionSpec::Placeholder(p) => format!("“{p}” (a placeholder)"),
    };
    match ask.deadline {
        Some(deadline) => format!("{minimum} by {}", deadline.to_iso()),
        None => minimum,
    }
}

/// "Microsoft Entra Connect Sync in the noncommercial cloud".
fn subject(product: &ProductRef, clouds: &[String], pivot: Option<&str>) -> String {
    let mut subject = product.name.clone();
    match clouds {
        [] => {}
        [cloud] => subject.push_str(&format!(" in the {cloud} cloud")),
        [rest @ .., last] => {
            subject.push_str(&format!(" in the {} and {last} clouds", rest.join(", ")));
        }
    }
    if let Some(pivot) = pivot {
        subject.push_str(&format!(" (pivot {pivot})"));
    }
    subject
}

/// A requirement's identity across revisions: product, clouds, pivot.
type Key = (String, Vec<String>, Option<String>);

/// The requirements of a state by key, each key's asks in a stable order.
fn asks(requirements: &[Requirement]) -> BTreeMap<Key, (ProductRef, Vec<Ask>)> {
    let mut by_key: BTreeMap<Key, (ProductRef, Vec<Ask>)> = BTreeMap::new();
    for r in requirements {
        let entry = by_key
            .entry(r.key())
            .or_insert_with(|| (r.product.clone(), Vec::new()));
        let ask = Ask {
            minimum: r.minimum.clone(),
            deadline: r.deadline,
        };
        if !entry.1.contains(&ask) {
            entry.1.push(ask);
        }
    }
    for (_, asks) in by_key.values_mut() {
        asks.sort_by_key(|a| (spec_value(&a.minimum), a.deadline));
    }
    by_key
}

/// The standing dates of a state by kind, sorted.
fn dates(milestones: &[Milestone]) -> BTreeMap<MilestoneKind, Vec<PartialDate>> {
    let mut by_kind: BTreeMap<MilestoneKind, Vec<PartialDate>> = BTreeMap::new();
    for m in milestones {
        by_kind.entry(m.kind).or_default().push(m.date);
    }
    for dates in by_kind.values_mut() {
        dates.sort();
        dates.dedup();
    }
    by_kind
}

/// What changed in the facts from `before` to `after` (`None`: `after` is the first state).
pub fn changes(before: Option<&Standing>, after: &Standing) -> Vec<Change> {
    let mut changes = Vec::new();
    if let Some(before) = before
        && before.title != after.title
    {
        changes.push(Change::Title {
            from: before.title.clone(),
            to: after.title.clone(),
        });
    }
    let old = before.map(|b| asks(&b.requirements)).unwrap_or_default();
    let new = asks(&after.requirements);
    let keys: std::collections::BTreeSet<&Key> = old.keys().chain(new.keys()).collect();
    for key in keys {
        let (product, was) = old
            .get(key)
            .map_or((None, &[][..]), |(p, a)| (Some(p), a.as_slice()));
        let (product_now, is) = new
            .get(key)
            .map_or((None, &[][..]), |(p, a)| (Some(p), a.as_slice()));
        let Some(product) = product_now.or(product) else {
            continue;
        };
        let requirement = |change: RequirementChange| Change::Requirement {
            product: product.clone(),
            clouds: key.1.clone(),
            pivot: key.2.clone(),
            change,
        };
        if let ([a], [b]) = (was, is) {
            if a.minimum != b.minimum {
                changes.push(requirement(RequirementChange::Minimum {
                    from: a.minimum.clone(),
                    to: b.minimum.clone(),
                }));
            }
            if a.deadline != b.deadline {
                changes.push(requirement(RequirementChange::Deadline {
                    from: a.deadline,
                    to: b.deadline,
                }));
            }
            continue;
        }
        for gone in was.iter().filter(|a| !is.contains(a)) {
            changes.push(requirement(RequirementChange::Removed(gone.clone())));
        }
        for added in is.iter().filter(|a| !was.contains(a)) {
            changes.push(requirement(RequirementChange::Added(added.clone())));
        }
    }
    let old = before.map(|b| dates(&b.milestones)).unwrap_or_default();
    let new = dates(&after.milestones);
    let kinds: std::collections::BTreeSet<&MilestoneKind> = old.keys().chain(new.keys()).collect();
    for kind in kinds {
        let from = old.get(kind).cloned().unwrap_or_default();
        let to = new.get(kind).cloned().unwrap_or_default();
        if from != to {
            changes.push(Change::Dates {
                kind: *kind,
                from,
                to,
            });
        }
    }
    changes
}

/// What identifies a requirement value across revisions.
fn requirement_identity(r: &Requirement) -> (Key, String, Option<PartialDate>) {
    (r.key(), spec_value(&r.minimum), r.deadline)
}

/// What identifies a date across revisions.
type MilestoneIdentity = (
    MilestoneKind,
    PartialDate,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn milestone_identity(m: &Milestone) -> MilestoneIdentity {
    (
        m.kind,
        m.date,
        m.product.as_ref().map(|p| p.id.clone()),
        m.version.clone(),
        m.pivot.clone(),
    )
}

/// The spans of the values `values(state)` gives, across `states` in order.
fn spans<T: Clone, I: Ord + Clone>(
    states: &[Standing],
    values: impl Fn(&Standing) -> &[T],
    identity: impl Fn(&T) -> I,
) -> Vec<Span<T>> {
    let mut open: BTreeMap<I, Span<T>> = BTreeMap::new();
    let mut closed = Vec::new();
    for (i, state) in states.iter().enumerate() {
        let now: BTreeMap<I, &T> = values(state).iter().map(|v| (identity(v), v)).collect();
        let ended: Vec<I> = open
            .keys()
            .filter(|k| !now.contains_key(*k))
            .cloned()
            .collect();
        for key in ended {
            if let Some(mut span) = open.remove(&key) {
                span.until = Some(i);
                closed.push(span);
            }
        }
        for (key, value) in now {
            open.entry(key).or_insert_with(|| Span {
                value: value.clone(),
                from: i,
                until: None,
            });
        }
    }
    closed.extend(open.into_values());
    closed
}

/// The history of an advisory from its states, oldest first: each revision's source and
/// what stood after it.
pub fn history(states: Vec<(RevisionSource, Standing)>) -> AdvisoryHistory {
    let (sources, standing): (Vec<RevisionSource>, Vec<Standing>) = states.into_iter().unzip();
    let revisions = sources
        .into_iter()
        .enumerate()
        .map(|(i, source)| Revision {
            source,
            changes: changes(i.checked_sub(1).map(|p| &standing[p]), &standing[i]),
        })
        .collect();
    AdvisoryHistory {
        revisions,
        requirements: spans(&standing, |s| &s.requirements, requirement_identity),
        milestones: spans(&standing, |s| &s.milestones, milestone_identity),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourcePos;

    fn product(id: &str, name: &str) -> ProductRef {
        ProductRef {
            id: id.to_string(),
            name: name.to_string(),
            in_catalog: true,
        }
    }

    fn requirement(minimum: &str, clouds: &[&str], deadline: Option<&str>) -> Requirement {
        Requirement {
            product: product("entra-connect-sync", "Microsoft Entra Connect Sync"),
            minimum: match minimum.parse() {
                Ok(v) => VersionSpec::Exact(v),
                Err(_) => VersionSpec::Placeholder(minimum.to_string()),
            },
            clouds: clouds.iter().map(|c| c.to_string()).collect(),
            deadline: deadline.and_then(crate::date::parse_date),
            text: format!("at least {minimum}"),
            source: SourcePos {
                file: ContentPath("a.md".to_string()),
                line: 10,
            },
            pivot: None,
        }
    }

    fn milestone(kind: MilestoneKind, date: &str, line: u32) -> Milestone {
        Milestone {
            kind,
            date: crate::date::parse_date(date).expect("date"),
            text: format!("by {date}"),
            source: SourcePos {
                file: ContentPath("a.md".to_string()),
                line,
            },
            also_stated_at: Vec::new(),
            superseded_by: None,
            product: None,
            version: None,
            pivot: None,
        }
    }

    fn state(title: &str, requirements: Vec<Requirement>, milestones: Vec<Milestone>) -> Standing {
        Standing {
            title: title.to_string(),
            requirements,
            milestones,
        }
    }

    fn words(before: &Standing, after: &Standing) -> Vec<String> {
        changes(Some(before), after)
            .iter()
            .map(Change::describe)
            .collect()
    }

    #[test]
    fn a_moved_deadline_and_a_raised_minimum_are_described() {
        let before = state(
            "Hardening",
            vec![requirement(
                "2.4.18.0",
                &["noncommercial"],
                Some("2025-04-07"),
            )],
            vec![milestone(MilestoneKind::Deadline, "2025-04-07", 5)],
        );
        let after = state(
            "Hardening",
            vec![requirement(
                "2.4.21.0",
                &["noncommercial"],
                Some("2025-04-30"),
            )],
            vec![milestone(MilestoneKind::Deadline, "2025-04-30", 7)],
        );
        assert_eq!(
            words(&before, &after),
            [
                "minimum for Microsoft Entra Connect Sync in the noncommercial cloud raised from 2.4.18.0 to 2.4.21.0",
                "deadline for Microsoft Entra Connect Sync in the noncommercial cloud moved from 2025-04-07 to 2025-04-30",
                "deadline moved from 2025-04-07 to 2025-04-30",
            ]
        );
        let fields = changes(Some(&before), &after)[0].fields();
        assert_eq!(
            fields,
            [FieldChange {
                field: "requirement entra-connect-sync (noncommercial): minimum_version"
                    .to_string(),
                from: Some("2.4.18.0".to_string()),
                to: Some("2.4.21.0".to_string()),
            }]
        );
    }

    #[test]
    fn rewording_and_moved_lines_change_nothing() {
        let before = state(
            "T",
            vec![requirement("2.4.18.0", &[], Some("2025-04-30"))],
            vec![milestone(MilestoneKind::Deadline, "2025-04-30", 5)],
        );
        let mut reworded = requirement("2.4.18", &[], Some("2025-04-30"));
        reworded.text = "you need 2.4.18 or newer".to_string();
        reworded.source.line = 40;
        let after = state(
            "T",
            vec![reworded],
            vec![milestone(MilestoneKind::Deadline, "2025-04-30", 50)],
        );
        assert!(changes(Some(&before), &after).is_empty());
    }

    #[test]
    fn added_removed_filled_and_retitled() {
        let before = state(
            "Old title",
            vec![
                requirement("X", &[], Some("2024-09-16")),
                requirement("1.0", &["gcc"], None),
            ],
            vec![],
        );
        let after = state(
            "New title",
            vec![
                requirement("4.5.2487.0", &[], Some("2024-09-16")),
                requirement("2.0", &["commercial"], Some("2024-09-23")),
            ],
            vec![milestone(MilestoneKind::StopsWorking, "2024-09-23", 3)],
        );
        assert_eq!(
            words(&before, &after),
            [
                "title changed from “Old title” to “New title”",
                "minimum for Microsoft Entra Connect Sync set to 4.5.2487.0 (it was the placeholder “X”)",
                "requirement added: Microsoft Entra Connect Sync in the commercial cloud 2.0 or later by 2024-09-23",
                "requirement removed: Microsoft Entra Connect Sync in the gcc cloud 1.0 or later",
                "stops working date added: 2024-09-23",
            ]
        );
        let added = &changes(Some(&before), &after)[2];
        let fields: Vec<(String, Option<String>, Option<String>)> = added
            .fields()
            .into_iter()
            .map(|f| (f.field, f.from, f.to))
            .collect();
        assert_eq!(
            fields,
            [
                (
                    "requirement entra-connect-sync (commercial): minimum_version".to_string(),
                    None,
                    Some("2.0".to_string())
                ),
                (
                    "requirement entra-connect-sync (commercial): deadline".to_string(),
                    None,
                    Some("2024-09-23".to_string())
                ),
            ]
        );
    }

    fn source(commit: &str, time: i64) -> RevisionSource {
        RevisionSource {
            commit: Some(CommitRef {
                id: commit.to_string(),
                time,
            }),
            notice: 0,
            path: ContentPath("a.md".to_string()),
            blob: Some(format!("blob-{commit}")),
        }
    }

    #[test]
    fn a_revert_reopens_the_old_value_and_spans_say_when_each_stood() {
        let first = state(
            "T",
            vec![requirement("2.0", &[], Some("2025-04-07"))],
            vec![],
        );
        let moved = state(
            "T",
            vec![requirement("2.0", &[], Some("2025-04-30"))],
            vec![],
        );
        let typo = moved.clone();
        let history = history(vec![
            (source("c1", 10), first.clone()),
            (source("c2", 20), moved),
            (source("c3", 30), typo),
            (source("c4", 40), first),
        ]);
        let described: Vec<Vec<String>> = history
            .revisions
            .iter()
            .map(|r| r.changes.iter().map(Change::describe).collect())
            .collect();
        assert_eq!(
            described,
            [
                vec!["requirement added: Microsoft Entra Connect Sync 2.0 or later by 2025-04-07".to_string()],
                vec!["deadline for Microsoft Entra Connect Sync moved from 2025-04-07 to 2025-04-30".to_string()],
                vec![],
                vec!["deadline for Microsoft Entra Connect Sync moved back from 2025-04-30 to 2025-04-07".to_string()],
            ]
        );
        assert_eq!(history.unchanged(), 1);
        assert_eq!(history.first_published().map(|c| c.id.as_str()), Some("c1"));
        assert_eq!(history.last_changed().map(|c| c.id.as_str()), Some("c4"));
        let spans: Vec<(Option<String>, usize, Option<usize>)> = history
            .requirements
            .iter()
            .map(|s| (s.value.deadline.map(|d| d.to_iso()), s.from, s.until))
            .collect();
        assert_eq!(
            spans,
            [
                (Some("2025-04-07".to_string()), 0, Some(1)),
                (Some("2025-04-30".to_string()), 1, Some(3)),
                (Some("2025-04-07".to_string()), 3, None),
            ]
        );
    }
}
