//! The held-out world's own invariants (`support/heldout`): the same seed
//! gives the same bytes; every format of every campaign, under every
//! perturbation, reads through whoclicked's readers with no read issue and
//! every access matched to its truth; the truth per family; owners from the
//! world's database (and, with `../shared`, the real one); browsers current
//! on the campaign's date. Nothing here looks at whoclicked's suggestions.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::path::PathBuf;

use whoclicked::input::{LoadProgress, load};
use whoclicked::model::{Campaign, Event};
use whoclicked::owner::OwnerDatabases;

use crate::support::heldout::{
    self, AccessTruth, Actor, Family, Format, HeldoutCampaign, Method, Perturbation, Written,
};

fn read(campaign: &HeldoutCampaign, written: &Written) -> Campaign {
    load(
        std::slice::from_ref(&written.path),
        &campaign.load_options(),
        &LoadProgress::default(),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", written.path.display()))
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    for campaign in heldout::campaigns() {
        for p in campaign.perturbations() {
            let (a, b) = (campaign.world(p), campaign.world(p));
            for format in Format::ALL {
                assert_eq!(
                    campaign.render(&a, format, p).0,
                    campaign.render(&b, format, p).0,
                    "{} {format:?} {}",
                    campaign.id(),
                    p.name()
                );
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let one = heldout::databases(dir.path());
    assert_eq!(std::fs::read(&one[0]).unwrap(), heldout::asn_database());
}

/// What an access read from `format` must agree on with its truth.
fn check_access(
    campaign: &Campaign,
    access: &whoclicked::model::Access,
    truth: &AccessTruth,
    format: Format,
    context: &str,
) {
    assert_eq!(campaign.ip(access.ip), truth.ip, "{context}: address");
    let name = campaign.recipient_name(access);
    let expected = match format {
        Format::Combined => &truth.rid,
        _ => &truth.email,
    };
    assert_eq!(name, expected, "{context}: recipient");
    let seconds = access.time.as_seconds();
    assert_eq!(seconds, truth.at_ms.div_euclid(1000), "{context}: time");
    let event = match truth.method {
        Method::Post => Event::Submit,
        _ => Event::Click,
    };
    assert_eq!(access.event, event, "{context}: event");
    if format != Format::GoPhish {
        let method = campaign.strings.get(access.method);
        assert_eq!(method, truth.method.as_str(), "{context}: method");
    }
}

#[test]
fn every_format_reads_with_every_access_matched_to_its_truth() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = 0;
    for campaign in heldout::campaigns() {
        for p in campaign.perturbations() {
            for format in Format::ALL {
                let written = campaign.write_files(dir.path(), format, p);
                let context = format!("{} {} {}", campaign.id(), format.name(), p.name());
                let loaded = read(&campaign, &written);
                assert_eq!(loaded.issues, vec![], "{context}: read issues");
                assert_eq!(
                    loaded.accesses.len(),
                    written.rows.len(),
                    "{context}: accesses"
                );
                let truths = written.truth_in_read_order(&loaded);
                for (access, truth) in loaded.accesses.iter().zip(&truths) {
                    check_access(&loaded, access, truth, format, &context);
                }
                let rows: BTreeSet<u32> = loaded.accesses.iter().map(|a| a.row).collect();
                assert_eq!(
                    rows.len(),
                    loaded.accesses.len(),
                    "{context}: rows are keys"
                );
                match written.delivered {
                    Some(n) => {
                        assert_eq!(loaded.delivered_count(), n, "{context}: delivered");
                        assert!(
                            loaded
                                .accesses
                                .iter()
                                .all(|a| loaded.seconds_after_sent(a).is_some()),
                            "{context}: every access has its delivery time"
                        );
                    }
                    None => assert!(
                        loaded
                            .accesses
                            .iter()
                            .all(|a| loaded.seconds_after_sent(a).is_none()),
                        "{context}: no delivery times"
                    ),
                }
                let screens = loaded
                    .accesses
                    .iter()
                    .filter(|a| a.screen.is_some())
                    .count();
                if p.no_screens || format == Format::GoPhish {
                    assert_eq!(screens, 0, "{context}: screens");
                } else {
                    assert!(screens > 0, "{context}: screens");
                }
                files += 1;
            }
        }
    }
    assert!(files >= 6 * 3 * 4, "{files} files");
}

/// FNV-1a, enough to tell one world's bytes from another's.
fn digest(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The same bytes on every machine and in every run: what the held-out
/// figures were measured on can be rebuilt exactly.
#[test]
fn the_world_is_the_same_on_every_machine() {
    let mut lines = String::new();
    for campaign in heldout::campaigns() {
        let world = campaign.world(Perturbation::NONE);
        for format in Format::ALL {
            let (bytes, rows, _) = campaign.render(&world, format, Perturbation::NONE);
            lines.push_str(&format!(
                "{} {:<24} {:>8} bytes {:>6} accesses {:016x}\n",
                campaign.id(),
                format.name(),
                bytes.len(),
                rows.len(),
                digest(&bytes)
            ));
        }
    }
    insta::assert_snapshot!(lines);
}

#[test]
fn heads_appear_where_the_format_logs_them() {
    let campaign = &heldout::campaigns()[0];
    let world = campaign.world(Perturbation::NONE);
    let heads = world
        .visits
        .iter()
        .filter(|v| v.method == Method::Head)
        .count();
    assert!(heads > 10, "{heads} HEAD requests");
    let (_, gophish, _) = campaign.render(&world, Format::GoPhish, Perturbation::NONE);
    assert!(gophish.values().all(|t| t.method != Method::Head));
    let (_, native, _) = campaign.render(&world, Format::NativeWithDelivery, Perturbation::NONE);
    assert_eq!(native.len(), world.visits.len());
    let (_, combined, _) = campaign.render(&world, Format::Combined, Perturbation::NONE);
    let beacons = combined.values().filter(|t| t.beacon).count();
    let with_screens = world
        .visits
        .iter()
        .filter(|v| v.screen.is_some() && v.method == Method::Get)
        .count();
    assert_eq!(beacons, with_screens);
    assert_eq!(combined.len(), world.visits.len() + beacons);
}

/// Accesses per family in each campaign as written natively: the table the
/// evaluation's per-family figures rest on.
#[test]
fn truth_per_family() {
    let mut table = String::new();
    let mut totals: BTreeMap<Family, usize> = BTreeMap::new();
    let mut header = format!("{:<26}", "family");
    let campaigns = heldout::campaigns();
    let mut per_campaign = Vec::new();
    for campaign in &campaigns {
        let world = campaign.world(Perturbation::NONE);
        let (_, rows, _) = campaign.render(&world, Format::NativeWithDelivery, Perturbation::NONE);
        let mut counts: BTreeMap<Family, usize> = BTreeMap::new();
        for t in rows.values() {
            *counts.entry(t.family).or_insert(0) += 1;
            *totals.entry(t.family).or_insert(0) += 1;
        }
        header.push_str(&format!(" {:>21}", campaign.id()));
        let humans: BTreeSet<&str> = rows
            .values()
            .filter(|t| t.actor == Actor::Human)
            .map(|t| t.email.as_str())
            .collect();
        let delivered = world.recipients.iter().filter(|r| !r.bounced).count();
        let rate = humans.len() as f64 / delivered as f64;
        let expected = campaign.spec().click_rate;
        assert!(
            (rate - expected).abs() < 0.05,
            "{}: human click rate {rate:.3}, spec {expected}",
            campaign.id()
        );
        per_campaign.push(counts);
    }
    table.push_str(&header);
    table.push_str(&format!(" {:>7}\n", "total"));
    for family in Family::ALL {
        let total = totals.get(&family).copied().unwrap_or(0);
        assert!(total >= 20, "{}: only {total} accesses", family.name());
        table.push_str(&format!("{:<26}", family.name()));
        for counts in &per_campaign {
            table.push_str(&format!(
                " {:>21}",
                counts.get(&family).copied().unwrap_or(0)
            ));
        }
        table.push_str(&format!(" {total:>7}\n"));
    }
    let humans: usize = Family::ALL
        .iter()
        .filter(|f| f.actor() == Actor::Human)
        .map(|f| totals.get(f).copied().unwrap_or(0))
        .sum();
    let all: usize = totals.values().sum();
    table.push_str(&format!("humans {humans} of {all} accesses\n"));
    insta::assert_snapshot!(table);
}

fn open_world_database() -> (tempfile::TempDir, OwnerDatabases) {
    let dir = tempfile::tempdir().unwrap();
    let paths = heldout::databases(dir.path());
    let dbs = OwnerDatabases::open(&paths).expect("the held-out database opens");
    (dir, dbs)
}

#[test]
fn every_address_is_owned_as_its_pool_says() {
    let (_dir, dbs) = open_world_database();
    let mut seen: BTreeSet<IpAddr> = BTreeSet::new();
    for campaign in heldout::campaigns() {
        for p in [Perturbation::NONE, Perturbation::YEAR_LATER] {
            if !campaign.perturbations().contains(&p) {
                continue;
            }
            for v in campaign.world(p).visits {
                if !seen.insert(v.ip) {
                    continue;
                }
                let pool =
                    heldout::pool_of(v.ip).unwrap_or_else(|| panic!("{} is in no pool", v.ip));
                let owner = dbs.lookup(v.ip);
                assert_eq!(owner.asn, Some(pool.asn), "{} ({})", v.ip, pool.name);
                assert_eq!(owner.as_org.as_deref(), Some(pool.org), "{}", v.ip);
                assert_eq!(
                    owner.network.map(|n| n.to_string()).as_deref(),
                    Some(pool.network),
                    "{} ({})",
                    v.ip,
                    pool.name
                );
            }
        }
    }
    assert!(seen.len() > 2000, "{} distinct addresses", seen.len());
}

/// Where the families' defining facts hold in the world itself.
#[test]
fn families_keep_their_defining_facts() {
    for campaign in heldout::campaigns() {
        let world = campaign.world(Perturbation::NONE);
        for v in &world.visits {
            let pool = heldout::pool_of(v.ip).expect("pooled");
            let sent = world.recipients[v.recipient].sent_ms;
            let after_s = (v.at_ms - sent) as f64 / 1000.0;
            match v.family {
                Family::FastReader if v.method == Method::Get => {
                    assert!((7.0..=35.0).contains(&after_s), "fast reader at {after_s}s");
                }
                Family::MicrosoftVdi => {
                    assert_eq!(pool.asn, 8075);
                    assert!(pool.name.starts_with("Azure"), "{}", pool.name);
                }
                Family::PrivateRelay => assert!(pool.name.starts_with("Private Relay")),
                Family::CloudVpn => {
                    assert!(
                        pool.name.starts_with("Zscaler") || pool.name.starts_with("Google Cloud")
                    )
                }
                Family::SafeLinksDetonation => assert_eq!(pool.asn, 8075),
                Family::ResidentialProxyScanner => {
                    assert!(!pool.name.contains("AWS") && !pool.name.contains("Azure"))
                }
                Family::HeadlessCrawler => assert!(v.user_agent.contains("HeadlessChrome")),
                Family::LinkCheckerHead => {
                    assert!(v.method != Method::Post);
                }
                _ => {}
            }
            if v.family.actor() == Actor::Human && v.method == Method::Get {
                assert!(v.screen.is_some(), "people's page loads run JavaScript");
            }
        }
    }
}

fn majors(ua: &str) -> Option<(&'static str, u32)> {
    for (name, token) in [
        ("edge", "Edg/"),
        ("firefox", "Firefox/"),
        ("chrome", "Chrome/"),
    ] {
        if let Some(at) = ua.find(token) {
            let rest = &ua[at + token.len()..];
            let major: String = rest.chars().take_while(char::is_ascii_digit).collect();
            return major.parse().ok().map(|m| (name, m));
        }
    }
    None
}

/// People's browsers are current on the campaign's date (at most three
/// majors behind, except the fleets held back on purpose), and a year later
/// they are the browsers of that date.
#[test]
fn browsers_are_those_of_the_campaign_date() {
    let newest = |world: &heldout::World, browser: &str| -> u32 {
        world
            .visits
            .iter()
            .filter(|v| v.family.actor() == Actor::Human)
            .filter_map(|v| majors(&v.user_agent))
            .filter(|(b, _)| *b == browser)
            .map(|(_, m)| m)
            .max()
            .unwrap_or(0)
    };
    let campaigns = heldout::campaigns();
    let northwind = &campaigns[0];
    // 2025-02-11: Chrome 133 (out 2025-02-04), Edge 133 (out 2025-02-06).
    let now = northwind.world(Perturbation::NONE);
    assert_eq!(newest(&now, "chrome"), 133);
    assert_eq!(newest(&now, "edge"), 133);
    // 2026-02-10: Chrome 145 that day, Edge 144 (145 came 2026-02-14).
    let later = northwind.world(Perturbation::YEAR_LATER);
    assert_eq!(newest(&later, "chrome"), 145);
    assert_eq!(newest(&later, "edge"), 144);
    for campaign in &campaigns {
        for p in campaign
            .perturbations()
            .into_iter()
            .filter(|p| !p.no_screens)
        {
            let world = campaign.world(p);
            let on_chrome = newest(&world, "chrome");
            for v in world
                .visits
                .iter()
                .filter(|v| v.family.actor() == Actor::Human)
            {
                // Samsung Internet runs an older Chromium by design (27 on
                // Chromium 125): its Chrome token is not the browser's age.
                if let Some(("chrome", m)) = majors(&v.user_agent)
                    && v.family != Family::ManagedOldBrowser
                    && !v.user_agent.contains("SamsungBrowser")
                {
                    assert!(m + 3 >= on_chrome, "{}: {}", campaign.id(), v.user_agent);
                }
            }
        }
    }
}

#[test]
fn a_year_later_is_offered_while_the_release_tables_reach() {
    for campaign in heldout::campaigns() {
        let later = campaign.date(Perturbation::YEAR_LATER);
        assert_eq!(
            campaign.perturbations().contains(&Perturbation::YEAR_LATER),
            later <= heldout::KNOWN_UNTIL,
            "{}",
            campaign.id()
        );
        assert_eq!(later.weekday(), campaign.spec().date.weekday());
    }
}

/// The real owner database agrees with the world's on every block.
#[test]
#[ignore = "needs ../shared"]
fn pools_match_the_real_asn_database() {
    let real = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/asn-real.mmdb");
    assert!(real.exists(), "missing {}", real.display());
    let dbs = OwnerDatabases::open(&[real]).expect("opens");
    let (_dir, ours) = open_world_database();
    let mut rng = whoclicked::testing::Rng::splitmix64(7);
    for campaign in heldout::campaigns() {
        for v in campaign.world(Perturbation::NONE).visits {
            let (theirs, mine) = (dbs.lookup(v.ip), ours.lookup(v.ip));
            assert_eq!(theirs.asn, mine.asn, "{}", v.ip);
            assert_eq!(theirs.as_org, mine.as_org, "{}", v.ip);
            assert_eq!(theirs.network, mine.network, "{}", v.ip);
        }
    }
    for pool in heldout::pools() {
        for _ in 0..20 {
            let ip = pool.draw(&mut rng);
            let owner = dbs.lookup(ip);
            assert_eq!(owner.asn, Some(pool.asn), "{ip} ({})", pool.name);
            assert_eq!(
                owner.as_org.as_deref(),
                Some(pool.org),
                "{ip} ({})",
                pool.name
            );
        }
    }
}
