//! Prints the suggestions' figures on the held-out world
//! (tests/it/support/heldout): the matrix per input format and
//! perturbation, per scenario family, and a reliability table (confidence
//! shown against how often the suggestion was right).
//! `cargo bench --bench heldout` (or `cargo test --bench heldout` for a
//! debug build: the same figures, slower).
//!
//! These campaigns were written independently of the signature file and
//! of the evaluation set; they are for measuring, never for tuning.

#[allow(unused_imports)]
#[path = "../tests/it/support/heldout/mod.rs"]
mod heldout;
#[path = "../tests/it/support/heldout_score.rs"]
mod heldout_score;
#[path = "../tests/it/support/reliability.rs"]
mod reliability;

use std::sync::Arc;
use std::time::Instant;

use heldout_score::{reliability, score_all, tables};
use whoclicked::signals::Signatures;

fn main() {
    let signatures = Arc::new(Signatures::builtin().expect("the built-in signatures load"));
    let started = Instant::now();
    let files = score_all(&signatures);
    let accesses: usize = files.iter().map(|f| f.accesses.len()).sum();
    println!(
        "{} files, {accesses} accesses, written, read and analysed in {:.1} s\n",
        files.len(),
        started.elapsed().as_secs_f64()
    );
    println!("{}", tables(&files));
    println!("{}", reliability(&files));
}
