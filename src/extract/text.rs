//! Sentences: the unit a date's meaning and a requirement's deadline are read from.

use std::ops::Range;

/// Splits text into sentences (byte ranges): a sentence ends at `.`, `!` or `?` followed by
/// whitespace and a capital letter, a digit or markup, or at the end. Dots inside version
/// numbers (`2.4.18.0`) and abbreviations followed by a lower-case word do not end one.
pub(super) fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if matches!(bytes[i], b'.' | b'!' | b'?') {
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b'*' | b'_' | b')' | b'"') {
                j += 1;
            }
            let space_end = text[j..]
                .find(|c: char| !c.is_whitespace())
                .map_or(text.len(), |k| j + k);
            let next = text[space_end..].chars().next();
            let ends = space_end > j
                && next
                    .is_none_or(|c| c.is_uppercase() || c.is_ascii_digit() || "*_[(\"".contains(c));
            if ends || j == bytes.len() {
                push(text, start..j, &mut out);
                start = space_end;
                i = space_end;
                continue;
            }
        }
        i += 1;
    }
    push(text, start..text.len(), &mut out);
    out
}

fn push(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if range.end - trail > range.start + lead {
        out.push(range.start + lead..range.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn sentences_split_like_prose() {
        assert_eq!(
            split(
                "In October 2024, we released 2.4.18.0. All customers must upgrade by April 30, 2025."
            ),
            [
                "In October 2024, we released 2.4.18.0.",
                "All customers must upgrade by April 30, 2025."
            ]
        );
        assert_eq!(
            split(
                "Version 2.3.20.0 is a security update. With this update, TLS 1.2 is required.  "
            ),
            [
                "Version 2.3.20.0 is a security update.",
                "With this update, TLS 1.2 is required."
            ]
        );
        assert_eq!(
            split("Retired on 31 August, 2022.__** For the time being, e.g. this."),
            [
                "Retired on 31 August, 2022.__**",
                "For the time being, e.g. this."
            ]
        );
        assert_eq!(split(""), Vec::<&str>::new());
        assert_eq!(split("No full stop"), ["No full stop"]);
    }
}
