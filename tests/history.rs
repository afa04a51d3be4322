//! Revisions from git history: small repositories made with the `git` command in a temporary
//! folder, built as a user would, and the change log, the pages, the feed and `check
//! --as-of` read back. Skipped, with a message, where `git` is not installed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use bulletin::diagnostic::Code;
use bulletin::policy::feed::{Feed, RevisionStatus};
use bulletin::policy::{self, Query, QueryError, Verdict};
use bulletin::reconcile::OrderBasis;
use bulletin::site::{Incremental, rebuild};
use bulletin::{BuildOptions, BuildReport, build};
use common::{copy_tree, page, sample_site, tree, with_code};

/// The seeds' fixture folder.
fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/labelled/seeds/content/docs/identity/hybrid/connect")
}

fn seed(name: &str) -> String {
    std::fs::read_to_string(seeds().join(name)).expect("seed")
}

/// The AD FS and PingFederate notice before its deadline was extended: April 7, 2025, and
/// one minimum for every cloud.
fn adfs_before_extension() -> String {
    seed("harden-update-ad-fs-pingfederate.md")
        .replace("April 30, 2025", "April 7, 2025")
        .replace("2.4.21.0", "2.4.18.0")
        .lines()
        .filter(|l| !l.contains("The deadline has been extended"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// A site root that is a git repository.
struct Repo {
    dir: tempfile::TempDir,
}

/// Whether `git` runs here; the tests that need it say so and pass when it does not.
fn git_installed() -> bool {
    let found = Command::new("git").arg("--version").output().is_ok();
    if !found {
        eprintln!("skipped: git is not installed, so there is no history to read");
    }
    found
}

impl Repo {
    /// An empty repository with the sample site's catalog (not committed: settings are read
    /// from the working tree).
    fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        repo.git(&["init", "-q"]);
        std::fs::create_dir_all(repo.root().join("content")).expect("content");
        std::fs::copy(
            sample_site().join("content/_products.yaml"),
            repo.root().join("content/_products.yaml"),
        )
        .expect("catalog");
        repo
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Runs git in the repository, isolated from this machine's settings.
    fn git(&self, args: &[&str]) -> String {
        git_in(self.root(), args, "2024-01-01T00:00:00Z")
    }

    /// Writes `content/<path>`.
    fn write(&self, path: &str, text: &str) {
        let file = self.root().join("content").join(path);
        std::fs::create_dir_all(file.parent().expect("folder")).expect("folder");
        std::fs::write(file, text).expect("write");
    }

    /// Commits everything at `time` (RFC 3339); returns the commit id.
    fn commit(&self, time: &str, message: &str) -> String {
        git_in(self.root(), &["add", "-A"], time);
        git_in(self.root(), &["commit", "-q", "-m", message], time);
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }
}

fn git_in(dir: &Path, args: &[&str], time: &str) -> String {
    let output = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", time)
        .env("GIT_COMMITTER_DATE", time)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Builds `root` with history into a fresh folder.
fn build_with_history(root: &Path) -> (BuildReport, tempfile::TempDir) {
    let out = tempfile::tempdir().expect("temp dir");
    let report = build(&options(root, &out.path().join("public"), true));
    assert!(report.written, "{:#?}", report.diagnostics);
    (report, out)
}

fn options(root: &Path, output: &Path, history: bool) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        today: Some(jiff::civil::date(2025, 5, 1)),
        history,
        ..Default::default()
    }
}

fn feed(out: &tempfile::TempDir) -> Feed {
    serde_json::from_str(&page(out, "policy.json")).expect("the feed parses")
}

fn advisory<'a>(feed: &'a Feed, id: &str) -> &'a policy::feed::FeedAdvisory {
    feed.advisories
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("no advisory {id}"))
}

/// Each history entry as (commit, date, [(field, from, to)]).
type Entry = (
    Option<String>,
    Option<String>,
    Vec<(String, String, String)>,
);

fn entries(advisory: &policy::feed::FeedAdvisory) -> Vec<Entry> {
    advisory
        .history
        .iter()
        .map(|h| {
            (
                h.commit.clone(),
                h.date.clone(),
                h.changes
                    .iter()
                    .map(|c| {
                        (
                            c.field.clone(),
                            c.from.clone().unwrap_or_default(),
                            c.to.clone().unwrap_or_default(),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

fn change(field: &str, from: &str, to: &str) -> (String, String, String) {
    (field.to_string(), from.to_string(), to.to_string())
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

/// `check` of `product` at `version` on `on`, as the notices stood on `as_of`.
fn check(
    feed: &Feed,
    product: &str,
    version: &str,
    cloud: Option<&str>,
    on: &str,
    as_of: Option<&str>,
) -> Result<Verdict, QueryError> {
    policy::check(
        feed,
        &Query {
            product: product.to_string(),
            version: version.to_string(),
            cloud: cloud.map(str::to_string),
            on: on.parse().expect("date"),
            as_of: as_of.map(|d| d.parse().expect("date")),
        },
    )
    .map(|answer| answer.verdict)
}

/// The minimum version (or placeholder) a verdict asks for, and the commit that stated it.
fn asks(verdict: &Verdict) -> Option<(&str, Option<&str>)> {
    match verdict {
        Verdict::Compliant => None,
        Verdict::UpgradeDue {
            minimum_version,
            stated_in,
            ..
        }
        | Verdict::NonCompliant {
            minimum_version,
            stated_in,
            ..
        } => Some((
            minimum_version.as_str(),
            stated_in.as_ref().map(|c| c.commit.as_str()),
        )),
        Verdict::Undetermined {
            placeholder,
            stated_in,
            ..
        } => Some((
            placeholder.as_str(),
            stated_in.as_ref().map(|c| c.commit.as_str()),
        )),
    }
}

#[test]
fn seed_001_then_seed_000_at_one_path_are_two_revisions_in_commit_order() {
    if !git_installed() {
        return;
    }
    let repo = Repo::new();
    let path = "connect/security-updates-pks.md";
    repo.write(path, &seed("revisions/001/security-updates-pks.md"));
    let first = repo.commit("2024-08-01T10:00:00Z", "draft");
    repo.write(path, &seed("security-updates-pks.md"));
    let second = repo.commit("2024-09-01T10:00:00Z", "final");
    // Wording and frontmatter only: a revision that changes no fact.
    repo.write(
        path,
        &seed("security-updates-pks.md")
            .replace("description: This article", "description: The article")
            .replace("we **strongly recommend**", "we **recommend**"),
    );
    let wording = repo.commit("2024-09-05T10:00:00Z", "wording");

    let (report, out) = build_with_history(repo.root());
    assert!(with_code(&report, Code::HistoryUnavailable).is_empty());
    assert!(with_code(&report, Code::ShallowHistory).is_empty());
    let feed = feed(&out);
    assert_eq!(
        feed.history_head.as_ref().map(|h| h.date.as_str()),
        Some("2024-09-05T10:00:00Z")
    );
    let pks = advisory(&feed, "security-updates-pks");
    assert_eq!(pks.revisions.len(), 1, "one file");
    assert_eq!(pks.first_published.as_deref(), Some("2024-08-01T10:00:00Z"));
    assert_eq!(pks.last_changed.as_deref(), Some("2024-09-01T10:00:00Z"));
    assert_eq!(pks.unchanged_revisions, Some(1));
    let history = entries(pks);
    assert_eq!(history.len(), 2, "{history:#?}");
    assert_eq!(history[0].0.as_deref(), Some(first.as_str()));
    assert_eq!(history[1].0.as_deref(), Some(second.as_str()));
    assert_eq!(history[1].1.as_deref(), Some("2024-09-01T10:00:00Z"));
    for expected in [
        change(
            "requirement entra-connect-health-adds-agent: minimum_version",
            "",
            "X (placeholder)",
        ),
        change("requirement entra-connect-sync: deadline", "", "2024-09-16"),
        change("deadline", "", "2024-09-16"),
    ] {
        assert!(history[0].2.contains(&expected), "{expected:?}");
    }
    for expected in [
        change(
            "requirement entra-connect-health-adds-agent: minimum_version",
            "X (placeholder)",
            "4.5.2487.0",
        ),
        change(
            "requirement entra-connect-health-sync-agent: minimum_version",
            "2.3.2.0",
            "4.5.2487.0",
        ),
        change(
            "requirement entra-connect-sync: deadline",
            "2024-09-16",
            "2024-09-23",
        ),
        change("deadline", "2024-09-16", "2024-09-23"),
        change("stops-working", "", "2024-09-23"),
    ] {
        assert!(history[1].2.contains(&expected), "{expected:?}");
    }
    assert!(
        history[1].2.iter().any(|c| c.0 == "title"),
        "auto-upgrade became autoupgrade"
    );
    assert!(
        !history[1]
            .2
            .iter()
            .any(|c| c.0 == "requirement entra-connect-sync: minimum_version"),
        "2.3.2.0 stayed"
    );

    // What stands says since when; what it replaced points at the commit that replaced it.
    let sync = pks
        .requirements
        .iter()
        .filter(|r| r.product == "entra-connect-sync")
        .map(|r| {
            (
                r.deadline
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                r.stated_in.as_ref().map(|c| c.commit.clone()),
                r.superseded_by.as_ref().and_then(|s| s.commit.clone()),
            )
        })
        .collect::<Vec<_>>();
    assert_eq!(
        sync,
        [
            ("2024-09-23".to_string(), Some(second.clone()), None),
            (
                "2024-09-16".to_string(),
                Some(first.clone()),
                Some(second.clone())
            ),
        ]
    );

    // The page lists what changed, in words, and counts the rest.
    let html = page(&out, "advisories/security-updates-pks/index.html");
    let changes = &html[html
        .find("id=\"changes-title\"")
        .expect("a Changes section")..];
    assert!(changes.contains("deadline moved from 2024-09-16 to 2024-09-23"));
    assert!(changes.contains(
        "minimum for Microsoft Entra Connect Health AD DS agent set to 4.5.2487.0 (it was the placeholder “X”)"
    ));
    assert!(changes.contains("1 other revision changed no fact"));
    let position = |id: &str| changes.find(&id[..7]).expect("each commit is listed");
    assert!(position(&second) < position(&first), "newest first");
    assert!(
        !changes.contains(&wording[..7]),
        "a revision that changed nothing"
    );
    // Each revision that changed a fact can be read as it was.
    let old = page(
        &out,
        &format!("advisories/security-updates-pks/revisions/{first}/index.html"),
    );
    assert!(old.contains("September 16, 2024"));
    assert!(old.contains("This is a superseded revision"));
    let revisions = out
        .path()
        .join("public/advisories/security-updates-pks/revisions");
    assert!(revisions.join(&second).join("index.html").is_file());
    assert!(!revisions.join(&wording).exists());
    let atom = page(&out, "atom.xml");
    assert!(atom.contains(&format!(
        "urn:bulletin:advisories:advisories:security-updates-pks:revisions:{second}"
    )));
    assert!(atom.contains(&format!(
        "urn:bulletin:advisories:advisories:security-updates-pks:revisions:{first}"
    )));
    // The calendar's deadline event moved once.
    let ics = page(&out, "advisories/security-updates-pks/deadlines.ics");
    let event = ics
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("UID:deadline-1."))
        .expect("the deadline's event");
    assert!(event.contains("SEQUENCE:1"), "{event}");
    assert!(event.contains("DTSTART;VALUE=DATE:20240923"), "{event}");
    assert!(
        !ics.contains("DTSTART;VALUE=DATE:20240916"),
        "the date it moved from is the same event, not a cancelled one"
    );

    // What were we told, and when: the health sync agent's minimum before and after.
    let product = "entra-connect-health-sync-agent";
    let verdict = |on: &str, as_of: Option<&str>| {
        check(&feed, product, "2.3.2.0", None, on, as_of).expect("an answer")
    };
    assert_eq!(
        verdict("2024-07-15", Some("2024-07-15")),
        Verdict::Compliant
    );
    assert_eq!(
        verdict("2024-09-10", Some("2024-08-15")),
        Verdict::Compliant
    );
    let told = verdict("2024-09-10", Some("2024-09-02"));
    assert!(matches!(told, Verdict::UpgradeDue { .. }), "{told:?}");
    assert_eq!(asks(&told), Some(("4.5.2487.0", Some(second.as_str()))));
    let late = check(
        &feed,
        product,
        "2.0.0.0",
        None,
        "2024-09-20",
        Some("2024-08-20"),
    )
    .expect("an answer");
    assert!(matches!(late, Verdict::NonCompliant { .. }), "{late:?}");
    assert_eq!(asks(&late), Some(("2.3.2.0", Some(first.as_str()))));
}

#[test]
fn a_renamed_notice_keeps_its_history_under_its_old_name() {
    if !git_installed() {
        return;
    }
    let repo = Repo::new();
    repo.write(
        "connect/pks-draft.md",
        &seed("revisions/001/security-updates-pks.md"),
    );
    let first = repo.commit("2024-08-01T10:00:00Z", "draft");
    repo.git(&[
        "mv",
        "content/connect/pks-draft.md",
        "content/connect/security-updates-pks.md",
    ]);
    repo.commit("2024-08-10T10:00:00Z", "rename");
    repo.write(
        "connect/security-updates-pks.md",
        &seed("security-updates-pks.md"),
    );
    let third = repo.commit("2024-09-01T10:00:00Z", "final");

    let (_, out) = build_with_history(repo.root());
    let feed = feed(&out);
    let pks = advisory(&feed, "security-updates-pks");
    assert_eq!(pks.first_published.as_deref(), Some("2024-08-01T10:00:00Z"));
    assert_eq!(
        pks.unchanged_revisions,
        Some(1),
        "the rename changed no fact"
    );
    let files: Vec<(&str, &str)> = pks
        .history
        .iter()
        .map(|h| (h.commit.as_deref().unwrap_or_default(), h.file.as_str()))
        .collect();
    assert_eq!(
        files,
        [
            (first.as_str(), "connect/pks-draft.md"),
            (third.as_str(), "connect/security-updates-pks.md")
        ]
    );
    let old = page(
        &out,
        &format!("advisories/security-updates-pks/revisions/{first}/index.html"),
    );
    assert!(old.contains("content/connect/pks-draft.md"));
}

#[test]
fn a_revert_that_restores_an_old_deadline_is_a_change_back() {
    if !git_installed() {
        return;
    }
    let repo = Repo::new();
    let path = "connect/harden-update-ad-fs-pingfederate.md";
    repo.write(path, &adfs_before_extension());
    let first = repo.commit("2025-03-01T10:00:00Z", "announce");
    repo.write(path, &seed("harden-update-ad-fs-pingfederate.md"));
    let extended = repo.commit("2025-04-01T10:00:00Z", "extend");
    git_in(
        repo.root(),
        &["revert", "--no-edit", "HEAD"],
        "2025-04-15T10:00:00Z",
    );
    let reverted = repo.git(&["rev-parse", "HEAD"]).trim().to_string();

    let (_, out) = build_with_history(repo.root());
    // The history fields are in the published schemas, for the site's feed and a product's.
    validate(
        &page(&out, "policy.schema.json"),
        &page(&out, "policy.json"),
    );
    validate(
        &page(&out, "products/policy.schema.json"),
        &page(&out, "products/entra-connect-sync/policy.json"),
    );
    let feed = feed(&out);
    let adfs = advisory(&feed, "harden-update-ad-fs-pingfederate");
    let history = entries(adfs);
    let commits: Vec<&str> = history.iter().filter_map(|h| h.0.as_deref()).collect();
    assert_eq!(commits, [&first, &extended, &reverted]);
    let noncommercial = "requirement entra-connect-sync (noncommercial): minimum_version";
    assert!(
        history[1]
            .2
            .contains(&change(noncommercial, "2.4.18.0", "2.4.21.0"))
    );
    assert!(
        history[1]
            .2
            .contains(&change("deadline", "2025-04-07", "2025-04-30"))
    );
    assert!(
        history[2]
            .2
            .contains(&change(noncommercial, "2.4.21.0", "2.4.18.0"))
    );
    assert!(
        history[2]
            .2
            .contains(&change("deadline", "2025-04-30", "2025-04-07"))
    );
    let html = page(
        &out,
        "advisories/harden-update-ad-fs-pingfederate/index.html",
    );
    for words in [
        "deadline moved from 2025-04-07 to 2025-04-30",
        "minimum for Microsoft Entra Connect Sync in the noncommercial cloud raised from 2.4.18.0 to 2.4.21.0",
        "deadline moved back from 2025-04-30 to 2025-04-07",
        "minimum for Microsoft Entra Connect Sync in the noncommercial cloud lowered from 2.4.21.0 to 2.4.18.0",
    ] {
        assert!(html.contains(words), "{words}");
    }

    // The April 7 deadline stood twice; what the notices said depends on the day asked.
    let sync = |as_of: &str| {
        check(
            &feed,
            "entra-connect-sync",
            "2.4.19.0",
            Some("noncommercial"),
            "2025-04-20",
            Some(as_of),
        )
        .expect("an answer")
    };
    assert_eq!(sync("2025-03-15"), Verdict::Compliant);
    let extended_told = sync("2025-04-10");
    assert!(
        matches!(extended_told, Verdict::UpgradeDue { .. }),
        "{extended_told:?}"
    );
    assert_eq!(
        asks(&extended_told),
        Some(("2.4.21.0", Some(extended.as_str())))
    );
    assert_eq!(sync("2025-04-16"), Verdict::Compliant);
    // A product's own feed carries the same history and gives the same answers.
    let product_feed = bulletin::policy::fetch::fetch(
        out.path()
            .join("public/products/entra-connect-sync/policy.json")
            .to_str()
            .expect("a path"),
        1 << 30,
    )
    .expect("the product feed reads");
    let from_product = check(
        &product_feed,
        "entra-connect-sync",
        "2.4.19.0",
        Some("noncommercial"),
        "2025-04-20",
        Some("2025-04-10"),
    )
    .expect("an answer");
    assert_eq!(from_product, extended_told);
    // Without --as-of, the notice as it stands.
    let commercial_now = check(
        &feed,
        "entra-connect-sync",
        "2.4.17.0",
        Some("commercial"),
        "2025-04-20",
        None,
    )
    .expect("an answer");
    assert!(matches!(
        commercial_now,
        Verdict::NonCompliant { ref deadline, .. } if deadline.as_deref() == Some("2025-04-07")
    ));
}

#[test]
fn an_uncommitted_edit_is_the_current_revision_but_never_what_was_said() {
    if !git_installed() {
        return;
    }
    let repo = Repo::new();
    let path = "connect/harden-update-ad-fs-pingfederate.md";
    repo.write(path, &adfs_before_extension());
    let first = repo.commit("2025-03-01T10:00:00Z", "announce");
    repo.write(path, &seed("harden-update-ad-fs-pingfederate.md"));

    let (_, out) = build_with_history(repo.root());
    let feed = feed(&out);
    let adfs = advisory(&feed, "harden-update-ad-fs-pingfederate");
    assert_eq!(adfs.history.len(), 2);
    assert_eq!(adfs.history[0].commit.as_deref(), Some(first.as_str()));
    assert_eq!(adfs.history[1].commit, None, "uncommitted");
    assert_eq!(adfs.history[1].date, None);
    assert_eq!(adfs.last_changed.as_deref(), Some("2025-03-01T10:00:00Z"));
    let standing = adfs
        .requirements
        .iter()
        .find(|r| r.superseded_by.is_none() && r.clouds == ["noncommercial"])
        .expect("the noncommercial minimum");
    assert_eq!(standing.minimum_version.as_deref(), Some("2.4.21.0"));
    assert_eq!(standing.stated_in, None, "not committed");
    let html = page(
        &out,
        "advisories/harden-update-ad-fs-pingfederate/index.html",
    );
    assert!(html.contains("uncommitted"));
    let revisions = out
        .path()
        .join("public/advisories/harden-update-ad-fs-pingfederate/revisions");
    let pages: Vec<String> = std::fs::read_dir(&revisions)
        .expect("revision pages")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        pages,
        std::slice::from_ref(&first),
        "uncommitted text is the advisory's page"
    );

    let noncommercial = |as_of: Option<&str>| {
        check(
            &feed,
            "entra-connect-sync",
            "2.4.19.0",
            Some("noncommercial"),
            "2025-04-20",
            as_of,
        )
        .expect("an answer")
    };
    assert!(matches!(noncommercial(None), Verdict::UpgradeDue { .. }));
    assert_eq!(noncommercial(Some("2025-04-20")), Verdict::Compliant);
}

#[test]
fn separate_files_of_one_advisory_interleave_by_their_commits() {
    if !git_installed() {
        return;
    }
    let repo = Repo::new();
    let with_id = |text: String| text.replacen("---\n", "---\nid: pks\n", 1);
    repo.write(
        "archive/pks-2024-08.md",
        &with_id(seed("revisions/001/security-updates-pks.md")),
    );
    let first = repo.commit("2024-08-01T10:00:00Z", "draft");
    repo.write(
        "connect/security-updates-pks.md",
        &with_id(seed("security-updates-pks.md")),
    );
    let second = repo.commit("2024-09-01T10:00:00Z", "final");
    repo.write(
        "archive/pks-2024-08.md",
        &with_id(seed("revisions/001/security-updates-pks.md"))
            .replace("description: This article", "description: The article"),
    );
    repo.commit("2024-09-03T10:00:00Z", "archive wording");

    let (_, out) = build_with_history(repo.root());
    let feed = feed(&out);
    let pks = advisory(&feed, "pks");
    assert_eq!(pks.revisions.len(), 2, "two files");
    let history: Vec<(Option<&str>, &str)> = pks
        .history
        .iter()
        .map(|h| (h.commit.as_deref(), h.file.as_str()))
        .collect();
    assert_eq!(
        history,
        [
            (Some(first.as_str()), "archive/pks-2024-08.md"),
            (Some(second.as_str()), "connect/security-updates-pks.md"),
        ]
    );
    assert_eq!(pks.unchanged_revisions, Some(1), "the archive's wording");
    assert!(
        pks.history[1]
            .changes
            .iter()
            .any(|c| c.field == "deadline" && c.to.as_deref() == Some("2024-09-23"))
    );
}

#[test]
fn commits_settle_revisions_nothing_in_the_files_orders() {
    if !git_installed() {
        return;
    }
    let repo = Repo::new();
    let tie = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/revisions-tie/content");
    repo.write(
        "b.md",
        &std::fs::read_to_string(tie.join("b.md")).expect("b"),
    );
    repo.commit("2025-05-01T10:00:00Z", "b");
    repo.write(
        "a.md",
        &std::fs::read_to_string(tie.join("a.md")).expect("a"),
    );
    repo.commit("2025-05-02T10:00:00Z", "a");

    let (report, out) = build_with_history(repo.root());
    assert!(with_code(&report, Code::UndecidedRevisions).is_empty());
    let feed = feed(&out);
    let advisory = &feed.advisories[0];
    assert_eq!(advisory.order_basis, OrderBasis::Committed);
    let current: Vec<&str> = advisory
        .revisions
        .iter()
        .filter(|r| r.status == RevisionStatus::Current)
        .map(|r| r.file.as_str())
        .collect();
    assert_eq!(current, ["a.md"], "a.md was committed last");

    let (plain, _) = {
        let out = tempfile::tempdir().expect("temp dir");
        (
            build(&options(repo.root(), &out.path().join("public"), false)),
            out,
        )
    };
    assert_eq!(with_code(&plain, Code::UndecidedRevisions).len(), 1);
}

#[test]
fn a_shallow_clone_is_reported_once_and_builds_with_what_it_has() {
    if !git_installed() {
        return;
    }
    let repo = Repo::new();
    let path = "connect/security-updates-pks.md";
    repo.write(path, &seed("revisions/001/security-updates-pks.md"));
    repo.commit("2024-08-01T10:00:00Z", "draft");
    repo.write(path, &seed("security-updates-pks.md"));
    let head = repo.commit("2024-09-01T10:00:00Z", "final");
    let clone = tempfile::tempdir().expect("temp dir");
    let url = format!("file://{}", repo.root().display());
    git_in(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "site"],
        "2024-09-02T00:00:00Z",
    );
    let site = clone.path().join("site");

    let (report, out) = build_with_history(&site);
    let shallow = with_code(&report, Code::ShallowHistory);
    assert_eq!(shallow.len(), 1, "{:#?}", report.diagnostics);
    assert!(
        shallow[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("fetch-depth: 0"))
    );
    let feed = feed(&out);
    assert_eq!(
        feed.history_since.as_ref().map(|c| c.commit.as_str()),
        Some(head.as_str())
    );
    let pks = advisory(&feed, "security-updates-pks");
    assert_eq!(pks.history.len(), 1, "only what the clone has");
    assert_eq!(pks.first_published.as_deref(), Some("2024-09-01T10:00:00Z"));
    let before = check(
        &feed,
        "entra-connect-sync",
        "2.0.0.0",
        None,
        "2024-09-20",
        Some("2024-08-15"),
    );
    assert!(
        matches!(before, Err(QueryError::BeforeHistory { .. })),
        "{before:?}"
    );
}

#[test]
fn outside_a_repository_the_build_says_so_once_and_goes_on() {
    let site = tempfile::tempdir().expect("temp dir");
    copy_tree(&sample_site().join("content"), &site.path().join("content"));
    // The temporary folder may itself lie in a repository, where the notices are simply
    // not committed yet.
    let in_repository = Command::new("git")
        .current_dir(site.path())
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .is_ok_and(|o| o.status.success());
    let (report, out) = build_with_history(site.path());
    assert_eq!(
        with_code(&report, Code::HistoryUnavailable).len(),
        usize::from(!in_repository),
        "{:#?}",
        report.diagnostics
    );
    let feed = feed(&out);
    assert!(feed.history_head.is_none());
    let error = check(
        &feed,
        "entra-connect-sync",
        "2.0.0.0",
        None,
        "2025-01-01",
        Some("2025-01-01"),
    );
    assert!(matches!(error, Err(QueryError::NoHistory(_))), "{error:?}");
}

#[test]
fn without_history_the_output_is_the_files_alone() {
    if !git_installed() {
        return;
    }
    let repo = Repo::new();
    copy_tree(&sample_site().join("content"), &repo.root().join("content"));
    repo.commit("2025-01-01T10:00:00Z", "sample");
    repo.write(
        "connect/security-updates-pks.md",
        &seed("security-updates-pks.md"),
    );
    repo.commit("2025-02-01T10:00:00Z", "edit");

    let built = |root: &Path, history: bool| {
        let out = tempfile::tempdir().expect("temp dir");
        let report = build(&options(root, &out.path().join("public"), history));
        assert!(report.written, "{:#?}", report.diagnostics);
        (report, tree(&out.path().join("public")))
    };
    let (report, flag_off) = built(repo.root(), false);
    assert!(with_code(&report, Code::HistoryUnavailable).is_empty());
    std::fs::write(repo.root().join("bulletin.yaml"), "history: off\n").expect("settings");
    let (_, setting_off) = built(repo.root(), true);
    // The same files outside any repository.
    let plain = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo.root().join("content"), &plain.path().join("content"));
    let (_, no_repository) = built(plain.path(), false);
    assert!(
        flag_off == setting_off,
        "--no-history and `history: off` agree"
    );
    assert!(
        flag_off == no_repository,
        "nothing from git without history"
    );
    let feed = String::from_utf8_lossy(&flag_off["policy.json"]).into_owned();
    for key in [
        "history_head",
        "first_published",
        "last_changed",
        "\"history\"",
        "stated_in",
        "unchanged_revisions",
        "later-commit",
    ] {
        assert!(!feed.contains(key), "{key} without history");
    }
    let commit_page = |path: &String| {
        path.split('/')
            .any(|part| part.len() == 40 && part.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    assert!(!flag_off.keys().any(commit_page), "no page per commit");
    std::fs::remove_file(repo.root().join("bulletin.yaml")).expect("settings");
    let (_, with_history) = built(repo.root(), true);
    assert!(with_history.keys().any(commit_page), "history adds pages");
}

#[test]
fn builds_with_history_are_reproducible_and_rebuilds_match_them() {
    if !git_installed() {
        return;
    }
    let repo = Repo::new();
    let path = "connect/harden-update-ad-fs-pingfederate.md";
    repo.write(path, &adfs_before_extension());
    repo.commit("2025-03-01T10:00:00Z", "announce");
    repo.write(path, &seed("harden-update-ad-fs-pingfederate.md"));
    repo.commit("2025-04-01T10:00:00Z", "extend");
    repo.write(
        "connect/security-updates-pks.md",
        &seed("security-updates-pks.md"),
    );
    repo.commit("2025-04-02T10:00:00Z", "pks");

    let (_, a) = build_with_history(repo.root());
    // What the first build read of the past is kept in the git folder; the second reads it.
    let kept: Vec<PathBuf> = std::fs::read_dir(repo.root().join(".git/bulletin"))
        .expect("a cache folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let (_, b) = build_with_history(repo.root());
    assert!(
        tree(a.path()) == tree(b.path()),
        "same repository, same bytes"
    );
    // A damaged cache is not trusted.
    std::fs::write(&kept[0], "{\"made_by\": 7").expect("damage");
    let (_, c) = build_with_history(repo.root());
    assert!(tree(a.path()) == tree(c.path()));

    // `serve` keeps what it read of the past between rebuilds; each rebuild is a whole build.
    let served = tempfile::tempdir().expect("temp dir");
    let output = served.path().join("public");
    let mut state = Incremental::default();
    let matches_whole_build = |state: &mut Incremental| {
        let report = rebuild(&options(repo.root(), &output, true), state);
        assert!(report.written, "{:#?}", report.diagnostics);
        let (_, whole) = build_with_history(repo.root());
        assert!(tree(&output) == tree(&whole.path().join("public")));
    };
    matches_whole_build(&mut state);
    repo.write(path, &adfs_before_extension());
    matches_whole_build(&mut state);
    repo.commit("2025-04-15T10:00:00Z", "revert by hand");
    matches_whole_build(&mut state);
}
