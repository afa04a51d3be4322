//! The `bulletin` command line. Only argument parsing and reporting live here.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use bulletin::diagnostic::Severity;
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
    },
    /// Is version V of product P compliant on date D? Exit 0: compliant or upgrade due;
    /// 1: non-compliant; 2: unknown product, bad version or date, unreadable feed.
    Check {
        /// The policy feed: a path or an http(s) URL (e.g. public/policy.json).
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
        /// The day to judge, YYYY-MM-DD (default: today).
        #[arg(long)]
        on: Option<String>,
        /// Print the answer as JSON.
        #[arg(long)]
        json: bool,
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
        } => {
            let source_date_epoch = std::env::var("SOURCE_DATE_EPOCH")
                .ok()
                .and_then(|s| s.trim().parse().ok());
            // "Today" on the pages is the build date: SOURCE_DATE_EPOCH's, else the clock's.
            let today = source_date_epoch
                .and_then(|s| jiff::Timestamp::from_second(s).ok())
                .unwrap_or_else(jiff::Timestamp::now)
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .date();
            let report = build(&BuildOptions {
                root: root.clone(),
                output,
                strict,
                source_date_epoch,
                today: Some(today),
            });
            for diagnostic in &report.diagnostics {
                eprintln!("{}", report::format(diagnostic, format.into(), &root));
            }
            let (errors, warnings) = (
                report.count(Severity::Error),
                report.count(Severity::Warning),
            );
            if report.written {
                eprintln!(
                    "built {} advisories from {} notices into {} ({warnings} warning(s))",
                    report.advisories,
                    report.notices,
                    report.output.display()
                );
                ExitCode::SUCCESS
            } else {
                let why = if errors == 0 && strict {
                    " (--strict: warnings fail the build)"
                } else {
                    ""
                };
                eprintln!(
                    "build failed: {errors} error(s), {warnings} warning(s){why}; {} was left as it was",
                    report.output.display()
                );
                ExitCode::FAILURE
            }
        }
        Command::Check {
            feed,
            product,
            version,
            cloud,
            on,
            json,
        } => check(&feed, product, version, cloud, on.as_deref(), json),
    }
}

fn check(
    feed: &str,
    product: String,
    version: String,
    cloud: Option<String>,
    on: Option<&str>,
    json: bool,
) -> ExitCode {
    let usage_error = |message: String| {
        eprintln!("error: {message}");
        ExitCode::from(2)
    };
    let on = match on {
        Some(text) => match text.parse::<jiff::civil::Date>() {
            Ok(date) => date,
            Err(e) => {
                return usage_error(format!("`{text}` is not a date in YYYY-MM-DD form: {e}"));
            }
        },
        None => jiff::ZonedDateTime::now().date(),
    };
    let feed = match policy::fetch::fetch(feed) {
        Ok(feed) => feed,
        Err(e) => return usage_error(e.to_string()),
    };
    let answer = match policy::check(
        &feed,
        &policy::Query {
            product,
            version,
            cloud,
            on,
        },
    ) {
        Ok(answer) => answer,
        Err(e) => return usage_error(e.to_string()),
    };
    if json {
        println!("{}", serde_json::to_string(&answer).unwrap_or_default());
    } else {
        println!("{}", answer.sentence());
    }
    match answer.verdict {
        policy::Verdict::NonCompliant { .. } => ExitCode::FAILURE,
        _ => ExitCode::SUCCESS,
    }
}
