//! Randomness: the crate's seeded generator (SplitMix64), so the demo is the
//! same on every machine, and the one draw only the demo makes.

use std::net::Ipv4Addr;

pub(super) use whoclicked::testing::Rng;

use super::ranges::{Block, range};

/// A host address inside `net` (last octet 1..=254).
pub(super) fn addr(rng: &mut Rng, net: Block) -> Ipv4Addr {
    let r = range(net);
    let (first, last) = (u32::from(r.first), u32::from(r.last));
    loop {
        let a = first + rng.below(u64::from(last - first + 1)) as u32;
        if !matches!(a & 0xff, 0 | 255) {
            return Ipv4Addr::from(a);
        }
    }
}
