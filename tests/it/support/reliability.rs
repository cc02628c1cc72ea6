//! A reliability table: decided suggestions (human or scanner) binned by
//! the confidence shown, against how often they were right. A calibrated
//! confidence reads the same in both columns.

#![allow(dead_code)]

use std::fmt::Write as _;

/// Bin edges of the confidence shown.
const EDGES: [f64; 8] = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001];

/// The table for `(confidence shown, right)` pairs, one per decided
/// suggestion; `unsure` is how many were left unsure (not binned).
pub fn table(decided: impl IntoIterator<Item = (f32, bool)>, unsure: usize) -> String {
    let mut bins = [(0usize, 0usize, 0f64); EDGES.len() - 1];
    for (confidence, right) in decided {
        let c = f64::from(confidence);
        let b = EDGES
            .windows(2)
            .position(|w| c >= w[0] && c < w[1])
            .unwrap_or(EDGES.len() - 2);
        bins[b].0 += 1;
        bins[b].1 += usize::from(right);
        bins[b].2 += c;
    }
    let mut out = String::from(
        "== reliability: decided suggestions by the confidence shown\nconfidence     accesses  mean shown  observed right\n",
    );
    for (w, &(n, right, sum)) in EDGES.windows(2).zip(&bins) {
        if n == 0 {
            continue;
        }
        writeln!(
            out,
            "{:>4.0}–{:<4.0}%  {:>9}  {:>9.1}%  {:>13.1}%",
            w[0] * 100.0,
            (w[1] * 100.0).min(100.0),
            n,
            sum / n as f64 * 100.0,
            right as f64 * 100.0 / n as f64
        )
        .unwrap();
    }
    writeln!(out, "unsure (not binned): {unsure}").unwrap();
    out
}
