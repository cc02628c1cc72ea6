//! Scanners fetching through rented home lines (vendors do, to see what a
//! person would past cloaking) look like a person at home: a current
//! browser, often a screen, a residential address. Unsure is the honest
//! answer for many of them; human never should be. A generated family,
//! kept out of the evaluation set: every campaign of that set again, with
//! a vendor that also fetches through residential proxies (half of them
//! abroad), in every log format. A line abroad gives the proxy away
//! (`families::abroad`); one in the company's own country, minutes after
//! delivery with a screen, is still sometimes called human (the test
//! prints how many): nothing in such a fetch differs from a person's.

use crate::support::eval as support;

use std::collections::BTreeMap;
use std::sync::Arc;

use support::eval_campaigns::{Actor, generate, scenarios};
use support::eval_load::load;
use support::variant;
use whoclicked::model::Leaning;
use whoclicked::signals::Signatures;

#[test]
fn residential_proxy_scanners_abroad_never_come_out_human() {
    let signatures = Arc::new(Signatures::builtin().unwrap());
    // Per log variant, abroad and at home: human, scanner, unsure.
    let mut counts: BTreeMap<(&str, &str), [usize; 3]> = BTreeMap::new();
    let mut humans_abroad = Vec::new();
    for mut scenario in scenarios() {
        scenario.stack.residential_proxy = true;
        scenario.seed += 7_000;
        let home = if scenario.japan { "JP" } else { "US" };
        let labelled = load(&generate(&scenario), &signatures);
        let analysis = &labelled.analysis;
        let table = analysis.suggestions();
        for (i, &actor) in labelled.actors.iter().enumerate() {
            if actor != Actor::ResidentialProxyScanner {
                continue;
            }
            let ip = analysis.campaign.accesses[i].ip.index();
            let abroad = analysis.owners[ip]
                .country_code
                .as_deref()
                .is_some_and(|c| c != home);
            let label = table.label(i).expect("one suggestion per access");
            let cell = counts
                .entry((
                    variant(scenario.format),
                    if abroad { "abroad" } else { "at home" },
                ))
                .or_default();
            cell[match label {
                Leaning::Human => 0,
                Leaning::Scanner => 1,
                Leaning::Unsure => 2,
            }] += 1;
            if abroad && label == Leaning::Human {
                humans_abroad.push(format!(
                    "{}: {}",
                    scenario.name,
                    table.reasons_line(analysis, i)
                ));
            }
        }
    }
    let lines: Vec<String> = counts
        .iter()
        .map(|((v, place), [h, s, u])| format!("{v}, {place}: human {h}, scanner {s}, unsure {u}"))
        .collect();
    let report = format!("{}\n{}", lines.join("\n"), humans_abroad.join("\n"));
    println!("{report}");
    assert_eq!(counts.len(), 8, "every log variant has both: {report}");
    assert!(
        counts.values().all(|c| c[0] + c[1] + c[2] >= 50),
        "{report}"
    );
    assert!(humans_abroad.is_empty(), "called human:\n{report}");
}
