//! Milestones: the cutoffs a notice dates. An act-by deadline, a retirement, the end of
//! support, the day something stops working, with the product when the sentence names one.
//!
//! Most dates in documentation are not cutoffs: release dates, the history of a product,
//! conditions ("if you onboarded before D"), what keeps working ("you can still upgrade after
//! D"). A date is a cutoff only when a cutoff word stands nearer to it than any word of those
//! kinds, or when it is the "by D" of something to do.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::text::sentences;
use super::{Claim, Context, product, scope};
use crate::date::{Cue, DateMention, DateProblem, PartialDate, Precision, parse_date};
use crate::diagnostic::Code;
use crate::model::{Block, BlockKind, Milestone, MilestoneKind};

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("literal regex")
}

/// "extended", "postponed": the sentence moves a date.
static MOVES_A_DATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(extended|postponed|pushed back|moved|delayed)\b"));
/// Words that, before a date in such a sentence, mark it as the old date.
static OLD_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(earlier|original|originally|previous|previously|initial|initially|prior)\b")
});

/// What each kind of cutoff is called, and the words of dates that are not cutoffs
/// (`None`): releases, availability, what keeps working.
static KINDS: LazyLock<Vec<(Option<MilestoneKind>, Regex)>> = LazyLock::new(|| {
    vec![
        (
            Some(MilestoneKind::Retirement),
            re(
                r"(?i)\b(?:retir\w*|sunset\w*|decommission\w*|discontinu\w*|(?:be|been|is|are|being)\s+(?:removed|deleted|permanently\s+deleted)|removal|no\s+longer\s+(?:be\s+)?available|(?:will\s+not|won['’]t)\s+be\s+available|shut\s*down)\b",
            ),
        ),
        (
            Some(MilestoneKind::EndOfSupport),
            re(
                r"(?i)\b(?:end\s+of\s+(?:\w+\s+)?(?:support|life|servicing)|end-of-(?:support|life)|out\s+of\s+(?:\w+\s+)?support|no\s+longer\s+(?:be\s+)?supported|(?:will\s+not|won['’]t)\s+be\s+supported|(?:isn['’]t|aren['’]t|is\s+not|are\s+not)\s+supported|unsupported|(?:support|(?:security\s+)?updates)\s+for\s+[^;]{1,100}?\s+(?:ends|ended|ending|will\s+end)|remov\w*\s+(?:\w+\s+)?support\s+for|remov\w*\s+[^.;]{1,100}?\bfrom\s+(?:the\s+)?(?:list\s+of\s+)?supported|supported\s+(?:[^.;]{0,60}?\s+)?(?:until|through)|(?:will|to)\s+(?:\w+ly\s+)?support\s+[^.;]{1,60}?\s+(?:until|through)|eol|eos|support\s+(?:ends|will\s+end|ended|ending)|support\b[^.;]{0,80}?\bextended\s+(?:through|to|until)|deprecat\w*|won['’]t\s+support|will\s+not\s+support|no\s+longer\s+(?:supports?|provides?\s+(?:security\s+)?updates)|stops?\s+supporting|limited\s+support|extended\s+support|reach(?:es|ed)?\s+end|(?:left|leaves?|leaving|exit(?:s|ed)?|end(?:s|ed)?)\s+(?:mainstream\s+|extended\s+)?support|no\s+longer\s+(?:be(?:ing)?\s+)?(?:actively\s+)?maintained|no\s+longer\s+(?:be\s+)?serviced|no\s+longer\s+(?:be\s+)?receiv\w*\s+(?:\w+\s+){0,2}?updates)\b",
            ),
        ),
        (
            Some(MilestoneKind::StopsWorking),
            re(
                r"(?i)\b(?:stop\w*\s+working|stops?|won['’]t\s+work|will\s+not\s+work|no\s+longer\s+work\w*|fail\w*|can['’]t|cannot|can\s+no\s+longer|(?:will\s+)?no\s+longer\s+be\s+able|no\s+longer\s+(?:be\s+)?(?:allowed|permitted)|end(?:s|ed|ing)?\s+(?:the\s+)?sales?\b|end\s+of\s+sales?\b|(?:be|been|is|are|was|were)\s+(?:\w+ly\s+)?(?:blocked|disabled|rejected|turned\s+off)|will\s+(?:\w+ly\s+)?(?:disable|block|reject|turn\s+off)|lose|unable\s+to|won['’]t\s+be\s+able|will\s+not\s+be\s+able|impacted|restrict\w*|enforc\w*|(?:goes|go|went|come|comes|came)\s+into\s+effect|takes?\s+effect|mandatory)\b",
            ),
        ),
        (
            None,
            re(
                r"(?i)\b(?:released?|releases|available|availability|general(?:ly)?\s+available|ga|preview|introduc\w*|announc\w*|launch\w*|publish\w*|rolled\s+out|roll\s+out|ships?|shipped|added|new(?:\s+(?:customers|users|tenants|subscribers|organizations|accounts))?|updated|last\s+updated|billing|billed|bill|charged?|can\s+still|still\s+be\s+able|continue\w*\s+to|as\s+usual)\b",
            ),
        ),
    ]
});

/// "new customers", "new tenants": who a change applies to, not something new released.
static NEW_AUDIENCE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^new\s"));

/// Right before "until D": the reader has that long to act ("Existing customers have until
/// September 30, 2024 to download their plans").
static HAVE_UNTIL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:have|has|get|gets)\s+(?:until\s*)?$"));

/// An obligation that a date can start: "must", "will be required", "mandatory".
static OBLIGATION_STARTS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:must|(?:will\s+be|is|are|becomes?)\s+(?:required|mandatory)|will\s+require|read-only)\b",
    )
});

/// Past tense: a dated statement told as history ("In 2018 X was deprecated").
static PAST_TENSE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:was|were|had\s+been|did|stopped|ended|reached)\b"));

/// A condition on the reader's past ("if you onboarded before D", "customers who registered
/// after D", "for extension versions up to and including D").
static CONDITION: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:if|when|unless|who|that|which|whose|for)\b[^.;]*$"));

/// Finds, classifies and de-duplicates the dated statements of a notice. `claims` are the
/// stretches of text read as versions ("Windows Server Essentials before 2019"), which are not
/// dates.
pub(super) fn milestones(cx: &mut Context<'_>, claims: &[Claim]) -> Vec<Milestone> {
    let mut found: Vec<Milestone> = Vec::new();
    let mut moved: Vec<Milestone> = Vec::new();
    for i in 0..cx.blocks.len() {
        let block = &cx.blocks[i];
        let regions: Vec<(usize, &str)> = match block.kind {
            BlockKind::TableRow { header: false } => block
                .cells
                .iter()
                .enumerate()
                .map(|(c, cell)| (super::tables::cell_offset(block, c), cell.as_str()))
                .collect(),
            BlockKind::TableRow { header: true } => Vec::new(),
            _ => vec![(0, block.text.as_str())],
        };
        for (offset, text) in regions {
            let ranges = sentences(text);
            for (k, range) in ranges.iter().enumerate() {
                let (mentions, problems) = cx.dates_with_problems(&text[range.clone()]);
                // A sentence that is only a date ("Indirectly connected is retired. September,
                // 2025.") is read with the sentence before it.
                let only_a_date = mentions.len() == 1
                    && text[range.clone()]
                        .chars()
                        .filter(|c| c.is_alphabetic())
                        .count()
                        <= text[range.clone()][mentions[0].range.clone()]
                            .chars()
                            .filter(|c| c.is_alphabetic())
                            .count();
                let start = match k.checked_sub(1) {
                    Some(p) if only_a_date => ranges[p].start,
                    _ => range.start,
                };
                let sentence = &text[start..range.end];
                let shift = offset + start;
                let moved_by = range.start - start;
                let mentions: Vec<DateMention> = mentions
                    .into_iter()
                    .map(|mut m| {
                        m.range = m.range.start + moved_by..m.range.end + moved_by;
                        m
                    })
                    .collect();
                for DateProblem::Impossible {
                    text: phrase,
                    range: at,
                    reason,
                } in problems
                {
                    let line = block.line_at(shift + moved_by + at.start);
                    cx.report(
                        Code::ImpossibleDate,
                        block,
                        line,
                        &phrase,
                        format!("`{phrase}` is not a date ({reason}); it was ignored"),
                    );
                }
                let claimed = |at: &Range<usize>| {
                    claims.iter().any(|c| {
                        c.block == i
                            && c.range.start < shift + at.end
                            && shift + at.start < c.range.end
                    })
                };
                // "the 2020-05-01 (or later) API": a version named by a date is no date.
                let versions: Vec<Range<usize>> = crate::version::find_specs(sentence)
                    .into_iter()
                    .filter(|(_, _, shape)| *shape == crate::version::Shape::Dated)
                    .map(|(range, _, _)| range)
                    .collect();
                let claimed = |at: &Range<usize>| {
                    claimed(at)
                        || versions
                            .iter()
                            .any(|v| v.start < at.end && at.start < v.end)
                };
                let moves = MOVES_A_DATE.is_match(sentence);
                let mut dated = false;
                for mention in mentions.iter().filter(|m| !claimed(&m.range)) {
                    dated = true;
                    let line = block.line_at(shift + mention.range.start);
                    let make = |kind, product| Milestone {
                        kind,
                        date: mention.date,
                        text: sentence.trim_matches(['*', '_', ' ']).to_string(),
                        source: cx.pos(block, line),
                        also_stated_at: Vec::new(),
                        superseded_by: None,
                        product,
                        version: None,
                        pivot: block.pivot.clone(),
                    };
                    if moves && OLD_DATE.is_match(&sentence[..mention.range.start]) {
                        moved.push(make(MilestoneKind::Deadline, None));
                    } else if reference(sentence, mention)
                        || entry_date(sentence, &mentions, mention)
                    {
                        continue;
                    } else if let Some((kind, at)) = classify(sentence, mention) {
                        let product = subject(cx, sentence, at);
                        found.push(make(kind, product));
                    } else if mention.cue == Cue::Until && supported_lead_in(cx.blocks, i) {
                        // "The following versions are supported:" / "- Visio 2021 (until
                        // October 2026)": the item's date is when its support ends.
                        found.push(make(MilestoneKind::EndOfSupport, None));
                    } else if let Some(kind) = dates_lead_in(cx.blocks, i) {
                        // "Support for these versions ends on the following dates:" /
                        // "- RHEL 9 - 2032-05-31": the item names what the date ends.
                        let product = item_name(&sentence[..mention.range.start])
                            .map(|name| cx.product(name));
                        found.push(make(kind, product));
                    }
                }
                if !dated && let Some(milestone) = dated_by_heading(cx, i, sentence, shift) {
                    found.push(milestone);
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
    refine_headings(cx.blocks, merge(found))
}

/// What a date means in its sentence, and where the word that says so is. `None` for dates
/// that are not cutoffs.
fn classify(sentence: &str, mention: &DateMention) -> Option<(MilestoneKind, usize)> {
    let at = mention.range.start;
    // "Since D" starts something that still holds: a cutoff only when what holds is a cutoff
    // state told right before it ("has been deprecated since April 2020").
    if mention.cue == Cue::Since && !cutoff_state_before(&sentence[..at]) {
        return None;
    }
    // A condition on the reader ("if you onboarded before D"); not a clause that itself
    // states the cutoff ("both of which are in extended support until D").
    if matches!(
        mention.cue,
        Cue::Before | Cue::After | Cue::Since | Cue::Until
    ) && let Some(condition) = CONDITION.find(&sentence[..at])
        && !super::cues::ACT.is_match(&sentence[..at])
        && !MOVES_A_DATE.is_match(&sentence[condition.start()..at])
        && !KINDS
            .iter()
            .any(|(kind, words)| kind.is_some() && words.is_match(&sentence[condition.start()..at]))
    {
        return None;
    }
    let nearest = KINDS
        .iter()
        .filter_map(|(kind, words)| {
            words
                .find_iter(sentence)
                // "new customers can't create projects": an audience, not a release.
                .filter(|m| !NEW_AUDIENCE.is_match(m.as_str()))
                .map(|m| {
                    let distance = if m.start() >= mention.range.end {
                        m.start() - mention.range.end
                    } else {
                        at.saturating_sub(m.end())
                    };
                    (distance, m.start())
                })
                .min()
                .map(|(distance, position)| (distance, *kind, position))
        })
        .min_by_key(|(distance, _, _)| *distance);
    // "By D" with something to do; "customers have until D to download their plans".
    let act_by = (matches!(mention.cue, Cue::By | Cue::Before | Cue::Until | Cue::EndOf)
        && acts(sentence))
        || (mention.cue == Cue::Until && HAVE_UNTIL.is_match(&sentence[..at]));
    // "Starting D, all connections must use TLS 1.2": an obligation that begins on a date
    // ends what was allowed before it.
    let begins_obligation = matches!(
        mention.cue,
        Cue::From | Cue::On | Cue::AsOf | Cue::After | Cue::In
    )
    .then(|| OBLIGATION_STARTS.find(sentence))
    .flatten()
    .map(|m| m.start());
    let (kind, position) = match nearest {
        // "By D" with something to do is a deadline, whatever else the sentence says.
        _ if act_by => (MilestoneKind::Deadline, at),
        Some((_, Some(kind), position)) => (kind, position),
        Some((_, None, _)) => return None,
        None => match begins_obligation {
            Some(position) => (MilestoneKind::StopsWorking, position),
            None => return None,
        },
    };
    if history(sentence, mention) {
        return None;
    }
    Some((kind, position))
}

/// Whether the words right before a "since" date say a cutoff state holds ("has been
/// deprecated since", "is unsupported since"), not that something began ("available since").
fn cutoff_state_before(before: &str) -> bool {
    let tail = before
        .char_indices()
        .rev()
        .nth(40)
        .map_or(before, |(i, _)| &before[i..]);
    KINDS
        .iter()
        .filter(|(kind, _)| {
            matches!(
                kind,
                Some(MilestoneKind::EndOfSupport | MilestoneKind::Retirement)
            )
        })
        .any(|(_, words)| words.is_match(tail))
}

/// Whether a sentence has something to do, outside an opening clause that only sets the scene
/// ("As you migrate your servers through the end of 2023, you can use monthly billing").
fn acts(sentence: &str) -> bool {
    let main = match SCENE.find(sentence) {
        Some(scene) => sentence[scene.end()..]
            .find(',')
            .map_or("", |comma| &sentence[scene.end() + comma..]),
        None => sentence,
    };
    super::cues::ACT.is_match(main)
}

/// An opening clause about what the reader is doing: "As you ...", "While you ...".
static SCENE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^[\s*_>]*(?:as|while|whenever)\s+(?:you|we|customers)\b"));

/// A date that names a thing rather than a cutoff: "as stated in a September 2018 blog
/// post", "the March 14, 2023 security update".
fn reference(sentence: &str, mention: &DateMention) -> bool {
    let before = sentence[..mention.range.start].trim_end_matches(['*', '_', ' ']);
    let last_word = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default();
    let article = ["a", "an", "the", "its", "our", "their"]
        .iter()
        .any(|a| last_word.eq_ignore_ascii_case(a));
    article && REFERENCE_NOUN.is_match(&sentence[mention.range.end..])
}

/// A date that heads an entry of a change log, set off from a statement that moves a date to
/// one of its own ("**11/05/2021** - Support on Windows 7 extended through January 15,
/// 2023"): the day the entry was written, not a cutoff.
fn entry_date(sentence: &str, mentions: &[DateMention], mention: &DateMention) -> bool {
    let leading = sentence[..mention.range.start]
        .trim_matches(|c: char| c.is_whitespace() || "*_-#>".contains(c))
        .is_empty();
    let set_off = sentence[mention.range.end..]
        .trim_start_matches(['*', '_', ' '])
        .starts_with(['-', '–', '—', ':']);
    let marked = sentence[mention.range.end..].starts_with(['*', '_']) || set_off;
    let moved_later = MOVES_A_DATE
        .find(&sentence[mention.range.end..])
        .is_some_and(|verb| {
            let verb = mention.range.end + verb.start();
            mentions.iter().any(|m| m.range.start > verb)
        });
    leading && marked && moved_later
}

/// Nouns a date can describe as an attribute (see [`reference`]).
static REFERENCE_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^[*_\s]*(?:blog|post|announcement|article|newsletter|webinar|(?:security\s+|cumulative\s+|feature\s+|quality\s+)?updates?|release|edition|wave|event|email|message|notice)\b",
    )
});

/// Whether list item `i` is introduced, by its parent item or its lead-in, as what is
/// supported ("The following versions of Visio are supported for connecting:").
fn supported_lead_in(blocks: &[Block], i: usize) -> bool {
    if blocks[i].kind != BlockKind::ListItem {
        return false;
    }
    let parent = blocks[i].parent.map(|p| &blocks[p]);
    parent
        .into_iter()
        .chain(scope::lead_in(blocks, i))
        .any(|b| SUPPORTED.is_match(&b.text))
}

/// The kind of cutoff a lead-in gives the dates of the list it introduces ("Support for
/// these versions ends on the following dates:"), when list item `i` is one of them.
fn dates_lead_in(blocks: &[Block], i: usize) -> Option<MilestoneKind> {
    if blocks[i].kind != BlockKind::ListItem {
        return None;
    }
    let lead = scope::lead_in(blocks, i).filter(|b| DATES_FOLLOW.is_match(&b.text))?;
    KINDS
        .iter()
        .find(|(_, words)| words.is_match(&lead.text))
        .and_then(|(kind, _)| *kind)
}

/// A lead-in whose list holds dates: "on the following dates", "on these dates".
static DATES_FOLLOW: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:following|these|below)\s+dates\b|\bdates\s+(?:below|that\s+follow)\b")
});

/// What a short list item names before its date ("RHEL 9 - " names "RHEL 9"): a few words
/// and nothing else.
fn item_name(before: &str) -> Option<&str> {
    let name = before.trim_matches(|c: char| c.is_whitespace() || "-–—:*_|".contains(c));
    let words = name.split_whitespace().count();
    (1..=ITEM_NAME_WORDS).contains(&words).then_some(name)
}

/// The most words a list item's name before its date may have (see [`item_name`]).
const ITEM_NAME_WORDS: usize = 5;

/// "are supported", "is supported" in a lead-in.
static SUPPORTED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:is|are|remains?|stays?)\s+supported\b"));

/// Whether a dated statement is told as history ("In 2018 X was deprecated"): in the past
/// tense and dated to a year only. A past cutoff told to the day or month ("was retired on
/// August 31, 2022") is still a fact of the product's lifecycle.
fn history(sentence: &str, mention: &DateMention) -> bool {
    PAST_TENSE.is_match(sentence) && mention.date.precision() == Precision::Year
}

/// The product a cutoff is about: the name before its verb ("Azure AD Connect V1 has been
/// retired"), or after it ("retiring Azure Kubernetes Service on VMware", "the end of support
/// for X").
fn subject(cx: &Context<'_>, sentence: &str, keyword: usize) -> Option<crate::model::ProductRef> {
    let after_word = sentence[keyword..]
        .find(char::is_whitespace)
        .map_or(sentence.len(), |i| keyword + i);
    let verb = &sentence[keyword..after_word];
    // "will (fully) disable X": the verb is the word after "will" and its adverbs.
    let verb = if verb.eq_ignore_ascii_case("will") {
        sentence[after_word..]
            .split_whitespace()
            .find(|w| !w.ends_with("ly"))
            .unwrap_or(verb)
    } else {
        verb
    };
    // "AKS no longer supports X", "Microsoft won't support X": who stops supporting is the
    // subject; what loses support is the object.
    let stops_supporting = STOPS_SUPPORTING.find(&sentence[keyword..]);
    // "retiring X", "Microsoft will remove X": an active verb's product is its object.
    let acts_on = stops_supporting.is_some()
        || [
            "retire",
            "remove",
            "deprecate",
            "discontinue",
            "decommission",
            "disable",
            "block",
            "reject",
            "turn",
            "support",
        ]
        .iter()
        .any(|v| verb.eq_ignore_ascii_case(v));
    let after = product::object_after(
        sentence,
        stops_supporting.map_or(after_word, |m| keyword + m.end()),
    );
    let before = product::subject_before(sentence, keyword);
    // The subject of an active verb is who acts ("Microsoft"), never what it acts on.
    let phrase = if acts_on {
        after
    } else if verb.ends_with("ing") {
        after.or(before)
    } else {
        before.or(after)
    };
    phrase
        .filter(|p| p.is_specific())
        .map(|p| cx.product(&p.name))
}

/// An active "stops supporting" (or selling) at a cutoff word: its product is its object.
static STOPS_SUPPORTING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:no\s+longer\s+(?:supports?|provides?)|won['’]t\s+support|will\s+not\s+support|stops?\s+supporting|end(?:s|ed|ing)?\s+(?:the\s+)?sales?\s+of)\b",
    )
});

/// "now", "currently": a state told as of today, not of a section's date.
static NOW: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:now|currently|today)\b"));

/// Release notes date a change by their section heading ("## September 2025"): a sentence
/// with a cutoff word and no date of its own, under a heading that is only a date, is dated
/// by that heading.
fn dated_by_heading(cx: &Context<'_>, i: usize, sentence: &str, shift: usize) -> Option<Milestone> {
    // "This feature is now deprecated" under "## 2016": the cutoff came later than the
    // section's date.
    if NOW.is_match(sentence) {
        return None;
    }
    let heading = scope::heading(cx.blocks, i)?;
    let date = parse_date(heading.text.trim_matches(['*', '_', ' ']))?;
    // A status tag ("Managed storage account keys (deprecated).") says what a feature is
    // now, not what the section's date did to it.
    let tagged = |m: regex::Match<'_>| {
        sentence[..m.start()].ends_with('(') && sentence[m.end()..].starts_with(')')
    };
    let (kind, at) = KINDS
        .iter()
        .filter_map(|(kind, words)| {
            let m = words.find(sentence)?;
            Some(((*kind)?, m.start(), tagged(m)))
        })
        .filter(|(kind, _, _)| *kind != MilestoneKind::StopsWorking)
        .min_by_key(|(_, at, _)| *at)
        .filter(|(_, _, tagged)| !tagged)
        .map(|(kind, at, _)| (kind, at))?;
    let block = &cx.blocks[i];
    Some(Milestone {
        kind,
        date,
        text: sentence.trim_matches(['*', '_', ' ']).to_string(),
        source: cx.pos(block, block.line_at(shift)),
        also_stated_at: Vec::new(),
        superseded_by: None,
        product: subject(cx, sentence, at),
        version: None,
        pivot: block.pivot.clone(),
    })
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
                if first.product.is_none() {
                    first.product = milestone.product;
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

/// A month (quarter, year) stated in a heading that a day of the same kind in the notice
/// refines is that day: one milestone, the heading kept as another place it is stated.
fn refine_headings(blocks: &[Block], milestones: Vec<Milestone>) -> Vec<Milestone> {
    let heading_lines: Vec<u32> = blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading(_)))
        .map(|b| b.line)
        .collect();
    let mut out: Vec<Milestone> = Vec::with_capacity(milestones.len());
    let mut coarse: Vec<Milestone> = Vec::new();
    for m in milestones {
        if m.date.precision() != Precision::Day && heading_lines.contains(&m.source.line) {
            coarse.push(m);
        } else {
            out.push(m);
        }
    }
    for c in coarse {
        let finer = out.iter_mut().find(|m| {
            m.kind == c.kind
                && m.date.precision() == Precision::Day
                && c.date.first_day() <= m.date.first_day()
                && m.date.last_day() <= c.date.last_day()
        });
        match finer {
            Some(m) => m.also_stated_at.push(c.source),
            None => out.push(c),
        }
    }
    out.sort_by(|a, b| (a.date, a.kind, &a.source).cmp(&(b.date, b.kind, &b.source)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::find_dates;

    /// (sentence, [(date, kind)]): what each dated sentence means.
    #[test]
    fn dated_sentences_are_classified_by_the_words_around_them() {
        use MilestoneKind::*;
        let cases: &[(&str, &[(&str, MilestoneKind)])] = &[
            (
                "On 31 March 2026, Azure Widget Service classic will be retired.",
                &[("2026-03-31", Retirement)],
            ),
            (
                "You must migrate to Azure Widget Service v2 before September 30, 2026.",
                &[("2026-09-30", Deadline)],
            ),
            (
                "Starting January 1, 2026, TLS 1.0 and 1.1 will no longer be supported.",
                &[("2026-01-01", EndOfSupport)],
            ),
            (
                "After March 31, 2026, you won't be able to create new classic widgets.",
                &[("2026-03-31", StopsWorking)],
            ),
            (
                "Support for Python 3.8 ends on October 31, 2025.",
                &[("2025-10-31", EndOfSupport)],
            ),
            (
                "Upgrade the agent to version 3.2 or later by May 15, 2026.",
                &[("2026-05-15", Deadline)],
            ),
            (
                "MFA enforcement begins on October 1, 2025.",
                &[("2025-10-01", StopsWorking)],
            ),
            (
                "The requirement goes into effect on June 1, 2026.",
                &[("2026-06-01", StopsWorking)],
            ),
            // An audience ("new customers") is no release.
            (
                "Starting February 2026, new customers can't create projects in Contoso Services.",
                &[("2026-02", StopsWorking)],
            ),
            (
                "Starting March 3, 2026, a new release can't be paused.",
                &[],
            ),
            (
                "Contoso OS, version 1903 will no longer be serviced after December 8, 2020.",
                &[("2020-12-08", EndOfSupport)],
            ),
            (
                "After June 9, 2026, the build will no longer receive security updates.",
                &[("2026-06-09", EndOfSupport)],
            ),
            (
                "As of January 2026, the Contoso Shell project is no longer being actively maintained.",
                &[("2026-01", EndOfSupport)],
            ),
            (
                "We expect to retire the service in Q3 2026.",
                &[("2026-Q3", Retirement)],
            ),
            ("Version 2.0 was released on May 5, 2024.", &[]),
            (
                "Since January 2024, we have been auto-upgrading customers.",
                &[],
            ),
            (
                "Customers who created widgets before January 1, 2024 are not affected.",
                &[],
            ),
            (
                "You can still perform the upgrade after April 30, 2025.",
                &[],
            ),
            ("In 2018, the old API was deprecated.", &[]),
            ("The preview became generally available in March 2025.", &[]),
            (
                "Support for connection to the services with Contoso Office 2019 and Contoso Office 2016 ended on October 10, 2023.",
                &[("2023-10-10", EndOfSupport)],
            ),
            (
                "For example, Contoso 2019 and Contoso 2016, both of which are in extended support until October 14, 2025.",
                &[("2025-10-14", EndOfSupport)],
            ),
            (
                "The agent is supported on Windows Server 2016 until October 2025.",
                &[("2025-10", EndOfSupport)],
            ),
            (
                "The agent isn't supported on Windows Server 2008 R2, as of January 14, 2020.",
                &[("2020-01-14", EndOfSupport)],
            ),
            (
                "In early January 2023, Basic authentication was permanently turned off.",
                &[("2023-01", StopsWorking)],
            ),
            (
                "Widget support on Windows 7 extended through January 15, 2023 for security updates.",
                &[("2023-01-15", EndOfSupport)],
            ),
            (
                "As you migrate and modernize your infrastructure through the end of 2023, you can use monthly billing.",
                &[],
            ),
            (
                "As you plan the move, upgrade the agent by the end of 2026.",
                &[("2026", Deadline)],
            ),
            (
                "The corresponding extensions will not be available after May 2024.",
                &[("2024-05", Retirement)],
            ),
        ];
        for &(sentence, expected) in cases {
            let got: Vec<(String, MilestoneKind)> = find_dates(sentence)
                .0
                .iter()
                .filter_map(|m| classify(sentence, m).map(|(kind, _)| (m.date.to_iso(), kind)))
                .collect();
            let want: Vec<(String, MilestoneKind)> =
                expected.iter().map(|&(d, k)| (d.to_string(), k)).collect();
            assert_eq!(got, want, "{sentence}");
        }
    }

    #[test]
    fn a_change_log_entry_date_is_not_its_statements_cutoff() {
        for (sentence, expected) in [
            (
                "**11/05/2021** - Widget support on Windows 7 extended through January 15, 2023.",
                [true, false],
            ),
            (
                "12/17/2020: support extended to January 15, 2022.",
                [true, false],
            ),
            // A date that is the statement's own, or alone, is not an entry date.
            (
                "March 31, 2025 - the classic service retires, and the API on April 30, 2025.",
                [false, false],
            ),
        ] {
            let mentions = find_dates(sentence).0;
            let got: Vec<bool> = mentions
                .iter()
                .map(|m| entry_date(sentence, &mentions, m))
                .collect();
            assert_eq!(got, expected, "{sentence}");
        }
        let alone = "**March 31, 2025** - the classic service retires.";
        let mentions = find_dates(alone).0;
        assert!(!entry_date(alone, &mentions, &mentions[0]));
    }

    #[test]
    fn dates_that_name_a_thing_are_references() {
        for (sentence, reference_expected) in [
            (
                "As stated in a September 2018 blog post, only some versions are supported.",
                true,
            ),
            ("Install the March 14, 2023 security update first.", true),
            ("Upgrade before the September 30, 2026 deadline.", false),
            ("The service retires on March 31, 2026.", false),
            ("Ça arrête le March 31, 2026 update.", false),
            ("Voir l’édition — the March 31, 2026 update.", true),
        ] {
            let mentions = find_dates(sentence).0;
            assert_eq!(mentions.len(), 1, "{sentence}");
            assert_eq!(
                reference(sentence, &mentions[0]),
                reference_expected,
                "{sentence}"
            );
        }
    }
}
