//! The truth of every access a written file holds, keyed by the row
//! whoclicked gives the access: the 1-based data row of a CSV (header
//! excluded, delivery and other non-access rows counted, as the readers
//! count them) or the 1-based line of an access log. Each written campaign
//! is one file, so the row alone is the key; it is also the `row` column of
//! `whoclicked report`.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;

use whoclicked::model::{Access, Campaign};

use super::model::{Actor, Family, Method, Visit, World};
use super::{Format, Perturbation};

/// What really happened at one access.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessTruth {
    pub actor: Actor,
    pub family: Family,
    /// The product, network or device, in a few words.
    pub source: &'static str,
    pub email: String,
    pub rid: String,
    pub at_ms: i64,
    pub ip: IpAddr,
    pub method: Method,
    /// The access is the page's JavaScript beacon (access logs only), not
    /// the page request itself.
    pub beacon: bool,
}

impl AccessTruth {
    pub fn of(world: &World, visit: &Visit, beacon: bool) -> AccessTruth {
        let r = &world.recipients[visit.recipient];
        AccessTruth {
            actor: visit.family.actor(),
            family: visit.family,
            source: visit.source,
            email: r.email.clone(),
            rid: r.rid.clone(),
            at_ms: visit.at_ms + if beacon { visit.beacon_after_ms } else { 0 },
            ip: visit.ip,
            method: visit.method,
            beacon,
        }
    }
}

/// A campaign written in one format: the file and the truth of its accesses.
#[derive(Clone, Debug)]
pub struct Written {
    /// The campaign's id.
    pub campaign: &'static str,
    pub path: PathBuf,
    pub format: Format,
    pub perturbation: Perturbation,
    pub rows: BTreeMap<u32, AccessTruth>,
    /// Recipients the file says were delivered (`None`: the file does not say).
    pub delivered: Option<usize>,
    /// Recipients the mail reached, whatever the file says.
    pub delivered_in_truth: usize,
}

impl Written {
    /// The truth of the access whoclicked read at `row`.
    pub fn truth_of_row(&self, row: u32) -> Option<&AccessTruth> {
        self.rows.get(&row)
    }

    /// The truth of an access of a campaign loaded from this file alone.
    pub fn truth_of(&self, campaign: &Campaign, access: &Access) -> Option<&AccessTruth> {
        let file = campaign.files.get(usize::from(access.file))?;
        (file.name == self.path.display().to_string())
            .then(|| self.truth_of_row(access.row))
            .flatten()
    }

    /// The truth of every access, in the order whoclicked holds them.
    /// Panics when an access has no truth: the file and the campaign differ.
    pub fn truth_in_read_order<'w>(&'w self, campaign: &Campaign) -> Vec<&'w AccessTruth> {
        campaign
            .accesses
            .iter()
            .map(|a| {
                self.truth_of(campaign, a).unwrap_or_else(|| {
                    panic!(
                        "{}: no truth for the access at row {} (file {})",
                        self.path.display(),
                        a.row,
                        campaign.file_name(a.file)
                    )
                })
            })
            .collect()
    }

    /// Recipients with at least one human access in this file (by e-mail).
    pub fn human_clickers(&self) -> usize {
        let mut who: Vec<&str> = self
            .rows
            .values()
            .filter(|t| t.actor == Actor::Human)
            .map(|t| t.email.as_str())
            .collect();
        who.sort_unstable();
        who.dedup();
        who.len()
    }

    /// Accesses per family in this file.
    pub fn counts(&self) -> BTreeMap<Family, usize> {
        let mut out = BTreeMap::new();
        for t in self.rows.values() {
            *out.entry(t.family).or_insert(0) += 1;
        }
        out
    }
}
