//! The held-out campaigns: six companies, their mail security, how their
//! people reach the web, and which machines fetch their links. Every number
//! here is a world parameter, chosen to be plausible from the research notes
//! and written down before any model saw the world.

use super::clock::{Date, date};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Country {
    Japan,
    Us,
}

/// How a person reaches the training page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// A PC at the office, behind the office's egress addresses.
    Office,
    Phone,
    Home,
    /// Azure Virtual Desktop / Windows 365.
    Vdi,
    /// The company's VPN or secure web gateway in a cloud.
    Vpn,
    /// An iPhone or Mac with iCloud Private Relay.
    Relay,
    /// An office PC with a browser held back on purpose.
    OldBrowser,
}

/// A mail gateway in front of the mailboxes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gateway {
    Proofpoint,
    Mimecast,
    Barracuda,
    Cisco,
    TrendMicro,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vpn {
    Zscaler,
    /// Prisma Access, whose egress addresses are Google Cloud's.
    PrismaOnGoogleCloud,
}

/// How the campaign's own tool writes the native CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NativeStyle {
    /// English headers, RFC 3339 times with the offset, UTF-8.
    English,
    /// A Japanese kit's export from Excel: Japanese headers, local times
    /// without an offset (`2025/06/10 9:14:03`), Shift_JIS.
    JapaneseExcel,
}

/// Shares of recipients the other machines fetch for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Machines {
    pub modern_detonation: f64,
    pub headless: f64,
    pub link_checker: f64,
    pub library: f64,
    pub residential_proxy: f64,
    pub chat_preview: f64,
    /// Share of recipients who report the mail (the SOC detonates it then).
    pub report: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    pub id: &'static str,
    pub company: &'static str,
    pub domain: &'static str,
    pub country: Country,
    pub date: Date,
    /// Local time the campaign was launched.
    pub send_at: (u32, u32),
    /// Minutes GoPhish takes to hand all mails over.
    pub send_minutes: u32,
    /// The company's UTC offset on the date (and a year later: the dates keep
    /// clear of daylight-saving changes).
    pub offset_minutes: i32,
    /// The landing server's log offset.
    pub server_offset_minutes: i32,
    pub recipients: usize,
    pub seed: u64,
    /// Share of delivered recipients who click.
    pub click_rate: f64,
    pub channels: &'static [(Channel, f64)],
    /// Share of clickers who click 7–30 s after delivery.
    pub fast_share: f64,
    /// Share of Edge among managed PCs (the rest Chrome).
    pub edge_share: f64,
    pub iphone_share: f64,
    /// Egress addresses of the offices (head office first, then branches).
    pub office_addresses: usize,
    pub safe_links: bool,
    pub gateway: Option<Gateway>,
    pub google_workspace: bool,
    pub vpn: Option<Vpn>,
    pub machines: Machines,
    pub native: NativeStyle,
    /// The landing page sits behind a load balancer: its log is nginx's
    /// `main` format, the client in X-Forwarded-For.
    pub behind_load_balancer: bool,
}

/// The campaigns, in a fixed order.
pub fn all() -> Vec<Spec> {
    vec![
        northwind(),
        tokai(),
        tokai_next_year(),
        meridian(),
        harbor(),
        kansai(),
    ]
}

/// A US freight company on Microsoft 365 with Defender for Office 365,
/// behind Cisco Secure Email.
fn northwind() -> Spec {
    Spec {
        id: "northwind-2025-02",
        company: "Northwind Freight",
        domain: "northwindfreight.com",
        country: Country::Us,
        date: date(2025, 2, 11),
        send_at: (10, 0),
        send_minutes: 25,
        offset_minutes: -300,
        server_offset_minutes: 0,
        recipients: 1100,
        seed: 0x4e57_2025_0211,
        click_rate: 0.17,
        channels: &[
            (Channel::Office, 0.42),
            (Channel::Phone, 0.20),
            (Channel::Home, 0.12),
            (Channel::Vdi, 0.13),
            (Channel::Relay, 0.07),
            (Channel::OldBrowser, 0.06),
        ],
        fast_share: 0.14,
        edge_share: 0.55,
        iphone_share: 0.55,
        office_addresses: 3,
        safe_links: true,
        gateway: Some(Gateway::Cisco),
        google_workspace: false,
        vpn: None,
        machines: Machines {
            modern_detonation: 0.08,
            headless: 0.04,
            link_checker: 0.06,
            library: 0.04,
            residential_proxy: 0.0,
            chat_preview: 0.025,
            report: 0.07,
        },
        native: NativeStyle::English,
        behind_load_balancer: false,
    }
}

/// A Japanese precision-parts maker: Microsoft 365 behind Trend Micro Email Security.
fn tokai() -> Spec {
    Spec {
        id: "tokai-seiki-2025-06",
        company: "東海精機株式会社",
        domain: "tokai-seiki.co.jp",
        country: Country::Japan,
        date: date(2025, 6, 10),
        send_at: (9, 30),
        send_minutes: 40,
        offset_minutes: 540,
        server_offset_minutes: 540,
        recipients: 1300,
        seed: 0x7ca1_2025_0610,
        click_rate: 0.15,
        channels: &[
            (Channel::Office, 0.40),
            (Channel::Phone, 0.30),
            (Channel::Home, 0.14),
            (Channel::Vdi, 0.05),
            (Channel::Relay, 0.07),
            (Channel::OldBrowser, 0.04),
        ],
        fast_share: 0.12,
        edge_share: 0.7,
        iphone_share: 0.66,
        office_addresses: 3,
        safe_links: true,
        gateway: Some(Gateway::TrendMicro),
        google_workspace: false,
        vpn: None,
        machines: Machines {
            modern_detonation: 0.06,
            headless: 0.03,
            link_checker: 0.04,
            library: 0.03,
            residential_proxy: 0.12,
            chat_preview: 0.015,
            report: 0.05,
        },
        native: NativeStyle::JapaneseExcel,
        behind_load_balancer: false,
    }
}

/// The same company a year later (52 weeks: the same weekday), its own people drawn anew.
fn tokai_next_year() -> Spec {
    Spec {
        id: "tokai-seiki-2026-06",
        date: date(2026, 6, 9),
        recipients: 1250,
        seed: 0x7ca1_2026_0609,
        click_rate: 0.13,
        ..tokai()
    }
}

/// A US finance firm: Proofpoint in front, everyone behind Zscaler.
fn meridian() -> Spec {
    Spec {
        id: "meridian-2024-10",
        company: "Meridian Capital Partners",
        domain: "meridiancp.com",
        country: Country::Us,
        date: date(2024, 10, 15),
        send_at: (8, 45),
        send_minutes: 30,
        offset_minutes: -300,
        server_offset_minutes: 0,
        recipients: 1000,
        seed: 0x3e41_2024_1015,
        click_rate: 0.14,
        channels: &[
            (Channel::Vpn, 0.55),
            (Channel::Office, 0.10),
            (Channel::Phone, 0.20),
            (Channel::Home, 0.07),
            (Channel::Relay, 0.05),
            (Channel::OldBrowser, 0.03),
        ],
        fast_share: 0.12,
        edge_share: 0.5,
        iphone_share: 0.6,
        office_addresses: 1,
        safe_links: false,
        gateway: Some(Gateway::Proofpoint),
        google_workspace: false,
        vpn: Some(Vpn::Zscaler),
        machines: Machines {
            modern_detonation: 0.15,
            headless: 0.05,
            link_checker: 0.05,
            library: 0.06,
            residential_proxy: 0.18,
            chat_preview: 0.02,
            report: 0.09,
        },
        native: NativeStyle::English,
        behind_load_balancer: false,
    }
}

/// A US hospital group: Microsoft 365 behind Mimecast, clinicians on virtual
/// desktops and a Prisma Access VPN.
fn harbor() -> Spec {
    Spec {
        id: "harbor-health-2025-04",
        company: "Harbor Health Partners",
        domain: "harborhealth.org",
        country: Country::Us,
        date: date(2025, 4, 8),
        send_at: (13, 0),
        send_minutes: 20,
        offset_minutes: -420,
        server_offset_minutes: 0,
        recipients: 900,
        seed: 0x4a4b_2025_0408,
        click_rate: 0.19,
        channels: &[
            (Channel::Vdi, 0.22),
            (Channel::Vpn, 0.25),
            (Channel::Office, 0.22),
            (Channel::Phone, 0.18),
            (Channel::Home, 0.08),
            (Channel::Relay, 0.05),
        ],
        fast_share: 0.15,
        edge_share: 0.65,
        iphone_share: 0.55,
        office_addresses: 2,
        safe_links: true,
        gateway: Some(Gateway::Mimecast),
        google_workspace: false,
        vpn: Some(Vpn::PrismaOnGoogleCloud),
        machines: Machines {
            modern_detonation: 0.10,
            headless: 0.03,
            link_checker: 0.12,
            library: 0.05,
            residential_proxy: 0.0,
            chat_preview: 0.03,
            report: 0.06,
        },
        native: NativeStyle::English,
        behind_load_balancer: true,
    }
}

/// A Japanese retailer on Google Workspace behind Barracuda, store staff on phones.
fn kansai() -> Spec {
    Spec {
        id: "kansai-retail-2025-03",
        company: "関西リテール株式会社",
        domain: "kansai-retail.co.jp",
        country: Country::Japan,
        date: date(2025, 3, 11),
        send_at: (10, 0),
        send_minutes: 30,
        offset_minutes: 540,
        server_offset_minutes: 540,
        recipients: 1000,
        seed: 0x6b52_2025_0311,
        click_rate: 0.18,
        channels: &[
            (Channel::Phone, 0.42),
            (Channel::Office, 0.25),
            (Channel::Home, 0.18),
            (Channel::Relay, 0.10),
            (Channel::OldBrowser, 0.05),
        ],
        fast_share: 0.16,
        edge_share: 0.4,
        iphone_share: 0.68,
        office_addresses: 2,
        safe_links: false,
        gateway: Some(Gateway::Barracuda),
        google_workspace: true,
        vpn: None,
        machines: Machines {
            modern_detonation: 0.07,
            headless: 0.06,
            link_checker: 0.05,
            library: 0.04,
            residential_proxy: 0.10,
            chat_preview: 0.0,
            report: 0.05,
        },
        native: NativeStyle::JapaneseExcel,
        behind_load_balancer: false,
    }
}
