//! Product names as notices write them: the phrase just before a version ("Azure CLI version
//! 2.61.0"), after "of" ("version 2.1 or later of the workplace-join client"), or the product
//! phrase of a title or heading ("Hardening update to Microsoft Entra Connect Sync by ...").
//!
//! Without a catalog these phrases are the product's name, so they are cut to the words that
//! name something: capitalised words, identifiers (`k8s-extension`, `.NET`, `C++`) and the
//! nouns products are made of ("agent", "extension"), never the verbs and articles around
//! them. Every rule here reads words, never a particular product.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

mod lexicon;

use lexicon::{AUXILIARIES, BRIDGE, DESCRIBING, NOT_NAMES, NOT_PRODUCTS, NOUNS};

/// A word of a text with where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Word<'a> {
    /// The word, without surrounding markup.
    pub text: &'a str,
    /// Its byte range in the text.
    pub range: (usize, usize),
}

/// Splits text into words: letters, digits and the characters names are written with
/// (`.NET`, `C++`, `C#`, `k8s-extension`, `Azure-Arc`); a trailing `.` or `-` is not part of
/// a word.
pub(super) fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '+' | '#' | '/');
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, is_word(c)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let raw = &text[s..i];
                let trimmed = raw.trim_end_matches(['.', '-', '/', '_']);
                let lead = trimmed.len() - trimmed.trim_start_matches(['-', '/', '_']).len();
                let word = &trimmed[lead..];
                if word.chars().any(char::is_alphanumeric) {
                    out.push(Word {
                        text: word,
                        range: (s + lead, s + lead + word.len()),
                    });
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Whether a word can be part of a product's name.
fn name_like(word: &str) -> bool {
    let lower = word.to_lowercase();
    let first = word.chars().next().unwrap_or(' ');
    // A capitalised "Storage" may be part of a name; a lower-case "storage" is a quantity.
    if NOT_NAMES.contains(&lower.as_str())
        || (NOT_PRODUCTS.contains(&lower.as_str()) && !first.is_uppercase())
    {
        return false;
    }
    first.is_uppercase()
        || first == '.'
        // "iOS", "macOS", "iPadOS": a capital after the first letter marks a name too.
        || (word.chars().skip(1).any(char::is_uppercase) && word.chars().all(char::is_alphanumeric))
        // "iOS/iPadOS": names joined by a slash are one name.
        || (word.contains('/') && word.split('/').all(|part| !part.is_empty() && name_like(part)))
        || NOUNS.contains(&lower.as_str())
        || (word.chars().any(|c| c.is_ascii_digit()) && word.chars().any(char::is_alphabetic))
        || word.contains(['-', '_', '+', '#'])
        // An identifier with a dot inside: `microsoft.flux`, `Az.Ssh` (not a host name).
        || (word.contains('.')
            && word.chars().any(char::is_alphabetic)
            && word.chars().all(|c| c.is_alphanumeric() || c == '.')
            && !host_name(word))
}

/// Whether a dotted word is a host name (`dc.applicationinsights.us`): two dots or more, or
/// a last part that is a top-level domain.
fn host_name(word: &str) -> bool {
    let last = word.rsplit('.').next().unwrap_or_default().to_lowercase();
    word.matches('.').count() >= 2
        || [
            "com", "net", "org", "io", "us", "cn", "gov", "ms", "de", "uk",
        ]
        .contains(&last.as_str())
}

/// Whether a word is an ordinary lower-case word that may sit inside a compound name.
fn is_lowercase_word(word: &str) -> bool {
    word.chars().all(|c| c.is_lowercase() || c == '-')
        && !NOT_NAMES.contains(&word)
        && !NOT_PRODUCTS.contains(&word)
        && !BRIDGE.contains(&word)
}

/// Whether only punctuation a name can span lies between two words (spaces, markup,
/// trademark signs as in "Windows Server® 2008 R2", a comparison as in "version >=2.0.4");
/// a comma, parenthesis or full stop ends a name.
fn joined(text: &str, from: usize, to: usize) -> bool {
    text.get(from..to).is_some_and(|gap| {
        gap.replace(">=", "")
            .replace("<=", "")
            .chars()
            .all(|c| c.is_whitespace() || "*_`[]\\®™<>≥≤".contains(c))
    })
}

/// A product phrase: its text (words joined by single spaces) and its byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Phrase {
    /// The name as written, words joined by single spaces, articles dropped.
    pub name: String,
    /// Where it stands in the text.
    pub range: Range<usize>,
}

impl Phrase {
    /// Whether the phrase names something on its own: a capitalised word or an identifier,
    /// not only nouns like "agent".
    pub(super) fn is_specific(&self) -> bool {
        self.name.split(' ').any(|w| {
            let lower = w.to_lowercase();
            !NOUNS.contains(&lower.as_str())
        })
    }
}

/// Builds a phrase from consecutive name words (in text order), dropping a leading article.
fn phrase(mut run: Vec<Word<'_>>) -> Option<Phrase> {
    while run
        .first()
        .is_some_and(|w| NOT_NAMES.contains(&w.text.to_lowercase().as_str()))
    {
        run.remove(0);
    }
    // "for" only joins two parts of one name ("Microsoft Entra Connect Health for Sync").
    while run
        .last()
        .is_some_and(|w| w.text.eq_ignore_ascii_case("for"))
    {
        run.pop();
    }
    let first = run.first()?;
    let last = run.last()?;
    let name = run.iter().map(|w| w.text).collect::<Vec<_>>().join(" ");
    Some(Phrase {
        name,
        range: first.range.0..last.range.1,
    })
}

/// The product named just before byte `at` ("Azure CLI version 2.61.0" -> "Azure CLI"),
/// walking back over the words that may stand between a name and its version, and over a
/// parenthesis that opens right there ("the Authentication Agent (versions 1.5.2482.0 or
/// later)") or closes ("clients (Outlook, Word) with versions 16.0").
pub(super) fn before(text: &str, at: usize) -> Option<Phrase> {
    run_back(text, at, BRIDGE, false)
        .or_else(|| release_before(text, at))
        .or_else(|| tool_before_version(text, at))
        .or_else(|| {
            let mut end = at;
            while let Some(w) = words(&text[..end]).last().copied() {
                let bridged = BRIDGE.contains(&w.text.to_lowercase().as_str())
                    && joined(text, w.range.1, end);
                if !bridged {
                    break;
                }
                end = w.range.0;
            }
            let head =
                text[..end].trim_end_matches(|c: char| c.is_whitespace() || "*_`,".contains(c));
            if let Some(open) = head.strip_suffix('(') {
                // "Windows 10 Version 1709, 64-bit (Build 16299 or higher)": a build of the
                // named release's product, "Windows 10".
                if let Some(name) = RELEASE_BEFORE_BUILD.captures(open).and_then(|c| c.get(1)) {
                    return Some(Phrase {
                        name: name
                            .as_str()
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" "),
                        range: name.range(),
                    });
                }
                // "Visual Studio 2017 (15.6+)": the release before the parenthesis is part of
                // the name.
                return run_back(text, open.trim_end().len(), BRIDGE, false)
                    .or_else(|| release_before(text, open.len()));
            }
            if head.ends_with(')') {
                let open = head.rfind('(')?;
                return run_back(text, open, BRIDGE, false);
            }
            None
        })
}

/// A name with its number, then its release and maybe a qualifier, right before a
/// parenthesis: "Windows 10 Version 1709, 64-bit (".
static RELEASE_BEFORE_BUILD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:[A-Z][\w.+-]*\s+){1,3}[0-9]{1,4}),?\s+(?i:version)\s+[0-9][0-9A-Za-z]*(?:,\s*[\w-]+)?\s*$")
        .expect("literal regex")
});

/// A level named by a product's release, right before that product: "the Active Directory
/// forest functional level is Windows Server 2012 R2 or higher" sets a floor on the level,
/// not on the servers.
static LEVEL_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b((?:(?:[A-Z][\w-]*|forest|domain)\s+){0,3}[Ff]unctional\s+[Ll]evel)(?:\s+of\s+[^,.;]{1,40}?)?\s+(?i:is|isn['’]t|must\s+be|should\s+be|be|to|at)\s+[*_]*$")
        .expect("literal regex")
});

/// The level a release names, when `product` (a release's product) stands right after
/// "... functional level is" (see [`LEVEL_BEFORE`]).
pub(super) fn level_named_by(text: &str, product: &Phrase) -> Option<Phrase> {
    let level = LEVEL_BEFORE
        .captures(&text[..product.range.start])?
        .get(1)?;
    Some(Phrase {
        name: level
            .as_str()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        range: level.range(),
    })
}

/// Editions of a product: "Windows 10 Professional and Enterprise Editions (version 1607 and
/// later)" names Windows 10, in two editions.
const EDITIONS: &[&str] = &[
    "professional",
    "pro",
    "enterprise",
    "editions",
    "edition",
    "home",
    "education",
    "standard",
    "datacenter",
    "ltsc",
    "ltsb",
    "iot",
];

/// The product whose editions `phrase` lists, when `phrase` is only edition words: the name
/// before them, past the editions and the words joining them.
pub(super) fn beyond_editions(text: &str, phrase: &Phrase) -> Option<Phrase> {
    let only_editions = phrase
        .name
        .split(' ')
        .all(|w| EDITIONS.contains(&w.to_lowercase().as_str()));
    if !only_editions {
        return None;
    }
    let mut start = phrase.range.start;
    while let Some(w) = words(&text[..start]).last().copied() {
        let lower = w.text.to_lowercase();
        let skippable = EDITIONS.contains(&lower.as_str()) || lower == "and" || lower == "or";
        if !skippable
            || !text[w.range.1..start]
                .chars()
                .all(|c| c.is_whitespace() || c == ',')
        {
            break;
        }
        start = w.range.0;
    }
    before(text, start)
}

/// A product whose name ends in its release number, right before a build of it ("Windows 10
/// 1809", "Windows 11, build 10.0.22621", "Windows 10 version 2004"): the number belongs to
/// the name only when a name stands before it and only a space, or a space or comma and the
/// word "build" or "version", after it.
fn release_before(text: &str, at: usize) -> Option<Phrase> {
    let all = words(&text[..at]);
    let mut end = at;
    let mut last = all.last().copied()?;
    if ["build", "version"].contains(&last.text.to_lowercase().as_str())
        && text[last.range.1..at] == *" "
    {
        let number = all.get(all.len().checked_sub(2)?).copied()?;
        if !matches!(&text[number.range.1..last.range.0], ", " | " ") {
            return None;
        }
        end = number.range.1;
        last = number;
    } else if text[last.range.1..at] != *" " {
        return None;
    }
    if !last.text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    run_back(text, end, &[], true).filter(|p| p.range.start < last.range.0)
}

/// The last product a sentence names: its last run of name words that names something on
/// its own ("You can use a local installation of the Azure CLI." -> "Azure CLI").
pub(super) fn last_named(text: &str) -> Option<Phrase> {
    let all = words(text);
    let last = all.iter().rposition(|w| {
        name_like(w.text)
            && w.text
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c == '.')
    })?;
    // The run that ends at the last capitalised name word, extended over trailing nouns.
    let mut end = last;
    while end + 1 < all.len()
        && NOUNS.contains(&all[end + 1].text.to_lowercase().as_str())
        && joined(text, all[end].range.1, all[end + 1].range.0)
    {
        end += 1;
    }
    run_back(text, all[end].range.1, &[], false).filter(Phrase::is_specific)
}

/// A tool written in lower case right before the word "version": "You must use `kubectl`
/// version 1.19 or later". Only when the word cannot be describing the version.
fn tool_before_version(text: &str, at: usize) -> Option<Phrase> {
    let all = words(&text[..at]);
    let n = all.len();
    let version = all.get(n.checked_sub(1)?)?;
    if !version.text.eq_ignore_ascii_case("version") || !joined(text, version.range.1, at) {
        return None;
    }
    let tool = all.get(n.checked_sub(2)?)?;
    let lower = tool.text.to_lowercase();
    let plain = tool
        .text
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
    if !plain
        || tool.text.len() < 3
        || DESCRIBING.contains(&lower.as_str())
        || NOT_NAMES.contains(&lower.as_str())
        || BRIDGE.contains(&lower.as_str())
        || NOT_PRODUCTS.contains(&lower.as_str())
        || !joined(text, tool.range.1, version.range.0)
    {
        return None;
    }
    phrase(vec![*tool])
}

/// The specific product a text names whose name ends in `noun`, the last such one before
/// byte `before`: what "the agent" refers to after "install the Azure Connected Machine
/// agent".
pub(super) fn ending_with(text: &str, noun: &str, before: usize) -> Option<Phrase> {
    let end = before.min(text.len());
    words(&text[..end])
        .iter()
        .rev()
        .filter(|w| w.text.eq_ignore_ascii_case(noun))
        .find_map(|w| run_back(text, w.range.1, &[], false).filter(|p| p.is_specific()))
}

/// The name at the start of a text, as a table's first cell gives it ("Azure Local
/// infrastructure*" -> "Azure Local").
pub(super) fn leading(text: &str) -> Option<Phrase> {
    let mut run: Vec<Word<'_>> = Vec::new();
    let mut end = 0;
    for w in words(text) {
        if !run.is_empty() && !joined(text, end, w.range.0) {
            break;
        }
        if !name_like(w.text) {
            break;
        }
        end = w.range.1;
        run.push(w);
    }
    phrase(run)
}

/// The subject of a verb at byte `at`: the name before it, skipping auxiliaries; numbers and
/// versions may be part of it ("SQL Server 2012", "TLS 1.0/1.1").
pub(super) fn subject_before(text: &str, at: usize) -> Option<Phrase> {
    run_back(text, at, AUXILIARIES, true)
}

/// Walks back from byte `at` over `bridge` words, then collects name words.
fn run_back(text: &str, at: usize, bridge: &[&str], numbers: bool) -> Option<Phrase> {
    let all = words(&text[..at]);
    let mut i = all.len();
    let mut boundary = at;
    while i > 0 {
        let w = all[i - 1];
        // "Azure CLI - Version 2.29.1", "Azure CLI — Version 2.86.0": a dash or colon may
        // stand between a name and the word "version".
        let dashed = text[w.range.1..boundary]
            .chars()
            .all(|c| c.is_whitespace() || "*_`-–—:,".contains(c));
        if boundary != at && !joined(text, w.range.1, boundary) && !dashed {
            return None;
        }
        if bridge.contains(&w.text.to_lowercase().as_str()) {
            boundary = w.range.0;
            i -= 1;
        } else {
            break;
        }
    }
    let mut run: Vec<Word<'_>> = Vec::new();
    let mut end = boundary;
    while i > 0 {
        let w = all[i - 1];
        let dashed = run.is_empty()
            && boundary != at
            && text[w.range.1..end]
                .chars()
                .all(|c| c.is_whitespace() || "*_`-–—:,".contains(c));
        if !joined(text, w.range.1, end) && !dashed {
            break;
        }
        let lower = w.text.to_lowercase();
        // "for" and "enabled by" join two parts of one name ("Microsoft Entra Connect Health
        // for AD FS", "Azure Container Storage enabled by Azure Arc").
        let joins = (lower == "for"
            || (lower == "by" && i > 1 && all[i - 2].text.eq_ignore_ascii_case("enabled"))
            || (lower == "enabled"
                && run
                    .first()
                    .is_some_and(|f| f.text.eq_ignore_ascii_case("by"))))
            && !run.is_empty()
            && i > 1
            && (name_like(all[i - 2].text) || all[i - 2].text.eq_ignore_ascii_case("enabled"));
        let number = numbers && w.text.chars().next().is_some_and(|c| c.is_ascii_digit());
        // A lower-case word between a name and its noun ("Azure Arc resource bridge"), or
        // after the name ("Azure Widget Service classic").
        let compound = i > 1
            && is_lowercase_word(w.text)
            && !NOT_NAMES.contains(&lower.as_str())
            && all[i - 2]
                .text
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
            && !NOT_NAMES.contains(&all[i - 2].text.to_lowercase().as_str())
            && joined(text, all[i - 2].range.1, w.range.0);
        if !(name_like(w.text) || joins || number || compound) {
            break;
        }
        run.insert(0, w);
        end = w.range.0;
        i -= 1;
    }
    while run
        .first()
        .is_some_and(|w| w.text.chars().next().is_some_and(|c| c.is_ascii_digit()))
    {
        run.remove(0);
    }
    phrase(run)
}

/// The object of a verb ending at byte `from`: the name after it, past "the", "support
/// for", "of" ("retiring Azure Kubernetes Service on VMware", "end of support for X").
pub(super) fn object_after(text: &str, from: usize) -> Option<Phrase> {
    let all = words(&text[from..]);
    let mut run: Vec<Word<'_>> = Vec::new();
    let mut end = from;
    for w in all {
        let absolute = Word {
            text: w.text,
            range: (from + w.range.0, from + w.range.1),
        };
        let lower = w.text.to_lowercase();
        if run.is_empty() {
            if ["the", "of", "for", "support", "a", "an", "your", "on", "to"]
                .contains(&lower.as_str())
            {
                end = absolute.range.1;
                continue;
            }
            if !w
                .text
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c == '.')
            {
                return None;
            }
        } else if !joined(text, end, absolute.range.0) {
            break;
        }
        let number = !run.is_empty() && w.text.chars().next().is_some_and(|c| c.is_ascii_digit());
        if !(name_like(w.text) || number) {
            break;
        }
        run.push(absolute);
        end = absolute.range.1;
    }
    phrase(run)
}

/// The product named after byte `from` by "of" or "for", for a version that no name stands
/// before: "version 2.1 or later of the workplace-join client" -> "workplace-join client";
/// "you need version 1.1.750.0 or later for Microsoft Entra Connect" -> "Microsoft Entra
/// Connect". (With a name before the version, "for" says what it is for, not whose it is.)
pub(super) fn after_of(text: &str, from: usize) -> Option<Phrase> {
    let all = words(&text[from..]);
    let mut iter = all.iter().peekable();
    // Within a few words: "or later of the X", "or higher of X".
    let mut seen = 0;
    while let Some(w) = iter.next() {
        seen += 1;
        if seen > 4 {
            return None;
        }
        if w.text.eq_ignore_ascii_case("of") || w.text.eq_ignore_ascii_case("for") {
            let mut run = Vec::new();
            let mut end = from + w.range.1;
            for next in iter.by_ref() {
                let absolute = Word {
                    text: next.text,
                    range: (from + next.range.0, from + next.range.1),
                };
                if !joined(text, end, absolute.range.0) {
                    break;
                }
                let lower = next.text.to_lowercase();
                if run.is_empty() && matches!(lower.as_str(), "the" | "a" | "an" | "your") {
                    end = absolute.range.1;
                    continue;
                }
                if !name_like(next.text) {
                    break;
                }
                run.push(absolute);
                end = absolute.range.1;
            }
            return phrase(run);
        }
    }
    None
}

/// The product phrase of a title or heading: its longest run of name words that is not the
/// opening word alone ("Hardening update to Microsoft Entra Connect Sync by April 30, 2025"
/// -> "Microsoft Entra Connect Sync"). When a second text (the page's first heading) is given,
/// the run the two share wins, cut to the words they share from its start.
pub(super) fn of_title(title: &str, heading: Option<&str>) -> Option<String> {
    let runs = |text: &str| -> Vec<String> {
        let all = words(text);
        let mut runs = Vec::new();
        let mut run: Vec<Word<'_>> = Vec::new();
        let mut last_end = 0;
        for (i, w) in all.iter().enumerate() {
            let continues = !run.is_empty() && joined(text, last_end, w.range.0);
            // "Azure Arc resource bridge": a lower-case word inside a name, before its noun.
            let compound = !run.is_empty()
                && is_lowercase_word(w.text)
                && all
                    .get(i + 1)
                    .is_some_and(|next| NOUNS.contains(&next.text.to_lowercase().as_str()));
            let opener = i == 0 && !w.text.chars().any(|c| c.is_ascii_digit() || c == '.');
            let capital_start = w
                .text
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c == '.');
            let usable = name_like(w.text) && !(opener && run.is_empty() && !starts_name(&all));
            let ok = (usable || compound) && (capital_start || !run.is_empty());
            if ok && (continues || run.is_empty()) {
                run.push(*w);
            } else {
                if let Some(p) = phrase(std::mem::take(&mut run)) {
                    runs.push(p.name);
                }
                if ok {
                    run.push(*w);
                }
            }
            last_end = w.range.1;
        }
        if let Some(p) = phrase(run) {
            runs.push(p.name);
        }
        runs
    };
    let title_runs = runs(title);
    if let Some(heading) = heading {
        let heading_runs = runs(heading);
        let mut shared: Vec<String> = Vec::new();
        for a in &title_runs {
            for b in &heading_runs {
                let common: Vec<&str> = a
                    .split(' ')
                    .zip(b.split(' '))
                    .take_while(|(x, y)| x.eq_ignore_ascii_case(y))
                    .map(|(x, _)| x)
                    .collect();
                if !common.is_empty() {
                    shared.push(common.join(" "));
                }
            }
        }
        if let Some(best) = longest(shared).filter(|b| b.contains(' ')) {
            return Some(best);
        }
    }
    longest(title_runs)
}

/// Whether a title starts with a name rather than a verb or noun of the sentence ("Azure Arc
/// overview" does, "Hardening update to ..." does not): the first two words are both names.
fn starts_name(all: &[Word<'_>]) -> bool {
    all.len() >= 2
        && all[..2].iter().all(|w| {
            w.text.chars().next().is_some_and(char::is_uppercase)
                && !NOT_NAMES.contains(&w.text.to_lowercase().as_str())
        })
}

/// The longest of some names (most words, then most characters; ties by text).
fn longest(names: Vec<String>) -> Option<String> {
    names
        .into_iter()
        .max_by(|a, b| (a.split(' ').count(), a.len(), b).cmp(&(b.split(' ').count(), b.len(), a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_before_versions() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            (
                "You must use kubectl version 1.19 or later.",
                "1.19",
                Some("kubectl"),
            ),
            ("Use the latest version 1.19 or later.", "1.19", None),
            (
                "You need Azure CLI version 2.61.0 or higher",
                "2.61.0",
                Some("Azure CLI"),
            ),
            (
                "requires the Visual C++ Redist 14 runtime",
                "14",
                Some("Visual C++ Redist"),
            ),
            (
                "Ensure that the version of Microsoft Entra Connect is 1.1.553.0 or higher",
                "1.1.553.0",
                Some("Microsoft Entra Connect"),
            ),
            (
                "From this version forward, Azure CLI version needs to be 2.70.0 or higher.",
                "2.70.0",
                Some("Azure CLI"),
            ),
            (
                "You need an SCVMM management server running version 2019 or later.",
                "2019",
                Some("SCVMM management server"),
            ),
            (
                "The minimum .NET Framework version required is 4.6.2",
                "4.6.2",
                Some(".NET Framework"),
            ),
            (
                "Kubernetes cluster (Kubernetes 1.29 or later)",
                "1.29",
                Some("Kubernetes"),
            ),
            (
                "Microsoft Entra Connect Health for Sync requires Microsoft Entra Connect Sync V2.",
                "V2",
                Some("Microsoft Entra Connect Sync"),
            ),
            ("upgrade to 2.4.18.0 by April 30", "2.4.18.0", None),
            ("requires port 443", "443", None),
            (
                "the Connected Machine agent versions below 1.41 stop working",
                "1.41",
                Some("Connected Machine agent"),
            ),
        ];
        for &(text, version, expected) in cases {
            let at = text.find(version).expect("version in text");
            assert_eq!(
                before(text, at).map(|p| p.name).as_deref(),
                expected,
                "{text}"
            );
        }
    }

    #[test]
    fn generic_nouns_find_their_name() {
        let text = "Install the Azure Connected Machine agent to connect. Use agent version 1.34.";
        let at = text.find("agent version").expect("noun");
        assert_eq!(
            ending_with(text, "agent", at).map(|p| p.name).as_deref(),
            Some("Azure Connected Machine agent")
        );
        assert_eq!(ending_with(text, "agent", 5), None);
    }

    #[test]
    fn names_after_of() {
        let text =
            "This capability needs you to use version 2.1 or later of the workplace-join client.";
        let from = text.find("2.1").expect("version") + 3;
        assert_eq!(
            after_of(text, from).map(|p| p.name).as_deref(),
            Some("workplace-join client")
        );
        assert_eq!(after_of("2.1 or later. Of course", 3), None);
        let text = "you need version 1.1.750.0 or later for Microsoft Entra Connect and 1.5.193.0 or later for the Pass-through Authentication Agent.";
        for (version, name) in [
            ("1.1.750.0", "Microsoft Entra Connect"),
            ("1.5.193.0", "Pass-through Authentication Agent"),
        ] {
            let from = text.find(version).expect("version") + version.len();
            assert_eq!(after_of(text, from).map(|p| p.name).as_deref(), Some(name));
        }
        assert_eq!(after_of("1.2 or later for all connections", 3), None);
    }

    #[test]
    fn title_phrases() {
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            (
                "Hardening update to Microsoft Entra Connect Sync AD FS and PingFederate configuration",
                Some("Hardening update to Microsoft Entra Connect Sync by April 30, 2025"),
                Some("Microsoft Entra Connect Sync"),
            ),
            (
                "Introduction to Microsoft Entra Connect V2",
                None,
                Some("Microsoft Entra Connect V2"),
            ),
            (
                "Azure Arc resource bridge release notes",
                None,
                Some("Azure Arc resource bridge"),
            ),
            ("What's new", None, None),
        ];
        for &(title, heading, expected) in cases {
            assert_eq!(of_title(title, heading).as_deref(), expected, "{title}");
        }
    }

    #[test]
    fn words_keep_name_characters() {
        let got: Vec<&str> = words("Use .NET 4.7.2, C++ and k8s-extension (v1.2).")
            .iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(
            got,
            [
                "Use",
                ".NET",
                "4.7.2",
                "C++",
                "and",
                "k8s-extension",
                "v1.2"
            ]
        );
    }
}
