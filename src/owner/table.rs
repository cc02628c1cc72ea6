//! The owners of a campaign's addresses, indexed by `IpId`, each distinct
//! owner kept once. Addresses of one network have the same owner (a
//! million-line log's 255,000 addresses have about 71,000), and an
//! [`Owner`] is a couple of hundred bytes: a table of distinct owners and
//! one index per address take a third of the memory a copy per address did.

use std::hash::{BuildHasher, Hash, Hasher};
use std::ops::Index;

use rayon::prelude::*;

use super::Owner;
use crate::fasthash::FastMap;

/// One [`Owner`] per address, read by index like the `Vec` it replaces.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Owners {
    /// Per address: its owner's place in `distinct`.
    of_address: Vec<u32>,
    distinct: Vec<Owner>,
}

impl Owners {
    /// How many addresses.
    pub fn len(&self) -> usize {
        self.of_address.len()
    }

    pub fn is_empty(&self) -> bool {
        self.of_address.is_empty()
    }

    pub fn get(&self, address: usize) -> Option<&Owner> {
        let at = *self.of_address.get(address)?;
        self.distinct.get(at as usize)
    }

    /// Every address's owner, in address order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &Owner> + Clone {
        self.of_address
            .iter()
            .map(|&at| &self.distinct[at as usize])
    }

    /// Each distinct owner once.
    pub fn distinct(&self) -> &[Owner] {
        &self.distinct
    }

    /// Where address `address`'s owner is in [`Self::distinct`]: addresses
    /// with the same owner have the same number.
    pub fn distinct_index(&self, address: usize) -> usize {
        self.of_address[address] as usize
    }

    /// Pads with unknown owners, or cuts, to `count` addresses.
    pub fn resize(&mut self, count: usize) {
        if count > self.of_address.len() {
            let unknown = self.position_of(Owner::default());
            self.of_address.resize(count, unknown);
        } else {
            self.of_address.truncate(count);
        }
    }

    fn position_of(&mut self, owner: Owner) -> u32 {
        match self.distinct.iter().position(|o| *o == owner) {
            Some(at) => at as u32,
            None => {
                self.distinct.push(owner);
                (self.distinct.len() - 1) as u32
            }
        }
    }
}

impl From<Vec<Owner>> for Owners {
    fn from(owners: Vec<Owner>) -> Owners {
        // Numbered through a map of references (16 bytes an entry), then
        // each distinct owner is moved out of the list once. A map holding
        // the owners themselves grew to 44 MB beside the list's 55 MB (a
        // million-line log): the report's peak memory.
        // The owners are hashed on every core first (hashing their texts
        // was a third of the numbering, on one core).
        let mut at: FastMap<Hashed<'_>, u32> = FastMap::default();
        let hasher = at.hasher().clone();
        let hashes: Vec<u64> = owners.par_iter().map(|o| hasher.hash_one(o)).collect();
        let mut first = Vec::new();
        let of_address: Vec<u32> = owners
            .iter()
            .zip(hashes)
            .enumerate()
            .map(|(i, (owner, hash))| {
                let next = at.len() as u32;
                *at.entry(Hashed { hash, owner }).or_insert_with(|| {
                    first.push(i);
                    next
                })
            })
            .collect();
        drop(at);
        // A vector of its own (`collect` would reuse the list's buffer in
        // place and keep all of it, three times what the owners need).
        let mut distinct = Vec::with_capacity(first.len());
        let mut firsts = first.into_iter().peekable();
        distinct.extend(
            owners
                .into_iter()
                .enumerate()
                .filter_map(|(i, owner)| firsts.next_if_eq(&i).map(|_| owner)),
        );
        Owners {
            of_address,
            distinct,
        }
    }
}

/// An owner with its hash computed beforehand: the map hashes the hash.
struct Hashed<'a> {
    hash: u64,
    owner: &'a Owner,
}

impl Hash for Hashed<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl PartialEq for Hashed<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.owner == other.owner
    }
}

impl Eq for Hashed<'_> {}

impl Index<usize> for Owners {
    type Output = Owner;

    fn index(&self, address: usize) -> &Owner {
        &self.distinct[self.of_address[address] as usize]
    }
}

impl<'a> IntoIterator for &'a Owners {
    type Item = &'a Owner;
    type IntoIter = Box<dyn ExactSizeIterator<Item = &'a Owner> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn owner(asn: u32, org: &str) -> Owner {
        Owner {
            asn: Some(asn),
            as_org: Some(Arc::from(org)),
            ..Owner::default()
        }
    }

    #[test]
    fn each_distinct_owner_is_kept_once_and_read_back_per_address() {
        let given = vec![
            owner(1, "A"),
            owner(2, "B"),
            owner(1, "A"),
            Owner::default(),
            owner(2, "B"),
        ];
        let owners = Owners::from(given.clone());
        assert_eq!(owners.len(), 5);
        assert_eq!(owners.distinct().len(), 3);
        for (i, o) in given.iter().enumerate() {
            assert_eq!(&owners[i], o);
            assert_eq!(owners.get(i), Some(o));
        }
        assert_eq!(owners.iter().cloned().collect::<Vec<_>>(), given);
        assert_eq!(owners.distinct_index(0), owners.distinct_index(2));
        assert_ne!(owners.distinct_index(0), owners.distinct_index(1));
        assert_eq!(owners.get(5), None);
    }

    #[test]
    fn resizing_pads_with_unknown_owners() {
        let mut owners = Owners::from(vec![owner(1, "A")]);
        owners.resize(3);
        assert_eq!(owners.len(), 3);
        assert!(owners[2].is_unknown());
        assert_eq!(owners.distinct().len(), 2);
        owners.resize(1);
        assert_eq!(owners.len(), 1);
    }
}
