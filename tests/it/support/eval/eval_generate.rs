//! Generating a campaign: the world's shared addresses, the sends, and
//! the machines — gateways at delivery, crawlers, previews and re-scans
//! later, internet scanners. People are in `eval_people`.

use std::collections::HashMap;
use std::net::IpAddr;

use super::eval_campaigns::*;
use super::eval_people::person;
use super::eval_world::*;

/// Nanoseconds per second.
pub(super) const S: f64 = 1e9;

/// Where a person reads mail from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    Office,
    Home,
    Phone,
    VirtualDesktop,
    Zscaler,
}

pub(super) struct World<'a> {
    pub(super) rng: Rng,
    pub(super) s: &'a Scenario,
    pub(super) out: Generated,
    /// Shared egress addresses: the office proxy, Azure desktops, scanner pools.
    pub(super) office: Vec<IpAddr>,
    pub(super) avd: Vec<IpAddr>,
    pub(super) safe_links_pool: Vec<IpAddr>,
}

impl World<'_> {
    pub(super) fn addr(&mut self, nets: &[Net]) -> IpAddr {
        let net = *self.rng.unit_pick(nets);
        let ip = net.host(&mut self.rng);
        self.out.nets.insert(ip, net);
        ip
    }

    fn pool(&mut self, nets: &[Net], n: usize) -> Vec<IpAddr> {
        (0..n).map(|_| self.addr(nets)).collect()
    }

    /// Virtual desktops' egress: Azure, but never Exchange Online's
    /// mail-flow ranges, which Azure's wider blocks contain and where no
    /// desktop runs.
    fn desktop_pool(&mut self, n: usize) -> Vec<IpAddr> {
        let mut pool = Vec::with_capacity(n);
        while pool.len() < n {
            let ip = self.addr(&AZURE[..2]);
            if !EOP_PUBLISHED.iter().any(|c| cidr_contains(c, ip)) {
                pool.push(ip);
            }
        }
        pool
    }

    pub(super) fn has_screens(&self) -> bool {
        matches!(self.s.format, Format::Native { .. })
    }
}

/// Generates one campaign.
pub fn generate(s: &Scenario) -> Generated {
    let mut w = World {
        // The seed is mixed with the golden ratio first, as the set always was.
        rng: Rng::splitmix64(s.seed ^ 0x9e37_79b9_7f4a_7c15),
        s,
        out: Generated {
            scenario: s.clone(),
            recipients: Vec::new(),
            sent: Vec::new(),
            reported: Vec::new(),
            rows: Vec::new(),
            nets: HashMap::new(),
        },
        office: Vec::new(),
        avd: Vec::new(),
        safe_links_pool: Vec::new(),
    };
    let office_nets = if s.japan { OFFICE_JP } else { OFFICE_US };
    let office_net = [*w.rng.unit_pick(office_nets)];
    w.office = w.pool(&office_net, 2);
    // A few virtual desktops share a NAT address or two; a company on
    // Windows 365 leaves from more of them.
    w.avd = w.desktop_pool(match s.workplace {
        Workplace::Offices => 6,
        Workplace::CloudDesktops => 16,
    });
    let mut pool_nets: Vec<Net> = AZURE.to_vec();
    pool_nets.extend_from_slice(EOP);
    w.safe_links_pool = w.pool(&pool_nets, 40);

    for r in 0..s.recipients {
        let rid: String = (0..7)
            .map(|_| {
                let c = w.rng.unit_index(36) as u8;
                (if c < 10 { b'0' + c } else { b'a' + c - 10 }) as char
            })
            .collect();
        w.out
            .recipients
            .push((rid, format!("user{r:04}@example.co.jp")));
        let at = match s.send {
            Send::Burst => START + (w.rng.float_range(0.0, 150.0) * S) as i64,
            Send::Waves { n, gap_min } => {
                let wave = r * n / s.recipients;
                START + ((wave as f64 * gap_min * 60.0 + w.rng.float_range(0.0, 90.0)) * S) as i64
            }
            Send::Spread { minutes } => {
                START + ((r as f64 / s.recipients as f64) * minutes * 60.0 * S) as i64
            }
        };
        w.out.sent.push(at);
    }
    for r in 0..s.recipients {
        delivery_scanners(&mut w, r);
        person(&mut w, r);
        late_machines(&mut w, r);
    }
    if s.format == Format::Combined {
        internet_scanners(&mut w);
    }
    w.out.rows.sort_by_key(|row| row.nanos);
    w.out
}

fn scanner_row(w: &World, r: usize, t: f64, ip: IpAddr, ua: String, actor: Actor) -> Row {
    Row {
        nanos: w.out.sent[r] + (t * S) as i64,
        ip,
        ua,
        recipient: Some(r),
        event: whoclicked::model::Event::Click,
        screen: None,
        method: "GET",
        actor,
    }
}

/// A fetch delay of a gateway: seconds, now and then queued for minutes.
fn gateway_delay(rng: &mut Rng, median: f64) -> f64 {
    if rng.chance(0.05) {
        rng.float_range(120.0, 600.0)
    } else {
        rng.lognormal(median, 0.7).clamp(0.5, 110.0)
    }
}

fn stale_chrome(rng: &mut Rng) -> String {
    let v = *rng.unit_pick(&[79, 97, 101, 105, 109, 114, 120, 125, 131, 138]);
    windows_chrome_full(v, rng)
}

fn delivery_scanners(w: &mut World, r: usize) {
    let stack = w.s.stack;
    let screens = w.has_screens();
    if stack.safe_links && w.rng.chance(0.75) {
        let fetches = *w.rng.unit_weighted(&[(1usize, 70.0), (2, 22.0), (3, 8.0)]);
        let t0 = gateway_delay(&mut w.rng, 9.0);
        for k in 0..fetches {
            let t = t0 + k as f64 * w.rng.float_range(0.3, 4.0);
            let ip = *w.rng.unit_pick(&w.safe_links_pool);
            let roll = w.rng.unit();
            let (ua, method) = if roll < 0.40 {
                (stale_chrome(&mut w.rng), "GET")
            } else if roll < 0.55 {
                (String::new(), "GET")
            } else if roll < 0.65 {
                ("Go-http-client/1.1".to_string(), "HEAD")
            } else {
                // A current browser build: only the network and timing tell.
                let v = CHROME_NOW - w.rng.unit_index(4) as u32;
                (windows_edge(v, &mut w.rng), "GET")
            };
            let mut row = scanner_row(w, r, t, ip, ua, Actor::DeliveryScanner);
            row.method = method;
            if screens && method == "GET" && w.rng.chance(0.55) {
                row.screen = Some(*w.rng.unit_weighted(&[
                    ((1920, 1080), 50.0),
                    ((1280, 720), 15.0),
                    ((1024, 768), 20.0),
                    ((800, 600), 15.0),
                ]));
                row.actor = Actor::ScriptScanner;
            }
            // Safe Links runs the page's script and submits its forms
            // (FusionAuth's and Outline's reports), seconds after loading.
            let submits = row.actor == Actor::ScriptScanner
                && w.s.format != Format::Combined
                && w.rng.chance(0.3);
            let submit = submits.then(|| Row {
                nanos: row.nanos + (w.rng.float_range(0.5, 6.0) * S) as i64,
                event: whoclicked::model::Event::Submit,
                ..row.clone()
            });
            w.out.rows.push(row);
            w.out.rows.extend(submit);
        }
    }
    let vendors: [(bool, &[Net], f64, f64); 6] = [
        (stack.proofpoint, PROOFPOINT, 0.6, 25.0),
        (stack.mimecast, MIMECAST, 0.95, 12.0),
        (stack.ironport, IRONPORT, 0.5, 6.0),
        (stack.trend, TREND, 0.4, 15.0),
        (stack.kaspersky, KASPERSKY, 0.8, 8.0),
        (stack.domestic, DOMESTIC_DC, 0.7, 12.0),
    ];
    for (on, nets, share, median) in vendors {
        if on && w.rng.chance(share) {
            let t = gateway_delay(&mut w.rng, median);
            let ip = w.addr(nets);
            let roll = w.rng.unit();
            let ua = if roll < 0.5 {
                stale_chrome(&mut w.rng)
            } else if roll < 0.6 {
                String::new()
            } else if roll < 0.7 {
                "python-requests/2.31.0".to_string()
            } else {
                windows_chrome(CHROME_NOW - w.rng.unit_index(3) as u32)
            };
            let mut row = scanner_row(w, r, t, ip, ua, Actor::DeliveryScanner);
            if screens && w.rng.chance(0.3) {
                row.screen = Some((1024, 768));
                row.actor = Actor::ScriptScanner;
            }
            // Safe Links runs the page's script and submits its forms
            // (FusionAuth's and Outline's reports), seconds after loading.
            let submits = row.actor == Actor::ScriptScanner
                && w.s.format != Format::Combined
                && w.rng.chance(0.3);
            let submit = submits.then(|| Row {
                nanos: row.nanos + (w.rng.float_range(0.5, 6.0) * S) as i64,
                event: whoclicked::model::Event::Submit,
                ..row.clone()
            });
            w.out.rows.push(row);
            w.out.rows.extend(submit);
        }
    }
    if stack.barracuda {
        // "All at the same time, often just after the message was sent",
        // mostly from cloud addresses rather than Barracuda's own.
        let t = w.rng.float_range(0.5, 20.0);
        let ip = if w.rng.chance(0.3) {
            w.addr(BARRACUDA)
        } else {
            w.addr(AWS)
        };
        let ua = if w.rng.chance(0.3) {
            BARRACUDA_UA.to_string()
        } else {
            windows_chrome(CHROME_NOW - w.rng.unit_index(3) as u32)
        };
        let row = scanner_row(w, r, t, ip, ua, Actor::DeliveryScanner);
        w.out.rows.push(row);
    }
    if stack.residential_proxy && w.rng.chance(0.6) {
        residential_proxy_scanner(w, r);
    }
    if stack.api_scanner && w.rng.chance(0.5) {
        let t = w.rng.float_range(30.0, 300.0);
        let ip = w.addr(AWS);
        let ua = if w.rng.chance(0.4) {
            "python-requests/2.31.0".to_string()
        } else {
            windows_chrome(CHROME_NOW - w.rng.unit_index(2) as u32)
        };
        let row = scanner_row(w, r, t, ip, ua, Actor::DeliveryScanner);
        w.out.rows.push(row);
    }
}

/// A vendor fetching through a rented home line (a fresh one each time, at
/// home or abroad) with a current browser and often a real screen, so that
/// only what surrounds the fetch can tell it from a person: after its own
/// first fetch from a cloud seconds before, at gateway speed alone, or as a
/// re-scan minutes to hours later.
fn residential_proxy_scanner(w: &mut World, r: usize) {
    let screens = w.has_screens();
    let homes: &[Net] = if w.s.japan { HOME_JP } else { HOME_US };
    let roll = w.rng.unit();
    let t = if roll < 0.4 {
        // The vendor's own first look from a cloud, then the proxy's.
        let t0 = gateway_delay(&mut w.rng, 10.0);
        let ip = w.addr(AWS);
        let ua = windows_chrome(CHROME_NOW - w.rng.unit_index(3) as u32);
        let row = scanner_row(w, r, t0, ip, ua, Actor::DeliveryScanner);
        w.out.rows.push(row);
        t0 + w.rng.float_range(0.5, 8.0)
    } else if roll < 0.75 {
        gateway_delay(&mut w.rng, 15.0)
    } else {
        w.rng.float_range(600.0, 6.0 * 3600.0)
    };
    let ip = if w.rng.chance(0.5) {
        w.addr(homes)
    } else {
        w.addr(HOME_ABROAD)
    };
    let ua = if w.rng.chance(0.5) {
        windows_chrome(CHROME_NOW - w.rng.unit_index(3) as u32)
    } else {
        windows_edge(CHROME_NOW - w.rng.unit_index(3) as u32, &mut w.rng)
    };
    let mut row = scanner_row(w, r, t, ip, ua, Actor::ResidentialProxyScanner);
    if screens && w.rng.chance(0.6) {
        row.screen = Some(*w.rng.unit_pick(&[(1920, 1080), (1366, 768), (1536, 864)]));
    }
    w.out.rows.push(row);
}

/// Crawlers, re-scans of forwarded mail and link previews, hours later.
fn late_machines(w: &mut World, r: usize) {
    let screens = w.has_screens();
    if w.rng.chance(0.04) {
        let t = w.rng.float_range(2.0, 72.0) * 3600.0;
        let roll = w.rng.unit();
        let (ip, ua, screen) = if roll < 0.35 {
            let ip = w.addr(GCP);
            let screen = w.rng.chance(0.6).then_some((800, 600));
            (ip, headless_chrome(CHROME_NOW - 2), screen)
        } else if roll < 0.5 {
            (w.addr(GOOGLEBOT), GOOGLEBOT_UA.to_string(), None)
        } else if roll < 0.75 {
            (
                w.addr(HOSTING),
                linux_chrome(*w.rng.unit_pick(&[114, 120, 126])),
                None,
            )
        } else {
            // A forwarded mail detonated again by Safe Links.
            (
                *w.rng.unit_pick(&w.safe_links_pool),
                stale_chrome(&mut w.rng),
                None,
            )
        };
        let mut row = scanner_row(w, r, t, ip, ua, Actor::LateCrawler);
        row.screen = if screens { screen } else { None };
        w.out.rows.push(row);
    }
    if w.rng.chance(0.01) {
        let t = w.rng.float_range(1.0, 30.0) * 3600.0;
        let (ip, ua) = if w.rng.chance(0.5) {
            (w.addr(AZURE), SKYPE_PREVIEW)
        } else {
            (w.addr(AWS), SLACKBOT)
        };
        let row = scanner_row(w, r, t, ip, ua.to_string(), Actor::LinkPreview);
        w.out.rows.push(row);
    }
}

/// Scanners of the whole internet hitting the landing page without a recipient.
fn internet_scanners(w: &mut World) {
    for _ in 0..60 {
        let ua = w.rng.unit_pick(INTERNET_SCANNERS).to_string();
        let ip = w.addr(HOSTING);
        let method = if w.rng.chance(0.3) { "HEAD" } else { "GET" };
        w.out.rows.push(Row {
            nanos: START + (w.rng.float_range(0.0, 4.0 * 86_400.0) * S) as i64,
            ip,
            ua,
            recipient: None,
            event: whoclicked::model::Event::Click,
            screen: None,
            method,
            actor: Actor::InternetScanner,
        });
    }
}
