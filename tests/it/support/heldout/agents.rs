//! The devices people click from: which browser at which version on a
//! campaign's date, the User-Agent it sends and the screen its page reports.
//!
//! User-Agent shapes follow the browsers' reduced UAs: Chrome and Edge send
//! `Windows NT 10.0; Win64; x64` (also on Windows 11) and `Chrome/N.0.0.0`,
//! Edge adds its full `Edg/` build; Android Chrome sends `Linux; Android 10; K`;
//! macOS browsers freeze `Intel Mac OS X 10_15_7`; iOS Safari carries the iOS
//! version (frozen at 18_6/18_7 from iOS 26). Screens are CSS pixels: phones
//! from Playwright's device descriptors (375x667, 390x844, 414x896, 428x926,
//! 393x851, 412x892) plus the iPhone 14 Pro-and-later 393x852 and 430x932;
//! desktops from StatCounter's common resolutions (1920x1080, 1366x768,
//! 1536x864 = 1080p at 125 %, 1440x900, 1600x900, 2560x1440) and the 5:4
//! 1280x1024 monitors that Japanese offices still run.

use whoclicked::testing::Rng;

use super::clock::Date;
use super::releases::{self, Browser};

/// A device with its browser, fixed for a person within a campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    pub user_agent: String,
    pub screen: (u16, u16),
    pub kind: DeviceKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceKind {
    WindowsPc,
    Mac,
    IPhone,
    Android,
}

pub fn chrome_windows(major: u32) -> String {
    format!(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 Safari/537.36"
    )
}

pub fn edge_windows(major: u32) -> String {
    format!(
        "{} Edg/{}",
        chrome_windows(major),
        releases::edge_version(major)
    )
}

pub fn firefox_windows(major: u32) -> String {
    format!(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{major}.0) Gecko/20100101 Firefox/{major}.0"
    )
}

pub fn chrome_mac(major: u32) -> String {
    format!(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 Safari/537.36"
    )
}

pub fn safari_mac((major, minor): (u32, u32)) -> String {
    format!(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{major}.{minor} Safari/605.1.15"
    )
}

/// iOS Safari. From iOS 26 the OS token is frozen: `18_6` in 26.0, `18_7`
/// from 26.0.1 on.
pub fn safari_iphone((major, minor): (u32, u32)) -> String {
    let os = match (major, minor) {
        (26.., 0) => "18_6".to_string(),
        (26.., _) => "18_7".to_string(),
        (m, 0) => format!("{m}_0"),
        (m, n) => format!("{m}_{n}"),
    };
    format!(
        "Mozilla/5.0 (iPhone; CPU iPhone OS {os} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{major}.{minor} Mobile/15E148 Safari/604.1"
    )
}

pub fn chrome_android(major: u32) -> String {
    format!(
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 Mobile Safari/537.36"
    )
}

pub fn samsung_internet(major: u32, engine: u32) -> String {
    format!(
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/{major}.0 Chrome/{engine}.0.0.0 Mobile Safari/537.36"
    )
}

/// How far behind the newest major a person's browser is: most update
/// within a release cycle, staged rollouts and managed fleets run 1–3 behind.
pub fn lag(rng: &mut Rng) -> u32 {
    *rng.unit_weighted(&[(0, 0.52), (1, 0.30), (2, 0.12), (3, 0.06)])
}

const DESKTOP: &[((u16, u16), f64)] = &[
    ((1920, 1080), 0.40),
    ((1536, 864), 0.17),
    ((1366, 768), 0.12),
    ((1440, 900), 0.05),
    ((1600, 900), 0.05),
    ((2560, 1440), 0.07),
    ((1680, 1050), 0.04),
    ((1280, 720), 0.04),
    ((1280, 1024), 0.03),
    ((1920, 1200), 0.03),
];

const MAC: &[((u16, u16), f64)] = &[
    ((1440, 900), 0.22),
    ((1512, 982), 0.22),
    ((1728, 1117), 0.12),
    ((1470, 956), 0.18),
    ((1280, 800), 0.08),
    ((1920, 1080), 0.10),
    ((2560, 1440), 0.08),
];

const IPHONE: &[((u16, u16), f64)] = &[
    ((390, 844), 0.30),
    ((393, 852), 0.24),
    ((430, 932), 0.10),
    ((375, 667), 0.14),
    ((414, 896), 0.10),
    ((428, 926), 0.06),
    ((375, 812), 0.06),
];

const ANDROID: &[((u16, u16), f64)] = &[
    ((412, 915), 0.30),
    ((393, 851), 0.15),
    ((412, 892), 0.15),
    ((360, 800), 0.25),
    ((384, 854), 0.15),
];

pub fn desktop_screen(rng: &mut Rng) -> (u16, u16) {
    *rng.unit_weighted(DESKTOP)
}

/// A managed Windows PC: Edge or Chrome (`edge_share` of Edge), lagging.
pub fn windows_pc(rng: &mut Rng, on: Date, edge_share: f64) -> Device {
    let browser = if rng.chance(edge_share) {
        Browser::Edge
    } else {
        Browser::Chrome
    };
    let major = releases::behind(browser, on, lag(rng));
    let user_agent = match browser {
        Browser::Edge => edge_windows(major),
        _ => chrome_windows(major),
    };
    Device {
        user_agent,
        screen: desktop_screen(rng),
        kind: DeviceKind::WindowsPc,
    }
}

/// A personal Windows PC: Chrome mostly, some Edge, a few Firefox.
pub fn home_pc(rng: &mut Rng, on: Date) -> Device {
    let roll = rng.unit();
    let user_agent = if roll < 0.68 {
        chrome_windows(releases::behind(Browser::Chrome, on, lag(rng)))
    } else if roll < 0.90 {
        edge_windows(releases::behind(Browser::Edge, on, lag(rng)))
    } else {
        firefox_windows(releases::behind(Browser::Firefox, on, lag(rng)))
    };
    Device {
        user_agent,
        screen: desktop_screen(rng),
        kind: DeviceKind::WindowsPc,
    }
}

/// The iOS release a person runs: the newest for many, the ones before for
/// the rest (phones update in the weeks after a release, some never).
fn ios_version(rng: &mut Rng, on: Date) -> (u32, u32) {
    let out = releases::ios_releases(on);
    let index = *rng.unit_weighted(&[
        (0, 0.46),
        (1, 0.22),
        (2, 0.12),
        (3, 0.08),
        (4, 0.06),
        (6, 0.06),
    ]);
    out[index.min(out.len() - 1)]
}

pub fn mac(rng: &mut Rng, on: Date) -> Device {
    if rng.chance(0.6) {
        return mac_safari(rng, on);
    }
    Device {
        user_agent: chrome_mac(releases::behind(Browser::Chrome, on, lag(rng))),
        screen: *rng.unit_weighted(MAC),
        kind: DeviceKind::Mac,
    }
}

/// A Mac with Safari (its version follows the same releases as iOS's).
pub fn mac_safari(rng: &mut Rng, on: Date) -> Device {
    Device {
        user_agent: safari_mac(ios_version(rng, on)),
        screen: *rng.unit_weighted(MAC),
        kind: DeviceKind::Mac,
    }
}

pub fn iphone(rng: &mut Rng, on: Date) -> Device {
    Device {
        user_agent: safari_iphone(ios_version(rng, on)),
        screen: *rng.unit_weighted(IPHONE),
        kind: DeviceKind::IPhone,
    }
}

pub fn android(rng: &mut Rng, on: Date) -> Device {
    let user_agent = if rng.chance(0.3) {
        let (major, engine) = releases::samsung_internet(on);
        samsung_internet(major, engine)
    } else {
        chrome_android(releases::behind(Browser::Chrome, on, lag(rng)))
    };
    Device {
        user_agent,
        screen: *rng.unit_weighted(ANDROID),
        kind: DeviceKind::Android,
    }
}

/// A phone: `iphone_share` of iPhones (Japan's is far above the US's).
pub fn phone(rng: &mut Rng, on: Date, iphone_share: f64) -> Device {
    if rng.chance(iphone_share) {
        iphone(rng, on)
    } else {
        android(rng, on)
    }
}

/// A browser held back on purpose: Firefox ESR (the current branch, or the
/// previous one while it is still supported), or Chrome pinned by policy.
pub fn managed_old(rng: &mut Rng, on: Date) -> Device {
    let user_agent = if rng.chance(0.6) {
        let (esr, previous) = releases::firefox_esr(on);
        firefox_windows(if rng.chance(0.3) { previous } else { esr })
    } else {
        let pinned = 4 + rng.below(5) as u32;
        chrome_windows(releases::behind(Browser::Chrome, on, pinned))
    };
    Device {
        user_agent,
        screen: desktop_screen(rng),
        kind: DeviceKind::WindowsPc,
    }
}
