//! Values every log format carries the same way: times, addresses, screen
//! sizes, URL queries and the client behind X-Forwarded-For.

pub(super) mod date_order;
pub(super) mod fields;
pub(super) mod forwarded;
pub(super) mod query;
pub(super) mod timestamp;
