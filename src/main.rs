//! The `bulletin` command line. Only argument parsing and reporting live here.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use bulletin::date::NotADay;
use bulletin::policy;
use bulletin::report::{self, Format};
use bulletin::{BuildOptions, build};

#[derive(Parser)]
#[command(
    name = "bulletin",
    version,
    about = "A static-site generator for vendor advisories"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make a new site in DIR (default: here): settings with every key explained, a product
    /// catalog and a sample notice. Never replaces a file.
    Init {
        /// The folder for the site (made when missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Build the site: content/ -> public/.
    Build {
        /// The site root (holds content/, bulletin.yaml, themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Fail on any warning, not only on errors.
        #[arg(long)]
        strict: bool,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Build from the files alone, without reading revisions from git history.
        #[arg(long)]
        no_history: bool,
    },
    /// Build, serve on 127.0.0.1, rebuild on changes and reload the browser.
    Serve {
        /// The site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to build (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// The port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Build from the files alone, without reading revisions from git history.
        #[arg(long)]
        no_history: bool,
    },
    /// Print a draft content/_products.yaml: every product the notices name, with how many
    /// statements name it and where, for a person to review and commit.
    Catalog {
        /// The site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Is version V of product P compliant on date D? Exit 0: compliant or upgrade due;
    /// 1: non-compliant; 2: unknown product, bad version or date, unreadable feed.
    Check {
        /// The policy feed: a file, an http(s) URL (e.g. public/policy.json), or - for
        /// standard input.
        #[arg(long)]
        feed: String,
        /// The product: its id or any of its names.
        #[arg(long)]
        product: String,
        /// The installed version.
        #[arg(long)]
        version: String,
        /// The cloud the installation is in (e.g. commercial).
        #[arg(long)]
        cloud: Option<String>,
        /// The day to judge, YYYY-MM-DD (default: today, or the --as-of day).
        #[arg(long)]
        on: Option<String>,
        /// Answer from what the notices said on this day, YYYY-MM-DD (the last revision
        /// committed by its end, UTC); needs a feed built with git history.
        #[arg(long)]
        as_of: Option<String>,
        /// Print the answer as JSON.
        #[arg(long)]
        json: bool,
        /// The largest feed to read, in MiB (a file, standard input or a URL).
        #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=1 << 20))]
        max_feed_mib: u64,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Github,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            strict,
            format,
            no_history,
        } => {
            let source_date_epoch = source_date_epoch();
            let report = build(&BuildOptions {
                root: root.clone(),
                output,
                strict,
                source_date_epoch,
                today: Some(today(source_date_epoch)),
                base_url: None,
                history: !no_history,
            });
            print_build(&report, &root, format.into(), strict);
            if report.refused() {
                ExitCode::from(2)
            } else if report.written {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Serve {
            root,
            output,
            port,
            open,
            no_history,
        } => serve(root, output, port, open, !no_history),
        Command::Init { dir } => init(&dir),
        Command::Catalog { root } => catalog(&root),
        Command::Check {
            feed,
            product,
            version,
            cloud,
            on,
            as_of,
            json,
            max_feed_mib,
        } => check(
            &feed,
            max_feed_mib * 1024 * 1024,
            policy::Query {
                product,
                version,
                cloud,
                on: jiff::civil::Date::MIN,
                as_of: None,
            },
            (on.as_deref(), as_of.as_deref()),
            json,
        ),
    }
}

fn serve(root: PathBuf, output: Option<PathBuf>, port: u16, open: bool, history: bool) -> ExitCode {
    let source_date_epoch = source_date_epoch();
    let options = bulletin::serve::ServeOptions {
        output: output.unwrap_or_else(|| root.join("public")),
        root,
        port,
        today: Some(today(source_date_epoch)),
        source_date_epoch,
        idle_timeout: bulletin::serve::IDLE_TIMEOUT,
        history,
    };
    let (running, first) = match bulletin::serve::start(&options) {
        Ok(started) => started,
        Err(e @ bulletin::serve::ServeError::Refused(_)) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    print_build(&first, &options.root, Format::Human, false);
    let url = format!("http://{}/", running.address);
    // A closed stdout (the caller stopped reading) must not stop the server.
    let _ = writeln!(
        std::io::stdout(),
        "serving {} at {url} (Ctrl-C to stop)",
        options.output.display()
    );
    if open && let Err(e) = opener::open(&url) {
        eprintln!("warning: cannot open a browser: {e}");
    }
    let running = std::sync::Arc::new(running);
    let stopper = std::sync::Arc::clone(&running);
    if let Err(e) = ctrlc::set_handler(move || stopper.stop()) {
        eprintln!("warning: Ctrl-C will not stop the server cleanly: {e}");
    }
    let root = options.root.clone();
    let result = bulletin::serve::run(&running, &options, &first, move |report, took| {
        print_build(report, &root, Format::Human, false);
        eprintln!("rebuilt in {} ms", took.as_millis());
    });
    match result {
        Ok(()) => {
            let _ = writeln!(std::io::stdout(), "stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `SOURCE_DATE_EPOCH`, when set to a number.
fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
}

/// Prints a build's diagnostics and its summary (which repeats the errors).
fn print_build(
    report: &bulletin::BuildReport,
    root: &std::path::Path,
    format: Format,
    strict: bool,
) {
    eprint!(
        "{}{}",
        report::format_all(&report.diagnostics, format, root),
        report::summary(report, root, strict)
    );
}

/// Makes a new site and says what to do next; exit 2 when it would replace a file.
fn init(dir: &std::path::Path) -> ExitCode {
    match bulletin::init::init(dir) {
        Ok(written) => {
            println!("made a new site in {}:", dir.display());
            for file in written {
                println!("  {}", file.display());
            }
            let root = dir.display();
            println!("build it:  bulletin build --root {root} --strict");
            println!("serve it:  bulletin serve --root {root} --open");
            ExitCode::SUCCESS
        }
        Err(e @ bulletin::init::InitError::Exists { .. }) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints a draft of the product catalog to stdout; diagnostics to stderr.
fn catalog(root: &std::path::Path) -> ExitCode {
    match bulletin::catalog_draft::draft_site(root) {
        Ok(drafted) => {
            // A closed stdout (`| head`) is the reader's choice, not a failure.
            let _ = std::io::stdout().write_all(drafted.yaml.as_bytes());
            if !drafted.warnings.is_empty() {
                let n = drafted.warnings.len();
                let warnings = if n == 1 { "warning" } else { "warnings" };
                eprintln!("{n} {warnings} while reading the notices; `bulletin build` lists them");
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{}", report::format_all(&diagnostics, Format::Human, root));
            eprintln!("no draft: the notices could not all be read");
            ExitCode::FAILURE
        }
    }
}

/// "Today" for the pages: SOURCE_DATE_EPOCH's date, else the clock's (UTC).
fn today(source_date_epoch: Option<i64>) -> jiff::civil::Date {
    source_date_epoch
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .unwrap_or_else(jiff::Timestamp::now)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

/// `bulletin check`: `query` with its days still to read from `(--on, --as-of)`.
fn check(
    feed: &str,
    max_feed_bytes: u64,
    mut query: policy::Query,
    (on, as_of): (Option<&str>, Option<&str>),
    json: bool,
) -> ExitCode {
    let usage_error = |message: String| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    };
    let day = |text: &str| match bulletin::date::parse_numeric_day(text, false) {
        Ok(date) => Ok(date),
        Err(NotADay::Shape) => Err(format!("`{text}` is not a date written YYYY-MM-DD")),
        Err(NotADay::Impossible(reason)) => Err(format!("`{text}` is not a date: {reason}")),
    };
    query.as_of = match as_of.map(day).transpose() {
        Ok(as_of) => as_of,
        Err(message) => return usage_error(message),
    };
    query.on = match on.map(day).transpose() {
        Ok(Some(on)) => on,
        Ok(None) => query
            .as_of
            .unwrap_or_else(|| jiff::ZonedDateTime::now().date()),
        Err(message) => return usage_error(message),
    };
    let feed = match policy::fetch::fetch(feed, max_feed_bytes) {
        Ok(feed) => feed,
        Err(e) => return usage_error(e.to_string()),
    };
    let answer = match policy::check(&feed, &query) {
        Ok(answer) => answer,
        Err(e) => return usage_error(e.to_string()),
    };
    if json {
        println!("{}", serde_json::to_string(&answer).unwrap_or_default());
    } else {
        println!("{}", answer.sentence());
        if !answer.related.is_empty() {
            let names: Vec<String> = answer
                .related
                .iter()
                .map(|r| format!("{} ({})", r.name, r.product))
                .collect();
            eprintln!(
                "note: not counted in this answer, the feed's requirements on products with related names: {}; if one is the same product, make its name an alias in content/_products.yaml",
                names.join(", ")
            );
        }
    }
    match answer.verdict {
        policy::Verdict::NonCompliant { .. } => ExitCode::FAILURE,
        // Not an error, and never mistaken for a pass: a script must look.
        policy::Verdict::Undetermined { .. } => ExitCode::from(3),
        _ => ExitCode::SUCCESS,
    }
}
