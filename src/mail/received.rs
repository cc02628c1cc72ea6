//! One `Received:` field into a hop: who handed the mail over (HELO, the
//! receiver's reverse DNS, the address it saw), who took it (`by`), how
//! (`with`), and when. The grammar is RFC 5321's, which real servers bend
//! (Exchange's `(IP)`, Exim's `[IP]:port helo=`, qmail's `invoked from
//! network`); mail-parser's model reads the shapes, and what it leaves out
//! (the raw `with` word, a missing date) is read here.

use std::net::IpAddr;

use jiff::Timestamp;
use mail_parser::{HeaderName, Host, MessageParser};

/// One hop as its `Received:` line records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    /// The field's value, unfolded.
    pub raw: String,
    /// Its line in the file.
    pub line: usize,
    /// The name the sender gave (HELO/EHLO), or the `from` word.
    pub helo: Option<String>,
    /// The receiver's reverse DNS of the connection.
    pub rdns: Option<String>,
    /// The address the receiver saw the connection come from (canonical:
    /// IPv4-mapped IPv6 as IPv4, no zone).
    pub ip: Option<IpAddr>,
    /// The server that wrote the line.
    pub by: Option<String>,
    /// `by` when it is written as an address.
    pub by_ip: Option<IpAddr>,
    /// The protocol as written (`ESMTPSA`, `mapi`, `HTTPS`, `Microsoft SMTP Server`).
    pub with: Option<String>,
    pub id: Option<String>,
    /// Handed over on the same machine (Postfix `from userid`, qmail `invoked by uid`).
    pub local: bool,
    /// The time stamp, when there is one that reads.
    pub time: Option<Timestamp>,
    /// The offset the stamp was written in, in seconds east of UTC.
    pub offset: Option<i32>,
    /// The text after the last `;`, when there is any.
    pub date_text: Option<String>,
}

/// How a hop's sender handed the mail over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Submission {
    /// Outlook to Exchange over MAPI (no client address is recorded).
    Mapi,
    /// A web or mobile client over HTTP(S): webmail, Outlook on the web, Gmail web.
    Web,
    /// SMTP with a login (`ESMTPSA`, `esmtpa`): a mail client or a script with the password.
    AuthenticatedSmtp,
    /// A program on the server itself.
    Local,
    /// Server to server.
    Relay,
}

impl Hop {
    /// How this hop's sender handed the mail over, from `with` and the local marks.
    pub fn submission(&self) -> Submission {
        if self.local {
            return Submission::Local;
        }
        let Some(with) = &self.with else {
            return Submission::Relay;
        };
        let word = with
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match word.as_str() {
            "mapi" => Submission::Mapi,
            "http" | "https" => Submission::Web,
            w if w.ends_with("smtpa")
                || w.ends_with("smtpsa")
                || w.ends_with("lmtpa")
                || w.ends_with("lmtpsa") =>
            {
                Submission::AuthenticatedSmtp
            }
            _ => Submission::Relay,
        }
    }

    /// The names this hop's sender went by: HELO and reverse DNS.
    pub fn from_names(&self) -> impl Iterator<Item = &str> {
        self.rdns.iter().chain(&self.helo).map(String::as_str)
    }
}

/// Reads Received fields with one parser set up once.
pub struct ReceivedParser {
    parser: MessageParser,
}

impl Default for ReceivedParser {
    fn default() -> Self {
        ReceivedParser {
            parser: MessageParser::new().header_received(HeaderName::Received),
        }
    }
}

impl ReceivedParser {
    pub fn parse(&self, value: &str, line: usize) -> Hop {
        let raw = value.trim().to_string();
        let mut hop = Hop {
            raw: raw.clone(),
            line,
            helo: None,
            rdns: None,
            ip: None,
            by: None,
            by_ip: None,
            with: with_word(&raw),
            id: None,
            local: is_local(&raw),
            time: None,
            offset: None,
            date_text: date_text(&raw),
        };
        let field = format!("Received: {raw}\n\n");
        let parsed = self.parser.parse_headers(field.as_bytes());
        let Some(received) = parsed.as_ref().and_then(|m| m.received()) else {
            return hop;
        };
        hop.ip = received.from_ip.map(|ip| ip.to_canonical());
        match &received.from {
            Some(Host::IpAddr(ip)) => {
                // Exim: `from [203.0.113.77] (helo=laptop)`; Gmail's HELO
                // literal `from [192.168.1.112] (rdns [IP])`.
                match hop.ip {
                    None => hop.ip = Some(ip.to_canonical()),
                    Some(seen) if seen != ip.to_canonical() => {
                        hop.helo = Some(format!("[{ip}]"));
                    }
                    Some(_) => {}
                }
            }
            Some(Host::Name(name)) if !hop.local && is_host_word(name) => {
                hop.helo = Some(name.to_string());
            }
            _ => {}
        }
        if let Some(Host::Name(helo)) = &received.helo {
            hop.helo = Some(helo.to_string());
        }
        hop.rdns = received
            .from_iprev
            .as_deref()
            .map(|n| n.trim_end_matches('.').to_string())
            .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case("unknown"));
        match &received.by {
            Some(Host::Name(name)) => hop.by = Some(name.to_string()),
            Some(Host::IpAddr(ip)) => {
                hop.by_ip = Some(ip.to_canonical());
                hop.by = Some(ip.to_string());
            }
            None => {}
        }
        hop.id = received.id.as_deref().map(str::to_string);
        if hop.date_text.is_some()
            && let Some(date) = received.date.as_ref().filter(|d| d.is_valid())
        {
            hop.time = Timestamp::from_second(date.to_timestamp()).ok();
            let sign = if date.tz_before_gmt { -1 } else { 1 };
            hop.offset =
                Some(sign * (i32::from(date.tz_hour) * 3600 + i32::from(date.tz_minute) * 60));
        }
        hop
    }
}

/// A HELO word worth showing: not qmail's `network`, Postfix's `userid`, `unknown`.
fn is_host_word(name: &str) -> bool {
    !matches!(
        name.to_ascii_lowercase().as_str(),
        "network" | "userid" | "unknown" | "?ipv6"
    )
}

/// Postfix `(Postfix, from userid 1001)`, qmail `(qmail 1 invoked by uid 89)`,
/// Sendmail `(from user@localhost)`.
fn is_local(raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    lower.contains("from userid")
        || lower.contains("invoked by uid")
        || lower.contains("invoked by alias")
        || lower.starts_with("(from ")
}

/// The text after the last `;` at parenthesis depth zero: the date.
fn date_text(raw: &str) -> Option<String> {
    let mut depth = 0i32;
    let mut last = None;
    for (i, b) in raw.bytes().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => depth = (depth - 1).max(0),
            b';' if depth == 0 => last = Some(i),
            _ => {}
        }
    }
    let text = raw[last? + 1..].trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The word after `with` at parenthesis depth zero, up to the next clause:
/// `mapi`, `ESMTPSA`, `Microsoft SMTP Server`. Postfix's `(using TLS…
/// with cipher …)` is inside a comment and skipped.
fn with_word(raw: &str) -> Option<String> {
    let end = raw.rfind(';').unwrap_or(raw.len());
    let head = &raw[..end];
    let mut depth = 0i32;
    let bytes = head.as_bytes();
    let mut start = None;
    for i in 0..bytes.len() {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => depth = (depth - 1).max(0),
            _ if depth == 0
                && (i == 0 || bytes[i - 1].is_ascii_whitespace())
                && head[i..].len() > 5
                && head.is_char_boundary(i + 5)
                && head[i..i + 4].eq_ignore_ascii_case("with")
                && bytes[i + 4].is_ascii_whitespace() =>
            {
                start = Some(i + 5);
                break;
            }
            _ => {}
        }
    }
    let rest = head[start?..].trim_start();
    let mut words = Vec::new();
    for word in rest.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        if word.starts_with('(') || matches!(lower.as_str(), "id" | "for" | "via" | "tls" | "by") {
            break;
        }
        words.push(word);
        // Only Exchange's `Microsoft SMTP Server` runs to several words.
        if !word.eq_ignore_ascii_case("microsoft") && !word.eq_ignore_ascii_case("smtp") {
            break;
        }
    }
    (!words.is_empty()).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(raw: &str) -> Hop {
        ReceivedParser::default().parse(raw, 1)
    }

    #[test]
    fn exchange_mapi_submission() {
        let h = hop(
            "from TYWPR01MB8003.jpnprd01.prod.outlook.com ([fe80::1c2d:3e4f:5a6b:7c8d]) by TYWPR01MB8003.jpnprd01.prod.outlook.com ([fe80::1c2d:3e4f:5a6b:7c8d%5]) with mapi id 15.20.8489.025; Tue, 4 Mar 2025 01:02:03 +0000",
        );
        assert_eq!(h.with.as_deref(), Some("mapi"));
        assert_eq!(h.submission(), Submission::Mapi);
        assert_eq!(h.ip, Some("fe80::1c2d:3e4f:5a6b:7c8d".parse().unwrap()));
        assert_eq!(h.time, Some("2025-03-04T01:02:03Z".parse().unwrap()));
        assert_eq!(h.offset, Some(0));
    }

    #[test]
    fn exchange_server_to_server_with_words() {
        let h = hop(
            "from CO1NAM03FT028.eop-NAM03.prod.protection.outlook.com (10.152.80.60) by CO1NAM03HT217.eop-NAM03.prod.protection.outlook.com (10.152.93.134) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE) id 15.20.696.11; Tue, 4 Mar 2025 01:02:05 +0000",
        );
        assert_eq!(h.with.as_deref(), Some("Microsoft SMTP Server"));
        assert_eq!(h.submission(), Submission::Relay);
        assert_eq!(h.ip, Some("10.152.80.60".parse().unwrap()));
    }

    #[test]
    fn postfix_cipher_comment_is_not_with() {
        let h = hop(
            "from mail.example.org (mail.example.org [203.0.113.25]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) by mx.example.net (Postfix) with ESMTPS id 4F3D21234 for <bob@example.net>; Wed, 5 Mar 2025 10:00:00 +0900 (JST)",
        );
        assert_eq!(h.with.as_deref(), Some("ESMTPS"));
        assert_eq!(h.rdns.as_deref(), Some("mail.example.org"));
        assert_eq!(h.offset, Some(9 * 3600));
    }

    #[test]
    fn exim_and_gmail_literals() {
        let h = hop(
            "from [203.0.113.77] (helo=laptop) by smtp.example.com with esmtpsa (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.97) id 1tpXyZ-000ABC-0D; Wed, 05 Mar 2025 01:00:00 +0000",
        );
        assert_eq!(h.ip, Some("203.0.113.77".parse().unwrap()));
        assert_eq!(h.helo.as_deref(), Some("laptop"));
        assert_eq!(h.submission(), Submission::AuthenticatedSmtp);
        let g = hop(
            "by 2002:a05:6214:2f8a:b0:4bb:6e86:8303 with HTTP; Tue, 8 Nov 2022 04:25:52 -0800 (PST)",
        );
        assert_eq!(g.submission(), Submission::Web);
        assert!(g.by_ip.is_some());
        assert_eq!(g.offset, Some(-8 * 3600));
    }

    #[test]
    fn local_and_dateless_lines() {
        let p = hop(
            "by mx.example.net (Postfix, from userid 1001) id 1234ABCD; Thu, 21 Aug 2014 12:12:48 +0200 (CEST)",
        );
        assert_eq!(p.submission(), Submission::Local);
        assert_eq!(p.helo, None);
        let q = hop("from a.b (a.b [::ffff:198.51.100.3]) by x.y with SMTP");
        assert_eq!(q.ip, Some("198.51.100.3".parse().unwrap()));
        assert_eq!((q.time, q.date_text), (None, None));
        let bad = hop("from a by b with SMTP; yesterday at noon");
        assert_eq!(bad.time, None);
        assert_eq!(bad.date_text.as_deref(), Some("yesterday at noon"));
    }
}
