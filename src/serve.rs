//! `bulletin serve`: build, serve on loopback, rebuild on change, reload the browser.
//!
//! Pages are served from the output folder exactly as built, except that HTML responses get
//! one extra script, `/__bulletin/live.js`, which listens on a server-sent event stream: a
//! `reload` event after each successful rebuild, an `failed` event with the diagnostics
//! when a rebuild fails (shown as an overlay instead of the server dying).

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame, Incoming};
use hyper::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tokio::sync::{Notify, Semaphore, mpsc::UnboundedReceiver, mpsc::UnboundedSender};

use crate::config::CONFIG_FILE;
use crate::diagnostic::Severity;
use crate::model::CONTENT_DIR;
use crate::report::{self, Format};
use crate::site::{self, BuildOptions, BuildReport, Incremental};

/// How long file events must be quiet before they count as one change.
const SETTLE: Duration = Duration::from_millis(30);

/// The script every served HTML page loads.
const LIVE_JS: &str = include_str!("serve/live.js");
/// Where the browser finds it and the event stream.
const LIVE_PATH: &str = "/__bulletin/live.js";
const EVENTS_PATH: &str = "/__bulletin/events";

/// How many connections are served at once; more wait until one closes. Each open page
/// holds one for its event stream.
const MAX_CONNECTIONS: usize = 256;
/// The largest request line and headers read (431 beyond), so a client cannot make the
/// server hold more than this per connection.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The longest URL answered (414 beyond).
const MAX_URL_BYTES: usize = 8 * 1024;
/// How long a connection may take to send a request's headers, or stay idle between
/// requests, before it is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(15);
/// How often an idle event stream gets a comment, which keeps it open and finds clients
/// that went away.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How long to wait before accepting again after running out of file descriptors or memory.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

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
    /// See [`IDLE_TIMEOUT`].
    pub idle_timeout: Duration,
    /// Read revisions from git history, as [`BuildOptions::history`].
    pub history: bool,
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
    /// The server's threads could not start.
    #[error("cannot start the server: {0}")]
    Runtime(String),
    /// The listening socket failed for good.
    #[error("the server stopped accepting connections: {0}")]
    Accept(String),
}

/// The live-reload clients and the last build's state.
#[derive(Default)]
struct Clients {
    senders: Vec<UnboundedSender<String>>,
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
    listener: Mutex<Option<std::net::TcpListener>>,
    /// The address it listens on.
    pub address: SocketAddr,
    stop: Arc<AtomicBool>,
    shutdown: Arc<Notify>,
    /// What the next rebuild can reuse.
    state: Arc<Mutex<Incremental>>,
}

impl Running {
    /// Stops the server: `run` returns.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        // Kept until the accept loop next waits, should it not be waiting now.
        self.shutdown.notify_one();
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
    let bind_error = |e: io::Error| ServeError::Bind(options.port, e.to_string());
    let listener = std::net::TcpListener::bind(("127.0.0.1", options.port)).map_err(bind_error)?;
    let address = listener.local_addr().map_err(bind_error)?;
    listener.set_nonblocking(true).map_err(bind_error)?;
    Ok((
        Running {
            listener: Mutex::new(Some(listener)),
            address,
            stop: Arc::new(AtomicBool::new(false)),
            shutdown: Arc::new(Notify::new()),
            state: Arc::new(Mutex::new(state)),
        },
        report,
    ))
}

/// Serves requests and rebuilds on changes until [`Running::stop`] is called, or until the
/// server cannot accept connections any more (an error). `on_build` is told of every
/// rebuild.
pub fn run(
    running: &Running,
    options: &ServeOptions,
    first: &BuildReport,
    on_build: impl Fn(&BuildReport, Duration) + Send + 'static,
) -> Result<(), ServeError> {
    let listener = running
        .listener
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
        .ok_or_else(|| ServeError::Runtime("the server is already running".to_string()))?;
    let clients = Arc::new(Mutex::new(Clients {
        senders: Vec::new(),
        failure: failure_text(first, &options.root),
    }));

    let (changes, changed) = mpsc::channel::<()>();
    // An editor's save is several events: the debouncer lets them settle into one batch.
    let mut watcher = new_debouncer(SETTLE, None, move |result: DebounceEventResult| {
        // Only changes count: the build itself reads every file, and reads must not
        // trigger it.
        if let Ok(events) = result
            && events.iter().any(|event| {
                matches!(
                    event.kind,
                    EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                )
            })
        {
            let _ = changes.send(());
        }
    })
    .map_err(|e| ServeError::Watch(e.to_string()))?;
    // With history, a commit changes the site though no file in it changes.
    let head_log = options
        .history
        .then(|| options.root.join(CONTENT_DIR).canonicalize().ok())
        .flatten()
        .and_then(|content| crate::load::history::head_log(&content));
    for (path, mode) in [
        (options.root.join(CONTENT_DIR), RecursiveMode::Recursive),
        (options.root.join("themes"), RecursiveMode::Recursive),
        (options.root.join(CONFIG_FILE), RecursiveMode::NonRecursive),
    ]
    .into_iter()
    .chain(head_log.map(|log| (log, RecursiveMode::NonRecursive)))
    {
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
                        // Batches that came while the last rebuild ran make one rebuild.
                        while changed.try_recv().is_ok() {}
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

    let served = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ServeError::Runtime(e.to_string()))
        .and_then(|runtime| {
            let site = Arc::new(Site {
                output: options.output.clone(),
                clients,
            });
            let served = runtime.block_on(accept_loop(
                listener,
                site,
                Arc::clone(&running.shutdown),
                options.idle_timeout,
            ));
            // Open event streams would otherwise hold the runtime up.
            runtime.shutdown_background();
            served
        });
    running.stop.store(true, Ordering::SeqCst);
    watcher.stop();
    let _ = rebuilder.join();
    served
}

/// What every connection serves from.
struct Site {
    output: PathBuf,
    clients: Arc<Mutex<Clients>>,
}

/// Accepts connections, at most [`MAX_CONNECTIONS`] at once, until `shutdown` is notified.
/// Running out of file descriptors or memory only pauses accepting; an error that cannot
/// pass ends it.
async fn accept_loop(
    listener: std::net::TcpListener,
    site: Arc<Site>,
    shutdown: Arc<Notify>,
    idle_timeout: Duration,
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::from_std(listener)
        .map_err(|e| ServeError::Accept(e.to_string()))?;
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let permit = tokio::select! {
            () = shutdown.notified() => return Ok(()),
            permit = Arc::clone(&permits).acquire_owned() => {
                permit.map_err(|e| ServeError::Accept(e.to_string()))?
            }
        };
        let accepted = tokio::select! {
            () = shutdown.notified() => return Ok(()),
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) if is_passing(&e) => {
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
            Err(e) => return Err(ServeError::Accept(e.to_string())),
        };
        let site = Arc::clone(&site);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let site = Arc::clone(&site);
                async move { Ok::<_, Infallible>(respond(site, request).await) }
            });
            // A client that goes away, times out or sends garbage only ends its connection.
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(idle_timeout)
                .max_buf_size(MAX_HEAD_BYTES)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(permit);
        });
    }
}

/// Whether an accept error passes: the connection was lost before it was accepted, or the
/// process is out of descriptors or memory for a moment.
fn is_passing(error: &io::Error) -> bool {
    use io::ErrorKind::*;
    if matches!(
        error.kind(),
        ConnectionAborted
            | ConnectionReset
            | ConnectionRefused
            | Interrupted
            | WouldBlock
            | OutOfMemory
    ) {
        return true;
    }
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        let passing = [
            Errno::MFILE,
            Errno::NFILE,
            Errno::NOBUFS,
            Errno::NOMEM,
            Errno::PROTO,
        ];
        error
            .raw_os_error()
            .is_some_and(|code| passing.iter().any(|e| e.raw_os_error() == code))
    }
    #[cfg(not(unix))]
    {
        false
    }
}

type ResponseBody = BoxBody<Bytes, Infallible>;

fn full(bytes: impl Into<Bytes>) -> ResponseBody {
    Full::new(bytes.into()).boxed()
}

/// A plain-text response with `status`.
fn plain(status: StatusCode, text: &'static str) -> Response<ResponseBody> {
    let mut response = Response::new(full(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

async fn respond(site: Arc<Site>, request: Request<Incoming>) -> Response<ResponseBody> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    if request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len())
        > MAX_URL_BYTES
    {
        return plain(StatusCode::URI_TOO_LONG, "URL too long\n");
    }
    let path = request.uri().path().to_string();
    match path.as_str() {
        LIVE_PATH => with_type(
            Response::new(full(LIVE_JS)),
            "text/javascript; charset=utf-8",
        ),
        EVENTS_PATH => events(&site.clients),
        _ => {
            // Reading files blocks; large feeds too much for the event loop.
            let output = site.output.clone();
            tokio::task::spawn_blocking(move || serve_path(&output, &path))
                .await
                .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "internal error\n"))
        }
    }
}

/// The file at `path`, else the site's 404 page, else a plain 404.
fn serve_path(output: &Path, path: &str) -> Response<ResponseBody> {
    let found = resolve(output, path)
        .map(|f| (f, StatusCode::OK))
        .or_else(|| resolve(output, "/404.html").map(|f| (f, StatusCode::NOT_FOUND)));
    let Some((file, status)) = found else {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    };
    let Ok(bytes) = std::fs::read(&file) else {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    };
    let mime = mime_guess::from_path(&file).first_or_octet_stream();
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
    let mut response = with_type(Response::new(full(bytes)), &content_type);
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// An event stream: a `ready` (or the last failure) at once, then every broadcast.
fn events(clients: &Mutex<Clients>) -> Response<ResponseBody> {
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    {
        let mut clients = clients.lock().unwrap_or_else(|e| e.into_inner());
        let hello = match &clients.failure {
            Some(text) => sse("failed", text),
            None => sse("ready", ""),
        };
        let _ = sender.send(hello);
        clients.senders.push(sender);
    }
    let stream = EventStream {
        receiver,
        keep_alive: Box::pin(tokio::time::sleep(KEEP_ALIVE)),
    };
    let mut response = with_type(Response::new(stream.boxed()), "text/event-stream");
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The body of an event stream: each message as it comes, and a comment after
/// [`KEEP_ALIVE`] without one. It ends when the server drops its sender.
struct EventStream {
    receiver: UnboundedReceiver<String>,
    keep_alive: Pin<Box<tokio::time::Sleep>>,
}

impl Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        let frame = match this.receiver.poll_recv(cx) {
            Poll::Ready(Some(message)) => Bytes::from(message),
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending if this.keep_alive.as_mut().poll(cx).is_ready() => {
                Bytes::from_static(b": keep-alive\n\n")
            }
            Poll::Pending => return Poll::Pending,
        };
        this.keep_alive
            .as_mut()
            .reset(tokio::time::Instant::now() + KEEP_ALIVE);
        Poll::Ready(Some(Ok(Frame::data(frame))))
    }
}

fn with_type(mut response: Response<ResponseBody>, content_type: &str) -> Response<ResponseBody> {
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    response
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
            history: options.history,
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

fn inject_live_reload(html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_PATH}\" defer></script>");
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
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
