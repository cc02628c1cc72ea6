//! Which accesses share an address or a recipient, built once per campaign:
//! the detail pane lists them and labelling finds what a rule reaches without
//! scanning every access.

use crate::model::{Campaign, IpId, RecipientId};

/// Access indices grouped by a key, stored flat (offsets into one vector).
#[derive(Clone, Debug, Default)]
struct Buckets {
    offsets: Vec<u32>,
    rows: Vec<u32>,
}

impl Buckets {
    fn build(keys: usize, key_of: impl Fn(usize) -> Option<usize>, n: usize) -> Self {
        let mut counts = vec![0u32; keys + 1];
        for i in 0..n {
            if let Some(k) = key_of(i) {
                counts[k + 1] += 1;
            }
        }
        for k in 1..counts.len() {
            counts[k] += counts[k - 1];
        }
        let offsets = counts.clone();
        let mut next = counts;
        let mut rows = vec![0u32; offsets[keys] as usize];
        for i in 0..n {
            if let Some(k) = key_of(i) {
                rows[next[k] as usize] = i as u32;
                next[k] += 1;
            }
        }
        Buckets { offsets, rows }
    }

    fn get(&self, k: usize) -> &[u32] {
        match (self.offsets.get(k), self.offsets.get(k + 1)) {
            (Some(&a), Some(&b)) => &self.rows[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// Accesses per address and per recipient, each list in log order.
#[derive(Clone, Debug, Default)]
pub struct ReviewIndex {
    ip: Buckets,
    recipient: Buckets,
}

impl ReviewIndex {
    pub fn new(campaign: &Campaign) -> Self {
        let accesses = &campaign.accesses;
        ReviewIndex {
            ip: Buckets::build(
                campaign.ips.len(),
                |i| Some(accesses[i].ip.index()),
                accesses.len(),
            ),
            recipient: Buckets::build(
                campaign.recipients.len(),
                |i| accesses[i].recipient().map(|r| r.index()),
                accesses.len(),
            ),
        }
    }

    pub fn by_ip(&self, ip: IpId) -> &[u32] {
        self.ip.get(ip.index())
    }

    pub fn by_recipient(&self, r: RecipientId) -> &[u32] {
        self.recipient.get(r.index())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LogFormat, NewAccess};

    #[test]
    fn groups_by_address_and_recipient() {
        let mut c = Campaign::new();
        let f = c.add_file("a.csv", LogFormat::Native);
        for (ip, who) in [
            ("10.0.0.1", Some("a")),
            ("10.0.0.2", Some("b")),
            ("10.0.0.1", None),
            ("10.0.0.1", Some("b")),
        ] {
            c.add_access(
                f,
                NewAccess {
                    ip: ip.parse().unwrap(),
                    recipient: who,
                    ..NewAccess::default()
                },
            );
        }
        let index = ReviewIndex::new(&c);
        assert_eq!(index.by_ip(IpId(0)), &[0, 2, 3]);
        assert_eq!(index.by_ip(IpId(1)), &[1]);
        assert_eq!(index.by_ip(IpId(7)), &[] as &[u32]);
        let b = c.find_recipient("b").unwrap();
        assert_eq!(index.by_recipient(b), &[1, 3]);
    }
}
