//! The outline of a notice: its headings, paragraphs, list items and table rows as plain text
//! with lines, built from the same parse the HTML comes from. Extraction reads this instead
//! of parsing the Markdown again.

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, Event, HeadingLevel, Tag, TagEnd};

use super::docfx::{Container, Zone};
use super::regions::{Mark, Regions};
use crate::model::{Block, BlockKind, Callout};

/// What stands in for events `start..=end` of a file: the outlines of the files an
/// `[!INCLUDE]` paragraph pulls in, one per file, in order (empty for other directives), or
/// the text of an include in running text.
#[derive(Debug, Default)]
pub struct Splice {
    /// The first event replaced.
    pub start: usize,
    /// The last event replaced.
    pub end: usize,
    /// Each included file's outline, its indices its own, its blocks' `file` set.
    pub parts: Vec<Vec<Block>>,
    /// For an include in running text: its text, part of the block around it.
    pub text: Option<String>,
}

/// A directive or tab the outline is inside: a zone's pivots (`None` for other
/// directives), or a tab.
enum Scope {
    Pivot(Option<String>),
    Tab(String),
}

/// Builds the outline from a body's events and their DocFX regions; `line_of` maps a byte
/// offset of the body to a file line. Tab labels and zone markers are not blocks: the blocks
/// they govern carry their tab and pivot. `splices` (in event order) put included files'
/// blocks where their `[!INCLUDE]` stands, in the context (section, list item, callout,
/// pivot, tab) of that place.
pub fn outline(
    events: &[(Event<'_>, Range<usize>)],
    regions: &Regions,
    splices: Vec<Splice>,
    line_of: impl Fn(usize) -> u32,
) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    // The block text is currently appended to, if any.
    let mut current: Option<usize> = None;
    let mut items: Vec<usize> = Vec::new();
    let mut list_depth: usize = 0;
    // The callout each open block quote is in: its own kind, or the one it inherits, kept
    // per quote so that looking it up does not walk thousands of nested quotes per event.
    let mut callouts: Vec<Option<Callout>> = Vec::new();
    let mut section: Option<usize> = None;
    let mut in_code = false;
    // A raw HTML block being read: its first line and its text so far.
    let mut html: Option<(u32, String)> = None;
    let mut scopes: Vec<Scope> = Vec::new();
    let mut marks = regions.marks.iter().peekable();
    let mut splices = splices.into_iter().peekable();

    // The pivot and tab the blocks being read sit in, kept in step with `scopes`.
    let mut pivot: Option<String> = None;
    let mut tab: Option<String> = None;
    let mut i = 0;
    while i < events.len() {
        let mut skip_to = None;
        let mut moved = false;
        while let Some((_, mark)) = marks.next_if(|(at, _)| *at == i) {
            moved = true;
            match mark {
                Mark::Tab { id, first, end, .. } => {
                    if !first {
                        scopes.pop();
                    }
                    scopes.push(Scope::Tab(id.clone()));
                    skip_to = Some(*end);
                }
                Mark::GroupEnd { .. } | Mark::Close { marker_end: None } => {
                    scopes.pop();
                }
                Mark::Close {
                    marker_end: Some(end),
                } => {
                    scopes.pop();
                    skip_to = Some(*end);
                }
                Mark::Open { container, end } => {
                    scopes.push(Scope::Pivot(match container {
                        Container::Zone(Zone::Pivot(pivots)) => Some(pivots.join(",")),
                        _ => None,
                    }));
                    skip_to = Some(*end);
                }
                Mark::Stray { end, .. } => skip_to = Some(*end),
            }
        }
        if moved {
            pivot = scopes.iter().rev().find_map(|s| match s {
                Scope::Pivot(Some(pivot)) => Some(pivot.clone()),
                _ => None,
            });
            tab = scopes.iter().rev().find_map(|s| match s {
                Scope::Tab(tab) => Some(tab.clone()),
                Scope::Pivot(_) => None,
            });
        }
        if let Some(end) = skip_to {
            current = None;
            i = end + 1;
            continue;
        }
        if let Some(splice) = splices.next_if(|s| s.start == i) {
            if let Some(text) = &splice.text {
                append(&mut blocks, current, text, line_of(events[i].1.start));
                i = splice.end + 1;
                continue;
            }
            let here = Here {
                callout: callouts.last().copied().flatten(),
                section,
                pivot: &pivot,
                tab: &tab,
            };
            let list = ListPlace {
                item: items.last().copied(),
                depth: list_depth,
            };
            for part in splice.parts {
                if let Some(last) = insert(&mut blocks, part, &here, list) {
                    section = Some(last);
                }
            }
            current = None;
            i = splice.end + 1;
            continue;
        }
        let (event, range) = &events[i];
        i += 1;
        let line = line_of(range.start);
        let here = Here {
            callout: callouts.last().copied().flatten(),
            section,
            pivot: &pivot,
            tab: &tab,
        };
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                current = open(
                    &mut blocks,
                    BlockKind::Heading(heading_level(*level)),
                    line,
                    0,
                    None,
                    &here,
                );
                section = current;
            }
            Event::Start(Tag::Paragraph) => {
                let item = items.last().copied();
                current = match item {
                    Some(i) if blocks[i].text.trim().is_empty() => Some(i),
                    _ => open(&mut blocks, BlockKind::Paragraph, line, 0, item, &here),
                };
            }
            Event::Start(Tag::List(_)) => {
                list_depth += 1;
                current = None;
            }
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Item) => {
                let parent = items.last().copied();
                current = open(
                    &mut blocks,
                    BlockKind::ListItem,
                    line,
                    // Only hostile input nests lists past u16::MAX; such items stay there
                    // instead of overflowing.
                    u16::try_from(list_depth).unwrap_or(u16::MAX),
                    parent,
                    &here,
                );
                items.extend(current);
            }
            Event::End(TagEnd::Item) => {
                items.pop();
                current = None;
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                callouts.push(kind.map(callout_of).or(here.callout));
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                callouts.pop();
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                let header = matches!(event, Event::Start(Tag::TableHead));
                current = open(
                    &mut blocks,
                    BlockKind::TableRow { header },
                    line,
                    0,
                    None,
                    &here,
                );
            }
            Event::Start(Tag::TableCell) => {
                if let Some(row) = current {
                    blocks[row].cells.push(String::new());
                }
            }
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                if let Some(row) = current.take() {
                    let block = &mut blocks[row];
                    for cell in &mut block.cells {
                        *cell = cell.split_whitespace().collect::<Vec<_>>().join(" ");
                    }
                    block.text = block.cells.join(" | ");
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                html = Some((line, String::new()));
                current = None;
            }
            Event::Html(text) => {
                if let Some((_, buffer)) = &mut html {
                    buffer.push_str(text);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((first, buffer)) = html.take() {
                    for part in super::html_text::parts(&buffer) {
                        let line = first.saturating_add(part.line);
                        if let Some(block) =
                            open(&mut blocks, part.kind, line, part.depth, None, &here)
                        {
                            let block = &mut blocks[block];
                            block.text = part.text;
                            block.cells = part.cells;
                            block.line_starts = part
                                .line_starts
                                .into_iter()
                                .map(|(at, l)| (at, first.saturating_add(l)))
                                .collect();
                        }
                    }
                }
                current = None;
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::End(TagEnd::Heading(_)) | Event::End(TagEnd::Paragraph) => current = None,
            Event::Text(text) | Event::Code(text) if !in_code => {
                append(&mut blocks, current, text, line)
            }
            Event::SoftBreak | Event::HardBreak => append(&mut blocks, current, " ", line),
            Event::InlineHtml(html) if breaks_text(html) => append(&mut blocks, current, " ", line),
            _ => {}
        }
    }
    for block in &mut blocks {
        if !matches!(block.kind, BlockKind::TableRow { .. }) {
            let trimmed = block.text.trim_end().len();
            block.text.truncate(trimmed);
        }
    }
    blocks
}

/// Whether an inline HTML tag separates what stands on either side of it (`<br>`, the `<li>`
/// items of a list written inside a table cell), so the words do not run together
/// ("servers.</li><li>Exchange 2013" reads "servers. Exchange 2013").
fn breaks_text(html: &str) -> bool {
    let name: String = html
        .trim_start_matches(['<', '/'])
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        name.as_str(),
        "br" | "li" | "ul" | "ol" | "p" | "div" | "tr" | "td" | "th" | "table" | "dd" | "dt"
    )
}

/// Where the block being opened sits.
struct Here<'a> {
    callout: Option<Callout>,
    section: Option<usize>,
    pivot: &'a Option<String>,
    tab: &'a Option<String>,
}

/// Opens a block; returns its index.
fn open(
    blocks: &mut Vec<Block>,
    kind: BlockKind,
    line: u32,
    depth: u16,
    parent: Option<usize>,
    here: &Here<'_>,
) -> Option<usize> {
    blocks.push(Block {
        kind,
        text: String::new(),
        cells: Vec::new(),
        line,
        line_starts: Vec::new(),
        depth,
        parent,
        callout: here.callout,
        section: here.section,
        pivot: here.pivot.clone(),
        tab: here.tab.clone(),
        file: None,
    });
    Some(blocks.len() - 1)
}

/// The list item an include stands in, and how deep lists are there.
#[derive(Clone, Copy)]
struct ListPlace {
    item: Option<usize>,
    depth: usize,
}

/// Appends an included file's outline, its indices moved to where it now starts and what it
/// leaves unset taken from the place of the include. Returns the index of its last heading.
fn insert(
    blocks: &mut Vec<Block>,
    part: Vec<Block>,
    here: &Here<'_>,
    list: ListPlace,
) -> Option<usize> {
    let base = blocks.len();
    let mut last_heading = None;
    for mut block in part {
        let in_list = matches!(block.kind, BlockKind::Paragraph | BlockKind::ListItem);
        block.parent = match block.parent {
            Some(parent) => Some(parent + base),
            None if in_list => list.item,
            None => None,
        };
        block.section = block.section.map(|s| s + base).or(here.section);
        block.callout = block.callout.or(here.callout);
        if block.pivot.is_none() {
            block.pivot.clone_from(here.pivot);
        }
        if block.tab.is_none() {
            block.tab.clone_from(here.tab);
        }
        if block.kind == BlockKind::ListItem {
            let depth = usize::from(block.depth).saturating_add(list.depth);
            block.depth = u16::try_from(depth).unwrap_or(u16::MAX);
        }
        if matches!(block.kind, BlockKind::Heading(_)) {
            last_heading = Some(blocks.len());
        }
        blocks.push(block);
    }
    last_heading
}

fn append(blocks: &mut [Block], current: Option<usize>, text: &str, line: u32) {
    let Some(block) = current.and_then(|i| blocks.get_mut(i)) else {
        return;
    };
    let target = match block.kind {
        BlockKind::TableRow { .. } => match block.cells.last_mut() {
            Some(cell) => cell,
            None => return,
        },
        _ => {
            if block.text.is_empty() && text.trim().is_empty() {
                return;
            }
            if line != block.line_starts.last().map_or(block.line, |&(_, l)| l) {
                block.line_starts.push((block.text.len(), line));
            }
            &mut block.text
        }
    };
    target.push_str(text);
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn callout_of(kind: BlockQuoteKind) -> Callout {
    match kind {
        BlockQuoteKind::Note => Callout::Note,
        BlockQuoteKind::Tip => Callout::Tip,
        BlockQuoteKind::Important => Callout::Important,
        BlockQuoteKind::Warning => Callout::Warning,
        BlockQuoteKind::Caution => Callout::Caution,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::regions;
    use pulldown_cmark::Parser;

    fn blocks(markdown: &str) -> Vec<Block> {
        let events: Vec<_> = Parser::new_ext(markdown, crate::markdown::options())
            .into_offset_iter()
            .collect();
        let line_of = |offset: usize| markdown[..offset].matches('\n').count() as u32 + 1;
        outline(
            &events,
            &regions::scan(&events, markdown),
            Vec::new(),
            line_of,
        )
    }

    #[test]
    fn html_list_items_in_a_cell_stay_apart() {
        let outline = blocks(
            "|Version|Coexistence|\n|---|---|\n|2010|<ul><li>Rollup 11 or later.</li><li>Contoso 2013 CU10 or later.</li></ul>|\n",
        );
        assert_eq!(
            outline[1].cells[1].split_whitespace().collect::<Vec<_>>(),
            [
                "Rollup", "11", "or", "later.", "Contoso", "2013", "CU10", "or", "later."
            ]
        );
        assert!(!breaks_text("<b>") && !breaks_text("</a>") && breaks_text("</LI>"));
    }

    #[test]
    fn nested_bullets_keep_their_parent() {
        let outline = blocks(
            "## Minimum versions\n\nUpgrade by **September 23, 2024**:\n\n- Microsoft Entra Connect: [version 2.3.2.0](x.md#2320) or higher\n- Microsoft Entra Connect Health \n     - AD DS agent: version: [4.5.2487.0](https://x) or higher \n",
        );
        let summary: Vec<(BlockKind, &str, u32, u16, Option<usize>)> = outline
            .iter()
            .map(|b| (b.kind, b.text.as_str(), b.line, b.depth, b.parent))
            .collect();
        assert_eq!(
            summary,
            [
                (BlockKind::Heading(2), "Minimum versions", 1, 0, None),
                (
                    BlockKind::Paragraph,
                    "Upgrade by September 23, 2024:",
                    3,
                    0,
                    None
                ),
                (
                    BlockKind::ListItem,
                    "Microsoft Entra Connect: version 2.3.2.0 or higher",
                    5,
                    1,
                    None
                ),
                (
                    BlockKind::ListItem,
                    "Microsoft Entra Connect Health",
                    6,
                    1,
                    None
                ),
                (
                    BlockKind::ListItem,
                    "AD DS agent: version: 4.5.2487.0 or higher",
                    7,
                    2,
                    Some(3)
                ),
            ]
        );
        assert!(outline[1..].iter().all(|b| b.section == Some(0)));
    }

    #[test]
    fn tables_alerts_and_multiline_paragraphs() {
        let outline = blocks(
            "|Service|Impact|\n|-----|-----|\n|Connect| Autoupgrade stops. </br> Sync continues|\n\n>[!IMPORTANT]\n>Won't work after\n>**September 23, 2024**.\n",
        );
        assert_eq!(outline[0].kind, BlockKind::TableRow { header: true });
        assert_eq!(outline[0].cells, ["Service", "Impact"]);
        assert_eq!(
            outline[1].cells,
            ["Connect", "Autoupgrade stops. Sync continues"]
        );
        assert_eq!(outline[1].line, 3);
        let alert = &outline[2];
        assert_eq!(alert.callout, Some(Callout::Important));
        assert_eq!(alert.text, "Won't work after September 23, 2024.");
        assert_eq!(alert.line_at(0), 6);
        assert_eq!(alert.line_at(alert.text.find("September").unwrap()), 7);
    }

    #[test]
    fn lists_nested_past_u16_depths_do_not_overflow() {
        let levels = usize::from(u16::MAX) + 10;
        let outline = blocks(&format!("{}innermost\n", "- ".repeat(levels)));
        assert_eq!(outline.len(), levels);
        assert_eq!(outline[0].depth, 1);
        assert_eq!(outline[levels - 11].depth, u16::MAX);
        let innermost = &outline[levels - 1];
        assert_eq!(
            (innermost.text.as_str(), innermost.depth),
            ("innermost", u16::MAX)
        );
    }

    #[test]
    fn quotes_inside_a_callout_inherit_it_until_one_names_its_own() {
        let outline = blocks(
            "> [!WARNING]\n> Outer.\n>\n> > Quoted.\n> >\n> > > Deeper.\n>\n> > [!TIP]\n> > Tip.\n> >\n> > > Inside the tip.\n>\n> Outer again.\n\nAfter.\n",
        );
        let callouts: Vec<(&str, Option<Callout>)> = outline
            .iter()
            .map(|b| (b.text.as_str(), b.callout))
            .collect();
        assert_eq!(
            callouts,
            [
                ("Outer.", Some(Callout::Warning)),
                ("Quoted.", Some(Callout::Warning)),
                ("Deeper.", Some(Callout::Warning)),
                ("Tip.", Some(Callout::Tip)),
                ("Inside the tip.", Some(Callout::Tip)),
                ("Outer again.", Some(Callout::Warning)),
                ("After.", None),
            ]
        );
    }

    #[test]
    fn blocks_carry_their_tab_and_pivot_and_labels_are_not_headings() {
        let outline = blocks(
            "## Install\n\n::: zone pivot=\"windows-server-2012\"\n\nBy **October 10, 2023**.\n\n# [Portal](#tab/portal)\n\n- Connect: 2.3.2.0\n\n# [CLI](#tab/azure-cli)\n\n| a | b |\n|---|---|\n| c | d |\n\n---\n\n::: zone-end\n\n::: zone pivot=\"a, b\"\n\n::: zone target=\"docs\"\n\nBoth.\n\n::: zone-end\n\n::: zone-end\n\nAfter.\n",
        );
        let summary: Vec<_> = outline
            .iter()
            .map(|b| {
                (
                    b.text.as_str(),
                    b.pivot.as_deref(),
                    b.tab.as_deref(),
                    b.section,
                )
            })
            .collect();
        let ws = Some("windows-server-2012");
        type Row<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<usize>);
        let expected: [Row; 7] = [
            ("Install", None, None, None),
            ("By October 10, 2023.", ws, None, Some(0)),
            ("Connect: 2.3.2.0", ws, Some("portal"), Some(0)),
            ("a | b", ws, Some("azure-cli"), Some(0)),
            ("c | d", ws, Some("azure-cli"), Some(0)),
            ("Both.", Some("a,b"), None, Some(0)),
            ("After.", None, None, Some(0)),
        ];
        assert_eq!(summary, expected);
        assert_eq!(outline[2].line, 9);
    }
}
