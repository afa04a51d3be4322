//! Milestones: every dated statement, classified by what it means.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::{Context, text::sentences};
use crate::date::{Cue, DateProblem, PartialDate, find_dates};
use crate::diagnostic::Code;
use crate::model::{Milestone, MilestoneKind};

/// "extended", "postponed": the sentence moves a date.
static MOVES_A_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(extended|postponed|pushed back|moved|delayed)\b").expect("valid regex")
});
/// Words that, before a date in such a sentence, mark it as the old date.
static OLD_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(earlier|original|originally|previous|previously|initial|initially|prior)\b")
        .expect("valid regex")
});

/// Finds, classifies and de-duplicates the dated statements of a notice.
pub(super) fn milestones(cx: &mut Context<'_>) -> Vec<Milestone> {
    let mut found: Vec<Milestone> = Vec::new();
    let mut moved: Vec<Milestone> = Vec::new();
    for block in cx.blocks {
        for range in sentences(&block.text) {
            let sentence = &block.text[range.clone()];
            let (mentions, problems) = find_dates(sentence);
            for DateProblem::Impossible {
                text,
                range: at,
                reason,
            } in problems
            {
                let line = block.line_at(range.start + at.start);
                cx.report(
                    Code::ImpossibleDate,
                    line,
                    format!("`{text}` is not a date ({reason}); it was ignored"),
                );
            }
            let lower = sentence.replace('’', "'").to_lowercase();
            let moves = MOVES_A_DATE.is_match(sentence);
            for mention in mentions {
                let line = block.line_at(range.start + mention.range.start);
                let milestone = |kind| Milestone {
                    kind,
                    date: mention.date,
                    text: sentence.trim_matches(['*', '_', ' ']).to_string(),
                    source: cx.pos(line),
                    also_stated_at: Vec::new(),
                    superseded_by: None,
                };
                if moves && OLD_DATE.is_match(&sentence[..mention.range.start]) {
                    moved.push(milestone(MilestoneKind::Deadline));
                } else if let Some(kind) = classify(&lower, mention.range.start, mention.cue) {
                    found.push(milestone(kind));
                }
            }
        }
    }
    // An extension names the old date; the new one is the notice's latest deadline.
    let latest_deadline = found
        .iter()
        .filter(|m| m.kind == MilestoneKind::Deadline)
        .map(|m| m.date)
        .max();
    for mut old in moved {
        old.superseded_by = latest_deadline.filter(|new| *new != old.date);
        found.push(old);
    }
    merge(found)
}

/// One milestone per kind and date: later statements of it become `also_stated_at`.
fn merge(found: Vec<Milestone>) -> Vec<Milestone> {
    let mut merged: Vec<Milestone> = Vec::new();
    let mut index: HashMap<(MilestoneKind, PartialDate), usize> = HashMap::new();
    for milestone in found {
        match index.get(&(milestone.kind, milestone.date)) {
            Some(&i) => {
                let first = &mut merged[i];
                if first.superseded_by.is_none() {
                    first.superseded_by = milestone.superseded_by;
                }
                if first.source != milestone.source
                    && !first.also_stated_at.contains(&milestone.source)
                {
                    first.also_stated_at.push(milestone.source);
                }
            }
            None => {
                index.insert((milestone.kind, milestone.date), merged.len());
                merged.push(milestone);
            }
        }
    }
    merged.sort_by(|a, b| (a.date, a.kind, &a.source).cmp(&(b.date, b.kind, &b.source)));
    merged
}

/// Keywords for each kind a date can have from the words around it.
const KEYWORDS: &[(MilestoneKind, &[&str])] = &[
    (MilestoneKind::Retirement, &["retire"]),
    (
        MilestoneKind::EndOfSupport,
        &[
            "out of support",
            "end of support",
            "extended support",
            "no longer supported",
            "deprecat",
            "support ends",
            "end of life",
        ],
    ),
    (
        MilestoneKind::StopsWorking,
        &[
            "stop working",
            "stops working",
            "won't work",
            "will not work",
            "wont work",
            "no longer work",
            "will fail",
            "fails",
            "stop",
        ],
    ),
    (MilestoneKind::Release, &["released", "release "]),
];

/// What a date at byte `at` of `sentence` (lower-cased) means. "By D" is a deadline and
/// "since D" a past event whatever the words around them; otherwise the keyword nearest the
/// date decides ("released in October 2024 ... the retirement in April 2025" gives each date
/// its own meaning). `None` for dates that are neither ("between April 30, 2025 and when
/// you upgrade").
fn classify(sentence: &str, at: usize, cue: Cue) -> Option<MilestoneKind> {
    match cue {
        Cue::Since => return Some(MilestoneKind::PastEvent),
        Cue::By | Cue::Before | Cue::Until => return Some(MilestoneKind::Deadline),
        _ => {}
    }
    KEYWORDS
        .iter()
        .filter(|(kind, _)| {
            *kind != MilestoneKind::StopsWorking
                || matches!(cue, Cue::After | Cue::From | Cue::AsOf | Cue::On)
        })
        .filter_map(|(kind, words)| {
            words
                .iter()
                .flat_map(|w| sentence.match_indices(w).map(|(i, _)| i.abs_diff(at)))
                .min()
                .map(|distance| (distance, *kind))
        })
        .min()
        .map(|(_, kind)| kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_classify_by_cue_and_verb() {
        let cases = [
            (
                "upgrade to the latest versions by september 23, 2024.",
                "september",
                Cue::By,
                Some(MilestoneKind::Deadline),
            ),
            (
                "the autoupgrade service won't work after september 23, 2024.",
                "september",
                Cue::After,
                Some(MilestoneKind::StopsWorking),
            ),
            (
                "azure ad connect v1 has been retired as of august 31, 2022",
                "august",
                Cue::AsOf,
                Some(MilestoneKind::Retirement),
            ),
            (
                "sql server 2012 will go out of extended support in july 2022.",
                "july",
                Cue::In,
                Some(MilestoneKind::EndOfSupport),
            ),
            (
                "this library will be deprecated after december 2022.",
                "december",
                Cue::After,
                Some(MilestoneKind::EndOfSupport),
            ),
            (
                "since january 2024, we have been auto-upgrading",
                "january",
                Cue::Since,
                Some(MilestoneKind::PastEvent),
            ),
            (
                "in october 2024, we released new versions for the msonline retirement in april 2025.",
                "october",
                Cue::In,
                Some(MilestoneKind::Release),
            ),
            (
                "in october 2024, we released new versions for the msonline retirement in april 2025.",
                "april",
                Cue::In,
                Some(MilestoneKind::Retirement),
            ),
            (
                "you lose alerts between september 23, 2024 and when you upgrade.",
                "september",
                Cue::None,
                None,
            ),
            (
                "you can still perform the upgrade after april 30, 2025.",
                "april",
                Cue::After,
                None,
            ),
        ];
        for (sentence, date, cue, kind) in cases {
            let at = sentence.find(date).expect("date in sentence");
            assert_eq!(classify(sentence, at, cue), kind, "{sentence} @ {date}");
        }
    }
}
