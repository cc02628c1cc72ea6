//! Labelled evaluation campaigns: synthetic, but drawn from how the world
//! behaves — people who read mail minutes to days after delivery (a few
//! within a minute), on office PCs behind a shared proxy, at home, on
//! phones, in Azure virtual desktops, without JavaScript; gateways that
//! fetch every link seconds after delivery from their own or cloud
//! networks with stale, current or empty User-Agents, some running
//! JavaScript; click-time checks next to a person's click; Outlook
//! fetching the link on the person's own PC; crawlers and previews hours
//! later; internet scanners without a recipient. Every access carries its
//! ground truth and the actor that made it.

use std::collections::HashMap;
use std::net::IpAddr;

use super::eval_world::*;

/// Who really made an access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Truth {
    Human,
    Scanner,
}

/// The kind of actor, to see which traps a rule falls into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Actor {
    Person,
    PersonNoScript,
    PersonVirtualDesktop,
    PersonOfficeProxy,
    PersonFast,
    OutlookFetch,
    DeliveryScanner,
    ScriptScanner,
    ClickTimeCheck,
    LateCrawler,
    LinkPreview,
    InternetScanner,
}

impl Actor {
    pub fn truth(self) -> Truth {
        match self {
            Actor::Person
            | Actor::PersonNoScript
            | Actor::PersonVirtualDesktop
            | Actor::PersonOfficeProxy
            | Actor::PersonFast => Truth::Human,
            _ => Truth::Scanner,
        }
    }
}

/// How a native CSV records deliveries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NativeDelivery {
    /// A `sent_at` column on every access row.
    Column,
    /// `sent` rows of their own, as training-kit exports mix them in.
    Rows,
    /// Not at all: only the accesses.
    Unknown,
}

/// How the campaign's log is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The project's CSV, with or without deliveries; screens from the page's script.
    Native { delivery: NativeDelivery },
    /// GoPhish Raw Events: delivery, opens, clicks, submissions; no screens.
    GoPhish,
    /// The landing page's combined access log: no delivery, no screens.
    Combined,
}

/// How the mails went out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Send {
    /// As fast as the server sends: all within a couple of minutes.
    Burst,
    /// In `n` batches `gap_min` minutes apart.
    Waves { n: usize, gap_min: f64 },
    /// Evenly over `minutes` (GoPhish "send emails by").
    Spread { minutes: f64 },
}

/// The mail-security products in front of the mailboxes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stack {
    pub safe_links: bool,
    pub proofpoint: bool,
    pub mimecast: bool,
    pub barracuda: bool,
    pub ironport: bool,
    pub trend: bool,
    pub kaspersky: bool,
    /// A domestic mail-security SaaS in a Japanese data centre that no
    /// list names: only its behaviour can give it away.
    pub domestic: bool,
    /// Check Point / Avanan style emulation from a public cloud, at click time.
    pub cloud_emulation: bool,
    /// An API-based product fetching from AWS minutes after delivery.
    pub api_scanner: bool,
}

/// The owner databases the analyst has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Databases {
    /// A free IP-to-ASN database only (GeoLite2-ASN or `whoclicked mmdb build`).
    Asn,
    /// ASN plus a City database (countries and places, nothing about the line).
    AsnCity,
    /// ASN plus GeoIP2 Enterprise: user and connection types.
    AsnEnterprise,
    /// ASN plus GeoIP2 Anonymous-IP: hosting and anonymiser flags.
    AsnAnonymous,
}

/// Where the company's staff work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workplace {
    /// Office PCs behind the company's proxy, homes, phones; a few on
    /// virtual desktops or behind Zscaler.
    Offices,
    /// Staff work on Windows 365 / Azure Virtual Desktop: their browsing
    /// leaves from Microsoft's network.
    CloudDesktops,
}

#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: &'static str,
    pub format: Format,
    pub seed: u64,
    pub recipients: usize,
    pub japan: bool,
    pub workplace: Workplace,
    pub stack: Stack,
    pub send: Send,
    pub databases: Databases,
}

/// One access of the generated world.
#[derive(Clone, Debug)]
pub struct Row {
    pub nanos: i64,
    pub ip: IpAddr,
    pub ua: String,
    pub recipient: Option<usize>,
    pub event: whoclicked::model::Event,
    pub screen: Option<(u16, u16)>,
    pub method: &'static str,
    pub actor: Actor,
}

#[derive(Clone, Debug)]
pub struct Generated {
    pub scenario: Scenario,
    /// Recipient ids (GoPhish rid style) and e-mail addresses.
    pub recipients: Vec<(String, String)>,
    /// Each recipient's delivery time, in nanoseconds.
    pub sent: Vec<i64>,
    pub reported: Vec<(usize, i64)>,
    pub rows: Vec<Row>,
    /// The database network of every address used.
    pub nets: HashMap<IpAddr, Net>,
}

/// 2026-10-06 09:00 JST.
pub const START: i64 = 1_791_244_800 * 1_000_000_000;
const S: f64 = 1e9;

/// The evaluation set: every trap in at least one campaign, every log
/// format, with and without delivery times.
pub fn scenarios() -> Vec<Scenario> {
    let m365 = Stack {
        safe_links: true,
        ..Stack::default()
    };
    vec![
        Scenario {
            name: "jp-m365-native-sent",
            format: Format::Native {
                delivery: NativeDelivery::Column,
            },
            seed: 1,
            recipients: 900,
            japan: true,
            workplace: Workplace::Offices,
            stack: Stack {
                cloud_emulation: true,
                domestic: true,
                ..m365
            },
            send: Send::Burst,
            databases: Databases::AsnCity,
        },
        Scenario {
            name: "jp-proofpoint-native-nosent",
            format: Format::Native {
                delivery: NativeDelivery::Unknown,
            },
            seed: 2,
            recipients: 800,
            japan: true,
            workplace: Workplace::Offices,
            stack: Stack {
                proofpoint: true,
                trend: true,
                domestic: true,
                ..m365
            },
            send: Send::Waves {
                n: 3,
                gap_min: 20.0,
            },
            databases: Databases::Asn,
        },
        Scenario {
            name: "us-mimecast-gophish",
            format: Format::GoPhish,
            seed: 3,
            recipients: 900,
            japan: false,
            workplace: Workplace::Offices,
            stack: Stack {
                mimecast: true,
                api_scanner: true,
                ..m365
            },
            send: Send::Burst,
            databases: Databases::AsnEnterprise,
        },
        Scenario {
            name: "us-barracuda-combined",
            format: Format::Combined,
            seed: 4,
            recipients: 800,
            japan: false,
            workplace: Workplace::Offices,
            stack: Stack {
                barracuda: true,
                cloud_emulation: true,
                ironport: true,
                ..m365
            },
            send: Send::Burst,
            databases: Databases::Asn,
        },
        Scenario {
            name: "jp-spread-native-nosent",
            format: Format::Native {
                delivery: NativeDelivery::Unknown,
            },
            seed: 5,
            recipients: 700,
            japan: true,
            workplace: Workplace::Offices,
            stack: Stack {
                kaspersky: true,
                ..m365
            },
            send: Send::Spread { minutes: 90.0 },
            databases: Databases::Asn,
        },
        Scenario {
            name: "jp-trend-gophish",
            format: Format::GoPhish,
            seed: 6,
            recipients: 700,
            japan: true,
            workplace: Workplace::Offices,
            stack: Stack {
                trend: true,
                proofpoint: true,
                ..Stack::default()
            },
            send: Send::Waves {
                n: 2,
                gap_min: 45.0,
            },
            databases: Databases::AsnAnonymous,
        },
        Scenario {
            name: "us-kit-native-sentrows",
            format: Format::Native {
                delivery: NativeDelivery::Rows,
            },
            seed: 7,
            recipients: 600,
            japan: false,
            workplace: Workplace::Offices,
            stack: Stack {
                ironport: true,
                cloud_emulation: true,
                ..m365
            },
            send: Send::Spread { minutes: 45.0 },
            databases: Databases::Asn,
        },
        // The simulation vendor is allow-listed (Microsoft's Advanced
        // Delivery policy), so no gateway fetches at delivery: only people,
        // and the crawlers and previews that come later. Nothing may be
        // read into people's own early swell.
        Scenario {
            name: "jp-allowlisted-native-nosent",
            format: Format::Native {
                delivery: NativeDelivery::Unknown,
            },
            seed: 8,
            recipients: 1200,
            japan: true,
            workplace: Workplace::Offices,
            stack: Stack::default(),
            send: Send::Burst,
            databases: Databases::Asn,
        },
        // A company working on Windows 365, its simulations allow-listed:
        // people on Microsoft's network are nearly all there is, and they
        // read the mail in a swell after it arrives.
        Scenario {
            name: "us-w365-allowlisted-native-nosent",
            format: Format::Native {
                delivery: NativeDelivery::Unknown,
            },
            seed: 9,
            recipients: 1000,
            japan: false,
            workplace: Workplace::CloudDesktops,
            stack: Stack::default(),
            send: Send::Burst,
            databases: Databases::Asn,
        },
    ]
}

/// Where a person reads mail from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Office,
    Home,
    Phone,
    VirtualDesktop,
    Zscaler,
}

struct World<'a> {
    rng: Rng,
    s: &'a Scenario,
    out: Generated,
    /// Shared egress addresses: the office proxy, Azure desktops, scanner pools.
    office: Vec<IpAddr>,
    avd: Vec<IpAddr>,
    safe_links_pool: Vec<IpAddr>,
}

impl World<'_> {
    fn addr(&mut self, nets: &[Net]) -> IpAddr {
        let net = *self.rng.pick(nets);
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

    fn has_screens(&self) -> bool {
        matches!(self.s.format, Format::Native { .. })
    }
}

/// Generates one campaign.
pub fn generate(s: &Scenario) -> Generated {
    let mut w = World {
        rng: Rng::new(s.seed),
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
    let office_net = [*w.rng.pick(office_nets)];
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
                let c = w.rng.below(36) as u8;
                (if c < 10 { b'0' + c } else { b'a' + c - 10 }) as char
            })
            .collect();
        w.out
            .recipients
            .push((rid, format!("user{r:04}@example.co.jp")));
        let at = match s.send {
            Send::Burst => START + (w.rng.range(0.0, 150.0) * S) as i64,
            Send::Waves { n, gap_min } => {
                let wave = r * n / s.recipients;
                START + ((wave as f64 * gap_min * 60.0 + w.rng.range(0.0, 90.0)) * S) as i64
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
        rng.range(120.0, 600.0)
    } else {
        rng.lognormal(median, 0.7).clamp(0.5, 110.0)
    }
}

fn stale_chrome(rng: &mut Rng) -> String {
    let v = *rng.pick(&[79, 97, 101, 105, 109, 114, 120, 125, 131, 138]);
    windows_chrome_full(v, rng)
}

fn delivery_scanners(w: &mut World, r: usize) {
    let stack = w.s.stack;
    let screens = w.has_screens();
    if stack.safe_links && w.rng.chance(0.75) {
        let fetches = *w.rng.weighted(&[(1usize, 70.0), (2, 22.0), (3, 8.0)]);
        let t0 = gateway_delay(&mut w.rng, 9.0);
        for k in 0..fetches {
            let t = t0 + k as f64 * w.rng.range(0.3, 4.0);
            let ip = *w.rng.pick(&w.safe_links_pool);
            let roll = w.rng.unit();
            let (ua, method) = if roll < 0.40 {
                (stale_chrome(&mut w.rng), "GET")
            } else if roll < 0.55 {
                (String::new(), "GET")
            } else if roll < 0.65 {
                ("Go-http-client/1.1".to_string(), "HEAD")
            } else {
                // A current browser build: only the network and timing tell.
                let v = CHROME_NOW - w.rng.below(4) as u32;
                (windows_edge(v, &mut w.rng), "GET")
            };
            let mut row = scanner_row(w, r, t, ip, ua, Actor::DeliveryScanner);
            row.method = method;
            if screens && method == "GET" && w.rng.chance(0.55) {
                row.screen = Some(*w.rng.weighted(&[
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
                nanos: row.nanos + (w.rng.range(0.5, 6.0) * S) as i64,
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
                windows_chrome(CHROME_NOW - w.rng.below(3) as u32)
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
                nanos: row.nanos + (w.rng.range(0.5, 6.0) * S) as i64,
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
        let t = w.rng.range(0.5, 20.0);
        let ip = if w.rng.chance(0.3) {
            w.addr(BARRACUDA)
        } else {
            w.addr(AWS)
        };
        let ua = if w.rng.chance(0.3) {
            BARRACUDA_UA.to_string()
        } else {
            windows_chrome(CHROME_NOW - w.rng.below(3) as u32)
        };
        let row = scanner_row(w, r, t, ip, ua, Actor::DeliveryScanner);
        w.out.rows.push(row);
    }
    if stack.api_scanner && w.rng.chance(0.5) {
        let t = w.rng.range(30.0, 300.0);
        let ip = w.addr(AWS);
        let ua = if w.rng.chance(0.4) {
            "python-requests/2.31.0".to_string()
        } else {
            windows_chrome(CHROME_NOW - w.rng.below(2) as u32)
        };
        let row = scanner_row(w, r, t, ip, ua, Actor::DeliveryScanner);
        w.out.rows.push(row);
    }
}

/// When a person reads the mail, in seconds after delivery.
fn reading_delay(rng: &mut Rng) -> (f64, bool) {
    let roll = rng.unit();
    if roll < 0.03 {
        (rng.range(25.0, 120.0), true)
    } else if roll < 0.62 {
        (rng.lognormal(50.0 * 60.0, 1.0).max(150.0), false)
    } else if roll < 0.93 {
        (rng.lognormal(6.0 * 3600.0, 0.6), false)
    } else {
        (rng.range(1.0, 5.0) * 86_400.0, false)
    }
}

fn person(w: &mut World, r: usize) {
    let japan = w.s.japan;
    let place = match w.s.workplace {
        Workplace::Offices => *w.rng.weighted(&[
            (Place::Office, 50.0),
            (Place::Home, 14.0),
            (Place::Phone, 26.0),
            (Place::VirtualDesktop, 5.0),
            (Place::Zscaler, if japan { 5.0 } else { 8.0 }),
        ]),
        Workplace::CloudDesktops => *w.rng.weighted(&[
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
        Place::Office => *w.rng.pick(&w.office),
        Place::VirtualDesktop => *w.rng.pick(&w.avd),
        Place::Home => w.addr(if japan { HOME_JP } else { HOME_US }),
        Place::Phone => w.addr(if japan { MOBILE_JP } else { MOBILE_US }),
        Place::Zscaler => w.addr(ZSCALER),
    };
    let lag = human_lag(&mut w.rng);
    let v = CHROME_NOW - lag;
    let (ua, screen) = if place == Place::Phone {
        let ua = if w.rng.chance(0.55) {
            let ios = *w.rng.pick(&["18_6", "26_0", "17_7", "16_7_10"]);
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
        (ua, *w.rng.weighted(PHONE_SCREENS))
    } else {
        // Azure Virtual Desktop and Windows 365 run Windows.
        let roll = if place == Place::VirtualDesktop {
            w.rng.range(0.0, 0.75)
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
            (ua, *w.rng.weighted(IPAD_SCREENS))
        } else {
            (ua, *w.rng.weighted(DESKTOP_SCREENS))
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
        let at = read_at + (w.rng.range(20.0, 300.0) * S) as i64;
        w.out.reported.push((r, at));
    }
    if !clicks {
        return;
    }
    let click_at = read_at + (w.rng.range(8.0, 90.0) * S) as i64;
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
            nanos: click_at - (w.rng.range(0.1, 0.8) * S) as i64,
            ua: fetch_ua.to_string(),
            method,
            actor: Actor::OutlookFetch,
            ..base.clone()
        });
    }
    let screens = w.has_screens() && script;
    let mut clicks_at = vec![click_at];
    if w.rng.chance(0.15) {
        clicks_at.push(click_at + (w.rng.range(2.0, 600.0) * S) as i64);
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
            nanos: click_at + (w.rng.range(15.0, 120.0) * S) as i64,
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
            -w.rng.range(0.2, 2.0)
        } else {
            w.rng.range(0.3, 4.0)
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
    let current = windows_chrome(CHROME_NOW - w.rng.below(2) as u32);
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

/// Crawlers, re-scans of forwarded mail and link previews, hours later.
fn late_machines(w: &mut World, r: usize) {
    let screens = w.has_screens();
    if w.rng.chance(0.04) {
        let t = w.rng.range(2.0, 72.0) * 3600.0;
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
                linux_chrome(*w.rng.pick(&[114, 120, 126])),
                None,
            )
        } else {
            // A forwarded mail detonated again by Safe Links.
            (
                *w.rng.pick(&w.safe_links_pool),
                stale_chrome(&mut w.rng),
                None,
            )
        };
        let mut row = scanner_row(w, r, t, ip, ua, Actor::LateCrawler);
        row.screen = if screens { screen } else { None };
        w.out.rows.push(row);
    }
    if w.rng.chance(0.01) {
        let t = w.rng.range(1.0, 30.0) * 3600.0;
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
        let ua = w.rng.pick(INTERNET_SCANNERS).to_string();
        let ip = w.addr(HOSTING);
        let method = if w.rng.chance(0.3) { "HEAD" } else { "GET" };
        w.out.rows.push(Row {
            nanos: START + (w.rng.range(0.0, 4.0 * 86_400.0) * S) as i64,
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
