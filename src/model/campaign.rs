//! A loaded campaign: the accesses plus the tables their ids point into, the
//! recipients with their delivery facts, and every row that could not be read.

use crate::fasthash::FastMap;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use super::access::{Access, IpId, NO_EXTRA, NO_RECIPIENT, RecipientId, UaId};
use super::intern::{Interner, Sym};
use super::rows::{HopRow, RowKind, SignInRow};
use super::time::Timestamp;

/// The log formats whoclicked reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LogFormat {
    /// The project's own CSV (also hand-made and kit exports): columns found by name.
    Native,
    /// GoPhish "Raw Events" CSV export.
    GoPhish,
    /// Apache/nginx combined or common access log of the landing page.
    Combined,
    /// Not a log: hops of mails' Received chains (`mail::rows`).
    Mail,
    /// Sign-in and audit logs' events (`signin::rows`).
    SignIn,
    /// A forward proxy's log: Squid's native `access.log`, or its
    /// common/combined variant (absolute URLs, `TCP_MISS:HIER_DIRECT` at the end).
    Squid,
    /// A secure web gateway's CSV export (Zscaler-style web insights: time,
    /// user, client IP, URL, action).
    Gateway,
    /// The Windows DHCP server's audit log (`DhcpSrvLog-*.log`).
    DhcpAudit,
    /// ISC dhcpd's lease database (`dhcpd.leases`).
    DhcpLeases,
}

impl LogFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Native => "native",
            LogFormat::GoPhish => "gophish",
            LogFormat::Combined => "combined",
            LogFormat::Mail => "mail",
            LogFormat::SignIn => "signin",
            LogFormat::Squid => "squid",
            LogFormat::Gateway => "gateway",
            LogFormat::DhcpAudit => "dhcp-audit",
            LogFormat::DhcpLeases => "dhcpd-leases",
        }
    }

    /// Whether the format is one of the company network's logs (proxy,
    /// DHCP) rather than the campaign's own.
    pub fn is_network(self) -> bool {
        matches!(
            self,
            LogFormat::Squid | LogFormat::Gateway | LogFormat::DhcpAudit | LogFormat::DhcpLeases
        )
    }
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "native" | "csv" => Ok(LogFormat::Native),
            "gophish" => Ok(LogFormat::GoPhish),
            "combined" | "common" | "apache" | "nginx" => Ok(LogFormat::Combined),
            "squid" => Ok(LogFormat::Squid),
            "gateway" | "zscaler" => Ok(LogFormat::Gateway),
            "dhcp-audit" | "dhcpsrvlog" => Ok(LogFormat::DhcpAudit),
            "dhcpd-leases" | "dhcpd.leases" => Ok(LogFormat::DhcpLeases),
            other => Err(format!(
                "unknown log format {other:?} (native, gophish, combined, squid, gateway, \
                 dhcp-audit or dhcpd-leases)"
            )),
        }
    }
}

/// One input file (or stdin) of the campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// As the user named it (`-` for stdin).
    pub name: String,
    pub format: LogFormat,
    /// Encoding the text was decoded from (`UTF-8`, `Shift_JIS`).
    pub encoding: &'static str,
    /// Data rows seen (header excluded), readable or not.
    pub rows: u64,
    /// Accesses taken from this file.
    pub accesses: u64,
    /// Rows skipped because they could not be read.
    pub skipped: u64,
    /// Names of columns whoclicked does not interpret, kept and shown with each access.
    pub extra_columns: Vec<Sym>,
}

/// A row that could not be read: where it is and what was wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadIssue {
    /// Index into `Campaign::files`.
    pub file: u16,
    /// 1-based physical line; 0 when the problem is with the whole file.
    pub line: u64,
    /// The column or field at fault, when one is.
    pub field: Option<String>,
    pub reason: String,
}

/// A person the training mail went to, keyed by e-mail or recipient id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    /// E-mail address, employee number or other identifier as logged.
    pub name: Sym,
    /// GoPhish result id (`rid`) when known.
    pub rid: Sym,
    /// Delivery time, when the log says (GoPhish `Email Sent`, native `sent_at`).
    pub sent_at: Option<Timestamp>,
    /// The mail is known to have been delivered (sent without error).
    pub delivered: bool,
    /// How often the recipient reported the mail.
    pub reports: u32,
    /// How often sending to this recipient failed.
    pub send_errors: u32,
}

/// Everything read from a campaign's log files.
#[derive(Clone, Debug, Default)]
pub struct Campaign {
    pub files: Vec<SourceFile>,
    pub strings: Interner,
    pub accesses: Vec<Access>,
    /// Distinct source addresses; `IpId` indexes it.
    pub ips: Vec<IpAddr>,
    /// Distinct User-Agent strings; `UaId` indexes it.
    pub user_agents: Vec<Sym>,
    pub recipients: Vec<Recipient>,
    /// Values of extra columns, `files[f].extra_columns.len()` per access that has them.
    pub extra_values: Vec<Sym>,
    /// Rows that could not be read, in file order.
    pub issues: Vec<ReadIssue>,
    /// What kind of event the rows are.
    pub kind: RowKind,
    /// For hop rows, each row's hop facts (indexed like `accesses`).
    pub hops: Vec<HopRow>,
    /// For sign-in rows, each row's event facts (indexed like `accesses`).
    pub signins: Vec<SignInRow>,
    /// Proxy requests and DHCP leases read beside the campaign's own logs.
    pub network: super::network::NetworkLog,
    // The fixed-seed hasher: these maps take every row's values while a log
    // is read (SipHash was a tenth of applying a million rows).
    ip_index: FastMap<IpAddr, IpId>,
    ua_index: FastMap<Sym, UaId>,
    /// Recipient names and rids, both leading to the same entry.
    recipient_index: FastMap<Sym, RecipientId>,
}

impl Campaign {
    pub fn new() -> Self {
        Self::default()
    }

    /// Why nothing at all was read, when so: the files hold no data rows, or
    /// none of their rows could be read (`none of the 2 rows of us.csv could
    /// be read`). `None` when some row was read, even if it made no access
    /// (a log of deliveries alone is a campaign nobody clicked in).
    pub fn nothing_read(&self) -> Option<String> {
        if !self.accesses.is_empty() || self.files.iter().any(|f| f.rows > f.skipped) {
            return None;
        }
        let names: Vec<String> = self
            .files
            .iter()
            .map(|f| crate::text::escape_controls(&f.name).into_owned())
            .collect();
        let names = names.join(", ");
        let rows: u64 = self.files.iter().map(|f| f.rows).sum();
        Some(match (rows, self.files.len()) {
            (0, 1) => format!("{names} has no data rows (an empty file, or a header alone)"),
            (0, _) => format!("{names} have no data rows (empty files, or headers alone)"),
            (1, _) => format!("the one row of {names} could not be read"),
            (n, _) => format!(
                "none of the {} rows of {names} could be read",
                crate::text::thousands(n as usize)
            ),
        })
    }

    pub fn ip(&self, id: IpId) -> IpAddr {
        self.ips[id.index()]
    }

    pub fn user_agent(&self, id: UaId) -> &str {
        self.strings.get(self.user_agents[id.index()])
    }

    pub fn recipient(&self, id: RecipientId) -> &Recipient {
        &self.recipients[id.index()]
    }

    pub fn recipient_name(&self, access: &Access) -> &str {
        access
            .recipient()
            .map_or("", |r| self.strings.get(self.recipients[r.index()].name))
    }

    /// The extra-column values of an access, paired with their column names.
    pub fn extras<'a>(&'a self, access: &Access) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let names: &[Sym] = if access.extra == NO_EXTRA {
            &[]
        } else {
            &self.files[usize::from(access.file)].extra_columns
        };
        let start = access.extra as usize;
        names.iter().enumerate().map(move |(i, &name)| {
            (
                self.strings.get(name),
                self.strings.get(self.extra_values[start + i]),
            )
        })
    }

    /// Seconds from the recipient's delivery to the access, where delivery is known.
    pub fn seconds_after_sent(&self, access: &Access) -> Option<f64> {
        let sent = self.recipients[access.recipient()?.index()].sent_at?;
        Some(access.time.seconds_since(sent))
    }

    pub fn intern_ip(&mut self, ip: IpAddr) -> IpId {
        // One spelling per address: `::ffff:1.2.3.4` is the IPv4 address it maps.
        let ip = ip.to_canonical();
        if let Some(&id) = self.ip_index.get(&ip) {
            return id;
        }
        let id = IpId(self.ips.len() as u32);
        self.ips.push(ip);
        self.ip_index.insert(ip, id);
        id
    }

    pub fn find_ip(&self, ip: IpAddr) -> Option<IpId> {
        self.ip_index.get(&ip.to_canonical()).copied()
    }

    pub fn intern_user_agent(&mut self, ua: &str) -> UaId {
        let sym = self.strings.intern(ua.trim());
        if let Some(&id) = self.ua_index.get(&sym) {
            return id;
        }
        let id = UaId(self.user_agents.len() as u32);
        self.user_agents.push(sym);
        self.ua_index.insert(sym, id);
        id
    }

    /// The recipient known by `key` (a name or a rid), created on first sight.
    pub fn intern_recipient(&mut self, key: &str) -> RecipientId {
        let sym = self.strings.intern(key.trim());
        if let Some(&id) = self.recipient_index.get(&sym) {
            return id;
        }
        let id = RecipientId(self.recipients.len() as u32);
        self.recipients.push(Recipient {
            name: sym,
            rid: Sym::EMPTY,
            sent_at: None,
            delivered: false,
            reports: 0,
            send_errors: 0,
        });
        self.recipient_index.insert(sym, id);
        id
    }

    pub fn find_recipient(&self, key: &str) -> Option<RecipientId> {
        let sym = self.strings.find(key.trim())?;
        self.recipient_index.get(&sym).copied()
    }

    /// Records that `rid` is another name of `id`, so a landing-page log that
    /// only knows the rid joins the same person.
    pub fn set_recipient_rid(&mut self, id: RecipientId, rid: &str) {
        let rid = rid.trim();
        if rid.is_empty() {
            return;
        }
        let sym = self.strings.intern(rid);
        self.recipients[id.index()].rid = sym;
        self.recipient_index.entry(sym).or_insert(id);
    }

    /// Gives a recipient known so far only by its rid (from a landing-page
    /// log read first) its real name, so rows naming either find this entry.
    pub fn name_recipient(&mut self, id: RecipientId, name: &str) {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        let sym = self.strings.intern(name);
        self.recipients[id.index()].name = sym;
        self.recipient_index.entry(sym).or_insert(id);
    }

    /// Stores the values of an access's extra columns and returns the index for `Access::extra`.
    pub fn push_extras(&mut self, values: &[&str]) -> u32 {
        if values.is_empty() {
            return NO_EXTRA;
        }
        let start = self.extra_values.len() as u32;
        for v in values {
            let sym = self.strings.intern(v);
            self.extra_values.push(sym);
        }
        start
    }

    pub fn push_issue(&mut self, issue: ReadIssue) {
        if let Some(file) = self.files.get_mut(usize::from(issue.file)) {
            file.skipped += 1;
        }
        self.issues.push(issue);
    }

    /// Recipients the mail is known to have reached.
    pub fn delivered_count(&self) -> usize {
        self.recipients.iter().filter(|r| r.delivered).count()
    }

    /// Rows skipped over all files.
    pub fn skipped(&self) -> u64 {
        self.files.iter().map(|f| f.skipped).sum()
    }

    /// A short name of the file an access came from.
    pub fn file_name(&self, file: u16) -> &str {
        self.files
            .get(usize::from(file))
            .map_or("", |f| f.name.as_str())
    }
}

/// `NO_RECIPIENT` for accesses without a recipient; kept here so readers need
/// not reach into `access`.
pub fn recipient_raw(id: Option<RecipientId>) -> u32 {
    id.map_or(NO_RECIPIENT, |r| r.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_deduplicate() {
        let mut c = Campaign::new();
        let a = c.intern_ip("40.94.0.1".parse().unwrap());
        let b = c.intern_ip("::ffff:40.94.0.1".parse().unwrap());
        assert_eq!(a, b);
        assert_eq!(c.ips.len(), 1);
        let u = c.intern_user_agent("curl/8.0 ");
        assert_eq!(c.intern_user_agent("curl/8.0"), u);
        assert_eq!(c.user_agent(u), "curl/8.0");
        let r = c.intern_recipient("alice@example.com");
        c.set_recipient_rid(r, "Uep6fAo");
        assert_eq!(c.find_recipient("Uep6fAo"), Some(r));
        assert_eq!(c.intern_recipient("Uep6fAo"), r);
    }

    #[test]
    fn extras_pair_with_column_names() {
        let mut c = Campaign::new();
        let dept = c.strings.intern("department");
        c.files.push(SourceFile {
            name: "a.csv".into(),
            format: LogFormat::Native,
            encoding: "UTF-8",
            rows: 1,
            accesses: 1,
            skipped: 0,
            extra_columns: vec![dept],
        });
        let extra = c.push_extras(&["経理部"]);
        let ip = c.intern_ip("10.0.0.1".parse().unwrap());
        let ua = c.intern_user_agent("");
        let access = Access {
            time: Timestamp::from_nanos(0),
            ip,
            user_agent: ua,
            recipient_raw: NO_RECIPIENT,
            method: Sym::EMPTY,
            extra,
            row: 1,
            line: 2,
            screen: None,
            file: 0,
            event: Default::default(),
        };
        assert_eq!(
            c.extras(&access).collect::<Vec<_>>(),
            vec![("department", "経理部")]
        );
        assert_eq!(c.seconds_after_sent(&access), None);
    }
}
