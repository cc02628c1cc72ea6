//! Home lines abroad: a campaign's people read their mail where the company
//! is, so their home and mobile lines are in a country or two. Residential
//! proxy networks rent out home lines all over the world, and scanning
//! vendors fetch through them to see what a person would past cloaking. A
//! home or mobile line (or one in no list, which is how a foreign consumer
//! ISP looks to an ASN-only database) in a country where almost none of
//! the campaign's people's lines are is therefore not a person's own line:
//! the line's human evidence is set aside, and the line abroad counts
//! toward scanner, so that such a fetch stays unsure at worst rather than
//! coming out human. The home countries are the campaign's own: the
//! countries of its recipients' person lines, each holding at least
//! `home_country_share` of the largest one's recipients.

use std::collections::{HashMap, HashSet};

use crate::enriched::Enriched;
use crate::signals::evidence::{DbClass, Evidence, Fact};
use crate::signals::signatures::{NetworkKind, Signatures, Tunable, Weight};

/// Whether an address's owner evidence says "a person's own line": a
/// listed residential or mobile network, a database's residential or
/// cellular line, or an owner in no list.
fn is_person_line(evidence: &[Evidence], sigs: &Signatures) -> bool {
    evidence.iter().any(|e| match e.fact {
        Fact::Network { entry, .. } => matches!(
            sigs.networks[entry as usize].kind,
            NetworkKind::Residential | NetworkKind::Cellular
        ),
        Fact::Database(class) => matches!(class, DbClass::Residential | DbClass::Cellular),
        Fact::Unlisted => true,
        _ => false,
    })
}

/// A two-letter country code as stored in a fact.
fn code(country: &str) -> Option<[u8; 2]> {
    match country.as_bytes() {
        &[a, b] => Some([a.to_ascii_uppercase(), b.to_ascii_uppercase()]),
        _ => None,
    }
}

/// For each address (by `IpId`): the country of its person line when that
/// country is not one of the campaign's home countries. `owner_of(ip)` is
/// the address's owner evidence. Nothing is abroad when the owners carry
/// no countries, or too few recipients came from person lines to say where
/// home is (`population_min`).
pub fn lines_abroad<'a>(
    enriched: &Enriched,
    owner_of: impl Fn(usize) -> &'a [Evidence],
    sigs: &Signatures,
) -> Vec<Option<[u8; 2]>> {
    let campaign = &enriched.campaign;
    let country: Vec<Option<[u8; 2]>> = (0..campaign.ips.len())
        .map(|i| {
            if !is_person_line(owner_of(i), sigs) {
                return None;
            }
            code(enriched.owners[i].country_code.as_deref()?)
        })
        .collect();
    let mut seen: HashSet<([u8; 2], u32)> = HashSet::new();
    let mut recipients: HashMap<[u8; 2], u32> = HashMap::new();
    for a in &campaign.accesses {
        if a.recipient().is_none() {
            continue;
        }
        if let Some(c) = country[a.ip.index()]
            && seen.insert((c, a.recipient_raw))
        {
            *recipients.entry(c).or_default() += 1;
        }
    }
    let total: u32 = recipients.values().sum();
    let largest = recipients.values().copied().max().unwrap_or(0);
    if (total as f32) < sigs.tuning(Tunable::PopulationMin) {
        return vec![None; campaign.ips.len()];
    }
    let floor = largest as f32 * sigs.tuning(Tunable::HomeCountryShare);
    country
        .into_iter()
        .map(|c| c.filter(|c| (recipients[c] as f32) < floor))
        .collect()
}

/// The owner evidence of an address whose person line is abroad: its human
/// line evidence set aside (weight 0, still shown), and the line abroad.
pub fn abroad_evidence(country: [u8; 2], evidence: &mut Vec<Evidence>, sigs: &Signatures) {
    for e in evidence.iter_mut() {
        let line = matches!(
            e.fact,
            Fact::Network { .. } | Fact::Database(_) | Fact::Unlisted
        );
        if line && e.weight < 0.0 {
            e.weight = 0.0;
        }
    }
    evidence.push(Evidence {
        weight: sigs.weight(Weight::NetworkLineAbroad),
        fact: Fact::LineAbroad { country },
    });
}
