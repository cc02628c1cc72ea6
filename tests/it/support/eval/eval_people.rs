//! The people of a campaign: when they read the mail, where from, with
//! which browser and screen; what they do (open, click, submit, report);
//! and the products that check a link at the moment a person clicks it.

use super::eval_campaigns::*;
use super::eval_generate::{Place, S, World};
use super::eval_world::*;

/// When a person reads the mail, in seconds after delivery.
fn reading_delay(rng: &mut Rng) -> (f64, bool) {
    let roll = rng.unit();
    if roll < 0.03 {
        (rng.float_range(25.0, 120.0), true)
    } else if roll < 0.62 {
        (rng.lognormal(50.0 * 60.0, 1.0).max(150.0), false)
    } else if roll < 0.93 {
        (rng.lognormal(6.0 * 3600.0, 0.6), false)
    } else {
        (rng.float_range(1.0, 5.0) * 86_400.0, false)
    }
}

pub(super) fn person(w: &mut World, r: usize) {
    let japan = w.s.japan;
    let place = match w.s.workplace {
        Workplace::Offices => *w.rng.unit_weighted(&[
            (Place::Office, 50.0),
            (Place::Home, 14.0),
            (Place::Phone, 26.0),
            (Place::VirtualDesktop, 5.0),
            (Place::Zscaler, if japan { 5.0 } else { 8.0 }),
        ]),
        Workplace::CloudDesktops => *w.rng.unit_weighted(&[
            (Place::VirtualDesktop, 65.0),
            (Place::Home, 5.0),
            (Place::Phone, 30.0),
        ]),
    };
    let opens = w.rng.chance(0.45);
    let clicks = w.rng.chance(0.2);
    let reports = w.rng.chance(0.08);
    if !opens && !clicks && !reports {
        return;
    }
    let (delay, fast) = reading_delay(&mut w.rng);
    let read_at = w.out.sent[r] + (delay * S) as i64;
    let ip = match place {
        Place::Office => *w.rng.unit_pick(&w.office),
        Place::VirtualDesktop => *w.rng.unit_pick(&w.avd),
        Place::Home => w.addr(if japan { HOME_JP } else { HOME_US }),
        Place::Phone => w.addr(if japan { MOBILE_JP } else { MOBILE_US }),
        Place::Zscaler => w.addr(ZSCALER),
    };
    let lag = human_lag(&mut w.rng);
    let v = CHROME_NOW - lag;
    let (ua, screen) = if place == Place::Phone {
        let ua = if w.rng.chance(0.55) {
            let ios = *w.rng.unit_pick(&["18_6", "26_0", "17_7", "16_7_10"]);
            if w.rng.chance(0.3) {
                iphone_webview(ios)
            } else {
                iphone_safari(
                    ios,
                    if ios.starts_with("26") {
                        "26.0"
                    } else {
                        "18.6"
                    },
                )
            }
        } else if w.rng.chance(0.2) {
            samsung(v.saturating_sub(8))
        } else {
            android_chrome(v)
        };
        (ua, *w.rng.unit_weighted(PHONE_SCREENS))
    } else {
        // Azure Virtual Desktop and Windows 365 run Windows.
        let roll = if place == Place::VirtualDesktop {
            w.rng.float_range(0.0, 0.75)
        } else {
            w.rng.unit()
        };
        let ua = if roll < 0.55 {
            windows_edge(v, &mut w.rng)
        } else if roll < 0.75 {
            windows_chrome(v)
        } else if roll < 0.83 {
            mac_chrome(v)
        } else if roll < 0.9 {
            mac_safari("26.0")
        } else {
            let esr = w.rng.chance(0.3);
            windows_firefox(if esr {
                FIREFOX_ESR
            } else {
                FIREFOX_NOW - lag.min(10)
            })
        };
        // An iPad in desktop mode sends the Mac Safari string.
        if ua.contains("Version/26.0 Safari") && w.rng.chance(0.3) {
            (ua, *w.rng.unit_weighted(IPAD_SCREENS))
        } else {
            (ua, *w.rng.unit_weighted(DESKTOP_SCREENS))
        }
    };
    let script = w.rng.chance(0.94);
    let actor = if fast {
        Actor::PersonFast
    } else if !script {
        Actor::PersonNoScript
    } else {
        match place {
            Place::VirtualDesktop => Actor::PersonVirtualDesktop,
            Place::Office => Actor::PersonOfficeProxy,
            _ => Actor::Person,
        }
    };
    let outlook_desktop = matches!(place, Place::Office | Place::Home | Place::VirtualDesktop)
        && ua.contains("Windows")
        && w.rng.chance(0.6);
    let base = Row {
        nanos: read_at,
        ip,
        ua: ua.clone(),
        recipient: Some(r),
        event: whoclicked::model::Event::Click,
        screen: None,
        method: "GET",
        actor,
    };
    if opens && w.s.format == Format::GoPhish {
        let open_ua = if outlook_desktop {
            MS_OFFICE_IMAGES.to_string()
        } else if place == Place::Phone && ua.contains("iPhone") {
            iphone_webview("18_6")
        } else {
            ua.clone()
        };
        w.out.rows.push(Row {
            ua: open_ua,
            event: whoclicked::model::Event::Open,
            ..base.clone()
        });
    }
    if reports {
        let at = read_at + (w.rng.float_range(20.0, 300.0) * S) as i64;
        w.out.reported.push((r, at));
    }
    if !clicks {
        return;
    }
    let click_at = read_at + (w.rng.float_range(8.0, 90.0) * S) as i64;
    if outlook_desktop && w.rng.chance(0.35) {
        // Outlook checks the link itself before handing it to the browser.
        let (fetch_ua, method) = if w.rng.chance(0.5) {
            (OFFICE_DISCOVERY, "HEAD")
        } else {
            (OUTLOOK_DESKTOP, "GET")
        };
        let method = if w.s.format == Format::Combined {
            method
        } else {
            "GET"
        };
        w.out.rows.push(Row {
            nanos: click_at - (w.rng.float_range(0.1, 0.8) * S) as i64,
            ua: fetch_ua.to_string(),
            method,
            actor: Actor::OutlookFetch,
            ..base.clone()
        });
    }
    let screens = w.has_screens() && script;
    let mut clicks_at = vec![click_at];
    if w.rng.chance(0.15) {
        clicks_at.push(click_at + (w.rng.float_range(2.0, 600.0) * S) as i64);
    }
    for &at in &clicks_at {
        w.out.rows.push(Row {
            nanos: at,
            screen: screens.then_some(screen),
            ..base.clone()
        });
        click_time_checks(w, r, at);
    }
    if w.rng.chance(0.3) && w.s.format != Format::Combined {
        w.out.rows.push(Row {
            nanos: click_at + (w.rng.float_range(15.0, 120.0) * S) as i64,
            event: whoclicked::model::Event::Submit,
            screen: screens.then_some(screen),
            ..base.clone()
        });
    }
}

/// Products that check a link when the person clicks it.
fn click_time_checks(w: &mut World, r: usize, click_at: i64) {
    let stack = w.s.stack;
    let screens = w.has_screens();
    let check = |w: &mut World, nets: &[Net], p: f64, ua: String, script: bool| {
        if !w.rng.chance(p) {
            return;
        }
        // Before the browser's request (a redirecting check) or just after (a sandbox).
        let offset = if w.rng.chance(0.5) {
            -w.rng.float_range(0.2, 2.0)
        } else {
            w.rng.float_range(0.3, 4.0)
        };
        let ip = w.addr(nets);
        w.out.rows.push(Row {
            nanos: click_at + (offset * S) as i64,
            ip,
            ua,
            recipient: Some(r),
            event: whoclicked::model::Event::Click,
            screen: (screens && script).then_some((1920, 1080)),
            method: "GET",
            actor: Actor::ClickTimeCheck,
        });
    };
    let current = windows_chrome(CHROME_NOW - w.rng.unit_index(2) as u32);
    if stack.safe_links {
        check(w, AZURE, 0.5, current.clone(), false);
    }
    if stack.proofpoint {
        let script = w.rng.chance(0.3);
        check(w, PROOFPOINT, 0.7, current.clone(), script);
    }
    if stack.mimecast {
        check(w, MIMECAST, 0.6, String::new(), false);
    }
    if stack.trend {
        check(w, TREND, 0.5, current.clone(), false);
    }
    if stack.cloud_emulation {
        let nets = if w.rng.chance(0.5) { AWS } else { AZURE };
        check(w, nets, 0.6, current, true);
    }
}
