//! Reading campaign logs (native CSV, GoPhish Raw Events, Apache/nginx access
//! logs) into a [`Campaign`](crate::model::Campaign).
//!
//! Files stream: nothing holds a whole file, rows that cannot be read become
//! [`ReadIssue`](crate::model::ReadIssue)s, and a GUI thread can watch
//! [`LoadProgress`] and cancel through it.
//!
//! The folders show the parts: `bytes/` turns a file's bytes into lines,
//! records and decoded fields (encodings, UTF-16, the CSV dialect, line
//! numbers); `values/` reads the values every format carries the same way
//! (times, addresses and screens, URL queries, X-Forwarded-For); `formats/`
//! holds one reader per log format, built from those two. A new format is a
//! file in `formats/`, a branch in [`detect`] and one in `source`.

pub(crate) mod bytes;
mod cache;
mod detect;
mod error;
pub(crate) mod file_ctx;
mod files;
mod formats;
mod recipients;
mod source;
pub(crate) mod values;

use std::sync::atomic::{AtomicBool, AtomicU64};

use encoding_rs::Encoding;
use jiff::tz::TimeZone;

use crate::model::LogFormat;

pub use bytes::encoding::parse_encoding;
pub use error::LoadError;
pub use files::load;
pub use source::read_into;
pub use values::date_order::DateOrder;
pub use values::fields::parse_address;
pub use values::forwarded::TrustedProxies;
pub use values::timestamp::{TimeError, TimeParser};

/// How to read the inputs; the defaults detect everything.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// `None` detects the format from each file's content.
    pub format: Option<LogFormat>,
    /// `None` detects UTF-8 (with or without BOM), else Shift_JIS/CP932.
    pub encoding: Option<&'static Encoding>,
    /// The zone of times written without an offset.
    pub zone: TimeZone,
    /// How to read dates written year last (`10/01/2026`): by default they
    /// are refused, the order being ambiguous.
    pub date_order: DateOrder,
    /// The query parameter holding the recipient id in access logs.
    pub rid_param: String,
    /// Whose X-Forwarded-For names the real client (access logs, and native
    /// CSV with a forwarded-for column).
    pub trusted_proxies: TrustedProxies,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            format: None,
            encoding: None,
            zone: TimeZone::system(),
            date_order: DateOrder::YearFirst,
            rid_param: "rid".to_string(),
            trusted_proxies: TrustedProxies::default(),
        }
    }
}

/// Shared with a watching thread: the loader updates the counters every few
/// thousand rows and stops soon after `cancel` is set.
#[derive(Debug, Default)]
pub struct LoadProgress {
    pub bytes_read: AtomicU64,
    /// Sum of the input files' sizes, set before reading (stdin counts 0).
    pub total_bytes: AtomicU64,
    pub rows: AtomicU64,
    /// The owner lookup, once it starts: how many distinct addresses there
    /// are to look up, and how many are done (so a screen can say done of
    /// total and time left rather than a rows/s figure that only falls).
    pub addresses_total: AtomicU64,
    pub addresses_done: AtomicU64,
    pub cancel: AtomicBool,
}

/// The reader's name for a format in messages.
pub fn format_label(format: LogFormat) -> &'static str {
    match format {
        LogFormat::Native => "native CSV",
        LogFormat::GoPhish => "GoPhish Raw Events",
        LogFormat::Combined => "an Apache/nginx access log",
        LogFormat::Mail => "a mail's headers",
        LogFormat::Squid => "a Squid proxy log",
        LogFormat::Gateway => "a web gateway's CSV export",
        LogFormat::DhcpAudit => "a Windows DHCP audit log",
        LogFormat::DhcpLeases => "an ISC dhcpd.leases file",
    }
}
