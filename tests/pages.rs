//! What a reader acts on: the advisory page's one sentence per product before the notice,
//! the effective minimum on the home and product pages, the timeline's order, and pages
//! that do not depend on the day they were built.

mod common;

use bulletin::{BuildOptions, BuildReport, build};
use common::*;

/// Builds `root` as on `today` (ISO).
fn build_on(root: &std::path::Path, today: &str) -> (BuildReport, tempfile::TempDir) {
    let out = tempfile::tempdir().expect("temp dir");
    let report = build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.path().join("public")),
        today: Some(today.parse().expect("a date")),
        ..Default::default()
    });
    assert!(report.written, "{:#?}", report.diagnostics);
    (report, out)
}

/// Where `needle` is in `haystack`, or a failure naming it.
fn at(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not on the page"))
}

#[test]
fn an_advisory_page_opens_with_what_to_do_in_one_sentence_per_product() {
    let (_, out) = build_on(&sample_site(), "2025-12-01");
    let html = page(
        &out,
        "advisories/harden-update-ad-fs-pingfederate/index.html",
    );
    let words = text(&html);
    assert!(
        words.contains("What to do Upgrade Microsoft Entra Connect Sync to 2.4.18.0 or later (commercial) / 2.4.21.0 (noncommercial) by April 30, 2025."),
        "{words}"
    );
    // The count of days is the reader's browser's to fill in, from the date alone.
    assert!(html.contains(
        "<time class=\"date\" datetime=\"2025-04-30\">April 30, 2025</time><span class=\"days\" data-until=\"2025-04-30\"></span>"
    ));
    // The action, then the notice, then what it is about and where it comes from.
    let action = at(&html, "id=\"what-to-do\"");
    let body = at(&html, "<div class=\"body\">");
    let about = at(&html, "id=\"facts-title\"");
    let sources = at(&html, "id=\"sources-title\"");
    assert!(action < body && body < about && about < sources, "{html}");
    // Nothing that no longer stands is in the action; it is folded after the notice.
    let what_to_do = &html[action..body];
    assert!(
        !what_to_do.contains("<del>") && !what_to_do.contains("superseded"),
        "{what_to_do}"
    );
}

#[test]
fn conflicts_are_one_line_per_field_in_words_with_their_reason_said_once() {
    let (_, out) = build_on(&sample_site(), "2025-12-01");
    let html = page(&out, "advisories/security-updates-pks/index.html");
    let words = text(&html);
    let conflicts = &words[at(&words, "Where the revisions disagree")..at(&words, "Referenced by")];
    assert!(
        !conflicts.contains('`') && !conflicts.contains("minimum_version"),
        "{conflicts}"
    );
    assert_eq!(
        conflicts.matches("is the revision that stands").count(),
        1,
        "{conflicts}"
    );
    assert!(conflicts.contains("In each case, connect/security-updates-pks.md is the revision that stands (their “ms.date” is the same;"), "{conflicts}");
    assert!(
        conflicts.contains("Minimum version of Microsoft Entra Connect Health Connect Sync agent: 4.5.2487.0 stands (connect/security-updates-pks.md:32), not 2.3.2.0 (connect/archive/security-updates-pks.md:21)."),
        "{conflicts}"
    );
    // One line per field.
    let lines: Vec<&str> = html
        .split("<ul class=\"conflicts\">")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .unwrap_or_default()
        .matches("<li><strong>")
        .collect();
    // Two requirements per agent and product, the milestone, the title and the description.
    assert_eq!(lines.len(), 10, "{html}");
    // The superseded values are folded away after the notice, never in the action.
    let folded = &html[at(&html, "<details class=\"superseded-values\">")..];
    assert!(at(&html, "<div class=\"body\">") < at(&html, "<details class=\"superseded-values\">"));
    assert!(
        text(folded).contains("Values that no longer stand"),
        "{folded}"
    );
}

#[test]
fn the_home_page_states_the_one_minimum_in_force_per_cloud_and_the_next_one() {
    // After the September 2024 deadlines, before April 30, 2025.
    let (_, out) = build_on(&sample_site(), "2025-03-01");
    let home = text(&page(&out, "index.html"));
    let row = &home[at(&home, "Microsoft Entra Connect Sync 2.")..at(&home, "SQL Server 2012")];
    assert!(
        row.starts_with("Microsoft Entra Connect Sync 2.3.2.0, since the September 23, 2024 deadline: Security hardening to the autoupgrade process"),
        "{row}"
    );
    assert!(
        row.contains("process for Microsoft Entra Connect and Microsoft Entra Connect Health 2.4.18.0 (commercial) by April 30, 2025: Hardening update to Microsoft Entra Connect Sync AD FS and PingFederate configuration 2.4.21.0 (noncommercial) by April 30, 2025: Hardening update"),
        "{row}"
    );
    // After April 30, 2025, the cloud-wide 2.3.2.0 is moot: each cloud's higher one stands.
    let (_, out) = build_on(&sample_site(), "2025-06-01");
    let html = page(&out, "index.html");
    let home = text(&html);
    let row = &home[at(&home, "Microsoft Entra Connect Sync 2.")..at(&home, "SQL Server 2012")];
    assert_eq!(
        row,
        "Microsoft Entra Connect Sync 2.4.18.0 (commercial), since the April 30, 2025 deadline: Hardening update to Microsoft Entra Connect Sync AD FS and PingFederate configuration 2.4.21.0 (noncommercial), since the April 30, 2025 deadline: Hardening update to Microsoft Entra Connect Sync AD FS and PingFederate configuration none "
    );
    assert!(html.contains("<table class=\"status cards\">"));
    let product = text(&page(&out, "products/entra-connect-sync/index.html"));
    assert!(
        product.contains(
            "Minimum version today 2.4.18.0 (commercial), since the April 30, 2025 deadline"
        ),
        "{product}"
    );
    assert!(!product.contains(".md"), "no file path: {product}");
}

#[test]
fn the_timeline_puts_what_lies_ahead_first_then_the_past_newest_first() {
    let (_, out) = build_on(&sample_site(), "2024-09-20");
    let in_order = |timeline: &str, dates: &[&str]| {
        let order: Vec<usize> = dates.iter().map(|d| at(timeline, d)).collect();
        assert!(
            order.windows(2).all(|w| w[0] < w[1]),
            "{order:?} {timeline}"
        );
    };
    // The index: what lies ahead, then this year's past; earlier years on their pages.
    let timeline = text(&page(&out, "timeline/index.html"));
    assert!(at(&timeline, "Ahead") < at(&timeline, "Past"));
    in_order(
        &timeline,
        &[
            "September 23, 2024",
            "April 7, 2025",
            "April 30, 2025",
            "Past September 16, 2024",
        ],
    );
    assert!(!timeline.contains("March 2023"), "{timeline}");
    let year = text(&page(&out, "timeline/2024/index.html"));
    in_order(
        &year,
        &["Ahead September 23, 2024", "Past September 16, 2024"],
    );
    let year = text(&page(&out, "timeline/2022/index.html"));
    assert!(!year.contains("Ahead"), "{year}");
    in_order(
        &year,
        &["Past December 2022", "August 31, 2022", "July 2022"],
    );
    assert!(text(&page(&out, "timeline/2023/index.html")).contains("Past March 2023"));
    // A date a later revision replaced links its advisory, not a file.
    assert!(!timeline.contains("content/"), "{timeline}");
    assert!(timeline.contains("no longer stands: Security hardening to the autoupgrade process"));
}

#[test]
fn advisory_pages_do_not_depend_on_the_day_they_were_built() {
    let (_, early) = build_on(&sample_site(), "2024-01-01");
    let (_, late) = build_on(&sample_site(), "2026-06-01");
    for advisory in [
        "harden-update-ad-fs-pingfederate",
        "security-updates-pks",
        "connect-health-agents",
    ] {
        let path = format!("advisories/{advisory}/index.html");
        assert_eq!(page(&early, &path), page(&late, &path), "{path}");
    }
}

/// A site of `count` notices (each its own advisory) whose deadlines spread over 2021 to
/// 2026; every seventh moves its deadline from December into the next January.
fn many_notices(count: usize) -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("temp dir");
    let content = site.path().join("content");
    std::fs::create_dir_all(&content).expect("content");
    std::fs::write(
        site.path().join("bulletin.yaml"),
        "title: Many advisories\nbase_url: /\nsite_url: https://advisories.example/\nhistory: off\n",
    )
    .expect("bulletin.yaml");
    std::fs::write(
        content.join("_products.yaml"),
        "products:\n  - id: contoso-sync-agent\n    name: Contoso Sync agent\n",
    )
    .expect("catalog");
    for i in 0..count {
        let year = 2021 + i % 6;
        let day = 1 + i % 28;
        let deadline = if i % 7 == 0 {
            format!(
                "by **January 31, {}**.\n\nThe deadline has been extended by six weeks from the earlier communicated date of December 15, {year}.",
                year + 1
            )
        } else {
            format!("by **June {day}, {year}**.")
        };
        std::fs::write(
            content.join(format!("notice-{i:03}.md")),
            format!(
                "---\ntitle: Contoso Sync agent notice number {i}\nms.date: 03/{day:02}/{year}\n---\n\n\
                 # Contoso Sync agent notice number {i}\n\n\
                 You must upgrade the Contoso Sync agent to version 3.{i}.0 or later {deadline}\n"
            ),
        )
        .expect("notice");
    }
    site
}

/// Every `attribute="..."` value on a page, in order.
fn values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let marker = format!(" {attribute}=\"");
    html.split(marker.as_str())
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(value, _)| value))
        .collect()
}

/// The built file a site URL (`/timeline/2024/`) names.
fn file_of(out: &tempfile::TempDir, url: &str) -> std::path::PathBuf {
    let path = url.trim_start_matches('/');
    let file = out.path().join("public").join(path);
    if path.is_empty() || path.ends_with('/') {
        file.join("index.html")
    } else {
        file
    }
}

/// The `rel` link (`prev`, `next`) of a page's page links, if any.
fn rel_link<'a>(html: &'a str, rel: &str) -> Option<&'a str> {
    let marker = format!("\" rel=\"{rel}\"");
    let (before, _) = html.split_once(marker.as_str())?;
    before.rsplit_once("href=\"").map(|(_, url)| url)
}

#[test]
fn the_list_of_every_advisory_is_split_into_pages_of_a_hundred_linked_to_each_other() {
    let site = many_notices(250);
    let (_, out) = build_on(site.path(), "2024-03-01");
    let pages = ["advisories/", "advisories/page/2/", "advisories/page/3/"];
    assert!(!file_of(&out, "/advisories/page/4/").exists());
    assert!(!file_of(&out, "/advisories/page/1/").exists());
    let mut listed = Vec::new();
    let mut dates = Vec::new();
    for (at, path) in pages.iter().enumerate() {
        let html = page(&out, &format!("{path}index.html"));
        let list = &html[at_(&html, "<ol class=\"advisory-list\">")..];
        let list = &list[..at_(list, "</ol>")];
        let titles: Vec<&str> = list
            .split("class=\"advisory-title\" href=\"")
            .skip(1)
            .filter_map(|rest| rest.split_once('"').map(|(url, _)| url))
            .collect();
        assert_eq!(titles.len(), if at < 2 { 100 } else { 50 }, "{path}");
        listed.extend(titles.iter().map(|t| t.to_string()));
        dates.extend(values(list, "datetime").iter().map(|d| d.to_string()));
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"/{path}\">")),
            "{path}"
        );
        assert!(
            text(&html).contains(&format!(
                "250 advisories, newest first. Page {} of 3.",
                at + 1
            )),
            "{path}"
        );
        // Previous and next lead to the pages beside it; the numbered links to every page
        // (three are few enough to name them all), this one marked.
        let beside = |offset: isize| {
            pages
                .get(at.wrapping_add_signed(offset))
                .map(|p| format!("/{p}"))
        };
        assert_eq!(
            rel_link(&html, "prev").map(str::to_string),
            beside(-1),
            "{path}"
        );
        assert_eq!(
            rel_link(&html, "next").map(str::to_string),
            beside(1),
            "{path}"
        );
        let nav = &html[at_(&html, "<nav class=\"pagination\"")..];
        let nav = &nav[..at_(nav, "</nav>")];
        for p in pages {
            assert!(nav.contains(&format!("href=\"/{p}\"")), "{path}: {nav}");
        }
        assert!(
            nav.contains(&format!(
                "href=\"/{path}\" aria-current=\"page\">{}<",
                at + 1
            )),
            "{nav}"
        );
    }
    // Every advisory once, newest first across the pages.
    let unique: std::collections::BTreeSet<&String> = listed.iter().collect();
    assert_eq!((listed.len(), unique.len()), (250, 250));
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let home = page(&out, "index.html");
    assert!(text(&home).contains("All 250 advisories"));
}

/// `at`, for a page's HTML rather than its text.
fn at_(haystack: &str, needle: &str) -> usize {
    at(haystack, needle)
}

#[test]
fn the_timeline_has_a_page_per_year_and_its_index_holds_this_year_and_what_lies_ahead() {
    let site = many_notices(250);
    let (_, out) = build_on(site.path(), "2024-03-01");
    let years: Vec<String> = (2021..=2027).map(|y| y.to_string()).collect();
    let index = page(&out, "timeline/index.html");
    let ids = |html: &str| -> Vec<String> {
        values(html, "id")
            .into_iter()
            .filter(|id| id.starts_with("m-"))
            .map(str::to_string)
            .collect()
    };
    // The index: dates of 2024 and later only, ahead then past, and every year linked.
    let on_index = ids(&index);
    assert!(!on_index.is_empty());
    assert!(
        on_index
            .iter()
            .all(|id| years[3..].iter().any(|y| id.contains(&format!("-{y}-")))),
        "{on_index:?}"
    );
    assert!(at(&index, "id=\"ahead\"") < at(&index, "id=\"past\""));
    for year in &years {
        assert!(
            index.contains(&format!("href=\"/timeline/{year}/\"")),
            "{year}"
        );
    }
    let mut on_years = std::collections::BTreeSet::new();
    for (at, year) in years.iter().enumerate() {
        let html = page(&out, &format!("timeline/{year}/index.html"));
        let here = ids(&html);
        assert!(!here.is_empty(), "{year}");
        // Each item's date is of the page's year.
        for date in values(&html, "datetime")
            .iter()
            .filter(|d| d.len() >= 7 && **d != "2024-03-01")
        {
            assert!(date.starts_with(year.as_str()), "{year}: {date}");
        }
        on_years.extend(here);
        let beside = |offset: isize| {
            years
                .get(at.wrapping_add_signed(offset))
                .map(|y| format!("/timeline/{y}/"))
        };
        assert_eq!(
            rel_link(&html, "prev").map(str::to_string),
            beside(-1),
            "{year}"
        );
        assert_eq!(
            rel_link(&html, "next").map(str::to_string),
            beside(1),
            "{year}"
        );
        assert!(
            html.contains("<a href=\"/timeline/\">Timeline</a>"),
            "{year}"
        );
        assert!(html.contains(&format!(
            "<link rel=\"canonical\" href=\"/timeline/{year}/\">"
        )));
    }
    assert!(!file_of(&out, "/timeline/2020/").exists());
    // A December date moved into January links the next year's page.
    let moved = page(&out, "timeline/2021/index.html");
    assert!(moved.contains("href=\"/timeline/2022/#m-"), "{moved}");
    // What the index shows is on its year's page too.
    assert!(on_index.iter().all(|id| on_years.contains(id)));
    // The sitemap names every page of both listings.
    let sitemap = page(&out, "sitemap.xml");
    for path in years.iter().map(|y| format!("timeline/{y}/")).chain([
        "advisories/page/2/".to_string(),
        "advisories/page/3/".to_string(),
    ]) {
        assert!(
            sitemap.contains(&format!("<loc>https://advisories.example/{path}</loc>")),
            "{path}"
        );
    }
}

#[test]
fn every_link_into_the_timeline_lands_on_the_page_that_holds_its_anchor() {
    let site = many_notices(250);
    for (root, today) in [
        (site.path().to_path_buf(), "2024-03-01"),
        (sample_site(), "2024-09-20"),
        (sample_site(), "2026-06-01"),
    ] {
        let (_, out) = build_on(&root, today);
        let public = out.path().join("public");
        let mut checked = 0;
        for (path, bytes) in tree(&public) {
            if !path.ends_with(".html") {
                continue;
            }
            let html = String::from_utf8_lossy(&bytes);
            for href in values(&html, "href") {
                let Some((url, fragment)) = href.split_once('#') else {
                    continue;
                };
                // The notices' own links to each other are the vendor's (B0302 warns of theirs).
                if !url.starts_with("/timeline/") {
                    continue;
                }
                let target = file_of(&out, url);
                let target = std::fs::read_to_string(&target)
                    .unwrap_or_else(|e| panic!("{path} links {href}: {e}"));
                assert!(
                    values(&target, "id").contains(&fragment),
                    "{path} links {href}, which has no such id"
                );
                checked += 1;
            }
        }
        // The moved dates link their new date on its year's page.
        assert!(checked > 0, "{}: no link into the timeline", root.display());
    }
}

#[test]
fn a_site_of_fewer_than_a_hundred_advisories_keeps_its_one_list_page() {
    let (_, out) = build_on(&sample_site(), "2025-12-01");
    let html = page(&out, "advisories/index.html");
    assert!(!html.contains("pagination") && !html.contains("rel=\"next\""));
    assert!(
        text(&html).contains("5 advisories, newest first. "),
        "{html}"
    );
    assert!(!out.path().join("public/advisories/page").exists());
}
