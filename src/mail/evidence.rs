//! Origin evidence besides the Received chain: headers that name a client
//! or connecting address (`X-Originating-IP` and its kin,
//! `Authentication-Results`' "sender IP is", `Received-SPF`'s `client-ip`,
//! Exchange Online's `X-Forefront-Antispam-Report` and organisation and
//! cross-tenant headers) and what the Message-ID says of the program that
//! made the mail. Each is read, decoded into words, and kept with its line.

use std::net::{IpAddr, SocketAddr};

use super::message::MailHeaders;

/// One piece of evidence.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Evidence {
    pub header: String,
    pub line: usize,
    /// The value as written.
    pub value: String,
    /// What it means, in words.
    pub meaning: String,
    /// An address it names, if any.
    pub ip: Option<IpAddr>,
}

/// Who made the Message-ID.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Generator {
    /// Exchange (Online): `<…@OS0PR01MB5922.jpnprd01.prod.outlook.com>`.
    Exchange {
        server: String,
        region: Option<String>,
    },
    /// Gmail: `<CA…@mail.gmail.com>`.
    Gmail,
    /// Anything else: the domain after `@`.
    Other { domain: String },
}

impl Generator {
    pub fn describe(&self) -> String {
        match self {
            Generator::Exchange { server, region } => match region {
                Some(region) => {
                    format!("made by Exchange Online mailbox server {server} (region {region})")
                }
                None => format!("made by Exchange server {server}"),
            },
            Generator::Gmail => "made by Gmail".into(),
            Generator::Other { domain } => format!("made at {domain}"),
        }
    }

    /// Whether a host name belongs to the same system as this generator.
    pub fn agrees_with(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        match self {
            Generator::Exchange { .. } => {
                host.ends_with(".outlook.com") || host.ends_with(".office365.com")
            }
            Generator::Gmail => host.ends_with("google.com") || host.ends_with("gmail.com"),
            Generator::Other { domain } => {
                let domain = domain.to_ascii_lowercase();
                let base = registrable(&domain);
                host == domain || host.ends_with(&format!(".{base}")) || host == base
            }
        }
    }
}

/// The last two labels of a name (three under a two-letter second level
/// like `co.jp`): enough to tell mail.example.co.jp and mx.example.co.jp apart
/// from other companies.
pub fn registrable(name: &str) -> &str {
    let labels: Vec<&str> = name.trim_end_matches('.').rsplit('.').collect();
    let keep = if labels.len() >= 3 && labels[1].len() <= 3 && labels[0].len() == 2 {
        3
    } else {
        2
    };
    if labels.len() <= keep {
        return name.trim_end_matches('.');
    }
    let cut: usize = labels[..keep].iter().map(|l| l.len() + 1).sum::<usize>() - 1;
    let name = name.trim_end_matches('.');
    &name[name.len() - cut..]
}

/// The generator of a Message-ID, if it has a domain part.
pub fn generator(message_id: &str) -> Option<Generator> {
    let id = message_id.trim().trim_start_matches('<');
    let id = id.split('>').next().unwrap_or(id);
    let domain = id.rsplit_once('@')?.1.trim().to_ascii_lowercase();
    if domain.is_empty() {
        return None;
    }
    if domain == "mail.gmail.com" {
        return Some(Generator::Gmail);
    }
    if domain.ends_with(".prod.outlook.com") || domain.ends_with(".outlook.com") {
        let server = domain
            .split('.')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let region = domain
            .split('.')
            .nth(1)
            .filter(|r| r.contains("prd"))
            .map(str::to_string);
        return Some(Generator::Exchange { server, region });
    }
    Some(Generator::Other { domain })
}

/// An address out of the forms headers use: `[198.51.100.23]`,
/// `198.51.100.23:50122`, `[2001:db8::1]:443`, `::ffff:a.b.c.d`.
pub fn parse_ip(text: &str) -> Option<IpAddr> {
    let t = text.trim().trim_matches(|c| c == '"' || c == '\'');
    if let Ok(sock) = t.parse::<SocketAddr>() {
        return Some(sock.ip().to_canonical());
    }
    let t = t.trim_start_matches('[');
    let t = t.split(']').next().unwrap_or(t);
    let t = t.split('%').next().unwrap_or(t);
    t.parse::<IpAddr>().ok().map(|ip| ip.to_canonical())
}

/// Headers that carry a client's address as their whole value.
const CLIENT_IP_HEADERS: &[(&str, &str)] = &[
    ("X-Originating-IP", "the web front end's client"),
    ("X-Yahoo-Post-IP", "Yahoo's web client"),
    ("X-Sender-IP", "the sending client"),
    ("X-Client-IP", "the sending client"),
    (
        "X-IronPort-RemoteIP",
        "the address that connected to Cisco's gateway",
    ),
    (
        "X-MS-Exchange-Organization-OriginalClientIPAddress",
        "the client that connected to the first Exchange server",
    ),
    (
        "X-MS-Exchange-Organization-OriginalServerIPAddress",
        "the first Exchange server",
    ),
];

/// Every piece of origin evidence in the headers, in header order.
pub fn collect(message: &MailHeaders) -> Vec<Evidence> {
    let mut found = Vec::new();
    for h in &message.headers {
        let push = |found: &mut Vec<Evidence>, meaning: String, ip: Option<IpAddr>| {
            found.push(Evidence {
                header: h.name.clone(),
                line: h.line,
                value: h.value.clone(),
                meaning,
                ip,
            });
        };
        let name = h.name.to_ascii_lowercase();
        if let Some((_, what)) = CLIENT_IP_HEADERS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(&name))
        {
            let ip = parse_ip(&h.value);
            push(
                &mut found,
                format!("{what} (forgeable below the trust boundary)"),
                ip,
            );
            continue;
        }
        match name.as_str() {
            "x-forwarded-for" => {
                let first = h.value.split(',').next().unwrap_or_default();
                push(
                    &mut found,
                    "first address is the web client".into(),
                    parse_ip(first),
                );
            }
            "authentication-results" | "arc-authentication-results" => {
                push(&mut found, auth_results(&h.value), sender_ip_is(&h.value));
            }
            "received-spf" => {
                let ip = clause(&h.value, "client-ip=").and_then(parse_ip);
                let result = h.value.split_whitespace().next().unwrap_or_default();
                push(
                    &mut found,
                    format!("SPF {result} for the connecting address"),
                    ip,
                );
            }
            "x-forefront-antispam-report" | "x-forefront-antispam-report-untrusted" => {
                let (meaning, ip) = forefront(&h.value);
                push(&mut found, meaning, ip);
            }
            "x-ms-exchange-organization-authas" => {
                push(&mut found, auth_as(&h.value), None);
            }
            "x-ms-exchange-organization-authmechanism" => {
                push(&mut found, auth_mechanism(&h.value), None);
            }
            "x-ms-exchange-organization-authsource" | "x-ms-exchange-crosstenant-authsource" => {
                push(
                    &mut found,
                    "the Exchange server that authenticated the sender".into(),
                    None,
                );
            }
            "x-ms-exchange-crosstenant-authas" => {
                push(
                    &mut found,
                    format!("sending tenant: {}", auth_as(&h.value)),
                    None,
                );
            }
            "x-ms-exchange-crosstenant-fromentityheader" => {
                let meaning = match h.value.trim() {
                    "Hosted" => "sent from a cloud mailbox (Exchange Online)",
                    "HybridOnPrem" => "sent from an on-premises Exchange server of a hybrid tenant",
                    "Internet" => "came into the sending tenant from the Internet",
                    _ => "where the sending tenant got the mail",
                };
                push(&mut found, meaning.into(), None);
            }
            "x-ms-exchange-crosstenant-id" => {
                push(&mut found, "the sending tenant's id".into(), None);
            }
            "x-ms-exchange-crosstenant-originalarrivaltime"
            | "x-ms-exchange-organization-originalarrivaltime" => {
                push(
                    &mut found,
                    "when Exchange Online first took the mail".into(),
                    None,
                );
            }
            "x-ms-exchange-crosstenant-originalattributedtenantconnectingip" => {
                let ip = clause(&h.value, "Ip=").and_then(parse_ip);
                push(
                    &mut found,
                    "the on-premises server that relayed to the tenant".into(),
                    ip,
                );
            }
            "message-id" => {
                let meaning = generator(&h.value)
                    .map_or_else(|| "no domain part".to_string(), |g| g.describe());
                push(&mut found, meaning, None);
            }
            _ => {}
        }
    }
    found
}

/// The text after `key` up to the next `;`, space or `,`.
fn clause<'a>(value: &'a str, key: &str) -> Option<&'a str> {
    let lower = value.to_ascii_lowercase();
    let at = lower.find(&key.to_ascii_lowercase())? + key.len();
    let rest = &value[at..];
    let end = rest
        .find(|c: char| c == ';' || c.is_whitespace() || c == ',')
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// EOP's `spf=pass (sender IP is 203.0.113.25)`.
fn sender_ip_is(value: &str) -> Option<IpAddr> {
    let lower = value.to_ascii_lowercase();
    let at = lower.find("sender ip is ")? + "sender ip is ".len();
    let rest = &value[at..];
    let end = rest.find([')', ';', ' ']).unwrap_or(rest.len());
    parse_ip(&rest[..end])
}

/// `spf=pass … dkim=fail … dmarc=pass` → `SPF pass, DKIM fail, DMARC pass`.
fn auth_results(value: &str) -> String {
    let lower = value.to_ascii_lowercase();
    let mut parts = Vec::new();
    for method in ["spf", "dkim", "dmarc", "compauth", "arc"] {
        let key = format!("{method}=");
        let found = lower
            .match_indices(&key)
            .find(|(i, _)| *i == 0 || !lower.as_bytes()[i - 1].is_ascii_alphanumeric());
        if let Some((i, _)) = found {
            let rest = &lower[i + key.len()..];
            let result: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            parts.push(format!("{} {result}", method.to_ascii_uppercase()));
        }
    }
    if parts.is_empty() {
        "authentication results".into()
    } else {
        parts.join(", ")
    }
}

/// `X-Forefront-Antispam-Report: CIP:…;CTRY:…;…;SFV:…;…;DIR:OUT`.
fn forefront(value: &str) -> (String, Option<IpAddr>) {
    let mut ip = None;
    let mut words = Vec::new();
    for part in value.split(';') {
        let Some((key, val)) = part.split_once(':') else {
            continue;
        };
        let val = val.trim();
        match key.trim().to_ascii_uppercase().as_str() {
            "CIP" => {
                if val == "255.255.255.255" {
                    words.push("no connecting IP: a client submission".to_string());
                } else if let Some(addr) = parse_ip(val) {
                    ip = Some(addr);
                    words.push(format!("connecting IP {addr}"));
                }
            }
            "CTRY" if !val.is_empty() => words.push(format!("country {val}")),
            "H" if !val.is_empty() => words.push(format!("HELO {val}")),
            "PTR" if !val.is_empty() => words.push(format!("reverse DNS {val}")),
            "SFV" => words.push(sfv(val).to_string()),
            "CAT" if !val.is_empty() && val != "NONE" => words.push(format!("category {val}")),
            "DIR" => words.push(match val {
                "OUT" => "outbound".to_string(),
                "INB" => "inbound".to_string(),
                "INT" => "within the tenant".to_string(),
                other => format!("direction {other}"),
            }),
            _ => {}
        }
    }
    (words.join("; "), ip)
}

fn sfv(code: &str) -> &'static str {
    match code {
        "BLK" => "SFV:BLK blocked sender",
        "NSPM" => "SFV:NSPM not spam",
        "SFE" => "SFV:SFE allowed sender",
        "SKA" => "SFV:SKA allow list",
        "SKB" => "SFV:SKB block list",
        "SKI" => "SFV:SKI intra-organisation (filtering skipped)",
        "SKN" => "SFV:SKN marked non-spam before filtering",
        "SKQ" => "SFV:SKQ released from quarantine",
        "SKS" => "SFV:SKS marked spam before filtering",
        "SPM" => "SFV:SPM spam",
        _ => "SFV: unknown verdict",
    }
}

fn auth_as(value: &str) -> String {
    let v = value.trim();
    let meaning = match v.to_ascii_lowercase().as_str() {
        "internal" => "authenticated as a user of the organisation",
        "anonymous" => "not authenticated (mail from the Internet)",
        "external" => "authenticated as an external partner",
        "partner" => "authenticated as a partner (connector)",
        _ => "sender authentication",
    };
    format!("{v}: {meaning}")
}

/// AuthMechanism codes: 04 is a login with credentials (Outlook, OWA, mobile), 06 SMTP AUTH.
fn auth_mechanism(value: &str) -> String {
    let v = value.trim();
    let meaning = match v {
        "04" => "signed in with credentials (Outlook, Outlook on the web, mobile)",
        "06" => "SMTP AUTH (a mail client or script with the password)",
        "05" => "cross-premises (hybrid)",
        "10" => "direct trust (certificate)",
        _ => "authentication mechanism",
    };
    format!("{v}: {meaning}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_address_forms() {
        for (text, want) in [
            ("[198.51.100.23]", "198.51.100.23"),
            ("198.51.100.23:50122", "198.51.100.23"),
            ("[2001:db8::1]:443", "2001:db8::1"),
            ("::ffff:192.0.2.9", "192.0.2.9"),
            ("fe80::1%5", "fe80::1"),
        ] {
            assert_eq!(parse_ip(text), Some(want.parse().unwrap()), "{text}");
        }
        assert_eq!(parse_ip("nope"), None);
    }

    #[test]
    fn message_id_generators() {
        assert_eq!(
            generator("<OS0PR01MB5922C71E@OS0PR01MB5922.jpnprd01.prod.outlook.com>"),
            Some(Generator::Exchange {
                server: "OS0PR01MB5922".into(),
                region: Some("jpnprd01".into())
            })
        );
        assert_eq!(generator("<CAabc@mail.gmail.com>"), Some(Generator::Gmail));
        let other = generator("<1234@mail.example.co.jp>").unwrap();
        assert!(other.agrees_with("relay.example.co.jp"));
        assert!(!other.agrees_with("smtp.gmail.com"));
        assert_eq!(registrable("mx.example.co.jp"), "example.co.jp");
        assert_eq!(registrable("mx.example.com."), "example.com");
    }

    #[test]
    fn forefront_decoded() {
        let (m, ip) = forefront(
            "CIP:255.255.255.255;CTRY:;LANG:ja;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:OS3PR01MB6001.jpnprd01.prod.outlook.com;PTR:;CAT:NONE;SFS:;DIR:OUT;SFP:1101;",
        );
        assert_eq!(ip, None);
        assert!(
            m.contains("client submission") && m.contains("outbound"),
            "{m}"
        );
        let (m, ip) = forefront("CIP:203.0.113.25;CTRY:NL;SFV:SPM;DIR:INB");
        assert_eq!(ip, Some("203.0.113.25".parse().unwrap()));
        assert!(
            m.contains("country NL") && m.contains("SFV:SPM spam"),
            "{m}"
        );
    }

    #[test]
    fn auth_results_summary_and_sender_ip() {
        let v = "spf=pass (sender IP is 203.0.113.25) smtp.mailfrom=example.com; dkim=pass header.d=example.com; dmarc=pass action=none header.from=example.com;compauth=pass reason=100";
        assert_eq!(
            auth_results(v),
            "SPF pass, DKIM pass, DMARC pass, COMPAUTH pass"
        );
        assert_eq!(sender_ip_is(v), Some("203.0.113.25".parse().unwrap()));
    }
}
