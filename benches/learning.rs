//! How long the review screen takes to learn again from the analyst's
//! labels after each label (`review::learn`, then the counts the header
//! shows), at a million accesses with weighed suggestions. The screen does
//! this on its UI thread after every label, so it must stay well under a
//! frame budget of ~100 ms. Prints figures; asserts nothing.
//!
//! `cargo bench --bench learning` (release). `WHOCLICKED_BENCH_ROWS` sets
//! the campaign size (default 1,000,000).

use std::sync::Arc;
use std::time::{Duration, Instant};

use whoclicked::analysis::Analysis;
use whoclicked::model::{Leaning, Verdict};
use whoclicked::review::{Counts, ReviewContext, learn};
use whoclicked::signals::{Signatures, Suggestions};
use whoclicked::tui::testing::synthetic;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let n: usize = std::env::var("WHOCLICKED_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let loaded = synthetic(n);
    let enriched = Arc::try_unwrap(loaded.analysis)
        .unwrap_or_else(|_| panic!("the only owner"))
        .into_enriched();
    let started = Instant::now();
    let suggestions = Suggestions::compute(&enriched, Arc::new(Signatures::builtin().unwrap()));
    println!(
        "suggestions over {n} accesses: {:.0} ms",
        ms(started.elapsed())
    );
    let analysis = Analysis::from_parts(enriched, suggestions, Default::default());
    let unsure = analysis
        .suggestions()
        .labels()
        .iter()
        .filter(|&&l| l == Leaning::Unsure)
        .count();
    println!("unsure: {unsure}");

    // The analyst has labelled a few addresses' accesses, as rules resolve
    // them: 1 % of the accesses, on both sides.
    let mut verdicts: Vec<Option<Verdict>> = vec![None; n];
    for (i, v) in verdicts.iter_mut().enumerate().step_by(100) {
        *v = Some(if i % 200 == 0 {
            Verdict::Human
        } else {
            Verdict::Scanner
        });
    }
    let mut learn_times = Vec::new();
    let mut count_times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let learned = learn(&analysis, &verdicts);
        learn_times.push(started.elapsed());
        let started = Instant::now();
        let ctx = ReviewContext {
            analysis: &analysis,
            verdicts: &verdicts,
            suggestions: &learned.labels,
            owner_notes: &[],
            learned: &learned.likes,
        };
        let counts = Counts::new(&ctx);
        count_times.push(started.elapsed());
        std::hint::black_box(counts);
    }
    learn_times.sort();
    count_times.sort();
    println!(
        "learn after a label ({n} accesses): median {:.1} ms, max {:.1} ms",
        ms(learn_times[2]),
        ms(learn_times[4])
    );
    println!(
        "counts after it:                     median {:.1} ms, max {:.1} ms",
        ms(count_times[2]),
        ms(count_times[4])
    );
}
