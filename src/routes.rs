//! Where everything of a built site lives: each page's, feed's and calendar's path in the
//! output folder, and its URL under `base_url`. Every stage asks here, so a link and the file
//! it leads to cannot disagree.
//!
//! Paths are relative to the output folder, use `/`, and name a page by its folder
//! (`advisories/<id>/`, written as `advisories/<id>/index.html`). A URL is the base URL
//! followed by the path.

use crate::slug::{fit, slugify};

/// The site's routes: the paths of its files (associated functions and constants, the same
/// under every base URL) and, from a value holding the base URL, their URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Routes<'a> {
    base: &'a str,
}

impl<'a> Routes<'a> {
    /// The home page's folder: the site root.
    pub const HOME: &'static str = "";
    /// The page listing every advisory.
    pub const ADVISORIES: &'static str = "advisories/";
    /// The page listing every product.
    pub const PRODUCTS: &'static str = "products/";
    /// The timeline of every dated statement.
    pub const TIMELINE: &'static str = "timeline/";
    /// The search page.
    pub const SEARCH: &'static str = "search/";
    /// The page served for a missing one.
    pub const NOT_FOUND: &'static str = "404.html";
    /// The site's policy feed.
    pub const FEED: &'static str = "policy.json";
    /// The site feed's JSON Schema.
    pub const FEED_SCHEMA: &'static str = "policy.schema.json";
    /// The product feeds' JSON Schema.
    pub const PRODUCT_FEED_SCHEMA: &'static str = "products/policy.schema.json";
    /// The Atom feed.
    pub const ATOM: &'static str = "atom.xml";
    /// The calendar of every deadline.
    pub const CALENDAR: &'static str = "deadlines.ics";
    /// The search index the search page loads.
    pub const SEARCH_INDEX: &'static str = "search-index.js";
    /// The sitemap.
    pub const SITEMAP: &'static str = "sitemap.xml";
    /// The crawlers' rules.
    pub const ROBOTS: &'static str = "robots.txt";

    /// Page `number` (from 1) of the list of every advisory: the first is the list's own
    /// folder, so its URL is the one it had before the list had pages.
    pub fn advisories_page(number: usize) -> String {
        if number <= 1 {
            Self::ADVISORIES.to_string()
        } else {
            format!("{}page/{number}/", Self::ADVISORIES)
        }
    }

    /// The timeline of the dated statements of `year`.
    pub fn timeline_year(year: i16) -> String {
        format!("{}{year}/", Self::TIMELINE)
    }

    /// The page of the advisory `id`.
    pub fn advisory(id: &str) -> String {
        format!("{}{id}/", Self::ADVISORIES)
    }

    /// The calendar of the advisory `id`'s deadlines.
    pub fn advisory_calendar(id: &str) -> String {
        format!("{}{id}/{}", Self::ADVISORIES, Self::CALENDAR)
    }

    /// The page of the advisory `id` as the commit `commit` left it.
    pub fn commit_revision(id: &str, commit: &str) -> String {
        format!("{}{id}/revisions/{commit}/", Self::ADVISORIES)
    }

    /// The page of a superseded revision of the advisory `id`: the notice at `path` (relative to
    /// `content/`).
    pub fn notice_revision(id: &str, path: &str) -> String {
        format!(
            "{}{id}/revisions/{}/",
            Self::ADVISORIES,
            Self::path_slug(path)
        )
    }

    /// The page of the product `id`.
    pub fn product(id: &str) -> String {
        format!("{}{id}/", Self::PRODUCTS)
    }

    /// The product `id`'s own policy feed.
    pub fn product_feed(id: &str) -> String {
        format!("{}{id}/{}", Self::PRODUCTS, Self::FEED)
    }

    /// The calendar of the product `id`'s deadlines.
    pub fn product_calendar(id: &str) -> String {
        format!("{}{id}/{}", Self::PRODUCTS, Self::CALENDAR)
    }

    /// A file of the theme's `static/` folder.
    pub fn static_file(name: &str) -> String {
        format!("static/{name}")
    }

    /// The file a page's folder is written as: `<folder>index.html`.
    pub fn page_file(folder: &str) -> String {
        format!("{folder}index.html")
    }

    /// The slug of a content path, extension dropped and folders as words
    /// (`docs/connect/notice.md` is `docs-connect-notice`), fitted to a folder name: the name of
    /// a superseded revision's page, and of an advisory whose title's slug is taken.
    pub fn path_slug(path: &str) -> String {
        let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
        fit(slugify(&stem.replace('/', " ")))
    }
    /// URLs under `base_url`, a path or absolute URL ending in `/` (the settings see to it).
    pub fn new(base_url: &'a str) -> Self {
        Routes { base: base_url }
    }

    /// The base URL.
    pub fn base(&self) -> &'a str {
        self.base
    }

    /// The URL of the site path `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Whether the base URL is absolute (`https://...`), so URLs made from it are too.
    pub fn is_absolute(&self) -> bool {
        self.base.starts_with("http://") || self.base.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every route, its path in the output and its URL under a path and under an absolute
    /// base URL.
    #[test]
    fn routes() {
        let cases: [(String, &str); 23] = [
            (Routes::HOME.to_string(), ""),
            (Routes::ADVISORIES.to_string(), "advisories/"),
            (Routes::PRODUCTS.to_string(), "products/"),
            (Routes::TIMELINE.to_string(), "timeline/"),
            (Routes::SEARCH.to_string(), "search/"),
            (Routes::NOT_FOUND.to_string(), "404.html"),
            (Routes::FEED.to_string(), "policy.json"),
            (Routes::FEED_SCHEMA.to_string(), "policy.schema.json"),
            (
                Routes::PRODUCT_FEED_SCHEMA.to_string(),
                "products/policy.schema.json",
            ),
            (Routes::ATOM.to_string(), "atom.xml"),
            (Routes::CALENDAR.to_string(), "deadlines.ics"),
            (Routes::advisories_page(1), "advisories/"),
            (Routes::advisories_page(2), "advisories/page/2/"),
            (Routes::advisories_page(100), "advisories/page/100/"),
            (Routes::timeline_year(2025), "timeline/2025/"),
            (Routes::advisory("pks"), "advisories/pks/"),
            (
                Routes::advisory_calendar("pks"),
                "advisories/pks/deadlines.ics",
            ),
            (
                Routes::commit_revision("pks", "4698cee0"),
                "advisories/pks/revisions/4698cee0/",
            ),
            (
                Routes::notice_revision("pks", "docs/Revisions/001/Notice.md"),
                "advisories/pks/revisions/docs-revisions-001-notice/",
            ),
            (
                Routes::product("entra-connect-sync"),
                "products/entra-connect-sync/",
            ),
            (
                Routes::product_feed("entra-connect-sync"),
                "products/entra-connect-sync/policy.json",
            ),
            (
                Routes::product_calendar("entra-connect-sync"),
                "products/entra-connect-sync/deadlines.ics",
            ),
            (Routes::static_file("style.css"), "static/style.css"),
        ];
        let relative = Routes::new("/");
        let absolute = Routes::new("https://advisories.example/docs/");
        assert!(!relative.is_absolute() && absolute.is_absolute());
        for (path, expected) in &cases {
            assert_eq!(path, expected);
            assert_eq!(relative.url(path), format!("/{expected}"));
            assert_eq!(
                absolute.url(path),
                format!("https://advisories.example/docs/{expected}")
            );
        }
        assert_eq!(
            Routes::page_file(&Routes::advisory("pks")),
            "advisories/pks/index.html"
        );
        assert_eq!(Routes::page_file(Routes::HOME), "index.html");
    }

    /// A path's slug drops the extension only, joins folders with `-`, drops other
    /// punctuation and fits a folder name.
    #[test]
    fn path_slugs() {
        let long = format!("{}.md", "a".repeat(300));
        let cases = [
            ("notice.md", "notice".to_string()),
            ("docs/connect/notice.md", "docs-connect-notice".to_string()),
            ("v1.2/notice.md", "v12-notice".to_string()),
            ("notes/Read Me.markdown", "notes-read-me".to_string()),
            ("no-extension", "no-extension".to_string()),
            ("!!!.md", String::new()),
            (long.as_str(), fit("a".repeat(300))),
        ];
        for (path, expected) in cases {
            assert_eq!(Routes::path_slug(path), expected, "{path}");
        }
        assert!(Routes::path_slug(&long).len() <= crate::slug::MAX_SLUG_BYTES);
    }
}
