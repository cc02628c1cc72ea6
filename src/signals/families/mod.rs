//! The signal families: each file turns one kind of observation into
//! [`Evidence`](super::Evidence) with the signature list's weights, and
//! leaves combining it to [`combine`](super::combine).
//!
//! By what they read: `method`, `user_agent` and `screen` read the access
//! itself (the last two with campaign-wide context: the campaign's browser
//! versions, the share of page views with a screen); `owner` and `note` its
//! address, once per address; `timing` the delay after delivery, known or
//! estimated from the send waves `waves` finds; `history`, `spread` and
//! `session` what the address or recipient did across the campaign; and
//! `pairing` the first pass's scores of the recipient's other accesses.
//! A file may hold more than one [`Family`](super::Family) of facts, as the
//! detail pane groups them (`history`'s facts are spread, `session`'s are
//! pairing, `waves`' are timing).

pub(super) mod abroad;
pub(super) mod history;
pub(super) mod method;
pub(super) mod note;
pub(super) mod order;
pub(super) mod owner;
pub(super) mod pairing;
pub(super) mod screen;
pub(super) mod session;
pub(super) mod spread;
pub(super) mod timing;
pub(super) mod user_agent;
pub(super) mod waves;
