//! Who really sent a mail: its headers read from an `.eml`, an Outlook
//! `.msg`, an mbox or pasted text ([`message`], [`msg`]); the Received chain
//! parsed ([`received`]) and walked against what is trusted ([`trust`],
//! [`trace`]) to the origin, with the other origin evidence
//! ([`evidence`]); the answer in words ([`verdict`]). Owners come from the
//! same databases and knowledge base as everything else: the caller looks
//! up [`MessageReport::addresses`] and passes the facts in. No terminal code.

pub mod error;
pub mod evidence;
pub mod message;
pub mod msg;
pub mod output;
pub mod received;
pub mod rows;
pub mod trace;
pub mod trust;
pub mod verdict;

pub use error::{MailError, MailIssue};
pub use message::{Header, MailHeaders};
pub use received::{Hop, ReceivedParser, Submission};
pub use trace::{Flag, HopReport, HopStatus, MessageReport};
pub use trust::{Classified, IpClass, IpFacts, Trust};
pub use verdict::Verdict;

use std::collections::HashMap;
use std::net::IpAddr;

/// Every message in one input's bytes: an Outlook `.msg` (told by its
/// signature, not its name), else text (one mail, an mbox, pasted headers).
pub fn read(file: &str, bytes: &[u8]) -> Result<Vec<MailHeaders>, MailError> {
    if msg::is_msg(bytes) {
        let text = msg::transport_headers(file, bytes)?;
        let mut messages = message::read_text(file, text.as_bytes()).map_err(|e| match e {
            MailError::Empty { .. } => MailError::Msg {
                file: file.into(),
                reason: msg::NO_HEADERS.into(),
            },
            other => other,
        })?;
        for m in &mut messages {
            m.source = format!("{file} (transport headers)");
        }
        return Ok(messages);
    }
    message::read_text(file, bytes)
}

/// Whether a file is a mail rather than a campaign log: a `.eml`, `.msg`
/// or `.mbox` name, a Compound File, or text that opens with the header
/// fields mail starts with (`Received:`, `Return-Path:`, `Delivered-To:`,
/// an mbox `From ` line).
pub fn looks_like_mail(name: &str, head: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    if [".eml", ".msg", ".mbox"].iter().any(|e| lower.ends_with(e)) || msg::is_msg(head) {
        return true;
    }
    let text = String::from_utf8_lossy(&head[..head.len().min(256)]);
    let first = text.trim_start().to_ascii_lowercase();
    [
        "received:",
        "return-path:",
        "delivered-to:",
        "x-received:",
        "arc-seal:",
    ]
    .iter()
    .any(|h| first.starts_with(h))
        || (first.starts_with("from ") && first.lines().nth(1).is_some_and(|l| l.contains(':')))
}

/// A message with its Received lines parsed (newest first).
#[derive(Clone, Debug)]
pub struct Parsed {
    pub headers: MailHeaders,
    pub hops: Vec<Hop>,
}

impl Parsed {
    /// The addresses it names (hops and other evidence), for owner lookups.
    pub fn addresses(&self) -> impl Iterator<Item = IpAddr> + '_ {
        self.hops
            .iter()
            .flat_map(|h| h.ip.into_iter().chain(h.by_ip))
            .chain(
                evidence::collect(&self.headers)
                    .into_iter()
                    .filter_map(|e| e.ip),
            )
    }
}

/// Parses every message's Received chain.
pub fn parse(messages: Vec<MailHeaders>) -> Vec<Parsed> {
    let parser = ReceivedParser::default();
    messages
        .into_iter()
        .map(|headers| {
            let hops = trace::hops(&headers, &parser);
            Parsed { headers, hops }
        })
        .collect()
}

/// The distinct addresses of a batch, in order of first appearance (owner
/// lookups are per distinct address).
pub fn distinct_addresses(parsed: &[Parsed]) -> Vec<IpAddr> {
    let mut seen = std::collections::HashSet::new();
    parsed
        .iter()
        .flat_map(Parsed::addresses)
        .filter(|ip| seen.insert(*ip))
        .collect()
}

/// Analyses parsed messages whose addresses' facts are known.
pub fn analyse_all(
    parsed: Vec<Parsed>,
    facts: &HashMap<IpAddr, IpFacts>,
    trust: &Trust,
) -> Vec<MessageReport> {
    parsed
        .into_iter()
        .map(|p| trace::analyse(&p.headers, p.hops, facts, trust))
        .collect()
}
