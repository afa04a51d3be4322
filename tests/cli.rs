//! The `bulletin` binary as CI runs it: exit codes and what it prints.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use bulletin::catalog::Catalog;
use bulletin::diagnostic::Code;
use common::fixture;

fn bulletin(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(args)
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A build of a fixture, which lies in bulletin's own repository: without its history, so
/// what is printed does not depend on how the repository was cloned.
fn build_args<'a>(site: &'a str, out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["build", "--no-history", "--root", site, "--output", out];
    args.extend_from_slice(extra);
    args
}

#[test]
fn exit_codes_follow_the_readme() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    let out = out.to_str().unwrap();
    let links = fixture("links");
    let links = links.to_str().unwrap();
    let bad = fixture("malformed-yaml");
    let bad = bad.to_str().unwrap();

    let (code, stderr) = bulletin(&build_args(links, out, &[]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning[B0301 unresolved-link]")
            || stderr.contains("B0301 unresolved-link"),
        "{stderr}"
    );

    let (code, stderr) = bulletin(&build_args(links, out, &["--strict"]));
    assert_eq!(code, 1, "warnings fail --strict: {stderr}");

    let (code, stderr) = bulletin(&build_args(bad, out, &[]));
    assert_eq!(code, 1);
    assert!(stderr.contains("B0102 malformed-frontmatter"), "{stderr}");
    assert!(stderr.contains("content/bad.md:"), "{stderr}");

    assert_eq!(bulletin(&["build", "--no-such-flag"]).0, 2);
    assert_eq!(bulletin(&["frobnicate"]).0, 2);
    assert_eq!(bulletin(&build_args(links, out, &["--format", "xml"])).0, 2);
}

#[test]
fn machine_formats_name_code_file_and_line() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    let site = fixture("malformed-yaml");
    let (code, json) = bulletin(&build_args(
        site.to_str().unwrap(),
        out.to_str().unwrap(),
        &["--format", "json"],
    ));
    assert_eq!(code, 1);
    let first: serde_json::Value =
        serde_json::from_str(json.lines().next().unwrap()).expect("one JSON object per line");
    assert_eq!(first["code"], "B0102");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "content/bad.md");
    assert!(first["line"].as_u64().is_some());

    let (_, github) = bulletin(&build_args(
        site.to_str().unwrap(),
        out.to_str().unwrap(),
        &["--format", "github"],
    ));
    let annotation = github.lines().next().unwrap();
    assert!(annotation.starts_with("::error file="), "{annotation}");
    assert!(annotation.contains("content/bad.md,line="), "{annotation}");
}

/// `bulletin catalog --root SITE`: (exit code, stdout, stderr).
fn catalog(site: &std::path::Path) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(["catalog", "--root"])
        .arg(site)
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The draft lists every product the feed names, plus the catalog's own, and nothing else;
/// saved as the catalog, it leaves no product unknown (B0402) and changes no product's id.
fn assert_the_draft_completes_the_catalog(site: &std::path::Path) {
    let (code, draft, stderr) = catalog(site);
    assert_eq!(code, 0, "{stderr}");
    let drafted = Catalog::parse(&draft).unwrap_or_else(|e| panic!("{e:?}\n{draft}"));
    let drafted: BTreeSet<String> = drafted.products().iter().map(|p| p.id.clone()).collect();

    let (before, out) = common::build_site(site);
    assert!(before.written, "{:#?}", before.diagnostics);
    let feed: serde_json::Value =
        serde_json::from_str(&common::page(&out, "policy.json")).expect("the feed is JSON");
    let named: BTreeSet<String> = feed["products"]
        .as_array()
        .expect("products")
        .iter()
        .map(|p| p["id"].as_str().expect("an id").to_string())
        .collect();
    let known = Catalog::load(site).expect("the site's catalog");
    let expected: BTreeSet<String> = named
        .iter()
        .cloned()
        .chain(known.products().iter().map(|p| p.id.clone()))
        .collect();
    assert_eq!(drafted, expected);
    assert!(named.len() > known.products().len(), "{named:?}");
    assert!(!common::with_code(&before, Code::UnknownProduct).is_empty());

    let copy = tempfile::tempdir().expect("temp dir");
    // The site's own files only: the sample site's root is the repository.
    common::copy_tree(&site.join("content"), &copy.path().join("content"));
    if site.join("bulletin.yaml").is_file() {
        std::fs::copy(
            site.join("bulletin.yaml"),
            copy.path().join("bulletin.yaml"),
        )
        .expect("copy");
    }
    std::fs::write(copy.path().join("content/_products.yaml"), &draft).expect("write");
    let (after, out) = common::build_site(copy.path());
    assert!(after.written, "{:#?}", after.diagnostics);
    assert_eq!(
        common::with_code(&after, Code::UnknownProduct),
        Vec::<&_>::new()
    );
    let feed: serde_json::Value =
        serde_json::from_str(&common::page(&out, "policy.json")).expect("the feed is JSON");
    for product in feed["products"].as_array().expect("products") {
        assert_eq!(product["in_catalog"], true, "{product}");
        assert!(named.contains(product["id"].as_str().expect("an id")));
    }
}

#[test]
fn catalog_drafts_every_product_of_the_sample_site() {
    let site = common::sample_site();
    assert_the_draft_completes_the_catalog(&site);
    let (_, draft, _) = catalog(&site);
    assert!(draft.contains(
        "  # 6 statements: 4 requirements, 1 cutoff, 1 impact\n  # at connect/archive/security-updates-pks.md:19,"
    ), "{draft}");
    assert!(draft.contains("  # in the catalog\n  - id: \"entra-connect-sync\"\n"));
    assert_eq!(
        catalog(&site).1,
        draft,
        "the same notices give the same draft"
    );
}

#[test]
fn catalog_drafts_every_product_of_the_seeds() {
    let seeds = common::seed_site();
    assert_the_draft_completes_the_catalog(seeds.path());
    // Without a catalog, every product is new and none is marked.
    std::fs::remove_file(seeds.path().join("content/_products.yaml")).expect("remove");
    let (code, draft, _) = catalog(seeds.path());
    assert_eq!(code, 0);
    assert!(!draft.contains("in the catalog"), "{draft}");
    assert!(Catalog::parse(&draft).expect("parses").products().len() > 3);
}

#[test]
fn catalog_refuses_a_site_with_errors() {
    let (code, draft, stderr) = catalog(&fixture("malformed-yaml"));
    assert_eq!(code, 1);
    assert_eq!(draft, "");
    assert!(stderr.contains("B0102 malformed-frontmatter"), "{stderr}");
    assert!(stderr.contains("no draft"), "{stderr}");
    let missing = tempfile::tempdir().expect("temp dir");
    assert_eq!(catalog(missing.path()).0, 1, "no content/ folder");
}
