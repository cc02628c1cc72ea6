//! Test support for the crate's own tests and benches, built only with the
//! `testing` feature (never in a release build): the seeded generator every
//! made-up input is drawn from. The screen's made-up campaigns and inline
//! runner are in `tui::testing`.

mod rng;

pub use rng::Rng;
