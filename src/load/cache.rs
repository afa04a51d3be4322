//! What `bulletin serve` keeps of the Markdown it read, so that a rebuild reads, decodes and
//! splits again only the files whose size or modification time changed: at 10,000 notices,
//! reading and parsing every frontmatter was a tenth of a rebuild after a one-file edit.
//!
//! A file is known by its content path and the real path it was read from; it is the same
//! file while its length and modification time are. A file system that keeps no
//! modification time is never cached, and neither is a file modified in the last
//! [`RACY`]: modification times are coarser than the time between two writes of an editor
//! (or a test), so such a file could change again without its stamp changing (git's "racily
//! clean" entries).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use crate::diagnostic::Diagnostic;
use crate::model::{ContentPath, Notice};

/// How recently modified a file may be and still be cached.
pub const RACY: Duration = Duration::from_secs(2);

/// Markdown files as last read; see the module's documentation.
#[derive(Default)]
pub struct LoadCache {
    entries: Mutex<HashMap<Key, Entry>>,
}

type Key = (String, PathBuf);

/// What reading one Markdown file gave: the notice (or why not), and its warnings.
pub(super) type Outcome = (Result<Option<Notice>, Diagnostic>, Vec<Diagnostic>);

struct Entry {
    stamp: Stamp,
    outcome: Outcome,
}

/// What tells one version of a file from the next without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    len: u64,
    modified: SystemTime,
}

impl Stamp {
    /// The stamp of `file` as it is now; `None` when it cannot be told.
    pub(super) fn of(file: &Path) -> Option<Stamp> {
        let metadata = std::fs::metadata(file).ok()?;
        Some(Stamp {
            len: metadata.len(),
            modified: metadata.modified().ok()?,
        })
    }
}

impl LoadCache {
    /// What reading the file gave last time, if it has not changed since.
    pub(super) fn get(&self, path: &ContentPath, file: &Path, stamp: Stamp) -> Option<Outcome> {
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(&(path.as_str().to_string(), file.to_path_buf()))?;
        (entry.stamp == stamp).then(|| entry.outcome.clone())
    }

    /// Keeps what reading the file gave, unless the file was modified too recently to trust
    /// its stamp.
    pub(super) fn put(&self, path: &ContentPath, file: &Path, stamp: Stamp, outcome: &Outcome) {
        let settled = SystemTime::now()
            .duration_since(stamp.modified)
            .is_ok_and(|age| age >= RACY);
        if !settled {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(
                (path.as_str().to_string(), file.to_path_buf()),
                Entry {
                    stamp,
                    outcome: outcome.clone(),
                },
            );
        }
    }

    /// Forgets the files that are gone.
    pub(super) fn retain(&self, seen: &HashSet<Key>) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|key, _| seen.contains(key));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_again_when_its_stamp_changes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a.md");
        std::fs::write(&file, "one").expect("write");
        let path = ContentPath("a.md".into());
        let cache = LoadCache::default();
        let fresh = Stamp::of(&file).expect("stamp");
        // Just written: not to be trusted yet.
        cache.put(&path, &file, fresh, &(Ok(None), Vec::new()));
        assert!(cache.get(&path, &file, fresh).is_none());
        let old = SystemTime::now() - RACY * 2;
        let touch = |when: SystemTime| {
            std::fs::File::options()
                .write(true)
                .open(&file)
                .and_then(|f| f.set_modified(when))
                .expect("set the modification time");
        };
        touch(old);
        let first = Stamp::of(&file).expect("stamp");
        cache.put(&path, &file, first, &(Ok(None), Vec::new()));
        assert!(cache.get(&path, &file, first).is_some());
        std::fs::write(&file, "three").expect("write");
        touch(old + Duration::from_secs(1));
        let second = Stamp::of(&file).expect("stamp");
        assert_ne!(first, second);
        assert!(cache.get(&path, &file, second).is_none());
        cache.retain(&HashSet::new());
        assert!(cache.get(&path, &file, first).is_none());
    }
}
