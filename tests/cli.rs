//! The `bulletin` binary as CI runs it: exit codes and what it prints.

mod common;

use std::process::Command;

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

fn build_args<'a>(site: &'a str, out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["build", "--root", site, "--output", out];
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
