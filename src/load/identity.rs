//! Identity: which notices are revisions of one advisory, and the URL slug each advisory gets.
//!
//! This needs only frontmatter and paths, so it is settled right after loading: links between
//! notices can then be resolved while Markdown is rendered, in one pass. Which revision
//! *stands* is a separate question, answered by `reconcile` once the facts are extracted.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Advisory, Notice};
use crate::slug::{fit, slugify};

/// The id of an advisory whose file names have no letter or digit to make a slug from.
const UNNAMED_ID: &str = "untitled";

/// Normalises a title for grouping: case, spacing, punctuation and hyphenation do not
/// distinguish two revisions (`auto-upgrade` = `autoupgrade`, trailing blanks ignored).
pub fn normalize_title(title: &str) -> String {
    title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Groups notices into advisories: notices sharing an explicit `id`, or a title that is the
/// same after [`normalize_title`], are revisions of one advisory.
///
/// The advisory's id is its explicit `id` when a member has one, else the slug of its
/// members' shortest file name; when two advisories would share a slug, those without an
/// explicit id take the slug of their whole path instead.
pub fn group(notices: &[Notice]) -> (Vec<Advisory>, Vec<Diagnostic>) {
    let mut sets = DisjointSets::new(notices.len());
    let mut first_with_key: HashMap<String, usize> = HashMap::new();
    for (i, notice) in notices.iter().enumerate() {
        let explicit = notice
            .front
            .id
            .as_deref()
            .map(|id| format!("id:{}", slugify(id)));
        let title = notice
            .front
            .title
            .as_deref()
            .map(normalize_title)
            .filter(|t| !t.is_empty())
            .map(|t| format!("title:{t}"));
        for key in explicit.into_iter().chain(title) {
            match first_with_key.get(&key) {
                Some(&j) => sets.union(i, j),
                None => {
                    first_with_key.insert(key, i);
                }
            }
        }
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..notices.len() {
        members.entry(sets.find(i)).or_default().push(i);
    }

    let mut groups: Vec<(Option<String>, Vec<usize>)> = members
        .into_values()
        .map(|members| {
            let explicit = members
                .iter()
                .filter_map(|&i| notices[i].front.id.as_deref())
                .map(slugify)
                .filter(|s| !s.is_empty())
                .min();
            (explicit, members)
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
    for (explicit, members) in &groups {
        let slug = explicit.clone().unwrap_or_else(|| short_slug(members));
        *wanted.entry(slug).or_default() += 1;
    }

    let mut diagnostics = Vec::new();
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut advisories = Vec::with_capacity(groups.len());
    for (explicit, members) in groups {
        let id = match explicit {
            Some(id) => id,
            None => {
                let slug = short_slug(&members);
                if wanted.get(&slug).copied().unwrap_or(0) > 1 || slug.is_empty() {
                    let path = &notices[members[0]].path;
                    let without_ext = path
                        .as_str()
                        .rsplit_once('.')
                        .map_or(path.as_str(), |p| p.0);
                    fit(slugify(&without_ext.replace('/', " ")))
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
            diagnostics.push(Diagnostic::new(
                Code::DuplicateId,
                notices[members[0]].path.site_path(),
                format!(
                    "this advisory would get the URL /advisories/{id}/, which {} already has; give one of them an explicit `id`",
                    notices[first.members[0]].path
                ),
            ));
            continue;
        }
        taken.insert(id.clone(), advisories.len());
        advisories.push(Advisory { id, members });
    }
    (advisories, diagnostics)
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

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        // The smaller index becomes the root so grouping does not depend on visit order.
        let (root, child) = if a < b { (a, b) } else { (b, a) };
        self.parent[child] = root;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContentPath, FrontMatter};

    fn notice(path: &str, title: Option<&str>, id: Option<&str>) -> Notice {
        Notice {
            path: ContentPath(path.into()),
            source: String::new(),
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

    #[test]
    fn titles_normalise_like_the_seed_revisions() {
        assert_eq!(
            normalize_title(
                "Security hardening to the autoupgrade process for Microsoft Entra Connect "
            ),
            normalize_title(
                "Security hardening to the auto-upgrade process for Microsoft Entra  Connect"
            ),
        );
    }

    #[test]
    fn groups_by_title_or_explicit_id() {
        let notices = [
            notice(
                "000/security-updates-pks.md",
                Some("Security auto-upgrade"),
                None,
            ),
            notice(
                "001/security-updates-pks.md",
                Some("Security autoupgrade "),
                None,
            ),
            notice("a/overview.md", Some("Overview A"), None),
            notice("b/overview.md", Some("Overview B"), None),
            notice("x.md", Some("Renamed later"), Some("Hardening")),
            notice("y.md", Some("Hardening update"), Some("hardening")),
        ];
        let (advisories, diagnostics) = group(&notices);
        assert!(diagnostics.is_empty());
        let ids: Vec<(&str, &[usize])> = advisories
            .iter()
            .map(|a| (a.id.as_str(), a.members.as_slice()))
            .collect();
        assert_eq!(
            ids,
            [
                ("security-updates-pks", &[0, 1][..]),
                ("a-overview", &[2][..]),
                ("b-overview", &[3][..]),
                ("hardening", &[4, 5][..]),
            ]
        );
    }

    #[test]
    fn a_path_of_punctuation_still_gets_a_folder() {
        let notices = [notice("!!!.md", None, None), notice("***.md", None, None)];
        let (advisories, diagnostics) = group(&notices);
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
        let (advisories, diagnostics) = group(&notices);
        assert!(diagnostics.is_empty());
        let ids: Vec<&str> = advisories.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["guide", "b-guide"]);
    }
}
