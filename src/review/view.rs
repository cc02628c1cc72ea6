//! A view: which rows the screen shows, given the view kind, the quick status
//! filter, the filter text and the sort. Building one is a pure function, so
//! the screen can run it on a worker thread for large campaigns.

use std::sync::Arc;

use super::context::ReviewContext;
use super::fields::{Field, GroupField};
use super::filter::Filter;
use super::group::{Group, GroupBy, build_groups};
use super::queue::UnsureIndex;
use super::sort::{Direction, sort_accesses, sort_groups};
use crate::model::{Event, Leaning, RowKind};

/// The table the screen shows; `Tab` cycles through them in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ViewKind {
    #[default]
    Accesses,
    Grouped(GroupBy),
}

impl ViewKind {
    pub const CYCLE: [ViewKind; 5] = [
        ViewKind::Accesses,
        ViewKind::Grouped(GroupBy::Ip),
        ViewKind::Grouped(GroupBy::Network),
        ViewKind::Grouped(GroupBy::Asn),
        ViewKind::Grouped(GroupBy::Recipient),
    ];

    pub fn next(self) -> ViewKind {
        let pos = Self::CYCLE.iter().position(|&k| k == self).unwrap_or(0);
        Self::CYCLE[(pos + 1) % Self::CYCLE.len()]
    }

    /// The view before this one in the cycle (Shift-Tab).
    pub fn previous(self) -> ViewKind {
        let pos = Self::CYCLE.iter().position(|&k| k == self).unwrap_or(0);
        Self::CYCLE[(pos + Self::CYCLE.len() - 1) % Self::CYCLE.len()]
    }

    /// The view's name for rows of `rows`: a mail's hops and a sign-in
    /// log's events are not accesses, and their "recipient" is the mail or
    /// the account.
    pub fn title_for(self, rows: RowKind) -> &'static str {
        match (self, rows) {
            (ViewKind::Accesses, RowKind::Hop) => "hops",
            (ViewKind::Grouped(GroupBy::Recipient), RowKind::Hop) => "by mail",
            (ViewKind::Accesses, RowKind::SignIn) => "events",
            (ViewKind::Grouped(GroupBy::Recipient), RowKind::SignIn) => "by account",
            _ => self.title(),
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ViewKind::Accesses => "accesses",
            ViewKind::Grouped(GroupBy::Ip) => "by IP",
            ViewKind::Grouped(GroupBy::Network) => "by network",
            ViewKind::Grouped(GroupBy::Asn) => "by organisation",
            ViewKind::Grouped(GroupBy::Recipient) => "by recipient",
        }
    }
}

/// The quick filters on keys `1`–`5`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum StatusFilter {
    #[default]
    All,
    /// No analyst verdict yet.
    Unlabelled,
    /// Human by verdict, or by suggestion where there is no verdict.
    Human,
    Scanner,
    /// No verdict and a suggestion that does not decide.
    Unsure,
    /// The review queue: the unsure clicks and submits of recipients left
    /// unsure (no human click); by recipient, sorted by impact, it is the
    /// queue itself (`queue::review_queue`).
    Queue,
}

impl StatusFilter {
    pub fn title(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Unlabelled => "unlabelled",
            StatusFilter::Human => "human",
            StatusFilter::Scanner => "scanner",
            StatusFilter::Unsure => "unsure",
            StatusFilter::Queue => "review queue",
        }
    }

    /// Whether access `i` passes; `unsure` is the campaign's unsure
    /// recipients, which the review queue needs (built by [`build_view`]).
    pub fn accepts(self, ctx: &ReviewContext<'_>, unsure: Option<&UnsureIndex>, i: u32) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Unlabelled => ctx.verdict(i).is_none(),
            StatusFilter::Human => ctx.effective(i) == Leaning::Human,
            StatusFilter::Scanner => ctx.effective(i) == Leaning::Scanner,
            StatusFilter::Unsure => ctx.effective(i) == Leaning::Unsure,
            StatusFilter::Queue => {
                let a = ctx.access(i);
                ctx.effective(i) == Leaning::Unsure
                    && matches!(a.event, Event::Click | Event::Submit)
                    && a.recipient()
                        .is_some_and(|r| unsure.is_some_and(|u| u.is_unsure(r)))
            }
        }
    }
}

/// Sort of the accesses view or of a group view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    Access(Field, Direction),
    Group(GroupField, Direction),
}

#[derive(Clone, Debug, Default)]
pub struct ViewSpec {
    pub kind: ViewKind,
    pub status: StatusFilter,
    pub filter: Filter,
    /// `None` keeps log order (accesses) or first-seen order (groups).
    pub sort: Option<SortBy>,
    /// Only these accesses (a group the analyst opened), in log order; `None` is all.
    pub within: Option<Arc<[u32]>>,
}

/// The rows of a built view.
#[derive(Clone, Debug, PartialEq)]
pub enum ViewRows {
    /// Access indices in display order.
    Accesses(Vec<u32>),
    Groups(Vec<Group>),
}

impl ViewRows {
    pub fn len(&self) -> usize {
        match self {
            ViewRows::Accesses(rows) => rows.len(),
            ViewRows::Groups(groups) => groups.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Filters, groups and sorts. Pure: same inputs, same rows.
pub fn build_view(ctx: &ReviewContext<'_>, spec: &ViewSpec) -> ViewRows {
    let unsure = (spec.status == StatusFilter::Queue).then(|| UnsureIndex::new(ctx));
    let accepts = |i: u32| spec.status.accepts(ctx, unsure.as_ref(), i);
    let all: Vec<u32> = match &spec.within {
        Some(rows) => rows
            .iter()
            .copied()
            .filter(|&i| (i as usize) < ctx.len() && accepts(i))
            .collect(),
        None => (0..ctx.len() as u32).filter(|&i| accepts(i)).collect(),
    };
    let mut rows = spec.filter.apply(ctx, &all);
    match spec.kind {
        ViewKind::Accesses => {
            if let Some(SortBy::Access(field, direction)) = spec.sort {
                sort_accesses(ctx, &mut rows, field, direction);
            }
            ViewRows::Accesses(rows)
        }
        ViewKind::Grouped(by) => {
            let mut groups = build_groups(ctx, &rows, by);
            if let Some(SortBy::Group(field, direction)) = spec.sort {
                sort_groups(ctx, &mut groups, field, direction);
            }
            ViewRows::Groups(groups)
        }
    }
}
