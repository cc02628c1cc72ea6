//! Address ranges as CIDR blocks, and where a block goes in the search tree.
//!
//! In an IPv6 tree IPv4 lives at `::/96`; `::ffff:0:0/96` and `2002::/16`
//! become aliases of that subtree. IPv6 data must therefore never cover
//! those areas: an IPv6 block that contains one is split around it, an IPv6
//! block inside `::ffff:0:0/96` is IPv4 (re-homed to `::/96`), and one inside
//! `2002::/16` (6to4) is skipped because 6to4 addresses are answered from
//! the IPv4 data they embed.

use std::net::IpAddr;

/// A block in tree coordinates: `bits`-wide address and prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Block {
    pub addr: u128,
    pub prefix: u8,
}

/// An address as an integer with its family's width.
pub(crate) fn to_bits(ip: IpAddr) -> (u128, u8) {
    match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
        IpAddr::V6(v6) => (u128::from(v6), 128),
    }
}

/// The smallest set of CIDR blocks covering `start..=end` exactly, in
/// address order. Both ends are in a family of `bits` width and `start <= end`.
pub(crate) fn range_blocks(start: u128, end: u128, bits: u8) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut cur = start;
    loop {
        // Largest block that starts at `cur` (alignment) and stays within `end`.
        let align = if cur == 0 {
            u32::from(bits)
        } else {
            cur.trailing_zeros().min(u32::from(bits))
        };
        let span = end - cur;
        let fits = if span == u128::MAX {
            128
        } else {
            (span + 1).ilog2()
        };
        let size = align.min(fits);
        blocks.push(Block {
            addr: cur,
            prefix: bits - size as u8,
        });
        if size >= 128 {
            break;
        }
        match cur.checked_add(1u128 << size) {
            Some(next) if next <= end => cur = next,
            _ => break,
        }
    }
    blocks
}

/// What happens to an IPv6 block in an IPv6 tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Zone {
    /// `::/96`: the IPv4 subtree; blocks inside it are IPv4 data already.
    Ipv4,
    /// `::ffff:0:0/96`: IPv4-mapped; blocks inside it are moved to `::/96`.
    Mapped,
    /// `2002::/16`: 6to4, an alias of the IPv4 subtree; blocks inside are skipped.
    SixToFour,
}

pub(crate) const IPV4_ZONE: Block = Block {
    addr: 0,
    prefix: 96,
};
pub(crate) const MAPPED_ZONE: Block = Block {
    addr: 0xffff_0000_0000,
    prefix: 96,
};
pub(crate) const SIX_TO_FOUR_ZONE: Block = Block {
    addr: 0x2002 << 112,
    prefix: 16,
};

fn contains(outer: Block, inner: Block) -> bool {
    if inner.prefix < outer.prefix {
        return false;
    }
    let mask = u128::MAX
        .checked_shl(128 - u32::from(outer.prefix))
        .unwrap_or(0);
    inner.addr & mask == outer.addr & mask
}

/// Where an IPv6 block goes in an IPv6 tree (IPv4 blocks are placed at
/// `::a.b.c.d/(96+n)` by the caller and never reach this).
///
/// Pushes the placed blocks to `out`; returns false when the block was
/// skipped because it lies in 6to4 space.
pub(crate) fn place_ipv6(block: Block, aliases: bool, out: &mut Vec<Block>) -> bool {
    place(block, aliases, false, out)
}

/// `cut`: the block is a piece of a larger IPv6 block being split around
/// the zones; such pieces never land inside a zone.
fn place(block: Block, aliases: bool, cut: bool, out: &mut Vec<Block>) -> bool {
    let zones: &[(Block, Zone)] = if aliases {
        &[
            (IPV4_ZONE, Zone::Ipv4),
            (MAPPED_ZONE, Zone::Mapped),
            (SIX_TO_FOUR_ZONE, Zone::SixToFour),
        ]
    } else {
        &[(IPV4_ZONE, Zone::Ipv4), (MAPPED_ZONE, Zone::Mapped)]
    };
    for &(zone, kind) in zones {
        if contains(zone, block) {
            if cut {
                return true;
            }
            match kind {
                // Written as `::a.b.c.d/n` (MaxMind's source files do): IPv4 data.
                Zone::Ipv4 => out.push(block),
                Zone::Mapped => out.push(Block {
                    addr: block.addr & 0xffff_ffff,
                    prefix: block.prefix,
                }),
                Zone::SixToFour => return false,
            }
            return true;
        }
        if contains(block, zone) {
            // Split into halves until the zone is cut out exactly.
            let prefix = block.prefix + 1;
            let high = block.addr | (1u128 << (128 - u32::from(prefix)));
            for addr in [block.addr, high] {
                place(Block { addr, prefix }, aliases, true, out);
            }
            return true;
        }
    }
    out.push(block);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv6Addr;

    fn v4(s: &str) -> u128 {
        to_bits(s.parse().expect("ip")).0
    }

    fn show4(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| format!("{}/{}", std::net::Ipv4Addr::from(b.addr as u32), b.prefix))
            .collect()
    }

    #[test]
    fn aligned_and_unaligned_ranges() {
        assert_eq!(
            show4(&range_blocks(v4("40.88.0.0"), v4("40.95.255.255"), 32)),
            vec!["40.88.0.0/13"]
        );
        assert_eq!(
            show4(&range_blocks(v4("1.0.0.1"), v4("1.0.0.6"), 32)),
            vec!["1.0.0.1/32", "1.0.0.2/31", "1.0.0.4/31", "1.0.0.6/32"]
        );
        assert_eq!(
            show4(&range_blocks(0, u128::from(u32::MAX), 32)),
            vec!["0.0.0.0/0"]
        );
        assert_eq!(
            show4(&range_blocks(
                v4("255.255.255.254"),
                v4("255.255.255.255"),
                32
            )),
            vec!["255.255.255.254/31"]
        );
        let all6 = range_blocks(0, u128::MAX, 128);
        assert_eq!(all6, vec![Block { addr: 0, prefix: 0 }]);
    }

    #[test]
    fn ipv6_blocks_avoid_the_ipv4_and_alias_zones() {
        let mut out = Vec::new();
        assert!(place_ipv6(Block { addr: 0, prefix: 0 }, true, &mut out));
        assert!(!out.iter().any(|b| contains(*b, IPV4_ZONE)
            || contains(IPV4_ZONE, *b)
            || contains(SIX_TO_FOUR_ZONE, *b)
            || contains(MAPPED_ZONE, *b)));
        // The pieces cover everything except the three zones.
        let covered: u128 = out
            .iter()
            .map(|b| 1u128.checked_shl(128 - u32::from(b.prefix)).unwrap_or(0))
            .fold(0u128, u128::wrapping_add);
        let zones = (1u128 << 32) * 2 + (1u128 << 112);
        assert_eq!(covered, 0u128.wrapping_sub(zones));

        let mut out = Vec::new();
        let six_to_four = Block {
            addr: u128::from("2002:c000:0200::".parse::<Ipv6Addr>().expect("ip")),
            prefix: 48,
        };
        assert!(!place_ipv6(six_to_four, true, &mut out));
        assert!(out.is_empty());
        assert!(place_ipv6(six_to_four, false, &mut out));
        assert_eq!(out, vec![six_to_four]);

        let mut out = Vec::new();
        let mapped = Block {
            addr: u128::from("::ffff:1.2.3.0".parse::<Ipv6Addr>().expect("ip")),
            prefix: 120,
        };
        place_ipv6(mapped, true, &mut out);
        assert_eq!(
            out,
            vec![Block {
                addr: v4("1.2.3.0"),
                prefix: 120
            }]
        );
    }
}
