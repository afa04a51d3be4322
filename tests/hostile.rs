//! Hostile input: files that are broken, huge, deeply nested, badly encoded, linked out of
//! the content root or written to run script. Every case builds a site over an output that
//! already holds a previous build, as CI does, and asserts the outcome the README documents
//! (an error that fails the build, or a warning that fails only `--strict`), the diagnostic's
//! code, file and line, and what `public/` holds afterwards: byte for byte the previous site
//! when the build failed.
//!
//! The corpus is `tests/sites_hostile/`; cases whose bytes matter (encodings, line endings,
//! binary data, symbolic links, permissions, sizes) are written by the tests themselves.

mod common;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bulletin::diagnostic::{Code, Diagnostic, Severity};
use bulletin::{BuildOptions, BuildReport, build};
use common::{copy_tree, tree};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// A hostile fixture under `tests/sites_hostile/`.
fn hostile(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sites_hostile")
        .join(name)
}

/// A site written by the test, in a temporary folder.
struct Site(tempfile::TempDir);

impl Site {
    /// An empty site whose only setting is a placeholder `site_url`, so that nothing but
    /// its content gives a diagnostic (no B0905).
    fn new() -> Site {
        let site = Site(tempfile::tempdir().expect("temp dir"));
        std::fs::create_dir_all(site.content()).expect("content/");
        std::fs::write(
            site.root().join("bulletin.yaml"),
            "site_url: https://advisories.example/\n",
        )
        .expect("settings");
        site
    }

    fn root(&self) -> &Path {
        self.0.path()
    }

    fn content(&self) -> PathBuf {
        self.0.path().join("content")
    }

    /// Writes `bytes` to `content/<path>`.
    fn file(&self, path: &str, bytes: impl AsRef<[u8]>) -> &Site {
        let file = self.content().join(path);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).expect("folder");
        }
        std::fs::write(&file, bytes).expect("write");
        self
    }

    /// A notice with a title and a body.
    fn notice(&self, path: &str, title: &str, body: &str) -> &Site {
        self.file(path, format!("---\ntitle: {title}\n---\n\n{body}\n"))
    }
}

/// A build of a site over an output folder that already held a previous build.
struct Outcome {
    report: BuildReport,
    out: tempfile::TempDir,
}

impl Outcome {
    fn public(&self) -> PathBuf {
        self.out.path().join("public")
    }

    fn page(&self, path: &str) -> String {
        let file = self.public().join(path);
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }

    /// The diagnostics with `code`, as `file:line` locations.
    fn locations(&self, code: Code) -> Vec<String> {
        self.report
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .filter_map(Diagnostic::location)
            .collect()
    }

    fn errors(&self) -> Vec<&Diagnostic> {
        self.report
            .diagnostics
            .iter()
            .filter(|d| d.severity() == Severity::Error)
            .collect()
    }

    /// Every file of the output, to search for text that must not be there.
    fn all_output(&self) -> BTreeMap<String, Vec<u8>> {
        tree(&self.public())
    }
}

/// Builds `root` (with `--strict` when asked) into an output folder that holds a previous
/// build. When the build fails, asserts that `public/` is byte-identical to the previous
/// build and that no staging folder is left beside it.
fn build_over_previous(root: &Path, strict: bool) -> Outcome {
    let out = tempfile::tempdir().expect("temp dir");
    let public = out.path().join("public");
    let options = |root: &Path, strict| BuildOptions {
        root: root.to_path_buf(),
        output: Some(public.clone()),
        strict,
        ..BuildOptions::default()
    };
    let previous = build(&options(&hostile("previous"), false));
    assert!(previous.written, "{:#?}", previous.diagnostics);
    let before = tree(&public);
    let report = build(&options(root, strict));
    if !report.written {
        assert!(
            tree(&public) == before,
            "a failed build changed public/: {:#?}",
            report.diagnostics
        );
        assert!(
            public.join("advisories/previous/index.html").is_file(),
            "the previous site is still there"
        );
    }
    let beside: Vec<String> = std::fs::read_dir(out.path())
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["public"], "staging folders left behind");
    Outcome { report, out }
}

/// Asserts the outcome of a site whose problems are all warnings: it builds, and
/// `--strict` fails it without touching the previous output.
fn assert_warnings_only(root: &Path) -> Outcome {
    let outcome = build_over_previous(root, false);
    assert!(outcome.report.written, "{:#?}", outcome.report.diagnostics);
    assert!(outcome.errors().is_empty(), "{:#?}", outcome.errors());
    let strict = build_over_previous(root, true);
    assert!(!strict.report.written, "--strict fails on the warnings");
    outcome
}

/// Asserts the outcome of a site with errors: nothing written, previous output kept.
fn assert_fails(root: &Path) -> Outcome {
    let outcome = build_over_previous(root, false);
    assert!(!outcome.report.written, "the build should fail");
    outcome
}

/// Runs `f` on a thread with an 8 MiB stack, as the main thread of the binary has: deep
/// input must not overflow it.
fn with_bounded_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(f)
        .expect("thread")
        .join()
        .unwrap_or_else(|_| panic!("the build panicked or overflowed its stack"))
}

#[test]
fn malformed_yaml_is_an_error_at_its_file_and_line() {
    let outcome = assert_fails(&hostile("malformed-yaml"));
    let mut found = outcome.locations(Code::MalformedFrontmatter);
    found.sort();
    assert_eq!(found.len(), 4, "{:#?}", outcome.report.diagnostics);
    for (location, lines) in found.iter().zip([
        ("content/bad-indent.md", 2..=5),
        ("content/indented-broken.md", 4..=4),
        ("content/unclosed-list.md", 3..=5),
        ("content/unclosed-quote.md", 2..=5),
    ]) {
        let (file, line) = location.rsplit_once(':').expect("a line");
        assert_eq!(file, lines.0);
        let line: u32 = line.parse().expect("a number");
        assert!(lines.1.contains(&line), "{location}");
    }
    assert_eq!(outcome.errors().len(), 4);
}

#[test]
fn frontmatter_indented_as_a_whole_is_valid_yaml_and_parses() {
    let outcome = build_over_previous(&hostile("indented-frontmatter"), true);
    assert!(outcome.report.written, "{:#?}", outcome.report.diagnostics);
    assert!(
        outcome.report.diagnostics.is_empty(),
        "{:#?}",
        outcome.report.diagnostics
    );
    let html = outcome.page("advisories/indented/index.html");
    assert!(
        html.contains("<title>A frontmatter indented as a whole"),
        "{html}"
    );
    assert!(
        html.contains("Every line of this block starts with two spaces, which is valid YAML."),
        "the folded description"
    );
}

#[test]
fn frontmatter_that_is_not_a_mapping_is_an_error_on_line_2() {
    let outcome = assert_fails(&hostile("not-mapping"));
    assert_eq!(
        outcome.locations(Code::FrontmatterNotMapping),
        [
            "content/list.md:2",
            "content/number.md:2",
            "content/scalar.md:2"
        ]
    );
}

#[test]
fn a_notice_without_frontmatter_builds_with_a_warning() {
    let outcome = assert_warnings_only(&hostile("no-frontmatter"));
    assert_eq!(
        outcome.locations(Code::MissingFrontmatter),
        ["content/plain.md:1"]
    );
    let html = outcome.page("advisories/plain/index.html");
    assert!(html.contains("<h1>Upgrade the sync agent</h1>"), "{html}");
    assert!(
        html.contains("<title>Upgrade the sync agent · Advisories</title>"),
        "{html}"
    );
}

#[test]
fn empty_files_are_skipped_with_a_warning() {
    let site = Site::new();
    site.file("empty.md", "")
        .file("blank.md", " \n\n\t\n")
        .file("bom-only.md", b"\xEF\xBB\xBF")
        .notice("kept.md", "Kept", "Text.");
    let outcome = assert_warnings_only(site.root());
    assert_eq!(
        outcome.locations(Code::EmptyFile),
        [
            "content/blank.md",
            "content/bom-only.md",
            "content/empty.md"
        ]
    );
    assert_eq!(outcome.report.notices, 1);
    assert!(!outcome.public().join("advisories/empty").exists());
}

#[test]
fn legacy_encodings_are_decoded_and_binary_files_skipped() {
    let site = Site::new();
    let utf16 = |bom: [u8; 2], text: &str, be: bool| -> Vec<u8> {
        bom.into_iter()
            .chain(text.encode_utf16().flat_map(
                |u| {
                    if be { u.to_be_bytes() } else { u.to_le_bytes() }
                },
            ))
            .collect()
    };
    site.file(
        "latin1.md",
        b"---\ntitle: Caf\xE9 cr\xE8me\n---\n\nNa\xEFve r\xE9sum\xE9.\n",
    )
    .file(
        "utf16le.md",
        utf16([0xFF, 0xFE], "---\ntitle: Grüße LE\n---\n\nÜber.\n", false),
    )
    .file(
        "utf16be.md",
        utf16([0xFE, 0xFF], "---\ntitle: Grüße BE\n---\n\nÜber.\n", true),
    )
    .file(
        "binary.md",
        (0..=255u8).cycle().take(4096).collect::<Vec<u8>>(),
    )
    .file("png.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01")
    .file(
        "nul-in-text.md",
        b"---\ntitle: x\n---\n\nText\0with a NUL.\n",
    );
    let outcome = assert_warnings_only(site.root());
    assert_eq!(
        outcome.locations(Code::Reencoded),
        [
            "content/latin1.md",
            "content/utf16be.md",
            "content/utf16le.md"
        ]
    );
    assert_eq!(
        outcome.locations(Code::BinaryFile),
        [
            "content/binary.md",
            "content/nul-in-text.md",
            "content/png.md"
        ]
    );
    assert_eq!(outcome.report.notices, 3);
    assert!(
        outcome
            .page("advisories/latin1/index.html")
            .contains("Naïve résumé.")
    );
    for name in ["utf16le", "utf16be"] {
        let page = outcome.page(&format!("advisories/{name}/index.html"));
        assert!(page.contains("Über."), "{name}");
        assert!(page.contains("Grüße"), "{name}");
    }
}

#[test]
fn crlf_endings_and_a_bom_change_nothing() {
    let text = "---\ntitle: Line endings\nms.date: 02/03/2025\n---\n\n# Line endings\n\nSee [a missing notice](missing.md).\n";
    let site = Site::new();
    site.file(
        "crlf.md",
        [
            b"\xEF\xBB\xBF".as_slice(),
            text.replace('\n', "\r\n").as_bytes(),
        ]
        .concat(),
    )
    .file(
        "cr.md",
        text.replace('\n', "\r").replace("Line endings", "Old Mac"),
    );
    let outcome = build_over_previous(site.root(), false);
    assert!(outcome.report.written, "{:#?}", outcome.report.diagnostics);
    assert_eq!(
        outcome.locations(Code::UnresolvedLink),
        ["content/cr.md:8", "content/crlf.md:8"],
        "line numbers count CRLF and CR as one line end"
    );
    assert_eq!(outcome.report.diagnostics.len(), 2);
    let page = outcome.page("advisories/crlf/index.html");
    assert!(page.contains("<title>Line endings · "), "{page}");
    assert!(page.contains("datetime=\"2025-02-03\""));
    assert!(!page.contains('\r') && !page.contains('\u{feff}'));
}

#[test]
#[ignore = "minutes in a debug build; run with: cargo test --release --test hostile -- --ignored"]
fn a_50_mb_notice_builds() {
    // Mostly prose, as vendor notices are, with a section heading, a list and a link every
    // 64 KiB: the size is the hostile part, not the markup.
    let paragraph = "Customers who run an affected version of the sync agent must upgrade it before the deadline, or sign-ins stop. The agent reports its version on the Health page, and the upgrade takes about ten minutes per server with no restart.\n\n";
    let mut text = String::from("---\ntitle: A very large notice\nms.date: 01/02/2025\n---\n\n");
    let mut n = 0usize;
    while text.len() < 50 << 20 {
        text.push_str(&format!(
            "## Section {n}\n\n- Sync agent: version 2.4.{n}.0 or higher\n- See [the first section](#section-0)\n\n"
        ));
        while text.len() < (n + 1) * (64 << 10) {
            text.push_str(paragraph);
        }
        n += 1;
    }
    let site = Site::new();
    site.file("large.md", &text);
    drop(text);
    let started = Instant::now();
    let outcome = build_over_previous(site.root(), false);
    println!(
        "a 50 MB notice ({n} sections) built in {:.1?}",
        started.elapsed()
    );
    assert!(outcome.report.written, "{:#?}", outcome.errors());
    assert!(outcome.errors().is_empty());
    let page = outcome.page("advisories/large/index.html");
    assert!(page.len() > 50 << 20);
    assert!(page.contains(&format!("Section {}</h2>", n - 1)));
}

/// Deep nesting, in Markdown and in raw HTML, neither overflows the stack nor takes time
/// that grows faster than the text: every case builds, on a bounded stack, keeps its
/// innermost text and is reported once.
#[test]
fn ten_thousand_nested_quotes_and_lists_build() {
    let cases = [
        (
            "quotes",
            format!("{}innermost quote\n", "> ".repeat(10_000)),
        ),
        (
            "quotes-tight",
            format!("{} innermost quote\n", ">".repeat(10_000)),
        ),
        ("lists", format!("{}innermost item\n", "- ".repeat(10_000))),
        (
            "ordered",
            format!("{}innermost item\n", "1. ".repeat(10_000)),
        ),
        (
            "indented",
            (0..2_000)
                .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
                .chain(["innermost\n".to_string()])
                .collect(),
        ),
        (
            "html",
            format!(
                "<div>{}innermost html{}</div>\n",
                "<ul><li><blockquote>".repeat(3_400),
                "</blockquote></li></ul>".repeat(3_400)
            ),
        ),
    ];
    for (name, body) in cases {
        let started = Instant::now();
        let (written, errors, too_deep, page) = with_bounded_stack(move || {
            let site = Site::new();
            site.notice("deep.md", "Deep", &body);
            let outcome = build_over_previous(site.root(), false);
            let page = outcome
                .report
                .written
                .then(|| outcome.page("advisories/deep/index.html"));
            (
                outcome.report.written,
                outcome.errors().len(),
                outcome.locations(Code::NestingTooDeep),
                page,
            )
        });
        println!("{name}: built in {:.1?}", started.elapsed());
        assert!(written && errors == 0, "{name}");
        assert_eq!(too_deep, ["content/deep.md"], "{name}: one B0204 warning");
        let page = page.unwrap_or_default();
        assert!(page.contains("innermost"), "{name}");
        let depth = page.matches("<blockquote>").count()
            + page.matches("<ul>").count()
            + page.matches("<ol>").count();
        assert!(
            depth <= 2 * bulletin::markdown::sanitize::MAX_DEPTH,
            "{name}: the page nests {depth} deep"
        );
    }
}

/// Nesting just past the cap, by Markdown, by raw HTML and through an include, is unwrapped
/// with a B0204 warning naming the notice; nesting below it is kept whole and not reported.
#[test]
fn nesting_past_the_cap_is_unwrapped_with_a_warning() {
    let site = Site::new();
    site.notice(
        "quotes.md",
        "Quotes",
        &format!("{}innermost quote", "> ".repeat(300)),
    )
    .notice(
        "lists.md",
        "Lists",
        &format!("{}innermost item", "- ".repeat(300)),
    )
    .notice(
        "html.md",
        "HTML",
        &format!(
            "<div>{}innermost html{}</div>",
            "<blockquote>".repeat(300),
            "</blockquote>".repeat(300)
        ),
    )
    .notice(
        "included.md",
        "Included",
        &format!("{}[!INCLUDE [deep](includes/deep.md)]", "> ".repeat(80)),
    )
    .file(
        "includes/deep.md",
        format!("{}innermost include\n", "> ".repeat(80)),
    )
    .notice(
        "shallow.md",
        "Shallow",
        &format!("{}innermost shallow", "> ".repeat(100)),
    );
    let outcome = assert_warnings_only(site.root());
    assert_eq!(
        outcome.locations(Code::NestingTooDeep),
        [
            "content/html.md",
            "content/included.md",
            "content/lists.md",
            "content/quotes.md"
        ]
    );
    let max = bulletin::markdown::sanitize::MAX_DEPTH;
    for (name, element, text) in [
        ("quotes", "<blockquote>", "innermost quote"),
        ("lists", "<ul>\n<li>", "innermost item"),
        ("html", "<blockquote>", "innermost html"),
        ("included", "<blockquote>", "innermost include"),
    ] {
        let page = outcome.page(&format!("advisories/{name}/index.html"));
        assert!(page.contains(text), "{name}: the innermost text was lost");
        let kept = page.matches(element).count();
        assert!(
            (max / 2..=max).contains(&kept),
            "{name}: {kept} levels kept"
        );
    }
    let shallow = outcome.page("advisories/shallow/index.html");
    assert_eq!(shallow.matches("<blockquote>").count(), 100);
    assert!(shallow.contains("innermost shallow"));
}

#[test]
fn include_cycles_are_errors_at_the_include() {
    let outcome = assert_fails(&hostile("include-cycle"));
    assert_eq!(
        outcome.locations(Code::IncludeCycle),
        ["content/includes/b.md:3", "content/itself.md:5"]
    );
    let message = |file: &str| {
        outcome
            .report
            .diagnostics
            .iter()
            .find(|d| {
                d.code == Code::IncludeCycle && d.location().is_some_and(|l| l.starts_with(file))
            })
            .map(|d| d.message.clone())
            .unwrap_or_default()
    };
    assert!(
        message("content/includes/b.md")
            .contains("notice.md -> includes/a.md -> includes/b.md -> includes/a.md")
    );
    assert!(message("content/itself.md").contains("itself.md -> itself.md"));
}

#[test]
fn includes_nested_too_deep_stop_with_an_error() {
    let site = Site::new();
    site.notice(
        "notice.md",
        "Deep includes",
        "[!INCLUDE [0](includes/0.md)]",
    );
    for i in 0..40 {
        site.file(
            &format!("includes/{i}.md"),
            format!("Level {i}.\n\n[!INCLUDE [next](./{}.md)]\n", i + 1),
        );
    }
    let outcome = assert_fails(site.root());
    let cycle = outcome.locations(Code::IncludeCycle);
    assert_eq!(cycle.len(), 1, "{:#?}", outcome.report.diagnostics);
    assert!(cycle[0].ends_with(".md:3"), "{cycle:?}");
}

#[test]
fn includes_that_climb_out_of_the_content_root_are_placeholders_and_warnings() {
    let outcome = assert_warnings_only(&hostile("include-outside"));
    assert_eq!(
        outcome.locations(Code::IncludeOutsideRoot),
        [
            "content/notice.md:5",
            "content/notice.md:7",
            "content/notice.md:9",
            "content/notice.md:11",
            "content/notice.md:13"
        ]
    );
    let first = outcome
        .report
        .diagnostics
        .iter()
        .find(|d| d.code == Code::IncludeOutsideRoot)
        .and_then(|d| d.snippet.clone());
    assert_eq!(
        first.as_deref(),
        Some("[!INCLUDE [passwd](../../../../etc/passwd)]")
    );
    let html = outcome.page("advisories/notice/index.html");
    assert!(html.contains(
        "<span class=\"include-missing\">Include outside the content folder: ../../../../etc/passwd</span>"
    ), "{html}");
    assert_eq!(
        html.matches("<span class=\"include-missing\">Include outside the content folder: ")
            .count(),
        5,
        "{html}"
    );
    let leaked = outcome
        .all_output()
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains("root:x:0:0"))
        .map(|(path, _)| path)
        .collect::<Vec<_>>();
    assert!(leaked.is_empty(), "/etc/passwd reached {leaked:?}");
}

/// A secret file outside the site, and symbolic links in `content/` that lead to it, to a
/// folder around it and to `/etc/passwd`: each link is skipped with a warning, includes of
/// them find nothing, and no byte from outside reaches the output.
#[test]
fn symbolic_links_out_of_the_content_root_are_never_followed() {
    const SECRET: &str = "SECRET-FROM-OUTSIDE-THE-CONTENT-ROOT";
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        outside.path().join("secret.md"),
        format!("---\ntitle: {SECRET}\n---\n\n{SECRET}\n"),
    )
    .expect("write");
    std::fs::write(outside.path().join("secret.png"), SECRET).expect("write");
    let site = Site::new();
    site.notice(
        "notice.md",
        "Links out",
        "[!INCLUDE [leak](includes/leak.md)]\n\n[!INCLUDE [folder](outside/secret.md)]\n\n![secret](outside/secret.png)",
    );
    std::fs::create_dir_all(site.content().join("includes")).expect("mkdir");
    let link = |target: &Path, at: &str| {
        std::os::unix::fs::symlink(target, site.content().join(at)).expect("symlink");
    };
    link(Path::new("/etc/passwd"), "passwd.md");
    link(Path::new("/etc/passwd"), "includes/leak.md");
    link(&outside.path().join("secret.md"), "secret.md");
    link(&outside.path().join("secret.png"), "secret.png");
    link(outside.path(), "outside");
    link(Path::new("../../../../../../etc"), "etc");

    let outcome = assert_warnings_only(site.root());
    assert_eq!(
        outcome.locations(Code::SymlinkSkipped),
        [
            "content/etc",
            "content/includes/leak.md",
            "content/outside",
            "content/passwd.md",
            "content/secret.md",
            "content/secret.png"
        ]
    );
    assert_eq!(
        outcome.locations(Code::MissingInclude),
        ["content/notice.md:5", "content/notice.md:7"]
    );
    assert_eq!(outcome.report.notices, 1);
    for (path, bytes) in outcome.all_output() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(SECRET), "{path} holds the secret");
        assert!(!text.contains("root:x:0:0"), "{path} holds /etc/passwd");
    }
}

#[test]
fn symbolic_link_loops_are_skipped_with_a_warning() {
    let site = Site::new();
    site.notice("notice.md", "Loops", "Text.");
    std::fs::create_dir_all(site.content().join("sub")).expect("mkdir");
    let link = |target: &str, at: &str| {
        std::os::unix::fs::symlink(target, site.content().join(at)).expect("symlink");
    };
    link(".", "sub/here");
    link("..", "sub/up");
    link("b.md", "a.md");
    link("a.md", "b.md");
    link("self.md", "self.md");
    let outcome = assert_warnings_only(site.root());
    assert_eq!(
        outcome.locations(Code::SymlinkSkipped),
        [
            "content/a.md",
            "content/b.md",
            "content/self.md",
            "content/sub/here",
            "content/sub/up"
        ]
    );
    assert_eq!(outcome.report.notices, 1);
}

/// A file listed by the walk but gone by the time it is read is the same as a link to a
/// file that is not there: an error naming it. (The race itself is tested where the file
/// is read, in `src/load`.)
#[test]
fn a_vanished_file_is_an_error_naming_it() {
    let site = Site::new();
    site.notice("notice.md", "Still here", "Text.");
    std::os::unix::fs::symlink("gone.md", site.content().join("vanished.md")).expect("symlink");
    let outcome = assert_fails(site.root());
    assert_eq!(outcome.locations(Code::Unreadable), ["content/vanished.md"]);
}

/// A file and a folder that cannot be read. Root reads them anyway, so there the case is
/// noted and its assertion skipped.
#[test]
fn unreadable_files_and_folders_are_errors_naming_them() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::new();
    site.notice("notice.md", "Readable", "Text.")
        .notice("locked.md", "Locked", "Text.")
        .notice("closed/inner.md", "Inner", "Text.");
    let locked = site.content().join("locked.md");
    let closed = site.content().join("closed");
    let set = |path: &Path, mode| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    };
    set(&locked, 0o000);
    set(&closed, 0o000);
    let readable_anyway = std::fs::read(&locked).is_ok();
    let outcome = build_over_previous(site.root(), false);
    set(&closed, 0o755);
    set(&locked, 0o644);
    if readable_anyway {
        println!("note: running as root, which reads mode-000 files; the assertion is skipped");
        assert!(outcome.report.written);
        return;
    }
    assert!(!outcome.report.written);
    assert_eq!(
        outcome.locations(Code::Unreadable),
        ["content/closed", "content/locked.md"]
    );
}

#[test]
fn two_notices_claiming_one_id_are_revisions_of_one_advisory() {
    let outcome = build_over_previous(&hostile("duplicate-id"), false);
    assert!(outcome.report.written, "{:#?}", outcome.report.diagnostics);
    assert_eq!((outcome.report.notices, outcome.report.advisories), (2, 1));
    let page = outcome.page("advisories/shared-id/index.html");
    let revisions = page
        .split("id=\"revisions-title\"")
        .nth(1)
        .expect("a revision list");
    for file in ["content/a/first.md", "content/b/second.md"] {
        assert!(
            revisions.contains(file),
            "{file} missing from the revisions"
        );
    }
}

/// Values the extract stage reads, at the edges of what exists. Each case is a frontmatter
/// and a body line; the build must finish, warn where the load stage knows the value is
/// unusable, and show the text escaped. Add a row to extend.
#[test]
fn impossible_dates_and_huge_versions_build_and_render_escaped() {
    struct Case {
        name: &'static str,
        front: &'static str,
        body: &'static str,
        /// The text the page shows for the body, escaped.
        shown: &'static str,
        /// `file:line` of each B0107 warning.
        invalid: &'static [&'static str],
    }
    let cases = [
        Case {
            name: "february-30",
            front: "ms.date: 02/30/2025\nupdated: February 30, 2025",
            body: "Upgrade by February 30, 2025 (in < 1 day) & \"now\".",
            shown: "Upgrade by February 30, 2025 (in &lt; 1 day) &amp; \"now\".",
            invalid: &["content/february-30.md:3", "content/february-30.md:4"],
        },
        Case {
            name: "huge-version",
            front: "revision: 99999999999999999999",
            body: "Sync agent: version 99999999999999999999.1 or higher <b>now</b>",
            shown: "version 99999999999999999999.1 or higher <b>now</b>",
            invalid: &["content/huge-version.md:3"],
        },
        Case {
            name: "date-overflow",
            front: "ms.date: 99/99/99999",
            body: "Before December 31, 99999 and after January 0, 2025, install 1.2.3.4.5.6.7.8.9.",
            shown: "Before December 31, 99999 and after January 0, 2025, install 1.2.3.4.5.6.7.8.9.",
            invalid: &["content/date-overflow.md:3"],
        },
    ];
    let site = Site::new();
    for case in &cases {
        site.file(
            &format!("{}.md", case.name),
            format!(
                "---\ntitle: \"{} <edge> & case\"\n{}\n---\n\n{}\n",
                case.name, case.front, case.body
            ),
        );
    }
    let outcome = build_over_previous(site.root(), false);
    assert!(outcome.report.written, "{:#?}", outcome.errors());
    let invalid = outcome.locations(Code::InvalidField);
    for case in &cases {
        for location in case.invalid {
            assert!(
                invalid.contains(&location.to_string()),
                "{location}: {invalid:?}"
            );
        }
        let page = outcome.page(&format!("advisories/{}/index.html", case.name));
        assert!(page.contains(case.shown), "{}: {page}", case.name);
        assert!(
            page.contains(&format!("{} &lt;edge&gt; &amp; case", case.name)),
            "the title is escaped"
        );
    }
}

#[test]
fn assets_keep_their_bytes_and_active_ones_are_not_copied() {
    let site = Site::new();
    let all_bytes: Vec<u8> = (0..=255u8).cycle().take(1 << 16).collect();
    let assets: [(&str, Vec<u8>); 6] = [
        ("media/every-byte.bin", all_bytes),
        ("media/crlf.txt", b"one\r\ntwo\r\n\xEF\xBB\xBFthree\r".to_vec()),
        ("media/latin1 caf\u{e9}.txt", b"caf\xE9\n".to_vec()),
        ("media/#hash%20name.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()),
        (
            "media/plain.svg",
            br##"<svg xmlns="http://www.w3.org/2000/svg"><rect fill="#000" width="1" height="1"/></svg>"##.to_vec(),
        ),
        ("downloads/empty.zip", Vec::new()),
    ];
    for (path, bytes) in &assets {
        site.file(path, bytes);
    }
    site.file("media/evil.svg", "<svg onload=\"alert(1)\"/>")
        .file("media/page.HTML", "<script>alert(1)</script>")
        .file("media/app.js", "alert(1)")
        .notice("notice.md", "Assets", "![every byte](media/every-byte.bin)");
    let outcome = assert_warnings_only(site.root());
    for (path, bytes) in &assets {
        let copied = std::fs::read(outcome.public().join(path)).expect(path);
        assert!(&copied == bytes, "{path} changed on the way");
    }
    assert_eq!(
        outcome.locations(Code::ActiveAsset),
        [
            "content/media/app.js",
            "content/media/evil.svg",
            "content/media/page.HTML"
        ]
    );
    for skipped in ["media/evil.svg", "media/page.HTML", "media/app.js"] {
        assert!(!outcome.public().join(skipped).exists(), "{skipped}");
    }
}

#[test]
fn an_asset_clashing_with_a_generated_file_fails_the_build() {
    let site = Site::new();
    site.notice("notice.md", "Clash", "Text.")
        .file("static/style.css", "body { color: red }");
    let outcome = assert_fails(site.root());
    let output = outcome.locations(Code::Output);
    assert_eq!(output.len(), 1, "{:#?}", outcome.report.diagnostics);
    let message = &outcome.report.diagnostics[0].message;
    assert!(message.contains("static/style.css"), "{message}");
}

/// A build killed with SIGKILL at any moment leaves `public/` as the whole previous site or
/// the whole new one, never a mix, never nothing; the next build clears what it left.
#[test]
fn a_killed_build_never_leaves_a_partial_site() {
    let site = Site::new();
    for i in 0..60 {
        site.file(&format!("media/blob-{i:02}.bin"), vec![i as u8; 256 << 10]);
    }
    let out = tempfile::tempdir().expect("temp dir");
    let public = out.path().join("public");
    // The binary reads the clock for "today"; pin it so every build of a version matches.
    let bulletin = || {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_bulletin"));
        command
            .args(["build", "--root"])
            .arg(site.root())
            .arg("--output")
            .arg(&public)
            .env("SOURCE_DATE_EPOCH", "1735689600")
            .stderr(std::process::Stdio::null());
        command
    };
    let titles = ["First", "Second"];
    let versions: Vec<BTreeMap<String, Vec<u8>>> = titles
        .iter()
        .map(|title| {
            site.notice("notice.md", title, "Text.");
            assert!(bulletin().status().expect("runs").success());
            tree(&public)
        })
        .collect();
    assert_ne!(versions[0], versions[1]);
    let mut outcomes = [0usize; 2];
    for (attempt, delay_ms) in [5u64, 20, 40, 60, 80, 100, 130, 160, 200, 260, 330, 420]
        .into_iter()
        .enumerate()
    {
        let next = attempt % 2;
        site.notice("notice.md", titles[next], "Text.");
        let mut child = bulletin().spawn().expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&public);
        let which = versions
            .iter()
            .position(|v| *v == now)
            .unwrap_or_else(|| panic!("killed after {delay_ms} ms: public/ is neither site"));
        outcomes[usize::from(which == next)] += 1;
        assert!(bulletin().status().expect("runs").success());
        assert!(tree(&public) == versions[next]);
        let beside: Vec<_> = std::fs::read_dir(out.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(beside, ["public"], "leftovers after the next build");
    }
    println!(
        "killed builds left the previous site {} times, the new one {} times",
        outcomes[0], outcomes[1]
    );
}

/// Every file built from a corpus of script-injection payloads (raw HTML, Markdown links
/// and images, DocFX directives, includes, frontmatter values, file names, assets) is free
/// of anything a browser would run, and every page carries the Content-Security-Policy.
#[test]
fn no_output_of_the_xss_corpus_can_run_script() {
    let site = Site::new();
    copy_tree(&hostile("xss/content"), &site.content());
    site.notice(
        "\"><img src=x onerror=alert('file name')>.md",
        "A file name that is a payload",
        "Text.",
    )
    .notice(
        "<script>alert(1)<\\script>/notice.md",
        "A folder name that is a payload",
        "Text.",
    );
    let outcome = build_over_previous(site.root(), false);
    assert!(outcome.report.written, "{:#?}", outcome.errors());
    assert_eq!(
        outcome.locations(Code::ActiveAsset),
        [
            "content/media/evil.svg",
            "content/media/page.html",
            "content/media/x.js"
        ]
    );
    let base = "/";
    let mut pages = 0;
    for (path, bytes) in outcome.all_output() {
        let text = String::from_utf8(bytes).unwrap_or_default();
        if path.ends_with(".html") {
            pages += 1;
            let problems = html_problems(&text, base);
            assert!(problems.is_empty(), "{path}: {problems:#?}");
            assert!(has_strict_csp(&text), "{path} has no strict CSP");
        } else if path == "search-index.js" {
            let json = text
                .strip_prefix("window.bulletinSearchIndex = ")
                .and_then(|t| t.strip_suffix(";\n"))
                .expect("the index is one assignment");
            assert!(
                serde_json::from_str::<serde_json::Value>(json).is_ok(),
                "the search index is data, not code"
            );
        } else if path.ends_with(".js") {
            assert!(
                path.starts_with("static/"),
                "{path}: only the theme's scripts"
            );
        } else if path.ends_with(".xml") {
            for html in xml_html_contents(&text) {
                let problems = html_problems(&html, base);
                assert!(problems.is_empty(), "{path}: {problems:#?}");
            }
            assert!(!text.to_lowercase().contains("<script"), "{path}");
        } else if path.ends_with(".svg") {
            assert!(
                bulletin::load::asset::is_passive_svg(text.as_bytes()),
                "{path}"
            );
        }
    }
    assert!(pages >= 6, "only {pages} pages");
    let raw = outcome.page("advisories/raw-html/index.html");
    for kept in [
        "<a name=\"legit-anchor\"",
        "<td>cell<br>break</td>",
        "<summary>Details</summary>",
    ] {
        assert!(raw.contains(kept), "{kept} was lost");
    }
    assert!(
        !raw.contains("class=\"banner"),
        "a notice dressed as a banner"
    );
}

/// Whether the page's first `<meta http-equiv>` is a Content-Security-Policy that allows no
/// inline script, no script from other hosts, no plugins and no `<base>` rewriting.
fn has_strict_csp(html: &str) -> bool {
    let Some(start) = html.find("http-equiv=\"Content-Security-Policy\" content=\"") else {
        return false;
    };
    let policy = html[start..]
        .split('"')
        .nth(3)
        .unwrap_or_default()
        .to_string();
    let directive = |name: &str| {
        policy
            .split(';')
            .map(str::trim)
            .find(|d| d.split_whitespace().next() == Some(name))
            .map(str::to_string)
    };
    directive("default-src").as_deref() == Some("default-src 'none'")
        && directive("script-src").is_some_and(|d| {
            d.split_whitespace()
                .skip(1)
                .all(|source| source == "'self'")
        })
        && directive("base-uri").as_deref() == Some("base-uri 'none'")
        && !policy.contains("unsafe-")
        && html.find("<script").is_none_or(|script| script > start)
}

/// The `type="html"` contents of an Atom feed, unescaped.
fn xml_html_contents(xml: &str) -> Vec<String> {
    xml.split("type=\"html\">")
        .skip(1)
        .filter_map(|rest| rest.split('<').next())
        .map(|escaped| {
            escaped
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

/// Everything in `html` a browser could run, as a browser's tokenizer reads it: script
/// elements other than the theme's own three, frames and plugins, `<base>`, refreshes, event
/// handlers, inline styles, and script URLs in any URL attribute.
fn html_problems(html: &str, base_url: &str) -> Vec<String> {
    let sink = Checker {
        theme_scripts: ["search.js", "days.js", "docfx.js"]
            .map(|s| format!("{base_url}static/{s}")),
        problems: RefCell::new(Vec::new()),
        in_script: RefCell::new(false),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.problems.into_inner()
}

struct Checker {
    theme_scripts: [String; 3],
    problems: RefCell<Vec<String>>,
    in_script: RefCell<bool>,
}

const URL_ATTRIBUTES: &[&str] = &[
    "action",
    "background",
    "cite",
    "codebase",
    "data",
    "dynsrc",
    "formaction",
    "href",
    "longdesc",
    "lowsrc",
    "ping",
    "poster",
    "src",
    "srcset",
    "xlink:href",
];

impl TokenSink for Checker {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut problems = self.problems.borrow_mut();
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let name: &str = &tag.name;
                let attr = |wanted: &str| {
                    tag.attrs
                        .iter()
                        .find(|a| &*a.name.local == wanted)
                        .map(|a| a.value.to_string())
                };
                match name {
                    "script" => {
                        if !attr("src").is_some_and(|src| self.theme_scripts.contains(&src)) {
                            problems.push(format!("a script: {tag:?}"));
                        }
                        *self.in_script.borrow_mut() = true;
                        return TokenSinkResult::RawData(RawKind::ScriptData);
                    }
                    "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "base"
                    | "portal" | "style" => problems.push(format!("<{name}>")),
                    "meta" => {
                        let equiv = attr("http-equiv").unwrap_or_default();
                        if !equiv.is_empty()
                            && !equiv.eq_ignore_ascii_case("Content-Security-Policy")
                        {
                            problems.push(format!("<meta http-equiv={equiv}>"));
                        }
                    }
                    _ => {}
                }
                for a in &tag.attrs {
                    let attribute = a.name.local.to_string().to_ascii_lowercase();
                    if attribute.starts_with("on") || attribute == "style" || attribute == "srcdoc"
                    {
                        problems.push(format!("<{name} {attribute}=\"{}\">", a.value));
                    }
                    if URL_ATTRIBUTES.contains(&attribute.as_str()) {
                        let url: String = a
                            .value
                            .chars()
                            .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                            .collect::<String>()
                            .to_ascii_lowercase();
                        if ["javascript:", "vbscript:", "livescript:", "data:"]
                            .iter()
                            .any(|scheme| url.starts_with(scheme))
                        {
                            problems.push(format!("<{name} {attribute}=\"{}\">", a.value));
                        }
                    }
                }
                if matches!(name, "textarea" | "title") {
                    return TokenSinkResult::RawData(RawKind::Rcdata);
                }
            }
            Token::TagToken(tag) if &*tag.name == "script" => {
                *self.in_script.borrow_mut() = false;
            }
            Token::CharacterTokens(text) if *self.in_script.borrow() && !text.trim().is_empty() => {
                problems.push(format!("inline script: {text}"));
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[test]
fn an_id_too_long_for_a_folder_name_is_an_error_at_its_line() {
    let site = Site::new();
    site.file(
        "long.md",
        format!("---\ntitle: Long\nid: {}\n---\n\nText.\n", "x".repeat(300)),
    );
    let outcome = assert_fails(site.root());
    assert_eq!(outcome.locations(Code::IdTooLong), ["content/long.md:3"]);
    assert!(outcome.locations(Code::Output).is_empty());
}

#[test]
fn slugs_too_long_for_a_folder_name_are_shortened() {
    let site = Site::new();
    // Each folder fits; the slugs of whole paths would not.
    let deep = format!("{}/{}", "d".repeat(150), "e".repeat(150));
    site.notice(&format!("{}.md", "s".repeat(240)), "Stem", "Text.")
        .notice(&format!("one/{deep}/overview.md"), "One", "Text.")
        .notice(&format!("two/{deep}/overview.md"), "Two", "Text.")
        .file(
            &format!("rev/{deep}/a.md"),
            "---\ntitle: Revised\nrevision: 1\n---\n\nFirst.\n",
        )
        .file(
            &format!("rev/{deep}/b.md"),
            "---\ntitle: Revised\nrevision: 2\nsupersedes: a.md\n---\n\nSecond.\n",
        );
    let outcome = build_over_previous(site.root(), false);
    assert!(outcome.report.written, "{:#?}", outcome.report.diagnostics);
    assert_eq!(outcome.report.advisories, 4);
    let advisories: Vec<String> = std::fs::read_dir(outcome.public().join("advisories"))
        .expect("advisories/")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(advisories.len(), 4, "{advisories:?}");
    for entry in walkdir::WalkDir::new(outcome.public()) {
        let name = entry.expect("entry").file_name().len();
        assert!(
            name <= bulletin::slug::MAX_SLUG_BYTES,
            "a name of {name} bytes"
        );
    }
    let revised = advisories
        .iter()
        .find(|id| {
            outcome
                .public()
                .join("advisories")
                .join(id)
                .join("revisions")
                .is_dir()
        })
        .expect("the revised advisory has a revision page");
    assert!(
        outcome
            .page(&format!("advisories/{revised}/index.html"))
            .contains("Second.")
    );
}

/// Code snippets are taken only from files under `content/`: one that climbs out or is
/// absolute is never read, a placeholder stands there and it is reported at its line, like
/// an include (a warning, so `--strict` fails).
#[test]
fn code_snippets_that_climb_out_of_the_content_root_are_never_read() {
    let site = Site::new();
    site.notice(
        "docs/notice.md",
        "Snippets",
        ":::code language=\"sh\" source=\"../../../etc/passwd\":::\n\n[!code-sh[](/etc/passwd)]\n\n[!code-sh[](C:\\Windows\\win.ini)]\n",
    );
    let strict = build_over_previous(site.root(), true);
    assert!(!strict.report.written, "--strict fails on the warnings");
    let outcome = build_over_previous(site.root(), false);
    assert!(outcome.report.written, "{:#?}", outcome.errors());
    assert!(
        outcome
            .page("advisories/notice/index.html")
            .contains("Code outside the content folder")
    );
    assert!(
        !outcome
            .page("advisories/notice/index.html")
            .contains("root:")
    );
    assert_eq!(
        outcome.locations(Code::IncludeOutsideRoot),
        [
            "content/docs/notice.md:5",
            "content/docs/notice.md:7",
            "content/docs/notice.md:9"
        ]
    );
}

/// DocFX regions written wrong (tab groups, zones, rows and columns, complex images left
/// open, closed twice, or crossing each other, in quotes, lists and includes) still give
/// well-formed pages: every element the renderer opens is closed, each problem is a warning
/// at its line, and no marker is shown.
#[test]
fn docfx_regions_written_wrong_give_well_formed_pages() {
    let site = Site::new();
    site.file(
        "includes/open.md",
        "# [In an include](#tab/inc)\n\n::: zone pivot=\"x\"\n\nNever closed here.\n",
    )
    .notice(
        "notice.md",
        "Crossed regions",
        "::: zone pivot=\"a\"\n\n# [T](#tab/t)\n\n:::row:::\n\n::: zone-end\n\n:::row-end:::\n\n:::column-end:::\n\n> ::: zone pivot=\"b\"\n>\n> # [Q](#tab/q)\n\n- :::image type=\"complex\" source=\"x.png\" alt-text=\"X\":::\n- item\n\n[!INCLUDE [open](includes/open.md)]\n\n::: zone-end\n\n:::image-end:::\n\n::: zone pivot=\"\"\n\nEnd.\n",
    );
    let outcome = with_bounded_stack({
        let root = site.root().to_path_buf();
        move || build_over_previous(&root, false)
    });
    assert!(outcome.report.written, "{:#?}", outcome.errors());
    assert!(outcome.errors().is_empty(), "{:#?}", outcome.errors());
    assert!(outcome.locations(Code::UnsupportedDocfx).len() >= 5);
    let html = outcome.page("advisories/notice/index.html");
    let body = html
        .split("<div class=\"body\">")
        .nth(1)
        .and_then(|b| b.split("<section class=\"backlinks\"").next())
        .expect("a body");
    // Every element opened inside the body is closed before the body's own `</div>`.
    assert_eq!(
        body.matches("<div").count() + 1,
        body.matches("</div>").count(),
        "{body}"
    );
    assert_eq!(
        body.matches("<figure").count(),
        body.matches("</figure>").count()
    );
    for marker in [":::", "#tab/", "zone pivot"] {
        assert!(!body.contains(marker), "`{marker}` shown in\n{body}");
    }
    assert!(body.contains("End."));
}
