//! Property tests over arbitrary input, the stable-toolchain stand-in for the cargo-fuzz
//! targets in `fuzz/`: decoding, frontmatter, the sanitiser, and whole builds of a site made
//! of one generated notice. None may panic, hang or let a script through, and a failed build
//! must leave the output as it was.
//!
//! The default run is short. For a long run:
//!
//! ```sh
//! BULLETIN_FUZZ_CASES=20000 cargo test --release --test fuzz_props
//! ```
//!
//! Inputs that once broke something are kept in `tests/sites_hostile/regressions/` and built
//! by `regressions_build` on every run.

mod common;

use std::path::Path;

use bulletin::config::SiteConfig;
use bulletin::load::decode::{Decoded, decode};
use bulletin::load::frontmatter::split;
use bulletin::markdown::sanitize::{MAX_DEPTH, clean, nesting};
use bulletin::model::ContentPath;
use bulletin::{BuildOptions, build};
use proptest::prelude::*;

/// Cases per property: `BULLETIN_FUZZ_CASES`, else `default`.
fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("BULLETIN_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text that looks like a notice often enough to reach past the first parser: frontmatter
/// fences, YAML, DocFX directives, HTML, nesting markers and line-ending debris.
fn notice_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("---\n".to_string()),
        Just("title: x\n".to_string()),
        Just("ms.date: 02/30/2025\n".to_string()),
        Just("revision: 99999999999999999999\n".to_string()),
        Just("id: [a, {b: c}]\n".to_string()),
        Just("- ".to_string()),
        Just("> ".to_string()),
        Just("> [!NOTE]\n".to_string()),
        Just("> [!div class=\"nextstepaction\"]\n".to_string()),
        Just("> [!VIDEO https://x/v]\n".to_string()),
        Just("[!INCLUDE [a](includes/fuzz.md)]\n".to_string()),
        Just("[!INCLUDE [a](../../x.md)]\n".to_string()),
        Just(":::image type=\"content\" source=\"a.png\" alt-text=\"a\":::\n".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("[x](javascript:alert(1))".to_string()),
        Just("<ul><li>".to_string()),
        Just("</div>".to_string()),
        Just("| a | b |\n|---|---|\n".to_string()),
        Just("[^1]\n\n[^1]: note\n".to_string()),
        Just("## Heading {#id}\n".to_string()),
        Just("February 30, 2025 version 99999999999999999999.1\n".to_string()),
        // Statements that reach the extraction rules.
        Just("Azure CLI version 2.1 or later is required by September 18th. ".to_string()),
        Just("Versions below 1.2 stop working after May 1, 2026. ".to_string()),
        Just("| Minimum version | End of support |\n|---|---|\n| 1.2 | Q3 2026 |\n".to_string()),
        Just("requires TLS 1. 2 (v2+, 11.*.7001.0, API version 2021-08-01) ".to_string()),
        Just("it: version X or higher\u{a0}\u{2003}".to_string()),
        Just("::: zone pivot=\"a\"\n".to_string()),
        Just("# [Tab](#tab/t)\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("â€™".to_string()),
        "[ -~]{0,12}",
        "\\PC{0,6}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// Builds a site whose only notice (and include) is `bytes`, over a previous output;
/// asserts the build ends, and that a failed build leaves the previous output as it was.
fn build_one(bytes: &[u8]) -> Result<(), TestCaseError> {
    let site = tempfile::tempdir().expect("temp dir");
    let content = site.path().join("content");
    std::fs::create_dir_all(content.join("includes")).expect("mkdir");
    std::fs::write(content.join("fuzz.md"), bytes).expect("write");
    std::fs::write(content.join("includes/fuzz.md"), bytes).expect("write");
    let out = tempfile::tempdir().expect("temp dir");
    let public = out.path().join("public");
    std::fs::create_dir_all(&public).expect("mkdir");
    std::fs::write(public.join("previous.html"), "previous").expect("write");
    let before = common::tree(&public);
    let report = build(&BuildOptions {
        root: site.path().to_path_buf(),
        output: Some(public.clone()),
        ..BuildOptions::default()
    });
    if report.written {
        for (path, bytes) in common::tree(&public) {
            if path.ends_with(".html") {
                let html = String::from_utf8_lossy(&bytes);
                let main = html
                    .split("<main")
                    .nth(1)
                    .and_then(|m| m.split("</main>").next())
                    .unwrap_or_default();
                prop_assert!(!main.contains("<script"), "{path}: a script in the page");
            }
        }
    } else {
        prop_assert!(
            common::tree(&public) == before,
            "a failed build changed public/"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn decoding_and_frontmatter_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Decoded::Text { text, .. } = decode(&bytes) {
            prop_assert!(!text.contains('\r'));
            let _ = split(&ContentPath("fuzz.md".into()), &text);
        }
    }

    #[test]
    fn notice_like_text_splits(text in notice_like()) {
        if let Decoded::Text { text, .. } = decode(text.as_bytes())
            && let Ok(split) = split(&ContentPath("fuzz.md".into()), &text)
        {
            prop_assert!(split.body_line >= 1);
        }
    }

    #[test]
    fn the_sanitiser_bounds_nesting_and_drops_scripts(html in notice_like()) {
        let flat = nesting::flatten(&html, MAX_DEPTH);
        prop_assert!(nesting::deepest(&flat) <= MAX_DEPTH);
        let out = clean(&html, &SiteConfig::default()).html.to_ascii_lowercase();
        prop_assert!(!out.contains("<script"), "{}", out);
    }
}

proptest! {
    #![proptest_config(cases(24))]

    #[test]
    fn whole_builds_of_arbitrary_notices_end(text in notice_like()) {
        build_one(text.as_bytes())?;
    }

    #[test]
    fn whole_builds_of_arbitrary_bytes_end(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        build_one(&bytes)?;
    }
}

/// Every input that once broke something builds (or fails cleanly) as a whole site.
#[test]
fn regressions_build() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites_hostile/regressions");
    let inputs = common::tree(&folder);
    for (name, bytes) in &inputs {
        if name.ends_with(".md") {
            build_one(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}
