//! What governs a statement: the paragraph that introduces its list, its parent item, its
//! section, and the date by which it must be met.
//!
//! A requirement's deadline comes from its own statement, item, lead-in or section, never
//! from an unrelated sentence elsewhere in the notice: a floor in a prerequisites list does not
//! inherit the date of an upgrade announced three sections away.

use crate::date::{Cue, PartialDate};
use crate::model::{Block, BlockKind};

use super::cues::{ACT, CONDITION_INSIDE, CONSEQUENCE};
use super::text::sentences;

/// The paragraph that introduces the list item `i` belongs to, or the table whose header row
/// is `i`: the paragraph right before it in the same section.
pub(super) fn lead_in(blocks: &[Block], i: usize) -> Option<&Block> {
    let mut j = i;
    while j > 0 && (blocks[j].kind == BlockKind::ListItem || blocks[j].parent.is_some()) {
        j -= 1;
    }
    if j == i {
        j = i.checked_sub(1)?;
    }
    let candidate = &blocks[j];
    (candidate.kind == BlockKind::Paragraph
        && candidate.parent.is_none()
        && candidate.section == blocks[i].section)
        .then_some(candidate)
}

/// The heading of the section block `i` sits in.
pub(super) fn heading(blocks: &[Block], i: usize) -> Option<&Block> {
    blocks[i].section.and_then(|s| blocks.get(s))
}

/// The headings above block `i`, nearest first.
pub(super) fn headings(blocks: &[Block], i: usize) -> impl Iterator<Item = &Block> {
    heading_indices(blocks, i).map(|h| &blocks[h])
}

/// The indices of the headings above block `i`, nearest first: its section's heading, then
/// each enclosing heading of a higher level.
pub(super) fn heading_indices(blocks: &[Block], i: usize) -> impl Iterator<Item = usize> + '_ {
    let mut next = blocks[i].section;
    std::iter::from_fn(move || {
        let at = next?;
        let BlockKind::Heading(level) = blocks.get(at)?.kind else {
            return None;
        };
        // The enclosing section is the nearest earlier heading of a higher level.
        next = blocks[..at]
            .iter()
            .rposition(|b| matches!(b.kind, BlockKind::Heading(l) if l < level));
        Some(at)
    })
}

/// The last day a requirement stated with this date still allows: "by D", "until D",
/// "after D" and "the end of D" allow D itself; "before D", "on D", "from D" and "as of D"
/// do not, so the day (month, year) before is the last one allowed.
pub(super) fn last_allowed(date: PartialDate, cue: Cue) -> Option<PartialDate> {
    match cue {
        Cue::By | Cue::Until | Cue::EndOf | Cue::After | Cue::None => Some(date),
        Cue::Before | Cue::On | Cue::From | Cue::AsOf | Cue::In => date.previous(),
        Cue::Since => None,
    }
}

/// The date a requirement stated in `sentence` binds to, converted to the last day allowed:
/// an act-by date ("by D", "before D", "until D"), or the date something stops or ends for
/// those below the floor ("will stop working on D if you're not on at least V").
pub(super) fn own_deadline(
    mentions: &[crate::date::DateMention],
    sentence: &str,
) -> Option<PartialDate> {
    let consequence = CONSEQUENCE.is_match(sentence);
    mentions.iter().find_map(|m| {
        let before = sentence.get(..m.range.start).unwrap_or_default();
        // A date inside a condition ("if you onboarded before D") is not the deadline.
        let conditional = CONDITION_INSIDE
            .find_iter(before)
            .last()
            .is_some_and(|c| !before[c.end()..].contains(','))
            && matches!(m.cue, Cue::Before | Cue::After | Cue::Since);
        if conditional {
            return None;
        }
        let binds = match m.cue {
            Cue::By | Cue::Before | Cue::Until | Cue::EndOf => true,
            Cue::After | Cue::On | Cue::From | Cue::AsOf | Cue::In => consequence,
            Cue::Since | Cue::None => false,
        };
        binds.then(|| last_allowed(m.date, m.cue)).flatten()
    })
}

/// The act-by dates ("by D", "before D", "until D") a clause states.
pub(super) fn own_deadline_dates(clause: &str) -> Vec<crate::date::DateMention> {
    crate::date::find_dates(clause)
        .0
        .into_iter()
        .filter(|m| matches!(m.cue, Cue::By | Cue::Before | Cue::Until | Cue::EndOf))
        .collect()
}

/// The act-by date a governing text (a parent item, a lead-in, a heading, a paragraph of the
/// section) sets for the statements under it: a "by D"-like date in a sentence about acting.
pub(super) fn governing_deadline(text: &str, year: Option<i16>) -> Option<PartialDate> {
    sentences(text).into_iter().find_map(|range| {
        let sentence = &text[range];
        ACT.is_match(sentence)
            .then(|| {
                last_allowed_by(
                    sentence,
                    year,
                    &[Cue::By, Cue::Before, Cue::Until, Cue::EndOf],
                )
            })
            .flatten()
    })
}

/// The day before what a lead-in that says to act says stops on D ("SDKs that use older API
/// versions will stop working when those API versions retire on February 27, 2027. Upgrade
/// to the following SDK versions or later:"): the table under it is due then.
pub(super) fn consequence_deadline(text: &str, year: Option<i16>) -> Option<PartialDate> {
    let ranges = sentences(text);
    if !ranges
        .iter()
        .any(|range| ACT.is_match(&text[range.clone()]))
    {
        return None;
    }
    ranges.iter().find_map(|range| {
        let sentence = &text[range.clone()];
        CONSEQUENCE
            .is_match(sentence)
            .then(|| last_allowed_by(sentence, year, &[Cue::On, Cue::After, Cue::From, Cue::AsOf]))
            .flatten()
    })
}

/// The last day allowed by the first date of `sentence` with one of `cues` (a date without a
/// year takes `year`).
fn last_allowed_by(sentence: &str, year: Option<i16>, cues: &[Cue]) -> Option<PartialDate> {
    let mentions = match year {
        Some(year) => crate::date::find_dates_in_year(sentence, year).0,
        None => crate::date::find_dates(sentence).0,
    };
    mentions
        .iter()
        .find(|m| cues.contains(&m.cue))
        .and_then(|m| last_allowed(m.date, m.cue))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::find_dates;

    fn own(sentence: &str) -> Option<String> {
        own_deadline(&find_dates(sentence).0, sentence).map(|d| d.to_iso())
    }

    #[test]
    fn a_statement_binds_to_its_own_date() {
        let cases = [
            (
                "All customers are required to upgrade by April 30, 2025.",
                Some("2025-04-30"),
            ),
            (
                "Sync will stop working on September 30, 2026 if you're not on at least version 2.5.79.0.",
                Some("2026-09-29"),
            ),
            ("Upgrade before March 1, 2026.", Some("2026-02-28")),
            (
                "Starting October 2026, versions below 1.2 are unsupported.",
                Some("2026-09"),
            ),
            (
                "If you onboarded before March 1, 2024, upgrade to 1.2 or later.",
                None,
            ),
            ("Since January 2024, we have auto-upgraded customers.", None),
            ("Version 1.2 was released on May 5, 2024.", None),
        ];
        for (sentence, expected) in cases {
            assert_eq!(own(sentence).as_deref(), expected, "{sentence}");
        }
    }

    #[test]
    fn governing_texts_need_an_act() {
        assert_eq!(
            governing_deadline("We encourage customers to upgrade to the following builds by **September 23, 2024**.", None)
                .map(|d| d.to_iso())
                .as_deref(),
            Some("2024-09-23")
        );
        assert_eq!(
            governing_deadline("The feature shipped by May 2024.", None),
            None
        );
        assert_eq!(
            governing_deadline("Upgrade by September 18th.", Some(2025))
                .map(|d| d.to_iso())
                .as_deref(),
            Some("2025-09-18")
        );
    }
}
