//! Assets: which files under `content/` may be copied to the site as they are.
//!
//! An asset is served from the site's own origin, so a file a browser runs as a page (HTML,
//! XML, JavaScript, or an SVG that carries script) would run with the site's authority,
//! outside the pages' Content-Security-Policy. Such files are skipped with a warning; every
//! other asset is copied byte for byte.

use std::path::Path;
use std::sync::LazyLock;

use regex::bytes::Regex;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::ContentPath;

/// Extensions a browser opens as an active document or runs as script, in lower case.
const ACTIVE_EXTENSIONS: &[&str] = &[
    "htm", "html", "shtml", "xht", "xhtml", "mht", "mhtml", "xml", "xsl", "xslt", "js", "mjs",
    "swf", "svgz",
];

/// What in an SVG can run script or pull in a document: script and event handlers, embedded
/// players and frames, animation that can rewrite attributes, `javascript:` anywhere, and
/// entity declarations that could hide any of these.
static ACTIVE_SVG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r#"(?i-u)<\s*(?:[a-z0-9_-]+:)?(?:script|iframe|embed|object|handler|listener|set|animate|animatemotion|animatetransform)\b"#,
        r#"|\son[a-z]+\s*=|<!entity|javascript:"#,
    ))
    .expect("valid regex")
});

/// Every `href` (and `xlink:href`) value, which must stay inside the drawing.
static HREF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i-u)href\s*=\s*["']?\s*([^"'\s>]*)"#).expect("valid regex"));

/// Embedded raster images, which an SVG may carry as `data:` URLs and which cannot run.
const RASTER_DATA_URLS: &[&[u8]] = &[
    b"data:image/png;",
    b"data:image/jpeg;",
    b"data:image/gif;",
    b"data:image/webp;",
];

/// `None` when the asset at `real` (known to the site as `path`) may be copied; otherwise the
/// diagnostic that says why it is skipped.
pub fn check(path: &ContentPath, real: &Path) -> Option<Diagnostic> {
    let extension = path
        .file_name()
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    if ACTIVE_EXTENSIONS.contains(&extension.as_str()) {
        return Some(skipped(
            path,
            &format!(
                "a `.{extension}` file would run as a page of the site, with its authority; it was not copied"
            ),
            "link to it on the vendor's site, or zip it",
        ));
    }
    let unreadable = |e: std::io::Error| {
        Diagnostic::new(
            Code::Unreadable,
            path.site_path(),
            format!(
                "cannot read this file: {}",
                crate::diagnostic::io_reason(&e)
            ),
        )
    };
    if extension != "svg" {
        return std::fs::File::open(real).err().map(unreadable);
    }
    let bytes = match std::fs::read(real) {
        Ok(bytes) => bytes,
        Err(e) => return Some(unreadable(e)),
    };
    if !is_passive_svg(&bytes) {
        return Some(skipped(
            path,
            "this SVG carries script, event handlers, animation or links out of the drawing, which would run with the site's authority when it is opened; it was not copied",
            "export it again as a plain drawing",
        ));
    }
    None
}

/// Whether an SVG is a plain drawing: UTF-8 (the only encoding checked), nothing that
/// `ACTIVE_SVG` matches, and links only to its own fragments or to embedded raster images.
pub fn is_passive_svg(bytes: &[u8]) -> bool {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(text).is_ok()
        && !ACTIVE_SVG.is_match(text)
        && HREF.captures_iter(text).all(|caps| {
            let value = caps.get(1).map_or(&b""[..], |m| m.as_bytes());
            value.is_empty()
                || value.starts_with(b"#")
                || RASTER_DATA_URLS.iter().any(|prefix| {
                    value.len() >= prefix.len()
                        && value[..prefix.len()].eq_ignore_ascii_case(prefix)
                })
        })
}

fn skipped(path: &ContentPath, message: &str, hint: &str) -> Diagnostic {
    Diagnostic::new(Code::ActiveAsset, path.site_path(), message).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_drawings_pass() {
        for svg in [
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#123"/></svg>"##,
            r##"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><path id="p" d="M0 0"/></defs><use xlink:href="#p"/><text>onion = 3</text></svg>"##,
            r##"<svg><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">Label</div></foreignObject><image href="data:image/png;base64,iVBORw0KGgo="/></svg>"##,
        ] {
            assert!(is_passive_svg(svg.as_bytes()), "{svg}");
        }
    }

    #[test]
    fn anything_that_can_run_is_caught() {
        for svg in [
            "<svg><script>alert(1)</script></svg>",
            "<svg><SCRIPT >alert(1)</SCRIPT></svg>",
            "<svg><svg:script>alert(1)</svg:script></svg>",
            "<svg onload=alert(1)></svg>",
            "<svg><rect\nONCLICK = 'x'/></svg>",
            "<svg><a href='https://evil.example'><text>x</text></a></svg>",
            "<svg><a xlink:href=\"&#106;avascript:alert(1)\">x</a></svg>",
            "<svg><image href=\"data:image/svg+xml;base64,PHN2Zz4=\"/></svg>",
            "<svg><foreignObject><iframe src=x></iframe></foreignObject></svg>",
            "<svg><foreignObject><a href=\"https://evil.example\">x</a></foreignObject></svg>",
            "<svg><set attributeName=\"onmouseover\" to=\"alert(1)\"/></svg>",
            "<svg><animate attributeName=\"href\" values=\"&#106;avascript:alert(1)\"/></svg>",
            "<?xml-stylesheet href=\"evil.xsl\" type=\"text/xsl\"?><svg/>",
            "<!DOCTYPE svg [<!ENTITY x \"&#60;script&#62;\">]><svg>&x;</svg>",
            "<svg><style>@import url(javascript:alert(1))</style></svg>",
        ] {
            assert!(!is_passive_svg(svg.as_bytes()), "{svg}");
        }
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<svg/>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert!(
            !is_passive_svg(&utf16),
            "an SVG that is not UTF-8 is not checked"
        );
    }

    #[test]
    fn active_extensions_are_skipped_whatever_their_case() {
        let dir = tempfile::tempdir().expect("temp dir");
        for name in ["page.HTML", "x.js", "feed.xml", "a.svgz"] {
            let file = dir.path().join(name);
            std::fs::write(&file, "<p>x</p>").expect("write");
            let skipped = check(&ContentPath(name.into()), &file).expect("skipped");
            assert_eq!(skipped.code, Code::ActiveAsset);
        }
        let png = dir.path().join("a.png");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\n<script>").expect("write");
        assert_eq!(check(&ContentPath("a.png".into()), &png), None);
    }
}
