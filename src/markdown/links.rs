//! Link resolution: what a link written in a notice points at on the built site.
//!
//! Notices link to each other the way Learn does: by relative file path
//! (`whatis-azure-ad-connect-v2.md`, `../x/y.md#anchor`) or from the docset root (`~/x.md`).
//! Each such link is looked up in a map built once per build, so resolution costs the same
//! for ten notices as for ten thousand.

use std::collections::HashMap;

use crate::config::SiteConfig;
use crate::model::{Advisory, ContentPath, Notice, advisory_url};
use crate::slug::slugify;

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
    let (path_part, fragment) = match href.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment.to_string())),
        None => (href, None),
    };
    let path_part = path_part.split_once('?').map_or(path_part, |(p, _)| p);
    let is_markdown = path_part.ends_with(".md") || path_part.ends_with(".markdown");
    if path_part.starts_with('/') && !is_markdown {
        // Root-relative links (`/azure/...`) point into the vendor's site, not ours.
        return match &config.vendor_site_url {
            Some(site) => Resolved::Redirected {
                href: format!("{}{href}", site.trim_end_matches('/')),
            },
            None => Resolved::Unresolved {
                target: href.to_string(),
            },
        };
    }
    let Some(target) = normalize(path_part, from, config) else {
        return Resolved::OutsideRoot;
    };
    if !is_markdown {
        let href = format!(
            "{}{}{}",
            config.base_url,
            target,
            fragment.map(|f| format!("#{f}")).unwrap_or_default()
        );
        return Resolved::Asset { href };
    }
    if let Some(advisory) = pages.advisory_for(&target) {
        let mut href = format!(
            "{}{}",
            config.base_url,
            advisory_url(pages.id(advisory)).trim_start_matches('/')
        );
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
    match &config.external_base_url {
        Some(base) => {
            let stem = ContentPath(target).stem().to_string();
            let mut href = format!("{base}{}", slugify(&stem));
            if let Some(fragment) = fragment {
                href.push('#');
                href.push_str(&fragment);
            }
            Resolved::Redirected { href }
        }
        None => Resolved::Unresolved { target },
    }
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
            ("/etc/passwd.md", Resolved::OutsideRoot),
        ];
        for (href, expected) in cases {
            assert_eq!(resolve(href, &from, &pages, &config), expected, "{href}");
        }
    }

    #[test]
    fn missing_notices_go_to_the_external_base_when_configured() {
        let (pages, mut config) = site();
        config.external_base_url = Some("https://learn.example/connect/".into());
        config.vendor_site_url = Some("https://learn.example".into());
        let from = ContentPath("connect/harden.md".into());
        assert_eq!(
            resolve("/azure/what-is-cloud-sync", &from, &pages, &config),
            Resolved::Redirected {
                href: "https://learn.example/azure/what-is-cloud-sync".into()
            }
        );
        assert_eq!(
            resolve(
                "reference-connect-version-history.md#2320",
                &from,
                &pages,
                &config
            ),
            Resolved::Redirected {
                href: "https://learn.example/connect/reference-connect-version-history#2320".into()
            }
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
