//! History: every committed version of each notice, read from the git repository that holds
//! `content/`.
//!
//! What is read is the mainline: HEAD and its first parents, each merge compared with its
//! first parent. That is when a change reached the branch being built (the commits of a
//! merged pull request count once, at the merge, dated by it), and a line, so renames are
//! followed exactly: walking back from HEAD, a notice's path becomes the path it was renamed
//! from. On MicrosoftDocs/azure-management-docs that is 867 of its 53,923 commits; the rest
//! are the commits of merged branches, which were never published on their own.
//!
//! Git is read with the `git` command in a fixed number of processes, whatever the size of
//! the site: `rev-parse` (where the repository is, whether it is shallow), one `log` pass
//! (`--raw -M -z`: every change to a file under `content/`, its blob id and its renames), one
//! `status` (uncommitted edits), and `cat-file --batch` for the texts of the versions to read.
//! A library such as gix would spare the processes but not the work: the log walk, the tree
//! comparisons and rename detection are what it would do in their place, for a large
//! dependency tree and its compile time, while git is on every machine that has a clone.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::model::{CommitRef, ContentPath};

/// One committed version of a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The commit that made it: an index into [`History::commits`].
    pub commit: usize,
    /// The git object id of its text.
    pub blob: String,
    /// Where the notice was at that commit, relative to `content/` (renames followed).
    pub path: ContentPath,
}

/// A notice's past.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileHistory {
    /// Its committed versions, oldest first.
    pub versions: Vec<Version>,
    /// Whether the working tree's text is not the last committed version: edited and not
    /// committed, or never committed at all.
    pub modified: bool,
}

/// What the repository says about the notices' past.
#[derive(Debug)]
pub struct History {
    git: Git,
    /// The mainline commits that changed a notice, oldest first.
    pub commits: Vec<CommitRef>,
    /// Each notice's past, by its path in the working tree.
    pub files: BTreeMap<ContentPath, FileHistory>,
    /// Whether the clone is shallow: commits before the oldest one read were not fetched.
    pub shallow: bool,
    /// The repository's git folder (shared by its worktrees), where a build may keep what it
    /// read of the past.
    pub git_dir: PathBuf,
}

/// Why the history could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The `git` command could not be started.
    #[error("git cannot be run ({0}); is it installed?")]
    NoGit(std::io::Error),
    /// The content folder is not inside a git work tree.
    #[error("{} is not in a git repository", .0.display())]
    NotARepository(PathBuf),
    /// Git ran and failed.
    #[error("`git {command}` failed: {message}")]
    Failed {
        /// The subcommand.
        command: String,
        /// Git's message.
        message: String,
    },
    /// Git's output is not what `bulletin` asked for.
    #[error("`git {command}` printed something bulletin cannot read: {what}")]
    Unreadable {
        /// The subcommand.
        command: String,
        /// What was wrong.
        what: String,
    },
}

/// Where git runs: the work tree's top folder, and `content/`'s path in it.
#[derive(Debug, Clone)]
struct Git {
    top: PathBuf,
    /// `content/`'s path from the top, with a trailing `/`; empty when it is the top.
    prefix: String,
}

impl Git {
    fn command(&self, subcommand: &str) -> Command {
        command_in(&self.top, subcommand)
    }

    /// The pathspec of the content folder.
    fn pathspec(&self) -> &str {
        match self.prefix.trim_end_matches('/') {
            "" => ".",
            prefix => prefix,
        }
    }
}

/// A git command in `dir`, isolated from settings that would change its output: paths are
/// literal, no pager, colour, `--follow` or relative paths, and never a network fetch for a
/// missing object (partial clones) or a prompt.
fn command_in(dir: &Path, subcommand: &str) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(dir)
        .args([
            "--no-pager",
            "--literal-pathspecs",
            "-c",
            "log.follow=false",
            "-c",
            "log.showSignature=false",
            "-c",
            "diff.relative=false",
            "-c",
            "color.ui=never",
            subcommand,
        ])
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_COMMON_DIR")
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    command
}

/// Runs a git command to the end: its standard output, or why it failed.
fn run(mut command: Command, subcommand: &str) -> Result<Vec<u8>, HistoryError> {
    let output = command.output().map_err(HistoryError::NoGit)?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let message = stderr
        .lines()
        .find(|l| l.starts_with("fatal:") || l.starts_with("error:"))
        .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("no message")
        .trim()
        .to_string();
    Err(HistoryError::Failed {
        command: subcommand.to_string(),
        message,
    })
}

/// Reads the history of the notices at `notices` (paths relative to `content`), where
/// `content` is the content folder's real path.
pub fn read(content: &Path, notices: &[&ContentPath]) -> Result<History, HistoryError> {
    let mut rev_parse = command_in(content, "rev-parse");
    rev_parse.args([
        "--show-toplevel",
        "--show-prefix",
        "--is-shallow-repository",
        "--git-common-dir",
    ]);
    let where_ = run(rev_parse, "rev-parse").map_err(|e| match e {
        HistoryError::Failed { message, .. } if message.contains("not a git repository") => {
            HistoryError::NotARepository(content.to_path_buf())
        }
        e => e,
    })?;
    let where_ = String::from_utf8_lossy(&where_);
    let mut lines = where_.lines();
    let (Some(top), Some(prefix), Some(shallow), Some(git_dir)) =
        (lines.next(), lines.next(), lines.next(), lines.next())
    else {
        return Err(HistoryError::Unreadable {
            command: "rev-parse".to_string(),
            what: format!("four lines expected, got `{}`", where_.trim()),
        });
    };
    // Relative to where rev-parse ran, unless absolute.
    let git_dir = content.join(git_dir);
    let git = Git {
        top: PathBuf::from(top),
        prefix: prefix.to_string(),
    };
    let shallow = shallow == "true";

    let mut head = git.command("rev-parse");
    head.args(["-q", "--verify", "HEAD^{commit}"]);
    let has_commits = head.output().map_err(HistoryError::NoGit)?.status.success();
    let log = if has_commits {
        let mut log = git.command("log");
        log.args([
            "--first-parent",
            "-m",
            "--root",
            "--raw",
            "-z",
            "-M",
            "--no-abbrev",
            "--no-ext-diff",
            "--no-textconv",
            "--format=%H %ct",
            "HEAD",
            "--",
            git.pathspec(),
        ]);
        parse_log(&run(log, "log")?)?
    } else {
        Vec::new()
    };
    let modified = if has_commits {
        let mut status = git.command("status");
        status.args([
            "--porcelain=v1",
            "-z",
            "--untracked-files=no",
            "--no-renames",
            "--ignore-submodules",
            "--",
            git.pathspec(),
        ]);
        parse_status(&run(status, "status")?)
    } else {
        HashSet::new()
    };

    let (commits, mut files) = follow(log, &git.prefix, notices);
    for (path, file) in &mut files {
        file.modified = file.versions.is_empty()
            || modified.contains(&format!("{}{}", git.prefix, path.as_str()));
    }
    Ok(History {
        git,
        commits,
        files,
        shallow,
        git_dir,
    })
}

/// The file git appends to whenever HEAD moves (a commit, a checkout, a reset, a pull), so
/// that `bulletin serve` can rebuild when the history changes while the files do not.
/// `None` outside a repository or where git keeps no such log.
pub fn head_log(content: &Path) -> Option<PathBuf> {
    let mut rev_parse = command_in(content, "rev-parse");
    rev_parse.args(["--git-path", "logs/HEAD"]);
    let path = run(rev_parse, "rev-parse").ok()?;
    let path = content.join(String::from_utf8_lossy(&path).trim());
    path.is_file().then_some(path)
}

impl History {
    /// `content/`'s path in the repository (`docs/`; empty at the top).
    pub fn content_prefix(&self) -> &str {
        &self.git.prefix
    }

    /// The texts of the blobs `ids`, read in one `git cat-file --batch`. A blob the
    /// repository does not have (a partial clone) is left out.
    pub fn blobs(&self, ids: &[&str]) -> Result<HashMap<String, Vec<u8>>, HistoryError> {
        let fail = |e: std::io::Error| HistoryError::Failed {
            command: "cat-file".to_string(),
            message: e.to_string(),
        };
        let mut command = self.git.command("cat-file");
        command
            .arg("--batch")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = command.spawn().map_err(HistoryError::NoGit)?;
        let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(fail(std::io::Error::other("no pipe to git")));
        };
        let read = std::thread::scope(|scope| {
            // Git answers as it is asked, so the questions are written while the answers
            // are read: either alone would fill a pipe and wait for the other.
            let writer = scope.spawn(move || -> std::io::Result<()> {
                let mut questions = std::io::BufWriter::new(&mut stdin);
                for id in ids {
                    writeln!(questions, "{id}")?;
                }
                questions.flush()
            });
            let answers = read_batch(BufReader::new(stdout), ids.len());
            let written = writer
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("the writer stopped")));
            written.and(answers)
        });
        let status = child.wait().map_err(fail)?;
        let blobs = read.map_err(fail)?;
        if !status.success() {
            return Err(fail(std::io::Error::other(format!("exited with {status}"))));
        }
        Ok(blobs)
    }
}

/// Reads `count` answers of `git cat-file --batch`: `<id> blob <size>\n<bytes>\n`, or
/// `<id> missing\n`.
fn read_batch(
    mut answers: impl BufRead,
    count: usize,
) -> std::io::Result<HashMap<String, Vec<u8>>> {
    let mut blobs = HashMap::with_capacity(count);
    let mut header = String::new();
    for _ in 0..count {
        header.clear();
        if answers.read_line(&mut header)? == 0 {
            break;
        }
        let mut parts = header.split_whitespace();
        let (Some(id), Some(kind), Some(size)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let size: usize = size
            .parse()
            .map_err(|_| std::io::Error::other(format!("bad object size in `{header}`")))?;
        let mut bytes = vec![0; size + 1];
        answers.read_exact(&mut bytes)?;
        bytes.pop();
        if kind == "blob" {
            blobs.insert(id.to_string(), bytes);
        }
    }
    Ok(blobs)
}

/// One file changed by a commit, as `git log --raw` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Change {
    /// `A`, `C`, `D`, `M`, `R` or `T`.
    status: u8,
    /// The file's mode after the commit (`100644`; `120000` is a symbolic link).
    mode: String,
    /// Its blob after the commit.
    blob: String,
    /// For renames and copies, where it came from.
    from: Option<String>,
    /// Its path after the commit.
    path: String,
}

/// Parses `git log -z --raw --format=%H %ct`: commits newest first, each with its changes.
fn parse_log(bytes: &[u8]) -> Result<Vec<(CommitRef, Vec<Change>)>, HistoryError> {
    let unreadable = |what: String| HistoryError::Unreadable {
        command: "log".to_string(),
        what,
    };
    let mut commits: Vec<(CommitRef, Vec<Change>)> = Vec::new();
    let mut fields = bytes.split(|&b| b == 0);
    while let Some(field) = fields.next() {
        let field = field.strip_prefix(b"\n").unwrap_or(field);
        if field.is_empty() {
            continue;
        }
        let text = std::str::from_utf8(field);
        if let Some(raw) = field.strip_prefix(b":") {
            let raw = std::str::from_utf8(raw).map_err(|e| unreadable(e.to_string()))?;
            let parts: Vec<&str> = raw.split(' ').collect();
            let [_, mode, _, blob, status] = parts[..] else {
                return Err(unreadable(format!("a change line `:{raw}`")));
            };
            let status = status.bytes().next().unwrap_or(b'M');
            let mut path = || {
                fields
                    .next()
                    .map(|p| String::from_utf8_lossy(p).into_owned())
                    .ok_or_else(|| unreadable("a change without its path".to_string()))
            };
            let (from, path) = if matches!(status, b'R' | b'C') {
                (Some(path()?), path()?)
            } else {
                (None, path()?)
            };
            let Some((_, changes)) = commits.last_mut() else {
                return Err(unreadable("a change before any commit".to_string()));
            };
            changes.push(Change {
                status,
                mode: mode.to_string(),
                blob: blob.to_string(),
                from,
                path,
            });
        } else {
            let text = text.map_err(|e| unreadable(e.to_string()))?;
            let (id, time) = text
                .split_once(' ')
                .and_then(|(id, time)| Some((id, time.trim().parse::<i64>().ok()?)))
                .ok_or_else(|| unreadable(format!("a commit line `{text}`")))?;
            commits.push((
                CommitRef {
                    id: id.to_string(),
                    time,
                },
                Vec::new(),
            ));
        }
    }
    Ok(commits)
}

/// Parses `git status --porcelain=v1 -z`: the paths with uncommitted changes.
fn parse_status(bytes: &[u8]) -> HashSet<String> {
    bytes
        .split(|&b| b == 0)
        .filter_map(|entry| entry.get(3..))
        .filter(|path| !path.is_empty())
        .map(|path| String::from_utf8_lossy(path).into_owned())
        .collect()
}

/// Follows each notice back through `log` (newest first): the versions of the file at its
/// path, then, past a rename, at the path it came from, until the commit that added it.
/// Returns the commits that made a version (oldest first) and each notice's versions.
fn follow(
    log: Vec<(CommitRef, Vec<Change>)>,
    prefix: &str,
    notices: &[&ContentPath],
) -> (Vec<CommitRef>, BTreeMap<ContentPath, FileHistory>) {
    // Repository path -> the notice that is there at the point of the walk.
    let mut tracked: HashMap<String, usize> = notices
        .iter()
        .enumerate()
        .map(|(i, path)| (format!("{prefix}{}", path.as_str()), i))
        .collect();
    let mut found: Vec<Vec<(usize, String, String)>> = vec![Vec::new(); notices.len()];
    let mut commits = Vec::new();
    for (commit, changes) in log {
        let mut used = false;
        for change in changes {
            let Some(&notice) = tracked.get(&change.path) else {
                continue;
            };
            if change.status == b'D' {
                tracked.remove(&change.path);
                continue;
            }
            // A symbolic link's blob is its target's name, not a text; a submodule is not
            // a file.
            if change.mode != "120000" && change.mode != "160000" {
                found[notice].push((commits.len(), change.blob, change.path.clone()));
                used = true;
            }
            match change.status {
                b'A' | b'C' => {
                    tracked.remove(&change.path);
                }
                b'R' => {
                    tracked.remove(&change.path);
                    if let Some(from) = change.from {
                        tracked.insert(from, notice);
                    }
                }
                _ => {}
            }
        }
        if used {
            commits.push(commit);
        }
    }
    let last = commits.len().saturating_sub(1);
    commits.reverse();
    let files = notices
        .iter()
        .zip(found)
        .map(|(path, versions)| {
            let mut versions: Vec<Version> = versions
                .into_iter()
                .filter_map(|(commit, blob, at)| {
                    let at = at.strip_prefix(prefix)?;
                    Some(Version {
                        commit: last - commit,
                        blob,
                        path: ContentPath(at.to_string()),
                    })
                })
                .collect();
            versions.reverse();
            (
                (*path).clone(),
                FileHistory {
                    versions,
                    modified: false,
                },
            )
        })
        .collect();
    (commits, files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(id: &str, time: i64, changes: &[(&str, &str, Option<&str>, &str)]) -> String {
        let mut text = format!("{id} {time}\0\n");
        for (status, blob, from, path) in changes {
            text.push_str(&format!(
                ":100644 100644 {} {blob} {status}\0",
                "0".repeat(40)
            ));
            if let Some(from) = from {
                text.push_str(&format!("{from}\0"));
            }
            text.push_str(&format!("{path}\0"));
        }
        text
    }

    #[test]
    fn the_log_is_parsed_with_renames() {
        let log = [
            commit("c3", 30, &[("M", "b3", None, "docs/new.md")]),
            commit(
                "c2",
                20,
                &[
                    ("R087", "b2", Some("docs/old.md"), "docs/new.md"),
                    ("D", "00", None, "docs/gone.md"),
                ],
            ),
            commit("c1", 10, &[("A", "b1", None, "docs/old.md")]),
        ]
        .concat();
        let parsed = parse_log(log.as_bytes()).expect("parses");
        assert_eq!(parsed.len(), 3);
        assert_eq!(parsed[1].0.id, "c2");
        assert_eq!(parsed[1].0.time, 20);
        assert_eq!(parsed[1].1[0].status, b'R');
        assert_eq!(parsed[1].1[0].from.as_deref(), Some("docs/old.md"));
        assert_eq!(parsed[1].1[0].path, "docs/new.md");
        assert_eq!(parsed[1].1[1].status, b'D');
        assert!(parse_log(b"garbage line\0").is_err());
        assert!(parse_log(b":100644 100644 a b M\0x.md\0").is_err());
    }

    #[test]
    fn a_notice_is_followed_through_its_renames_to_the_commit_that_added_it() {
        let log = [
            commit("c4", 40, &[("M", "b4", None, "docs/new.md")]),
            commit("c3", 30, &[("M", "x", None, "docs/other.md")]),
            commit(
                "c2",
                20,
                &[("R090", "b2", Some("docs/old.md"), "docs/new.md")],
            ),
            commit("c1", 10, &[("A", "b1", None, "docs/old.md")]),
            // Before it was added, another file had that name; it is not this notice.
            commit("c0", 5, &[("D", "0", None, "docs/old.md")]),
        ]
        .concat();
        let new = ContentPath("new.md".to_string());
        let (commits, files) = follow(parse_log(log.as_bytes()).expect("parses"), "docs/", &[&new]);
        let ids: Vec<&str> = commits.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["c1", "c2", "c4"]);
        let versions: Vec<(&str, &str, &str)> = files[&new]
            .versions
            .iter()
            .map(|v| {
                (
                    commits[v.commit].id.as_str(),
                    v.blob.as_str(),
                    v.path.as_str(),
                )
            })
            .collect();
        assert_eq!(
            versions,
            [
                ("c1", "b1", "old.md"),
                ("c2", "b2", "new.md"),
                ("c4", "b4", "new.md")
            ]
        );
    }

    #[test]
    fn a_file_deleted_and_made_again_starts_a_new_history() {
        let log = [
            commit("c3", 30, &[("A", "b3", None, "a.md")]),
            commit("c2", 20, &[("D", "0", None, "a.md")]),
            commit("c1", 10, &[("A", "b1", None, "a.md")]),
        ]
        .concat();
        let a = ContentPath("a.md".to_string());
        let (_, files) = follow(parse_log(log.as_bytes()).expect("parses"), "", &[&a]);
        let blobs: Vec<&str> = files[&a].versions.iter().map(|v| v.blob.as_str()).collect();
        assert_eq!(blobs, ["b3"]);
    }

    #[test]
    fn status_lists_the_changed_paths() {
        let changed = parse_status(b" M content/a.md\0M  content/b.md\0");
        assert!(changed.contains("content/a.md"));
        assert!(changed.contains("content/b.md"));
        assert_eq!(changed.len(), 2);
    }

    #[test]
    fn batch_answers_are_read_and_missing_objects_left_out() {
        let answers = b"aa blob 5\nhello\nbb missing\ncc blob 0\n\n";
        let blobs = read_batch(&answers[..], 3).expect("reads");
        assert_eq!(blobs["aa"], b"hello");
        assert_eq!(blobs["cc"], b"");
        assert!(!blobs.contains_key("bb"));
    }
}
