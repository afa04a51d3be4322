//! Identity: which notices are revisions of one advisory, and the URL slug each advisory gets.
//!
//! This needs only frontmatter, paths and raw text, so it is settled right after loading:
//! links between notices can then be resolved while Markdown is rendered, in one pass. Which
//! revision *stands* is a separate question, answered by `reconcile` once the facts are
//! extracted.
//!
//! Two notices are revisions of one advisory only on evidence, strongest first: the same
//! explicit `id`; a `supersedes:` pointer from one to the other; the same file name with the
//! same title (or one a typo away); or the same title and substantial shared text. A title
//! alone is not enough: docsets reuse titles for different articles. Only notices that share
//! a title or a file name are compared, so grouping stays close to linear.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Advisory, GroupBasis, Grouping, Notice};
use crate::names::{fold_name, words};
use crate::routes::Routes;
use crate::slug::{fit, slugify};

/// The id of an advisory whose file names have no letter or digit to make a slug from.
const UNNAMED_ID: &str = "untitled";

/// Words per shingle when comparing texts: runs of five words are specific to a text while
/// surviving small edits (measured in the README, "Advisories, ids and revisions").
const SHINGLE_WORDS: usize = 5;

/// The share of the shorter body's shingles the other must hold for two notices with the
/// same title and different file names to be revisions of one advisory. Measured: the two
/// revisions of the seed notice share 63%; the two different "Arc gateway" articles of the
/// azure-management-docs corpus, which share a title, 29%.
const SHARED_TEXT_PERCENT: usize = 45;

/// A title or file name shared by more notices than this is generic (`Overview`,
/// `index.md`): its notices are not compared pair by pair, so grouping stays linear. They
/// still group by id, by `supersedes`, and by the same file name with the same title.
const MAX_COMPARED: usize = 100;

/// Whether two titles are one title with a typo fixed: the same words but one, which differs
/// by one letter (added, dropped, changed, or two swapped) in a word of four letters or more
/// without digits. `Overview A` / `Overview B` or `agent v1` / `agent v2` name different
/// things; `Upgrade the agnet` is `Upgrade the agent`.
fn similar_titles(a: &str, b: &str) -> bool {
    let (a, b) = (words(a), words(b));
    if a.len() != b.len() {
        return false;
    }
    let mut differing = a.iter().zip(&b).filter(|(x, y)| x != y);
    match (differing.next(), differing.next()) {
        (Some((x, y)), None) => {
            let plain = |w: &str| w.chars().count() >= 4 && !w.chars().any(|c| c.is_ascii_digit());
            plain(x) && plain(y) && strsim::damerau_levenshtein(x, y) == 1
        }
        _ => false,
    }
}

/// The hashed runs of [`SHINGLE_WORDS`] words of a text (words: letters and digits, any case).
fn shingles(text: &str) -> HashSet<u64> {
    words(text)
        .windows(SHINGLE_WORDS)
        .map(|run| {
            // DefaultHasher::new() has fixed keys: the same text hashes the same every run.
            let mut hasher = DefaultHasher::new();
            run.hash(&mut hasher);
            hasher.finish()
        })
        .collect()
}

/// The percentage of the smaller shingle set found in the other (0 when either is empty).
fn shared_percent(a: &HashSet<u64>, b: &HashSet<u64>) -> usize {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0;
    }
    small.iter().filter(|s| large.contains(s)).count() * 100 / small.len()
}

/// A piece of evidence that notices `a` < `b` are revisions of one advisory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Edge {
    a: usize,
    b: usize,
    basis: GroupBasis,
}

impl Edge {
    /// Strongest evidence first; among shared texts, the larger share first; then by notice.
    fn rank(&self) -> (u8, u8, usize, usize) {
        let (kind, share) = match self.basis {
            GroupBasis::ExplicitId => (0, 0),
            GroupBasis::Supersedes => (1, 0),
            GroupBasis::SameFileName => (2, 0),
            GroupBasis::SharedText(percent) => (3, 100 - percent.min(100)),
        };
        (kind, share, self.a, self.b)
    }
}

/// Groups notices into advisories on evidence (see the module documentation) and gives each
/// its id. `docset_root` is what `~/` in a `supersedes:` pointer refers to.
///
/// The advisory's id is its explicit `id` when a member has one, else the slug of its
/// members' shortest file name; when two advisories would share a slug, those without an
/// explicit id take the slug of their whole path instead. A `supersedes:` pointer that names
/// no notice is reported (B0107) and ignored.
pub fn group(notices: &[Notice], docset_root: &str) -> (Vec<Advisory>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let explicit: Vec<Option<String>> = notices
        .iter()
        .map(|n| n.front.id.as_deref().map(slugify).filter(|s| !s.is_empty()))
        .collect();
    let written_titles: Vec<&str> = notices
        .iter()
        .map(|n| n.front.title.as_deref().unwrap_or_default())
        .collect();
    let titles: Vec<String> = written_titles.iter().map(|t| fold_name(t)).collect();
    let names: Vec<String> = notices
        .iter()
        .map(|n| n.path.file_name().to_lowercase())
        .collect();

    let mut edges = Vec::new();
    let mut first_with_id: HashMap<&str, usize> = HashMap::new();
    for (i, id) in explicit.iter().enumerate() {
        if let Some(id) = id {
            match first_with_id.get(id.as_str()) {
                Some(&first) => edges.push(Edge {
                    a: first,
                    b: i,
                    basis: GroupBasis::ExplicitId,
                }),
                None => {
                    first_with_id.insert(id, i);
                }
            }
        }
    }
    let supersedes = resolve_supersedes(notices, docset_root, &mut diagnostics);
    for &(from, to) in &supersedes {
        edges.push(Edge {
            a: from.min(to),
            b: from.max(to),
            basis: GroupBasis::Supersedes,
        });
    }
    // The same file name and title: linear, whatever the bucket's size.
    let mut by_name_and_title: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for i in 0..notices.len() {
        if !titles[i].is_empty() {
            by_name_and_title
                .entry((&names[i], &titles[i]))
                .or_default()
                .push(i);
        }
    }
    for bucket in by_name_and_title.values() {
        edges.extend(bucket[1..].iter().map(|&b| Edge {
            a: bucket[0],
            b,
            basis: GroupBasis::SameFileName,
        }));
    }
    // Pairwise: titles a typo apart under one file name, shared text under one title.
    let mut texts: HashMap<usize, HashSet<u64>> = HashMap::new();
    for (keys, by_name) in [(&names, true), (&titles, false)] {
        let mut buckets: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, key) in keys.iter().enumerate() {
            if !key.is_empty() {
                buckets.entry(key).or_default().push(i);
            }
        }
        for bucket in buckets.values().filter(|b| b.len() <= MAX_COMPARED) {
            for (x, &a) in bucket.iter().enumerate() {
                for &b in &bucket[x + 1..] {
                    let basis = if by_name {
                        (titles[a] != titles[b]
                            && similar_titles(written_titles[a], written_titles[b]))
                        .then_some(GroupBasis::SameFileName)
                    } else if names[a] != names[b] {
                        for n in [a, b] {
                            texts
                                .entry(n)
                                .or_insert_with(|| shingles(notices[n].body()));
                        }
                        let shared = shared_percent(&texts[&a], &texts[&b]);
                        (shared >= SHARED_TEXT_PERCENT)
                            .then(|| GroupBasis::SharedText(u8::try_from(shared).unwrap_or(100)))
                    } else {
                        None
                    };
                    if let Some(basis) = basis {
                        edges.push(Edge { a, b, basis });
                    }
                }
            }
        }
    }
    edges.sort_by_key(Edge::rank);

    // Kruskal's way: the strongest evidence joins first, and what joins two sets is kept as
    // the reason. Sets with different explicit ids stay apart: their authors said so.
    let mut sets = DisjointSets::new(notices.len());
    let mut set_id: Vec<Option<&str>> = explicit.iter().map(Option::as_deref).collect();
    let mut tree: Vec<Edge> = Vec::new();
    for edge in edges {
        let (ra, rb) = (sets.find(edge.a), sets.find(edge.b));
        if ra == rb {
            continue;
        }
        let (ida, idb) = (set_id[ra], set_id[rb]);
        if ida.is_some() && idb.is_some() && ida != idb {
            continue;
        }
        let root = sets.union(ra, rb);
        set_id[root] = ida.or(idb);
        tree.push(edge);
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..notices.len() {
        members.entry(sets.find(i)).or_default().push(i);
    }
    let mut tree_by_root: HashMap<usize, Vec<Edge>> = HashMap::new();
    for edge in tree {
        tree_by_root
            .entry(sets.find(edge.a))
            .or_default()
            .push(edge);
    }

    let mut groups: Vec<(Option<String>, Vec<usize>, Vec<Edge>)> = members
        .into_iter()
        .map(|(root, members)| {
            let explicit = members.iter().filter_map(|&i| explicit[i].clone()).min();
            let tree = tree_by_root.remove(&root).unwrap_or_default();
            (explicit, members, tree)
        })
        .collect();
    groups.sort_by(|a, b| notices[a.1[0]].path.cmp(&notices[b.1[0]].path));

    let short_slug = |members: &[usize]| {
        members
            .iter()
            .map(|&i| fit(slugify(notices[i].path.stem())))
            .min_by(|a, b| (a.len(), a).cmp(&(b.len(), b)))
            .unwrap_or_default()
    };
    let mut wanted: HashMap<String, usize> = HashMap::new();
    for (explicit, members, _) in &groups {
        let slug = explicit.clone().unwrap_or_else(|| short_slug(members));
        *wanted.entry(slug).or_default() += 1;
    }

    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut advisories = Vec::with_capacity(groups.len());
    for (explicit, members, tree) in groups {
        let id = match explicit {
            Some(id) => id,
            None => {
                let slug = short_slug(&members);
                if wanted.get(&slug).copied().unwrap_or(0) > 1 || slug.is_empty() {
                    Routes::path_slug(notices[members[0]].path.as_str())
                } else {
                    slug
                }
            }
        };
        // A path made only of punctuation slugs to nothing; the page still needs a folder.
        let id = if id.is_empty() {
            UNNAMED_ID.to_string()
        } else {
            id
        };
        if let Some(&other) = taken.get(&id) {
            let first: &Advisory = &advisories[other];
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    notices[members[0]].path.site_path(),
                    format!(
                        "this advisory would get the page {}, which {} already has",
                        Routes::advisory(&id),
                        notices[first.members[0]].path
                    ),
                )
                .with_hint("give one of them an explicit `id` in its frontmatter"),
            );
            continue;
        }
        taken.insert(id.clone(), advisories.len());
        let grouped_by = orient(&members, &tree);
        let supersedes = supersedes
            .iter()
            .filter(|(from, _)| members.binary_search(from).is_ok())
            .filter(|(_, to)| members.binary_search(to).is_ok())
            .copied()
            .collect();
        advisories.push(Advisory {
            id,
            members,
            grouped_by,
            supersedes,
        });
    }
    (advisories, diagnostics)
}

/// The evidence of a group as one reason per member but the first: the edges of its
/// spanning `tree`, each given to the member farther from the first (in path order).
fn orient(members: &[usize], tree: &[Edge]) -> Vec<Grouping> {
    let mut neighbours: HashMap<usize, Vec<(usize, GroupBasis)>> = HashMap::new();
    for edge in tree {
        neighbours
            .entry(edge.a)
            .or_default()
            .push((edge.b, edge.basis));
        neighbours
            .entry(edge.b)
            .or_default()
            .push((edge.a, edge.basis));
    }
    let mut grouped_by = Vec::with_capacity(tree.len());
    let mut frontier: Vec<usize> = members.first().copied().into_iter().collect();
    let mut reached: HashSet<usize> = frontier.iter().copied().collect();
    while let Some(from) = frontier.pop() {
        for &(other, basis) in neighbours.get(&from).map_or(&[][..], Vec::as_slice) {
            if reached.insert(other) {
                grouped_by.push(Grouping {
                    notice: other,
                    with: from,
                    basis,
                });
                frontier.push(other);
            }
        }
    }
    grouped_by.sort_by_key(|g| g.notice);
    grouped_by
}

/// Every notice's `supersedes:` pointer resolved to the notice it names: (the notice, the
/// one it replaces). `~/` is `docset_root`. A pointer to no notice (or to itself) is
/// reported and ignored.
fn resolve_supersedes(
    notices: &[Notice],
    docset_root: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(usize, usize)> {
    let by_path: HashMap<&str, usize> = notices
        .iter()
        .enumerate()
        .map(|(i, n)| (n.path.as_str(), i))
        .collect();
    let mut pointers = Vec::new();
    for (i, notice) in notices.iter().enumerate() {
        let Some(written) = notice.front.supersedes.as_deref() else {
            continue;
        };
        let target = notice.path.resolve(written, docset_root);
        match target.as_deref().and_then(|t| by_path.get(t)) {
            Some(&j) if j != i => pointers.push((i, j)),
            found => {
                let why = match (found, &target) {
                    (Some(_), _) => "this notice itself".to_string(),
                    (None, Some(target)) => format!("content/{target}, which is not a notice"),
                    (None, None) => "a file outside content/".to_string(),
                };
                let frontmatter_lines = notice.body_line.saturating_sub(1) as usize;
                let line = notice
                    .source
                    .lines()
                    .take(frontmatter_lines)
                    .position(|l| l.trim_start().starts_with("supersedes:"))
                    .map_or(1, |l| u32::try_from(l + 1).unwrap_or(u32::MAX));
                diagnostics.push(
                    Diagnostic::new(
                        Code::InvalidField,
                        notice.path.site_path(),
                        format!("`supersedes: {written}` points at {why}; it is ignored"),
                    )
                    .at_source_text(&notice.source, line, written),
                );
            }
        }
    }
    pointers
}

/// Union-find over notice indices, with path halving.
struct DisjointSets {
    parent: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> Self {
        DisjointSets {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Joins the sets of `a` and `b`; returns the new root.
    fn union(&mut self, a: usize, b: usize) -> usize {
        let (a, b) = (self.find(a), self.find(b));
        // The smaller index becomes the root so grouping does not depend on visit order.
        let (root, child) = if a < b { (a, b) } else { (b, a) };
        self.parent[child] = root;
        root
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContentPath, FrontMatter};

    fn notice(path: &str, title: Option<&str>, id: Option<&str>) -> Notice {
        with_body(path, title, id, "")
    }

    fn with_body(path: &str, title: Option<&str>, id: Option<&str>, body: &str) -> Notice {
        Notice {
            path: ContentPath(path.into()),
            source: body.to_string(),
            body_start: 0,
            body_line: 1,
            front: FrontMatter {
                title: title.map(str::to_string),
                id: id.map(str::to_string),
                ..FrontMatter::default()
            },
            has_frontmatter: true,
        }
    }

    /// Each member's reason: (notice, with, basis).
    type Reasons = Vec<(usize, usize, String)>;

    /// The advisories as (id, members, each member's reason).
    fn summary(advisories: &[Advisory]) -> Vec<(&str, Vec<usize>, Reasons)> {
        advisories
            .iter()
            .map(|a| {
                let why = a
                    .grouped_by
                    .iter()
                    .map(|g| (g.notice, g.with, g.basis.label()))
                    .collect();
                (a.id.as_str(), a.members.clone(), why)
            })
            .collect()
    }

    /// A paragraph of its own words per seed, so unrelated bodies share no five-word run.
    fn prose(seed: &str, words: usize) -> String {
        (0..words)
            .map(|i| format!("{seed}{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn titles_normalise_like_the_seed_revisions() {
        assert_eq!(
            fold_name("Security hardening to the autoupgrade process for Microsoft Entra Connect "),
            fold_name(
                "Security hardening to the auto-upgrade process for Microsoft Entra  Connect"
            ),
        );
    }

    #[test]
    fn the_same_file_name_and_title_group_whatever_the_text() {
        let notices = [
            with_body(
                "000/security-updates-pks.md",
                Some("Security auto-upgrade"),
                None,
                &prose("a", 200),
            ),
            with_body(
                "001/security-updates-pks.md",
                Some("Security autoupgrade "),
                None,
                &prose("b", 200),
            ),
            notice("a/overview.md", Some("Overview A"), None),
            notice("b/overview.md", Some("Overview B"), None),
        ];
        let (advisories, diagnostics) = group(&notices, "");
        assert!(diagnostics.is_empty());
        assert_eq!(
            summary(&advisories),
            [
                (
                    "security-updates-pks",
                    vec![0, 1],
                    vec![(1, 0, "same file name".to_string())]
                ),
                ("a-overview", vec![2], vec![]),
                ("b-overview", vec![3], vec![]),
            ]
        );
    }

    #[test]
    fn a_file_name_groups_only_with_a_title_a_typo_away() {
        let text = prose("same", 300);
        let notices = [
            with_body(
                "a/notice.md",
                Some("Upgrade the Contoso agnet"),
                None,
                &text,
            ),
            with_body(
                "b/notice.md",
                Some("Upgrade the Contoso agent"),
                None,
                &text,
            ),
            // Templated siblings: one file name, the same text, another product in the title.
            with_body(
                "c/policy-reference.md",
                Some("Policies for Arc servers"),
                None,
                &text,
            ),
            with_body(
                "d/policy-reference.md",
                Some("Policies for Arc Kubernetes"),
                None,
                &text,
            ),
            // One digit apart is another version, not a typo.
            with_body("e/retire.md", Some("Retirement of agent v1"), None, &text),
            with_body("f/retire.md", Some("Retirement of agent v2"), None, &text),
        ];
        let (advisories, _) = group(&notices, "");
        let members: Vec<Vec<usize>> = advisories.iter().map(|a| a.members.clone()).collect();
        assert_eq!(members, [vec![0, 1], vec![2], vec![3], vec![4], vec![5]]);
        assert_eq!(advisories[0].grouped_by[0].basis, GroupBasis::SameFileName);
    }

    #[test]
    fn the_same_title_groups_other_file_names_only_on_shared_text() {
        let original = format!("{} {}", prose("kept", 300), prose("old", 100));
        let copy = format!("{} {}", prose("kept", 300), prose("new", 200));
        let notices = [
            with_body(
                "a/gateway.md",
                Some("Arc gateway"),
                None,
                &prose("servers", 400),
            ),
            with_body(
                "b/gateway-k8s.md",
                Some("Arc gateway"),
                None,
                &prose("clusters", 400),
            ),
            with_body("saved/copy-of-notice.md", Some("Upgrade now"), None, &copy),
            with_body("upgrade-notice.md", Some("Upgrade now"), None, &original),
        ];
        let (advisories, diagnostics) = group(&notices, "");
        assert!(diagnostics.is_empty());
        let summary = summary(&advisories);
        assert_eq!(summary.len(), 3, "{summary:?}");
        assert_eq!(summary[0].1, [0]);
        assert_eq!(summary[1].1, [1]);
        let (_, members, why) = &summary[2];
        assert_eq!(members, &[2, 3]);
        // 296 of the original's 396 five-word runs are in the copy.
        assert_eq!(why, &[(3, 2, "shared text 74%".to_string())]);
    }

    #[test]
    fn explicit_ids_group_and_keep_apart() {
        let notices = [
            notice("x.md", Some("Renamed later"), Some("Hardening")),
            notice("y.md", Some("Hardening update"), Some("hardening")),
            // The same file name and title, but their authors gave them different ids.
            notice("a/notice.md", Some("Notice"), Some("first")),
            notice("b/notice.md", Some("Notice"), Some("second")),
        ];
        let (advisories, diagnostics) = group(&notices, "");
        assert!(diagnostics.is_empty());
        assert_eq!(
            summary(&advisories),
            [
                ("first", vec![2], vec![]),
                ("second", vec![3], vec![]),
                (
                    "hardening",
                    vec![0, 1],
                    vec![(1, 0, "explicit id".to_string())]
                ),
            ]
        );
    }

    #[test]
    fn supersedes_groups_and_resolves_the_docset_root() {
        let mut new = notice("docs/connect/new.md", Some("New title"), None);
        new.front.supersedes = Some("~/archive/old.md".into());
        new.source = "---\ntitle: New title\nsupersedes: ~/archive/old.md\n---\n".into();
        new.body_start = new.source.len();
        new.body_line = 5;
        let notices = [notice("docs/archive/old.md", Some("Old title"), None), new];
        let (advisories, diagnostics) = group(&notices, "docs");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(
            summary(&advisories),
            [("new", vec![0, 1], vec![(1, 0, "supersedes".to_string())])]
        );
        assert_eq!(advisories[0].supersedes, [(1, 0)]);

        // Against the content root, the same pointer names no notice: a warning at its line.
        let (advisories, diagnostics) = group(&notices, "");
        assert_eq!(advisories.len(), 2);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::InvalidField);
        assert_eq!(
            diagnostics[0].location().as_deref(),
            Some("content/docs/connect/new.md:3")
        );
        // The caret is under the pointer, not the key.
        assert_eq!(diagnostics[0].columns(), Some((13, 29)));
        assert!(
            diagnostics[0]
                .message
                .contains("content/archive/old.md, which is not a notice"),
            "{}",
            diagnostics[0].message
        );
    }

    #[test]
    fn each_member_says_what_ties_it_to_the_group() {
        let text = prose("shared", 200);
        let mut notices = vec![
            with_body("a/notice.md", Some("Notice"), None, &text),
            with_body("b/notice.md", Some("Notice"), None, "other words entirely"),
            with_body("c/renamed.md", Some("Notice"), None, &text),
            notice("d/later.md", Some("Later"), None),
        ];
        notices[3].front.supersedes = Some("../c/renamed.md".into());
        let (advisories, _) = group(&notices, "");
        assert_eq!(
            summary(&advisories),
            [(
                "later",
                vec![0, 1, 2, 3],
                vec![
                    (1, 0, "same file name".to_string()),
                    (2, 0, "shared text 100%".to_string()),
                    (3, 2, "supersedes".to_string()),
                ]
            )]
        );
    }

    #[test]
    fn a_generic_title_or_file_name_is_not_compared_pair_by_pair() {
        let text = prose("copy", 50);
        let copies = |n: usize, title: &str| -> Vec<Notice> {
            (0..n)
                .map(|i| with_body(&format!("c{i:03}.md"), Some(title), None, &text))
                .collect()
        };
        let (advisories, _) = group(&copies(MAX_COMPARED, "Notice"), "");
        assert_eq!(advisories.len(), 1);
        let (advisories, _) = group(&copies(MAX_COMPARED + 1, "Overview"), "");
        assert_eq!(advisories.len(), MAX_COMPARED + 1);
        // The same file name and title still group, however many share them.
        let same: Vec<Notice> = (0..=MAX_COMPARED)
            .map(|i| notice(&format!("f{i:03}/index.md"), Some("Overview"), None))
            .collect();
        let (advisories, _) = group(&same, "");
        assert_eq!(advisories.len(), 1);
        assert_eq!(advisories[0].grouped_by.len(), MAX_COMPARED);
    }

    #[test]
    fn a_path_of_punctuation_still_gets_a_folder() {
        let notices = [notice("!!!.md", None, None), notice("***.md", None, None)];
        let (advisories, diagnostics) = group(&notices, "");
        let ids: Vec<&str> = advisories.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["untitled"]);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::DuplicateId);
    }

    #[test]
    fn explicit_id_wins_over_a_derived_slug() {
        let notices = [
            notice("a/guide.md", Some("One"), Some("guide")),
            notice("b/guide.md", Some("Two"), None),
        ];
        let (advisories, diagnostics) = group(&notices, "");
        assert!(diagnostics.is_empty());
        let ids: Vec<&str> = advisories.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["guide", "b-guide"]);
    }
}
