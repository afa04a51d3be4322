//! Tables: minimum versions by column, lifecycle dates by column, impacts by row.
//!
//! A table is a requirement table only when it says so: a column header such as "Minimum
//! version", "Required version" or "First supported version", a lead-in that says its
//! versions are minimums, or a cell that says "V or newer". A table that only lists versions
//! (release notes, support matrices, version histories) requires nothing. A date column headed
//! "End of support", "Retirement" or "Expiration" gives one milestone per row, for the product
//! and version of that row.

use std::sync::LazyLock;

use regex::Regex;

use super::cues::{MIN_AFTER, UNIT_AFTER};
use super::requirements::{cloud_in, minimum_context};
use super::{Claim, Context, product, scope};
use crate::date::{find_dates_in_cell, parse_date};
use crate::model::ProductRef;
use crate::model::{Block, BlockKind, Impact, Milestone, MilestoneKind, Requirement};
use crate::version::{Shape, find_specs};

/// A column of minimum versions.
static MINIMUM_COLUMN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:minimum|min\.?|minimal|required|requirements?|first\s+supported|lowest\s+supported|supported\s+from|at\s+least)\b")
        .expect("literal regex")
});

/// A column that holds nothing but what is required ("Minimum requirements", "Required").
static REQUIREMENTS_COLUMN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s*_]*(?:minimum|min\.?|required|minimum\s+required|minimum\s+supported)?\s*(?:requirements?|required|minimum)[\s*_]*$")
        .expect("literal regex")
});

/// A column of versions (or builds).
static VERSION_COLUMN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:versions?|builds?)\b").expect("literal regex"));

/// A column of cutoff dates, and what kind each is.
const DATE_COLUMNS: &[(MilestoneKind, &str)] = &[
    (
        MilestoneKind::Retirement,
        r"(?i)\b(?:retire\w*|sunset|removal)\b",
    ),
    (
        MilestoneKind::EndOfSupport,
        r"(?i)\b(?:end\s+of\s+(?:\w+\s+)?(?:support|life|servicing)|eos|eol|support\s+ends?|support\s+removed|expir\w*|deprecat\w*|out\s+of\s+support|supported\b[^|]{0,40}?\b(?:until|through)|support\s+until|end\s+date|^\s*support\s*$)\b",
    ),
    (
        MilestoneKind::Deadline,
        r"(?i)\b(?:deadline|cutoff|cut-off|upgrade\s+by)\b",
    ),
];

/// A column of the days something was announced or published, even of a cutoff
/// ("Deprecation first announcement"): those days are not the cutoff.
static ANNOUNCED_COLUMN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:announc\w*|notified|notice|published|released?|release\s+date)\b")
        .expect("literal regex")
});

static DATE_COLUMN_PATTERNS: LazyLock<Vec<(MilestoneKind, Regex)>> = LazyLock::new(|| {
    DATE_COLUMNS
        .iter()
        .map(|(kind, p)| (*kind, Regex::new(p).expect("literal regex")))
        .collect()
});

/// A paragraph that says the tables below hold minimum versions ("The tables below show the
/// required minimum supported versions"): forward, and about minimum versions in so many
/// words, since it governs every table of its section.
static TABLES_OF_MINIMUMS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:tables?\s+below|following\s+tables?|tables?\s+that\s+follows?)\b[^.]*\b(?:minimum|required|lowest)\b[^.]{0,40}\bversions?\b")
        .expect("literal regex")
});

/// A paragraph that speaks of a table: "the table lists", "the following table".
static TABLE_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:the|this|these|following)\s+tables?\b").expect("literal regex")
});

/// Headers that say what kind of text a column holds, never whose version it is.
static GENERIC_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:description|details?|values?|notes?|comments?|remarks?|summary|info|information|status|type|category|results?|purpose|explanation|setting|settings)$")
        .expect("literal regex")
});

/// A column that names what each row is about.
static NAME_COLUMN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:products?|names?|services?|components?|agents?|software|operating\s+systems?|os|platforms?|tools?|features?|distributions?|clients?|modules?|extensions?|applications?|packages?|librar(?:y|ies)|sdks?|drivers?|plug-?ins?)\b")
        .expect("literal regex")
});

/// A name column of things inside a product (documents, journals, settings), whose rows name
/// no product.
static THING_COLUMN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:documents?|journals?|forms?|reports?|fields?|settings?|tasks?|roles?|pages?|capabilit(?:y|ies)|functionalit(?:y|ies)|transactions?|entit(?:y|ies)|tables?|workflows?|actions?)\W*$")
        .expect("literal regex")
});

/// A name column of packages, whose cells are names whatever their case.
static PACKAGE_COLUMN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s*_]*(?:packages?|librar(?:y|ies)|modules?|extensions?|plug-?ins?)[\s*_]*$")
        .expect("literal regex")
});

/// A row name that ends in a quantity ("Worker node count", "Allocatable memory/node").
static QUANTITY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:count|number|size|memory|ram|disk|storage|space|cores?|v?cpus?|capacity|bandwidth|throughput|length|limit|quota|nodes?)\s*(?:\([^)]*\))?[\s*_:]*$")
        .expect("literal regex")
});

/// Words a cell of a minimum column may hold and still be a value ("2.4.18.0", "Windows
/// Server 2019 Standard or Datacenter", "1.2.3 or later").
const VALUE_WORDS: usize = 8;

/// A cell that is prose rather than a value: a sentence, a list, several versions. Its
/// column's header does not make its versions floors ("All domain controllers need to run
/// one of: Windows Server 2019, 2016, 2012 R2"); it is read as sentences are.
fn is_prose(cell: &str) -> bool {
    let specs = find_specs(cell);
    // "Windows 10 1511" is one value: a number that ends a name, then its release.
    let names_end = specs
        .windows(2)
        .filter(|w| w[0].2 == Shape::Single && cell[w[0].0.end..w[1].0.start].trim().is_empty())
        .count();
    cell.split_whitespace().count() > VALUE_WORDS || specs.len() - names_end > 1
}

/// A cell that is only a floor: "4.6.2 or later", "13 and later", "v1.2+".
fn is_bare_floor(cell: &str) -> bool {
    let cell = cell.trim_matches(|c: char| c.is_whitespace() || "*_`".contains(c));
    let mut specs = find_specs(cell).into_iter();
    match (specs.next(), specs.next()) {
        (Some((at, _, _)), None) => at.start == 0 && MIN_AFTER.is_match(&cell[at.end..]),
        _ => false,
    }
}

/// What one table gives.
#[derive(Default)]
pub(super) struct TableFacts {
    pub requirements: Vec<Requirement>,
    pub milestones: Vec<Milestone>,
    pub impacts: Vec<Impact>,
}

/// Reads every table of the notice.
pub(super) fn tables(cx: &mut Context<'_>, claims: &mut Vec<Claim>) -> TableFacts {
    let mut facts = TableFacts::default();
    let mut i = 0;
    while i < cx.blocks.len() {
        if cx.blocks[i].kind == (BlockKind::TableRow { header: true }) {
            let rows = cx.blocks[i + 1..]
                .iter()
                .take_while(|b| b.kind == BlockKind::TableRow { header: false })
                .count();
            table(cx, i, rows, claims, &mut facts);
            i += rows;
        }
        i += 1;
    }
    facts
}

fn table(
    cx: &mut Context<'_>,
    header: usize,
    rows: usize,
    claims: &mut Vec<Claim>,
    facts: &mut TableFacts,
) {
    let head: Vec<&str> = cx.blocks[header].cells.iter().map(String::as_str).collect();
    let impact = head
        .iter()
        .position(|h| h.to_lowercase().contains("impact"));
    // "Contoso Rooms Minimum application version", "Recommended OS build": a column of
    // versions is never the one that names the rows, whatever kind of version it holds.
    let name = head
        .iter()
        .position(|h| {
            NAME_COLUMN.is_match(h) && !(MINIMUM_COLUMN.is_match(h) && VERSION_COLUMN.is_match(h))
        })
        .unwrap_or(0);
    let packages = PACKAGE_COLUMN.is_match(head[name]);
    let lead_in_minimum = minimum_context(cx.blocks, header)
        || about_the_table(cx.blocks, header).any(|b| TABLES_OF_MINIMUMS.is_match(&b.text));
    // Columns of minimum versions: headed so, or every version column under a lead-in that
    // says so.
    let minimum_columns: Vec<usize> = head
        .iter()
        .enumerate()
        .filter(|&(c, h)| {
            c != name
                && ((MINIMUM_COLUMN.is_match(h) && VERSION_COLUMN.is_match(h))
                    || REQUIREMENTS_COLUMN.is_match(h)
                    || (lead_in_minimum && VERSION_COLUMN.is_match(h)))
                && !h.to_lowercase().contains("last")
        })
        .map(|(c, _)| c)
        .collect();
    let version = head
        .iter()
        .position(|h| VERSION_COLUMN.is_match(h) && !MINIMUM_COLUMN.is_match(h))
        .filter(|&c| c != name);
    let date_columns: Vec<(usize, MilestoneKind)> = head
        .iter()
        .enumerate()
        // The name column ("Deprecated feature or service") holds names, not dates.
        .filter(|&(c, _)| c != name)
        .filter(|(_, h)| !ANNOUNCED_COLUMN.is_match(h))
        .filter_map(|(c, h)| {
            DATE_COLUMN_PATTERNS
                .iter()
                .find(|(_, re)| re.is_match(h))
                .map(|(kind, _)| (c, *kind))
        })
        .collect();

    // "First supported GA AKS version": the column names the product whose minimum it holds.
    // Only a header that names versions names their product ("Azure CLI minimum version");
    // "Requirement" is no product.
    let column_products: Vec<Option<ProductRef>> = minimum_columns
        .iter()
        .map(|&c| {
            let h = &head[c];
            let at = h.to_ascii_lowercase().find("version")?;
            // "Contoso Rooms Minimum application version": the name comes before "Minimum"
            // when the words before "version" say what kind of version it is.
            let before_minimum = || {
                let at = MINIMUM_COLUMN.find(h)?.start();
                product::before(h, at).filter(|p| p.is_specific())
            };
            product::before(h, at)
                .filter(|p| p.is_specific())
                .or_else(before_minimum)
                .map(|p| cx.product(&p.name))
        })
        .collect();
    // "Python version | Release date | End of support": a version column that names its
    // product holds versions of that product, one per row.
    let named_versions = product::before(
        head[name],
        head[name].to_ascii_lowercase().find("version").unwrap_or(0),
    )
    .filter(|p| p.is_specific() && VERSION_COLUMN.is_match(head[name]))
    .map(|p| cx.product(&p.name));
    // What each header names, when it names a product of its own (".NET Framework", "Xcode").
    let header_products: Vec<Option<ProductRef>> = head
        .iter()
        .enumerate()
        .map(|(c, h)| {
            let named = c != name
                && Some(c) != impact
                && !date_columns.iter().any(|&(d, _)| d == c)
                && !NAME_COLUMN.is_match(h)
                && !MINIMUM_COLUMN.is_match(h)
                && !GENERIC_HEADER.is_match(h.trim());
            // The header is a product's name, or names its versions ("Supported Kubernetes
            // versions").
            let versions_of = || {
                let at = h.to_ascii_lowercase().find("version")?;
                product::before(h, at).filter(|p| p.is_specific())
            };
            named
                .then(|| {
                    product::leading(h.trim())
                        .filter(|p| p.is_specific() && p.name.len() == h.trim().len())
                        .or_else(versions_of)
                })
                .flatten()
                .map(|p| cx.product(&p.name))
        })
        .collect();
    // "| Device family | Universal, 10.0.15063.0 or higher |" over "| --- | --- |": a table of
    // names and values written without a header, whose first row is a fact like the others.
    if let [name, value] = head.as_slice()
        && !NAME_COLUMN.is_match(name)
        && !VERSION_COLUMN.is_match(name)
        && find_specs(value)
            .first()
            .is_some_and(|(at, _, _)| MIN_AFTER.is_match(&value[at.end..]))
    {
        let (product, clouds) = row_product(cx, header, name);
        super::requirements::cell(
            cx,
            (header, 1),
            product,
            clouds,
            claims,
            &mut facts.requirements,
        );
    }
    // A row with an empty name cell continues the product of the row above.
    let mut carried = String::new();
    for r in header + 1..=header + rows {
        let row = &cx.blocks[r];
        let own_name = row.cells.get(name).map(String::as_str).unwrap_or_default();
        if !own_name.trim().is_empty() {
            carried = own_name.to_string();
        }
        let row_name = carried.as_str();
        let package = packages
            .then(|| row_name.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|n| !n.is_empty() && !n.contains(char::is_whitespace));
        let (product, clouds) = match (&named_versions, package) {
            (Some(p), _) => (Some(p.clone()), Vec::new()),
            // A package column names packages, lower-case ones too ("azidentity").
            (None, Some(package)) => (Some(cx.product(package)), Vec::new()),
            // "Document | Minimum version": rows of documents, forms or settings name what
            // needs the version, not a product; the section's or title's product is the one.
            (None, None)
                if THING_COLUMN.is_match(head[name]) && find_specs(row_name).is_empty() =>
            {
                (cx.fallback_product(r), Vec::new())
            }
            (None, None) => row_product(cx, r, row_name),
        };
        // A row that names a quantity ("Worker node count | 1 | 2+") holds amounts, not
        // versions.
        let amounts = QUANTITY_NAME.is_match(row_name);
        // Minimum columns.
        let mut prose_cells = Vec::new();
        for (&c, column_product) in minimum_columns
            .iter()
            .zip(&column_products)
            .filter(|_| !amounts)
        {
            let Some(cell) = row.cells.get(c) else {
                continue;
            };
            if is_prose(cell) {
                prose_cells.push(c);
                continue;
            }
            let mut specs = find_specs(cell).into_iter();
            let Some(mut first) = specs.next() else {
                continue;
            };
            // "Windows 10 1511": a number that ends a name, then a release of it.
            if let Some(next) = specs.next()
                && first.2 == Shape::Single
                && cell[first.0.end..next.0.start].trim().is_empty()
            {
                first = next;
            }
            let (at, spec, shape) = first;
            if shape == Shape::Placeholder && !cell.trim().eq_ignore_ascii_case(spec_str(&spec)) {
                continue;
            }
            if UNIT_AFTER.is_match(&cell[at.end..]) {
                continue;
            }
            // A lone number must be the whole cell or follow a name ("Azure Local 2504").
            let bare = cell.trim_matches(|c: char| !c.is_alphanumeric()) == &cell[at.clone()];
            if shape == Shape::Single
                && !bare
                && product::before(cell, at.start).is_none_or(|p| !p.is_specific())
            {
                continue;
            }
            let named = product::before(cell, at.start).filter(|p| p.is_specific());
            // The cell may name the column's product more closely ("Windows 10" under
            // "Minimum Windows version").
            let column_product = match (column_product, &named) {
                (Some(column), Some(named))
                    if named.name.len() > column.name.len()
                        && named
                            .name
                            .to_lowercase()
                            .starts_with(&format!("{} ", column.name.to_lowercase())) =>
                {
                    None
                }
                (column, _) => column.clone(),
            };
            let named = named.map(|p| cx.product(&p.name));
            let Some(product) = column_product.or(named).or_else(|| product.clone()) else {
                continue;
            };
            let Some(spec) = cx.checked_spec(spec, row, row.line) else {
                continue;
            };
            claims.push(Claim {
                block: r,
                range: cell_offset(row, c) + at.start..cell_offset(row, c) + at.end,
            });
            facts.requirements.push(Requirement {
                product,
                minimum: spec,
                clouds: clouds.clone(),
                deadline: table_deadline(cx, header),
                text: row.text.clone(),
                source: cx.pos(row, row.line),
                pivot: row.pivot.clone(),
            });
        }
        // Cells that state a floor themselves ("Windows Server 2012 R2 or above"); a bare
        // floor ("4.6.2 or later") under a header that names a product (".NET Framework") is
        // that product's, not the row's.
        for c in (0..row.cells.len()).filter(|_| !amounts) {
            if (!minimum_columns.contains(&c) || prose_cells.contains(&c)) && Some(c) != impact {
                // A row may have more cells than the header: those have no header product.
                // A row that names a version ("Agent version | 1.83.0 or greater") says whose
                // the floor is itself; "Description" is no product.
                let header_product = header_products
                    .get(c)
                    .and_then(Option::as_ref)
                    .filter(|_| !VERSION_COLUMN.is_match(row_name))
                    .filter(|_| row.cells.get(c).is_some_and(|cell| is_bare_floor(cell)));
                super::requirements::cell(
                    cx,
                    (r, c),
                    header_product.cloned().or_else(|| product.clone()),
                    clouds.clone(),
                    claims,
                    &mut facts.requirements,
                );
            }
        }
        let row = &cx.blocks[r];
        // Lifecycle dates.
        for &(c, kind) in &date_columns {
            let Some(cell) = row.cells.get(c) else {
                continue;
            };
            let date =
                parse_date(cell).or_else(|| find_dates_in_cell(cell).first().map(|m| m.date));
            let Some(date) = date else {
                continue;
            };
            // The row's own release, when its name carries one ("Windows Server 2019"): the
            // date is that release's, not every release's of the product.
            let version_text = version
                .or(named_versions.as_ref().map(|_| name))
                .and_then(|v| row.cells.get(v))
                .filter(|v| !v.is_empty())
                .cloned()
                .or_else(|| {
                    find_specs(row_name)
                        .into_iter()
                        .last()
                        .map(|(at, _, _)| row_name[at].to_string())
                });
            facts.milestones.push(Milestone {
                kind,
                date,
                text: row.text.clone(),
                source: cx.pos(row, row.line),
                also_stated_at: Vec::new(),
                superseded_by: None,
                product: product.clone(),
                version: version_text,
                pivot: row.pivot.clone(),
            });
        }
        // Impacts.
        if let Some(text) = impact
            .filter(|&c| c != name)
            .and_then(|c| row.cells.get(c))
            .filter(|t| !t.is_empty())
            && !row_name.is_empty()
        {
            facts.impacts.push(Impact {
                product: cx.product(row_name),
                impact: text.clone(),
                source: cx.pos(row, row.line),
            });
        }
    }
}

/// The text of a spec.
fn spec_str(spec: &crate::version::VersionSpec) -> &str {
    match spec {
        crate::version::VersionSpec::Exact(v) => v.canonical(),
        crate::version::VersionSpec::Placeholder(p) => p,
    }
}

/// Where cell `c` starts in the row's text (cells are joined by ` | `).
pub(super) fn cell_offset(row: &Block, c: usize) -> usize {
    row.cells[..c.min(row.cells.len())]
        .iter()
        .map(|cell| cell.len() + 3)
        .sum()
}

/// The product a row is about: the row's name when it names a product, a cloud's row meaning
/// the notice's product, else the section's or the notice's product.
fn row_product(cx: &Context<'_>, r: usize, name: &str) -> (Option<ProductRef>, Vec<String>) {
    if let Some(cloud) = cloud_in(name).or_else(|| {
        let lower = name.to_lowercase();
        lower
            .ends_with(" cloud")
            .then(|| crate::slug::slugify(lower.trim_end_matches(" cloud")))
    }) {
        return (cx.fallback_product(r), vec![cloud]);
    }
    // The row's own name names what the row is about, even a plain noun ("Kernel version");
    // when it holds a version, the name before that version ("Apps using .NET Framework
    // version 2.0 or older" is about .NET Framework).
    let cleaned = name.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '+');
    // A name that is only a release ("21H2", "1809") names no product: the section's or the
    // title's is the one released.
    if find_specs(cleaned)
        .first()
        .is_some_and(|(at, _, _)| at.start == 0 && at.end == cleaned.len())
    {
        return (cx.fallback_product(r), Vec::new());
    }
    let versioned = find_specs(cleaned)
        .into_iter()
        .last()
        .and_then(|(at, _, _)| product::before(cleaned, at.start))
        .filter(|p| p.is_specific() && p.range.start > 0);
    match versioned.or_else(|| product::leading(cleaned)) {
        Some(p) => (Some(cx.product(&p.name)), Vec::new()),
        None => (cx.fallback_product(r), Vec::new()),
    }
}

/// A table's deadline: its lead-in's or its section's act-by date.
fn table_deadline(cx: &Context<'_>, header: usize) -> Option<crate::date::PartialDate> {
    let blocks = cx.blocks;
    // A paragraph of this section or an enclosing one that speaks of the table ("The table
    // lists the minimum build per agent; upgrade by September 23, 2024").
    scope::lead_in(blocks, header)
        .into_iter()
        .chain(scope::heading(blocks, header))
        .chain(about_the_table(blocks, header))
        .find_map(|b| scope::governing_deadline(&b.text, cx.year))
        .or_else(|| {
            scope::lead_in(blocks, header)
                .and_then(|b| scope::consequence_deadline(&b.text, cx.year))
        })
}

/// The paragraphs of a table's section or an enclosing one that speak of tables ("The tables
/// below show the required minimum supported versions"), before the table.
fn about_the_table(blocks: &[Block], header: usize) -> impl Iterator<Item = &Block> {
    let sections: Vec<usize> = scope::heading_indices(blocks, header).collect();
    blocks[..header].iter().filter(move |b| {
        b.kind == BlockKind::Paragraph
            && b.parent.is_none()
            && b.section.is_some_and(|s| sections.contains(&s))
            && TABLE_REFERENCE.is_match(&b.text)
    })
}
