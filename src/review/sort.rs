//! Sorting accesses and groups by a field, stably, with time as the tie-break.

use std::cmp::Ordering;

use super::context::ReviewContext;
use super::fields::{Field, GroupField, time_key};
use super::group::Group;

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

/// Sorts groups by `field`; ties keep the earlier first access first.
pub fn sort_groups(
    ctx: &ReviewContext<'_>,
    groups: &mut [Group],
    field: GroupField,
    direction: Direction,
) {
    let cmp = |a: &Group, b: &Group| -> Ordering {
        let primary = field.compare(ctx, a, b);
        let primary = match direction {
            Direction::Ascending => primary,
            Direction::Descending => primary.reverse(),
        };
        primary.then(a.stats.first.cmp(&b.stats.first))
    };
    groups.sort_by(cmp);
}
