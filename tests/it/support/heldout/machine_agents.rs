//! What machines send as User-Agent and report as screen.
//!
//! Sources: Safe Links and other mail scanners send ordinary Windows Chrome
//! UAs, often many majors old (fleetdm#26976: "Chrome 125, 8+ versions old";
//! gophish#2446: one of 80.0.3987.132, 96.0.4664.110, 79.0.3945.136;
//! gophish#2646: 101.0.4951.54; laravel-passwordless-login#79: 97.0.4692.99,
//! later an empty UA from 104.47.x), sometimes a HEAD with
//! `Go-http-client/1.1` first (FusionAuth#629). Headless Chrome reports
//! 800x600; Xvfb 1280x1024; the xvfb-run example 1024x768 (scanner-signals.md
//! §5). Barracuda Sentinel names itself (matomo, GoAccess, Crawler-Detect);
//! Teams' preview sent `Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview
//! Preview/0.5` from 52.114.6.38; Slack's is `Slackbot-LinkExpanding 1.0
//! (+https://api.slack.com/robots)`; Google's special-case crawler for abuse
//! checks is `Google-Safety`. HTTP libraries' versions are those released
//! before the campaign date (PyPI, curl's changelog, npm, Maven Central).

use whoclicked::testing::Rng;

use super::agents::{chrome_windows, edge_windows};
use super::clock::{Date, date};
use super::releases::{self, Browser};

/// Windows Chrome builds mail scanners were seen sending, unchanged for years.
pub const OBSERVED_SCANNER_CHROME: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.136 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.132 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0.4664.110 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/97.0.4692.99 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/101.0.4951.54 Safari/537.36",
];

pub const GO_HTTP: &str = "Go-http-client/1.1";
pub const BARRACUDA_SENTINEL: &str = "Mozilla/5.0 (compatible; Barracuda Sentinel (EE))";
pub const TEAMS_PREVIEW: &str = "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5";
pub const SLACK_PREVIEW: &str = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";
pub const GOOGLE_SAFETY: &str = "Google-Safety";

/// A Windows Chrome `lo..=hi` majors behind the campaign date.
pub fn stale_chrome(rng: &mut Rng, on: Date, lo: u32, hi: u32) -> String {
    let lag = lo + rng.below(u64::from(hi - lo + 1)) as u32;
    chrome_windows(releases::behind(Browser::Chrome, on, lag))
}

pub fn stale_edge(rng: &mut Rng, on: Date, lo: u32, hi: u32) -> String {
    let lag = lo + rng.below(u64::from(hi - lo + 1)) as u32;
    edge_windows(releases::behind(Browser::Edge, on, lag))
}

pub fn headless_chrome(rng: &mut Rng, on: Date) -> String {
    let major = releases::behind(Browser::Chrome, on, rng.below(9) as u32);
    format!(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/{major}.0.0.0 Safari/537.36"
    )
}

/// The screen a sandbox's page reports, when it runs JavaScript at all.
pub fn sandbox_screen(rng: &mut Rng) -> (u16, u16) {
    *rng.unit_weighted(&[
        ((1920, 1080), 0.35),
        ((1280, 1024), 0.25),
        ((1024, 768), 0.20),
        ((800, 600), 0.20),
    ])
}

/// HTTP library agents and the date each version came out.
#[rustfmt::skip]
const LIBRARIES: &[(&str, Date)] = &[
    ("python-requests/2.31.0", date(2023, 5, 22)),
    ("python-requests/2.32.3", date(2024, 5, 29)),
    ("python-requests/2.32.4", date(2025, 6, 9)),
    ("curl/8.5.0", date(2023, 12, 6)),
    ("curl/8.9.1", date(2024, 7, 31)),
    ("curl/8.11.1", date(2024, 12, 11)),
    ("curl/8.14.1", date(2025, 6, 4)),
    ("Go-http-client/1.1", date(2016, 2, 17)),
    ("Go-http-client/2.0", date(2016, 2, 17)),
    ("okhttp/4.12.0", date(2023, 10, 16)),
    ("axios/1.6.8", date(2024, 3, 15)),
    ("axios/1.7.9", date(2024, 12, 4)),
    ("Java/17.0.9", date(2023, 10, 17)),
    ("Apache-HttpClient/4.5.14 (Java/17.0.9)", date(2023, 10, 17)),
    ("Python/3.11 aiohttp/3.9.5", date(2024, 4, 18)),
];

/// A library agent out by `on`: newer versions more likely than old ones.
pub fn library(rng: &mut Rng, on: Date) -> String {
    let out: Vec<(&str, f64)> = LIBRARIES
        .iter()
        .filter(|(_, released)| *released <= on)
        .map(|(ua, released)| {
            let age_years = (on.days() - released.days()) as f64 / 365.0;
            (*ua, 1.0 / (1.0 + age_years))
        })
        .collect();
    rng.unit_weighted(&out).to_string()
}

/// What link checkers send with their HEAD.
pub fn link_checker(rng: &mut Rng, on: Date) -> String {
    match *rng.unit_weighted(&[(0, 0.40), (1, 0.20), (2, 0.25), (3, 0.15)]) {
        0 => GO_HTTP.to_string(),
        1 => String::new(),
        2 => stale_chrome(rng, on, 3, 12),
        _ => {
            let curls: Vec<(&str, f64)> = LIBRARIES
                .iter()
                .filter(|(ua, released)| ua.starts_with("curl/") && *released <= on)
                .map(|(ua, _)| (*ua, 1.0))
                .collect();
            rng.unit_weighted(&curls).to_string()
        }
    }
}
