//! Values every log format carries the same way: times, addresses, screen
//! sizes, URL queries and the client behind X-Forwarded-For.

pub(crate) mod date_order;
pub(crate) mod fields;
pub(crate) mod forwarded;
pub(crate) mod query;
pub(crate) mod timestamp;
