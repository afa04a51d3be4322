//! `bulletin catalog`: a draft of `content/_products.yaml` from what the notices say.
//!
//! Every product a statement names (a requirement, a cutoff, an impact) becomes an entry,
//! with how many statements name it and where, as YAML comments, for a person to review
//! (merge products that are one, fix names, drop what is not a product) and commit. Products
//! the catalog already has keep their id, name and aliases, so the draft can replace the
//! catalog whole; so do catalog products no notice names any more.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

use crate::catalog::{CATALOG_FILE, Catalog};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::ProductRef;
use crate::model::{CONTENT_DIR, Facts, SourcePos};
use crate::site::{BuildOptions, analyse};

/// How many places each entry lists before "and N more".
const PLACES_SHOWN: usize = 5;

/// A drafted catalog and what analysing the site reported.
#[derive(Debug)]
pub struct Drafted {
    /// The draft, a YAML document that [`Catalog::parse`] accepts.
    pub yaml: String,
    /// The warnings analysing the site gave (no errors: those fail the draft).
    pub warnings: Vec<Diagnostic>,
}

/// Analyses the site at `root` and drafts its catalog. Fails with every diagnostic when the
/// site cannot be analysed or a notice has an error: a draft of part of the notices would
/// silently miss products.
pub fn draft_site(root: &Path) -> Result<Drafted, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let analysis = analyse(
        &BuildOptions {
            root: root.to_path_buf(),
            ..BuildOptions::default()
        },
        &mut diagnostics,
    );
    crate::diagnostic::sort(&mut diagnostics);
    diagnostics.dedup();
    match analysis {
        Some(analysis)
            if diagnostics
                .iter()
                .all(|d| d.severity() == Severity::Warning) =>
        {
            Ok(Drafted {
                yaml: draft(&analysis.facts, &analysis.catalog),
                warnings: diagnostics,
            })
        }
        _ => Err(diagnostics),
    }
}

/// What the notices say about one product.
#[derive(Default)]
struct Named {
    /// Every spelling the notices use, with how often.
    names: BTreeMap<String, usize>,
    requirements: usize,
    cutoffs: usize,
    impacts: usize,
    places: BTreeSet<SourcePos>,
}

impl Named {
    fn add(&mut self, product: &ProductRef, source: &SourcePos) -> &mut Self {
        *self.names.entry(product.name.clone()).or_default() += 1;
        self.places.insert(source.clone());
        self
    }

    fn statements(&self) -> usize {
        self.requirements + self.cutoffs + self.impacts
    }
}

/// The draft for the facts of every notice, against the current `catalog`. Entries are
/// sorted by id, so the same notices give the same draft.
pub fn draft(facts: &[Facts], catalog: &Catalog) -> String {
    let mut named: BTreeMap<String, Named> = BTreeMap::new();
    for facts in facts {
        for r in &facts.requirements {
            named
                .entry(r.product.id.clone())
                .or_default()
                .add(&r.product, &r.source)
                .requirements += 1;
        }
        for m in &facts.milestones {
            if let Some(product) = &m.product {
                named
                    .entry(product.id.clone())
                    .or_default()
                    .add(product, &m.source)
                    .cutoffs += 1;
            }
        }
        for i in &facts.impacts {
            named
                .entry(i.product.id.clone())
                .or_default()
                .add(&i.product, &i.source)
                .impacts += 1;
        }
    }
    let known: BTreeMap<&str, &crate::catalog::Product> = catalog
        .products()
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    let ids: BTreeSet<&str> = named
        .keys()
        .map(String::as_str)
        .chain(known.keys().copied())
        .collect();

    let mut yaml = format!(
        "# A draft of {CONTENT_DIR}/{CATALOG_FILE}, made by `bulletin catalog` from the products the\n\
         # notices name in requirements, cutoffs and impacts. Review it: merge entries that are one\n\
         # product (keep one id, make the other names aliases), correct names, remove what is not a\n\
         # product; then save it as {CONTENT_DIR}/{CATALOG_FILE}. Entries the catalog already has keep\n\
         # its id, name and aliases.\n"
    );
    if ids.is_empty() {
        yaml.push_str("products: []\n");
        return yaml;
    }
    yaml.push_str("products:\n");
    for id in ids {
        let said = named.get(id);
        yaml.push_str(&comment(&statements_line(said)));
        if let Some(said) = said {
            yaml.push_str(&comment(&places_line(said)));
        }
        let (name, aliases) = match known.get(id) {
            Some(product) => {
                yaml.push_str("  # in the catalog\n");
                (product.name.clone(), product.aliases.clone())
            }
            None => (most_used_name(said), Vec::new()),
        };
        let _ = writeln!(yaml, "  - id: {}", quoted(id));
        let _ = writeln!(yaml, "    name: {}", quoted(&name));
        if !aliases.is_empty() {
            yaml.push_str("    aliases:\n");
            for alias in &aliases {
                let _ = writeln!(yaml, "      - {}", quoted(alias));
            }
        }
    }
    yaml
}

/// "7 statements: 4 requirements, 3 cutoffs", or that no notice names it.
fn statements_line(said: Option<&Named>) -> String {
    let Some(said) = said else {
        return "no notice names it".to_string();
    };
    let count = |n: usize, what: &str| match n {
        0 => None,
        1 => Some(format!("1 {what}")),
        n => Some(format!("{n} {what}s")),
    };
    let kinds: Vec<String> = [
        count(said.requirements, "requirement"),
        count(said.cutoffs, "cutoff"),
        count(said.impacts, "impact"),
    ]
    .into_iter()
    .flatten()
    .collect();
    format!(
        "{}: {}",
        count(said.statements(), "statement").unwrap_or_default(),
        kinds.join(", ")
    )
}

/// The first places (file:line, in path order) and how many more.
fn places_line(said: &Named) -> String {
    let shown: Vec<String> = said
        .places
        .iter()
        .take(PLACES_SHOWN)
        .map(|p| format!("{}:{}", p.file, p.line))
        .collect();
    let more = said.places.len().saturating_sub(PLACES_SHOWN);
    match more {
        0 => format!("at {}", shown.join(", ")),
        _ => format!("at {} and {more} more", shown.join(", ")),
    }
}

/// A product's name: its most frequent spelling, the first in order on a tie. Spellings
/// with one derived id differ only in case, spacing and punctuation, which catalog names
/// ignore, so the others need no alias.
fn most_used_name(said: Option<&Named>) -> String {
    said.and_then(|said| {
        said.names
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(name, _)| name.clone())
    })
    .unwrap_or_default()
}

/// A YAML comment line, indented to sit above an entry. Control characters (a file name may
/// hold a newline) are escaped so that the comment stays one line.
fn comment(text: &str) -> String {
    let text: String = text
        .chars()
        .flat_map(|c| {
            let escaped: Vec<char> = match c.is_control() {
                true => c.escape_unicode().collect(),
                false => vec![c],
            };
            escaped
        })
        .collect();
    format!("  # {text}\n")
}

/// A YAML double-quoted scalar: JSON's string syntax is valid YAML, and quoting keeps ids
/// such as `2019` or `null` and names with `: ` or `#` strings.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Product;
    use crate::date::PartialDate;
    use crate::model::{ContentPath, Impact, Milestone, MilestoneKind, Requirement};
    use crate::version::parse_spec;

    fn at(file: &str, line: u32) -> SourcePos {
        SourcePos {
            file: ContentPath(file.into()),
            line,
        }
    }

    fn requirement(catalog: &Catalog, name: &str, source: SourcePos) -> Requirement {
        Requirement {
            product: catalog.resolve(name),
            minimum: parse_spec("1.2.0").expect("a version"),
            clouds: Vec::new(),
            deadline: None,
            text: String::new(),
            source,
            pivot: None,
        }
    }

    #[test]
    fn every_named_product_is_drafted_with_its_counts_and_places() {
        let catalog = Catalog::new(vec![
            Product {
                id: "entra-connect-sync".into(),
                name: "Microsoft Entra Connect Sync".into(),
                aliases: vec!["Azure AD Connect".into()],
            },
            Product {
                id: "unused".into(),
                name: "A product no notice names".into(),
                aliases: Vec::new(),
            },
        ]);
        let mut facts = Facts::default();
        for line in 1..=7 {
            facts.requirements.push(requirement(
                &catalog,
                "Azure AD Connect",
                at("connect/a.md", line),
            ));
        }
        // Three spellings of one product: the most used is its name.
        facts
            .requirements
            .push(requirement(&catalog, "Contoso agent", at("b.md", 3)));
        facts
            .requirements
            .push(requirement(&catalog, "Contoso  Agent", at("b.md", 9)));
        facts
            .requirements
            .push(requirement(&catalog, "Contoso Agent", at("b.md", 4)));
        facts.milestones.push(Milestone {
            kind: MilestoneKind::Retirement,
            date: PartialDate::from_day(jiff::civil::date(2026, 9, 30)),
            text: String::new(),
            source: at("b.md", 12),
            also_stated_at: Vec::new(),
            superseded_by: None,
            product: Some(catalog.resolve("2019")),
            version: None,
            pivot: None,
        });
        facts.impacts.push(Impact {
            product: catalog.resolve("Name: with # signs"),
            impact: String::new(),
            source: at("c.md", 1),
        });
        let yaml = draft(&[facts], &catalog);
        assert!(Catalog::parse(&yaml).is_ok(), "{yaml}");
        let body = yaml.split("products:\n").nth(1).expect("products");
        assert_eq!(
            body,
            "  # 1 statement: 1 cutoff
  # at b.md:12
  - id: \"2019\"
    name: \"2019\"
  # 3 statements: 3 requirements
  # at b.md:3, b.md:4, b.md:9
  - id: \"contoso-agent\"
    name: \"Contoso Agent\"
  # 7 statements: 7 requirements
  # at connect/a.md:1, connect/a.md:2, connect/a.md:3, connect/a.md:4, connect/a.md:5 and 2 more
  # in the catalog
  - id: \"entra-connect-sync\"
    name: \"Microsoft Entra Connect Sync\"
    aliases:
      - \"Azure AD Connect\"
  # 1 statement: 1 impact
  # at c.md:1
  - id: \"name-with--signs\"
    name: \"Name: with # signs\"
  # no notice names it
  # in the catalog
  - id: \"unused\"
    name: \"A product no notice names\"
"
        );
        let parsed = Catalog::parse(&yaml).expect("parses");
        assert_eq!(
            parsed.find("Contoso Agent").map(|p| p.id.as_str()),
            Some("contoso-agent")
        );
        assert_eq!(parsed.find("2019").map(|p| p.id.as_str()), Some("2019"));
    }

    #[test]
    fn no_products_is_an_empty_catalog() {
        let yaml = draft(&[], &Catalog::default());
        assert!(yaml.ends_with("products: []\n"), "{yaml}");
        assert!(Catalog::parse(&yaml).expect("parses").products().is_empty());
    }

    #[test]
    fn a_file_name_with_a_newline_stays_in_its_comment() {
        let catalog = Catalog::default();
        let mut facts = Facts::default();
        facts.requirements.push(requirement(
            &catalog,
            "Contoso Agent",
            at("evil\nproducts: x.md", 2),
        ));
        let yaml = draft(&[facts], &catalog);
        assert!(yaml.contains("# at evil\\u{a}products: x.md:2\n"), "{yaml}");
        let parsed = Catalog::parse(&yaml).expect("parses");
        assert_eq!(parsed.products().len(), 1);
    }
}
