//! Stage 6, render: the site's pages from prepared views, through the theme's templates.
//!
//! Views are plain serialisable structs assembled by the build; templates see nothing else,
//! so a theme can rely on exactly these names.

pub mod feeds;
pub mod output;
pub mod search;
pub mod subscriptions;
pub mod theme;

use std::hash::{DefaultHasher, Hash, Hasher};

use serde::Serialize;
use tera::Context;

use crate::diagnostic::{Code, Diagnostic};
use crate::policy::feed::{FeedAdvisory, FeedProduct, FeedRequirement};
use crate::routes::Routes;
use output::{OutputError, Staging};
use theme::Theme;

/// Site-wide values every template sees as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// The site's name.
    pub title: String,
    /// The site's one-line description.
    pub description: String,
    /// The URL prefix of every internal link, ending in `/`.
    pub base_url: String,
    /// The URLs of the site-wide pages and files every page may link to.
    pub urls: SiteUrls,
    /// How many notice files the site was built from.
    pub notice_count: usize,
    /// Every product's name and page, by id.
    pub product_names: std::collections::BTreeMap<String, LinkView>,
    /// The origins notices may frame (`https://` and each of `iframe_hosts`), for the
    /// Content-Security-Policy's `frame-src`; empty when no frames are allowed.
    pub frame_src: Vec<String>,
}

/// The URLs of the site-wide pages and files, made by [`crate::routes::Routes`] so that
/// templates never build a URL of their own.
#[derive(Debug, Clone, Serialize)]
pub struct SiteUrls {
    /// The home page.
    pub home: String,
    /// The list of every advisory (its first page).
    pub advisories: String,
    /// The list of every product.
    pub products: String,
    /// The timeline's index.
    pub timeline: String,
    /// The search page.
    pub search: String,
    /// The page served for a missing one.
    pub not_found: String,
    /// The policy feed.
    pub feed: String,
    /// The Atom feed.
    pub atom: String,
    /// The calendar of every deadline.
    pub calendar: String,
    /// The search index script.
    pub search_index: String,
    /// The folder of the theme's static files, ending in `/` (a theme names its own files:
    /// `{{ site.urls.assets }}style.css`).
    pub assets: String,
}

impl SiteUrls {
    /// The URLs under `routes`.
    pub fn new(routes: &crate::routes::Routes<'_>) -> Self {
        use crate::routes::Routes;
        SiteUrls {
            home: routes.url(Routes::HOME),
            advisories: routes.url(Routes::ADVISORIES),
            products: routes.url(Routes::PRODUCTS),
            timeline: routes.url(Routes::TIMELINE),
            search: routes.url(Routes::SEARCH),
            not_found: routes.url(Routes::NOT_FOUND),
            feed: routes.url(Routes::FEED),
            atom: routes.url(Routes::ATOM),
            calendar: routes.url(Routes::CALENDAR),
            search_index: routes.url(Routes::SEARCH_INDEX),
            assets: routes.url(&Routes::static_file("")),
        }
    }
}

/// A link to a page, with the text to show.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LinkView {
    /// The page's title.
    pub title: String,
    /// Its URL.
    pub url: String,
}

/// An advisory in a list.
#[derive(Debug, Clone, Serialize)]
pub struct AdvisorySummary {
    /// Its id.
    pub id: String,
    /// Its page.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its description.
    pub description: Option<String>,
    /// The standing revision's `ms.date`, ISO.
    pub date: Option<String>,
    /// The same date for people.
    pub date_display: String,
    /// How many revisions it has.
    pub revision_count: usize,
    /// When a revision last changed a requirement or deadline (RFC 3339).
    pub updated: String,
}

/// One labelled fact in a page's facts box.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    /// The label.
    pub label: String,
    /// The value, for people.
    pub value: String,
    /// A machine-readable date, when the value is one.
    pub datetime: Option<String>,
}

/// One revision in an advisory's revision list.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionView {
    /// The source file, relative to the site root.
    pub file: String,
    /// Its page.
    pub url: String,
    /// Its `ms.date`, ISO.
    pub ms_date: Option<String>,
    /// `current` or `superseded`.
    pub status: crate::policy::feed::RevisionStatus,
    /// Whether this revision stands.
    pub current: bool,
}

/// A revision that changed a fact, as an advisory's "Changes" lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    /// The commit time (RFC 3339, UTC); `None` for the working tree's uncommitted text.
    pub date: Option<String>,
    /// The commit's day for people (`April 9, 2025`); `uncommitted` without a commit.
    pub date_display: String,
    /// The full commit id.
    pub commit: Option<String>,
    /// The commit id's first 7 characters.
    pub short: Option<String>,
    /// The commit on the repository's site, when `repository_url` is set.
    pub commit_url: Option<String>,
    /// The revision's page (the advisory's own for uncommitted text).
    pub url: String,
    /// The same page's path in the output; the templates link by `url`.
    #[serde(skip)]
    pub path: String,
    /// The file that stands after it, as it was named then (relative to the site root).
    pub file: String,
    /// What changed, in words.
    pub changes: Vec<String>,
}

/// An advisory's change log.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryView {
    /// The revisions that changed a fact, newest first.
    pub changes: Vec<ChangeView>,
    /// How many revisions changed no fact.
    pub unchanged: usize,
    /// When it was first committed (RFC 3339, UTC).
    pub first_published: Option<String>,
    /// The same day for people.
    pub first_published_display: Option<String>,
}

/// Everything the advisory template shows as `page`. Borrowed from the analysis: pages are
/// assembled, rendered and written one at a time, never all held at once.
#[derive(Debug, Clone, Serialize)]
pub struct AdvisoryPage<'a> {
    /// Where the page goes, site-relative (`advisories/<id>/index.html`).
    #[serde(skip)]
    pub output_path: String,
    /// The page's title (frontmatter `title`).
    pub title: &'a str,
    /// The heading shown on the page (the notice's own H1, else its title).
    pub heading: &'a str,
    /// The description from frontmatter.
    pub description: Option<&'a str>,
    /// The page's URL.
    pub url: String,
    /// The sanitised body HTML.
    pub body: &'a str,
    /// Frontmatter facts.
    pub facts: Vec<Fact>,
    /// The source file, relative to the site root.
    pub source: String,
    /// Every revision of the advisory, oldest first.
    pub revisions: &'a [RevisionView],
    /// How the revisions were ordered, in plain words.
    pub order_reason: &'a str,
    /// Why the revisions are one advisory, in plain words (`shared text 63%: content/b.md
    /// with content/a.md`); `None` for a single notice.
    pub grouped_by: Option<&'a str>,
    /// On the standing revision's page: the advisory's reconciled facts and conflicts.
    pub advisory: Option<&'a FeedAdvisory>,
    /// Pages whose standing revision links here.
    pub referenced_by: &'a [LinkView],
    /// On a superseded revision's page: the standing revision.
    pub superseded_by: Option<&'a LinkView>,
    /// On a superseded revision's page: the advisory it belongs to.
    pub revision_of: Option<&'a LinkView>,
    /// On the standing revision's page, with git history: the change log.
    pub history: Option<&'a HistoryView>,
    /// On a commit's revision page: that revision and what it changed.
    pub commit: Option<&'a ChangeView>,
    /// The documentation's navigation (from the nearest `toc.yml`) as HTML lists, the
    /// page's entry marked `aria-current`; `None` when no `toc.yml` governs the page.
    pub nav: Option<String>,
    /// Whether the body has tab groups or zone pivots (the theme then loads the script
    /// that makes them interactive).
    pub interactive: bool,
    /// On the standing revision's page: one sentence per product saying what to do.
    pub actions: &'a [ActionView],
    /// On the standing revision's page: the revisions' disagreements, one per field.
    pub conflicts: &'a [ConflictGroupView],
    /// The reason every disagreement was settled by, when they share one (said once).
    pub conflict_reason: Option<&'a str>,
    /// On the standing revision's page: the dates that stand, but for deadlines an action
    /// sentence already gives.
    pub dates: &'a [DatedView],
    /// On the standing revision's page: how many requirements and dates no longer stand
    /// (shown folded, after the notice).
    pub superseded_count: usize,
}

/// A date as pages show it: never broken across lines, its distance from the reader's day
/// filled in by the theme's script (so no build-date count is baked into a page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateView {
    /// ISO date at the notice's precision, for `<time datetime>`.
    pub iso: String,
    /// For people: `April 30, 2025`, `December 2022`.
    pub display: String,
    /// The last day the date covers (ISO), from which days left or ago are counted; `None`
    /// when the date cannot be read.
    pub last_day: Option<String>,
}

/// A dated statement that stands, on an advisory page.
#[derive(Debug, Clone, Serialize)]
pub struct DatedView {
    /// The kind's id (`deadline`, `stops-working`, ...).
    pub kind: String,
    /// The kind for people.
    pub kind_label: String,
    /// The date.
    pub date: DateView,
    /// The sentence.
    pub text: String,
}

/// One version a step asks for, and the clouds it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionVersion {
    /// The minimum version.
    pub version: String,
    /// The clouds, joined (`commercial`); `None` for every cloud.
    pub clouds: Option<String>,
}

/// The versions one product needs by one deadline.
#[derive(Debug, Clone, Serialize)]
pub struct ActionStep {
    /// The minimum versions, one per cloud set.
    pub versions: Vec<ActionVersion>,
    /// The deadline; `None` means now.
    pub deadline: Option<DateView>,
}

/// What an advisory asks of one product, in one sentence: "Upgrade P to V or later (commercial)
/// / W (noncommercial) by D".
#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    /// The product's name and page.
    pub product: LinkView,
    /// Its steps, those without a deadline first, then by deadline.
    pub steps: Vec<ActionStep>,
}

/// Revisions disagreeing on one field, in words: one line per field.
#[derive(Debug, Clone, Serialize)]
pub struct ConflictGroupView {
    /// The field, for people (`Minimum version of Microsoft Entra Connect Sync`).
    pub field: String,
    /// The value that stands, and where.
    pub chosen: String,
    /// Where it is stated (`file:line`).
    pub chosen_source: String,
    /// The values that do not stand, each with where it was stated.
    pub rejected: Vec<String>,
    /// Why the chosen value stands, in words.
    pub reason: String,
}

/// A requirement with the advisory it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementView<'a> {
    /// The requirement, as published in the feed.
    #[serde(flatten)]
    pub requirement: &'a FeedRequirement,
    /// The advisory's title and page.
    pub advisory: Option<&'a LinkView>,
}

/// An impact with the advisory it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct ImpactView<'a> {
    /// What happens.
    pub impact: &'a str,
    /// The advisory's title and page.
    pub advisory: Option<&'a LinkView>,
}

/// Everything the product template shows as `page`.
#[derive(Debug, Clone, Serialize)]
pub struct ProductPage<'a> {
    /// Where the page goes, site-relative.
    #[serde(skip)]
    pub output_path: String,
    /// The product, as published in the feed.
    pub product: &'a FeedProduct,
    /// Its requirements over time, standing and superseded.
    pub history: Vec<RequirementView<'a>>,
    /// The advisories that name it.
    pub advisories: Vec<&'a LinkView>,
    /// What stops working for it.
    pub impacts: Vec<ImpactView<'a>>,
    /// Its minimum in force today and the next one.
    pub status: Option<&'a ProductStatusView>,
}

/// A product in the products list.
#[derive(Debug, Clone, Serialize)]
pub struct ProductSummary {
    /// Its name and page.
    pub product: LinkView,
    /// How many requirements name it.
    pub requirement_count: usize,
    /// How many advisories name it.
    pub advisory_count: usize,
}

/// A dated statement on the home page or the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct MilestoneView {
    /// The element id on the timeline's pages.
    pub anchor: String,
    /// The year of the date: the timeline page that holds it.
    #[serde(skip)]
    pub year: i16,
    /// ISO date at the notice's precision.
    pub date: String,
    /// The same date for people ("September 23, 2024", "December 2022").
    pub date_display: String,
    /// The kind's id (`deadline`, `stops-working`, ...).
    pub kind: String,
    /// The kind for people.
    pub kind_label: String,
    /// The sentence.
    pub text: String,
    /// The advisory it comes from.
    pub advisory: LinkView,
    /// Days from "today" to the last day the date covers (negative when past).
    pub days_left: i64,
    /// Whether the date has passed.
    pub past: bool,
    /// When it no longer stands: what replaced it, linked.
    pub superseded_by: Option<LinkView>,
}

/// A product's minimums: on its row of the home page and at the top of its page.
#[derive(Debug, Clone, Serialize)]
pub struct ProductStatusView {
    /// The product's page.
    pub product: LinkView,
    /// The one minimum in force today per cloud, since when and by which advisory.
    pub in_force: Vec<EffectiveView>,
    /// The requirements due next (sharing the soonest deadline).
    pub next: Vec<EffectiveView>,
}

/// A minimum version, the clouds it holds in, its deadline and its advisory.
#[derive(Debug, Clone, Serialize)]
pub struct EffectiveView {
    /// The minimum version.
    pub version: String,
    /// The clouds, joined; `None` for every cloud.
    pub clouds: Option<String>,
    /// The deadline; `None` when it holds from the advisory's publication.
    pub deadline: Option<DateView>,
    /// The advisory stating it.
    pub advisory: Option<LinkView>,
}

/// The home page: what to do, and by when.
#[derive(Debug, Clone, Serialize)]
pub struct HomeView {
    /// "Today" (ISO).
    pub today: String,
    /// The soonest standing deadlines and milestones still ahead.
    pub upcoming: Vec<MilestoneView>,
    /// How many more lie ahead (on the timeline).
    pub upcoming_more: usize,
    /// The newest advisories.
    pub recent: Vec<AdvisorySummary>,
    /// How many advisories there are in all (on the advisories page).
    pub advisory_count: usize,
    /// Products with their minimum version in force and the next one.
    pub products: Vec<ProductStatusView>,
}

/// A link from one page of a listing to another.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// The page's name in the links: its number, or its year.
    pub label: String,
    /// Its URL.
    pub url: String,
    /// Whether it is the page showing the link.
    pub current: bool,
}

/// The links between the pages of a listing.
#[derive(Debug, Clone, Serialize)]
pub struct PageNav {
    /// The page before this one.
    pub previous: Option<PageLink>,
    /// The page after this one.
    pub next: Option<PageLink>,
    /// The pages to link by name, in order; `None` stands for pages left out between two.
    pub pages: Vec<Option<PageLink>>,
}

/// One page of a listing split into pages: the timeline's index or one of its years, or a
/// page of the list of every advisory.
#[derive(Debug, Clone, Serialize)]
pub struct ListingPage {
    /// Its folder, site-relative.
    #[serde(skip)]
    pub path: String,
    /// Its URL.
    pub url: String,
    /// What tells it from the listing's first page (the year, the page number); `None` on
    /// the first page.
    pub label: Option<String>,
    /// The items of the listing it shows.
    #[serde(skip)]
    pub items: std::ops::Range<usize>,
    /// The links to the listing's other pages; `None` when it has no other.
    pub nav: Option<PageNav>,
}

/// The site-wide pages: home, lists, timeline, search, sitemap. Advisory and product pages
/// are rendered one by one with [`Renderer::advisory`] and [`Renderer::product`].
#[derive(Debug, Clone)]
pub struct Listings {
    /// Every advisory, newest first.
    pub advisories: Vec<AdvisorySummary>,
    /// The pages the list of every advisory is split into.
    pub advisory_pages: Vec<ListingPage>,
    /// Every product, by id.
    pub products: Vec<ProductSummary>,
    /// The home page's "what to do" part.
    pub home: HomeView,
    /// Every milestone of every advisory, by date.
    pub timeline: Vec<MilestoneView>,
    /// The timeline's pages: its index, then one per year.
    pub timeline_pages: Vec<ListingPage>,
    /// The search index.
    pub search: Vec<search::SearchDoc>,
    /// What `sitemap.xml` lists; `None` when the site's address is not known (no sitemap
    /// is written).
    pub sitemap: Option<SitemapView>,
}

/// The sitemap's content, absolute as the protocol requires.
#[derive(Debug, Clone)]
pub struct SitemapView {
    /// The address the site is published at.
    pub root: String,
    /// Every page's URL.
    pub urls: Vec<String>,
}

/// Renders pages through the theme and writes them to the staged site.
pub struct Renderer<'a> {
    theme: &'a Theme,
    out: &'a Staging,
    /// Sums up what every page sees besides its own view (the theme and `site`), when the
    /// output keeps keys.
    site_key: Option<u64>,
}

impl<'a> Renderer<'a> {
    /// A renderer for `site`. `site` goes in the theme's global context, which every render
    /// reads by reference: copying it into each page's context would cost time and memory
    /// in proportion to pages x products.
    pub fn new(theme: &'a mut Theme, site: &'a SiteView, out: &'a Staging) -> Self {
        theme.tera.global_context().insert("site", site);
        let site_key = out.is_keyed().then(|| {
            let mut hasher = KeyWriter(DefaultHasher::new());
            theme.fingerprint.hash(&mut hasher.0);
            // Serialising into a hasher cannot fail.
            let _ = serde_json::to_writer(&mut hasher, site);
            hasher.0.finish()
        });
        Renderer {
            theme,
            out,
            site_key,
        }
    }

    /// The site-wide pages, the theme's static files, the search index, the sitemap and
    /// `robots.txt`.
    pub fn listings(&self, views: &Listings) -> Result<(), Diagnostic> {
        let base = Context::new();
        let mut index = base.clone();
        index.insert("home", &views.home);
        let mut products = base.clone();
        products.insert("products", &views.products);
        let file = Routes::page_file;
        self.page("index.html", &index, &file(Routes::HOME))?;
        self.page("404.html", &base, Routes::NOT_FOUND)?;
        let page_count = views.advisory_pages.len();
        for (number, listing) in (1..).zip(&views.advisory_pages) {
            let mut advisories = base.clone();
            let shown = views.advisories.get(listing.items.clone());
            advisories.insert("advisories", shown.unwrap_or_default());
            advisories.insert("total", &views.advisories.len());
            advisories.insert("listing", listing);
            advisories.insert("page_number", &number);
            advisories.insert("page_count", &page_count);
            self.page("advisories.html", &advisories, &file(&listing.path))?;
        }
        self.page("products.html", &products, &file(Routes::PRODUCTS))?;
        for listing in &views.timeline_pages {
            let milestones = views
                .timeline
                .get(listing.items.clone())
                .unwrap_or_default();
            let past = milestones.iter().filter(|m| m.past).count();
            let mut timeline = base.clone();
            timeline.insert("milestones", milestones);
            timeline.insert("today", &views.home.today);
            timeline.insert("past", &past);
            timeline.insert("ahead", &(milestones.len() - past));
            timeline.insert("listing", listing);
            self.page("timeline.html", &timeline, &file(&listing.path))?;
        }
        self.page("search.html", &base, &file(Routes::SEARCH))?;
        for (path, bytes) in &self.theme.static_files {
            self.write(&Routes::static_file(path), bytes)?;
        }
        self.write(
            Routes::SEARCH_INDEX,
            search::index_script(&views.search).as_bytes(),
        )?;
        let mut robots = String::from("User-agent: *\nAllow: /\n");
        if let Some(view) = &views.sitemap {
            self.write(Routes::SITEMAP, sitemap(&view.urls).as_bytes())?;
            // robots.txt, too, names the sitemap by its absolute URL.
            let url = Routes::new(&view.root).url(Routes::SITEMAP);
            robots.push_str(&format!("Sitemap: {url}\n"));
        }
        self.write(Routes::ROBOTS, robots.as_bytes())
    }

    /// An advisory or revision page.
    pub fn advisory(&self, view: &AdvisoryPage<'_>) -> Result<(), Diagnostic> {
        self.view_page("advisory.html", view, &view.output_path)
    }

    /// A product page.
    pub fn product(&self, view: &ProductPage<'_>) -> Result<(), Diagnostic> {
        self.view_page("product.html", view, &view.output_path)
    }

    /// A page of `template` showing `view` as `page`. When the output keeps keys, the page
    /// is keyed by its view and the site's, and not rendered again while they hold.
    fn view_page<T: Serialize>(
        &self,
        template: &str,
        view: &T,
        path: &str,
    ) -> Result<(), Diagnostic> {
        let key = self.site_key.map(|site| {
            let mut hasher = KeyWriter(DefaultHasher::new());
            site.hash(&mut hasher.0);
            template.hash(&mut hasher.0);
            let _ = serde_json::to_writer(&mut hasher, view);
            hasher.0.finish()
        });
        let to_diagnostic = |e: OutputError| output_diagnostic(self.out.output(), &e);
        let Some(slot) = self.out.claim_keyed(path, key).map_err(to_diagnostic)? else {
            return Ok(());
        };
        let mut context = Context::new();
        context.insert("page", view);
        let html = self.render(template, &context, path)?;
        self.out.fill(slot, html.as_bytes()).map_err(to_diagnostic)
    }

    /// Writes generated bytes to the staged site.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.out
            .write(path, bytes)
            .map_err(|e| output_diagnostic(self.out.output(), &e))
    }

    fn page(&self, template: &str, context: &Context, path: &str) -> Result<(), Diagnostic> {
        let html = self.render(template, context, path)?;
        self.write(path, html.as_bytes())
    }

    fn render(&self, template: &str, context: &Context, path: &str) -> Result<String, Diagnostic> {
        self.theme.tera.render(template, context).map_err(|e| {
            Diagnostic::global(
                Code::Template,
                format!(
                    "rendering {path} with the template {template} failed: {}",
                    error_chain(&e)
                ),
            )
        })
    }
}

/// Feeds what is written to it into a hasher, to key a value by its serialisation.
struct KeyWriter(DefaultHasher);

impl std::io::Write for KeyWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The diagnostic for a site that could not be written.
pub fn output_diagnostic(output: &std::path::Path, error: &OutputError) -> Diagnostic {
    Diagnostic::new(
        Code::Output,
        output,
        format!("cannot write the site: {error}"),
    )
}

/// `sitemap.xml` listing `urls`, absolute.
fn sitemap(urls: &[String]) -> String {
    let mut urls: Vec<&str> = urls.iter().map(String::as_str).collect();
    urls.sort_unstable();
    urls.dedup();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        let mut escaped = String::new();
        // Writing to a String cannot fail.
        let _ = pulldown_cmark_escape::escape_html(&mut escaped, url);
        xml.push_str(&format!("  <url><loc>{escaped}</loc></url>\n"));
    }
    xml.push_str("</urlset>\n");
    xml
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
