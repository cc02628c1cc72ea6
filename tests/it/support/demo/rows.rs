//! The rows and their truth: what a row of `campaign.csv` says, what really
//! happened there and which part of the story wrote it; the demo's clock; the
//! CSV writer.

use std::net::Ipv4Addr;

use super::{DAY, HEADER};

/// What really happened at a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Truth {
    /// A `sent` row: the mail was delivered.
    Delivery,
    /// A person (their browser or their mail client) made the access.
    Human,
    /// A machine fetched the link on its own.
    Scanner,
}

/// Mobile carrier of a phone access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Carrier {
    Docomo,
    Kddi,
    SoftBank,
    Rakuten,
}

/// Which part of the story produced a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// The `sent` row of a recipient.
    Delivery,
    /// Microsoft Safe Links detonating the link seconds after delivery.
    SafeLinks,
    /// Microsoft checking the link at the moment a person clicks (time-of-click).
    SafeLinksAtClick,
    /// Proofpoint URL Defense (海外事業部's gateway), including later re-scans.
    Proofpoint,
    /// Mimecast URL Protect (法務部's gateway).
    Mimecast,
    /// A headless browser on Google Cloud, hours later, sweeping many recipients.
    CloudCrawler,
    /// An employee's PC behind the head office's single proxy address.
    Office,
    /// An employee's phone on a mobile carrier.
    Phone(Carrier),
    /// An employee's own PC on a home line.
    HomePc,
    /// An employee working in Azure Virtual Desktop (a person on Microsoft's network).
    AzureVirtualDesktop,
    /// An employee whose browser runs no JavaScript (so no screen size).
    NoJavaScript,
}

impl Source {
    pub fn truth(self) -> Truth {
        match self {
            Source::Delivery => Truth::Delivery,
            Source::SafeLinks
            | Source::SafeLinksAtClick
            | Source::Proofpoint
            | Source::Mimecast
            | Source::CloudCrawler => Truth::Scanner,
            Source::Office
            | Source::Phone(_)
            | Source::HomePc
            | Source::AzureVirtualDesktop
            | Source::NoJavaScript => Truth::Human,
        }
    }
}

/// The deliberately broken field of one of the three malformed rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Malformed {
    Ip,
    Time,
    Screen,
}

/// One row of the demo campaign, as written plus its ground truth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoRow {
    /// The intended instant, in seconds since 2026-11-10T00:00:00+09:00
    /// (also for the row whose written time is unreadable).
    pub at: i64,
    /// `time` as written.
    pub time: String,
    pub event: &'static str,
    pub recipient: String,
    pub ip: String,
    pub user_agent: String,
    pub screen: String,
    pub method: &'static str,
    pub department: &'static str,
    pub truth: Truth,
    pub source: Source,
    /// Set on the three rows with a broken field.
    pub malformed: Option<Malformed>,
}

impl DemoRow {
    pub fn fields(&self) -> [&str; 8] {
        [
            &self.time,
            self.event,
            &self.recipient,
            &self.ip,
            &self.user_agent,
            &self.screen,
            self.method,
            self.department,
        ]
    }

    /// The source address, when the row has a readable one.
    pub fn addr(&self) -> Option<Ipv4Addr> {
        self.ip.parse().ok()
    }
}

/// `2026-11-10T09:00:00+09:00` for `at` seconds after 2026-11-10T00:00:00+09:00.
pub fn format_time(at: i64) -> String {
    assert!((0..3 * DAY).contains(&at), "demo time {at} out of range");
    let (day, secs) = (at / DAY, at % DAY);
    format!(
        "2026-11-{:02}T{:02}:{:02}:{:02}+09:00",
        10 + day,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Seconds since 2026-11-10T00:00:00+09:00 for a wall-clock time on day 0 or 1.
pub const fn hms(day: i64, h: i64, m: i64, s: i64) -> i64 {
    day * DAY + h * 3600 + m * 60 + s
}

/// Unix time of 2026-11-10T00:00:00+09:00, the origin of [`DemoRow::at`].
pub const EPOCH_UNIX: i64 = 1_794_236_400;

/// The time of `at` with its minutes garbled to 67, as a broken export might write it.
pub fn unreadable_time(at: i64) -> String {
    let good = format_time(at);
    format!("{}67{}", &good[..14], &good[16..])
}

fn csv_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// The rows as whoclicked's native CSV (UTF-8, `\n` line ends, header first).
pub fn to_csv(rows: &[DemoRow]) -> String {
    let mut out = String::with_capacity(rows.len() * 160);
    out.push_str(HEADER);
    out.push('\n');
    for row in rows {
        for (i, field) in row.fields().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_field(&mut out, field);
        }
        out.push('\n');
    }
    out
}
