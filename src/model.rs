//! The shared vocabulary of the pipeline: what a notice is after loading, where a fact came
//! from, and how notices are grouped into advisories. Stages exchange these types and nothing
//! else, so each stage can be read and tested on its own.

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use serde::Serialize;

/// A path relative to the content root, always with `/` separators, e.g. `connect/pks.md`.
///
/// Kept as a string so it is identical on every platform and sorts deterministically.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct ContentPath(pub String);

impl ContentPath {
    /// The folder part (`connect` for `connect/pks.md`; empty at the root).
    pub fn parent(&self) -> &str {
        self.0.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// The file name (`pks.md`).
    pub fn file_name(&self) -> &str {
        self.0
            .rsplit_once('/')
            .map_or(self.0.as_str(), |(_, name)| name)
    }

    /// The file name without its extension (`pks`).
    pub fn stem(&self) -> &str {
        let name = self.file_name();
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Resolves a path written in this file (`../x.md`, `./x.md`, `x\\y.md`, or `~/x.md` for
    /// the docset root `docset_root`) to a path under the content root. `None` when it is
    /// absolute or climbs out of the content root.
    pub fn resolve(&self, written: &str, docset_root: &str) -> Option<String> {
        let written = written.replace('\\', "/");
        let (base, rest): (&str, &str) = if let Some(rest) = written.strip_prefix("~/") {
            (docset_root, rest)
        } else if written.starts_with('/') || written.get(1..3) == Some(":/") {
            return None;
        } else {
            (self.parent(), &written)
        };
        let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
        for part in rest.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                part => parts.push(part),
            }
        }
        Some(parts.join("/"))
    }

    /// The path as a user sees it from the site root (`content/connect/pks.md`), for
    /// diagnostics.
    pub fn site_path(&self) -> std::path::PathBuf {
        std::path::Path::new(CONTENT_DIR).join(&self.0)
    }
}

/// The folder under the site root that holds the notices.
pub const CONTENT_DIR: &str = "content";

impl fmt::Display for ContentPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a fact came from: a file under `content/` and a 1-based line.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub struct SourcePos {
    /// The file, relative to `content/`, with `/` separators.
    pub file: ContentPath,
    /// The 1-based line in that file.
    pub line: u32,
}

/// The frontmatter fields bulletin understands, typed, plus every other key as given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `author`.
    pub author: Option<String>,
    /// `ms.date`, written MM/DD/YYYY on Learn.
    pub ms_date: Option<Date>,
    /// `ms.author`.
    pub ms_author: Option<String>,
    /// `ms.service`.
    pub ms_service: Option<String>,
    /// `ms.topic`.
    pub ms_topic: Option<String>,
    /// An explicit advisory id; revisions that share it are one advisory.
    pub id: Option<String>,
    /// An explicit revision number; higher is later.
    pub revision: Option<u64>,
    /// An explicit date of this revision (YYYY-MM-DD or MM/DD/YYYY).
    pub updated: Option<Date>,
    /// The file (relative to this notice) of the revision this one replaces.
    pub supersedes: Option<String>,
    /// Every other key, unchanged, in key order.
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// One Markdown file under `content/`, decoded and split into frontmatter and body.
#[derive(Debug, Clone)]
pub struct Notice {
    /// Where the file lives under the content root.
    pub path: ContentPath,
    /// The whole decoded text (UTF-8, `\n` line endings, no BOM, mojibake repaired).
    pub source: String,
    /// Where the Markdown after the frontmatter starts in `source`, in bytes (kept as an
    /// offset: a copy would double the memory a large site's text takes).
    pub body_start: usize,
    /// The 1-based line of `source` on which the body starts.
    pub body_line: u32,
    /// The parsed frontmatter (default when the file has none).
    pub front: FrontMatter,
    /// Whether the file had a frontmatter block at all.
    pub has_frontmatter: bool,
}

impl Notice {
    /// The Markdown after the frontmatter.
    pub fn body(&self) -> &str {
        self.source.get(self.body_start..).unwrap_or_default()
    }

    /// Converts a 1-based line within `body` to a 1-based line within the file.
    pub fn file_line(&self, body_line: u32) -> u32 {
        self.body_line + body_line.saturating_sub(1)
    }
}

/// A group of notices that are revisions of one advisory, with the URL slug they share.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Advisory {
    /// The URL slug: `/advisories/<id>/`.
    pub id: String,
    /// Indices into the notice list, in path order (reconcile decides which one stands).
    pub members: Vec<usize>,
    /// Why the members are one advisory: for each member but the first (in path order),
    /// the evidence that ties it to another member. Empty for a single notice.
    pub grouped_by: Vec<Grouping>,
    /// The members' `supersedes:` pointers, resolved: (the notice, the notice it replaces).
    pub supersedes: Vec<(usize, usize)>,
}

/// The evidence that a notice is a revision of the same advisory as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grouping {
    /// The notice (an index into the notice list).
    pub notice: usize,
    /// The member it was matched with.
    pub with: usize,
    /// What they share.
    pub basis: GroupBasis,
}

/// What two notices share that makes them revisions of one advisory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBasis {
    /// The same explicit `id`.
    ExplicitId,
    /// One's `supersedes:` points at the other.
    Supersedes,
    /// The same file name, and the same title (or one a typo away).
    SameFileName,
    /// The same title, and this percentage of the shorter body's text in the other.
    SharedText(u8),
}

/// What makes a notice a revision of an advisory, without the measure of shared text, as
/// the feed names it: `explicit-id`, `supersedes`, `same-file-name` or `shared-text`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum GroupKind {
    /// The same explicit `id`.
    ExplicitId,
    /// One's `supersedes:` points at the other.
    Supersedes,
    /// The same file name, and the same title (or one a typo away).
    SameFileName,
    /// The same title and substantial shared text.
    SharedText,
}

impl GroupBasis {
    /// The kind of evidence, without its measure.
    pub fn kind(self) -> GroupKind {
        match self {
            GroupBasis::ExplicitId => GroupKind::ExplicitId,
            GroupBasis::Supersedes => GroupKind::Supersedes,
            GroupBasis::SameFileName => GroupKind::SameFileName,
            GroupBasis::SharedText(_) => GroupKind::SharedText,
        }
    }

    /// The basis in plain words (`shared text 63%`).
    pub fn label(self) -> String {
        match self {
            GroupBasis::ExplicitId => "explicit id".to_string(),
            GroupBasis::Supersedes => "supersedes".to_string(),
            GroupBasis::SameFileName => "same file name".to_string(),
            GroupBasis::SharedText(percent) => format!("shared text {percent}%"),
        }
    }
}

/// A set of zone pivots a page lets readers choose from, as a docs repository's
/// `zone-pivot-groups.yml` (`### YamlMime:ZonePivotGroups`) defines it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PivotGroup {
    /// Its id, which `zone_pivot_groups` in a page's frontmatter names.
    pub id: String,
    /// What the choice is about (`Platform`).
    pub title: String,
    /// The selector's prompt (`Choose a platform`).
    pub prompt: String,
    /// The pivots, in the order offered.
    pub pivots: Vec<Pivot>,
}

/// One choice of a [`PivotGroup`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pivot {
    /// The id `::: zone pivot="..."` names.
    pub id: String,
    /// What readers see.
    pub title: String,
}

/// A table of contents (`toc.yml`): the navigation of the pages in its folder and below.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toc {
    /// Where the file is.
    pub path: ContentPath,
    /// Its entries, in order.
    pub items: Vec<TocItem>,
}

/// One entry of a [`Toc`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocItem {
    /// What it is called.
    pub name: String,
    /// Where it links, as written (relative to the toc file); `None` for a heading.
    pub href: Option<String>,
    /// The entries under it.
    pub items: Vec<TocItem>,
}

/// A callout kind (`> [!NOTE]` and friends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Callout {
    /// `[!NOTE]`.
    Note,
    /// `[!TIP]`.
    Tip,
    /// `[!IMPORTANT]`.
    Important,
    /// `[!WARNING]`.
    Warning,
    /// `[!CAUTION]`.
    Caution,
}

/// What kind of block of a notice's text a [`Block`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading of this level (1-6).
    Heading(u8),
    /// A paragraph (outside lists, or a list item's later paragraphs).
    Paragraph,
    /// A list item's own text, without its nested lists.
    ListItem,
    /// A table row; `header` for the head row.
    TableRow {
        /// Whether this is the table's head row.
        header: bool,
    },
}

/// A block of a notice's text as extraction sees it: plain text (Markdown markup, links and
/// emphasis reduced to their words) with its place in the document and its line in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What kind of block.
    pub kind: BlockKind,
    /// The block's plain text; for table rows, the cells joined by ` | `.
    pub text: String,
    /// Table rows: each cell's plain text.
    pub cells: Vec<String>,
    /// The 1-based file line of the block's first character.
    pub line: u32,
    /// Where each later line of a multi-line block starts: (byte offset in `text`, file line).
    pub line_starts: Vec<(usize, u32)>,
    /// List items: nesting depth, 1 for a top-level item; 0 for other blocks.
    pub depth: u16,
    /// List items and their paragraphs: the index of the enclosing list item.
    pub parent: Option<usize>,
    /// The callout this block sits in, if any.
    pub callout: Option<Callout>,
    /// The index of the heading this block sits under, if any.
    pub section: Option<usize>,
    /// The zone pivot the block sits in (`::: zone pivot="..."`), if any; a zone shown for
    /// several pivots gives them comma-separated, as written (`csharp,java`).
    pub pivot: Option<String>,
    /// The tab the block sits in (`portal` for `# [Portal](#tab/portal)`), if any.
    pub tab: Option<String>,
    /// The included file the block was written in, when it comes from an `[!INCLUDE]`;
    /// `None` for the notice's own text. `line` and `line_starts` are lines of this file.
    pub file: Option<ContentPath>,
}

impl Block {
    /// The file line of the byte at `offset` in `text`.
    pub fn line_at(&self, offset: usize) -> u32 {
        self.line_starts
            .iter()
            .take_while(|(start, _)| *start <= offset)
            .last()
            .map_or(self.line, |&(_, line)| line)
    }
}

/// A minimum version a notice requires of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Requirement {
    /// The product.
    pub product: ProductRef,
    /// The minimum version, or the placeholder the notice wrote instead of one.
    pub minimum: crate::version::VersionSpec,
    /// The clouds this applies to (`commercial`, `noncommercial`, ...); empty means all.
    pub clouds: Vec<String>,
    /// The date by which it must be met ("by D": D itself is still allowed).
    pub deadline: Option<crate::date::PartialDate>,
    /// The text it was read from.
    pub text: String,
    /// Where it was read from.
    pub source: SourcePos,
    /// The zone pivot it was stated in (`::: zone pivot="..."`), if any: it holds for
    /// readers of that pivot.
    pub pivot: Option<String>,
}

impl Requirement {
    /// What identifies "the same requirement" across revisions: product, clouds and pivot.
    pub fn key(&self) -> (String, Vec<String>, Option<String>) {
        (
            self.product.id.clone(),
            self.clouds.clone(),
            self.pivot.clone(),
        )
    }
}

/// A product as a notice names it: from the catalog, or derived from the name.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub struct ProductRef {
    /// The catalog id, or a slug of the name for products not in the catalog.
    pub id: String,
    /// The catalog name, or the name as the notice wrote it.
    pub name: String,
    /// Whether the catalog knows this product.
    pub in_catalog: bool,
}

/// What a cutoff a notice dates means. Release dates and history are not cutoffs, so they
/// are not milestones at all.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum MilestoneKind {
    /// Upgrade (or act) by this date.
    Deadline,
    /// Something stops working after this date.
    StopsWorking,
    /// Something is retired on this date.
    Retirement,
    /// Support ends or something is deprecated on this date.
    EndOfSupport,
}

impl MilestoneKind {
    /// Every kind, in order.
    pub const ALL: [MilestoneKind; 4] = [
        MilestoneKind::Deadline,
        MilestoneKind::StopsWorking,
        MilestoneKind::Retirement,
        MilestoneKind::EndOfSupport,
    ];

    /// The kind's id, as the feed writes it (`stops-working`).
    pub fn id(self) -> &'static str {
        match self {
            MilestoneKind::Deadline => "deadline",
            MilestoneKind::StopsWorking => "stops-working",
            MilestoneKind::Retirement => "retirement",
            MilestoneKind::EndOfSupport => "end-of-support",
        }
    }

    /// A label for people (`Stops working`).
    pub fn label(self) -> &'static str {
        match self {
            MilestoneKind::Deadline => "Deadline",
            MilestoneKind::StopsWorking => "Stops working",
            MilestoneKind::Retirement => "Retirement",
            MilestoneKind::EndOfSupport => "End of support",
        }
    }
}

/// A dated statement: a deadline, a retirement, the end of support, ...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Milestone {
    /// What the date means.
    pub kind: MilestoneKind,
    /// The date, at the precision the notice gave.
    pub date: crate::date::PartialDate,
    /// The sentence it was read from.
    pub text: String,
    /// Where it was first stated.
    pub source: SourcePos,
    /// Other places the notice states the same date for the same thing.
    pub also_stated_at: Vec<SourcePos>,
    /// When the notice itself moved this date (an extension), the date that replaced it.
    pub superseded_by: Option<crate::date::PartialDate>,
    /// The product the cutoff concerns, when the statement names one.
    pub product: Option<ProductRef>,
    /// The product's version the cutoff concerns (a row of a lifecycle table).
    pub version: Option<String>,
    /// The zone pivot it was stated in, if any.
    pub pivot: Option<String>,
}

/// What stops working for a product (a row of a "Service | Impact" table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Impact {
    /// The product affected.
    pub product: ProductRef,
    /// What happens to it.
    pub impact: String,
    /// Where it was read from.
    pub source: SourcePos,
}

/// Everything extracted from one notice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Facts {
    /// The product the notice is about: the catalog product its title names, else the
    /// product phrase of its title.
    pub subject: Option<ProductRef>,
    /// Minimum versions.
    pub requirements: Vec<Requirement>,
    /// Dated statements, one per kind and date.
    pub milestones: Vec<Milestone>,
    /// Impacts per product.
    pub impacts: Vec<Impact>,
}

/// A commit of the git repository that holds `content/`: a point in a notice's history.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CommitRef {
    /// The full commit id (hex).
    pub id: String,
    /// The committer's time, in seconds since 1970 (UTC).
    pub time: i64,
}

impl CommitRef {
    /// The id's first 7 characters, as people quote commits.
    pub fn short(&self) -> &str {
        self.id.get(..7).unwrap_or(&self.id)
    }

    /// The commit time as RFC 3339 in UTC (`2025-04-09T17:03:11Z`).
    pub fn timestamp(&self) -> String {
        jiff::Timestamp::from_second(self.time)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    }

    /// The day of the commit, in UTC.
    pub fn date(&self) -> Date {
        jiff::Timestamp::from_second(self.time)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kind's id is the name the feed serialises it under, and reads back.
    #[test]
    fn milestone_kind_ids_are_their_feed_names() {
        for kind in MilestoneKind::ALL {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, serde_json::Value::from(kind.id()));
            assert_eq!(serde_json::from_value::<MilestoneKind>(json).unwrap(), kind);
        }
        assert!(serde_json::from_value::<MilestoneKind>("release".into()).is_err());
    }
}
