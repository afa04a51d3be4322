//! Requirements: statements that a product must be at or above a version, in prose and in
//! list items. Tables are read in `tables`.
//!
//! A version in a sentence is a requirement when the words around it make it a floor ("or
//! later", "at least", "minimum version", "versions below V stop working") or a need ("requires
//! TLS 1.2", "you need to upgrade to V2"), and nothing makes it something else: a condition
//! ("if you run 1.3.21 or newer"), a capability ("1.2.65.0 and later support ..."), a ceiling
//! ("or earlier"), a recommendation, a quantity ("1.6 GHz or higher") or the past. Versions in
//! code blocks never reach this stage.

use std::ops::Range;

use regex::Regex;
use std::sync::LazyLock;

use super::cues::*;
use super::product::{self, Phrase};
use super::scope;
use super::text::sentences;
use super::{Claim, Context};
use crate::date::{DateMention, PartialDate};
use crate::diagnostic::Code;
use crate::model::ProductRef;
use crate::model::{Block, BlockKind, Requirement};
use crate::slug::slugify;
use crate::version::{Shape, Version, VersionSpec, find_specs, parse_spec};

/// "Customers in commercial clouds", "noncommercial cloud": an item that names a cloud.
static CLOUD_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:customers\s+)?(?:in|on|for|using)?\s*(?:the\s+)?(.+?)\s+clouds?$")
        .expect("valid regex")
});

/// A cloud named in a sentence or heading: "in the Azure Government cloud", "for
/// noncommercial clouds".
static CLOUD_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:azure\s+)?(us\s+government|government|china|21vianet|commercial|non-?commercial|sovereign|gcc\s+high|gcc|dod|public)\s+clouds?\b")
        .expect("valid regex")
});

/// Right after a number, the word "version" or "build" and another version: the number
/// ends a name ("Windows 10 version 2004", "Windows 10 Version 1709", "Windows 11, build
/// 22000").
static NAME_RELEASE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[*_]*,?\s+(?i:version|build)\s+[*_]*[vV]?[0-9]").expect("valid regex")
});

/// "By", "before", "until": an act with a deadline, even one whose date is a placeholder
/// the text left out ("by <deadline>").
static ACT_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:by|before|until|no\s+later\s+than)\b").expect("valid regex")
});

/// Right after a version, another named release and a floor that both share ("Windows
/// Server 2019 or Windows 10, version 1809 or newer").
static COORDINATED_FLOOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[*_]*\s*(?i:or|and)\s+(?:[A-Z][\w.+-]*\s+){1,4}[vV]?[0-9][\w.]*(?:,?\s+(?i:version|build)\s+[0-9][\w.]*)?[*_]*\s+(?i:or\s+(?:later|newer|higher|above|greater)|and\s+(?:later|newer|higher|above))\b")
        .expect("valid regex")
});

/// A relative clause opening after a version: an obligation in it is about something else
/// ("newer versions (Az 14.3.0+), where MFA is required").
static RELATIVE_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[,)]\s*(?:where|which|who|whose|when)\b").expect("valid regex")
});

/// A floor, then an opening parenthesis, right before a version: the parenthesis restates
/// the floor ("version 2004 and higher (Build 19041 and higher)").
static FLOOR_BEFORE_PARENTHESIS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:and|or)\s+(?:later|higher|newer|above)[*_]*\s*\(\s*[*_`]*(?:(?:build|version)\s+)?$")
        .expect("valid regex")
});

/// A release named by its year, then an opening parenthesis, right before a version: the
/// version in the parenthesis is an update of that release ("Visual Studio 2017 (15.6+)").
static RELEASE_BEFORE_PARENTHESIS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z][\w.+#-]*\s+(?:19|20)[0-9]{2}\s*\(\s*[*_`]*$").expect("valid regex")
});

/// A release named by its year: `2016`, `2019 R2`.
static RELEASE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:19|20)[0-9]{2}\b").expect("valid regex"));

/// Right after a floor, the word that makes it needed ("3.11 or higher required to ...").
static REQUIRED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[*_\s]*(?:is\s+|are\s+)?(?:required|needed|mandatory)\b")
        .expect("valid regex")
});

/// An item's label that opens with a preposition or a condition is a scope ("For x64
/// systems:", "On ARM64:", "If you use the portal:"), not a product's name.
static SCOPE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[*_\s]*(?:for|on|in|with|within|under|if|when|to|from)\b")
        .expect("valid regex")
});

/// Context that makes bare versions in a list or table floors: a lead-in or heading that
/// says the versions are minimums.
static MINIMUM_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:minimum|minimal|or\s+(?:later|higher|newer|above)|required\s+versions?|versions?\s+required|supported\s+from|first\s+supported|lowest\s+supported|following\s+builds)\b")
        .expect("valid regex")
});

/// A number followed by a stray full stop and another number ("TLS 1. 2").
static TYPO_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\.\s+[0-9]").expect("valid regex"));

/// The word after a number, past markup: "365" in "a Microsoft 365 plan" is followed by
/// "plan", so it is part of a name.
static NEXT_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[*_`]*\s+[*_`]*([A-Za-z][A-Za-z-]*)").expect("valid regex"));

/// Words that may follow a version and end its phrase ("Windows Server 2016 and later",
/// "PowerShell 7 to run it", "Windows 11 x64").
const PHRASE_ENDERS: &[&str] = &[
    "and",
    "or",
    "to",
    "on",
    "in",
    "with",
    "for",
    "is",
    "are",
    "was",
    "were",
    "must",
    "be",
    "by",
    "as",
    "at",
    "from",
    "of",
    "if",
    "when",
    "so",
    "that",
    "the",
    "a",
    "an",
    "x64",
    "x86",
    "arm64",
    "installed",
    "nor",
    "but",
    "before",
    "after",
    "until",
    "through",
    "instead",
    "only",
    "minimum",
    "min",
    "above",
    "version",
    "versions",
    "build",
    "builds",
];

/// A hedge right before an obligation verb ("you may need to adjust it to work with WIF
/// 4.5"): advice for some readers, not a requirement.
static HEDGE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:may|might|could|possibly|perhaps)\s+(?:also\s+)?$").expect("valid regex")
});

/// Right after a version: it is to be installed (".NET 4.7.2 installed", "... must be
/// installed").
static INSTALLED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[*_`\s]*(?:(?:is|are|must\s+be|to\s+be)\s+)?installed\b")
        .expect("valid regex")
});

/// A time clause before a version in its clause: the version is when, not what is needed
/// ("update your OS SKU before upgrading your Kubernetes version to 1.39+").
static TEMPORAL_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:before|after|while|when|until)\s+[a-z]+ing\b").expect("valid regex")
});

/// A colon right after a floor with text after it: the floor labels that text.
static LABELS_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[*_`\s]*:[*_`\s]*[^\s*_`]").expect("valid regex"));

/// An opening "For ..." up to a version, with no comma of its own ("For Windows 10, version
/// 1607 or later, only Windows can ..."): with a comma after the floor, the floor scopes
/// what follows.
static FOR_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s*_>]*for\s+(?:[^,:]|,\s*(?:version|build|release)\b)*$")
        .expect("valid regex")
});

/// An infinitive after an obligation verb's object and before a version: when it is not the
/// act of getting the version ("need a machine to run"), it is a purpose, and the version
/// belongs to it ("need an IDE to build web applications over IIS 7.5 Express").
static INFINITIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bto\s+([a-z]+)\b").expect("valid regex"));

/// Verbs whose infinitive still names what is needed ("you need to install X 2.0").
const ACQUIRING: &[&str] = &[
    "be", "have", "get", "install", "run", "use", "upgrade", "update", "migrate", "move", "switch",
    "download", "deploy", "keep", "stay", "remain", "version",
];

/// A sentence that lists minimums itself: "meet the minimum requirements, including .NET
/// Framework 4.7.2 and TLS 1.2".
static LISTED_MINIMUMS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bminimum\s+(?:requirements?|versions?|prerequisites?)\b")
        .expect("valid regex")
});

/// "You need this version or a later version": a floor for the versions of the sentence
/// before.
static ANAPHORA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:this|these|that|those)\s+versions?\s+(?:or|and)\s+(?:a\s+|any\s+)?(?:later|newer|higher)\b")
        .expect("valid regex")
});

/// A requirement read from a text, before its product falls back to the section or title.
struct Reading {
    spec: VersionSpec,
    product: Option<Phrase>,
    /// Where the version is, in the block's text.
    range: Range<usize>,
}

/// Reads every requirement stated in list items and paragraphs.
pub(super) fn requirements(cx: &mut Context<'_>, claims: &mut Vec<Claim>) -> Vec<Requirement> {
    let mut out = Vec::new();
    let mut read_from = Vec::new();
    for i in 0..cx.blocks.len() {
        let block = &cx.blocks[i];
        match block.kind {
            BlockKind::ListItem => {
                if let Some(requirement) = named_item(cx, i, claims) {
                    out.push(requirement);
                } else {
                    prose(cx, i, claims, &mut out);
                }
            }
            BlockKind::Paragraph => prose(cx, i, claims, &mut out),
            BlockKind::Heading(_) | BlockKind::TableRow { .. } => {}
        }
        read_from.resize(out.len(), i);
    }
    drop_listed(cx.blocks, out, &read_from)
}

/// Words of a floor in a requirement's own text.
static OWN_FLOOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:or|and)\s+(?:any\s+)?(?:later|higher|newer|above|greater)\b|\bat\s+least\b|\bminim|\bonwards?\b|[0-9]\+")
        .expect("valid regex")
});

/// Under a heading or lead-in that speaks of minimums, sibling items that each name a bare
/// version of one product ("Windows Server 2016", "Windows Server 2019", "Windows Server
/// 2022" under "Minimum operating system requirements") list what is supported, which is no
/// floor: read as floors they would require 2022 of a fleet on 2019, and read as the lowest
/// floor they would call a release between them (a 2017 the list leaves out) compliant.
fn drop_listed(
    blocks: &[Block],
    requirements: Vec<Requirement>,
    read_from: &[usize],
) -> Vec<Requirement> {
    let sibling_key = |n: usize| {
        let block = &blocks[read_from[n]];
        let requirement = &requirements[n];
        (block.kind == BlockKind::ListItem && !OWN_FLOOR.is_match(&requirement.text)).then(|| {
            (
                block.section,
                block.parent,
                block.depth,
                requirement.source.file.clone(),
                requirement.key(),
            )
        })
    };
    let keys: Vec<_> = (0..requirements.len()).map(sibling_key).collect();
    let alone = |n: usize| {
        let Some(key) = &keys[n] else {
            return true;
        };
        !(0..requirements.len()).any(|m| m != n && keys[m].as_ref() == Some(key))
    };
    let keep: Vec<bool> = (0..requirements.len()).map(alone).collect();
    requirements
        .into_iter()
        .zip(keep)
        .filter_map(|(requirement, keep)| keep.then_some(requirement))
        .collect()
}

/// The most words a parent item's name may have to complete its items' names ("Microsoft
/// Entra Connect Health agents: AD DS agent ...").
const FAMILY_WORDS: usize = 6;

/// The longest parent item read as a label over its children ("Prerequisites", "Supported
/// versions of the agent"): longer, it is a statement of its own.
const LABEL_LENGTH: usize = 80;

/// The texts that govern block `i`: the lead-in that introduces its list or table (a
/// paragraph ending in a colon or announcing "the following"), its parent item when that
/// introduces it the same way or is a short label ("**Requirements**"), and the headings above
/// it. A parent that is a step of its own ("Enter a question. Queries that require ...") says
/// nothing of what its children are.
fn governing_texts(blocks: &[Block], i: usize) -> impl Iterator<Item = &str> {
    let introduces = |text: &str| {
        let text = text.trim_end_matches(['*', '_', ' ']);
        text.ends_with(':') || text.to_lowercase().contains("following")
    };
    let lead_in = scope::lead_in(blocks, i)
        .filter(|b| introduces(&b.text))
        .map(|b| b.text.as_str());
    let parent = blocks[i]
        .parent
        .map(|p| blocks[p].text.as_str())
        .filter(|t| introduces(t) || t.len() <= LABEL_LENGTH);
    lead_in
        .into_iter()
        .chain(parent)
        .chain(scope::headings(blocks, i).map(|h| h.text.as_str()))
}

/// Whether what governs block `i` says its versions are minimums ("Minimum versions", "the
/// minimum requirements are:").
pub(super) fn minimum_context(blocks: &[Block], i: usize) -> bool {
    governing_texts(blocks, i).any(says_minimums)
}

/// Whether a governing text says the versions under it are minimums. An "or later" right
/// after a version of its own is that version's floor ("Installing Web Deploy on IIS 8.0 or
/// Later"), and says nothing of the versions below it; "the following versions or later" does.
fn says_minimums(text: &str) -> bool {
    MINIMUM_CONTEXT.find_iter(text).any(|m| {
        !m.as_str().to_lowercase().starts_with("or")
            || !text[..m.start()]
                .trim_end_matches(|c: char| c.is_whitespace() || "*_`".contains(c))
                .rsplit(char::is_whitespace)
                .next()
                .is_some_and(|word| word.chars().any(|c| c.is_ascii_digit()))
    })
}

/// Whether what governs list item `i` recommends rather than requires ("Upgrade to the
/// following versions or later to receive more informative error messages:"). A
/// recommendation with a date to act by ("we strongly encourage customers to upgrade to the
/// following builds by September 16, 2024", or "by <deadline>" not yet filled in) is a
/// deadline all the same.
fn recommended_by_lead_in(blocks: &[Block], i: usize) -> bool {
    blocks[i].kind == BlockKind::ListItem
        && governing_texts(blocks, i)
            .any(|t| RECOMMENDATION.is_match(t) && !OBLIGATION.is_match(t) && !ACT_BY.is_match(t))
}

/// Whether what governs block `i` makes its list one of requirements (prerequisites,
/// requirements, what is supported), where "V or later" stands on its own.
pub(super) fn requirement_context(blocks: &[Block], i: usize) -> bool {
    governing_texts(blocks, i).any(|t| REQUIREMENT_CONTEXT.is_match(t))
}

/// `Name: version V or higher`, with the name completed from a parent item, or a cloud
/// ("Customers in commercial clouds: 2.4.18.0 or any newer version") meaning the notice's
/// product.
fn named_item(cx: &mut Context<'_>, i: usize, claims: &mut Vec<Claim>) -> Option<Requirement> {
    let block = &cx.blocks[i];
    if recommended_by_lead_in(cx.blocks, i) {
        return None;
    }
    let (name, rest_at) = name_and_rest(&block.text)?;
    let rest = &block.text[rest_at..];
    // "Name: [version] V ...": the version opens what follows the name.
    let opening = rest
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_start_matches(|c: char| c.is_alphabetic() && c != 'v' && c != 'V' || c == ' ');
    let lead = rest.len() - opening.len();
    let lead_words = rest[..lead].to_lowercase();
    if !lead_words
        .split(|c: char| !c.is_alphabetic())
        .all(|w| w.is_empty() || w == "version" || w == "versions" || w == "build")
    {
        return None;
    }
    let name = name
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(" versions")
        .trim_end_matches(" version")
        .trim_end_matches(" Version");
    // "Nano Server: 2016 and higher": a year-like release that opens the rest is a version
    // when floor words follow it (a smaller bare number is more likely a quantity: "Memory:
    // 512 and higher").
    let spec = parse_spec(rest).or_else(|| {
        find_specs(rest)
            .into_iter()
            .next()
            .filter(|(at, _, _)| {
                at.start == 0
                    && RELEASE_YEAR.is_match(&rest[at.clone()])
                    && MIN_AFTER.is_match(&rest[at.end..])
            })
            .map(|(_, spec, _)| spec)
    })?;
    if UNIT_AFTER.is_match(after_spec(rest)) {
        return None;
    }
    // "Minimum version: 2.0": the name says what the value is, not whose it is.
    let names_a_minimum = MINIMUM_CONTEXT.is_match(name)
        && product::leading(name).is_none_or(|p| {
            !p.is_specific()
                || p.name.split(' ').all(|w| {
                    MINIMUM_CONTEXT.is_match(w)
                        || w.eq_ignore_ascii_case("version")
                        || w.eq_ignore_ascii_case("required")
                })
        });
    let floor = names_a_minimum
        || MIN_AFTER.is_match(after_spec(rest))
        || MIN_BEFORE.is_match(rest.split(spec_text(&spec)).next().unwrap_or_default());
    if !floor && !minimum_context(cx.blocks, i) {
        return None;
    }
    let (product, clouds) = match cloud_of(name) {
        Some(cloud) => (cx.fallback_product(i)?, vec![cloud]),
        None if names_a_minimum => (cx.fallback_product(i)?, Vec::new()),
        None => {
            let family = block
                .parent
                .map(|p| &cx.blocks[p])
                .filter(|parent| {
                    name_and_rest(&parent.text)
                        .and_then(|(_, r)| parse_spec(&parent.text[r..]))
                        .is_none()
                })
                .map(|parent| name_and_rest(&parent.text).map_or(parent.text.as_str(), |(n, _)| n));
            // A parent that is a step of its own ("Verify that your app is using a valid
            // WinAppSDK minimum version.") is no family name: its items' names alone
            // ("Stable", "ImageVersion") say whose the value is no better than a guess.
            let full = match family {
                Some(step) if step.split_whitespace().count() > FAMILY_WORDS => {
                    // The step may still name whose versions its items are ("a valid
                    // WinAppSDK minimum version"): then the item's name is a channel or a
                    // scope ("Stable: 1.8.3").
                    let at = step.to_ascii_lowercase().rfind("version")?;
                    product::before(step, at).filter(|p| p.is_specific())?.name
                }
                Some(family) => format!("{family} {name}"),
                None => name.to_string(),
            };
            (cx.product(&full), Vec::new())
        }
    };
    let spec = cx.checked_spec(spec, block, block.line)?;
    let at = rest_at + rest.find(spec_text(&spec)).unwrap_or(0);
    claims.push(Claim {
        block: i,
        range: at..at + spec_text(&spec).len(),
    });
    let deadline = item_deadline(cx, i, &block.text);
    Some(Requirement {
        product,
        minimum: spec,
        clouds,
        deadline,
        text: block.text.clone(),
        source: cx.pos(block, block.line),
        pivot: block.pivot.clone(),
    })
}

/// The text of a spec as written.
fn spec_text(spec: &VersionSpec) -> &str {
    match spec {
        VersionSpec::Exact(v) => v.canonical(),
        VersionSpec::Placeholder(p) => p,
    }
}

/// The text after the first version or placeholder of `rest`.
fn after_spec(rest: &str) -> &str {
    find_specs(rest)
        .into_iter()
        .next()
        .map_or("", |(range, _, _)| &rest[range.end..])
}

/// Splits `Name: rest` at the first colon; the name must look like a name. Returns the name
/// and where the rest starts.
fn name_and_rest(text: &str) -> Option<(&str, usize)> {
    let colon = text.find(':')?;
    let name = text[..colon].trim();
    let plausible = !name.is_empty()
        && name.len() <= 100
        && name.chars().any(char::is_alphabetic)
        && !name.contains("http")
        && name.split_whitespace().count() <= 8
        // "For x64 systems: Version 1903 or later" names a scope, not a product.
        && !SCOPE_NAME.is_match(name);
    let rest = colon + 1 + (text[colon + 1..].len() - text[colon + 1..].trim_start().len());
    plausible.then_some((name, rest))
}

/// Whether the text before a number ends with the word that makes it a version: "version
/// 2004", "Build 22000".
fn names_a_build(before: &str) -> bool {
    let lower = before.trim_end_matches([' ', '*', '_']).to_lowercase();
    lower.ends_with("version") || lower.ends_with("build")
}

/// Whether `phrase` is the label of a scope rather than a product: "For x64 systems: Version
/// 1903 or later" is about x64 systems of whatever the lead-in names.
fn scope_label(sentence: &str, phrase: &Phrase) -> bool {
    let head = sentence[..phrase.range.start].trim_end();
    let tail = sentence[phrase.range.end..].trim_start_matches(['*', '_', ' ']);
    tail.starts_with(':') && head.split_whitespace().count() == 1 && SCOPE_NAME.is_match(head)
}

/// The cloud an item names ("Customers in commercial clouds" -> `commercial`).
fn cloud_of(name: &str) -> Option<String> {
    let caps = CLOUD_ITEM.captures(name.trim())?;
    let cloud = slugify(&caps[1].replace("non-", "non"));
    (!cloud.is_empty() && cloud.split('-').count() <= 3).then_some(cloud)
}

/// A cloud named in a text ("for the Azure Government cloud" -> `government`).
pub(super) fn cloud_in(text: &str) -> Option<String> {
    let caps = CLOUD_IN_TEXT.captures(text)?;
    Some(slugify(&caps[1].to_lowercase().replace("non-", "non")))
}

/// Reads the requirements of one paragraph or list item, sentence by sentence.
fn prose(cx: &mut Context<'_>, i: usize, claims: &mut Vec<Claim>, out: &mut Vec<Requirement>) {
    let block = &cx.blocks[i];
    if recommended_by_lead_in(cx.blocks, i) {
        return;
    }
    let in_list = block.kind == BlockKind::ListItem || block.parent.is_some();
    let region = Region {
        block: i,
        offset: 0,
        text: &block.text,
        in_list: in_list && requirement_context(cx.blocks, i),
        context: in_list && minimum_context(cx.blocks, i),
        product: None,
        clouds: Vec::new(),
    };
    statements(cx, region, claims, out);
}

/// Reads the requirements a table cell states on its own ("Windows Server 2012 R2 or
/// above"), for the row's product when the cell names none. A row that says "V or newer"
/// states a floor whatever the table is about, so a cell reads like a list item.
pub(super) fn cell(
    cx: &mut Context<'_>,
    cell: (usize, usize),
    product: Option<ProductRef>,
    clouds: Vec<String>,
    claims: &mut Vec<Claim>,
    out: &mut Vec<Requirement>,
) {
    let (r, c) = cell;
    let row = &cx.blocks[r];
    let Some(text) = row.cells.get(c) else {
        return;
    };
    let region = Region {
        block: r,
        offset: super::tables::cell_offset(row, c),
        text,
        in_list: true,
        context: false,
        product,
        clouds,
    };
    statements(cx, region, claims, out);
}

/// A stretch of a block's text read as statements: a paragraph, a list item, a table cell.
struct Region<'t> {
    block: usize,
    /// Where `text` starts in the block's text.
    offset: usize,
    text: &'t str,
    /// A list item or table cell: "V or later" stands on its own there.
    in_list: bool,
    /// The lead-in or heading says the versions here are minimums.
    context: bool,
    /// The product when the text names none (a table row's).
    product: Option<ProductRef>,
    /// The clouds the region is about (a table row's).
    clouds: Vec<String>,
}

/// Reads the requirements of a region sentence by sentence: what each version means, whose
/// version it is, and by when it is due.
fn statements(
    cx: &mut Context<'_>,
    region: Region<'_>,
    claims: &mut Vec<Claim>,
    out: &mut Vec<Requirement>,
) {
    let i = region.block;
    let text = region.text;
    let mut previous: Vec<Reading> = Vec::new();
    // The sentence before, whose last product "it" in the next one may mean.
    let mut previous_sentence = "";
    for range in sentences(text) {
        let sentence = &text[range.clone()];
        let shift = region.offset + range.start;
        let cued = region.context || ANY_CUE.is_match(sentence);
        let specs = if cued {
            find_specs(sentence)
        } else {
            Vec::new()
        };
        if specs.is_empty() && !ANAPHORA.is_match(sentence) {
            previous.clear();
            previous_sentence = sentence;
            continue;
        }
        let dates = cx.dates(sentence);
        let mut readings: Vec<Reading> = specs
            .iter()
            .filter(|(at, _, _)| !dated(sentence, at, &dates))
            .filter_map(|(at, spec, shape)| {
                let reading = read(
                    sentence,
                    at.clone(),
                    spec.clone(),
                    *shape,
                    region.in_list,
                    region.context,
                )?;
                Some(Reading {
                    range: shift + reading.range.start..shift + reading.range.end,
                    ..reading
                })
            })
            .collect();
        if specs.is_empty() {
            readings = std::mem::take(&mut previous)
                .into_iter()
                .filter(|r| !claims.iter().any(|c| c.block == i && c.range == r.range))
                .collect();
        }
        let context = Around {
            sentence,
            shift,
            specs: &specs,
            previous: &previous,
            previous_sentence,
        };
        context.fill_products(&mut readings);
        // A date read as a version ("Essentials before 2019") is no deadline.
        let dates: Vec<DateMention> = dates
            .into_iter()
            .filter(|d| {
                let (start, end) = (shift + d.range.start, shift + d.range.end);
                !readings
                    .iter()
                    .any(|r| r.range.start < end && start < r.range.end)
            })
            .collect();
        for reading in &readings {
            if let Some(requirement) = cx.requirement(&region, reading, sentence, &dates) {
                claims.push(Claim {
                    block: i,
                    range: reading.range.clone(),
                });
                out.push(requirement);
            }
        }
        previous = specs
            .into_iter()
            .filter(|(_, _, shape)| matches!(shape, Shape::Dotted | Shape::Single))
            .filter_map(|(at, spec, _)| {
                let product = product::before(sentence, at.start)?;
                Some(Reading {
                    spec,
                    product: Some(product),
                    range: shift + at.start..shift + at.end,
                })
            })
            .collect();
        previous_sentence = sentence;
    }
}

/// What surrounds the readings of one sentence, for the ones that name no product.
struct Around<'s> {
    sentence: &'s str,
    /// Where the sentence starts in its block's text.
    shift: usize,
    specs: &'s [(Range<usize>, VersionSpec, Shape)],
    previous: &'s [Reading],
    previous_sentence: &'s str,
}

impl Around<'_> {
    /// A reading without a product takes the one another version of the sentence names ("If
    /// you're running microsoft.flux 1.15.1 or earlier, upgrade to version 1.15.2 or later"),
    /// else the last one named before it in the sentence ("the OpenShift cluster meets the
    /// version prerequisites: 4.5.41+"), else the versioned product of the sentence before
    /// ("... incompatible with agent version 1.36. Upgrade to version 1.37 or later"), else
    /// what "it" refers to ("If you'd like to use it locally, version 2.0.68 or later is
    /// required").
    fn fill_products(&self, readings: &mut [Reading]) {
        if readings.iter().all(|r| r.product.is_some()) {
            return;
        }
        let sentence = self.sentence;
        let named_here = self
            .specs
            .iter()
            .filter_map(|(at, _, _)| product::before(sentence, at.start))
            .find(|p| p.is_specific() && !scope_label(sentence, p));
        let named_before = self.previous.iter().rev().find_map(|r| r.product.clone());
        let antecedent = PRONOUN
            .is_match(sentence)
            .then(|| product::last_named(self.previous_sentence))
            .flatten();
        for reading in readings.iter_mut().filter(|r| r.product.is_none()) {
            let earlier = sentence
                .get(..reading.range.start.saturating_sub(self.shift))
                .and_then(product::last_named)
                .filter(|p| !scope_label(sentence, p));
            reading.product = named_here
                .clone()
                .or(earlier)
                .or_else(|| named_before.clone())
                .or_else(|| antecedent.clone());
        }
    }
}

impl Context<'_> {
    /// The requirement a reading states: its product resolved, its version checked, its
    /// clouds and deadline found. `None` when it names no product that can be resolved.
    fn requirement(
        &mut self,
        region: &Region<'_>,
        reading: &Reading,
        sentence: &str,
        dates: &[DateMention],
    ) -> Option<Requirement> {
        let i = region.block;
        let block = &self.blocks[i];
        let line = block.line_at(reading.range.start);
        let product = self.resolve(region, reading, sentence)?;
        let spec = self.checked_spec(reading.spec.clone(), block, line)?;
        let clouds = if region.clouds.is_empty() {
            cloud_in(sentence)
                .or_else(|| scope::heading(self.blocks, i).and_then(|h| cloud_in(&h.text)))
                .into_iter()
                .collect()
        } else {
            region.clouds.clone()
        };
        let deadline = scope::own_deadline(dates, sentence)
            .or_else(|| item_deadline_beyond(self, i, region.in_list));
        Some(Requirement {
            product,
            minimum: spec,
            clouds,
            deadline,
            text: sentence.trim_matches(['*', '_', ' ']).to_string(),
            source: self.pos(block, line),
            pivot: block.pivot.clone(),
        })
    }

    /// The product of a reading: the one its phrase names; for a noun alone ("use agent
    /// version 1.34", "requires a resource bridge upgraded to 1.7.0") the product named with
    /// that noun earlier in the block or its lead-in, else the section's or notice's product
    /// when that is one; with no phrase, the section's or notice's product.
    fn resolve(
        &self,
        region: &Region<'_>,
        reading: &Reading,
        sentence: &str,
    ) -> Option<ProductRef> {
        let i = region.block;
        let fallback = || region.product.clone().or_else(|| self.fallback_product(i));
        let Some(phrase) = &reading.product else {
            // "If you use the version 2 driver, it must be 2.0.15.1021 or later", "The version
            // indicated must be at least 3.8.0": a pronoun or a pointer whose antecedent was
            // not found is not the notice's product by default.
            let start = reading.range.start.saturating_sub(region.offset);
            let before = region.text.get(..start).unwrap_or_default();
            let own = before
                .rfind(['.', '!', '?'])
                .map_or(before, |i| &before[i + 1..]);
            if PRONOUN.is_match(own) || POINTING_BACK.is_match(own) {
                return None;
            }
            // "You must be running Windows 10: / - For x64 systems: Version 1903 or later": an
            // item that names nothing is about what its lead-in requires, or what a lead-in
            // that is only a name labels ("Dynamics 365 Finance: / - 10.0.18 or higher").
            let required_by_lead_in = (region.product.is_none()
                && self.blocks[i].kind == BlockKind::ListItem)
                .then(|| scope::lead_in(self.blocks, i))
                .flatten()
                .and_then(|lead| {
                    label_name(&lead.text).or_else(|| {
                        OBLIGATION
                            .is_match(&lead.text)
                            .then(|| product::last_named(&lead.text))
                            .flatten()
                    })
                })
                .filter(Phrase::is_specific);
            if let Some(lead) = required_by_lead_in {
                return Some(self.product(&lead.name));
            }
            // "Azure Kubernetes Service (AKS) cluster or any other Kubernetes cluster. Use
            // version 1.21.2 or newer": an item's later sentence is about what it opens with.
            let opening = (region.product.is_none()
                && self.blocks[i].kind == BlockKind::ListItem
                && before.contains(['.', '!', '?']))
            .then(|| product::leading(region.text))
            .flatten()
            .filter(|p| p.is_specific() && self.names_something(region.text, p));
            if let Some(opening) = opening {
                return Some(self.product(&opening.name));
            }
            return fallback();
        };
        if phrase.is_specific() && self.names_something(sentence, phrase) {
            return Some(self.product(&phrase.name));
        }
        let noun = phrase.name.rsplit(' ').next().unwrap_or_default();
        let block = &self.blocks[i];
        let earlier = product::ending_with(&block.text, noun, reading.range.start).or_else(|| {
            scope::lead_in(self.blocks, i)
                .and_then(|b| product::ending_with(&b.text, noun, b.text.len()))
        });
        match earlier {
            Some(found) => Some(self.product(&found.name)),
            None => fallback().filter(|f| f.name.to_lowercase().contains(&noun.to_lowercase())),
        }
    }
}

/// The name a paragraph is made of, when it is only a name and a colon: a label for the
/// list after it ("Dynamics 365 Finance:").
fn label_name(text: &str) -> Option<Phrase> {
    let label = text
        .trim()
        .trim_end_matches(['*', '_'])
        .strip_suffix(':')?
        .trim_end_matches(['*', '_', ' ']);
    let start = label.len() - label.trim_start_matches(['*', '_', ' ']).len();
    product::subject_before(label, label.len()).filter(|p| p.range.start == start)
}

/// Whether the token at `at` is part of a date ("April 7, 2025"), unless a product's name
/// stands right before it ("Windows Server Essentials before 2019").
fn dated(sentence: &str, at: &Range<usize>, dates: &[crate::date::DateMention]) -> bool {
    dates
        .iter()
        .any(|d| d.range.start < at.end && at.start < d.range.end)
        && product::before(sentence, at.start).is_none_or(|p| !p.is_specific())
}

/// The sentence before a version, up to the last clause that ends in a full stop of its own
/// (a colon or semicolon): what introduces the version within its sentence.
fn clause_before_sentence<'s>(sentence: &'s str, at: &Range<usize>) -> &'s str {
    let before = &sentence[..at.start];
    before.rfind([';']).map_or(before, |i| &before[i + 1..])
}

/// Where the clause around byte range `at` of `sentence` starts and ends: at commas,
/// semicolons and parentheses.
fn clause(sentence: &str, at: &Range<usize>) -> Range<usize> {
    let start = sentence[..at.start]
        .rfind([',', ';', '(', ':'])
        .map_or(0, |i| i + 1);
    let end = sentence[at.end..]
        .find([',', ';', ')'])
        .map_or(sentence.len(), |i| at.end + i);
    start..end
}

/// Whether the version at `at` of `sentence` is a requirement, and if so what it requires.
/// `in_list`: the sentence is a list item's (or a table cell's), where a "V or later" is a
/// floor on its own; `context`: its lead-in or heading says its versions are minimums.
fn read(
    sentence: &str,
    at: Range<usize>,
    spec: VersionSpec,
    shape: Shape,
    in_list: bool,
    context: bool,
) -> Option<Reading> {
    let before = &sentence[..at.start];
    let after = &sentence[at.end..];
    if UNIT_AFTER.is_match(after) || CEILING_AFTER.is_match(after) {
        return None;
    }
    // "Windows 10 version 2004": the first number is part of the name the second is a
    // release of.
    if shape == Shape::Single && NAME_RELEASE_AFTER.is_match(after) {
        return None;
    }
    // "build 10.0.22621 (22H2) or later": the parenthesis names the same release again; but
    // "Visual Studio 2017 (15.6+)" puts the floor inside it, on the update of that release.
    let floor_inside = shape == Shape::Dotted
        && RELEASE_BEFORE_PARENTHESIS.is_match(before)
        && !FLOOR_BEFORE_PARENTHESIS.is_match(before)
        && after
            .find(')')
            .is_some_and(|close| MIN_AFTER.is_match(&after[..close]));
    if (ALIAS_BEFORE.is_match(before) && !floor_inside)
        || ENABLE_BEFORE.is_match(before)
        || UPDATE_BEFORE.is_match(before)
        || UPDATE_AFTER.is_match(after)
    {
        return None;
    }
    if (shape == Shape::Single && QUANTITY_BEFORE.is_match(before))
        || SECTION_BEFORE.is_match(before)
    {
        return None;
    }
    // "TLS 1. 2": a number broken by a typo is no version to enforce.
    if shape == Shape::Single && TYPO_AFTER.is_match(after) {
        return None;
    }
    if OPTIONAL.is_match(sentence) || UPGRADE_PATH.is_match(sentence) {
        return None;
    }
    let bounds = clause(sentence, &at);
    let clause_text = &sentence[bounds.clone()];
    let clause_before = &sentence[bounds.start..at.start];
    if CEILING_BEFORE.is_match(clause_before)
        || PAST.is_match(clause_text)
        || TEMPORAL_CLAUSE.is_match(clause_before)
    {
        return None;
    }
    // "Windows Server 2012 R2 and later: 2-300": a floor that labels what follows its colon
    // is a scope, as "For x64 systems:" is, and so is an opening "For Windows 10, version
    // 1607 or later, ...".
    if MIN_AFTER.find(after).is_some_and(|m| {
        let rest = &after[m.end()..];
        LABELS_AFTER.is_match(rest)
            || (FOR_OPENING.is_match(before)
                && rest.trim_start_matches(['*', '_', ' ']).starts_with(','))
    }) {
        return None;
    }
    let min_after = MIN_AFTER.is_match(after) || COORDINATED_FLOOR.is_match(after);
    let min_before = MIN_BEFORE.is_match(before) && !MINIMUM_FOR.is_match(before);
    // "the minimum requirements, including .NET Framework 4.7.2 and TLS 1.2".
    let context = context
        || (LISTED_MINIMUMS.is_match(clause_before_sentence(sentence, &at))
            && !MINIMUM_FOR.is_match(before));
    let below = BELOW.is_match(before);
    let verb = OBLIGATION_VERB
        .find_iter(clause_before)
        .last()
        .filter(|v| !HEDGE_BEFORE.is_match(&clause_before[..v.start()]))
        .filter(|v| {
            let object = &clause_before[v.end()..];
            !INFINITIVE.captures_iter(object).any(|c| {
                !ACQUIRING.contains(&&c[1])
                    && object[..c.get(0).map_or(0, |m| m.start())]
                        .contains(|ch: char| ch.is_alphabetic())
            })
        });
    let consequence = CONSEQUENCE.is_match(sentence);

    // The negative form: "versions below V stop working", "if you're not on at least V".
    let negative = (below || (min_before && NEGATION.is_match(clause_before))) && consequence;
    let floor = min_after || min_before;
    let needed = verb.is_some()
        || OBLIGATION.find_iter(sentence).any(|m| {
            m.end() <= at.start || !RELATIVE_CLAUSE.is_match(&sentence[at.end..m.start()])
        })
        || ONLY_IF.is_match(sentence)
        || IMPERATIVE.is_match(sentence)
        || IMPERATIVE.is_match(clause_text);
    let versioned = shape != Shape::Single
        || sentence[at.clone()].starts_with(['v', 'V'])
        || names_a_build(before);
    // "upgrade your clusters to use microsoft.flux version 1.23.0" with an obligation or a
    // date: the version acted toward is required.
    let act_to = ACT_TO.is_match(clause_before)
        && !PLACE_BEFORE.is_match(clause_before)
        && (OBLIGATION.is_match(sentence) || !scope::own_deadline_dates(clause_text).is_empty());
    // "at least 16384", "minimum 8": a floor on a bare number is a quantity unless the word
    // "version" says otherwise.
    if min_before && !min_after && !versioned && shape == Shape::Single {
        return None;
    }
    // "a Microsoft 365 plan", "Codeunit 2718 Page Summary Provider": a bare number that a
    // word carries on from is part of a name, unless floor words make it a version.
    if shape == Shape::Single && !versioned && !min_after && !below {
        let next = NEXT_WORD.captures(after).and_then(|c| c.get(1));
        if next.is_some_and(|w| !PHRASE_ENDERS.contains(&w.as_str().to_lowercase().as_str())) {
            return None;
        }
    }
    let accepted = if negative || act_to {
        true
    } else if below {
        false
    } else if floor {
        // A floor in a list or table stands on its own; in running prose it must be needed.
        in_list || context || needed
    } else {
        // No floor words: only a need right before it ("requires TLS 1.2"), a list whose
        // context says its versions are minimums, or an item that opens with a prerequisite
        // to have installed (".NET 4.7.2 installed."; not a clause of what setup does).
        (verb.is_some() && versioned)
            || context
            || (in_list
                && versioned
                && INSTALLED_AFTER.is_match(after)
                && !before.contains(',')
                && before.split_whitespace().count() <= 5)
    };
    if !accepted {
        return None;
    }
    if !negative {
        if NEGATION.is_match(clause_before) && !min_before {
            return None;
        }
        if conditional(sentence, clause_text, clause_before, in_list) {
            return None;
        }
        let after_floor = MIN_AFTER.find(after).map_or(after, |m| &after[m.end()..]);
        // A floor in parentheses describes the name before it ("a site (version V or later)
        // that includes a licence"): what follows the parenthesis is not the version's doing.
        let closed = after_floor
            .trim_start_matches(['*', '_', ' '])
            .starts_with(')');
        // "Python 3.11 or higher required to support iTerm2": the need comes first.
        let required_after = REQUIRED_AFTER.is_match(after_floor);
        if floor
            && !closed
            && !required_after
            && CAPABILITY_AFTER.is_match(after_floor)
            && verb.is_none()
        {
            return None;
        }
        if NEGATED_AFTER.is_match(after_floor) || RECOMMENDED_AFTER.is_match(after_floor) {
            return None;
        }
        if AVAILABILITY.is_match(clause_text) && !OBLIGATION.is_match(clause_text) {
            return None;
        }
        if RECOMMENDATION.is_match(sentence) && !OBLIGATION.is_match(sentence) && !context {
            return None;
        }
    }
    // A version with no floor words needs a named product right before it, a noun its
    // verb requires ("requires a resource bridge upgraded to 1.7.0"), or a list of minimums.
    let product = product::before(sentence, at.start)
        .map(|p| product::level_named_by(sentence, &p).unwrap_or(p))
        .map(|p| product::beyond_editions(sentence, &p).unwrap_or(p))
        .filter(|p| !scope_label(sentence, p))
        .or_else(|| product::after_of(sentence, at.end));
    let named = product.as_ref().is_some_and(Phrase::is_specific);
    let required_noun = product.is_some() && verb.is_some();
    let listed = context && shape != Shape::Single;
    if !(floor || negative || named || required_noun || listed) {
        return None;
    }
    if shape == Shape::Single && product.is_none() && !names_a_build(before) {
        return None;
    }
    Some(Reading {
        spec,
        product,
        range: at,
    })
}

/// Whether the clause around a version is a condition or a scope ("if you run 1.3.21 or
/// newer", "for deployments with 1.1.749.0 or higher", "with 1.1.613.0 or later, you can"),
/// which makes the version something the reader may have, not something required. "We can
/// only X if you're using V or newer" is still a requirement, and so is what follows the
/// need in "if you still use V1 you need to upgrade to V2". In a list of requirements, "with"
/// describes what is needed ("a machine with the agent version 1.5 or later installed").
fn conditional(sentence: &str, clause_text: &str, clause_before: &str, in_list: bool) -> bool {
    if let Some(with) = WITH_SCOPE.find_iter(clause_before).last()
        && !in_list
        && !OBLIGATION_VERB.is_match(&clause_before[..with.start()])
        && !OBLIGATION.is_match(clause_text)
    {
        return true;
    }
    let opener = CONDITION_OPENER.is_match(clause_text.trim_start_matches([' ', '*', '_', '>']));
    let inside = CONDITION_INSIDE.find_iter(clause_before).last();
    let Some(start) = inside.map(|m| m.start()).or_else(|| opener.then_some(0)) else {
        return false;
    };
    let condition = &clause_before[start..];
    if MAIN_OBLIGATION.is_match(condition) {
        return false;
    }
    !ONLY_IF.is_match(sentence)
}

/// The deadline of a list item from its own text and what governs it.
fn item_deadline(cx: &Context<'_>, i: usize, text: &str) -> Option<PartialDate> {
    sentences(text)
        .into_iter()
        .find_map(|r| {
            let sentence = &text[r];
            scope::own_deadline(&cx.dates(sentence), sentence)
        })
        .or_else(|| item_deadline_beyond(cx, i, true))
}

/// The deadline that governs block `i` from outside its own sentence.
fn item_deadline_beyond(cx: &Context<'_>, i: usize, in_list: bool) -> Option<PartialDate> {
    let blocks = cx.blocks;
    let block = &blocks[i];
    let year = cx.year;
    let own = scope::governing_deadline(&block.text, year);
    if own.is_some() || !in_list {
        return own.or_else(|| {
            scope::heading(blocks, i).and_then(|h| scope::governing_deadline(&h.text, year))
        });
    }
    let parent = block.parent.map(|p| &blocks[p]);
    let section = blocks.iter().filter(|b| {
        b.section == block.section && b.section.is_some() && b.kind == BlockKind::Paragraph
    });
    parent
        .into_iter()
        .chain(scope::lead_in(blocks, i))
        .chain(scope::heading(blocks, i))
        .chain(section)
        .find_map(|b| scope::governing_deadline(&b.text, year))
}

impl Context<'_> {
    /// Checks a version read from the text: placeholders are reported (and kept, never
    /// enforced); numbers that cannot be versions are reported and dropped.
    pub(super) fn checked_spec(
        &mut self,
        spec: VersionSpec,
        block: &Block,
        line: u32,
    ) -> Option<VersionSpec> {
        if let VersionSpec::Placeholder(placeholder) = &spec {
            self.report(
                Code::PlaceholderVersion,
                block,
                line,
                placeholder,
                format!("`{placeholder}` is a placeholder, not a version; it is recorded, and `check` answers `undetermined` once it is in force"),
            );
        }
        if let VersionSpec::Exact(v) = &spec
            && let Err(e) = v.canonical().parse::<Version>()
        {
            self.report(
                Code::InvalidVersion,
                block,
                line,
                v.canonical(),
                format!("`{v}` is not a usable version: {e}"),
            );
            return None;
        }
        Some(spec)
    }

    /// Whether a product phrase names something: a one-word phrase that only opens its
    /// sentence ("Clusters must be running ...") is a name only if the notice capitalises the
    /// word mid-sentence too ("... on Kubernetes").
    fn names_something(&self, sentence: &str, phrase: &Phrase) -> bool {
        let word = phrase.name.as_str();
        // The phrase may come from the sentence before ("it"); only this sentence's opening
        // word is in question.
        let here = sentence.get(phrase.range.clone()) == Some(word);
        let opens = here
            && sentence
                .get(..phrase.range.start)
                .is_some_and(|head| head.chars().all(|c| !c.is_alphanumeric()));
        let plain = word.chars().skip(1).all(|c| c.is_lowercase());
        if !opens || word.contains(' ') || !plain {
            return true;
        }
        let source = &self.notice.source;
        source.match_indices(word).any(|(at, _)| {
            let before = source[..at].trim_end_matches([' ', '*', '_', '`', '[']);
            before.len() < at && before.ends_with(|c: char| c.is_lowercase() || c == ',')
        })
    }

    /// The product a statement that names none refers to: the product of its section's
    /// heading, else the notice's own product.
    pub(super) fn fallback_product(&self, i: usize) -> Option<ProductRef> {
        scope::headings(self.blocks, i)
            .filter(|h| h.kind != BlockKind::Heading(1))
            .find_map(|h| {
                product::of_title(&h.text, None)
                    .filter(|name| name.contains(' ') && self.named_in_title(name))
            })
            .map(|name| self.product(&name))
            .or_else(|| self.subject.clone())
    }

    /// Whether a heading's product phrase is one the notice's title names too: a section
    /// heading ("Minimum versions", "Workaround for enabling Staging mode") is rarely a
    /// product on its own.
    fn named_in_title(&self, name: &str) -> bool {
        let title = self.notice.front.title.as_deref().unwrap_or_default();
        crate::names::fold_name(title).contains(&crate::names::fold_name(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(sentence: &str, in_list: bool) -> Vec<(String, Option<String>)> {
        find_specs(sentence)
            .into_iter()
            .filter_map(|(at, spec, shape)| read(sentence, at, spec, shape, in_list, false))
            .map(|r| (spec_text(&r.spec).to_string(), r.product.map(|p| p.name)))
            .collect()
    }

    fn one(version: &str, product: Option<&str>) -> Vec<(String, Option<String>)> {
        vec![(version.to_string(), product.map(str::to_string))]
    }

    #[test]
    fn floors_that_are_required() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            (
                "The commands in this article require Azure CLI version 2.54.0 or above.",
                "2.54.0",
                Some("Azure CLI"),
            ),
            (
                "All synchronization services will stop working on September 30, 2026 if you're not on at least version 2.5.79.0.",
                "2.5.79.0",
                None,
            ),
            (
                "With this update, Microsoft Entra Connect requires TLS 1.2.",
                "1.2",
                Some("TLS"),
            ),
            (
                "SQL Server 2019 requires Windows Server 2016 or newer as a server operating system.",
                "2016",
                Some("Windows Server"),
            ),
            (
                "From this version forward, Azure CLI version needs to be 2.70.0 or higher.",
                "2.70.0",
                Some("Azure CLI"),
            ),
            (
                "If you are still using an Azure AD Connect V1 you need to upgrade to Microsoft Entra Connect V2 immediately.",
                "2",
                Some("Microsoft Entra Connect"),
            ),
            (
                "Connected Machine agent versions below 1.41 will stop working after May 1, 2026.",
                "1.41",
                Some("Connected Machine agent"),
            ),
            (
                "For Kubernetes, you must use Kubernetes version 1.26 or higher.",
                "1.26",
                Some("Kubernetes"),
            ),
            // An update spelled out is part of its release.
            (
                "All servers must run Contoso Mail 2013 Cumulative Update 21 (CU21) or later.",
                "2013 CU21",
                Some("Contoso Mail"),
            ),
            // Comparison signs: ">=V" is a floor, "<V" stops working.
            (
                "Please upgrade to Contoso SSH version >=2.0.4",
                "2.0.4",
                Some("Contoso SSH"),
            ),
            (
                "On May 21st 2025, any ssh commands connecting to machines on Contoso SSH versions <2.0.4 will no longer work.",
                "2.0.4",
                Some("Contoso SSH"),
            ),
            // A build in parentheses names the same floor again.
            (
                "You must be running Fabrikam OS 10 version 2004 and higher (Build 19041 and higher) or Fabrikam OS 11 to use the commands below.",
                "2004",
                Some("Fabrikam OS 10"),
            ),
            // Editions are not the product.
            (
                "- The feature needs Fabrikam OS 10 Professional and Enterprise Editions (version 1607 and later).",
                "1607",
                Some("Fabrikam OS 10"),
            ),
            // A need right after the floor comes before what it is for; a release's code name
            // may stand between a version and its floor.
            (
                "- Fabrikam Python 3.11 or higher required to support iTerm2",
                "3.11",
                Some("Fabrikam Python"),
            ),
            (
                "- You must run Fabrikam OS v13 Ventura or higher.",
                "13",
                Some("Fabrikam OS"),
            ),
            // A floor inside a parenthesis after a release is the floor of that release.
            (
                "* Install [Fabrikam Studio 2017 (15.6+)](https://example.com/) first.",
                "15.6",
                Some("Fabrikam Studio 2017"),
            ),
            // The only supported version is the floor; a trademark sign and the noun of the
            // release stand inside the phrase; "older than" a named release.
            (
                "WMF 5.1 is the only supported version of WMF.",
                "5.1",
                Some("WMF"),
            ),
            // So is the version named the minimum.
            (
                "Fabrikam Go version 1.9 is the minimum requirement.",
                "1.9",
                Some("Fabrikam Go"),
            ),
            (
                "Contoso Shell 7.2 is the lowest supported version.",
                "7.2",
                Some("Contoso Shell"),
            ),
            (
                "The DNS server must be running Windows Server® 2008 R2 operating system or above.",
                "2008 R2",
                Some("Windows Server"),
            ),
            (
                "Apps are not supported on any versions of Windows older than Windows 8.",
                "8",
                Some("Windows"),
            ),
            // A level named by a release is the level's floor.
            (
                "The Active Directory forest functional level must be Windows Server 2012 R2 or higher.",
                "2012 R2",
                Some("Active Directory forest functional level"),
            ),
            (
                "However, we can only upgrade your server if you're using Windows Server 2016 or newer and have enabled TLS 1.2.",
                "2016",
                Some("Windows Server"),
            ),
        ];
        for &(sentence, version, product) in cases {
            assert_eq!(reads(sentence, false), one(version, product), "{sentence}");
        }
        // A floor shared by two named releases.
        let shared = "The container host must be running Windows Server 2019 or Fabrikam OS 10, version 1809 or newer.";
        let mut both = one("2019", Some("Windows Server"));
        both.extend(one("1809", Some("Fabrikam OS 10")));
        assert_eq!(reads(shared, false), both);
        // A name that starts in lower case ("iOS") is still the name before its version.
        for (sentence, version, product) in [
            (
                "Video playback requires iOS version 6.0 or later.",
                "6.0",
                "iOS",
            ),
            ("You must upgrade to macOS 14 or later.", "14", "macOS"),
        ] {
            assert_eq!(
                reads(sentence, false),
                one(version, Some(product)),
                "{sentence}"
            );
        }
    }

    #[test]
    fn versions_that_are_not_required() {
        for sentence in [
            "CPU: Dual core 1.6 GHz or higher",
            "Kubernetes: 1.33.5",
            "If you are on 1.4.18 or newer, then skip to step 5.",
            "This step is only needed if you run Connect version 1.3.21 or older.",
            "Microsoft Entra Connect version 1.1.873.0 or later makes a backup of the trust settings.",
            "With version 1.1.613.0 (or later), you can change the password.",
            "Don't install this release on Windows Server 2016 or newer.",
            "We recommend that you use version 0.6.0 or later.",
            "For Microsoft Entra Connect deployment with version 1.1.749.0 or higher, use the troubleshooting task.",
            "Version 1.2 was required before the 2024 update.",
            "This release requires port 443 to be open.",
            "SQL Server 2012 will go out of extended support in July 2022.",
            "Each user must have a license as part of a Microsoft 365 plan.",
            "If you have a custom solution, you may need to adjust it to work with WIF 4.5.",
            // Steps on an upgrade path, and a version that is a place, not a target.
            "If you are upgrading from earlier versions, you must upgrade your databases to Project Server 2016 first in order to upgrade to Project Server 2019.",
            "When you upgrade from Office Project Server 2007, you must first upgrade to Project Server 2010, then upgrade the required databases to Project Server 2013.",
            "IT-Pros will need to know how to migrate their Project Server 2013 Resource Plans to use as Resource Engagements in Project Server 2016.",
            // A benefit is advice; a relative clause's obligation is about something else;
            // an opening purpose clause is a scope.
            "Upgrade to Contoso 14.3.0 or later to receive more informative error messages.",
            "This error occurs in newer module versions (Contoso 14.3.0+ and Contoso.Accounts 5.2.0+), where MFA is required by Conditional Access.",
            "To use browser-based login on Windows 10 and later with Contoso 12.0.0 and higher, you must disable WAM.",
            "To update to Contoso Shell 2, you must turn on the feature.",
            // A minimum of something else, for a release; a default in a release.
            "The minimum value of `_MSC_FULL_VER` for Fabrikam Studio 2019 versions 16.8 and 16.9 is 192829333.",
            "- Ninja is the default generator for Linux configurations in Fabrikam Studio 2019 version 16.6 or later.",
            // A setting to turn on is a configuration step.
            "You need KB3140245 to apply registry keys to enable TLS 1.1 & 1.2 support for Windows 7.",
            // An update spelled out beside a release: the floor is finer than the release.
            "Supported with Update Rollup 11 for Contoso Mail 2010 SP3 or later on all servers.",
            "All servers need to be running Contoso Mail 2010 Service Pack 3 (SP3) and Update Rollup 11 (RU11) or later.",
        ] {
            assert_eq!(reads(sentence, false), vec![], "{sentence}");
        }
        // An opening "For ... V or later," scopes what follows, in a cell or item too.
        let scope =
            "For Fabrikam OS, version 1607 or later, only the OS can take ownership of the TPM.";
        assert_eq!(reads(scope, true), vec![]);
        assert_eq!(
            reads(
                "For the best results, use Fabrikam OS, version 1607 or later.",
                true
            ),
            one("1607", Some("Fabrikam OS"))
        );
    }

    #[test]
    fn list_items_with_floors_stand_on_their_own() {
        assert_eq!(
            reads("Windows Server 2022 or later.", true),
            one("2022", Some("Windows Server"))
        );
        assert_eq!(
            reads(
                "SCVMM 2022 UR1 or later versions of SCVMM server or console",
                true
            ),
            one("2022 UR1", Some("SCVMM"))
        );
        assert_eq!(reads("Windows Server 2022 or later.", false), vec![]);
        // A name in parentheses between the version and its floor words.
        assert_eq!(
            reads(
                "Windows 10 1809 (Windows 10 October 2018 Update) and above.",
                true
            ),
            one("1809", Some("Windows 10"))
        );
        // A release name in parentheses is the same floor, said again.
        assert_eq!(
            reads("Windows 11, build 10.0.22621 (22H2) or later.", true),
            one("10.0.22621", Some("Windows 11"))
        );
        // A parenthesised floor describes the name before it, not what follows.
        assert_eq!(
            reads(
                "You must have an account in an EQuIS Enterprise site (version 7.0.0.19300 or later) that includes a REST API license.",
                false
            )
            .len(),
            1
        );
        assert_eq!(
            reads(
                "At least one Windows Server 2008 (or later) domain controller.",
                true
            ),
            one("2008", Some("Windows Server"))
        );
        // A version no name stands before belongs to the one after "for"; an answer's "Yes"
        // is no name.
        assert_eq!(
            reads(
                "For this feature to work, you need version 1.1.750.0 or later for Microsoft Entra Connect and 1.5.193.0 or later for the Pass-through Authentication Agent.",
                false
            ),
            vec![
                (
                    "1.1.750.0".to_string(),
                    Some("Microsoft Entra Connect".to_string())
                ),
                (
                    "1.5.193.0".to_string(),
                    Some("Pass-through Authentication Agent".to_string())
                ),
            ]
        );
        assert_eq!(
            reads(
                "Yes, you need to upgrade to version 1.1.750.0 or later to re-enable autoupgrade.",
                false
            ),
            one("1.1.750.0", None)
        );
        // A service pack is part of the version it qualifies.
        assert_eq!(
            reads(
                "The feature requires .NET Framework version 3.5 SP1 to be enabled.",
                false
            ),
            one("3.5 SP1", Some(".NET Framework"))
        );
    }

    #[test]
    fn item_names_and_clouds() {
        assert_eq!(
            name_and_rest("AD DS agent: version: 4.5.2487.0 or higher").map(|(n, _)| n),
            Some("AD DS agent")
        );
        assert_eq!(name_and_rest("no colon here"), None);
        assert_eq!(name_and_rest("https://x: y"), None);
        for (name, cloud) in [
            ("Customers in commercial clouds", Some("commercial")),
            ("Customers in noncommercial clouds", Some("noncommercial")),
            ("Customers in non-commercial clouds", Some("noncommercial")),
            ("US Government cloud", Some("us-government")),
            ("Microsoft Entra Connect", None),
        ] {
            assert_eq!(cloud_of(name).as_deref(), cloud, "{name}");
        }
        assert_eq!(
            cloud_in("for the Azure Government cloud prerequisite").as_deref(),
            Some("government")
        );
    }
}
