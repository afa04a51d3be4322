//! Stage 3, extract: structured facts from one notice's outline: minimum versions per
//! product, dated milestones, and impacts.
//!
//! Notices are prose written for people, so extraction follows how people write them: a
//! list of `Product: version V or higher` items under a sentence that says "by D"; nested
//! items that name a product family's members; items that name only a cloud and mean the
//! notice's own product; tables with a version column; and dates whose meaning comes from the
//! word before them ("by", "after", "since") and the verb around them ("retired", "won't
//! work").

mod milestones;
mod requirements;
mod text;

use crate::catalog::{Catalog, ProductRef};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Block, Facts, Notice, SourcePos};

/// Extracts the facts of `notice` from its outline `blocks`.
pub fn extract(notice: &Notice, blocks: &[Block], catalog: &Catalog) -> (Facts, Vec<Diagnostic>) {
    let mut cx = Context {
        notice,
        blocks,
        catalog,
        diagnostics: Vec::new(),
    };
    let subject = cx.subject();
    let milestones = milestones::milestones(&mut cx);
    let (requirements, impacts) =
        requirements::requirements(&mut cx, subject.as_ref(), &milestones);
    let mut diagnostics = cx.diagnostics;
    let mut unknown: Vec<&ProductRef> = requirements
        .iter()
        .map(|r| &r.product)
        .chain(impacts.iter().map(|i| &i.product))
        .filter(|p| !p.in_catalog)
        .collect();
    unknown.sort();
    unknown.dedup();
    for product in unknown {
        let line = requirements
            .iter()
            .filter(|r| r.product == *product)
            .map(|r| r.source.line)
            .chain(
                impacts
                    .iter()
                    .filter(|i| i.product == *product)
                    .map(|i| i.source.line),
            )
            .min()
            .unwrap_or(1);
        diagnostics.push(
            Diagnostic::new(
                Code::UnknownProduct,
                notice.path.site_path(),
                format!(
                    "`{}` is not in content/_products.yaml; it was given the id `{}`. Add it (or an alias) to the catalog",
                    product.name, product.id
                ),
            )
            .at_source_line(&notice.source, line),
        );
    }
    (
        Facts {
            subject,
            requirements,
            milestones,
            impacts,
        },
        diagnostics,
    )
}

/// What every extraction step reads, and where it reports.
struct Context<'a> {
    notice: &'a Notice,
    blocks: &'a [Block],
    catalog: &'a Catalog,
    diagnostics: Vec<Diagnostic>,
}

impl Context<'_> {
    fn pos(&self, line: u32) -> SourcePos {
        SourcePos {
            file: self.notice.path.clone(),
            line,
        }
    }

    fn report(&mut self, code: Code, line: u32, message: String) {
        self.diagnostics.push(
            Diagnostic::new(code, self.notice.path.site_path(), message)
                .at_source_line(&self.notice.source, line),
        );
    }

    /// The product the notice is about: the longest catalog name in its title, else in its
    /// first heading.
    fn subject(&self) -> Option<ProductRef> {
        let h1 = self
            .blocks
            .iter()
            .find(|b| b.kind == crate::model::BlockKind::Heading(1))
            .map(|b| b.text.as_str());
        let title = self.notice.front.title.as_deref();
        title
            .into_iter()
            .chain(h1)
            .find_map(|t| self.catalog.find_in(t))
            .map(|p| self.catalog.resolve(&p.name))
    }
}
