//! The binary search tree of a MaxMind DB: built in an arena, minimised,
//! numbered breadth-first and serialised with 24, 28 or 32-bit records.

use std::collections::VecDeque;

use super::cidr::Block;
use super::writer::BuildError;

/// A child slot: `EMPTY`, a node index (never 0: the root is nobody's
/// child), or a record id with `DATA` set.
type Child = u32;
const EMPTY: Child = 0;
const DATA: Child = 1 << 31;

fn is_node(child: Child) -> bool {
    child != EMPTY && child & DATA == 0
}

pub(crate) struct Tree {
    nodes: Vec<[Child; 2]>,
    /// Address width: 32 (IPv4 tree) or 128 (IPv6 tree).
    bits: u8,
}

/// A tree numbered for output: arena indices in file order.
pub(crate) struct Numbered {
    order: Vec<u32>,
    number: Vec<u32>,
}

impl Numbered {
    pub fn node_count(&self) -> usize {
        self.order.len()
    }
}

impl Tree {
    pub fn new(bits: u8) -> Self {
        Tree {
            nodes: vec![[EMPTY, EMPTY]],
            bits,
        }
    }

    fn bit(&self, addr: u128, depth: u8) -> usize {
        ((addr >> (self.bits - 1 - depth)) & 1) as usize
    }

    fn new_node(&mut self, children: [Child; 2]) -> Result<Child, BuildError> {
        let index = u32::try_from(self.nodes.len())
            .ok()
            .filter(|&i| i < DATA)
            .ok_or(BuildError::TooLarge {
                what: "search tree",
            })?;
        self.nodes.push(children);
        Ok(index)
    }

    /// Walks to the slot of `block`, creating nodes on the way; a record met
    /// above the target is pushed down into both halves (it still covers
    /// the rest of its network). Returns (node, side).
    fn slot(&mut self, block: Block) -> Result<(usize, usize), BuildError> {
        let mut node = 0usize;
        for depth in 0..block.prefix - 1 {
            let side = self.bit(block.addr, depth);
            let child = self.nodes[node][side];
            node = if is_node(child) {
                child as usize
            } else {
                let new = self.new_node([child, child])?;
                self.nodes[node][side] = new;
                new as usize
            };
        }
        Ok((node, self.bit(block.addr, block.prefix - 1)))
    }

    /// Sets `block` to `record`. Callers insert blocks from least to most
    /// specific, so the slot never holds a subtree that this would erase; a
    /// block inserted twice takes the later record.
    pub fn insert(&mut self, block: Block, record: u32) -> Result<(), BuildError> {
        if block.prefix == 0 {
            // The root is always a node: the whole space is both its halves.
            let half = 1u128 << (self.bits - 1);
            for addr in [0, half] {
                self.insert(Block { addr, prefix: 1 }, record)?;
            }
            return Ok(());
        }
        let (node, side) = self.slot(block)?;
        debug_assert!(!is_node(self.nodes[node][side]), "inserted out of order");
        self.nodes[node][side] = DATA | record;
        Ok(())
    }

    /// Replaces every node whose two halves are the same record (or both
    /// empty) by that record, bottom-up. The result is the smallest tree,
    /// and a lookup reports the largest network with that record, as MaxMind
    /// files do.
    pub fn merge_identical(&mut self) {
        for side in 0..2 {
            let child = self.nodes[0][side];
            if is_node(child)
                && let Some(leaf) = self.collapse(child as usize)
            {
                self.nodes[0][side] = leaf;
            }
        }
    }

    fn collapse(&mut self, node: usize) -> Option<Child> {
        for side in 0..2 {
            let child = self.nodes[node][side];
            if is_node(child)
                && let Some(leaf) = self.collapse(child as usize)
            {
                self.nodes[node][side] = leaf;
            }
        }
        let [left, right] = self.nodes[node];
        (!is_node(left) && left == right).then_some(left)
    }

    /// Points `block` at whatever the tree holds at `target` (in IPv6 trees:
    /// `::ffff:0:0/96` and `2002::/16` at the IPv4 subtree `::/96`).
    pub fn alias(&mut self, block: Block, target: Block) -> Result<(), BuildError> {
        let Some(value) = self.get(target) else {
            return Ok(());
        };
        if value == EMPTY {
            return Ok(());
        }
        let (node, side) = self.slot(block)?;
        self.nodes[node][side] = value;
        Ok(())
    }

    /// The slot value at `block`, if the tree reaches that deep.
    fn get(&self, block: Block) -> Option<Child> {
        let mut node = 0usize;
        for depth in 0..block.prefix - 1 {
            let child = self.nodes[node][self.bit(block.addr, depth)];
            if !is_node(child) {
                return None;
            }
            node = child as usize;
        }
        Some(self.nodes[node][self.bit(block.addr, block.prefix - 1)])
    }

    /// Numbers the reachable nodes breadth-first from the root. Aliased
    /// subtrees are reached twice and numbered once.
    pub fn number(&self) -> Numbered {
        let mut number = vec![u32::MAX; self.nodes.len()];
        let mut order = Vec::new();
        let mut queue = VecDeque::from([0u32]);
        number[0] = 0;
        // Arena indices fit in u32 (`new_node` checks), so the count does too.
        let mut next = 1u32;
        while let Some(node) = queue.pop_front() {
            order.push(node);
            for child in self.nodes[node as usize] {
                if is_node(child) && number[child as usize] == u32::MAX {
                    number[child as usize] = next;
                    next += 1;
                    queue.push_back(child);
                }
            }
        }
        Numbered { order, number }
    }

    /// Record ids in the order the numbered tree meets them (each once per slot).
    pub fn records_in_order<'a>(
        &'a self,
        numbered: &'a Numbered,
    ) -> impl Iterator<Item = u32> + 'a {
        numbered
            .order
            .iter()
            .flat_map(move |&node| self.nodes[node as usize])
            .filter(|&child| child & DATA != 0)
            .map(|child| child & !DATA)
    }

    /// Serialises the numbered tree. `record_offset` gives each record's
    /// offset in the data section.
    pub fn serialize(
        &self,
        numbered: &Numbered,
        record_size: u16,
        record_offset: impl Fn(u32) -> u32,
    ) -> Result<Vec<u8>, BuildError> {
        let node_count = numbered.order.len() as u64;
        let limit = 1u64 << record_size;
        let value = |child: Child| -> Result<u32, BuildError> {
            let v = if child == EMPTY {
                node_count
            } else if child & DATA != 0 {
                node_count + 16 + u64::from(record_offset(child & !DATA))
            } else {
                u64::from(numbered.number[child as usize])
            };
            if v >= limit {
                return Err(BuildError::TooLarge {
                    what: "search tree record",
                });
            }
            Ok(v as u32)
        };
        let node_bytes = usize::from(record_size) / 4;
        let mut out = Vec::with_capacity(numbered.order.len() * node_bytes);
        for &node in &numbered.order {
            let [l, r] = self.nodes[node as usize];
            let (l, r) = (value(l)?, value(r)?);
            match record_size {
                24 => {
                    out.extend_from_slice(&l.to_be_bytes()[1..]);
                    out.extend_from_slice(&r.to_be_bytes()[1..]);
                }
                28 => {
                    // Left's low 24 bits, a byte of both high nibbles, right's low 24.
                    out.extend_from_slice(&l.to_be_bytes()[1..]);
                    out.push((((l >> 24) & 0x0f) << 4) as u8 | ((r >> 24) & 0x0f) as u8);
                    out.extend_from_slice(&r.to_be_bytes()[1..]);
                }
                _ => {
                    out.extend_from_slice(&l.to_be_bytes());
                    out.extend_from_slice(&r.to_be_bytes());
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(addr: u32, prefix: u8) -> Block {
        Block {
            addr: u128::from(addr),
            prefix,
        }
    }

    #[test]
    fn more_specific_splits_and_merge_restores() {
        let mut t = Tree::new(32);
        t.insert(block(0x0a00_0000, 8), 1).expect("insert");
        t.insert(block(0x0a01_0000, 16), 2).expect("insert");
        let before = t.number().node_count();
        assert!(before > 8);
        // Re-setting the /16 to the /8's record makes the split pointless.
        t.insert(block(0x0a01_0000, 16), 1).expect("insert");
        t.merge_identical();
        assert_eq!(t.number().node_count(), 8);
    }

    #[test]
    fn breadth_first_numbering_starts_at_the_root() {
        let mut t = Tree::new(32);
        t.insert(block(0x8000_0000, 1), 7).expect("insert");
        t.insert(block(0x0000_0000, 2), 8).expect("insert");
        let n = t.number();
        assert_eq!(n.node_count(), 2);
        assert_eq!(t.records_in_order(&n).collect::<Vec<_>>(), vec![7, 8]);
        let bytes = t.serialize(&n, 24, |r| r * 10).expect("serialize");
        // root: left = node 1, right = record 7 → 2 + 16 + 70 = 88
        assert_eq!(&bytes[..6], &[0, 0, 1, 0, 0, 88]);
        // node 1: left = record 8 → 2 + 16 + 80 = 98, right = empty = 2
        assert_eq!(&bytes[6..], &[0, 0, 98, 0, 0, 2]);
        let wide = t.serialize(&n, 28, |_| 0x0aff_fff0).expect("serialize");
        assert_eq!(&wide[..7], &[0, 0, 1, 0x0b, 0x00, 0x00, 0x02]);
    }
}
