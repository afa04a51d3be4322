//! The one change made to a body's text before it is parsed: DocFX block directives start
//! blocks of their own.
//!
//! DocFX lets a `:::image` line, an `[!INCLUDE]` line or a `> [!NOTE]` continue a paragraph
//! or a quote and still starts a new block there; CommonMark would read the line as more of
//! the paragraph. So blank lines (carrying the line's `>` markers) go around such lines, and
//! an alert that continues a quote starts a quote of its own. Inline includes
//! (`text [!INCLUDE [t](p)] text`) become links the renderer recognises, an `:::image`
//! inside a sentence a Markdown image, and `:::no-loc text="x":::` its text. Only whole lines are added, so each line of the result
//! maps back to a line of the file; nothing inside fenced code changes.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::docfx::{self, Container, LineDirective};

/// The scheme of the links inline includes are rewritten to.
pub const INCLUDE_SCHEME: &str = "bulletin-include:";

/// A body ready to parse, and how its lines map back to the file's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared<'a> {
    /// The text to parse.
    pub text: Cow<'a, str>,
    /// The 1-based lines of `text` that were added, ascending.
    added: Vec<u32>,
}

impl Prepared<'_> {
    /// The line of the original body that line `line` of `text` is (an added line counts as
    /// the line after it).
    pub fn source_line(&self, line: u32) -> u32 {
        let before = self.added.partition_point(|&added| added < line);
        line - u32::try_from(before).unwrap_or(u32::MAX).min(line - 1)
    }
}

static ALERT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\[!(note|tip|important|warning|caution|div|video)\b").expect("valid regex")
});
static INLINE_INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\[!INCLUDE\s*\[([^\]]*)\]\(\s*<?([^)>\s]+)>?\s*\)\s*\]").expect("valid regex")
});
static INLINE_IMAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i):::image\s+([^:]*?):::").expect("valid regex"));
static NO_LOC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i):::no-loc\s+text\s*=\s*"([^"]*)"\s*:::"#).expect("valid regex")
});

/// A line split into its container markers (`>`s and indentation) and its content.
struct Line<'a> {
    /// How many `>` markers it starts with.
    quotes: usize,
    /// What follows the markers and indentation.
    content: &'a str,
}

fn split_line(line: &str) -> Line<'_> {
    let mut quotes = 0;
    let mut rest = line.trim_end_matches(['\n', '\r']);
    loop {
        let trimmed = rest.trim_start_matches([' ', '\t']);
        match trimmed.strip_prefix('>') {
            Some(after) => {
                quotes += 1;
                rest = after;
            }
            None => {
                return Line {
                    quotes,
                    content: trimmed,
                };
            }
        }
    }
}

/// An open code fence: its character and length.
type Fence = (char, usize);

fn fence_of(content: &str) -> Option<Fence> {
    let c = content.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let count = content.chars().take_while(|&x| x == c).count();
    (count >= 3).then_some((c, count))
}

/// Prepares `body` for parsing.
pub fn prepare(body: &str) -> Prepared<'_> {
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut added: Vec<u32> = Vec::new();
    let mut changed = false;
    let mut fence: Option<Fence> = None;
    let mut written: u32 = 0;
    let mut i = 0;
    let push = |out: &mut String, text: &str, written: &mut u32| {
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
        *written += 1;
    };
    while i < lines.len() {
        let raw = lines[i];
        let line = split_line(raw);
        if let Some((c, count)) = fence {
            if fence_of(line.content).is_some_and(|(d, n)| d == c && n >= count)
                && line.content.trim_start_matches(c).trim().is_empty()
            {
                fence = None;
            }
            push(&mut out, raw, &mut written);
            i += 1;
            continue;
        }
        if let Some(opened) = fence_of(line.content) {
            fence = Some(opened);
            push(&mut out, raw, &mut written);
            i += 1;
            continue;
        }
        let previous_blank = i == 0 || split_line(lines[i - 1]).content.is_empty();
        if line.quotes > 0 && ALERT.is_match(line.content) && i > 0 {
            let previous = split_line(lines[i - 1]);
            // An alert continuing a quote starts one of its own: end the quote it is in.
            if previous.quotes >= line.quotes {
                let blank = ">".repeat(line.quotes - 1);
                push(&mut out, &blank, &mut written);
                added.push(written);
                changed = true;
            }
            push(&mut out, raw, &mut written);
            i += 1;
            continue;
        }
        if docfx::starts_block_directive(line.content) {
            // A `:::` directive whose attributes wrap goes on to the line that closes it.
            let mut last = i;
            if docfx::directive_continues(line.content) {
                while last + 1 < lines.len()
                    && last < i + 8
                    && !split_line(lines[last]).content.trim_end().ends_with(":::")
                    && !split_line(lines[last + 1]).content.is_empty()
                {
                    last += 1;
                }
            }
            let blank = ">".repeat(line.quotes);
            if !previous_blank {
                push(&mut out, &blank, &mut written);
                added.push(written);
                changed = true;
            }
            for raw in &lines[i..=last] {
                push(&mut out, raw, &mut written);
            }
            let next_blank = lines
                .get(last + 1)
                .is_none_or(|next| split_line(next).content.is_empty());
            if !next_blank {
                push(&mut out, &blank, &mut written);
                added.push(written);
                changed = true;
            }
            i = last + 1;
            continue;
        }
        if let Some(delimiter) = i
            .checked_sub(1)
            .and_then(|h| matched_delimiter(split_line(lines[h]), &line, raw))
        {
            changed = true;
            push(&mut out, &delimiter, &mut written);
            i += 1;
            continue;
        }
        match rewrite_inline(raw) {
            Cow::Owned(rewritten) => {
                changed = true;
                push(&mut out, &rewritten, &mut written);
            }
            Cow::Borrowed(raw) => push(&mut out, raw, &mut written),
        }
        i += 1;
    }
    if !changed {
        return Prepared {
            text: Cow::Borrowed(body),
            added: Vec::new(),
        };
    }
    if !body.ends_with('\n') && out.ends_with('\n') {
        out.pop();
    }
    Prepared {
        text: Cow::Owned(out),
        added,
    }
}

/// A table's delimiter row (`|---|:--:|`).
static DELIMITER_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$").expect("valid regex")
});

/// The cells of a table row: its unescaped pipes, less the ones that open or close it.
fn cell_count(row: &str) -> usize {
    let row = row.trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = row
        .strip_suffix('|')
        .filter(|r| !r.ends_with('\\'))
        .unwrap_or(row);
    let mut count = 1;
    let mut escaped = false;
    for c in row.chars() {
        if c == '\\' {
            escaped = !escaped;
            continue;
        }
        if c == '|' && !escaped {
            count += 1;
        }
        escaped = false;
    }
    count
}

/// A delimiter row with as many cells as the header row above it, when the two disagree
/// (`| a | b |` over `|---|---|---|`). CommonMark's tables need them to agree and read the
/// lines as a paragraph otherwise; DocFX (Markdig) makes the table, so Learn shows one.
fn matched_delimiter(header: Line<'_>, line: &Line<'_>, raw: &str) -> Option<String> {
    // Without a pipe, `---` under a line is a heading's underline, not a delimiter row.
    if header.quotes != line.quotes
        || !header.content.contains('|')
        || !line.content.contains('|')
        || DELIMITER_ROW.is_match(header.content)
        || !DELIMITER_ROW.is_match(line.content)
    {
        return None;
    }
    let cells = cell_count(header.content);
    if cells == cell_count(line.content) {
        return None;
    }
    let prefix = raw.find(line.content).map_or("", |at| &raw[..at]);
    Some(format!("{prefix}|{}", "---|".repeat(cells)))
}

fn whole_str<'l>(line: &'l str, range: &std::ops::Range<usize>) -> &'l str {
    line.get(range.clone()).unwrap_or_default()
}

/// Rewrites inline includes, inline `:::image`s and `:::no-loc` outside code spans.
fn rewrite_inline(line: &str) -> Cow<'_, str> {
    if !line.contains("[!") && !line.contains(":::") {
        return Cow::Borrowed(line);
    }
    let outside_code = |at: usize| line[..at].matches('`').count().is_multiple_of(2);
    let mut result = String::new();
    let mut last = 0;
    let mut changed = false;
    let mut matches: Vec<(usize, usize, String)> = Vec::new();
    for caps in INLINE_INCLUDE.captures_iter(line) {
        let whole = caps.get(0).map_or(0..0, |m| m.range());
        if outside_code(whole.start) {
            let title = caps[1].replace(['[', ']'], "");
            matches.push((
                whole.start,
                whole.end,
                format!("[{title}](<{INCLUDE_SCHEME}{}>)", &caps[2]),
            ));
        }
    }
    for caps in INLINE_IMAGE.captures_iter(line) {
        let whole = caps.get(0).map_or(0..0, |m| m.range());
        let directives = docfx::line_directives(whole_str(line, &whole)).unwrap_or_default();
        if let [LineDirective::Image(image) | LineDirective::Open(Container::Image(image))] =
            directives.as_slice()
            && outside_code(whole.start)
        {
            let alt = image.alt.replace(['[', ']'], "");
            matches.push((
                whole.start,
                whole.end,
                format!("![{alt}](<{}>)", image.source),
            ));
        }
    }
    for caps in NO_LOC.captures_iter(line) {
        let whole = caps.get(0).map_or(0..0, |m| m.range());
        if outside_code(whole.start) {
            matches.push((whole.start, whole.end, caps[1].to_string()));
        }
    }
    matches.sort();
    for (start, end, replacement) in matches {
        if start < last {
            continue;
        }
        result.push_str(&line[last..start]);
        result.push_str(&replacement);
        last = end;
        changed = true;
    }
    if !changed {
        return Cow::Borrowed(line);
    }
    result.push_str(&line[last..]);
    Cow::Owned(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_directives_that_continue_a_paragraph_start_their_own() {
        let body = "1. Select **Add**.\n   :::image type=\"content\" source=\"a.png\" alt-text=\"A.\":::\n   Adding this allows it.\n\n> [!IMPORTANT]\n> If you are migrating.\n>[!NOTE]\n>If you deploy.\n> > Quoted.\n> > [!TIP]\n> > Inner tip.\n\nText\n[!INCLUDE [x](includes/x.md)]\n```\n:::image type=\"content\" source=\"b.png\":::\n```\n";
        let prepared = prepare(body);
        assert_eq!(
            prepared.text,
            "1. Select **Add**.\n\n   :::image type=\"content\" source=\"a.png\" alt-text=\"A.\":::\n\n   Adding this allows it.\n\n> [!IMPORTANT]\n> If you are migrating.\n\n>[!NOTE]\n>If you deploy.\n> > Quoted.\n>\n> > [!TIP]\n> > Inner tip.\n\nText\n\n[!INCLUDE [x](includes/x.md)]\n\n```\n:::image type=\"content\" source=\"b.png\":::\n```\n"
        );
        let lines: Vec<u32> = (1..=prepared.text.lines().count() as u32)
            .map(|l| prepared.source_line(l))
            .collect();
        assert_eq!(
            lines,
            [
                1, 2, 2, 3, 3, 4, 5, 6, 7, 7, 8, 9, 10, 10, 11, 12, 13, 14, 14, 15, 15, 16, 17
            ]
        );
    }

    #[test]
    fn wrapped_directives_and_inline_constructs() {
        let body = "See\n:::image type=\"content\" source=\"a.png\" alt-text=\"A long\ndescription.\":::\nAfter, the [!INCLUDE [azdata](./includes/azdata.md)] tool and :::no-loc text=\"Contoso\"::: but `[!INCLUDE [x](y.md)]` stays.\n";
        assert_eq!(
            prepare(body).text,
            "See\n\n:::image type=\"content\" source=\"a.png\" alt-text=\"A long\ndescription.\":::\n\nAfter, the [azdata](<bulletin-include:./includes/azdata.md>) tool and Contoso but `[!INCLUDE [x](y.md)]` stays.\n"
        );
    }

    #[test]
    fn a_delimiter_row_takes_its_header_s_cell_count() {
        let body = "| a | b \\| c |\n|---|---|---|\n| 1 | 2 |\n\n> | x | y | z |\n> |--|\n\n| p | q |\n|:--|--:|\n\nA | B\n---\n";
        let prepared = prepare(body);
        assert_eq!(
            prepared.text,
            "| a | b \\| c |\n|---|---|\n| 1 | 2 |\n\n> | x | y | z |\n> |---|---|---|\n\n| p | q |\n|:--|--:|\n\nA | B\n---\n"
        );
        assert_eq!(prepared.source_line(2), 2);
        assert_eq!(cell_count("|a|b|"), 2);
        assert_eq!(cell_count("a | b | c"), 3);
    }

    #[test]
    fn bodies_without_directives_are_borrowed() {
        let body = "# Title\n\nText with a [link](x.md).\n\n> [!NOTE]\n> A note.\n";
        assert!(matches!(prepare(body).text, Cow::Borrowed(_)));
    }
}
