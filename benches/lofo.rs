//! Leave-one-family-out: each family of accesses (an actor of the
//! evaluation set, plus the generated residential-proxy scanners) is
//! scored by weights set without it. For every family in turn, a few of
//! the signature weights and the two thresholds are refitted by coordinate
//! descent on every other family's accesses, then that family is scored
//! with the refitted weights, beside the shipped ones. The family's
//! accesses stay in their campaigns (waves, address histories and pairs
//! still see them); only the fit does not. Prints figures; asserts nothing.
//!
//! The cost the fit minimises, per truth: a person called scanner or a
//! scanner called human costs 10, unsure costs 1, each side averaged over
//! its accesses. The held-out world (`--bench heldout`) is not read here.
//!
//! `cargo bench --bench lofo` (release; a few minutes).

#[path = "../tests/it/support/eval/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use support::eval_campaigns::{Actor, Truth, generate, scenarios};
use support::eval_load::{Labelled, load};
use whoclicked::model::Leaning;
use whoclicked::signals::{Signatures, Suggestions};

/// The parameters refitted: weights the families lean on most, and the
/// thresholds (`tuning`).
const PARAMS: &[(&str, &str)] = &[
    ("weights", "network_cloud"),
    ("weights", "network_residential"),
    ("weights", "network_cellular"),
    ("weights", "network_unlisted"),
    ("weights", "network_line_abroad"),
    ("weights", "screen_present"),
    ("weights", "screen_missing"),
    ("weights", "paired_with_machine"),
    ("weights", "agent_stale"),
    ("weights", "address_late"),
    ("tuning", "threshold_scanner"),
    ("tuning", "threshold_human"),
];

/// Each campaign once, loaded (written, read, given owners); suggestions
/// are recomputed from it for every candidate.
struct Set {
    campaigns: Vec<Labelled>,
}

/// Per actor: [human, scanner, unsure] suggestions.
type Tally = BTreeMap<Actor, [usize; 3]>;

fn column(l: Leaning) -> usize {
    match l {
        Leaning::Human => 0,
        Leaning::Scanner => 1,
        Leaning::Unsure => 2,
    }
}

impl Set {
    fn tally(&self, sigs: &Arc<Signatures>) -> Tally {
        let mut t = Tally::new();
        for c in &self.campaigns {
            let s = Suggestions::compute(c.analysis.enriched(), Arc::clone(sigs));
            for (i, &actor) in c.actors.iter().enumerate() {
                t.entry(actor).or_default()[column(s.label(i).expect("labelled"))] += 1;
            }
        }
        t
    }
}

/// The fit's cost over every family but `left_out`.
fn cost(t: &Tally, left_out: Option<Actor>) -> f64 {
    let mut side = [[0.0f64; 2]; 2]; // [truth][cost, count]
    for (&actor, cells) in t {
        if Some(actor) == left_out {
            continue;
        }
        let (truth, wrong) = match actor.truth() {
            Truth::Human => (0, cells[1]),
            Truth::Scanner => (1, cells[0]),
        };
        side[truth][0] += 10.0 * wrong as f64 + cells[2] as f64;
        side[truth][1] += (cells[0] + cells[1] + cells[2]) as f64;
    }
    side.iter()
        .filter(|s| s[1] > 0.0)
        .map(|s| s[0] / s[1])
        .sum()
}

fn signatures(values: &[f32]) -> Arc<Signatures> {
    let mut weights = String::from("format = 1\n[weights]\n");
    let mut tuning = String::from("[tuning]\n");
    for (&(table, name), v) in PARAMS.iter().zip(values) {
        let line = format!("{name} = {v}\n");
        if table == "weights" {
            weights.push_str(&line);
        } else {
            tuning.push_str(&line);
        }
    }
    let text = format!("{weights}{tuning}");
    Arc::new(
        Signatures::with_user_text(&text, Path::new("lofo.toml"))
            .unwrap_or_else(|e| panic!("{e}\n{text}")),
    )
}

fn shipped_values(sigs: &Signatures) -> Vec<f32> {
    PARAMS
        .iter()
        .map(|&(table, name)| {
            if table == "weights" {
                let w = whoclicked::signals::Weight::from_name(name).expect("a weight");
                sigs.weight(w)
            } else {
                let t = whoclicked::signals::Tunable::from_name(name).expect("a tunable");
                sigs.tuning(t)
            }
        })
        .collect()
}

/// Coordinate descent from `start`: each parameter tried a half step
/// either side, kept where the cost falls; two rounds.
fn fit(set: &Set, start: &[f32], left_out: Option<Actor>) -> (Vec<f32>, f64) {
    let mut best = start.to_vec();
    let mut best_cost = cost(&set.tally(&signatures(&best)), left_out);
    for _ in 0..2 {
        for p in 0..best.len() {
            for step in [-0.5f32, 0.5] {
                let mut candidate = best.clone();
                candidate[p] += step;
                // A threshold must keep human below scanner.
                if candidate[10] <= candidate[11] {
                    continue;
                }
                let c = cost(&set.tally(&signatures(&candidate)), left_out);
                if c < best_cost - 1e-9 {
                    best_cost = c;
                    best = candidate;
                }
            }
        }
    }
    (best, best_cost)
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// right / wrong / unsure of one family, in %.
fn family_line(actor: Actor, cells: [usize; 3]) -> String {
    let total = cells.iter().sum();
    let (right, wrong) = match actor.truth() {
        Truth::Human => (cells[0], cells[1]),
        Truth::Scanner => (cells[1], cells[0]),
    };
    format!(
        "{:>5.1} / {:>5.1} / {:>5.1}",
        percent(right, total),
        percent(wrong, total),
        percent(cells[2], total)
    )
}

fn main() {
    let started = Instant::now();
    let builtin = Arc::new(Signatures::builtin().expect("signatures"));
    let mut campaigns = Vec::new();
    for scenario in scenarios() {
        campaigns.push(load(&generate(&scenario), &builtin));
        // The generated residential-proxy family, outside the evaluation set.
        let mut with_proxies = scenario.clone();
        with_proxies.stack.residential_proxy = true;
        with_proxies.seed += 7_000;
        campaigns.push(load(&generate(&with_proxies), &builtin));
    }
    let set = Set { campaigns };
    println!(
        "{} campaigns loaded in {:.1} s",
        set.campaigns.len(),
        started.elapsed().as_secs_f64()
    );
    let shipped = shipped_values(&builtin);
    let shipped_tally = set.tally(&builtin);
    let families: Vec<Actor> = shipped_tally.keys().copied().collect();
    println!(
        "\nfamily (accesses)            shipped weights        refitted without it    \
         (right / wrong / unsure %)"
    );
    let mut moved: BTreeMap<&str, Vec<f32>> = BTreeMap::new();
    for &family in &families {
        let (values, _) = fit(&set, &shipped, Some(family));
        let refit = set.tally(&signatures(&values));
        println!(
            "{:<28} {}  {}",
            format!(
                "{family:?} ({})",
                shipped_tally[&family].iter().sum::<usize>()
            ),
            family_line(family, shipped_tally[&family]),
            family_line(family, refit[&family]),
        );
        for (&(_, name), (&v, &s)) in PARAMS.iter().zip(values.iter().zip(&shipped)) {
            if v != s {
                moved.entry(name).or_default().push(v - s);
            }
        }
    }
    println!("\nparameters the folds moved (change from shipped, per fold that moved it):");
    for (name, deltas) in &moved {
        let shown: Vec<String> = deltas.iter().map(|d| format!("{d:+.1}")).collect();
        println!("  {name:<22} {}", shown.join(" "));
    }
    println!("\ndone in {:.0} s", started.elapsed().as_secs_f64());
}
