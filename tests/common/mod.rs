//! Helpers shared by the integration tests: fixture sites, the seeds and the corpus, and
//! reading back what a build wrote.

// Test code: clippy.toml lets only #[test] functions unwrap.
#![allow(clippy::unwrap_used)]
#![allow(dead_code)] // Each test binary uses a different subset.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use bulletin::diagnostic::{Code, Diagnostic};
use bulletin::{BuildOptions, BuildReport, build};

/// A fixture site under `tests/sites/`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sites")
        .join(name)
}

/// The repository root, which is the sample site.
pub(crate) fn sample_site() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/`, beside the repository, or `None` in a bare clone: the tests that need it
/// are named `needs_shared_*`, `#[ignore]`d (`.ci/run` runs them), and say they are
/// skipped when it is missing.
pub(crate) fn shared() -> Option<PathBuf> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if shared.is_dir() {
        Some(shared)
    } else {
        eprintln!("skipped: ../shared/ (seeds and corpus) is not beside the repository");
        None
    }
}

/// A site in a temporary folder whose `content/` holds one notice, `name` (a path under
/// `content/`), with `text` as its whole file: the setting of most tests about one rule.
pub(crate) fn one_notice_site(name: &str, text: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let path = site.path().join("content").join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    site
}

/// Builds the site at `root` into a fresh temporary folder.
pub(crate) fn build_site(root: &Path) -> (BuildReport, tempfile::TempDir) {
    build_site_with(root, false)
}

/// Builds with `--strict` when `strict` is set.
pub(crate) fn build_site_with(root: &Path, strict: bool) -> (BuildReport, tempfile::TempDir) {
    let out = tempfile::tempdir().expect("temp dir");
    let report = build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.path().join("public")),
        strict,
        ..Default::default()
    });
    (report, out)
}

/// A built page's text.
pub(crate) fn page(out: &tempfile::TempDir, path: &str) -> String {
    let file = out.path().join("public").join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The text a reader sees: tags dropped, entities decoded, white space collapsed.
pub(crate) fn text(html: &str) -> String {
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

/// The diagnostics with this code.
pub(crate) fn with_code(report: &BuildReport, code: Code) -> Vec<&Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect()
}

/// Every file under `dir` with its bytes, by relative path.
pub(crate) fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(dir)
                .expect("under dir")
                .to_string_lossy()
                .into_owned();
            (relative, std::fs::read(e.path()).expect("readable"))
        })
        .collect()
}

/// A site root holding the five seeds under their Learn names, laid out as
/// `scripts/seed-site` lays out `../shared/seeds` (the fixture copy in `tests/labelled/seeds`,
/// so `cargo test` needs nothing beside the repository; `needs_shared_seed_fixtures_are_the_received_seeds`
/// checks the copy), so links and includes mean what they mean on Learn.
pub(crate) fn seed_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("temp dir");
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/labelled/seeds");
    copy_tree(&seeds.join("content"), &site.path().join("content"));
    std::fs::write(
        site.path().join("bulletin.yaml"),
        "title: Seed advisories\ndocset_root: docs\n\
         external_base_url: https://learn.microsoft.com/entra/\n\
         vendor_site_url: https://learn.microsoft.com\n",
    )
    .expect("bulletin.yaml");
    // The sample site's product catalog, so the seeds' products get their catalog ids.
    std::fs::copy(
        sample_site().join("content/_products.yaml"),
        site.path().join("content/_products.yaml"),
    )
    .expect("catalog");
    site
}

/// Copies every file under `from` to the same place under `to`.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    for (path, bytes) in tree(from) {
        let file = to.join(path);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).expect("folder");
        }
        std::fs::write(file, bytes).expect("write");
    }
}
