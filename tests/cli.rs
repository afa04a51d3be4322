//! The `bulletin` binary as CI runs it: exit codes and what it prints.

// Helpers are test code too: clippy.toml lets only #[test] functions unwrap.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use bulletin::catalog::Catalog;
use bulletin::diagnostic::Code;
use common::{fixture, one_notice_site};

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

/// Runs `bulletin ARGS` in `cwd`: (exit code, stdout, stderr).
fn run_in(cwd: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The seeds dropped into a new site, `site/` in a fresh working folder, with `settings` as
/// its bulletin.yaml and no catalog: what a first run meets.
fn seeds_in_a_new_site(settings: &str) -> tempfile::TempDir {
    let work = tempfile::tempdir().expect("temp dir");
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/labelled/seeds");
    common::copy_tree(&seeds.join("content"), &work.path().join("site/content"));
    std::fs::write(work.path().join("site/bulletin.yaml"), settings).expect("settings");
    work
}

/// Every diagnostic of a `--format json` run.
fn json_records(stderr: &str) -> Vec<serde_json::Value> {
    stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

/// A first run on the seeds: every diagnostic the JSON lists is in the human output, grouped
/// by code and hint (one title, the count, one hint), each place a path a terminal in the
/// working folder opens, the caret on the link, and the summary counting them all.
#[test]
fn a_first_run_groups_marks_and_points_where_a_terminal_opens() {
    let work = seeds_in_a_new_site("docset_root: docs\n");
    let args = ["build", "--root", "site", "--output", "out"];
    let (code, _, human) = run_in(work.path(), &args);
    assert_eq!(code, 0, "{human}");
    let (_, _, json) = run_in(work.path(), &[&args[..], &["--format", "json"]].concat());
    let records = json_records(&json);
    assert!(
        records.len() > 30,
        "the seeds in a bare site warn a lot: {json}"
    );

    let mut groups: BTreeSet<(String, String)> = BTreeSet::new();
    let mut sizes: std::collections::BTreeMap<(String, String), usize> = Default::default();
    for r in &records {
        let key = (
            format!(
                "{} {}",
                r["code"].as_str().unwrap(),
                r["name"].as_str().unwrap()
            ),
            r["hint"].as_str().unwrap_or_default().to_string(),
        );
        groups.insert(key.clone());
        *sizes.entry(key).or_default() += 1;
    }
    for (code, hint) in &groups {
        let titles = groups.iter().filter(|(c, _)| c == code).count();
        assert_eq!(
            human.matches(&format!("warning: {code}: ")).count(),
            titles,
            "one title per hint for {code}:\n{human}"
        );
        if !hint.is_empty() {
            assert_eq!(
                human.matches(&format!("help: {hint}\n")).count(),
                1,
                "{hint}"
            );
        }
        let n = sizes[&(code.clone(), hint.clone())];
        if n > 1 {
            assert!(
                human.contains(&format!("{} more like it:", n - 1)),
                "{code}: {human}"
            );
        }
    }
    // Every place, in a title or in a group's list, opens from the working folder.
    let places: Vec<&str> = human
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .chain(
            human
                .lines()
                .map(str::trim_start)
                .filter(|l| l.starts_with("site/") && l.contains(".md:")),
        )
        .collect();
    assert!(places.len() > 10, "{human}");
    for place in places {
        let file = place.split(':').next().unwrap();
        // The notices, or the settings (B0905: no `site_url` for the sitemap).
        assert!(
            file.starts_with("site/content/") || file == "site/bulletin.yaml",
            "{place}"
        );
        assert!(work.path().join(file).is_file(), "{place}");
    }
    // The caret marks what the message names: the link as written, at its column.
    let mut marked = 0;
    for r in records.iter().filter(|r| r["code"] == "B0301") {
        let (Some(column), Some(end)) = (r["column"].as_u64(), r["end_column"].as_u64()) else {
            continue;
        };
        let text =
            std::fs::read_to_string(work.path().join("site").join(r["file"].as_str().unwrap()))
                .expect("the notice");
        let line: Vec<char> = text
            .lines()
            .nth(r["line"].as_u64().unwrap() as usize - 1)
            .unwrap()
            .chars()
            .collect();
        let at: String = line[column as usize - 1..end as usize - 1].iter().collect();
        let message = r["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("the link `{at}` ")),
            "{at}: {message}"
        );
        marked += 1;
    }
    assert!(marked > 30, "every link is marked: {marked}");
    // The summary counts what was printed.
    let last = human.lines().last().unwrap();
    assert!(
        last.starts_with(&format!(
            "built 4 advisories from 5 notices into out; {} warnings (",
            records.len()
        )),
        "{last}"
    );
}

/// B0301's hint names the settings that would resolve the link; once `vendor_site_url` is
/// set, every link to a page outside the site goes to the vendor's site, so none is left.
#[test]
fn hints_fit_the_settings_in_force() {
    let hints = |settings: &str| -> Vec<(String, String)> {
        let work = seeds_in_a_new_site(settings);
        let (_, _, json) = run_in(
            work.path(),
            &[
                "build", "--root", "site", "--output", "out", "--format", "json",
            ],
        );
        json_records(&json)
            .iter()
            .filter(|r| r["code"] == "B0301")
            .map(|r| {
                (
                    r["message"].as_str().unwrap().to_string(),
                    r["hint"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let bare = hints("docset_root: docs\n");
    let vendor_paths = bare
        .iter()
        .filter(|(m, _)| m.contains("a path on the vendor's site"));
    assert!(vendor_paths.clone().count() > 0);
    for (message, hint) in vendor_paths {
        assert!(hint.contains("set `vendor_site_url`"), "{message}: {hint}");
    }
    let pages: Vec<_> = bare.iter().filter(|(m, _)| m.contains(".md`")).collect();
    assert!(!pages.is_empty());
    for (message, hint) in pages {
        assert!(
            hint.contains("`external_base_url`") && hint.contains("`vendor_site_url`"),
            "{message}: {hint}"
        );
    }
    let vendor = hints("docset_root: docs\nvendor_site_url: https://learn.microsoft.com\n");
    assert_eq!(vendor, Vec::<(String, String)>::new());
    let external =
        hints("docset_root: docs\nexternal_base_url: https://learn.microsoft.com/entra/\n");
    assert!(!external.is_empty());
    for (message, hint) in &external {
        assert!(
            message.contains("a path on the vendor's site")
                && hint.contains("set `vendor_site_url`"),
            "{message}: {hint}"
        );
    }
}

/// One error among many warnings is the last thing a failed build prints.
#[test]
fn errors_repeat_at_the_end_of_a_long_output() {
    let work = seeds_in_a_new_site("docset_root: docs\n");
    std::fs::write(
        work.path().join("site/content/docs/broken.md"),
        "---\ntitle: Broken: a colon\n---\nbody\n",
    )
    .expect("write");
    let (code, _, human) = run_in(work.path(), &["build", "--root", "site"]);
    assert_eq!(code, 1, "{human}");
    let lines: Vec<&str> = human.lines().collect();
    assert!(lines.len() > 40, "{human}");
    let summary = &lines[lines.len() - 3..];
    assert!(
        summary[0].starts_with("build failed: 1 error, ")
            && summary[0].ends_with("; site/public was left as it was"),
        "{human}"
    );
    assert_eq!(summary[1], "the error:");
    assert_eq!(
        summary[2],
        "  site/content/docs/broken.md:2:14: B0102 malformed-frontmatter: the frontmatter is not valid YAML: a value holds `: `, which YAML reads as a second key"
    );
}

/// Bad input told in the project's words: no parser vocabulary, no error numbers, nothing
/// said twice.
#[test]
fn messages_speak_the_projects_words() {
    let internals = [
        "error: line",
        "error: error",
        "line 1 column",
        "os error",
        "u64",
        "scalar",
        "DuplicateKeyPolicy",
        "Options",
        "failed to parse",
        "not a version: not a version",
        "invalid type",
        "EOF while",
    ];
    let site = one_notice_site(
        "n.md",
        "---\ntitle: N\nms.date: 13/45/2023\n---\nUpgrade by February 30, 2025.\n",
    );
    let root = site.path().to_str().unwrap();
    let mut said = Vec::new();
    for (settings, expected) in [
        ("titel: x\n", "unknown key `titel`; did you mean `title`?"),
        (
            "atom_entries: many\n",
            "`atom_entries` should be a whole number, not `many`",
        ),
        ("title: a\ntitle: b\n", "`title` is set twice"),
        (
            "title: a: b\n",
            "bulletin.yaml is not valid YAML: a value holds `: `",
        ),
        (
            "",
            "`ms.date: 13/45/2023` is not a date: month 13 does not exist",
        ),
    ] {
        std::fs::write(site.path().join("bulletin.yaml"), settings).expect("settings");
        let (_, _, stderr) = run_in(
            site.path(),
            &["build", "--root", root, "--output", "../out"],
        );
        assert!(stderr.contains(expected), "{settings}: {stderr}");
        said.push(stderr);
    }
    let seeds = common::seed_site();
    let (report, out) = common::build_site(seeds.path());
    assert!(report.written);
    let feed = out.path().join("public/policy.json");
    let feed = feed.to_str().unwrap();
    let bad_json = site.path().join("bad.json");
    std::fs::write(&bad_json, "{\"schema_version\": \"1.1.0\",").expect("write");
    let bad_json = bad_json.to_str().unwrap();
    for (args, expected) in [
        (
            vec!["--feed", feed, "--version", "abc"],
            "`abc` is not a version: a version is numbers separated by dots, such as `2.4.18.0`",
        ),
        (
            vec!["--feed", feed, "--version", "1", "--on", "2025-13-01"],
            "`2025-13-01` is not a date: month 13 does not exist",
        ),
        (
            vec!["--feed", feed, "--version", "1", "--on", "2025-02-30"],
            "`2025-02-30` is not a date: February 2025 has only 28 days",
        ),
        (
            vec!["--feed", feed, "--version", "1", "--on", "soon"],
            "`soon` is not a date written YYYY-MM-DD",
        ),
        (
            vec!["--feed", "/no/such/feed.json", "--version", "1"],
            "cannot read the feed /no/such/feed.json: no such file or directory",
        ),
        (
            vec!["--feed", bad_json, "--version", "1"],
            "is not a bulletin policy feed: the JSON ends early (line 1)",
        ),
    ] {
        let (code, _, stderr) = run_in(
            site.path(),
            &[&["check", "--product", "entra-connect-sync"][..], &args].concat(),
        );
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        said.push(stderr);
    }
    for stderr in &said {
        for internal in internals {
            assert!(!stderr.contains(internal), "`{internal}` in: {stderr}");
        }
    }
}

/// `check` answers from a product's own feed exactly as from the site's feed.
#[test]
fn check_reads_product_feeds_like_the_site_feed() {
    let seeds = common::seed_site();
    let (report, out) = common::build_site(seeds.path());
    assert!(report.written);
    let public = out.path().join("public");
    let site_feed: serde_json::Value =
        serde_json::from_str(&common::page(&out, "policy.json")).expect("JSON");
    let mut asked = 0;
    for product in site_feed["products"].as_array().unwrap() {
        let id = product["id"].as_str().unwrap();
        let own = public.join("products").join(id).join("policy.json");
        assert!(own.is_file(), "{}", own.display());
        let requirements = product["requirements"].as_array().unwrap();
        let mut versions = vec!["0.1".to_string()];
        let mut days = vec!["2020-01-01".to_string(), "2030-01-01".to_string()];
        for r in requirements {
            versions.extend(r["minimum_version"].as_str().map(str::to_string));
            if let Some(d) = r["deadline"].as_str().filter(|d| d.len() == 10) {
                let day: jiff::civil::Date = d.parse().unwrap();
                days.push(d.to_string());
                days.push(day.tomorrow().unwrap().to_string());
            }
        }
        for version in &versions {
            for day in &days {
                let ask = |feed: &std::path::Path| {
                    run_in(
                        out.path(),
                        &[
                            "check",
                            "--feed",
                            feed.to_str().unwrap(),
                            "--product",
                            id,
                            "--version",
                            version,
                            "--on",
                            day,
                            "--json",
                        ],
                    )
                };
                // The same answer; only the site's feed knows other products, so only its
                // answer can name related ones.
                let without_related = |(code, stdout, stderr): (i32, String, String)| {
                    let mut answer: serde_json::Value =
                        serde_json::from_str(&stdout).expect("a JSON answer");
                    answer.as_object_mut().map(|a| a.remove("related"));
                    (code, answer, stderr)
                };
                let from_site = without_related(ask(&public.join("policy.json")));
                assert_eq!(
                    without_related(ask(&own)),
                    from_site,
                    "{id} {version} {day}"
                );
                asked += 1;
            }
        }
    }
    assert!(asked > 20, "{asked}");
    // A product's feed knows only its product.
    let (code, _, stderr) = run_in(
        out.path(),
        &[
            "check",
            "--feed",
            public.join("products/tls/policy.json").to_str().unwrap(),
            "--product",
            "entra-connect-sync",
            "--version",
            "1",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: no product `entra-connect-sync` in the feed"),
        "{stderr}"
    );
}

/// Without a catalog, "Contoso Sync" and "Contoso Sync Agent" are two products; a
/// `compliant` for one names the other's requirements as not counted, so that nobody takes it
/// for the whole story.
#[test]
fn check_names_products_with_related_names_it_did_not_count() {
    let site = one_notice_site(
        "notice.md",
        "---\ntitle: Upgrade the sync agent\nms.date: 01/01/2025\n---\n\n\
         Contoso Sync Agent will stop working on March 31, 2026 if you're not on at least version 3.2.0.\n\n\
         Contoso Sync requires TLS 1.2.\n\n\
         Contoso Sync version 1.0 or later is required.\n",
    );
    let (report, out) = common::build_site(site.path());
    assert!(report.written);
    let feed = out.path().join("public/policy.json");
    let ask = |json: bool| {
        let mut args = vec![
            "check",
            "--feed",
            feed.to_str().unwrap(),
            "--product",
            "Contoso Sync",
            "--version",
            "1.5",
            "--on",
            "2026-06-01",
        ];
        if json {
            args.push("--json");
        }
        run_in(out.path(), &args)
    };
    let (code, stdout, stderr) = ask(false);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("compliant: Contoso Sync 1.5"),
        "{stdout}"
    );
    assert!(
        stderr.contains("not counted in this answer")
            && stderr.contains("Contoso Sync Agent (contoso-sync-agent)"),
        "{stderr}"
    );
    let (_, stdout, _) = ask(true);
    let answer: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(answer["status"], "compliant");
    assert_eq!(answer["related"][0]["product"], "contoso-sync-agent");
}

/// "version X or higher" in force is a minimum nobody can knowingly meet: the answer is
/// `undetermined`, exit 3, never `compliant`; a known minimum unmet still decides.
#[test]
fn check_never_passes_a_version_against_a_placeholder_in_force() {
    let site = one_notice_site(
        "notice.md",
        "---\ntitle: Upgrade the agents\nms.date: 01/01/2025\n---\n\n\
         Upgrade by March 1, 2025 to the following builds:\n\n\
         - Contoso Agent: version X or higher\n\
         - Fabrikam Agent: version X or higher\n\n\
         Fabrikam Agent version 2.0 or later is required.\n",
    );
    let (report, out) = common::build_site(site.path());
    assert!(report.written);
    let feed = out.path().join("public/policy.json");
    let ask = |product: &str, version: &str, on: &str| {
        run_in(
            out.path(),
            &[
                "check",
                "--feed",
                feed.to_str().unwrap(),
                "--product",
                product,
                "--version",
                version,
                "--on",
                on,
            ],
        )
    };
    let (code, stdout, _) = ask("Contoso Agent", "9.9", "2025-06-01");
    assert_eq!(code, 3, "{stdout}");
    assert!(
        stdout.starts_with("undetermined: Contoso Agent 9.9 cannot be judged")
            && stdout.contains("(`X`, notice.md:")
            && stdout.contains("since the deadline 2025-03-01 passed"),
        "{stdout}"
    );
    // Before the deadline the placeholder is not in force yet.
    let (code, stdout, _) = ask("Contoso Agent", "9.9", "2025-02-01");
    assert_eq!(code, 0, "{stdout}");
    // A known minimum that is not met decides, placeholder or not.
    let (code, stdout, _) = ask("Fabrikam Agent", "1.0", "2025-06-01");
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.starts_with("non-compliant: Fabrikam Agent 1.0 is below 2.0"),
        "{stdout}"
    );
    let (code, stdout, _) = ask("Fabrikam Agent", "2.5", "2025-06-01");
    assert_eq!(code, 3, "{stdout}");
}

/// `bulletin init` makes a site that builds under `--strict` and that `check` answers from;
/// run again, it refuses and touches nothing.
#[test]
fn init_makes_a_site_that_builds_strictly() {
    let work = tempfile::tempdir().expect("temp dir");
    let (code, stdout, stderr) = run_in(work.path(), &["init", "new-site"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("  new-site/bulletin.yaml\n"), "{stdout}");
    assert!(
        stdout.contains("bulletin build --root new-site --strict"),
        "{stdout}"
    );
    let site = work.path().join("new-site");
    let written = common::tree(&site);
    assert_eq!(
        written.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "bulletin.yaml",
            "content/_products.yaml",
            "content/sample-notice.md"
        ]
    );

    let (code, _, stderr) = run_in(work.path(), &["build", "--root", "new-site", "--strict"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "built 1 advisory from 1 notice into new-site/public\n"
    );
    let feed = "new-site/public/products/contoso-sync-agent/policy.json";
    let (code, answer, _) = run_in(
        work.path(),
        &[
            "check",
            "--feed",
            feed,
            "--product",
            "Contoso Sync",
            "--version",
            "3.1.0",
            "--on",
            "2030-07-01",
        ],
    );
    assert_eq!(code, 1, "{answer}");
    assert!(
        answer.starts_with("non-compliant: Contoso Sync agent 3.1.0 is below 3.2.0"),
        "{answer}"
    );

    std::fs::write(site.join("bulletin.yaml"), "title: Mine\n").expect("edit");
    let before = common::tree(&site);
    let (code, stdout, stderr) = run_in(work.path(), &["init", "new-site"]);
    assert_eq!(code, 2, "{stdout}");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: new-site already holds new-site/bulletin.yaml, "),
        "{stderr}"
    );
    assert_eq!(common::tree(&site), before, "nothing was touched");

    // Without a folder, here.
    let here = tempfile::tempdir().expect("temp dir");
    let (code, _, stderr) = run_in(here.path(), &["init"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(here.path().join("content/sample-notice.md").is_file());
}
