//! Real release dates of the browsers people in the held-out world use, so a
//! campaign's humans carry the versions current on its date (and a year
//! later, the versions current then).
//!
//! Source: MDN browser-compat-data (CC0), `browsers/{chrome,edge,firefox,
//! safari_ios,samsunginternet_android}.json` at commit a0a74f9b (2026-08-07),
//! releases with status retired or current only. Campaign dates never pass
//! [`KNOWN_UNTIL`]: the world holds no guessed releases.
//!
//! Edge's full build numbers (`Edg/138.0.3351.55`) come from Microsoft's
//! Edge Enterprise stable-channel release notes (MicrosoftDocs/Edge-Enterprise,
//! up to 130) and from User-Agents seen in public code for 135, 138, 140, 142,
//! 145 and 148; the majors between are interpolated (the UA's minor numbers
//! carry no evidence anyone reads, the major does).
//!
//! Firefox ESR majors (115, 128, 140) are the ESR branch points named in the
//! Firefox release calendar; iOS 26 Safari freezes the OS token at `18_6`
//! (26.0) and then `18_7` (WebKit bugs 298473 and 298673, whatwg/compat#283).

use super::clock::{Date, date};

/// The last date the tables know every release of.
pub const KNOWN_UNTIL: Date = date(2026, 8, 7);

#[rustfmt::skip]
const CHROME: &[(u32, Date)] = &[
    (100, date(2022, 3, 29)), (101, date(2022, 4, 26)), (102, date(2022, 5, 24)),
    (103, date(2022, 6, 21)), (104, date(2022, 8, 2)), (105, date(2022, 9, 2)),
    (106, date(2022, 9, 27)), (107, date(2022, 10, 25)), (108, date(2022, 11, 29)),
    (109, date(2023, 1, 10)), (110, date(2023, 2, 7)), (111, date(2023, 3, 7)),
    (112, date(2023, 4, 4)), (113, date(2023, 5, 2)), (114, date(2023, 5, 30)),
    (115, date(2023, 7, 18)), (116, date(2023, 8, 15)), (117, date(2023, 9, 12)),
    (118, date(2023, 10, 10)), (119, date(2023, 10, 31)), (120, date(2023, 12, 5)),
    (121, date(2024, 1, 23)), (122, date(2024, 2, 20)), (123, date(2024, 3, 19)),
    (124, date(2024, 4, 16)), (125, date(2024, 5, 14)), (126, date(2024, 6, 11)),
    (127, date(2024, 7, 23)), (128, date(2024, 8, 20)), (129, date(2024, 9, 17)),
    (130, date(2024, 10, 15)), (131, date(2024, 11, 12)), (132, date(2025, 1, 14)),
    (133, date(2025, 2, 4)), (134, date(2025, 3, 4)), (135, date(2025, 4, 1)),
    (136, date(2025, 4, 29)), (137, date(2025, 5, 27)), (138, date(2025, 6, 24)),
    (139, date(2025, 8, 5)), (140, date(2025, 9, 2)), (141, date(2025, 9, 30)),
    (142, date(2025, 10, 28)), (143, date(2025, 12, 2)), (144, date(2026, 1, 13)),
    (145, date(2026, 2, 10)), (146, date(2026, 3, 10)), (147, date(2026, 4, 7)),
    (148, date(2026, 5, 5)), (149, date(2026, 6, 2)), (150, date(2026, 6, 30)),
    (151, date(2026, 7, 28)),
];

#[rustfmt::skip]
const EDGE: &[(u32, Date)] = &[
    (100, date(2022, 4, 1)), (101, date(2022, 4, 28)), (102, date(2022, 5, 31)),
    (103, date(2022, 6, 23)), (104, date(2022, 8, 5)), (105, date(2022, 9, 1)),
    (106, date(2022, 10, 3)), (107, date(2022, 10, 27)), (108, date(2022, 12, 5)),
    (109, date(2023, 1, 12)), (110, date(2023, 2, 9)), (111, date(2023, 3, 13)),
    (112, date(2023, 4, 6)), (113, date(2023, 5, 5)), (114, date(2023, 6, 2)),
    (115, date(2023, 7, 21)), (116, date(2023, 8, 21)), (117, date(2023, 9, 15)),
    (118, date(2023, 10, 13)), (119, date(2023, 11, 2)), (120, date(2023, 12, 7)),
    (121, date(2024, 1, 25)), (122, date(2024, 2, 23)), (123, date(2024, 3, 22)),
    (124, date(2024, 4, 18)), (125, date(2024, 5, 17)), (126, date(2024, 6, 13)),
    (127, date(2024, 7, 25)), (128, date(2024, 8, 22)), (129, date(2024, 9, 19)),
    (130, date(2024, 10, 17)), (131, date(2024, 11, 14)), (132, date(2025, 1, 17)),
    (133, date(2025, 2, 6)), (134, date(2025, 3, 6)), (135, date(2025, 4, 4)),
    (136, date(2025, 5, 1)), (137, date(2025, 5, 29)), (138, date(2025, 6, 26)),
    (139, date(2025, 8, 7)), (140, date(2025, 9, 5)), (141, date(2025, 10, 3)),
    (142, date(2025, 10, 31)), (143, date(2025, 12, 5)), (144, date(2026, 1, 21)),
    (145, date(2026, 2, 14)), (146, date(2026, 3, 13)), (147, date(2026, 4, 10)),
    (148, date(2026, 5, 7)), (149, date(2026, 6, 4)), (150, date(2026, 7, 2)),
    (151, date(2026, 7, 31)),
];

#[rustfmt::skip]
const FIREFOX: &[(u32, Date)] = &[
    (115, date(2023, 7, 4)), (116, date(2023, 8, 1)), (117, date(2023, 8, 29)),
    (118, date(2023, 9, 26)), (119, date(2023, 10, 24)), (120, date(2023, 11, 21)),
    (121, date(2023, 12, 19)), (122, date(2024, 1, 23)), (123, date(2024, 2, 20)),
    (124, date(2024, 3, 19)), (125, date(2024, 4, 16)), (126, date(2024, 5, 14)),
    (127, date(2024, 6, 11)), (128, date(2024, 7, 9)), (129, date(2024, 8, 6)),
    (130, date(2024, 9, 3)), (131, date(2024, 10, 1)), (132, date(2024, 10, 29)),
    (133, date(2024, 11, 26)), (134, date(2025, 1, 7)), (135, date(2025, 2, 4)),
    (136, date(2025, 3, 4)), (137, date(2025, 4, 1)), (138, date(2025, 4, 29)),
    (139, date(2025, 5, 27)), (140, date(2025, 6, 24)), (141, date(2025, 7, 22)),
    (142, date(2025, 8, 19)), (143, date(2025, 9, 16)), (144, date(2025, 10, 14)),
    (145, date(2025, 11, 11)), (146, date(2025, 12, 9)), (147, date(2026, 1, 13)),
    (148, date(2026, 2, 24)), (149, date(2026, 3, 24)), (150, date(2026, 4, 21)),
    (151, date(2026, 5, 19)), (152, date(2026, 6, 16)), (153, date(2026, 7, 21)),
];

/// The majors Mozilla branched as Extended Support Releases.
const FIREFOX_ESR: &[u32] = &[115, 128, 140];

/// iOS (and its Safari) releases: (major, minor).
#[rustfmt::skip]
const IOS: &[((u32, u32), Date)] = &[
    ((16, 0), date(2022, 9, 12)), ((16, 1), date(2022, 10, 24)), ((16, 2), date(2022, 12, 13)),
    ((16, 3), date(2023, 1, 23)), ((16, 4), date(2023, 3, 27)), ((16, 5), date(2023, 5, 18)),
    ((16, 6), date(2023, 7, 24)), ((17, 0), date(2023, 9, 18)), ((17, 1), date(2023, 10, 25)),
    ((17, 2), date(2023, 12, 11)), ((17, 3), date(2024, 1, 22)), ((17, 4), date(2024, 3, 5)),
    ((17, 5), date(2024, 5, 13)), ((17, 6), date(2024, 7, 29)), ((18, 0), date(2024, 9, 16)),
    ((18, 1), date(2024, 10, 28)), ((18, 2), date(2024, 12, 11)), ((18, 3), date(2025, 1, 27)),
    ((18, 4), date(2025, 3, 31)), ((18, 5), date(2025, 5, 12)), ((18, 6), date(2025, 7, 29)),
    ((26, 0), date(2025, 9, 15)), ((26, 1), date(2025, 11, 3)), ((26, 2), date(2025, 12, 12)),
    ((26, 3), date(2026, 2, 11)), ((26, 4), date(2026, 3, 24)), ((26, 5), date(2026, 5, 11)),
    ((26, 6), date(2026, 7, 27)),
];

/// Samsung Internet: (major, Chromium engine major, release date).
#[rustfmt::skip]
const SAMSUNG: &[(u32, u32, Date)] = &[
    (20, 106, date(2023, 2, 10)), (21, 110, date(2023, 5, 19)), (22, 111, date(2023, 7, 14)),
    (23, 115, date(2023, 10, 18)), (24, 117, date(2024, 1, 25)), (25, 121, date(2024, 4, 24)),
    (26, 122, date(2024, 6, 7)), (27, 125, date(2024, 11, 6)), (28, 130, date(2025, 4, 2)),
    (29, 136, date(2025, 10, 25)),
];

/// Edge full builds by major: the first stable build of the release notes
/// (120–130), a build seen in real UAs (135–148).
#[rustfmt::skip]
const EDGE_BUILDS: &[(u32, u32, u32)] = &[
    (120, 2210, 61), (121, 2277, 83), (122, 2365, 52), (123, 2420, 53),
    (124, 2478, 51), (125, 2535, 51), (126, 2592, 56), (127, 2651, 74),
    (128, 2739, 42), (129, 2792, 52), (130, 2849, 46), (135, 3179, 54),
    (138, 3351, 55), (140, 3485, 54), (142, 3595, 53), (145, 3800, 58),
    (148, 3967, 83),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    Chrome,
    Edge,
    Firefox,
}

fn table(browser: Browser) -> &'static [(u32, Date)] {
    match browser {
        Browser::Chrome => CHROME,
        Browser::Edge => EDGE,
        Browser::Firefox => FIREFOX,
    }
}

fn check(on: Date) {
    assert!(
        on <= KNOWN_UNTIL,
        "held-out campaign date {on:?} is past the release tables ({KNOWN_UNTIL:?})"
    );
}

/// The newest major released on or before `on`.
pub fn current(browser: Browser, on: Date) -> u32 {
    check(on);
    table(browser)
        .iter()
        .rev()
        .find(|(_, released)| *released <= on)
        .map(|(major, _)| *major)
        .expect("release table starts before every campaign")
}

/// `lag` majors behind the current one (staged rollouts, managed fleets,
/// a scanner's frozen image).
pub fn behind(browser: Browser, on: Date, lag: u32) -> u32 {
    current(browser, on)
        .saturating_sub(lag)
        .max(table(browser)[0].0)
}

/// The Extended Support Release a managed fleet runs on `on`, and the one
/// before it (fleets finish moving only when the old branch ends).
pub fn firefox_esr(on: Date) -> (u32, u32) {
    let now = current(Browser::Firefox, on);
    let at = FIREFOX_ESR.iter().rposition(|&esr| esr <= now).unwrap_or(0);
    (FIREFOX_ESR[at], FIREFOX_ESR[at.saturating_sub(1)])
}

/// `Edg/…` for a major: a build seen in the wild, else interpolated.
pub fn edge_version(major: u32) -> String {
    if let Some((_, build, patch)) = EDGE_BUILDS.iter().find(|(m, _, _)| *m == major) {
        return format!("{major}.0.{build}.{patch}");
    }
    let below = EDGE_BUILDS.iter().rev().find(|(m, _, _)| *m < major);
    let above = EDGE_BUILDS.iter().find(|(m, _, _)| *m > major);
    let build = match (below, above) {
        (Some(&(m0, b0, _)), Some(&(m1, b1, _))) => b0 + (b1 - b0) * (major - m0) / (m1 - m0),
        (Some(&(m0, b0, _)), None) => b0 + 56 * (major - m0),
        (None, Some(&(m1, b1, _))) => b1.saturating_sub(62 * (m1 - major)),
        (None, None) => unreachable!("the build table is not empty"),
    };
    format!("{major}.0.{build}.{}", 40 + major % 50)
}

/// iOS releases out on `on`, newest first.
pub fn ios_releases(on: Date) -> Vec<(u32, u32)> {
    check(on);
    IOS.iter()
        .rev()
        .filter(|(_, released)| *released <= on)
        .map(|(v, _)| *v)
        .collect()
}

/// Samsung Internet's newest major on `on` and its Chromium engine major.
pub fn samsung_internet(on: Date) -> (u32, u32) {
    check(on);
    SAMSUNG
        .iter()
        .rev()
        .find(|(_, _, released)| *released <= on)
        .map(|&(major, engine, _)| (major, engine))
        .expect("Samsung table starts before every campaign")
}

/// Days from `major`'s release to `on` (negative when not yet out).
pub fn age_days(browser: Browser, major: u32, on: Date) -> Option<i64> {
    table(browser)
        .iter()
        .find(|(m, _)| *m == major)
        .map(|(_, released)| on.days() - released.days())
}
