//! What readers subscribe to and search: the Atom feed, the iCalendar files, the search
//! index, the sitemap, parsed back with real parsers.

// Helpers are test code too: clippy.toml lets only #[test] functions unwrap.
#![allow(clippy::unwrap_used)]

mod common;

use std::str::FromStr;

use bulletin::diagnostic::{Code, Severity};
use common::*;
use icalendar::{Calendar, CalendarComponent, Component};

fn events(ics: &str) -> Vec<icalendar::Event> {
    let calendar = Calendar::from_str(ics).expect("the calendar parses");
    calendar
        .components
        .into_iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

#[test]
fn the_atom_feed_parses_and_keeps_its_ids() {
    let (first, a) = build_site(&sample_site());
    let (second, b) = build_site(&sample_site());
    assert!(first.written && second.written);
    let feed = atom_syndication::Feed::from_str(&page(&a, "atom.xml")).expect("Atom parses");
    assert_eq!(feed.entries.len(), first.advisories);
    let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    let again = atom_syndication::Feed::from_str(&page(&b, "atom.xml")).unwrap();
    assert_eq!(
        ids,
        again
            .entries
            .iter()
            .map(|e| e.id.as_str())
            .collect::<Vec<_>>()
    );
    let pks = feed
        .entries
        .iter()
        .find(|e| e.id.ends_with(":advisories:security-updates-pks"))
        .expect("the grouped advisory has one entry");
    let content = pks
        .content
        .as_ref()
        .and_then(|c| c.value.as_deref())
        .expect("full content");
    assert!(content.contains("4.5.2487.0"), "{content}");
    assert_eq!(pks.updated.to_rfc3339(), "2023-11-06T00:00:00+00:00");
}

#[test]
fn calendars_parse_with_reminders_and_cancel_superseded_dates() {
    let (report, out) = build_site(&sample_site());
    assert!(report.written);
    let all = events(&page(&out, "deadlines.ics"));
    assert!(all.len() >= 6, "{}", all.len());
    for event in &all {
        assert!(
            event.get_uid().is_some_and(|u| u.contains('@')),
            "{event:?}"
        );
        assert!(event.get_start().is_some());
    }
    let harden = events(&page(
        &out,
        "advisories/harden-update-ad-fs-pingfederate/deadlines.ics",
    ));
    let cancelled: Vec<_> = harden
        .iter()
        .filter(|e| e.property_value("STATUS") == Some("CANCELLED"))
        .collect();
    assert_eq!(
        cancelled.len(),
        1,
        "the extended April 7 deadline is cancelled"
    );
    assert_eq!(cancelled[0].property_value("DTSTART"), Some("20250407"));
    let standing = harden
        .iter()
        .find(|e| {
            e.property_value("STATUS") == Some("CONFIRMED")
                && e.property_value("DTSTART") == Some("20250430")
                && e.get_summary().is_some_and(|s| s.starts_with("Deadline"))
        })
        .expect("the April 30 deadline");
    let alarms = standing
        .components()
        .iter()
        .filter(|c| c.component_kind() == "VALARM")
        .count();
    assert_eq!(alarms, 2, "reminders 30 and 7 days before");
    // A day already past on the build's date gets no reminder: it could never ring.
    let generated: serde_json::Value =
        serde_json::from_str(&page(&out, "policy.json")).expect("feed");
    let today = generated["generated_at"].as_str().expect("generated_at")[..10].replace('-', "");
    let past: Vec<_> = all
        .iter()
        .filter(|e| {
            e.property_value("STATUS") == Some("CONFIRMED")
                && e.property_value("DTSTART")
                    .is_some_and(|d| d < today.as_str())
        })
        .collect();
    assert!(!past.is_empty(), "the sample has past cutoffs");
    for event in past {
        assert!(
            event
                .components()
                .iter()
                .all(|c| c.component_kind() != "VALARM"),
            "{event:?}"
        );
    }
    let raw = page(&out, "deadlines.ics");
    assert!(
        raw.contains("TRIGGER;RELATED=START:-PT2592000S")
            && raw.contains("TRIGGER;RELATED=START:-PT604800S")
    );
    let product = events(&page(&out, "products/entra-connect-sync/deadlines.ics"));
    assert!(
        product
            .iter()
            .any(|e| e.property_value("DTSTART") == Some("20250430"))
    );
    assert!(product.len() < all.len());
}

#[test]
fn a_corrected_date_moves_the_event_instead_of_adding_one() {
    let site = tempfile::tempdir().unwrap();
    let notice = site.path().join("content/notice.md");
    std::fs::create_dir_all(notice.parent().unwrap()).unwrap();
    let write = |date: &str| {
        std::fs::write(&notice, format!("---\ntitle: Upgrade the gateway\nms.date: 01/01/2025\n---\n\nUpgrade to the following builds by **{date}**:\n\n- Contoso Gateway: version 3.1 or higher\n")).unwrap()
    };
    write("March 31, 2025");
    let (_, before) = build_site(site.path());
    write("April 15, 2025");
    let (_, after) = build_site(site.path());
    let before = events(&page(&before, "deadlines.ics"));
    let after = events(&page(&after, "deadlines.ics"));
    assert_eq!(before.len(), 1);
    assert_eq!(after.len(), 1);
    assert_eq!(before[0].get_uid(), after[0].get_uid());
    assert_eq!(before[0].property_value("DTSTART"), Some("20250331"));
    assert_eq!(after[0].property_value("DTSTART"), Some("20250415"));
}

#[test]
fn a_product_calendar_holds_the_cutoffs_that_concern_the_product() {
    let site = tempfile::tempdir().unwrap();
    let notice = site.path().join("content/notice.md");
    std::fs::create_dir_all(notice.parent().unwrap()).unwrap();
    std::fs::write(
        &notice,
        "---\ntitle: Two agents\nms.date: 01/01/2025\n---\n\n\
         Contoso Gateway stops working on March 31, 2025.\n\n\
         Fabrikam Relay stops working on June 30, 2025.\n\n\
         Upgrade by September 30, 2025:\n\n\
         - Contoso Gateway: version 3.1 or higher\n\
         - Fabrikam Relay: version 2.0 or higher\n",
    )
    .unwrap();
    let (_, out) = build_site(site.path());
    let starts = |path: &str| -> Vec<String> {
        let mut starts: Vec<String> = events(&page(&out, path))
            .iter()
            .filter_map(|e| e.property_value("DTSTART").map(str::to_string))
            .collect();
        starts.sort();
        starts
    };
    let all = starts("deadlines.ics");
    assert!(
        all.contains(&"20250331".to_string()) && all.contains(&"20250630".to_string()),
        "{all:?}"
    );
    let contoso = starts("products/contoso-gateway/deadlines.ics");
    let fabrikam = starts("products/fabrikam-relay/deadlines.ics");
    assert!(contoso.contains(&"20250331".to_string()), "{contoso:?}");
    assert!(!contoso.contains(&"20250630".to_string()), "{contoso:?}");
    assert!(fabrikam.contains(&"20250630".to_string()), "{fabrikam:?}");
    assert!(!fabrikam.contains(&"20250331".to_string()), "{fabrikam:?}");
    // The deadline that names no one product is in both.
    for product in [&contoso, &fabrikam] {
        assert!(product.contains(&"20250930".to_string()), "{product:?}");
    }
}

#[test]
fn calendars_and_feeds_are_byte_identical_across_builds() {
    let (_, a) = build_site(&sample_site());
    let (_, b) = build_site(&sample_site());
    for file in [
        "deadlines.ics",
        "atom.xml",
        "search-index.js",
        "sitemap.xml",
        "policy.json",
    ] {
        assert_eq!(page(&a, file), page(&b, file), "{file}");
    }
}

#[test]
fn the_search_index_finds_what_readers_type() {
    let (report, out) = build_site(&sample_site());
    assert!(report.written);
    let script = page(&out, "search-index.js");
    let json = script
        .strip_prefix("window.bulletinSearchIndex = ")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("a script that sets the index");
    let docs: Vec<serde_json::Value> = serde_json::from_str(json).expect("JSON documents");
    let find = |query: &str| -> Vec<String> {
        let terms: Vec<String> = query
            .to_lowercase()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        docs.iter()
            .filter(|d| {
                let text = format!(
                    "{} {}",
                    d["t"].as_str().unwrap().to_lowercase(),
                    d["x"].as_str().unwrap()
                );
                terms.iter().all(|t| text.contains(t.as_str()))
            })
            .map(|d| d["u"].as_str().unwrap().to_string())
            .collect()
    };
    let ping = find("PingFederate");
    assert!(
        ping.contains(&"/advisories/harden-update-ad-fs-pingfederate/".to_string()),
        "{ping:?}"
    );
    assert!(
        ping.contains(&"/products/entra-connect-sync/".to_string()),
        "{ping:?}"
    );
    let version = find("2.4.18");
    assert!(
        version.contains(&"/advisories/harden-update-ad-fs-pingfederate/".to_string()),
        "{version:?}"
    );
    assert!(
        version.contains(&"/products/entra-connect-sync/".to_string()),
        "{version:?}"
    );
    let agent = find("AD DS agent");
    assert!(
        agent.contains(&"/products/entra-connect-health-adds-agent/".to_string()),
        "{agent:?}"
    );
    assert!(
        agent.contains(&"/advisories/security-updates-pks/".to_string()),
        "{agent:?}"
    );
    for advisory in [
        "security-updates-pks",
        "harden-update-ad-fs-pingfederate",
        "whatis-azure-ad-connect-v2",
    ] {
        assert!(
            docs.iter()
                .any(|d| d["x"].as_str().unwrap().contains(advisory)),
            "{advisory}"
        );
    }
    let size = std::fs::metadata(out.path().join("public/search-index.js"))
        .unwrap()
        .len();
    println!("search index: {size} bytes for {} notices", report.notices);
}

/// The `<loc>`s of a sitemap.
fn locations(sitemap: &str) -> Vec<&str> {
    sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|rest| rest.split_once("</loc>").map(|(loc, _)| loc))
        .collect()
}

#[test]
fn sitemap_and_robots_list_the_pages_by_absolute_url() {
    // The sample site's `site_url` is a placeholder address; its `base_url` is `/`.
    let (report, out) = build_site(&sample_site());
    assert!(report.written && with_code(&report, Code::NoSiteUrl).is_empty());
    let sitemap = page(&out, "sitemap.xml");
    let locs = locations(&sitemap);
    for url in [
        "https://advisories.example/",
        "https://advisories.example/timeline/",
        "https://advisories.example/products/entra-connect-sync/",
        "https://advisories.example/advisories/security-updates-pks/",
    ] {
        assert!(locs.contains(&url), "{url}: {locs:?}");
    }
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://advisories.example/"))
    );
    // Every page listed exists, and every advisory page is listed.
    for loc in &locs {
        let path = loc.trim_start_matches("https://advisories.example/");
        assert!(
            out.path()
                .join("public")
                .join(path)
                .join("index.html")
                .is_file(),
            "{loc}"
        );
    }
    assert_eq!(
        locs.iter()
            .filter(|l| l.contains("/advisories/") && !l.ends_with("/advisories/"))
            .count(),
        report.notices,
        "one page per notice: {locs:?}"
    );
    assert!(page(&out, "robots.txt").contains("Sitemap: https://advisories.example/sitemap.xml\n"));
}

#[test]
fn an_absolute_base_url_is_the_sitemap_s_and_a_path_alone_gives_none() {
    let site = many_advisories(2, "base_url: https://example.org/advisories\n");
    let (report, out) = build_site(site.path());
    assert!(report.written && with_code(&report, Code::NoSiteUrl).is_empty());
    let sitemap = page(&out, "sitemap.xml");
    let locs = locations(&sitemap);
    assert!(
        locs.contains(&"https://example.org/advisories/advisories/notice-000/"),
        "{locs:?}"
    );
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://example.org/advisories/"))
    );
    assert!(
        page(&out, "robots.txt").contains("Sitemap: https://example.org/advisories/sitemap.xml")
    );

    // A path base_url and no site_url: no sitemap, said once, as a warning (so --strict
    // fails) naming the settings file.
    let site = many_advisories(2, "base_url: /advisories/\n");
    let (report, out) = build_site(site.path());
    assert!(report.written);
    let said = with_code(&report, Code::NoSiteUrl);
    assert_eq!(said.len(), 1, "{:?}", report.diagnostics);
    assert_eq!(said[0].code.severity(), Severity::Warning);
    assert!(
        said[0]
            .message
            .contains("`base_url` (/advisories/) is a path"),
        "{}",
        said[0].message
    );
    assert!(
        said[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("site_url"))
    );
    assert_eq!(
        said[0].file.as_deref(),
        Some(std::path::Path::new("bulletin.yaml"))
    );
    assert!(!out.path().join("public/sitemap.xml").exists());
    assert!(!page(&out, "robots.txt").contains("Sitemap:"));

    // site_url joins a path base_url; one that is not absolute is refused.
    let site = many_advisories(
        2,
        "base_url: /advisories/\nsite_url: https://example.org/advisories\n",
    );
    let (report, out) = build_site(site.path());
    assert!(report.written && with_code(&report, Code::NoSiteUrl).is_empty());
    assert!(locations(&page(&out, "sitemap.xml")).contains(&"https://example.org/advisories/"));
    let site = many_advisories(2, "site_url: advisories.example\n");
    let (report, _) = build_site(site.path());
    assert!(!report.written);
    let refused = with_code(&report, Code::InvalidConfig);
    assert_eq!(refused.len(), 1, "{:?}", report.diagnostics);
    assert_eq!(refused[0].line, Some(1));
}

/// A site of `n` advisories, notice `i` dated `i` days after 2024-01-01 with a deadline a
/// year later, and `settings` as its `bulletin.yaml`.
fn many_advisories(n: usize, settings: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("temp dir");
    let content = site.path().join("content");
    std::fs::create_dir_all(&content).expect("mkdir");
    std::fs::write(site.path().join("bulletin.yaml"), settings).expect("write");
    let start = jiff::civil::date(2024, 1, 1);
    for i in 0..n {
        let date = start
            .checked_add(jiff::Span::new().days(i as i64))
            .expect("date");
        let deadline = date
            .checked_add(jiff::Span::new().years(1))
            .expect("date")
            .strftime("%B %-d, %Y");
        std::fs::write(
            content.join(format!("notice-{i:03}.md")),
            format!(
                "---\ntitle: Notice {i:03}\nms.date: {date}\n---\n\n# Notice {i:03}\n\n\
                 Upgrade by {deadline}.\n\n- Contoso Agent {i}: version 1.{i}.0 or higher\n"
            ),
        )
        .expect("write");
    }
    site
}

#[test]
fn the_atom_feed_carries_the_most_recently_changed_advisories() {
    let site = many_advisories(30, "atom_entries: 5\n");
    let (report, out) = build_site(site.path());
    assert!(report.written && report.advisories == 30);
    let feed = atom_syndication::Feed::from_str(&page(&out, "atom.xml")).expect("Atom parses");
    let titles: Vec<&str> = feed.entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Notice 029",
            "Notice 028",
            "Notice 027",
            "Notice 026",
            "Notice 025"
        ]
    );
}

#[test]
fn the_home_page_shows_what_is_next_and_links_to_the_rest() {
    let site = many_advisories(30, "site_url: https://advisories.example/\n");
    let (report, out) = build_site(site.path());
    assert!(report.written);
    let home = page(&out, "index.html");
    let upcoming = home
        .split("<ol class=\"upcoming\">")
        .nth(1)
        .and_then(|s| s.split("</ol>").next())
        .expect("an upcoming list");
    assert_eq!(upcoming.matches("<li>").count(), 20);
    assert!(home.contains("10 more on the timeline"), "{home}");
    assert!(home.contains("All 30 advisories"), "{home}");
    // The soonest deadlines are the oldest notices'; the newest notices come after.
    assert!(upcoming.contains(">Notice 000<") && !upcoming.contains(">Notice 020<"));
    let recent = home
        .split("id=\"recent-advisories\"")
        .nth(1)
        .expect("a recent list");
    assert!(recent.contains(">Notice 029<") && recent.contains(">Notice 010<"));
    assert!(!recent.contains(">Notice 009<"), "{recent}");
    let all = page(&out, "advisories/index.html");
    for i in 0..30 {
        assert!(all.contains(&format!(">Notice {i:03}<")), "Notice {i:03}");
    }
    assert!(page(&out, "sitemap.xml").contains("/advisories/</loc>"));
}
