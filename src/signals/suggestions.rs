//! The suggestion pass over a whole campaign, and the table it leaves:
//! one label and score per access, plus what is needed to say why.

use std::sync::Arc;

use jiff::tz::TimeZone;

use super::combine::{self, Suggestion};
use super::evidence::{DbClass, Evidence, Fact, Reason};
use super::families::history::address_history;
use super::families::method::{is_page_fetch, method_evidence};
use super::families::owner::owner_evidence;
use super::families::pairing::{GroupFact, group_facts};
use super::families::screen::screen_evidence;
use super::families::session::sessions;
use super::families::spread::ip_spread;
use super::families::timing::timing_evidence;
use super::families::user_agent::{BrowserReference, agent_evidence, browser_references};
use super::families::waves::{Deliveries, Delivery, FirstAccess, Wave, deliveries};
use super::reasons::describe;
use super::signatures::{AgentKind, NetworkKind, Signatures, Tunable, Weight};
use crate::enriched::Enriched;
use crate::model::{Access, Event, IpId, Leaning};
use crate::ua::UaCategory;

/// Evidence lists for many ids, stored back to back.
#[derive(Clone, Debug, Default)]
struct Arena {
    items: Vec<Evidence>,
    ends: Vec<u32>,
}

impl Arena {
    fn push_from(&mut self, scratch: &mut Vec<Evidence>) {
        self.items.append(scratch);
        self.ends.push(self.items.len() as u32);
    }

    fn get(&self, id: usize) -> &[Evidence] {
        let start = if id == 0 {
            0
        } else {
            self.ends[id - 1] as usize
        };
        let end = self.ends.get(id).map_or(start, |&e| e as usize);
        &self.items[start..end]
    }
}

/// Suggested labels by access, and the facts to explain them.
#[derive(Clone, Debug)]
pub struct Suggestions {
    signatures: Arc<Signatures>,
    labels: Vec<Leaning>,
    scores: Vec<f32>,
    spread: Vec<u16>,
    /// The gap to the other access of a person's session, by access.
    sessions: Vec<Option<f32>>,
    groups: Vec<GroupFact>,
    deliveries: Deliveries,
    coverage: f32,
    references: Vec<Option<BrowserReference>>,
    by_ip: Arena,
    by_agent: Arena,
    /// Address history evidence, by `IpId`.
    history: Vec<Option<Evidence>>,
    /// False for [`Suggestions::stated`]: labels with no evidence behind them.
    weighed: bool,
}

/// How many accesses got each label.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub scanner: usize,
    pub human: usize,
    pub unsure: usize,
}

impl Suggestions {
    /// Runs every signal over `enriched`: per-address and per-User-Agent
    /// facts once per distinct value, then each access, then the
    /// recipient-level pairing that reads the first pass's scores.
    pub fn compute(enriched: &Enriched, signatures: Arc<Signatures>) -> Suggestions {
        let sigs = &*signatures;
        let campaign = &enriched.campaign;
        let mut scratch = Vec::new();

        let mut by_ip = Arena::default();
        for (i, &ip) in campaign.ips.iter().enumerate() {
            let note = enriched.owner_note(IpId(i as u32));
            owner_evidence(ip, &enriched.owners[i], note, sigs, &mut scratch);
            by_ip.push_from(&mut scratch);
        }

        let has_agent: Vec<bool> = campaign
            .user_agents
            .iter()
            .map(|&sym| sigs.agent_for(campaign.strings.get(sym)).is_some())
            .collect();
        let references = browser_references(enriched, sigs, &has_agent, campaign_date(enriched));
        let mut by_agent = Arena::default();
        for (u, &sym) in campaign.user_agents.iter().enumerate() {
            let raw = campaign.strings.get(sym);
            agent_evidence(
                raw,
                &enriched.user_agents[u],
                sigs,
                &references,
                &mut scratch,
            );
            by_agent.push_from(&mut scratch);
        }

        let coverage = screen_coverage(enriched);
        let n = campaign.accesses.len();
        let mut table = Suggestions {
            signatures: signatures.clone(),
            labels: Vec::new(),
            scores: Vec::new(),
            spread: Vec::new(),
            sessions: Vec::new(),
            groups: vec![GroupFact::None; n],
            deliveries: Deliveries::default(),
            coverage,
            references,
            by_ip,
            by_agent,
            history: Vec::new(),
            weighed: true,
        };

        // Waves are found among first accesses that are machines by
        // everything but when they came: scored scanner without their
        // timing. A cloud address alone is not enough, or a company
        // working on virtual desktops would make a wave of its own people.
        let firsts: Vec<Option<FirstAccess>> = first_accesses(campaign)
            .into_iter()
            .map(|i| {
                let i = i?;
                scratch.clear();
                table.collect_static(enriched, i, &mut scratch);
                Some(FirstAccess {
                    at: campaign.accesses[i].time,
                    machine: combine::score(&scratch) >= sigs.tuning(Tunable::ThresholdScanner),
                })
            })
            .collect();
        table.deliveries = deliveries(campaign, &firsts, sigs);
        // Networks the list does not name are judged as a whole too.
        let unlisted: Vec<Option<u32>> = (0..campaign.ips.len())
            .map(|i| {
                let listed = table
                    .by_ip
                    .get(i)
                    .iter()
                    .any(|e| matches!(e.fact, Fact::Network { .. } | Fact::Internal));
                if listed { None } else { enriched.owners[i].asn }
            })
            .collect();
        table.history = address_history(campaign, |a| table.history_delay(a), &unlisted, sigs);

        let mut by_ip_time: Vec<u32> = (0..n as u32).collect();
        by_ip_time.sort_unstable_by_key(|&i| {
            let a = &campaign.accesses[i as usize];
            (a.ip, a.time, i)
        });
        table.spread = ip_spread(campaign, &by_ip_time, sigs);
        drop(by_ip_time);
        let browser: Vec<bool> = enriched
            .user_agents
            .iter()
            .zip(&has_agent)
            .map(|(ua, &agent)| {
                !agent
                    && matches!(
                        ua.category,
                        UaCategory::Pc | UaCategory::Smartphone | UaCategory::Mobilephone
                    )
            })
            .collect();
        table.sessions = sessions(campaign, &browser, sigs);

        let first: Vec<f32> = (0..n)
            .map(|i| {
                scratch.clear();
                table.collect(enriched, i, &mut scratch);
                combine::score(&scratch)
            })
            .collect();

        let mut by_recipient_time: Vec<u32> = (0..n as u32).collect();
        by_recipient_time.sort_unstable_by_key(|&i| {
            let a = &campaign.accesses[i as usize];
            (a.recipient_raw, a.time, i)
        });
        table.groups = group_facts(campaign, &by_recipient_time, &first, sigs);
        table.scores = first
            .iter()
            .zip(&table.groups)
            .map(|(&s, g)| s + table.group_evidence(*g).map_or(0.0, |e| e.weight))
            .collect();
        table.labels = table
            .scores
            .iter()
            .map(|&s| Suggestion::from_score(s, sigs).label)
            .collect();
        table
    }

    /// Labels given rather than weighed, one per access (fixtures that fix
    /// what the signals would say; an empty list suggests nothing). They
    /// have a score of zero and nothing to explain.
    pub fn stated(labels: Vec<Leaning>) -> Suggestions {
        Suggestions {
            signatures: Arc::new(Signatures::none()),
            scores: vec![0.0; labels.len()],
            labels,
            spread: Vec::new(),
            sessions: Vec::new(),
            groups: Vec::new(),
            deliveries: Deliveries::default(),
            coverage: 0.0,
            references: Vec::new(),
            by_ip: Arena::default(),
            by_agent: Arena::default(),
            history: Vec::new(),
            weighed: false,
        }
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The suggestion for the access at `index` in `campaign.accesses`.
    pub fn get(&self, index: usize) -> Option<Suggestion> {
        Some(Suggestion {
            label: *self.labels.get(index)?,
            score: self.scores[index],
        })
    }

    pub fn label(&self, index: usize) -> Option<Leaning> {
        self.labels.get(index).copied()
    }

    /// Every access's label, indexed like `campaign.accesses` (what the
    /// review screen's context borrows).
    pub fn labels(&self) -> &[Leaning] {
        &self.labels
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for label in &self.labels {
            match label {
                Leaning::Scanner => c.scanner += 1,
                Leaning::Human => c.human += 1,
                Leaning::Unsure => c.unsure += 1,
            }
        }
        c
    }

    pub fn signatures(&self) -> &Arc<Signatures> {
        &self.signatures
    }

    /// The send waves estimated where delivery times were unknown.
    pub fn waves(&self) -> &[Wave] {
        &self.deliveries.waves
    }

    /// The wave an estimated delivery of `recipient` comes from.
    pub fn wave_of(&self, recipient: crate::model::RecipientId) -> Option<&Wave> {
        let i = self
            .deliveries
            .from_wave
            .get(recipient.index())
            .copied()
            .flatten()?;
        self.deliveries.waves.get(i as usize)
    }

    /// The share of page views that reported a screen.
    pub fn screen_coverage(&self) -> f32 {
        self.coverage
    }

    /// The delivery (known or estimated) of a recipient.
    pub fn delivery(&self, recipient: crate::model::RecipientId) -> Option<Delivery> {
        self.deliveries
            .delivery
            .get(recipient.index())
            .copied()
            .flatten()
    }

    pub fn browser_references(&self) -> &[Option<BrowserReference>] {
        &self.references
    }

    /// The evidence behind the suggestion at `index`, heaviest first.
    pub fn evidence(&self, enriched: &Enriched, index: usize) -> Vec<Evidence> {
        let mut out = Vec::new();
        if !self.weighed || index >= self.labels.len() || index >= enriched.campaign.accesses.len()
        {
            return out;
        }
        self.collect(enriched, index, &mut out);
        out.extend(self.group_evidence(self.groups[index]));
        combine::order(&mut out);
        out
    }

    /// The reasons behind the suggestion at `index`, heaviest first.
    pub fn explain(&self, enriched: &Enriched, index: usize) -> Vec<Reason> {
        let Some(access) = enriched.campaign.accesses.get(index) else {
            return Vec::new();
        };
        self.evidence(enriched, index)
            .into_iter()
            .map(|e| Reason {
                weight: e.weight,
                family: e.fact.family(),
                text: describe(&e.fact, e.weight, access, enriched, self),
            })
            .collect()
    }

    /// The reasons as one line: `+3.5 fetched 3 s after delivery; …`.
    pub fn reasons_line(&self, enriched: &Enriched, index: usize) -> String {
        self.explain(enriched, index)
            .iter()
            // The weight after the text: a cell that starts with `+` or `-`
            // is a formula to a spreadsheet.
            .map(|r| format!("{} ({:+.1})", r.text, r.weight))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Every signal except the recipient-level group facts.
    fn collect(&self, enriched: &Enriched, index: usize, out: &mut Vec<Evidence>) {
        self.collect_static(enriched, index, out);
        self.collect_context(enriched, index, out);
        // A cloud says "scanners, or people's virtual desktops"; when this
        // very address served many recipients the way people's egress does,
        // that answers the question the network left open, and counting
        // the network as well would hold the address against itself.
        let ip = enriched.campaign.accesses[index].ip.index();
        let own_history_says_people = matches!(
            self.history.get(ip).copied().flatten(),
            Some(Evidence {
                weight,
                fact: Fact::AddressHistory { network: false, .. }
                    | Fact::AddressSpreadOut { network: false, .. },
            }) if weight < 0.0
        );
        if own_history_says_people {
            let sigs = &*self.signatures;
            for e in out.iter_mut() {
                let cloud = match e.fact {
                    Fact::Network { entry, .. } => {
                        sigs.networks[entry as usize].kind == NetworkKind::Cloud
                    }
                    Fact::Database(class) => class == DbClass::Hosting,
                    _ => false,
                };
                if cloud && e.weight > 0.0 {
                    e.weight = 0.0;
                }
            }
        }
    }

    /// What the access says by itself: method, owner, User-Agent, screen.
    fn collect_static(&self, enriched: &Enriched, index: usize, out: &mut Vec<Evidence>) {
        let sigs = &*self.signatures;
        let campaign = &enriched.campaign;
        let access: &Access = &campaign.accesses[index];
        method_evidence(access, campaign, sigs, out);
        out.extend_from_slice(self.by_ip.get(access.ip.index()));
        for e in self.by_agent.get(access.user_agent.index()) {
            let mut e = *e;
            // Outlook fetching on an open is the person's mail client
            // loading images; on a click it is the client checking the link.
            if let Fact::Agent {
                entry,
                kind: AgentKind::OfficeClient,
            } = e.fact
                && access.event == Event::Open
                && sigs.agents[entry as usize].weight.is_none()
            {
                e.weight = sigs.weight(Weight::AgentOfficeOpen);
            }
            out.push(e);
        }
        let page = is_page_fetch(access, campaign);
        screen_evidence(
            access,
            page,
            &enriched.user_agents[access.user_agent.index()],
            self.coverage,
            sigs,
            out,
        );
    }

    /// What the campaign around the access says: timing, the address's
    /// history and spread.
    fn collect_context(&self, enriched: &Enriched, index: usize, out: &mut Vec<Evidence>) {
        let sigs = &*self.signatures;
        let access: &Access = &enriched.campaign.accesses[index];
        match self.wave_of_access(access) {
            Some(wave) => out.push(Evidence {
                weight: sigs.weight(Weight::SendWave),
                fact: Fact::InWave { wave },
            }),
            None => {
                let delivery = access.recipient().and_then(|r| self.delivery(r));
                timing_evidence(access, delivery, sigs, out);
            }
        }
        out.extend(self.history.get(access.ip.index()).copied().flatten());
        if let Some(gap) = self.sessions[index] {
            out.push(Evidence {
                weight: sigs.weight(Weight::RecipientSession),
                fact: Fact::Session { gap },
            });
        }
        let reached = self.spread[index];
        if reached > 0 {
            let many = f32::from(reached) >= sigs.tuning(Tunable::IpSpreadMany);
            out.push(Evidence {
                weight: sigs.weight(if many {
                    Weight::IpSpreadMany
                } else {
                    Weight::IpSpread
                }),
                fact: Fact::IpSpread {
                    recipients: reached,
                    window: sigs.tuning(Tunable::IpSpreadWindow).max(0.0) as u16,
                },
            });
        }
    }

    /// The send wave an access came in: its recipient's first access was
    /// in one, and it came within the member window after that.
    fn wave_of_access(&self, access: &Access) -> Option<u32> {
        if access.event == Event::Report {
            return None;
        }
        let r = access.recipient()?;
        let window = self.signatures.tuning(Tunable::WaveMemberWindow);
        self.deliveries.in_wave(r.index(), access.time, window)
    }

    /// Seconds after delivery, for the address history: an access in a
    /// send wave came with the send.
    fn history_delay(&self, access: &Access) -> Option<f32> {
        if self.wave_of_access(access).is_some() {
            return Some(0.0);
        }
        let delivery = self.delivery(access.recipient()?)?;
        Some(access.time.seconds_since(delivery.at) as f32)
    }

    fn group_evidence(&self, group: GroupFact) -> Option<Evidence> {
        let sigs = &*self.signatures;
        match group {
            GroupFact::None => None,
            GroupFact::Burst {
                accesses,
                addresses,
            } => Some(Evidence {
                weight: sigs.weight(Weight::RecipientBurst),
                fact: Fact::RecipientBurst {
                    accesses,
                    addresses,
                    window: sigs.tuning(Tunable::RecipientBurstWindow).max(0.0) as u16,
                },
            }),
            GroupFact::WithMachine { gap } => Some(Evidence {
                weight: sigs.weight(Weight::PairedWithMachine),
                fact: Fact::PairedWithMachine { gap },
            }),
            GroupFact::WithHuman { gap } => Some(Evidence {
                weight: sigs.weight(Weight::PairedWithHuman),
                fact: Fact::PairedWithHuman { gap },
            }),
        }
    }
}

/// The share of page views (clicks and submissions fetched as pages) that
/// carry a screen.
fn screen_coverage(enriched: &Enriched) -> f32 {
    let campaign = &enriched.campaign;
    let (mut views, mut with_screen) = (0usize, 0usize);
    for access in &campaign.accesses {
        if matches!(access.event, Event::Click | Event::Submit) && is_page_fetch(access, campaign) {
            views += 1;
            with_screen += usize::from(access.screen.is_some());
        }
    }
    if views == 0 {
        0.0
    } else {
        with_screen as f32 / views as f32
    }
}

/// Each recipient's first access (reports aside), by recipient index.
fn first_accesses(campaign: &crate::model::Campaign) -> Vec<Option<usize>> {
    let mut first: Vec<Option<usize>> = vec![None; campaign.recipients.len()];
    for (i, access) in campaign.accesses.iter().enumerate() {
        if access.event == Event::Report {
            continue;
        }
        if let Some(r) = access.recipient() {
            let slot = &mut first[r.index()];
            if slot.is_none_or(|j| access.time < campaign.accesses[j].time) {
                *slot = Some(i);
            }
        }
    }
    first
}

/// The campaign's date (the median access, in UTC), for browser cadences.
fn campaign_date(enriched: &Enriched) -> Option<jiff::civil::Date> {
    let mut times: Vec<i64> = enriched
        .campaign
        .accesses
        .iter()
        .map(|a| a.time.as_nanos())
        .collect();
    if times.is_empty() {
        return None;
    }
    let mid = times.len() / 2;
    let (_, &mut median, _) = times.select_nth_unstable(mid);
    Some(
        crate::model::Timestamp::from_nanos(median)
            .to_jiff()
            .to_zoned_datetime(TimeZone::UTC)
            .date(),
    )
}
