//! The JSON policy feed, `public/policy.json`: bulletin's public API for fleet scripts.
//!
//! Every name here is part of that API. The JSON Schema published beside the feed
//! (`policy.schema.json`) is generated from these types, so the two cannot drift. Adding an
//! optional field is a minor change to `schema_version`; renaming or removing one is major.

use std::borrow::Cow;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::{PartialDate, Precision};
use crate::model::{GroupKind, MilestoneKind};
use crate::reconcile::{OrderBasis, SupersedeReason};

/// The version of the feed's format (semver).
pub const SCHEMA_VERSION: &str = "1.2.0";

/// The version of a product feed's format (semver). 2.0.0 made its advisories summaries
/// ([`ProductFeedAdvisory`]) where 1.x repeated each whole advisory in every product feed.
pub const PRODUCT_SCHEMA_VERSION: &str = "2.0.0";

/// The whole feed.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Feed {
    /// The feed format's version (semver); clients check the major part.
    pub schema_version: String,
    /// When the input was last changed: `SOURCE_DATE_EPOCH` if set, else the newest notice
    /// date. Never the wall clock, so identical input gives an identical feed.
    pub generated_at: String,
    /// The cloud that cloud-specific requirements apply to when a client names none (from
    /// `bulletin.yaml`); absent: the strictest requirement applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_cloud: Option<String>,
    /// Every product named in a requirement, an impact or a cutoff, sorted by id.
    pub products: Vec<FeedProduct>,
    /// Every advisory, sorted by id.
    pub advisories: Vec<FeedAdvisory>,
    /// The newest commit the history was read up to (the last that changed a notice).
    /// Present when the feed carries history: `first_published`, `history`, `stated_in`.
    /// Since 1.2.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_head: Option<FeedCommit>,
    /// The oldest commit read, when the repository was a shallow clone: nothing before it
    /// is known, so questions about earlier dates cannot be answered. Since 1.2.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_since: Option<FeedCommit>,
}

/// A commit: its id and its time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct FeedCommit {
    /// The full commit id.
    pub commit: String,
    /// The commit time, RFC 3339 in UTC (`2025-04-09T17:03:11Z`).
    pub date: String,
}

/// A revision that changed a fact.
#[derive(Debug, Clone, PartialEq, Hash, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FeedHistoryEntry {
    /// The commit; absent for the working tree's uncommitted text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The commit time, RFC 3339 in UTC; absent for uncommitted text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The file that stands after it, as it was named then (relative to `content/`).
    pub file: String,
    /// What it changed.
    pub changes: Vec<FeedChange>,
}

/// One changed fact: a field, its value before and after.
#[derive(Debug, Clone, PartialEq, Hash, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FeedChange {
    /// `title`; a date kind (`deadline`, `stops-working`, `retirement`, `end-of-support`),
    /// whose values are the standing dates of that kind, comma-separated; or
    /// `requirement <product>[ (<clouds>)][ [pivot <p>]]: minimum_version` or `: deadline`.
    pub field: String,
    /// The value before; absent when there was none (added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The value after; absent when there is none (removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// A product and every requirement on it.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct FeedProduct {
    /// Stable id (from the catalog, or derived from the name).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Other names it goes by.
    pub aliases: Vec<String>,
    /// Whether the product catalog knows it.
    pub in_catalog: bool,
    /// Its page on the site.
    pub url: String,
    /// Every requirement on it, standing and superseded, sorted by deadline.
    pub requirements: Vec<FeedRequirement>,
}

/// A minimum-version requirement.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct FeedRequirement {
    /// The product's id.
    pub product: String,
    /// The minimum version; absent when the notice gave a placeholder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_version: Option<String>,
    /// The placeholder the notice wrote instead of a version ("X"): never a minimum to
    /// compare with; in force, it makes `check` answer `undetermined`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// The date by which it must be met: ISO `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. "By D"
    /// means D is still allowed: the requirement is in force from the day after the last
    /// day D covers. Absent: in force now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<PartialDate>")]
    pub deadline: Option<Readable<PartialDate>>,
    /// The clouds it applies to; empty means every cloud.
    pub clouds: Vec<String>,
    /// The advisory's id.
    pub advisory: String,
    /// The text it was read from.
    pub text: String,
    /// Where it was read from.
    pub source: FeedSource,
    /// Present when this value no longer stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<FeedSupersededBy>,
    /// The zone pivot (`::: zone pivot="..."`) the requirement was stated in; it holds for
    /// readers of that pivot. Since 1.1.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pivot: Option<String>,
    /// The commit since which this value has stood (with history; absent for uncommitted
    /// text). With `superseded_by.committed_at`, when it stood. Since 1.2.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated_in: Option<FeedCommit>,
}

/// A file (relative to `content/`) and a 1-based line.
#[derive(Debug, Clone, PartialEq, Hash, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FeedSource {
    /// The file, relative to `content/`.
    pub file: String,
    /// The 1-based line.
    pub line: u32,
}

/// Why a value no longer stands.
#[derive(Debug, Clone, PartialEq, Hash, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FeedSupersededBy {
    /// `later-revision`: a later revision states another value. `extension`: the notice
    /// moved the date. `later-commit` (since 1.2.0): a later commit of the advisory's
    /// files replaced or removed it.
    pub reason: SupersedeReason,
    /// The revision whose value stands.
    pub file: String,
    /// For extensions: the new date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// For `later-commit`: the commit that replaced or removed it; absent when that is the
    /// working tree's uncommitted text. Since 1.2.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// For `later-commit`: that commit's time, RFC 3339 in UTC. Since 1.2.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committed_at: Option<String>,
}

/// An advisory: its revisions, facts and conflicts.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct FeedAdvisory {
    /// Stable id (`/advisories/<id>/`).
    pub id: String,
    /// The standing revision's title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// Every revision, oldest first.
    pub revisions: Vec<FeedRevision>,
    /// How the revisions were ordered: `single`, `revision`, `updated`, `supersedes`,
    /// `ms-date`, `fills-placeholders`, `committed` or `undecided`.
    pub order_basis: OrderBasis,
    /// The same, in plain words.
    pub order_reason: String,
    /// Every dated statement, standing and superseded, by date.
    pub deadlines: Vec<FeedDeadline>,
    /// Every requirement, standing and superseded.
    pub requirements: Vec<FeedRequirement>,
    /// What stops working, per product.
    pub impacts: Vec<FeedImpact>,
    /// Where revisions disagree.
    pub conflicts: Vec<FeedConflict>,
    /// The time of its first commit (RFC 3339, UTC). Since 1.2.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_published: Option<String>,
    /// The time of the last commit that changed a fact (RFC 3339, UTC). Since 1.2.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_changed: Option<String>,
    /// The revisions that changed a fact, oldest first; the first states every fact it
    /// has as added. Since 1.2.0.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<FeedHistoryEntry>,
    /// How many revisions changed no fact (wording, typos, other frontmatter). Since 1.2.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unchanged_revisions: Option<usize>,
}

/// Whether a revision is the one that stands.
#[derive(Debug, Clone, Copy, PartialEq, Hash, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RevisionStatus {
    /// The revision that stands.
    Current,
    /// An earlier (or outranked) revision.
    Superseded,
}

/// A value as a client reads it from a feed: what bulletin writes, or, from a damaged or
/// newer feed, the text that stands there instead. `check` names such a value rather than
/// refusing the whole feed; bulletin itself only writes [`Readable::Read`].
#[derive(Debug, Clone, PartialEq, Hash, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Readable<T> {
    /// The value in the form the schema gives.
    Read(T),
    /// Text that is not in that form.
    Unreadable(String),
}

impl<T: std::fmt::Display> std::fmt::Display for Readable<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Readable::Read(value) => value.fmt(f),
            Readable::Unreadable(text) => f.write_str(text),
        }
    }
}

/// One revision of an advisory.
#[derive(Debug, Clone, PartialEq, Hash, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FeedRevision {
    /// The file, relative to `content/`.
    pub file: String,
    /// Its `ms.date`, ISO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub ms_date: Option<Date>,
    /// `current` or `superseded`.
    pub status: RevisionStatus,
    /// What makes this notice a revision of the advisory: what it shares with another
    /// revision. Absent for a single notice and for the first revision in path order (the
    /// others are tied to it, directly or through each other). Since 1.1.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grouped_by: Option<FeedGrouping>,
}

/// The evidence that a notice is a revision of an advisory.
#[derive(Debug, Clone, PartialEq, Hash, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FeedGrouping {
    /// `explicit-id` (the same `id`), `supersedes` (one's `supersedes:` names the other),
    /// `same-file-name` (and the same title, or one a typo away) or `shared-text` (the same
    /// title and substantial shared text).
    pub basis: GroupKind,
    /// The revision it was matched with, relative to `content/`.
    pub with: String,
    /// For `shared-text`: the percentage of the shorter text's five-word runs found in the
    /// other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_text_percent: Option<u8>,
}

/// A dated statement.
#[derive(Debug, Clone, PartialEq, Hash, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FeedDeadline {
    /// ISO `YYYY-MM-DD`, `YYYY-MM`, `YYYY-Qn` or `YYYY`.
    pub date: PartialDate,
    /// `day`, `month`, `quarter` or `year`.
    pub precision: Precision,
    /// `deadline`, `stops-working`, `retirement` or `end-of-support`: only cutoffs are listed
    /// (since 1.1.0; release dates and past events are not).
    pub kind: MilestoneKind,
    /// The id of the product the cutoff concerns, when the statement names one. Since 1.1.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// The product's version the cutoff concerns (a row of a lifecycle table). Since 1.1.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The zone pivot the statement was made in. Since 1.1.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pivot: Option<String>,
    /// The sentence.
    pub text: String,
    /// Where it was first stated.
    pub source: FeedSource,
    /// Other places the same date is stated for the same thing.
    pub also_stated_at: Vec<FeedSource>,
    /// Present when this date no longer stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<FeedSupersededBy>,
    /// The commit since which this date has stood (with history; absent for uncommitted
    /// text). Since 1.2.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated_in: Option<FeedCommit>,
}

/// What stops working for a product.
#[derive(Debug, Clone, PartialEq, Hash, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FeedImpact {
    /// The product's id.
    pub product: String,
    /// What happens.
    pub impact: String,
    /// Where it was read from.
    pub source: FeedSource,
}

/// Revisions disagree on a field.
#[derive(Debug, Clone, PartialEq, Hash, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FeedConflict {
    /// The field.
    pub field: String,
    /// The value that stands.
    pub chosen: String,
    /// Where the standing value was stated.
    pub chosen_source: FeedSource,
    /// The values that do not stand.
    pub rejected: Vec<FeedRejected>,
    /// Why the chosen value stands.
    pub reason: String,
}

/// A value that does not stand.
#[derive(Debug, Clone, PartialEq, Hash, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FeedRejected {
    /// The value.
    pub value: String,
    /// Where it was stated.
    pub source: FeedSource,
}

/// One product's own feed, `public/products/<id>/policy.json`: the product with every
/// requirement on it, and a summary of each advisory that names it, so a client watching one
/// product fetches what concerns that product, not the corpus. The whole record of an
/// advisory is in `policy.json`. Borrowed when the build writes it, owned when a client
/// reads it.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct ProductFeed<'a> {
    /// [`PRODUCT_SCHEMA_VERSION`]: this format's own version; clients check the major part.
    pub schema_version: Cow<'a, str>,
    /// As in [`Feed`].
    pub generated_at: Cow<'a, str>,
    /// As in [`Feed`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_cloud: Option<Cow<'a, str>>,
    /// The product and every requirement on it.
    pub product: Cow<'a, FeedProduct>,
    /// The advisories its requirements come from or that name an impact on it, by id.
    pub advisories: Vec<ProductFeedAdvisory<'a>>,
    /// As in [`Feed`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_head: Option<Cow<'a, FeedCommit>>,
    /// As in [`Feed`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_since: Option<Cow<'a, FeedCommit>>,
}

/// What a product feed says of an advisory: enough to list it, follow it to its page, and
/// know its dates for the product.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct ProductFeedAdvisory<'a> {
    /// As in [`FeedAdvisory`].
    pub id: Cow<'a, str>,
    /// As in [`FeedAdvisory`].
    pub title: Cow<'a, str>,
    /// As in [`FeedAdvisory`].
    pub url: Cow<'a, str>,
    /// The file of the revision that stands, relative to `content/`.
    pub current_revision: Cow<'a, str>,
    /// As in [`FeedAdvisory`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_changed: Option<Cow<'a, str>>,
    /// The advisory's cutoffs that concern the product: those naming it and those naming no
    /// product, standing and superseded, as in [`FeedAdvisory::deadlines`].
    pub deadlines: Vec<Cow<'a, FeedDeadline>>,
}

/// The JSON Schema of [`Feed`], pretty-printed.
pub fn schema() -> String {
    let schema = schemars::schema_for!(Feed);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// The JSON Schema of [`ProductFeed`], pretty-printed.
pub fn product_schema() -> String {
    let schema = schemars::schema_for!(ProductFeed<'static>);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}
