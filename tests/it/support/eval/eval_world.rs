//! The world the evaluation campaigns are drawn from: a deterministic PRNG,
//! real networks (prefixes and owners as a full IP-to-ASN database gives
//! them), and the User-Agents and screens that people and machines send.
//! Nothing here reads the signature list: the evaluation must be able to
//! prove a rule wrong.

use std::net::{IpAddr, Ipv4Addr};

/// The crate's seeded generator; the evaluation draws from SplitMix64 and
/// picks by scaling a draw in [0, 1) (`unit_*`, `chance`, `float_range`).
pub use whoclicked::testing::Rng;

/// A network as an IP-to-ASN database records it.
#[derive(Clone, Copy, Debug)]
pub struct Net {
    pub cidr: &'static str,
    pub asn: u32,
    pub org: &'static str,
    pub country: &'static str,
}

impl Net {
    /// A random host address inside the network.
    pub fn host(&self, rng: &mut Rng) -> IpAddr {
        let (base, len) = self.cidr.split_once('/').expect("a CIDR");
        let base = u32::from(base.parse::<Ipv4Addr>().expect("an IPv4 network"));
        let len: u32 = len.parse().expect("a prefix length");
        let size = 1u64 << (32 - len);
        let offset = 1 + (rng.next_u64() % (size - 2).max(1)) as u32;
        IpAddr::V4(Ipv4Addr::from(base + offset))
    }

    pub fn prefix(&self) -> String {
        self.cidr.to_string()
    }
}

/// Whether `ip` lies in the IPv4 network `cidr`.
pub fn cidr_contains(cidr: &str, ip: IpAddr) -> bool {
    let (base, len) = cidr.split_once('/').expect("a CIDR");
    let base = u32::from(base.parse::<Ipv4Addr>().expect("an IPv4 network"));
    let len: u32 = len.parse().expect("a prefix length");
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    match ip {
        IpAddr::V4(v4) => u32::from(v4) & mask == base & mask,
        IpAddr::V6(_) => false,
    }
}

macro_rules! net {
    ($cidr:literal, $asn:literal, $org:literal, $cc:literal) => {
        Net {
            cidr: $cidr,
            asn: $asn,
            org: $org,
            country: $cc,
        }
    };
}

// Real prefixes and owners (RouteViews/DB-IP data, 2026-06).
pub const AZURE: &[Net] = &[
    net!("40.88.0.0/13", 8075, "Microsoft Corporation", "US"),
    net!("20.64.0.0/10", 8075, "Microsoft Corporation", "US"),
    net!("52.160.0.0/11", 8075, "Microsoft Corporation", "US"),
    net!("20.40.0.0/14", 8075, "Microsoft Corporation", "JP"),
    net!("4.144.0.0/12", 8075, "Microsoft Corporation", "US"),
];
/// Exchange Online's mail-flow servers live in these (the database knows
/// only the wider Microsoft blocks around them).
pub const EOP: &[Net] = &[
    net!("104.47.0.0/17", 8075, "Microsoft Corporation", "US"),
    net!("40.107.0.0/16", 8075, "Microsoft Corporation", "US"),
];
/// Exchange Online's published mail-flow ranges (Microsoft 365 endpoints
/// list): mail servers only, no desktops or other tenants' machines.
pub const EOP_PUBLISHED: &[&str] = &[
    "40.92.0.0/15",
    "40.107.0.0/16",
    "52.100.0.0/14",
    "104.47.0.0/17",
];
pub const PROOFPOINT: &[Net] = &[
    net!("148.163.144.0/21", 26211, "Proofpoint, Inc.", "US"),
    net!("67.231.144.0/21", 26211, "Proofpoint, Inc.", "US"),
    net!("67.231.152.0/22", 22843, "Proofpoint, Inc.", "US"),
];
pub const MIMECAST: &[Net] = &[
    net!(
        "205.139.110.0/23",
        30031,
        "Mimecast North America Inc",
        "US"
    ),
    net!("170.10.128.0/22", 30031, "Mimecast North America Inc", "US"),
    net!("185.58.84.0/22", 42427, "Mimecast Services Limited", "GB"),
];
pub const BARRACUDA: &[Net] = &[net!(
    "64.235.150.0/23",
    15324,
    "Barracuda Networks, Inc.",
    "US"
)];
pub const IRONPORT: &[Net] = &[net!(
    "23.90.96.0/22",
    16417,
    "Cisco Systems Ironport Division",
    "US"
)];
pub const TREND: &[Net] = &[net!(
    "150.70.0.0/20",
    16880,
    "TREND MICRO INCORPORATED",
    "JP"
)];
/// A Japanese data centre that hosts a domestic mail-security SaaS; it is
/// in no public list of scanner or cloud networks.
pub const DOMESTIC_DC: &[Net] = &[net!("59.106.0.0/17", 9370, "SAKURA Internet Inc.", "JP")];
pub const KASPERSKY: &[Net] = &[net!("82.202.186.0/23", 209030, "Kaspersky Lab AO", "RU")];
pub const AWS: &[Net] = &[
    net!("18.200.0.0/14", 16509, "Amazon.com, Inc.", "IE"),
    net!("54.240.0.0/21", 16509, "Amazon.com, Inc.", "US"),
    net!("3.2.64.0/23", 14618, "Amazon.com, Inc.", "US"),
];
pub const GCP: &[Net] = &[
    net!("34.64.0.0/11", 396982, "Google LLC", "US"),
    net!("35.200.0.0/14", 396982, "Google LLC", "JP"),
];
pub const GOOGLEBOT: &[Net] = &[net!("66.249.64.0/19", 15169, "Google LLC", "US")];
pub const HOSTING: &[Net] = &[
    net!("5.9.0.0/16", 24940, "Hetzner Online GmbH", "DE"),
    net!("146.190.0.0/17", 14061, "DigitalOcean, LLC", "US"),
    net!("51.68.0.0/16", 16276, "OVH SAS", "FR"),
];
pub const ZSCALER: &[Net] = &[net!("165.225.0.0/21", 22616, "ZSCALER, INC.", "JP")];
/// Company networks: a corporate AS, and business lines of carriers.
pub const OFFICE_JP: &[Net] = &[
    net!("133.162.0.0/18", 2510, "FUJITSU LIMITED", "JP"),
    net!(
        "202.32.0.0/16",
        2497,
        "Internet Initiative Japan Inc.",
        "JP"
    ),
];
pub const OFFICE_US: &[Net] = &[net!(
    "4.30.0.0/16",
    3356,
    "Level 3 Communications, Inc.",
    "US"
)];
pub const HOME_JP: &[Net] = &[
    net!(
        "153.128.0.0/10",
        4713,
        "NTT Communications Corporation",
        "JP"
    ),
    net!("180.0.0.0/10", 4713, "NTT Communications Corporation", "JP"),
    net!("27.127.0.0/17", 2518, "BIGLOBE Inc.", "JP"),
    net!(
        "36.2.0.0/19",
        2527,
        "Sony Network Communications Inc.",
        "JP"
    ),
    net!("60.64.0.0/10", 17676, "SoftBank Corp.", "JP"),
    net!("14.8.0.0/14", 2516, "KDDI CORPORATION", "JP"),
];
pub const MOBILE_JP: &[Net] = &[
    net!("1.66.20.0/22", 9605, "NTT DOCOMO, INC.", "JP"),
    net!("49.96.0.0/18", 9605, "NTT DOCOMO, INC.", "JP"),
    net!("126.0.0.0/12", 17676, "SoftBank Corp.", "JP"),
    net!("14.8.0.0/14", 2516, "KDDI CORPORATION", "JP"),
    net!("110.165.128.0/17", 138384, "Rakuten Mobile, Inc.", "JP"),
    net!("133.106.32.0/19", 138384, "Rakuten Mobile, Inc.", "JP"),
];
pub const HOME_US: &[Net] = &[
    net!(
        "73.0.0.0/8",
        7922,
        "Comcast Cable Communications, LLC",
        "US"
    ),
    net!(
        "24.0.0.0/12",
        7922,
        "Comcast Cable Communications, LLC",
        "US"
    ),
    net!("98.0.0.0/17", 11351, "Charter Communications Inc", "US"),
];
/// Home lines abroad that residential-proxy networks rent out (a
/// generated family outside the evaluation set: `Stack::residential_proxy`).
pub const HOME_ABROAD: &[Net] = &[
    net!("79.192.0.0/10", 3320, "Deutsche Telekom AG", "DE"),
    net!(
        "86.128.0.0/10",
        2856,
        "British Telecommunications PLC",
        "GB"
    ),
    net!("177.0.0.0/14", 26599, "TELEFONICA BRASIL S.A", "BR"),
    net!("113.160.0.0/11", 45899, "VNPT Corp", "VN"),
];
pub const MOBILE_US: &[Net] = &[
    net!("172.32.0.0/11", 21928, "T-Mobile USA, Inc.", "US"),
    net!("174.192.0.0/16", 22394, "Verizon Business", "US"),
];

/// The newest Chrome/Edge major at campaign time (autumn 2026), Firefox's,
/// and Firefox's extended-support major.
pub const CHROME_NOW: u32 = 155;
pub const FIREFOX_NOW: u32 = 151;
pub const FIREFOX_ESR: u32 = 140;

/// How far behind the newest major a person's browser is: most update
/// within weeks, a tail never restarts it.
pub fn human_lag(rng: &mut Rng) -> u32 {
    let (a, b, c) = (
        3 + rng.unit_index(4) as u32,
        7 + rng.unit_index(9) as u32,
        16 + rng.unit_index(15) as u32,
    );
    *rng.unit_weighted(&[
        (0, 50.0),
        (1, 25.0),
        (2, 10.0),
        (a, 10.0),
        (b, 4.0),
        (c, 1.0),
    ])
}

pub fn windows_edge(v: u32, rng: &mut Rng) -> String {
    format!(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36 Edg/{v}.0.{}.{}",
        3000 + rng.unit_index(400),
        rng.unit_index(120)
    )
}

pub fn windows_chrome(v: u32) -> String {
    format!(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36"
    )
}

/// An unreduced Chrome string, as older builds and many scanners send.
pub fn windows_chrome_full(v: u32, rng: &mut Rng) -> String {
    format!(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.{}.{} Safari/537.36",
        4000 + rng.unit_index(2000),
        rng.unit_index(200)
    )
}

pub fn mac_chrome(v: u32) -> String {
    format!(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36"
    )
}

pub fn mac_safari(version: &str) -> String {
    format!(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{version} Safari/605.1.15"
    )
}

pub fn windows_firefox(v: u32) -> String {
    format!("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0")
}

pub fn iphone_safari(ios: &str, version: &str) -> String {
    format!(
        "Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{version} Mobile/15E148 Safari/604.1"
    )
}

/// A mail app's in-app browser (WKWebView): no Safari token.
pub fn iphone_webview(ios: &str) -> String {
    format!(
        "Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
    )
}

pub fn android_chrome(v: u32) -> String {
    format!(
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Mobile Safari/537.36"
    )
}

/// Samsung Internet ships an older Chromium than Chrome itself.
pub fn samsung(v: u32) -> String {
    format!(
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/28.0 Chrome/{v}.0.0.0 Mobile Safari/537.36"
    )
}

pub fn headless_chrome(v: u32) -> String {
    format!(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/{v}.0.0.0 Safari/537.36"
    )
}

pub fn linux_chrome(v: u32) -> String {
    format!(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36"
    )
}

pub const OUTLOOK_DESKTOP: &str =
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)";
pub const MS_OFFICE_IMAGES: &str = "Mozilla/4.0 (compatible; ms-office; MSOffice 16)";
pub const OFFICE_DISCOVERY: &str = "Microsoft Office Existence Discovery";
pub const GOOGLEBOT_UA: &str =
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
pub const SKYPE_PREVIEW: &str = "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com";
pub const SLACKBOT: &str = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";
pub const BARRACUDA_UA: &str = "Mozilla/5.0 (compatible; Barracuda Sentinel (EE))";
pub const INTERNET_SCANNERS: &[&str] = &[
    "Mozilla/5.0 zgrab/0.x",
    "curl/8.5.0",
    "Expanse, a Palo Alto Networks company, searches across the global IPv4 space multiple times per day to identify customers' presences on the Internet. If you would like to be excluded from our scans, please send IP addresses/domains to: scaninfo@paloaltonetworks.com",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129 Safari/537.36",
    "python-requests/2.32.3",
];

/// Desktop screens in CSS pixels, by share (StatCounter-like, with
/// 125 % scaling giving 1536x864 and old 5:4 office monitors).
pub const DESKTOP_SCREENS: &[((u16, u16), f64)] = &[
    ((1920, 1080), 35.0),
    ((1536, 864), 15.0),
    ((1366, 768), 10.0),
    ((2560, 1440), 8.0),
    ((1440, 900), 6.0),
    ((1920, 1200), 5.0),
    ((1600, 900), 4.0),
    ((1280, 720), 3.0),
    ((1680, 1050), 3.0),
    ((1280, 800), 3.0),
    ((1512, 982), 3.0),
    ((1280, 1024), 2.0),
    ((1024, 768), 0.5),
];
pub const PHONE_SCREENS: &[((u16, u16), f64)] = &[
    ((390, 844), 20.0),
    ((393, 852), 18.0),
    ((430, 932), 10.0),
    ((375, 812), 8.0),
    ((414, 896), 8.0),
    ((375, 667), 6.0),
    ((412, 915), 12.0),
    ((360, 800), 8.0),
    ((384, 854), 5.0),
    ((412, 892), 5.0),
];
/// iPads report these (portrait) with a Mac User-Agent in desktop mode.
pub const IPAD_SCREENS: &[((u16, u16), f64)] = &[
    ((820, 1180), 5.0),
    ((810, 1080), 3.0),
    ((834, 1194), 3.0),
    ((1024, 1366), 2.0),
];
