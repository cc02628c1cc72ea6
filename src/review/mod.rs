//! The review model: which accesses the analyst sees, in which order, and
//! gathered how. It knows nothing of terminals; the review screen drives it.

mod context;
mod counts;
mod fields;
mod filter;
mod group;
mod headline;
mod index;
mod labels;
mod learning;
mod queue;
mod sort;
mod view;

pub use context::ReviewContext;
pub use counts::Counts;
pub use fields::{
    AccessField, CellKind, Common, Field, Form, GroupField, HopField, NO_DATE, Subject,
    confidence_text,
};
pub use filter::{Filter, FilterError, Highlight};
pub use group::{
    GROUP_AGREEMENT, Group, GroupBy, GroupKey, GroupStats, build_groups, estimated_network,
    group_key, group_rule, group_stats,
};
pub use headline::{Basis, Headline, percent};
pub use index::ReviewIndex;
pub use labels::{
    Change, LabelBook, LabelInfo, LabelKey, Scope, apply_changes, ips_reached, preview, reach,
    resolve_all, revert_changes, shadowed, verdict_tag,
};
pub use learning::{Learned, Like, Shared, learn};
pub use queue::{QueueEntry, UnsureIndex, review_queue};
pub use sort::{Direction, sort_accesses, sort_groups};
pub use view::{SortBy, StatusFilter, ViewKind, ViewRows, ViewSpec, build_view};
