//! What an address says on its own, once per distinct address: the
//! analyst's rule on it (IP, network or AS, in the knowledge base's one
//! order), the analyst's note, and what the owner databases and the
//! signature list say of its network (hosting, cloud, VPN, anonymiser,
//! internal).
//!
//! The knowledge base's verdicts were made for clicks: `human` (a person,
//! one of ours) and `scanner` (a machine). On a sign-in they read as the
//! analyst meant them: a network marked human is where our people work, a
//! network marked scanner is not a person of ours, so a sign-in from it is
//! suspicious. A rule made in a click campaign applies here, and a label
//! made here applies to the next campaign.

use std::net::IpAddr;

use jiff::tz::TimeZone;

use super::Reason;
use crate::kb::{OwnerNote, Resolved};
use crate::model::Verdict;
use crate::owner::Owner;
use crate::signals::{NetworkKind, Signatures};

/// What is known of one address, from the databases and the knowledge base.
#[derive(Clone, Debug, Default)]
pub struct AddressFacts {
    pub owner: Owner,
    pub note: Option<OwnerNote>,
    /// The rule in force for the address (IP, longest network, else AS).
    pub rule: Option<Resolved>,
}

/// The address's reasons and whether it is a hosting or anonymising
/// network (which the burst signal asks).
#[derive(Clone, Debug, Default)]
pub struct AddressJudgement {
    pub reasons: Vec<Reason>,
    /// A hosting, cloud, VPN or anonymising network.
    pub machine_network: bool,
    /// The analyst said it is ours.
    pub ours: bool,
}

/// Words of a note without a hint that say the network is the company's own.
const OURS: &[&str] = &[
    "ours",
    "our ",
    "office",
    "company",
    "corporate",
    "egress",
    "社内",
    "本社",
    "自社",
    "支社",
];
/// Words that say it is not.
const THEIRS: &[&str] = &[
    "attacker",
    "suspicious",
    "malicious",
    "compromised",
    "不審",
    "攻撃",
    "悪性",
];

pub fn judge_address(
    ip: IpAddr,
    facts: &AddressFacts,
    signatures: &Signatures,
    zone: &TimeZone,
) -> AddressJudgement {
    let mut out = AddressJudgement::default();
    let owner = &facts.owner;
    if let Some(rule) = &facts.rule {
        let source = rule.source.describe(zone);
        match rule.verdict {
            Verdict::Human => {
                out.ours = true;
                out.reasons.push(Reason::new(
                    "marked-ours",
                    -3.0,
                    format!("the analyst marked it as people's network of ours ({source})"),
                ));
            }
            Verdict::Scanner => out.reasons.push(Reason::new(
                "marked-suspicious",
                3.0,
                format!("the analyst marked it as not ours ({source})"),
            )),
        }
    }
    if let Some(note) = &facts.note {
        let lower = note.text.to_lowercase();
        let (code, weight) = match note.hint {
            Some(Verdict::Human) => ("note-ours", -2.0),
            Some(Verdict::Scanner) => ("note-suspicious", 2.0),
            None if THEIRS.iter().any(|w| lower.contains(w)) => ("note-suspicious", 2.0),
            None if OURS.iter().any(|w| lower.contains(w)) => ("note-ours", -2.0),
            None => ("note", 0.0),
        };
        out.ours |= weight < 0.0;
        out.reasons
            .push(Reason::new(code, weight, format!("note: {}", note.text)));
    }
    if let Some(why) = owner.internal {
        out.reasons.push(Reason::new(
            "internal",
            -1.0,
            format!("an internal address ({why})"),
        ));
        return out;
    }
    let listed = signatures
        .network_for(ip, owner.asn)
        .map(|(i, _)| &signatures.networks[i]);
    let user_type = owner
        .user_type
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    let hosting = owner.flags.hosting_provider
        || matches!(user_type.as_str(), "hosting" | "content_delivery_network");
    let org = owner.display_name().unwrap_or("");
    match listed {
        Some(entry) if matches!(entry.kind, NetworkKind::Cloud) => {
            out.machine_network = true;
            out.reasons.push(Reason::new(
                "hosting",
                1.5,
                format!(
                    "a cloud or hosting network ({}): servers, VPN exits and virtual desktops, rarely an employee's own line",
                    entry.name
                ),
            ));
        }
        Some(entry)
            if matches!(
                entry.kind,
                NetworkKind::MailSecurity | NetworkKind::SecurityVendor
            ) =>
        {
            out.machine_network = true;
            out.reasons.push(Reason::new(
                "vendor",
                1.0,
                format!("a security vendor's network ({})", entry.name),
            ));
        }
        _ if hosting => {
            out.machine_network = true;
            out.reasons.push(Reason::new(
                "hosting",
                1.5,
                format!("a hosting provider ({org}), per the owner database"),
            ));
        }
        _ => {}
    }
    let f = owner.flags;
    if f.anonymous || f.anonymous_vpn || f.public_proxy || f.residential_proxy || f.tor_exit_node {
        out.machine_network = true;
        let kinds: Vec<&str> = f.names().filter(|n| *n != "hosting").collect();
        out.reasons.push(Reason::new(
            "anonymous",
            2.0,
            format!(
                "an anonymising network ({}), per the owner database",
                kinds.join(", ")
            ),
        ));
    }
    out
}
