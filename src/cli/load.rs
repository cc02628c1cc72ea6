//! Options for reading a campaign, shared by `report` and the review screen,
//! and the messages about rows that could not be read.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use ipnetwork::IpNetwork;
use jiff::tz::TimeZone;
use whoclicked::demo;
use whoclicked::input::{self, DateOrder, LoadOptions, TrustedProxies};
use whoclicked::kb::Key;
use whoclicked::model::{Campaign, LogFormat, parse_zone};
use whoclicked::network::{self, HostMap, NetworkOptions};
use whoclicked::pipeline::{CampaignSource, KnowledgeSource};
use whoclicked::signin::LogKind;
use whoclicked::text::escape_controls;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormatArg {
    /// whoclicked's own CSV (also hand-made and kit exports): columns by name.
    Native,
    /// GoPhish "Raw Events" CSV export.
    Gophish,
    /// Apache/nginx combined or common access log of the landing page.
    Combined,
    /// Entra ID sign-ins, the portal's CSV download.
    Entra,
    /// Entra ID sign-ins as JSON (the portal's download, Graph pages).
    EntraJson,
    /// The Microsoft 365 audit log as CSV (Purview, Export-Csv).
    Ual,
    /// The Microsoft 365 audit log as JSON lines or an array.
    UalJson,
    /// Google Workspace login activity (Reports API JSON).
    Google,
}

impl LogFormatArg {
    /// The campaign log format, for the click formats.
    pub fn campaign_format(self) -> Option<LogFormat> {
        match self {
            LogFormatArg::Native => Some(LogFormat::Native),
            LogFormatArg::Gophish => Some(LogFormat::GoPhish),
            LogFormatArg::Combined => Some(LogFormat::Combined),
            _ => None,
        }
    }

    /// The sign-in log format, for the sign-in and audit formats.
    pub fn signin_kind(self) -> Option<LogKind> {
        match self {
            LogFormatArg::Entra => Some(LogKind::EntraCsv),
            LogFormatArg::EntraJson => Some(LogKind::EntraJson),
            LogFormatArg::Ual => Some(LogKind::UalCsv),
            LogFormatArg::UalJson => Some(LogKind::UalJson),
            LogFormatArg::Google => Some(LogKind::GoogleJson),
            _ => None,
        }
    }
}

/// `--date-order`: the order of a date's numbers when the year comes last.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DateOrderArg {
    /// Year first only (2026-10-01); year-last dates are refused as ambiguous.
    Ymd,
    /// Month first, year last (US): 10/01/2026 is 1 October.
    Mdy,
    /// Day first, year last: 10/01/2026 is 10 January.
    Dmy,
}

impl From<DateOrderArg> for DateOrder {
    fn from(order: DateOrderArg) -> Self {
        match order {
            DateOrderArg::Ymd => DateOrder::YearFirst,
            DateOrderArg::Mdy => DateOrder::MonthDayYear,
            DateOrderArg::Dmy => DateOrder::DayMonthYear,
        }
    }
}

/// How to read the campaign's logs.
#[derive(Debug, Clone, Args)]
pub struct LoadArgs {
    /// Open the bundled demo campaign instead of log files.
    #[arg(long)]
    pub demo: bool,
    /// The log format, when detection guesses wrong.
    #[arg(long = "log-format", value_enum, value_name = "FORMAT")]
    pub log_format: Option<LogFormatArg>,
    /// Time zone for times written without an offset, and for display:
    /// +09:00, Asia/Tokyo, UTC or local [default: local; +09:00 for --demo].
    /// (`--tz -12:00` works too: a value may start with `-`.)
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true)]
    pub tz: Option<String>,
    /// How to read dates written with the year last (10/01/2026, 10/1/2026
    /// 9:05 PM): mdy for month first (US), dmy for day first [default: ymd,
    /// year first only: year-last dates are refused as ambiguous].
    #[arg(long = "date-order", value_enum, value_name = "ORDER")]
    pub date_order: Option<DateOrderArg>,
    /// Text encoding of CSV logs: utf-8, shift_jis (cp932)… [default: detected].
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<String>,
    /// The query parameter that carries the recipient id in access logs.
    #[arg(long = "rid-param", value_name = "NAME", default_value = "rid")]
    pub rid_param: String,
    /// A proxy or CDN network (or one address) in front of the landing page whose
    /// X-Forwarded-For names the real client (repeatable). Private, loopback
    /// and CGNAT addresses are always trusted this way.
    #[arg(long = "trusted-proxy", value_name = "CIDR", value_parser = parse_proxy_network)]
    pub trusted_proxies: Vec<IpNetwork>,
    /// A decoy link no person can see (repeatable; also `decoys = [...]` in
    /// the signature file): where the log records the URL (an access log's
    /// path, a `url`/`path` column), an access whose URL contains PATTERN
    /// (`*` for any text) is decided scanner, and so are that address's
    /// fetches for the same recipient within a minute.
    #[arg(long = "decoy", value_name = "PATTERN")]
    pub decoys: Vec<String>,
    /// Do not use the knowledge base: no stored verdicts, notes or cached owners, nothing written.
    #[arg(long = "no-kb")]
    pub no_kb: bool,
    /// With a proxy log among the files: the landing page's host, when
    /// learning it from the proxy log (the host whose requests line up with
    /// the campaign's accesses) picks the wrong one.
    #[arg(long = "landing-host", value_name = "HOST")]
    pub landing_host: Option<String>,
    /// With a proxy log among the files: how far apart the proxy's and the
    /// landing page's clocks may put one request (90s, 2m, 1500ms) [default: 10s].
    #[arg(long = "clock-skew", value_name = "DURATION", value_parser = parse_skew)]
    pub clock_skew: Option<i64>,
    /// Whose machine is whose: a CSV with the header host,recipient or
    /// user,recipient (repeatable). An access tied to a PC or proxy user
    /// that belongs to someone else is flagged "someone else's machine".
    #[arg(long = "hosts", value_name = "FILE")]
    pub hosts: Vec<PathBuf>,
}

fn parse_skew(text: &str) -> Result<i64, String> {
    network::parse_clock_skew(text)
}

impl LoadArgs {
    pub fn zone(&self) -> anyhow::Result<TimeZone> {
        match &self.tz {
            Some(text) => Ok(parse_zone(text)?),
            None if self.demo => Ok(demo::zone()),
            None => Ok(TimeZone::system()),
        }
    }

    pub fn options(&self) -> anyhow::Result<LoadOptions> {
        let encoding = match &self.encoding {
            Some(label) => Some(input::parse_encoding(label).with_context(|| {
                format!("unknown encoding {label:?}: use utf-8 or shift_jis (cp932)")
            })?),
            None => None,
        };
        Ok(LoadOptions {
            format: self.log_format.and_then(LogFormatArg::campaign_format),
            encoding,
            zone: self.zone()?,
            date_order: self.date_order.map(DateOrder::from).unwrap_or_default(),
            rid_param: self.rid_param.clone(),
            trusted_proxies: TrustedProxies::new(self.trusted_proxies.clone()),
        })
    }

    /// Where the knowledge base is: none with `--no-kb`, else `explicit`
    /// (`--kb`) or the usual place (the demo's own for `--demo`).
    pub fn knowledge_source(&self, explicit: Option<PathBuf>) -> KnowledgeSource {
        if self.no_kb {
            KnowledgeSource::Without
        } else {
            KnowledgeSource::Located {
                explicit,
                demo: self.demo,
            }
        }
    }

    /// How accesses are tied to the proxy and DHCP logs among the files.
    pub fn network(&self) -> anyhow::Result<NetworkOptions> {
        let mut hosts = HostMap::default();
        for path in &self.hosts {
            hosts.extend(HostMap::read(path)?);
        }
        Ok(NetworkOptions {
            landing_host: self.landing_host.clone(),
            clock_skew_ms: self.clock_skew.unwrap_or(network::DEFAULT_CLOCK_SKEW_MS),
            hosts,
        })
    }

    /// The demo or the given logs; never both, never neither.
    pub fn source(&self, logs: &[PathBuf]) -> anyhow::Result<CampaignSource> {
        match (self.demo, logs.is_empty()) {
            (true, true) => Ok(CampaignSource::Demo),
            (true, false) => {
                bail!("--demo opens the bundled campaign; give either --demo or log files")
            }
            (false, true) => bail!("no log file given (use - for standard input, or --demo)"),
            (false, false) => {
                refuse_mail(logs)?;
                Ok(CampaignSource::Logs(logs.to_vec()))
            }
        }
    }
}

/// Sign-in and audit logs to investigate, when that is what was given.
pub enum SigninSource {
    Demo,
    /// The logs, and mails whose Message-IDs to look for among the sends.
    Files {
        logs: Vec<PathBuf>,
        mails: Vec<PathBuf>,
    },
}

impl LoadArgs {
    /// The sign-in demo (`--demo signins`), files forced to a sign-in
    /// format, or files that all look like sign-in or audit logs (mails
    /// among them are for the Message-ID link); else `None`.
    pub fn signin_source(&self, logs: &[PathBuf]) -> anyhow::Result<Option<SigninSource>> {
        if self.demo {
            return Ok(
                (logs.len() == 1 && logs[0].as_os_str() == "signins").then_some(SigninSource::Demo)
            );
        }
        let (mails, others): (Vec<PathBuf>, Vec<PathBuf>) =
            logs.iter().cloned().partition(|p| is_mail(p));
        let forced = self
            .log_format
            .and_then(LogFormatArg::signin_kind)
            .is_some();
        let sniffed = !others.is_empty() && others.iter().all(|p| sniff_signin(p).is_some());
        if forced || sniffed {
            Ok(Some(SigninSource::Files {
                logs: others,
                mails,
            }))
        } else {
            Ok(None)
        }
    }
}

/// The sign-in format a file's first 64 KiB look like.
fn sniff_signin(path: &std::path::Path) -> Option<LogKind> {
    use std::io::Read;
    if path.as_os_str() == "-" {
        return None;
    }
    let mut head = Vec::with_capacity(64 * 1024);
    let file = std::fs::File::open(path).ok()?;
    file.take(64 * 1024).read_to_end(&mut head).ok()?;
    whoclicked::signin::sniff(&head)
}

/// Refuses mail files given where a campaign log is wanted, pointing to
/// `whoclicked headers` (`report` writes campaign results, not hops).
pub fn refuse_mail(logs: &[PathBuf]) -> anyhow::Result<()> {
    if let Some(name) = logs.iter().find(|p| is_mail(p)) {
        let name = name.display();
        bail!(
            "{name} is a mail, not a campaign log: `whoclicked headers {name}` tells who sent it"
        );
    }
    Ok(())
}

/// Whether the review screen is given mails (one row per hop) rather than
/// campaign logs: all files look like mails, or `--headers` says so. Mails
/// and logs together are refused: they are not one campaign.
#[cfg(feature = "tui")]
pub fn mail_given(logs: &[PathBuf], headers: bool) -> anyhow::Result<bool> {
    let mails = logs.iter().filter(|p| is_mail(p)).count();
    if headers || mails == logs.len() {
        return Ok(!logs.is_empty());
    }
    if mails > 0 {
        bail!(
            "mails and campaign logs given together: review the mails on their own \
             (whoclicked FILE.eml...) and the logs on their own"
        );
    }
    Ok(false)
}

/// A `.eml`, `.msg` or `.mbox` name, or a file that opens like a mail.
fn is_mail(path: &std::path::Path) -> bool {
    use std::io::Read;
    if path.as_os_str() == "-" {
        return false;
    }
    let mut head = Vec::with_capacity(512);
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(512).read_to_end(&mut head);
    }
    whoclicked::mail::looks_like_mail(&path.display().to_string(), &head)
}

/// `173.245.48.0/20` or one address, read like the knowledge base's keys: a
/// prefix with host bits set is refused rather than widened or narrowed
/// behind the user's back, and IPv4-mapped networks become IPv4.
fn parse_proxy_network(text: &str) -> Result<IpNetwork, String> {
    let key = if text.contains('/') {
        Key::net(text)
    } else {
        Key::ip(text)
    };
    match key.map_err(|e| e.to_string())? {
        Key::Net(net) => Ok(net),
        Key::Ip(ip) => Ok(IpNetwork::from(ip)),
        other => Err(format!("{other} is not an address or a network")),
    }
}

/// How many unreadable rows are listed before the rest is only counted.
const SHOWN_ISSUES: usize = 20;

/// Tells, on stderr, which rows could not be read and why.
pub fn print_issues(campaign: &Campaign) {
    for issue in campaign.issues.iter().take(SHOWN_ISSUES) {
        let file = escape_controls(campaign.file_name(issue.file));
        let field = issue
            .field
            .as_deref()
            .map(|f| format!(" {}:", escape_controls(f)))
            .unwrap_or_default();
        let place = if issue.line == 0 {
            file.into_owned()
        } else {
            format!("{file}:{}", issue.line)
        };
        eprintln!(
            "whoclicked: {place}:{field} {}",
            escape_controls(&issue.reason)
        );
    }
    if campaign.issues.len() > SHOWN_ISSUES {
        eprintln!(
            "whoclicked: … and {} more (all of them are in `report --format json` under \"issues\")",
            campaign.issues.len() - SHOWN_ISSUES
        );
    }
}
