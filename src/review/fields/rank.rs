//! Sort keys as integers: a field's keys order rows by comparing `u64`s, so
//! sorting a million rows never compares strings. Text is ranked once per
//! distinct value; missing values take [`MISSING`] and sort last.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::review::context::ReviewContext;

/// The key of a missing value: after every other.
pub(super) const MISSING: u64 = u64::MAX;

/// The time key used everywhere as the tie-break; a row without a time
/// (a hop whose line has no date) sorts last.
pub fn time_key(ctx: &ReviewContext<'_>, i: u32) -> u64 {
    // Shift so that pre-1970 times still order correctly as unsigned.
    ctx.time_of(i)
        .map_or(MISSING, |t| (t.as_nanos() as u64) ^ (1 << 63))
}

/// Maps an f64 to a u64 with the same order.
pub(super) fn ordered_f64(v: f64) -> u64 {
    let bits = v.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The rank of each item in sorted order (equal items share a rank).
pub(super) fn rank_by<T>(items: &[T], cmp: impl Fn(&T, &T) -> Ordering) -> Vec<u64> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| cmp(&items[a], &items[b]));
    let mut ranks = vec![0u64; items.len()];
    let mut rank = 0u64;
    for (n, &idx) in order.iter().enumerate() {
        if n > 0 && cmp(&items[order[n - 1]], &items[idx]) != Ordering::Equal {
            rank += 1;
        }
        ranks[idx] = rank;
    }
    ranks
}

/// Case-insensitive text ranks; empty text ranks last.
pub(super) fn rank_text<S: AsRef<str>>(labels: &[S]) -> Vec<u64> {
    let folded: Vec<String> = labels.iter().map(|s| s.as_ref().to_lowercase()).collect();
    let mut ranks = rank_by(&folded, |a, b| match (a.is_empty(), b.is_empty()) {
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => a.cmp(b),
    });
    for (rank, label) in ranks.iter_mut().zip(&folded) {
        if label.is_empty() {
            *rank = MISSING;
        }
    }
    ranks
}

/// Keys for `rows` from the text of each distinct value: `distinct` values
/// in all, `of(row)` the one of a row (`None`: no value, last), `text(v)`
/// its text. Only the values `rows` hold are turned into text.
pub(super) fn ranked_per_value<'a>(
    rows: &[u32],
    distinct: usize,
    of: impl Fn(u32) -> Option<usize>,
    text: impl Fn(usize) -> Cow<'a, str>,
) -> Vec<u64> {
    let mut present = vec![false; distinct];
    for &i in rows {
        if let Some(v) = of(i) {
            present[v] = true;
        }
    }
    let labels: Vec<Cow<'a, str>> = present
        .iter()
        .enumerate()
        .map(|(v, &here)| if here { text(v) } else { Cow::Borrowed("") })
        .collect();
    let ranks = rank_text(&labels);
    rows.iter()
        .map(|&i| of(i).map_or(MISSING, |v| ranks[v]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_keys_keep_order() {
        let values = [-5.5, -0.1, 0.0, 0.2, 3.0, 1e9];
        let keys: Vec<u64> = values.iter().map(|&v| ordered_f64(v)).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn text_ranks_fold_case_and_put_empty_last() {
        let ranks = rank_text(&["b", "", "A", "a"]);
        assert_eq!(ranks, vec![1, u64::MAX, 0, 0]);
    }

    #[test]
    fn ranks_per_value_text_only_the_values_present() {
        let values = ["b", "a", "never", "c"];
        let of = |i: u32| (i != 9).then_some(i as usize);
        let text = |v: usize| {
            assert_ne!(v, 2, "a value no row holds was turned into text");
            Cow::Borrowed(values[v])
        };
        let keys = ranked_per_value(&[3, 0, 9, 1], values.len(), of, text);
        assert!(keys[3] < keys[1] && keys[1] < keys[0], "{keys:?}");
        assert_eq!(keys[2], MISSING);
    }
}
