//! Writing the site: everything goes to a staging folder beside the output, which replaces
//! the output only once every file is written. A build that fails, or is killed, never
//! leaves a half-written `public/` behind.
//!
//! On Linux the staging folder and the output trade places in one atomic step
//! (`renameat2(RENAME_EXCHANGE)`), so at every instant `public/` is either the whole previous
//! site or the whole new one. Where that is not available, the previous site is first
//! renamed aside and the staging folder renamed in; a build killed between the two leaves the
//! previous site aside, and the next build puts it back before anything else.

use std::collections::HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};

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

    /// Where the file comes from, for messages.
    fn origin(&self) -> String {
        match self {
            OutputFile::Generated { .. } => "a page the build generates".to_string(),
            OutputFile::Copied { source, .. } => source.display().to_string(),
        }
    }
}

/// Why the site could not be written. The previous output is untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Two files claim the same path in the site.
    #[error("two files would be written to {path}: {first} and {second}; rename or move one")]
    Conflict {
        /// The site-relative path.
        path: String,
        /// Where the first comes from.
        first: String,
        /// Where the second comes from.
        second: String,
    },
    /// A path that is absolute or climbs out of the output folder.
    #[error("refusing to write {path}, which is not a plain path inside the site")]
    UnsafePath {
        /// The site-relative path as given.
        path: String,
    },
    /// The file system refused.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder that could not be written, read or renamed.
        path: PathBuf,
        /// What the file system said.
        source: io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

const STAGING_PREFIX: &str = ".bulletin-staging-";
const RETIRED_PREFIX: &str = ".bulletin-retired-";

/// Writes `files` to a fresh staging folder, then swaps it in as `output`.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    check_paths(files)?;
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = output
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    let (staging_prefix, retired_prefix) = (
        format!("{STAGING_PREFIX}{name}-"),
        format!("{RETIRED_PREFIX}{name}-"),
    );
    std::fs::create_dir_all(&parent).map_err(io_error(&parent))?;
    recover(&parent, output, &retired_prefix)?;
    remove_leftovers(&parent, &[&staging_prefix, &retired_prefix]);
    let staging = tempfile::Builder::new()
        .prefix(&staging_prefix)
        .tempdir_in(&parent)
        .map_err(io_error(&parent))?;

    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| {
            Path::new(f.path())
                .parent()
                .map(|dir| staging.path().join(dir))
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
    }
    files.par_iter().try_for_each(|file| {
        let to = staging.path().join(file.path());
        match file {
            OutputFile::Generated { bytes, .. } => std::fs::write(&to, bytes),
            OutputFile::Copied { source, .. } => std::fs::copy(source, &to).map(drop),
        }
        .map_err(io_error(&to))
    })?;

    let staged = staging.keep();
    let swapped = if output.symlink_metadata().is_ok() {
        swap(&staged, output, &parent, &retired_prefix)
    } else {
        std::fs::rename(&staged, output).map_err(io_error(output))
    };
    if swapped.is_err() {
        remove(&staged);
        return swapped;
    }
    // The new site is in place; what is left at `staged` is the previous one. Failing to
    // delete it does not undo the build: the next build removes it.
    remove(&staged);
    Ok(())
}

/// Every path is a plain relative path, and no two files share one.
fn check_paths(files: &[OutputFile]) -> Result<(), OutputError> {
    let mut seen: HashMap<&str, &OutputFile> = HashMap::with_capacity(files.len());
    for file in files {
        let path = file.path();
        let plain = !path.is_empty()
            && Path::new(path)
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
        if !plain {
            return Err(OutputError::UnsafePath {
                path: path.to_string(),
            });
        }
        if let Some(first) = seen.insert(path, file) {
            return Err(OutputError::Conflict {
                path: path.to_string(),
                first: first.origin(),
                second: file.origin(),
            });
        }
    }
    Ok(())
}

/// Puts `staged` in place of the existing `output`, leaving the previous site at `staged`.
#[cfg(target_os = "linux")]
fn swap(
    staged: &Path,
    output: &Path,
    parent: &Path,
    retired_prefix: &str,
) -> Result<(), OutputError> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, staged, CWD, output, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // Old kernels and some file systems (and WSL1) cannot exchange.
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {
            rename_aside(staged, output, parent, retired_prefix)
        }
        Err(e) => Err(OutputError::Io {
            path: output.to_path_buf(),
            source: e.into(),
        }),
    }
}

/// Puts `staged` in place of the existing `output`, leaving the previous site at `staged`.
#[cfg(not(target_os = "linux"))]
fn swap(
    staged: &Path,
    output: &Path,
    parent: &Path,
    retired_prefix: &str,
) -> Result<(), OutputError> {
    rename_aside(staged, output, parent, retired_prefix)
}

/// The two-step swap: the previous site goes aside, the new one comes in; on failure the
/// previous site is put back. Ends with the previous site at `staged`, like an exchange.
fn rename_aside(
    staged: &Path,
    output: &Path,
    parent: &Path,
    retired_prefix: &str,
) -> Result<(), OutputError> {
    let retired = tempfile::Builder::new()
        .prefix(retired_prefix)
        .make_in(parent, |path| std::fs::rename(output, path))
        .map_err(io_error(output))?
        .into_temp_path()
        .keep()
        .map_err(|e| OutputError::Io {
            path: output.to_path_buf(),
            source: e.error,
        })?;
    if let Err(e) = std::fs::rename(staged, output) {
        // Put the previous site back rather than leave none.
        let _ = std::fs::rename(&retired, output);
        return Err(OutputError::Io {
            path: output.to_path_buf(),
            source: e,
        });
    }
    std::fs::rename(&retired, staged).map_err(io_error(&retired))
}

/// When a build was killed between the two renames of [`rename_aside`], the previous site is
/// in a retired folder and there is no output: put it back.
fn recover(parent: &Path, output: &Path, retired_prefix: &str) -> Result<(), OutputError> {
    if output.symlink_metadata().is_ok() {
        return Ok(());
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let retired = entries
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with(retired_prefix));
    match retired {
        Some(retired) => std::fs::rename(retired.path(), output).map_err(io_error(output)),
        None => Ok(()),
    }
}

/// Removes staging and retired folders left by a build that was killed.
fn remove_leftovers(parent: &Path, prefixes: &[&str]) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if prefixes.iter().any(|p| name.starts_with(p)) {
            remove(&entry.path());
        }
    }
}

/// Best-effort removal of a leftover folder (or file, or link, if that is what the output
/// was): a leftover only costs space, and the next build tries again.
fn remove(path: &Path) {
    let is_dir = path.symlink_metadata().is_ok_and(|m| m.is_dir());
    let _ = if is_dir {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(path: &str, text: &str) -> OutputFile {
        OutputFile::Generated {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn read(dir: &Path, path: &str) -> String {
        std::fs::read_to_string(dir.join(path)).unwrap_or_default()
    }

    #[test]
    fn replaces_the_previous_site_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        write_site(
            &output,
            &[generated("a.html", "one"), generated("old.html", "x")],
        )
        .expect("first");
        write_site(
            &output,
            &[generated("a.html", "two"), generated("d/b.html", "b")],
        )
        .expect("second");
        assert_eq!(read(&output, "a.html"), "two");
        assert_eq!(read(&output, "d/b.html"), "b");
        assert!(!output.join("old.html").exists());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["public"]);
    }

    #[test]
    fn the_fallback_swap_ends_like_an_exchange() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (output, staged) = (dir.path().join("public"), dir.path().join("staged"));
        std::fs::create_dir_all(&output).expect("mkdir");
        std::fs::create_dir_all(&staged).expect("mkdir");
        std::fs::write(output.join("old"), "old").expect("write");
        std::fs::write(staged.join("new"), "new").expect("write");
        rename_aside(&staged, &output, dir.path(), ".bulletin-retired-public-").expect("swap");
        assert_eq!(read(&output, "new"), "new");
        assert_eq!(read(&staged, "old"), "old");
    }

    #[test]
    fn a_site_left_aside_by_a_killed_build_is_put_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        let retired = dir.path().join(".bulletin-retired-public-abc");
        std::fs::create_dir_all(&retired).expect("mkdir");
        std::fs::write(retired.join("index.html"), "previous").expect("write");
        std::fs::create_dir_all(dir.path().join(".bulletin-staging-public-xyz/half"))
            .expect("mkdir");
        recover(dir.path(), &output, ".bulletin-retired-public-").expect("recover");
        assert_eq!(read(&output, "index.html"), "previous");
        write_site(&output, &[generated("index.html", "next")]).expect("write");
        assert_eq!(read(&output, "index.html"), "next");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["public"]);
    }

    #[test]
    fn unsafe_and_clashing_paths_write_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        for path in ["../escape.html", "/etc/x", "", "a/../../b", "./a"] {
            let error = write_site(&output, &[generated(path, "x")]).expect_err(path);
            assert!(
                matches!(error, OutputError::UnsafePath { .. }),
                "{path}: {error}"
            );
        }
        let error = write_site(
            &output,
            &[
                generated("static/style.css", "theme"),
                OutputFile::Copied {
                    path: "static/style.css".into(),
                    source: PathBuf::from("content/static/style.css"),
                },
            ],
        )
        .expect_err("clash");
        assert!(
            error.to_string().contains("content/static/style.css"),
            "{error}"
        );
        assert!(!output.exists());
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0);
    }
}
