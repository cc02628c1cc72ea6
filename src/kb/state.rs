//! The knowledge base in memory: every entry in file order (the history),
//! which entry is in force for each slot, and the indexes resolution needs.
//!
//! The entry in force for a slot is the one with the newest rank (its time,
//! then a sequence number); among equal ranks the later in file order.
//! Newest-time rather than last-line makes a merged colleague's older
//! decisions land as history instead of overriding newer local ones;
//! `record` ranks a new entry after the one it replaces (`Entry::rank_after`),
//! so a local change always takes effect, even if the clock stepped back or
//! the entry it replaces is dated in the future.

use crate::fasthash::FastMap;
use std::net::IpAddr;

use ipnetwork::IpNetwork;

use super::entry::{Entry, EntryChange};
use super::fingerprint::Fingerprint;
use super::key::{Category, Key, Kind, Slot};
use super::precedence::VerdictLookup;
use super::prefix::PrefixMap;

#[derive(Debug, Default)]
pub(crate) struct State {
    entries: Vec<Entry>,
    /// Index of the newest entry per slot, tombstones included.
    current: FastMap<Slot, u32>,
    /// Network verdicts and notes in force, by network, for longest-prefix lookup.
    net_rules: PrefixMap<u32>,
    net_notes: PrefixMap<u32>,
    /// Entries in force (not tombstones), per category.
    live: [usize; Category::ALL.len()],
}

impl State {
    /// The state of a whole file's entries, indexed where they lie (moving
    /// a few hundred thousand entries into a new vector cost more than
    /// indexing them).
    pub(crate) fn from_entries(entries: Vec<Entry>) -> State {
        let mut state = State {
            current: FastMap::with_capacity_and_hasher(entries.len(), Default::default()),
            entries,
            ..State::default()
        };
        for index in 0..state.entries.len() {
            state.take_effect(index);
        }
        state
    }

    /// Adds `entry` to the history; it takes effect if it is the newest of its slot.
    pub(crate) fn apply(&mut self, entry: Entry) {
        self.entries.push(entry);
        self.take_effect(self.entries.len() - 1);
    }

    /// Puts the entry at `index` in force if it is the newest of its slot.
    fn take_effect(&mut self, at: usize) {
        let index = u32::try_from(at).unwrap_or(u32::MAX);
        let entry = &self.entries[at];
        let slot = entry.slot();
        let newest = self
            .current
            .get(&slot)
            .is_none_or(|&c| entry.rank() >= self.entries[c as usize].rank());
        let live = !entry.is_removal();
        if !newest {
            return;
        }
        let was_live = self
            .current
            .insert(slot, index)
            .is_some_and(|old| !self.entries[old as usize].is_removal());
        let count = &mut self.live[slot.category() as usize];
        *count = *count + usize::from(live) - usize::from(was_live);
        if let Key::Net(net) = slot.key {
            let map = match slot.kind {
                Kind::Verdict => &mut self.net_rules,
                Kind::Note => &mut self.net_notes,
                Kind::Owner => return,
            };
            if live {
                map.insert(net, index);
            } else {
                map.remove(net);
            }
        }
    }

    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The newest entry of `slot`, tombstone or not.
    pub(crate) fn latest(&self, slot: &Slot) -> Option<&Entry> {
        self.current.get(slot).map(|&i| &self.entries[i as usize])
    }

    /// The entry in force for `slot`: `None` when there is none or it was removed.
    pub(crate) fn current(&self, slot: &Slot) -> Option<&Entry> {
        self.latest(slot).filter(|e| !e.is_removal())
    }

    /// Every network verdict covering `ip`, most specific first.
    pub(crate) fn net_rules_covering(&self, ip: IpAddr) -> impl Iterator<Item = &Entry> {
        self.net_rules
            .matches(ip)
            .map(|(_, &i)| &self.entries[i as usize])
    }

    /// The most specific network note covering `ip`.
    pub(crate) fn net_note(&self, ip: IpAddr) -> Option<&Entry> {
        self.net_notes
            .longest_match(ip)
            .map(|(_, &i)| &self.entries[i as usize])
    }

    pub(crate) fn live_count(&self, category: Category) -> usize {
        self.live[category as usize]
    }

    /// Every entry in force, in no particular order.
    pub(crate) fn live(&self) -> impl Iterator<Item = &Entry> {
        self.current
            .values()
            .map(|&i| &self.entries[i as usize])
            .filter(|e| !e.is_removal())
    }

    /// The entries a compacted file keeps: every decision and note with its
    /// whole history (the audit trail), but of the owner cache only the facts
    /// in force, since older lookups are no one's decision.
    pub(crate) fn compacted(&self) -> Vec<Entry> {
        self.entries
            .iter()
            .enumerate()
            .filter(|&(i, e)| match e.change() {
                EntryChange::Owner(_) | EntryChange::Removed(Kind::Owner) => {
                    !e.is_removal() && self.current.get(&e.slot()) == Some(&(i as u32))
                }
                _ => true,
            })
            .map(|(_, e)| e.clone())
            .collect()
    }
}

/// The verdicts in force, for [`precedence`](super::precedence).
impl VerdictLookup<Fingerprint> for State {
    type Verdict = Entry;

    fn access(&self, access: Fingerprint) -> Option<&Entry> {
        self.current(&Slot::verdict(Key::Access(access)))
    }

    fn ip(&self, ip: IpAddr) -> Option<&Entry> {
        self.current(&Slot::verdict(Key::Ip(ip)))
    }

    fn longest_network(&self, ip: IpAddr) -> Option<(IpNetwork, &Entry)> {
        self.net_rules
            .longest_match(ip)
            .map(|(net, &i)| (net, &self.entries[i as usize]))
    }

    fn asn(&self, asn: u32) -> Option<&Entry> {
        self.current(&Slot::verdict(Key::Asn(asn)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::entry::Author;
    use crate::kb::key::Verdict;
    use crate::kb::owner_cache::CachedOwner;

    fn at(e: Entry, millis: i64) -> Entry {
        Entry::from_parts(
            e.key(),
            e.change().clone(),
            None,
            e.analyst_arc().clone(),
            jiff::Timestamp::from_millisecond(millis).unwrap(),
            e.campaign().map(Into::into),
        )
        .unwrap()
    }

    #[test]
    fn newest_time_wins_and_ties_go_to_the_later_line() {
        let a = Author::new(Some("sato"), None);
        let ip = Key::ip("192.0.2.1").unwrap();
        let slot = Slot::verdict(ip);
        let mut s = State::default();
        s.apply(at(Entry::verdict(&a, ip, Verdict::Human), 2_000));
        s.apply(at(Entry::verdict(&a, ip, Verdict::Scanner), 1_000));
        assert_eq!(
            s.current(&slot).and_then(Entry::verdict_value),
            Some(Verdict::Human)
        );
        s.apply(at(Entry::verdict(&a, ip, Verdict::Scanner), 2_000));
        assert_eq!(
            s.current(&slot).and_then(Entry::verdict_value),
            Some(Verdict::Scanner)
        );
        assert_eq!(s.live_count(Category::Ip), 1);
        s.apply(at(Entry::removal(&a, slot), 3_000));
        assert_eq!(s.current(&slot), None);
        assert!(s.latest(&slot).is_some_and(Entry::is_removal));
        assert_eq!(s.live_count(Category::Ip), 0);
        assert_eq!(s.entries().len(), 4);
    }

    #[test]
    fn network_indexes_follow_removal() {
        let a = Author::new(Some("sato"), None);
        let wide = Key::net("10.0.0.0/8").unwrap();
        let narrow = Key::net("10.1.0.0/16").unwrap();
        let mut s = State::default();
        s.apply(Entry::verdict(&a, wide, Verdict::Scanner));
        s.apply(Entry::verdict(&a, narrow, Verdict::Human));
        s.apply(Entry::owner_note(&a, wide, "office", None).unwrap());
        let ip = "10.1.2.3".parse().unwrap();
        assert_eq!(s.longest_network(ip).map(|(_, e)| e.key()), Some(narrow));
        assert_eq!(s.net_note(ip).map(Entry::key), Some(wide));
        s.apply(Entry::removal(&a, Slot::verdict(narrow)));
        assert_eq!(s.longest_network(ip).map(|(_, e)| e.key()), Some(wide));
        assert_eq!(s.live_count(Category::Net), 1);
        assert_eq!(s.live_count(Category::Note), 1);
    }

    #[test]
    fn compaction_keeps_history_but_only_the_owner_in_force() {
        let a = Author::new(Some("sato"), None);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let key = Key::from_ip(ip);
        let owner = |asn| CachedOwner {
            asn: Some(asn),
            ..CachedOwner::default()
        };
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        let s = State::from_entries(vec![
            at(Entry::owner(&a, ip, owner(1)), 1),
            at(Entry::verdict(&a, key, Verdict::Human), 2),
            at(Entry::owner(&a, ip, owner(2)), 3),
            at(Entry::verdict(&a, key, Verdict::Scanner), 4),
            at(Entry::owner(&a, other, owner(3)), 5),
            at(
                Entry::removal(&a, Slot::new(Kind::Owner, Key::from_ip(other)).unwrap()),
                6,
            ),
        ]);
        let kept = s.compacted();
        let summary: Vec<String> = kept.iter().map(|e| e.change().to_string()).collect();
        assert_eq!(summary, ["human", "owner AS2", "scanner"]);
    }
}
