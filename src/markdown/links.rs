//! Link resolution: what a link written in a notice points at on the built site.
//!
//! Notices link to each other the way Learn does: by relative file path
//! (`whatis-azure-ad-connect-v2.md`, `../x/y.md#anchor`) or from the docset root (`~/x.md`).
//! Each such link is looked up in a map built once per build, so resolution costs the same
//! for ten notices as for ten thousand.

use std::collections::HashMap;

use crate::config::SiteConfig;
use crate::model::{Advisory, ContentPath, Notice};
use crate::routes::Routes;

/// Where notices' pages are: built once, shared read-only by every render.
#[derive(Debug, Default)]
pub struct PageIndex {
    by_path: HashMap<String, usize>,
    by_file_name: HashMap<String, Vec<usize>>,
    ids: Vec<String>,
}

impl PageIndex {
    /// Indexes every notice's path (and file name) to its advisory.
    pub fn new(notices: &[Notice], advisories: &[Advisory]) -> Self {
        let mut index = PageIndex::default();
        for (a, advisory) in advisories.iter().enumerate() {
            index.ids.push(advisory.id.clone());
            for &member in &advisory.members {
                let path = &notices[member].path;
                index.by_path.insert(path.as_str().to_string(), a);
                let names = index
                    .by_file_name
                    .entry(path.file_name().to_string())
                    .or_default();
                if !names.contains(&a) {
                    names.push(a);
                }
            }
        }
        index
    }

    /// The advisory (index) a content path belongs to. A bare file name that is not found at
    /// its path still resolves when exactly one advisory has a file of that name, because
    /// notices are often collected from several folders into one.
    fn advisory_for(&self, path: &str) -> Option<usize> {
        if let Some(&a) = self.by_path.get(path) {
            return Some(a);
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        match self.by_file_name.get(name).map(Vec::as_slice) {
            Some([only]) => Some(*only),
            _ => None,
        }
    }

    /// The id of the advisory at `index`.
    pub fn id(&self, index: usize) -> &str {
        &self.ids[index]
    }
}

/// What a link in a notice turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Left exactly as written: another site, a mail address, an unknown scheme.
    External,
    /// An anchor on the same page.
    SamePage {
        /// The anchor, without `#`.
        fragment: String,
    },
    /// Another notice's page.
    Notice {
        /// The URL to write.
        href: String,
        /// The advisory (index into the build's advisories).
        advisory: usize,
        /// The anchor on that page, if any.
        fragment: Option<String>,
    },
    /// A `.md` file that is not in the corpus, sent to `external_base_url`.
    Redirected {
        /// The URL to write.
        href: String,
    },
    /// A `.md` file that is not in the corpus and has nowhere to go.
    Unresolved {
        /// The content path it would have been.
        target: String,
    },
    /// A file under `content/` (an image, a download), at its site path.
    Asset {
        /// The URL to write.
        href: String,
    },
    /// A path that climbs out of the content root.
    OutsideRoot,
}

impl Resolved {
    /// The URL to write in the page for a link written as `original`.
    pub fn href<'a>(&'a self, original: &'a str) -> &'a str {
        match self {
            Resolved::Notice { href, .. }
            | Resolved::Redirected { href }
            | Resolved::Asset { href } => href,
            _ => original,
        }
    }
}

/// Resolves `href`, written in the file at `from`, against the site.
pub fn resolve(href: &str, from: &ContentPath, pages: &PageIndex, config: &SiteConfig) -> Resolved {
    let href = href.trim();
    if let Some(fragment) = href.strip_prefix('#') {
        return Resolved::SamePage {
            fragment: fragment.to_string(),
        };
    }
    if has_scheme(href) || href.starts_with("//") || href.is_empty() {
        return Resolved::External;
    }
    let (path_and_query, fragment) = match href.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment.to_string())),
        None => (href, None),
    };
    let (path_part, query) = match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    };
    // What follows the path on the vendor's site: the query and the fragment as written.
    let tail = format!(
        "{}{}",
        query.map(|q| format!("?{q}")).unwrap_or_default(),
        fragment
            .as_ref()
            .map(|f| format!("#{f}"))
            .unwrap_or_default()
    );
    let is_page = is_page_path(path_part);
    let path_part = &path_part.replace('\\', "/");
    if path_part.starts_with('/') || path_part.get(1..3) == Some(":/") {
        // Root-relative links (`/azure/...`) point into the vendor's site, not ours.
        return match &config.vendor_site_url {
            Some(site) if path_part.starts_with('/') => Resolved::Redirected {
                href: format!(
                    "{}{}{tail}",
                    site.trim_end_matches('/'),
                    published_path(path_part, is_page)
                ),
            },
            Some(_) => Resolved::OutsideRoot,
            None => Resolved::Unresolved {
                target: href.to_string(),
            },
        };
    }
    let located = locate(path_part, from, config);
    let outside = match located {
        Located::Inside(target) if !is_page => {
            // An asset keeps its content path in the output.
            let href = format!(
                "{}{}",
                config.routes().url(&target),
                fragment.map(|f| format!("#{f}")).unwrap_or_default()
            );
            return Resolved::Asset { href };
        }
        Located::Inside(target) => match pages.advisory_for(&target) {
            Some(advisory) => {
                let mut href = config.routes().url(&Routes::advisory(pages.id(advisory)));
                // A query such as `?pivots=linux` chooses what the page shows.
                if let Some(query) = query {
                    href.push('?');
                    href.push_str(query);
                }
                if let Some(fragment) = &fragment {
                    href.push('#');
                    href.push_str(fragment);
                }
                return Resolved::Notice {
                    href,
                    advisory,
                    fragment,
                };
            }
            None => Located::Inside(target),
        },
        outside => outside,
    };
    let target = match &outside {
        Located::Inside(target) => target.clone(),
        Located::Outside { .. } => path_part.to_string(),
    };
    let Some(base) = config.docset_url() else {
        return match outside {
            Located::Inside(target) => Resolved::Unresolved { target },
            Located::Outside { .. } => Resolved::OutsideRoot,
        };
    };
    let relative = docset_relative(&outside, &config.docset_root);
    match join_url(&base, &relative, is_page) {
        Some(url) => Resolved::Redirected {
            href: format!("{url}{tail}"),
        },
        None => Resolved::Unresolved { target },
    }
}

/// Whether a path names a page (Markdown, or a YAML page) rather than a file.
fn is_page_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".md", ".markdown", ".yml", ".yaml"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// A page's path as Learn publishes it: no extension, `index` as its folder.
fn published_path(path: &str, is_page: bool) -> String {
    if !is_page {
        return path.to_string();
    }
    let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
    match stem.strip_suffix("index") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => folder.to_string(),
        _ => stem.to_string(),
    }
}

/// Where a relative or `~/` path leads from the file at `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Located {
    /// A content path.
    Inside(String),
    /// Above the content root: `climbs` folders up, then `rest`.
    Outside {
        /// How many folders above `content/`.
        climbs: usize,
        /// The path from there.
        rest: Vec<String>,
    },
}

fn locate(path: &str, from: &ContentPath, config: &SiteConfig) -> Located {
    let path = path.replace('\\', "/");
    let (base, rest): (&str, &str) = match path.strip_prefix("~/") {
        Some(rest) => (&config.docset_root, rest),
        None => (from.parent(), &path),
    };
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    let mut climbs = 0;
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.is_empty() => climbs += 1,
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    if climbs == 0 {
        Located::Inside(parts.join("/"))
    } else {
        Located::Outside {
            climbs,
            rest: parts.iter().map(|p| p.to_string()).collect(),
        }
    }
}

/// The path of a location relative to the docset root (with `..` when it lies outside).
fn docset_relative(located: &Located, docset_root: &str) -> Vec<String> {
    let docset: Vec<&str> = docset_root.split('/').filter(|p| !p.is_empty()).collect();
    let up = |n: usize| std::iter::repeat_n("..".to_string(), n);
    match located {
        Located::Inside(target) => {
            let parts: Vec<&str> = target.split('/').filter(|p| !p.is_empty()).collect();
            let common = docset
                .iter()
                .zip(&parts)
                .take_while(|(a, b)| a == b)
                .count();
            up(docset.len() - common)
                .chain(parts[common..].iter().map(|p| p.to_string()))
                .collect()
        }
        Located::Outside { climbs, rest } => up(docset.len() + climbs)
            .chain(rest.iter().cloned())
            .collect(),
    }
}

/// Joins a path relative to `base` (an absolute URL or a path, ending in `/`); `None` when
/// it climbs above the base's site.
fn join_url(base: &str, relative: &[String], is_page: bool) -> Option<String> {
    let (origin, path) = match base.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
            (format!("{scheme}://{host}"), path)
        }
        None => (String::new(), base),
    };
    let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative {
        match part.as_str() {
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let joined = format!("/{}", parts.join("/"));
    Some(format!("{origin}{}", published_path(&joined, is_page)))
}

/// Resolves a path written in `from` (relative, `~/`-rooted or `/`-rooted) to a content
/// path; `None` when it climbs out of the content root.
pub fn normalize(path: &str, from: &ContentPath, config: &SiteConfig) -> Option<String> {
    from.resolve(path, &config.docset_root)
}

fn has_scheme(href: &str) -> bool {
    match href.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FrontMatter;

    fn notice(path: &str) -> Notice {
        Notice {
            path: ContentPath(path.into()),
            source: String::new(),
            body_start: 0,
            body_line: 1,
            front: FrontMatter::default(),
            has_frontmatter: true,
        }
    }

    fn site() -> (PageIndex, SiteConfig) {
        let notices = [
            notice("connect/security-updates-pks.md"),
            notice("connect/security-updates-pks-r2.md"),
            notice("connect/whatis-azure-ad-connect-v2.md"),
            notice("cloud-sync/what-is-cloud-sync.md"),
        ];
        let advisories = [
            Advisory {
                id: "security-updates-pks".into(),
                members: vec![0, 1],
                ..Advisory::default()
            },
            Advisory {
                id: "whatis-azure-ad-connect-v2".into(),
                members: vec![2],
                ..Advisory::default()
            },
            Advisory {
                id: "what-is-cloud-sync".into(),
                members: vec![3],
                ..Advisory::default()
            },
        ];
        (PageIndex::new(&notices, &advisories), SiteConfig::default())
    }

    #[test]
    fn resolves_the_link_forms_notices_use() {
        let (pages, config) = site();
        let from = ContentPath("connect/harden.md".into());
        let notice = |href: &str, advisory: usize, fragment: Option<&str>| Resolved::Notice {
            href: href.into(),
            advisory,
            fragment: fragment.map(str::to_string),
        };
        let cases = [
            (
                "whatis-azure-ad-connect-v2.md",
                notice("/advisories/whatis-azure-ad-connect-v2/", 1, None),
            ),
            (
                "./security-updates-pks.md#minimum-versions",
                notice(
                    "/advisories/security-updates-pks/#minimum-versions",
                    0,
                    Some("minimum-versions"),
                ),
            ),
            (
                "../cloud-sync/what-is-cloud-sync.md",
                notice("/advisories/what-is-cloud-sync/", 2, None),
            ),
            (
                "~/connect/security-updates-pks-r2.md",
                notice("/advisories/security-updates-pks/", 0, None),
            ),
            (
                "elsewhere/what-is-cloud-sync.md",
                notice("/advisories/what-is-cloud-sync/", 2, None),
            ),
            (
                "what-is-cloud-sync.md?pivots=linux#steps",
                notice(
                    "/advisories/what-is-cloud-sync/?pivots=linux#steps",
                    2,
                    Some("steps"),
                ),
            ),
            (
                "reference-connect-version-history.md#2320",
                Resolved::Unresolved {
                    target: "connect/reference-connect-version-history.md".into(),
                },
            ),
            (
                "#minimum-versions",
                Resolved::SamePage {
                    fragment: "minimum-versions".into(),
                },
            ),
            ("https://aka.ms/x.md", Resolved::External),
            ("mailto:a@b.c", Resolved::External),
            (
                "/azure/cloud-sync/what-is-cloud-sync",
                Resolved::Unresolved {
                    target: "/azure/cloud-sync/what-is-cloud-sync".into(),
                },
            ),
            (
                "media/harden/error.png",
                Resolved::Asset {
                    href: "/connect/media/harden/error.png".into(),
                },
            ),
            ("../../../../etc/passwd", Resolved::OutsideRoot),
            ("../../outside.md", Resolved::OutsideRoot),
            (
                "/etc/passwd.md",
                Resolved::Unresolved {
                    target: "/etc/passwd.md".into(),
                },
            ),
        ];
        for (href, expected) in cases {
            assert_eq!(resolve(href, &from, &pages, &config), expected, "{href}");
        }
    }

    /// A page that is not in the site goes to the vendor's page by its whole path from the
    /// docset root, as Learn publishes it: `~/` links, relative links, links that climb out
    /// of content/, links to YAML pages and `index` pages, query and fragment kept.
    #[test]
    fn pages_not_in_the_site_go_to_the_vendors_page_by_their_whole_path() {
        let (pages, mut config) = site();
        config.docset_root = "docs".into();
        config.vendor_site_url = Some("https://learn.example".into());
        config.docset_url_path = "entra".into();
        let from = ContentPath("docs/identity/hybrid/connect/harden.md".into());
        let redirected = |href: &str| Resolved::Redirected { href: href.into() };
        let cases = [
            (
                "/azure/what-is-cloud-sync?tabs=x#y",
                redirected("https://learn.example/azure/what-is-cloud-sync?tabs=x#y"),
            ),
            (
                "~/identity/conditional-access/overview.md",
                redirected("https://learn.example/entra/identity/conditional-access/overview"),
            ),
            (
                "~/identity/devices/overview.md#intro",
                redirected("https://learn.example/entra/identity/devices/overview#intro"),
            ),
            (
                "reference-connect-version-history.md#2320",
                redirected(
                    "https://learn.example/entra/identity/hybrid/connect/reference-connect-version-history#2320",
                ),
            ),
            (
                "../../../fundamentals/add-custom-domain.yml",
                redirected("https://learn.example/entra/fundamentals/add-custom-domain"),
            ),
            (
                "../cloud-sync/index.yml",
                redirected("https://learn.example/entra/identity/hybrid/cloud-sync/"),
            ),
            // Out of the docset; above the vendor's site.
            (
                "../../../../includes/x.md",
                redirected("https://learn.example/includes/x"),
            ),
            (
                "../../../../../above.md",
                Resolved::Unresolved {
                    target: "../../../../../above.md".into(),
                },
            ),
        ];
        for (href, expected) in cases {
            assert_eq!(resolve(href, &from, &pages, &config), expected, "{href}");
        }
        // content/ holding one folder of a docset: links climbing out of it still land.
        let mut folder = config.clone();
        folder.docset_root = String::new();
        folder.docset_url_path = "entra/identity/hybrid/connect".into();
        let from = ContentPath("harden.md".into());
        assert_eq!(
            resolve(
                "../../conditional-access/overview.md",
                &from,
                &pages,
                &folder
            ),
            redirected("https://learn.example/entra/identity/conditional-access/overview")
        );
        let from = ContentPath("docs/identity/hybrid/connect/harden.md".into());
        // external_base_url names the docset's URL outright.
        config.external_base_url = Some("https://docs.example/en-us/entra/".into());
        assert_eq!(
            resolve("~/identity/devices/overview.md", &from, &pages, &config),
            redirected("https://docs.example/en-us/entra/identity/devices/overview")
        );
    }

    #[test]
    fn a_file_name_shared_by_two_advisories_does_not_guess() {
        let notices = [notice("a/overview.md"), notice("b/overview.md")];
        let advisories = [
            Advisory {
                id: "a-overview".into(),
                members: vec![0],
                ..Advisory::default()
            },
            Advisory {
                id: "b-overview".into(),
                members: vec![1],
                ..Advisory::default()
            },
        ];
        let pages = PageIndex::new(&notices, &advisories);
        let from = ContentPath("c/page.md".into());
        assert_eq!(
            resolve("overview.md", &from, &pages, &SiteConfig::default()),
            Resolved::Unresolved {
                target: "c/overview.md".into()
            }
        );
    }
}
