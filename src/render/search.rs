//! The offline search index: a small script the search box loads on first use.
//!
//! It is a script rather than JSON so that it also loads when the site is opened from disk
//! (`file://`), where browsers refuse to fetch JSON. Each document carries only what people
//! search for (titles, product names and aliases, versions, headings), not full texts, so
//! the index stays small.

use serde::Serialize;

/// One searchable page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchDoc {
    /// Title.
    pub t: String,
    /// URL.
    pub u: String,
    /// Kind: `advisory` or `product`.
    pub k: &'static str,
    /// Lower-cased text searched besides the title.
    pub x: String,
}

impl SearchDoc {
    /// A document whose searchable text is `parts`, lower-cased and de-duplicated.
    pub fn new(title: &str, url: &str, kind: &'static str, parts: &[&str]) -> SearchDoc {
        let mut seen: Vec<String> = Vec::new();
        for part in parts {
            let part = part
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            if !part.is_empty() && !seen.contains(&part) {
                seen.push(part);
            }
        }
        SearchDoc {
            t: title.to_string(),
            u: url.to_string(),
            k: kind,
            x: seen.join(" | "),
        }
    }
}

/// `search-index.js`: assigns the documents to `window.bulletinSearchIndex`. serde_json's
/// output is valid JavaScript, and the file is loaded as a script of its own, never inlined
/// into HTML, so no text in it can end a `<script>` element.
pub fn index_script(docs: &[SearchDoc]) -> String {
    let json = serde_json::to_string(docs).unwrap_or_else(|_| "[]".to_string());
    format!("window.bulletinSearchIndex = {json};\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_fold_their_text() {
        let doc = SearchDoc::new(
            "Hardening",
            "/a/",
            "advisory",
            &["PingFederate  AD FS", "2.4.18.0", "pingfederate ad fs", ""],
        );
        assert_eq!(doc.x, "pingfederate ad fs | 2.4.18.0");
        let script = index_script(&[doc]);
        assert!(script.starts_with("window.bulletinSearchIndex = [{\"t\":\"Hardening\""));
    }
}
