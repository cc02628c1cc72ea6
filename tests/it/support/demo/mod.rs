//! Generator of the bundled demo campaign (`assets/demo/`).
//!
//! The demo is a synthetic phishing-awareness campaign at a fictional Japanese
//! trading company, 桜商事 (`sakura-shoji.example`). Everything is derived from
//! one fixed seed with a tiny splitmix64 generator, so the committed
//! `assets/demo/campaign.csv` and `assets/demo/ranges.tsv` can be rebuilt byte
//! for byte (`WHOCLICKED_REGENERATE_DEMO=1 cargo test --test demo_files`).
//!
//! Every row carries its ground truth ([`Truth`]) and the part of the story it
//! belongs to ([`Source`]), so tests can score a classifier against the demo.
//!
//! The parts: [`ranges`] (the owner table), [`rows`] (a row, its truth, the
//! clock, the CSV), [`cast`] (departments, people, send waves), [`agents`]
//! (User-Agents and screens), [`rng`] (the seeded generator) and [`story`]
//! (who accesses what, when, from where).
//!
//! Include it from an integration test with
//! `#[path = "support/demo/mod.rs"] mod demo;`.
#![allow(dead_code)]

mod agents;
mod cast;
mod ranges;
mod rng;
mod rows;
mod story;

// The public names, as one flat module; each test file uses some of them.
#[allow(unused_imports)]
pub use cast::{Cast, DEPARTMENTS, MIMECAST_DEPARTMENT, PROOFPOINT_DEPARTMENT, Person, WAVES};
#[allow(unused_imports)]
pub use ranges::{Block, RANGES, Range, range, range_of, ranges_tsv};
#[allow(unused_imports)]
pub use rows::{
    Carrier, DemoRow, EPOCH_UNIX, Malformed, Source, Truth, format_time, hms, to_csv,
    unreadable_time,
};

use rng::Rng;

/// The mail domain of the fictional company.
pub const DOMAIN: &str = "sakura-shoji.example";
/// Header of the native CSV.
pub const HEADER: &str = "time,event,recipient,ip,user_agent,screen,method,department";
/// Number of recipients the training mail went to.
pub const RECIPIENTS: usize = 240;
/// The address written for the row whose IP cannot be read.
pub const BAD_IP: &str = "10.0.300.1";
/// The screen written for the row whose screen cannot be read.
pub const BAD_SCREEN: &str = "axb";

const SEED: u64 = 0x5A4B_5241_2026_1110;
const DAY: i64 = 86_400;

/// The whole demo campaign, in file order (by time; the malformed rows sit
/// where their intended time puts them).
pub fn demo_campaign() -> Vec<DemoRow> {
    // One stream: the cast is drawn first, the story continues where it stopped.
    let mut rng = Rng::splitmix64(SEED);
    let cast = cast::cast(&mut rng);
    story::campaign(&cast, rng)
}

/// The rows whoclicked can read: all but the ones broken on purpose.
pub fn readable(rows: &[DemoRow]) -> impl Iterator<Item = &DemoRow> {
    rows.iter().filter(|r| r.malformed.is_none())
}

/// The cast (recipients with department and delivery time, and who is who).
pub fn demo_cast() -> Cast {
    cast::cast(&mut Rng::splitmix64(SEED))
}
