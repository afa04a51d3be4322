//! Stage 6, render: the site's pages from prepared views, through the theme's templates.
//!
//! Views are plain serialisable structs assembled by the build; templates see nothing else,
//! so a theme can rely on exactly these names.

pub mod output;
pub mod search;
pub mod subscriptions;
pub mod theme;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostic::{Code, Diagnostic};
use crate::policy::feed::{FeedAdvisory, FeedProduct, FeedRequirement};
use output::OutputFile;
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
    /// How many notice files the site was built from.
    pub notice_count: usize,
    /// Every product's name and page, by id.
    pub product_names: std::collections::BTreeMap<String, LinkView>,
    /// The origins notices may frame (`https://` and each of `iframe_hosts`), for the
    /// Content-Security-Policy's `frame-src`; empty when no frames are allowed.
    pub frame_src: Vec<String>,
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
    pub status: &'static str,
    /// Whether this revision stands.
    pub current: bool,
}

/// Everything the advisory template shows as `page`.
#[derive(Debug, Clone, Serialize)]
pub struct AdvisoryPage {
    /// Where the page goes, site-relative (`advisories/<id>/index.html`).
    #[serde(skip)]
    pub output_path: String,
    /// The page's title (frontmatter `title`).
    pub title: String,
    /// The heading shown on the page (the notice's own H1, else its title).
    pub heading: String,
    /// The description from frontmatter.
    pub description: Option<String>,
    /// The page's URL.
    pub url: String,
    /// The sanitised body HTML.
    pub body: String,
    /// Frontmatter facts.
    pub facts: Vec<Fact>,
    /// The source file, relative to the site root.
    pub source: String,
    /// Every revision of the advisory, oldest first.
    pub revisions: Vec<RevisionView>,
    /// How the revisions were ordered, in plain words.
    pub order_reason: String,
    /// On the standing revision's page: the advisory's reconciled facts and conflicts.
    pub advisory: Option<FeedAdvisory>,
    /// Pages whose standing revision links here.
    pub referenced_by: Vec<LinkView>,
    /// On a superseded revision's page: the standing revision.
    pub superseded_by: Option<LinkView>,
    /// On a superseded revision's page: the advisory it belongs to.
    pub revision_of: Option<LinkView>,
}

/// A requirement with the advisory it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementView {
    /// The requirement, as published in the feed.
    #[serde(flatten)]
    pub requirement: FeedRequirement,
    /// The advisory's title and page.
    pub advisory: Option<LinkView>,
}

/// An impact with the advisory it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct ImpactView {
    /// What happens.
    pub impact: String,
    /// The advisory's title and page.
    pub advisory: Option<LinkView>,
}

/// Everything the product template shows as `page`.
#[derive(Debug, Clone, Serialize)]
pub struct ProductPage {
    /// Where the page goes, site-relative.
    #[serde(skip)]
    pub output_path: String,
    /// The product, as published in the feed.
    pub product: FeedProduct,
    /// Its requirements over time, standing and superseded.
    pub history: Vec<RequirementView>,
    /// The advisories that name it.
    pub advisories: Vec<LinkView>,
    /// What stops working for it.
    pub impacts: Vec<ImpactView>,
}

/// A dated statement on the home page or the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct MilestoneView {
    /// The element id on the timeline page.
    pub anchor: String,
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

/// A product's row on the home page.
#[derive(Debug, Clone, Serialize)]
pub struct ProductStatusView {
    /// The product's page.
    pub product: LinkView,
    /// Minimum versions in force today, as `version (clouds)` texts.
    pub in_force: Vec<String>,
    /// The next requirement: version, clouds, deadline and days left.
    pub next: Option<NextRequirementView>,
}

/// The next requirement to come into force for a product.
#[derive(Debug, Clone, Serialize)]
pub struct NextRequirementView {
    /// The version needed.
    pub version: String,
    /// The clouds (`all` for every cloud).
    pub clouds: String,
    /// ISO deadline.
    pub deadline: String,
    /// Days left until it is in force.
    pub days_left: i64,
    /// The advisory asking for it.
    pub advisory: Option<LinkView>,
}

/// The home page: what to do, and by when.
#[derive(Debug, Clone, Serialize)]
pub struct HomeView {
    /// "Today" (ISO).
    pub today: String,
    /// Standing deadlines and milestones still ahead, soonest first.
    pub upcoming: Vec<MilestoneView>,
    /// Products with their minimum version in force and the next one.
    pub products: Vec<ProductStatusView>,
}

/// Everything to render.
#[derive(Debug, Clone)]
pub struct SiteViews {
    /// Site-wide values.
    pub site: SiteView,
    /// Advisories for the index, newest first.
    pub advisories: Vec<AdvisorySummary>,
    /// Advisory and revision pages.
    pub pages: Vec<AdvisoryPage>,
    /// Product pages.
    pub products: Vec<ProductPage>,
    /// The home page's "what to do" part.
    pub home: HomeView,
    /// Every milestone of every advisory, by date.
    pub timeline: Vec<MilestoneView>,
    /// The search index.
    pub search: Vec<search::SearchDoc>,
}

/// Renders every page of the site.
pub fn render_site(views: &SiteViews, theme: &mut Theme) -> Result<Vec<OutputFile>, Diagnostic> {
    // `site` goes in the global context, which every render reads by reference: copying it
    // into each page's context would cost time and memory in proportion to pages x products.
    theme.tera.global_context().insert("site", &views.site);
    let theme: &Theme = theme;
    let base = Context::new();

    let mut index = base.clone();
    index.insert("advisories", &views.advisories);
    index.insert("home", &views.home);
    let mut timeline = base.clone();
    timeline.insert("milestones", &views.timeline);
    timeline.insert("today", &views.home.today);
    let mut products = base.clone();
    products.insert("products", &views.products);
    let mut files = vec![
        page(theme, "index.html", &index, "index.html")?,
        page(theme, "404.html", &base, "404.html")?,
        page(theme, "products.html", &products, "products/index.html")?,
        page(theme, "timeline.html", &timeline, "timeline/index.html")?,
        page(theme, "search.html", &base, "search/index.html")?,
    ];
    let product_pages: Result<Vec<OutputFile>, Diagnostic> = views
        .products
        .par_iter()
        .map(|view| {
            let mut context = base.clone();
            context.insert("page", view);
            page(theme, "product.html", &context, &view.output_path)
        })
        .collect();
    files.extend(product_pages?);
    let pages: Result<Vec<OutputFile>, Diagnostic> = views
        .pages
        .par_iter()
        .map(|view| {
            let mut context = base.clone();
            context.insert("page", view);
            page(theme, "advisory.html", &context, &view.output_path)
        })
        .collect();
    files.extend(pages?);
    files.extend(
        theme
            .static_files
            .iter()
            .map(|(path, bytes)| OutputFile::Generated {
                path: format!("static/{path}"),
                bytes: bytes.clone(),
            }),
    );
    files.push(generated(
        "search-index.js",
        search::index_script(&views.search),
    ));
    let base_url = &views.site.base_url;
    let listings = [
        base_url.clone(),
        format!("{base_url}products/"),
        format!("{base_url}timeline/"),
    ];
    let urls: Vec<&str> = listings
        .iter()
        .map(String::as_str)
        .chain(views.pages.iter().map(|p| p.url.as_str()))
        .chain(views.products.iter().map(|p| p.product.url.as_str()))
        .collect();
    files.push(generated("sitemap.xml", sitemap(&urls)));
    files.push(generated(
        "robots.txt",
        format!("User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n"),
    ));
    Ok(files)
}

/// Atom and iCalendar files, from the views and the policy feed.
pub fn subscription_files(views: &SiteViews, feed: &crate::policy::feed::Feed) -> Vec<OutputFile> {
    let site = &views.site;
    let mut files = vec![generated(
        "atom.xml",
        subscriptions::atom(
            &site.title,
            &site.base_url,
            &feed.generated_at,
            &views.advisories,
            &views.pages,
        ),
    )];
    files.extend(
        subscriptions::calendars(feed, &site.title, &site.base_url)
            .into_iter()
            .map(|(path, text)| generated(&path, text)),
    );
    files
}

fn generated(path: &str, text: String) -> OutputFile {
    OutputFile::Generated {
        path: path.to_string(),
        bytes: text.into_bytes(),
    }
}

/// `sitemap.xml` listing `urls` (absolute when `base_url` is).
fn sitemap(urls: &[&str]) -> String {
    let mut urls = urls.to_vec();
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

fn page(
    theme: &Theme,
    template: &str,
    context: &Context,
    path: &str,
) -> Result<OutputFile, Diagnostic> {
    let html = theme.tera.render(template, context).map_err(|e| {
        Diagnostic::global(
            Code::Template,
            format!(
                "rendering {path} with the template {template} failed: {}",
                error_chain(&e)
            ),
        )
    })?;
    Ok(OutputFile::Generated {
        path: path.to_string(),
        bytes: html.into_bytes(),
    })
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
