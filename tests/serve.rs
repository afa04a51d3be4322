//! `bulletin serve` as an editor uses it: pages served from loopback, nothing outside the
//! output folder, an edited notice rebuilt and served, and Ctrl-C stopping it cleanly.

// Helpers are test code too: clippy.toml lets only #[test] functions unwrap.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `bulletin serve`, stopped with SIGINT when dropped.
struct Served {
    child: Child,
    address: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &std::path::Path) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bulletin"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("a line");
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Served { child, address }
}

/// A raw GET, so paths reach the server exactly as written.
fn get(address: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let source = common::fixture("links");
    for (path, bytes) in common::tree(&source) {
        let to = site.path().join(&path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, bytes).unwrap();
    }
    std::fs::write(site.path().join("secret.txt"), "do not serve").unwrap();
    site
}

#[test]
fn serves_pages_with_live_reload_and_nothing_outside_the_output() {
    let site = site();
    let served = serve(site.path());
    let (status, home) = get(&served.address, "/");
    assert_eq!(status, 200);
    assert!(home.contains("<script src=\"/__bulletin/live.js\" defer></script></body>"));
    assert_eq!(get(&served.address, "/advisories/target/").0, 200);
    assert_eq!(get(&served.address, "/__bulletin/live.js").0, 200);
    for hostile in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    ] {
        let (status, body) = get(&served.address, hostile);
        assert_eq!(status, 404, "{hostile}");
        assert!(
            !body.contains("do not serve") && !body.contains("root:"),
            "{hostile} leaked"
        );
    }
}

#[test]
fn an_edited_notice_is_rebuilt_served_and_announced() {
    let site = site();
    let served = serve(site.path());
    let mut events = TcpStream::connect(&served.address).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    write!(events, "GET /__bulletin/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 1024];
    while !seen.contains("event: ready\ndata:") {
        let n = events.read(&mut buf).expect("the stream says ready");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }

    let notice = site.path().join("content/b/target.md");
    let text = std::fs::read_to_string(&notice)
        .unwrap()
        .replace("Upgrade by", "Everyone must upgrade by");
    std::fs::write(&notice, text).unwrap();

    let deadline = Instant::now() + Duration::from_secs(20);
    while !seen.contains("event: reload\ndata:") {
        assert!(Instant::now() < deadline, "no reload event: {seen}");
        let n = events.read(&mut buf).expect("a reload event");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    let (_, page) = get(&served.address, "/advisories/target/");
    assert!(page.contains("Everyone must upgrade by"));
}

/// Reads server-sent events until `event` arrives (or the stream gives up).
fn wait_for(events: &mut TcpStream, seen: &mut String, event: &str) {
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + Duration::from_secs(20);
    while !seen.contains(event) {
        assert!(Instant::now() < deadline, "no {event}: {seen}");
        let n = events.read(&mut buf).expect("an event");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    seen.clear();
}

/// With git history, a commit changes the site though no file does: `serve` rebuilds.
#[test]
fn a_commit_is_rebuilt_and_served() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let site = site();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .current_dir(site.path())
            .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .stdout(Stdio::null())
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "content"]);
    git(&["commit", "-q", "-m", "first"]);
    let served = serve(site.path());
    let mut events = TcpStream::connect(&served.address).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    write!(events, "GET /__bulletin/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut seen = String::new();
    wait_for(&mut events, &mut seen, "event: ready\ndata:");

    let notice = site.path().join("content/b/target.md");
    let text = std::fs::read_to_string(&notice)
        .unwrap()
        .replace("April 30, 2025", "May 30, 2025");
    std::fs::write(&notice, text).unwrap();
    wait_for(&mut events, &mut seen, "event: reload\ndata:");
    let moved = "deadline moved from 2025-04-30 to 2025-05-30";
    let (_, page) = get(&served.address, "/advisories/target/");
    assert!(page.contains(&format!("uncommitted</a>\n      <ul><li>{moved}")));

    // Nothing under content/ changes: only the history does.
    git(&["commit", "-q", "-a", "-m", "second"]);
    wait_for(&mut events, &mut seen, "event: reload\ndata:");
    let (_, page) = get(&served.address, "/advisories/target/");
    assert!(!page.contains("uncommitted"), "the edit is a commit now");
    assert!(page.contains(moved));
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = site();
    let mut served = serve(site.path());
    assert_eq!(get(&served.address, "/").0, 200);
    let status = Command::new("kill")
        .args(["-INT", &served.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(exit) = served.child.try_wait().unwrap() {
            assert!(exit.success(), "{exit:?}");
            break;
        }
        assert!(Instant::now() < deadline, "still running after SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    }
}
