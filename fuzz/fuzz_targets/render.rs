//! Arbitrary bytes as a notice, through everything a notice goes through on its own:
//! decoding, frontmatter, Markdown with the DocFX extensions and includes, sanitising, and
//! extraction of requirements and dates.
#![no_main]

use std::collections::HashMap;

use bulletin::catalog::Catalog;
use bulletin::config::SiteConfig;
use bulletin::load::decode::{Decoded, decode};
use bulletin::load::{SourceFiles, frontmatter, identity};
use bulletin::markdown::{self, RenderContext, links::PageIndex};
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
    let notices = [notice];
    let (advisories, _) = identity::group(&notices, "");
    let pages = PageIndex::new(&notices, &advisories);
    let files: HashMap<&str, &Notice> = notices
        .iter()
        .chain([&fragment])
        .map(|n| (n.path.as_str(), n))
        .collect();
    let config = SiteConfig::default();
    let sources = SourceFiles::default();
    let cx = RenderContext {
        config: &config,
        pages: &pages,
        files: &files,
        sources: &sources,
        pivot_groups: &[],
    };
    let rendered = markdown::render(&notices[0], cx);
    let _ = bulletin::extract::extract(&notices[0], &rendered.blocks, &Catalog::default());
});
