//! A knowledge base kept for years: 100 campaigns of 100,000 accesses each
//! (266,000 distinct addresses per million accesses, as in a real log), a
//! tenth of each campaign's accesses labelled the way the review screen
//! labels them most (grouped by IP: one IP rule per address), and every
//! address's owner looked up. Prints the size on disk and how long opening
//! it takes. Run with `cargo bench --bench kb_scale`; `KB_SCALE_CAMPAIGNS`
//! changes the number of campaigns; `KB_SCALE_KEEP=DIR` writes the
//! knowledge base into DIR and keeps it (for profiling `whoclicked --kb DIR
//! kb stats`).
//!
//! For comparison it also writes the first `LEGACY` campaigns the way the
//! version before the owner cache had its own file kept them (one owner line
//! per address in the journal) and opens that, which migrates it.

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::time::{Duration, Instant};

use ipnetwork::{IpNetwork, Ipv4Network};
use whoclicked::kb::format::{FileRole, header_line, write_entry};
use whoclicked::kb::{Author, CachedOwner, CachedSource, Entry, Key, KnowledgeBase, Verdict};
use whoclicked::testing::Rng;

const ACCESSES: u32 = 100_000;
/// Distinct addresses per campaign: 266,000 per 1,000,000 accesses.
const ADDRESSES: u32 = 26_600;
/// The networks the addresses come from (a mail-security vendor's, the
/// company's own, thousands of home and mobile lines).
const NETWORKS: u32 = 120_000;
const LEGACY: u32 = 10;

fn network(n: u32) -> Ipv4Network {
    let len = [18u8, 20, 22, 24][(n % 4) as usize];
    let base =
        (0x0100_0000 + n.wrapping_mul(2_654_435_761) % 0xDE00_0000) & (u32::MAX << (32 - len));
    Ipv4Network::new(Ipv4Addr::from(base), len).expect("a valid prefix")
}

fn owner(n: u32, net: Ipv4Network, built: Option<jiff::Timestamp>) -> CachedOwner {
    let asn = 64_512 + n % 9_000;
    CachedOwner {
        network: Some(IpNetwork::V4(net)),
        asn: Some(asn),
        as_org: Some(format!("EXAMPLE-AS-{asn} Network Services Co., Ltd.").into()),
        country_code: Some(["JP", "US", "IE", "SG"][(n % 4) as usize].into()),
        flags: if n.is_multiple_of(5) {
            vec!["hosting".into()]
        } else {
            vec![]
        },
        sources: vec![CachedSource::new("GeoLite2-ASN", built)],
        ..CachedOwner::default()
    }
}

/// One campaign's addresses (with their network's number), its IP rules
/// and owner facts.
struct CampaignFacts {
    rules: Vec<Entry>,
    owners: Vec<(IpAddr, CachedOwner)>,
}

fn campaign(c: u32, rng: &mut Rng) -> CampaignFacts {
    let author = Author::new(
        Some(["sato", "tanaka", "suzuki"][(c % 3) as usize]),
        Some(&format!(
            "{}-{:02} 標的型メール訓練",
            2020 + c / 12,
            c % 12 + 1
        )),
    );
    let built = "2026-09-01T00:00:00Z".parse().ok();
    let mut owners = Vec::with_capacity(ADDRESSES as usize);
    let mut rules = Vec::new();
    // A tenth of the accesses are labelled; accesses per address are
    // ACCESSES / ADDRESSES, so as many addresses get an IP rule.
    let labelled = ADDRESSES / 10;
    for i in 0..ADDRESSES {
        let n = rng.below(u64::from(NETWORKS)) as u32;
        let net = network(n);
        let host = rng.below(1u64 << (32 - net.prefix())) as u32;
        let ip = IpAddr::V4(Ipv4Addr::from(u32::from(net.network()) | host));
        owners.push((ip, owner(n, net, built)));
        if i < labelled {
            let verdict = if i % 3 == 0 {
                Verdict::Human
            } else {
                Verdict::Scanner
            };
            rules.push(Entry::verdict(&author, Key::from_ip(ip), verdict));
        }
    }
    CampaignFacts { rules, owners }
}

fn size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn main() {
    let campaigns: u32 = std::env::var("KB_SCALE_CAMPAIGNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let tmp = tempfile::tempdir().expect("temporary directory");
    let dir = std::env::var_os("KB_SCALE_KEEP")
        .map_or_else(|| tmp.path().join("kb"), std::path::PathBuf::from);
    let legacy_dir = tmp.path().join("legacy");
    std::fs::create_dir(&legacy_dir).expect("legacy directory");
    let mut legacy = header_line(FileRole::Journal, 0).into_bytes();
    let mut rng = Rng::splitmix64(13);
    let t = Instant::now();
    let mut rules = 0;
    let mut addresses = 0;
    {
        let mut kb = KnowledgeBase::open(&dir).expect("open");
        for c in 0..campaigns {
            let facts = campaign(c, &mut rng);
            rules += facts.rules.len();
            addresses += facts.owners.len();
            if c < LEGACY {
                let author = Author::new(Some("sato"), None);
                for (ip, o) in &facts.owners {
                    write_entry(&Entry::owner(&author, *ip, o.clone()), &mut legacy);
                }
                for e in &facts.rules {
                    write_entry(e, &mut legacy);
                }
            }
            kb.cache_owners(&Author::new(Some("sato"), None), &facts.owners)
                .expect("cache");
            kb.record_all(facts.rules).expect("record");
        }
        kb.compact().expect("compact");
        println!(
            "{campaigns} campaigns of {ACCESSES} accesses ({addresses} addresses looked up, {rules} IP rules) written in {:.1?}; cache holds {} networks",
            t.elapsed(),
            kb.cached_networks()
        );
    }
    println!(
        "on disk: {} (owner cache {}, snapshot {})",
        mib(size(&dir)),
        mib(std::fs::metadata(dir.join("owners.bin")).map_or(0, |m| m.len())),
        mib(std::fs::metadata(dir.join("snapshot.jsonl")).map_or(0, |m| m.len())),
    );
    let mut opens = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let kb = KnowledgeBase::open(&dir).expect("open");
        opens.push(t.elapsed());
        assert_eq!(kb.entries().len(), rules);
    }
    println!(
        "open (verdicts and owner cache): median {:.1?}",
        median(opens)
    );

    std::fs::write(legacy_dir.join("journal.jsonl"), &legacy).expect("legacy journal");
    println!(
        "the first {LEGACY} campaigns as the earlier version kept them (owner lines in the journal): {}",
        mib(legacy.len() as u64)
    );
    let t = Instant::now();
    let kb = KnowledgeBase::open(&legacy_dir).expect("open legacy");
    println!(
        "  first open, migrating: {:.1?}; then {} ({} networks cached)",
        t.elapsed(),
        mib(size(&legacy_dir)),
        kb.cached_networks()
    );
    drop(kb);
    let t = Instant::now();
    let _ = KnowledgeBase::open(&legacy_dir).expect("open migrated");
    println!("  next open: {:.1?}", t.elapsed());
}
