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

use super::eval_world::Net;

pub use super::eval_generate::generate;

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
    /// A vendor's fetch through a rented home line, to see what a person
    /// would (generated family, not in the evaluation set).
    ResidentialProxyScanner,
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
    /// A vendor that also fetches through residential proxies (home lines
    /// at home and abroad, a fresh one each time) to defeat cloaking: a
    /// generated family kept out of the evaluation set (`scenarios()`),
    /// for the test that such scanners never come out human.
    pub residential_proxy: bool,
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
