//! Sorting accesses and groups by a column, stably, with time as the tie-break.

use std::cmp::{Ordering, Reverse};

use super::context::ReviewContext;
use super::fields::{Field, time_key};
use super::group::{Group, GroupKey};
use crate::text::escape_controls;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Ascending,
    Descending,
}

impl Direction {
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::Ascending => "↑",
            Direction::Descending => "↓",
        }
    }
}

/// Orders access indices by `field`; equal values keep time order, then file order.
pub fn sort_accesses(
    ctx: &ReviewContext<'_>,
    rows: &mut [u32],
    field: Field,
    direction: Direction,
) {
    let keys = field.sort_keys(ctx, rows);
    let mut keyed: Vec<(u64, u64, u32)> = rows
        .iter()
        .zip(keys)
        .map(|(&i, k)| {
            let k = match direction {
                Direction::Ascending => k,
                Direction::Descending => !k,
            };
            (k, time_key(ctx, i), i)
        })
        .collect();
    // The index as last component makes the unstable sort deterministic.
    keyed.sort_unstable();
    for (slot, (_, _, i)) in rows.iter_mut().zip(keyed) {
        *slot = i;
    }
}

/// A column of a group view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupField {
    Key,
    Owner,
    Accesses,
    Recipients,
    Human,
    Scanner,
    Unlabelled,
    First,
    Last,
    Fastest,
    TypicalUa,
    Screen,
    Suggestion,
}

impl GroupField {
    pub const ALL: [GroupField; 13] = [
        GroupField::Key,
        GroupField::Owner,
        GroupField::Accesses,
        GroupField::Recipients,
        GroupField::Human,
        GroupField::Scanner,
        GroupField::Unlabelled,
        GroupField::First,
        GroupField::Last,
        GroupField::Fastest,
        GroupField::TypicalUa,
        GroupField::Screen,
        GroupField::Suggestion,
    ];

    pub fn title(self) -> &'static str {
        match self {
            GroupField::Key => "group",
            GroupField::Owner => "owner",
            GroupField::Accesses => "acc",
            GroupField::Recipients => "rcpt",
            GroupField::Human => "hum",
            GroupField::Scanner => "scan",
            GroupField::Unlabelled => "unlab",
            GroupField::First => "first",
            GroupField::Last => "last",
            GroupField::Fastest => "fastest",
            GroupField::TypicalUa => "typical UA",
            GroupField::Screen => "screen",
            GroupField::Suggestion => "suggest",
        }
    }
}

/// Sorts groups by `field`; ties keep the earlier first access first.
pub fn sort_groups(
    ctx: &ReviewContext<'_>,
    groups: &mut [Group],
    field: GroupField,
    direction: Direction,
) {
    let cmp = |a: &Group, b: &Group| -> Ordering {
        let (x, y) = (&a.stats, &b.stats);
        let primary = match field {
            GroupField::Key => key_order(ctx, &a.key, &b.key),
            GroupField::Owner => a
                .owner_label(ctx)
                .to_lowercase()
                .cmp(&b.owner_label(ctx).to_lowercase()),
            GroupField::Accesses => x.accesses.cmp(&y.accesses),
            GroupField::Recipients => x.recipients.cmp(&y.recipients),
            GroupField::Human => x.human.cmp(&y.human),
            GroupField::Scanner => x.scanner.cmp(&y.scanner),
            GroupField::Unlabelled => x.unlabelled.cmp(&y.unlabelled),
            GroupField::First => x.first.cmp(&y.first),
            GroupField::Last => x.last.cmp(&y.last),
            GroupField::Fastest => match (x.fastest, y.fastest) {
                (Some(p), Some(q)) => p.total_cmp(&q),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            GroupField::TypicalUa => typical_ua(ctx, a).cmp(&typical_ua(ctx, b)),
            GroupField::Screen => x
                .typical_screen
                .map(Reverse)
                .cmp(&y.typical_screen.map(Reverse))
                .reverse(),
            GroupField::Suggestion => x.suggestion.cmp(&y.suggestion),
        };
        let primary = match direction {
            Direction::Ascending => primary,
            Direction::Descending => primary.reverse(),
        };
        primary.then(x.first.cmp(&y.first))
    };
    groups.sort_by(cmp);
}

fn typical_ua(ctx: &ReviewContext<'_>, g: &Group) -> String {
    g.stats
        .typical_ua
        .map(|ua| escape_controls(ctx.analysis.campaign.user_agent(ua)).to_lowercase())
        .unwrap_or_default()
}

fn key_order(ctx: &ReviewContext<'_>, a: &GroupKey, b: &GroupKey) -> Ordering {
    let campaign = &ctx.analysis.campaign;
    match (a, b) {
        (GroupKey::Ip(x), GroupKey::Ip(y)) => campaign.ip(*x).cmp(&campaign.ip(*y)),
        (GroupKey::Network { network: x, .. }, GroupKey::Network { network: y, .. }) => {
            x.ip().cmp(&y.ip()).then(x.prefix().cmp(&y.prefix()))
        }
        // Unknown AS last.
        (GroupKey::Asn(x), GroupKey::Asn(y)) => x.map(Reverse).cmp(&y.map(Reverse)).reverse(),
        (GroupKey::Recipient(x), GroupKey::Recipient(y)) => {
            let name = |r: &Option<crate::model::RecipientId>| {
                r.map(|r| {
                    campaign
                        .strings
                        .get(campaign.recipient(r).name)
                        .to_lowercase()
                })
            };
            name(x).map(Reverse).cmp(&name(y).map(Reverse)).reverse()
        }
        _ => Ordering::Equal,
    }
}
