//! One seeded pseudo-random generator for every test and bench that makes
//! up input, so a failure replays and a generated file is the same on
//! every machine.
//!
//! Three classic generators are offered because committed outputs were
//! made with each and must not change: SplitMix64 (the demo assets, the
//! evaluation campaigns, the million-line bench), Marsaglia's xorshift64
//! (the mutation tests) and Knuth's MMIX linear congruential generator (the
//! screen's synthetic campaigns, whose snapshots are committed). For the
//! same reason both ways of turning a draw into a choice are kept: by
//! remainder (`below`, `index`, `pick`, `weighted`, `int_range`, `percent`,
//! `shuffle`) and by scaling a draw in `[0, 1)` (`unit_index`,
//! `unit_pick`, `unit_weighted`, `chance`, `float_range`, `normal`).

/// A deterministic generator: the same seed gives the same stream.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
    algorithm: Algorithm,
}

#[derive(Clone, Copy, Debug)]
enum Algorithm {
    SplitMix64,
    XorShift64,
    Lcg64,
}

/// The golden-ratio increment of SplitMix64.
const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

impl Rng {
    /// SplitMix64 starting from `state` (the seed as is, not mixed).
    pub fn splitmix64(state: u64) -> Rng {
        Rng {
            state,
            algorithm: Algorithm::SplitMix64,
        }
    }

    /// Marsaglia's xorshift64 (13, 7, 17). A zero state would only ever
    /// give zeros, so it is refused.
    pub fn xorshift64(state: u64) -> Rng {
        assert_ne!(state, 0, "xorshift64 needs a non-zero seed");
        Rng {
            state,
            algorithm: Algorithm::XorShift64,
        }
    }

    /// Knuth's MMIX linear congruential generator. Each draw is the whole
    /// state, whose low bits are weak: use its high bits.
    pub fn lcg64(state: u64) -> Rng {
        Rng {
            state,
            algorithm: Algorithm::Lcg64,
        }
    }

    /// SplitMix64 seeded from the clock, for draws that should differ from
    /// run to run (where a kill lands); everything else wants a fixed seed.
    pub fn from_clock() -> Rng {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Rng::splitmix64(since_epoch.as_secs() ^ (u64::from(since_epoch.subsec_nanos()) << 32))
    }

    /// The next 64-bit draw.
    pub fn next_u64(&mut self) -> u64 {
        match self.algorithm {
            Algorithm::SplitMix64 => {
                self.state = self.state.wrapping_add(GOLDEN);
                let mut z = self.state;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^ (z >> 31)
            }
            Algorithm::XorShift64 => {
                let mut x = self.state;
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                self.state = x;
                x
            }
            Algorithm::Lcg64 => {
                self.state = self
                    .state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                self.state
            }
        }
    }

    /// A draw in `0..n` by remainder (`n` of 0 counts as 1).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// An index into `0..len` by remainder.
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// Uniform in `lo..=hi`, by remainder.
    pub fn int_range(&mut self, lo: i64, hi: i64) -> i64 {
        assert!(lo <= hi, "empty range {lo}..={hi}");
        lo + self.below(hi.abs_diff(lo) + 1) as i64
    }

    /// True `percent` times in a hundred, by remainder.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items`, by remainder.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// One of `items`, each as likely as its weight, by remainder. The
    /// weights must not all be zero.
    pub fn weighted<'a, T>(&mut self, items: &'a [T], weight: impl Fn(&T) -> u64) -> &'a T {
        let total: u64 = items.iter().map(&weight).sum();
        assert!(total > 0, "no item has any weight");
        let mut roll = self.below(total);
        for item in items {
            let w = weight(item);
            if roll < w {
                return item;
            }
            roll -= w;
        }
        unreachable!("the roll is below the total weight")
    }

    /// Fisher-Yates, by remainder.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }

    /// Uniform in `[0, 1)`, from the draw's high 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index into `0..len`, by scaling [`Rng::unit`].
    pub fn unit_index(&mut self, len: usize) -> usize {
        (self.unit() * len as f64) as usize % len.max(1)
    }

    /// One of `items`, by scaling [`Rng::unit`].
    pub fn unit_pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.unit_index(items.len())]
    }

    /// One value of `(value, weight)` pairs, each as likely as its weight,
    /// by scaling [`Rng::unit`].
    pub fn unit_weighted<'a, T>(&mut self, items: &'a [(T, f64)]) -> &'a T {
        let total: f64 = items.iter().map(|(_, w)| w).sum();
        let mut x = self.unit() * total;
        for (value, w) in items {
            if x < *w {
                return value;
            }
            x -= w;
        }
        &items[items.len() - 1].0
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in `[lo, hi)`.
    pub fn float_range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Standard normal (Box-Muller, one of the pair).
    pub fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-12);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }

    /// Log-normal around `median`, spread `sigma`.
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_generator_gives_its_published_stream() {
        // SplitMix64 from 0: the reference implementation's first outputs.
        let mut s = Rng::splitmix64(0);
        assert_eq!(s.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(s.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        // xorshift64 (13, 7, 17) from 1, worked by hand.
        let mut x = Rng::xorshift64(1);
        assert_eq!(x.next_u64(), 0x4082_2041);
        // MMIX from 0 is its increment.
        let mut l = Rng::lcg64(0);
        assert_eq!(l.next_u64(), 1_442_695_040_888_963_407);
    }

    #[test]
    fn draws_stay_in_range_and_shuffles_keep_the_items() {
        let mut rng = Rng::splitmix64(7);
        for _ in 0..1000 {
            assert!(rng.below(10) < 10);
            assert!((-3..=3).contains(&rng.int_range(-3, 3)));
            assert!(rng.unit_index(5) < 5);
            let u = rng.unit();
            assert!((0.0..1.0).contains(&u));
        }
        let mut items: Vec<u32> = (0..50).collect();
        rng.shuffle(&mut items);
        assert_ne!(items, (0..50).collect::<Vec<u32>>());
        items.sort_unstable();
        assert_eq!(items, (0..50).collect::<Vec<u32>>());
        assert_eq!(*rng.weighted(&[1, 2, 3], |&x| u64::from(x == 2)), 2);
        assert_eq!(*rng.unit_weighted(&[('a', 0.0), ('b', 1.0)]), 'b');
    }

    #[test]
    fn the_same_seed_replays() {
        let a: Vec<u64> = {
            let mut r = Rng::xorshift64(42);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let mut r = Rng::xorshift64(42);
        assert_eq!(a, (0..5).map(|_| r.next_u64()).collect::<Vec<_>>());
    }
}
