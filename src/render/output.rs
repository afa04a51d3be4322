//! Writing the site: everything goes to a staging folder beside the output, which replaces
//! the output only once every file is written. A build that fails, or is killed, never
//! leaves a half-written `public/` behind. A rebuild in `bulletin serve` stages only the
//! files that changed and moves them in once all are written, undoing the moves should one
//! fail.
//!
//! On Linux the staging folder and the output trade places in one atomic step
//! (`renameat2(RENAME_EXCHANGE)`), so at every instant `public/` is either the whole previous
//! site or the whole new one. Where that is not available, the previous site is first
//! renamed aside and the staging folder renamed in; a build killed between the two leaves the
//! previous site aside, and the next build puts it back before anything else.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, BufWriter, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Where a file of the site comes from, for messages about clashes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    Generated,
    Copied(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Generated => f.write_str("a page the build generates"),
            Origin::Copied(source) => write!(f, "{}", source.display()),
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
    /// Another build holds the output's lock.
    #[error(
        "another bulletin is writing {} (it holds {}); wait for it to finish or stop it",
        output.display(),
        lock.display()
    )]
    Locked {
        /// The output.
        output: PathBuf,
        /// The lock file.
        lock: PathBuf,
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

/// The file every build leaves in its output, so that a later build knows the folder is
/// one it made and may replace (see `site::output_guard`).
pub const MARKER: &str = ".bulletin-output";
/// The marker's text: a format line, then a word for people.
const MARKER_TEXT: &str =
    "bulletin-output 1\nThis folder is made by bulletin; every build replaces it whole.\n";

/// Whether `text` (the start of a file) is a marker's.
pub fn is_marker(text: &str) -> bool {
    text.starts_with("bulletin-output ")
}

const STAGING_PREFIX: &str = ".bulletin-staging-";
const RETIRED_PREFIX: &str = ".bulletin-retired-";
const LOCK_PREFIX: &str = ".bulletin-lock-";

/// The folder an output sits in, and the output's name, which names what goes beside it.
fn parent_and_name(output: &Path) -> (PathBuf, String) {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = output
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    (parent, name)
}

/// An advisory lock on an output, held for a whole build (or a whole `bulletin serve`): a
/// second build of the same output is refused while it is held, so two builds never clear
/// each other's staging folders. The lock file sits beside the output; the lock goes with
/// the process however it ends, and the file is removed when the lock is let go.
#[derive(Debug)]
pub struct OutputLock {
    file: File,
    path: PathBuf,
}

impl OutputLock {
    /// Takes the lock on `output`, which should be its canonical path, so that every
    /// spelling of one folder takes the same lock.
    pub fn acquire(output: &Path) -> Result<OutputLock, OutputError> {
        let (parent, name) = parent_and_name(output);
        std::fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        let path = parent.join(format!("{LOCK_PREFIX}{name}"));
        loop {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(io_error(&path))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(OutputError::Locked {
                        output: output.to_path_buf(),
                        lock: path,
                    });
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(io_error(&path)(e)),
            }
            // The previous holder removes the file as it lets go: a lock on a file that is no
            // longer there would guard nothing, so take the one that is there now.
            if is_same_file(&file, &path) {
                return Ok(OutputLock { file, path });
            }
        }
    }
}

#[cfg(unix)]
fn is_same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_same_file(_: &File, _: &Path) -> bool {
    // Open files cannot be removed here, so the file is never replaced.
    true
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked, so nobody takes a lock on it that then guards nothing.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Each file of a built site with the key it was made from (`None`: no key, always
/// written again).
pub type Keys = HashMap<String, Option<u64>>;

/// What has been written so far: each path's origin and key, the folders that exist, and
/// the files staged (rather than kept from the previous build).
#[derive(Default)]
struct Claims {
    files: HashMap<String, Origin>,
    keys: Keys,
    dirs: HashSet<PathBuf>,
    staged: Vec<String>,
}

/// What commit does with the staging folder.
enum Target {
    /// It holds the whole site and replaces the output in one step.
    Whole,
    /// It holds only the files whose key changed since the previous build, which are moved
    /// into the output; files the build no longer makes are removed. For `bulletin serve`,
    /// where a rebuild should cost what the change touched.
    Changes {
        /// Each file's key from the previous build.
        previous: Keys,
    },
}

/// A site being written. Files are written as soon as they are rendered, so the build
/// never holds the whole site in memory. They go to a staging folder beside the output,
/// and only [`Staging::commit`] touches the output; dropped without a commit (a failed
/// build), the folder is deleted and the output is untouched.
///
/// Writes may come from many threads at once.
pub struct Staging {
    target: Target,
    dir: tempfile::TempDir,
    parent: PathBuf,
    staging_prefix: String,
    retired_prefix: String,
    output: PathBuf,
    /// Whether to work out each file's key, for a later build of the changes only.
    keyed: bool,
    claims: Mutex<Claims>,
}

/// Where a claimed file is to be written.
pub struct Slot(PathBuf);

/// A key for bytes: files whose key is unchanged are not written again.
pub fn key_of(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// A key for a file made from `value` alone (by this binary): a file whose key is unchanged
/// is not even made again, which spares serialising it.
pub fn value_key<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

impl Staging {
    /// Creates the staging folder for a whole new site at `output`, first putting back a
    /// previous site that a killed build left aside and clearing what killed builds left
    /// behind: with the output's lock held, nothing beside it can belong to a build still
    /// running.
    pub fn begin(output: &Path, held: &OutputLock) -> Result<Staging, OutputError> {
        Staging::new(output, Target::Whole, held)
    }

    /// Creates the staging folder for the changes to `output`, given the keys
    /// [`Staging::commit`] returned for the build that wrote it: a file whose key is
    /// unchanged is not made again.
    pub fn changes(
        output: &Path,
        previous: Keys,
        held: &OutputLock,
    ) -> Result<Staging, OutputError> {
        Ok(Staging::new(output, Target::Changes { previous }, held)?.keyed())
    }

    fn new(output: &Path, target: Target, _held: &OutputLock) -> Result<Staging, OutputError> {
        let (parent, name) = parent_and_name(output);
        let (staging_prefix, retired_prefix) = (
            format!("{STAGING_PREFIX}{name}-"),
            format!("{RETIRED_PREFIX}{name}-"),
        );
        std::fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        recover(&parent, output, &retired_prefix)?;
        remove_leftovers(&parent, &[&staging_prefix, &retired_prefix]);
        let dir = tempfile::Builder::new()
            .prefix(&staging_prefix)
            .tempdir_in(&parent)
            .map_err(io_error(&parent))?;
        Ok(Staging {
            target,
            dir,
            parent,
            staging_prefix,
            retired_prefix,
            output: output.to_path_buf(),
            keyed: false,
            claims: Mutex::new(Claims::default()),
        })
    }

    /// Works out each file's key as it is written, so [`Staging::commit`] returns them for
    /// the next build of the changes. Costs a hash of every file.
    pub fn keyed(mut self) -> Staging {
        self.keyed = true;
        self
    }

    /// Whether files get keys (see [`Staging::keyed`]).
    pub fn is_keyed(&self) -> bool {
        self.keyed
    }

    /// The folder the site will replace.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// Writes generated bytes at the site-relative `path`.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let key = self.keyed.then(|| key_of(bytes));
        match self.claim(path, Origin::Generated, key)? {
            Some(slot) => self.fill(slot, bytes),
            None => Ok(()),
        }
    }

    /// Claims `path` for a file made from inputs summed up by `key`: `None` when the file
    /// in the output was made from the same key, so it need not be made again.
    pub fn claim_keyed(&self, path: &str, key: Option<u64>) -> Result<Option<Slot>, OutputError> {
        self.claim(path, Origin::Generated, key)
    }

    /// Writes the bytes of a claimed file.
    pub fn fill(&self, Slot(to): Slot, bytes: &[u8]) -> Result<(), OutputError> {
        self.replace(&to, |w| w.write_all(bytes))
    }

    /// Writes a claimed file through a buffered writer.
    pub fn fill_with(
        &self,
        Slot(to): Slot,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        self.replace(&to, fill)
    }

    /// Writes a generated file through a buffered writer, for output too large to hold
    /// in memory first (the policy feed).
    pub fn write_with(
        &self,
        path: &str,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        match self.claim(path, Origin::Generated, None)? {
            Some(slot) => self.fill_with(slot, fill),
            None => Ok(()),
        }
    }

    /// Copies `source` unchanged to the site-relative `path`.
    pub fn copy(&self, path: &str, source: &Path) -> Result<(), OutputError> {
        // In place, a copy whose source has the same size and time is the same copy.
        let metadata = self.keyed.then(|| std::fs::metadata(source).ok()).flatten();
        let key = metadata.map(|m| {
            let mut hasher = DefaultHasher::new();
            m.len().hash(&mut hasher);
            m.modified().ok().hash(&mut hasher);
            hasher.finish()
        });
        match self.claim(path, Origin::Copied(source.to_path_buf()), key)? {
            Some(Slot(to)) => {
                self.replace(&to, |w| io::copy(&mut File::open(source)?, w).map(drop))
            }
            None => Ok(()),
        }
    }

    /// Writes `to`, in the staging folder, through `fill`.
    fn replace(
        &self,
        to: &Path,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        let file = File::create(to).map_err(io_error(to))?;
        let mut writer = BufWriter::with_capacity(1 << 16, file);
        fill(&mut writer)
            .and_then(|()| writer.flush())
            .map_err(io_error(to))
    }

    /// Checks that `path` is a plain relative path no other file has claimed, and makes
    /// its folder in the staging folder. `None`: the file in the output already has this
    /// `key`.
    fn claim(
        &self,
        path: &str,
        origin: Origin,
        key: Option<u64>,
    ) -> Result<Option<Slot>, OutputError> {
        let plain = !path.is_empty()
            && Path::new(path)
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
        if !plain {
            return Err(OutputError::UnsafePath {
                path: path.to_string(),
            });
        }
        let root = self.dir.path();
        let to = root.join(path);
        // A poisoned lock only means another writer panicked; the claims are still whole.
        let mut claims = self
            .claims
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(first) = claims.files.get(path) {
            // Sorted, so the message does not depend on which thread came first.
            let mut origins = [first.to_string(), origin.to_string()];
            origins.sort();
            let [first, second] = origins;
            return Err(OutputError::Conflict {
                path: path.to_string(),
                first,
                second,
            });
        }
        claims.files.insert(path.to_string(), origin);
        claims.keys.insert(path.to_string(), key);
        if let (Target::Changes { previous }, Some(key)) = (&self.target, key)
            && previous.get(path) == Some(&Some(key))
            && self.output.join(path).is_file()
        {
            return Ok(None);
        }
        claims.staged.push(path.to_string());
        if let Some(dir) = to.parent()
            && !claims.dirs.contains(dir)
        {
            std::fs::create_dir_all(dir).map_err(io_error(dir))?;
            let mut ancestor = Some(dir);
            while let Some(d) = ancestor.filter(|d| d.starts_with(root)) {
                if !claims.dirs.insert(d.to_path_buf()) {
                    break;
                }
                ancestor = d.parent();
            }
        }
        Ok(Some(Slot(to)))
    }

    /// Finishes the site, with its [`MARKER`], and returns each file's key, for the next
    /// build of the changes. A whole site replaces the output in one step, then the
    /// previous site is deleted. Changes are moved in, and should one fail to move, those
    /// moved are put back, so the output is either the new site or the previous one.
    pub fn commit(self) -> Result<Keys, OutputError> {
        self.write(MARKER, MARKER_TEXT.as_bytes())?;
        let Staging {
            target,
            dir,
            parent,
            staging_prefix,
            retired_prefix,
            output,
            claims,
            ..
        } = self;
        let claims = claims
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match target {
            Target::Whole => {
                let staged = dir.keep();
                let swapped = if output.symlink_metadata().is_ok() {
                    swap(&staged, &output, &parent, &retired_prefix)
                } else {
                    std::fs::rename(&staged, &output).map_err(io_error(&output))
                };
                if swapped.is_err() {
                    remove(&staged);
                    swapped?;
                }
                // The new site is in place; what is left at `staged` is the previous one.
                // Failing to delete it does not undo the build: the next build removes it.
                remove(&staged);
            }
            Target::Changes { previous } => {
                let backup = tempfile::Builder::new()
                    .prefix(&staging_prefix)
                    .tempdir_in(&parent)
                    .map_err(io_error(&parent))?;
                let mut staged = claims.staged.clone();
                staged.sort();
                move_in(dir.path(), &output, backup.path(), &staged)?;
                let mut gone: Vec<&String> = previous
                    .keys()
                    .filter(|p| !claims.keys.contains_key(*p))
                    .collect();
                gone.sort();
                for path in gone {
                    let file = output.join(path);
                    let _ = std::fs::remove_file(&file);
                    // A whole build would not have the folders it emptied either.
                    let mut folder = file.parent();
                    while let Some(f) = folder.filter(|f| *f != output) {
                        if std::fs::remove_dir(f).is_err() {
                            break;
                        }
                        folder = f.parent();
                    }
                }
            }
        }
        Ok(claims.keys)
    }
}

/// Moves the files `paths` from `staged` into `output`, each through one rename so a reader
/// never sees half a file. The file each replaces is first linked into `backup`; should a
/// move fail, every move so far is undone and the folders made for them removed.
fn move_in(
    staged: &Path,
    output: &Path,
    backup: &Path,
    paths: &[String],
) -> Result<(), OutputError> {
    let mut made: Vec<PathBuf> = Vec::new();
    let mut moved: Vec<(&str, bool)> = Vec::new();
    let result = paths.iter().try_for_each(|path| {
        let to = output.join(path);
        for folder in to
            .ancestors()
            .skip(1)
            .take_while(|f| *f != output)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            if !folder.is_dir() {
                std::fs::create_dir(folder).map_err(io_error(folder))?;
                made.push(folder.to_path_buf());
            }
        }
        let kept = backup.join(path);
        let had_previous = to.symlink_metadata().is_ok();
        if had_previous {
            if let Some(folder) = kept.parent() {
                std::fs::create_dir_all(folder).map_err(io_error(folder))?;
            }
            std::fs::hard_link(&to, &kept)
                .or_else(|_| std::fs::copy(&to, &kept).map(drop))
                .map_err(io_error(&to))?;
        }
        std::fs::rename(staged.join(path), &to).map_err(io_error(&to))?;
        moved.push((path, had_previous));
        Ok(())
    });
    if result.is_err() {
        for (path, had_previous) in moved.into_iter().rev() {
            let to = output.join(path);
            let _ = if had_previous {
                std::fs::rename(backup.join(path), &to)
            } else {
                std::fs::remove_file(&to)
            };
        }
        for folder in made.iter().rev() {
            let _ = std::fs::remove_dir(folder);
        }
    }
    result
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

    /// Writes `files` (path, text; a text starting with `copy:` copies that file) as a site.
    fn write_site(output: &Path, files: &[(&str, &str)]) -> Result<(), OutputError> {
        let lock = OutputLock::acquire(output)?;
        let staging = Staging::begin(output, &lock)?;
        for (path, text) in files {
            match text.strip_prefix("copy:") {
                Some(source) => staging.copy(path, Path::new(source))?,
                None => staging.write(path, text.as_bytes())?,
            }
        }
        staging.commit().map(drop)
    }

    fn read(dir: &Path, path: &str) -> String {
        std::fs::read_to_string(dir.join(path)).unwrap_or_default()
    }

    fn names(dir: &Path) -> Vec<std::ffi::OsString> {
        std::fs::read_dir(dir)
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .collect()
    }

    #[test]
    fn replaces_the_previous_site_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        write_site(&output, &[("a.html", "one"), ("old.html", "x")]).expect("first");
        write_site(&output, &[("a.html", "two"), ("d/e/b.html", "b")]).expect("second");
        assert_eq!(read(&output, "a.html"), "two");
        assert_eq!(read(&output, "d/e/b.html"), "b");
        assert!(!output.join("old.html").exists());
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn changes_write_only_what_changed_and_remove_what_is_gone() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        let lock = OutputLock::acquire(&output).expect("lock");
        let staging = Staging::begin(&output, &lock).expect("begin").keyed();
        for (path, text) in [
            ("same.html", "same"),
            ("edited.html", "old"),
            ("gone.html", "x"),
        ] {
            staging.write(path, text.as_bytes()).expect("write");
        }
        let page = staging.claim_keyed("page.html", Some(7)).expect("claim");
        staging
            .fill(page.expect("a new file"), b"page")
            .expect("fill");
        let keys = staging.commit().expect("commit");
        let inode = |path: &str| std::fs::metadata(output.join(path)).expect("file").ino();
        let (same, edited) = (inode("same.html"), inode("edited.html"));

        let staging = Staging::changes(&output, keys, &lock).expect("begin");
        staging.write("same.html", b"same").expect("write");
        staging.write("edited.html", b"new").expect("write");
        staging.write("new/added.html", b"added").expect("write");
        assert!(
            staging
                .claim_keyed("page.html", Some(7))
                .expect("claim")
                .is_none()
        );
        staging.commit().expect("commit");
        assert_eq!(inode("same.html"), same);
        assert_ne!(inode("edited.html"), edited);
        assert_eq!(read(&output, "edited.html"), "new");
        assert_eq!(read(&output, "new/added.html"), "added");
        assert_eq!(read(&output, "page.html"), "page");
        assert!(!output.join("gone.html").exists());

        // Changes that are never committed (a failed rebuild) leave the output as it was.
        let keys = {
            let staging = Staging::changes(&output, HashMap::new(), &lock).expect("begin");
            staging.write("edited.html", b"newer").expect("write");
            staging.write("more/added.html", b"more").expect("write");
            drop(staging);
            read(&output, "edited.html")
        };
        assert_eq!(keys, "new");
        assert!(!output.join("more").exists());
        drop(lock);
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn a_move_that_fails_puts_back_every_file_moved_before_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (staged, output, backup) = (
            dir.path().join("staged"),
            dir.path().join("public"),
            dir.path().join("backup"),
        );
        for folder in [&staged, &output, &backup] {
            std::fs::create_dir_all(folder).expect("mkdir");
        }
        std::fs::write(output.join("a.html"), "old a").expect("write");
        std::fs::write(staged.join("a.html"), "new a").expect("write");
        std::fs::create_dir_all(staged.join("new/deep")).expect("mkdir");
        std::fs::write(staged.join("new/deep/b.html"), "new b").expect("write");
        // `z.html` was never staged: its move fails after the others succeeded.
        let paths = ["a.html", "new/deep/b.html", "z.html"].map(String::from);
        move_in(&staged, &output, &backup, &paths).expect_err("z.html is missing");
        assert_eq!(read(&output, "a.html"), "old a");
        assert_eq!(names(&output), ["a.html"]);
    }

    #[test]
    fn streamed_files_are_written_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        let lock = OutputLock::acquire(&output).expect("lock");
        let staging = Staging::begin(&output, &lock).expect("begin");
        staging
            .write_with("feeds/policy.json", |w: &mut dyn Write| {
                (0..10_000).try_for_each(|i| write!(w, "{i},"))
            })
            .expect("stream");
        staging.commit().expect("commit");
        let text = read(&output, "feeds/policy.json");
        assert!(text.starts_with("0,1,2,") && text.ends_with(",9999,"));
    }

    #[test]
    fn an_abandoned_build_leaves_the_previous_site() {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        write_site(&output, &[("a.html", "one")]).expect("first");
        let lock = OutputLock::acquire(&output).expect("lock");
        let staging = Staging::begin(&output, &lock).expect("begin");
        staging.write("a.html", b"half").expect("write");
        drop(staging);
        drop(lock);
        assert_eq!(read(&output, "a.html"), "one");
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn one_output_has_one_builder_at_a_time() {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        let first = OutputLock::acquire(&output).expect("lock");
        let staging = Staging::begin(&output, &first).expect("begin");
        staging.write("a.html", b"first").expect("write");
        let error = OutputLock::acquire(&output).expect_err("held");
        assert!(
            error
                .to_string()
                .starts_with(&format!("another bulletin is writing {}", output.display())),
            "{error}"
        );
        // The holder's staging folder is still there and still commits.
        staging.commit().expect("commit");
        assert_eq!(read(&output, "a.html"), "first");
        drop(first);
        let second = OutputLock::acquire(&output).expect("free again");
        drop(second);
        assert_eq!(names(dir.path()), ["public"]);
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
        write_site(&output, &[("index.html", "next")]).expect("write");
        assert_eq!(read(&output, "index.html"), "next");
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn unsafe_and_clashing_paths_write_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        for path in ["../escape.html", "/etc/x", "", "a/../../b", "./a"] {
            let error = write_site(&output, &[(path, "x")]).expect_err(path);
            assert!(
                matches!(error, OutputError::UnsafePath { .. }),
                "{path}: {error}"
            );
        }
        let source = dir.path().join("style.css");
        std::fs::write(&source, "content").expect("write");
        let copy = format!("copy:{}", source.display());
        let error = write_site(
            &output,
            &[("static/style.css", "theme"), ("static/style.css", &copy)],
        )
        .expect_err("clash");
        let message = error.to_string();
        assert!(
            message.contains(&source.display().to_string())
                && message.contains("a page the build generates"),
            "{message}"
        );
        assert!(!output.exists());
        assert_eq!(names(dir.path()), ["style.css"]);
    }
}
