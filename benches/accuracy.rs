//! Prints the confusion matrix of the suggestions on the labelled
//! evaluation set (tests/it/support/eval), read through the log readers, the owner
//! databases and the pipeline: per campaign, per log variant and overall,
//! with the counts per actor. `cargo bench --bench accuracy`.
//!
//! `WHOCLICKED_EVAL_EXAMPLES=N` also prints up to N misjudged accesses per
//! actor and campaign with every fact and weight behind them;
//! `WHOCLICKED_EVAL_NEIGHBOURS=1` adds the same recipient's accesses within
//! ten minutes. Then a reliability table (the confidence shown against how
//! often the suggestion was right); last, the time the suggestions take
//! over a million accesses.

#[path = "../tests/it/support/reliability.rs"]
mod reliability;
#[path = "../tests/it/support/eval/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use support::eval_campaigns::{Scenario, Truth, generate, scenarios};
use support::eval_load::{Labelled, load};
use support::{Confusion, confusion, variant};
use whoclicked::model::Leaning;
use whoclicked::signals::Signatures;

fn main() {
    let examples: usize = std::env::var("WHOCLICKED_EVAL_EXAMPLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let neighbours = std::env::var_os("WHOCLICKED_EVAL_NEIGHBOURS").is_some();
    let signatures = Arc::new(Signatures::load().expect("signatures load"));
    let mut overall = Confusion::default();
    let mut by_variant: BTreeMap<&str, Confusion> = BTreeMap::new();
    let mut decided: Vec<(f32, bool)> = Vec::new();
    let mut unsure = 0;
    for scenario in scenarios() {
        let started = Instant::now();
        let labelled = load(&generate(&scenario), &signatures);
        let c = confusion(&labelled);
        println!(
            "== {} ({}, {} accesses, written, read and analysed in {:.0} ms)\n{c}",
            scenario.name,
            variant(scenario.format),
            labelled.actors.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
        print_waves(&labelled);
        let table = labelled.analysis.suggestions();
        for (i, actor) in labelled.actors.iter().enumerate() {
            let s = table.get(i).expect("one suggestion per access");
            let truth = match actor.truth() {
                Truth::Human => Leaning::Human,
                Truth::Scanner => Leaning::Scanner,
            };
            if s.label == Leaning::Unsure {
                unsure += 1;
            } else {
                decided.push((s.confidence(), s.label == truth));
            }
        }
        if examples > 0 {
            print_misjudged(&labelled, examples, neighbours);
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
    println!("{}", reliability::table(decided, unsure));
    // A debug build (`cargo test --bench accuracy`) is for reading the
    // matrix; its timings would mean nothing.
    if cfg!(debug_assertions) {
        println!("== scale: timed only in a release build (cargo bench)");
    } else {
        // One campaign with delivery times and one without (send waves).
        for scenario in scenarios().into_iter().take(2) {
            timing_at_scale(&scenario, &signatures);
        }
    }
}

/// The send waves found where delivery times were missing.
fn print_waves(labelled: &Labelled) {
    let analysis = &labelled.analysis;
    let table = analysis.suggestions();
    for w in table.waves() {
        println!(
            "  send wave {} – {}: {} recipients, {:.0}% machines, {:.0}× as dense as around it",
            w.start.format_short(&analysis.zone),
            w.end.format_short(&analysis.zone),
            w.recipients,
            w.machine_share * 100.0,
            w.density
        );
    }
}

/// Up to `limit` misjudged accesses per actor, with their facts.
fn print_misjudged(labelled: &Labelled, limit: usize, neighbours: bool) {
    let analysis = &labelled.analysis;
    let campaign = &analysis.campaign;
    let table = analysis.suggestions();
    let delivery = |i: usize| {
        let a = &campaign.accesses[i];
        a.recipient()
            .and_then(|r| campaign.recipients[r.index()].sent_at)
            .map_or(String::new(), |t| {
                format!(" +{:.0}s", a.time.seconds_since(t))
            })
    };
    let line = |i: usize| {
        let a = &campaign.accesses[i];
        format!(
            "{} {}{} {} {} \"{}\" {}",
            a.time.format_short(&analysis.zone),
            campaign.recipient_name(a),
            delivery(i),
            campaign.ip(a.ip),
            analysis.owner(a),
            campaign.user_agent(a.user_agent),
            a.screen.map(|s| s.to_string()).unwrap_or_default()
        )
    };
    let mut shown: BTreeMap<_, usize> = BTreeMap::new();
    for (i, &actor) in labelled.actors.iter().enumerate() {
        let label = table.label(i).expect("labelled");
        let wrong = match actor.truth() {
            Truth::Human => label != Leaning::Human,
            Truth::Scanner => label != Leaning::Scanner,
        };
        let n = shown.entry(actor).or_default();
        if !wrong || *n >= limit {
            continue;
        }
        *n += 1;
        println!("  {actor:?} → {label}: {}", line(i));
        println!("      {}", table.reasons_line(analysis, i));
        if neighbours {
            let a = &campaign.accesses[i];
            for (j, b) in campaign.accesses.iter().enumerate() {
                let near = (b.time.as_nanos() - a.time.as_nanos()).abs() < 600_000_000_000;
                if j != i && near && b.recipient_raw == a.recipient_raw {
                    println!(
                        "      near {:?} → {}: {}",
                        labelled.actors[j],
                        table.label(j).expect("labelled"),
                        line(j)
                    );
                }
            }
        }
    }
}

/// Suggestions over a million accesses: a campaign's world, read once,
/// then repeated with fresh recipients an hour apart until it is that
/// large, and analysed with the world's owner databases.
fn timing_at_scale(scenario: &Scenario, signatures: &Arc<Signatures>) {
    use whoclicked::model::{Campaign, NewAccess};
    let one = load(&generate(scenario), signatures)
        .analysis
        .into_enriched()
        .campaign;
    let mut campaign = Campaign::new();
    let file = campaign.add_file("scale", whoclicked::model::LogFormat::Native);
    let mut copy = 0i64;
    while campaign.accesses.len() < 1_000_000 {
        for a in &one.accesses {
            let recipient = a
                .recipient()
                .map(|r| format!("{copy}-{}", one.strings.get(one.recipients[r.index()].name)));
            if let Some(r) = a.recipient()
                && let Some(sent) = one.recipients[r.index()].sent_at
                && let Some(name) = &recipient
            {
                campaign.add_delivery(
                    name,
                    whoclicked::model::Timestamp::from_nanos(
                        sent.as_nanos() + copy * 3_600_000_000_000,
                    ),
                );
            }
            campaign.add_access(
                file,
                NewAccess {
                    time: whoclicked::model::Timestamp::from_nanos(
                        a.time.as_nanos() + copy * 3_600_000_000_000,
                    ),
                    ip: one.ip(a.ip),
                    user_agent: one.user_agent(a.user_agent),
                    recipient: recipient.as_deref(),
                    event: a.event,
                    screen: a.screen,
                    method: one.strings.get(a.method),
                },
            );
        }
        copy += 1;
    }
    let n = campaign.accesses.len();
    let dbs = support::eval_owners::databases(scenario.databases);
    let started = Instant::now();
    let owners = dbs.lookup_all(&campaign.ips);
    let facts = whoclicked::enriched::Enriched::new(campaign, owners, jiff::tz::TimeZone::UTC);
    let enriched = started.elapsed();
    let started = Instant::now();
    let analysis = whoclicked::analysis::Analysis::judge(facts, signatures.clone(), None);
    let took = started.elapsed();
    let waves = analysis.suggestions().waves().len();
    println!(
        "== scale ({}): {n} accesses, {} addresses: owners and User-Agents in {:.0} ms, suggestions in {:.2} s ({waves} send waves)",
        scenario.name,
        analysis.campaign.ips.len(),
        enriched.as_secs_f64() * 1000.0,
        took.as_secs_f64()
    );
}
