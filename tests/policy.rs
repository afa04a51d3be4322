//! Extraction, reconciliation, the policy feed and `bulletin check`, on the seeds and on
//! fixture sites.

// Helpers are test code too: clippy.toml lets only #[test] functions unwrap.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use bulletin::date::Precision;
use bulletin::diagnostic::Code;
use bulletin::model::{Facts, GroupKind, MilestoneKind};
use bulletin::policy::feed::{Readable, RevisionStatus};
use bulletin::reconcile::{OrderBasis, SupersedeReason};
use bulletin::site::{Analysis, analyse};
use bulletin::version::VersionSpec;
use bulletin::{BuildOptions, build};
use common::*;

fn analysed(root: &std::path::Path) -> (Analysis, Vec<bulletin::diagnostic::Diagnostic>) {
    let mut diagnostics = Vec::new();
    let analysis = analyse(
        &BuildOptions {
            root: root.to_path_buf(),
            ..Default::default()
        },
        &mut diagnostics,
    )
    .expect("the site analyses");
    (analysis, diagnostics)
}

/// Facts of each notice, by file name relative to the seed site's connect folder.
fn seed_facts(analysis: &Analysis) -> BTreeMap<String, &Facts> {
    analysis
        .corpus
        .notices
        .iter()
        .zip(&analysis.facts)
        .map(|(n, f)| {
            (
                n.path
                    .as_str()
                    .trim_start_matches("docs/identity/hybrid/connect/")
                    .to_string(),
                f,
            )
        })
        .collect()
}

/// Requirements as (product id, minimum or placeholder, clouds, deadline, line).
fn requirements(facts: &Facts) -> Vec<(String, String, String, String, u32)> {
    facts
        .requirements
        .iter()
        .map(|r| {
            let minimum = match &r.minimum {
                VersionSpec::Exact(v) => v.canonical().to_string(),
                VersionSpec::Placeholder(p) => format!("placeholder {p}"),
            };
            (
                r.product.id.clone(),
                minimum,
                r.clouds.join(","),
                r.deadline.map(|d| d.to_iso()).unwrap_or_default(),
                r.source.line,
            )
        })
        .collect()
}

/// Milestones as (kind, date, line, superseded_by).
fn milestones(facts: &Facts) -> Vec<(MilestoneKind, String, u32, Option<String>)> {
    facts
        .milestones
        .iter()
        .map(|m| {
            (
                m.kind,
                m.date.to_iso(),
                m.source.line,
                m.superseded_by.map(|d| d.to_iso()),
            )
        })
        .collect()
}

fn owned(rows: &[(&str, &str, &str, &str, u32)]) -> Vec<(String, String, String, String, u32)> {
    rows.iter()
        .map(|&(a, b, c, d, e)| (a.into(), b.into(), c.into(), d.into(), e))
        .collect()
}

/// The requirements of a site made of one notice, as [`requirements`] lists them.
fn requirements_in(name: &str, text: &str) -> Vec<(String, String, String, String, u32)> {
    let site = one_notice_site(name, text);
    let (analysis, _) = analysed(site.path());
    requirements(&analysis.facts[0])
}

/// The cutoffs of a site made of one notice: kind, date and the product's id.
fn cutoffs_in(name: &str, text: &str) -> Vec<(MilestoneKind, String, Option<String>)> {
    let site = one_notice_site(name, text);
    let (analysis, _) = analysed(site.path());
    analysis.facts[0]
        .milestones
        .iter()
        .map(|m| {
            (
                m.kind,
                m.date.to_iso(),
                m.product.as_ref().map(|p| p.id.clone()),
            )
        })
        .collect()
}

#[test]
fn seed_000_requirements_and_deadlines() {
    let site = seed_site();
    let (analysis, _) = analysed(site.path());
    let facts = seed_facts(&analysis);
    let pks = facts["security-updates-pks.md"];
    assert_eq!(
        requirements(pks),
        owned(&[
            ("entra-connect-sync", "2.3.2.0", "", "2024-09-23", 31),
            (
                "entra-connect-health-sync-agent",
                "4.5.2487.0",
                "",
                "2024-09-23",
                33
            ),
            (
                "entra-connect-health-adds-agent",
                "4.5.2487.0",
                "",
                "2024-09-23",
                34
            ),
            (
                "entra-connect-health-adfs-agent",
                "4.5.2487.0",
                "",
                "2024-09-23",
                35
            ),
        ])
    );
    assert_eq!(
        milestones(pks),
        [
            (MilestoneKind::Deadline, "2024-09-23".into(), 15, None),
            (MilestoneKind::StopsWorking, "2024-09-23".into(), 42, None),
        ]
    );
    let also = |m: &bulletin::model::Milestone| -> Vec<u32> {
        m.also_stated_at.iter().map(|s| s.line).collect()
    };
    assert_eq!(
        also(&pks.milestones[0]),
        [29],
        "stated twice, one milestone"
    );
    assert_eq!(
        also(&pks.milestones[1]),
        [44],
        "\"you lose the alerts between September 23, 2024 and when you upgrade\" is the same cutoff"
    );
    let impacts: Vec<&str> = pks.impacts.iter().map(|i| i.product.id.as_str()).collect();
    assert_eq!(
        impacts,
        [
            "entra-connect-sync",
            "entra-connect-health-sync-agent",
            "entra-connect-health-adds-agent",
            "entra-connect-health-adfs-agent"
        ],
        "the `HealthAD DS agent` typo still matches the catalog"
    );
    assert!(
        pks.impacts[0]
            .impact
            .starts_with("Autoupgrade stops working.")
    );
}

#[test]
fn seed_001_keeps_placeholders_as_placeholders() {
    let site = seed_site();
    let (analysis, diagnostics) = analysed(site.path());
    let facts = seed_facts(&analysis);
    let old = facts["revisions/001/security-updates-pks.md"];
    assert_eq!(
        requirements(old),
        owned(&[
            ("entra-connect-sync", "2.3.2.0", "", "2024-09-16", 21),
            (
                "entra-connect-health-sync-agent",
                "2.3.2.0",
                "",
                "2024-09-16",
                23
            ),
            (
                "entra-connect-health-adds-agent",
                "placeholder X",
                "",
                "2024-09-16",
                24
            ),
            (
                "entra-connect-health-adfs-agent",
                "placeholder X",
                "",
                "2024-09-16",
                25
            ),
        ])
    );
    assert_eq!(
        milestones(old),
        [(MilestoneKind::Deadline, "2024-09-16".into(), 17, None)],
        "\"Since January 2024\" is a past event: not a milestone at all"
    );
    let placeholders: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.code == Code::PlaceholderVersion)
        .collect();
    assert_eq!(placeholders.len(), 2);
    assert!(placeholders.iter().all(|d| {
        d.location()
            .unwrap()
            .ends_with("revisions/001/security-updates-pks.md:24")
            || d.location()
                .unwrap()
                .ends_with("revisions/001/security-updates-pks.md:25")
    }));
}

#[test]
fn seed_002_per_cloud_versions_and_the_extension() {
    let site = seed_site();
    let (analysis, _) = analysed(site.path());
    let facts = seed_facts(&analysis);
    let harden = facts["harden-update-ad-fs-pingfederate.md"];
    assert_eq!(
        harden.subject.as_ref().map(|s| s.id.as_str()),
        Some("entra-connect-sync")
    );
    assert_eq!(
        requirements(harden),
        owned(&[
            (
                "entra-connect-sync",
                "2.4.18.0",
                "commercial",
                "2025-04-30",
                47
            ),
            (
                "entra-connect-sync",
                "2.4.21.0",
                "noncommercial",
                "2025-04-30",
                48
            ),
            ("net", "4.7.2", "", "2025-04-30", 56),
        ]),
        "the .NET prerequisite under \"minimum requirements\" takes the section's deadline"
    );
    assert_eq!(
        milestones(harden),
        [
            (MilestoneKind::Retirement, "2025-04".into(), 15, None),
            (
                MilestoneKind::Deadline,
                "2025-04-07".into(),
                20,
                Some("2025-04-30".into())
            ),
            (MilestoneKind::StopsWorking, "2025-04-07".into(), 27, None),
            (MilestoneKind::Deadline, "2025-04-30".into(), 13, None),
            (MilestoneKind::StopsWorking, "2025-04-30".into(), 29, None),
        ],
        "the extended deadline is superseded; the impacts tied to April 7 stay tied to it"
    );
}

#[test]
fn seed_003_has_no_hard_facts_and_004_has_month_precision_milestones() {
    let site = seed_site();
    let (analysis, _) = analysed(site.path());
    let facts = seed_facts(&analysis);
    let deprecated = facts["deprecated-azure-ad-connect.md"];
    assert!(
        deprecated.requirements.is_empty()
            && deprecated.milestones.is_empty()
            && deprecated.impacts.is_empty()
    );
    let v2 = facts["whatis-azure-ad-connect-v2.md"];
    assert_eq!(
        requirements(v2),
        owned(&[
            ("tls", "1.2", "", "", 53),
            ("tls", "1.2", "", "", 63),
            ("windows-server", "2016", "", "", 74),
            ("powershell", "5.0", "", "", 82),
            ("windows-server", "2016", "", "", 106),
        ]),
        "\"requires TLS 1.2\", \"only supports TLS 1.2\", \"requires Windows Server 2016 or newer\", \"require PowerShell 5.0\", \"can only upgrade ... if you're using Windows Server 2016 or newer\""
    );
    assert_eq!(
        milestones(v2),
        [
            (MilestoneKind::EndOfSupport, "2022".into(), 120, None),
            (MilestoneKind::EndOfSupport, "2022-07".into(), 40, None),
            (MilestoneKind::Retirement, "2022-08-31".into(), 22, None),
            (MilestoneKind::Deadline, "2022-12".into(), 124, None),
            (MilestoneKind::EndOfSupport, "2022-12".into(), 44, None),
            (MilestoneKind::StopsWorking, "2023-03".into(), 122, None),
        ]
    );
    let retirement = &v2.milestones[2];
    assert_eq!(
        retirement
            .also_stated_at
            .iter()
            .map(|s| s.line)
            .collect::<Vec<_>>(),
        [109],
        "31 August, 2022 is the same retirement"
    );
}

#[test]
fn seeds_000_and_001_reconcile_to_the_revision_that_fills_the_placeholders() {
    let site = seed_site();
    let (analysis, diagnostics) = analysed(site.path());
    assert!(
        diagnostics
            .iter()
            .all(|d| d.code != Code::UndecidedRevisions)
    );
    let a = analysis
        .corpus
        .advisories
        .iter()
        .position(|a| a.id == "security-updates-pks")
        .expect("grouped");
    let reconciled = &analysis.reconciled[a];
    assert_eq!(reconciled.basis, OrderBasis::FillsPlaceholders);
    let current = &analysis.corpus.notices[reconciled.current()];
    assert_eq!(
        current.path.as_str(),
        "docs/identity/hybrid/connect/security-updates-pks.md"
    );
    assert!(
        reconciled
            .reason
            .contains("has placeholders (`X` for Microsoft Entra Connect Health AD DS agent"),
        "{}",
        reconciled.reason
    );

    let deadline = reconciled
        .conflicts
        .iter()
        .find(|c| c.field == "deadline")
        .expect("a deadline conflict");
    assert_eq!(deadline.chosen, "2024-09-23");
    assert_eq!(deadline.chosen_source.line, 15);
    assert_eq!(deadline.rejected.len(), 1);
    assert_eq!(deadline.rejected[0].value, "2024-09-16");
    assert_eq!(
        deadline.rejected[0].source.file.as_str(),
        "docs/identity/hybrid/connect/revisions/001/security-updates-pks.md"
    );
    assert_eq!(deadline.rejected[0].source.line, 17);
    let adds = reconciled
        .conflicts
        .iter()
        .find(|c| c.field == "requirement entra-connect-health-adds-agent: minimum_version")
        .expect("the AD DS agent conflict");
    assert_eq!(
        (adds.chosen.as_str(), adds.rejected[0].value.as_str()),
        ("4.5.2487.0", "X (placeholder)")
    );

    let superseded: Vec<_> = reconciled
        .requirements
        .iter()
        .filter(|r| r.superseded_by.is_some())
        .collect();
    assert_eq!(
        superseded.len(),
        4,
        "every requirement of 001 stays visible, superseded"
    );
}

#[test]
fn explicit_revision_numbers_beat_dates_and_file_order() {
    let (analysis, diagnostics) = analysed(&fixture("revisions-explicit"));
    assert!(
        diagnostics
            .iter()
            .all(|d| d.code != Code::UndecidedRevisions)
    );
    let reconciled = &analysis.reconciled[0];
    assert_eq!(reconciled.basis, OrderBasis::Revision);
    assert_eq!(
        analysis.corpus.notices[reconciled.current()].path.as_str(),
        "old/notice.md"
    );
    let standing: Vec<_> = reconciled
        .requirements
        .iter()
        .filter(|r| r.superseded_by.is_none())
        .collect();
    assert_eq!(standing.len(), 1);
    assert_eq!(
        standing[0].value.deadline.map(|d| d.to_iso()).as_deref(),
        Some("2025-04-30")
    );
}

/// `supersedes: ~/previous/notice.md` names `content/docs/previous/notice.md` when
/// `docset_root` is `docs`. Both revisions share `ms.date` and nothing else orders them, so
/// were the pointer resolved against the content root, file order would publish the old
/// revision (`previous/` sorts after `connect/`) as current.
#[test]
fn supersedes_resolves_the_docset_root() {
    let root = fixture("supersedes-docset-root");
    let (analysis, diagnostics) = analysed(&root);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert_eq!(analysis.corpus.advisories.len(), 1);
    let reconciled = &analysis.reconciled[0];
    assert_eq!(reconciled.basis, OrderBasis::Supersedes);
    assert_eq!(
        analysis.corpus.notices[reconciled.current()].path.as_str(),
        "docs/connect/notice.md"
    );
    let revisions = &analysis.feed.advisories[0].revisions;
    // Oldest first; the revision first in path order (connect/) is the one the other is
    // tied to.
    assert_eq!(revisions[0].file, "docs/previous/notice.md");
    assert_eq!(revisions[1].grouped_by, None);
    let grouped_by = revisions[0].grouped_by.as_ref().expect("grouped_by");
    assert_eq!(
        (grouped_by.basis, grouped_by.with.as_str()),
        (GroupKind::Supersedes, "docs/connect/notice.md")
    );
    let standing: Vec<_> = analysis.feed.products[0]
        .requirements
        .iter()
        .filter(|r| r.superseded_by.is_none())
        .map(|r| r.minimum_version.as_deref())
        .collect();
    assert_eq!(standing, [Some("2.1.0")]);

    let out = tempfile::tempdir().expect("temp dir");
    let code = Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(["check", "--product", "Contoso Agent", "--version", "2.0.5"])
        .args(["--on", "2025-07-01", "--feed"])
        .arg({
            let report = build(&BuildOptions {
                root: root.clone(),
                output: Some(out.path().join("public")),
                ..Default::default()
            });
            assert!(report.written, "{:#?}", report.diagnostics);
            out.path().join("public/policy.json")
        })
        .status()
        .expect("bulletin check runs")
        .code();
    assert_eq!(code, Some(1), "2.0.5 is below the standing 2.1.0");
}

#[test]
fn a_true_tie_is_reported_and_fails_strict() {
    let (analysis, diagnostics) = analysed(&fixture("revisions-tie"));
    assert_eq!(analysis.reconciled[0].basis, OrderBasis::Undecided);
    let undecided: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.code == Code::UndecidedRevisions)
        .collect();
    assert_eq!(undecided.len(), 1);
    assert_eq!(undecided[0].location().as_deref(), Some("content/a.md"));
    let conflict = analysis.reconciled[0]
        .conflicts
        .iter()
        .find(|c| c.field.ends_with("minimum_version"))
        .expect("conflict");
    assert!(
        conflict.reason.contains("file order was used"),
        "{}",
        conflict.reason
    );
    let (lenient, _) = build_site(&fixture("revisions-tie"));
    assert!(lenient.written);
    let (strict, _) = build_site_with(&fixture("revisions-tie"), true);
    assert!(!strict.written);
}

fn validate(schema: &str, instance: &str) {
    let schema: serde_json::Value = serde_json::from_str(schema).expect("schema is JSON");
    let instance: serde_json::Value = serde_json::from_str(instance).expect("feed is JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// The feed's vocabularies (statuses, kinds, precisions, bases, reasons, dates) are typed:
/// what a build writes reads back into the types and out again as the same JSON, and the
/// schema refuses a value outside them.
#[test]
fn the_feeds_vocabularies_round_trip_and_the_schema_refuses_others() {
    let seeds = seed_site();
    let (report, out) = build_site(seeds.path());
    assert!(report.written);
    let text = page(&out, "policy.json");
    let schema = page(&out, "policy.schema.json");
    let written: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let feed: bulletin::policy::feed::Feed = serde_json::from_str(&text).expect("feed");
    assert_eq!(serde_json::to_value(&feed).expect("serialises"), written);
    // The seeds exercise every kind of value that is not the default.
    let pks = feed
        .advisories
        .iter()
        .find(|a| a.revisions.len() == 2)
        .expect("the advisory with two revisions");
    assert_eq!(pks.order_basis, OrderBasis::FillsPlaceholders);
    assert_eq!(
        pks.revisions.iter().map(|r| r.status).collect::<Vec<_>>(),
        [RevisionStatus::Superseded, RevisionStatus::Current]
    );
    let moved = feed
        .advisories
        .iter()
        .flat_map(|a| &a.deadlines)
        .find_map(|d| d.superseded_by.as_ref().filter(|s| s.date.is_some()))
        .expect("a date the notice moved");
    assert_eq!(moved.reason, SupersedeReason::Extension);
    assert!(
        feed.advisories
            .iter()
            .flat_map(|a| &a.deadlines)
            .any(|d| d.precision == Precision::Month && d.date.to_string().len() == 7)
    );
    let refused = |path: &[&str], value: &str| {
        let mut damaged = written.clone();
        let mut at = &mut damaged;
        for key in path {
            at = match key.parse::<usize>() {
                Ok(i) => &mut at[i],
                Err(_) => &mut at[*key],
            };
        }
        assert!(!at.is_null(), "{path:?} is in the feed");
        *at = value.into();
        let schema: serde_json::Value = serde_json::from_str(&schema).expect("schema");
        let validator = jsonschema::validator_for(&schema).expect("a valid schema");
        assert!(!validator.is_valid(&damaged), "{path:?} = {value}");
    };
    let dated = feed
        .advisories
        .iter()
        .position(|a| !a.deadlines.is_empty())
        .expect("an advisory with dates")
        .to_string();
    let dated = dated.as_str();
    refused(&["advisories", "0", "revisions", "0", "status"], "draft");
    refused(&["advisories", "0", "order_basis"], "luck");
    refused(&["advisories", dated, "deadlines", "0", "kind"], "release");
    refused(
        &["advisories", dated, "deadlines", "0", "precision"],
        "week",
    );
    refused(&["advisories", dated, "deadlines", "0", "date"], "soon");
    // A client still reads a requirement whose deadline is not a date, as that text, so
    // `check` can name it (see cli_safety.rs) instead of refusing the whole feed.
    let (p, r) = feed
        .products
        .iter()
        .enumerate()
        .find_map(|(p, product)| {
            let r = product
                .requirements
                .iter()
                .position(|r| r.deadline.is_some())?;
            Some((p, r))
        })
        .expect("a requirement with a deadline");
    let mut damaged = written.clone();
    damaged["products"][p]["requirements"][r]["deadline"] = "soon".into();
    let read: bulletin::policy::feed::Feed =
        serde_json::from_value(damaged.clone()).expect("still a feed");
    assert_eq!(
        read.products[p].requirements[r].deadline,
        Some(Readable::Unreadable("soon".to_string()))
    );
    assert_eq!(serde_json::to_value(&read).expect("serialises"), damaged);
}

#[test]
fn the_feed_and_product_feeds_validate_against_their_schemas() {
    let seeds = seed_site();
    for root in [sample_site(), seeds.path().to_path_buf()] {
        let (report, out) = build_site(&root);
        assert!(report.written);
        let feed = page(&out, "policy.json");
        validate(&page(&out, "policy.schema.json"), &feed);
        let parsed: bulletin::policy::feed::Feed =
            serde_json::from_str(&feed).expect("feed deserialises");
        assert_eq!(
            parsed.schema_version,
            bulletin::policy::feed::SCHEMA_VERSION
        );
        assert!(!parsed.products.is_empty());
        for product in &parsed.products {
            let text = page(&out, &format!("products/{}/policy.json", product.id));
            validate(&page(&out, "products/policy.schema.json"), &text);
            let own: bulletin::policy::feed::ProductFeed =
                serde_json::from_str(&text).expect("product feed deserialises");
            assert_eq!(
                own.schema_version,
                bulletin::policy::feed::PRODUCT_SCHEMA_VERSION
            );
            assert_eq!(own.product.as_ref(), product);
            // Summaries, not whole advisories: each cited advisory once, with only the
            // cutoffs that name this product or none.
            assert!(!own.advisories.is_empty(), "{}", product.id);
            for summary in &own.advisories {
                let whole = parsed
                    .advisories
                    .iter()
                    .find(|a| a.id == summary.id)
                    .expect("a summary of an advisory in policy.json");
                assert_eq!(summary.url, whole.url);
                assert!(
                    whole
                        .revisions
                        .iter()
                        .any(|r| r.file == summary.current_revision)
                );
                let concerning: Vec<_> = whole
                    .deadlines
                    .iter()
                    .filter(|d| d.product.as_deref().is_none_or(|p| p == product.id))
                    .collect();
                let listed: Vec<_> = summary.deadlines.iter().map(AsRef::as_ref).collect();
                assert_eq!(listed, concerning);
            }
            let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            for summary in value["advisories"].as_array().expect("advisories") {
                let keys: Vec<&str> = summary
                    .as_object()
                    .expect("an object")
                    .keys()
                    .map(String::as_str)
                    .collect();
                assert!(
                    keys.iter().all(|k| [
                        "id",
                        "title",
                        "url",
                        "current_revision",
                        "last_changed",
                        "deadlines"
                    ]
                    .contains(k)),
                    "{keys:?}"
                );
            }
            assert!(
                out.path()
                    .join(format!("public/products/{}/index.html", product.id))
                    .is_file()
            );
        }
    }
}

#[test]
fn generated_at_is_deterministic() {
    let site = seed_site();
    let build_with = |epoch| {
        let out = tempfile::tempdir().unwrap();
        let report = build(&BuildOptions {
            root: site.path().to_path_buf(),
            output: Some(out.path().join("public")),
            source_date_epoch: epoch,
            ..Default::default()
        });
        assert!(report.written);
        let feed: serde_json::Value = serde_json::from_str(&page(&out, "policy.json")).unwrap();
        feed["generated_at"].as_str().unwrap().to_string()
    };
    assert_eq!(
        build_with(None),
        "2025-04-09T00:00:00Z",
        "the newest ms.date"
    );
    assert_eq!(build_with(Some(1_700_000_000)), "2023-11-14T22:13:20Z");
}

/// Runs `bulletin check` against `feed`.
fn check(feed: &str, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(["check", "--feed", feed])
        .args(args)
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).trim().to_string(),
        String::from_utf8_lossy(&output.stderr).trim().to_string(),
    )
}

#[test]
fn check_answers_around_each_deadline() {
    let site = seed_site();
    let (report, out) = build_site(site.path());
    assert!(report.written);
    let feed = out.path().join("public/policy.json");
    let feed = feed.to_str().unwrap();
    let cases: &[(&[&str], i32, &str)] = &[
        // The question in the issue: 2.4.17.0 in a commercial cloud after April 30, 2025.
        (
            &[
                "--product",
                "Entra Connect Sync",
                "--version",
                "2.4.17.0",
                "--cloud",
                "commercial",
                "--on",
                "2025-05-01",
            ],
            1,
            "non-compliant",
        ),
        (
            &[
                "--product",
                "entra-connect-sync",
                "--version",
                "2.4.17.0",
                "--cloud",
                "commercial",
                "--on",
                "2025-04-30",
            ],
            0,
            "upgrade-due",
        ),
        (
            &[
                "--product",
                "entra-connect-sync",
                "--version",
                "2.4.18.0",
                "--cloud",
                "commercial",
                "--on",
                "2025-05-01",
            ],
            0,
            "compliant",
        ),
        (
            &[
                "--product",
                "entra-connect-sync",
                "--version",
                "2.4.18",
                "--cloud",
                "commercial",
                "--on",
                "2025-05-01",
            ],
            0,
            "compliant",
        ),
        (
            &[
                "--product",
                "entra-connect-sync",
                "--version",
                "2.4.18.0",
                "--cloud",
                "noncommercial",
                "--on",
                "2025-05-01",
            ],
            1,
            "non-compliant",
        ),
        (
            &[
                "--product",
                "entra-connect-sync",
                "--version",
                "2.4.21.0",
                "--cloud",
                "noncommercial",
                "--on",
                "2025-05-01",
            ],
            0,
            "compliant",
        ),
        // Without a cloud and no default_cloud, the strictest requirement applies.
        (
            &[
                "--product",
                "entra-connect-sync",
                "--version",
                "2.4.18.0",
                "--on",
                "2025-05-01",
            ],
            1,
            "non-compliant",
        ),
        // The September 23 deadline stands; September 16 (superseded) never counts.
        (
            &[
                "--product",
                "Azure AD Connect",
                "--version",
                "2.3.1.0",
                "--on",
                "2024-09-20",
            ],
            0,
            "upgrade-due",
        ),
        (
            &[
                "--product",
                "Azure AD Connect",
                "--version",
                "2.3.1.0",
                "--on",
                "2024-09-23",
            ],
            0,
            "upgrade-due",
        ),
        (
            &[
                "--product",
                "Azure AD Connect",
                "--version",
                "2.3.1.0",
                "--on",
                "2024-09-24",
            ],
            1,
            "non-compliant",
        ),
        (
            &[
                "--product",
                "Microsoft Entra Connect Health AD DS agent",
                "--version",
                "4.5.2487.0",
                "--on",
                "2024-10-01",
            ],
            0,
            "compliant",
        ),
        (
            &[
                "--product",
                "microsoft entra connect health ad ds agent",
                "--version",
                "4.5.2486.9",
                "--on",
                "2024-10-01",
            ],
            1,
            "non-compliant",
        ),
        (
            &[
                "--product",
                "entra-connect-health-adds-agent",
                "--version",
                "1.0",
                "--on",
                "2024-09-17",
            ],
            0,
            "upgrade-due",
        ),
    ];
    for (args, code, status) in cases {
        let (got, stdout, stderr) = check(feed, args);
        assert_eq!(got, *code, "{args:?}: {stdout} {stderr}");
        assert!(
            stdout.starts_with(&format!("{status}:")),
            "{args:?}: {stdout}"
        );
    }
    let (_, json, _) = check(
        feed,
        &[
            "--product",
            "entra-connect-sync",
            "--version",
            "2.4.17.0",
            "--cloud",
            "commercial",
            "--on",
            "2025-05-01",
            "--json",
        ],
    );
    let answer: serde_json::Value = serde_json::from_str(&json).expect("JSON answer");
    assert_eq!(answer["status"], "non-compliant");
    assert_eq!(answer["minimum_version"], "2.4.18.0");
    assert_eq!(answer["advisory"], "harden-update-ad-fs-pingfederate");

    for (args, reason) in [
        (
            &["--product", "Contoso", "--version", "1.0"][..],
            "no product `Contoso`",
        ),
        (
            &["--product", "entra-connect-sync", "--version", "two"][..],
            "is not a version",
        ),
        (
            &[
                "--product",
                "entra-connect-sync",
                "--version",
                "99999999999999999999.1",
            ][..],
            "is not a version",
        ),
        (
            &[
                "--product",
                "entra-connect-sync",
                "--version",
                "1.0",
                "--on",
                "2025-02-30",
            ][..],
            "is not a date",
        ),
    ] {
        let (code, _, stderr) = check(feed, args);
        assert_eq!(code, 2, "{args:?}");
        assert!(
            stderr.contains(reason) && stderr.lines().count() == 1,
            "{args:?}: {stderr}"
        );
    }
    let (code, _, stderr) = check("/no/such/feed.json", &["--product", "x", "--version", "1"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read the feed"), "{stderr}");
}

#[test]
fn check_fetches_the_feed_over_http() {
    use std::io::{Read, Write};
    let site = seed_site();
    let (report, out) = build_site(site.path());
    assert!(report.written);
    let body = std::fs::read(out.path().join("public/policy.json")).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        // Serves exactly two requests, then stops.
        for status in ["200 OK", "404 Not Found"] {
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let payload: &[u8] = if status.starts_with("200") {
                &body
            } else {
                b"missing"
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                payload.len()
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(payload).unwrap();
        }
    });
    let url = format!("http://{address}/policy.json");
    let (code, stdout, stderr) = check(
        &url,
        &[
            "--product",
            "entra-connect-sync",
            "--version",
            "2.4.17.0",
            "--cloud",
            "commercial",
            "--on",
            "2025-05-01",
        ],
    );
    assert_eq!(code, 1, "{stdout} {stderr}");
    assert!(stdout.starts_with("non-compliant:"));
    let (code, _, stderr) = check(&url, &["--product", "entra-connect-sync", "--version", "1"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot fetch the feed"), "{stderr}");
    server.join().unwrap();
}

/// A table's deadline may come from a paragraph above its section that speaks of it ("The
/// table lists the minimum build per agent; upgrade by September 23, 2024"), never from an
/// unrelated sentence.
#[test]
fn a_table_takes_the_deadline_of_the_paragraph_that_introduces_it() {
    let (analysis, _) = analysed(&sample_site());
    let (_, facts) = analysis
        .corpus
        .notices
        .iter()
        .zip(&analysis.facts)
        .find(|(n, _)| n.path.as_str() == "health/connect-health-agents.md")
        .expect("the sample's Connect Health notice");
    let deadlines: Vec<String> = facts
        .requirements
        .iter()
        .map(|r| r.deadline.map(|d| d.to_iso()).unwrap_or_default())
        .collect();
    assert_eq!(deadlines, ["2024-09-23"; 3]);
}

/// Rules read on a whole notice (a title product to fall back on, a list, prose): a pronoun
/// whose antecedent is not found never falls back to the title's product, an upgrade path
/// states no floor, and a release number that ends a name stays in the name.
#[test]
fn statements_that_must_not_fall_back_to_the_notices_product() {
    let site = one_notice_site(
        "widget.md",
        "---\ntitle: Contoso Widget connector prerequisites\nms.date: 01/01/2025\n---\n\n\
         ## Prerequisites\n\n\
         * The Fabrikam ODBC driver on the same computer. The version 3 driver is recommended. If you use the version 2 driver, it must be 2.0.15.1021 or later.\n\
         * Windows 10 1809 (Windows 10 October 2018 Update) and above.\n\n\
         The version indicated must be at least 3.8.0.\n\n\
         When you upgrade from Contoso Server 2007, you must first upgrade to Contoso Server 2010, then upgrade the databases to Contoso Server 2013.\n",
    );
    let (analysis, _) = analysed(site.path());
    assert_eq!(
        requirements(&analysis.facts[0]),
        owned(&[("windows-10", "1809", "", "", 9)])
    );
}

/// A parent item governs its children when it introduces them ("Prerequisites:") or is a short
/// label; a step that merely mentions a requirement does not make its children requirements.
#[test]
fn a_parent_step_is_no_lead_in_but_a_parent_label_is() {
    let site = one_notice_site(
        "steps.md",
        "---\ntitle: Set up the Contoso chat endpoint\nms.date: 01/01/2025\n---\n\n\
         1. In the chat window, enter a question. Queries that require summarization across many documents might not return accurate answers.\n\n   \
         Be aware that with the Contoso Retrieval extension version 0.1.5 and later each question is answered from retrieved content only.\n\n\
         - Prerequisites:\n\n  \
         - Contoso Server 2016 or later\n",
    );
    let (analysis, _) = analysed(site.path());
    assert_eq!(
        requirements(&analysis.facts[0]),
        owned(&[("contoso-server", "2016", "", "", 12)])
    );
}

/// In a table of cutoffs, a column of the days something was announced holds no cutoff, even
/// when its header names the cutoff ("Deprecation first announcement").
#[test]
fn an_announcement_column_holds_no_cutoff() {
    let site = one_notice_site(
        "api.md",
        "---\ntitle: Contoso Registry API versions\nms.date: 01/01/2025\n---\n\n\
         The following API versions are deprecated and supported until the support end date below:\n\n\
         | API version | Deprecation first announcement | Support end date |\n\
         |---|---|---|\n\
         | 2016-06-27-preview | July 2023 | October 2023 |\n",
    );
    let (analysis, _) = analysed(site.path());
    let dates: Vec<(MilestoneKind, String)> = milestones(&analysis.facts[0])
        .into_iter()
        .map(|(kind, date, _, _)| (kind, date))
        .collect();
    assert_eq!(
        dates,
        [(MilestoneKind::EndOfSupport, "2023-10".to_string())]
    );
}

/// A "Requirement" column holds prose as often as values: a cell that is a sentence or a list
/// is read as sentences are (a supported list is no floor), a short cell gives a floor for the
/// product it names, and the header "Requirement" is never a product.
#[test]
fn a_requirements_column_reads_prose_cells_as_prose() {
    assert_eq!(
        requirements_in(
            "system.md",
            "---\ntitle: Contoso Mail system requirements\nms.date: 01/01/2025\n---\n\n\
         |Component|Requirement|\n\
         |---|---|\n\
         |Domain controllers|All domain controllers need to be running one of the following versions of Windows Server: <ul><li>Windows Server 2019</li><li>Windows Server 2016</li></ul>|\n\
         |IPv6|Contoso Mail 2013 and later support IPv6 only when IPv4 is also installed.|\n\
         |Processor|Either of the following types of 64-bit processors: Intel 64 or AMD64.|\n\
         |Mailbox role|Windows Server 2019 Standard or Datacenter|\n\
         |Directory|The directory must run Fabrikam Directory 5.2 or later.|\n",
        ),
        owned(&[
            ("windows-server", "2019", "", "", 11),
            ("fabrikam-directory", "5.2", "", "", 12),
        ])
    );
}

/// A lead-in that says its list holds the dates something ends gives each item's date that
/// kind, for the item's name; a list of dates under any other lead-in is no cutoff.
#[test]
fn a_dates_lead_in_gives_its_items_their_kind() {
    assert_eq!(
        cutoffs_in(
            "linux.md",
            "---\ntitle: Contoso Shell on Linux\nms.date: 01/01/2025\n---\n\n\
         Support for these versions of Fabrikam Linux ends on the following dates:\n\n\
         - Fabrikam Linux 10 - 2035-05-31\n\
         - Fabrikam Linux 9: May 31, 2032\n\n\
         We published these notes on the following dates:\n\n\
         - Notes 2 - 2024-01-31\n",
        ),
        [
            (
                MilestoneKind::EndOfSupport,
                "2032-05-31".to_string(),
                Some("fabrikam-linux-9".to_string())
            ),
            (
                MilestoneKind::EndOfSupport,
                "2035-05-31".to_string(),
                Some("fabrikam-linux-10".to_string())
            ),
        ]
    );
}

/// An item labelled by a scope ("For x64 systems:") is about what its lead-in requires; a list
/// whose lead-in offers a benefit recommends; a table row's product is the name before the
/// version in its name cell.
#[test]
fn scopes_benefits_and_row_names() {
    assert_eq!(
        requirements_in(
            "shell.md",
            "---\ntitle: Install Contoso Shell\nms.date: 01/01/2025\n---\n\n\
         ## Check requirements\n\n\
         To update to Contoso Shell 2, you must be running Fabrikam OS...\n\n\
         - For x64 systems: **Version 1903** or later.\n\n\
         Upgrade to the following versions or later to receive more informative error messages:\n\n\
         - **Contoso** module: version 14.3.0 or later\n\n\
         |Scenario|Why|Supported|\n\
         |---|---|---|\n\
         |Apps using Fabrikam Runtime version 2.0 or older|Old images|Versions earlier than 2.0 aren't supported at all|\n",
        ),
        owned(&[
            ("fabrikam-os", "1903", "", "", 10),
            ("fabrikam-runtime", "2.0", "", "", 18),
        ])
    );
}

/// A paragraph that is only a name and a colon labels the list after it: its items' bare
/// floors are that product's. A sentence that is not only a name labels nothing.
#[test]
fn a_name_alone_labels_the_list_after_it() {
    assert_eq!(
        requirements_in(
            "finance.md",
            "---\ntitle: Configure materials\nms.date: 01/01/2025\n---\n\n\
         ## Minimum version requirement\n\n\
         Fabrikam 365 Finance:\n\n\
         - 10.0.18 (10.0.793.52) or higher. Make sure that your environment is current.\n\n\
         **Contoso Tools**:\n\n\
         - Version 3.1 or later\n\n\
         These are supported:\n\n\
         - 4.2 or later\n",
        ),
        owned(&[
            ("fabrikam-365-finance", "10.0.18", "", "", 10),
            ("contoso-tools", "3.1", "", "", 14),
        ])
    );
}

/// A table whose name column holds documents names no product in its rows: the floors are
/// the title's product's ("Project expense journal" is no product "Project").
#[test]
fn rows_of_documents_name_no_product() {
    assert_eq!(
        requirements_in(
            "tags.md",
            "---\ntitle: Financial tags in Contoso Finance\nms.date: 01/01/2025\n---\n\n\
         # Financial tags in Contoso Finance\n\n\
         Documents that support tagging include:\n\n\
         |Document|Minimum version|\n\
         |---|---|\n\
         |Project expense journal|10.0.45|\n\
         |Integration journal|10.0.46|\n\n\
         |Component|Minimum version|\n\
         |---|---|\n\
         |Fabrikam Agent|2.0.45|\n",
        ),
        owned(&[
            ("contoso-finance", "10.0.45", "", "", 12),
            ("contoso-finance", "10.0.46", "", "", 13),
            ("fabrikam-agent", "2.0.45", "", "", 17),
        ])
    );
}

/// A lifecycle table whose delimiter row has one cell too many is still a table (as DocFX
/// reads it), so each row gives its own end of support, not every date of the row; days
/// written with non-breaking hyphens are days.
#[test]
fn a_lifecycle_table_with_a_loose_delimiter_row_gives_one_cutoff_per_row() {
    use MilestoneKind::EndOfSupport;
    assert_eq!(
        cutoffs_in(
            "calendar.md",
            "---\ntitle: Contoso mesh support policy\nms.date: 01/01/2025\n---\n\n\
         The calendar gives each revision's estimated release and deprecation dates.\n\n\
         | Revision | Upstream release | End of life |\n\
         |---|---|---|---|\n\
         | mesh-1-17 | Feb 2023 | Jan 2024 |\n\
         | mesh-1-18 | Jun 2023 | 2024\u{2011}02\u{2011}15 |\n",
        ),
        [
            (
                EndOfSupport,
                "2024-01".to_string(),
                Some("mesh-1-17".to_string())
            ),
            (
                EndOfSupport,
                "2024-02-15".to_string(),
                Some("mesh-1-18".to_string())
            ),
        ]
    );
}

/// A word that says how sure a date is ("Expected", "Estimated") is not the product the date
/// ends.
#[test]
fn a_dates_hedge_is_no_product() {
    assert_eq!(
        cutoffs_in(
            "os.md",
            "---\ntitle: Contoso agent prerequisites\nms.date: 01/01/2025\n---\n\n\
         Expected limited support date: 07/03/2026\n",
        ),
        [(MilestoneKind::EndOfSupport, "2026-07-03".to_string(), None)]
    );
}

/// "The tables below show the required minimum supported versions" governs the tables of its
/// section; a bare floor under a header that names a product is that product's, not the
/// row's ("Analytics" is a service); an item's later sentence is about what the item opens with.
#[test]
fn tables_of_minimums_and_what_an_item_opens_with() {
    assert_eq!(
        requirements_in(
            "sdk.md",
            "---\ntitle: Contoso SDK supported platforms\nms.date: 01/01/2025\n---\n\n\
         ## Platforms\n\n\
         The tables below show the required minimum supported versions of the different services.\n\n\
         ### Desktop\n\n\
         Service | Fabrikam OS Version | .NET Framework\n\
         ---|---|---\n\
         Analytics | 5.0 and later | 4.6.2 or later\n\n\
         ## Prerequisites\n\n\
         * Contoso Kubernetes Service cluster or any other cluster. Use version 1.21.2 or newer.\n\n\
         ## Requirements\n\n\
         | Requirement | Description |\n\
         |---|---|\n\
         | Agent version | 1.83.0 or greater |\n",
        ),
        owned(&[
            ("fabrikam-os", "5.0", "", "", 14),
            ("net-framework", "4.6.2", "", "", 14),
            ("contoso-kubernetes-service", "1.21.2", "", "", 18),
            ("agent", "1.83.0", "", "", 24),
        ])
    );
}

/// "Runs on:" introduces supported platforms: their floors are requirements, a year-like
/// release after a name too; a small bare number is a quantity.
#[test]
fn runs_on_lists_platform_floors() {
    assert_eq!(
        requirements_in(
            "tool.md",
            "---\ntitle: Contoso Clock utility\nms.date: 01/01/2025\n---\n\n\
         **Runs on:**\n\n\
         - Server: Windows Server 2008 and higher\n\
         - Nano Server: 2016 and higher\n\
         - Memory: 512 and higher\n",
        ),
        owned(&[
            ("windows-server", "2008", "", "", 8),
            ("nano-server", "2016", "", "", 9),
        ])
    );
}

/// A "Support" column that holds dates holds ends of support, for the row's product (its
/// version, the last one its name gives: 15.9); "EOL" is no date.
#[test]
fn a_support_column_of_dates() {
    assert_eq!(
        cutoffs_in(
            "versions.md",
            "---\ntitle: Fabrikam Studio versions\nms.date: 01/01/2025\n---\n\n\
             | Release | Compiler | Support |\n\
             |--|--|--|\n\
             | Fabrikam Studio 2017 version 15.8 | 1915 | EOL |\n\
             | Fabrikam Studio 2017 version 15.9 | 1916 | Apr 13, 2027 |\n",
        ),
        [(
            MilestoneKind::EndOfSupport,
            "2027-04-13".to_string(),
            Some("fabrikam-studio".to_string())
        )]
    );
}

/// A heading's own "V or Later" is that version's floor: it does not make the versions in
/// the section below it minimums (a troubleshooting item naming .NET 4.0 is no floor).
#[test]
fn a_headings_own_floor_says_nothing_of_its_section() {
    assert_eq!(
        requirements_in(
            "deploy.md",
            "---\ntitle: Installing Contoso Deploy\nms.date: 01/01/2025\n---\n\n\
             # Installing Contoso Deploy on IIS 8.0 or Later\n\n\
             ## Troubleshooting\n\n\
             - Check whether .NET 4.0 is registered with IIS:\n\n    \
             **Cause**: Your machine had .NET 4.0 installed on it before IIS was installed.\n",
        ),
        owned(&[])
    );
}

/// Sibling items that each name a bare version of one product under a "minimum" heading are
/// a list of what is supported, no floor: neither 2022 of a fleet on 2019 nor "2016 or
/// later" of a release the list leaves out.
#[test]
fn a_listed_set_of_bare_versions_is_no_floor() {
    assert_eq!(
        requirements_in(
            "sensor.md",
            "---\ntitle: Contoso sensor prerequisites\nms.date: 01/01/2025\n---\n\n\
             ### Minimum operating system requirements\n\n\
             Sensors can be installed on the following operating systems:\n\n\
             - **Windows Server 2019**\n\
             - **Windows Server 2016**\n\
             - **Windows Server 2022**\n",
        ),
        owned(&[])
    );
}

/// Prose forms of needs and non-needs met on unseen notices.
#[test]
fn needs_and_what_only_looks_like_one() {
    assert_eq!(
        requirements_in(
            "upgrade.md",
            "---\ntitle: Upgrading web apps\nms.date: 01/01/2025\n---\n\n\
             ASP.NET 1.0 applications must be upgraded to at least ASP.NET 1.1 (ASP.NET 2.0 recommended).\n\n\
             Users may decide to install IIS 7.0 or above on the new server.\n\n\
             You will most likely need an IDE to build web applications over IIS 7.5 Express.\n\n\
             Make sure the computer meets the following requirements:\n\n\
             - At least 1 GB of RAM.\n\
             - .NET 4.7.2 installed. You may need to download it separately.\n\n\
             | Setting | Value |\n\
             |--|--|\n\
             | Range: | Windows Server 2012 R2 and later: 2-300 (decimal) |\n\
             | Restart | If .NET Framework 4.7 or later isn't found, .NET Framework 4.7 is installed. |\n",
        ),
        owned(&[("aspnet", "1.1", "", "", 6), ("net", "4.7.2", "", "", 15)])
    );
}

/// Cutoff dates in forms met on unseen notices: a state that holds since a date, support
/// "ending on", a postponed removal, a removal from what is supported, an obligation "in" a
/// month, support left or ended, a vendor that "will disable" something (the vendor is who
/// acts, not the product).
#[test]
fn more_ways_of_saying_a_cutoff() {
    assert_eq!(
        cutoffs_in(
            "changes.md",
            "---\ntitle: Contoso changes\nms.date: 01/01/2025\n---\n\n\
             OData Version 3.0 has been deprecated since April 2020.\n\n\
             The new editor has been available since May 2020.\n\n\
             Microsoft will phase out Fabrikam Helper, with official support for Fabrikam Helper ending on October 1, 2027.\n\n\
             Basic Authentication removal for Contoso online has been postponed until April 2022.\n\n\
             On April 2, 2021, Microsoft will remove Internet Explorer 11 from the list of supported browsers.\n\n\
             In April 2023, you must use the Bank Reconciliation page.\n\n\
             The Office XP system left mainstream support on July 11th, 2006.\n\n\
             Contoso ATA ended Mainstream Support on January 12, 2021.\n\n\
             Microsoft will disable older TLS protocols on Contoso Services on March 1, 2022.\n",
        ),
        [
            (
                MilestoneKind::EndOfSupport,
                "2006-07-11",
                Some("office-xp-system")
            ),
            (MilestoneKind::EndOfSupport, "2020-04", None),
            (
                MilestoneKind::EndOfSupport,
                "2021-01-12",
                Some("contoso-ata")
            ),
            (
                MilestoneKind::EndOfSupport,
                "2021-04-02",
                Some("internet-explorer-11")
            ),
            (MilestoneKind::StopsWorking, "2022-03-01", None),
            (
                MilestoneKind::Retirement,
                "2022-04",
                Some("basic-authentication")
            ),
            (MilestoneKind::StopsWorking, "2023-04", None),
            (
                MilestoneKind::EndOfSupport,
                "2027-10-01",
                Some("fabrikam-helper")
            ),
        ]
        .map(|(kind, date, product)| (kind, date.to_string(), product.map(str::to_string)))
    );
}

/// A date-shaped API version is no cutoff date ("New accounts created with the 2020-05-01 (or
/// later) API cannot use V2 APIs"); a need to support a protocol version is a requirement; a
/// conjunction opening a sentence is no part of the product's name.
#[test]
fn api_versions_protocol_needs_and_opening_conjunctions() {
    let text = "---\ntitle: Contoso Media migration\nms.date: 01/01/2024\n---\n\n\
                > New accounts created with the 2020-05-01 (or later) API cannot use V2 APIs.\n\n\
                Encoders must support TLS 1.2 when using HTTPS.\n\n\
                Although Contoso Media Services is being retired on June 30th, 2024, the timeline holds.\n";
    assert_eq!(
        requirements_in("media.md", text),
        owned(&[("tls", "1.2", "", "", 8)])
    );
    assert_eq!(
        cutoffs_in("media.md", text),
        [(
            MilestoneKind::Retirement,
            "2024-06-30".to_string(),
            Some("contoso-media-services".to_string())
        )]
    );
}

/// Needs and non-needs met on the eleventh set: availability ("only enabled on"), defaults,
/// a version in a time clause, a row of amounts, a header naming whose versions a column
/// holds, a package column, enforcement, release contents and section numbers.
#[test]
fn enforcement_defaults_time_clauses_and_columns() {
    assert_eq!(
        requirements_in(
            "aks.md",
            "---\ntitle: Contoso cluster OS versions\nms.date: 01/01/2026\n---\n\n\
             The protocol is only enabled on Kubernetes clusters version 1.32 or higher.\n\n\
             - Default for Windows in Kubernetes version 1.36 and later.\n\
             - You need to update your OS SKU before upgrading your Kubernetes version to 1.39+.\n\n\
             | OS type | OS SKU | Supported Kubernetes versions |\n\
             |--|--|--|\n\
             | Windows | Windows2025 | 1.32 and above |\n\n\
             | Setting | Minimum | Recommended |\n\
             |--|--|--|\n\
             | Worker node count | 1 | 2+ |\n\n\
             | Language | Package | Minimum version |\n\
             |--|--|--|\n\
             | Go | azidentity | v1.14.0 or later |\n\
             | Java | azure-identity | v1.19.0-beta.2 or later |\n\n\
             Contoso Vault enforces TLS 1.2 or higher.\n\n\
             We enforce the use of TLS 1.3 in this release.\n\n\
             The server enforces the minimum TLS version specified by section 9.2 of RFC 7540.\n",
        ),
        owned(&[
            ("kubernetes", "1.32", "", "", 13),
            ("azidentity", "1.14.0", "", "", 21),
            ("azure-identity", "1.19.0-beta.2", "", "", 22),
            ("tls", "1.2", "", "", 24),
        ])
    );
}

/// Who stops supporting something is not what loses support (nor who will support it until a
/// date); a status tag or a "now" under a dated heading is no cutoff of that date.
#[test]
fn no_longer_supports_and_tags_under_dated_headings() {
    assert_eq!(
        cutoffs_in(
            "notes.md",
            "---\ntitle: Contoso Kubernetes notes\nms.date: 01/01/2026\n---\n\n\
             Starting on March 17, 2027, AKS no longer supports Ubuntu 20.04.\n\n\
             Microsoft will fully support existing customers until July 31, 2028.\n\n\
             ## 2016\n\n\
             - Managed storage account keys (deprecated). This feature is now deprecated.\n",
        ),
        [
            (
                MilestoneKind::EndOfSupport,
                "2027-03-17".to_string(),
                Some("ubuntu-2004".to_string())
            ),
            (MilestoneKind::EndOfSupport, "2028-07-31".to_string(), None),
        ]
    );
}

/// An end of sales stops buying; "have until D to" gives the reader until D to act.
#[test]
fn ending_sales_and_having_until_a_date() {
    assert_eq!(
        cutoffs_in(
            "sales.md",
            "---\ntitle: Contoso Chat changes\nms.date: 01/01/2024\n---\n\n\
             Effective July 1, 2020, Microsoft is ending sales of the Contoso Pro standalone service.\n\n\
             Existing customers have until September 30, 2024 to download their floor plans.\n",
        ),
        [
            (
                MilestoneKind::StopsWorking,
                "2020-07-01".to_string(),
                Some("contoso-pro".to_string())
            ),
            (MilestoneKind::Deadline, "2024-09-30".to_string(), None),
        ]
    );
}

/// A step's items are named by the product the step names ("a valid WinAppSDK minimum
/// version"), never by the step's whole sentence; a step that names none leaves its items'
/// values unowned.
#[test]
fn items_under_a_step_take_the_product_it_names() {
    assert_eq!(
        requirements_in(
            "step.md",
            "---\ntitle: Contoso troubleshooting\nms.date: 01/01/2026\n---\n\n\
             1. Verify that your app is using a valid WinAppSDK minimum version.\n   \
             - Stable: 1.8.3\n\n\
             2. Verify the Windows version and edition. Run the following command to retrieve the version and edition information:\n\n   \
             - `ImageVersion : 10.0.19044.2905` _or later_\n",
        ),
        owned(&[("winappsdk", "1.8.3", "", "", 7)])
    );
}

/// A lifecycle row named only by a release ("21H2") is the title's product's release; the
/// release date column is no cutoff.
#[test]
fn a_release_only_row_is_the_titles_product() {
    assert_eq!(
        cutoffs_in(
            "lifecycle.md",
            "---\ntitle: Contoso OS lifecycle\nms.date: 01/01/2024\n---\n\n\
             | Release | Availability date | End of servicing |\n\
             |--|--|--|\n\
             | 21H2 | 2021-11-16 | 2023-06-13 |\n",
        ),
        [(
            MilestoneKind::EndOfSupport,
            "2023-06-13".to_string(),
            Some("contoso-os".to_string())
        )]
    );
}

/// "Windows 10 Version 1709": "10" ends the name; a build in parentheses after a named
/// release is that release's product's ("Windows 10"), so alternatives never become one
/// product's floor of 11 or 22000.
#[test]
fn builds_after_named_releases_keep_their_product() {
    assert_eq!(
        requirements_in(
            "plugin.md",
            "---\ntitle: Contoso plugin\nms.date: 01/01/2026\n---\n\n\
             ## Minimum system requirements\n\n\
             * Windows 10 Version 1709, 64-bit (Build 16299 or higher) or Windows 11 Version 21H2, 64-bit (Build 22000 or higher)\n",
        ),
        owned(&[
            ("windows-10", "1709", "", "", 8),
            ("windows-10", "16299", "", "", 8),
            ("windows-11", "21H2", "", "", 8),
            ("windows-11", "22000", "", "", 8),
        ])
    );
}

/// A table under a lead-in that says what stops on D and to upgrade is due the day before.
#[test]
fn a_table_is_due_before_what_its_lead_in_says_stops() {
    assert_eq!(
        requirements_in(
            "sdks.md",
            "---\ntitle: Contoso Vault SDKs\nms.date: 01/01/2026\n---\n\n\
             SDKs that use older API versions will stop working when those API versions retire on February 27, 2027. Upgrade to the following SDK versions or later:\n\n\
             | Language | Package | Version |\n\
             |--|--|--|\n\
             | .NET | Contoso.Vault | 1.4.0 |\n",
        ),
        owned(&[("contosovault", "1.4.0", "", "2027-02-26", 10)])
    );
}

/// "a kernel version of 5.10.43.3": a noun that no product in the text names is no product,
/// and never the title's.
#[test]
fn a_version_of_an_unnamed_noun_is_not_the_titles() {
    assert_eq!(
        requirements_in(
            "plugin.md",
            "---\ntitle: Contoso Plugin\nms.date: 01/01/2026\n---\n\n\
             For these features, you need a kernel version of 5.10.43.3 or higher.\n",
        ),
        owned(&[])
    );
}

/// A table of names and values written without a header: its first row is a fact too.
#[test]
fn a_headerless_table_of_values_reads_its_first_row() {
    assert_eq!(
        requirements_in(
            "helper.md",
            "---\ntitle: Contoso toolkit helper\nms.date: 01/01/2026\n---\n\n\
             ## Requirements\n\n\
             | Device family | Universal, 10.0.15063.0 or higher |\n\
             | --- | --- |\n\
             | Namespace | Contoso.Toolkit.Services |\n",
        ),
        owned(&[("universal", "10.0.15063.0", "", "", 8)])
    );
}

/// Met on the twentieth set: a "Support removed" column dates ends of support (a "Version
/// 2107" cell is a release, no year); names joined by a slash ("iOS/iPadOS") are one name.
#[test]
fn support_removed_columns_and_slash_joined_names() {
    assert_eq!(
        cutoffs_in(
            "removed.md",
            "---\ntitle: Removed Contoso Manager features\nms.date: 01/01/2024\n---\n\n\
             |Feature|Deprecation first announced|Support&nbsp;removed|\n\
             |---|---|---|\n\
             | Contoso Publisher | October 2023 | Jan 31, 2024 |\n\
             | Contoso Hub | October 2022 | The first release after March 1, 2023 |\n\
             | Contoso Gateway classic | September 2021 | Version 2107 |\n",
        )
        .into_iter()
        .map(|(kind, date, _)| (kind, date))
        .collect::<Vec<_>>(),
        [
            (MilestoneKind::EndOfSupport, "2023-03-01".to_string()),
            (MilestoneKind::EndOfSupport, "2024-01-31".to_string()),
        ]
    );
    assert_eq!(
        requirements_in(
            "devices.md",
            "---\ntitle: Contoso Manage supported devices\nms.date: 01/01/2024\n---\n\n\
             - Supported:\n  - iOS/iPadOS 16.x and later\n  - macOS 13.x and later\n",
        ),
        owned(&[
            ("iosipados", "16.*", "", "", 7),
            ("macos", "13.*", "", "", 8)
        ])
    );
}

/// Met on the twenty-first set: a column of minimum versions is never the column that names
/// the rows (though "application" names things), and the product it holds the versions of
/// may come before the word "Minimum".
#[test]
fn a_minimum_column_names_its_product_before_minimum() {
    assert_eq!(
        requirements_in(
            "rooms.md",
            "---\ntitle: Contoso Rooms lifecycle support\nms.date: 01/01/2024\n---\n\n\
             | Version | Availability date | Contoso Rooms Minimum application version | Recommended OS build |\n\
             |:--|:--|:--|:--|\n\
             | 23H2 | 2023-10-31 | 5.1.24.0 | 22631.2428 |\n\
             | 22H2 | 2022-10-18 | 4.16.134.0 | 22621.525 |\n\
             | 21H2 | 2021-11-16 | &#x2014; | &#x2014; |\n",
        ),
        owned(&[
            ("contoso-rooms", "5.1.24.0", "", "", 8),
            ("contoso-rooms", "4.16.134.0", "", "", 9),
        ])
    );
}

/// "No longer allowed" ends what it names, and "Q3 CY21" is a quarter of 2021.
#[test]
fn no_longer_allowed_in_a_calendar_quarter() {
    assert_eq!(
        cutoffs_in(
            "stream.md",
            "---\ntitle: Contoso Stream changes\nms.date: 01/01/2021\n---\n\n\
             In Q3 CY21, uploads to Contoso Stream will no longer be allowed.\n",
        ),
        [(
            MilestoneKind::StopsWorking,
            "2021-Q3".to_string(),
            Some("contoso-stream".to_string())
        )]
    );
}

/// Met on the twenty-third set: a floor on one edition ("Windows 10 Enterprise edition,
/// version 1809 or higher") is the product's, not the edition's.
#[test]
fn an_edition_s_floor_is_the_product_s() {
    assert_eq!(
        requirements_in(
            "guard.md",
            "---\ntitle: Contoso Guard requirements\nms.date: 01/01/2024\n---\n\n\
             | Software | Description |\n|---|---|\n\
             | Operating system | Windows 10 Enterprise edition, version 1809 or higher <br/> Windows 10 Education edition, version 1809 or higher |\n",
        ),
        owned(&[("windows-10", "1809", "", "", 8)])
    );
}

/// A sentence's first word is capitalised by grammar: "Eligible" is no part of a name.
#[test]
fn a_describing_first_word_is_no_name() {
    let found = requirements_in(
        "eligible.md",
        "---\ntitle: Contoso upgrade requirements\nms.date: 01/01/2024\n---\n\n\
         Eligible Contoso devices must be on version 2004 or later to upgrade directly.\n",
    );
    assert_eq!(found, owned(&[("contoso-devices", "2004", "", "", 6)]));
}

/// Met on the twenty-third set: in a column of minimums, "Windows 10 1511" is one value, a
/// release of Windows 10 (not Windows 10 or later of "Windows"), even under a header that
/// names only "Windows".
#[test]
fn a_name_ending_in_a_number_then_its_release_in_a_minimum_column() {
    assert_eq!(
        requirements_in(
            "delivery.md",
            "---\ntitle: What is Contoso Delivery\nms.date: 01/01/2024\n---\n\n\
             | Device type | Minimum Windows version |\n|---|---|\n\
             | Computers running Windows 10 | Windows 10 1511 |\n\
             | Windows IoT devices | Windows 10 1803 |\n",
        ),
        owned(&[
            ("windows-10", "1511", "", "", 8),
            ("windows-10", "1803", "", "", 9),
        ])
    );
}
