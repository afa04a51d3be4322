//! Slugs: the URL-safe names of pages and heading anchors.
//!
//! Learn derives heading anchors by lower-casing, dropping punctuation and joining words with
//! `-` (`## 2.3.2.0` becomes `#2320`); notices link to those anchors, so bulletin derives its
//! own the same way and such links keep working.

/// Lower-cases, keeps letters, digits, `-` and `_`, turns each space into `-`, drops the
/// rest. Spaces are not collapsed: Learn turns `Step 3 - Empower` into `step-3---empower`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            slug.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            slug.push('-');
        }
    }
    slug
}

/// Hands out unique slugs within one page: the second `overview` becomes `overview-1`.
#[derive(Debug, Default)]
pub struct UniqueSlugs {
    seen: std::collections::HashSet<String>,
}

impl UniqueSlugs {
    /// Reserves `slug` as is (an explicit id or `<a name>`); returns whether it was new.
    pub fn reserve(&mut self, slug: &str) -> bool {
        self.seen.insert(slug.to_string())
    }

    /// Returns `slug`, or `slug-N` with the smallest N that is still free.
    pub fn unique(&mut self, slug: &str) -> String {
        if self.seen.insert(slug.to_string()) {
            return slug.to_string();
        }
        (1..)
            .map(|n| format!("{slug}-{n}"))
            .find(|candidate| self.seen.insert(candidate.clone()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_match_learn_anchors() {
        let cases = [
            ("Minimum versions", "minimum-versions"),
            ("Minimum versions ", "minimum-versions"),
            ("2.3.2.0", "2320"),
            (
                "Consider moving to Microsoft Entra Cloud Sync",
                "consider-moving-to-microsoft-entra-cloud-sync",
            ),
            ("What are the major changes? ", "what-are-the-major-changes"),
            (
                "Alerts for Microsoft Entra Connect (Sync)",
                "alerts-for-microsoft-entra-connect-sync",
            ),
            ("TLS 1.2", "tls-12"),
            ("security-updates-pks", "security-updates-pks"),
            (
                "Step 3 - Empower your users securely",
                "step-3---empower-your-users-securely",
            ),
            ("Größe", "größe"),
            ("", ""),
            ("???", ""),
        ];
        for (text, slug) in cases {
            assert_eq!(slugify(text), slug, "{text:?}");
        }
    }

    #[test]
    fn unique_slugs_count_up() {
        let mut slugs = UniqueSlugs::default();
        assert_eq!(slugs.unique("overview"), "overview");
        assert_eq!(slugs.unique("overview"), "overview-1");
        assert!(slugs.reserve("next"));
        assert!(!slugs.reserve("next"));
        assert_eq!(slugs.unique("overview-1"), "overview-1-1");
        assert_eq!(slugs.unique("overview"), "overview-2");
    }
}
