//! The raw floor for `bench/run`: the least work any Markdown site generator must do.
//!
//! ```sh
//! cargo run --release -p bulletin-floor -- CONTENT_DIR OUT_DIR
//! ```
//!
//! Walks `CONTENT_DIR`, reads every `.md` file, drops its YAML frontmatter, renders the body
//! with pulldown-cmark in bulletin's own dialect ([`bulletin::markdown::options`]) and writes
//! `OUT_DIR/<path without .md>.html`, in parallel with rayon. Nothing else: no includes, no
//! links, no extraction, no templates, no feeds. A full `bulletin build` of the same folder
//! can only be slower; the benchmark reports it as a multiple of this program, so the figure
//! says how much the features cost over the parse-and-write every generator pays, on this
//! machine, in the same run.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pulldown_cmark::{Parser, html};
use rayon::prelude::*;
use walkdir::WalkDir;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [content, out] = args.as_slice() else {
        eprintln!("usage: floor CONTENT_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    match run(Path::new(content), Path::new(out)) {
        Ok(count) => {
            eprintln!("floor: rendered {count} files into {out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("floor: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Renders every Markdown file under `content` into `out`; returns how many.
fn run(content: &Path, out: &Path) -> std::io::Result<usize> {
    let files: Vec<PathBuf> = WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().try_for_each(|file| {
        let relative = file.strip_prefix(content).unwrap_or(file);
        let target = out.join(relative).with_extension("html");
        let source = std::fs::read_to_string(file)?;
        let mut html = String::with_capacity(source.len() * 3 / 2);
        html::push_html(
            &mut html,
            Parser::new_ext(body(&source), bulletin::markdown::options()),
        );
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, html)
    })?;
    Ok(files.len())
}

/// The text after a leading `---` frontmatter block (the whole text when there is none).
fn body(source: &str) -> &str {
    let Some(rest) = source.strip_prefix("---\n") else {
        return source;
    };
    match rest.find("\n---\n") {
        Some(end) => &rest[end + 5..],
        None => source,
    }
}
