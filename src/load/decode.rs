//! Bytes to clean text: encodings, BOMs, line endings and mojibake.
//!
//! Vendor notices arrive through mail clients, CMS exports and copy-paste, so a file may be
//! UTF-16, Windows-1252, carry a BOM or CRLF endings, or hold UTF-8 that was once decoded as
//! Windows-1252 and saved again (`arenâ€™t`). Everything downstream sees plain `\n`-separated
//! UTF-8 and never has to care.

use std::ops::Range;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// What decoding had to do to the bytes, so the caller can warn about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// Clean text.
    Text {
        /// The text.
        text: String,
        /// The encoding the bytes were in when it was not UTF-8 (e.g. `UTF-16LE`).
        reencoded_from: Option<&'static str>,
        /// How many mojibake sequences were repaired, and where the first repaired character
        /// is in `text` (a byte range).
        repaired: Option<(usize, Range<usize>)>,
    },
    /// The file holds binary data (NUL bytes outside a UTF-16 text).
    Binary,
}

/// Decodes a file's bytes into normalised text.
pub fn decode(bytes: &[u8]) -> Decoded {
    let (text, reencoded_from) = match Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => {
            let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
            let name = (encoding != UTF_8).then(|| encoding.name());
            (text.into_owned(), name)
        }
        None if bytes.contains(&0) => return Decoded::Binary,
        None => match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_string(), None),
            // Not UTF-8 and no BOM: Windows-1252 is what such files nearly always are, and it
            // is a superset of Latin-1's printable range.
            Err(_) => {
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                (text.into_owned(), Some(WINDOWS_1252.name()))
            }
        },
    };
    if text.contains('\0') {
        return Decoded::Binary;
    }
    let text = normalize_line_endings(text);
    let (text, repaired) = repair_mojibake(&text);
    Decoded::Text {
        text,
        reencoded_from,
        repaired,
    }
}

fn normalize_line_endings(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// Undoes UTF-8 that was decoded as Windows-1252: runs of characters that each map to one
/// Windows-1252 byte are re-encoded, and every complete multi-byte UTF-8 sequence among
/// those bytes is put back as the character it was. Lone Latin-1 letters (`café`) are not
/// valid UTF-8 sequences and stay as they are.
///
/// Returns the text and, when anything was repaired, the count and the byte range of the
/// first repaired character in the text returned.
pub fn repair_mojibake(text: &str) -> (String, Option<(usize, Range<usize>)>) {
    if text.is_ascii() {
        return (text.to_string(), None);
    }
    let mut out = String::with_capacity(text.len());
    let mut repairs = 0usize;
    let mut first = None;
    let mut run: Vec<(char, u8)> = Vec::new();
    for c in text.chars().chain(std::iter::once('\n')) {
        match cp1252_byte(c) {
            Some(byte) => run.push((c, byte)),
            None => {
                let (fixed, at) = repair_run(&run, &mut out);
                repairs += fixed;
                if first.is_none() {
                    first = at;
                }
                run.clear();
                out.push(c);
            }
        }
    }
    out.pop();
    (out, first.map(|at| (repairs, at)))
}

/// The single Windows-1252 byte (0x80..=0xFF) that encodes `c`, if there is one.
fn cp1252_byte(c: char) -> Option<u8> {
    if c.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 4];
    let (bytes, _, had_errors) = WINDOWS_1252.encode(c.encode_utf8(&mut buf));
    match (&*bytes, had_errors) {
        ([byte], false) => Some(*byte),
        // WHATWG's Windows-1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D to the C1 controls.
        _ if ('\u{80}'..='\u{9f}').contains(&c) => Some(c as u32 as u8),
        _ => None,
    }
}

/// Appends the run to `out`, replacing each valid multi-byte UTF-8 sequence; returns how many,
/// and where the first replacement is in `out`.
fn repair_run(run: &[(char, u8)], out: &mut String) -> (usize, Option<Range<usize>>) {
    let mut fixed = 0;
    let mut first = None;
    let mut i = 0;
    while i < run.len() {
        let len = utf8_sequence_len(run[i].1);
        if len > 1 && i + len <= run.len() {
            let bytes: Vec<u8> = run[i..i + len].iter().map(|&(_, b)| b).collect();
            if let Ok(s) = std::str::from_utf8(&bytes) {
                first.get_or_insert(out.len()..out.len() + s.len());
                out.push_str(s);
                fixed += 1;
                i += len;
                continue;
            }
        }
        out.push(run[i].0);
        i += 1;
    }
    (fixed, first)
}

fn utf8_sequence_len(lead: u8) -> usize {
    match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        match decode(bytes) {
            Decoded::Text { text, .. } => text,
            Decoded::Binary => panic!("decoded as binary"),
        }
    }

    #[test]
    fn repairs_the_mojibake_the_seeds_carry() {
        let cases = [
            ("If you arenâ€™t yet eligible", "If you aren’t yet eligible"),
            (
                "from the cloud â€“ and it upgrades",
                "from the cloud – and it upgrades",
            ),
            ("canâ€™t switch", "can’t switch"),
            ("cafÃ©", "café"),
        ];
        for (damaged, clean) in cases {
            let (fixed, report) = repair_mojibake(damaged);
            assert_eq!(fixed, clean);
            let (count, at) = report.expect("a repair");
            assert_eq!(count, 1);
            let repaired = clean.chars().find(|c| !c.is_ascii()).expect("one");
            assert_eq!(&fixed[at], repaired.to_string());
        }
    }

    #[test]
    fn leaves_honest_text_alone() {
        for honest in [
            "café",
            "naïve résumé",
            "It’s – fine “quoted”",
            "Größe 5 €",
            "日本語",
        ] {
            assert_eq!(repair_mojibake(honest), (honest.to_string(), None));
        }
    }

    #[test]
    fn reports_the_first_damaged_character() {
        let (fixed, report) = repair_mojibake("ok\nstill ok\nisnâ€™t\nwonâ€™t");
        let (count, at) = report.expect("repairs");
        assert_eq!(count, 2);
        assert_eq!(at.start, "ok\nstill ok\nisn".len());
        assert_eq!(&fixed[at], "’");
    }

    #[test]
    fn decodes_boms_crlf_and_legacy_encodings() {
        assert_eq!(text(b"\xEF\xBB\xBF---\r\ntitle: x\r\n"), "---\ntitle: x\n");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Caf\u{e9}\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(
            decode(&utf16),
            Decoded::Text {
                text: "Café\n".into(),
                reencoded_from: Some("UTF-16LE"),
                repaired: None
            }
        );
        assert_eq!(
            decode(b"Caf\xE9 \x93quoted\x94"),
            Decoded::Text {
                text: "Café “quoted”".into(),
                reencoded_from: Some("windows-1252"),
                repaired: None
            }
        );
    }

    #[test]
    fn binary_is_recognised() {
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Decoded::Binary);
    }
}
