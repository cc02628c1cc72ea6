//! What the held-out world is made of: recipients, the visits to the
//! training link (each with who really made it and the scenario family it
//! belongs to), and the families themselves.

use std::net::IpAddr;

/// Who made an access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Actor {
    Human,
    Scanner,
}

/// The scenario family of an access: the evaluation scores (and leaves
/// out) families one by one. Each family is one way the world produces an
/// access; [`Family::describe`] says which.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    OfficeProxy,
    PhoneCarrier,
    HomeLine,
    FastReader,
    MicrosoftVdi,
    CloudVpn,
    PrivateRelay,
    ManagedOldBrowser,
    SafeLinksDetonation,
    ClickTimeCheck,
    GatewayPrefetch,
    ModernDetonation,
    HeadlessCrawler,
    LinkCheckerHead,
    LibraryAgent,
    ResidentialProxyScanner,
    ReportDetonation,
    ChatLinkPreview,
    GoogleFetcher,
}

impl Family {
    pub const ALL: [Family; 19] = [
        Family::OfficeProxy,
        Family::PhoneCarrier,
        Family::HomeLine,
        Family::FastReader,
        Family::MicrosoftVdi,
        Family::CloudVpn,
        Family::PrivateRelay,
        Family::ManagedOldBrowser,
        Family::SafeLinksDetonation,
        Family::ClickTimeCheck,
        Family::GatewayPrefetch,
        Family::ModernDetonation,
        Family::HeadlessCrawler,
        Family::LinkCheckerHead,
        Family::LibraryAgent,
        Family::ResidentialProxyScanner,
        Family::ReportDetonation,
        Family::ChatLinkPreview,
        Family::GoogleFetcher,
    ];

    pub fn actor(self) -> Actor {
        match self {
            Family::OfficeProxy
            | Family::PhoneCarrier
            | Family::HomeLine
            | Family::FastReader
            | Family::MicrosoftVdi
            | Family::CloudVpn
            | Family::PrivateRelay
            | Family::ManagedOldBrowser => Actor::Human,
            _ => Actor::Scanner,
        }
    }

    /// A stable name for tables and file names.
    pub fn name(self) -> &'static str {
        match self {
            Family::OfficeProxy => "office_proxy",
            Family::PhoneCarrier => "phone_carrier",
            Family::HomeLine => "home_line",
            Family::FastReader => "fast_reader",
            Family::MicrosoftVdi => "microsoft_vdi",
            Family::CloudVpn => "cloud_vpn",
            Family::PrivateRelay => "private_relay",
            Family::ManagedOldBrowser => "managed_old_browser",
            Family::SafeLinksDetonation => "safe_links_detonation",
            Family::ClickTimeCheck => "click_time_check",
            Family::GatewayPrefetch => "gateway_prefetch",
            Family::ModernDetonation => "modern_detonation",
            Family::HeadlessCrawler => "headless_crawler",
            Family::LinkCheckerHead => "link_checker_head",
            Family::LibraryAgent => "library_agent",
            Family::ResidentialProxyScanner => "residential_proxy_scanner",
            Family::ReportDetonation => "report_detonation",
            Family::ChatLinkPreview => "chat_link_preview",
            Family::GoogleFetcher => "google_fetcher",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Family::OfficeProxy => {
                "employees' PCs behind the office's one or two egress addresses, current managed Edge/Chrome, real screens, working hours"
            }
            Family::PhoneCarrier => {
                "phones on mobile carriers (CGNAT, the address changes between visits): iPhone Safari, Android Chrome, Samsung Internet"
            }
            Family::HomeLine => {
                "personal PCs, Macs and phones on home broadband (IPv4 and IPv6), evenings and weekends"
            }
            Family::FastReader => {
                "people with the mailbox open, clicking 7-30 s after delivery from the office, a phone or home"
            }
            Family::MicrosoftVdi => {
                "Azure Virtual Desktop / Windows 365 users: Azure compute addresses of AS8075 outside the Exchange Online ranges, current Edge, real screens"
            }
            Family::CloudVpn => {
                "company VPN / secure web gateway egress in clouds (Zscaler, Prisma Access on Google Cloud): many people, few addresses, hours apart"
            }
            Family::PrivateRelay => {
                "iPhones and Macs with iCloud Private Relay: Safari from Akamai, Cloudflare and Fastly egress addresses shared by strangers"
            }
            Family::ManagedOldBrowser => {
                "managed fleets held back on purpose: Firefox ESR and policy-pinned Chrome, many majors behind, on the office network"
            }
            Family::SafeLinksDetonation => {
                "Microsoft Defender for Office 365 Safe Links detonating the link seconds after delivery, mostly from Exchange Online mail-flow ranges, some from other Microsoft ranges; stale or empty UAs, HEAD probes, JS with sandbox screens"
            }
            Family::ClickTimeCheck => {
                "the gateway's time-of-click check, 0.4-4 s after a person's click, from the vendor's network"
            }
            Family::GatewayPrefetch => {
                "mail gateways fetching at delivery from their own networks (Proofpoint, Mimecast, Barracuda, Cisco, Trend Micro), some re-scans hours later"
            }
            Family::ModernDetonation => {
                "sandbox browsers with a current Chrome/Edge and a real-looking screen, in general clouds, minutes after delivery, one node for many recipients"
            }
            Family::HeadlessCrawler => {
                "HeadlessChrome with its 800x600 screen from clouds, sweeping recipients hours later"
            }
            Family::LinkCheckerHead => {
                "link checkers sending HEAD (Go-http-client, empty or browser UA), sometimes followed by a GET"
            }
            Family::LibraryAgent => {
                "HTTP libraries (python-requests, Go, curl, okhttp, axios, Java) from clouds, seconds or many hours after delivery"
            }
            Family::ResidentialProxyScanner => {
                "a scanner fetching through residential proxies: a fresh home-line address per recipient, uniform browser UA, soon after delivery"
            }
            Family::ReportDetonation => {
                "links detonated by the SOC's tooling after a person reports the mail, hours after delivery"
            }
            Family::ChatLinkPreview => {
                "Teams and Slack link previews when someone pastes the link into a chat"
            }
            Family::GoogleFetcher => {
                "Google's fetchers for a Google Workspace tenant (Google-Safety from Google's crawl range)"
            }
        }
    }
}

/// The HTTP method of a visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Head,
    /// The landing page's form submitted.
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
        }
    }
}

/// One person the campaign mailed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub email: String,
    /// GoPhish's result id: 7 letters and digits, in the link's `rid`.
    pub rid: String,
    /// When the simulation tool handed the mail over (GoPhish `Email Sent`).
    pub sent_ms: i64,
    /// The send failed (`Error Sending Email`); nobody visits.
    pub bounced: bool,
    /// When the person reported the mail, if they did.
    pub reported_ms: Option<i64>,
}

/// One request for the training link's page (or its form), as the world
/// made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    pub at_ms: i64,
    /// Index into the world's recipients.
    pub recipient: usize,
    pub ip: IpAddr,
    pub user_agent: String,
    pub method: Method,
    /// What the page's JavaScript reports (CSS pixels); `None`: no JavaScript
    /// ran (or the request was no page load).
    pub screen: Option<(u16, u16)>,
    /// Milliseconds from the page load to the JavaScript beacon, when there is one.
    pub beacon_after_ms: i64,
    pub family: Family,
    /// Which product, network or device made it, in a few words.
    pub source: &'static str,
}

/// A generated campaign before it is written in any format.
#[derive(Clone, Debug)]
pub struct World {
    pub recipients: Vec<Recipient>,
    /// In time order (ties keep the order of generation).
    pub visits: Vec<Visit>,
    /// When the campaign was launched (GoPhish `Campaign Created`).
    pub launched_ms: i64,
}
