//! The orders the campaign-wide signals walk the accesses in (by address
//! and time, by recipient and time, by recipient, address and time), each a
//! list of access indexes. Sorting indexes by keys read through the index
//! fetched an access from memory at every comparison; instead the group
//! (address or recipient) and the index are packed into one integer and
//! sorted on every core, and only each group's few accesses are then sorted
//! by time. Every order ends with the index, so it is total and the same
//! on any number of threads.

use rayon::prelude::*;

use crate::model::Access;

/// The access's time as an unsigned number in the same order.
fn time_bits(a: &Access) -> u64 {
    a.time.as_nanos() as u64 ^ (1 << 63)
}

/// By address, then time, then index.
pub fn by_ip_time(accesses: &[Access]) -> Vec<u32> {
    by_group_time(accesses, |a| a.ip.0)
}

/// By recipient (those of none last), then time, then index.
pub fn by_recipient_time(accesses: &[Access]) -> Vec<u32> {
    by_group_time(accesses, |a| a.recipient_raw)
}

/// By `group`, then time, then index: the group and index packed in 8
/// bytes and sorted on every core, then each group's few accesses by time.
/// (A 16-byte key holding the time as well made the review screen no
/// faster to open on a million accesses, in interleaved runs, and added
/// 6 MB to the report's peak memory.)
fn by_group_time(accesses: &[Access], group: impl Fn(&Access) -> u32 + Sync) -> Vec<u32> {
    let mut keys: Vec<u64> = accesses
        .par_iter()
        .enumerate()
        .map(|(i, a)| u64::from(group(a)) << 32 | i as u64)
        .collect();
    keys.par_sort_unstable();
    let mut order: Vec<u32> = keys.into_par_iter().map(|k| k as u32).collect();
    let same_group =
        |a: &u32, b: &u32| group(&accesses[*a as usize]) == group(&accesses[*b as usize]);
    order.par_chunk_by_mut(same_group).for_each(|run| {
        if run.len() > 1 {
            run.sort_unstable_by_key(|&i| (time_bits(&accesses[i as usize]), i));
        }
    });
    order
}

/// The accesses `keep` accepts, by recipient, then address, then time,
/// then index: [`by_ip_time`]'s order (given) regrouped by recipient. A
/// rank in that order stands for the last three parts, so each key is 8
/// bytes rather than 24.
pub fn by_recipient_ip_time(
    accesses: &[Access],
    by_ip_time: &[u32],
    keep: impl Fn(&Access) -> bool + Sync,
) -> Vec<u32> {
    let mut rank = vec![0u32; accesses.len()];
    for (position, &i) in by_ip_time.iter().enumerate() {
        rank[i as usize] = position as u32;
    }
    let mut keys: Vec<u64> = accesses
        .par_iter()
        .zip(&rank)
        .filter(|(a, _)| keep(a))
        .map(|(a, &rank)| u64::from(a.recipient_raw) << 32 | u64::from(rank))
        .collect();
    drop(rank);
    keys.par_sort_unstable();
    keys.into_par_iter()
        .map(|k| by_ip_time[k as u32 as usize])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Event, IpId, NO_EXTRA, NO_RECIPIENT, Sym, Timestamp, UaId};

    fn access(ip: u32, recipient: u32, secs: i64) -> Access {
        Access {
            time: Timestamp::from_nanos(secs * 1_000_000_000),
            ip: IpId(ip),
            user_agent: UaId(0),
            recipient_raw: recipient,
            method: Sym::EMPTY,
            extra: NO_EXTRA,
            row: 1,
            line: 1,
            screen: None,
            file: 0,
            event: Event::Click,
        }
    }

    /// Random accesses, with ties on every key part, times either side of
    /// 1970 and recipients missing.
    fn sample() -> Vec<Access> {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        (0..20_000)
            .map(|_| {
                let recipient = if next(10) == 0 {
                    NO_RECIPIENT
                } else {
                    next(300) as u32
                };
                access(next(50) as u32, recipient, next(400) as i64 - 200)
            })
            .collect()
    }

    #[test]
    fn orders_are_the_ones_the_tuples_give() {
        let accesses = sample();
        let indexes = || (0..accesses.len() as u32).collect::<Vec<u32>>();
        let a = |i: &u32| &accesses[*i as usize];

        let mut expected = indexes();
        expected.sort_by_key(|i| (a(i).ip, a(i).time, *i));
        assert_eq!(by_ip_time(&accesses), expected);

        let mut expected = indexes();
        expected.sort_by_key(|i| (a(i).recipient_raw, a(i).time, *i));
        assert_eq!(by_recipient_time(&accesses), expected);

        let keep = |x: &Access| !x.recipient_raw.is_multiple_of(3);
        let mut expected: Vec<u32> = indexes().into_iter().filter(|i| keep(a(i))).collect();
        expected.sort_by_key(|i| (a(i).recipient_raw, a(i).ip, a(i).time, *i));
        assert_eq!(
            by_recipient_ip_time(&accesses, &by_ip_time(&accesses), keep),
            expected
        );
    }
}
