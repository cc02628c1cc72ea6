//! The suggestion pass over a whole campaign, and the table it leaves:
//! one label and score per access, plus what is needed to say why.
//!
//! This is the driver: it runs the families (`families/`) in the order
//! their inputs need — per-address and per-User-Agent evidence once per
//! distinct value, then campaign-wide context (screen coverage, send waves,
//! address histories, spread, sessions), then each access, then the
//! recipient-level pairing that reads the first pass's scores — keeps what
//! they found, and hands each access's evidence to [`combine`].

use std::sync::Arc;

use rayon::prelude::*;

use super::combine::{self, Suggestion};
use super::decoy::{DECOY_SCORE, DecoyHit, decoy_hits, decoy_reason};
use super::evidence::{Evidence, Fact, Family};
use super::families::abroad::{abroad_evidence, lines_abroad};
use super::families::history::address_history;
use super::families::method::{is_page_fetch, method_evidence};
use super::families::note::note_evidence;
use super::families::order;
use super::families::owner::owner_evidence;
use super::families::pairing::{GroupFact, group_facts};
use super::families::screen::{screen_coverage, screen_evidence};
use super::families::session::{session_evidence, sessions};
use super::families::spread::{ip_spread, spread_evidence};
use super::families::timing::{timing_evidence, wave_evidence};
use super::families::user_agent::{self, BrowserReference, agent_evidence, browser_references};
use super::families::waves::{Deliveries, Delivery, FirstAccess, Wave, deliveries, first_accesses};
use super::reasons::{Reason, describe};
use super::signatures::{Signatures, Tunable, Weight};
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

    /// Appends another arena's groups after this one's.
    fn extend(&mut self, other: Arena) {
        let base = self.items.len() as u32;
        self.items.extend(other.items);
        self.ends.extend(other.ends.iter().map(|e| e + base));
    }

    /// One group per item of `items`, each filled by `fill`, built in
    /// parallel parts and joined in order (the same arena as one pass).
    fn build<T: Sync>(items: &[T], fill: impl Fn(usize, &T, &mut Vec<Evidence>) + Sync) -> Arena {
        use rayon::prelude::*;
        const PART: usize = 4_096;
        let parts: Vec<Arena> = items
            .par_chunks(PART)
            .enumerate()
            .map(|(p, chunk)| {
                let mut arena = Arena::default();
                let mut scratch = Vec::new();
                for (k, item) in chunk.iter().enumerate() {
                    fill(p * PART + k, item, &mut scratch);
                    arena.push_from(&mut scratch);
                }
                arena
            })
            .collect();
        let mut all = Arena::default();
        for part in parts {
            all.extend(part);
        }
        all
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
    /// Accesses decided scanner by a decoy link (empty when none).
    decoys: Vec<Option<DecoyHit>>,
}

impl Suggestions {
    /// Runs every signal over `enriched`: per-address and per-User-Agent
    /// facts once per distinct value, then each access, then the
    /// recipient-level pairing that reads the first pass's scores.
    pub fn compute(enriched: &Enriched, signatures: Arc<Signatures>) -> Suggestions {
        let sigs = &*signatures;
        let campaign = &enriched.campaign;
        let mut scratch = Vec::new();

        let mut by_ip = Arena::build(&campaign.ips, |i, &ip, scratch| {
            note_evidence(enriched.owner_note(IpId(i as u32)), sigs, scratch);
            owner_evidence(ip, &enriched.owners[i], sigs, scratch);
        });
        // A person line in a country where the campaign's people are not.
        let abroad = lines_abroad(enriched, |i| by_ip.get(i), sigs);
        if abroad.iter().any(Option::is_some) {
            let mut with_abroad = Arena::default();
            for (i, country) in abroad.iter().enumerate() {
                scratch.extend_from_slice(by_ip.get(i));
                if let Some(country) = *country {
                    abroad_evidence(country, &mut scratch, sigs);
                }
                with_abroad.push_from(&mut scratch);
            }
            by_ip = with_abroad;
        }

        let has_agent: Vec<bool> = campaign
            .user_agents
            .iter()
            .map(|&sym| sigs.agent_for(campaign.strings.get(sym)).is_some())
            .collect();
        let date = user_agent::campaign_date(enriched);
        let references = browser_references(enriched, sigs, &has_agent, date);
        let by_agent = Arena::build(&campaign.user_agents, |u, &sym, scratch| {
            let raw = campaign.strings.get(sym);
            agent_evidence(raw, &enriched.user_agents[u], sigs, &references, scratch);
        });

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
            decoys: Vec::new(),
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
                    machine: combine::decided_score(&scratch, sigs)
                        >= sigs.tuning(Tunable::ThresholdScanner),
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
        let by_ip_time = order::by_ip_time(&campaign.accesses);
        table.spread = ip_spread(campaign, &by_ip_time, sigs);
        table.sessions = sessions(campaign, &by_ip_time, &browser, sigs);
        drop(by_ip_time);

        // The first pass's scores, and the floor decisive evidence sets
        // under each (pairing may move a score, never below that).
        let (first, floors): (Vec<f32>, Vec<f32>) = (0..n)
            .into_par_iter()
            .map_init(Vec::new, |scratch, i| {
                scratch.clear();
                table.collect(enriched, i, scratch);
                let floor = combine::decisive_floor(scratch, sigs).unwrap_or(f32::NEG_INFINITY);
                (combine::score(scratch).max(floor), floor)
            })
            .unzip();

        let by_recipient_time = order::by_recipient_time(&campaign.accesses);
        table.groups = group_facts(campaign, &by_recipient_time, &first, sigs);
        table.scores = first
            .iter()
            .zip(&table.groups)
            .zip(&floors)
            .map(|((&s, g), &floor)| (s + g.evidence(sigs).map_or(0.0, |e| e.weight)).max(floor))
            .collect();
        table.labels = table
            .scores
            .iter()
            .map(|&s| Suggestion::from_score(s, sigs).label)
            .collect();
        table.decoys = decoy_hits(campaign, &sigs.decoys);
        for (i, hit) in table.decoys.iter().enumerate() {
            if hit.is_some() {
                table.labels[i] = Leaning::Scanner;
                table.scores[i] = table.scores[i].max(DECOY_SCORE);
            }
        }
        table
    }

    /// Why access `index` is decided scanner by a decoy link, if it is.
    pub fn decoy(&self, index: usize) -> Option<DecoyHit> {
        self.decoys.get(index).copied().flatten()
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
            decoys: Vec::new(),
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
        Some(Suggestion::with_label(
            *self.labels.get(index)?,
            self.scores[index],
            &self.signatures,
        ))
    }

    /// How sure the suggestion for access `index` is, 0.5 to 1, with
    /// `learned` (the weight the analyst's labels added, 0 for none) in its
    /// score; `None` for labels stated rather than weighed, which have no
    /// score to be sure of.
    pub fn confidence(&self, index: usize, learned: f32) -> Option<f32> {
        let score = self.score(index)? + learned;
        Some(combine::confidence(score, &self.signatures))
    }

    /// The summed evidence of access `index` (+ scanner, − human); `None`
    /// for labels stated rather than weighed.
    pub fn score(&self, index: usize) -> Option<f32> {
        if !self.weighed {
            return None;
        }
        self.scores.get(index).copied()
    }

    pub fn label(&self, index: usize) -> Option<Leaning> {
        self.labels.get(index).copied()
    }

    /// Every access's label, indexed like `campaign.accesses` (what the
    /// review screen's context borrows).
    pub fn labels(&self) -> &[Leaning] {
        &self.labels
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
        out.extend(self.groups[index].evidence(&self.signatures));
        combine::order(&mut out, &self.signatures);
        out
    }

    /// The reasons behind the suggestion at `index`, heaviest first; a
    /// decoy link, which decides, before all.
    pub fn explain(&self, enriched: &Enriched, index: usize) -> Vec<Reason> {
        let Some(access) = enriched.campaign.accesses.get(index) else {
            return Vec::new();
        };
        let decoy = self.decoy(index).map(|hit| Reason {
            weight: DECOY_SCORE,
            family: Family::Method,
            text: decoy_reason(hit, enriched, &self.signatures),
        });
        decoy
            .into_iter()
            .chain(self.evidence(enriched, index).into_iter().map(|e| Reason {
                weight: e.weight,
                family: e.fact.family(),
                text: describe(&e.fact, e.weight, access, enriched, self),
            }))
            .collect()
    }

    /// The reasons as one line: `+3.5 fetched 3 s after delivery; …`.
    pub fn reasons_line(&self, enriched: &Enriched, index: usize) -> String {
        let reasons = self.explain(enriched, index);
        let mut line = String::with_capacity(reasons.iter().map(|r| r.text.len() + 9).sum());
        for (n, r) in reasons.iter().enumerate() {
            if n > 0 {
                line.push_str("; ");
            }
            // The weight after the text: a cell that starts with `+` or `-`
            // is a formula to a spreadsheet.
            line.push_str(&r.text);
            line.push_str(" (");
            crate::text::push_signed_tenths(&mut line, r.weight);
            line.push(')');
        }
        line
    }

    /// Every signal except the recipient-level group facts.
    fn collect(&self, enriched: &Enriched, index: usize, out: &mut Vec<Evidence>) {
        self.collect_static(enriched, index, out);
        self.collect_context(enriched, index, out);
        let ip = enriched.campaign.accesses[index].ip.index();
        let own_history = self.history.get(ip).copied().flatten();
        combine::set_aside_answered_cloud(out, own_history, &self.signatures);
        combine::discount_correlated(out, &self.signatures);
    }

    /// What the access says by itself: method, owner and note, User-Agent,
    /// screen.
    fn collect_static(&self, enriched: &Enriched, index: usize, out: &mut Vec<Evidence>) {
        let sigs = &*self.signatures;
        let campaign = &enriched.campaign;
        let access: &Access = &campaign.accesses[index];
        method_evidence(access, campaign, sigs, out);
        out.extend_from_slice(self.by_ip.get(access.ip.index()));
        if let Some(tie) = enriched.tie(index) {
            out.push(Evidence {
                weight: sigs.weight(Weight::ProxyTied),
                fact: Fact::ProxyTied {
                    record: tie.record,
                    by: tie.matched_by,
                    elsewhere: tie.elsewhere.is_some(),
                },
            });
        }
        for &e in self.by_agent.get(access.user_agent.index()) {
            out.push(user_agent::on_event(e, access.event, sigs));
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
    /// history, the recipient's session and the address's spread.
    fn collect_context(&self, enriched: &Enriched, index: usize, out: &mut Vec<Evidence>) {
        let sigs = &*self.signatures;
        let access: &Access = &enriched.campaign.accesses[index];
        match self.wave_of_access(access) {
            Some(wave) => out.push(wave_evidence(wave, sigs)),
            None => {
                let delivery = access.recipient().and_then(|r| self.delivery(r));
                timing_evidence(access, delivery, sigs, out);
            }
        }
        out.extend(self.history.get(access.ip.index()).copied().flatten());
        if let Some(gap) = self.sessions[index] {
            out.push(session_evidence(gap, sigs));
        }
        out.extend(spread_evidence(self.spread[index], sigs));
    }

    /// The send wave access `index` came in, if it came in one.
    pub fn wave_of_index(&self, enriched: &Enriched, index: usize) -> Option<u32> {
        self.wave_of_access(enriched.campaign.accesses.get(index)?)
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
}
