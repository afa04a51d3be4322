//! What the command line is given, at its worst. `build` and `serve` never destroy what
//! bulletin did not make: outputs that are, hold or lie inside the site's own files, files,
//! links and folders bulletin did not make are refused (exit 2, one line naming the path and
//! why) and left byte for byte as they were; one output has one writer at a time. `check`
//! never answers what it cannot know (unknown clouds, unreadable requirements) and reads
//! only bounded, regular input. `serve` bounds what clients can make it hold, survives
//! running out of descriptors, and writes what `build` writes.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::tree;

/// A site root (one notice, settings, a theme folder) in a temporary folder, at `<tmp>/site`.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        for (path, text) in [
            (
                "content/notice.md",
                "---\ntitle: A notice\nms.date: 01/02/2024\n---\n\n# A notice\n\nText.\n",
            ),
            ("bulletin.yaml", "title: Safety\n"),
            ("themes/mine/templates/index.html", "{{ page }}"),
        ] {
            let file = root.join(path);
            std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
            std::fs::write(file, text).expect("write");
        }
        Site { dir }
    }

    fn tmp(&self) -> &Path {
        self.dir.path()
    }

    fn root(&self) -> PathBuf {
        self.tmp().join("site")
    }

    /// Every file under the temporary folder, the site included.
    fn everything(&self) -> BTreeMap<String, Vec<u8>> {
        tree(self.tmp())
    }
}

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Builds `site` into `output` (as given, relative to `dir`), expects a refusal whose one
/// line contains `why` and names the output, and checks that no file changed.
fn assert_build_refused(site: &Site, dir: &Path, root: &str, output: &str, why: &str) {
    let before = site.everything();
    let result = run(&["build", "--root", root, "--output", output], dir);
    let message = stderr(&result);
    assert_eq!(result.status.code(), Some(2), "{output}: {message}");
    assert_eq!(message.lines().count(), 1, "one line: {message}");
    assert!(
        message.contains("B0903 output-refused")
            && message.contains(&format!("refusing to write the site to {output}: "))
            && message.contains(why),
        "{output}: {message}"
    );
    assert!(site.everything() == before, "{output}: files changed");
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

#[test]
fn the_content_folder_and_anything_inside_it_are_refused() {
    let site = Site::new();
    let root = site.root();
    let content = root.join("content");
    assert_build_refused(
        &site,
        site.tmp(),
        path(&root),
        path(&content),
        "it is the content folder",
    );
    assert_build_refused(
        &site,
        site.tmp(),
        path(&root),
        path(&content.join("out")),
        "it lies inside the content folder",
    );
    assert!(!content.join("out").exists());
}

#[test]
fn the_root_its_ancestors_settings_and_themes_are_refused() {
    let site = Site::new();
    let root = site.root();
    let cases = [
        (root.clone(), "it is the site root"),
        (site.tmp().to_path_buf(), "it holds the site root"),
        (PathBuf::from("/"), "it holds the site root"),
        (root.join("bulletin.yaml"), "it is the settings file"),
        (root.join("themes"), "it is the themes folder"),
        (
            root.join("themes/mine/static"),
            "it lies inside the themes folder",
        ),
    ];
    for (output, why) in cases {
        assert_build_refused(&site, site.tmp(), path(&root), path(&output), why);
    }
}

#[test]
fn relative_paths_dot_dot_and_a_linked_root_do_not_hide_the_content() {
    let site = Site::new();
    let root = site.root();
    assert_build_refused(
        &site,
        &root,
        ".",
        "public/../content",
        "it is the content folder",
    );
    assert_build_refused(
        &site,
        &root.join("content"),
        "..",
        ".",
        "it is the content folder",
    );
    assert_build_refused(&site, &root, ".", "..", "it holds the site root");
    std::os::unix::fs::symlink(&root, site.tmp().join("alias")).expect("symlink");
    assert_build_refused(
        &site,
        site.tmp(),
        "alias",
        path(&root.join("content")),
        "it is the content folder",
    );
    assert_build_refused(
        &site,
        site.tmp(),
        path(&root),
        "alias/content/new",
        "it lies inside the content folder",
    );
}

#[test]
fn a_file_a_link_and_a_folder_bulletin_did_not_make_are_refused() {
    let site = Site::new();
    let root = site.root();
    let file = site.tmp().join("report.txt");
    std::fs::write(&file, "keep me").expect("write");
    assert_build_refused(&site, site.tmp(), path(&root), path(&file), "it is a file");

    let mine = site.tmp().join("mine");
    std::fs::create_dir_all(mine.join("deep")).expect("mkdir");
    std::fs::write(mine.join("deep/notes.txt"), "keep me").expect("write");
    assert_build_refused(
        &site,
        site.tmp(),
        path(&root),
        path(&mine),
        "it is a folder that bulletin did not make",
    );

    let link = site.tmp().join("link");
    std::os::unix::fs::symlink(&mine, &link).expect("symlink");
    assert_build_refused(
        &site,
        site.tmp(),
        path(&root),
        path(&link),
        "it is a symbolic link",
    );
    assert!(link.symlink_metadata().expect("link").is_symlink());
}

#[test]
fn serve_refuses_what_build_refuses() {
    let site = Site::new();
    let root = site.root();
    let before = site.everything();
    let result = run(
        &[
            "serve",
            "--port",
            "0",
            "--root",
            path(&root),
            "--output",
            path(&root.join("content")),
        ],
        site.tmp(),
    );
    let message = stderr(&result);
    assert_eq!(result.status.code(), Some(2), "{message}");
    assert!(message.contains("it is the content folder"), "{message}");
    assert!(site.everything() == before, "files changed");
}

#[test]
fn empty_folders_and_previous_builds_are_replaced() {
    let site = Site::new();
    let root = site.root();
    let out = site.tmp().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    let build = || {
        run(
            &["build", "--root", path(&root), "--output", path(&out)],
            site.tmp(),
        )
    };
    let first = build();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let marker = std::fs::read_to_string(out.join(".bulletin-output")).expect("marker");
    assert!(marker.starts_with("bulletin-output 1\n"), "{marker}");
    let built = tree(&out);
    let again = build();
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(
        tree(&out) == built,
        "a rebuild of the same input is identical"
    );

    // A site from a bulletin before the marker (which wrote its feed indented) is recognised
    // by its feed, and gets one.
    std::fs::remove_file(out.join(".bulletin-output")).expect("rm");
    let feed = std::fs::read_to_string(out.join("policy.json")).expect("feed");
    let indented = feed.replacen("{\"schema_version\":", "{\n  \"schema_version\": ", 1);
    assert_ne!(feed, indented, "{feed}");
    std::fs::write(out.join("policy.json"), indented).expect("write");
    std::fs::write(out.join("stale.html"), "old page").expect("write");
    let legacy = build();
    assert_eq!(legacy.status.code(), Some(0), "{}", stderr(&legacy));
    assert!(tree(&out) == built, "the old site was replaced whole");

    // The default output, `<root>/public`, works the same way.
    let default = run(&["build", "--root", path(&root)], site.tmp());
    assert_eq!(default.status.code(), Some(0), "{}", stderr(&default));
    assert!(root.join("public/.bulletin-output").is_file());
}

/// A feed with one product, required at 2.4.18.0 by 2025-04-30 in the commercial cloud and
/// at 2.4.21.0 in the others, as `bulletin build` writes it; `edit` changes the second
/// requirement.
fn feed(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let requirement = |version: &str, cloud: &str, line: u32| {
        serde_json::json!({
            "product": "entra-connect-sync", "minimum_version": version,
            "deadline": "2025-04-30", "clouds": [cloud], "advisory": "harden",
            "text": "", "source": {"file": "harden.md", "line": line}
        })
    };
    let mut second = requirement("2.4.21.0", "noncommercial", 9);
    edit(&mut second);
    let feed = serde_json::json!({
        "schema_version": "1.0.0", "generated_at": "2025-04-09T00:00:00Z",
        "products": [
            {"id": "entra-connect-sync", "name": "Microsoft Entra Connect Sync",
             "aliases": ["Azure AD Connect Sync"], "in_catalog": true, "url": "/",
             "requirements": [requirement("2.4.18.0", "commercial", 8), second]},
            {"id": "entra-connect-health", "name": "Microsoft Entra Connect Health",
             "aliases": [], "in_catalog": true, "url": "/", "requirements": []},
            {"id": "exchange-server", "name": "Exchange Server",
             "aliases": [], "in_catalog": true, "url": "/", "requirements": []}
        ],
        "advisories": []
    });
    let file = dir.join("policy.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&feed).expect("JSON")).expect("write");
    file.to_str().expect("UTF-8").to_string()
}

/// Runs `bulletin check` on `feed` for 2.4.17.0 on 2025-05-01 with `extra` arguments.
fn check(feed: &str, product: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "check",
        "--feed",
        feed,
        "--product",
        product,
        "--version",
        "2.4.17.0",
        "--on",
        "2025-05-01",
    ];
    args.extend_from_slice(extra);
    let output = run(&args, Path::new("."));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr(&output),
    )
}

#[test]
fn check_refuses_a_cloud_the_feed_does_not_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let feed = feed(dir.path(), |_| {});
    let (code, stdout, _) = check(&feed, "entra-connect-sync", &["--cloud", "Commercial"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.starts_with("non-compliant:"), "{stdout}");
    for cloud in ["comercial", ""] {
        let (code, stdout, message) = check(&feed, "entra-connect-sync", &["--cloud", cloud]);
        assert_eq!(code, 2, "{cloud:?}: {stdout}");
        assert!(stdout.is_empty(), "no answer: {stdout}");
        assert_eq!(
            message.trim(),
            format!(
                "error: no cloud `{cloud}` in the feed; entra-connect-sync has: commercial, noncommercial"
            )
        );
    }
    // A product without cloud-specific requirements names the feed's clouds.
    let (code, _, message) = check(&feed, "exchange-server", &["--cloud", "comercial"]);
    assert_eq!(code, 2);
    assert!(
        message.contains("the feed's clouds are commercial, noncommercial"),
        "{message}"
    );
}

#[test]
fn check_refuses_a_feed_it_cannot_read_for_the_product() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases: [(&str, serde_json::Value, &str); 3] = [
        (
            "minimum_version",
            "2.4.x".into(),
            "the minimum_version `2.4.x`, which is not a version",
        ),
        (
            "deadline",
            "soon".into(),
            "the deadline `soon`, which is not a date",
        ),
        (
            "minimum_version",
            serde_json::Value::Null,
            "neither a minimum_version nor a placeholder",
        ),
    ];
    for (field, value, why) in cases {
        let feed = feed(dir.path(), |r| {
            if value.is_null() {
                r.as_object_mut().expect("object").remove(field);
            } else {
                r[field] = value.clone();
            }
        });
        // The damaged requirement is for another cloud: it would not decide the answer, and
        // still no answer is given.
        let (code, stdout, message) =
            check(&feed, "entra-connect-sync", &["--cloud", "commercial"]);
        assert_eq!(code, 2, "{field}: {stdout}");
        assert!(
            message.contains(why)
                && message.contains("advisory harden (harden.md:9)")
                && message.lines().count() == 1,
            "{field}: {message}"
        );
    }
    // Superseded requirements never count, so they need not be readable.
    let feed = feed(dir.path(), |r| {
        r["deadline"] = "soon".into();
        r["superseded_by"] = serde_json::json!({"reason": "later-revision", "file": "b.md"});
    });
    let (code, stdout, _) = check(&feed, "entra-connect-sync", &["--cloud", "commercial"]);
    assert_eq!(code, 1, "{stdout}");
}

#[test]
fn a_misspelt_product_suggests_the_closest_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let feed = feed(dir.path(), |_| {});
    let (code, _, message) = check(&feed, "Entra Conect Sync", &[]);
    assert_eq!(code, 2);
    assert!(
        message.contains("no product `Entra Conect Sync` in the feed; did you mean `entra-connect-sync` (Microsoft Entra Connect Sync)"),
        "{message}"
    );
    assert!(!message.contains("exchange-server"), "{message}");
    let (code, _, message) = check(&feed, "Contoso Widget", &[]);
    assert_eq!(code, 2);
    assert!(
        message.contains("none of its 3 products has a similar id, name or alias"),
        "{message}"
    );
}

/// Runs `bulletin check` with `args` and `stdin`, and kills it should it hang: a hang is
/// the failure this guards against, and must not stall the suite.
fn check_exits_by_itself(args: &[&str], stdin: &[u8]) -> (Option<i32>, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("output");
    let _ = writer.join();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr(&output),
    )
}

#[test]
fn check_reads_only_regular_files_or_standard_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let question = ["--product", "entra-connect-sync", "--version", "2.4.17.0"];
    for source in ["/dev/zero", path(&fifo), path(dir.path())] {
        let mut args = vec!["check", "--feed", source];
        args.extend_from_slice(&question);
        let (code, _, message) = check_exits_by_itself(&args, b"");
        assert_eq!(code, Some(2), "{source}: {message}");
        assert!(
            message.contains("it is not a regular file"),
            "{source}: {message}"
        );
    }

    let feed = std::fs::read(feed(dir.path(), |_| {})).expect("feed");
    let mut args = vec!["check", "--feed", "-", "--on", "2025-05-01"];
    args.extend_from_slice(&question);
    let (code, stdout, message) = check_exits_by_itself(&args, &feed);
    assert_eq!(code, Some(1), "{message}");
    assert!(stdout.starts_with("non-compliant:"), "{stdout}");
}

#[test]
fn check_reads_feeds_up_to_a_size_that_can_be_raised() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = feed(dir.path(), |_| {});
    // Valid JSON of 2 MiB: the feed and trailing blanks.
    let mut bytes = std::fs::read(&file).expect("feed");
    bytes.resize(2 << 20, b' ');
    std::fs::write(&file, &bytes).expect("write");
    let question = [
        "--product",
        "entra-connect-sync",
        "--version",
        "2.4.17.0",
        "--on",
        "2025-05-01",
    ];
    for source in [file.as_str(), "-"] {
        let mut args = vec!["check", "--feed", source, "--max-feed-mib", "1"];
        args.extend_from_slice(&question);
        let (code, stdout, message) = check_exits_by_itself(&args, &bytes);
        assert_eq!(code, Some(2), "{source}: {stdout}");
        assert_eq!(
            message.trim(),
            format!(
                "error: the feed {source} is larger than 1 MiB; allow more with --max-feed-mib"
            )
        );
        args[4] = "3";
        let (code, stdout, message) = check_exits_by_itself(&args, &bytes);
        assert_eq!(code, Some(1), "{source}: {message}");
        assert!(stdout.starts_with("non-compliant:"), "{stdout}");
    }
}

#[test]
fn check_caps_a_feed_fetched_over_http_the_same_way() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accept");
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request);
        let body = vec![b' '; 2 << 20];
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&body);
    });
    let url = format!("http://{address}/policy.json");
    let (code, _, message) = check_exits_by_itself(
        &[
            "check",
            "--feed",
            &url,
            "--max-feed-mib",
            "1",
            "--product",
            "x",
            "--version",
            "1",
        ],
        b"",
    );
    assert_eq!(code, Some(2), "{message}");
    assert!(
        message.contains("is larger than 1 MiB; allow more with --max-feed-mib"),
        "{message}"
    );
    server.join().expect("server");
}

#[test]
fn builds_of_one_output_at_once_never_break_each_other() {
    let site = Site::new();
    let root = site.root();
    let out = site.tmp().join("out");
    let reference = site.tmp().join("reference");
    let args = |output: &Path| {
        vec![
            "build".to_string(),
            "--root".to_string(),
            path(&root).to_string(),
            "--output".to_string(),
            path(output).to_string(),
        ]
    };
    let alone = run(
        &args(&reference)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        site.tmp(),
    );
    assert_eq!(alone.status.code(), Some(0), "{}", stderr(&alone));
    let builds: Vec<std::process::Child> = (0..8)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_bulletin"))
                .args(args(&out))
                .env("SOURCE_DATE_EPOCH", "1700000000")
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("starts")
        })
        .collect();
    let mut built = 0;
    for child in builds {
        let output = child.wait_with_output().expect("waits");
        let message = stderr(&output);
        match output.status.code() {
            Some(0) => built += 1,
            Some(2) => assert!(
                message.contains("B0904 output-in-use")
                    && message.contains("another bulletin is writing"),
                "{message}"
            ),
            other => panic!("exit {other:?}: {message}"),
        }
    }
    assert!(built >= 1, "at least one build ran");
    assert!(
        tree(&out) == tree(&reference),
        "the output is one whole build"
    );
    let mut beside: Vec<String> = std::fs::read_dir(site.tmp())
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["out", "reference", "site"], "nothing left beside");
}

#[test]
fn a_build_is_refused_while_serve_writes_the_same_output() {
    use std::io::BufRead;
    let site = Site::new();
    let root = site.root();
    let out = site.tmp().join("out");
    let mut serve = Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args([
            "serve",
            "--port",
            "0",
            "--root",
            path(&root),
            "--output",
            path(&out),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("starts");
    let mut line = String::new();
    std::io::BufReader::new(serve.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("a line");
    assert!(line.starts_with("serving"), "{line}");
    let served = tree(&out);
    let build = run(
        &["build", "--root", path(&root), "--output", path(&out)],
        site.tmp(),
    );
    let _ = serve.kill();
    let _ = serve.wait();
    let message = stderr(&build);
    assert_eq!(build.status.code(), Some(2), "{message}");
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("another bulletin is writing"), "{message}");
    assert!(tree(&out) == served, "serve's output untouched");
}

/// Every file and folder under `dir` with its permission bits.
fn modes(dir: &Path) -> BTreeMap<String, u32> {
    use std::os::unix::fs::MetadataExt;
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
fn serve_writes_what_build_writes_source_date_epoch_included() {
    use std::io::BufRead;
    let site = Site::new();
    let root = site.root();
    std::fs::write(
        root.join("content/deadline.md"),
        "---\ntitle: Upgrade\nms.date: 01/02/2024\n---\n\n# Upgrade\n\n- Contoso Agent: version 2.0 or higher by March 1, 2025.\n",
    )
    .expect("write");
    let (served, built) = (site.tmp().join("served"), site.tmp().join("built"));
    let same_as_build = |when: &str| {
        let build = run(
            &["build", "--root", path(&root), "--output", path(&built)],
            site.tmp(),
        );
        assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
        assert!(
            tree(&served) == tree(&built),
            "{when}: serve and build differ"
        );
        assert_eq!(modes(&served), modes(&built), "{when}: modes differ");
    };
    let mut serve = Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args([
            "serve",
            "--port",
            "0",
            "--root",
            path(&root),
            "--output",
            path(&served),
        ])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    let mut stdout = std::io::BufReader::new(serve.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("a line");
    assert!(line.starts_with("serving"), "{line}");
    let feed = std::fs::read_to_string(served.join("policy.json")).expect("feed");
    assert!(
        feed.contains("\"generated_at\":\"2023-11-14T22:13:20Z\""),
        "{feed}"
    );
    same_as_build("first build");

    std::fs::write(
        root.join("content/notice.md"),
        "---\ntitle: A notice\nms.date: 01/02/2024\n---\n\n# A notice\n\nOther text.\n",
    )
    .expect("edit");
    let mut errors = std::io::BufReader::new(serve.stderr.take().expect("stderr"));
    let mut log = String::new();
    while !log.contains("rebuilt in") {
        let mut line = String::new();
        if errors.read_line(&mut line).expect("stderr") == 0 {
            panic!("serve ended: {log}");
        }
        log.push_str(&line);
    }
    let _ = serve.kill();
    let _ = serve.wait();
    assert!(
        std::fs::read_to_string(served.join("advisories/notice/index.html"))
            .expect("page")
            .contains("Other text."),
        "{log}"
    );
    same_as_build("after a rebuild");
}

/// A `bulletin serve` of `root` (run through `sh -c` with `limits` first, e.g. `ulimit -n
/// 64`), killed when dropped.
struct Serving {
    child: std::process::Child,
    address: String,
}

impl Serving {
    fn start(root: &Path, output: &Path, limits: &str) -> Serving {
        use std::io::BufRead;
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!("{limits}\nexec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_bulletin"))
            .args([
                "serve",
                "--port",
                "0",
                "--root",
                path(root),
                "--output",
                path(output),
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("starts");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("a line");
        let address = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Serving { child, address }
    }

    /// Sends `head` (and nothing else) on a new connection; the status and the whole
    /// response.
    fn send(&self, head: &[u8]) -> (u16, String) {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.address).expect("connects");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(60)))
            .expect("timeout");
        // The server may answer and close before reading all of a huge head.
        let _ = stream.write_all(head);
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let response = String::from_utf8_lossy(&response).into_owned();
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, response)
    }

    fn get(&self, path: &str) -> u16 {
        let head = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        self.send(head.as_bytes()).0
    }

    fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("wait").is_none()
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_answers_only_get_and_head_and_bounds_what_it_reads() {
    let site = Site::new();
    let served = Serving::start(&site.root(), &site.tmp().join("out"), "");
    for method in ["POST", "DELETE", "PUT", "OPTIONS"] {
        let head = format!(
            "{method} / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        let (status, response) = served.send(head.as_bytes());
        assert_eq!(status, 405, "{method}: {response}");
        assert!(
            response.to_ascii_lowercase().contains("allow: get, head"),
            "{response}"
        );
    }
    let (status, response) =
        served.send(b"HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 200);
    assert!(response.ends_with("\r\n\r\n"), "no body: {response}");

    let long_url = format!(
        "GET /{} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "a".repeat(10_000)
    );
    assert_eq!(served.send(long_url.as_bytes()).0, 414);
    // Far more header than the server reads: it answers without taking it all in.
    let mut huge = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ".to_vec();
    huge.resize(huge.len() + (4 << 20), b'a');
    huge.extend_from_slice(b"\r\n\r\n");
    assert_eq!(served.send(&huge).0, 431);
    assert_eq!(served.get("/"), 200, "still serving");
}

#[test]
fn serve_survives_running_out_of_file_descriptors() {
    let site = Site::new();
    let mut served = Serving::start(&site.root(), &site.tmp().join("out"), "ulimit -n 64");
    let idle: Vec<std::net::TcpStream> = (0..150)
        .map(|_| std::net::TcpStream::connect(&served.address).expect("connects"))
        .collect();
    // Past the limit, connections wait in the backlog while the server cannot accept them.
    assert!(served.is_running());
    drop(idle);
    assert_eq!(
        served.get("/"),
        200,
        "accepting again once descriptors are free"
    );
    assert!(served.is_running());
}

#[test]
fn serve_closes_idle_connections() {
    use std::io::Read;
    let site = Site::new();
    let options = bulletin::serve::ServeOptions {
        root: site.root(),
        output: site.tmp().join("out"),
        port: 0,
        today: None,
        source_date_epoch: None,
        idle_timeout: std::time::Duration::from_millis(500),
        history: false,
    };
    let (running, first) = bulletin::serve::start(&options).expect("starts");
    let running = std::sync::Arc::new(running);
    let server = {
        let running = std::sync::Arc::clone(&running);
        std::thread::spawn(move || bulletin::serve::run(&running, &options, &first, |_, _| {}))
    };
    let mut idle = std::net::TcpStream::connect(running.address).expect("connects");
    idle.set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .expect("timeout");
    let mut buf = [0u8; 64];
    let read = idle
        .read(&mut buf)
        .expect("the server closes it, before the guard's minute");
    assert_eq!(read, 0, "closed without an answer");
    running.stop();
    server.join().expect("joins").expect("stopped cleanly");
}
