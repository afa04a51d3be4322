//! Requirements (minimum versions) and impacts, from list items and tables.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, text::sentences};
use crate::catalog::ProductRef;
use crate::date::{Cue, PartialDate, find_dates};
use crate::diagnostic::Code;
use crate::model::{Block, BlockKind, Callout, Impact, Milestone, MilestoneKind, Requirement};
use crate::slug::slugify;
use crate::version::{Version, VersionSpec, parse_spec};

/// "Customers in commercial clouds", "noncommercial cloud": an item that names a cloud.
static CLOUD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:customers\s+)?(?:in|on|for|using)?\s*(?:the\s+)?(.+?)\s+clouds?$")
        .expect("valid regex")
});
/// Something that looks like a version number, to report the ones that do not parse.
static VERSION_LIKE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d+(?:\.\d+)+").expect("valid regex"));

/// Words that make "Name: version V" a minimum-version requirement.
const REQUIREMENT_WORDS: &[&str] = &[
    "or higher",
    "or later",
    "or newer",
    "or any newer",
    "or above",
    "minimum",
    "at least",
];
/// Words in a heading or lead-in that make its list a list of minimum versions.
const LIST_WORDS: &[&str] = &["minimum", "version", "following builds", "upgrade to"];

/// Reads every requirement and impact of the notice.
pub(super) fn requirements(
    cx: &mut Context<'_>,
    subject: Option<&ProductRef>,
    milestones: &[Milestone],
) -> (Vec<Requirement>, Vec<Impact>) {
    let mut requirements = Vec::new();
    let mut impacts = Vec::new();
    let blocks = cx.blocks;
    let mut i = 0;
    while i < blocks.len() {
        let block = &blocks[i];
        match block.kind {
            BlockKind::ListItem => {
                if let Some(requirement) = list_item(cx, i, subject, milestones) {
                    requirements.push(requirement);
                }
            }
            BlockKind::TableRow { header: true } => {
                let rows = blocks[i + 1..]
                    .iter()
                    .take_while(|b| b.kind == BlockKind::TableRow { header: false })
                    .count();
                table(cx, i, rows, milestones, &mut requirements, &mut impacts);
                i += rows;
            }
            _ => {}
        }
        i += 1;
    }
    (requirements, impacts)
}

/// `Name: version V or higher`, with the name completed from a parent item or the subject.
fn list_item(
    cx: &mut Context<'_>,
    i: usize,
    subject: Option<&ProductRef>,
    milestones: &[Milestone],
) -> Option<Requirement> {
    let block = &cx.blocks[i];
    let (name, rest) = name_and_rest(&block.text)?;
    let spec = spec_of(cx, rest, block)?;
    let context_says_versions = {
        let lead = lead_in(cx.blocks, i)
            .map(|b| b.text.to_lowercase())
            .unwrap_or_default();
        let heading = block
            .section
            .map(|s| cx.blocks[s].text.to_lowercase())
            .unwrap_or_default();
        LIST_WORDS
            .iter()
            .any(|w| lead.contains(w) || heading.contains(w))
    };
    let rest_lower = rest.to_lowercase();
    if !context_says_versions && !REQUIREMENT_WORDS.iter().any(|w| rest_lower.contains(w)) {
        return None;
    }
    let (product, clouds) = match cloud_of(name) {
        Some(cloud) => {
            let product = match subject {
                Some(subject) => subject.clone(),
                None => {
                    let title = cx
                        .notice
                        .front
                        .title
                        .clone()
                        .unwrap_or_else(|| cx.notice.path.stem().to_string());
                    cx.report(
                        Code::UnknownProduct,
                        block.line,
                        format!("this requirement names only a cloud, and no catalog product appears in the title `{title}`; add the product to content/_products.yaml"),
                    );
                    cx.catalog.resolve(&title)
                }
            };
            (product, vec![cloud])
        }
        None => {
            let family = block
                .parent
                .map(|p| &cx.blocks[p])
                .filter(|parent| {
                    name_and_rest(&parent.text)
                        .and_then(|(_, r)| parse_spec(r))
                        .is_none()
                })
                .map(|parent| name_and_rest(&parent.text).map_or(parent.text.as_str(), |(n, _)| n));
            match family {
                Some(family) => (cx.catalog.resolve(&format!("{family} {name}")), Vec::new()),
                None => (cx.catalog.resolve(name), Vec::new()),
            }
        }
    };
    let deadline = governing_deadline(cx.blocks, i, milestones);
    Some(Requirement {
        product,
        minimum: spec,
        clouds,
        deadline,
        text: block.text.clone(),
        source: cx.pos(block.line),
    })
}

/// A table with a version column gives requirements; one with an impact column, impacts.
fn table(
    cx: &mut Context<'_>,
    header: usize,
    rows: usize,
    milestones: &[Milestone],
    requirements: &mut Vec<Requirement>,
    impacts: &mut Vec<Impact>,
) {
    let head: Vec<String> = cx.blocks[header]
        .cells
        .iter()
        .map(|c| c.to_lowercase())
        .collect();
    let column = |words: &[&str]| {
        head.iter()
            .position(|h| words.iter().any(|w| h.contains(w)))
    };
    let version = column(&["version", "build"]);
    let impact = column(&["impact"]);
    let product = column(&["agent", "product", "service", "component", "name"]).unwrap_or(0);
    for r in header + 1..=header + rows {
        let row = &cx.blocks[r];
        let Some(name) = row.cells.get(product).filter(|n| !n.is_empty()) else {
            continue;
        };
        if let Some(v) = version.filter(|&v| v != product)
            && let Some(spec) = row.cells.get(v).and_then(|cell| spec_of(cx, cell, row))
        {
            requirements.push(Requirement {
                product: cx.catalog.resolve(name),
                minimum: spec,
                clouds: Vec::new(),
                deadline: governing_deadline(cx.blocks, header, milestones),
                text: row.text.clone(),
                source: cx.pos(row.line),
            });
        }
        if let Some(text) = impact
            .filter(|&c| c != product)
            .and_then(|c| row.cells.get(c))
            .filter(|t| !t.is_empty())
        {
            impacts.push(Impact {
                product: cx.catalog.resolve(name),
                impact: text.clone(),
                source: cx.pos(row.line),
            });
        }
    }
}

/// The version or placeholder in `text`, reporting placeholders and unusable numbers.
fn spec_of(cx: &mut Context<'_>, text: &str, block: &Block) -> Option<VersionSpec> {
    match parse_spec(text) {
        Some(VersionSpec::Placeholder(placeholder)) => {
            cx.report(
                Code::PlaceholderVersion,
                block.line,
                format!("`{placeholder}` is a placeholder, not a version; it is recorded but never enforced"),
            );
            Some(VersionSpec::Placeholder(placeholder))
        }
        Some(spec) => Some(spec),
        None => {
            if let Some(found) = VERSION_LIKE.find(text)
                && let Err(e) = found.as_str().parse::<Version>()
            {
                cx.report(
                    Code::InvalidVersion,
                    block.line,
                    format!("`{}` is not a usable version: {e}", found.as_str()),
                );
            }
            None
        }
    }
}

/// Splits `Name: rest` at the first colon; the name must look like a name.
fn name_and_rest(text: &str) -> Option<(&str, &str)> {
    let (name, rest) = text.split_once(':')?;
    let name = name.trim();
    let plausible = !name.is_empty()
        && name.len() <= 100
        && name.chars().any(char::is_alphabetic)
        && !name.contains("http");
    plausible.then_some((name, rest.trim()))
}

/// The cloud an item names ("Customers in commercial clouds" -> `commercial`).
fn cloud_of(name: &str) -> Option<String> {
    let caps = CLOUD.captures(name.trim())?;
    let cloud = slugify(&caps[1].replace("non-", "non"));
    (!cloud.is_empty()).then_some(cloud)
}

/// The paragraph that introduces the list item `i` belongs to.
fn lead_in(blocks: &[Block], i: usize) -> Option<&Block> {
    let mut j = i;
    while j > 0 && (blocks[j].kind == BlockKind::ListItem || blocks[j].parent.is_some()) {
        j -= 1;
    }
    let candidate = &blocks[j];
    (candidate.kind == BlockKind::Paragraph && j != i && candidate.section == blocks[i].section)
        .then_some(candidate)
}

/// The date a requirement must be met by: the item's own "by D", its parent item's, the
/// list's lead-in, its section, the notice's callouts, else the notice's first deadline.
fn governing_deadline(blocks: &[Block], i: usize, milestones: &[Milestone]) -> Option<PartialDate> {
    let block = &blocks[i];
    let parent = block.parent.map(|p| &blocks[p]);
    let section = blocks.iter().filter(|b| {
        b.section == block.section && b.section.is_some() && b.kind == BlockKind::Paragraph
    });
    let callouts = blocks.iter().filter(|b| {
        matches!(
            b.callout,
            Some(Callout::Important | Callout::Note | Callout::Warning | Callout::Caution)
        )
    });
    std::iter::once(block)
        .chain(parent)
        .chain(lead_in(blocks, i))
        .chain(section)
        .chain(callouts)
        .find_map(|b| by_date(&b.text))
        .or_else(|| {
            milestones
                .iter()
                .filter(|m| m.kind == MilestoneKind::Deadline && m.superseded_by.is_none())
                .min_by_key(|m| m.source.line)
                .map(|m| m.date)
        })
}

/// The first "by D" (or "before D", "until D") in a text.
fn by_date(text: &str) -> Option<PartialDate> {
    sentences(text).into_iter().find_map(|range| {
        find_dates(&text[range])
            .0
            .into_iter()
            .find(|m| matches!(m.cue, Cue::By | Cue::Before | Cue::Until))
            .map(|m| m.date)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_names_and_clouds() {
        assert_eq!(
            name_and_rest("AD DS agent: version: 4.5.2487.0 or higher"),
            Some(("AD DS agent", "version: 4.5.2487.0 or higher"))
        );
        assert_eq!(name_and_rest("no colon here"), None);
        assert_eq!(name_and_rest("https://x: y"), None);
        assert_eq!(
            cloud_of("Customers in commercial clouds").as_deref(),
            Some("commercial")
        );
        assert_eq!(
            cloud_of("Customers in noncommercial clouds").as_deref(),
            Some("noncommercial")
        );
        assert_eq!(
            cloud_of("Customers in non-commercial clouds").as_deref(),
            Some("noncommercial")
        );
        assert_eq!(
            cloud_of("US Government cloud").as_deref(),
            Some("us-government")
        );
        assert_eq!(cloud_of("Microsoft Entra Connect"), None);
    }
}
