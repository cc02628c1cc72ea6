//! Generator of the bundled demo campaign (`assets/demo/`).
//!
//! The demo is a synthetic phishing-awareness campaign at a fictional Japanese
//! trading company, 桜商事 (`sakura-shoji.example`). Everything is derived from
//! one fixed seed with a tiny splitmix64 generator, so the committed
//! `assets/demo/campaign.csv` and `assets/demo/ranges.tsv` can be rebuilt byte
//! for byte (`WHOCLICKED_REGENERATE_DEMO=1 cargo test --test demo_assets`).
//!
//! Every row carries its ground truth ([`Truth`]) and the part of the story it
//! belongs to ([`Source`]), so tests can score a classifier against the demo.
//!
//! Include it from an integration test with
//! `#[path = "support/demo_campaign.rs"] mod demo_campaign;`.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::net::Ipv4Addr;

/// The mail domain of the fictional company.
pub const DOMAIN: &str = "sakura-shoji.example";
/// Header of the native CSV.
pub const HEADER: &str = "time,event,recipient,ip,user_agent,screen,method,department";
/// Number of recipients the training mail went to.
pub const RECIPIENTS: usize = 240;
/// The address written for the row whose IP cannot be read.
pub const BAD_IP: &str = "10.0.300.1";
/// The screen written for the row whose screen cannot be read.
pub const BAD_SCREEN: &str = "axb";

const SEED: u64 = 0x5A4B_5241_2026_1110;
const DAY: i64 = 86_400;

// ---------------------------------------------------------------------------
// Owners: the real address blocks the story uses (facts, see ranges.tsv)
// ---------------------------------------------------------------------------

/// A named address block of the demo's owner table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Block {
    Docomo1,
    AzureJapan,
    GoogleCloud,
    MicrosoftEop40,
    Docomo49,
    Optage,
    Biglobe,
    Proofpoint26211,
    MicrosoftEop104,
    Kddi,
    SoNet,
    SoftBank,
    Rakuten,
    Proofpoint13916,
    Proofpoint22843,
    Ocn,
    Mimecast,
    OfficeIij,
}

/// One row of `assets/demo/ranges.tsv` (iptoasn's format).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub net: Block,
    pub first: Ipv4Addr,
    pub last: Ipv4Addr,
    pub asn: u32,
    pub country: &'static str,
    /// Organisation exactly as `asn-real.mmdb` names the AS.
    pub org: &'static str,
    /// The prefix `asn-real.mmdb` reports for addresses of this row.
    pub db_prefix: &'static str,
    /// What the block stands for in the story.
    pub role: &'static str,
}

const fn ip(a: u8, b: u8, c: u8, d: u8) -> Ipv4Addr {
    Ipv4Addr::new(a, b, c, d)
}

/// The owner table, sorted by first address. Each row lies inside one prefix of
/// `asn-real.mmdb` (`db_prefix`) whose AS number and organisation it repeats.
pub const RANGES: &[Range] = &[
    Range {
        net: Block::Docomo1,
        first: ip(1, 72, 0, 0),
        last: ip(1, 72, 255, 255),
        asn: 9605,
        country: "JP",
        org: "NTT DOCOMO, INC.",
        db_prefix: "1.72.0.0/16",
        role: "docomo phones",
    },
    Range {
        net: Block::AzureJapan,
        first: ip(20, 210, 0, 0),
        last: ip(20, 210, 255, 255),
        asn: 8075,
        country: "US",
        org: "Microsoft Corporation",
        db_prefix: "20.192.0.0/10",
        role: "Azure: the Azure Virtual Desktop user",
    },
    Range {
        net: Block::GoogleCloud,
        first: ip(34, 84, 0, 0),
        last: ip(34, 84, 255, 255),
        asn: 396_982,
        country: "US",
        org: "Google LLC",
        db_prefix: "34.64.0.0/11",
        role: "Google Cloud: the headless crawler",
    },
    Range {
        net: Block::MicrosoftEop40,
        first: ip(40, 94, 0, 0),
        last: ip(40, 94, 255, 255),
        asn: 8075,
        country: "US",
        org: "Microsoft Corporation",
        db_prefix: "40.88.0.0/13",
        role: "Microsoft: Safe Links detonation",
    },
    Range {
        net: Block::Docomo49,
        first: ip(49, 96, 0, 0),
        last: ip(49, 96, 63, 255),
        asn: 9605,
        country: "JP",
        org: "NTT DOCOMO, INC.",
        db_prefix: "49.96.0.0/18",
        role: "docomo phones",
    },
    Range {
        net: Block::Optage,
        first: ip(58, 188, 0, 0),
        last: ip(58, 191, 255, 255),
        asn: 17_511,
        country: "JP",
        org: "OPTAGE Inc.",
        db_prefix: "58.188.0.0/14",
        role: "eo (OPTAGE): a home line",
    },
    Range {
        net: Block::Biglobe,
        first: ip(60, 236, 0, 0),
        last: ip(60, 239, 255, 255),
        asn: 2518,
        country: "JP",
        org: "BIGLOBE Inc.",
        db_prefix: "60.236.0.0/14",
        role: "BIGLOBE: a home line",
    },
    Range {
        net: Block::Proofpoint26211,
        first: ip(67, 231, 144, 0),
        last: ip(67, 231, 151, 255),
        asn: 26_211,
        country: "US",
        org: "Proofpoint, Inc.",
        db_prefix: "67.231.144.0/21",
        role: "Proofpoint: URL Defense fetches",
    },
    Range {
        net: Block::MicrosoftEop104,
        first: ip(104, 47, 0, 0),
        last: ip(104, 47, 127, 255),
        asn: 8075,
        country: "US",
        org: "Microsoft Corporation",
        db_prefix: "104.40.0.0/13",
        role: "Microsoft: Exchange Online Protection",
    },
    Range {
        net: Block::Kddi,
        first: ip(106, 128, 0, 0),
        last: ip(106, 191, 255, 255),
        asn: 2516,
        country: "JP",
        org: "KDDI CORPORATION",
        db_prefix: "106.128.0.0/10",
        role: "au (KDDI) phones",
    },
    Range {
        net: Block::SoNet,
        first: ip(118, 240, 0, 0),
        last: ip(118, 241, 255, 255),
        asn: 2527,
        country: "JP",
        org: "Sony Network Communications Inc.",
        db_prefix: "118.240.0.0/15",
        role: "So-net: home lines",
    },
    Range {
        net: Block::SoftBank,
        first: ip(126, 200, 0, 0),
        last: ip(126, 200, 255, 255),
        asn: 17_676,
        country: "JP",
        org: "SoftBank Corp.",
        db_prefix: "126.200.0.0/16",
        role: "SoftBank phones",
    },
    Range {
        net: Block::Rakuten,
        first: ip(133, 106, 32, 0),
        last: ip(133, 106, 63, 255),
        asn: 138_384,
        country: "JP",
        org: "Rakuten Mobile, Inc.",
        db_prefix: "133.106.32.0/19",
        role: "Rakuten Mobile phones",
    },
    Range {
        net: Block::Proofpoint13916,
        first: ip(148, 163, 130, 0),
        last: ip(148, 163, 130, 255),
        asn: 13_916,
        country: "US",
        org: "Proofpoint, Inc.",
        db_prefix: "148.163.130.0/24",
        role: "Proofpoint: URL Defense fetches",
    },
    Range {
        net: Block::Proofpoint22843,
        first: ip(148, 163, 136, 0),
        last: ip(148, 163, 143, 255),
        asn: 22_843,
        country: "US",
        org: "Proofpoint, Inc.",
        db_prefix: "148.163.136.0/21",
        role: "Proofpoint: later sandbox re-scans",
    },
    Range {
        net: Block::Ocn,
        first: ip(153, 128, 0, 0),
        last: ip(153, 191, 255, 255),
        asn: 4713,
        country: "JP",
        org: "NTT Communications Corporation",
        db_prefix: "153.128.0.0/10",
        role: "NTT OCN: a home line",
    },
    Range {
        net: Block::Mimecast,
        first: ip(205, 139, 110, 0),
        last: ip(205, 139, 111, 255),
        asn: 30_031,
        country: "US",
        org: "Mimecast North America Inc",
        db_prefix: "205.139.110.0/23",
        role: "Mimecast: URL Protect fetches",
    },
    Range {
        net: Block::OfficeIij,
        first: ip(210, 130, 0, 0),
        last: ip(210, 130, 127, 255),
        asn: 2497,
        country: "JP",
        org: "Internet Initiative Japan Inc.",
        db_prefix: "210.130.0.0/17",
        role: "IIJ: the head office's business line (one proxy address)",
    },
];

/// The owner-table row of a block.
pub fn range(net: Block) -> &'static Range {
    RANGES
        .iter()
        .find(|r| r.net == net)
        .expect("every Block has a row in RANGES")
}

/// The row of [`RANGES`] that holds `addr`, if any.
pub fn range_of(addr: Ipv4Addr) -> Option<&'static Range> {
    RANGES.iter().find(|r| r.first <= addr && addr <= r.last)
}

/// `assets/demo/ranges.tsv`: `range_start TAB range_end TAB AS_number TAB country_code TAB AS_description`.
pub fn ranges_tsv() -> String {
    let mut out = String::new();
    for r in RANGES {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            r.first, r.last, r.asn, r.country, r.org
        )
        .expect("writing to a String cannot fail");
    }
    out
}

// ---------------------------------------------------------------------------
// The rows and their truth
// ---------------------------------------------------------------------------

/// What really happened at a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Truth {
    /// A `sent` row: the mail was delivered.
    Delivery,
    /// A person (their browser or their mail client) made the access.
    Human,
    /// A machine fetched the link on its own.
    Scanner,
}

/// Mobile carrier of a phone access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Carrier {
    Docomo,
    Kddi,
    SoftBank,
    Rakuten,
}

/// Which part of the story produced a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// The `sent` row of a recipient.
    Delivery,
    /// Microsoft Safe Links detonating the link seconds after delivery.
    SafeLinks,
    /// Microsoft checking the link at the moment a person clicks (time-of-click).
    SafeLinksAtClick,
    /// Proofpoint URL Defense (海外事業部's gateway), including later re-scans.
    Proofpoint,
    /// Mimecast URL Protect (法務部's gateway).
    Mimecast,
    /// A headless browser on Google Cloud, hours later, sweeping many recipients.
    CloudCrawler,
    /// An employee's PC behind the head office's single proxy address.
    Office,
    /// An employee's phone on a mobile carrier.
    Phone(Carrier),
    /// An employee's own PC on a home line.
    HomePc,
    /// An employee working in Azure Virtual Desktop (a person on Microsoft's network).
    AzureVirtualDesktop,
    /// An employee whose browser runs no JavaScript (so no screen size).
    NoJavaScript,
}

impl Source {
    pub fn truth(self) -> Truth {
        match self {
            Source::Delivery => Truth::Delivery,
            Source::SafeLinks
            | Source::SafeLinksAtClick
            | Source::Proofpoint
            | Source::Mimecast
            | Source::CloudCrawler => Truth::Scanner,
            Source::Office
            | Source::Phone(_)
            | Source::HomePc
            | Source::AzureVirtualDesktop
            | Source::NoJavaScript => Truth::Human,
        }
    }
}

/// The deliberately broken field of one of the three malformed rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Malformed {
    Ip,
    Time,
    Screen,
}

/// One row of the demo campaign, as written plus its ground truth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoRow {
    /// The intended instant, in seconds since 2026-11-10T00:00:00+09:00
    /// (also for the row whose written time is unreadable).
    pub at: i64,
    /// `time` as written.
    pub time: String,
    pub event: &'static str,
    pub recipient: String,
    pub ip: String,
    pub user_agent: String,
    pub screen: String,
    pub method: &'static str,
    pub department: &'static str,
    pub truth: Truth,
    pub source: Source,
    /// Set on the three rows with a broken field.
    pub malformed: Option<Malformed>,
}

impl DemoRow {
    pub fn fields(&self) -> [&str; 8] {
        [
            &self.time,
            self.event,
            &self.recipient,
            &self.ip,
            &self.user_agent,
            &self.screen,
            self.method,
            self.department,
        ]
    }

    /// The source address, when the row has a readable one.
    pub fn addr(&self) -> Option<Ipv4Addr> {
        self.ip.parse().ok()
    }
}

/// `2026-11-10T09:00:00+09:00` for `at` seconds after 2026-11-10T00:00:00+09:00.
pub fn format_time(at: i64) -> String {
    assert!((0..3 * DAY).contains(&at), "demo time {at} out of range");
    let (day, secs) = (at / DAY, at % DAY);
    format!(
        "2026-11-{:02}T{:02}:{:02}:{:02}+09:00",
        10 + day,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Seconds since 2026-11-10T00:00:00+09:00 for a wall-clock time on day 0 or 1.
pub const fn hms(day: i64, h: i64, m: i64, s: i64) -> i64 {
    day * DAY + h * 3600 + m * 60 + s
}

/// Unix time of 2026-11-10T00:00:00+09:00, the origin of [`DemoRow::at`].
pub const EPOCH_UNIX: i64 = 1_794_236_400;

/// The time of `at` with its minutes garbled to 67, as a broken export might write it.
pub fn unreadable_time(at: i64) -> String {
    let good = format_time(at);
    format!("{}67{}", &good[..14], &good[16..])
}

fn csv_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// The rows as whoclicked's native CSV (UTF-8, `\n` line ends, header first).
pub fn to_csv(rows: &[DemoRow]) -> String {
    let mut out = String::with_capacity(rows.len() * 160);
    out.push_str(HEADER);
    out.push('\n');
    for row in rows {
        for (i, field) in row.fields().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_field(&mut out, field);
        }
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------
// The cast
// ---------------------------------------------------------------------------

/// Departments and their head counts (sum: [`RECIPIENTS`]).
pub const DEPARTMENTS: &[(&str, usize)] = &[
    ("営業部", 60),
    ("海外事業部", 30),
    ("法務部", 10),
    ("経理部", 25),
    ("人事部", 15),
    ("総務部", 20),
    ("情報システム部", 15),
    ("物流部", 35),
    ("企画部", 15),
    ("品質管理部", 15),
];
/// Its inbound mail passes Proofpoint before Exchange Online.
pub const PROOFPOINT_DEPARTMENT: &str = "海外事業部";
/// Its inbound mail passes Mimecast before Exchange Online.
pub const MIMECAST_DEPARTMENT: &str = "法務部";

const FAMILY: &[&str] = &[
    "sato",
    "suzuki",
    "takahashi",
    "tanaka",
    "ito",
    "watanabe",
    "yamamoto",
    "nakamura",
    "kobayashi",
    "kato",
    "yoshida",
    "yamada",
    "sasaki",
    "yamaguchi",
    "matsumoto",
    "inoue",
    "kimura",
    "hayashi",
    "shimizu",
    "yamazaki",
    "mori",
    "abe",
    "ikeda",
    "hashimoto",
    "yamashita",
    "ishikawa",
    "nakajima",
    "maeda",
    "fujita",
    "ogawa",
    "goto",
    "okada",
    "hasegawa",
    "murakami",
    "kondo",
    "ishii",
    "saito",
    "sakamoto",
    "endo",
    "aoki",
];
const GIVEN: &[&str] = &[
    "haruto", "yuto", "sota", "yuki", "hayato", "haruki", "ryusei", "koki", "sora", "sosuke",
    "riku", "takumi", "kenta", "daiki", "shota", "hiroshi", "takashi", "kazuya", "naoki", "makoto",
    "yui", "aoi", "hina", "yuna", "sakura", "misaki", "nanami", "haruka", "ayaka", "mei", "rin",
    "saki", "miyu", "natsuki", "emi", "yoko", "keiko", "tomoko", "akiko", "naomi",
];

/// A recipient of the training mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub email: String,
    pub department: &'static str,
    /// Delivery time (seconds since 2026-11-10T00:00:00+09:00).
    pub delivered: i64,
    /// Send wave, 1 to 3.
    pub wave: u8,
}

/// Send waves: start time and number of recipients.
pub const WAVES: [(i64, usize); 3] = [
    (hms(0, 9, 0, 0), 80),
    (hms(0, 9, 45, 0), 80),
    (hms(0, 10, 30, 0), 80),
];

// ---------------------------------------------------------------------------
// User-Agents and screens
// ---------------------------------------------------------------------------

// Safe Links: the strings reported from Microsoft addresses (see scanner-signals.md §1.2).
const SAFELINKS_UAS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/101.0.4951.54 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/97.0.4692.99 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.74 Safari/537.36 Edg/79.0.309.43",
];
const GO_HTTP: &str = "Go-http-client/1.1";
// No public sample of Proofpoint's or Mimecast's fetcher UA exists; these are
// stale Windows Chrome strings, the commonest scanner disguise.
const PROOFPOINT_UAS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Safari/537.36",
];
const MIMECAST_UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36";
const HEADLESS_UA: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36";
/// Outlook for Windows fetching the tracking image when a person opens the mail.
const OUTLOOK_UA: &str =
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.19328; Pro)";

/// Office PCs: managed Windows, mostly current Edge and Chrome, a few behind.
const OFFICE_UAS: &[(&str, u64)] = &[
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 Edg/156.0.3562.48",
        30,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/155.0.0.0 Safari/537.36 Edg/155.0.3497.86",
        12,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
        30,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/155.0.0.0 Safari/537.36",
        12,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36",
        6,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:157.0) Gecko/20100101 Firefox/157.0",
        6,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:153.0) Gecko/20100101 Firefox/153.0",
        4,
    ),
];
const OFFICE_SCREENS: &[(&str, u64)] = &[
    ("1920x1080", 40),
    ("1536x864", 22),
    ("1366x768", 12),
    ("1280x720", 10),
    ("1600x900", 8),
    ("2560x1440", 8),
];
/// Home PCs: the employee's own Windows PC or Mac.
const HOME_DEVICES: &[(&str, &str)] = &[
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
        "1536x864",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15",
        "1512x982",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/154.0.0.0 Safari/537.36 Edg/154.0.3431.72",
        "1920x1080",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
        "1440x900",
    ),
];
const AVD_UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 Edg/156.0.3562.48";
const NOJS_UA: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:157.0) Gecko/20100101 Firefox/157.0";

/// Phones: (UA, screen) pairs of devices common in Japan, with a spread of OS versions.
const PHONES: &[(&str, &str, u64)] = &[
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/27.1 Mobile/15E148 Safari/604.1",
        "402x874",
        10,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/27.0 Mobile/15E148 Safari/604.1",
        "393x852",
        10,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.4 Mobile/15E148 Safari/604.1",
        "390x844",
        10,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1",
        "430x932",
        6,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.7 Mobile/15E148 Safari/604.1",
        "375x667",
        5,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.7 Mobile/15E148 Safari/604.1",
        "414x896",
        4,
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36",
        "412x915",
        8,
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/155.0.0.0 Mobile Safari/537.36",
        "393x851",
        6,
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Mobile Safari/537.36",
        "360x800",
        4,
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/29.0 Chrome/136.0.0.0 Mobile Safari/537.36",
        "384x832",
        4,
    ),
];

// ---------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------

/// splitmix64: tiny, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        assert!(lo <= hi);
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }

    fn weighted<'a, T>(&mut self, items: &'a [T], weight: impl Fn(&T) -> u64) -> &'a T {
        let total: u64 = items.iter().map(&weight).sum();
        let mut roll = self.next_u64() % total;
        for item in items {
            let w = weight(item);
            if roll < w {
                return item;
            }
            roll -= w;
        }
        unreachable!("roll below the total weight")
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }

    /// A host address inside `net` (last octet 1..=254).
    fn addr(&mut self, net: Block) -> Ipv4Addr {
        let r = range(net);
        let (first, last) = (u32::from(r.first), u32::from(r.last));
        loop {
            let a = first + (self.next_u64() % u64::from(last - first + 1)) as u32;
            if !matches!(a & 0xff, 0 | 255) {
                return Ipv4Addr::from(a);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The story
// ---------------------------------------------------------------------------

/// The fixed cast and timeline every part of the story draws on.
pub struct Cast {
    pub people: Vec<Person>,
    /// Index of the Azure Virtual Desktop user in `people`.
    pub avd: usize,
    /// Index of the user whose browser runs no JavaScript.
    pub no_js: usize,
    pub office: Vec<usize>,
    pub phone: Vec<usize>,
    pub home: Vec<usize>,
}

fn cast(rng: &mut Rng) -> Cast {
    let mut names: Vec<(usize, usize)> = (0..GIVEN.len())
        .flat_map(|g| (0..FAMILY.len()).map(move |f| (g, f)))
        .collect();
    rng.shuffle(&mut names);
    let departments: Vec<&'static str> = DEPARTMENTS
        .iter()
        .flat_map(|&(d, n)| std::iter::repeat_n(d, n))
        .collect();
    assert_eq!(departments.len(), RECIPIENTS);

    // Send order: a shuffled list, cut into the waves.
    let mut order: Vec<usize> = (0..RECIPIENTS).collect();
    rng.shuffle(&mut order);
    let mut delivered = vec![(0i64, 0u8); RECIPIENTS];
    let mut k = 0;
    for (w, &(start, count)) in WAVES.iter().enumerate() {
        let mut t = start + rng.range(4, 20);
        for _ in 0..count {
            delivered[order[k]] = (t, w as u8 + 1);
            t += rng.range(1, 3);
            k += 1;
        }
    }

    let people: Vec<Person> = (0..RECIPIENTS)
        .map(|i| {
            let (g, f) = names[i];
            Person {
                email: format!("{}.{}@{DOMAIN}", GIVEN[g], FAMILY[f]),
                department: departments[i],
                delivered: delivered[i].0,
                wave: delivered[i].1,
            }
        })
        .collect();

    let mut who: Vec<usize> = (0..RECIPIENTS).collect();
    rng.shuffle(&mut who);
    Cast {
        avd: who[0],
        no_js: who[1],
        office: who[2..28].to_vec(),
        phone: who[28..40].to_vec(),
        home: who[40..44].to_vec(),
        people,
    }
}

struct Builder<'a> {
    rng: Rng,
    people: &'a [Person],
    rows: Vec<DemoRow>,
}

#[derive(Clone, Copy)]
struct Access<'s> {
    at: i64,
    event: &'static str,
    ip: Ipv4Addr,
    ua: &'s str,
    screen: &'s str,
    method: &'static str,
    source: Source,
}

impl Builder<'_> {
    fn push(&mut self, who: usize, a: Access<'_>) -> usize {
        let p = &self.people[who];
        self.rows.push(DemoRow {
            at: a.at,
            time: format_time(a.at),
            event: a.event,
            recipient: p.email.clone(),
            ip: a.ip.to_string(),
            user_agent: a.ua.to_string(),
            screen: a.screen.to_string(),
            method: a.method,
            department: p.department,
            truth: a.source.truth(),
            source: a.source,
            malformed: None,
        });
        self.rows.len() - 1
    }

    fn sent(&mut self, who: usize) {
        let p = &self.people[who];
        self.rows.push(DemoRow {
            at: p.delivered,
            time: format_time(p.delivered),
            event: "sent",
            recipient: p.email.clone(),
            ip: String::new(),
            user_agent: String::new(),
            screen: String::new(),
            method: "",
            department: p.department,
            truth: Truth::Delivery,
            source: Source::Delivery,
            malformed: None,
        });
    }
}

/// The whole demo campaign, in file order (by time; the malformed rows sit
/// where their intended time puts them).
pub fn demo_campaign() -> Vec<DemoRow> {
    let mut rng = Rng(SEED);
    let cast = cast(&mut rng);
    let people = &cast.people;
    let mut b = Builder {
        rng,
        people,
        rows: Vec::new(),
    };

    // Scanner fleets: a handful of addresses each, reused across recipients.
    let safelinks_40: Vec<Ipv4Addr> = (0..10).map(|_| b.rng.addr(Block::MicrosoftEop40)).collect();
    let safelinks_104: Vec<Ipv4Addr> = (0..5).map(|_| b.rng.addr(Block::MicrosoftEop104)).collect();
    let proofpoint: Vec<Ipv4Addr> = [
        Block::Proofpoint26211,
        Block::Proofpoint26211,
        Block::Proofpoint26211,
        Block::Proofpoint13916,
        Block::Proofpoint13916,
    ]
    .into_iter()
    .map(|n| b.rng.addr(n))
    .collect();
    let proofpoint_rescan: Vec<Ipv4Addr> =
        (0..2).map(|_| b.rng.addr(Block::Proofpoint22843)).collect();
    let mimecast: Vec<Ipv4Addr> = (0..3).map(|_| b.rng.addr(Block::Mimecast)).collect();
    let crawler: Vec<Ipv4Addr> = (0..2).map(|_| b.rng.addr(Block::GoogleCloud)).collect();
    let office_ip = b.rng.addr(Block::OfficeIij);
    let avd_ip = b.rng.addr(Block::AzureJapan);

    // 1. Delivery, and the delivery-time scanners.
    let mut safelinks_js_rows = Vec::new();
    for (who, person) in people.iter().enumerate() {
        b.sent(who);
        let d = person.delivered;
        if b.rng.chance(85) {
            let roll = b.rng.next_u64() % 100;
            if roll < 40 {
                // HEAD with Go's default client, then a GET with an old Chrome, no JS.
                let ip = *b.rng.pick(&safelinks_40);
                let t = d + b.rng.range(2, 9);
                let ua = *b.rng.pick(SAFELINKS_UAS);
                b.push(
                    who,
                    acc(t, "click", ip, GO_HTTP, "", "HEAD", Source::SafeLinks),
                );
                let t2 = t + b.rng.range(0, 2);
                b.push(who, acc(t2, "click", ip, ua, "", "GET", Source::SafeLinks));
            } else if roll < 65 {
                // A GET with no User-Agent at all.
                let ip = *b.rng.pick(&safelinks_104);
                let t = d + b.rng.range(3, 15);
                b.push(who, acc(t, "click", ip, "", "", "GET", Source::SafeLinks));
            } else {
                // Detonation in a browser that runs the page's JavaScript.
                let ip = *b.rng.pick(&safelinks_40);
                let t = d + b.rng.range(4, 20);
                let ua = *b.rng.pick(SAFELINKS_UAS);
                let row = b.push(
                    who,
                    acc(t, "click", ip, ua, "1920x1080", "GET", Source::SafeLinks),
                );
                safelinks_js_rows.push(row);
            }
        }
        if person.department == PROOFPOINT_DEPARTMENT && b.rng.chance(90) {
            let ip = *b.rng.pick(&proofpoint);
            let ua = *b.rng.pick(PROOFPOINT_UAS);
            let t = d + b.rng.range(5, 45);
            b.push(who, acc(t, "click", ip, ua, "", "GET", Source::Proofpoint));
        }
        if person.department == MIMECAST_DEPARTMENT {
            let ip = *b.rng.pick(&mimecast);
            let t = d + b.rng.range(3, 30);
            b.push(who, acc(t, "click", ip, "", "", "HEAD", Source::Mimecast));
            let t2 = t + b.rng.range(1, 3);
            b.push(
                who,
                acc(t2, "click", ip, MIMECAST_UA, "", "GET", Source::Mimecast),
            );
        }
    }

    // Safe Links also submits forms: one detonation posts the landing page's form.
    let mut submit = b.rows[safelinks_js_rows[0]].clone();
    submit.at += b.rng.range(2, 4);
    submit.time = format_time(submit.at);
    submit.event = "submit";
    submit.method = "POST";
    b.rows.push(submit);

    // Proofpoint re-scans a few messages from its sandbox half an hour to two hours later.
    let pp_people: Vec<usize> = (0..RECIPIENTS)
        .filter(|&i| people[i].department == PROOFPOINT_DEPARTMENT)
        .collect();
    for k in 0..5 {
        let who = pp_people[k * 5];
        let t = people[who].delivered + b.rng.range(35 * 60, 120 * 60);
        let ip = *b.rng.pick(&proofpoint_rescan);
        b.push(
            who,
            acc(
                t,
                "click",
                ip,
                PROOFPOINT_UAS[1],
                "",
                "GET",
                Source::Proofpoint,
            ),
        );
    }

    // 2. A headless crawler on Google Cloud sweeps 48 recipients in about half a minute.
    let mut swept: Vec<usize> = (0..RECIPIENTS).collect();
    b.rng.shuffle(&mut swept);
    swept.truncate(48);
    let mut t = hms(0, 15, 42, 7);
    for (k, &who) in swept.iter().enumerate() {
        let ip = crawler[k % 2];
        b.push(
            who,
            acc(
                t,
                "click",
                ip,
                HEADLESS_UA,
                "800x600",
                "GET",
                Source::CloudCrawler,
            ),
        );
        t += b.rng.range(0, 1);
    }

    // 3. People at the office: one proxy address, many recipients, hours apart.
    let office_end = hms(0, 18, 10, 0);
    let mut office_clicks = Vec::new();
    for (k, &who) in cast.office.iter().enumerate() {
        let d = people[who].delivered;
        let ua = b.rng.weighted(OFFICE_UAS, |w| w.1).0;
        let screen = b.rng.weighted(OFFICE_SCREENS, |w| w.1).0;
        // Most people read the mail soon after it arrives; one clicks in about a minute.
        let t = if k == 0 {
            d + b.rng.range(60, 90)
        } else {
            let span = (office_end - d - 240) as f64;
            d + 240 + (b.rng.unit().powi(2) * span) as i64
        };
        if b.rng.chance(60) {
            let open = t - b.rng.range(15, 120.min(t - d - 10));
            b.push(
                who,
                acc(
                    open,
                    "open",
                    office_ip,
                    OUTLOOK_UA,
                    "",
                    "GET",
                    Source::Office,
                ),
            );
        }
        let row = b.push(
            who,
            acc(t, "click", office_ip, ua, screen, "GET", Source::Office),
        );
        office_clicks.push(row);
        // Safe Links checks some of these clicks at the moment they happen.
        if k % 3 == 1 {
            let ip = *b.rng.pick(&safelinks_104);
            let at = t + b.rng.range(-2, 1);
            b.push(
                who,
                acc(at, "click", ip, "", "", "GET", Source::SafeLinksAtClick),
            );
        }
    }
    // People who open the mail (images loaded by Outlook) but never click.
    let clickers: Vec<usize> = [cast.avd, cast.no_js]
        .into_iter()
        .chain(cast.office.iter().copied())
        .chain(cast.phone.iter().copied())
        .chain(cast.home.iter().copied())
        .collect();
    let mut openers: Vec<usize> = (0..RECIPIENTS).filter(|i| !clickers.contains(i)).collect();
    b.rng.shuffle(&mut openers);
    for &who in openers.iter().take(36) {
        let d = people[who].delivered;
        let t = (d + 120 + (b.rng.unit().powi(2) * 5.0 * 3600.0) as i64).min(office_end);
        b.push(
            who,
            acc(t, "open", office_ip, OUTLOOK_UA, "", "GET", Source::Office),
        );
    }

    // 4. Phones in the evening (and three on the next morning's commute).
    let carriers = [
        (Carrier::Docomo, 4),
        (Carrier::Kddi, 3),
        (Carrier::SoftBank, 3),
        (Carrier::Rakuten, 2),
    ];
    let mut phone_clicks = Vec::new();
    let mut k = 0;
    for (carrier, n) in carriers {
        for _ in 0..n {
            let who = cast.phone[k];
            let (ua, screen, _) = *b.rng.weighted(PHONES, |p| p.2);
            let t = if k % 4 == 3 {
                b.rng.range(hms(1, 7, 10, 0), hms(1, 8, 40, 0))
            } else {
                b.rng.range(hms(0, 19, 0, 0), hms(0, 23, 30, 0))
            };
            let net = carrier_net(carrier, &mut b.rng);
            let ip = b.rng.addr(net);
            let row = b.push(
                who,
                acc(t, "click", ip, ua, screen, "GET", Source::Phone(carrier)),
            );
            phone_clicks.push(row);
            k += 1;
        }
    }

    // 5. Own PCs on home lines in the evening.
    for (k, (&who, net)) in cast
        .home
        .iter()
        .zip([Block::Ocn, Block::SoNet, Block::Biglobe, Block::Optage])
        .enumerate()
    {
        let (ua, screen) = HOME_DEVICES[k];
        let t = b.rng.range(hms(0, 20, 0, 0), hms(0, 23, 0, 0));
        let ip = b.rng.addr(net);
        b.push(who, acc(t, "click", ip, ua, screen, "GET", Source::HomePc));
    }

    // 6. The Azure Virtual Desktop user: a person on a Microsoft address, an hour after delivery.
    let t = people[cast.avd].delivered + b.rng.range(55 * 60, 70 * 60);
    b.push(
        cast.avd,
        acc(
            t,
            "click",
            avd_ip,
            AVD_UA,
            "1920x1080",
            "GET",
            Source::AzureVirtualDesktop,
        ),
    );

    // 7. The reader without JavaScript: next morning, from home, no screen size.
    let t = b.rng.range(hms(1, 7, 50, 0), hms(1, 8, 30, 0));
    let ip = b.rng.addr(Block::SoNet);
    b.push(
        cast.no_js,
        acc(t, "click", ip, NOJS_UA, "", "GET", Source::NoJavaScript),
    );

    // 8. Submits: two office clickers and one phone clicker type into the form.
    for row in [office_clicks[3], office_clicks[9], phone_clicks[1]] {
        let mut submit = b.rows[row].clone();
        submit.at += b.rng.range(40, 150);
        submit.time = format_time(submit.at);
        submit.event = "submit";
        submit.method = "POST";
        b.rows.push(submit);
    }

    // 9. Repeat clicks: two office clickers come back later, one office clicker
    // tries again on a phone in the evening, one phone user taps twice.
    for row in [office_clicks[5], office_clicks[12]] {
        let mut again = b.rows[row].clone();
        again.at = (again.at + b.rng.range(20 * 60, 90 * 60)).min(office_end);
        again.time = format_time(again.at);
        b.rows.push(again);
    }
    let who = index_of(people, &b.rows[office_clicks[7]].recipient);
    let (ua, screen, _) = PHONES[1];
    let t = b.rng.range(hms(0, 20, 0, 0), hms(0, 22, 0, 0));
    let ip = b.rng.addr(Block::Kddi);
    b.push(
        who,
        acc(
            t,
            "click",
            ip,
            ua,
            screen,
            "GET",
            Source::Phone(Carrier::Kddi),
        ),
    );
    let mut again = b.rows[phone_clicks[4]].clone();
    again.at += b.rng.range(40, 180);
    again.time = format_time(again.at);
    b.rows.push(again);

    let mut rows = b.rows;
    rows.sort_by_key(|r| r.at); // stable: ties keep generation order

    // 10. Three malformed rows, mid-file (at about 35 %, 50 % and 65 % of it).
    // Each repeats an access the story already has a few seconds later, so
    // dropping them changes no recipient's truth.
    let n = rows.len();
    let safelinks_js = |r: &DemoRow| r.source == Source::SafeLinks && !r.screen.is_empty();
    let office_click = |r: &DemoRow| r.source == Source::Office && r.event == "click";
    let mut broken = rows[nearest(&rows, n * 35 / 100, safelinks_js)].clone();
    broken.at += 1;
    broken.time = format_time(broken.at);
    broken.ip = BAD_IP.to_string();
    broken.malformed = Some(Malformed::Ip);
    let mut malformed = vec![broken];

    let mut broken = rows[nearest(&rows, n / 2, office_click)].clone();
    broken.at += 90;
    broken.time = unreadable_time(broken.at);
    broken.malformed = Some(Malformed::Time);
    malformed.push(broken);

    let mut broken = rows[nearest(&rows, n * 65 / 100, office_click)].clone();
    broken.at += 45;
    broken.time = format_time(broken.at);
    broken.screen = BAD_SCREEN.to_string();
    broken.malformed = Some(Malformed::Screen);
    malformed.push(broken);

    rows.extend(malformed);
    rows.sort_by_key(|r| r.at);
    rows
}

/// Index of the row nearest to `target` (searching outwards) that satisfies `pred`.
fn nearest(rows: &[DemoRow], target: usize, pred: impl Fn(&DemoRow) -> bool) -> usize {
    (0..rows.len())
        .flat_map(|d| [target.checked_add(d), target.checked_sub(d)])
        .flatten()
        .find(|&i| i < rows.len() && pred(&rows[i]))
        .expect("a row of the wanted kind exists")
}

fn acc<'s>(
    at: i64,
    event: &'static str,
    ip: Ipv4Addr,
    ua: &'s str,
    screen: &'s str,
    method: &'static str,
    source: Source,
) -> Access<'s> {
    Access {
        at,
        event,
        ip,
        ua,
        screen,
        method,
        source,
    }
}

fn carrier_net(carrier: Carrier, rng: &mut Rng) -> Block {
    match carrier {
        Carrier::Docomo if rng.chance(50) => Block::Docomo1,
        Carrier::Docomo => Block::Docomo49,
        Carrier::Kddi => Block::Kddi,
        Carrier::SoftBank => Block::SoftBank,
        Carrier::Rakuten => Block::Rakuten,
    }
}

fn index_of(people: &[Person], email: &str) -> usize {
    people
        .iter()
        .position(|p| p.email == email)
        .expect("row of a known recipient")
}

/// The cast (recipients with department and delivery time, and who is who).
pub fn demo_cast() -> Cast {
    cast(&mut Rng(SEED))
}
