//! Campaigns made up in code, and an inline runner, for the screen's tests and
//! benchmarks: owners are built by hand (no database needed) and every
//! effect runs on the calling thread, so a test reads the state right after
//! an action.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use jiff::tz::TimeZone;

use super::app::{App, Session};
use super::data::{DatabaseLabel, Loaded};
use super::jobs::Progress;
use super::store::{LabelStore, MemoryLog, MemoryStore};
use super::{Executor, act, draw_offscreen};
use crate::analysis::Analysis;
use crate::enriched::Enriched;
use crate::kb::CampaignVerdicts;
use crate::model::{Campaign, Event, Leaning, LogFormat, NewAccess, Screen, Timestamp};
use crate::owner::Owner;
use crate::signals::Suggestions;
use crate::testing::Rng;

/// 2026-10-01 09:00:00 +09:00, when the synthetic mail goes out.
pub const SENT: i64 = 1_790_812_800;

pub const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
pub const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1";
pub const HEADLESS: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36";
pub const GO_HTTP: &str = "Go-http-client/1.1";

/// One kind of source in a synthetic campaign.
struct Source {
    net: [u8; 2],
    prefix: u8,
    asn: u32,
    org: &'static str,
    country: &'static str,
    ua: &'static str,
    screen: Option<(u16, u16)>,
    /// Seconds after delivery, before jitter.
    delay: i64,
    leaning: Leaning,
}

const SOURCES: &[Source] = &[
    Source {
        net: [40, 94],
        prefix: 16,
        asn: 8075,
        org: "Microsoft Corporation",
        country: "US",
        ua: GO_HTTP,
        screen: None,
        delay: 3,
        leaning: Leaning::Scanner,
    },
    Source {
        net: [52, 101],
        prefix: 16,
        asn: 8075,
        org: "Microsoft Corporation",
        country: "US",
        ua: HEADLESS,
        screen: Some((800, 600)),
        delay: 20,
        leaning: Leaning::Scanner,
    },
    Source {
        net: [148, 163],
        prefix: 16,
        asn: 26211,
        org: "Proofpoint, Inc.",
        country: "US",
        ua: CHROME,
        screen: None,
        delay: 8,
        leaning: Leaning::Scanner,
    },
    Source {
        net: [1, 66],
        prefix: 16,
        asn: 9605,
        org: "NTT DOCOMO, INC.",
        country: "JP",
        ua: IPHONE,
        screen: Some((390, 844)),
        delay: 5_400,
        leaning: Leaning::Human,
    },
    Source {
        net: [203, 0],
        prefix: 24,
        asn: 64500,
        org: "株式会社サンプル 本社",
        country: "JP",
        ua: CHROME,
        screen: Some((1920, 1080)),
        delay: 2_700,
        leaning: Leaning::Unsure,
    },
];

/// A campaign of `n` accesses (the first `n.min(40)` cycle through every
/// kind of source, then a cheap mix), with owners and suggestions.
pub fn synthetic(n: usize) -> Loaded {
    let mut c = Campaign::new();
    let file = c.add_file("campaign.csv", LogFormat::Native);
    let recipients = (n / 3).clamp(1, 50_000);
    let names: Vec<String> = (0..recipients)
        .map(|r| format!("user{r:05}@example.jp"))
        .collect();
    for name in &names {
        c.add_delivery(name, at(0));
    }
    let mut suggestions = Vec::with_capacity(n);
    let mut rng = Rng::lcg64(0x9e37_79b9_7f4a_7c15);
    for k in 0..n {
        // The high bits: a linear congruential generator's low ones are weak.
        let r = (rng.next_u64() >> 33) as usize;
        let source = &SOURCES[k % SOURCES.len()];
        let host = if source.prefix == 24 {
            [(r % 4) as u8, (10 + r % 3) as u8]
        } else {
            [((r >> 8) % 8) as u8, (r % 250 + 1) as u8]
        };
        let ip = IpAddr::from([source.net[0], source.net[1], host[0], host[1]]);
        let who = &names[(k / SOURCES.len()) % recipients];
        let jitter = (r % 7) as i64;
        c.add_access(
            file,
            NewAccess {
                time: at(source.delay + jitter + (k / SOURCES.len()) as i64),
                ip,
                user_agent: source.ua,
                recipient: Some(who),
                event: Event::Click,
                screen: source
                    .screen
                    .map(|(width, height)| Screen { width, height }),
                method: "GET",
            },
        );
        suggestions.push(source.leaning);
    }
    let owners = owners_for(&c);
    let mut loaded = Loaded::new(stated(c, owners, suggestions));
    loaded.databases = vec![DatabaseLabel {
        name: "synthetic-asn".to_string(),
        built: Some("2026-09-20".to_string()),
        build_time: None,
        bundled: false,
    }];
    loaded
}

/// An analysis of `c` with the suggestions fixed by hand and no verdicts.
fn stated(c: Campaign, owners: Vec<Owner>, suggestions: Vec<Leaning>) -> Arc<Analysis> {
    Arc::new(Analysis::from_parts(
        Enriched::new(c, owners, tokyo()),
        Suggestions::stated(suggestions),
        CampaignVerdicts::default(),
    ))
}

/// The owner of each address of `c`, from the synthetic sources' ranges.
pub fn owners_for(c: &Campaign) -> Vec<Owner> {
    c.ips
        .iter()
        .map(|ip| {
            let IpAddr::V4(v4) = ip else {
                return Owner::default();
            };
            let o = v4.octets();
            let Some(source) = SOURCES.iter().find(|s| s.net == [o[0], o[1]]) else {
                return Owner::default();
            };
            let net = if source.prefix == 24 {
                IpAddr::from([o[0], o[1], o[2], 0])
            } else {
                IpAddr::from([o[0], o[1], 0, 0])
            };
            Owner {
                network: ipnetwork::IpNetwork::new(net, source.prefix).ok(),
                asn: Some(source.asn),
                as_org: Some(Arc::from(source.org)),
                country_code: Some(Arc::from(source.country)),
                sources: vec![0],
                ..Owner::default()
            }
        })
        .collect()
}

pub fn at(seconds: i64) -> Timestamp {
    Timestamp::from_seconds(SENT + seconds).unwrap_or_default()
}

pub fn tokyo() -> TimeZone {
    crate::model::parse_zone("+09:00").unwrap_or(TimeZone::UTC)
}

/// 2026-10-02 10:00:00 +09:00: the fixed "now" labels are stamped with in tests.
pub fn fixed_clock() -> Timestamp {
    at(90_000)
}

pub fn session() -> Session {
    Session {
        files: vec!["campaign.csv".to_string()],
        analyst: Arc::from("analyst"),
        store_location: "memory (not saved)".to_string(),
        export_path: "whoclicked-report.csv".into(),
        clock: fixed_clock,
    }
}

/// An app with `loaded` on a screen of `width`×`height` (drawn off screen
/// after every action, see `tui::act`) and every effect run inline against
/// `store`.
pub fn app_with(
    loaded: Loaded,
    store: Box<dyn LabelStore>,
    width: u16,
    height: u16,
) -> (App, Executor) {
    let progress = Arc::new(Progress::default());
    let mut app = App::new(session(), Arc::clone(&progress));
    // The runtime draws the loading screen before anything else happens.
    draw_offscreen(&mut app, width, height);
    let executor = Executor {
        store: Arc::new(Mutex::new(store)),
        progress,
        send: None,
    };
    let effects = app.loaded(loaded);
    executor.run(&mut app, effects);
    app.message = None;
    draw_offscreen(&mut app, width, height);
    (app, executor)
}

/// An app over `synthetic(n)` with a memory store.
pub fn synthetic_app(n: usize, width: u16, height: u16) -> (App, Executor) {
    app_with(synthetic(n), Box::new(MemoryStore::new()), width, height)
}

/// Applies each action in turn; returns true if one of them quit.
pub fn act_all(app: &mut App, executor: &Executor, actions: &[super::action::Action]) -> bool {
    actions.iter().any(|&a| act(app, executor, a))
}

/// A UA that tries to retitle the terminal, clear the screen and colour it.
pub const HOSTILE_UA: &str = "Mozilla/5.0 \x1b]0;pwned\x07\x1b[2J\x1b[31mEvil\u{9b}0m";

/// A small campaign with the traps the labelling tests need, in log order:
///
/// | # | who | from | owner |
/// |---|---|---|---|
/// | 0–3 | alice, bob, carol, dave | 40.94.1.1–4 | AS8075 Microsoft, 40.88.0.0/13 (Safe Links) |
/// | 4 | dave | 20.210.5.6 | AS8075 Microsoft, 20.192.0.0/10 (Azure Virtual Desktop) |
/// | 5, 6 | alice, bob | 1.72.3.4 | AS9605 NTT DOCOMO, 1.72.0.0/16 |
/// | 7 | carol | 198.51.100.7 | unknown: no network, no AS |
/// | 8 | bob | 1.72.3.4 | docomo again, with a hostile User-Agent |
pub fn traps() -> Loaded {
    let mut c = Campaign::new();
    let file = c.add_file("traps.csv", LogFormat::Native);
    for who in [
        "alice@example.jp",
        "bob@example.jp",
        "carol@example.jp",
        "dave@example.jp",
    ] {
        c.add_delivery(who, at(0));
    }
    /// Seconds after delivery, address, User-Agent, recipient, screen.
    type Row<'a> = (i64, &'a str, &'a str, &'a str, Option<(u16, u16)>);
    let rows: [Row; 9] = [
        (3, "40.94.1.1", GO_HTTP, "alice@example.jp", None),
        (4, "40.94.1.2", GO_HTTP, "bob@example.jp", None),
        (
            5,
            "40.94.1.3",
            HEADLESS,
            "carol@example.jp",
            Some((800, 600)),
        ),
        (6, "40.94.1.4", GO_HTTP, "dave@example.jp", None),
        (
            3_700,
            "20.210.5.6",
            CHROME,
            "dave@example.jp",
            Some((1920, 1080)),
        ),
        (
            7_200,
            "1.72.3.4",
            IPHONE,
            "alice@example.jp",
            Some((390, 844)),
        ),
        (
            7_300,
            "1.72.3.4",
            IPHONE,
            "bob@example.jp",
            Some((390, 844)),
        ),
        (
            9_000,
            "198.51.100.7",
            CHROME,
            "carol@example.jp",
            Some((1536, 864)),
        ),
        (
            9_100,
            "1.72.3.4",
            HOSTILE_UA,
            "bob@example.jp",
            Some((390, 844)),
        ),
    ];
    for (t, ip, ua, who, screen) in rows {
        c.add_access(
            file,
            NewAccess {
                time: at(t),
                ip: ip.parse().unwrap_or(IpAddr::from([0, 0, 0, 0])),
                user_agent: ua,
                recipient: Some(who),
                event: Event::Click,
                screen: screen.map(|(width, height)| Screen { width, height }),
                method: "GET",
            },
        );
    }
    c.push_issue(crate::model::ReadIssue {
        file,
        line: 12,
        field: Some("ip".to_string()),
        reason: "\"10.0.300.1\" is not an IP address".to_string(),
    });
    let owner = |net: &str, asn: u32, org: &str, cc: &str| Owner {
        network: net.parse().ok(),
        asn: Some(asn),
        as_org: Some(Arc::from(org)),
        country_code: Some(Arc::from(cc)),
        sources: vec![0],
        ..Owner::default()
    };
    let owners = c
        .ips
        .iter()
        .map(|ip| match ip.to_string().as_str() {
            s if s.starts_with("40.94.") => {
                owner("40.88.0.0/13", 8075, "Microsoft Corporation", "US")
            }
            "20.210.5.6" => owner("20.192.0.0/10", 8075, "Microsoft Corporation", "JP"),
            "1.72.3.4" => owner("1.72.0.0/16", 9605, "NTT DOCOMO, INC.", "JP"),
            _ => Owner::default(),
        })
        .collect();
    let suggestions = vec![
        Leaning::Scanner,
        Leaning::Scanner,
        Leaning::Scanner,
        Leaning::Scanner,
        Leaning::Unsure,
        Leaning::Human,
        Leaning::Human,
        Leaning::Unsure,
        Leaning::Unsure,
    ];
    let mut loaded = Loaded::new(stated(c, owners, suggestions));
    loaded.databases = vec![DatabaseLabel {
        name: "test-asn".to_string(),
        built: Some("2026-09-20".to_string()),
        build_time: None,
        bundled: false,
    }];
    loaded
}

/// An app over `traps()` with a memory store, and the store's log.
pub fn traps_app(width: u16, height: u16) -> (App, Executor, Arc<Mutex<MemoryLog>>) {
    let store = MemoryStore::new();
    let log = Arc::clone(&store.log);
    let (app, executor) = app_with(traps(), Box::new(store), width, height);
    (app, executor, log)
}
