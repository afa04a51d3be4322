//! `bulletin serve`: build, serve on loopback, rebuild on change, reload the browser.
//!
//! Pages are served from the output folder exactly as built, except that HTML responses get
//! one extra script, `/__bulletin/live.js`, which listens on a server-sent event stream: a
//! `reload` event after each successful rebuild, an `failed` event with the diagnostics
//! when a rebuild fails (shown as an overlay instead of the server dying).

use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};
use tiny_http::{Header, Request, Response, Server};

use crate::config::CONFIG_FILE;
use crate::diagnostic::Severity;
use crate::model::CONTENT_DIR;
use crate::report::{self, Format};
use crate::site::{self, BuildOptions, BuildReport, Incremental};

/// The script every served HTML page loads.
const LIVE_JS: &str = include_str!("serve/live.js");
/// Where the browser finds it and the event stream.
const LIVE_PATH: &str = "/__bulletin/live.js";
const EVENTS_PATH: &str = "/__bulletin/events";

/// What to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root.
    pub root: PathBuf,
    /// Where the site is built.
    pub output: PathBuf,
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// "Today" for the pages.
    pub today: Option<jiff::civil::Date>,
    /// `SOURCE_DATE_EPOCH`, as for a build, so the served site is the one a build makes.
    pub source_date_epoch: Option<i64>,
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The port could not be bound.
    #[error("cannot listen on 127.0.0.1:{0}: {1}")]
    Bind(u16, String),
    /// The output is not a folder a build may replace; nothing was written.
    #[error("{0}")]
    Refused(String),
    /// The folders could not be watched.
    #[error("cannot watch the site for changes: {0}")]
    Watch(String),
}

/// The live-reload clients and the last build's state.
#[derive(Default)]
struct Clients {
    senders: Vec<Sender<String>>,
    /// The last failed build's report, shown to every new page until a build succeeds.
    failure: Option<String>,
}

impl Clients {
    fn broadcast(&mut self, event: &str, data: &str) {
        let message = sse(event, data);
        self.senders.retain(|s| s.send(message.clone()).is_ok());
    }
}

/// One server-sent event. It always has a `data:` line: browsers drop events without one.
fn sse(event: &str, data: &str) -> String {
    let mut lines: Vec<&str> = data.lines().collect();
    if lines.is_empty() {
        lines.push("");
    }
    let data: String = lines.iter().map(|l| format!("data: {l}\n")).collect();
    format!("event: {event}\n{data}\n")
}

/// A running server.
pub struct Running {
    server: Arc<Server>,
    /// The address it listens on.
    pub address: std::net::SocketAddr,
    stop: Arc<AtomicBool>,
    /// What the next rebuild can reuse.
    state: Arc<Mutex<Incremental>>,
}

impl Running {
    /// Stops the server: `run` returns.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.server.unblock();
    }
}

/// Builds the site once and binds the server; `run` then serves until stopped.
pub fn start(options: &ServeOptions) -> Result<(Running, BuildReport), ServeError> {
    let mut state = Incremental::default();
    let report = rebuild(options, &mut state);
    if report.refused() {
        let why = report.diagnostics.iter().map(|d| d.message.as_str());
        return Err(ServeError::Refused(why.collect::<Vec<_>>().join("; ")));
    }
    let server = Server::http(("127.0.0.1", options.port))
        .map_err(|e| ServeError::Bind(options.port, e.to_string()))?;
    let address = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| ServeError::Bind(options.port, "not an IP address".to_string()))?;
    Ok((
        Running {
            server: Arc::new(server),
            address,
            stop: Arc::new(AtomicBool::new(false)),
            state: Arc::new(Mutex::new(state)),
        },
        report,
    ))
}

/// Serves requests and rebuilds on changes until [`Running::stop`] is called. `on_build` is
/// told of every rebuild.
pub fn run(
    running: &Running,
    options: &ServeOptions,
    first: &BuildReport,
    on_build: impl Fn(&BuildReport, Duration) + Send + 'static,
) -> Result<(), ServeError> {
    let clients = Arc::new(Mutex::new(Clients {
        senders: Vec::new(),
        failure: failure_text(first, &options.root),
    }));

    // Only changes count: the build itself reads every file, and reads must not trigger it.
    let (changes, changed) = mpsc::channel::<()>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && matches!(
                event.kind,
                EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
            )
        {
            let _ = changes.send(());
        }
    })
    .map_err(|e| ServeError::Watch(e.to_string()))?;
    for (path, mode) in [
        (options.root.join(CONTENT_DIR), RecursiveMode::Recursive),
        (options.root.join("themes"), RecursiveMode::Recursive),
        (options.root.join(CONFIG_FILE), RecursiveMode::NonRecursive),
    ] {
        if path.exists() {
            watcher
                .watch(&path, mode)
                .map_err(|e| ServeError::Watch(format!("{}: {e}", path.display())))?;
        }
    }

    let rebuilder = {
        let options = options.clone();
        let clients = Arc::clone(&clients);
        let stop = Arc::clone(&running.stop);
        let state = Arc::clone(&running.state);
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match changed.recv_timeout(Duration::from_millis(200)) {
                    Ok(()) => {
                        // An editor's save is several events; let them settle into one rebuild.
                        while changed.recv_timeout(Duration::from_millis(30)).is_ok() {}
                        let started = Instant::now();
                        let report = {
                            let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
                            rebuild(&options, &mut state)
                        };
                        on_build(&report, started.elapsed());
                        let mut clients = clients.lock().unwrap_or_else(|e| e.into_inner());
                        clients.failure = failure_text(&report, &options.root);
                        match clients.failure.clone() {
                            Some(text) => clients.broadcast("failed", &text),
                            None => clients.broadcast("reload", ""),
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            }
        })
    };

    for request in running.server.incoming_requests() {
        if running.stop.load(Ordering::SeqCst) {
            break;
        }
        let output = options.output.clone();
        let clients = Arc::clone(&clients);
        std::thread::spawn(move || respond(request, &output, &clients));
    }
    drop(watcher);
    let _ = rebuilder.join();
    Ok(())
}

/// Builds into the output folder with a local base URL, redoing only what changed since
/// the build that left `state`.
fn rebuild(options: &ServeOptions, state: &mut Incremental) -> BuildReport {
    site::rebuild(
        &BuildOptions {
            root: options.root.clone(),
            output: Some(options.output.clone()),
            base_url: Some("/".to_string()),
            today: options.today,
            source_date_epoch: options.source_date_epoch,
            ..BuildOptions::default()
        },
        state,
    )
}

/// The text of a failed build's report, for the overlay; `None` when it succeeded.
fn failure_text(report: &BuildReport, root: &Path) -> Option<String> {
    if report.written {
        return None;
    }
    let mut text: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity() == Severity::Error)
        .map(|d| report::format(d, Format::Human, root))
        .collect();
    if text.is_empty() {
        text.push("the build failed".to_string());
    }
    Some(text.join("\n"))
}

fn respond(request: Request, output: &Path, clients: &Mutex<Clients>) {
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/").to_string();
    let result = match path.as_str() {
        LIVE_PATH => request.respond(with_type(
            Response::from_string(LIVE_JS),
            "text/javascript; charset=utf-8",
        )),
        EVENTS_PATH => {
            let (sender, receiver) = mpsc::channel();
            {
                let mut clients = clients.lock().unwrap_or_else(|e| e.into_inner());
                let hello = match &clients.failure {
                    Some(text) => sse("failed", text),
                    None => sse("ready", ""),
                };
                let _ = sender.send(hello);
                clients.senders.push(sender);
            }
            stream_events(request, &receiver)
        }
        _ => match resolve(output, &path) {
            Some(file) => serve_file(request, &file, 200),
            None => match resolve(output, "/404.html") {
                Some(file) => serve_file(request, &file, 404),
                None => request.respond(Response::from_string("not found").with_status_code(404)),
            },
        },
    };
    // A client that went away is not an error worth reporting.
    drop(result);
}

fn serve_file(request: Request, file: &Path, status: u16) -> io::Result<()> {
    let Ok(bytes) = std::fs::read(file) else {
        return request.respond(Response::from_string("not found").with_status_code(404));
    };
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    let bytes = if mime.essence_str() == "text/html" {
        inject_live_reload(bytes)
    } else {
        bytes
    };
    let mut content_type = mime.essence_str().to_string();
    if mime.type_() == "text"
        || mime.essence_str() == "application/javascript"
        || mime.essence_str() == "application/json"
    {
        content_type.push_str("; charset=utf-8");
    }
    let response = Response::from_data(bytes).with_status_code(status);
    request.respond(
        with_type(response, &content_type).with_header(header("Cache-Control", "no-store")),
    )
}

fn inject_live_reload(html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_PATH}\" defer></script>");
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// A header from constant ASCII text, which tiny_http always accepts.
fn header(name: &'static str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("constant ASCII headers are valid")
}

fn with_type<R: Read>(response: Response<R>, content_type: &str) -> Response<R> {
    response.with_header(header("Content-Type", content_type))
}

/// Maps a URL path to a file inside `output`, or `None`. Percent-decoding happens first,
/// then any `..`, absolute or drive component is refused, and the final file must still be
/// inside `output` after following symbolic links, so nothing outside it is ever served.
pub fn resolve(output: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(url_path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let mut file = output.join(relative);
    if decoded.ends_with('/') || file.is_dir() {
        file.push("index.html");
    }
    let root = output.canonicalize().ok()?;
    let file = file.canonicalize().ok()?;
    (file.starts_with(&root) && file.is_file()).then_some(file)
}

/// Writes server-sent events from the channel to the client until either side goes away.
/// The stream is written by hand, flushed after each event: tiny_http's chunked bodies
/// buffer, which would hold events back. A comment every 15 seconds keeps it open.
fn stream_events(request: Request, receiver: &Receiver<String>) -> io::Result<()> {
    let mut writer = request.into_writer();
    writer.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
    )?;
    writer.flush()?;
    loop {
        let message = match receiver.recv_timeout(Duration::from_secs(15)) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        writer.write_all(message.as_bytes())?;
        writer.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_outside_the_output_folder_resolves() {
        let site = tempfile::tempdir().expect("temp dir");
        let output = site.path().join("public");
        std::fs::create_dir_all(output.join("advisories/a")).expect("mkdir");
        std::fs::write(output.join("index.html"), "home").expect("write");
        std::fs::write(output.join("advisories/a/index.html"), "a").expect("write");
        std::fs::write(site.path().join("secret.txt"), "secret").expect("write");
        #[cfg(unix)]
        std::os::unix::fs::symlink(site.path().join("secret.txt"), output.join("leak.txt"))
            .expect("symlink");

        let ok = |p: &str| {
            resolve(&output, p).map(|f| {
                f.strip_prefix(output.canonicalize().unwrap())
                    .unwrap()
                    .to_path_buf()
            })
        };
        assert_eq!(ok("/"), Some(PathBuf::from("index.html")));
        assert_eq!(
            ok("/advisories/a/"),
            Some(PathBuf::from("advisories/a/index.html"))
        );
        assert_eq!(
            ok("/advisories/a"),
            Some(PathBuf::from("advisories/a/index.html"))
        );
        for hostile in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/advisories/..%2f..%2fsecret.txt",
            "/..%5csecret.txt",
            "//etc/passwd",
            "/leak.txt",
            "/%00",
            "/missing.html",
        ] {
            assert_eq!(resolve(&output, hostile), None, "{hostile}");
        }
    }

    #[test]
    fn live_reload_goes_before_the_body_ends() {
        let html = inject_live_reload(b"<html><body><p>x</p></body></html>".to_vec());
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script src=\"/__bulletin/live.js\" defer></script></body></html>"
        );
    }
}
