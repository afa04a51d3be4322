//! `bulletin serve`'s rebuilds: after any edit, the output updated in place is exactly what
//! a whole build makes, and files the edit does not touch are not written again.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use bulletin::site::{Incremental, rebuild};
use bulletin::{BuildOptions, build};
use common::*;

/// A copy of the sample site (content, settings, no build output).
fn sample_copy() -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("temp dir");
    copy_tree(&sample_site().join("content"), &site.path().join("content"));
    std::fs::copy(
        sample_site().join("bulletin.yaml"),
        site.path().join("bulletin.yaml"),
    )
    .expect("settings");
    site
}

fn options(root: &Path, output: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        today: Some(jiff::civil::date(2024, 9, 1)),
        ..Default::default()
    }
}

/// Each output file's inode and modification time: a file written again (through a rename)
/// gets a new inode.
fn stamps(dir: &Path) -> BTreeMap<String, (u64, i64)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().expect("metadata");
            let path = e.path().strip_prefix(dir).expect("under dir");
            (
                path.to_string_lossy().into_owned(),
                (meta.ino(), meta.mtime_nsec()),
            )
        })
        .collect()
}

/// Checks, between two stamps of the output, that `changed` was written again and none of
/// `untouched` was.
fn written_again_only(
    before: &BTreeMap<String, (u64, i64)>,
    after: &BTreeMap<String, (u64, i64)>,
    changed: &str,
    untouched: &[&str],
) {
    assert_ne!(
        before[changed], after[changed],
        "{changed} was not written again"
    );
    for path in untouched {
        assert_eq!(before[*path], after[*path], "{path} was written again");
    }
}

/// Rebuilds in place and checks the output against a whole build of the same input.
fn rebuild_matches_whole_build(site: &Path, output: &Path, state: &mut Incremental) {
    let report = rebuild(&options(site, output), state);
    assert!(report.written, "{:#?}", report.diagnostics);
    let whole = tempfile::tempdir().expect("temp dir");
    let fresh = build(&options(site, &whole.path().join("public")));
    assert!(fresh.written);
    let (got, want) = (tree(output), tree(&whole.path().join("public")));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &want {
        assert!(got[path] == *bytes, "{path} differs from a whole build");
    }
    assert_eq!(
        layout(output),
        layout(&whole.path().join("public")),
        "the same files and folders with the same modes"
    );
}

/// Every file and folder under `dir` with its permission bits.
fn layout(dir: &Path) -> BTreeMap<String, u32> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let mode = e.metadata().expect("metadata").mode() & 0o7777;
            let path = e.path().strip_prefix(dir).expect("under dir");
            (path.to_string_lossy().into_owned(), mode)
        })
        .collect()
}

#[test]
fn rebuilds_equal_whole_builds_and_leave_untouched_files_alone() {
    let site = sample_copy();
    let out = tempfile::tempdir().expect("temp dir");
    let output = out.path().join("public");
    let mut state = Incremental::default();
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    let before = stamps(&output);

    // A notice's prose changes: its page changes, other advisories' pages stay as they are.
    let notice = site.path().join("content/health/connect-health-agents.md");
    let text = std::fs::read_to_string(&notice).expect("notice");
    std::fs::write(
        &notice,
        text.replacen("\n\n", "\n\nAn added sentence.\n\n", 1),
    )
    .expect("edit");
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    let after = stamps(&output);
    written_again_only(
        &before,
        &after,
        "advisories/connect-health-agents/index.html",
        &[
            "advisories/security-updates-pks/index.html",
            "advisories/deprecated-azure-ad-connect/index.html",
            "static/style.css",
        ],
    );

    // Prose added at the end moves no fact, not even its line: the feeds and calendars,
    // made from facts alone, are not made again.
    let text = std::fs::read_to_string(&notice).expect("notice");
    std::fs::write(&notice, format!("{text}\nA closing sentence.\n")).expect("edit");
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    let closed = stamps(&output);
    written_again_only(
        &after,
        &closed,
        "advisories/connect-health-agents/index.html",
        &[
            "policy.json",
            "deadlines.ics",
            "advisories/connect-health-agents/deadlines.ics",
        ],
    );

    // An include changes: the notices that include it change, facts read from it too.
    let include = site.path().join("content/includes/license-free.md");
    let text = std::fs::read_to_string(&include).expect("include");
    std::fs::write(
        &include,
        format!("{text}\nIncluded addition: the free tier is retired on March 3, 2031.\n"),
    )
    .expect("edit");
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    assert!(
        page_text(&output, "advisories/whatis-azure-ad-connect-v2/index.html")
            .contains("Included addition")
    );
    assert!(page_text(&output, "policy.json").contains("\"2031-03-03\""));
    // A year's first date gives it a timeline page; its last date gone, the page goes too.
    assert!(output.join("timeline/2031/index.html").is_file());
    std::fs::write(&include, &text).expect("edit");
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    assert!(!output.join("timeline/2031").exists());
    std::fs::write(
        &include,
        format!("{text}\nIncluded addition: the free tier is retired on March 3, 2031.\n"),
    )
    .expect("edit");
    rebuild_matches_whole_build(site.path(), &output, &mut state);

    // A deadline moves, the catalog changes, a notice goes: still what a whole build makes.
    let pks = site.path().join("content/connect/security-updates-pks.md");
    let text = std::fs::read_to_string(&pks).expect("notice");
    std::fs::write(&pks, text.replace("2024", "2025")).expect("edit");
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    let catalog = site.path().join("content/_products.yaml");
    let text = std::fs::read_to_string(&catalog).expect("catalog");
    std::fs::write(&catalog, format!("{text}\n")).expect("edit");
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    std::fs::remove_file(&notice).expect("remove");
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    assert!(
        !output
            .join("advisories/connect-health-agents/index.html")
            .exists()
    );
}

/// The list of every advisory gains its second page with its 101st advisory, and loses it
/// with that advisory.
#[test]
fn rebuilds_add_and_remove_the_pages_of_the_advisories_list() {
    let site = sample_copy();
    let out = tempfile::tempdir().expect("temp dir");
    let output = out.path().join("public");
    let mut state = Incremental::default();
    // The sample site's 5 advisories and 96 more.
    for i in 0..96 {
        std::fs::write(
            site.path().join(format!("content/extra-{i:02}.md")),
            format!(
                "---\ntitle: Extra notice {i}\nms.date: 01/{:02}/2025\n---\n\nText {i}.\n",
                1 + i % 28
            ),
        )
        .expect("notice");
    }
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    assert!(output.join("advisories/page/2/index.html").is_file());
    std::fs::remove_file(site.path().join("content/extra-00.md")).expect("remove");
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    assert!(!output.join("advisories/page").exists());
}

#[test]
fn a_failed_rebuild_leaves_the_site_as_it_was() {
    let site = sample_copy();
    let out = tempfile::tempdir().expect("temp dir");
    let output = out.path().join("public");
    let mut state = Incremental::default();
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    let before = tree(&output);
    let notice = site.path().join("content/health/connect-health-agents.md");
    let text = std::fs::read_to_string(&notice).expect("notice");
    std::fs::write(&notice, text.replacen("title:", "title: [unclosed", 1)).expect("break");
    let report = rebuild(&options(site.path(), &output), &mut state);
    assert!(!report.written);
    assert_eq!(tree(&output), before);
    std::fs::write(&notice, &text).expect("fix");
    rebuild_matches_whole_build(site.path(), &output, &mut state);
}

#[test]
fn a_rebuild_that_fails_while_writing_leaves_every_file_as_it_was() {
    let site = sample_copy();
    let out = tempfile::tempdir().expect("temp dir");
    let output = out.path().join("public");
    let mut state = Incremental::default();
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    let (before, stamped) = (tree(&output), stamps(&output));

    // The edited notice's page is made first; the asset then clashes with the feed, which
    // is written last, and the build fails with both changes ready.
    let notice = site.path().join("content/health/connect-health-agents.md");
    let text = std::fs::read_to_string(&notice).expect("notice");
    std::fs::write(
        &notice,
        text.replacen("\n\n", "\n\nAn added sentence.\n\n", 1),
    )
    .expect("edit");
    let clash = site.path().join("content/policy.json");
    std::fs::write(&clash, "{}").expect("asset");
    let report = rebuild(&options(site.path(), &output), &mut state);
    assert!(!report.written);
    assert!(
        report.diagnostics.iter().any(|d| d
            .message
            .contains("two files would be written to policy.json")),
        "{:#?}",
        report.diagnostics
    );
    assert!(
        tree(&output) == before,
        "a failed rebuild changed the output"
    );
    assert_eq!(stamps(&output), stamped, "a failed rebuild wrote files");
    // Beside the output: only the lock, which the rebuilds' state holds.
    let mut beside: Vec<_> = std::fs::read_dir(out.path())
        .expect("list")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    beside.sort();
    assert_eq!(
        beside,
        [".bulletin-lock-public", "public"],
        "no staging folder left"
    );

    std::fs::remove_file(&clash).expect("remove");
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    assert!(
        page_text(&output, "advisories/connect-health-agents/index.html")
            .contains("An added sentence.")
    );
}

fn page_text(output: &Path, path: &str) -> String {
    std::fs::read_to_string(output.join(path)).expect("page")
}

/// A code snippet's file is part of what a notice's page is made from: editing it, or
/// adding the file a snippet was missing, rebuilds the page; so are the zone pivot
/// definitions and the table of contents.
#[test]
fn snippet_files_rebuild_the_pages_that_show_them() {
    let site = tempfile::tempdir().expect("temp dir");
    copy_tree(&fixture("docs-repo"), site.path());
    let out = tempfile::tempdir().expect("temp dir");
    let output = out.path().join("public");
    let mut state = Incremental::default();
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    let tabs = "advisories/tabs/index.html";
    assert!(page_text(&output, tabs).contains("Code sample not available: ../samples/missing.py"));

    let samples = site.path().join("content/docs/samples");
    let script = std::fs::read_to_string(samples.join("create.sh")).expect("script");
    std::fs::write(
        samples.join("create.sh"),
        script.replace("az group create", "az group create --location westus"),
    )
    .expect("edit");
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    assert!(page_text(&output, tabs).contains("az group create --location westus"));

    std::fs::write(samples.join("missing.py"), "print('found')\n").expect("add");
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    let html = page_text(&output, tabs);
    assert!(html.contains("print(&#39;found&#39;)") || html.contains("print('found')"));
    assert!(!html.contains("Code sample not available"));

    let groups = site
        .path()
        .join("content/docs/zone-pivots/zone-pivot-groups.yml");
    let text = std::fs::read_to_string(&groups).expect("pivot groups");
    std::fs::write(&groups, text.replace("title: Linux", "title: Ubuntu")).expect("edit");
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    assert!(page_text(&output, "advisories/pivots/index.html").contains(">Ubuntu</option>"));

    let toc = site.path().join("content/docs/toc.yml");
    let text = std::fs::read_to_string(&toc).expect("toc");
    std::fs::write(&toc, text.replace("name: Pivots", "name: Zone pivots")).expect("edit");
    rebuild_matches_whole_build(site.path(), &output, &mut state);
    assert!(page_text(&output, "advisories/tabs/index.html").contains(">Zone pivots</a>"));
}
