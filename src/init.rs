//! `bulletin init`: a new site that builds as it is, for a first run to start from.
//!
//! It writes settings with every key explained, a product catalog and one sample notice
//! that names the catalog's product, so `bulletin build --strict` succeeds on it. It never
//! replaces a file: when any of them exists, nothing is written.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::diagnostic::io_reason;
use crate::model::CONTENT_DIR;

/// The files a new site starts with: (path under the site folder, text).
pub const FILES: &[(&str, &str)] = &[
    (CONFIG_FILE, include_str!("init/bulletin.yaml")),
    (
        "content/_products.yaml",
        include_str!("init/_products.yaml"),
    ),
    (
        "content/sample-notice.md",
        include_str!("init/sample-notice.md"),
    ),
];

/// Why a site could not be made.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// Files it would write exist already; nothing was written.
    #[error(
        "{} already holds {}; bulletin init writes only new files, so nothing was written (choose an empty folder, or move them away)",
        .dir.display(),
        .existing.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    Exists {
        /// The site folder as given.
        dir: PathBuf,
        /// What is in the way.
        existing: Vec<PathBuf>,
    },
    /// A file or folder could not be written.
    #[error("cannot write {}: {reason}", .path.display(), reason = io_reason(.error))]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
}

/// Makes a new site in `dir` (created when missing) and returns the files written, as paths
/// under `dir`. Refuses, writing nothing, when any of them exists, or when `dir/content/`
/// already holds files (a site is there).
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let mut existing: Vec<PathBuf> = FILES
        .iter()
        .map(|(path, _)| dir.join(path))
        .filter(|path| path.symlink_metadata().is_ok())
        .collect();
    let content = dir.join(CONTENT_DIR);
    let holds_files = std::fs::read_dir(&content)
        .map(|mut entries| entries.next().is_some())
        .unwrap_or(false);
    if existing.is_empty() && holds_files {
        existing.push(content.clone());
    }
    if !existing.is_empty() {
        return Err(InitError::Exists {
            dir: dir.to_path_buf(),
            existing,
        });
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| InitError::Io { path, error }
    };
    std::fs::create_dir_all(&content).map_err(io(&content))?;
    let mut written = Vec::new();
    for (path, text) in FILES {
        let file = dir.join(path);
        // `create_new`: a file that appeared since the check is still never replaced.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&file)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(io(&file))?;
        written.push(file);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{CATALOG_FILE, Catalog};
    use crate::config::SiteConfig;

    /// Every setting is in the file, explained, and each commented-out line is valid as it
    /// stands: uncommented, the settings still parse (unknown keys are an error).
    #[test]
    fn the_settings_name_every_key() {
        let text = include_str!("init/bulletin.yaml");
        let keys = SiteConfig::parse("no-such-key: 1\n")
            .expect_err("unknown")
            .hint
            .expect("the keys are listed");
        let keys = keys.strip_prefix("the keys are: ").expect("a list");
        for key in keys.split(", ") {
            let written = text
                .lines()
                .any(|l| l.trim_start_matches("# ").starts_with(&format!("{key}:")));
            assert!(
                written,
                "`{key}` is missing from the settings `init` writes"
            );
        }
        let uncommented: String = text
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.split_once(':').is_some_and(|(k, _)| keys.contains(k)) => rest,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        SiteConfig::parse(&uncommented).expect("every example is a valid value");
        SiteConfig::parse(text).expect("valid as written");
    }

    #[test]
    fn the_catalog_parses_and_the_paths_are_the_site_s() {
        let catalog = Catalog::parse(include_str!("init/_products.yaml")).expect("valid");
        assert_eq!(catalog.products().len(), 1);
        assert_eq!(FILES[1].0, format!("{CONTENT_DIR}/{CATALOG_FILE}"));
    }

    #[test]
    fn refuses_to_replace_anything() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(CONFIG_FILE), "title: mine\n").expect("write");
        let error = init(dir.path()).expect_err("bulletin.yaml exists");
        assert!(
            matches!(&error, InitError::Exists { existing, .. } if existing == &[dir.path().join(CONFIG_FILE)])
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join(CONFIG_FILE)).expect("read"),
            "title: mine\n"
        );
        assert!(!dir.path().join(CONTENT_DIR).exists(), "nothing written");

        let other = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(other.path().join("content/notes")).expect("folder");
        let error = init(other.path()).expect_err("content/ holds files");
        assert!(error.to_string().contains("content"), "{error}");
        assert!(!other.path().join(CONFIG_FILE).exists());
    }
}
