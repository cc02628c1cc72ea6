//! Each event judged against the account's own history and what the
//! analyst already said: `expected`, `suspicious` or `unsure`, with every
//! reason that counted and its weight, like the click suggestions.
//!
//! The evidence: the address on its own ([`address`]: the analyst's rules
//! and notes, hosting and anonymising networks); the account's history
//! ([`history`]: the networks, ASes and countries it uses on several days
//! are its usual ones; one it never used before is new); and the patterns
//! the investigation tools look for ([`patterns`]: password spray, a
//! success after many failures, inbox rules and forwarding to outside
//! addresses, `Client=OWA;Action=ViaProxy`, one session from several
//! networks, impossible travel, a burst of `Send` after a sign-in from a
//! new or hosting network, mass deletions). An event's weights add up;
//! 2 or more is suspicious, -1 or less expected, the rest unsure.

pub mod address;
pub mod geo;
pub mod history;
pub mod patterns;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use jiff::tz::TimeZone;

pub use address::{AddressFacts, AddressJudgement, judge_address};

use super::event::Event;
use crate::signals::Signatures;

/// From this total on, an event is suspicious.
pub const SUSPICIOUS_FROM: f32 = 2.0;
/// Up to this total, an event is expected.
pub const EXPECTED_UP_TO: f32 = -1.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Suggestion {
    Expected,
    Unsure,
    Suspicious,
}

impl Suggestion {
    pub fn as_str(self) -> &'static str {
        match self {
            Suggestion::Expected => "expected",
            Suggestion::Unsure => "unsure",
            Suggestion::Suspicious => "suspicious",
        }
    }
}

/// One piece of evidence: a stable code (for filters and JSON), its weight
/// (positive: suspicious) and the sentence people read.
#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    pub code: &'static str,
    pub weight: f32,
    /// Shared: the same sentence stands on many events (every event from
    /// the account's usual network says so).
    pub text: Arc<str>,
}

impl Reason {
    pub fn new(code: &'static str, weight: f32, text: String) -> Reason {
        Reason {
            code,
            weight,
            text: Arc::from(text),
        }
    }

    /// A reason whose sentence is already shared.
    pub fn shared(code: &'static str, weight: f32, text: Arc<str>) -> Reason {
        Reason { code, weight, text }
    }
}

/// The judgement of one event.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Judged {
    pub score: f32,
    pub reasons: Vec<Reason>,
}

impl Judged {
    pub fn suggestion(&self) -> Suggestion {
        if self.score >= SUSPICIOUS_FROM {
            Suggestion::Suspicious
        } else if self.score <= EXPECTED_UP_TO {
            Suggestion::Expected
        } else {
            Suggestion::Unsure
        }
    }

    fn push(&mut self, reason: Reason) {
        self.score += reason.weight;
        self.reasons.push(reason);
    }

    /// The reasons as one line, strongest first: `+3 forwards mail to …; -2 …`.
    pub fn reasons_text(&self) -> String {
        let mut sorted: Vec<&Reason> = self.reasons.iter().collect();
        sorted.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
        sorted
            .iter()
            .map(|r| {
                if r.weight == 0.0 {
                    r.text.to_string()
                } else {
                    format!("{:+} {}", r.weight, r.text)
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// What the judgement needs besides the events.
pub struct Context<'a> {
    pub facts: &'a HashMap<IpAddr, AddressFacts>,
    pub signatures: &'a Signatures,
    /// The zone whose calendar days count as days of use.
    pub zone: &'a TimeZone,
    /// Where the accounts worked in earlier investigations (the knowledge
    /// base's account history), when there is one.
    pub prior: Option<&'a crate::kb::AccountHistory>,
}

/// Judges every event (in time order, as [`super::Investigation::finish`]
/// leaves them); one judgement per event, in the same order.
pub fn judge(events: &[Event], ctx: &Context<'_>) -> Vec<Judged> {
    let keys = history::Keys::new(events, ctx);
    let usage = history::usage(events, &keys, ctx.prior);
    judge_with(events, ctx, &keys, &usage)
}

/// [`judge`], and what the events show as each account's usual networks and
/// countries with nothing judged suspicious from them: for the knowledge
/// base to keep ([`crate::kb::KnowledgeBase::remember_accounts`]), so that
/// the next investigation knows them. The per-event keys are worked out once
/// for both, and so is what each account used.
pub fn judge_and_learn(
    events: &[Event],
    ctx: &Context<'_>,
) -> (Vec<Judged>, crate::kb::AccountHistory) {
    let keys = history::Keys::new(events, ctx);
    let usage = history::usage(events, &keys, ctx.prior);
    let judged = judge_with(events, ctx, &keys, &usage);
    let learned = history::learned(events, &keys, &usage, &judged);
    (judged, learned)
}

fn judge_with(
    events: &[Event],
    ctx: &Context<'_>,
    keys: &history::Keys,
    usage: &history::Usage<'_, '_>,
) -> Vec<Judged> {
    let by_address: HashMap<IpAddr, AddressJudgement> = ctx
        .facts
        .iter()
        .map(|(ip, f)| (*ip, judge_address(*ip, f, ctx.signatures, ctx.zone)))
        .collect();
    let mut out = vec![Judged::default(); events.len()];
    for (e, j) in events.iter().zip(out.iter_mut()) {
        if let Some(a) = e.ip.and_then(|ip| by_address.get(&ip)) {
            for r in &a.reasons {
                j.push(r.clone());
            }
        }
    }
    history::judge(events, keys, usage, &by_address, &mut out);
    patterns::judge(events, keys, &by_address, &mut out);
    out
}
