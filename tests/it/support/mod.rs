//! What several test modules share: the labelled evaluation campaigns
//! (`eval`), the independently written held-out world (`heldout`), the demo
//! generator (`demo`), generated logs of any size (`logs`), `.mmdb` fixtures
//! built with the project's writer (`mmdb`) and the screen's key and view
//! helpers (`screen`).

pub mod demo;
pub mod eval;
pub mod heldout;
pub mod heldout_score;
pub mod logs;
pub mod mmdb;
pub mod reliability;
#[cfg(feature = "tui")]
pub mod screen;
