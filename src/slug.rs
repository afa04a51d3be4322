//! Slugs: the URL-safe names of pages and heading anchors.
//!
//! Learn derives heading anchors by lower-casing, dropping punctuation and joining words with
//! `-` (`## 2.3.2.0` becomes `#2320`); notices link to those anchors, so bulletin derives its
//! own the same way and such links keep working.

use std::collections::{HashMap, HashSet};

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

/// The longest slug bulletin makes a folder of. File systems allow 255 bytes in a name;
/// the rest is room for what tools add (`.tmp` files, backups).
pub const MAX_SLUG_BYTES: usize = 200;

/// `slug` when it fits in [`MAX_SLUG_BYTES`], else its start and a hash of the whole: the
/// same in every build, and two long slugs that share a start stay apart.
pub fn fit(slug: String) -> String {
    if slug.len() <= MAX_SLUG_BYTES {
        return slug;
    }
    let mut hasher = fnv::FnvHasher::default();
    std::hash::Hasher::write(&mut hasher, slug.as_bytes());
    let suffix = format!("-{:016x}", std::hash::Hasher::finish(&hasher));
    let mut end = MAX_SLUG_BYTES - suffix.len();
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{suffix}", slug[..end].trim_end_matches('-'))
}

/// Hands out unique slugs within one page: the second `overview` becomes `overview-1`.
#[derive(Debug, Default)]
pub struct UniqueSlugs {
    seen: HashSet<String>,
    /// For each slug asked for again: the smallest N for which `slug-N` may still be free.
    next_suffix: HashMap<String, usize>,
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
        // Slugs are never released, so every N below the counter is still taken: starting
        // there finds the same N as counting from 1, without retrying each time a page
        // repeats a heading.
        let next = self.next_suffix.entry(slug.to_string()).or_insert(1);
        loop {
            let candidate = format!("{slug}-{next}");
            *next += 1;
            if self.seen.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_slugs_are_shortened_the_same_way_every_time() {
        assert_eq!(fit("short".to_string()), "short");
        let exact = "a".repeat(MAX_SLUG_BYTES);
        assert_eq!(fit(exact.clone()), exact);
        let (one, two) = (
            format!("{}-one", "é".repeat(150)),
            format!("{}-two", "é".repeat(150)),
        );
        let (a, b) = (fit(one.clone()), fit(two));
        assert!(
            a.len() <= MAX_SLUG_BYTES && b.len() <= MAX_SLUG_BYTES,
            "{a}"
        );
        assert_ne!(a, b, "a shared start stays apart");
        assert_eq!(a, fit(one), "deterministic");
        assert!(a.starts_with("éé") && slugify(&a) == a, "{a}");
    }

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

    /// Each call's answer, against the definition: the smallest free `slug-N`.
    #[test]
    fn unique_slugs_are_the_smallest_free_suffix() {
        // (reserve?, slug, expected): headings and `<a name>`s in page order.
        let cases: &[(bool, &str, &str)] = &[
            (false, "a", "a"),
            (false, "a", "a-1"),
            (false, "a-1", "a-1-1"),
            (false, "a", "a-2"),
            (true, "a-3", "a-3"),
            (true, "a-4", "a-4"),
            (false, "a", "a-5"),
            (false, "a-1", "a-1-2"),
            (false, "b-1", "b-1"),
            (false, "b", "b"),
            (false, "b", "b-2"),
            (false, "", ""),
            (false, "", "-1"),
        ];
        let mut slugs = UniqueSlugs::default();
        for &(reserve, slug, expected) in cases {
            let got = if reserve {
                assert!(slugs.reserve(slug), "{slug}");
                slug.to_string()
            } else {
                slugs.unique(slug)
            };
            assert_eq!(got, expected, "{slug}");
        }

        let mut slugs = UniqueSlugs::default();
        let mut taken = HashSet::new();
        for i in 0..3_000 {
            // Headings repeating a few texts, some spelling another's suffix.
            let slug = match i % 7 {
                0 => format!("overview-{}", i / 3),
                1 | 2 => "overview".to_string(),
                3 => "overview-1".to_string(),
                _ => format!("step-{}", i % 4),
            };
            let expected = if taken.contains(&slug) {
                (1..)
                    .map(|n| format!("{slug}-{n}"))
                    .find(|candidate| !taken.contains(candidate))
                    .unwrap_or_default()
            } else {
                slug.clone()
            };
            taken.insert(expected.clone());
            assert_eq!(slugs.unique(&slug), expected, "call {i}");
        }
    }
}
