//! The numbers under a report: how much was read, how many people the mail
//! reached and touched it, and who owns the addresses the accesses came from.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Serialize;

use crate::model::{Event, Leaning};
use crate::review::{Basis, Counts, Headline, ReviewContext};

/// How many owners the summary lists.
pub const TOP_OWNERS: usize = 10;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FileSummary {
    pub name: String,
    pub format: String,
    pub encoding: String,
    pub rows: u64,
    pub accesses: u64,
    pub skipped: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OwnerCount {
    /// `AS8075 Microsoft Corporation`, `internal (private)`, or `unknown`.
    pub owner: String,
    pub asn: Option<u32>,
    pub accesses: usize,
    pub ips: usize,
    pub recipients: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventCounts {
    pub click: usize,
    pub open: usize,
    pub submit: usize,
    pub report: usize,
}

/// Where the accesses stand: the analyst's verdict where there is one, else
/// the suggestion (the same rule as the review screen's header). Clicks here
/// are click and submit accesses (opens and reports are not clicks).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Judgement {
    /// Accesses judged human / scanner / unsure.
    pub human: usize,
    pub scanner: usize,
    pub unsure: usize,
    /// Accesses without an analyst verdict (whatever the suggestion says).
    pub unlabelled: usize,
    /// Of those, the accesses the analyst reviewed: human / scanner verdicts
    /// (their own or a rule's).
    pub reviewed_human: usize,
    pub reviewed_scanner: usize,
    /// And those only the suggestions judge: the `unlabelled` ones, split.
    pub suggested_human: usize,
    pub suggested_scanner: usize,
    pub suggested_unsure: usize,
    /// Clicks and submits of a recipient without a verdict.
    pub clicks_unreviewed: usize,
    /// True while `human_click_rate` rests partly on suggestions (some
    /// click has no verdict): it is an estimate until every click is reviewed.
    pub human_click_rate_is_estimate: bool,
    /// Recipients with a human click.
    pub recipients_human: usize,
    /// Recipients with an unsure click and no human one: left to review.
    pub recipients_unsure: usize,
    /// `recipients_human` ÷ delivered recipients; `None` when delivery is unknown.
    pub human_click_rate: Option<f64>,
    /// The rate if every unsure recipient turned out a person
    /// (`recipients_human + recipients_unsure` ÷ delivered): with
    /// `human_click_rate`, the range the rate can still move in.
    pub human_click_rate_high: Option<f64>,
    /// Recipients with a click whose every click has a verdict.
    pub recipients_clicked_reviewed: usize,
    /// `reviewed` when every click has a verdict, else `suggested`.
    pub human_click_rate_basis: Basis,
    /// The rate as the screen's header says it: `human click rate 13.4%
    /// (13.4 – 21.4% while 65 recipients are unsure; suggested, 0 of 120
    /// reviewed)`; empty when delivery is unknown.
    pub headline: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    pub files: Vec<FileSummary>,
    pub accesses: usize,
    pub distinct_ips: usize,
    pub distinct_user_agents: usize,
    /// Recipients the mail is known to have reached (0 when the log does not say).
    pub recipients_delivered: usize,
    /// Recipients with at least one access of any kind.
    pub recipients_with_access: usize,
    /// Recipients who reported the mail.
    pub recipients_reported: usize,
    /// Recipients with at least one click or submit access, whoever made it.
    pub recipients_clicked: usize,
    /// `recipients_clicked` ÷ delivered recipients; `None` when delivery is unknown.
    pub raw_click_rate: Option<f64>,
    pub judgement: Judgement,
    pub events: EventCounts,
    /// Rows that could not be read and were skipped.
    pub skipped_rows: u64,
    pub top_owners: Vec<OwnerCount>,
    /// What tying accesses to PCs through the proxy and DHCP logs found
    /// (none without those logs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub network: Vec<String>,
}

impl Summary {
    /// The numbers of the campaign `ctx` reads, with its verdicts and suggestions.
    pub fn new(ctx: &ReviewContext<'_>) -> Self {
        let analysis = ctx.analysis;
        let campaign = &analysis.campaign;
        let mut events = EventCounts {
            click: 0,
            open: 0,
            submit: 0,
            report: 0,
        };
        let mut recipients_with_access = HashSet::new();
        let mut clicked = HashSet::new();
        let mut human = HashSet::new();
        let mut unsure = HashSet::new();
        struct Tally {
            asn: Option<u32>,
            accesses: usize,
            ips: HashSet<u32>,
            recipients: HashSet<u32>,
        }
        let mut owners: HashMap<String, Tally> = HashMap::new();
        for (index, access) in campaign.accesses.iter().enumerate() {
            if let (Some(r), Event::Click | Event::Submit) = (access.recipient(), access.event) {
                clicked.insert(r);
                match ctx.effective(index as u32) {
                    Leaning::Human => {
                        human.insert(r);
                    }
                    Leaning::Unsure => {
                        unsure.insert(r);
                    }
                    Leaning::Scanner => {}
                }
            }
            match access.event {
                Event::Click => events.click += 1,
                Event::Open => events.open += 1,
                Event::Submit => events.submit += 1,
                Event::Report => events.report += 1,
            }
            if let Some(r) = access.recipient() {
                recipients_with_access.insert(r);
            }
            let owner = analysis.owner(access);
            let tally = owners.entry(owner.to_string()).or_insert_with(|| Tally {
                asn: owner.asn,
                accesses: 0,
                ips: HashSet::new(),
                recipients: HashSet::new(),
            });
            tally.accesses += 1;
            tally.ips.insert(access.ip.0);
            if let Some(r) = access.recipient() {
                tally.recipients.insert(r.0);
            }
        }
        let mut top_owners: Vec<OwnerCount> = owners
            .into_iter()
            .map(|(owner, t)| OwnerCount {
                owner,
                asn: t.asn,
                accesses: t.accesses,
                ips: t.ips.len(),
                recipients: t.recipients.len(),
            })
            .collect();
        // Most accesses first; the name breaks ties so output is stable.
        top_owners.sort_by(|a, b| {
            b.accesses
                .cmp(&a.accesses)
                .then_with(|| a.owner.cmp(&b.owner))
        });
        top_owners.truncate(TOP_OWNERS);
        let delivered = campaign.delivered_count();
        let rate = |n: usize| (delivered > 0).then(|| n as f64 / delivered as f64);
        let counts = Counts::new(ctx);
        let headline = Headline::new(&counts, delivered);
        let judgement = Judgement {
            human: counts.human,
            scanner: counts.scanner,
            unsure: counts.unsure,
            unlabelled: counts.unlabelled,
            reviewed_human: counts.reviewed_human,
            reviewed_scanner: counts.reviewed_scanner,
            suggested_human: counts.suggested_human,
            suggested_scanner: counts.suggested_scanner,
            suggested_unsure: counts.suggested_unsure,
            clicks_unreviewed: counts.clicks_unreviewed,
            human_click_rate_is_estimate: counts.rate_is_estimate(),
            recipients_human: human.len(),
            recipients_unsure: unsure.difference(&human).count(),
            human_click_rate: rate(human.len()),
            human_click_rate_high: headline.high(),
            recipients_clicked_reviewed: counts.clicked_reviewed,
            human_click_rate_basis: headline.basis,
            headline: if delivered > 0 {
                headline.to_string()
            } else {
                String::new()
            },
        };

        Summary {
            files: campaign
                .files
                .iter()
                .map(|f| FileSummary {
                    name: f.name.clone(),
                    format: f.format.to_string(),
                    encoding: f.encoding.to_string(),
                    rows: f.rows,
                    accesses: f.accesses,
                    skipped: f.skipped,
                })
                .collect(),
            accesses: campaign.accesses.len(),
            distinct_ips: campaign.ips.len(),
            distinct_user_agents: campaign.user_agents.len(),
            recipients_delivered: campaign.delivered_count(),
            recipients_with_access: recipients_with_access.len(),
            recipients_reported: campaign.recipients.iter().filter(|r| r.reports > 0).count(),
            recipients_clicked: clicked.len(),
            raw_click_rate: rate(clicked.len()),
            judgement,
            events,
            skipped_rows: campaign.skipped(),
            top_owners,
            network: analysis.network.summary(),
        }
    }
}

/// `1 row`, `2 rows` (the summary's numbers stay without separators).
fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for file in &self.files {
            writeln!(
                f,
                "file        {} ({}, {}): {}, {}, {} skipped",
                crate::text::escape_controls(&file.name),
                file.format,
                file.encoding,
                plural(file.rows, "row", "rows"),
                plural(file.accesses, "access", "accesses"),
                file.skipped
            )?;
        }
        writeln!(
            f,
            "accesses    {} (click {}, open {}, submit {}, report {}) from {}, {}",
            self.accesses,
            self.events.click,
            self.events.open,
            self.events.submit,
            self.events.report,
            plural(self.distinct_ips as u64, "IP", "IPs"),
            plural(
                self.distinct_user_agents as u64,
                "User-Agent",
                "User-Agents"
            )
        )?;
        let delivered = if self.recipients_delivered == 0 {
            "unknown (the log has no delivery rows)".to_string()
        } else {
            self.recipients_delivered.to_string()
        };
        writeln!(
            f,
            "recipients  delivered {delivered}, with any access {}, reported {}",
            self.recipients_with_access, self.recipients_reported
        )?;
        let percent = |rate: Option<f64>| match rate {
            Some(r) => format!("{:.1}%", r * 100.0),
            None => "unknown (no delivery rows)".to_string(),
        };
        let s = &self.judgement;
        let headline = Headline {
            base: self.recipients_delivered,
            human: s.recipients_human,
            unsure: s.recipients_unsure,
            clicked: self.recipients_clicked,
            reviewed: s.recipients_clicked_reviewed,
            basis: s.human_click_rate_basis,
        };
        let qualifier = match s.human_click_rate {
            Some(_) => format!("; {}", headline.qualifier()),
            None => String::new(),
        };
        writeln!(
            f,
            "click rate  human {} ({}{qualifier}), raw {} ({} with any click)",
            percent(s.human_click_rate),
            plural(s.recipients_human as u64, "recipient", "recipients"),
            percent(self.raw_click_rate),
            plural(self.recipients_clicked as u64, "recipient", "recipients")
        )?;
        writeln!(
            f,
            "judged      reviewed human {}, scanner {}; suggested human {}, scanner {}, unsure {} \
             ({} accesses without a verdict); {} recipients left to review",
            s.reviewed_human,
            s.reviewed_scanner,
            s.suggested_human,
            s.suggested_scanner,
            s.suggested_unsure,
            s.unlabelled,
            s.recipients_unsure
        )?;
        if self.skipped_rows > 0 {
            writeln!(
                f,
                "skipped     {} unreadable rows (see the messages above)",
                self.skipped_rows
            )?;
        }
        for line in &self.network {
            writeln!(f, "network     {line}")?;
        }
        if !self.top_owners.is_empty() {
            writeln!(f, "top owners  accesses   IPs  recipients  owner")?;
            for o in &self.top_owners {
                writeln!(
                    f,
                    "            {:>8} {:>5} {:>11}  {}",
                    o.accesses,
                    o.ips,
                    o.recipients,
                    crate::text::escape_controls(&o.owner)
                )?;
            }
        }
        Ok(())
    }
}
