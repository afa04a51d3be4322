//! The allow-list sanitiser every notice's HTML passes through, once, after rendering.
//!
//! Notices are written by others and may carry raw HTML. ammonia parses the HTML the way a
//! browser would and keeps only what is listed here, so no script, event handler or
//! `javascript:`/`data:` URL survives, whatever trick the markup uses. Classes are kept only
//! when bulletin's own markup uses them (callouts, DocFX boxes, footnotes, code languages), so
//! a notice cannot dress its text up as the page's own banners. `<iframe>`s survive only
//! from the hosts the site lists in `iframe_hosts`, sandboxed.
//!
//! Parsing HTML the way browsers do costs time in proportion to how deeply elements nest,
//! for every element, so a notice nested thousands deep (by Markdown or by raw HTML) would
//! take hours. Elements deeper than [`MAX_DEPTH`] are therefore unwrapped (their text kept)
//! before ammonia sees them; see [`nesting`].

pub mod nesting;

use std::borrow::Cow;

use crate::config::SiteConfig;

/// How deep elements may nest in a notice's HTML before deeper ones are unwrapped. Learn
/// pages nest a few dozen deep at most, includes and callouts included.
pub const MAX_DEPTH: usize = 128;

/// The classes bulletin's renderer and pulldown-cmark write, which the theme styles.
const ALLOWED_CLASSES: &[&str] = &[
    "alert",
    "alert-caution",
    "alert-important",
    "alert-note",
    "alert-tip",
    "alert-title",
    "alert-warning",
    "checklist",
    "docfx-column",
    "docfx-div",
    "docfx-image",
    "docfx-row",
    "docfx-span-1",
    "docfx-span-2",
    "docfx-span-3",
    "docfx-span-4",
    "faq-question",
    "footnote-definition",
    "footnote-definition-label",
    "footnote-reference",
    "image-border",
    "image-complex",
    "image-icon",
    "include",
    "include-missing",
    "moniker",
    "mx-imgBorder",
    "nextstepaction",
    "pivot-select",
    "pivot-selector",
    "tab-label",
    "tab-panel",
    "tabs",
    "video-card",
    "zone",
    "zone-label",
    "zone-target",
];

/// What `iframe` elements keep when a site allows them, and what they are given.
const IFRAME_ATTRIBUTES: &[&str] = &["src", "title", "width", "height", "allowfullscreen"];
const IFRAME_SANDBOX: &str = "allow-scripts allow-same-origin allow-popups allow-presentation";

/// A notice's sanitised HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sanitized {
    /// The HTML, with everything not on the allow-list removed.
    pub html: String,
    /// When elements nested deeper than [`MAX_DEPTH`] and were unwrapped: how deep they went.
    pub flattened: Option<usize>,
}

/// The sanitiser for a site's settings. Its allow-list is made once and shared by every
/// notice of a build.
#[derive(Debug)]
pub struct Sanitizer {
    builder: ammonia::Builder<'static>,
}

impl Sanitizer {
    /// The sanitiser for a site with these settings.
    pub fn new(config: &SiteConfig) -> Self {
        Sanitizer {
            builder: builder(config.iframe_hosts.clone()),
        }
    }

    /// Sanitises `html`, given a bound the caller knows on how deeply it nests: at least
    /// what [`nesting::deepest`] would say, or `None`. Within [`MAX_DEPTH`], nothing can
    /// need unwrapping, and the pass that measures the depth (a whole extra tokenizer pass)
    /// is skipped; the result is the same.
    pub fn clean_bounded(&self, html: &str, deepest: Option<usize>) -> Sanitized {
        let deepest = match deepest {
            Some(bound) if bound <= MAX_DEPTH => bound,
            _ => nesting::deepest(html),
        };
        let (input, flattened) = if deepest > MAX_DEPTH {
            (Cow::Owned(nesting::flatten(html, MAX_DEPTH)), Some(deepest))
        } else {
            (Cow::Borrowed(html), None)
        };
        Sanitized {
            html: self.builder.clean(&input).to_string(),
            flattened,
        }
    }
}

/// Sanitises one text for a site with these settings (a build shares one [`Sanitizer`]).
pub fn clean(html: &str, config: &SiteConfig) -> Sanitized {
    Sanitizer::new(config).clean_bounded(html, None)
}

/// The allow-list: ammonia's defaults (which include tables, `<br>`, `<details>`) plus what
/// Learn notices and bulletin's renderer need.
fn builder(iframe_hosts: Vec<String>) -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["input", "select", "option", "label"])
        .add_generic_attributes(["class"])
        .add_tag_attributes("a", ["name", "id"])
        .add_tag_attributes(
            "div",
            [
                "id",
                "role",
                "hidden",
                "data-tab",
                "data-condition",
                "data-pivot",
                "itemscope",
                "itemtype",
                "itemprop",
            ],
        )
        .add_tag_attributes("select", ["id"])
        .add_tag_attributes("option", ["value"])
        .add_tag_attributes("label", ["for"])
        .add_tag_attributes("li", ["id"])
        .add_tag_attributes("img", ["loading"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("input", ["type", "checked"])
        .set_tag_attribute_value("input", "disabled", "")
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id", "itemprop"])
        .add_tag_attributes("h3", ["id", "itemprop"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    if !iframe_hosts.is_empty() {
        builder
            .add_tags(["iframe"])
            .add_tag_attributes("iframe", IFRAME_ATTRIBUTES)
            .set_tag_attribute_value("iframe", "sandbox", IFRAME_SANDBOX)
            .set_tag_attribute_value("iframe", "referrerpolicy", "no-referrer")
            .set_tag_attribute_value("iframe", "loading", "lazy");
    }
    builder.attribute_filter(move |element, attribute, value| {
        filter_attribute(&iframe_hosts, element, attribute, value)
    });
    builder
}

/// Narrows attributes whose values ammonia lets through whole: classes to [`ALLOWED_CLASSES`]
/// (and `language-*` on code), task-list inputs to checkboxes, iframe sources to the allowed
/// hosts.
fn filter_attribute<'u>(
    iframe_hosts: &[String],
    element: &str,
    attribute: &str,
    value: &'u str,
) -> Option<Cow<'u, str>> {
    match (element, attribute) {
        (_, "class") => {
            let kept: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|class| {
                    ALLOWED_CLASSES.contains(class)
                        || (element == "code" && is_language_class(class))
                })
                .collect();
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        }
        (_, "itemtype") => value
            .starts_with("https://schema.org/")
            .then_some(Cow::Borrowed(value)),
        ("input", "type") => value
            .eq_ignore_ascii_case("checkbox")
            .then_some(Cow::Borrowed("checkbox")),
        ("iframe", "src") => {
            let host = value
                .trim()
                .strip_prefix("https://")
                .and_then(|rest| rest.split(['/', '?', '#']).next())?;
            iframe_hosts
                .iter()
                .any(|allowed| allowed.eq_ignore_ascii_case(host))
                .then_some(Cow::Borrowed(value))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

/// `language-rust`, as pulldown-cmark writes a fenced block's language.
fn is_language_class(class: &str) -> bool {
    class.strip_prefix("language-").is_some_and(|language| {
        !language.is_empty()
            && language
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#' | '.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sanitises for a site that allows no iframes.
    fn sanitize(html: &str) -> String {
        clean(html, &SiteConfig::default()).html
    }

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
            "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">",
            "<input type=\"image\" src=\"x\" onfocus=\"alert(1)\" autofocus>",
        ];
        for case in cases {
            let clean = sanitize(case).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onfocus",
                "javascript:",
                "<iframe",
                "<object",
                "style=",
                "data:",
                "type=\"image\"",
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
            <details open><summary>More</summary>text</details>\
            <ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\"/> done</li></ul>\
            <pre><code class=\"language-powershell\">Get-Item</code></pre>";
        let clean = sanitize(html);
        for kept in [
            "id=\"minimum-versions\"",
            "name=\"consider\"",
            "class=\"alert alert-important\"",
            "<br>",
            "<td>",
            "<summary>",
            "<details open=\"\">",
            "type=\"checkbox\"",
            "class=\"language-powershell\"",
        ] {
            assert!(clean.contains(kept), "{kept} missing from {clean}");
        }
    }

    #[test]
    fn only_bulletins_own_classes_survive() {
        let clean = sanitize(
            "<p class=\"banner banner-superseded alert-title\">x</p><span class=\"skip-link\">y</span><code class=\"language-x\\\" onclick\">z</code>",
        );
        assert_eq!(
            clean,
            "<p class=\"alert-title\">x</p><span>y</span><code>z</code>"
        );
    }

    #[test]
    fn iframes_need_the_site_to_allow_their_host() {
        let html = "<iframe src=\"https://www.youtube.com/embed/x\" onload=\"alert(1)\"></iframe>\
            <iframe src=\"https://evil.example/\"></iframe>\
            <iframe src=\"http://www.youtube.com/embed/y\"></iframe>";
        assert!(!sanitize(html).contains("<iframe"));
        let config = SiteConfig {
            iframe_hosts: vec!["www.youtube.com".into()],
            ..SiteConfig::default()
        };
        let clean = clean(html, &config).html;
        assert_eq!(clean.matches("<iframe").count(), 3, "{clean}");
        assert_eq!(clean.matches("src=").count(), 1, "{clean}");
        assert!(clean.contains("src=\"https://www.youtube.com/embed/x\""));
        assert!(clean.contains(&format!("sandbox=\"{IFRAME_SANDBOX}\"")));
        assert!(!clean.contains("onload"));
    }

    #[test]
    fn deep_nesting_is_unwrapped_below_the_limit() {
        for (open, close) in [
            ("<blockquote>", "</blockquote>"),
            ("<ul><li>", "</li></ul>"),
            ("<div><span>", ""),
        ] {
            let html = format!("{}deep text{}", open.repeat(10_000), close.repeat(10_000));
            let out = clean(&html, &SiteConfig::default());
            assert!(out.flattened.is_some_and(|d| d >= 10_000), "{open}");
            assert!(out.html.contains("deep text"));
            assert!(nesting::deepest(&out.html) <= MAX_DEPTH + 1, "{open}");
        }
        let shallow = clean("<blockquote><p>x</p></blockquote>", &SiteConfig::default());
        assert_eq!(shallow.flattened, None);
    }
}
