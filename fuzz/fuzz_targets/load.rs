//! Arbitrary bytes as a notice file: decoding, then splitting off the frontmatter.
#![no_main]

use bulletin::load::decode::{Decoded, decode};
use bulletin::load::frontmatter::split;
use bulletin::model::ContentPath;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Decoded::Text { text, .. } = decode(bytes) {
        assert!(!text.contains('\r'), "line endings are normalised");
        let _ = split(&ContentPath("fuzz.md".into()), &text);
    }
});
