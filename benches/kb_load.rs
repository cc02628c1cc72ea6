//! How long loading a knowledge base of 100,000 entries takes, and what one
//! durable `record` costs. Run with `cargo bench --bench kb_load`; it prints
//! figures (no statistics framework: the numbers are for the release notes).

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use whoclicked::kb::{Author, CachedOwner, CachedSource, Entry, Key, KnowledgeBase, Verdict};
use whoclicked::model::{Access, Campaign, Event, NO_EXTRA, Sym, Timestamp, recipient_raw};

const ACCESSES: u32 = 60_000;
const IP_RULES: u32 = 20_000;
const NET_RULES: u32 = 5_000;
const AS_RULES: u32 = 1_000;
const NOTES: u32 = 4_000;
const OWNERS: u32 = 10_000;

fn addr(n: u32) -> IpAddr {
    IpAddr::V4(Ipv4Addr::from(
        0x2800_0000 + n.wrapping_mul(2_654_435_761) % 0x1000_0000,
    ))
}

/// A campaign whose accesses get verdicts of their own.
fn campaign() -> Campaign {
    let mut c = Campaign::new();
    for i in 0..ACCESSES {
        let ip = c.intern_ip(addr(i % 9_000));
        let ua = c.intern_user_agent(&format!(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{}.0.0.0 Safari/537.36",
            100 + i % 40
        ));
        let r = c.intern_recipient(&format!("user{:05}@example.co.jp", i % 20_000));
        c.accesses.push(Access {
            time: Timestamp::from_seconds(1_790_000_000 + i64::from(i)).unwrap_or_default(),
            ip,
            user_agent: ua,
            recipient_raw: recipient_raw(Some(r)),
            method: Sym::EMPTY,
            extra: NO_EXTRA,
            row: i + 1,
            line: i + 2,
            screen: None,
            file: 0,
            event: Event::Click,
        });
    }
    c
}

fn entries(c: &Campaign) -> Vec<Entry> {
    let analysts = [
        Author::new(Some("sato"), Some("2026-09 標的型メール訓練")),
        Author::new(Some("tanaka"), Some("2026-10 標的型メール訓練")),
    ];
    let verdict = |i: u32| {
        if i.is_multiple_of(3) {
            Verdict::Human
        } else {
            Verdict::Scanner
        }
    };
    let mut out = Vec::new();
    for (i, a) in c.accesses.iter().enumerate() {
        let i = i as u32;
        out.push(Entry::access_verdict(
            &analysts[(i % 2) as usize],
            c,
            a,
            verdict(i),
        ));
    }
    for i in 0..IP_RULES {
        let e = Entry::verdict(&analysts[0], Key::from_ip(addr(100_000 + i)), verdict(i));
        out.push(e.with_note(i.is_multiple_of(4).then_some("AVD pool")));
    }
    for i in 0..NET_RULES {
        let len = [16u8, 20, 24, 28][(i % 4) as usize];
        let base = u32::from(match addr(200_000 + i) {
            IpAddr::V4(v4) => v4,
            IpAddr::V6(_) => Ipv4Addr::UNSPECIFIED,
        }) & (u32::MAX << (32 - len));
        let net = ipnetwork::Ipv4Network::new(base.into(), len).map(Into::into);
        if let Ok(key) = net
            .map_err(|_| ())
            .and_then(|n| Key::from_network(n).map_err(|_| ()))
        {
            out.push(Entry::verdict(&analysts[1], key, verdict(i)));
        }
    }
    for i in 0..AS_RULES {
        out.push(Entry::verdict(
            &analysts[1],
            Key::Asn(64_512 + i),
            Verdict::Scanner,
        ));
    }
    for i in 0..NOTES {
        if let Ok(e) = Entry::owner_note(
            &analysts[0],
            Key::from_ip(addr(300_000 + i)),
            "本社プロキシ (head office proxy)",
            Some(Verdict::Human),
        ) {
            out.push(e);
        }
    }
    let built = "2026-09-01T00:00:00Z".parse().ok();
    for i in 0..OWNERS {
        let owner = CachedOwner {
            // A network that holds none of the addresses (documentation
            // space), so each address keeps a record of its own.
            network: Some("198.51.100.0/24".parse().unwrap_or_else(|_| unreachable!())),
            asn: Some(8075),
            as_org: Some("MICROSOFT-CORP-MSN-AS-BLOCK".into()),
            country_code: Some("US".into()),
            flags: vec!["hosting".into()],
            sources: vec![CachedSource::new("GeoLite2-ASN", built)],
            ..CachedOwner::default()
        };
        out.push(Entry::owner(&analysts[0], addr(400_000 + i), owner));
    }
    out
}

fn stats(mut samples: Vec<Duration>) -> (Duration, Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.0), at(0.5), at(0.99))
}

fn main() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let dir = tmp.path().join("kb");
    let c = campaign();
    let all = entries(&c);
    let total = all.len();
    {
        let mut kb = KnowledgeBase::open(&dir).expect("open");
        let t = Instant::now();
        kb.record_all(all).expect("write");
        println!("wrote {total} entries in one batch: {:?}", t.elapsed());
    }
    let bytes = std::fs::metadata(dir.join("journal.jsonl")).map_or(0, |m| m.len());
    println!("journal: {:.1} MiB", bytes as f64 / (1024.0 * 1024.0));

    let mut loads = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        let kb = KnowledgeBase::open(&dir).expect("load");
        loads.push(t.elapsed());
        // The owner facts go to the owner cache's file, not the journal
        // (one per address here: their network does not hold them).
        assert_eq!(kb.entries().len(), total - OWNERS as usize);
        assert_eq!(kb.cached_networks(), OWNERS as usize);
    }
    let (min, median, _) = stats(loads);
    println!("load {total} entries (journal): min {min:?}, median {median:?}");

    let mut kb = KnowledgeBase::open(&dir).expect("load");
    kb.compact().expect("compact");
    let mut loads = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        let _ = KnowledgeBase::open(&dir).expect("load");
        loads.push(t.elapsed());
    }
    let (min, median, _) = stats(loads);
    println!("load after compaction (snapshot): min {min:?}, median {median:?}");

    let t = Instant::now();
    for _ in 0..100 {
        kb.refresh().expect("refresh");
    }
    println!("refresh with nothing new: {:?} each", t.elapsed() / 100);

    let t = Instant::now();
    let verdicts = kb.resolve_campaign(&c, |_| Some(8075));
    println!(
        "resolve a campaign of {} accesses ({} with their own verdict): {:?}",
        c.accesses.len(),
        verdicts.access_verdicts(),
        t.elapsed()
    );
    let t = Instant::now();
    let mut hits = 0usize;
    for i in 0..1_000_000u32 {
        hits += usize::from(
            kb.resolve_ip(addr(i.wrapping_mul(7)), Some(64_512))
                .is_some(),
        );
    }
    println!(
        "1,000,000 IP resolutions ({NET_RULES} network rules): {:?} ({hits} hits)",
        t.elapsed()
    );

    let a = Author::new(Some("sato"), None);
    let mut appends = Vec::new();
    for i in 0..300u32 {
        let t = Instant::now();
        kb.record(Entry::verdict(
            &a,
            Key::from_ip(addr(500_000 + i)),
            Verdict::Human,
        ))
        .expect("record");
        appends.push(t.elapsed());
    }
    let (min, median, p99) = stats(appends);
    println!(
        "record (append + sync_data, {}): min {min:?}, median {median:?}, p99 {p99:?}",
        dir.display()
    );
}
