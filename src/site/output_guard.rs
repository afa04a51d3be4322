//! Which folder a build may replace. A build replaces its output folder whole, so before
//! anything is written the output is checked: it must not be, hold or lie inside the site's
//! own files (the root, `content/`, `themes/`, `bulletin.yaml`), and it must be absent, empty
//! or a folder that bulletin made.
//!
//! Paths are compared canonicalised, so `..`, relative paths and symbolic links (a symlinked
//! root or `content/`) cannot hide that two paths are the same folder.

use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::model::CONTENT_DIR;
use crate::render::output::{MARKER, is_marker};

/// Why a build refuses to write to an output. The output is untouched.
#[derive(Debug, thiserror::Error)]
#[error("refusing to write the site to {}: {reason}", path.display())]
pub struct OutputRefused {
    /// The output as given.
    pub path: PathBuf,
    /// Why.
    pub reason: Reason,
}

/// What is wrong with an output.
#[derive(Debug)]
pub enum Reason {
    /// It is, holds or lies inside one of the site's own files or folders.
    SiteFiles {
        /// How it relates to them: "is", "holds" or "lies inside".
        relation: &'static str,
        /// What it is ("the site root", "the content folder", ...).
        what: &'static str,
        /// Where that is.
        at: PathBuf,
    },
    /// It is a symbolic link, which a build would replace with a folder.
    SymbolicLink,
    /// It exists and is not a folder.
    NotAFolder,
    /// A folder that is not empty and that no build made.
    Foreign,
    /// Its path cannot be resolved or inspected.
    Unresolvable(io::Error),
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::SiteFiles { relation, what, at } => {
                write!(f, "it {relation} {what} ({})", at.display())
            }
            Reason::SymbolicLink => f.write_str(
                "it is a symbolic link, which a build would replace; give the folder it points to",
            ),
            Reason::NotAFolder => f.write_str("it is a file, not a folder"),
            Reason::Foreign => write!(
                f,
                "it is a folder that bulletin did not make (not empty, no {MARKER} file); empty or remove it, or choose another --output"
            ),
            Reason::Unresolvable(e) => write!(
                f,
                "its path cannot be resolved: {}",
                crate::diagnostic::io_reason(e)
            ),
        }
    }
}

/// Checks that a build of the site at `root` may replace `output`, and returns the output's
/// canonical path (what to lock; the folder itself may not exist yet).
pub fn check(root: &Path, output: &Path) -> Result<PathBuf, OutputRefused> {
    let refuse = |reason| OutputRefused {
        path: output.to_path_buf(),
        reason,
    };
    if output.symlink_metadata().is_ok_and(|m| m.is_symlink()) {
        return Err(refuse(Reason::SymbolicLink));
    }
    let resolved = resolve(output).map_err(|e| refuse(Reason::Unresolvable(e)))?;
    if let Some(reason) = overlap(root, &resolved) {
        return Err(refuse(reason));
    }
    match state(output) {
        Ok(None) => Ok(resolved),
        Ok(Some(reason)) => Err(refuse(reason)),
        Err(e) => Err(refuse(Reason::Unresolvable(e))),
    }
}

/// The absolute path `path` names with every symbolic link resolved, for a path that may
/// not exist yet. Component by component: what exists is canonicalised, what does not is
/// taken as the plain folder a build would create, so `missing/..` is where it started.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut resolved = PathBuf::new();
    for component in std::path::absolute(path)?.components() {
        match component {
            Component::Normal(name) => {
                resolved.push(name);
                match resolved.canonicalize() {
                    Ok(canonical) => resolved = canonical,
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                    Err(_) if resolved.symlink_metadata().is_ok() => {
                        return Err(io::Error::new(
                            io::ErrorKind::NotFound,
                            format!("{} is a symbolic link to nothing", resolved.display()),
                        ));
                    }
                    Err(_) => {}
                }
            }
            // `resolved` has no links left, so its parent is the one its text names.
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => resolved.push(component),
        }
    }
    Ok(resolved)
}

/// How `output` (canonical) overlaps the site's own files, if it does.
fn overlap(root: &Path, output: &Path) -> Option<Reason> {
    // A root that does not exist holds nothing to protect; the build itself reports it.
    let root = root.canonicalize().ok()?;
    // (what, where, whether the output may lie inside it): only the root may hold it.
    let mut protected = vec![
        ("the site root", root.clone(), true),
        ("the content folder", root.join(CONTENT_DIR), false),
        ("the settings file", root.join(CONFIG_FILE), false),
        ("the themes folder", root.join("themes"), false),
    ];
    // A theme may be a link to a folder elsewhere.
    if let Ok(themes) = std::fs::read_dir(root.join("themes")) {
        protected.extend(
            themes
                .flatten()
                .map(|t| ("a theme folder", t.path(), false)),
        );
    }
    protected.into_iter().find_map(|(what, path, inside_ok)| {
        let at = path.canonicalize().ok()?;
        let relation = if at == output {
            "is"
        } else if at.starts_with(output) {
            "holds"
        } else if !inside_ok && output.starts_with(&at) {
            "lies inside"
        } else {
            return None;
        };
        Some(Reason::SiteFiles { relation, what, at })
    })
}

/// What is wrong with what is at `output` now, if anything: nothing there, an empty folder
/// and a folder a build made are fine.
fn state(output: &Path) -> io::Result<Option<Reason>> {
    let metadata = match output.symlink_metadata() {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if metadata.is_symlink() {
        return Ok(Some(Reason::SymbolicLink));
    }
    if !metadata.is_dir() {
        return Ok(Some(Reason::NotAFolder));
    }
    if std::fs::read_dir(output)?.next().is_none()
        || regular_file_starting(&output.join(MARKER), is_marker)
        || looks_like_an_old_build(output)
    {
        return Ok(None);
    }
    Ok(Some(Reason::Foreign))
}

/// A folder built by a bulletin from before the marker: its home page, its feed (which
/// starts the way bulletin writes it) and the feed's schema.
fn looks_like_an_old_build(output: &Path) -> bool {
    let is_file = |name: &str| {
        output
            .join(name)
            .symlink_metadata()
            .is_ok_and(|m| m.is_file())
    };
    is_file("index.html")
        && is_file("policy.schema.json")
        && regular_file_starting(&output.join("policy.json"), |start| {
            start.starts_with("{\n  \"schema_version\": \"")
        })
}

/// Whether `path` is a regular file (not a link) whose first bytes pass `test`.
fn regular_file_starting(path: &Path, test: impl Fn(&str) -> bool) -> bool {
    use std::io::Read;
    if !path.symlink_metadata().is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut start = [0; 64];
    let Ok(read) = std::fs::File::open(path).and_then(|mut f| f.read(&mut start)) else {
        return false;
    };
    test(&String::from_utf8_lossy(&start[..read]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site root with content, settings and a theme, in a temporary folder.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for folder in ["site/content/a", "site/themes/mine/templates"] {
            std::fs::create_dir_all(dir.path().join(folder)).expect("mkdir");
        }
        std::fs::write(dir.path().join("site/bulletin.yaml"), "title: x\n").expect("write");
        dir
    }

    fn reason(root: &Path, output: &Path) -> String {
        match check(root, output) {
            Ok(_) => "accepted".to_string(),
            Err(e) => e.reason.to_string(),
        }
    }

    #[test]
    fn the_sites_own_files_are_refused() {
        let dir = site();
        let root = dir.path().join("site");
        let cases = [
            ("site", "it is the site root"),
            ("", "it holds the site root"),
            ("site/content", "it is the content folder"),
            ("site/content/a", "it lies inside the content folder"),
            ("site/content/new/out", "it lies inside the content folder"),
            ("site/bulletin.yaml", "it is the settings file"),
            ("site/themes", "it is the themes folder"),
            (
                "site/themes/mine/static",
                "it lies inside the themes folder",
            ),
            ("site/content/../content", "it is the content folder"),
        ];
        for (output, want) in cases {
            let got = reason(&root, &dir.path().join(output));
            assert!(got.starts_with(want), "{output}: {got}");
        }
        assert_eq!(reason(&root, &root.join("public")), "accepted");
        assert_eq!(
            reason(&root, &dir.path().join("elsewhere/public")),
            "accepted"
        );
    }

    #[test]
    fn links_cannot_hide_the_sites_files() {
        let dir = site();
        let root = dir.path().join("site");
        let notices = dir.path().join("notices");
        std::fs::create_dir_all(&notices).expect("mkdir");
        std::fs::remove_dir(root.join("content/a")).expect("rmdir");
        std::fs::remove_dir(root.join("content")).expect("rmdir");
        std::os::unix::fs::symlink(&notices, root.join("content")).expect("symlink");
        std::os::unix::fs::symlink(&root, dir.path().join("alias")).expect("symlink");
        let got = reason(&dir.path().join("alias"), &notices.join("out"));
        assert!(
            got.starts_with("it lies inside the content folder"),
            "{got}"
        );
        let got = reason(&root, &dir.path().join("alias"));
        assert!(got.starts_with("it is a symbolic link"), "{got}");
        let got = reason(&root, &dir.path().join("alias/themes/../content/x"));
        assert!(
            got.starts_with("it lies inside the content folder"),
            "{got}"
        );
    }

    #[test]
    fn only_absent_empty_or_built_folders_are_accepted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).expect("mkdir");
        assert_eq!(reason(&root, &out), "accepted");
        std::fs::write(out.join("notes.txt"), "mine").expect("write");
        assert!(reason(&root, &out).starts_with("it is a folder that bulletin did not make"));
        std::fs::write(out.join(MARKER), "bulletin-output 1\n").expect("write");
        assert_eq!(reason(&root, &out), "accepted");
        std::fs::write(out.join(MARKER), "something else\n").expect("write");
        assert!(reason(&root, &out).starts_with("it is a folder that bulletin did not make"));

        let old = dir.path().join("old");
        std::fs::create_dir_all(&old).expect("mkdir");
        std::fs::write(old.join("index.html"), "<html>").expect("write");
        std::fs::write(old.join("policy.schema.json"), "{}").expect("write");
        std::fs::write(old.join("policy.json"), "{\"products\": []}").expect("write");
        assert!(reason(&root, &old).starts_with("it is a folder that bulletin did not make"));
        std::fs::write(
            old.join("policy.json"),
            "{\n  \"schema_version\": \"1.0.0\",\n",
        )
        .expect("write");
        assert_eq!(reason(&root, &old), "accepted");

        let file = dir.path().join("file");
        std::fs::write(&file, "x").expect("write");
        assert!(reason(&root, &file).starts_with("it is a file"));
        std::os::unix::fs::symlink(&out, dir.path().join("link")).expect("symlink");
        assert!(reason(&root, &dir.path().join("link")).starts_with("it is a symbolic link"));
        std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling"))
            .expect("symlink");
        assert!(reason(&root, &dir.path().join("dangling")).starts_with("it is a symbolic link"));
        let got = reason(&root, &dir.path().join("dangling/public"));
        assert!(got.contains("symbolic link to nothing"), "{got}");
    }
}
