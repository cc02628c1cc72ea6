//! One piece of evidence about an access: what was observed (a [`Fact`],
//! small and allocation-free so a million accesses can be scored quickly)
//! and how much it weighs. This is what every family hands in and what the
//! combination reads. Text is only made when someone asks why (`reasons`).

use ipnetwork::IpNetwork;

use super::signatures::AgentKind;
use crate::model::Sym;

/// The signal family a fact belongs to, for grouping in the detail pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    Method,
    Timing,
    Spread,
    Owner,
    UserAgent,
    Screen,
    Pairing,
    Note,
    Proxy,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Method => "method",
            Family::Timing => "timing",
            Family::Spread => "spread",
            Family::Owner => "owner",
            Family::UserAgent => "user-agent",
            Family::Screen => "screen",
            Family::Pairing => "pairing",
            Family::Note => "note",
            Family::Proxy => "proxy",
        }
    }
}

/// What a database (not the signature list) says about a network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbClass {
    Residential,
    Cellular,
    Business,
    Hosting,
    Spider,
}

/// An observation about one access.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fact {
    Head,
    OtherMethod(Sym),
    Reported,
    Submitted,
    Delay {
        seconds: f32,
        estimated: bool,
    },
    BeforeDelivery {
        seconds: f32,
    },
    /// Within seconds of the recipient's first access, which came in send
    /// wave number `wave` (delivery unknown).
    InWave {
        wave: u32,
    },
    /// A signature-list network; `prefix` when it matched by prefix, else by AS.
    Network {
        entry: u32,
        prefix: Option<IpNetwork>,
    },
    /// A database's user or connection type, when no signature matched.
    Database(DbClass),
    /// A home or mobile line in `country`, where almost none of the
    /// campaign's people's lines are (`families::abroad`).
    LineAbroad {
        country: [u8; 2],
    },
    Anonymous,
    Internal,
    /// An owner that no list names and no database marks as hosting.
    Unlisted,
    Note,
    EmptyAgent,
    Agent {
        entry: u32,
        kind: AgentKind,
    },
    Crawler,
    HttpLibrary,
    UnknownAgent,
    AncientOs,
    AncientBrowser,
    Impossible,
    Stale {
        major: u32,
        reference: u32,
        far: bool,
        from_campaign: bool,
    },
    ScreenMissing {
        coverage: f32,
    },
    ScreenPresent,
    ScreenHeadless,
    ScreenVirtual,
    ScreenMismatch {
        phone_agent: bool,
    },
    IpSpread {
        recipients: u16,
        window: u16,
    },
    /// What the address (or, with `network`, its unlisted AS) did for
    /// other recipients: all late (`early` false) or all early.
    AddressHistory {
        recipients: u32,
        early: bool,
        network: bool,
    },
    /// Delivery unknown: the address's (or its AS's) recipients came spread over `hours`.
    AddressSpreadOut {
        recipients: u32,
        hours: f32,
        network: bool,
    },
    RecipientBurst {
        accesses: u16,
        addresses: u16,
        window: u16,
    },
    PairedWithMachine {
        gap: f32,
    },
    PairedWithHuman {
        gap: f32,
    },
    /// Another access of the recipient from this address `gap` seconds away.
    Session {
        gap: f32,
    },
    /// The company's proxy log ties the access to a PC: proxy record
    /// `record` (index into `campaign.network.proxy`), matched `by`; the
    /// machine is someone else's per the hosts table when `elsewhere`.
    ProxyTied {
        record: u32,
        by: crate::network::MatchedBy,
        elsewhere: bool,
    },
}

impl Fact {
    pub fn family(&self) -> Family {
        match self {
            Fact::Head | Fact::OtherMethod(_) | Fact::Reported | Fact::Submitted => Family::Method,
            Fact::Delay { .. } | Fact::BeforeDelivery { .. } | Fact::InWave { .. } => {
                Family::Timing
            }
            Fact::Network { .. }
            | Fact::Database(_)
            | Fact::LineAbroad { .. }
            | Fact::Anonymous
            | Fact::Internal
            | Fact::Unlisted => Family::Owner,
            Fact::Note => Family::Note,
            Fact::EmptyAgent
            | Fact::Agent { .. }
            | Fact::Crawler
            | Fact::HttpLibrary
            | Fact::UnknownAgent
            | Fact::AncientOs
            | Fact::AncientBrowser
            | Fact::Impossible
            | Fact::Stale { .. } => Family::UserAgent,
            Fact::ScreenMissing { .. }
            | Fact::ScreenPresent
            | Fact::ScreenHeadless
            | Fact::ScreenVirtual
            | Fact::ScreenMismatch { .. } => Family::Screen,
            Fact::IpSpread { .. }
            | Fact::RecipientBurst { .. }
            | Fact::AddressHistory { .. }
            | Fact::AddressSpreadOut { .. } => Family::Spread,
            Fact::PairedWithMachine { .. }
            | Fact::PairedWithHuman { .. }
            | Fact::Session { .. } => Family::Pairing,
            Fact::ProxyTied { .. } => Family::Proxy,
        }
    }
}

/// A fact with its weight (+ scanner, − human).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evidence {
    pub weight: f32,
    pub fact: Fact,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_stay_small() {
        assert!(std::mem::size_of::<Evidence>() <= 40);
    }
}
