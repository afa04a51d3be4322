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

/// The text a reader sees: tags dropped, entities decoded, white space collapsed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
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
    let html = page(&out, "advisories/harden-update-ad-fs-pingfederate/index.html");
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
    assert!(!what_to_do.contains("<del>") && !what_to_do.contains("superseded"), "{what_to_do}");
}
