//! Opens the review screen on a made-up campaign of N accesses (default
//! 2,000): a way to try the screen, and to feel its speed at a million rows,
//! without log files or databases. `cargo run --release --example
//! synthetic_review -- 1000000`.

use std::sync::{Arc, Mutex};

use whoclicked::tui::store::{LabelStore, MemoryStore};
use whoclicked::tui::{TuiOptions, colour_wanted, run, testing};

fn main() -> anyhow::Result<()> {
    let n: usize = match std::env::args().nth(1) {
        Some(arg) => arg.parse()?,
        None => 2_000,
    };
    let mut session = testing::session();
    session.clock = whoclicked::tui::app::system_clock;
    let store: Box<dyn LabelStore> = Box::new(MemoryStore::new());
    run(TuiOptions {
        session,
        loader: Box::new(move |_progress| Ok(testing::synthetic(n))),
        store: Arc::new(Mutex::new(store)),
        colour: colour_wanted(),
    })?;
    Ok(())
}
