//! The product catalog, `content/_products.yaml`: the products notices talk about, under
//! every name the vendor has used for them.
//!
//! Vendors rename products (Azure AD Connect became Microsoft Entra Connect) and spell them
//! loosely (`HealthAD DS agent`), so names are matched after folding case, spacing and
//! punctuation, and always as a whole name: "Microsoft Entra Connect" must not swallow
//! "Microsoft Entra Connect Health AD DS agent".

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{CONTENT_DIR, ProductRef};
use crate::names::{fold_name, words};
use crate::slug::{MAX_SLUG_BYTES, fit, slugify};

/// The catalog's file name under `content/`.
pub const CATALOG_FILE: &str = "_products.yaml";

/// One product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Stable id, used in URLs and by `bulletin check --product`.
    pub id: String,
    /// The current name.
    pub name: String,
    /// Other names the product goes by, old and new.
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    #[serde(default)]
    products: Vec<Product>,
}

/// The products, with an index of every name.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    products: Vec<Product>,
    by_name: HashMap<String, usize>,
    /// Names as word lists by their first word, longest first, for finding a product inside
    /// a longer text without trying every name at every word.
    phrases: HashMap<String, Vec<(Vec<String>, usize)>>,
}

/// `content/_products.yaml`, relative to the site root.
fn catalog_path() -> PathBuf {
    Path::new(CONTENT_DIR).join(CATALOG_FILE)
}

/// What each key of the catalog takes, for messages about a wrong value.
fn expects(key: &str) -> Option<&'static str> {
    match key {
        "products" => Some("a list of products (`- id: ...` lines)"),
        "id" | "name" => Some("text"),
        "aliases" => Some("a list of names"),
        _ => None,
    }
}

impl Catalog {
    /// Builds a catalog from products (later duplicates of a name lose to earlier ones).
    pub fn new(products: Vec<Product>) -> Catalog {
        let mut by_name = HashMap::new();
        let mut phrases: HashMap<String, Vec<(Vec<String>, usize)>> = HashMap::new();
        for (i, product) in products.iter().enumerate() {
            for name in std::iter::once(&product.name)
                .chain(&product.aliases)
                .chain(std::iter::once(&product.id))
            {
                by_name.entry(fold_name(name)).or_insert(i);
                let name_words = words(name);
                if let Some(first) = name_words.first() {
                    phrases
                        .entry(first.clone())
                        .or_default()
                        .push((name_words, i));
                }
            }
        }
        for candidates in phrases.values_mut() {
            candidates.sort_by(|(a, _), (b, _)| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        }
        Catalog {
            products,
            by_name,
            phrases,
        }
    }

    /// Reads `content/_products.yaml` under `root`; an empty catalog when there is none.
    pub fn load(root: &Path) -> Result<Catalog, Diagnostic> {
        crate::yaml::read_optional(root, &catalog_path(), "the product catalog")?
            .map_or_else(|| Ok(Catalog::default()), |text| Self::parse(&text))
    }

    /// Parses the catalog's text; on failure, what is wrong and where (in
    /// `content/_products.yaml`).
    pub fn parse(text: &str) -> Result<Catalog, Diagnostic> {
        if text.trim().is_empty() {
            return Ok(Catalog::default());
        }
        let file: CatalogFile = serde_saphyr::from_str(text).map_err(|e| {
            crate::yaml::YamlFile {
                code: Code::InvalidConfig,
                path: &catalog_path(),
                subject: "the product catalog",
                source: text,
                offset: 0,
                expects,
            }
            .diagnostic(&e)
        })?;
        // The line that gives product `id`, for the checks serde cannot make.
        let at_id = |id: &str, message: String, hint: &str| {
            let diagnostic =
                Diagnostic::new(Code::InvalidConfig, catalog_path(), message).with_hint(hint);
            let line = text
                .lines()
                .position(|l| l.contains("id:") && l.contains(id))
                .and_then(|i| u32::try_from(i + 1).ok());
            match line {
                Some(line) => diagnostic.at_source_text(text, line, id),
                None => diagnostic,
            }
        };
        let mut seen = HashMap::new();
        for product in &file.products {
            if slugify(&product.id) != product.id || product.id.is_empty() {
                return Err(at_id(
                    &product.id,
                    format!("the product id `{}` is not a slug", product.id),
                    &format!(
                        "use lower-case letters, digits and hyphens, such as `{}`",
                        Some(slugify(&product.id))
                            .filter(|s| !s.is_empty())
                            .unwrap_or_else(|| slugify(&product.name))
                    ),
                ));
            }
            if product.id.len() > MAX_SLUG_BYTES {
                return Err(at_id(
                    &product.id,
                    format!(
                        "the product id `{}` is {} bytes long; at most {MAX_SLUG_BYTES} fit in a folder name",
                        product.id,
                        product.id.len()
                    ),
                    "shorten it",
                ));
            }
            if let Some(other) = seen.insert(product.id.clone(), &product.name) {
                return Err(at_id(
                    &product.id,
                    format!(
                        "the product id `{}` is used by both `{other}` and `{}`",
                        product.id, product.name
                    ),
                    "give each product its own id; names of one product go in its `aliases`",
                ));
            }
        }
        Ok(Catalog::new(file.products))
    }

    /// Every product, in catalog order.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// The product with exactly this name, alias or id (folded).
    pub fn find(&self, name: &str) -> Option<&Product> {
        self.by_name
            .get(&fold_name(name))
            .map(|&i| &self.products[i])
    }

    /// The product a name refers to: the catalog's when it knows the name, else one derived
    /// from the name itself.
    pub fn resolve(&self, name: &str) -> ProductRef {
        match self.find(name) {
            Some(product) => ProductRef {
                id: product.id.clone(),
                name: product.name.clone(),
                in_catalog: true,
            },
            None => {
                let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
                ProductRef {
                    id: fit(slugify(&name)),
                    name,
                    in_catalog: false,
                }
            }
        }
    }

    /// The product whose name occurs, as whole words, in `text` (a title); the longest name
    /// wins.
    pub fn find_in(&self, text: &str) -> Option<&Product> {
        let text = words(text);
        (0..text.len())
            .filter_map(|start| {
                let candidates = self.phrases.get(&text[start])?;
                candidates
                    .iter()
                    .find(|(phrase, _)| text[start..].starts_with(phrase))
                    .map(|(phrase, i)| (phrase.len(), phrase, *i))
            })
            .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .map(|(_, _, i)| &self.products[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &str = "products:
  - id: entra-connect-sync
    name: Microsoft Entra Connect Sync
    aliases: [Microsoft Entra Connect, Azure AD Connect]
  - id: entra-connect-health-adds-agent
    name: Microsoft Entra Connect Health AD DS agent
";

    #[test]
    fn names_match_whole_and_folded() {
        let catalog = Catalog::parse(CATALOG).expect("valid");
        let cases = [
            ("Microsoft Entra Connect", Some("entra-connect-sync")),
            ("microsoft entra  connect sync", Some("entra-connect-sync")),
            ("Azure AD-Connect", Some("entra-connect-sync")),
            ("entra-connect-sync", Some("entra-connect-sync")),
            (
                "Microsoft Entra Connect HealthAD DS agent",
                Some("entra-connect-health-adds-agent"),
            ),
            ("Microsoft Entra Connect Health AD FS agent", None),
            ("Microsoft Entra", None),
        ];
        for (name, id) in cases {
            assert_eq!(catalog.find(name).map(|p| p.id.as_str()), id, "{name}");
        }
    }

    #[test]
    fn the_longest_name_in_a_title_wins() {
        let catalog = Catalog::parse(CATALOG).expect("valid");
        let find = |t: &str| catalog.find_in(t).map(|p| p.id.clone());
        assert_eq!(
            find("Hardening update to Microsoft Entra Connect Sync AD FS and PingFederate configuration").as_deref(),
            Some("entra-connect-sync")
        );
        assert_eq!(
            find("Upgrade the Microsoft Entra Connect Health AD DS agent now").as_deref(),
            Some("entra-connect-health-adds-agent")
        );
        assert_eq!(find("Microsoft Entra ID news"), None);
    }

    #[test]
    fn unknown_products_get_a_derived_id() {
        let catalog = Catalog::default();
        assert_eq!(
            catalog.resolve("Microsoft  Entra Connect Health AD FS agent"),
            ProductRef {
                id: "microsoft-entra-connect-health-ad-fs-agent".into(),
                name: "Microsoft Entra Connect Health AD FS agent".into(),
                in_catalog: false
            }
        );
        let long = catalog.resolve(&"Contoso Agent ".repeat(30));
        assert!(long.id.len() <= MAX_SLUG_BYTES, "{}", long.id);
        assert!(
            long.id.starts_with("contoso-agent-contoso-agent"),
            "{}",
            long.id
        );
    }

    #[test]
    fn bad_catalogs_say_where() {
        let error = Catalog::parse("products:\n  - id: x\n    nmae: typo\n").expect_err("invalid");
        assert_eq!(error.message, "unknown key `nmae`; did you mean `name`?");
        assert_eq!(error.line, Some(3));
        assert_eq!(error.columns(), Some((5, 9)));
        let error = Catalog::parse("products:\n  - {id: a, name: A}\n  - {id: a, name: B}\n")
            .expect_err("dup");
        assert!(error.message.contains("used by both"), "{}", error.message);
        assert_eq!(error.line, Some(2));
        let error = Catalog::parse("products:\n  - id: Foo Bar\n    name: Foo Bar\n")
            .expect_err("not a slug");
        assert_eq!(error.message, "the product id `Foo Bar` is not a slug");
        assert_eq!(
            error.hint.as_deref(),
            Some("use lower-case letters, digits and hyphens, such as `foo-bar`")
        );
        assert_eq!((error.line, error.columns()), (Some(2), Some((9, 16))));
        let error = Catalog::parse(&format!(
            "products:\n  - {{id: {}, name: A}}\n",
            "a".repeat(201)
        ))
        .expect_err("too long");
        assert!(
            error.message.contains("at most 200 fit in a folder name"),
            "{}",
            error.message
        );
    }
}
