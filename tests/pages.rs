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
    let timeline = text(&page(&out, "timeline/index.html"));
    let ahead = at(&timeline, "Ahead");
    let past = at(&timeline, "Past");
    assert!(ahead < past);
    let order: Vec<usize> = [
        "September 23, 2024",
        "April 7, 2025",
        "April 30, 2025",
        "Past September 16, 2024",
        "March 2023",
        "August 31, 2022",
        "July 2022",
    ]
    .iter()
    .map(|d| at(&timeline, d))
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "{order:?} {timeline}"
    );
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
