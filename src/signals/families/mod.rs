//! The signal families: each file turns one kind of observation into
//! [`Evidence`](super::Evidence).

pub(super) mod history;
pub(super) mod method;
pub(super) mod owner;
pub(super) mod pairing;
pub(super) mod screen;
pub(super) mod session;
pub(super) mod spread;
pub(super) mod timing;
pub(super) mod user_agent;
pub(super) mod waves;
