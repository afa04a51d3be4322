//! Arbitrary bytes as a notice, through everything a notice goes through on its own:
//! decoding, frontmatter, Markdown with the DocFX extensions and includes, sanitising, and
//! extraction of requirements and dates.
#![no_main]

use bulletin::catalog::Catalog;
use bulletin::load::decode::{Decoded, decode};
use bulletin::load::frontmatter;
use bulletin::markdown;
use bulletin::model::{ContentPath, Notice};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Decoded::Text { text, .. } = decode(bytes) else {
        return;
    };
    let path = ContentPath("docs/fuzz.md".into());
    let Ok(split) = frontmatter::split(&path, &text) else {
        return;
    };
    let notice = Notice {
        path,
        has_frontmatter: split.front.is_some(),
        front: split.front.unwrap_or_default(),
        body_start: split.body_start,
        body_line: split.body_line,
        source: text.clone(),
    };
    // The notice can include itself, under its own path and as a fragment.
    let mut fragment = notice.clone();
    fragment.path = ContentPath("docs/includes/fuzz.md".into());
    markdown::with_lone_notice(&notice, &[fragment], |cx| {
        let rendered = markdown::render(&notice, cx);
        let _ = bulletin::extract::extract(&notice, &rendered.blocks, &Catalog::default());
    });
});
