//! The allow-list sanitiser every notice's HTML passes through, once, after rendering.
//!
//! Notices are written by others and may carry raw HTML. ammonia parses the HTML the way a
//! browser would and keeps only what is listed here, so no script, event handler or
//! `javascript:` URL survives, whatever trick the markup uses.

use std::sync::LazyLock;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["class"])
        .add_tag_attributes("a", ["name", "id"])
        .add_tag_attributes("div", ["id", "role"])
        .add_tag_attributes("li", ["id"])
        .add_tag_attributes("img", ["loading"])
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    builder
});

/// Returns `html` with everything not on the allow-list removed.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn scripts_and_handlers_are_removed() {
        let cases = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg><script>alert(1)</script></svg>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<object data=\"x.swf\"></object>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>",
        ];
        for case in cases {
            let clean = sanitize(case).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "javascript:",
                "<iframe",
                "<object",
                "style=",
                "data:",
            ] {
                assert!(!clean.contains(bad), "{case} -> {clean}");
            }
        }
    }

    #[test]
    fn learn_markup_survives() {
        let html = "<h2 id=\"minimum-versions\">Minimum versions</h2>\
            <a name=\"consider\"></a>\
            <div class=\"alert alert-important\"><p class=\"alert-title\">Important</p></div>\
            <table><thead><tr><th>Service</th></tr></thead><tbody><tr><td>a<br>b</td></tr></tbody></table>\
            <details><summary>More</summary>text</details>";
        let clean = sanitize(html);
        for kept in [
            "id=\"minimum-versions\"",
            "name=\"consider\"",
            "class=\"alert alert-important\"",
            "<br>",
            "<td>",
            "<summary>",
        ] {
            assert!(clean.contains(kept), "{kept} missing from {clean}");
        }
    }
}
