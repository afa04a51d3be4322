//! Navigation from a docs repository's `toc.yml` files: each page shows the table of
//! contents nearest to it (in its folder or the closest one above), its own entry marked and
//! the branches that lead to it open.
//!
//! Entries are resolved once per build, like links in notices: to an advisory's page, a
//! copied file, or the vendor's page; an entry with nowhere to go is shown as its name. An
//! entry whose `href` names another `toc.yml` (or a folder holding one) brings that table's
//! entries in under it, as DocFX does.

use std::collections::HashMap;

use pulldown_cmark_escape::{escape_href, escape_html};

use super::links::{self, PageIndex, Resolved};
use crate::config::SiteConfig;
use crate::model::{ContentPath, Toc, TocItem};

/// How deep tables of contents may pull each other in.
const MAX_NESTING: usize = 8;

/// An entry, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    name: String,
    href: Option<String>,
    children: Vec<Entry>,
}

/// Every table of contents of the site, resolved, by the folder it governs.
#[derive(Debug, Default)]
pub struct Navigation {
    by_folder: HashMap<String, Vec<Entry>>,
}

impl Navigation {
    /// Resolves every table of contents.
    pub fn new(tocs: &[Toc], pages: &PageIndex, config: &SiteConfig) -> Self {
        let by_path: HashMap<&str, &Toc> = tocs.iter().map(|t| (t.path.as_str(), t)).collect();
        let resolver = Resolver {
            by_path,
            pages,
            config,
        };
        let by_folder = tocs
            .iter()
            .map(|toc| {
                let mut chain = vec![toc.path.as_str().to_string()];
                (
                    toc.path.parent().to_string(),
                    resolver.entries(toc, &toc.items, &mut chain),
                )
            })
            .collect();
        Navigation { by_folder }
    }

    /// The navigation for the page of the notice at `path`, whose URL is `url`: the nearest
    /// table of contents as nested lists, the page's own entry marked and the branches that
    /// lead to it open (others link to their first page); `None` when no `toc.yml` governs
    /// the notice.
    pub fn html(&self, path: &ContentPath, url: &str) -> Option<String> {
        let mut folder = path.parent();
        let entries = loop {
            if let Some(entries) = self.by_folder.get(folder) {
                break entries;
            }
            if folder.is_empty() {
                return None;
            }
            folder = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
        };
        let mut html = String::from("<ul>\n");
        for entry in entries {
            write_entry(&mut html, entry, url);
        }
        html.push_str("</ul>\n");
        Some(html)
    }
}

struct Resolver<'a> {
    by_path: HashMap<&'a str, &'a Toc>,
    pages: &'a PageIndex,
    config: &'a SiteConfig,
}

impl Resolver<'_> {
    /// The entries `items` of `toc`; `chain` holds the tables being expanded, outermost
    /// first, so that none pulls itself in.
    fn entries(&self, toc: &Toc, items: &[TocItem], chain: &mut Vec<String>) -> Vec<Entry> {
        items
            .iter()
            .map(|item| {
                let mut children = self.entries(toc, &item.items, chain);
                let mut href = None;
                if let Some(written) = &item.href {
                    match self.nested(toc, written) {
                        Some(nested) => {
                            if children.is_empty()
                                && chain.len() < MAX_NESTING
                                && !chain.iter().any(|p| p == nested.path.as_str())
                            {
                                chain.push(nested.path.as_str().to_string());
                                children = self.entries(nested, &nested.items, chain);
                                chain.pop();
                            }
                        }
                        None => href = self.href(toc, written),
                    }
                }
                Entry {
                    name: item.name.clone(),
                    href,
                    children,
                }
            })
            .collect()
    }

    /// The table of contents an `href` names (`a/toc.yml`, or the folder `a/`).
    fn nested(&self, toc: &Toc, href: &str) -> Option<&Toc> {
        let path = href.split(['#', '?']).next().unwrap_or(href);
        let is_toc = path.to_ascii_lowercase().ends_with("toc.yml");
        if !is_toc && !path.ends_with('/') {
            return None;
        }
        let target = links::normalize(path, &toc.path, self.config)?;
        if is_toc {
            return self.by_path.get(target.as_str()).copied();
        }
        ["toc.yml", "TOC.yml", "Toc.yml"].iter().find_map(|name| {
            let candidate = if target.is_empty() {
                (*name).to_string()
            } else {
                format!("{target}/{name}")
            };
            self.by_path.get(candidate.as_str()).copied()
        })
    }

    fn href(&self, toc: &Toc, written: &str) -> Option<String> {
        let resolved = links::resolve(written, &toc.path, self.pages, self.config);
        match resolved {
            Resolved::Unresolved { .. } | Resolved::OutsideRoot => None,
            resolved => Some(resolved.href(written).to_string()),
        }
    }
}

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = escape_html(&mut out, text);
    out
}

fn escaped_href(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    // Writing to a String cannot fail.
    let _ = escape_href(&mut out, url);
    escaped(&out)
}

/// Whether `entry` or an entry under it is the page at `url`.
fn leads_to(entry: &Entry, url: &str) -> bool {
    entry.href.as_deref() == Some(url) || entry.children.iter().any(|c| leads_to(c, url))
}

/// The first page an entry or its branch links to.
fn first_href(entry: &Entry) -> Option<&str> {
    entry
        .href
        .as_deref()
        .or_else(|| entry.children.iter().find_map(first_href))
}

/// Writes an entry. Only the branch that leads to the page is expanded; any other branch is
/// a link to its first page (where it expands), so a page carries the entries along its own
/// path, not the whole table: a site of many pages under one large table stays linear.
fn write_entry(html: &mut String, entry: &Entry, url: &str) {
    let name = escaped(&entry.name);
    let link = |href: &str| {
        let current = if href == url {
            " aria-current=\"page\""
        } else {
            ""
        };
        format!("<a href=\"{}\"{current}>{name}</a>", escaped_href(href))
    };
    let label = entry.href.as_deref().map_or_else(|| name.clone(), link);
    if entry.children.is_empty() || !entry.children.iter().any(|c| leads_to(c, url)) {
        let label = match (&entry.href, entry.children.is_empty()) {
            (None, false) => first_href(entry).map_or(label, link),
            _ => label,
        };
        html.push_str(&format!("<li>{label}</li>\n"));
        return;
    }
    html.push_str(&format!(
        "<li><details open><summary>{label}</summary>\n<ul>\n"
    ));
    for child in &entry.children {
        write_entry(html, child, url);
    }
    html.push_str("</ul>\n</details></li>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Advisory, Notice};

    fn item(name: &str, href: Option<&str>, items: Vec<TocItem>) -> TocItem {
        TocItem {
            name: name.into(),
            href: href.map(str::to_string),
            items,
        }
    }

    #[test]
    fn the_nearest_toc_governs_a_page_and_marks_it() {
        let notice = |path: &str| Notice {
            path: ContentPath(path.into()),
            source: String::new(),
            body_start: 0,
            body_line: 1,
            front: Default::default(),
            has_frontmatter: true,
        };
        let notices = [notice("arc/overview.md"), notice("arc/servers/plan.md")];
        let advisories = [
            Advisory {
                id: "overview".into(),
                members: vec![0],
                ..Advisory::default()
            },
            Advisory {
                id: "plan".into(),
                members: vec![1],
                ..Advisory::default()
            },
        ];
        let pages = PageIndex::new(&notices, &advisories);
        let config = SiteConfig {
            vendor_site_url: Some("https://learn.example".into()),
            ..SiteConfig::default()
        };
        let tocs = [
            Toc {
                path: ContentPath("arc/toc.yml".into()),
                items: vec![
                    item("Overview", Some("overview.md"), vec![]),
                    item("Servers", Some("servers/toc.yml"), vec![]),
                    item("Elsewhere", Some("/azure/other"), vec![]),
                    item("Loop", Some("./toc.yml"), vec![]),
                ],
            },
            Toc {
                path: ContentPath("arc/servers/toc.yml".into()),
                items: vec![item("Plan <servers>", Some("plan.md"), vec![])],
            },
        ];
        let navigation = Navigation::new(&tocs, &pages, &config);
        let html = navigation
            .html(
                &ContentPath("arc/overview.md".into()),
                "/advisories/overview/",
            )
            .expect("a toc governs arc/");
        assert_eq!(
            html,
            "<ul>\n<li><a href=\"/advisories/overview/\" aria-current=\"page\">Overview</a></li>\n<li><a href=\"/advisories/plan/\">Servers</a></li>\n<li><a href=\"https://learn.example/azure/other\">Elsewhere</a></li>\n<li>Loop</li>\n</ul>\n"
        );
        let nested = navigation
            .html(
                &ContentPath("arc/servers/plan.md".into()),
                "/advisories/plan/",
            )
            .expect("servers/ has its own toc");
        assert!(nested.contains("aria-current=\"page\">Plan &lt;servers&gt;</a>"));
        assert_eq!(
            navigation.html(&ContentPath("other/page.md".into()), "/x/"),
            None
        );
    }
}
