//! Prints the confusion matrix of the suggestions on the labelled
//! evaluation set (tests/support), per campaign, per log variant and
//! overall, with the counts per actor. `cargo bench --bench accuracy`.
//! With `WHOCLICKED_EVAL_EXAMPLES=N` it also prints up to N misjudged
//! accesses per actor with their reasons.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use support::eval_campaigns::{Format, Truth, generate, scenarios};
use support::eval_formats::load;
use support::{Confusion, evaluate};
use whoclicked::model::Leaning;
use whoclicked::signals::Signatures;

fn variant(format: Format) -> &'static str {
    match format {
        Format::Native { sent_at: true } => "native CSV with delivery times",
        Format::Native { sent_at: false } => "native CSV without delivery times",
        Format::GoPhish => "GoPhish Raw Events",
        Format::Combined => "combined access log",
    }
}

fn main() {
    let examples: usize = std::env::var("WHOCLICKED_EVAL_EXAMPLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let signatures = Arc::new(Signatures::load().expect("signatures load"));
    let mut overall = Confusion::default();
    let mut by_variant: BTreeMap<&str, Confusion> = BTreeMap::new();
    for scenario in scenarios() {
        let mut labelled = load(&generate(&scenario));
        let started = Instant::now();
        let c = evaluate(&mut labelled, &signatures);
        println!(
            "== {} ({}, {} accesses, suggested in {:.0} ms)\n{c}",
            scenario.name,
            variant(scenario.format),
            labelled.actors.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
        if examples > 0 {
            let table = labelled.analysis.suggestions.as_ref().unwrap();
            let mut shown: BTreeMap<_, usize> = BTreeMap::new();
            for (i, &actor) in labelled.actors.iter().enumerate() {
                let label = table.label(i).unwrap();
                let wrong = match actor.truth() {
                    Truth::Human => label != Leaning::Human,
                    Truth::Scanner => label != Leaning::Scanner,
                };
                let n = shown.entry(actor).or_default();
                if wrong && *n < examples {
                    *n += 1;
                    let a = &labelled.analysis.campaign.accesses[i];
                    println!(
                        "  {actor:?} → {label}: {} | {} | {}",
                        labelled.analysis.campaign.ip(a.ip),
                        labelled.analysis.campaign.user_agent(a.user_agent),
                        table.reasons_line(&labelled.analysis, i)
                    );
                    if std::env::var_os("WHOCLICKED_EVAL_NEIGHBOURS").is_some() {
                        for (j, b) in labelled.analysis.campaign.accesses.iter().enumerate() {
                            let near =
                                (b.time.as_nanos() - a.time.as_nanos()).abs() < 10_000_000_000;
                            if j != i && near && b.recipient_raw == a.recipient_raw {
                                println!(
                                    "      near {:?} → {}: {}",
                                    labelled.actors[j],
                                    table.label(j).unwrap(),
                                    table.reasons_line(&labelled.analysis, j)
                                );
                            }
                        }
                    }
                }
            }
        }
        by_variant
            .entry(variant(scenario.format))
            .or_default()
            .merge(&c);
        overall.merge(&c);
    }
    for (name, c) in &by_variant {
        println!("== variant: {name}\n{c}");
    }
    println!("== overall\n{overall}");
    timing_at_scale(&signatures);
}

/// Suggestions over a million accesses: the first campaign's world,
/// repeated with fresh recipients until it is that large.
fn timing_at_scale(signatures: &Arc<Signatures>) {
    use whoclicked::model::{Campaign, NewAccess, Screen, Timestamp};
    let g = generate(&scenarios()[0]);
    let mut campaign = Campaign::new();
    let file = campaign.add_file("scale", whoclicked::model::LogFormat::Native);
    let mut copy = 0;
    while campaign.accesses.len() < 1_000_000 {
        for row in &g.rows {
            let recipient = row
                .recipient
                .map(|r| format!("{copy}-{}", g.recipients[r].1));
            campaign.add_access(
                file,
                NewAccess {
                    time: Timestamp::from_nanos(row.nanos + copy * 3_600_000_000_000),
                    ip: row.ip,
                    user_agent: &row.ua,
                    recipient: recipient.as_deref(),
                    event: row.event,
                    screen: row
                        .screen
                        .and_then(|(w, h)| Screen::new(u32::from(w), u32::from(h)).ok()),
                    method: row.method,
                },
            );
        }
        copy += 1;
    }
    let owners = support::eval_formats::owners(&g, &campaign.ips);
    let n = campaign.accesses.len();
    let mut analysis =
        whoclicked::analysis::Analysis::new(campaign, owners, jiff::tz::TimeZone::UTC);
    let started = Instant::now();
    analysis.suggest(signatures.clone(), &whoclicked::signals::NoNotes);
    println!(
        "== scale: suggestions over {n} accesses in {:.2} s",
        started.elapsed().as_secs_f64()
    );
}
