//! The `bulletin` command line. Only argument parsing and reporting live here.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use bulletin::diagnostic::Severity;
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
            let report = build(&BuildOptions {
                root: root.clone(),
                output,
                strict,
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
    }
}
