//! The review model: which accesses the analyst sees, in which order, and
//! gathered how. It knows nothing of terminals; the review screen drives it.

mod context;
mod field;
mod filter;
mod group;
mod sort;
mod view;

pub use context::ReviewContext;
pub use field::Field;
pub use filter::{Filter, FilterError};
pub use group::{
    GROUP_AGREEMENT, Group, GroupBy, GroupKey, GroupStats, build_groups, estimated_network,
    group_key, group_stats,
};
pub use sort::{Direction, GroupField, sort_accesses, sort_groups};
pub use view::{SortBy, StatusFilter, ViewKind, ViewRows, ViewSpec, build_view};
