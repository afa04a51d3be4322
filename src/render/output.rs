//! Writing the site: everything goes to a staging folder beside the output, which replaces
//! the output only once every file is written. A build that fails, or is killed, never
//! leaves a half-written `public/` behind.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFile {
    /// Bytes produced by the build, at a site-relative path.
    Generated {
        /// Site-relative path with `/` separators.
        path: String,
        /// The content.
        bytes: Vec<u8>,
    },
    /// A file copied unchanged from the content folder.
    Copied {
        /// Site-relative path with `/` separators.
        path: String,
        /// Where to copy it from.
        source: PathBuf,
    },
}

impl OutputFile {
    fn path(&self) -> &str {
        match self {
            OutputFile::Generated { path, .. } | OutputFile::Copied { path, .. } => path,
        }
    }
}

const STAGING_PREFIX: &str = ".bulletin-staging-";
const RETIRED_PREFIX: &str = ".bulletin-retired-";

/// Writes `files` to a fresh staging folder, then swaps it in as `output`.
pub fn write_site(output: &Path, files: &[OutputFile]) -> io::Result<()> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    remove_leftovers(&parent);
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(&parent)?;

    let dirs: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(f.path()).parent().map(Path::to_path_buf))
        .collect();
    for dir in dirs {
        std::fs::create_dir_all(staging.path().join(dir))?;
    }
    files.par_iter().try_for_each(|file| match file {
        OutputFile::Generated { path, bytes } => std::fs::write(staging.path().join(path), bytes),
        OutputFile::Copied { path, source } => {
            std::fs::copy(source, staging.path().join(path)).map(drop)
        }
    })?;

    let staged = staging.keep();
    if output.exists() {
        let retired = tempfile::Builder::new()
            .prefix(RETIRED_PREFIX)
            .tempdir_in(&parent)?
            .keep();
        std::fs::remove_dir(&retired)?;
        std::fs::rename(output, &retired)?;
        if let Err(e) = std::fs::rename(&staged, output) {
            // Put the previous site back rather than leave none.
            let _ = std::fs::rename(&retired, output);
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e);
        }
        std::fs::remove_dir_all(&retired)?;
    } else if let Err(e) = std::fs::rename(&staged, output) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(e);
    }
    Ok(())
}

/// Removes staging and retired folders left by a build that was killed.
fn remove_leftovers(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(STAGING_PREFIX) || name.starts_with(RETIRED_PREFIX) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
