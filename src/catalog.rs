//! The product catalog, `content/_products.yaml`: the products notices talk about, under
//! every name the vendor has used for them.
//!
//! Vendors rename products (Azure AD Connect became Microsoft Entra Connect) and spell them
//! loosely (`HealthAD DS agent`), so names are matched after folding case, spacing and
//! punctuation, and always as a whole name: "Microsoft Entra Connect" must not swallow
//! "Microsoft Entra Connect Health AD DS agent".

use std::collections::HashMap;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::CONTENT_DIR;
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

/// A product as a notice names it: from the catalog, or derived from the name.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct ProductRef {
    /// The catalog id, or a slug of the name for products not in the catalog.
    pub id: String,
    /// The catalog name, or the name as the notice wrote it.
    pub name: String,
    /// Whether the catalog knows this product.
    pub in_catalog: bool,
}

/// Folds a name for comparison: lower case, letters and digits only.
pub fn fold_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
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
        let relative = Path::new(CONTENT_DIR).join(CATALOG_FILE);
        let text = match std::fs::read_to_string(root.join(&relative)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Catalog::default()),
            Err(e) => {
                return Err(Diagnostic::new(
                    Code::InvalidConfig,
                    relative,
                    format!("cannot read the product catalog: {e}"),
                ));
            }
        };
        Self::parse(&text).map_err(|(message, line)| {
            let diagnostic = Diagnostic::new(Code::InvalidConfig, &relative, message);
            match line {
                Some(line) => diagnostic.at_source_line(&text, line),
                None => diagnostic,
            }
        })
    }

    /// Parses the catalog's text; on failure, the message and the line.
    pub fn parse(text: &str) -> Result<Catalog, (String, Option<u32>)> {
        if text.trim().is_empty() {
            return Ok(Catalog::default());
        }
        let file: CatalogFile = serde_saphyr::from_str(text).map_err(|e| {
            (
                format!(
                    "the product catalog is invalid: {}",
                    crate::config::first_line(&e)
                ),
                e.location().map(|l| l.line() as u32),
            )
        })?;
        let mut seen = HashMap::new();
        for product in &file.products {
            if slugify(&product.id) != product.id || product.id.is_empty() {
                return Err((
                    format!(
                        "product id `{}` must be lower-case letters, digits and hyphens",
                        product.id
                    ),
                    None,
                ));
            }
            if product.id.len() > MAX_SLUG_BYTES {
                return Err((
                    format!(
                        "product id `{}` is {} bytes long; at most {MAX_SLUG_BYTES} fit in a folder name",
                        product.id,
                        product.id.len()
                    ),
                    None,
                ));
            }
            if let Some(other) = seen.insert(product.id.clone(), &product.name) {
                return Err((
                    format!(
                        "product id `{}` is used by both `{other}` and `{}`",
                        product.id, product.name
                    ),
                    None,
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
        let (message, line) =
            Catalog::parse("products:\n  - id: x\n    nmae: typo\n").expect_err("invalid");
        assert!(message.contains("nmae"), "{message}");
        assert_eq!(line, Some(3));
        let (message, _) =
            Catalog::parse("products:\n  - {id: a, name: A}\n  - {id: a, name: B}\n")
                .expect_err("dup");
        assert!(message.contains("used by both"), "{message}");
        let (message, _) = Catalog::parse(&format!(
            "products:\n  - {{id: {}, name: A}}\n",
            "a".repeat(201)
        ))
        .expect_err("too long");
        assert!(
            message.contains("at most 200 fit in a folder name"),
            "{message}"
        );
    }
}
