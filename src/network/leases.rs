//! Who held an internal address at a moment, from the DHCP lease history.
//! A lease with an end (`dhcpd.leases`) holds until then; one without (the
//! Windows audit log writes events, not intervals) holds until the address's
//! next event, and at most [`MAX_OPEN_LEASE`]. Two leases of one address to
//! different machines over the same time cannot both be true: they are
//! reported, and a moment they both cover names no host.

use std::collections::HashMap;
use std::net::IpAddr;

use crate::model::{Campaign, Lease, Sym, Timestamp};

/// How long a lease without an end is believed: Windows' default lease is
/// 8 days, and a machine renews long before.
pub const MAX_OPEN_LEASE: i64 = 8 * 24 * 3600 * 1_000_000_000;

/// One lease as an interval.
#[derive(Clone, Copy, Debug)]
struct Span {
    start: Timestamp,
    end: Timestamp,
    /// Index into `campaign.network.leases`.
    lease: u32,
}

/// What the lease history says about an address at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    /// One machine held it (index into `campaign.network.leases`).
    Lease(u32),
    /// Overlapping leases name two machines.
    Ambiguous,
    /// No lease covers the moment.
    None,
}

#[derive(Debug, Default)]
pub struct LeaseIndex {
    by_ip: HashMap<IpAddr, Vec<Span>>,
}

impl LeaseIndex {
    /// Builds the index; the overlaps found come back as messages naming the
    /// files and lines.
    pub fn build(campaign: &Campaign) -> (LeaseIndex, Vec<String>) {
        let leases = &campaign.network.leases;
        let mut events: HashMap<IpAddr, Vec<u32>> = HashMap::new();
        for (i, lease) in leases.iter().enumerate() {
            events.entry(lease.ip).or_default().push(i as u32);
        }
        let mut index = LeaseIndex::default();
        let mut warnings = Vec::new();
        let mut ips: Vec<IpAddr> = events.keys().copied().collect();
        ips.sort();
        for ip in ips {
            let mut list = events.remove(&ip).unwrap_or_default();
            list.sort_by_key(|&i| (leases[i as usize].start, i));
            let mut spans = Vec::new();
            for (k, &i) in list.iter().enumerate() {
                let lease = &leases[i as usize];
                if lease.host == Sym::EMPTY
                    && lease.mac == Sym::EMPTY
                    && lease.end == Some(lease.start)
                {
                    continue; // a release: it only ends the lease before it
                }
                let next = list[k + 1..]
                    .iter()
                    .map(|&j| leases[j as usize].start)
                    .find(|&t| t > lease.start);
                let cap =
                    Timestamp::from_nanos(lease.start.as_nanos().saturating_add(MAX_OPEN_LEASE));
                let end = match lease.end {
                    Some(end) => end,
                    None => next.unwrap_or(cap).min(cap),
                };
                spans.push(Span {
                    start: lease.start,
                    end,
                    lease: i,
                });
            }
            for (a, first) in spans.iter().enumerate() {
                for second in &spans[a + 1..] {
                    if second.start >= first.end {
                        break;
                    }
                    let (x, y) = (
                        &leases[first.lease as usize],
                        &leases[second.lease as usize],
                    );
                    if !same_machine(x, y) {
                        warnings.push(overlap_message(campaign, ip, x, y));
                    }
                }
            }
            index.by_ip.insert(ip, spans);
        }
        (index, warnings)
    }

    pub fn holder(&self, campaign: &Campaign, ip: IpAddr, at: Timestamp) -> Holder {
        let Some(spans) = self.by_ip.get(&ip) else {
            return Holder::None;
        };
        let leases = &campaign.network.leases;
        let mut found: Option<u32> = None;
        for span in spans.iter().filter(|s| s.start <= at && at < s.end) {
            match found {
                None => found = Some(span.lease),
                Some(f) if same_machine(&leases[f as usize], &leases[span.lease as usize]) => {
                    // A renewal: the later event says the same.
                    found = Some(span.lease);
                }
                Some(_) => return Holder::Ambiguous,
            }
        }
        found.map_or(Holder::None, Holder::Lease)
    }

    pub fn is_empty(&self) -> bool {
        self.by_ip.is_empty()
    }
}

fn same_machine(a: &Lease, b: &Lease) -> bool {
    if a.mac != Sym::EMPTY && b.mac != Sym::EMPTY {
        a.mac == b.mac
    } else {
        a.host == b.host
    }
}

fn overlap_message(campaign: &Campaign, ip: IpAddr, a: &Lease, b: &Lease) -> String {
    let who = |l: &Lease| {
        let host = campaign.strings.get(l.host);
        let mac = campaign.strings.get(l.mac);
        let name = match (host.is_empty(), mac.is_empty()) {
            (false, false) => format!("{host} ({mac})"),
            (false, true) => host.to_string(),
            (true, false) => mac.to_string(),
            (true, true) => "an unnamed machine".to_string(),
        };
        format!(
            "{} in {} line {}",
            crate::text::escape_controls(&name),
            crate::text::escape_controls(campaign.file_name(l.file)),
            l.line
        )
    };
    format!(
        "overlapping leases of {ip}: {} and {} both cover the time from {}; \
         accesses then get no host name",
        who(a),
        who(b),
        b.start.format_rfc3339(&jiff::tz::TimeZone::UTC)
    )
}
