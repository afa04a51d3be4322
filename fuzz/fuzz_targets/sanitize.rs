//! Arbitrary HTML through the sanitiser: no script element survives, and flattening bounds
//! the nesting.
#![no_main]

use bulletin::config::SiteConfig;
use bulletin::markdown::sanitize::{MAX_DEPTH, clean, nesting};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|html: &str| {
    let flat = nesting::flatten(html, MAX_DEPTH);
    assert!(
        nesting::deepest(&flat) <= MAX_DEPTH,
        "flattening bounds the depth"
    );
    let out = clean(html, &SiteConfig::default())
        .html
        .to_ascii_lowercase();
    assert!(!out.contains("<script"), "{out}");
});
