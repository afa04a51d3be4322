//! Stage 4, reconcile: which revision of an advisory stands.
//!
//! Revisions are ordered by explicit metadata first (`revision`, then `updated`), then by
//! `ms.date`. Learn often republishes a notice without touching `ms.date`, so a tie is
//! common; until content evidence is weighed, a tie falls back to path order and is marked
//! [`OrderBasis::Undecided`] so the page can say so.

use std::cmp::Ordering;

use crate::model::Notice;

/// What decided the order of an advisory's revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderBasis {
    /// There is only one revision.
    Single,
    /// Frontmatter `revision` numbers.
    Revision,
    /// Frontmatter `updated` dates.
    Updated,
    /// `ms.date`.
    MsDate,
    /// Nothing distinguished them; path order was used.
    Undecided,
}

impl OrderBasis {
    /// A short phrase for pages: "ordered by ...".
    pub fn describe(self) -> &'static str {
        match self {
            OrderBasis::Single => "only one revision",
            OrderBasis::Revision => "ordered by their `revision` numbers",
            OrderBasis::Updated => "ordered by their `updated` dates",
            OrderBasis::MsDate => "ordered by their `ms.date`",
            OrderBasis::Undecided => "nothing in the files orders them; file order was used",
        }
    }
}

/// An advisory's revisions, oldest first; the last one stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revisions {
    /// Notice indices, oldest first.
    pub order: Vec<usize>,
    /// What decided the order.
    pub basis: OrderBasis,
}

impl Revisions {
    /// The revision that stands.
    pub fn current(&self) -> usize {
        self.order.last().copied().unwrap_or_default()
    }
}

type Compare = fn(&Notice, &Notice) -> Ordering;

/// Orders the revisions `members` (indices into `notices`).
pub fn order(members: &[usize], notices: &[Notice]) -> Revisions {
    let mut order = members.to_vec();
    if order.len() < 2 {
        return Revisions {
            order,
            basis: OrderBasis::Single,
        };
    }
    let keys: [(OrderBasis, Compare); 3] = [
        (OrderBasis::Revision, |a, b| {
            a.front.revision.cmp(&b.front.revision)
        }),
        (OrderBasis::Updated, |a, b| {
            a.front.updated.cmp(&b.front.updated)
        }),
        (OrderBasis::MsDate, |a, b| {
            a.front.ms_date.cmp(&b.front.ms_date)
        }),
    ];
    let decisive = keys.iter().find(|(_, cmp)| {
        order.iter().enumerate().all(|(i, &a)| {
            order[i + 1..]
                .iter()
                .all(|&b| cmp(&notices[a], &notices[b]) != Ordering::Equal)
        })
    });
    let basis = match decisive {
        Some(&(basis, cmp)) => {
            order.sort_by(|&a, &b| {
                cmp(&notices[a], &notices[b]).then_with(|| notices[a].path.cmp(&notices[b].path))
            });
            basis
        }
        None => {
            order.sort_by(|&a, &b| notices[a].path.cmp(&notices[b].path));
            OrderBasis::Undecided
        }
    };
    Revisions { order, basis }
}
