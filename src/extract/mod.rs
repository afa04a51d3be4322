//! Stage 3, extract: structured facts from one notice's outline: minimum versions per
//! product, dated cutoffs, and impacts.
//!
//! Notices are prose written for people, so extraction follows how people write a
//! requirement: a version with words that make it a floor ("or later", "at least", "minimum
//! version") or a need ("requires", "must"), in a sentence, a list item or a table, with the
//! product named right before it ("Azure CLI version 2.61.0") and the deadline stated with it
//! or above it. Everything else a notice holds (release contents, support matrices, hardware
//! figures, conditions, history) is left alone: a wrong requirement costs a fleet more than a
//! missing one. The words each rule reads are in `cues`; none names a product or a file.

mod cues;
mod milestones;
mod product;
mod requirements;
mod scope;
mod tables;
mod text;

use std::ops::Range;

use crate::catalog::Catalog;
use crate::date::{DateMention, DateProblem, find_dates, find_dates_in_year};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::ProductRef;
use crate::model::{Block, BlockKind, Facts, Notice, SourcePos};

/// Extracts the facts of `notice` from its outline `blocks`.
pub fn extract(notice: &Notice, blocks: &[Block], catalog: &Catalog) -> (Facts, Vec<Diagnostic>) {
    let mut cx = Context {
        notice,
        blocks,
        catalog,
        diagnostics: Vec::new(),
        subject: None,
        year: notice.front.ms_date.map(|d| d.year()),
    };
    cx.subject = cx.subject();
    let mut claims = Vec::new();
    let mut requirements = requirements::requirements(&mut cx, &mut claims);
    let table_facts = tables::tables(&mut cx, &mut claims);
    requirements.extend(table_facts.requirements);
    requirements.sort_by(|a, b| a.source.cmp(&b.source));
    // One statement read twice (two cells of a row, a sentence and its anaphora) is one fact.
    requirements.dedup_by(|a, b| {
        a.source == b.source
            && a.product == b.product
            && a.minimum == b.minimum
            && a.clouds == b.clouds
            && a.pivot == b.pivot
    });
    let mut milestones = milestones::milestones(&mut cx, &claims);
    milestones.extend(table_facts.milestones);
    milestones.sort_by(|a, b| (a.date, a.kind, &a.source).cmp(&(b.date, b.kind, &b.source)));
    let impacts = table_facts.impacts;
    let mut diagnostics = cx.diagnostics;
    let mut unknown: Vec<(&ProductRef, &SourcePos)> = requirements
        .iter()
        .map(|r| (&r.product, &r.source))
        .chain(impacts.iter().map(|i| (&i.product, &i.source)))
        .filter(|(p, _)| !p.in_catalog)
        .collect();
    unknown.sort();
    unknown.dedup_by(|a, b| a.0 == b.0);
    for (product, source) in unknown {
        let text = if source.file == notice.path {
            notice.source.as_str()
        } else {
            ""
        };
        diagnostics.push(
            Diagnostic::new(
                Code::UnknownProduct,
                source.file.site_path(),
                format!(
                    "`{}` is not in content/_products.yaml; it was given the id `{}`",
                    product.name, product.id
                ),
            )
            .at_source_text(text, source.line, &product.name)
            .with_hint("add each to content/_products.yaml, or as an alias of a product there (`bulletin catalog` drafts an entry for every product the notices name)"),
        );
    }
    (
        Facts {
            subject: cx.subject,
            requirements,
            milestones,
            impacts,
        },
        diagnostics,
    )
}

/// A stretch of a block's text read as a version, so that no date is read from it too
/// ("Windows Server Essentials before 2019").
struct Claim {
    block: usize,
    range: Range<usize>,
}

/// What every extraction step reads, and where it reports.
struct Context<'a> {
    notice: &'a Notice,
    blocks: &'a [Block],
    catalog: &'a Catalog,
    diagnostics: Vec<Diagnostic>,
    /// The product the notice is about.
    subject: Option<ProductRef>,
    /// The year a day written without one ("by September 18th") is read in: the notice's.
    year: Option<i16>,
}

impl Context<'_> {
    /// Where a fact stated at `line` of `block` comes from: the notice, or the file it
    /// includes that the block was written in.
    fn pos(&self, block: &Block, line: u32) -> SourcePos {
        SourcePos {
            file: block
                .file
                .clone()
                .unwrap_or_else(|| self.notice.path.clone()),
            line,
        }
    }

    /// Reports a problem with `text` at `line` of `block`'s file (the line is shown, with
    /// `text` marked in it, only for the notice's own text; an included file's text is not at
    /// hand here).
    fn report(&mut self, code: Code, block: &Block, line: u32, text: &str, message: String) {
        let diagnostic =
            match &block.file {
                Some(file) => Diagnostic::new(code, file.site_path(), message).at_line(line),
                None => Diagnostic::new(code, self.notice.path.site_path(), message)
                    .at_source_text(&self.notice.source, line, text),
            };
        self.diagnostics.push(diagnostic);
    }

    /// The dates of a sentence, days without a year read in the notice's year.
    fn dates(&self, sentence: &str) -> Vec<DateMention> {
        self.dates_with_problems(sentence).0
    }

    fn dates_with_problems(&self, sentence: &str) -> (Vec<DateMention>, Vec<DateProblem>) {
        match self.year {
            Some(year) => find_dates_in_year(sentence, year),
            None => find_dates(sentence),
        }
    }

    /// The product a name refers to: the catalog's when it knows the name or a name inside
    /// it, else one derived from the name.
    fn product(&self, name: &str) -> ProductRef {
        match self
            .catalog
            .find(name)
            .or_else(|| self.catalog.find_in(name))
        {
            Some(product) => self.catalog.resolve(&product.name),
            None => self.catalog.resolve(name),
        }
    }

    /// The product the notice is about: the longest catalog name in its title or first
    /// heading, else the product phrase the two share (or the title's alone).
    fn subject(&self) -> Option<ProductRef> {
        let h1 = self
            .blocks
            .iter()
            .find(|b| b.kind == BlockKind::Heading(1))
            .map(|b| b.text.as_str());
        let title = self.notice.front.title.as_deref();
        if let Some(p) = title
            .into_iter()
            .chain(h1)
            .find_map(|t| self.catalog.find_in(t))
        {
            return Some(self.catalog.resolve(&p.name));
        }
        let phrase = match title {
            Some(title) => product::of_title(title, h1),
            None => h1.and_then(|h| product::of_title(h, None)),
        };
        phrase.map(|name| self.catalog.resolve(&name))
    }
}
