//! Screen evidence. The landing page's JavaScript reports the screen; a
//! missing one means no JavaScript ran — typical of scanners, but people
//! block scripts too — and only says something where the log records
//! screens for most accesses. A reported screen is weak human evidence
//! (some scanners run JavaScript), except for the sizes headless browsers
//! and virtual displays report.

use super::method::is_page_fetch;
use crate::enriched::Enriched;
use crate::model::{Access, Event, Screen};
use crate::signals::evidence::{Evidence, Fact};
use crate::signals::signatures::{Signatures, Tunable, Weight};
use crate::ua::{UaCategory, UaInfo};

/// The share of page views (clicks and submissions fetched as pages) that
/// carry a screen.
pub fn screen_coverage(enriched: &Enriched) -> f32 {
    let campaign = &enriched.campaign;
    let (mut views, mut with_screen) = (0usize, 0usize);
    for access in &campaign.accesses {
        if matches!(access.event, Event::Click | Event::Submit) && is_page_fetch(access, campaign) {
            views += 1;
            with_screen += usize::from(access.screen.is_some());
        }
    }
    if views == 0 {
        0.0
    } else {
        with_screen as f32 / views as f32
    }
}

/// `coverage`: the share of the campaign's page fetches that carry a screen.
pub fn screen_evidence(
    access: &Access,
    page_fetch: bool,
    ua: &UaInfo,
    coverage: f32,
    sigs: &Signatures,
    out: &mut Vec<Evidence>,
) {
    // Only a page view runs the script: opens are images, reports and
    // HEAD requests load no page.
    if !page_fetch || !matches!(access.event, Event::Click | Event::Submit) {
        return;
    }
    let Some(screen) = access.screen else {
        let (min, full) = (
            sigs.tuning(Tunable::ScreenCoverageMin),
            sigs.tuning(Tunable::ScreenCoverageFull),
        );
        if coverage >= min && coverage > 0.0 {
            let scale = if full > min {
                ((coverage - min) / (full - min)).clamp(0.0, 1.0)
            } else {
                1.0
            };
            if scale > 0.0 {
                out.push(Evidence {
                    weight: sigs.weight(Weight::ScreenMissing) * scale,
                    fact: Fact::ScreenMissing { coverage },
                });
            }
        }
        return;
    };
    let desktop = ua.category == UaCategory::Pc;
    let phone = matches!(
        ua.category,
        UaCategory::Smartphone | UaCategory::Mobilephone
    ) && ua.os != "iPad";
    let (fact, key) = if is(screen, 800, 600) {
        (Fact::ScreenHeadless, Weight::ScreenHeadless)
    } else if desktop && (is(screen, 1024, 768) || is(screen, 1280, 1024)) {
        (Fact::ScreenVirtual, Weight::ScreenVirtual)
    } else if phone && screen.width.max(screen.height) > 1400 {
        (
            Fact::ScreenMismatch { phone_agent: true },
            Weight::ScreenMismatch,
        )
    } else if desktop && screen.width.min(screen.height) < 500 {
        (
            Fact::ScreenMismatch { phone_agent: false },
            Weight::ScreenMismatch,
        )
    } else if matches!(
        ua.category,
        UaCategory::Pc | UaCategory::Smartphone | UaCategory::Mobilephone
    ) {
        (Fact::ScreenPresent, Weight::ScreenPresent)
    } else {
        // Script ran, but in a client that sends no browser's User-Agent
        // (none at all, a library's): automation, which the agent's own
        // evidence already weighs. A person's browser always names itself.
        return;
    };
    out.push(Evidence {
        weight: sigs.weight(key),
        fact,
    });
}

fn is(s: Screen, w: u16, h: u16) -> bool {
    s.width == w && s.height == h
}
