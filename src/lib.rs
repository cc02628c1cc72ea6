//! whoclicked: who really clicked in a phishing-awareness campaign, and which
//! accesses were mail-security scanners.
//!
//! The library is the whole pipeline and knows nothing of terminals:
//! [`input`] reads campaign logs into a [`model::Campaign`], [`owner`] and
//! [`ua`] enrich every distinct address and User-Agent into an
//! [`enriched::Enriched`] campaign, [`signals`] suggest and [`kb`] resolves
//! the analyst's verdicts into an [`analysis::Analysis`] ([`pipeline`] does
//! it all, from the user's choices), [`review`] sorts, filters and groups it
//! for the review screen, and [`report`] writes it as a table, CSV or JSON.
//! The `whoclicked` binary is a thin shell over these.
//!
//! The review screen itself (`tui`, on ratatui) is the one part that draws
//! on a terminal; it is built only with the default `tui` feature, so
//! `--no-default-features` gives the pipeline without any terminal code.
//! Test support (`testing`, and the screen's `tui::testing`) is built only
//! with the `testing` feature, which the crate's own tests and benches turn on.

pub mod analysis;
pub mod atomic_file;
pub mod demo;
pub mod enriched;
mod fasthash;
pub mod followup;
pub mod input;
pub mod kb;
pub mod mail;
pub mod mmdb;
pub mod model;
pub mod network;
pub mod owner;
pub mod pipeline;
pub mod report;
pub mod review;
pub mod signals;
pub mod signin;
#[cfg(feature = "testing")]
pub mod testing;
pub mod text;
#[cfg(feature = "tui")]
pub mod tui;
pub mod ua;
