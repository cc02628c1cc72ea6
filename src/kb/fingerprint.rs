//! The stable identity of one access, so a verdict on it comes back when the
//! same campaign is opened again, even from another export of the same data.
//!
//! # Definition (version 1; changing it orphans every stored access verdict)
//!
//! A fingerprint is the access time truncated to whole seconds (UTC) plus a
//! 64-bit digest. The digest is FNV-1a 64 over the concatenation of
//!
//! 1. FNV-1a 64 (little-endian bytes) of the canonical IP text: IPv4-mapped
//!    IPv6 becomes IPv4, IPv6 is written the RFC 5952 way (`2001:db8::1`);
//! 2. FNV-1a 64 (LE) of the recipient, trimmed, ASCII letters lower-cased
//!    (exports differ in the case of e-mail addresses, never in meaning);
//! 3. the event name (`click`, `open`, `submit`, `report`);
//! 4. FNV-1a 64 (LE) of the User-Agent, trimmed.
//!
//! Why these choices: whole seconds because formats differ in fractional
//! digits (GoPhish writes up to nine, access logs none); hashing the parts
//! separately lets [`Fingerprinter`] hash each distinct IP, recipient and UA
//! once, so a million accesses cost a few milliseconds; FNV because it is
//! fully specified (std's hasher may change between Rust releases), and
//! collisions need the same second as well, so 64 bits are plenty.
//!
//! What it cannot see: a log that knows the recipient only by GoPhish `rid`
//! fingerprints differently from one that has the e-mail address, unless
//! both are loaded together (the campaign then joins the rid to the address).
//!
//! The text form is `20261001T001403Z-1a2b3c4d5e6f7a8b`: it sorts by time and
//! needs no quoting in a shell.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use jiff::civil::DateTime;
use jiff::tz::Offset;

use super::key::KeyError;
use crate::model::{Access, Campaign, Event, Timestamp};

/// The identity of one access; see the module documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint {
    /// Unix seconds of the access, truncated (floor) to the whole second.
    seconds: i64,
    digest: u64,
}

impl Fingerprint {
    /// The fingerprint of an access described by its parts.
    pub fn from_parts(
        time: Timestamp,
        ip: IpAddr,
        recipient: &str,
        event: Event,
        user_agent: &str,
    ) -> Fingerprint {
        Fingerprint::combine(
            time.as_seconds(),
            ip_hash(ip),
            recipient_hash(recipient),
            event,
            ua_hash(user_agent),
        )
    }

    fn combine(seconds: i64, ip: u64, recipient: u64, event: Event, ua: u64) -> Fingerprint {
        let mut h = Fnv::new();
        h.write(&ip.to_le_bytes());
        h.write(&recipient.to_le_bytes());
        h.write(event.as_str().as_bytes());
        h.write(&ua.to_le_bytes());
        Fingerprint {
            seconds,
            digest: h.finish(),
        }
    }

    /// Unix seconds of the access.
    pub fn seconds(&self) -> i64 {
        self.seconds
    }
}

/// The fingerprint of one access of `campaign`. For many accesses use a
/// [`Fingerprinter`], which hashes each distinct string once.
pub fn fingerprint(campaign: &Campaign, access: &Access) -> Fingerprint {
    Fingerprint::from_parts(
        access.time,
        campaign.ip(access.ip),
        campaign.recipient_name(access),
        access.event,
        campaign.user_agent(access.user_agent),
    )
}

/// Fingerprints the accesses of one campaign quickly: the IP, recipient and
/// UA hashes are computed once per distinct value.
#[derive(Debug, Clone)]
pub struct Fingerprinter {
    ips: Vec<u64>,
    recipients: Vec<u64>,
    user_agents: Vec<u64>,
    no_recipient: u64,
}

impl Fingerprinter {
    pub fn new(campaign: &Campaign) -> Fingerprinter {
        Fingerprinter {
            ips: campaign.ips.iter().map(|&ip| ip_hash(ip)).collect(),
            recipients: campaign
                .recipients
                .iter()
                .map(|r| recipient_hash(campaign.strings.get(r.name)))
                .collect(),
            user_agents: campaign
                .user_agents
                .iter()
                .map(|&sym| ua_hash(campaign.strings.get(sym)))
                .collect(),
            no_recipient: recipient_hash(""),
        }
    }

    /// The fingerprint of `access`, which must belong to the campaign this was built from.
    pub fn fingerprint(&self, access: &Access) -> Fingerprint {
        let recipient = access
            .recipient()
            .map_or(self.no_recipient, |r| self.recipients[r.index()]);
        Fingerprint::combine(
            access.time.as_seconds(),
            self.ips[access.ip.index()],
            recipient,
            access.event,
            self.user_agents[access.user_agent.index()],
        )
    }
}

fn ip_hash(ip: IpAddr) -> u64 {
    use std::fmt::Write as _;
    let mut h = Fnv::new();
    // Formats straight into the hash: no string to allocate per address.
    let _ = write!(h, "{}", ip.to_canonical());
    h.finish()
}

fn recipient_hash(recipient: &str) -> u64 {
    let mut h = Fnv::new();
    for b in recipient.trim().bytes() {
        h.write_byte(b.to_ascii_lowercase());
    }
    h.finish()
}

fn ua_hash(user_agent: &str) -> u64 {
    let mut h = Fnv::new();
    h.write(user_agent.trim().as_bytes());
    h.finish()
}

/// FNV-1a, 64 bits: <http://www.isthe.com/chongo/tech/comp/fnv/>.
struct Fnv(u64);

impl Fnv {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn new() -> Fnv {
        Fnv(Self::OFFSET)
    }

    fn write_byte(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(Self::PRIME);
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_byte(b);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl std::fmt::Write for Fnv {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.write(s.as_bytes());
        Ok(())
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Access times come from an i64 of nanoseconds, well inside jiff's range.
        let dt = jiff::Timestamp::from_second(self.seconds)
            .map(|ts| Offset::UTC.to_datetime(ts))
            .unwrap_or_default();
        write!(
            f,
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z-{:016x}",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
            self.digest
        )
    }
}

impl FromStr for Fingerprint {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || KeyError::Fingerprint(s.to_string());
        let t = s.trim();
        let (time, digest) = t.split_once('-').ok_or_else(bad)?;
        let b = time.as_bytes();
        if b.len() != 16
            || b[8] != b'T'
            || b[15] != b'Z'
            || !b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit)
            || digest.len() != 16
            || !digest.bytes().all(|c| c.is_ascii_hexdigit())
        {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> i16 {
            b[r].iter()
                .fold(0i16, |acc, &d| acc * 10 + i16::from(d - b'0'))
        };
        let dt = DateTime::new(
            num(0..4),
            num(4..6) as i8,
            num(6..8) as i8,
            num(9..11) as i8,
            num(11..13) as i8,
            num(13..15) as i8,
            0,
        )
        .map_err(|_| bad())?;
        let seconds = Offset::UTC.to_timestamp(dt).map_err(|_| bad())?.as_second();
        let digest = u64::from_str_radix(digest, 16).map_err(|_| bad())?;
        Ok(Fingerprint { seconds, digest })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Access, Sym, recipient_raw};

    /// Builds a one-access campaign the way a log reader would.
    fn campaign_with(nanos: i64, ip: &str, recipient: &str, ua: &str) -> (Campaign, Access) {
        let mut c = Campaign::new();
        let ip = c.intern_ip(ip.parse().unwrap());
        let user_agent = c.intern_user_agent(ua);
        let r = c.intern_recipient(recipient);
        let access = Access {
            time: Timestamp::from_nanos(nanos),
            ip,
            user_agent,
            recipient_raw: recipient_raw(Some(r)),
            method: Sym::EMPTY,
            extra: crate::model::NO_EXTRA,
            row: 1,
            line: 2,
            screen: None,
            file: 0,
            event: Event::Click,
        };
        c.accesses.push(access);
        (c, access)
    }

    const T: i64 = 1_790_000_000;
    const UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/141.0";

    #[test]
    fn stable_across_spellings_of_the_same_access() {
        // GoPhish: nanosecond fraction, plain IPv4; an access log: whole
        // seconds, IPv4-mapped IPv6, stray whitespace and upper case.
        let (a, xa) = campaign_with(
            T * 1_000_000_000 + 123_456_789,
            "40.94.0.1",
            "alice@example.com",
            UA,
        );
        let (b, xb) = campaign_with(
            T * 1_000_000_000,
            "::ffff:40.94.0.1",
            "  Alice@Example.COM ",
            &format!("  {UA}\t"),
        );
        let (c, xc) = campaign_with(
            T * 1_000_000_000 + 999_000_000,
            "40.94.0.1",
            "alice@example.com",
            UA,
        );
        assert_eq!(fingerprint(&a, &xa), fingerprint(&b, &xb));
        assert_eq!(fingerprint(&a, &xa), fingerprint(&c, &xc));
        assert_eq!(
            Fingerprinter::new(&b).fingerprint(&xb),
            fingerprint(&a, &xa)
        );
    }

    #[test]
    fn differs_when_the_access_differs() {
        let (a, xa) = campaign_with(T * 1_000_000_000, "40.94.0.1", "alice@example.com", UA);
        let base = fingerprint(&a, &xa);
        let (b, xb) = campaign_with(
            T * 1_000_000_000,
            "40.94.0.1",
            "alice@example.com",
            "curl/8.0",
        );
        assert_ne!(fingerprint(&b, &xb), base);
        let (c, xc) = campaign_with(T * 1_000_000_000, "40.94.0.2", "alice@example.com", UA);
        assert_ne!(fingerprint(&c, &xc), base);
        let (d, xd) = campaign_with(T * 1_000_000_000, "40.94.0.1", "bob@example.com", UA);
        assert_ne!(fingerprint(&d, &xd), base);
        let (e, xe) = campaign_with(
            (T + 1) * 1_000_000_000,
            "40.94.0.1",
            "alice@example.com",
            UA,
        );
        assert_ne!(fingerprint(&e, &xe), base);
        let mut opened = xa;
        opened.event = Event::Open;
        assert_ne!(fingerprint(&a, &opened), base);
    }

    #[test]
    fn known_value_never_changes() {
        // Pins the definition (value checked by an independent FNV-1a script):
        // a change here orphans every stored access verdict.
        let fp = Fingerprint::from_parts(
            Timestamp::from_seconds(T).unwrap(),
            "40.94.0.1".parse().unwrap(),
            "alice@example.com",
            Event::Click,
            "curl/8.0",
        );
        assert_eq!(fp.to_string(), "20260921T141320Z-b0f158729e641420");
    }

    #[test]
    fn text_round_trips() {
        let (a, xa) = campaign_with(-1_500_000_000, "2001:db8::1", "x", UA);
        let fp = fingerprint(&a, &xa);
        assert!(fp.to_string().starts_with("19691231T235958Z-"));
        assert_eq!(fp.to_string().parse::<Fingerprint>(), Ok(fp));
        for bad in [
            "20261001T001403Z",
            "20261001T001403Z-xyz",
            "20261301T001403Z-1a2b3c4d5e6f7a8b",
            "2026-10-01T00:14:03Z-1a2b3c4d5e6f7a8b",
        ] {
            assert!(bad.parse::<Fingerprint>().is_err(), "{bad}");
        }
    }
}
