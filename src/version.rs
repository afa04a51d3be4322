//! Vendor version numbers, as notices state them ("version 2.3.2.0 or higher").
//!
//! Vendor builds have any number of numeric parts (`2.4.18.0`, `4.5.2487.0`, `2.3`), so they
//! are not semver; [`Version`] compares them part by part with missing parts equal to zero.
//! More shapes occur in requirements: a part left open (`11.*.7001.0`: any minor version,
//! build 7001 or later), API versions named by a date (`2021-08-01`) and pre-releases
//! (`1.14.0-beta.3`, `18.0.0b36`), which come before their release.
//! Notices sometimes publish a requirement before the number is known ("version X or higher");
//! [`VersionSpec`] keeps such placeholders apart so they are never compared as versions.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Most numeric parts a version may have; longer dotted runs are not vendor versions.
pub const MAX_PARTS: usize = 8;

/// A vendor version such as `2.4.18.0`: compared numerically part by part, missing parts
/// counting as zero, while keeping the text as the notice wrote it for display.
#[derive(Debug, Clone)]
pub struct Version {
    parts: Vec<u64>,
    /// Bit `i` set: part `i` was written `*` (stored as 0 in `parts`).
    wildcards: u8,
    /// Where in `original` the pre-release tag starts (`beta.3` of `1.14.0-beta.3`, `b36` of
    /// `18.0.0b36`), if there is one: a pre-release comes before the release of the same
    /// parts. An offset rather than a string keeps every version (and every fact) small.
    pre: Option<u16>,
    original: String,
}

/// Why a text is not a [`Version`]; each case gets its own variant so diagnostics can say
/// exactly what is wrong (an overflow is not the same mistake as a word).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// The text is empty or only whitespace.
    #[error("it is empty")]
    Empty,
    /// The text is not dot-separated digits (letters, empty parts, other punctuation).
    #[error("a version is numbers separated by dots, such as `2.4.18.0`")]
    NotAVersion {
        /// The offending text, trimmed.
        text: String,
    },
    /// A part does not fit in a u64; reported rather than wrapped or clamped.
    #[error(
        "its part `{part}` is larger than a version part can be ({})",
        u64::MAX
    )]
    PartTooLarge {
        /// The part as written.
        part: String,
    },
    /// More than [`MAX_PARTS`] parts.
    #[error("it has {count} parts; at most {MAX_PARTS} are read")]
    TooManyParts {
        /// How many parts the text has.
        count: usize,
    },
}

impl Version {
    /// The numeric parts as written (trailing zeros kept), so callers can inspect precision.
    pub fn parts(&self) -> &[u64] {
        &self.parts
    }

    /// The canonical text: the original trimmed, without a leading `v`/`V`. This is what is
    /// serialized, so output does not depend on the vendor's prefix habits.
    pub fn canonical(&self) -> &str {
        self.original
            .strip_prefix(['v', 'V'])
            .unwrap_or(&self.original)
    }

    /// Whether this version satisfies `minimum`: it is at or above it, where a `*` part of
    /// the minimum matches any value (`11.5.7001.0` meets `11.*.7001.0`; `11.5.6000.0` does
    /// not).
    pub fn meets(&self, minimum: &Version) -> bool {
        let len = self.parts.len().max(minimum.parts.len());
        (0..len)
            .filter(|&i| i >= 8 || minimum.wildcards & (1 << i) == 0)
            .map(|i| {
                let a = self.parts.get(i).copied().unwrap_or(0);
                let b = minimum.parts.get(i).copied().unwrap_or(0);
                a.cmp(&b)
            })
            .find(|o| o.is_ne())
            .unwrap_or_else(|| compare_pre(self.pre_release(), minimum.pre_release()))
            .is_ge()
    }

    /// The pre-release tag, if this is a pre-release (`beta.3` of `1.14.0-beta.3`).
    pub fn pre_release(&self) -> Option<&str> {
        self.pre.map(|at| &self.original[usize::from(at)..])
    }

    /// Whether a part was written `*`.
    pub fn has_wildcard(&self) -> bool {
        self.wildcards != 0
    }

    /// The parts without trailing zeros: the form that equality and hashing agree on.
    fn significant(&self) -> &[u64] {
        let len = self
            .parts
            .iter()
            .rposition(|&p| p != 0)
            .map_or(0, |i| i + 1);
        &self.parts[..len]
    }
}

impl FromStr for Version {
    type Err = VersionError;

    /// Parses `2.4.18.0`, `v2.4.18.0`, `2`: digits separated by single dots, with surrounding
    /// whitespace ignored; a part after the first may be `*` (`11.*.7001.0`); and an API
    /// version named by its date, `2021-08-01`, whose parts are year, month and day.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let original = s.trim();
        if original.is_empty() {
            return Err(VersionError::Empty);
        }
        // "2013 Cumulative Update 21" is "2013 CU21", as vendors also write it.
        let spelled = SPELLED_QUALIFIER.replace_all(original, |c: &regex::Captures<'_>| {
            let short = match c[1].to_ascii_lowercase().as_str() {
                "cumulative update" => "CU",
                "update rollup" => "UR",
                _ => "SP",
            };
            format!(" {short}{}", &c[2])
        });
        let original = spelled.as_ref();
        let body = original.strip_prefix(['v', 'V']).unwrap_or(original);
        let not_a_version = || VersionError::NotAVersion {
            text: original.to_owned(),
        };
        // "2012 R2", "2022 UR1", "15 SP4", "2016 CU15": the qualifier is one more part, and so
        // is a second one ("2010 SP3 RU11", "2008 R2 SP1": a rollup of a service pack).
        let mut body = body;
        let mut qualifiers = Vec::new();
        while let Some((head, tail)) = body.rsplit_once(' ') {
            let digits = tail.trim_start_matches(|c: char| c.is_ascii_alphabetic());
            let prefix = &tail[..tail.len() - digits.len()];
            let known = QUALIFIERS.contains(&prefix.to_ascii_lowercase().as_str());
            if !known
                || digits.is_empty()
                || !digits.bytes().all(|b| b.is_ascii_digit())
                || qualifiers.len() == 2
            {
                return Err(not_a_version());
            }
            qualifiers.insert(0, digits);
            body = head.trim_end();
        }
        let (body, pre) = match split_pre_release(body) {
            Some((body, pre)) if qualifiers.is_empty() => (body, Some(pre)),
            Some(_) => return Err(not_a_version()),
            None => (body, None),
        };
        // "22H2": a half-year release (Windows, SharePoint); its parts are the year and the half.
        if let [y1, y2, b'H' | b'h', half @ (b'1' | b'2')] = body.as_bytes()
            && y1.is_ascii_digit()
            && y2.is_ascii_digit()
            && qualifiers.is_empty()
            && pre.is_none()
        {
            return Ok(Version {
                parts: vec![
                    u64::from((y1 - b'0') * 10 + (y2 - b'0')),
                    u64::from(half - b'0'),
                ],
                wildcards: 0,
                pre: None,
                original: original.to_owned(),
            });
        }
        let dated = body.len() == 10
            && body.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        let mut raw: Vec<&str> = if dated {
            body.split('-').collect()
        } else {
            body.split('.').collect()
        };
        raw.extend(qualifiers);
        let is_part = |(i, p): (usize, &&str)| {
            (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) || (i > 0 && **p == *"*")
        };
        if !raw.iter().enumerate().all(is_part) {
            return Err(not_a_version());
        }
        if raw.len() > MAX_PARTS {
            return Err(VersionError::TooManyParts { count: raw.len() });
        }
        let mut wildcards = 0u8;
        let mut parts = Vec::with_capacity(raw.len());
        for (i, p) in raw.iter().enumerate() {
            if *p == "*" {
                wildcards |= 1 << i;
                parts.push(0);
            } else {
                parts.push(p.parse::<u64>().map_err(|_| VersionError::PartTooLarge {
                    part: (*p).to_owned(),
                })?);
            }
        }
        if pre.is_some() && (dated || parts.len() < 2 || wildcards != 0) {
            return Err(not_a_version());
        }
        Ok(Version {
            parts,
            wildcards,
            pre: pre
                .map(|tag| u16::try_from(original.len() - tag.len()))
                .transpose()
                .map_err(|_| not_a_version())?,
            original: original.to_owned(),
        })
    }
}

/// Splits a pre-release tag off a version's numbers: `1.14.0-beta.3` (semver: a hyphen, then
/// dot-separated words and numbers starting with a letter) or `18.0.0b36` (Python: `a`, `b`
/// or `rc` and a number right after the last part). `None` when there is no such tag.
fn split_pre_release(body: &str) -> Option<(&str, &str)> {
    let i = body.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '*'))?;
    let numbers = &body[..i];
    if !numbers.ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let rest = &body[i..];
    if let Some(tag) = rest.strip_prefix('-') {
        let words_and_numbers = tag
            .split('.')
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric()));
        return (tag.starts_with(|c: char| c.is_ascii_alphabetic()) && words_and_numbers)
            .then_some((numbers, tag));
    }
    let digits = rest.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let letters = &rest[..rest.len() - digits.len()];
    let python = ["a", "b", "rc"].contains(&letters.to_ascii_lowercase().as_str());
    (python && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some((numbers, rest))
}

/// One identifier of a pre-release tag; numbers sort before words, as in semver.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum PreToken {
    Number(u64),
    Word(String),
}

/// A tag's identifiers: split at dots, hyphens and where letters meet digits, in lower case,
/// with Python's `a` and `b` spelled as semver's `alpha` and `beta` (`b2` is `beta.2`).
fn pre_tokens(tag: &str) -> Vec<PreToken> {
    let mut tokens = Vec::new();
    for word in tag.split(['.', '-']) {
        let mut rest = word;
        while !rest.is_empty() {
            let numeric = rest.starts_with(|c: char| c.is_ascii_digit());
            let end = rest
                .find(|c: char| c.is_ascii_digit() != numeric)
                .unwrap_or(rest.len());
            let (run, tail) = rest.split_at(end);
            tokens.push(match run.parse::<u64>() {
                Ok(n) if numeric => PreToken::Number(n),
                _ => PreToken::Word(match run.to_ascii_lowercase().as_str() {
                    "a" => "alpha".to_owned(),
                    "b" => "beta".to_owned(),
                    other => other.to_owned(),
                }),
            });
            rest = tail;
        }
    }
    tokens
}

/// Orders pre-release tags: no tag (the release) after any tag, tags by their identifiers.
fn compare_pre(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) => pre_tokens(a).cmp(&pre_tokens(b)),
    }
}

impl fmt::Display for Version {
    /// Prints the version as the notice wrote it (trimmed), prefix included.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let len = self.parts.len().max(other.parts.len());
        (0..len)
            .map(|i| {
                let a = self.parts.get(i).copied().unwrap_or(0);
                let b = other.parts.get(i).copied().unwrap_or(0);
                a.cmp(&b)
            })
            .find(|o| o.is_ne())
            .unwrap_or_else(|| compare_pre(self.pre_release(), other.pre_release()))
            // `11.*.7001` sorts beside `11.0.7001` but is not equal to it.
            .then(self.wildcards.cmp(&other.wildcards))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.significant() == other.significant()
            && self.wildcards == other.wildcards
            && compare_pre(self.pre_release(), other.pre_release()).is_eq()
    }
}

impl Eq for Version {}

impl Hash for Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.significant().hash(state);
        self.wildcards.hash(state);
        self.pre_release().map(pre_tokens).hash(state);
    }
}

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.canonical())
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Version {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Version".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^(v?[0-9]+(\\.[0-9]+){1,7}(-[A-Za-z][0-9A-Za-z]*(\\.[0-9A-Za-z]+)*|(a|b|rc)[0-9]+)|v?[0-9]+(\\.([0-9]+|\\*)){0,7}( (R|SP|UR|RU|CU)[0-9]+){0,2}|[0-9]{4}-[0-9]{2}-[0-9]{2})$",
            "description": "A vendor version: numeric parts separated by dots, a part after the first possibly `*` (any value), optionally followed by one or two release qualifiers (`2012 R2`, `2019 UR5`, `2010 SP3 RU11`) or by a pre-release tag (`1.14.0-beta.3`, `18.0.0b36`; a pre-release comes before its release); or an API version named by its date (`2021-08-01`)."
        })
    }
}

/// A minimum version as a notice states it: a real version, or a placeholder the vendor had
/// not filled in yet, which must never be compared as a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum VersionSpec {
    /// A concrete version, e.g. `2.3.2.0`.
    #[serde(rename = "version")]
    Exact(Version),
    /// The placeholder text as written, e.g. `X`, `x.x.x.x`, `<version>`, `TBD`.
    #[serde(rename = "placeholder")]
    Placeholder(String),
}

/// The release qualifiers a version may end with: release, service pack, update rollup
/// (written `UR` or `RU`), cumulative update.
const QUALIFIERS: [&str; 5] = ["r", "sp", "ur", "ru", "cu"];

/// A release qualifier spelled out in a version ("2013 Cumulative Update 21").
static SPELLED_QUALIFIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s+(cumulative\s+update|update\s+rollup|service\s+pack)\s+([0-9]{1,2})\b")
        .expect("literal regex")
});

/// Dotted numbers with at least two parts, optionally `v`-prefixed; a part after the first
/// may be `*`.
/// A qualifier after the number ("3.5 SP1", "2012 R2") is part of the version: dropping it
/// would require less than the notice does. So is a pre-release tag ("1.14.0-beta.3",
/// "18.0.0b36"): dropping it would require more.
static DOTTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[vV]?[0-9]+(?:\.[0-9]+)+(?:-(?i:alpha|beta|rc|preview|pre|dev|canary|nightly|exp)[0-9A-Za-z]*(?:\.[0-9A-Za-z]+)*|(?i:a|b|rc)[0-9]+)\b|\b[vV]?[0-9]+(?:\.(?:[0-9]+\b|\*))+(?: (?:R|SP|UR|RU|CU)[0-9]{1,2}\b| (?i:cumulative update|update rollup|service pack) [0-9]{1,2}\b){0,2}")
        .expect("literal regex")
});

/// A Markdown link target, `](...)`, whose URL may hold numbers that are not versions.
static LINK_TARGET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\]\([^)]*\)").expect("literal regex"));

/// A single number right after the word "version" ("version 2 or higher").
static SINGLE_AFTER_KEYWORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bversion\b[\s:*_\[]*(v?[0-9]+)\b").expect("literal regex"));

/// Placeholder tokens: `X`, `x.x.x.x`, `vX`, `2.4.x`, `TBD`, `TBA`, `N/A`, and bracketed
/// names such as `<version>` or `{build number}`.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(?:v?(?:[0-9]+\.)*x+(?:\.(?:x+|[0-9]+))*|tbd|tba|n/a)\b
        | <[^<>]*(?:version|build|number)[^<>]*>
        | \{[^{}]*(?:version|build|number)[^{}]*\}
        | (?:^|\s)\?+(?:\s|$)",
    )
    .expect("literal regex")
});

/// True when the byte at `i` of `text` is preceded by a character that makes a number part
/// of something else (a URL path, an anchor, an identifier).
fn glued_before(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_some_and(|c| matches!(c, '#' | '/' | '-' | '_' | '.') || c.is_alphanumeric())
}

/// True when the match ending at `end` continues as `.word` (so it is a prefix of something
/// longer, like `2.4.x` or a file name) or as a pre-release tag that [`DOTTED`] did not take
/// in: read without its tag, a pre-release would be a stricter floor than the notice states.
fn glued_after(text: &str, end: usize) -> bool {
    let mut rest = text[end..].chars();
    match rest.next() {
        Some('.') => rest.next().is_some_and(char::is_alphanumeric),
        Some('-') => {
            let tag: String = rest.take(7).collect::<String>().to_ascii_lowercase();
            PRE_RELEASE.iter().any(|p| tag.starts_with(p))
        }
        Some(c) => c.is_alphanumeric() || c == '_',
        None => false,
    }
}

/// Tags that mark a pre-release after a hyphen.
const PRE_RELEASE: &[&str] = &[
    "alpha", "beta", "rc", "preview", "pre", "dev", "canary", "nightly", "exp",
];

/// True when the number ending at `end` goes on as a range, a ratio, a time or a share
/// (`2019-20`, `443/tcp`, `12:30`, `1,000`, `50%`): not a version.
fn continues_number(text: &str, end: usize) -> bool {
    if text[end..].starts_with("-based") {
        return false;
    }
    let mut rest = text[end..].chars();
    match rest.next() {
        Some('.' | ',' | '-' | '/' | ':') => rest.next().is_some_and(|c| c.is_ascii_alphanumeric()),
        Some('%') => true,
        _ => false,
    }
}

/// True when the whitespace-delimited token around `start` is a URL.
fn inside_url(text: &str, start: usize) -> bool {
    let token_start = text[..start]
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, '(' | '<' | '"' | '['))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let token = &text[token_start..start];
    token.contains("://") || token.starts_with("www.")
}

/// Every dotted version number (two or more parts) in free text with its byte range, skipping
/// numbers glued to URLs, anchors or identifiers, so prose like "upgrade to 2.4.18.0" yields
/// the version but a link to `.../history#2418` does not.
pub fn find_versions(text: &str) -> Vec<(Range<usize>, Version)> {
    DOTTED
        .find_iter(text)
        .filter(|m| {
            !glued_before(text, m.start())
                && !glued_after(text, m.end())
                && !inside_url(text, m.start())
        })
        .filter_map(|m| m.as_str().parse().ok().map(|v| (m.range(), v)))
        .collect()
}

/// What a version found in prose looks like, which says how much context it needs before it
/// can be read as a version at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Two or more dotted parts: `2.4.18.0`, `TLS 1.2`, `11.*.7001.0`; or a half-year
    /// release, `22H2`.
    Dotted,
    /// One number, maybe `v`-prefixed or qualified: `1706`, `V2`, `2016`, `2012 R2`.
    Single,
    /// An API version named by its date, after the word "version" or before a floor or the
    /// word "API": `2021-08-01`.
    Dated,
    /// A placeholder: `X`, `x.x.x.x`, `<version>`, `16.0.8730.xxxx`.
    Placeholder,
}

/// A single number, maybe `v`-prefixed, maybe with a release qualifier (`2012 R2`).
static SINGLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[vV]?[0-9]{1,6}(?: (?:R|SP|UR|RU|CU)[0-9]{1,2}\b| (?i:cumulative update|update rollup|service pack) [0-9]{1,2}\b){0,2}").expect("literal regex")
});

/// `22H2`, a half-year release.
static HALF_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[0-9]{2}[Hh][12]\b").expect("literal regex"));

/// `YYYY-MM-DD`, a candidate API version.
static DATED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b").expect("literal regex"));

/// Right after a `YYYY-MM-DD`: it is an API version, not a date ("the 2020-05-01 (or later)
/// version of the API", "the 2021-08-01 API").
static DATED_VERSION_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[`*_]*\s*(?:\(\s*or\s+(?:later|newer|higher)\s*\)|or\s+(?:later|newer|higher)\b|(?:api\s+)?version\b|api\b)")
        .expect("literal regex")
});

/// Right after a version whose last parts are written `x` ("9.3.2109.x or later", "14.x.x or
/// higher", "[9.2.2103.x](link) or higher"): a floor, so the numbered parts are the minimum
/// and the `x` parts any value.
static WILDCARD_FLOOR_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[`*_]*(?:\]\([^()\s]*\))?[`*_\]]*\s*(?:\(\s*)?(?:or|and)\s+(?:later|newer|higher|greater|above)\b")
        .expect("literal regex")
});

/// A placeholder token read as a version when it is a number with parts left open
/// (`9.3.2109.x`, `16.0.8730.xxxx`, `14.x.x`) and a floor follows it: the vendor wrote the
/// parts that matter and left the rest to any value. Alone ("version 2.4.x"), such a token
/// may stand for a build not yet named, so it stays a placeholder.
fn open_floor(token: &str, after: &str) -> Option<Version> {
    let body = token.strip_prefix(['v', 'V']).unwrap_or(token);
    let first = body.split('.').next()?;
    if first.is_empty()
        || !first.bytes().all(|b| b.is_ascii_digit())
        || !WILDCARD_FLOOR_AFTER.is_match(after)
    {
        return None;
    }
    let open: Vec<&str> = body
        .split('.')
        .map(|p| {
            if p.bytes().all(|b| b == b'x' || b == b'X') {
                "*"
            } else {
                p
            }
        })
        .collect();
    open.join(".").parse().ok()
}

/// Every version-like token in prose, in order and without overlaps: dotted versions,
/// single numbers, API versions after the word "version" and placeholders. Whether a token is
/// a version of something is the caller's question; this only says where the tokens are and
/// what they would be.
pub fn find_specs(text: &str) -> Vec<(Range<usize>, VersionSpec, Shape)> {
    // Without a digit only a placeholder can be here, and one in prose follows the word
    // "version" or is bracketed ("version X", "<version>"): most sentences are neither.
    let digits = text.bytes().any(|b| b.is_ascii_digit());
    if !digits && !text.contains(['<', '{']) && !text.to_ascii_lowercase().contains("version") {
        return Vec::new();
    }
    let mut found: Vec<(Range<usize>, VersionSpec, Shape)> = find_versions(text)
        .into_iter()
        .map(|(range, v)| (range, VersionSpec::Exact(v), Shape::Dotted))
        .collect();
    found.extend(
        PLACEHOLDER
            .find_iter(text)
            .filter(|m| {
                let token = m.as_str().trim();
                token.starts_with(['<', '{', '?'])
                    || (!glued_before(text, m.start()) && !glued_after(text, m.end()))
            })
            .map(|m| {
                let token = m.as_str().trim();
                let start = m.start() + (m.as_str().len() - m.as_str().trim_start().len());
                let range = start..start + token.len();
                match open_floor(token, &text[range.end..]) {
                    Some(v) => (range, VersionSpec::Exact(v), Shape::Dotted),
                    None => (
                        range,
                        VersionSpec::Placeholder(token.to_owned()),
                        Shape::Placeholder,
                    ),
                }
            }),
    );
    found.extend(
        HALF_YEAR
            .find_iter(text)
            .filter(|m| !inside_url(text, m.start()))
            .filter_map(|m| {
                let v = m.as_str().parse().ok()?;
                Some((m.range(), VersionSpec::Exact(v), Shape::Dotted))
            }),
    );
    found.extend(
        DATED
            .find_iter(text)
            .filter(|m| {
                let before = text[..m.start()]
                    .trim_end_matches(|c: char| c.is_whitespace() || "`\"'=:*_".contains(c))
                    .to_ascii_lowercase();
                (before.ends_with("version") || DATED_VERSION_AFTER.is_match(&text[m.end()..]))
                    && !glued_before(text, m.start())
            })
            .filter_map(|m| {
                let v = m.as_str().parse().ok()?;
                Some((m.range(), VersionSpec::Exact(v), Shape::Dated))
            }),
    );
    found.extend(
        SINGLE
            .find_iter(text)
            .filter(|m| {
                !glued_before(text, m.start())
                    && !glued_after(text, m.end())
                    && !continues_number(text, m.end())
                    && !inside_url(text, m.start())
            })
            .filter_map(|m| {
                let v = m.as_str().parse().ok()?;
                Some((m.range(), VersionSpec::Exact(v), Shape::Single))
            }),
    );
    found.sort_by_key(|(range, _, _)| (range.start, std::cmp::Reverse(range.end)));
    let mut out: Vec<(Range<usize>, VersionSpec, Shape)> = Vec::new();
    for token in found {
        if out.last().is_none_or(|last| token.0.start >= last.0.end) {
            out.push(token);
        }
    }
    out
}

/// The minimum version stated in the text that follows a product name ("version 2.3.2.0 or
/// higher", "2.4.18.0 or any newer version", "version X or higher"): whichever version or
/// placeholder comes first, or `None` when the text has neither.
pub fn parse_spec(text: &str) -> Option<VersionSpec> {
    let cleaned = LINK_TARGET.replace_all(text, "]");
    let cleaned = cleaned.as_ref();

    let dotted = find_versions(cleaned)
        .into_iter()
        .next()
        .map(|(range, v)| (range.start, VersionSpec::Exact(v)));
    let single = SINGLE_AFTER_KEYWORD
        .captures(cleaned)
        .and_then(|c| c.get(1))
        .filter(|m| !glued_after(cleaned, m.end()))
        .and_then(|m| {
            m.as_str()
                .parse()
                .ok()
                .map(|v| (m.start(), VersionSpec::Exact(v)))
        });
    let placeholder = PLACEHOLDER
        .find_iter(cleaned)
        .find(|m| {
            let token = m.as_str().trim();
            token.starts_with(['<', '{', '?'])
                || (!glued_before(cleaned, m.start()) && !glued_after(cleaned, m.end()))
        })
        .map(|m| {
            let token = m.as_str().trim();
            let spec = open_floor(token, &cleaned[m.end()..]).map_or_else(
                || VersionSpec::Placeholder(token.to_owned()),
                VersionSpec::Exact,
            );
            (m.start(), spec)
        });

    [dotted, single, placeholder]
        .into_iter()
        .flatten()
        .min_by_key(|(start, _)| *start)
        .map(|(_, spec)| spec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::hash_map::DefaultHasher;

    fn v(s: &str) -> Version {
        s.parse().expect("test version")
    }

    fn hash_of(v: &Version) -> u64 {
        let mut h = DefaultHasher::new();
        v.hash(&mut h);
        h.finish()
    }

    #[test]
    fn parses_valid_versions() {
        let cases: &[(&str, &[u64], &str, &str)] = &[
            ("2.4.18.0", &[2, 4, 18, 0], "2.4.18.0", "2.4.18.0"),
            ("4.5.2487.0", &[4, 5, 2487, 0], "4.5.2487.0", "4.5.2487.0"),
            ("2.3", &[2, 3], "2.3", "2.3"),
            ("1.2.3", &[1, 2, 3], "1.2.3", "1.2.3"),
            ("2", &[2], "2", "2"),
            ("  v2.4.18.0 ", &[2, 4, 18, 0], "v2.4.18.0", "2.4.18.0"),
            ("V1.0", &[1, 0], "V1.0", "1.0"),
            ("2.04", &[2, 4], "2.04", "2.04"),
            (
                "18446744073709551615.1",
                &[u64::MAX, 1],
                "18446744073709551615.1",
                "18446744073709551615.1",
            ),
            (
                "1.2.3.4.5.6.7.8",
                &[1, 2, 3, 4, 5, 6, 7, 8],
                "1.2.3.4.5.6.7.8",
                "1.2.3.4.5.6.7.8",
            ),
        ];
        for &(input, parts, display, canonical) in cases {
            let parsed = v(input);
            assert_eq!(parsed.parts(), parts, "{input}");
            assert_eq!(parsed.to_string(), display, "{input}");
            assert_eq!(parsed.canonical(), canonical, "{input}");
        }
    }

    #[test]
    fn rejects_invalid_versions() {
        let not = |t: &str| VersionError::NotAVersion { text: t.to_owned() };
        let cases: Vec<(&str, VersionError)> = vec![
            ("", VersionError::Empty),
            ("   ", VersionError::Empty),
            ("abc", not("abc")),
            ("2.4.x", not("2.4.x")),
            ("2..4", not("2..4")),
            ("2.4.", not("2.4.")),
            (".2", not(".2")),
            ("v", not("v")),
            ("+1.2", not("+1.2")),
            ("1.-2", not("1.-2")),
            ("1 .2", not("1 .2")),
            ("1.2-preview+", not("1.2-preview+")),
            ("١.٢", not("١.٢")),
            (
                "99999999999999999999.1",
                VersionError::PartTooLarge {
                    part: "99999999999999999999".to_owned(),
                },
            ),
            (
                "18446744073709551616",
                VersionError::PartTooLarge {
                    part: "18446744073709551616".to_owned(),
                },
            ),
            ("1.2.3.4.5.6.7.8.9", VersionError::TooManyParts { count: 9 }),
        ];
        for (input, expected) in cases {
            assert_eq!(input.parse::<Version>().err(), Some(expected), "{input:?}");
        }
    }

    #[test]
    fn orders_numerically() {
        let cases: &[(&str, &str, Ordering)] = &[
            ("2.4.18", "2.4.18.0", Ordering::Equal),
            ("2", "2.0.0.0", Ordering::Equal),
            ("v2.3", "2.3", Ordering::Equal),
            ("2.10.0.0", "2.4.129.0", Ordering::Greater),
            ("2.4.18.0", "2.4.18.1", Ordering::Less),
            ("4.5.2487.0", "4.5.300.0", Ordering::Greater),
            ("2.3.2.0", "2.3.20.0", Ordering::Less),
            ("1.0.0.1", "1", Ordering::Greater),
            ("0", "0.0", Ordering::Equal),
        ];
        for &(a, b, expected) in cases {
            assert_eq!(v(a).cmp(&v(b)), expected, "{a} vs {b}");
            assert_eq!(v(b).cmp(&v(a)), expected.reverse(), "{b} vs {a}");
            assert_eq!(v(a) == v(b), expected.is_eq(), "{a} == {b}");
            if expected.is_eq() {
                assert_eq!(hash_of(&v(a)), hash_of(&v(b)), "{a} hash {b}");
            }
        }
    }

    #[test]
    fn wildcards_and_dated_api_versions() {
        assert_eq!(v("11.*.7001.0").parts(), &[11, 0, 7001, 0]);
        assert_eq!(v("11.*.7001.0").canonical(), "11.*.7001.0");
        assert_eq!(v("2021-08-01").parts(), &[2021, 8, 1]);
        assert_eq!(v("2012 R2").parts(), &[2012, 2]);
        assert_eq!(v("2022 UR1").canonical(), "2022 UR1");
        assert_eq!(v("2013 Cumulative Update 21").canonical(), "2013 CU21");
        assert_eq!(v("2010 service pack 3").canonical(), "2010 SP3");
        assert!(v("2013 Cumulative Update 21") > v("2013 CU10"));
        assert!(v("2016") > v("2012 R2") && v("2012") < v("2012 R2"));
        assert!("2012 X2".parse::<Version>().is_err());
        assert_eq!(v("2010 SP3 RU11").parts(), &[2010, 3, 11]);
        assert_eq!(v("2008 R2 SP1").parts(), &[2008, 2, 1]);
        assert_eq!(
            v("2010 service pack 3 update rollup 11").canonical(),
            "2010 SP3 UR11"
        );
        assert!(v("2007 SP1 RU4") < v("2007 SP2") && v("2007 SP1 RU4") > v("2007 SP1"));
        assert!(
            v("2007 SP1 RU4").meets(&v("2007 SP1 RU4"))
                && !v("2007 SP1 RU3").meets(&v("2007 SP1 RU4"))
        );
        for bad in ["2010 SP3 RU11 CU2", "SP1", "2010 SP RU1"] {
            assert!(bad.parse::<Version>().is_err(), "{bad}");
        }
        assert_eq!(v("22H2").parts(), &[22, 2]);
        assert_eq!(v("22H2").canonical(), "22H2");
        assert!(v("21H2") < v("22H2") && v("22H2") < v("23H2") && v("24H1") > v("23H2"));
        assert!(v("24H2").meets(&v("22H2")) && !v("21H2").meets(&v("22H2")));
        for bad in ["22H3", "2022H2", "H2"] {
            assert!(bad.parse::<Version>().is_err(), "{bad}");
        }
        let specs: Vec<String> = find_specs("Windows 11, version 22H2 or later")
            .into_iter()
            .map(|(range, _, _)| "Windows 11, version 22H2 or later"[range].to_string())
            .collect();
        assert_eq!(specs, ["11", "22H2"]);
        for bad in ["*.1", "2021-8-01", "2021-08-01-preview", "1.**"] {
            assert!(bad.parse::<Version>().is_err(), "{bad}");
        }
        let cases: &[(&str, &str, bool)] = &[
            ("11.5.7001.0", "11.*.7001.0", true),
            ("11.0.7001.0", "11.*.7001.0", true),
            ("11.5.7002.0", "11.*.7001.0", true),
            ("11.5.6000.0", "11.*.7001.0", false),
            ("10.9.9999.0", "11.*.7001.0", false),
            ("12.0.0.0", "11.*.7001.0", true),
            ("2.4.18.0", "2.4.18.0", true),
            ("2.4.17.9", "2.4.18", false),
            ("2022-01-01", "2021-08-01", true),
            ("2021-07-31", "2021-08-01", false),
        ];
        for &(installed, minimum, meets) in cases {
            assert_eq!(
                v(installed).meets(&v(minimum)),
                meets,
                "{installed} vs {minimum}"
            );
        }
        assert_ne!(v("11.*.7001.0"), v("11.0.7001.0"));
        assert_ne!(v("11.*.7001.0").cmp(&v("11.0.7001.0")), Ordering::Equal);
        let found = find_versions("requires 11.*.7001.0 or later and 2.4.*");
        let texts: Vec<String> = found.iter().map(|(_, v)| v.to_string()).collect();
        assert_eq!(texts, ["11.*.7001.0", "2.4.*"]);
    }

    #[test]
    fn parts_written_x_before_a_floor_are_open() {
        let spec = |text: &str| -> Vec<(String, Shape)> {
            find_specs(text)
                .into_iter()
                .map(|(range, spec, shape)| {
                    let read = match spec {
                        VersionSpec::Exact(v) => v.canonical().to_owned(),
                        VersionSpec::Placeholder(p) => format!("placeholder {p}"),
                    };
                    assert!(!text[range].is_empty());
                    (read, shape)
                })
                .collect()
        };
        let cases: &[(&str, &str, Shape)] = &[
            (
                "package version 9.3.2109.x or later",
                "9.3.2109.*",
                Shape::Dotted,
            ),
            ("Node.js version 14.x.x or higher", "14.*.*", Shape::Dotted),
            (
                "versions 16.0.8730.xxxx and above",
                "16.0.8730.*",
                Shape::Dotted,
            ),
            (
                "runtime version [9.7.4.xx or later](x.md)",
                "9.7.4.*",
                Shape::Dotted,
            ),
            (
                "runtime version 9.7.4.xx (or later)",
                "9.7.4.*",
                Shape::Dotted,
            ),
            (
                "upgrade to version 2.4.x",
                "placeholder 2.4.x",
                Shape::Placeholder,
            ),
            (
                "versions 16.0.8730.xxxx are supported",
                "placeholder 16.0.8730.xxxx",
                Shape::Placeholder,
            ),
            (
                "version x.x.x.x or later",
                "placeholder x.x.x.x",
                Shape::Placeholder,
            ),
            ("version X or later", "placeholder X", Shape::Placeholder),
        ];
        for &(text, read, shape) in cases {
            assert_eq!(
                spec(text).first(),
                Some(&(read.to_owned(), shape)),
                "{text}"
            );
        }
        let floor = v("9.3.2109.*");
        assert!(v("9.3.2109.0").meets(&floor) && v("9.3.2200.1").meets(&floor));
        assert!(!v("9.3.2108.99").meets(&floor));
        assert_eq!(
            parse_spec("version 14.x.x or higher"),
            Some(VersionSpec::Exact(v("14.*.*")))
        );
        assert_eq!(
            parse_spec("version 2.4.x"),
            Some(VersionSpec::Placeholder("2.4.x".to_owned()))
        );
    }

    #[test]
    fn finds_every_version_shape() {
        let text = "Use TLS 1.2, Windows Server 2012 R2 or V2, API version 2021-08-01, version X, \
                    16.0.8730.xxxx, 50% of 8 GB, 2019-20 and https://x.com/v/3.";
        let got: Vec<(&str, Shape)> = find_specs(text)
            .into_iter()
            .map(|(range, _, shape)| (&text[range], shape))
            .collect();
        assert_eq!(
            got,
            [
                ("1.2", Shape::Dotted),
                ("2012 R2", Shape::Single),
                ("V2", Shape::Single),
                ("2021-08-01", Shape::Dated),
                ("X", Shape::Placeholder),
                ("16.0.8730.xxxx", Shape::Placeholder),
                ("8", Shape::Single),
            ]
        );
    }

    /// A date-shaped token is an API version after "version", before a floor or before the
    /// word "API"; elsewhere it is left to the date reader.
    /// A pre-release is read with its tag, and comes before its release.
    #[test]
    fn pre_releases_keep_their_tag() {
        let found = |text: &str| -> Vec<String> {
            find_versions(text)
                .into_iter()
                .map(|(_, v)| v.canonical().to_string())
                .collect()
        };
        assert_eq!(
            found("azidentity v1.14.0-beta.3 or later"),
            ["1.14.0-beta.3"]
        );
        assert_eq!(found("Azure CLI 18.0.0b36 or later"), ["18.0.0b36"]);
        assert_eq!(found("version 1.26.0b2"), ["1.26.0b2"]);
        assert_eq!(found("1.0.0-rc1 or newer"), ["1.0.0-rc1"]);
        assert_eq!(found("Experimental: 2.0-Exp3"), ["2.0-Exp3"]);
        assert_eq!(found("1.2.3-based tools and 2.0.4-23"), ["1.2.3", "2.0.4"]);
        let order = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-beta.2",
            "1.0.0b11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1a1",
        ];
        for pair in order.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
            assert!(v(pair[1]).meets(&v(pair[0])) && !v(pair[0]).meets(&v(pair[1])));
        }
        assert_eq!(v("1.26.0b2"), v("1.26.0-beta.2"));
        assert_eq!(hash_of(&v("1.26.0b2")), hash_of(&v("1.26.0-BETA.2")));
        assert!(v("1.0").meets(&v("1.0-beta")) && v("1.0-beta").pre_release() == Some("beta"));
        for bad in [
            "2-beta",
            "1.*.0-beta",
            "2012 R2-beta",
            "1.0-",
            "1.0-beta..1",
            "1.0c1",
        ] {
            assert!(bad.parse::<Version>().is_err(), "{bad}");
        }
    }

    #[test]
    fn dated_api_versions() {
        let cases: &[(&str, Option<&str>)] = &[
            ("use API version 2021-08-01 today", Some("2021-08-01")),
            (
                "use the 2020-05-01 (or later) version of the API",
                Some("2020-05-01"),
            ),
            (
                "accounts created with the 2020-05-01 API",
                Some("2020-05-01"),
            ),
            ("the 2020-05-01 or newer schema", Some("2020-05-01")),
            ("retired on 2020-05-01 and later removed", None),
            ("released 2020-05-01.", None),
        ];
        for &(text, want) in cases {
            let got = find_specs(text)
                .into_iter()
                .find(|(_, _, shape)| *shape == Shape::Dated)
                .map(|(range, _, _)| &text[range]);
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn serializes_canonically() {
        let cases: &[(&str, &str)] = &[("v2.4.18.0", "\"2.4.18.0\""), (" 2.3 ", "\"2.3\"")];
        for &(input, json) in cases {
            let ser = serde_json::to_string(&v(input)).expect("serialize");
            assert_eq!(ser, json, "{input}");
            let back: Version = serde_json::from_str(&ser).expect("deserialize");
            assert_eq!(back, v(input));
        }
        assert!(serde_json::from_str::<Version>("\"X\"").is_err());

        let specs: &[(VersionSpec, &str)] = &[
            (VersionSpec::Exact(v("2.3.2.0")), r#"{"version":"2.3.2.0"}"#),
            (
                VersionSpec::Placeholder("X".to_owned()),
                r#"{"placeholder":"X"}"#,
            ),
        ];
        for (spec, json) in specs {
            assert_eq!(&serde_json::to_string(spec).expect("serialize"), json);
            let back: VersionSpec = serde_json::from_str(json).expect("deserialize");
            assert_eq!(&back, spec);
        }
    }

    #[test]
    fn json_schema_is_a_string() {
        let schema = serde_json::to_value(schemars::schema_for!(Version)).expect("schema json");
        assert_eq!(schema["type"], "string");
        let spec = serde_json::to_string(&schemars::schema_for!(VersionSpec)).expect("schema");
        assert!(
            spec.contains("placeholder") && spec.contains("\"version\""),
            "{spec}"
        );
    }

    #[test]
    fn parses_specs() {
        let exact = |s: &str| Some(VersionSpec::Exact(v(s)));
        let ph = |s: &str| Some(VersionSpec::Placeholder(s.to_owned()));
        let cases: Vec<(&str, Option<VersionSpec>)> = vec![
            ("version 2.3.2.0 or higher", exact("2.3.2.0")),
            (
                "[version 2.3.2.0](reference-connect-version-history.md#2320) or higher",
                exact("2.3.2.0"),
            ),
            ("[version 2.3.2.0] or higher", exact("2.3.2.0")),
            (
                "version: [4.5.2487.0](https://www.microsoft.com/download/details.aspx?id=48261) or higher",
                exact("4.5.2487.0"),
            ),
            ("version: 4.5.2487.0 or higher", exact("4.5.2487.0")),
            ("2.4.18.0 or any newer version", exact("2.4.18.0")),
            (" **2.4.18.0** or any newer version", exact("2.4.18.0")),
            ("v2.4.18.0 or later", exact("v2.4.18.0")),
            ("version 2 or higher", exact("2")),
            ("version X or higher", ph("X")),
            ("X", ph("X")),
            ("x", ph("x")),
            ("X.X", ph("X.X")),
            ("version x.x.x.x", ph("x.x.x.x")),
            ("vX", ph("vX")),
            ("2.4.x or later", exact("2.4.*")),
            ("2.4.x", ph("2.4.x")),
            ("<version>", ph("<version>")),
            ("version {version} or higher", ph("{version}")),
            ("TBD", ph("TBD")),
            ("TBA", ph("TBA")),
            ("N/A", ph("N/A")),
            ("?", ph("?")),
            ("version ? or higher", ph("?")),
            ("version X or higher (currently 2.4.18.0)", ph("X")),
            ("All alerts", None),
            ("All alerts?", None),
            ("", None),
            ("x64 builds", None),
            ("see [history](https://example.com/v/2.4.18.0)", None),
            ("Windows 10 build", None),
            ("line<br>", None),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_spec(input), expected, "{input:?}");
        }
    }

    #[test]
    fn finds_versions_in_text() {
        let cases: &[(&str, &[&str])] = &[
            ("Version 2.3.20.0 is a security update", &["2.3.20.0"]),
            (
                "upgrade from 2.4.18.0 to v2.4.21.0.",
                &["2.4.18.0", "v2.4.21.0"],
            ),
            (
                "AD DS agent: version: [4.5.2487.0](url) or higher",
                &["4.5.2487.0"],
            ),
            ("TLS 1.2 and 2.3", &["1.2", "2.3"]),
            ("see history#2.4.18.0 and /2.4.18.0", &[]),
            ("build-2.4.18.0 and my_2.3", &[]),
            ("https://example.com/x?v=2.4.18.0 done", &[]),
            ("www.example.com/2.4", &[]),
            ("file 2.4.18.0.zip or 2.4.x", &[]),
            ("1.2.3.4.5.6.7.8.9 is too long", &[]),
            ("99999999999999999999.1 overflows", &[]),
            ("Windows Server 2019", &[]),
            ("10.0.0.1", &["10.0.0.1"]),
            ("version\u{a0}2.4.18.0 and\u{2003}3.1", &["2.4.18.0", "3.1"]),
        ];
        for &(input, expected) in cases {
            let found = find_versions(input);
            let texts: Vec<&str> = found.iter().map(|(r, _)| &input[r.clone()]).collect();
            assert_eq!(texts, expected, "{input:?}");
            for (r, ver) in &found {
                assert_eq!(ver.to_string(), &input[r.clone()]);
            }
        }
    }

    fn parts_strategy() -> impl Strategy<Value = Vec<u64>> {
        prop::collection::vec(
            prop_oneof![0u64..4, Just(u64::MAX), any::<u64>()],
            1..=MAX_PARTS,
        )
    }

    fn from_parts(parts: &[u64]) -> Version {
        let text: Vec<String> = parts.iter().map(u64::to_string).collect();
        v(&text.join("."))
    }

    fn padded(parts: &[u64]) -> Vec<u64> {
        let mut p = parts.to_vec();
        p.resize(MAX_PARTS, 0);
        p
    }

    proptest! {
        #[test]
        fn order_matches_padded_vectors(a in parts_strategy(), b in parts_strategy(), c in parts_strategy()) {
            let (va, vb, vc) = (from_parts(&a), from_parts(&b), from_parts(&c));
            prop_assert_eq!(va.cmp(&vb), padded(&a).cmp(&padded(&b)));
            prop_assert_eq!(va.cmp(&vb), vb.cmp(&va).reverse());
            prop_assert_eq!(va == vb, va.cmp(&vb).is_eq());
            if va <= vb && vb <= vc {
                prop_assert!(va <= vc);
            }
        }

        /// Versions of at most three parts order as Cargo's semver orders them, padded with
        /// zeros: a feed's versions compare the way Rust tooling compares them.
        #[test]
        fn order_matches_semver(a in parts_strategy(), b in parts_strategy()) {
            let semver = |p: &[u64]| -> Option<semver::Version> {
                let part = |i: usize| p.get(i).copied().unwrap_or(0);
                (p.len() <= 3).then(|| semver::Version::new(part(0), part(1), part(2)))
            };
            if let (Some(sa), Some(sb)) = (semver(&a), semver(&b)) {
                prop_assert_eq!(from_parts(&a).cmp(&from_parts(&b)), sa.cmp(&sb));
            }
        }

        #[test]
        fn display_round_trips(a in parts_strategy(), prefix in prop_oneof![Just(""), Just("v"), Just("V")]) {
            let text: Vec<String> = a.iter().map(u64::to_string).collect();
            let original = v(&format!("{prefix}{}", text.join(".")));
            let again = v(&original.to_string());
            prop_assert_eq!(&again, &original);
            prop_assert_eq!(again.to_string(), original.to_string());
        }

        #[test]
        fn equal_versions_hash_equal(a in parts_strategy(), zeros in 0usize..4) {
            let mut longer = a.clone();
            longer.extend(std::iter::repeat_n(0, zeros));
            longer.truncate(MAX_PARTS);
            let (va, vb) = (from_parts(&a), from_parts(&longer));
            if va == vb {
                prop_assert_eq!(hash_of(&va), hash_of(&vb));
            }
        }

        #[test]
        fn never_panics(
            s in prop_oneof![
                "\\PC{0,40}",
                "(v|x|X|[0-9]{1,21}|\\.|version|<version>|\\?| |\u{a0}|\u{2003}|#|/|\\]\\(|\\)|é|R2|https://|-|\\+){0,14}",
            ]
        ) {
            let _ = s.parse::<Version>();
            let _ = parse_spec(&s);
            let _ = find_versions(&s);
            for (range, _, _) in find_specs(&s) {
                prop_assert!(s.get(range).is_some());
            }
        }
    }
}
