//! DocFX regions that span several blocks: tab groups (`# [Label](#tab/id)` headings up to a
//! `---`) and the `:::` directives that hold blocks (`::: zone pivot="..."` up to
//! `::: zone-end`, `:::row:::`, `:::column:::`, a complex `:::image`, `::: moniker`).
//!
//! All are found in one pass over a file's events, as DocFX finds them: a tab group is the
//! run of sibling blocks from its first tab heading to a thematic break or the end of its
//! container (other headings inside it are part of a tab), and a directive runs from its
//! marker to its closing marker among its siblings. Regions always nest: one left open where
//! an enclosing one ends is closed there, and that is reported, so the HTML made from them is
//! well formed.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Tag, TagEnd};
use regex::Regex;

use super::docfx::{self, Container, LineDirective};

/// A region boundary, at an event index (see [`Regions::marks`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// A tab's heading, events `index..=end`: the heading is the tab's label.
    Tab {
        /// The tab id (`portal` in `#tab/portal`).
        id: String,
        /// The condition of a dependent tab (`linux` in `#tab/dotnet/linux`).
        condition: Option<String>,
        /// Whether this tab opens a new group.
        first: bool,
        /// The index of the heading's closing event.
        end: usize,
    },
    /// The tab group ends before this event; `rule` when the event is the `---` that ends it
    /// (part of the marker, not shown).
    GroupEnd {
        /// Whether the event is the group's closing `---`.
        rule: bool,
    },
    /// A directive's opening marker, a paragraph ending at event `end`.
    Open {
        /// What it opens.
        container: Container,
        /// The index of the paragraph's closing event.
        end: usize,
    },
    /// The innermost open directive ends before this event; `Some(end)` when the event
    /// starts the closing marker's paragraph, which ends at event `end`.
    Close {
        /// The closing event of the marker paragraph, when the directive ends at its marker.
        marker_end: Option<usize>,
    },
    /// A closing marker that closes nothing (a `zone-end` with no zone open): a paragraph
    /// ending at event `end`, dropped and reported.
    Stray {
        /// The index of the paragraph's closing event.
        end: usize,
        /// The marker, as written.
        marker: String,
    },
}

/// A region that ends somewhere it should not, for the renderer to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The event the problem is at.
    pub index: usize,
    /// What is wrong, in plain words.
    pub message: String,
}

/// Every region boundary of a file, in event order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Regions {
    /// `(event index, mark)`, sorted by index; several marks at one index apply in order.
    pub marks: Vec<(usize, Mark)>,
    /// Regions closed where they should not be.
    pub problems: Vec<Problem>,
}

static TAB_HREF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^#tab/([A-Za-z0-9-]+(?:\+[A-Za-z0-9-]+)*)(?:/([A-Za-z0-9-]+)?)?$")
        .expect("valid regex")
});
/// The tab id and condition a `#tab/...` link names.
pub fn tab_href(href: &str) -> Option<(String, Option<String>)> {
    TAB_HREF.captures(href.trim()).map(|caps| {
        (
            caps[1].to_string(),
            caps.get(2).map(|c| c.as_str().to_string()),
        )
    })
}

#[derive(Debug)]
enum Open {
    Group {
        depth: usize,
    },
    Directive {
        depth: usize,
        name: &'static str,
        /// The event of its opening marker.
        at: usize,
    },
}

impl Open {
    fn depth(&self) -> usize {
        match self {
            Open::Group { depth } | Open::Directive { depth, .. } => *depth,
        }
    }
}

/// A paragraph that is exactly one opening or closing marker.
fn marker(text: &str) -> Option<LineDirective> {
    match docfx::line_directives(text)?.as_slice() {
        [directive @ (LineDirective::Open(_) | LineDirective::Close(_))] => Some(directive.clone()),
        _ => None,
    }
}

/// Finds the regions of a file from its events; `source` is the text the ranges index.
pub fn scan(events: &[(Event<'_>, Range<usize>)], source: &str) -> Regions {
    let mut regions = Regions::default();
    let mut open: Vec<Open> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Heading { .. }) => {
                if let Some((id, condition, end)) = tab_heading(events, i) {
                    let in_group = open
                        .iter()
                        .rposition(|o| matches!(o, Open::Group { depth: d } if *d == depth));
                    let first = match in_group {
                        Some(g) => {
                            close_above(&mut regions, &mut open, g + 1, i, "the next tab starts");
                            false
                        }
                        None => {
                            open.push(Open::Group { depth });
                            true
                        }
                    };
                    regions.marks.push((
                        i,
                        Mark::Tab {
                            id,
                            condition,
                            first,
                            end,
                        },
                    ));
                    i = end + 1;
                    continue;
                }
                depth += 1;
            }
            Event::Start(Tag::Paragraph) => {
                let end = matching_end(events, i);
                let text = source.get(range.clone()).unwrap_or_default();
                match marker(text) {
                    Some(LineDirective::Open(container)) => {
                        open.push(Open::Directive {
                            depth,
                            name: container.name(),
                            at: i,
                        });
                        regions.marks.push((i, Mark::Open { container, end }));
                        i = end + 1;
                        continue;
                    }
                    Some(LineDirective::Close(name)) => {
                        let opener = open.iter().rposition(|o| {
                            matches!(o, Open::Directive { depth: d, name: n, .. } if *d == depth && *n == name)
                        });
                        match opener {
                            Some(o) => {
                                close_above(
                                    &mut regions,
                                    &mut open,
                                    o + 1,
                                    i,
                                    &format!("its `{name}` ends"),
                                );
                                open.truncate(o);
                                regions.marks.push((
                                    i,
                                    Mark::Close {
                                        marker_end: Some(end),
                                    },
                                ));
                            }
                            None => {
                                regions.problems.push(Problem {
                                    index: i,
                                    message: format!("this `{}` closes no `:::{name}` among the blocks around it; it was left out", text.trim()),
                                });
                                regions.marks.push((
                                    i,
                                    Mark::Stray {
                                        end,
                                        marker: text.trim().to_string(),
                                    },
                                ));
                            }
                        }
                        i = end + 1;
                        continue;
                    }
                    _ => depth += 1,
                }
            }
            Event::Rule => {
                let group = open
                    .iter()
                    .rposition(|o| matches!(o, Open::Group { depth: d } if *d == depth));
                if let Some(g) = group {
                    close_above(&mut regions, &mut open, g + 1, i, "its tab group ends");
                    open.truncate(g);
                    regions.marks.push((i, Mark::GroupEnd { rule: true }));
                }
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                let inside = open.iter().position(|o| o.depth() > depth);
                if let Some(first) = inside {
                    close_above(
                        &mut regions,
                        &mut open,
                        first,
                        i,
                        "the block around it ends",
                    );
                }
            }
            _ => {}
        }
        i += 1;
    }
    close_above(
        &mut regions,
        &mut open,
        0,
        events.len(),
        "the document ends",
    );
    regions
}

/// Closes the regions `open[from..]`, innermost first, before event `index`. A directive
/// closed this way was never closed by its own marker, which is reported at its opening.
fn close_above(regions: &mut Regions, open: &mut Vec<Open>, from: usize, index: usize, why: &str) {
    while open.len() > from {
        match open.pop() {
            Some(Open::Group { .. }) => regions.marks.push((index, Mark::GroupEnd { rule: false })),
            Some(Open::Directive { name, at, .. }) => {
                regions.problems.push(Problem {
                    index: at,
                    message: format!(
                        "this `:::{name}` is never closed; it ends where {why} (add `:::{name}-end`)"
                    ),
                });
                regions
                    .marks
                    .push((index, Mark::Close { marker_end: None }));
            }
            None => {}
        }
    }
}

/// A heading made of one `#tab/...` link: its id, condition and closing event.
fn tab_heading(
    events: &[(Event<'_>, Range<usize>)],
    start: usize,
) -> Option<(String, Option<String>, usize)> {
    let Some((Event::Start(Tag::Link { dest_url, .. }), _)) = events.get(start + 1) else {
        return None;
    };
    let (id, condition) = tab_href(dest_url)?;
    let link_end = matching_end(events, start + 1);
    match events.get(link_end + 1) {
        Some((Event::End(TagEnd::Heading(_)), _)) => Some((id, condition, link_end + 1)),
        _ => None,
    }
}

/// The index of the event that closes the one opened at `start`.
pub fn matching_end(events: &[(Event<'_>, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn scan_text(markdown: &str) -> Regions {
        let events: Vec<_> = Parser::new_ext(markdown, crate::markdown::options())
            .into_offset_iter()
            .collect();
        scan(&events, markdown)
    }

    /// The marks, as short words, for comparing.
    fn summary(regions: &Regions) -> Vec<String> {
        regions
            .marks
            .iter()
            .map(|(_, mark)| match mark {
                Mark::Tab {
                    id,
                    condition,
                    first,
                    ..
                } => format!(
                    "{}tab {id}{}",
                    if *first { "group+" } else { "" },
                    condition
                        .as_ref()
                        .map(|c| format!("/{c}"))
                        .unwrap_or_default()
                ),
                Mark::GroupEnd { rule } => format!("end-group{}", if *rule { " ---" } else { "" }),
                Mark::Open { container, .. } => format!("open {container:?}"),
                Mark::Close { marker_end } => format!(
                    "close{}",
                    if marker_end.is_some() {
                        ""
                    } else {
                        " (forced)"
                    }
                ),
                Mark::Stray { marker, .. } => format!("stray {marker}"),
            })
            .collect()
    }

    #[test]
    fn tab_groups_run_to_the_rule_or_the_end_of_their_container() {
        let regions = scan_text(
            "# Title\n\n# [Portal](#tab/portal)\n\nIn the portal.\n\n## Not a tab\n\nStill in the portal tab.\n\n# [CLI](#tab/azure-cli)\n\n```\naz x\n```\n\n---\n\nAfter.\n\n- ### [A](#tab/a)\n  a\n  ### [B](#tab/b/linux)\n  b\n- next item\n",
        );
        assert_eq!(
            summary(&regions),
            [
                "group+tab portal",
                "tab azure-cli",
                "end-group ---",
                "group+tab a",
                "tab b/linux",
                "end-group",
            ]
        );
        assert!(regions.problems.is_empty());
    }

    #[test]
    fn a_heading_with_more_than_the_link_is_not_a_tab() {
        let regions =
            scan_text("# [Portal](#tab/portal) and more\n\n## [x](#tab/)\n\n### [y](#other)\n");
        assert!(regions.marks.is_empty());
    }

    #[test]
    fn directives_pair_with_their_end_among_siblings() {
        let regions = scan_text(
            "::: zone pivot=\"windows-server-2012\"\n\nFor 2012.\n\n::: zone-end\n\n:::zone pivot=\"a, b\":::\n\nBoth.\n\n:::zone-end:::\n\n::: zone target=\"docs\"\n\n:::row:::\n\n:::column span=\"2\":::\n\nDocs.\n\n:::column-end:::\n\n:::row-end:::\n\n::: zone-end\n",
        );
        assert_eq!(
            summary(&regions),
            [
                "open Zone(Pivot([\"windows-server-2012\"]))",
                "close",
                "open Zone(Pivot([\"a\", \"b\"]))",
                "close",
                "open Zone(Target(\"docs\"))",
                "open Row",
                "open Column { span: 2 }",
                "close",
                "close",
                "close",
            ]
        );
        assert!(regions.problems.is_empty());
    }

    #[test]
    fn regions_left_open_are_closed_where_their_container_ends_and_reported() {
        let regions = scan_text(
            "> ::: zone pivot=\"a\"\n>\n> Quoted.\n\n::: zone-end\n\n::: zone pivot=\"b\"\n\n# [T](#tab/t)\n\nIn a tab in b.\n\n::: zone-end\n\n::: zone pivot=\"c\"\n\n:::row:::\n\n::: zone-end\n",
        );
        assert_eq!(
            summary(&regions),
            [
                "open Zone(Pivot([\"a\"]))",
                "close (forced)",
                "stray ::: zone-end",
                "open Zone(Pivot([\"b\"]))",
                "group+tab t",
                "end-group",
                "close",
                "open Zone(Pivot([\"c\"]))",
                "open Row",
                "close (forced)",
                "close",
            ]
        );
        assert_eq!(regions.problems.len(), 3);
        assert!(regions.problems[1].message.contains("closes no"));
        assert!(regions.problems[2].message.contains(":::row"));
        // Each unclosed directive is reported at its opening marker.
        assert_eq!(regions.problems[0].index, 1);
    }
}
