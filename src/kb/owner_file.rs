//! The owner cache's file, `owners.bin` beside the journal: a compact binary
//! form, read in one pass without parsing text, because it holds one record
//! per network seen in every campaign and is read on every open.
//!
//! Layout (integers little-endian):
//! ```text
//! magic "whoclicked-owners\n", u32 version
//! u32 n, then n strings (u32 byte length, UTF-8): every text once
//! u32 n, then n records:
//!   u8 family (4 or 6), 4 or 16 address bytes, u8 prefix length  — the key
//!   i64 looked-up time (milliseconds since 1970), u32 analyst (string)
//!   u16 presence bits: 0 network, 1 asn, 2..=10 the text fields in order
//!   [u32 asn] [u32 string per present text field]
//!   u8 n, n × u32 flag name (string)
//!   u8 n, n × (u32 database (string), u8 built?, [i64 built, ms])
//! ```
//! The file is a cache: a damaged or foreign one is reported and treated as
//! empty, never as a reason to refuse the knowledge base.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use ipnetwork::IpNetwork;

use super::owner_cache::{CachedOwner, CachedSource};

pub(crate) const OWNERS: &str = "owners.bin";
const MAGIC: &[u8] = b"whoclicked-owners\n";
const VERSION: u32 = 1;

/// One cached network: its owner facts, when they were looked up and by whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Record {
    pub(crate) net: IpNetwork,
    pub(crate) owner: CachedOwner,
    pub(crate) at: jiff::Timestamp,
    pub(crate) analyst: Arc<str>,
}

/// The text fields of [`CachedOwner`], in file order.
fn texts(o: &CachedOwner) -> [&Option<Arc<str>>; 9] {
    [
        &o.as_org,
        &o.isp,
        &o.organization,
        &o.country_code,
        &o.country_name,
        &o.city,
        &o.connection_type,
        &o.user_type,
        &o.domain,
    ]
}

fn texts_mut(o: &mut CachedOwner) -> [&mut Option<Arc<str>>; 9] {
    [
        &mut o.as_org,
        &mut o.isp,
        &mut o.organization,
        &mut o.country_code,
        &mut o.country_name,
        &mut o.city,
        &mut o.connection_type,
        &mut o.user_type,
        &mut o.domain,
    ]
}

#[derive(Default)]
struct Strings<'a> {
    index: HashMap<&'a str, u32>,
    list: Vec<&'a str>,
}

impl<'a> Strings<'a> {
    fn id(&mut self, s: &'a str) -> u32 {
        let next = self.list.len() as u32;
        *self.index.entry(s).or_insert_with(|| {
            self.list.push(s);
            next
        })
    }
}

/// The file's bytes for `records`.
pub(crate) fn encode(records: &[&Record]) -> Vec<u8> {
    let mut strings = Strings::default();
    let mut body = Vec::new();
    let mut count = 0u32;
    for r in records {
        count += 1;
        match r.net {
            IpNetwork::V4(n) => {
                body.push(4);
                body.extend_from_slice(&n.network().octets());
            }
            IpNetwork::V6(n) => {
                body.push(6);
                body.extend_from_slice(&n.network().octets());
            }
        }
        body.push(r.net.prefix());
        body.extend_from_slice(&r.at.as_millisecond().to_le_bytes());
        body.extend_from_slice(&strings.id(&r.analyst).to_le_bytes());
        let o = &r.owner;
        let mut bits = u16::from(o.network.is_some()) | (u16::from(o.asn.is_some()) << 1);
        for (i, t) in texts(o).iter().enumerate() {
            if t.is_some() {
                bits |= 1 << (2 + i);
            }
        }
        body.extend_from_slice(&bits.to_le_bytes());
        if let Some(asn) = o.asn {
            body.extend_from_slice(&asn.to_le_bytes());
        }
        for t in texts(o).into_iter().flatten() {
            body.extend_from_slice(&strings.id(t).to_le_bytes());
        }
        body.push(o.flags.len().min(255) as u8);
        for f in o.flags.iter().take(255) {
            body.extend_from_slice(&strings.id(f).to_le_bytes());
        }
        body.push(o.sources.len().min(255) as u8);
        for s in o.sources.iter().take(255) {
            body.extend_from_slice(&strings.id(&s.database).to_le_bytes());
            match s.built {
                Some(b) => {
                    body.push(1);
                    body.extend_from_slice(&b.as_millisecond().to_le_bytes());
                }
                None => body.push(0),
            }
        }
    }
    let mut out = Vec::with_capacity(body.len() + strings.list.len() * 16 + 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(strings.list.len() as u32).to_le_bytes());
    for s in &strings.list {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// Why a file could not be read (with the byte offset where it went wrong).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Damage {
    pub(crate) offset: usize,
    pub(crate) why: &'static str,
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Damage> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(self.damage("it ends early"));
        };
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn damage(&self, why: &'static str) -> Damage {
        Damage {
            offset: self.at,
            why,
        }
    }

    fn u8(&mut self) -> Result<u8, Damage> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, Damage> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, Damage> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn i64(&mut self) -> Result<i64, Damage> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(i64::from_le_bytes(a))
    }

    fn time(&mut self) -> Result<jiff::Timestamp, Damage> {
        let ms = self.i64()?;
        jiff::Timestamp::from_millisecond(ms).map_err(|_| self.damage("a time is out of range"))
    }

    fn string<'s>(&mut self, strings: &'s [Arc<str>]) -> Result<&'s Arc<str>, Damage> {
        let i = self.u32()?;
        strings
            .get(i as usize)
            .ok_or_else(|| self.damage("a string number is out of range"))
    }
}

/// The records of a file's bytes.
pub(crate) fn decode(bytes: &[u8]) -> Result<Vec<Record>, Damage> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(MAGIC.len()).ok() != Some(MAGIC) {
        return Err(Damage {
            offset: 0,
            why: "it is not an owner cache",
        });
    }
    if r.u32()? != VERSION {
        return Err(r.damage("it was written by another version"));
    }
    let n = r.u32()? as usize;
    let mut strings = Vec::with_capacity(n.min(bytes.len() / 4));
    for _ in 0..n {
        let len = r.u32()? as usize;
        let text =
            std::str::from_utf8(r.take(len)?).map_err(|_| r.damage("a string is not UTF-8"))?;
        strings.push(Arc::<str>::from(text));
    }
    let n = r.u32()? as usize;
    let mut records = Vec::with_capacity(n.min(bytes.len() / 20));
    for _ in 0..n {
        let net = match r.u8()? {
            4 => {
                let b = r.take(4)?;
                let addr = Ipv4Addr::new(b[0], b[1], b[2], b[3]);
                IpNetwork::new(IpAddr::V4(addr), r.u8()?)
            }
            6 => {
                let mut a = [0u8; 16];
                a.copy_from_slice(r.take(16)?);
                IpNetwork::new(IpAddr::V6(Ipv6Addr::from(a)), r.u8()?)
            }
            _ => return Err(r.damage("an address family is unknown")),
        }
        .map_err(|_| r.damage("a prefix length is out of range"))?;
        let at = r.time()?;
        let analyst = r.string(&strings)?.clone();
        let bits = r.u16()?;
        let mut owner = CachedOwner {
            network: (bits & 1 != 0).then_some(net),
            ..CachedOwner::default()
        };
        if bits & 2 != 0 {
            owner.asn = Some(r.u32()?);
        }
        for (i, field) in texts_mut(&mut owner).into_iter().enumerate() {
            if bits & (1 << (2 + i)) != 0 {
                *field = Some(r.string(&strings)?.clone());
            }
        }
        for _ in 0..r.u8()? {
            owner.flags.push(r.string(&strings)?.clone());
        }
        for _ in 0..r.u8()? {
            let database = r.string(&strings)?.clone();
            let built = match r.u8()? {
                0 => None,
                _ => Some(r.time()?),
            };
            owner.sources.push(CachedSource { database, built });
        }
        records.push(Record {
            net,
            owner,
            at,
            analyst,
        });
    }
    if r.at != bytes.len() {
        return Err(r.damage("bytes follow the last record"));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(net: &str, asn: u32) -> Record {
        let net: IpNetwork = net.parse().unwrap();
        Record {
            net,
            owner: CachedOwner {
                network: Some(net),
                asn: Some(asn),
                as_org: Some("MICROSOFT-CORP-MSN-AS-BLOCK".into()),
                city: Some("東京".into()),
                flags: vec!["hosting".into()],
                sources: vec![
                    CachedSource::new("GeoLite2-ASN", "2026-09-01T00:00:00Z".parse().ok()),
                    CachedSource::new("home-made", None),
                ],
                ..CachedOwner::default()
            },
            at: "2026-10-01T09:00:00.123Z".parse().unwrap(),
            analyst: "sato".into(),
        }
    }

    #[test]
    fn round_trips_and_shares_strings() {
        let mut bare = record("2001:db8::/32", 1);
        bare.owner = CachedOwner {
            country_code: Some("JP".into()),
            ..CachedOwner::default()
        };
        let records = vec![
            record("40.94.0.0/16", 8075),
            record("40.95.0.0/16", 8075),
            bare,
        ];
        let bytes = encode(&records.iter().collect::<Vec<_>>());
        assert_eq!(decode(&bytes).unwrap(), records);
        // The organisation's name is stored once for both networks.
        let name = b"MICROSOFT-CORP-MSN-AS-BLOCK";
        assert_eq!(bytes.windows(name.len()).filter(|w| w == name).count(), 1);
    }

    #[test]
    fn damage_is_reported_never_a_panic() {
        let bytes = encode(&[&record("40.94.0.0/16", 8075)]);
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            decode(&longer).unwrap_err().why,
            "bytes follow the last record"
        );
        assert_eq!(
            decode(b"{\"kb\":1}\n").unwrap_err().why,
            "it is not an owner cache"
        );
        // A string number past the table: the first source's database.
        let mut wrong = bytes;
        let at = wrong.len() - (4 + 1 + 8) - (4 + 1);
        wrong[at..at + 4].copy_from_slice(&99u32.to_le_bytes());
        assert_eq!(
            decode(&wrong).unwrap_err().why,
            "a string number is out of range"
        );
    }
}
